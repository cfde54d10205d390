"""The only writer: safe paths under build/, atomic replace, no double claims, incremental, a manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from zhidu import __version__
from zhidu.artifact import Artifact
from zhidu.atomic import TMP_PREFIX, AtomicBatch, atomic_write, refuse_links
from zhidu.errors import OutputError, os_reason

MANIFEST = "manifest.json"
LOCK = ".zhidu.lock"
#: The manifest is a few hundred KB for a big policy; a larger one is not ours.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
#: The largest output hashed to prove it is unchanged or ours (a docx with pictures is a few MB).
MAX_OUTPUT_BYTES = 512 * 1024 * 1024
#: Only files of these kinds are ever removed as stale, and never under a version-control folder.
PRUNABLE_SUFFIXES = frozenset({".docx", ".html", ".md", ".pdf"})
VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"})
#: Most file systems cap one path component at 255 bytes.
MAX_COMPONENT_BYTES = 255
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_join(root: Path, rel: str) -> Path:
    """Join a relative output path under `root`, refusing anything that could land outside it."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or "\\" in rel or "\x00" in rel:
        raise OutputError(f"输出路径不合法：{rel!r}")
    for part in p.parts:
        if part in ("", ".", "..") or part.startswith(TMP_PREFIX):
            raise OutputError(f"输出路径不合法：{rel!r}")
        if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
            raise OutputError(f"输出文件名过长（超过 {MAX_COMPONENT_BYTES} 字节）：{part[:20]}…")
        if part.split(".", 1)[0].lower() in _RESERVED:
            raise OutputError(f"输出文件名是保留设备名：{part!r}")
    target = root.joinpath(*p.parts)
    # A symlink planted inside build/ must not redirect a write (or a removal) anywhere: refused outright.
    refuse_links(target, root)
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def build_lock(root: Path, timeout: float = 600) -> Iterator[None]:
    """Serialise builds into the same folder, so two at once leave it consistent."""
    import os
    import stat

    from filelock import FileLock, Timeout

    try:
        root.mkdir(parents=True, exist_ok=True)
        st = os.lstat(root / LOCK)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise OutputError(f"无法使用输出目录 {root}：{os_reason(e)}") from e
    else:
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{root / LOCK} 不是普通文件（可能是符号链接），请删除后重试")
    lock = FileLock(str(root / LOCK))
    try:
        with lock.acquire(timeout=timeout):
            yield
    except Timeout as e:
        raise OutputError(f"另一个构建正在写入 {root}，等待超时") from e
    except OSError as e:
        raise OutputError(f"无法锁定输出目录 {root}：{os_reason(e)}") from e


@dataclass
class WriteResult:
    """What a write pass did."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def read_manifest(root: Path) -> dict[str, Any]:
    """The last build's manifest (regular file, size-bounded, valid JSON object), or {}."""
    from zhidu.cache import read_regular

    raw = read_regular(root / MANIFEST, MAX_MANIFEST_BYTES)
    if raw is None:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    if not isinstance(data.get("outputs"), dict):
        data["outputs"] = {}
    return data


def proven_output(root: Path, rel: str, entry: object) -> Path | None:
    """The file at `rel` when the manifest entry proves zhidu wrote it; None otherwise.

    Proof: a plain relative path of an output kind, outside version-control folders, reached without symlinks,
    a regular file whose size and SHA-256 match the entry. A planted manifest can name any file; only a file
    whose exact bytes zhidu's entry records, in a place zhidu writes to, may be removed.
    """
    import os
    import stat

    from zhidu.cache import read_regular

    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
        return None
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).suffix.lower() not in PRUNABLE_SUFFIXES or VCS_DIRS & set(parts):
        return None
    if rel in (MANIFEST, LOCK):
        return None
    try:
        target = safe_join(root, rel)
        st = os.lstat(target)
    except (OutputError, OSError):
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size != entry.get("size") or st.st_size > MAX_OUTPUT_BYTES:
        return None
    data = read_regular(target, MAX_OUTPUT_BYTES)
    return target if data is not None and sha256(data) == entry["sha256"] else None


