"""Checklists as printed: LibreOffice's PDF of the docx, measured — boxes, rows, 备注, pages, how full a page is."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

import zhidu.views.checklist_layout as paper
from zhidu.layout import load_profile
from zhidu.model import Policy
from zhidu.period import parse_periods
from zhidu.render import RenderContext
from zhidu.render.docx import DocxRenderer
from zhidu.views import PlanOptions, View, plan
from zhidu.views.checklist import above_ledger_mm

MM = 25.4 / 72
PAGE_H, MARGIN = 297.0, 15.0

pytestmark = pytest.mark.render


def _pdfs(policy: Policy, periods: str, views: list[View] | None = None) -> dict[str, bytes]:
    from zhidu.render.pdf import convert_batch

    if views is None:
        views = plan(policy, PlanOptions(periods=parse_periods(periods)), products=["checklist"])
    docs = []
    for v in views:
        [art] = DocxRenderer().render(v, RenderContext(policy=policy))
        docs.append((art.path, art.data))
    return convert_batch(docs, jobs=2)


@pytest.fixture(scope="module")
def weekly(seed_policy: Policy) -> dict[str, bytes]:
    return _pdfs(seed_policy, "2024-W23")


def _pages(pdf: bytes) -> Iterator[Any]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        yield from doc.pages


def _rules(page: Any) -> list[float]:
    """The y (mm from the top) of every horizontal table rule on a page."""
    flat = [e for e in page.edges if abs(e["top"] - e["bottom"]) < 0.5 and e["x1"] - e["x0"] > 5]
    return sorted({round(e["top"] * MM, 1) for e in flat})


def _row_of(page: Any, char: dict[str, Any]) -> float:
    ys = _rules(page)
    y = (char["top"] + char["bottom"]) / 2 * MM
    above = max(r for r in ys if r < y)
    below = min(r for r in ys if r > y)
    return below - above


def test_weekly_sheet_is_one_full_a4_page_for_every_seed_community(weekly: dict[str, bytes]) -> None:
    assert len(weekly) == 4
    for path, pdf in weekly.items():
        pages = list(_pages(pdf))
        assert len(pages) == 1, path
        page = pages[0]
        assert (round(page.width * MM), round(page.height * MM)) == (210, 297)
        # Filled, not a quarter empty: the ledger's last rule is within 12 mm of the bottom margin.
        assert _rules(page)[-1] >= PAGE_H - MARGIN - 12, f"{path}: page ends at {_rules(page)[-1]} mm"


def test_boxes_are_at_least_4_mm_as_printed(weekly: dict[str, bytes]) -> None:
    page = next(_pages(weekly["checklists/C-01-示例一社区/2024-W23.pdf"]))
    boxes = [c for c in page.chars if c["text"] == "☐"]
    assert len(boxes) >= 2 * 10
    img = page.to_image(resolution=600).original.convert("L")
    scale = 600 / 72
    for c in boxes[:6]:
        crop = img.crop(tuple(int(v * scale) for v in (c["x0"], c["top"], c["x1"], c["bottom"])))
        px = crop.load()
        w, h = crop.size
        dark = [(x, y) for x in range(w) for y in range(h) if px[x, y] < 128]
        xs, ys = [x for x, _ in dark], [y for _, y in dark]
        size_w = (max(xs) - min(xs) + 1) / 600 * 25.4
        size_h = (max(ys) - min(ys) + 1) / 600 * 25.4
        assert size_w >= 4.0 and size_h >= 4.0, (size_w, size_h)


def test_writing_rows_and_remarks_have_room_for_a_pen(weekly: dict[str, bytes]) -> None:
    page = next(_pages(weekly["checklists/C-02-示例二社区/2024-W23.pdf"]))
    chars = page.chars
    # Every check item row (its 已做 box label) and every ledger row (its 一般 label) is at least 10 mm tall.
    done = [
        c
        for i, c in enumerate(chars[:-1])
        if c["text"] == "已" and chars[i + 1]["text"] == "做" and chars[i - 1]["text"] == "☐"
    ]
    grade = [c for i, c in enumerate(chars[:-1]) if c["text"] == "一" and chars[i + 1]["text"] == "般"]
    assert len(done) == 10 and len(grade) >= 3
    for c in done + grade:
        assert _row_of(page, c) >= 9.9, c
    # 备注 is wide enough for a sentence: at least 40 mm between its rules.
    head = next(c for i, c in enumerate(chars[:-1]) if c["text"] == "备" and chars[i + 1]["text"] == "注")
    xs = sorted(
        {
            round(e["x0"] * MM, 1)
            for e in page.edges
            if abs(e["x0"] - e["x1"]) < 0.5 and e["top"] <= head["top"] and e["bottom"] >= head["bottom"]
        }
    )
    left = max(x for x in xs if x < head["x0"] * MM)
    right = min(x for x in xs if x > head["x1"] * MM)
    assert right - left >= 40


def test_month_and_quarter_sheets(seed_policy: Policy) -> None:
    pdfs = _pdfs(seed_policy, "2024-07,2024-Q3")
    for path, pdf in pdfs.items():
        pages = list(_pages(pdf))
        # A month with a catalogue of six points puts its ledger on a page of its own, filled; else one page.
        assert len(pages) <= 2, path
        for page in pages:
            # Not a quarter empty (the measure), also when the ledger moved to a page of its own.
            assert _rules(page)[-1] >= PAGE_H - MARGIN - 267 / 4, (
                f"{path}: a page ends at {_rules(page)[-1]} mm"
            )
        text = "".join(c["text"] for p in pages for c in p.chars)
        assert "隐患台账" in text
        if path.endswith("2024-07.pdf"):
            assert "第27周" in text and "7/22-28" in text
        else:
            assert "经常性事项按月汇总" in text
        if len(pages) == 2:
            # A ledger page of its own says whose sheet it belongs to and for when.
            second = "".join(c["text"] for c in pages[1].chars)
            assert "隐患台账（示例一社区" in second and "2024年7月1日—7月31日" in second


def _badge_lines(pdf: bytes) -> list[str]:
    """The printed lines of the 频次 column of every check table: 10.5 pt body-face characters between the
    column's rules, from each 频次 header down to the next table's header or the sign-off (the ledger's cells
    share the x range)."""
    out: list[str] = []
    for page in _pages(pdf):
        chars = page.chars
        text = "".join(c["text"] for c in chars)
        heads = [chars[m.start()] for m in re.finditer("频次", text)]
        stop = [chars[m.start()]["top"] for m in re.finditer("检查人", text)]
        for n, head in enumerate(heads):
            xs = {
                e["x0"]
                for e in page.edges
                if abs(e["x0"] - e["x1"]) < 0.5 and e["top"] <= head["top"] and e["bottom"] >= head["bottom"]
            }
            left = max(x for x in xs if x < head["x0"])
            right = min(x for x in xs if x > head["x1"])
            end = min([*stop, page.height] + ([heads[n + 1]["top"]] if n + 1 < len(heads) else []))
            rows: dict[int, list[Any]] = {}
            for c in chars:
                inside = left <= c["x0"] and c["x1"] <= right and head["bottom"] < c["top"] < end
                # Badges in the body face; the section headings that span the table are in the label face.
                body = abs(c["size"] - 10.5) < 0.2 and c["fontname"] != head["fontname"]
                if inside and body and c["text"].strip() and c["text"] != "\u2060":
                    rows.setdefault(round(c["bottom"]), []).append(c)
            out += [
                "".join(c["text"] for c in sorted(r, key=lambda c: c["x0"])) for _, r in sorted(rows.items())
            ]
    return out


def _checklist_pdfs(policy: Policy) -> dict[str, tuple[View, bytes]]:
    from zhidu.render.pdf import convert_batch

    views = {v.name: v for v in plan(policy, PlanOptions(), products=["checklist"])}
    docs = [
        (name.replace("/", "_") + ".docx", DocxRenderer().render(v, RenderContext(policy=policy))[0].data)
        for name, v in views.items()
    ]
    pdfs = convert_batch(docs)
    return {name: (v, pdfs[name.replace("/", "_") + ".pdf"]) for name, v in views.items()}


def _expected_pieces(v: View) -> list[str]:
    from zhidu.views.tokens import badge_tokens

    return [p for group in v.data.tables() for s in group for i in s.items for p in badge_tokens(i.frequency)]


def test_badges_never_wrap_on_any_seed_checklist(load_case: Any) -> None:
    """Every badge piece of every checklist of both seed versions prints as exactly one line of its cell."""
    from tests.conftest import ROOT

    total = 0
    for tag in ("2024.1", "2024.2"):
        pol = load_case(ROOT / "policy" / "gongyuan-aqsc" / tag)
        sheets = _checklist_pdfs(pol)
        assert len(sheets) == 20, tag
        for name, (v, pdf) in sheets.items():
            printed, expected = _badge_lines(pdf), _expected_pieces(v)
            assert sorted(printed) == sorted(expected), (tag, name, printed, expected)
            total += len(printed)
    # 事发即办 (four characters, wider than the 16 mm the layout gives 频次) is among them.
    assert total >= 200


def test_long_badges_never_wrap(load_case: Any, tmp_path: Any) -> None:
    """A policy made here from 2024.2 whose 网格员 duties are quarterly (每季度≥1次) and on festivals
    (每月≥2次；重大节日、重要时期): each piece on one line of its own, the table as wide as before."""
    import shutil

    from tests.conftest import ROOT

    work = tmp_path / "gongyuan-aqsc"
    shutil.copytree(ROOT / "policy" / "gongyuan-aqsc", work)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    week = (
        "            frequency:\n              per: week\n              min: 1\n              display: 每周\n"
    )
    assert text.count(week) == 2
    quarter = "            frequency:\n              per: quarter\n              min: 1\n              display: 每季度\n"
    festive = (
        "            frequency:\n              per: month\n              min: 2\n              events:\n"
        "                - 重大节日\n                - 重要时期\n              display: 每月两次及重大节日\n"
    )
    reg.write_text(text.replace(week, quarter, 1).replace(week, festive, 1), encoding="utf-8")
    pol = load_case(work / "2024.2")
    sheets = _checklist_pdfs(pol)
    seen: set[str] = set()
    for name, (v, pdf) in sheets.items():
        printed, expected = _badge_lines(pdf), _expected_pieces(v)
        assert sorted(printed) == sorted(expected), (name, printed, expected)
        seen.update(printed)
        for page in _pages(pdf):
            # The check table keeps the text width: its outer rules 175 mm apart.
            xs = [e["x0"] for e in page.edges if abs(e["x0"] - e["x1"]) < 0.5]
            assert round((max(xs) - min(xs)) * MM) == 175, name
    assert {"每季度≥1次", "每月≥2次", "重大节日", "重要时期", "事发即办"} <= seen


def _face_file(name: str) -> tuple[str, int, str]:
    """The font file, face index and family the project's fonts.conf selects for a font name."""
    from zhidu.render.pdf import soffice_env

    out = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{name}:lang=zh-cn"],
        env=soffice_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    file, index, family = out.split("|")
    return file, int(index), family


