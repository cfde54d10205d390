"""R4 and R1 for `--watch`: a symlink loop, a deleted and recreated source, an edit in the work folder."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from tests.security.conftest import WORK
from zhidu.build import BuildOptions, BuildResult
from zhidu.errors import ZhiduError
from zhidu.watch import watch_builds


def _session(opts: BuildOptions, edits: list[Callable[[], None]]) -> list[BuildResult | None]:
    """Run a watch session making one edit after each build; the builds' results (None: raised)."""
    seen: list[BuildResult | None] = []
    stop = threading.Event()

    def on_build(result: BuildResult | None, _error: ZhiduError | None, _s: float) -> None:
        seen.append(result)
        if len(seen) <= len(edits):
            threading.Timer(0.5, edits[len(seen) - 1]).start()
        else:
            stop.set()

    guard = threading.Timer(90, stop.set)
    guard.start()
    try:
        watch_builds(opts, on_build, stop=stop, debounce_ms=50)
    finally:
        guard.cancel()
    return seen


def _rename(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_r4_symlink_loop_then_recreated_source(tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(WORK, work)
    src = work / "2024.2"
    opts = BuildOptions(source=src, out=tmp_path / "out", formats=["md"], products=["checklist"])
    saved = tmp_path / "saved"

    def recreate() -> None:
        shutil.move(str(src), str(saved))
        shutil.copytree(saved, src, symlinks=True)

    edits = [
        lambda: os.symlink("loop", src / "loop"),
        recreate,
        lambda: _rename(src / "regulation.yaml", "每月", "每月"),  # an edit in the new folder is seen
        lambda: _rename(work / "parties.yaml", "示例一社区", "新名社区"),  # R1: the work folder is watched
    ]
    seen = _session(opts, edits)
    assert len(seen) == 5, seen
    assert all(r is not None and not r.report.errors for r in seen)
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.md"))
    assert "新名社区" in text
