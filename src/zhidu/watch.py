"""`zhidu build --watch`: build, then rebuild whenever a source file changes, in one warm process.

A cold build spends most of its time starting Python and importing; an author who rebuilds on every save should pay
that once. Templates stay compiled and docx base packages stay in memory between builds, and every rebuild goes
through the same `build()` as a one-off build (same outputs, same no-op skip when nothing changed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from zhidu.build import BuildOptions, BuildResult, build
from zhidu.errors import ZhiduError

if TYPE_CHECKING:
    from watchfiles import Change

#: Called after every build with its result (None when it raised) and its wall time in seconds.
OnBuild = Callable[[BuildResult | None, ZhiduError | None, float], None]


def _timed(opts: BuildOptions, on_build: OnBuild, first: bool) -> None:
    t0 = time.perf_counter()
    try:
        result = build(opts)
    except ZhiduError as e:
        if first:
            raise  # a bad option or an unwritable output folder will not fix itself
        on_build(None, e, time.perf_counter() - t0)
        return
    on_build(result, None, time.perf_counter() - t0)


def watch_builds(
    opts: BuildOptions,
    on_build: OnBuild,
    stop: Event | None = None,
    debounce_ms: int = 200,
) -> None:
    """Build now, then again after each batch of changes under `opts.source`, until `stop` is set or Ctrl-C.

    Changes come from the OS's file notifications; set WATCHFILES_FORCE_POLLING=1 where there are none (some
    network and container file systems).
    """
    from watchfiles import watch

    out = opts.out.resolve()

    def relevant(_change: Change, path: str) -> bool:
        # Our own outputs (should build/ sit inside the source) and editors' temporary files are not edits.
        p = Path(path)
        return not (
            p.resolve().is_relative_to(out) or p.name.startswith((".", "~")) or p.suffix in (".swp", ".tmp")
        )

    _timed(opts, on_build, first=True)
    for _changes in watch(
        opts.source,
        watch_filter=relevant,
        stop_event=stop,
        debounce=debounce_ms,
    ):
        _timed(opts, on_build, first=False)
