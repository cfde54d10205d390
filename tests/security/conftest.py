"""Helpers for the hostile-input regression tests: a git repository holding the seed work, a zhidu runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "policy" / "gongyuan-aqsc"


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in `repo` with a fixed identity; its stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    out = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=True, env=env)
    return out.stdout.decode()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the seed work (both versions) committed twice at policy/w."""
    r = tmp_path / "repo"
    shutil.copytree(WORK, r / "policy" / "w")
    git(r, "init", "-q", "-b", "main")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "one")
    reg = r / "policy" / "w" / "2024.2" / "regulation.yaml"
    reg.write_text(reg.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(r, "commit", "-q", "-am", "two")
    return r


def zhidu(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`zhidu ARGS` in a fresh interpreter (the way a user runs it), with caching on in a private folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache-home")}
    env.pop("ZHIDU_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "zhidu", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    """A failure must be a message, never a Python traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr)
