"""Renderers: one per format, registered by name. A build target is a (product, format) pair.

The format modules import only `render.base`; this face loads them on demand, so `zhidu check` never imports
python-docx or Jinja2.
"""

from __future__ import annotations

import difflib

from zhidu.artifact import Artifact
from zhidu.errors import UsageError
from zhidu.render.base import REGISTRY, RenderContext, Renderer, register

__all__ = ["Artifact", "RenderContext", "Renderer", "get_renderer", "load_renderers", "register"]


def load_renderers() -> dict[str, type[Renderer]]:
    """Import every format module (heavy imports stay inside their render methods)."""
    from zhidu.render import docx, html, markdown, pdf, xlsx  # noqa: F401

    return REGISTRY


def get_renderer(name: str) -> type[Renderer]:
    """The renderer for a format name, with a "did you mean" for a typo."""
    reg = load_renderers()
    if name not in reg:
        close = difflib.get_close_matches(name, list(reg), n=1)
        hint = f"，是否想用 {close[0]!r}？" if close else f"；可用格式：{', '.join(sorted(reg))}"
        raise UsageError(f"未知格式 {name!r}{hint}")
    return reg[name]
