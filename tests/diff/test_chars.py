"""zhidu.diff.chars: the character-level diff."""

from __future__ import annotations

from zhidu.diff.chars import char_diff, width_only


def test_char_diff_keeps_a_changed_phrase_whole() -> None:
    # Semantic clean-up: one replaced phrase, not a scatter of shared characters (domain.md §12.10).
    ops = char_diff("承担街道安全生产工作领导小组办公室的日常工作", "承担街道应急管理委员会办公室的日常工作")
    changed = [(op, t) for op, t in ops if op != "equal"]
    assert changed == [("delete", "安全生产工作领导小组"), ("insert", "应急管理委员会")]


def test_width_only() -> None:
    assert width_only("在岗,做好巡查工作;", "在岗，做好巡查工作；")
    assert not width_only("在岗,做好", "在岗、做好")
    assert not width_only("相同", "相同")
