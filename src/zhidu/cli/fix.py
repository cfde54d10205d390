"""`zhidu fix [PATH] [--diff]`: apply the safe automatic fixes; --diff shows them without writing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    f = sub.add_parser(
        "fix",
        help="自动修正可安全修正的问题（半角标点、文号括号、日期前导零、全角空格、并列书名号间的顿号），先备份",
    )
    f.add_argument("path", nargs="?", default="policy", help="制度目录或单个 YAML 文件（默认 policy/）")
    f.add_argument("--diff", action="store_true", help="只显示将要作出的修改（统一差异格式），不写入文件")
    f.set_defaults(func=run_fix)


def run_fix(args: argparse.Namespace) -> int:
    from zhidu import fix
    from zhidu.errors import OutputError, SourceError

    path = Path(args.path)
    if not path.exists():
        raise SourceError(f"路径不存在：{path}")
    result = fix.plan(path)
    for line in result.skipped:
        sys.stderr.write(f"未处理：{line}\n")
    if args.diff:
        for f in result.fixes:
            sys.stdout.write(f.diff())
    else:
        try:
            fix.apply(result.fixes)
        except OSError as e:
            raise OutputError(f"修正写入失败：{e.strerror or e}") from e
        for f in result.fixes:
            what = "，".join(f"{k} {n} 处" for k, n in f.changes.items())
            sys.stdout.write(f"已修正：{f.shown}（{what}；原文件备份为 {f.shown}{fix.BACKUP_SUFFIX}）\n")
    verb = "将修正" if args.diff else "已修正"
    sys.stdout.write(f"{verb} {len(result.fixes)} 个文件，未处理 {len(result.skipped)} 个\n")
    return 0
