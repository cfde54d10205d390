"""Safe, stable file-name components for community names."""

from __future__ import annotations

import pytest

from zhidu.naming import MAX_BYTES, community_slug, safe_component


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("示例一社区", "C-01-示例一社区"),
        ("a/b\\c", "C-01-a_b_c"),
        ("../../etc/passwd", "C-01-etc_passwd"),
        ("..", "C-01"),
        (".hidden", "C-01-hidden"),
        ("社区.", "C-01-社区"),
        ("v1.2社区", "C-01-v1_2社区"),
        ("社区 一\t二", "C-01-社区_一_二"),
        ('a:b*c?d"e<f>g|h', "C-01-a_b_c_d_e_f_g_h"),
        ("x\x00y\x1b\u202ez\u200b", "C-01-xyz"),
        ("\x01\x02", "C-01"),
        ("CON", "C-01-_CON"),
        ("nul.txt", "C-01-_nul_txt"),
        ("Com1", "C-01-_Com1"),
        ("CONSOLE", "C-01-CONSOLE"),
    ],
)
def test_community_slug(name: str, expected: str) -> None:
    assert community_slug("C-01", name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CON", "_CON"), ("aux", "_aux"), ("LPT9", "_LPT9"), ("con.txt", "_con_txt"), ("", "_"), ("...", "_")],
)
def test_safe_component_never_yields_a_device_name_or_nothing(text: str, expected: str) -> None:
    assert safe_component(text) == expected


def test_same_name_different_ids_are_distinct_and_stable() -> None:
    a, b = community_slug("C-01", "示例社区"), community_slug("C-02", "示例社区")
    assert a != b
    assert (a, b) == (community_slug("C-01", "示例社区"), community_slug("C-02", "示例社区"))


def test_unicode_forms_map_to_one_name() -> None:
    # macOS hands back NFD; the same community must keep one folder.
    assert (
        community_slug("C-01", "Cafe\u0301社区") == community_slug("C-01", "Caf\u00e9社区") == "C-01-Café社区"
    )


@pytest.mark.parametrize("unit", ["很长的社区名称", "社区a", "😀", "abc"])
def test_long_names_are_capped_by_utf8_bytes_on_a_character_boundary(unit: str) -> None:
    name = unit * 200
    slug = community_slug("C-01", name)
    raw = slug.encode("utf-8")
    assert len(raw) <= MAX_BYTES
    assert raw.decode("utf-8") == slug
    assert slug.startswith("C-01-" + unit)
    assert slug == community_slug("C-01", name)
    # Two long names that share the kept prefix still differ, by the hash of the whole name.
    assert community_slug("C-01", name + "甲") != slug


def test_result_is_always_one_safe_component() -> None:
    nasty = ["/", "\\", "..", ".", "a/../b", "\n", "C:\\x", "//server/share", " . ", "CON.", "\u202e.exe"]
    for name in nasty:
        s = community_slug("C-07", name)
        assert "/" not in s and "\\" not in s and ".." not in s
        assert not s.startswith(".") and not s.endswith((".", " "))
        assert s.startswith("C-07")
