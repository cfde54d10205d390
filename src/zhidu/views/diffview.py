"""The diff product: the 修订对照表 between a version and the one it supersedes."""

from __future__ import annotations

from msgspec import Struct

from zhidu.diff import GlobalRename, MetaChange, RevisionDiff, Row, Side, compare
from zhidu.model import Policy
from zhidu.views.base import PlanOptions, View, make_stamp, product

#: zhidu's own column titles (docs/domain.md §8); not a fixed convention, so callers may pass others.
DEFAULT_COLUMNS: tuple[str, str, str] = ("原条文", "修订后条文", "修订说明")


class DiffView(Struct, frozen=True):
    """Everything the 修订对照表 templates and the docx builder print."""

    title: str
    subtitle: str
    columns: tuple[str, str, str]
    old: Side
    new: Side
    #: Lines before the table: what is compared and what is summarised instead of listed.
    intro: tuple[str, ...]
    meta: tuple[MetaChange, ...]
    renames: tuple[GlobalRename, ...]
    rows: tuple[Row, ...]
    diff: RevisionDiff

    @property
    def empty(self) -> bool:
        return not (self.renames or self.rows)


def build_diff_view(old: Policy, new: Policy, columns: tuple[str, str, str] = DEFAULT_COLUMNS) -> DiffView:
    """The 修订对照表 of `new` against `old`."""
    d = compare(old, new)
    intro = (f"本表对照原制度（{d.old.label}）与修订后的制度（{d.new.label}）。", *d.summary)
    return DiffView(
        title=f"{new.regulation.title}修订对照表",
        subtitle=f"{d.old.version} 版 → {d.new.version} 版",
        columns=columns,
        old=d.old,
        new=d.new,
        intro=intro,
        meta=d.meta,
        renames=d.renames,
        rows=d.rows,
        diff=d,
    )


def diff_view(old: Policy, new: Policy, columns: tuple[str, str, str] = DEFAULT_COLUMNS) -> View[DiffView]:
    """The 修订对照表 as a printable view (revision-table.*), stamped with the new version."""
    data = build_diff_view(old, new, columns)
    return View("diff", "revision-table", data.title, make_stamp(new), data)


@product("diff")
def plan_diff(policy: Policy, options: PlanOptions) -> list[View[DiffView]]:
    """One 修订对照表 when the superseded version is at hand; none otherwise."""
    if options.previous is None:
        return []
    return [diff_view(options.previous, policy)]
