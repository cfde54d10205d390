"""The user cache: `zhidu check` results, docx base packages and compiled templates (like ruff's cache).

An unchanged policy is answered from ~/.cache/zhidu (or $XDG_CACHE_HOME/zhidu) without importing the model;
ZHIDU_NO_CACHE=1 turns it off. A cache folder may be shared or restored from elsewhere (CI caches), so it is
untrusted: every entry carries an HMAC-SHA256 tag under a per-user key kept outside it (0600, in
$XDG_STATE_HOME/zhidu), is read only from a regular file (never through a symlink, never a FIFO or device) up to
a size bound, and an entry that fails any check is ignored and rebuilt. Entries are written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path

#: The largest entry read back (a docx base package is ~100 KB, a check result of a big policy a few MB).
MAX_ENTRY_BYTES = 32 * 1024 * 1024
#: Bytes of a source file hashed into a key; a larger file is keyed by its size and mtime (the loader refuses it).
MAX_KEYED_FILE_BYTES = 8 * 1024 * 1024
_TAG = 32


def cache_dir() -> Path | None:
    """Where results are kept, or None when caching is off."""
    if os.environ.get("ZHIDU_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhidu"


def key_file() -> Path:
    """Where the per-user cache key lives: outside the cache folder, so a copied cache brings no key along."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "zhidu" / "cache.key"


@cache
def secret() -> bytes | None:
    """The per-user key (32 random bytes, mode 0600), made on first use; None when it cannot be trusted."""
    path = key_file()
    for _ in range(2):
        data = read_regular(path, 64)
        if data is not None:
            st = os.stat(path, follow_symlinks=False)
            if len(data) == 32 and st.st_uid == os.getuid() and not st.st_mode & 0o077:
                return data
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue  # another process made it first, or a non-file is in the way: read again
        except OSError:
            return None
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
    return None


def read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, at most `limit`; None for a symlink, FIFO, device, folder, larger file or error.

    O_NONBLOCK keeps a FIFO from hanging the open; the type and size come from the opened descriptor.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks) if got <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


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


def file_digest(f: Path) -> bytes:
    """What a key records of one file: its bytes' hash, or (not a small regular file) its type, size and mtime.

    Never reads more than MAX_KEYED_FILE_BYTES: a huge or endless file is the loader's to refuse, not the key's
    to swallow.
    """
    try:
        st = os.stat(f, follow_symlinks=False)
    except OSError as e:
        return f"missing:{e.errno}".encode()
    if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_KEYED_FILE_BYTES:
        data = read_regular(f, MAX_KEYED_FILE_BYTES)
        if data is not None:
            return hashlib.sha256(data).digest()
    if stat.S_ISLNK(st.st_mode):
        with contextlib.suppress(OSError):
            return b"link:" + os.readlink(f).encode("utf-8", "surrogateescape")
    return f"other:{st.st_mode}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}".encode()


def key(parts: Iterable[str], files: Iterable[Path]) -> str:
    """A key over some strings and the names and contents of some files."""
    h = hashlib.sha256(code_hash().encode())
    for s in parts:
        h.update(s.encode("utf-8", "surrogateescape") + b"\0")
    for f in sorted(set(files)):
        h.update(os.fsencode(f) + b"\0")
        h.update(file_digest(f))
    return h.hexdigest()


def _tag(k: bytes, kind: str, name: str, payload: bytes) -> bytes:
    return hmac.new(k, kind.encode() + b"\0" + name.encode() + b"\0" + payload, hashlib.sha256).digest()


def get_bytes(kind: str, name: str) -> bytes | None:
    """An entry's payload when its tag verifies under the user's key; None otherwise (missing, bad, forged)."""
    d = cache_dir()
    k = secret() if d is not None else None
    if d is None or k is None:
        return None
    raw = read_regular(d / kind / name, MAX_ENTRY_BYTES + _TAG)
    if raw is None or len(raw) < _TAG:
        return None
    tag, payload = raw[:_TAG], raw[_TAG:]
    return payload if hmac.compare_digest(tag, _tag(k, kind, name, payload)) else None


def put_bytes(kind: str, name: str, payload: bytes) -> None:
    """Store an entry with its tag; a cache that cannot be written never fails the command."""
    d = cache_dir()
    k = secret() if d is not None else None
    if d is None or k is None or len(payload) > MAX_ENTRY_BYTES:
        return
    from zhidu.atomic import atomic_write
    from zhidu.errors import OutputError

    with contextlib.suppress(OSError, OutputError):
        atomic_write(d / kind / name, _tag(k, kind, name, payload) + payload, mode=0o600)


def get(kind: str, k: str) -> dict[str, object] | None:
    """A JSON entry (a dict), or None."""
    raw = get_bytes(kind, f"{k}.json")
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def put(kind: str, k: str, value: dict[str, object]) -> None:
    """Store a JSON entry."""
    put_bytes(kind, f"{k}.json", json.dumps(value, ensure_ascii=False).encode("utf-8"))
