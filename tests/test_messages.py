"""The twelve mistakes of issue 19, each answered in plain Chinese at the right place (golden texts).

Each test makes the mistake on real data (the seed policy, our own notice, LibreOffice's .doc) and compares
everything zhidu prints with tests/golden/messages/; `pytest --update-golden` rewrites them for review.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_DIR
from zhidu.cli import main

Golden = Callable[[str, str], None]


def _seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed version as `p/`, with the working directory beside it (paths print as p/…)."""
    dst = tmp_path / "p"
    for f in SEED_DIR.glob("*.yaml"):
        dst.mkdir(exist_ok=True)
        shutil.copy(f, dst / f.name)
    monkeypatch.chdir(tmp_path)
    return dst


def _edit(path: Path, old: str, new: str, nth: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= nth, old
    head, *rest = text.split(old)
    text = old.join([head, *rest[: nth - 1]]) + new + old.join(rest[nth - 1 :])
    path.write_text(text, encoding="utf-8")


def _check(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", "p"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return "\n".join(ln for ln in out.out.splitlines() if "错误[" in ln) + "\n"


def _line_of(path: Path, fragment: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in ln)


# ------------------------------------------------------------------------------------------- sources


def test_01_fullwidth_colon_after_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "notice.yaml", "signature: ", "signature：")
    text = _check(capsys)
    golden("messages/01-fullwidth-colon.txt", text)
    assert text.startswith(f"p/notice.yaml:{_line_of(p / 'notice.yaml', 'signature：')}:10:")
    assert "“：”" in text


def test_02_missing_closing_quote_is_reported_where_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "regulation.yaml", 'id: "2024.1"', 'id: "2024.1')
    text = _check(capsys)
    golden("messages/02-unclosed-quote.txt", text)
    assert text.startswith("p/regulation.yaml:5:7:")


def test_03_missing_colon_is_reported_on_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "roles.yaml", "  - id: R-WGY", "  - id R-WGY")
    text = _check(capsys)
    golden("messages/03-missing-colon.txt", text)
    assert text.startswith(f"p/roles.yaml:{_line_of(p / 'roles.yaml', '- id R-WGY')}:")


def test_04_unclosed_bracket_is_reported_where_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "regulation.yaml", "owners:\n      - R-SJ\n      - R-ZR\n", "owners: [R-SJ, R-ZR\n")
    text = _check(capsys)
    golden("messages/04-unclosed-bracket.txt", text)
    assert text.startswith(f"p/regulation.yaml:{_line_of(p / 'regulation.yaml', 'owners: [R-SJ')}:13:")


def test_05_role_field_path_in_chinese_with_value_meanings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "roles.yaml", "kind: department", "kind: departmnt", nth=2)
    text = _check(capsys)
    golden("messages/05-role-kind.txt", text)
    assert "第6个岗位的“类别”（kind）" in text and "department（科室）" in text
    assert "roles[" not in text


def test_06_duty_field_path_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "regulation.yaml", "per: year", "per: yearly")
    text = _check(capsys)
    golden("messages/06-duty-frequency.txt", text)
    assert "第一条第（四）项的第1项职责的“频次·周期”（frequency.per）" in text and "year（每年）" in text


def test_07_missing_top_level_field_names_no_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    p = _seed(tmp_path, monkeypatch)
    _edit(p / "regulation.yaml", "title: 工作制度\n", "")
    text = _check(capsys)
    golden("messages/07-missing-title.txt", text)
    assert "根" not in text and "“title”（标题）" in text


# ------------------------------------------------------------------------------------- commands


def test_08_check_on_a_work_folder_checks_its_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    # A work folder with a version at its top and the next version in a folder below it.
    work = tmp_path / "p"
    shutil.copytree(ROOT / "policy" / "gongyuan-aqsc" / "2024.2", work / "2024.2")
    for f in SEED_DIR.glob("*.yaml"):
        shutil.copy(f, work / f.name)
    _edit(work / "2024.2" / "roles.yaml", "  - id: R-WGY", "  - id R-WGY")
    monkeypatch.chdir(tmp_path)
    text = _check(capsys)
    golden("messages/08-check-work-folder.txt", text)
    assert text.startswith("p/2024.2/roles.yaml:")


def test_09_product_folder_names_are_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    out = tmp_path / "build"
    argv = ["build", str(SEED_DIR), "-o", str(out), "--format", "md", "-q"]
    assert main([*argv, "--product", "cards"]) == 0
    assert sorted(p.name for p in (out / "2024.1").iterdir()) == ["cards"]
    capsys.readouterr()
    assert main([*argv, "--product", "card-s"]) == 2
    golden("messages/09-unknown-product.txt", capsys.readouterr().err)


def test_10_git_revision_outside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    _seed(tmp_path, monkeypatch)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "p@HEAD", "p"]) == 2
    err = capsys.readouterr().err
    golden("messages/10-git-outside.txt", err)
    assert "fatal" not in err and "not a git" not in err


