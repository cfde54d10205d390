"""When two provisions look duplicated: shared by `zhidu check` (W101) and the import report."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

SAME = "文字完全相同"
SAME_FIRST = "首句相同，疑似重复录入"
NEAR = "高度近似"
#: difflib ratio from which two texts count as near duplicates.
NEAR_RATIO = 0.85


_SENTENCE_END = re.compile(r"[。；;]")


def first_sentence(s: str) -> str:
    return _SENTENCE_END.split(s, maxsplit=1)[0]


@lru_cache(maxsize=4096)
def _chars(s: str) -> dict[str, int]:
    # Each text meets all its siblings: count its characters once.
    return dict(Counter(s))


def _common(a: str, b: str) -> int:
    """How many characters two texts have in common, counted with multiplicity."""
    ca, cb = _chars(a), _chars(b)
    # All of a, less what a has more of than b: a plain loop, ~3x faster than summing min() per character.
    surplus = 0
    for ch, n in ca.items():
        m = cb.get(ch, 0)
        if n > m:
            surplus += n - m
    return len(a) - surplus


def similar(a: str, b: str) -> str:
    """Why two texts look duplicated (SAME, SAME_FIRST or NEAR), or "" when they do not."""
    if a == b:
        return SAME
    fa, fb = first_sentence(a), first_sentence(b)
    if len(fa) >= 8 and fa == fb:
        return SAME_FIRST
    if min(len(a), len(b)) >= 12:
        # difflib's real_quick_ratio() and quick_ratio() bounds, computed before a SequenceMatcher is built:
        # building one indexes every character of b, and the bounds rule out almost every sibling pair.
        total = len(a) + len(b)
        if 2.0 * min(len(a), len(b)) / total < NEAR_RATIO:
            return ""
        if 2.0 * _common(a, b) / total < NEAR_RATIO:
            return ""
        if difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_RATIO:
            return NEAR
    return ""
