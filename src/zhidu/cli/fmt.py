"""`zhidu fmt [PATH] [--check]`: canonical layout of the sources, comments kept, backed up first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    f = sub.add_parser("fmt", help="规范制度源文件的排版（保留注释、键顺序和引号，先备份）")
    f.add_argument("path", nargs="?", default="policy", help="制度目录或单个 YAML 文件（默认 policy/）")
    f.add_argument("--check", action="store_true", help="只检查，列出需要格式化的文件（有则退出码 1）")
    f.set_defaults(func=run_fmt)


def run_fmt(args: argparse.Namespace) -> int:
    from zhidu import fmt
    from zhidu.errors import OutputError, os_reason

    try:
        result = fmt.run(Path(args.path), check=args.check)
    except OSError as e:
        raise OutputError(f"格式化写入失败：{os_reason(e)}") from e
    for m in result.messages:
        sys.stderr.write(m + "\n")
    if args.check:
        for f in result.changed:
            sys.stdout.write(f"需要格式化：{f}\n")
    else:
        for f in result.changed:
            sys.stdout.write(f"已格式化：{f}（原文件备份为 {f}{fmt.BACKUP_SUFFIX}）\n")
    sys.stdout.write(
        f"{'将改动' if args.check else '已改动'} {len(result.changed)} 个文件，"
        f"无需改动 {len(result.unchanged)} 个，因错误未处理 {len(result.refused)} 个\n"
    )
    return 1 if result.refused or (args.check and result.changed) else 0
