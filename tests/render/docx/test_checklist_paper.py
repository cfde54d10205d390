"""Checklists as printed: LibreOffice's PDF of the docx, measured — boxes, rows, 备注, pages, how full a page is."""

from __future__ import annotations

import io
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
