"""What every command module shares: the argument parser class (all of it in Chinese) and printing."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from zhidu.errors import EXIT_USAGE

#: argparse's own error texts (Python 3.11–3.13) → Chinese; `{0}`… are the pattern's groups.
_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必需的参数：{0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}"),
    (re.compile(r"^one of the arguments (.+) is required$"), "必须提供以下参数之一：{0}"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"), "选项 {0} 有歧义，可能是：{1}"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
        "参数 {0} 的取值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"^argument (\S+): invalid int value: (.+)$"), "参数 {0} 应为整数，实际为 {1}"),
    (re.compile(r"^argument (\S+): invalid float value: (.+)$"), "参数 {0} 应为数字，实际为 {1}"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.+)$"), "参数 {0} 的取值 {1} 无效"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面需要一个值"),
    (re.compile(r"^argument (\S+): expected at most one argument$"), "参数 {0} 最多接受一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 至少需要一个值"),
    (re.compile(r"^argument (\S+): expected \d+ arguments?$"), "参数 {0} 的值个数不对"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.+)$"), "参数 {0} 不接受值 {1}"),
]


def translate_error(message: str) -> str:
    """argparse's English error message in Chinese (a message zhidu itself wrote passes unchanged)."""
    for pattern, zh in _ERRORS:
        m = pattern.match(message)
        if m:
            return zh.format(*m.groups())
    if re.search(r"[\u4e00-\u9fff]", message):
        return message
    return "命令行参数有误"


#: Placeholders in usage lines, by argument name (argparse would print the name in English capitals).
_METAVARS = {
    "path": "路径",
    "out": "目录",
    "format": "格式",
    "product": "产品",
    "period": "周期",
    "as_of": "日期",
    "jobs": "数量",
    "profile": "配置",
    "file": "文件",
    "old": "原版本",
    "new": "新版本",
    "columns": "列标题",
    "write": "目录",
    "markdown": "文件",
    "FILE": "文件",
    "DIR": "目录",
    "PATH": "路径",
    "VERSION": "版本号",
    "BOOK": "工作簿",
    "book": "工作簿",
    "to": "格式",
    "template": "文件",
}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with a Chinese “用法：” line."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse in Chinese: usage, section titles, -h, every error; bad usage exits 2, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # argparse's own -h says "show this help message and exit"
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """As argparse's, with a Chinese placeholder for the value (`-o 目录`, not `-o OUT`)."""
        action = super().add_argument(*args, **kwargs)
        takes_value = action.nargs != 0 and action.choices is None
        shown = action.metavar if isinstance(action.metavar, str) else action.dest
        if takes_value and isinstance(shown, str) and shown in _METAVARS:
            action.metavar = _METAVARS[shown]
        return action

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"zhidu: 用法错误: {translate_error(message)}\n")
        raise SystemExit(EXIT_USAGE)


def out(text: str) -> None:
    """Print to standard output with exactly one final newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_file(path: Path, data: bytes) -> None:
    """Write one file a command was asked for (-o), atomically; a disk failure is an OutputError in Chinese."""
    from zhidu.atomic import atomic_write
    from zhidu.errors import OutputError, os_reason

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as e:
        raise OutputError(f"无法写入 {path}：{os_reason(e)}") from e
