"""Shared for the diff tests: the seed's two versions and their 修订对照表 view."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, load_case
from zhidu.model import Policy
from zhidu.views import PlanOptions, View, plan

WORK = ROOT / "policy" / "gongyuan-aqsc"


@pytest.fixture(scope="module")
def seed_pair() -> tuple[Policy, Policy]:
    return load_case(WORK / "2024.1"), load_case(WORK / "2024.2")


@pytest.fixture(scope="module")
def seed_view(seed_pair: tuple[Policy, Policy]) -> View:
    views = plan(seed_pair[1], PlanOptions(previous=seed_pair[0]), products=["diff"])
    assert [v.name for v in views] == ["revision-table"]
    return views[0]
