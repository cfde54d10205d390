"""The only writer: safe paths under build/, atomic replace, no double claims, incremental, a manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from zhidu import __version__
from zhidu.artifact import Artifact
from zhidu.atomic import TMP_PREFIX, atomic_write, atomic_write_many
from zhidu.errors import OutputError, os_reason

MANIFEST = "manifest.json"
LOCK = ".zhidu.lock"
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
    resolved_root = root.resolve()
    # A symlink planted inside build/ must not redirect a write outside it.
    if not target.resolve().is_relative_to(resolved_root):
        raise OutputError(f"输出路径越出输出目录：{rel!r}")
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def build_lock(root: Path, timeout: float = 600) -> Iterator[None]:
    """Serialise builds into the same folder, so two at once leave it consistent."""
    from filelock import FileLock, Timeout

    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / LOCK))
    try:
        with lock.acquire(timeout=timeout):
            yield
    except Timeout as e:
        raise OutputError(f"另一个构建正在写入 {root}，等待超时") from e


@dataclass
class WriteResult:
    """What a write pass did."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def read_manifest(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


class OutputWriter:
    """Writes a build's artifacts under one root; call `write_all` once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write_all(
        self,
        artifacts: list[Artifact],
        versions: dict[str, dict[str, Any]],
        meta: dict[str, dict[str, str]],
        inputs: str = "",
    ) -> WriteResult:
        """Write changed artifacts, drop outputs of earlier builds that are no longer produced, write the manifest.

        `meta` maps each artifact path to its version key and stamp code; `versions` describes each version.
        """
        claimed: dict[str, Artifact] = {}
        for a in artifacts:
            if a.path in claimed:
                raise OutputError(
                    f"两个产物争用同一输出路径：{a.path}（{claimed[a.path].product} 与 {a.product}）"
                )
            claimed[a.path] = a
        targets = {a.path: safe_join(self.root, a.path) for a in artifacts}
        result = WriteResult()
        with build_lock(self.root):
            self._clean_temp()
            old = read_manifest(self.root).get("outputs", {})
            outputs: dict[str, Any] = {}
            changed: list[tuple[Path, bytes]] = []
            for a in sorted(artifacts, key=lambda a: a.path):
                digest = sha256(a.data)
                target = targets[a.path]
                prev = old.get(a.path)
                if prev and prev.get("sha256") == digest and _same_file(target, len(a.data), digest):
                    result.unchanged.append(a.path)
                else:
                    changed.append((target, a.data))
                    result.written.append(a.path)
                outputs[a.path] = {
                    "sha256": digest,
                    "size": len(a.data),
                    "product": a.product,
                    "format": a.format,
                    **meta.get(a.path, {}),
                }
            try:
                atomic_write_many(changed)
            except OSError as e:
                raise OutputError(f"写入 {e.filename or self.root} 失败：{os_reason(e)}") from e
            for stale in sorted(set(old) - set(outputs)):
                with contextlib.suppress(OSError, OutputError):
                    safe_join(self.root, stale).unlink()
                    result.removed.append(stale)
            manifest = {
                "generator": f"zhidu {__version__}",
                "inputs": inputs,
                "versions": versions,
                "outputs": outputs,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            mpath = self.root / MANIFEST
            if not mpath.exists() or mpath.read_text(encoding="utf-8") != text:
                atomic_write(mpath, text.encode("utf-8"))
            result.manifest = manifest
        return result

    def _clean_temp(self) -> None:
        # Leftovers of a build killed mid-write are never real outputs.
        if self.root.is_dir():
            for p in self.root.rglob(TMP_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    p.unlink()


def _same_file(path: Path, size: int, digest: str) -> bool:
    try:
        if path.stat().st_size != size:
            return False
        return sha256(path.read_bytes()) == digest
    except OSError:
        return False
