"""The change records against the superseded version, for `zhidu check` (W121), and finding that version."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from zhidu.diff.compare import compare
from zhidu.diff.model import RevisionDiff

if TYPE_CHECKING:
    from zhidu.diagnostics import Report
    from zhidu.model import Policy


def previous_version(policy: Policy) -> Policy | None:
    """The version `policy` supersedes, when it is a sibling folder of the same work; else None."""
    sup = policy.regulation.version.supersedes
    if not sup:
        return None
    return _load_sibling(Path(policy.root).parent.as_posix(), sup)


def forget_siblings() -> None:
    """Forget the superseded versions found so far: they are memoised by folder, and a watched folder changes."""
    _load_sibling.cache_clear()


@cache
def _load_sibling(work: str, version: str) -> Policy | None:
    from zhidu.diagnostics import Report
    from zhidu.load.policy import load_policy
    from zhidu.load.source import read_bytes

    folder = Path(work)
    if not folder.is_dir():
        return None
    for reg in sorted(folder.glob("*/regulation.yaml")):
        # A cheap look at version.id before a full load; the YAML is loaded properly below.
        raw = read_bytes(reg, Report()) or b""
        if (
            f'id: "{version}"'.encode() not in raw
            and f"id: {version}\n".encode() not in raw
            and f"id: '{version}'".encode() not in raw
        ):
            continue
        # Problems of the old version are reported when it is itself checked, not here.
        p = load_policy(reg.parent, Report())
        if p is not None and p.regulation.version.id == version:
            return p
    return None


def check_change_records(policy: Policy, previous: Policy, report: Report) -> RevisionDiff:
    """W121: in an issued version, every change against the superseded version needs a change record."""
    d = compare(previous, policy)
    if policy.regulation.version.status != "issued":
        return d
    by_id = {p.id: p for _path, p in policy.walk()}
    old_by_id = {p.id: p for _path, p in previous.walk()}
    reg_loc = (
        policy.regulation.loc_of("changes")
        if policy.regulation.changes
        else policy.regulation.loc_of("version")
    )
    for msg, ident in d.problems:
        report.warning("W121", msg, by_id[ident].loc_of("was") if ident in by_id else reg_loc)
    for ident in d.unrecorded:
        if ident in by_id:
            report.warning(
                "W121",
                f"条文“{ident}”与上一版本（{previous.regulation.version.id}）相比有修改，"
                f"但没有修订记录（changes）列出它",
                by_id[ident].loc_of("text"),
            )
        elif ident in old_by_id:
            report.warning("W121", f"上一版本的条文“{ident}”已删除，但没有修订记录（changes）列出它", reg_loc)
        elif any(g.old == ident for g in d.renames):
            g = next(g for g in d.renames if g.old == ident)
            report.warning(
                "W121", f"{g.label}（{len(g.ids)} 处条文），但没有 global_replace 修订记录", reg_loc
            )
        else:
            report.warning("W121", f"“{ident}”有修改，但没有修订记录（changes）", reg_loc)
    return d
