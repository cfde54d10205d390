"""Shared fixtures: the seed policy, small case projects, golden files with a one-command refresh."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from zhidu.diagnostics import Report
from zhidu.load.policy import load_policy
from zhidu.model import Policy

# Tests exercise the real checks, never answers cached in the user's home (test_cache.py turns it on).
os.environ["ZHIDU_NO_CACHE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "policy" / "gongyuan-aqsc" / "2024.1"
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = Path(__file__).resolve().parent / "cases"
#: A copy of ../shared/seed/000_6dbcfac1e3d2ddaf.txt, so the suite runs from any clone.
SEED_TEXT = CASES / "seed" / "000_6dbcfac1e3d2ddaf.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


def pytest_runtest_setup(item: pytest.Item) -> None:
    # In CI a render test that cannot run is a failure, never a skip.
    if item.get_closest_marker("render") and shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) 未安装：CI 中渲染测试不得跳过")
        pytest.skip("LibreOffice (soffice) not installed")


def load_case(path: Path) -> Policy:
    """Load a policy folder that must be valid; fail with every diagnostic otherwise."""
    report = Report()
    policy = load_policy(path, report)
    assert policy is not None, report.format_text()
    return policy


@pytest.fixture(scope="session")
def seed_policy() -> Policy:
    return load_case(SEED_DIR)


@pytest.fixture(name="load_case")
def load_case_fixture() -> Callable[[Path], Policy]:
    return load_case


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """golden(relpath, text): compare with tests/golden/relpath; `pytest --update-golden` rewrites it."""
    update = request.config.getoption("--update-golden")

    def check(relpath: str, text: str) -> None:
        path = GOLDEN / relpath
        if update or not path.exists():
            if not update and os.environ.get("CI") == "true":
                pytest.fail(f"golden file missing: {relpath} (run make golden)")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"output differs from tests/golden/{relpath}; run `make golden` and review the diff"
        )

    return check
