"""`zhidu new --from BOOK.xlsx -o DIR`: a complete, checked policy from a spreadsheet 责任清单."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from zhidu.errors import EXIT_FINDINGS, EXIT_OK


def add_parser(sub: Any) -> None:
    """Register the `new` subcommand."""
    n = sub.add_parser(
        "new",
        help="由电子表格责任清单生成完整的制度源文件",
        description="读取工作簿（可用 zhidu export --template 生成的模板填写），生成岗位、职责、法规、社区等 YAML。",
    )
    n.add_argument(
        "--from", dest="book", required=True, help="工作簿（.xlsx；.xls、.et、.ods 先经 LibreOffice 转换）"
    )
    n.add_argument("-o", "--out", required=True, help="新制度目录（如 policy/某街道-aqsc），不能已存在")
    n.set_defaults(func=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Write the new policy folder whole, or nothing (exit 1, every problem located)."""
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
    if report.issues:
        sys.stderr.write(report.format_text() + "\n")
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
