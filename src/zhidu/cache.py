"""A result cache for `zhidu check`, keyed by everything the result depends on (like ruff's cache).

An unchanged policy is answered from ~/.cache/zhidu (or $XDG_CACHE_HOME/zhidu) without importing the model;
ZHIDU_NO_CACHE=1 turns it off. Entries are written atomically and a broken entry is simply ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path


def cache_dir() -> Path | None:
    """Where results are kept, or None when caching is off."""
    if os.environ.get("ZHIDU_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhidu"


@cache
def code_hash() -> str:
    """A hash of zhidu's own code and data, so a new version never reuses an old answer."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(
        p for p in root.rglob("*") if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts
    ):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def key(parts: Iterable[str], files: Iterable[Path]) -> str:
    """A key over some strings and the names and bytes of some files."""
    h = hashlib.sha256(code_hash().encode())
    for s in parts:
        h.update(s.encode() + b"\0")
    for f in sorted(set(files)):
        h.update(f.as_posix().encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def get(kind: str, k: str) -> dict[str, object] | None:
    d = cache_dir()
    if d is None:
        return None
    try:
        data = json.loads((d / kind / f"{k}.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def put(kind: str, k: str, value: dict[str, object]) -> None:
    d = cache_dir()
    if d is None:
        return
    # A cache that cannot be written (read-only home, full disk) must never fail the command.
    with contextlib.suppress(OSError):
        from zhidu.atomic import atomic_write

        atomic_write(d / kind / f"{k}.json", json.dumps(value, ensure_ascii=False).encode("utf-8"))
