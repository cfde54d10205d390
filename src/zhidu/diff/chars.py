"""Character-level text diff: Chinese has no spaces to split words on (docs/domain.md §12.10).

diff-match-patch with semantic clean-up, so a changed phrase reads as one change rather than scattered characters.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from zhidu.diff.model import Op, Segment


@cache
def _dmp() -> Any:
    from diff_match_patch import diff_match_patch

    d = diff_match_patch()
    # No time limit: the texts are short, and a timeout would make output depend on machine speed.
    d.Diff_Timeout = 0
    return d


#: Above this product of lengths (two 2 000-character texts) a character diff takes seconds to minutes
#: (diff-match-patch has no time limit here, to stay deterministic): the diff runs by sentence instead.
MAX_CHAR_DIFF_CELLS = 4_000_000
#: Sentence ends the coarse diff splits on; a text with none is one token (then: common prefix and suffix kept,
#: the middle shown as deleted and inserted).
_SENTENCE_ENDS = "。；;！？!?\x00"


def _sentence_diff(d: Any, old: str, new: str) -> list[tuple[int, str]]:
    """diff-match-patch over sentences as tokens (its line mode): linear in the number of sentences.

    A text's own line breaks stand in as NUL (which a source can never hold) while the sentence ends become
    the line breaks the line mode splits on.
    """
    import re

    ends = re.compile(f"([{_SENTENCE_ENDS}])")

    def lines(s: str) -> str:
        return ends.sub("\\1\n", s.replace("\n", "\x00"))

    a, b, table = d.diff_linesToChars(lines(old), lines(new))
    diffs = d.diff_main(a, b, False)
    d.diff_charsToLines(diffs, table)
    return [(op, text.replace("\n", "").replace("\x00", "\n")) for op, text in diffs]


def char_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """Character-level diff with semantic clean-up, so a changed phrase reads as one change.

    Very long texts are diffed by sentence (deterministically, without a timeout): same result shape, coarser.
    """
    d = _dmp()
    if len(old) * len(new) > MAX_CHAR_DIFF_CELLS:
        diffs = _sentence_diff(d, old, new)
    else:
        diffs = d.diff_main(old, new, False)
    d.diff_cleanupSemantic(diffs)
    names: dict[int, Op] = {0: "equal", -1: "delete", 1: "insert"}
    return [(names[op], text) for op, text in diffs if text]


def sides(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The old column (kept and deleted runs) and the new column (kept and inserted runs) of one change."""
    diffs = char_diff(old, new)
    a = tuple(Segment(op, t) for op, t in diffs if op != "insert")
    b = tuple(Segment(op, t) for op, t in diffs if op != "delete")
    return a, b


def plain(text: str) -> tuple[Segment, ...]:
    """A text shown without highlighting (a whole provision added or deleted)."""
    return (Segment("equal", text),) if text else ()


def cut(segments: tuple[Segment, ...], lengths: list[int]) -> list[tuple[Segment, ...]]:
    """Cut a side's segments back into parts of the given lengths, joined by one "\\n" each."""
    parts: list[list[Segment]] = [[] for _ in lengths]
    bounds: list[tuple[int, int]] = []
    pos = 0
    for n in lengths:
        bounds.append((pos, pos + n))
        pos += n + 1
    at = 0
    for s in segments:
        for k, (lo, hi) in enumerate(bounds):
            a, b = max(lo, at), min(hi, at + len(s.text))
            if a < b:
                parts[k].append(Segment(s.op, s.text[a - at : b - at]))
        at += len(s.text)
    return [tuple(p) for p in parts]


def width_only(old: str, new: str) -> bool:
    """True when two texts differ only in the width of punctuation or digits (, → ，)."""
    return old != new and unicodedata.normalize("NFKC", old) == unicodedata.normalize("NFKC", new)
