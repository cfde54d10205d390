"""Fixtures for the importer tests: the seed notice imported once per module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_TEXT
from tests.importer.helpers import do_import


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    out = tmp_path_factory.mktemp("seed") / "gongyuan"
    docs, report = do_import(SEED_TEXT, out)
    return out, docs, report
