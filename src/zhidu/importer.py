"""`zhidu import FILE -o policy/NAME/`: bring an existing notice (.docx, .txt, .md) into YAML.

Top-level imports stay in the standard library so `zhidu --help` does not pay for ruamel, opencc or
python-docx; the work happens in the `imp_*` modules, imported by the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_command(sub: Any) -> None:
    """Register the `import` subcommand on the CLI's subparsers."""
    p = sub.add_parser(
        "import",
        help="把现有通知（.docx、.txt、.md）导入为 YAML",
        description=(
            "识别公文各要素和条文层级，生成 notice.yaml、regulation.yaml、roles.yaml、laws.yaml "
            "和导入报告；不覆盖已有文件。"
        ),
    )
    p.add_argument("file", metavar="FILE", help="要导入的 .docx、.txt 或 .md 文件")
    p.add_argument(
        "-o",
        "--out",
        required=True,
        metavar="DIR",
        help="输出目录，如 policy/NAME/（其中的目标文件不得已存在）",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="不打印导入报告")
    p.set_defaults(func=cmd_import)


def run_import(file: Path, out: Path) -> tuple[list[Path], str]:
    """Import FILE into OUT; returns the written paths and the report text. Never overwrites."""
    from zhidu.imp_parse import parse
    from zhidu.imp_read import ImportFailure, read_source
    from zhidu.imp_write import REPORT, generate

    if out.exists() and not out.is_dir():
        raise ImportFailure(f"输出路径不是目录：{out}")
    src = read_source(file)
    result = generate(parse(src.lines), src, out)
    targets = {name: out / name for name in (*result.files, REPORT)}
    existing = [p.as_posix() for p in targets.values() if p.exists()]
    if existing:
        raise ImportFailure(f"目标文件已存在，import 不覆盖任何文件：{'、'.join(existing)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    contents = {**result.files, REPORT: result.report}
    for name, path in targets.items():
        try:
            # "x": fail rather than overwrite a file that appeared after the check above.
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(contents[name])
        except FileExistsError as e:
            raise ImportFailure(
                f"目标文件已存在，import 不覆盖：{path.as_posix()}"
                f"（已写出：{'、'.join(p.name for p in written) or '无'}）"
            ) from e
        written.append(path)
    return written, result.report


def cmd_import(args: argparse.Namespace) -> int:
    written, report = run_import(Path(args.file), Path(args.out))
    if not args.quiet:
        sys.stdout.write(report)
    sys.stdout.write(
        f"已写出 {len(written)} 个文件到 {Path(args.out).as_posix()}：{'、'.join(p.name for p in written)}\n"
    )
    return 0
