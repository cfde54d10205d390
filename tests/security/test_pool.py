"""A render worker killed from outside (as by the out-of-memory killer) is a message, not BrokenProcessPool."""

from __future__ import annotations

import os

import pytest

from zhidu.errors import RenderError
from zhidu.render import jobs


def _killed(_bounds: tuple[int, int]) -> list[object]:
    os._exit(9)


def test_dead_worker_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "_render_chunk", _killed)
    work = [None] * jobs.PARALLEL_THRESHOLD
    with pytest.raises(RenderError, match="渲染进程意外退出"):
        jobs.render_jobs(work, workers=2)  # type: ignore[arg-type]