class OutputWriter:
    """Writes a build's artifacts under one root; call `write_all` once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write_all(
        self,
        artifacts: Iterable[Artifact],
        versions: dict[str, dict[str, Any]],
        meta: Mapping[str, dict[str, str]],
        inputs: str = "",
    ) -> WriteResult:
        """Write changed artifacts, drop outputs of earlier builds that are no longer produced, write the manifest.

        `artifacts` may be a stream (render.jobs.iter_render): each one goes to a temporary file as it comes and
        only its digest is kept; nothing is renamed into place until the last one is in. `meta` maps each
        artifact path to its version key and stamp code (looked up when the artifact comes);
        `versions` describes each version.
        """
        result = WriteResult()
        with build_lock(self.root):
            self._clean_temp()
            old = read_manifest(self.root).get("outputs", {})
            outputs: dict[str, Any] = {}
            with AtomicBatch(root=self.root) as batch:
                for a in artifacts:
                    if a.path in outputs:
                        raise OutputError(
                            f"两个产物争用同一输出路径：{a.path}（{outputs[a.path]['product']} 与 {a.product}）"
                        )
                    target = safe_join(self.root, a.path)
                    digest = sha256(a.data)
                    prev = old.get(a.path)
                    if (
                        isinstance(prev, dict)
                        and prev.get("sha256") == digest
                        and _same_file(target, len(a.data), digest)
                    ):
                        result.unchanged.append(a.path)
                    else:
                        with _write_errors(self.root):
                            batch.add(target, a.data)
                        result.written.append(a.path)
                    outputs[a.path] = {
                        "sha256": digest,
                        "size": len(a.data),
                        "product": a.product,
                        "format": a.format,
                        **meta.get(a.path, {}),
                    }
                with _write_errors(self.root):
                    batch.commit()
            result.written.sort()
            result.unchanged.sort()
            emptied: set[Path] = set()
            for stale in sorted(set(old) - set(outputs)):
                proven = proven_output(self.root, stale, old[stale])
                if proven is not None:
                    with contextlib.suppress(OSError):
                        proven.unlink()
                        result.removed.append(stale)
                        emptied.add(proven.parent)
            self._drop_empty_folders(emptied)
            manifest = {
                "generator": f"zhidu {__version__}",
                "inputs": inputs,
                "versions": versions,
                "outputs": outputs,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            mpath = self.root / MANIFEST
            from zhidu.cache import read_regular

            if read_regular(mpath, MAX_MANIFEST_BYTES) != text.encode("utf-8"):
                atomic_write(mpath, text.encode("utf-8"), root=self.root)
            result.manifest = manifest
        return result

    def _drop_empty_folders(self, folders: set[Path]) -> None:
        """Remove folders that pruning left empty (a deleted community's checklists/<name>/), deepest first.

        Only folders strictly inside the output root, reached without links, and only when truly empty: rmdir
        refuses a folder that holds anything, a user's own file included.
        """
        root = self.root.resolve()
        todo = set()
        for f in folders:
            cur = f
            while cur != self.root and cur.is_relative_to(self.root):
                todo.add(cur)
                cur = cur.parent
        for folder in sorted(todo, key=lambda p: len(p.parts), reverse=True):
            if folder.is_symlink() or not folder.resolve().is_relative_to(root) or folder.resolve() == root:
                continue
            with contextlib.suppress(OSError):
                folder.rmdir()

    def _clean_temp(self) -> None:
        # Leftovers of a build killed mid-write are never real outputs.
        import os

        if self.root.is_dir():
            for dirpath, _dirs, files in os.walk(self.root):  # never follows symlinked folders
                for name in files:
                    if name.startswith(TMP_PREFIX):
                        with contextlib.suppress(OSError):
                            os.unlink(os.path.join(dirpath, name))


@contextlib.contextmanager
def _write_errors(root: Path) -> Iterator[None]:
    """A failed write (full disk, no permission) as an OutputError naming the file."""
    try:
        yield
    except OSError as e:
        raise OutputError(f"写入 {e.filename or root} 失败：{os_reason(e)}") from e


def _same_file(path: Path, size: int, digest: str) -> bool:
    from zhidu.cache import read_regular

    data = read_regular(path, max(size, 0))
    return data is not None and len(data) == size and sha256(data) == digest
