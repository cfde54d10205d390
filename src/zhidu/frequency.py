"""Chinese frequency wording ↔ normalised value, both directions."""

from __future__ import annotations

import re

from msgspec import Struct

from zhidu.numbering import numeral_value

PERIOD_WORDS: dict[str, str] = {
    "周": "week",
    "星期": "week",
    "月": "month",
    "季度": "quarter",
    "季": "quarter",
    "半年": "half_year",
    "年": "year",
}
PERIOD_NAMES: dict[str, str] = {
    "week": "每周",
    "month": "每月",
    "quarter": "每季度",
    "half_year": "每半年",
    "year": "每年",
}
#: Days per period, to compare frequencies across levels.
PERIOD_DAYS: dict[str, float] = {
    "week": 7,
    "month": 30.4,
    "quarter": 91.3,
    "half_year": 182.6,
    "year": 365.25,
}

# 每月至少1次 / 每季度不少于2次 / 每月组织召开1次 / 每周 / 每半年
_PERIODIC = re.compile(
    r"每(?P<per>周|星期|月|季度|季|半年|年)(?![度末底初])"
    r"(?:[^，。；、,;]{0,16}?(?P<q>至少|不少于|不低于)?(?P<n>\d+|[一两二三四五六七八九十])次)?"
)
_YEARLY = re.compile(r"年度")
_DAILY = re.compile(r"每(?:日|天)")
_EVENTS = re.compile(r"(重大节日|重要节日|重要节假日|节假日|重要时期|关键时段|重大活动|汛期前?|重大时间节点)")
#: An event word with what qualifies it in the wording: 重大节假日前, 重大活动期间, 汛期前后.
EVENT_PHRASE = r"(?:重大|重要|法定)?{word}(?:前后|前|期间|后)?"
_OCCURRENCE = re.compile(
    r"(应立即|立即报告|发生[^，。；]{0,12}?时|[^，。；]{0,6}发生后|发现[^，。；]{0,20}?(?:应)?立即|当[^，。；]{0,10}发生时)"
)


class Stated(Struct, frozen=True):
    """A frequency as found in wording."""

    per: str | None
    min: int | None
    events: tuple[str, ...]
    on_occurrence: bool
    daily: bool
    span: tuple[int, int] | None
    #: Stated only by an adjective such as 年度 (年度工作计划): yearly, but not worded as a frequency, so the
    #: "frequency with no annotation" rule leaves it alone.
    weak: bool = False

    @property
    def any(self) -> bool:
        return bool(self.per or self.events or self.on_occurrence or self.daily)


def _count(s: str | None) -> int | None:
    if not s:
        return None
    return numeral_value(s) or None


def parse(text: str) -> Stated:
    """What frequency a piece of wording states (the first periodic phrase wins)."""
    m = _PERIODIC.search(text)
    per = PERIOD_WORDS[m["per"]] if m else None
    n = _count(m["n"]) if m else None
    weak = _YEARLY.search(text) if m is None else None
    if weak:
        per = "year"
    events = tuple(dict.fromkeys(e for e in _EVENTS.findall(text)))
    occ = bool(_OCCURRENCE.search(text))
    daily = _DAILY.search(text)
    return Stated(
        per=per,
        min=(n or 1) if per else None,
        events=events,
        on_occurrence=occ,
        daily=daily is not None,
        span=m.span() if m else (weak.span() if weak else (daily.span() if daily else None)),
        weak=weak is not None,
    )


def wording(
    per: str | None,
    min_count: int | None,
    events: list[str] | tuple[str, ...] = (),
    on_occurrence: bool = False,
) -> str:
    """Generate canonical wording from a normalised value: month, 1 → 每月至少1次."""
    parts: list[str] = []
    if per:
        base = PERIOD_NAMES[per]
        parts.append(f"{base}至少{min_count}次" if min_count else base)
    if events:
        parts.append("在" + "、".join(events) + "期间")
    if on_occurrence:
        parts.append("发生时")
    return "；".join(parts)


def badge(
    per: str | None,
    min_count: int | None,
    events: list[str] | tuple[str, ...] = (),
    on_occurrence: bool = False,
) -> str:
    """A short label for cards and checklists: 每月≥1次, 每周, 重大节日、重要时期, 随时."""
    parts: list[str] = []
    if per:
        base = PERIOD_NAMES[per]
        # "每周" reads naturally for once a week; longer periods show the count (每月≥1次).
        show_count = bool(min_count) and (per != "week" or (min_count or 0) > 1)
        parts.append(f"{base}≥{min_count}次" if show_count else base)
    if events:
        parts.append("、".join(events))
    if on_occurrence:
        parts.append("事发即办")
    return "；".join(parts) or "常态"


def days_between(per: str, min_count: int | None) -> float:
    """Average days between two occurrences, for comparing demands across levels."""
    return PERIOD_DAYS[per] / (min_count or 1)
