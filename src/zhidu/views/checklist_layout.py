"""The paper geometry of a checklist, shared by every paged format (docx, HTML print): columns and row budget.

A sheet is a form filled in by pen: boxes of at least 4 mm, writing rows of at least 10 mm, a 备注 column wide
enough for a short sentence, and a hazard ledger that takes the rest of the page instead of leaving it blank.
The numbers below were measured in LibreOffice's PDF (tests/render/docx/test_checklist_paper.py measures them again).
"""

from __future__ import annotations

import math
import unicodedata

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
#: Fewest ledger rows a sheet prints, however long its check table.
MIN_LEDGER_ROWS = 3

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


def text_em(text: str) -> float:
    """Width of a text in em: CJK and full-width one em, other characters about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def lines(text: str, width_mm: float, size_pt: float) -> int:
    """Lines a paragraph of `text` takes in a column `width_mm` wide (cell padding already taken off)."""
    per_line = max(1.0, (width_mm - 2.4) / (size_pt * _PT))
    return max(1, sum(math.ceil(max(text_em(part), 0.01) / per_line) for part in text.split("\n")))


def text_mm(text: str, width_mm: float, size_pt: float, spacing: float = 1.17) -> float:
    """Height of `text` in a column, single spaced (LibreOffice's 'auto' line of the CJK faces)."""
    return lines(text, width_mm, size_pt) * size_pt * spacing * _PT