def test_line_heights_are_those_of_the_faces_fonts_conf_selects() -> None:
    from fontTools.ttLib import TTFont

    prof = load_profile("standard")
    assert set(paper.LINE_EM) == {"fangsong", "heiti"}
    for role, em in paper.LINE_EM.items():
        file, index, family = _face_file(str(prof[f"fonts.{role}"]))
        font = TTFont(file, fontNumber=index, lazy=True)
        hhea, upm = font["hhea"], font["head"].unitsPerEm
        # LibreOffice's single line: ascent - descent + line gap of the hhea table.
        assert (hhea.ascent - hhea.descent + hhea.lineGap) / upm == pytest.approx(em, abs=1e-3), (
            role,
            family,
        )
    file, index, family = _face_file(paper.BOX_FONT)
    box = TTFont(file, fontNumber=index, lazy=True)
    advance = box["hmtx"][box.getBestCmap()[ord(paper.BOX)]][0] / box["head"].unitsPerEm
    assert family.startswith("DejaVu Sans") and advance == pytest.approx(paper.BOX_ADVANCE_EM, abs=1e-3)


PERIODS = "2024-W23,2024-07,2024-Q3,2024-H1,2024"


@pytest.fixture(scope="module")
def every_kind(seed_policy: Policy) -> tuple[list[View], dict[str, bytes]]:
    views: list[View] = plan(seed_policy, PlanOptions(periods=parse_periods(PERIODS)), products=["checklist"])
    return views, _pdfs(seed_policy, PERIODS, views)


