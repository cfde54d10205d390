"""Title breaking (GB/T 9704 7.3.1): between words, never inside a name or a quotation, in a 梯形 or 菱形."""

from __future__ import annotations

import random

import pytest

from tests.conftest import ROOT, load_case
from zhidu.layout import cjk_width
from zhidu.render.docx.titles import TITLE_WORDS, is_trapezoid_or_diamond, lines_ok, split_title, word_breaks

ORGAN = "鄂尔多斯市东胜区公园街道办事处"
KEEP = (ORGAN, "东胜区公园街道办事处", "东胜区应急管理局")


def assert_well_broken(title: str, lines: list[str], limit: float = 20) -> None:
    assert "".join(lines) == title
    widths = [cjk_width(x) for x in lines]
    # One line may run a 字 over (its spacing is then tightened), never more.
    assert max(widths) <= limit + 1
    assert sum(w > limit for w in widths) <= 1
    assert is_trapezoid_or_diamond(widths), (lines, widths)
    allowed = set(word_breaks(title, KEEP))
    cut = 0
    for line in lines[:-1]:
        cut += len(line)
        assert cut in allowed, (title, lines)
        # never inside a kept name, a quotation or a title word
        for name in (*KEEP, *TITLE_WORDS):
            for start in range(len(title)):
                if title.startswith(name, start):
                    assert not start < cut < start + len(name), (name, lines)
        assert title[:cut].count("“") == title[:cut].count("”")
        assert title[:cut].count("《") == title[:cut].count("》")


@pytest.mark.parametrize("version", ["2024.1", "2024.2"])
def test_seed_titles_break_between_words_in_shape(version: str) -> None:
    policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / version)
    assert policy.notice is not None
    notice_title = "".join(policy.notice.title_lines)
    lines = split_title(notice_title, 20, KEEP)
    assert_well_broken(notice_title, lines)
    # the YAML's own breaks: 2024.1 splits "贯彻|落实", 2024.2 stacks 19/19 -- both are broken anew
    assert not lines_ok(policy.notice.title_lines, 20, KEEP)
    reg = policy.regulation.title
    assert_well_broken(reg, split_title(reg, 20, KEEP))


def test_seed_titles_as_broken() -> None:
    assert split_title(
        "鄂尔多斯市东胜区公园街道办事处关于贯彻落实安全生产“党政同责、一岗双责”工作制度及安全生产责任分工的通知",
        20,
        KEEP,
    ) == [
        "鄂尔多斯市东胜区公园街道办事处关于",
        "贯彻落实安全生产“党政同责、一岗双责”",
        "工作制度及安全生产责任分工的通知",
    ]
    assert split_title(
        "东胜区公园街道办事处安全生产“党政同责、一岗双责”工作制度及东胜区公园街道办事处安全生产责任分工",
        20,
        KEEP,
    ) == [
        "东胜区公园街道办事处安全生产",
        "“党政同责、一岗双责”工作制度",
        "及东胜区公园街道办事处安全生产责任分工",
    ]


_ORGANS = [ORGAN, "东胜区应急管理局", "东胜区公园街道办事处", ""]
_VERBS = ["印发", "进一步加强", "开展", "贯彻落实", "做好", "转发"]
_TOPICS = [
    "安全生产",
    "“党政同责、一岗双责”",
    "冬春季火灾防控",
    "燃气安全隐患排查",
    "《安全生产事故统计直报通报制度》",
    "城镇燃气安全专项整治",
    "汛期地质灾害防御",
    "危险化学品安全风险集中治理",
    "“安全生产月”活动",
]
_TAILS = ["工作制度", "工作方案", "实施方案", "专项整治工作", "责任清单", "工作", "管理办法"]


def _synthetic(n: int) -> list[str]:
    rnd = random.Random(9704)
    out: set[str] = set()
    while len(out) < n:
        topics = "及".join(rnd.sample(_TOPICS, rnd.randint(1, 3)))
        t = f"{rnd.choice(_ORGANS)}关于{rnd.choice(_VERBS)}{topics}{rnd.choice(_TAILS)}的通知"
        if 15 <= cjk_width(t) <= 60:
            out.add(t)
    return sorted(out)


@pytest.mark.parametrize("title", _synthetic(60))
def test_synthetic_titles_of_15_to_60_characters(title: str) -> None:
    lines = split_title(title, 20, KEEP)
    if cjk_width(title) <= 20:
        assert lines == [title]
    else:
        assert_well_broken(title, lines)


def test_equal_and_hourglass_stacks_are_no_shape() -> None:
    assert not is_trapezoid_or_diamond([19, 19, 16])
    assert not is_trapezoid_or_diamond([18, 12, 18])
    assert is_trapezoid_or_diamond([17, 21, 16])
    assert is_trapezoid_or_diamond([14, 15, 19])
