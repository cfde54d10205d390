"""`zhidu merge BOOK.xlsx [VERSION]`: a workbook's edits back into the YAML by id; shown first, written with --apply."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from zhidu.diagnostics import Report


def add_parser(sub: Any) -> None:
    """Register the `merge` subcommand."""
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
    m.set_defaults(func=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    """Show the change set; with --apply write it. Exit 1 when anything cannot be placed (nothing written)."""
    from zhidu.diagnostics import Report
    from zhidu.errors import OutputError, UsageError
    from zhidu.render.terminal import terminal_text
    from zhidu.sheet.merge import apply_plan, plan_merge
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
    _print_report(report)
    if plan is None:
        sys.stderr.write("未合并，YAML 未改动。\n")
        return EXIT_FINDINGS
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
        written = apply_plan(plan)
    except OSError as e:
        raise OutputError(f"写入失败（原文件未改动）：{e.strerror or e}") from e
    sys.stdout.write(written + "\n")
    return EXIT_OK


def _print_report(report: Report) -> None:
    if report.issues:
        sys.stderr.write(report.format_text() + "\n")
