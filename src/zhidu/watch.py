"""`zhidu build --watch`: build, then rebuild whenever a source file changes, in one warm process.

A cold build spends most of its time starting Python and importing; an author who rebuilds on every save should pay
that once. Templates stay compiled and docx base packages stay in memory between builds, and every rebuild goes
through the same `build()` as a one-off build (same outputs, same no-op skip when nothing changed).
"""

from __future__ import annotations

import os
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


def _identity(path: Path) -> tuple[int, int] | None:
    """Which folder `path` is now: deleting and recreating it gives a new one, which needs a new watch."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _roots(opts: BuildOptions) -> list[Path]:
    """The folders to watch: the source and the work folders its versions read from (parties.yaml, …)."""
    from zhidu.build import input_roots

    try:
        return [r for r in input_roots(opts) if r.exists()]
    except (ZhiduError, OSError):
        return [opts.source] if opts.source.exists() else []


def watch_builds(
    opts: BuildOptions,
    on_build: OnBuild,
    stop: Event | None = None,
    debounce_ms: int = 200,
) -> None:
    """Build now, then again after each batch of changes under `opts.source`, until `stop` is set or Ctrl-C.

    Changes come from the OS's file notifications; set WATCHFILES_FORCE_POLLING=1 where there are none (some
    network and container file systems). A source folder deleted and made again is watched again (a watch
    holds the old folder), and a rebuild follows as soon as it is back.
    """
    from watchfiles import watch

    out = os.path.realpath(opts.out)

    def relevant(_change: Change, path: str) -> bool:
        # Our own outputs (should build/ sit inside the source) and editors' temporary files are not edits.
        # realpath, not Path.resolve: a symlink loop appearing in the source must not end the session.
        p = Path(path)
        real = os.path.realpath(path)
        return not (
            real == out
            or real.startswith(out + os.sep)
            or p.name.startswith((".", "~"))
            or p.suffix in (".swp", ".tmp")
        )

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    _timed(opts, on_build, first=True)
    while not stopped():
        ident = _identity(opts.source)
        roots = _roots(opts)
        replaced = False
        if ident is not None and roots:
            for changes in watch(
                *roots,
                watch_filter=relevant,
                stop_event=stop,
                debounce=debounce_ms,
                yield_on_timeout=True,
                rust_timeout=1000,
            ):
                if _identity(opts.source) != ident:
                    replaced = True
                    break
                if changes:
                    _timed(opts, on_build, first=False)
            if not replaced:
                return  # stopped
        # The source is gone (or was replaced): wait for it, then build what is there and watch it.
        while _identity(opts.source) is None:
            if stop is not None:
                if stop.wait(0.3):
                    return
            else:
                time.sleep(0.3)
        _timed(opts, on_build, first=False)
