"""`zhidu export PATH --to xlsx`: one 责任清单 workbook per version; `--template` gives the blank workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from zhidu.errors import EXIT_FINDINGS, EXIT_OK


def add_parser(sub: Any) -> None:
    """Register the `export` subcommand."""
    e = sub.add_parser(
        "export",
        help="把责任清单导出为电子表格（.xlsx），供 WPS/Excel 编辑后 zhidu merge 合并",
        description="每个版本导出一个工作簿：责任清单、岗位、法规、社区、基本信息。--template 生成空白模板。",
    )
    e.add_argument("path", nargs="?", default=None, help="制度目录或版本目录（--template 时不需要）")
    e.add_argument("--to", choices=["xlsx"], default="xlsx", help="导出格式（目前为 xlsx）")
    e.add_argument("-o", "--out", help="输出文件（单个版本）或目录（默认当前目录）")
    e.add_argument("--template", action="store_true", help="生成空白模板（首页为中文填写说明）")
    e.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the workbooks; exit 1 when a version could not be loaded."""
    from zhidu.diagnostics import Report
    from zhidu.errors import UsageError
    from zhidu.load.policy import load_policy
    from zhidu.load.source import display_path, find_versions
    from zhidu.render.xlsx.book import build_workbook

    if args.template:
        out = Path(args.out or "责任清单模板.xlsx")
        _write(out, build_workbook(None))
        sys.stdout.write(f"已生成空白模板 {out}（首页为填写说明）\n")
        return EXIT_OK
    if not args.path:
        raise UsageError("请指定制度目录，或用 --template 生成空白模板")
    folders = find_versions(Path(args.path))
    if not folders:
        raise UsageError(f"{args.path} 中没有制度版本（缺少 regulation.yaml）")
    report = Report()
    out_arg = Path(args.out) if args.out else Path(".")
    single_file = len(folders) == 1 and out_arg.suffix.lower() == ".xlsx"
    made = 0
    for folder in folders:
        policy = load_policy(folder, report)
        if policy is None:
            continue
        name = f"{policy.regulation.work}-{policy.regulation.version.id}-责任清单.xlsx"
        target = out_arg if single_file else out_arg / name
        _write(target, build_workbook(policy, display_path(folder)))
        sys.stdout.write(f"已导出 {target}（{policy.regulation.version.id} 版）\n")
        made += 1
    if report.errors:
        sys.stderr.write(report.format_text() + "\n")
        return EXIT_FINDINGS
    return EXIT_OK if made else EXIT_FINDINGS


def _write(path: Path, data: bytes) -> None:
    from zhidu.atomic import atomic_write
    from zhidu.errors import OutputError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as e:
        raise OutputError(f"无法写入 {path}：{e.strerror or e}") from e
