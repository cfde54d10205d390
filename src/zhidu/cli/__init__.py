"""The command line: one module per command (argument parsing and exit codes only), this face dispatches.

Only this package turns exceptions into exit codes, by type: each `ZhiduError` subclass carries its `exit_code`.
A command module imports only the standard library at module level; heavy libraries (python-docx, Jinja2,
pandoc) are imported inside the command that runs, and only the module of the command named is imported.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from zhidu import __version__
from zhidu.cli.common import Parser
from zhidu.errors import EXIT_USAGE, ZhiduError

#: command name → module; the order is the order of `zhidu --help`.
COMMANDS: dict[str, str] = {
    "check": "zhidu.cli.check",
    "build": "zhidu.cli.build",
    "schema": "zhidu.cli.schema",
    "formats": "zhidu.cli.formats",
    "verify": "zhidu.cli.verify",
    "diff": "zhidu.cli.diff",
    "import": "zhidu.cli.import_",
    "fmt": "zhidu.cli.fmt",
    "fix": "zhidu.cli.fix",
    "export": "zhidu.cli.export",
    "merge": "zhidu.cli.merge",
    "new": "zhidu.cli.new",
    "serve": "zhidu.cli.serve",
}


def make_parser(command: str | None = None) -> Parser:
    """The command line; for a known `command` only its module is imported (`zhidu check` stays fast)."""
    p = Parser(
        prog="zhidu",
        description="制度即代码：以 YAML 维护安全生产责任制度，生成公文、责任清单卡、检查表与修订对照表。",
    )
    p.add_argument("--version", action="version", version=f"zhidu {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(
        dest="command",
        metavar="命令",
        parser_class=Parser,
        title="命令",
        help="运行 zhidu 命令 -h 查看各命令的用法",
    )
    # `zhidu --help` or a typo: every command must be known.
    names = [command] if command in COMMANDS else list(COMMANDS)
    for name in names:
        importlib.import_module(COMMANDS[name]).add_parser(sub)
    return p


def _command(argv: list[str]) -> str | None:
    """The command word of a command line; None when top-level options (-h, --version) come first."""
    for a in argv:
        if not a.startswith("-"):
            return a
        if a in ("-h", "--help", "--version"):
            return None
    return None


def run() -> NoReturn:
    """The `zhidu` command: `main()`, then exit without tearing the interpreter down.

    Teardown frees every object one by one (~50 ms after a seed build, a tenth of it); the OS takes the memory back
    at once. Nothing is left to do at exit: every output, cache entry and lock is written, synced or released,
    and every worker process joined, before `main` returns.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe has nothing left to flush into
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run zhidu; returns the exit status."""
    argv = list(argv) if argv is not None else sys.argv[1:]
    try:
        # Ctrl-C while the command's module loads is an interruption like any other: no traceback.
        parser = make_parser(_command(argv))
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    except KeyboardInterrupt:
        return _interrupted()
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except ZhiduError as e:
        if e.details:
            sys.stderr.write(e.details.rstrip("\n") + "\n")
        # A command may answer every failure alike (diff exits 2 for all, as diff(1) does).
        prefix = getattr(args, "error_prefix", None)
        sys.stderr.write(f"{prefix}: {e}\n" if prefix else f"zhidu: {e.category}: {e}\n")
        return int(getattr(args, "error_exit", e.exit_code))
    except KeyboardInterrupt:
        return _interrupted()


def _interrupted() -> int:
    sys.stderr.write("zhidu: 已中断\n")
    return 130
