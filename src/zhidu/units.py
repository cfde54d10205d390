"""Length units of the page: millimetres, points, twips (1/20 pt) and EMU, with small conversions."""

from __future__ import annotations

#: Twips per millimetre (1 in = 1440 tw = 25.4 mm).
TW_PER_MM = 1440 / 25.4
#: Points per millimetre (1 in = 72 pt = 25.4 mm).
PT_PER_MM = 72 / 25.4
#: Twips per point.
TW_PER_PT = 20
#: English Metric Units per millimetre (DrawingML lengths).
EMU_PER_MM = 36000


def tw_to_mm(tw: float) -> float:
    """Twips to millimetres."""
    return tw / TW_PER_MM


def tw_to_pt(tw: float) -> float:
    """Twips to points."""
    return tw / TW_PER_PT


def pt_to_mm(pt: float) -> float:
    """Points to millimetres."""
    return pt / PT_PER_MM


def mm_to_pt(mm: float) -> float:
    """Millimetres to points."""
    return mm * PT_PER_MM
