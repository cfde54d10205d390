"""The paper geometry of a checklist, shared by every paged format (docx, HTML print): columns and row budget.

A sheet is a form filled in by pen: boxes of at least 4 mm, writing rows of at least 10 mm, a 备注 column wide
enough for a short sentence, and a hazard ledger that takes the rest of the page instead of leaving it blank.
The numbers below were measured in LibreOffice's PDF (tests/render/docx/test_checklist_paper.py measures them again);
the line heights are those of the faces the project's fonts.conf selects, read from their font files.
"""

from __future__ import annotations

import math
import unicodedata

from zhidu.views.tokens import badge_tokens

#: The printable width between the margins (A4, 20 mm left for binding, 15 mm right), in mm.
TEXT_WIDTH_MM = 175.0
#: The printable height between the margins (15 mm top and bottom), in mm.
TEXT_HEIGHT_MM = 267.0
#: The tick box glyph and its size: DejaVu Sans ☐ at 17 pt prints a 4.3 mm square (measured).
BOX = "☐"
BOX_FONT = "DejaVu Sans"
BOX_PT = 17.0
#: Rows one writes in (check items, ledger) and rows one only ticks (inspection points), in mm.
ITEM_ROW_MM = 10.0
POINT_ROW_MM = 7.0
LEDGER_ROW_MM = 10.5
#: The line a row of tick boxes takes (exact spacing; the 4.3 mm glyph fits inside, measured).
BOX_LINE_PT = 14.0
#: Room left under the last ledger row, in mm, against rounding in the renderer.
PAGE_SLACK_MM = 1.0
#: Fewest ledger rows a sheet prints, however long its check table.
MIN_LEDGER_ROWS = 3

#: Type sizes in pt: title, text (cells, labels, sign-off), the 隐患台账 heading, inspection points, small print
#: (sources, example note) and the ledger's column labels.
TITLE_PT = 16.0
TEXT_PT = 10.5
HEAD_PT = 11.0
POINT_PT = 9.0
SMALL_PT = 8.0
LEDGER_HEAD_PT = 9.0
#: Paragraph spacing in pt, as the docx sets it: after the title, after each labelled line, after the example
#: note (or the empty line in its place), before each sources line, around the sign-off and the 隐患台账 heading.
TITLE_AFTER_PT = 6.0
META_AFTER_PT = 1.5
NOTE_AFTER_PT, NO_NOTE_AFTER_PT = 3.0, 1.0
SOURCE_BEFORE_PT = 2.0
SIGN_BEFORE_PT, SIGN_AFTER_PT = 10.0, 3.0
LEDGER_HEAD_SPACE_PT = 2.0
#: Cell margins (top and bottom, left and right) in mm, and the table rules (0.5 pt) that LibreOffice adds to a row
#: whose content is taller than its minimum height.
CELL_PAD_V_MM, CELL_PAD_H_MM = 0.6, 1.2
RULE_MM = 0.5 * 25.4 / 72

#: LibreOffice's single ('auto') line of each face, in em of the type size: the face's hhea ascent − descent + line
#: gap over its units per em (measured: 12.6 pt pitch at 10.5 pt in FandolFang and FandolHei, 15.2 pt in Noto Sans
#: CJK SC). Keyed by the profile's font role; the values are those of the faces templates/fonts/fonts.conf selects
#: for the role's name (仿宋_GB2312 → FandolFang, 黑体 → FandolHei: (880 + 120 + 200) / 1000), read again from
#: the font files by tests/render/docx/test_checklist_paper.py. Constants, not a look-up at build time: a sheet must
#: not change with the fonts of the machine that builds it.
LINE_EM: dict[str, float] = {"fangsong": 1.2, "heiti": 1.2}
#: The tick box's advance in em of BOX_PT (DejaVu Sans U+2610: 1836 of 2048 units).
BOX_ADVANCE_EM = 1836 / 2048

_PT = 25.4 / 72
NO_MM, FREQ_MM = 10.0, 16.0