def test_11_help_is_chinese(capsys: pytest.CaptureFixture[str], golden: Golden) -> None:
    assert main(["--help"]) == 0
    assert main(["build", "-h"]) == 0
    text = capsys.readouterr().out
    golden("messages/11-help.txt", text)
    # argparse's own words; the option names, formats and file names are what the clerk types and stay.
    assert not re.search(r"usage:|positional arguments|options:|show this help|show program's", text)
    assert "位置参数" in text and "选项" in text and "显示本帮助并退出" in text


# --------------------------------------------------------------------------------- documents


def _notice_docx(tmp_path: Path) -> Path:
    from tests.conftest import load_case
    from zhidu.render import RenderContext
    from zhidu.render.docx import DocxRenderer
    from zhidu.views import plan

    policy = load_case(SEED_DIR)
    view = plan(policy, products=["notice"])[0]
    path = tmp_path / "notice.docx"
    path.write_bytes(DocxRenderer().render(view, RenderContext(policy))[0].data)
    return path


def _rows(path: Path, ids: tuple[str, ...]) -> str:
    from zhidu.verify import run_verify

    rep = run_verify(path)
    rows = [c for c in rep.checks if c.id in ids]
    return "".join(f"{c.id}\t{c.status}\t{c.name}\t{c.measured}\t{c.expected}\n" for c in rows)


def test_12_verify_measures_an_18pt_title_and_a_halfwidth_colon(tmp_path: Path, golden: Golden) -> None:
    from docx import Document
    from docx.shared import Pt

    path = _notice_docx(tmp_path)
    doc = Document(str(path))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = next(p for p in paras if "关于" in p.text and "通知" in p.text)
    for r in title.runs:
        r.font.size, r.font.bold = Pt(18), True
    addressees = next(p for p in paras if p.text.endswith("："))
    last = next(r for r in reversed(addressees.runs) if r.text)
    last.text = last.text[:-1] + ":"
    doc.save(str(path))
    text = _rows(path, ("title.font", "addressees.colon"))
    golden("messages/12-verify-title-colon.txt", text)
    assert "title.font\tfail" in text and "18磅" in text and "addressees.colon\tfail" in text


def test_12_verify_says_what_it_could_not_check(tmp_path: Path, golden: Golden) -> None:
    from docx import Document

    path = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("关于做好安全生产工作的通知")
    doc.save(str(path))
    text = _rows(path, ("head.mark", "title.font", "addressees.colon", "body.font"))
    golden("messages/12-verify-unchecked.txt", text)
    assert text.count("\tskip\t") == 4 and "未检查：" in text and "0磅" not in text


def test_12_verify_refuses_a_non_docx_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.docx").write_bytes(b"not a zip")
    assert main(["verify", "broken.docx"]) == 2
    err = capsys.readouterr().err
    golden("messages/12-verify-not-docx.txt", err)
    assert "zip" not in err.lower()


def _doc(tmp_path: Path) -> Path:
    """Our notice saved by LibreOffice as Word 97-2003 (.doc)."""
    from zhidu.render.pdf import soffice, soffice_env

    src = _notice_docx(tmp_path)
    exe = soffice()
    assert exe is not None
    profile = (tmp_path / "profile").as_uri()
    cmd = [
        exe,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "doc",
        "--outdir",
        str(tmp_path),
    ]
    subprocess.run([*cmd, str(src)], env=soffice_env(), capture_output=True, check=True, timeout=300)
    doc = tmp_path / "notice.doc"
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # an OLE compound file, not a zip
    src.unlink()
    return doc


@pytest.mark.render
def test_10_doc_files_are_converted_for_import_and_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    doc = _doc(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["import", doc.name, "-o", "imported", "-q"]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    regulation = (tmp_path / "imported" / "regulation.yaml").read_text(encoding="utf-8")
    assert "党工委书记、办事处主任的安全生产职责" in regulation
    report = (tmp_path / "imported" / "import-report.md").read_text(encoding="utf-8")
    assert "notice.doc 已经 LibreOffice 转换为 .docx 后导入" in report
    assert main(["verify", doc.name, "--format", "json"]) in (0, 1)
    rep = json.loads(capsys.readouterr().out)
    assert rep["path"] == "notice.doc"
    golden("messages/10-verify-doc-note.txt", rep["notes"][0] + "\n")
    assert any(c["id"] == "title.font" and c["status"] == "pass" for c in rep["checks"])


def test_operating_system_errors_are_chinese(tmp_path: Path) -> None:
    from zhidu.errors import os_reason

    reasons = []
    for target in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(OSError) as e:
            target.open("rb")
        reasons.append(os_reason(e.value))
    assert reasons == ["文件或目录不存在", "这是一个目录，不是文件"]
