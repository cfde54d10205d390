"""Breaking a 标题 into lines (GB/T 9704 7.3.1): between words, never inside a name or a quotation, 梯形 or 菱形.

Words come from jieba; quotations (“…”, 《…》, （…）) and the names given by the caller (the organ, say) are
kept whole. Of the admissible breaks, the fewest lines in a 梯形 (steadily longer or shorter lines) or 菱形
(a longest middle line) win, the most even ones first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from itertools import combinations, pairwise
from typing import Any

from zhidu.layout import cjk_width

_OPENING = "“‘《（〔【([{"
_CLOSING = "”’》）〕】)]}，。、；：！？"
_QUOTES = re.compile(r"“[^”]*”|《[^》]*》|（[^）]*）|‘[^’]*’")
#: Weak function characters a line should not end with (the "的" of "…的通知" belongs to what follows).
_WEAK_END = "的及和与"


#: Compounds of official titles that jieba's general dictionary lacks; a break inside them reads as a split word.
TITLE_WORDS = (
    "安全生产",
    "工作制度",
    "责任分工",
    "责任清单",
    "责任追究",
    "街道办事处",
    "实施方案",
    "工作方案",
    "管理办法",
    "实施细则",
    "隐患排查",
    "专项整治",
    "一岗双责",
    "党政同责",
    "应急管理",
    "应急预案",
)


@cache
def _tokenizer() -> Any:
    # A private tokenizer: the added title words must not change how other modules segment text.
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    for w in TITLE_WORDS:
        tok.add_word(w)
    return tok


@cache
def _jieba_cuts(text: str) -> tuple[int, ...]:
    cuts = [0]
    for tok in _tokenizer().lcut(text, HMM=False):
        cuts.append(cuts[-1] + len(tok))
    return tuple(cuts)


def word_breaks(title: str, keep: Iterable[str] = ()) -> list[int]:
    """Offsets inside `title` where a line may break: word boundaries outside quotations and kept names."""
    inside: set[int] = set()
    spans = [(m.start(), m.end()) for m in _QUOTES.finditer(title)]
    for name in keep:
        if name:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(name), title)]
    for a, b in spans:
        inside.update(range(a + 1, b))
    return [
        c
        for c in _jieba_cuts(title)[1:-1]
        if c not in inside and title[c] not in _CLOSING and title[c - 1] not in _OPENING
    ]


def is_trapezoid_or_diamond(widths: list[float]) -> bool:
    """梯形: lines strictly growing or shrinking; 菱形: one longest middle line. Equal stacks and 沙漏形 fail."""
    if len(widths) < 2:
        return True
    if all(a < b for a, b in pairwise(widths)) or all(a > b for a, b in pairwise(widths)):
        return True
    peak = widths.index(max(widths))
    return (
        0 < peak < len(widths) - 1
        and all(a < b for a, b in pairwise(widths[: peak + 1]))
        and all(a > b for a, b in pairwise(widths[peak:]))
    )


def lines_ok(lines: list[str], max_chars: float, keep: Iterable[str] = ()) -> bool:
    """Whether given lines fit, break only between words and form a 梯形 or 菱形."""
    title = "".join(lines)
    allowed = set(word_breaks(title, keep))
    cut = 0
    for line in lines[:-1]:
        cut += len(line)
        if cut not in allowed:
            return False
    widths = [cjk_width(x) for x in lines]
    return max(widths) <= max_chars and is_trapezoid_or_diamond(widths)


def _best(
    title: str, inner: list[int], k: int, limit: float, shaped: bool
) -> tuple[tuple[float, ...], list[str]] | None:
    best: tuple[tuple[float, ...], list[str]] | None = None
    for combo in combinations(inner, k - 1):
        bounds = [0, *combo, len(title)]
        lines = [title[a:b] for a, b in pairwise(bounds)]
        widths = [cjk_width(x) for x in lines]
        if max(widths) > limit:
            continue
        shape = is_trapezoid_or_diamond(widths)
        if shaped and not shape:
            continue
        weak = sum(x[-1] in _WEAK_END for x in lines[:-1])
        mean = sum(widths) / k
        spread = math.sqrt(sum((w - mean) ** 2 for w in widths) / k)
        # No line ending on 的/及 first, then even lines.
        score = (0.0 if shape else 1.0, float(weak), round(spread, 3))
        if best is None or score < best[0]:
            best = (score, lines)
    return best


def split_title(title: str, max_chars: float, keep: Iterable[str] = (), squeeze: float = 1) -> list[str]:
    """Break `title` into lines of at most `max_chars` 字 at word boundaries, shaped as 梯形 or 菱形.

    When no shape fits in the fewest lines or one more, one line may run `squeeze` 字 over `max_chars` (the
    renderer then tightens its character spacing, as 7.3.5.5 allows for the signature) before a shape is given
    up for the fewest lines.
    """
    if cjk_width(title) <= max_chars:
        return [title]
    inner = word_breaks(title, tuple(keep))
    n_min = math.ceil(cjk_width(title) / max_chars)
    for limit in (max_chars, max_chars + squeeze):
        for k in (n_min, n_min + 1):
            found = _best(title, inner, k, limit, shaped=True)
            if found is not None:
                return found[1]
    for k in range(n_min, n_min + 3):
        found = _best(title, inner, k, max_chars, shaped=False)
        if found is not None:
            return found[1]
    return [title]
