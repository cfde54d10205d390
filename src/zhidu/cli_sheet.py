"""`zhidu export`, `zhidu merge` and `zhidu new --from`: the 责任清单 as a spreadsheet, on the command line.

Only the standard library is imported at module level (`zhidu --help` stays fast); the library lives in
`zhidu.sheet`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhidu.diagnostics import Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_command(sub: Any) -> None:
    """Register `export`, `merge` and `new`."""
    e = sub.add_parser(
        "export",
        help="把责任清单导出为电子表格（.xlsx），供 WPS/Excel 编辑后 zhidu merge 合并",
        description="每个版本导出一个工作簿：责任清单、岗位、法规、社区、基本信息。--template 生成空白模板。",
    )
    e.add_argument("path", nargs="?", default=None, help="制度目录或版本目录（--template 时不需要）")
    e.add_argument("--to", choices=["xlsx"], default="xlsx", help="导出格式（目前为 xlsx）")
    e.add_argument("-o", "--out", help="输出文件（单个版本）或目录（默认当前目录）")
    e.add_argument("--template", action="store_true", help="生成空白模板（首页为中文填写说明）")
    e.set_defaults(func=cmd_export)

    m = sub.add_parser(
        "merge",
        help="把编辑过的责任清单工作簿按 id 合并回 YAML（先显示变更，--apply 才写入）",
        description="按隐藏的 id 列对照：改动的内容、新增的行、删除的行；冲突与无法识别的内容逐格报告。",
    )
    m.add_argument("book", help="工作簿（.xlsx；.xls、.et、.ods 先经 LibreOffice 转换）")
    m.add_argument("path", nargs="?", default=None, help="版本目录（默认为导出时记录的目录）")
    m.add_argument("--apply", action="store_true", help="写入 regulation.yaml（先备份为 .bak，原子替换）")
    m.add_argument("--as-version", metavar="VERSION", help="写入新的草案版本目录（已印发的版本不能直接修改）")
    m.add_argument(
        "--keep-order", action="store_true", help="不按表格的行序调整条文顺序（表格排序、筛选过时使用）"
    )
    m.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    m.set_defaults(func=cmd_merge)

    n = sub.add_parser(
        "new",
        help="由电子表格责任清单生成完整的制度源文件",
        description="读取工作簿（可用 zhidu export --template 生成的模板填写），生成岗位、职责、法规、社区等 YAML。",
    )
    n.add_argument(
        "--from", dest="book", required=True, help="工作簿（.xlsx；.xls、.et、.ods 先经 LibreOffice 转换）"
    )
    n.add_argument("-o", "--out", required=True, help="新制度目录（如 policy/某街道-aqsc），不能已存在")
    n.set_defaults(func=cmd_new)


def _print_report(report: Report) -> None:
    if report.issues:
        sys.stderr.write(report.format_text() + "\n")


def cmd_export(args: argparse.Namespace) -> int:
    from zhidu.diagnostics import Report
    from zhidu.errors import OutputError, UsageError
    from zhidu.schema import load_policy
    from zhidu.sheet.export import build_workbook
    from zhidu.source import display_path, find_versions
    from zhidu.writer import atomic_write

    if args.template:
        out = Path(args.out or "责任清单模板.xlsx")
        _write(out, build_workbook(None), atomic_write, OutputError)
        sys.stdout.write(f"已生成空白模板 {out}（首页为填写说明）\n")
        return EXIT_OK
    if not args.path:
        raise UsageError("请指定制度目录，或用 --template 生成空白模板")
    folders = find_versions(Path(args.path))
    report = Report()
    if not folders:
        raise UsageError(f"{args.path} 中没有制度版本（缺少 regulation.yaml）")
    out_arg = Path(args.out) if args.out else Path(".")
    single_file = len(folders) == 1 and out_arg.suffix.lower() == ".xlsx"
    made = 0
    for folder in folders:
        policy = load_policy(folder, report)
        if policy is None:
            continue
        name = f"{policy.regulation.work}-{policy.regulation.version.id}-责任清单.xlsx"
        target = out_arg if single_file else out_arg / name
        _write(target, build_workbook(policy, display_path(folder)), atomic_write, OutputError)
        sys.stdout.write(f"已导出 {target}（{policy.regulation.version.id} 版）\n")
        made += 1
    if report.errors:
        _print_report(report)
        return EXIT_FINDINGS
    return EXIT_OK if made else EXIT_FINDINGS


def _write(path: Path, data: bytes, atomic_write: Any, error: type[Exception]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as e:
        raise error(f"无法写入 {path}：{e.strerror or e}") from e


def cmd_merge(args: argparse.Namespace) -> int:
    from zhidu.diagnostics import Report
    from zhidu.diff_cli import terminal_text
    from zhidu.errors import OutputError, UsageError
    from zhidu.sheet.merge import plan_merge
    from zhidu.sheet.read import read_book
    from zhidu.views.diffview import build_diff_view

    report = Report()
    book = read_book(Path(args.book), report)
    if book is None or report.errors:
        _print_report(report)
        return EXIT_FINDINGS
    if book.converted_from:
        sys.stderr.write(book.converted_from + "\n")
    source = args.path or book.meta.get("source")
    if not source:
        raise UsageError("工作簿没有记录导出目录，请指定版本目录：zhidu merge BOOK.xlsx policy/某制度/版本")
    folder = Path(source)
    if not (folder / "regulation.yaml").is_file():
        raise UsageError(f"{folder} 不是版本目录（缺少 regulation.yaml）")
    if args.as_version and (folder.parent / args.as_version).exists():
        raise UsageError(f"版本目录 {folder.parent / args.as_version} 已存在")
    plan = plan_merge(book, folder, report, args.as_version, keep_order=args.keep_order)
    if plan is None:
        _print_report(report)
        sys.stderr.write("未合并，YAML 未改动。\n")
        return EXIT_FINDINGS
    _print_report(report)
    if not plan.changed or plan.new is None or plan.text is None:
        sys.stdout.write(f"工作簿与 {folder.as_posix()} 一致，无需合并。\n")
        return EXIT_OK
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    sys.stdout.write(terminal_text(build_diff_view(plan.old, plan.new), color=color))
    sys.stdout.write("\n变更：\n" + "".join(f"  {s}\n" for s in plan.summary))
    if not args.apply:
        sys.stdout.write("（仅预览；加 --apply 写入）\n")
        return EXIT_OK
    try:
        written = _apply(plan, folder)
    except OSError as e:
        raise OutputError(f"写入失败（原文件未改动）：{e.strerror or e}") from e
    sys.stdout.write(written + "\n")
    return EXIT_OK


def _apply(plan: Any, folder: Path) -> str:
    import os
    import shutil
    import tempfile

    from zhidu.fmt import BACKUP_SUFFIX
    from zhidu.writer import atomic_write

    data = plan.text.encode("utf-8")
    reg = folder / "regulation.yaml"
    if plan.new_version:
        # A whole new version folder, assembled aside and renamed into place: all of it or none.
        target = plan.target
        tmp = Path(tempfile.mkdtemp(prefix=".zhidu-tmp-", dir=folder.parent))
        try:
            for f in sorted(folder.glob("*.yaml")):
                atomic_write(tmp / f.name, data if f.name == "regulation.yaml" else f.read_bytes())
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


def cmd_new(args: argparse.Namespace) -> int:
    from zhidu.diagnostics import Report
    from zhidu.errors import OutputError, UsageError
    from zhidu.sheet.new import policy_from_book, write_policy
    from zhidu.sheet.read import read_book

    out = Path(args.out)
    if out.exists():
        raise UsageError(f"{out} 已存在：zhidu new 不覆盖任何文件，请换一个目录")
    report = Report()
    book = read_book(Path(args.book), report)
    if book is not None and book.converted_from:
        sys.stderr.write(book.converted_from + "\n")
    made = policy_from_book(book, out, report) if book is not None and not report.errors else None
    _print_report(report)
    if made is None:
        sys.stderr.write("未生成：请按上述位置修改工作簿后重试\n")
        return EXIT_FINDINGS
    try:
        files = write_policy(made, out)
    except OSError as e:
        raise OutputError(f"写入失败（未留下任何文件）：{e.strerror or e}") from e
    for f in files:
        sys.stdout.write(f"已生成 {f}\n")
    sys.stdout.write(f"下一步：zhidu check {out}　zhidu build {out} -o build\n")
    return EXIT_OK
