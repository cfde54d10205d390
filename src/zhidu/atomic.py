"""Atomic file replacement: every file zhidu writes, inside or outside an output folder, goes through here.

A reader sees either the old bytes or the new ones, never a mixture; a failure leaves at most a temporary file
(named with TMP_PREFIX, which the next build removes). A symlink planted at the target, or in a folder between
the output root and the target, is refused rather than followed or replaced: an output folder may come from
someone else (a shared checkout, an unpacked archive), and a link there must not steer a write elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from zhidu.errors import OutputError, os_reason

TMP_PREFIX = ".zhidu-tmp-"

__all__ = ["TMP_PREFIX", "AtomicBatch", "atomic_write", "atomic_write_many"]


def refuse_links(path: Path, root: Path | None = None) -> None:
    """Raise OutputError when `path`, or a folder between `root` (exclusive) and it, is a symlink.

    Without a root only the target itself is checked: the folders above it are the user's to choose.
    """
    chain: list[Path] = []
    if root is not None:
        try:
            rel = path.relative_to(root)
        except ValueError:
            raise OutputError(f"输出路径越出输出目录：{path}") from None
        p = root
        for part in rel.parts[:-1]:
            p = p / part
            chain.append(p)
    # Outermost first, so a link is named where it is, not by the loop error it causes further down.
    chain.append(path)
    for p in chain:
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        except OSError as e:
            raise OutputError(f"无法检查 {p}：{os_reason(e)}") from e
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(f"{p} 是符号链接，拒绝通过它写入（请删除该链接）")
        if p is path and not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{p} 已存在且不是普通文件，拒绝覆盖")


def _write_temp(path: Path, data: bytes, mode: int, sync: bool, root: Path | None, names: list[str]) -> str:
    """`data` in a new temporary file next to `path`; its name.

    The name goes into `names` before the file exists, so whoever cleans up after a failure or Ctrl-C knows it
    whatever moment the interruption hit (tempfile.mkstemp only tells the name after creating the file: a
    KeyboardInterrupt in between left a temporary file nobody knew of).
    """
    refuse_links(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_links(path, root)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(path.parent, TMP_PREFIX + secrets.token_hex(8))
        names.append(tmp)
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            names.pop()  # someone else's: not ours to remove
    else:
        raise FileExistsError(errno.EEXIST, "没有可用的临时文件名", str(path.parent))
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        if sync:
            os.fsync(f.fileno())
    os.chmod(tmp, mode)
    return tmp


def _fsync_path(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicBatch:
    """Many files, each replaced atomically, their bytes handed over one at a time.

    `add` writes a temporary file at once, so a caller never has to hold every file's bytes; `commit` flushes
    them to disk together and renames them into place. Leaving the `with` block without a commit (an error,
    Ctrl-C) removes the temporary files: each target keeps its old bytes.

    One fsync per file in sequence made a build wait on the disk once per output; issued from a few threads
    at the end, the file system commits them together.
    """

    def __init__(self, mode: int = 0o644, root: Path | None = None) -> None:
        self.mode = mode
        self.root = root
        self._targets: list[Path] = []
        #: Every temporary file made or about to be made, each removed on leaving the block uncommitted.
        self._names: list[str] = []

    def __enter__(self) -> AtomicBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp in self._names:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._names = []
        self._targets = []

    def add(self, path: Path, data: bytes) -> None:
        """Write `data` to a temporary file beside `path` (renamed into place by `commit`)."""
        _write_temp(path, data, self.mode, False, self.root, self._names)
        self._targets.append(path)

    def commit(self) -> None:
        """Flush every temporary file to disk, rename each into place, then make the renames durable."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(_fsync_path, self._names))
        # Names already renamed are gone: removing them again after an interruption here is a no-op.
        for path, tmp in zip(self._targets, self._names, strict=True):
            os.replace(tmp, path)
        folders = sorted({str(path.parent) for path in self._targets})
        self._names = []
        self._targets = []
        with ThreadPoolExecutor(4) as pool:
            # The renames themselves are durable once their folders are.
            list(pool.map(_fsync_path, folders))


def atomic_write_many(items: list[tuple[Path, bytes]], mode: int = 0o644, root: Path | None = None) -> None:
    """Replace many files, each atomically (see AtomicBatch); a failure leaves every target as it was."""
    with AtomicBatch(mode, root) as batch:
        for path, data in items:
            batch.add(path, data)
        batch.commit()


def atomic_write(path: Path, data: bytes, mode: int = 0o644, root: Path | None = None) -> None:
    """Write through a temporary file in the same folder, fsync, and rename it into place.

    Refuses (OutputError) a symlink or non-file at `path` and a symlinked folder below `root`.
    """
    names: list[str] = []
    try:
        os.replace(_write_temp(path, data, mode, True, root, names), path)
    except BaseException:
        for tmp in names:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
