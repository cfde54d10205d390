"""`zhidu build --watch`: one warm process rebuilds after each edit, reports broken input and keeps watching."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import CASES
from zhidu.build import BuildOptions, BuildResult
from zhidu.errors import ZhiduError
from zhidu.watch import watch_builds


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebuilds_after_each_edit_and_survives_broken_input(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(CASES / "minimal", src)
    opts = BuildOptions(source=src, out=tmp_path / "out", formats=["html", "md"])
    reg, roles = src / "regulation.yaml", src / "roles.yaml"
    seen: list[BuildResult | None] = []
    stop = threading.Event()
    # Each edit waits for the build before it, so every edit is one rebuild.
    edits = [
        lambda: _edit(reg, "每周走访辖区个体工商户。", "每周走访辖区个体工商户和企业。"),
        lambda: _edit(roles, "id: R-SJ", "id: r-sj"),  # broken: reported, nothing written
        lambda: _edit(roles, "id: r-sj", "id: R-SJ"),  # fixed again
    ]

    def on_build(result: BuildResult | None, error: ZhiduError | None, _seconds: float) -> None:
        assert error is None
        seen.append(result)
        if len(seen) <= len(edits):
            # Let the watcher take its first look before the file changes under it.
            threading.Timer(0.4, edits[len(seen) - 1]).start()
        else:
            stop.set()

    guard = threading.Timer(60, stop.set)  # a missed change fails the assertions below, never hangs the suite
    guard.start()
    try:
        watch_builds(opts, on_build, stop=stop, debounce_ms=50)
    finally:
        guard.cancel()
    assert len(seen) == 4, [r.written if r else None for r in seen]
    first, edited, broken, fixed = seen
    assert first is not None and first.written > 0 and not first.report.errors
    assert edited is not None and edited.written > 0 and not edited.report.errors
    notice = next((tmp_path / "out").rglob("notice.md")).read_text(encoding="utf-8")
    assert "每周走访辖区个体工商户和企业。" in notice
    assert broken is not None and [i.code for i in broken.report.errors] == ["E011"] and broken.written == 0
    assert fixed is not None and not fixed.report.errors


def test_a_bad_option_stops_watching_at_once(tmp_path: Path) -> None:
    from zhidu.errors import UsageError

    opts = BuildOptions(source=CASES / "minimal", out=tmp_path / "out", formats=["rtf"])
    built: list[BuildResult | None] = []
    stop = threading.Event()
    guard = threading.Timer(60, stop.set)  # should it watch after all, the test fails instead of hanging
    guard.start()
    try:
        with pytest.raises(UsageError):
            watch_builds(opts, lambda r, _e, _s: built.append(r), stop=stop)
    finally:
        guard.cancel()
    # At once: the option was refused before any build or watch, not when the guard stopped a watch.
    assert built == [] and not stop.is_set()
    assert not (tmp_path / "out").exists()
