"""Numbering schemes as data: printed numbers, citations and W112 per scheme, on real policies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_DIR
from zhidu import lint
from zhidu.diagnostics import Report
from zhidu.load.policy import load_policy
from zhidu.model import Policy
from zhidu.numbering import Numbers, read_number, scheme

STATUTE_REG = """\
work: W-STATUTE
version:
  id: "2025.1"
  status: draft
  effective:
    from: undetermined-1
title: 某街道安全生产责任规定
numbering:
  scheme: statute
  chapters: true
sections:
  - id: S-01
    source_number: 第一章
    text: 总则
    children:
      - id: P-01-01
        source_number: 第一条
        text: 为落实安全生产责任，制定本规定。
      - id: P-01-02
        source_number: 第二条
        text: 本规定适用于街道办事处各科室和社区。
  - id: S-02
    source_number: 第二章
    text: 职责
    owners: [R-01]
    children:
      - id: P-02-01
        source_number: "{third}"
        text: 街道办事处履行下列职责：
        children:
          - id: P-02-01-01
            source_number: "{item}"
            text: 组织开展安全检查。
            duties:
              - id: D-02-01-01
          - id: P-02-01-02
            source_number: （二）
            text: 督促隐患整改。
            children:
              - id: P-02-01-02-01
                source_number: "{sub}"
                text: 建立隐患台账。
"""
ROLES = "roles:\n  - id: R-01\n    name: 街道办事处\n    kind: department\n"


def _statute(tmp_path: Path, third: str = "第三条", item: str = "（一）", sub: str = "1.") -> Policy:
    d = tmp_path / "w" / "2025.1"
    d.mkdir(parents=True)
    (d / "regulation.yaml").write_text(STATUTE_REG.format(third=third, item=item, sub=sub), encoding="utf-8")
    (d / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (d / "laws.yaml").write_text("laws: []\n", encoding="utf-8")
    report = Report()
    policy = load_policy(d, report)
    assert policy is not None, report.format_text()
    assert not report.errors
    return policy


def test_statute_numbers_articles_through_chapters(tmp_path: Path) -> None:
    p = _statute(tmp_path)
    assert [p.numbers.number(path) for path, _ in p.walk()] == [
        "第一章",
        "第一条",
        "第二条",
        "第二章",
        "第三条",
        "（一）",
        "（二）",
        "1.",
    ]
    # Chapters are not cited: 第X条 is unique in the whole regulation.
    assert p.cite((1, 0, 1, 0)) == "第三条第（二）项第1目"
    assert p.cite((1, 0)) == "第三条"


def test_citation_styles_are_configurable(tmp_path: Path) -> None:
    nodes = _statute(tmp_path).regulation.sections
    assert Numbers(scheme("statute", chapters=True, cite="chapter"), nodes).citation((1, 0, 0)) == (
        "第二章第三条第（一）项"
    )
    assert (
        Numbers(scheme("statute", chapters=True, cite="number"), nodes).citation((1, 0, 0))
        == "第二章第三条（一）"
    )


def test_outline_citation_cannot_be_read_as_an_article(seed_policy: Policy) -> None:
    assert seed_policy.cite((3, 0, 1)) == "第四部分第（一）项第2目"
    assert seed_policy.cite((0, 5)) == "第一部分第（六）项"
    assert all("条" not in seed_policy.cite(path) for path, _ in seed_policy.walk())


@pytest.mark.parametrize(
    ("third", "item", "sub", "message"),
    [
        ("第四条", "（一）", "1.", "原文编号“第四条”跳号：前一项之后缺“第三条”"),
        ("第二条", "（一）", "1.", "原文编号“第二条”重号"),
        ("第三条", "(一)", "1.", "原文编号“(一)”使用了半角括号"),
        ("第三条", "（一）", "1、", "原文编号“1、”的分隔符“、”有误，应写作“1.”"),
        (
            "三、",
            "（一）",
            "1.",
            "原文编号“三、”不是本制度编号体系（第一章 → 第一条 → （一） → 1.）在此层级的形式",
        ),
    ],
)
def test_w112_names_the_problem_per_scheme(
    tmp_path: Path, third: str, item: str, sub: str, message: str
) -> None:
    report = Report()
    lint.run(_statute(tmp_path, third, item, sub), report, only={"W112"})
    assert [i.message for i in report.issues if message in i.message], report.format_text()


def test_w112_quiet_on_a_clean_statute(tmp_path: Path) -> None:
    report = Report()
    lint.run(_statute(tmp_path), report, only={"W112"})
    assert report.issues == []


def test_read_number_accepts_common_forms() -> None:
    assert read_number("第十二条") is not None
    got = read_number("(三)")
    assert got is not None and got.value == 3 and got.half_width
    assert read_number("某某") is None


def test_outline_separator_message(tmp_path: Path) -> None:
    work = tmp_path / "seed"
    shutil.copytree(SEED_DIR.parent, work)
    reg = work / "2024.1" / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace('source_number: "二、"', 'source_number: "二."'), "utf-8"
    )
    report = Report()
    policy = load_policy(work / "2024.1", report)
    assert policy is not None
    lint.run(policy, report, only={"W112"})
    assert any("原文编号“二.”的分隔符“.”有误，应写作“二、”" in i.message for i in report.issues)
