"""Chinese numerals and dates, both ways; numbering schemes as data; display numbers and citations from position.

The one home of the numeral tables: the importer, frequency wording and every view use these functions.
Two schemes: the outline scheme of 意见/通知 (一、 → （一） → 1. → （1）) and the statute scheme of 规定/办法
(第X章 → 第X节 → 第X条 → 款 → （一）项 → 1.目), each with an unambiguous citation form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

_DIGITS = "零一二三四五六七八九"
#: Digit values as written in documents: 〇 and the letter O (a common typing slip in 二OO九年) are zero.
DIGIT_VALUES: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "O": 0,
    "o": 0,
    "Ｏ": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
#: Characters a Chinese numeral may be written with (for building patterns).
NUMERAL_CHARS = "〇零一二两三四五六七八九十百"


def numeral_value(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 两 → 2; Arabic digits pass through; unknown characters count 0."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = DIGIT_VALUES.get(ch, 0)
    return total + cur


def year_value(s: str) -> int:
    """A year as written: 2024, 二〇二四, 二OO九 (digit by digit) → int."""
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in DIGIT_VALUES for c in s):
        return int("".join(str(DIGIT_VALUES[c]) for c in s))
    return numeral_value(s)


#: How a value not known yet is printed: never as if it were a value.
PLACEHOLDER_TEXT = "【待定】"


def cn_date(d: dt.date | str | None) -> str:
    """2024-06-03 → 2024年6月3日 (GB/T 9704 7.3.5.4: no leading zeros); a placeholder prints as 【待定】."""
    if d is None:
        return ""
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d) if len(d) == 10 else None
        except ValueError:
            d = None
        if d is None:
            return PLACEHOLDER_TEXT
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        tens = chinese_numeral(rest)
        return head + ("一" + tens if rest < 20 else tens)
    raise ValueError(f"numbering beyond 999 is not supported: {n}")


# ------------------------------------------------------------------------------------ numbering schemes

#: How each kind of level prints its number; {cn} is the Chinese numeral, {n} the Arabic one.
LEVEL_FORMS: dict[str, str] = {
    "cn": "{cn}、",
    "pcn": "（{cn}）",
    "arabic": "{n}.",
    "parg": "（{n}）",
    "chapter": "第{cn}章",
    "section": "第{cn}节",
    "article": "第{cn}条",
    "item": "（{cn}）",
    "subitem": "{n}.",
}
#: How each kind of level is cited in the scheme's own (unambiguous) citation form.
CITE_FORMS: dict[str, str] = {
    "cn": "第{cn}部分",
    "pcn": "第（{cn}）项",
    "arabic": "第{n}目",
    "parg": "第（{n}）点",
    "chapter": "第{cn}章",
    "section": "第{cn}节",
    "article": "第{cn}条",
    "item": "第（{cn}）项",
    "subitem": "第{n}目",
}
#: Levels numbered through the whole regulation rather than among siblings (第X条 runs across chapters).
CONTINUOUS = frozenset({"article"})
#: Levels a citation leaves out because a lower level is already unique (a 第X条 needs no 第X章).
_CITE_SKIP = frozenset({"chapter", "section"})

SchemeName = str
#: Citation styles: "position" is the scheme's own form (第二部分第（一）项, 第五条第（一）项); "number" strings
#: the printed numbers (二（一）1.); "chapter" also names the chapter of a statute (第二章第五条).
CITATION_STYLES = ("position", "number", "chapter")


@dataclass(frozen=True)
class Scheme:
    """A numbering scheme: the kind of number at each depth and how provisions are cited."""

    name: SchemeName
    levels: tuple[str, ...]
    citation: str = "position"

    @property
    def depth_limit(self) -> int:
        return len(self.levels)

    def label(self) -> str:
        """The scheme as a clerk reads it: 一、（一）1.（1） or 第一章 → 第一条 → （一） → 1."""
        forms = [self.form(d, 1) for d in range(len(self.levels))]
        return "".join(forms) if self.name == "outline" else " → ".join(forms)

    def form(self, depth: int, value: int) -> str:
        """The printed number of a provision at `depth` whose number is `value`."""
        if depth >= len(self.levels):
            raise ValueError(
                f"the {self.name} scheme nests at most {len(self.levels)} levels, got {depth + 1}"
            )
        return LEVEL_FORMS[self.levels[depth]].format(cn=chinese_numeral(value), n=value)


OUTLINE = Scheme("outline", ("cn", "pcn", "arabic", "parg"))
STATUTE = Scheme("statute", ("article", "item", "subitem"))


def scheme(
    name: str = "outline", chapters: bool = False, sections: bool = False, cite: str = "position"
) -> Scheme:
    """The scheme a regulation declares: outline (一、（一）1.（1）) or statute (第X章/第X节 → 第X条 → （一） → 1.)."""
    if name == "statute":
        head: tuple[str, ...] = ("chapter",) if chapters else ()
        head += ("section",) if sections else ()
        return Scheme("statute", (*head, *STATUTE.levels), cite)
    if name == "outline":
        return Scheme("outline", OUTLINE.levels, cite)
    raise ValueError(f"unknown numbering scheme: {name}")


class _Tree(Protocol):
    @property
    def children(self) -> Sequence[_Tree]: ...

    @property
    def source_number(self) -> str | None: ...


def _is_section(node: _Tree) -> bool:
    src = node.source_number
    return bool(src) and re.fullmatch(r"第[〇零一二两三四五六七八九十百\d]+节", src or "") is not None


class Numbers:
    """Printed numbers and citations of every provision of one tree under one scheme, by index path.

    In a statute with sections, chapters without 第X节 hold their articles directly (总则 usually does): a
    chapter is divided into sections when a child's recorded source number is a 第X节, or, when no child
    records one, as the scheme declares.
    """

    def __init__(self, sch: Scheme, roots: Sequence[_Tree]) -> None:
        self.scheme = sch
        self.values: dict[tuple[int, ...], int] = {}
        self.kinds: dict[tuple[int, ...], str] = {}
        counters: dict[str, int] = {}

        def rec(nodes: Sequence[_Tree], prefix: tuple[int, ...], levels: tuple[str, ...]) -> None:
            for i, node in enumerate(nodes):
                path = (*prefix, i)
                kind = levels[0] if levels else ""
                below = levels[1:]
                if kind == "chapter" and below[:1] == ("section",):
                    recorded = [c.source_number for c in node.children if c.source_number]
                    if recorded and not any(_is_section(c) for c in node.children):
                        below = below[1:]
                self.kinds[path] = kind
                if kind in CONTINUOUS:
                    counters[kind] = counters.get(kind, 0) + 1
                    self.values[path] = counters[kind]
                else:
                    self.values[path] = i + 1
                rec(node.children, path, below)

        rec(roots, (), sch.levels)

    def depth_ok(self, path: tuple[int, ...]) -> bool:
        """True when the scheme has a level for this provision."""
        return bool(self.kinds.get(path))

    def number(self, path: tuple[int, ...]) -> str:
        """The number printed before the provision at `path`, generated from position."""
        kind = self.kinds[path]
        if not kind:
            raise ValueError(f"the {self.scheme.name} scheme has no level for provision {path}")
        v = self.values[path]
        return LEVEL_FORMS[kind].format(cn=chinese_numeral(v), n=v)

    def citation(self, path: tuple[int, ...]) -> str:
        """How the provision at `path` is cited, in the scheme's citation style."""
        return "".join(self.citation_parts(path))

    def citation_parts(self, path: tuple[int, ...]) -> tuple[str, ...]:
        """The citation cut at its level boundaries (第四条 / 第（二）项 / 第1目): where a table line may break."""
        sch = self.scheme
        prefixes = [path[: k + 1] for k in range(len(path))]
        if sch.citation == "number":
            # Printed numbers strung together, the 、 of 一、 dropped: 二（一）1.
            return tuple(self.number(p).rstrip("、") for p in prefixes)
        parts: list[str] = []
        for p in prefixes:
            kind = self.kinds[p]
            if kind in _CITE_SKIP and not (sch.citation == "chapter" and kind == "chapter"):
                continue
            v = self.values[p]
            parts.append(CITE_FORMS[kind].format(cn=chinese_numeral(v), n=v))
        if not parts:
            # A chapter or a section cited itself: 第二章, 第一节.
            v = self.values[path]
            return (CITE_FORMS[self.kinds[path]].format(cn=chinese_numeral(v), n=v),)
        return tuple(parts)


