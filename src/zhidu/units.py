"""Units of page geometry: twips (1/20 pt, OOXML lengths), millimetres, points and EMU (OOXML drawings)."""

from __future__ import annotations

#: Twips per millimetre (1 in = 1440 tw = 25.4 mm).
TW_PER_MM = 1440 / 25.4
#: Points per millimetre (1 in = 72 pt = 25.4 mm).
PT_PER_MM = 72 / 25.4
#: Twips per point.
TW_PER_PT = 20
#: English Metric Units per millimetre (1 mm = 36 000 EMU).
EMU_PER_MM = 36000
