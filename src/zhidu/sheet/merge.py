"""A workbook's edits → the regulation's YAML, by stable id, through a ruamel round trip.

Three versions of every row are compared: what the export recorded (the base), what the sheet holds now, and
what the YAML renders to now. A cell that differs from the base was edited in the sheet; if the YAML changed
the same cell since the export too, that is a conflict, reported and never overwritten. Rows without an id are
new duties, placed where they sit; rows missing from the sheet are deletions. `plan_merge` writes nothing: its
result is the new text of regulation.yaml, already loaded and validated, for the command to show; `apply_plan`
writes it (a backup, then an atomic replace; or a whole new version folder renamed into place).
Checking the rows lives in `edits`, editing the YAML in `rewrite`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhidu.diagnostics import Issue, Report
from zhidu.location import Location
from zhidu.model import Policy
from zhidu.render.xlsx.cells import duty_cells
from zhidu.sheet.edits import collect, deletions, document_order, shuffled
from zhidu.sheet.read import Book, sheet_loc
from zhidu.sheet.rewrite import rewrite


@dataclass
class MergePlan:
    """What a merge would do: the new regulation.yaml text and the policies before and after."""

    folder: Path
    old: Policy
    new: Policy | None
    text: str | None
    changed: bool
    #: One line per change, for the summary under the diff.
    summary: list[str] = field(default_factory=list)
    #: The version folder that will be written (a new sibling with --as-version).
    target: Path | None = None
    new_version: str | None = None


def next_version(version: str) -> str:
    """2024.2 → 2024.3; anything else gets .1 appended."""
    m = re.fullmatch(r"(.*?)(\d+)", version)
    return f"{m[1]}{int(m[2]) + 1}" if m else f"{version}.1"


def plan_merge(
    book: Book, folder: Path, report: Report, as_version: str | None = None, keep_order: bool = False
) -> MergePlan | None:
    """Compare the sheet with the version in `folder`; None when something cannot be placed (see `report`).

    `keep_order` ignores the order of the rows (a sheet sorted or filtered by 岗位): duties stay where they are,
    new rows still go after the row above them.
    """
    from zhidu.load.policy import load_policy

    before = len(report.errors)
    policy = load_policy(folder, report)
    if policy is None:
        report.error(
            "X331", "制度源文件有错误，无法合并；请先运行 zhidu check 修正", Location(folder.as_posix())
        )
        return None
    table = book.duties
    if table is None:
        report.error("X302", "工作簿中没有“责任清单”工作表", Location(book.path))
        return None
    reg = policy.regulation
    if book.meta:
        if book.meta.get("work") != reg.work:
            report.error(
                "X332",
                f"工作簿导出自制度“{book.meta.get('work')}”，与 {folder.as_posix()} 的制度“{reg.work}”不同",
                Location(book.path),
            )
            return None
        if book.meta.get("version") != reg.version.id:
            report.warning(
                "X333",
                f"工作簿导出自 {book.meta.get('version')} 版，现合并到 {reg.version.id} 版；按 id 对照",
                Location(book.path),
            )
    else:
        report.warning(
            "X334",
            "工作簿没有导出记录（不是 zhidu export 生成的）：无法检测冲突，按当前 YAML 对照",
            Location(book.path),
        )
    if "id" not in table.headers:
        report.error(
            "X305",
            "缺少隐藏的 id 列：无法按 id 对照，请使用 zhidu export 导出的工作簿",
            sheet_loc(book.path, table.name, 1, 1),
        )
        return None
    current = {c.id: c for c in duty_cells(policy)}
    base: dict[str, dict[str, str]] = book.base if book.meta else {i: vars(c) for i, c in current.items()}
    edits = collect(policy, table.rows, current, base, report)
    position = {c.id: i for i, c in enumerate(current.values())}
    if keep_order:
        edits = document_order(edits, position)
    elif shuffled(edits, position):
        report.warning(
            "X336",
            "表格中多数行的顺序与制度不同（是否按某列排序过？）：将按表格顺序调整条文；如只是排序，请加 --keep-order",
            Location(book.path),
        )
    deleted = deletions(table.rows, current, base, book, report)
    if len(report.errors) > before:
        return None
    changed = bool(deleted) or any(e.duty_id is None or e.changed for e in edits)
    if not changed:
        return MergePlan(folder, policy, policy, None, False)
    if reg.version.status == "issued" and as_version is None:
        report.error(
            "X330",
            f"{reg.version.id} 版已印发，不能直接修改；请加 --as-version {next_version(reg.version.id)} "
            "另建草案版本（原版本保持不变）",
            Location(book.path),
        )
        return None
    summary: list[str] = []
    text = rewrite(policy, folder, edits, deleted, summary, report, as_version)
    if text is None or len(report.errors) > before:
        return None
    target = folder.parent / as_version if as_version else folder
    new = _load_merged(folder, text, target, report)
    if new is None:
        return None
    return MergePlan(folder, policy, new, text, True, summary, target, as_version)


# ------------------------------------------------------------------------------------------- checking the result


def _load_merged(folder: Path, text: str, target: Path, report: Report) -> Policy | None:
    """Load the merged version from a temporary copy; its problems are reported against the real path."""
    from zhidu.load.policy import load_policy
    from zhidu.load.source import version_files

    with tempfile.TemporaryDirectory(prefix="zhidu-merge-") as tmp:
        work = Path(tmp) / folder.parent.name
        copy = work / target.name
        copy.mkdir(parents=True)
        for f in version_files(folder):
            dest = copy / f.name if f.parent == folder else work / f.name
            shutil.copyfile(f, dest)
        (copy / "regulation.yaml").write_text(text, encoding="utf-8")
        mine = Report()
        new = load_policy(copy, mine)
        prefix = copy.as_posix()
        for i in mine.issues:
            shown = i.loc.path.replace(prefix, target.as_posix())
            report.issues.append(
                Issue(i.severity, i.code, f"合并结果无效：{i.message}", replace(i.loc, path=shown))
            )
        if new is None:
            return None
        return replace(new, root=target.as_posix())


# ------------------------------------------------------------------------------------------- writing


def apply_plan(plan: MergePlan) -> str:
    """Write a changed plan: regulation.yaml (backup first, atomic replace) or a new version folder; says what."""
    from zhidu.atomic import TMP_PREFIX, atomic_write
    from zhidu.diagnostics import Report
    from zhidu.errors import OutputError
    from zhidu.fmt import BACKUP_SUFFIX
    from zhidu.load.source import read_bytes

    if plan.text is None:
        raise ValueError("apply_plan needs a plan with changes")
    folder = plan.folder
    data = plan.text.encode("utf-8")
    reg = folder / "regulation.yaml"
    if plan.new_version and plan.target is not None:
        # A whole new version folder, assembled aside and renamed into place: all of it or none.
        target = plan.target
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=folder.parent))
        try:
            for f in sorted(folder.glob("*.yaml")):
                if f.name == "regulation.yaml":
                    atomic_write(tmp / f.name, data)
                    continue
                # Through the source reader: a regular file inside the work, size-bounded, never a link out.
                copied = read_bytes(f, Report(), within=folder.parent)
                if copied is None:
                    raise OutputError(f"无法复制 {f.as_posix()}：不是工作目录内的普通文件或无法读取")
                atomic_write(tmp / f.name, copied)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return f"已写入新草案版本 {target.as_posix()}（原版本 {folder.as_posix()} 未改动）"
    raw = reg.read_bytes()
    mode = reg.stat().st_mode & 0o7777
    atomic_write(reg.with_name(reg.name + BACKUP_SUFFIX), raw, mode=mode)
    atomic_write(reg, data, mode=mode)
    return f"已写入 {reg.as_posix()}（原文件备份为 {reg.name}{BACKUP_SUFFIX}）"
