"""`zhidu build PATH -o OUT`: every product in every format, once or on every save (--watch)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.cli.common import out
from zhidu.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from zhidu.build import BuildResult
    from zhidu.errors import ZhiduError


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    b = sub.add_parser("build", help="生成全部产物到 build/")
    b.add_argument("path", nargs="?", default="policy")
    b.add_argument("-o", "--out", default="build")
    b.add_argument("--format", help="逗号分隔的格式，如 docx,html,md,pdf（默认全部可用格式）")
    b.add_argument("--product", help="逗号分隔的产品，如 notice,duty-card,checklist,diff")
    b.add_argument(
        "--period",
        help="检查表周期，可逗号分隔或用范围：2024-W23、2024-06、2024-Q2、2024-H1、2024、2024-06,2024-07、"
        "2024-W23..2024-W35（每个周期用其第一天施行的版本）",
    )
    b.add_argument("--as-of", help="只生成该日施行的版本（全部产品），如 2024-08-01")
    b.add_argument("--strict", action="store_true")
    b.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数（默认 CPU 核数）")
    b.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    b.add_argument("--timings", action="store_true", help="在标准错误输出各阶段耗时")
    b.add_argument("--watch", action="store_true", help="生成后继续监视源文件，保存即重新生成（Ctrl-C 停止）")
    b.add_argument(
        "--profile",
        default="standard",
        help="版式配置：standard（国标）、letter（信函格式）或制度目录 templates/profiles/ 中的自定义配置",
    )
    b.set_defaults(func=run_build)


def run_build(args: argparse.Namespace) -> int:
    from zhidu.build import BuildOptions, build
    from zhidu.period import parse_as_of, parse_periods

    opts = BuildOptions(
        source=Path(args.path),
        out=Path(args.out),
        formats=args.format.split(",") if args.format else None,
        products=args.product.split(",") if args.product else None,
        periods=parse_periods(args.period) if args.period else None,
        as_of=parse_as_of(args.as_of) if args.as_of else None,
        strict=args.strict,
        jobs=args.jobs,
        progress=not args.quiet,
        profile=args.profile,
    )
    if args.watch:
        from zhidu.watch import watch_builds

        sys.stderr.write(f"监视 {args.path} 中的改动，保存即重新生成；按 Ctrl-C 停止。\n")
        watch_builds(opts, lambda r, e, s: _after_watched_build(args, r, e, s))
        return EXIT_OK
    return _after_build(args, build(opts))


def _after_watched_build(
    args: argparse.Namespace, result: BuildResult | None, error: ZhiduError | None, seconds: float
) -> None:
    import time

    when = f"[{time.strftime('%H:%M:%S')}] "
    took = f"（用时 {seconds:.2f} 秒）"
    if error is not None:
        sys.stderr.write(f"{when}zhidu: {error}{took}\n")
    elif result is not None and _after_build(args, result, when, took) != EXIT_OK:
        sys.stderr.write(f"{when}有错误，未生成{took}\n")


def _after_build(args: argparse.Namespace, result: BuildResult, before: str = "", after: str = "") -> int:
    """Print a build's diagnostics, notes and summary (between `before` and `after`); its exit status."""
    if args.timings:
        sys.stderr.write(f"各阶段耗时：\n{result.timings.table()}\n")
    if result.report.failed(strict=args.strict):
        report = result.report
        text = report.format_text()
        if not args.strict:
            # What stopped the build; the warnings that did not stop it are for `zhidu check`.
            errors = set(report.errors)
            lines = [i.format() for i in report.sorted() if i in errors]
            w = len(report.warnings)
            more = f"；另有 {w} 个警告未列出，运行 zhidu check 查看" if w else ""
            text = "\n".join([*lines, f"共 {len(report.errors)} 个错误{more}。"])
        sys.stderr.write(text + "\n")
    elif result.report.issues:
        # A build is not the place to read every lint finding; `zhidu check` is.
        w = len(result.report.warnings)
        sys.stderr.write(f"提示：源文件有 {w} 个警告，运行 zhidu check 查看。\n")
    if result.report.failed(strict=args.strict):
        return EXIT_FINDINGS
    for note in result.notes:
        sys.stderr.write(note + "\n")
    out(f"{before}已生成 {result.written} 个文件，未变化 {result.unchanged} 个，输出目录 {args.out}{after}")
    return EXIT_OK
