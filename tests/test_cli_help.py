"""The whole command line speaks Chinese: help of zhidu and of every command, placeholders and usage errors."""

from __future__ import annotations

import argparse
import re

import pytest

from zhidu.cli import COMMANDS, main, make_parser

CJK = re.compile(r"[\u4e00-\u9fff]")
#: argparse's own English, which must never reach a clerk.
ENGLISH = re.compile(
    r"usage:|positional arguments|options:|optional arguments|show this help|show program's|"
    r"error:|required:|invalid choice|expected one argument|unrecognized arguments"
)


def _commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_is_listed_with_chinese_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    assert not ENGLISH.search(text), text
    assert text.startswith("用法：zhidu")
    for name in COMMANDS:
        line = next(ln for ln in text.splitlines() if ln.split()[:1] == [name])
        assert CJK.search(line), line


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_help_is_chinese_and_explains_every_argument(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = _commands()[name]
    for action in parser._actions:
        assert action.help and CJK.search(action.help), f"zhidu {name} {action.option_strings or action.dest}"
        # A placeholder is Chinese or a list of allowed values, never an English name in capitals.
        if isinstance(action.metavar, str):
            assert not re.fullmatch(r"[A-Z_]+", action.metavar), action.metavar
    assert main([name, "-h"]) == 0
    text = capsys.readouterr().out
    assert not ENGLISH.search(text), text
    assert text.startswith(f"用法：zhidu {name}")
    assert not re.search(r"\b[A-Z][A-Z_]{2,}\b", text.split("\n\n")[0]), text


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["check", "--format", "xml"],
            "zhidu: 用法错误: 参数 --format 的取值 'xml' 无效，可选：'text', 'json'",
        ),
        (["build", "-j", "x"], "zhidu: 用法错误: 参数 -j/--jobs 应为整数，实际为 'x'"),
        (["import"], "zhidu: 用法错误: 缺少必需的参数：文件, -o/--out"),
        (["check", "policy", "extra"], "zhidu: 用法错误: 无法识别的参数：extra"),
        (["build", "-o"], "zhidu: 用法错误: 参数 -o/--out 后面需要一个值"),
    ],
)
def test_usage_errors_are_chinese(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err.splitlines()
    assert err.startswith("用法：zhidu")
    assert not ENGLISH.search(err), err
