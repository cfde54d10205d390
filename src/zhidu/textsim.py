"""When two provisions look duplicated: shared by `zhidu check` (W101) and the import report."""

from __future__ import annotations

import difflib
import re

SAME = "文字完全相同"
SAME_FIRST = "首句相同，疑似重复录入"
NEAR = "高度近似"


def first_sentence(s: str) -> str:
    return re.split(r"[。；;]", s, maxsplit=1)[0]


def similar(a: str, b: str) -> str:
    """Why two texts look duplicated (SAME, SAME_FIRST or NEAR), or "" when they do not."""
    if a == b:
        return SAME
    fa, fb = first_sentence(a), first_sentence(b)
    if len(fa) >= 8 and fa == fb:
        return SAME_FIRST
    if min(len(a), len(b)) >= 12:
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        # The cheap upper bounds rule out almost every pair before the quadratic ratio().
        if sm.real_quick_ratio() >= 0.85 and sm.quick_ratio() >= 0.85 and sm.ratio() >= 0.85:
            return NEAR
    return ""
