"""The command line: parse arguments, call the library, turn results into exit codes.

Heavy libraries (python-docx, jinja2, pandoc) are imported inside the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from zhidu import __version__
from zhidu.errors import ZhiduError

if TYPE_CHECKING:
    from zhidu.build import BuildResult
    from zhidu.location import Location

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a Chinese prefix instead of printing a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"zhidu: 用法错误: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ------------------------------------------------------------------------------------------ commands


def cmd_check(args: argparse.Namespace) -> int:
    from zhidu import cache
    from zhidu.source import find_versions

    folders = find_versions(Path(args.path))
    k = ""
    # Keying hashes zhidu's own code and every source: not worth doing when caching is off.
    if cache.cache_dir() is not None:
        # The answer depends on every YAML file of each work (a version is checked against the one it supersedes).
        sources = [f for folder in folders for f in folder.parent.rglob("*.yaml")]
        k = cache.key([os.getcwd(), args.path, args.format, str(args.strict)], sources)
        hit = cache.get("check", k)
        if hit is not None:
            out, code = hit.get("out"), hit.get("code")
            if isinstance(out, str) and isinstance(code, int):
                _out(out)
                return code

    from zhidu import lint
    from zhidu.diagnostics import Report
    from zhidu.schema import load_policy

    report = Report()
    if not folders:
        report.error("E004", "未找到任何制度（缺少 regulation.yaml）", _loc(args.path))
    for folder in folders:
        policy = load_policy(folder, report)
        if policy is not None:
            lint.run(policy, report)
    out = report.format_json() if args.format == "json" else report.format_text()
    code = EXIT_FINDINGS if report.failed(strict=args.strict) else EXIT_OK
    _out(out)
    if k:
        cache.put("check", k, {"out": out, "code": code})
    return code


def _loc(path: str) -> Location:
    from zhidu.location import Location

    return Location(path)


def cmd_schema(args: argparse.Namespace) -> int:
    from zhidu.schema import json_schemas, schema_text

    names = sorted(json_schemas())
    if args.markdown:
        from zhidu.schema import schema_markdown

        Path(args.markdown).write_text(schema_markdown(), encoding="utf-8")
        _out(f"已写出 {args.markdown}")
        return EXIT_OK
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for n in names:
            (out / f"{n}.schema.json").write_text(schema_text(n), encoding="utf-8")
        _out(f"已写出 {len(names)} 个 JSON Schema 到 {out}")
        return EXIT_OK
    if args.kind not in names:
        sys.stderr.write(f"zhidu: 用法错误: 未知文件类型 {args.kind!r}，可选：{'、'.join(names)}\n")
        return EXIT_USAGE
    _out(schema_text(args.kind))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from zhidu.build import BuildOptions, build

    opts = BuildOptions(
        source=Path(args.path),
        out=Path(args.out),
        formats=args.format.split(",") if args.format else None,
        products=args.product.split(",") if args.product else None,
        period=args.period,
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
        sys.stderr.write(result.report.format_text() + "\n")
    elif result.report.issues:
        # A build is not the place to read every lint finding; `zhidu check` is.
        w = len(result.report.warnings)
        sys.stderr.write(f"提示：源文件有 {w} 个警告，运行 zhidu check 查看。\n")
    if result.report.failed(strict=args.strict):
        return EXIT_FINDINGS
    for note in result.notes:
        sys.stderr.write(note + "\n")
    _out(f"{before}已生成 {result.written} 个文件，未变化 {result.unchanged} 个，输出目录 {args.out}{after}")
    return EXIT_OK


def cmd_formats(args: argparse.Namespace) -> int:
    from zhidu.render import load_renderers

    for name, cls in sorted(load_renderers().items()):
        why = cls.unavailable()
        state = "可用" if why is None else f"不可用：{why}"
        _out(f"{name:5} {cls.suffix:6} 产品：{', '.join(sorted(cls.products))}　{state}")
    return EXIT_OK


# ------------------------------------------------------------------------------------------- parsing


#: The commands defined here; any other command comes from one of OPTIONAL_COMMANDS.
CORE_COMMANDS = ("check", "build", "schema", "formats")
#: Modules that contribute a command through add_command(sub) (verify, diff, import, fmt, serve).
OPTIONAL_COMMANDS = ("zhidu.verify", "zhidu.diff_cli", "zhidu.importer", "zhidu.fmt", "zhidu.cli_serve")


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full command line; for a built-in `command` the optional modules are not even imported.

    Importing them only to register their subcommands cost `zhidu check` ~25 ms (verify alone).
    """
    p = _Parser(
        prog="zhidu",
        description="制度即代码：以 YAML 维护安全生产责任制度，生成公文、责任清单卡、检查表与修订对照表。",
    )
    p.add_argument("--version", action="version", version=f"zhidu {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    c = sub.add_parser("check", help="校验并检查制度源文件")
    c.add_argument("path", nargs="?", default="policy", help="制度目录（默认 policy/）")
    c.add_argument("--strict", action="store_true", help="警告也视为失败")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(func=cmd_check)

    b = sub.add_parser("build", help="生成全部产物到 build/")
    b.add_argument("path", nargs="?", default="policy")
    b.add_argument("-o", "--out", default="build")
    b.add_argument("--format", help="逗号分隔的格式，如 docx,html,md,pdf（默认全部可用格式）")
    b.add_argument("--product", help="逗号分隔的产品，如 notice,duty-card,checklist,diff")
    b.add_argument("--period", help="检查表周期：2024-06、2024-W23、2024-Q2、2024")
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
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("schema", help="输出 JSON Schema")
    s.add_argument(
        "kind", nargs="?", default="regulation", help="notice、regulation、roles、laws、parties、glossary"
    )
    s.add_argument("--write", metavar="DIR", help="把全部 Schema 写入目录")
    s.add_argument("--markdown", metavar="FILE", help="生成字段说明文档（docs/schema.md）")
    s.set_defaults(func=cmd_schema)

    f = sub.add_parser("formats", help="列出输出格式及其可用性")
    f.set_defaults(func=cmd_formats)

    if command not in CORE_COMMANDS:
        # `zhidu --help`, an optional command or a typo: every command must be known.
        _add_optional_commands(sub)
    return p


def _add_optional_commands(sub: Any) -> None:
    for module in OPTIONAL_COMMANDS:
        try:
            mod = __import__(module, fromlist=["add_command"])
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            continue
        mod.add_command(sub)


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
    parser = make_parser(_command(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except ZhiduError as e:
        sys.stderr.write(f"zhidu: {e.category}: {e}\n")
        return EXIT_USAGE if e.category == "用法错误" else EXIT_FINDINGS
    except KeyboardInterrupt:
        sys.stderr.write("zhidu: 已中断\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
