"""`zhidu verify FILE.docx`: the GB/T 9704 compliance report; exit 0 pass, 1 a check failed, 2 unreadable."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    p = sub.add_parser("verify", help="按 GB/T 9704 检查 .docx（可 --render 实测）")
    p.add_argument("file", help="要检查的 .docx 文件")
    p.add_argument("--render", action="store_true", help="经 LibreOffice 转为 PDF 后实测版面")
    p.add_argument(
        "--profile",
        choices=["auto", "standard", "letter"],
        default="auto",
        help="版式：standard（通用格式）、letter（信函格式，10.1）；auto 按红色双线自动识别（默认）",
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
    p.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    """Run the checks and print the report; returns the exit status (a bad input raises VerifyInputError)."""
    from zhidu.verify import format_table
    from zhidu.verify import run_verify as verify

    rep = verify(Path(args.file), render=args.render, profile=args.profile)
    sys.stdout.write(rep.to_json() + "\n" if args.format == "json" else format_table(rep))
    return rep.exit_code
