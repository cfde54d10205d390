"""What every command module shares: the argument parser class and printing."""

from __future__ import annotations

import argparse
import sys

from zhidu.errors import EXIT_USAGE


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a Chinese prefix instead of printing a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"zhidu: 用法错误: {message}\n")
        raise SystemExit(EXIT_USAGE)


def out(text: str) -> None:
    """Print to standard output with exactly one final newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
