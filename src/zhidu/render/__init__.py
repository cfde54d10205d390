"""Renderers: one per format, registered by name. A build target is a (product, format) pair."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from zhidu.errors import RegistryError, UsageError

if TYPE_CHECKING:
    from zhidu.model import Policy
    from zhidu.views import View


@dataclass(frozen=True)
class Artifact:
    """One rendered file: a path relative to build/ and its bytes."""

    path: str
    data: bytes
    product: str
    format: str


@dataclass(frozen=True)
class RenderContext:
    """What renderers may consult besides the view."""

    policy: Policy
    #: A policy folder's own templates/ that override the shipped ones, if any.
    template_dirs: tuple[Path, ...] = ()
    #: Name of the layout profile for docx (templates/profiles/<name>.yaml).
    profile: str = "standard"
    options: dict[str, Any] = field(default_factory=dict)


class Renderer(Protocol):
    """A format: turns views of the products it supports into artifacts."""

    name: ClassVar[str]
    suffix: ClassVar[str]
    products: ClassVar[frozenset[str]]

    @classmethod
    def unavailable(cls) -> str | None:
        """None when usable, else why not."""
        ...

    def render(self, view: View, ctx: RenderContext) -> list[Artifact]: ...


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    """Add a renderer; registering a name twice fails at import time."""
    if cls.name in REGISTRY:
        raise RegistryError(f"格式 {cls.name!r} 已由 {REGISTRY[cls.name].__module__} 注册")
    REGISTRY[cls.name] = cls
    return cls


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
