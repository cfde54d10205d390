"""`zhidu formats`: every output format and whether it can run here."""

from __future__ import annotations

import argparse
from typing import Any

from zhidu.cli.common import out
from zhidu.errors import EXIT_OK


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    f = sub.add_parser("formats", help="列出输出格式及其可用性")
    f.set_defaults(func=run_formats)


def run_formats(args: argparse.Namespace) -> int:
    """List each renderer, its products, and why it is unavailable where it is."""
    from zhidu.render import load_renderers

    for name, cls in sorted(load_renderers().items()):
        why = cls.unavailable()
        state = "可用" if why is None else f"不可用：{why}"
        out(f"{name:5} {cls.suffix:6} 产品：{', '.join(sorted(cls.products))}　{state}")
    return EXIT_OK
