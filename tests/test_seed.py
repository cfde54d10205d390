"""The seed regulation 东公政发〔2024〕27号: complete, faithful, and every defect found by `zhidu check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SEED_DIR, SEED_TEXT
from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.render.html import HtmlRenderer
from zhidu.render.markdown import MarkdownRenderer
from zhidu.views import plan

_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．]|[（(]\d+[）)])"
)
_NOISE = {"(", ")", "- 1 -"}


def _norm(line: str) -> str:
    return re.sub(r"\s+", "", _NUMBER.sub("", line.strip()))


def seed_lines() -> list[str]:
    lines = [ln for ln in SEED_TEXT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [_norm(ln) for ln in lines if ln.strip() not in _NOISE]


def _render(policy: Policy, renderer: type[MarkdownRenderer] | type[HtmlRenderer]) -> str:
    [view] = plan(policy, products=["notice"])
    [art] = renderer().render(view, RenderContext(policy=policy))
    return art.data.decode("utf-8")


def _md_text_lines(md: str) -> list[str]:
    out = []
    for ln in md.splitlines():
        ln = ln.strip()
        if not ln or ln == "---" or ln.startswith(">"):
            continue
        out.append(_norm(ln.lstrip("#").strip()))
    return out


def test_rendered_notice_reproduces_seed_text(seed_policy: Policy) -> None:
    rendered = _md_text_lines(_render(seed_policy, MarkdownRenderer))
    expected = seed_lines()
    # The seed prints 署名 and the 印发 line with spaces; compare without whitespace, line by line.
    printed = "".join(expected[-1:])
    assert printed == "鄂尔多斯市东胜区公园街道办事处2024年6月3日印发"
    # Line breaks are whitespace too (the title's three lines): compare the whole text stream.
    got, want = "".join(rendered), "".join(expected)
    if got != want:
        i = next(
            (k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want))
        )
        pytest.fail(
            f"differs at {i}: rendered …{got[max(0, i - 20) : i + 20]}… seed …{want[max(0, i - 20) : i + 20]}…"
        )


def test_issued_version_prints_its_source_numbers(seed_policy: Policy) -> None:
    # 2024.1 is the as-issued record: its duplicated 四、 is printed as issued, not renumbered.
    md = _render(seed_policy, MarkdownRenderer)
    heads = re.findall(r"^### ([一二三四五六七八九十]+)、", md, flags=re.M)
    assert heads == list("一二四四五六七八")
    assert "(一)安全生产工作实行年度目标管理责任制考核" in md.replace(" ", "")


def test_corrected_version_is_numbered_one_to_eight() -> None:
    from zhidu.load.policy import load_policy

    report = Report()
    policy = load_policy(SEED_DIR.parent / "2024.2", report)
    assert policy is not None
    heads = re.findall(r"^### ([一二三四五六七八九十]+)、", _render(policy, MarkdownRenderer), flags=re.M)
    assert heads == list("一二三四五六七八")


def test_golden_markdown_and_html(seed_policy: Policy, golden) -> None:  # type: ignore[no-untyped-def]
    golden("notice/seed.md", _render(seed_policy, MarkdownRenderer))
    golden("notice/seed.html", _render(seed_policy, HtmlRenderer))


def test_seed_counts(seed_policy: Policy) -> None:
    assert len(seed_policy.regulation.sections) == 8
    assert len(list(seed_policy.walk())) == 91
    assert len(list(seed_policy.duties())) == 67
    assert len(seed_policy.roles) == 9


# Every defect of the seed as issued, as (code, fragment of the message).
SEED_DEFECTS = [
    ("W102", "应急管理句"),
    ("W102", "分级分类监管理"),
    ("W102", "安全年生产"),
    ("W103", "半角标点“,”"),
    ("W103", "半角标点“;”"),
    ("W101", "首句相同"),
    ("W104", "“值班领导24小时值班在岗"),
    ("W112", "原文编号“四、”跳号：前一项之后缺“三、”"),
    ("W112", "原文编号“四、”重号"),
    ("W112", "原文编号“(一)”使用了半角括号"),
    ("W113", "书名号标示的并列成分"),
    ("W113", "引号标示的并列成分"),
    ("W114", "本工作清单"),
    ("W114", "本办法"),
    ("W115", "“督察”与“督查”混用"),
    ("W115", "“安全生产工作领导小组”与“安全生产领导小组”混用"),
]


def test_check_finds_every_seed_defect(seed_policy: Policy) -> None:
    report = Report()
    lint.run(seed_policy, report)
    found = [(i.code, i.message) for i in report.issues]
    for code, fragment in SEED_DEFECTS:
        assert any(c == code and fragment in m for c, m in found), (code, fragment)
    assert not report.errors


def test_check_output_golden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], golden
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(Path(SEED_DIR).parents[2])
    assert main(["check", "policy/gongyuan-aqsc/2024.1"]) == 0
    assert main(["check", "policy/gongyuan-aqsc/2024.1", "--strict"]) == 1
    out = capsys.readouterr().out
    first = out[: len(out) // 2]
    assert first == out[len(out) // 2 :]  # same findings with and without --strict
    golden("check/seed.txt", first)
