"""`zhidu check PATH`: validate and lint the sources; exit 1 on errors (or warnings with --strict)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.cli.common import out
from zhidu.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from zhidu.location import Location


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    c = sub.add_parser("check", help="校验并检查制度源文件")
    c.add_argument("path", nargs="?", default="policy", help="制度目录（默认 policy/）")
    c.add_argument("--strict", action="store_true", help="警告也视为失败")
    c.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式：text 文本（默认）或 json"
    )
    c.add_argument(
        "--show-ignored",
        action="store_true",
        help="同时列出被忽略声明（# zhidu: 忽略 …、lint.yaml）屏蔽的问题及其原因",
    )
    c.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    from zhidu import cache
    from zhidu.load.source import find_versions

    folders = find_versions(Path(args.path))
    k = ""
    # Keying hashes zhidu's own code and every source: not worth doing when caching is off.
    if cache.cache_dir() is not None:
        # The answer depends on every YAML file of each work (a version is checked against the one it supersedes).
        # A work's files sit in it and in its version folders: two levels, never a whole tree such as /tmp, whose
        # folders other programs create and delete while it is listed (that listing raised FileNotFoundError).
        try:
            sources = [
                f for folder in folders for pat in ("*.yaml", "*/*.yaml") for f in folder.parent.glob(pat)
            ]
            k = cache.key(
                [os.getcwd(), args.path, args.format, str(args.strict), str(args.show_ignored)], sources
            )
        except OSError:
            k = ""  # a folder vanished while listed: check without the cache
        hit = cache.get("check", k) if k else None
        if hit is not None:
            text, code = hit.get("out"), hit.get("code")
            if isinstance(text, str) and isinstance(code, int):
                out(text)
                return code

    from zhidu import lint
    from zhidu.diagnostics import Report
    from zhidu.load.policy import load_policy, report_linked_versions
    from zhidu.load.versions import previous_version

    report = Report()
    report_linked_versions(Path(args.path), report)
    if not folders:
        report.error("E004", "未找到任何制度（缺少 regulation.yaml）", _loc(args.path))
    for folder in folders:
        policy = load_policy(folder, report)
        if policy is not None:
            lint.run(policy, report, previous=previous_version(policy))
    text = report.format_json() if args.format == "json" else report.format_text()
    if args.show_ignored and args.format == "text":
        text += "\n" + report.format_ignored()
    code = EXIT_FINDINGS if report.failed(strict=args.strict) else EXIT_OK
    out(text)
    if k:
        cache.put("check", k, {"out": text, "code": code})
    return code


def _loc(path: str) -> Location:
    from zhidu.location import Location

    return Location(path)
