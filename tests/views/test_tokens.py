"""Unbreakable tokens of table cells: citations by level, collapsed ranges, badge pieces (issue 17)."""

from __future__ import annotations

from zhidu.numbering import citation
from zhidu.views.tokens import (
    WJ,
    badge_tokens,
    citation_tokens,
    collapse,
    collapse_paths,
    keep_numbers,
    plain,
)


def test_citation_tokens_are_the_levels_of_numbering_citation() -> None:
    for path in ((0,), (3, 1), (7, 3, 9), (2, 10, 0, 1)):
        assert plain(citation_tokens(path)) == citation(path)
    assert citation_tokens((7, 3, 9)) == ("第八条", "第（四）项", "第10目")
    assert citation_tokens((0, 10)) == ("第一条", "第（十一）项")


def test_runs_of_three_or_more_siblings_collapse_into_a_range() -> None:
    paths = [(7, 3, i) for i in range(1, 9)]  # 第八条第（四）项第2目 … 第9目
    assert collapse(paths) == [("第八条", "第（四）项", "第2—9目")]
    # Items (项) read 第（二）至（四）项; two neighbours stay two citations; order and gaps are kept.
    assert collapse([(0, 1), (0, 2), (0, 3)]) == [("第一条", "第（二）至（四）项")]
    assert collapse([(7, 0), (7, 3, 0), (7, 3, 1)]) == [
        ("第八条", "第（一）项"),
        ("第八条", "第（四）项", "第1目"),
        ("第八条", "第（四）项", "第2目"),
    ]
    assert collapse([(0, 9), (0, 10), (0, 11), (0, 11)]) == [("第一条", "第（十）至（十二）项")]
    # Each range carries its first provision, where a link goes.
    assert collapse_paths(paths)[0][1] == (7, 3, 1)


def test_badges_wrap_between_pieces_and_numbers_stay_whole() -> None:
    assert badge_tokens("每月≥1次；重大节日、重要时期") == ("每月≥1次", "重大节日", "重要时期")
    assert badge_tokens("常态") == ("常态",)
    text = keep_numbers("值班领导24小时值班在岗，依据《安全生产法》。")
    assert "2" + WJ + "4" + WJ + "小" + WJ + "时" in text
    assert (
        WJ.join("《安全生产法》") in text
        and text.replace(WJ, "") == "值班领导24小时值班在岗，依据《安全生产法》。"
    )
