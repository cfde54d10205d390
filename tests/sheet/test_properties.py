"""Properties of the spreadsheet round trip on random valid policies: export∘merge is the identity, and an edit
made in the sheet is exactly the edit that lands in the YAML."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from ruamel.yaml import YAML

from zhidu.diagnostics import Report
from zhidu.load.policy import load_policy
from zhidu.render.xlsx.book import build_workbook
from zhidu.render.xlsx.cells import clean, duty_cells
from zhidu.sheet.merge import plan_merge
from zhidu.sheet.read import read_book

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

#: Characters a clerk's text holds, and some that stress a spreadsheet: =, &, quotes, full-width space, newline.
ALPHABET = "安全生产检查隐患排查每月至少次年度社区网格员记录（）《》、，。；：" + "0123456789ab =&\"'\u3000"
text = st.text(alphabet=ALPHABET, min_size=1, max_size=24).filter(lambda s: clean(s) != "")
FREQS = [None, ("每月至少1次", "month", 1), ("每季度", "quarter", 1), ("每年至少2次", "year", 2)]


@st.composite
def policies(draw: Any) -> dict[str, Any]:
    n_roles = draw(st.integers(1, 4))
    role_names = draw(
        st.lists(
            text.map(lambda s: "岗" + clean(s).replace("\n", "")),
            min_size=n_roles,
            max_size=n_roles,
            unique=True,
        )
    )
    roles = [{"id": f"R-{i:02d}", "name": n, "kind": "department"} for i, n in enumerate(role_names, 1)]
    n_laws = draw(st.integers(0, 3))
    law_names = draw(
        st.lists(
            st.sampled_from(["安全生产法", "消防法", "某条例", "某办法"]),
            min_size=n_laws,
            max_size=n_laws,
            unique=True,
        )
    )
    laws = [{"id": f"L-{i:02d}", "name": f"《{n}》"} for i, n in enumerate(law_names, 1)]
    role_ids = [r["id"] for r in roles]
    sections = []
    for s in range(1, draw(st.integers(1, 3)) + 1):
        children = []
        for p in range(1, draw(st.integers(1, 4)) + 1):
            duties = []
            for d in range(1, draw(st.integers(1, 2)) + 1):
                duty: dict[str, Any] = {"id": f"D-{s:02d}-{p:02d}-{d}"}
                if draw(st.booleans()):
                    duty["owners"] = draw(st.lists(st.sampled_from(role_ids), min_size=1, unique=True))
                f = draw(st.sampled_from(FREQS))
                if f:
                    duty["frequency"] = {"per": f[1], "min": f[2], "display": f[0]}
                ev = draw(st.lists(text, max_size=2))
                if ev:
                    duty["evidence"] = ev
                if laws and draw(st.booleans()):
                    duty["basis"] = [{"law": x["id"]} for x in laws[: draw(st.integers(1, len(laws)))]]
                duty["checklist"] = draw(st.booleans())
                duties.append(duty)
            children.append({"id": f"P-{s:02d}-{p:02d}", "text": draw(text), "duties": duties})
        owners = draw(st.lists(st.sampled_from(role_ids), min_size=1, unique=True))
        sections.append({"id": f"S-{s:02d}", "text": draw(text), "owners": owners, "children": children})
    regulation = {
        "work": "AQSC-T",
        "version": {"id": "1.0", "status": "draft"},
        "title": "测试制度",
        "sections": sections,
    }
    return {"regulation.yaml": regulation, "roles.yaml": {"roles": roles}, "laws.yaml": {"laws": laws}}


def _write(files: dict[str, Any], folder: Path) -> None:
    y = YAML(typ="safe", pure=True)
    y.allow_unicode = True
    folder.mkdir(parents=True)
    for name, data in files.items():
        with (folder / name).open("w", encoding="utf-8") as f:
            y.dump(data, f)


def _round(files: dict[str, Any], tmp: Path, change: Any = None) -> tuple[Any, Any, Report, Path]:
    folder = tmp / "work" / "1.0"
    _write(files, folder)
    report = Report()
    policy = load_policy(folder, report)
    assert policy is not None, report.format_text()
    book = tmp / "b.xlsx"
    book.write_bytes(build_workbook(policy, folder.as_posix()))
    if change is not None:
        wb = load_workbook(book)
        change(wb["责任清单"])
        wb.save(book)
    read = read_book(book, report)
    assert read is not None and not report.errors, report.format_text()
    return policy, read, report, folder


@SETTINGS
@given(policies())
def test_export_then_merge_is_the_identity(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as d:
        policy, book, report, folder = _round(files, Path(d))
        before = (folder / "regulation.yaml").read_bytes()
        assert book.duties is not None
        rows = [(r.get("id"), r.get("text"), r.get("owners"), r.get("frequency")) for r in book.duties.rows]
        want = [(c.id, c.text, c.owners, c.frequency) for c in duty_cells(policy)]
        assert rows == want
        plan = plan_merge(book, folder, report)
        assert plan is not None, report.format_text()
        assert not plan.changed and plan.text is None
        assert (folder / "regulation.yaml").read_bytes() == before


@SETTINGS
@given(policies(), st.data())
def test_a_sheet_edit_is_exactly_the_yaml_edit(files: dict[str, Any], data: Any) -> None:
    with tempfile.TemporaryDirectory() as d:
        n = sum(len(p["duties"]) for s in files["regulation.yaml"]["sections"] for p in s["children"])
        row = data.draw(st.integers(2, n + 1))
        wording = data.draw(text)
        evidence = data.draw(
            st.lists(text.map(lambda s: clean(s).replace("；", "").replace(";", "")), max_size=2)
        )

        def change(ws: Any) -> None:
            ws.cell(row, 4).value = wording
            ws.cell(row, 6).value = "\n".join(evidence)

        policy, book, report, folder = _round(files, Path(d), change)
        plan = plan_merge(book, folder, report)
        assert plan is not None and plan.new is not None, report.format_text()
        before = {c.id: c for c in duty_cells(policy)}
        after = {c.id: c for c in duty_cells(plan.new)}
        edited = book.duties.rows[row - 2].get("id") if book.duties else ""
        assert after[edited].text == clean(wording)
        assert after[edited].evidence == clean("\n".join(x for x in (clean(e) for e in evidence) if x))
        prov = next(p for _, p, dd in policy.duties() if dd.id == edited)
        for i, c in before.items():
            same_provision = any(dd.id == i for dd in prov.duties)
            if i != edited and not same_provision:
                assert after[i] == c
