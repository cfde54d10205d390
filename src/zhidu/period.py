"""Calendar periods for `--period`: 2024-W23 (ISO week), 2024-06, 2024-Q2, 2024-H1, 2024.

A checklist of one period kind is pre-filled from the period given on the command line: the same kind gets its
exact dates, a longer kind gets the period that contains the given one (a week by its Thursday, as ISO 8601
does), a shorter kind stays blank.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from zhidu.errors import UsageError

PeriodKind = Literal["week", "month", "quarter", "half_year", "year"]

#: Shortest first; the order checklists are planned in.
KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "half_year", "year")

#: How each kind is named on a checklist: 周检查表, 月检查表 …
KIND_LABELS: dict[str, str] = {
    "week": "周",
    "month": "月",
    "quarter": "季度",
    "half_year": "半年",
    "year": "年度",
}

_QUARTERS = "一二三四"

_FORMS = "2024-W23（ISO周）、2024-06（月）、2024-Q2（季度）、2024-H1（半年）或 2024（年）"

_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:W(?P<week>\d{1,2})|Q(?P<quarter>\d)|H(?P<half>\d)|(?P<month>\d{1,2})))?$"
)


@dataclass(frozen=True)
class Period:
    """A concrete calendar period: its kind and first and last day (inclusive)."""

    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        """The canonical command-line form: 2024-W23, 2024-06, 2024-Q2, 2024-H1, 2024."""
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            return f"{y}-W{w:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half_year":
            return f"{self.start.year}-H{1 if self.start.month <= 6 else 2}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """How the period is named in print: 2024年第23周, 2024年6月, 2024年第二季度, 2024年上半年, 2024年."""
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            return f"{y}年第{w}周"
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{_QUARTERS[(self.start.month - 1) // 3]}季度"
        if self.kind == "half_year":
            return f"{self.start.year}年{'上' if self.start.month <= 6 else '下'}半年"
        return f"{self.start.year}年"

    @property
    def range_text(self) -> str:
        """2024年6月3日—6月9日; the year repeats only when it differs (2020年12月28日—2021年1月3日)."""
        s, e = self.start, self.end
        head = f"{s.year}年{s.month}月{s.day}日"
        tail = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{head}—{tail}"


def _bad(value: str, why: str) -> UsageError:
    return UsageError(f"--period “{value}” 无效：{why}；应为 {_FORMS}")


def containing(kind: PeriodKind, day: dt.date) -> Period:
    """The period of `kind` that contains `day`."""
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Period("week", start, start + dt.timedelta(days=6))
    if kind == "month":
        first = day.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return Period("month", first, nxt - dt.timedelta(days=1))
    if kind == "quarter":
        m = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, m, 1)
        return Period("quarter", start, containing("month", dt.date(day.year, m + 2, 1)).end)
    if kind == "half_year":
        if day.month <= 6:
            return Period("half_year", dt.date(day.year, 1, 1), dt.date(day.year, 6, 30))
        return Period("half_year", dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))
    return Period("year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def parse_period(value: str) -> Period:
    """Parse a --period value; raise UsageError with a Chinese message saying what is wrong."""
    text = value.strip().upper()
    m = _RE.match(text)
    if not m:
        raise _bad(value, "格式不可识别")
    year = int(m["year"])
    if year < 1900:
        raise _bad(value, "年份应不早于1900年")
    if m["week"] is not None:
        week = int(m["week"])
        try:
            start = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            weeks = dt.date(year, 12, 28).isocalendar()[1]
            raise _bad(value, f"{year}年共有{weeks}个ISO周，周序号应为1—{weeks}") from None
        return Period("week", start, start + dt.timedelta(days=6))
    if m["quarter"] is not None:
        q = int(m["quarter"])
        if not 1 <= q <= 4:
            raise _bad(value, "季度应为Q1—Q4")
        return containing("quarter", dt.date(year, 3 * q - 2, 1))
    if m["half"] is not None:
        h = int(m["half"])
        if h not in (1, 2):
            raise _bad(value, "半年应为H1或H2")
        return containing("half_year", dt.date(year, 1 if h == 1 else 7, 1))
    if m["month"] is not None:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise _bad(value, "月份应为01—12")
        return containing("month", dt.date(year, month, 1))
    return containing("year", dt.date(year, 1, 1))


#: At most this many periods in one build: a typo such as 2024-W01..2034-W01 should not plan ten years of sheets.
MAX_PERIODS = 1000


def parse_as_of(value: str) -> dt.date:
    """Parse an --as-of date (YYYY-MM-DD); raise UsageError in Chinese otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--as-of “{value}” 无效：应为日期，如 2024-08-01") from None


def _next(p: Period) -> Period:
    """The period of the same kind right after `p`."""
    return containing(p.kind, p.end + dt.timedelta(days=1))


def parse_periods(value: str) -> tuple[Period, ...]:
    """Parse `2024-06,2024-07` and ranges `2024-W23..2024-W35` into distinct periods, in the order given."""
    out: list[Period] = []
    for part in (x.strip() for x in value.split(",")):
        if not part:
            raise _bad(value, "逗号之间缺少周期")
        if ".." not in part:
            out.append(parse_period(part))
            continue
        first_text, _, last_text = part.partition("..")
        first, last = parse_period(first_text), parse_period(last_text)
        if first.kind != last.kind:
            raise _bad(part, "范围两端应为同一种周期（如 2024-W23..2024-W35）")
        if last.start < first.start:
            raise _bad(part, "范围的结束早于开始")
        p = first
        while p.start <= last.start:
            out.append(p)
            if len(out) > MAX_PERIODS:
                raise _bad(value, f"一次最多生成{MAX_PERIODS}个周期")
            p = _next(p)
    if len(out) > MAX_PERIODS:
        raise _bad(value, f"一次最多生成{MAX_PERIODS}个周期")
    return tuple(dict.fromkeys(out))


def subperiods(period: Period, kind: PeriodKind) -> tuple[Period, ...]:
    """The `kind` periods that make up `period`: ISO weeks by their Thursday (as ISO 8601 dates a week), months."""
    out: list[Period] = []
    if kind == "week":
        # The first week whose Thursday falls on or after the period's first day.
        thursday = period.start + dt.timedelta(days=(3 - period.start.weekday()) % 7)
        while thursday <= period.end:
            out.append(containing("week", thursday))
            thursday += dt.timedelta(days=7)
        return tuple(out)
    p = containing(kind, period.start)
    while p.start <= period.end:
        out.append(p)
        p = _next(p)
    return tuple(out)


def for_kind(given: Period, kind: PeriodKind) -> Period | None:
    """The `kind` period to pre-fill from `given`: itself, a longer one containing it, or None if shorter."""
    if KINDS.index(kind) < KINDS.index(given.kind):
        # A weekly sheet cannot be dated from "2024-06" alone: which week is for the hand to write.
        return None
    if given.kind == "week" and kind != "week":
        # ISO 8601: a week belongs to the month and year of its Thursday (2025-W01 starts 2024-12-30).
        return containing(kind, given.start + dt.timedelta(days=3))
    return containing(kind, given.start)
