"""The render stage of a build: (view, format) jobs, rendered serially or across cores in forked workers."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhidu.artifact import Artifact
from zhidu.render import RenderContext, load_renderers

if TYPE_CHECKING:
    from zhidu.views import View


#: Below this many render jobs a process pool costs more than it saves. Measured on 2 cores: the seed's 93 jobs
#: render no faster in a pool when cold and slower when warm (`--watch`: 0.26 s against 0.22 s serial); 933 jobs
#: render in about 60 % of the serial time.
PARALLEL_THRESHOLD = 200
#: The most jobs sent to a worker at once: a chunk's files are held until the writer takes them (~100 × 13 KB).
MAX_CHUNK = 100


@dataclass(frozen=True)
class Job:
    """One (view, format) to render, with the context of its version and where its outputs go."""

    view: View[object]
    fmt: str
    ctx: RenderContext
    prefix: str


# Set just before a fork-based pool starts, so workers inherit the jobs instead of unpickling them.
_WORK: list[Job] | None = None


def _iter_jobs(jobs: list[Job], bar: Callable[[int], None] | None = None) -> Iterator[Artifact]:
    registry = load_renderers()
    renderers = {fmt: registry[fmt]() for fmt in {j.fmt for j in jobs}}
    for j in jobs:
        for a in renderers[j.fmt].render(j.view, j.ctx):
            yield Artifact(f"{j.prefix}/{a.path}", a.data, a.product, a.format)
        if bar is not None:
            bar(1)


def _worker_init(parent: int) -> None:
    """Render workers die with the build: a killed build must not leave workers holding its pipes open."""
    import signal

    # Ctrl-C is the parent's to handle (one clean message, exit 130), not every worker's.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _render_chunk(bounds: tuple[int, int]) -> list[Artifact]:
    assert _WORK is not None
    return list(_iter_jobs(_WORK[bounds[0] : bounds[1]]))


def make_jobs(views: list[View[object]], ctx: RenderContext, formats: list[str], prefix: str) -> list[Job]:
    """Every (view, format) pair a renderer supports; PDF is converted later from the docx."""
    registry = load_renderers()
    return [
        Job(v, f, ctx, prefix)
        for f in formats
        if f != "pdf"
        for v in views
        if v.product in registry[f].products
    ]


def render_jobs(
    jobs: list[Job], workers: int | None = None, bar: Callable[[int], None] | None = None
) -> list[Artifact]:
    """Render all jobs into a list, in job order (see `iter_render`)."""
    with contextlib.closing(iter_render(jobs, workers, bar)) as artifacts:
        return list(artifacts)


def iter_render(
    jobs: list[Job], workers: int | None = None, bar: Callable[[int], None] | None = None
) -> Generator[Artifact, None, None]:
    """Render the jobs one after another, across cores when there are enough; artifacts come in job order.

    A generator, so the writer can take each file as it comes: holding every rendered file of a big build
    until the last one is done cost more memory than everything else of the build together (13 000 checklists
    in two formats are over 300 MB). Only a few chunks are in flight at a time for the same reason. Close it
    (contextlib.closing) when it may be left unfinished, so the worker pool is shut down at once.
    """
    global _WORK
    n = min(workers or os.cpu_count() or 1, 32)
    if n <= 1 or len(jobs) < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        yield from _iter_jobs(jobs, bar)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(len(jobs) // (n * 4), MAX_CHUNK))
    chunks = iter([(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)])
    _WORK = jobs
    try:
        with ProcessPoolExecutor(
            n,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        ) as pool:
            pending: deque[tuple[tuple[int, int], Future[list[Artifact]]]] = deque()
            for c in itertools.islice(chunks, 2 * n):
                pending.append((c, pool.submit(_render_chunk, c)))
            try:
                # Oldest first, so the artifacts (and the manifest) come in the same order as a serial build's.
                while pending:
                    (lo, hi), future = pending.popleft()
                    part = future.result()
                    nxt = next(chunks, None)
                    if nxt is not None:
                        pending.append((nxt, pool.submit(_render_chunk, nxt)))
                    if bar is not None:
                        bar(hi - lo)
                    yield from part
                    del part
            finally:
                # Closed early (the writer failed, Ctrl-C): chunks not yet started are not rendered at all.
                for _, future in pending:
                    future.cancel()
    except BrokenProcessPool as e:
        # A worker killed from outside (the out-of-memory killer, most often, on a very large policy).
        from zhidu.errors import RenderError

        raise RenderError(
            f"渲染进程意外退出（多为内存不足）：共 {len(jobs)} 个渲染任务、{n} 个进程；"
            "请用 -j 1 或减少 --product/--format 后重试"
        ) from e
    finally:
        _WORK = None
