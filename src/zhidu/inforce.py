"""Which version of a regulation is in force on a day: point-in-time choice for `--as-of` and checklist periods.

A version is in force from its `effective.from` until the day before a later version of the same work takes
effect (supersession), or until its own `effective.to`. Drafts and versions whose start is still a placeholder
(undetermined-1) are never in force: a sheet for a week must not carry a version that week did not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from zhidu.diagnostics import Report
from zhidu.location import Location
from zhidu.model import Policy
from zhidu.numbering import cn_date
from zhidu.period import Period

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """The days one version is in force: [start, end], end None while nothing replaces it."""

    start: dt.date
    end: dt.date | None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _start(policy: Policy) -> dt.date | None:
    v = policy.regulation.version
    if v.status != "issued" or v.effective is None:
        return None
    s = v.effective.start
    return s if isinstance(s, dt.date) else None


def windows(policies: Sequence[Policy]) -> list[Window | None]:
    """Each policy's window of force (None: never in force), for versions of one work."""
    starts = [_start(p) for p in policies]
    out: list[Window | None] = []
    for p, s in zip(policies, starts, strict=True):
        if s is None:
            out.append(None)
            continue
        later = [x for x in starts if x is not None and x > s]
        end = min(later) - dt.timedelta(days=1) if later else None
        to = p.regulation.version.effective.to if p.regulation.version.effective else None
        if to is not None and (end is None or to < end):
            end = to
        out.append(Window(s, end))
    return out


def in_force(items: Sequence[T], policies: Sequence[Policy], day: dt.date) -> T | None:
    """The item whose policy (same position) is in force on `day`; the latest start wins a tie."""
    best: tuple[dt.date, T] | None = None
    for item, w in zip(items, windows(policies), strict=True):
        if w is not None and w.holds(day) and (best is None or w.start > best[0]):
            best = (w.start, item)
    return best[1] if best else None


def _where(policies: Sequence[Policy]) -> Location:
    """The earliest version's `effective.from`, where a too-early date is best explained."""
    dated = [p for p in policies if _start(p) is not None]
    first = min(dated, key=lambda p: _start(p) or dt.date.max) if dated else policies[0]
    v = first.regulation.version
    node = v.effective if v.effective is not None else v
    loc = node.loc_of("from")
    if loc.line <= 0:
        return Location(f"{first.root}/regulation.yaml")
    return loc


def _known(policies: Sequence[Policy]) -> str:
    parts = []
    for p, w in zip(policies, windows(policies), strict=True):
        vid = p.regulation.version.id
        parts.append(f"{vid} 自{cn_date(w.start)}起施行" if w else f"{vid} 未施行（草案或施行日期未定）")
    return "；".join(parts)


def choose_for_day(
    items: Sequence[T], policies: Sequence[Policy], day: dt.date, what: str, report: Report
) -> T | None:
    """The item in force on `day`, or None with a located error naming the versions there are."""
    found = in_force(items, policies, day)
    if found is None:
        work = policies[0].regulation.work
        report.error(
            "E020",
            f"{what}（{cn_date(day)}）没有施行中的“{work}”版本：{_known(policies)}",
            _where(policies),
        )
    return found


def assign_periods(
    items: Sequence[T], policies: Sequence[Policy], periods: Sequence[Period], report: Report
) -> dict[int, list[Period]]:
    """Periods by the index of the item in force on each period's first day; unplaceable periods are errors."""
    out: dict[int, list[Period]] = {}
    index = list(range(len(items)))
    for period in periods:
        i = choose_for_day(index, policies, period.start, f"检查表周期 {period.code} 的第一天", report)
        if i is not None:
            out.setdefault(i, []).append(period)
    return out
