"""Atomic file replacement: every file zhidu writes, inside or outside an output folder, goes through here.

A reader sees either the old bytes or the new ones, never a mixture; a failure leaves at most a temporary file
(named with TMP_PREFIX, which the next build removes).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TMP_PREFIX = ".zhidu-tmp-"

__all__ = ["TMP_PREFIX", "atomic_write", "atomic_write_many"]


def _write_temp(path: Path, data: bytes, mode: int, sync: bool) -> str:
    """`data` in a new temporary file next to `path`; its name. Removed again if writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _fsync_path(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_many(items: list[tuple[Path, bytes]], mode: int = 0o644) -> None:
    """Replace many files, each atomically: all written to temporary files, flushed to disk together, renamed.

    One fsync per file in sequence made a build wait on the disk once per output; issued from a few threads,
    the file system commits them together. Each target still holds either its old or its new bytes, never
    a mixture, and a failure leaves only temporary files, which the next build removes.
    """
    from concurrent.futures import ThreadPoolExecutor

    temps: list[str] = []
    try:
        for path, data in items:
            temps.append(_write_temp(path, data, mode, sync=False))
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(_fsync_path, temps))
        for (path, _), tmp in zip(items, temps, strict=True):
            os.replace(tmp, path)
        temps = []
        with ThreadPoolExecutor(4) as pool:
            # The renames themselves are durable once their folders are.
            list(pool.map(_fsync_path, sorted({str(p.parent) for p, _ in items})))
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write through a temporary file in the same folder, fsync, and rename it into place."""
    tmp = _write_temp(path, data, mode, sync=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
