"""`zhidu import FILE -o policy/NAME/`: bring an existing notice into YAML; never overwrites a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    p = sub.add_parser(
        "import",
        help="把现有通知（.docx、.doc、.wps、.rtf、.txt、.md）导入为 YAML",
        description=(
            "识别公文各要素和条文层级，生成 notice.yaml、regulation.yaml、roles.yaml、laws.yaml "
            "和导入报告；不覆盖已有文件。"
        ),
    )
    p.add_argument(
        "file",
        metavar="FILE",
        help="要导入的 .docx、.txt 或 .md 文件（.doc、.wps、.rtf 先经 LibreOffice 转换）",
    )
    p.add_argument(
        "-o",
        "--out",
        required=True,
        metavar="DIR",
        help="输出目录，如 policy/NAME/（其中的目标文件不得已存在）",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="不打印导入报告")
    p.set_defaults(func=run_cmd)


def run_cmd(args: argparse.Namespace) -> int:
    """Import, print the report and what was written."""
    from zhidu.importer import run_import

    written, report = run_import(Path(args.file), Path(args.out))
    if not args.quiet:
        sys.stdout.write(report)
    sys.stdout.write(
        f"已写出 {len(written)} 个文件到 {Path(args.out).as_posix()}：{'、'.join(p.name for p in written)}\n"
    )
    return 0
