"""Safe, stable file-name components for names users type (community names), on every common file system."""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Bytes one path component may take: ext4/NTFS allow 255, and the rest of the path (suffixes, a sync tool's
#: conflict marker, zip entry names) needs headroom.
MAX_BYTES = 120

# Path separators, the characters Windows forbids, and whitespace runs: each run becomes one "_".
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
#: Windows device names, reserved with or without an extension (CON, con.txt).
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def _strip_controls(text: str) -> str:
    # Cc (C0/C1 controls) and Cf (zero-width, bidi overrides) are invisible in listings or reorder them.
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))


def _cap(text: str, max_bytes: int, full: str) -> str:
    """Cut `text` to `max_bytes` of UTF-8 on a character boundary, tagged with a hash of `full` when cut."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    tag = "~" + hashlib.sha256(full.encode("utf-8")).hexdigest()[:8]
    room = max(max_bytes - len(tag), 0)
    cut = text.encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut.rstrip("_-. ") + tag


def safe_component(text: str, max_bytes: int = MAX_BYTES) -> str:
    """One path component from any text: no separators, dots, controls or device names; at most `max_bytes`.

    Pure and deterministic, so the same name always maps to the same file.
    """
    norm = unicodedata.normalize("NFC", text)
    # Whitespace first (tabs and newlines are controls too, but they separate words), then the invisible rest.
    # ASCII dots go as well: no "..", no hidden ".x", no trailing dot (Windows drops it), no fake suffix.
    s = _strip_controls(_UNSAFE.sub("_", norm.replace(".", "_")))
    s = re.sub(r"_+", "_", s).strip("_")
    if not s:
        s = "_"
    if s.split("_", 1)[0].upper() in _RESERVED or s.upper() in _RESERVED:
        s = "_" + s
    return _cap(s, max_bytes, norm)


def community_slug(community_id: str, name: str, max_bytes: int = MAX_BYTES) -> str:
    """The folder name of a community's outputs: "C-01-示例一社区".

    The id comes first, so two communities with the same name get distinct names and a cut long name stays
    distinct; ids are unique and upper-case, so names do not collide on case-insensitive file systems either.
    """
    head = safe_component(community_id, max_bytes)
    tail = safe_component(name, max_bytes - len(head.encode("utf-8")) - 1)
    # A name with nothing printable left (all dots or controls) names the folder by the id alone.
    return head if tail.strip("_") == "" else f"{head}-{tail}"
