"""`zhidu diff OLD NEW`: the 修订对照表 of two versions; exit 0 equal, 1 different, 2 error (as diff(1)).

Each side is a policy version folder (or a file in it), or ``PATH@GITREV`` read with ``git show``. Only the
standard library is imported at module level: `zhidu --help` must stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhidu.model import Policy

EXIT_EQUAL, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2
FORMATS = ("terminal", "md", "html", "docx")


def add_parser(sub: Any) -> None:
    """Register the `diff` subcommand."""
    d = sub.add_parser(
        "diff",
        help="比较两个版本，生成修订对照表",
        description="比较两个制度版本，按条文 id 对照，输出修订对照表。相同退出 0，不同退出 1，出错退出 2。",
    )
    d.add_argument("old", help="原版本：版本目录或其中的文件，或 路径@git修订号（如 policy/x/2024.1@HEAD~1）")
    d.add_argument("new", help="修订后版本，写法同上")
    d.add_argument("--format", choices=FORMATS, default="terminal", help="输出格式（默认 terminal）")
    d.add_argument("-o", "--out", metavar="FILE", help="写入文件（docx 必须指定）")
    d.add_argument("--columns", help="三列标题，逗号分隔（默认 原条文,修订后条文,修订说明）")
    d.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="终端着色（默认 auto）"
    )
    d.set_defaults(func=run_diff, error_exit=EXIT_ERROR, error_prefix="zhidu diff")


def run_diff(args: argparse.Namespace) -> int:
    """Run `zhidu diff`; every failure is exit 2, as with diff(1) (set as error_exit on the parser)."""
    from zhidu.diagnostics import Report
    from zhidu.load.revision import load_side

    report = Report()
    old = load_side(args.old, report)
    new = load_side(args.new, report)
    return _emit(old, new, args, _columns(args.columns))


def _columns(spec: str | None) -> tuple[str, str, str]:
    from zhidu.errors import RevisionError
    from zhidu.views.diffview import DEFAULT_COLUMNS

    if not spec:
        return DEFAULT_COLUMNS
    parts = [x.strip() for x in spec.replace("，", ",").split(",")]
    if len(parts) != 3 or not all(parts):
        raise RevisionError(f"--columns 应为三个以逗号分隔的列标题，实际为“{spec}”")
    return parts[0], parts[1], parts[2]


def _emit(old: Policy, new: Policy, args: argparse.Namespace, columns: tuple[str, str, str]) -> int:
    from zhidu.views.diffview import diff_view

    view = diff_view(old, new, columns)
    data = view.data
    status = EXIT_EQUAL if data.diff.equal else EXIT_DIFFERENT
    if args.format == "terminal":
        from zhidu.render.terminal import terminal_text

        text = terminal_text(data, color=_color(args))
        if args.out:
            _write(Path(args.out), text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return status
    if args.format == "docx" and not args.out:
        from zhidu.errors import UsageError

        raise UsageError("docx 为二进制格式，请用 -o 指定输出文件")
    from zhidu.render import RenderContext, get_renderer

    art = get_renderer(args.format)().render(view, RenderContext(policy=new))[0]
    if args.out:
        _write(Path(args.out), art.data)
    else:
        sys.stdout.write(art.data.decode("utf-8"))
    return status


def _write(path: Path, data: bytes) -> None:
    from zhidu.atomic import atomic_write
    from zhidu.errors import OutputError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as e:
        raise OutputError(f"无法写入 {path}：{e.strerror or e}") from e


def _color(args: argparse.Namespace) -> bool:
    if args.color == "auto":
        return bool(args.out is None and sys.stdout.isatty())
    return bool(args.color == "always")
