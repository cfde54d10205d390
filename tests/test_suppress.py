"""Suppressions: inline `# zhidu: 忽略 …` comments and lint.yaml, --show-ignored, stale suppressions, grouping."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_DIR
from zhidu.cli import main

WORK = SEED_DIR.parent


def _work(tmp_path: Path) -> Path:
    dest = tmp_path / "work"
    for v in ("2024.1", "2024.2"):
        shutil.copytree(WORK / v, dest / v)
    shutil.copy(WORK / "parties.yaml", dest / "parties.yaml")
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_inline_comment_silences_one_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = _work(tmp_path)
    reg = work / "2024.1" / "regulation.yaml"
    _edit(
        reg,
        '    source_number: "四、"\n    text: 其他',
        '    source_number: "四、"  # zhidu: 忽略 W112 原文如此，按原件录入\n    text: 其他',
    )
    _, out = _check(capsys, str(work / "2024.1"))
    # The first 四、 (line 352) is silenced; the second (重号) still reported.
    assert "跳号" not in out and "重号" in out
    _, out = _check(capsys, str(work / "2024.1"), "--show-ignored")
    assert "regulation.yaml:352:21: 已忽略[W112]: 原文编号“四、”跳号" in out
    assert "原因：原文如此，按原件录入；声明于" in out and "共 1 个问题被忽略。" in out


def test_comment_on_its_own_line_covers_the_item_below(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _work(tmp_path)
    reg = work / "2024.1" / "regulation.yaml"
    _edit(
        reg, "      - id: P-03-11\n", "      # zhidu: 忽略 W101 两句分属不同工作，保留\n      - id: P-03-11\n"
    )
    _, out = _check(capsys, str(work / "2024.1"))
    assert "W101" not in out
    assert "W112" in out  # other rules still report


def test_stale_and_reasonless_suppressions_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _work(tmp_path)
    reg = work / "2024.1" / "regulation.yaml"
    _edit(reg, "      - id: P-03-11\n", "      - id: P-03-11  # zhidu: 忽略 W106 早已改正\n")
    _edit(reg, "  - id: S-03\n", "  - id: S-03  # zhidu: 忽略 W112\n")
    code, out = _check(capsys, str(work / "2024.1"))
    assert "警告[W132]: 忽略 W106 的声明已不再匹配任何问题，请删除" in out
    assert "警告[W131]: 忽略 W112 未写明原因" in out
    assert code == 0


def test_lint_yaml_silences_a_rule_for_a_policy_or_for_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _work(tmp_path)
    (work / "lint.yaml").write_text(
        "ignore:\n"
        "  - code: W115\n"
        "    reason: 原件用语，2024.2 已统一\n"
        "  - code: W102\n"
        "    reason: 按原件录入\n"
        "    ids: [P-02-02]\n"
        "  - code: W117\n"
        "    reason: 无此问题\n",
        encoding="utf-8",
    )
    _, out = _check(capsys, str(work / "2024.1"), "--show-ignored")
    assert "警告[W115]" not in out and "已忽略[W115]" in out
    assert "已忽略[W102]: 疑似错别字“应急管理句”" in out
    assert "警告[W102]: 疑似错别字“分级分类监管理”" in out  # another id: still reported
    assert "lint.yaml:7:5: 警告[W132]: 忽略 W117 的声明已不再匹配任何问题" in out


def test_repeated_findings_on_one_line_are_grouped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _work(tmp_path)
    reg = work / "2024.1" / "regulation.yaml"
    _edit(reg, "text: 其他分管负责人安全生产职责", "text: 其他分管负责人,安全生产,职责,分工")
    _, out = _check(capsys, str(work / "2024.1"))
    lines = [ln for ln in out.splitlines() if ":353:" in ln and "W103" in ln]
    assert len(lines) == 1
    assert lines[0].endswith("（本段同类共 3 处，列 18、23、26）"), lines[0]


def test_w121_says_added_for_a_new_provision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = _work(tmp_path)
    reg = work / "2024.2" / "regulation.yaml"
    _edit(
        reg,
        "  - id: S-03\n",
        "  - id: S-09\n    text: 新增的一部分\n  - id: S-03\n",
    )
    _, out = _check(capsys, str(work / "2024.2"))
    assert "条文“S-09”为本版本新增（上一版本 2024.1 没有），但没有修订记录（changes）列出它" in out
