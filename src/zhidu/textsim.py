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


#: A character pair found in more texts than this says nothing about which two are alike (安全, 生产): it is
#: left out of the candidate index, which keeps the search near-linear.
COMMON_BIGRAM = 64
#: Texts longer than this are compared exactly and by first sentence only: SequenceMatcher is quadratic in length.
MAX_NEAR_CHARS = 2000


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def near_duplicates(texts: list[str]) -> list[tuple[int, int, str]]:
    """Pairs (i, j, why) with i < j whose texts look duplicated, each later text reported against one earlier.

    Replaces comparing every pair (quadratic in the number of texts: 1 200 copies of one line made 720 000
    findings and 800 MB). Equal texts and equal first sentences are grouped by hash and reported against the
    group's first text. Near duplicates are looked for only among pairs that share an uncommon character
    bigram (an index of bigrams found in at most COMMON_BIGRAM texts), and then through `similar`'s bounds.
    """
    out: list[tuple[int, int, str]] = []
    exact: dict[str, int] = {}
    first: dict[str, int] = {}
    reps: list[int] = []
    for j, t in enumerate(texts):
        if t in exact:
            out.append((exact[t], j, SAME))
            continue
        exact[t] = j
        fs = first_sentence(t)
        if len(fs) >= 8 and fs in first:
            out.append((first[fs], j, SAME_FIRST))
            continue
        if len(fs) >= 8:
            first.setdefault(fs, j)
        reps.append(j)
    index: dict[str, list[int]] = {}
    grams = {j: _bigrams(texts[j]) for j in reps if 12 <= len(texts[j]) <= MAX_NEAR_CHARS}
    for j in reps:
        if j not in grams:
            continue
        for g in grams[j]:
            index.setdefault(g, []).append(j)
    reported = {j for _i, j, _w in out}
    for j in sorted(grams):
        candidates: set[int] = set()
        for g in grams[j]:
            ids = index[g]
            if len(ids) <= COMMON_BIGRAM:
                candidates.update(i for i in ids if i < j)
        for i in sorted(candidates):
            if j in reported:
                break
            why = similar(texts[i], texts[j])
            if why:
                out.append((i, j, why))
                reported.add(j)
    return sorted(out, key=lambda x: (x[1], x[0]))