def widths(ticks: int, tally: bool) -> tuple[float, ...]:
    """Column widths: 序号, 检查事项, 频次, one per tick column, 备注 — always the full text width.

    One completion column (a week) is 28 mm and leaves 备注 52 mm, room for a sentence; several columns (the
    weeks of a month, the months of a quarter) share what the item text does not need.
    """
    if ticks == 1:
        tick, remark = 30.0, 50.0
    elif ticks <= 3:
        tick, remark = 18.0, 38.0
    elif ticks <= 6:
        # A week's column holds 第27周 / 7/1-7/7 in 9 pt.
        tick, remark = (15.0, 24.0) if not tally else (13.0, 24.0)
    else:
        # Twelve months: a count fits 8.5 mm; remarks go to the 说明 lines under the table.
        tick, remark = 8.5, 0.0
    item = TEXT_WIDTH_MM - NO_MM - FREQ_MM - ticks * tick - remark
    cols = [NO_MM, item, FREQ_MM, *([tick] * ticks)]
    if remark:
        cols.append(remark)
    return tuple(round(c, 1) for c in cols)


def badge_width_mm(badges: list[str], size_pt: float = TEXT_PT) -> float:
    """Width of a 频次 column in which every piece of every badge (每季度≥1次, 事发即办) keeps to one line,
    with the cell's margins and a safety margin for the face's advance widths."""
    pieces = [piece for b in badges for piece in badge_tokens(b)] or ["常态"]
    widest = max(text_em(piece) for piece in pieces) * size_pt * _PT
    return round(widest + 2 * CELL_PAD_H_MM + 0.8, 1)


def fit_badges(widths_mm: tuple[float, ...], badges: list[str]) -> tuple[float, ...]:
    """The columns with 频次 (the third) widened to `badge_width_mm` where it is narrower, the 检查事项 column
    giving up the difference: a badge never wraps, and the table keeps its width."""
    need = badge_width_mm(badges)
    extra = round(need - widths_mm[2], 1)
    if extra <= 0:
        return widths_mm
    return (widths_mm[0], round(widths_mm[1] - extra, 1), need, *widths_mm[3:])


def text_em(text: str, size_pt: float = TEXT_PT) -> float:
    """Width of a text in em of `size_pt`: CJK and full-width one em, a tick box its own advance, a space a third
    and other characters half an em (the Fandol faces' digits: 500 of 1000 units, space 333)."""
    box = BOX_ADVANCE_EM * BOX_PT / size_pt
    return sum(
        box if c == BOX else 1.0 if unicodedata.east_asian_width(c) in "WFA" else _LATIN_EM.get(c, 0.5)
        for c in text
    )


_LATIN_EM = {" ": 1 / 3}


def lines(text: str, width_mm: float, size_pt: float) -> int:
    """Lines a paragraph of `text` takes in a table cell `width_mm` wide (its cell margins are taken off here)."""
    per_line = max(1.0, (width_mm - 2 * CELL_PAD_H_MM) / (size_pt * _PT))
    return max(1, sum(math.ceil(max(text_em(part, size_pt), 0.01) / per_line) for part in text.split("\n")))


def line_mm(size_pt: float, *faces: str) -> float:
    """Height of one single-spaced line in mm; a line that mixes faces is as tall as the tallest."""
    return size_pt * max(LINE_EM[f] for f in faces or ("fangsong",)) * _PT


def text_mm(text: str, width_mm: float, size_pt: float, face: str = "fangsong") -> float:
    """Height of `text` in a table cell `width_mm` wide, single spaced in the face of role `face`."""
    return lines(text, width_mm, size_pt) * line_mm(size_pt, face)


def box_mm(text: str, width_mm: float) -> float:
    """Height of a tick-box cell: each of its lines on the exact BOX_LINE_PT line."""
    return lines(text, width_mm, TEXT_PT) * BOX_LINE_PT * _PT


def row_mm(content_mm: float, min_mm: float = 0.0) -> float:
    """A table row as LibreOffice sets it: its content between the cell margins, plus the rule; at least `min_mm`.

    A row held at its minimum height keeps the rule inside it (measured: 10.0 mm rows 10.0 mm apart).
    """
    return max(min_mm, content_mm + 2 * CELL_PAD_V_MM + RULE_MM)
