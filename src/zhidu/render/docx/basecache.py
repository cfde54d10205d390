"""Base packages kept in memory per process and on disk in the user's cache, so most builds skip python-docx."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from zhidu.layout import Profile
from zhidu.render.docx.package import Base

if TYPE_CHECKING:
    from docx.document import Document

_BASES: dict[tuple[str, int], tuple[Profile, Base]] = {}


def cached_base(name: str, profile: Profile, make: Callable[[Profile], Document]) -> Base:
    """The Base of product `name` for `profile`, made by `make(profile)` only when no cache has it.

    Kept in memory per process and in the user's cache (`zhidu.cache`) across runs: building a base needs
    python-docx (about 0.1 s to import) and ~30 ms per product, which a small build would otherwise spend
    mostly on this.
    """
    key = (name, id(profile))
    hit = _BASES.get(key)
    if hit is None or hit[0] is not profile:
        hit = _BASES[key] = (profile, _stored_base(name, profile, make))
    return hit[1]


def _stored_base(name: str, profile: Profile, make: Callable[[Profile], Document]) -> Base:
    import base64
    import json

    from zhidu import cache

    if cache.cache_dir() is None:
        return Base.of(make(profile))
    values = {k: t.value for k, t in profile.values.items()}
    k = cache.key([name, json.dumps(values, sort_keys=True, default=str), _docx_fingerprint()], [])
    entry = cache.get("docx-base", k)
    parts = entry.get("parts") if entry is not None else None
    if isinstance(parts, dict):
        try:
            return Base({n: base64.b64decode(b) for n, b in parts.items()})
        except (TypeError, ValueError, KeyError, etree.XMLSyntaxError):
            pass  # a damaged entry is rebuilt and overwritten
    base = Base.of(make(profile))
    cache.put("docx-base", k, {"parts": {n: base64.b64encode(b).decode() for n, b in base.parts.items()}})
    return base


@cache
def _docx_fingerprint() -> str:
    """python-docx's version and templates, which a base is made from; read without importing python-docx."""
    import hashlib
    from importlib.util import find_spec

    spec = find_spec("docx")
    if spec is None or spec.origin is None:
        return "no python-docx"
    root = Path(spec.origin).parent
    h = hashlib.sha256(repr(etree.LXML_VERSION).encode())
    for rel in (
        "__init__.py",
        "templates/default.docx",
        "templates/default-header.xml",
        "templates/default-footer.xml",
        "templates/default-settings.xml",
    ):
        with contextlib.suppress(OSError):
            h.update(rel.encode() + b"\0" + (root / rel).read_bytes())
    return h.hexdigest()
