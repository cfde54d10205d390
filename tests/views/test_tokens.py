"""Unbreakable tokens of table cells: citations by level, collapsed ranges, badge pieces (issue 17)."""

from __future__ import annotations

from pathlib import Path

from tests.numbering.test_schemes import _statute
from zhidu.model import Policy
from zhidu.views.tokens import (
    WJ,
    badge_tokens,
    citation_tokens,
    collapse,
    collapse_paths,
    keep_numbers,
    plain,
)


def test_citation_tokens_are_the_levels_of_the_policy_citation(seed_policy: Policy) -> None:
    for path in ((0,), (3, 1), (7, 3, 9), (2, 10, 0)):
        if path in dict(seed_policy.walk()):
            assert plain(citation_tokens(seed_policy, path)) == seed_policy.cite(path)
            assert plain(citation_tokens(seed_policy, path, compact=True)) == seed_policy.cite(
                path, compact=True
            )
    # The outline scheme never says 第X条: it would clash with a real 第X条 of another document.
    assert citation_tokens(seed_policy, (7, 3, 9)) == ("第八部分", "第（四）项", "第10目")
    assert citation_tokens(seed_policy, (0, 10)) == ("第一部分", "第（十一）项")
    # In a narrow column the outline cites by its printed numbers.
    assert citation_tokens(seed_policy, (7, 3, 9), compact=True) == ("八", "（四）", "10.")


def test_statute_citation_tokens_skip_the_chapter(tmp_path: Path) -> None:
    p = _statute(tmp_path)
    # 第二章 → 第三条 → （一）: a statute cites article and item; compact changes nothing there.
    assert citation_tokens(p, (1, 0, 0)) == ("第三条", "第（一）项")
    assert citation_tokens(p, (1, 0, 0), compact=True) == ("第三条", "第（一）项")
    assert citation_tokens(p, (1, 0, 1, 0)) == ("第三条", "第（二）项", "第1目")


def test_runs_of_three_or_more_siblings_collapse_into_a_range(seed_policy: Policy) -> None:
    paths = [(7, 3, i) for i in range(1, 9)]  # 第八部分第（四）项第2目 … 第9目
    assert collapse(seed_policy, paths) == [("第八部分", "第（四）项", "第2—9目")]
    assert collapse(seed_policy, paths, compact=True) == [("八", "（四）", "2—9")]
    # Items (项) read 第（二）至（四）项; two neighbours stay two citations; order and gaps are kept.
    assert collapse(seed_policy, [(0, 1), (0, 2), (0, 3)]) == [("第一部分", "第（二）至（四）项")]
    assert collapse(seed_policy, [(7, 0), (7, 3, 0), (7, 3, 1)]) == [
        ("第八部分", "第（一）项"),
        ("第八部分", "第（四）项", "第1目"),
        ("第八部分", "第（四）项", "第2目"),
    ]
    assert collapse(seed_policy, [(0, 9), (0, 10), (0, 11), (0, 11)]) == [
        ("第一部分", "第（十）至（十二）项")
    ]
    # Top-level runs name both ends: 第一部分至第三部分, never 第一—三部分.
    assert collapse(seed_policy, [(0,), (1,), (2,)]) == [("第一部分至第三部分",)]
    # Each range carries its first provision, where a link goes.
    assert collapse_paths(seed_policy, paths)[0][1] == (7, 3, 1)


def test_badges_wrap_between_pieces_and_numbers_stay_whole() -> None:
    assert badge_tokens("每月≥1次；重大节日、重要时期") == ("每月≥1次", "重大节日", "重要时期")
    assert badge_tokens("常态") == ("常态",)
    text = keep_numbers("值班领导24小时值班在岗，依据《安全生产法》。")
    assert "2" + WJ + "4" + WJ + "小" + WJ + "时" in text
    assert (
        WJ.join("《安全生产法》") in text
        and text.replace(WJ, "") == "值班领导24小时值班在岗，依据《安全生产法》。"
    )
