"""Helpers for the spreadsheet tests: a writable copy of the seed, the CLI, workbook edits, LibreOffice Calc."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT
from zhidu.cli import main

SEED_WORK = ROOT / "policy" / "gongyuan-aqsc"


def draft_copy(tmp: Path, status: str = "draft") -> Path:
    """A copy of the seed work under tmp/policy/; its 2024.2 version made a draft (issued ones are read-only)."""
    work = tmp / "policy" / "gongyuan-aqsc"
    shutil.copytree(SEED_WORK, work)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    assert "  status: issued\n" in text
    reg.write_text(text.replace("  status: issued\n", f"  status: {status}\n", 1), encoding="utf-8")
    return work / "2024.2"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`zhidu ARGV` in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys: pytest.CaptureFixture[str], folder: Path, book: Path) -> Path:
    code, _, err = run(capsys, "export", str(folder), "-o", str(book))
    assert code == 0, err
    return book


def edit(src: Path, dest: Path, fn: Callable[[Any], None]) -> Path:
    """Open a workbook, let `fn` change it, save it as `dest`."""
    wb = load_workbook(src)
    fn(wb)
    wb.save(dest)
    return dest


def header(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def row_of(ws: Any, duty_id: str) -> int:
    col = header(ws)["id"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col).value == duty_id:
            return r
    raise KeyError(duty_id)


NEW_TEXT = "每半年组织1次安全生产应急演练。"


def scripted_edits(wb: Any) -> None:
    """Wording, owner, frequency, a new row, a deleted row and a moved row, as a clerk would make them."""
    ws = wb["责任清单"]
    h = header(ws)
    r = row_of(ws, "D-01-06")
    ws.cell(r, h["职责"]).value = "每月至少2次带队开展安全生产督导检查。"
    ws.cell(r, h["频次"]).value = "每月至少2次"
    ws.cell(row_of(ws, "D-01-03"), h["岗位"]).value = "办事处主任、分管安全生产工作的领导"
    ws.delete_rows(row_of(ws, "D-01-08"))
    r = row_of(ws, "D-01-04") + 1
    ws.insert_rows(r)
    ws.cell(r, h["职责"]).value = NEW_TEXT
    ws.cell(r, h["频次"]).value = "每半年至少1次"
    ws.cell(r, h["岗位"]).value = "应急管理办"
    ws.cell(r, h["依据"]).value = "《安全生产法》第八十一条"
    ws.cell(r, h["纳入检查表"]).value = "是"
    # Move the row of D-01-10 above D-01-09 (cut and insert, as in a spreadsheet program).
    r9, r10 = row_of(ws, "D-01-09"), row_of(ws, "D-01-10")
    values = [ws.cell(r10, c).value for c in range(1, ws.max_column + 1)]
    ws.delete_rows(r10)
    ws.insert_rows(r9)
    for c, v in enumerate(values, start=1):
        ws.cell(r9, c).value = v


def block(text: str, pid: str, indent: int = 6) -> str:
    """The YAML block of one provision item (`- id: PID` at `indent`) up to the next item at that indent."""
    start = text.index(" " * indent + f"- id: {pid}\n")
    end = start + 1
    lines = text[start:].split("\n")
    size = len(lines[0]) + 1
    for ln in lines[1:]:
        if ln.startswith(" " * indent + "- ") or (ln.strip() and len(ln) - len(ln.lstrip()) < indent + 2):
            break
        size += len(ln) + 1
    end = start + size
    return text[start:end]


def expected_after_scripted_edits(original: str) -> str:
    """The seed's regulation.yaml with exactly the scripted edits, written by hand."""
    t = original
    owners = "          - id: D-01-03\n            owners:\n              - R-ZR\n"
    assert owners in t
    t = t.replace(owners, owners + "              - R-FGAQ\n", 1)
    new_block = (
        "      - id: P-01-13\n"
        f"        text: {NEW_TEXT}\n"
        "        duties:\n"
        "          - id: D-01-13\n"
        "            owners:\n"
        "              - R-YJB\n"
        "            frequency:\n"
        "              per: half_year\n"
        "              min: 1\n"
        "              display: 每半年至少1次\n"
        "            basis:\n"
        "              - law: L-AQSCF\n"
        "                art: 第八十一条\n"
        "            checklist: true\n"
    )
    p5 = block(t, "P-01-05")
    t = t.replace(p5, new_block + p5, 1)
    p6 = block(t, "P-01-06")
    p6_new = (
        p6.replace("每月至少1次带队", "每月至少2次带队")
        .replace("min: 1\n", "min: 2\n")
        .replace("display: 每月至少1次", "display: 每月至少2次")
    )
    t = t.replace(p6, p6_new, 1)
    t = t.replace(block(t, "P-01-08"), "", 1)
    t = t.replace("              - D-01-08\n", "", 1)
    p9, p10 = block(t, "P-01-09"), block(t, "P-01-10")
    t = t.replace(p9 + p10, p10 + p9, 1)
    return t


def calc_resave(src: Path, outdir: Path, to: str = "xlsx") -> Path:
    """Open and save a workbook through LibreOffice Calc (headless, private profile)."""
    from zhidu.render.pdf import soffice, soffice_env

    exe = soffice()
    assert exe is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(src),
        ],
        env=soffice_env(),
        capture_output=True,
        timeout=300,
        check=True,
    )
    out = outdir / (src.stem + "." + to)
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out
