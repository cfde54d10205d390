"""importer.report: gaps, duplicates and dropped lines are listed; no source line is ever lost."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_TEXT
from tests.importer.helpers import (
    CASES,
    LINE,
    assert_nothing_lost,
    do_import,
    yaml_haystack,
)
from zhidu.importer import run_import
from zhidu.importer.markers import core
from zhidu.importer.read import read_source


def test_seed_report_lists_gaps_duplicates_and_page_numbers(
    seed_import: tuple[Path, dict[str, Any], str],
) -> None:
    _, _, report = seed_import
    assert "- 第 54 行：一级编号“二、”之后缺“三、”" in report
    assert "- 第 54、71 行：一级编号“四、”重复" in report
    assert "编号“(一)”使用了半角括号，规范写法为“（一）”" in report
    assert "第 3 个一级条文（原文“四、”）下“（十）”与“（十一）”首句相同，疑似重复录入" in report
    for line in (
        "第 134 行：页码或残留符号：“(”",
        "第 135 行：页码或残留符号：“- 1 -”",
        "第 136 行：页码或残留符号：“)”",
    ):
        assert line in report
    assert "## 未能放置的文字（请人工处理）\n\n（无）" in report
    assert "- 去向：发文通知 9 行，制度正文 99 行，仅列入本报告 3 行" in report


def test_no_seed_line_is_lost(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    assert_nothing_lost(SEED_TEXT, seed_import[0])


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.glob("*.txt")))
def test_no_case_line_is_lost(tmp_path: Path, name: str) -> None:
    do_import(CASES / name, tmp_path / "o")
    assert_nothing_lost(CASES / name, tmp_path / "o")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=25))
def test_property_import_never_loses_a_non_empty_line(lines: list[str]) -> None:
    text = "\n".join(ln.replace("\r", "").replace("\x0b", "").replace("\x0c", "") for ln in lines)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.txt"
        src.write_text(text, encoding="utf-8")
        out = Path(d) / "out"
        run_import(src, out)
        read_back = read_source(src)
        hay = yaml_haystack(out)
        for i, ln in enumerate(read_back.lines, start=1):
            c = core(ln)
            assert not c or any(c in h for h in hay), f"第 {i} 行丢失：{ln!r}"
