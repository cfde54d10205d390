"""Frequency wording ↔ normalised value: the two directions agree, on the seed and on every period."""

from __future__ import annotations

import pytest

from zhidu import frequency
from zhidu.model import Policy


@pytest.mark.parametrize("per", list(frequency.PERIOD_NAMES))
@pytest.mark.parametrize("n", [1, 2, 12])
def test_generated_wording_parses_back(per: str, n: int) -> None:
    stated = frequency.parse(frequency.wording(per, n))
    assert (stated.per, stated.min) == (per, n)


def test_events_and_occurrence_round_trip() -> None:
    stated = frequency.parse(frequency.wording(None, None, ["重大节日", "重要时期"], on_occurrence=True))
    assert stated.events == ("重大节日", "重要时期")
    assert stated.on_occurrence


def test_every_seed_display_agrees_with_its_annotation(seed_policy: Policy) -> None:
    checked = 0
    for _path, p, d in seed_policy.duties():
        f = d.frequency
        if f is None:
            continue
        assert f.display in p.text
        stated = frequency.parse(f.display)
        if f.per:
            assert (stated.per, stated.min) == (f.per, f.min), (d.id, f.display)
            # The canonical wording for the annotation states the same period.
            assert frequency.parse(frequency.wording(f.per, f.min)).per == f.per
            checked += 1
        elif f.on_occurrence:
            assert stated.on_occurrence or "立即" in f.display, (d.id, f.display)
    assert checked >= 8


def test_badges() -> None:
    assert frequency.badge("month", 1) == "每月≥1次"
    assert frequency.badge("week", 1) == "每周"
    assert frequency.badge("week", 2) == "每周≥2次"
    assert frequency.badge(None, None, ["重大节日", "重要时期"]) == "重大节日、重要时期"
    assert frequency.badge(None, None) == "常态"