# ------------------------------------------------------------------------------- source numbers as read

_NUM = "〇零一二两三四五六七八九十百"
_SOURCE_NUMBER = re.compile(
    rf"^(?:第(?P<unit_n>[{_NUM}\d]+)(?P<unit>[章节条])"
    rf"|(?P<cn>[{_NUM}]+)(?P<cn_sep>[、.．,，])"
    rf"|(?P<pcn_o>[（(])(?P<pcn>[{_NUM}]+)(?P<pcn_c>[）)])"
    r"|(?P<ar>\d+)(?P<ar_sep>[.．、,，])"
    r"|(?P<par_o>[（(])(?P<par>\d+)(?P<par_c>[）)]))$"
)
#: The level kinds a printed shape can stand for (（一） is a 项 in a statute and a second level in an outline).
_SHAPE_KINDS: dict[str, frozenset[str]] = {
    "章": frozenset({"chapter"}),
    "节": frozenset({"section"}),
    "条": frozenset({"article"}),
    "cn": frozenset({"cn"}),
    "pcn": frozenset({"pcn", "item"}),
    "ar": frozenset({"arabic", "subitem"}),
    "par": frozenset({"parg"}),
}


@dataclass(frozen=True)
class SourceNumber:
    """A number as printed in a source: its shape, its value and what is off about how it is written."""

    shape: str
    value: int
    kinds: frozenset[str]
    #: The separator or brackets as written, when they differ from the canonical form.
    half_width: bool = False
    separator: str = ""


def read_number(s: str) -> SourceNumber | None:
    """第三条 → article 3; (一) → （一） 1 written half-width; 1、 → 1. with separator 、; None if not a number."""
    m = _SOURCE_NUMBER.match(re.sub(r"\s+", "", s))
    if m is None:
        return None
    if m["unit"]:
        return SourceNumber(m["unit"], numeral_value(m["unit_n"]), _SHAPE_KINDS[m["unit"]])
    if m["cn"]:
        sep = m["cn_sep"]
        return SourceNumber(
            "cn", numeral_value(m["cn"]), _SHAPE_KINDS["cn"], separator="" if sep == "、" else sep
        )
    if m["pcn"]:
        half = m["pcn_o"] == "(" or m["pcn_c"] == ")"
        return SourceNumber("pcn", numeral_value(m["pcn"]), _SHAPE_KINDS["pcn"], half_width=half)
    if m["ar"]:
        sep = m["ar_sep"]
        return SourceNumber("ar", int(m["ar"]), _SHAPE_KINDS["ar"], separator="" if sep in ".．" else sep)
    half = m["par_o"] == "(" or m["par_c"] == ")"
    return SourceNumber("par", int(m["par"]), _SHAPE_KINDS["par"], half_width=half)
