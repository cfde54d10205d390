"""The benchmark command runs and prints its table; the generators make valid policies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, load_case

sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_communities import make_policy_tree
from gen_policy import make_policy


def test_synthetic_policy_is_valid_at_any_size(tmp_path: Path) -> None:
    work = make_policy(7, 60, 5, tmp_path)
    policy = load_case(work / "1.0")
    assert len(policy.roles) == 7
    assert len(list(policy.duties())) == 60
    assert policy.parties is not None and len(policy.parties.communities) == 5
    again = make_policy(7, 60, 5, tmp_path / "again")
    for f in sorted(work.rglob("*.yaml")):
        assert f.read_bytes() == (again / f.relative_to(work)).read_bytes()


def test_community_generator_scales(tmp_path: Path) -> None:
    policy = load_case(make_policy_tree(120, tmp_path / "w") / "2024.1")
    assert policy.parties is not None and len(policy.parties.communities) == 120


def test_benchmark_quick_run_prints_the_table() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for row in (
        "cold `zhidu check policy/`, no cache",
        "peer: pandoc",
        "cold full build",
        "no-op rebuild",
        "cold build, version 2024.1 only",
        "rebuild after one duty",
        "same, warm (`zhidu build --watch` process)",
        "zhidu diff 2024.1 → 2024.2",
        "zhidu export seed 2024.2 → xlsx (67 duties)",
        "zhidu merge seed 2024.2, no edits",
        "zhidu merge synthetic M=100, one edit (change set)",
        "checklists, K = 10",
        "synthetic N=10",
        "serve: save → HTML preview (median of 3)",
        "serve: text editor write → HTML preview",
        "worst: import, cc line, 60 000 spaces",
        "worst: import, zip-bomb .docx (150 MB part)",
        "worst: check, W101 N=500",
        "worst: no-op build, 1.5 GB sparse file",
        "HMAC-checked template cache warm",
    ):
        assert row in out.stdout
    assert "× pandoc" in out.stdout and "peak memory" in out.stdout
    assert "stages of one cold full seed build" in out.stdout