def test_the_budget_predicts_where_the_ledger_starts(every_kind: tuple[list[View], dict[str, bytes]]) -> None:
    views, pdfs = every_kind
    checked = 0
    for v in views:
        if v.data.ledger_new_page:
            continue
        page = next(_pages(pdfs[v.name + ".pdf"]))
        label = next(
            c
            for i, c in enumerate(page.chars[:-1])
            if c["text"] == "发" and page.chars[i + 1]["text"] == "现"
        )
        # The rule under the ledger's header row: where its first row starts.
        measured = min(r for r in _rules(page) if r > label["bottom"] * MM)
        predicted = MARGIN + above_ledger_mm(v.data)
        # Never short (a short budget prints rows onto a second page), and over by less than half a millimetre.
        assert 0 <= predicted - measured < 0.5, (v.name, predicted, measured)
        checked += 1
    assert checked >= 18


def test_every_sheet_fills_its_ledger_page_and_no_more(
    every_kind: tuple[list[View], dict[str, bytes]],
) -> None:
    views, pdfs = every_kind
    assert len(views) == 20
    for v in views:
        pages = list(_pages(pdfs[v.name + ".pdf"]))
        assert len(pages) == (2 if v.data.ledger_new_page else 1), v.name
        end = _rules(pages[-1])[-1]
        assert PAGE_H - MARGIN - paper.LEDGER_ROW_MM - paper.PAGE_SLACK_MM <= end <= PAGE_H - MARGIN, (
            v.name,
            end,
        )
        assert end >= PAGE_H - MARGIN - 12, (v.name, end)
