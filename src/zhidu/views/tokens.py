"""Unbreakable tokens for tables: citations by level, collapsed ranges, badge pieces and numbers.

A narrow table cell may break a line after 条, 项 or 目 or between items, never inside one: "第（十一）项",
"第2—9目", "每季度≥1次" and "24小时" stay whole. Views hand renderers tuples of tokens; the docx renderer
joins each token's characters with WORD JOINER (U+2060), which LibreOffice and Word honour, and the HTML
templates wrap each token in a nowrap span. Citations are cut by the policy's numbering scheme, never re-parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from zhidu.numbering import NUMERAL_CHARS

if TYPE_CHECKING:
    from zhidu.model import Policy

#: U+2060 WORD JOINER: zero width, forbids a line break on either side.
WJ = "\u2060"

#: One level of a citation (numbering.Numbers.citation_parts).
Tokens = tuple[str, ...]

_NUMERIC = set(NUMERAL_CHARS) | set("0123456789")
#: In running text: digits with their unit (24小时, 10个, ≥1次), and bracketed titles up to 16 characters.
_KEEP_RE = re.compile(r"[≥≤]?\d+(?:[.．]\d+)?(?:小时|个|次|日|天|年|月|周|分|人|%|％)?|《[^《》]{1,16}》")


def citation_tokens(policy: Policy, path: tuple[int, ...], compact: bool = False) -> Tokens:
    """The citation of `path` in the policy's scheme, one token per level: where a line may break.

    Statute (3, 1, 0) → ("第四条", "第（二）项", "第1目"); outline → ("第四部分", "第（二）项", "第1目"), or with
    `compact` (a narrow table column) its printed numbers ("四", "（二）", "1.").
    """
    return policy.cite_parts(path, compact)


def _numeric_core(part: str) -> tuple[str, str, str]:
    """Split a level token into its fixed head, numeral and fixed tail: 第（十一）项 → 第（ / 十一 / ）项."""
    i = 0
    while i < len(part) and part[i] not in _NUMERIC:
        i += 1
    j = len(part)
    while j > i and part[j - 1] not in _NUMERIC:
        j -= 1
    return part[:i], part[i:j], part[j:]


def _range_token(first: str, last: str) -> str:
    """第2目 + 第9目 → 第2—9目; 第（二）项 + 第（四）项 → 第（二）至（四）项; 第五条 + 第七条 → 第五条至第七条."""
    h1, n1, t1 = _numeric_core(first)
    _h2, n2, _t2 = _numeric_core(last)
    if t1.startswith("）"):
        return f"{h1}{n1}）至（{n2}{t1}"
    if t1 == ".":
        # A compact outline citation (八（四）2.): the range reads 2—9, a trailing point after it would dangle.
        return f"{h1}{n1}—{n2}"
    if n1 and not n1.isdigit():
        # Chinese numerals: a dash between 五 and 七 reads as one number; the legal form names both ends.
        return f"{first}至{last}"
    return f"{h1}{n1}—{n2}{t1}"


def collapse(policy: Policy, paths: Iterable[tuple[int, ...]], compact: bool = False) -> list[Tokens]:
    """Citations of `paths`, consecutive siblings collapsed (see `collapse_paths`)."""
    return [tokens for tokens, _first in collapse_paths(policy, paths, compact)]


def collapse_paths(
    policy: Policy, paths: Iterable[tuple[int, ...]], compact: bool = False
) -> list[tuple[Tokens, tuple[int, ...]]]:
    """Citations of `paths` with runs of three or more consecutive siblings collapsed into one range.

    [第八部分第（四）项第2目, …第3目, …, …第9目] → [("第八部分", "第（四）项", "第2—9目")], each with the path of
    its first provision (where a link goes). Two neighbours stay two citations: "第2—3目" reads worse than the
    pair. Order is kept; duplicates are dropped.
    """
    seen: list[tuple[int, ...]] = []
    for p in paths:
        if p not in seen:
            seen.append(p)
    out: list[tuple[Tokens, tuple[int, ...]]] = []
    i = 0
    while i < len(seen):
        j = i
        while (
            j + 1 < len(seen)
            and seen[j + 1][:-1] == seen[i][:-1]
            and len(seen[j + 1]) == len(seen[i])
            and seen[j + 1][-1] == seen[j][-1] + 1
        ):
            j += 1
        first = citation_tokens(policy, seen[i], compact)
        if j - i >= 2:
            last = citation_tokens(policy, seen[j], compact)
            out.append(((*first[:-1], _range_token(first[-1], last[-1])), seen[i]))
        else:
            out.extend((citation_tokens(policy, p, compact), p) for p in seen[i : j + 1])
        i = j + 1
    return out


def badge_tokens(badge: str) -> Tokens:
    """每月≥1次；重大节日、重要时期 → ("每月≥1次", "重大节日", "重要时期"): pieces a badge may wrap between."""
    return tuple(x for x in re.split(r"[；、]", badge) if x)


def nobreak(token: str) -> str:
    """The token with a WORD JOINER between every two characters (for docx)."""
    return WJ.join(token)


def join_tokens(tokens: Sequence[str], sep: str = "") -> str:
    """Tokens joined by `sep`, each unbreakable (for docx)."""
    return sep.join(nobreak(t) for t in tokens)


def keep_numbers(text: str) -> str:
    """Running text with numbers and their units, and short 《》 titles, made unbreakable (for docx)."""
    return _KEEP_RE.sub(lambda m: nobreak(m.group()), text)


def plain(tokens: Sequence[str]) -> str:
    """Tokens as plain text (for markdown, messages and tests)."""
    return "".join(tokens)
