"""Fixtures for the workbench: a scratch copy of the seed policy folder, the app in process, a real server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
WORK = "gongyuan-aqsc"


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A scratch copy of the seed policy folder (both versions and parties.yaml)."""
    dest = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", dest)
    return dest


@dataclass
class Server:
    """A `zhidu serve` process on 127.0.0.1 at a random port."""

    url: str
    token: str
    root: Path
    proc: subprocess.Popen[str]

    @property
    def start(self) -> str:
        return f"{self.url}/?token={self.token}"


def start_server(root: Path, *extra: str) -> Server:
    """Start the real command and read its address from the first line it prints."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhidu", "serve", str(root), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
    assert m, f"unexpected first line: {line!r}"
    server = Server(m[1], m[2], root, proc)
    # The URL is printed just before uvicorn binds; wait until it answers.
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(server.url + "/static/app.css", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.05)
    return server


@pytest.fixture
def server(policy_copy: Path) -> Iterator[Server]:
    # The browser tests look at HTML; a warm LibreOffice would only compete with chromium for the CPU.
    s = start_server(policy_copy, "--no-pdf-preview")
    try:
        yield s
    finally:
        s.proc.terminate()
        try:
            s.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            s.proc.kill()
            s.proc.wait()
