"""What every format module needs: the Renderer protocol, the render context and the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from zhidu.artifact import Artifact
from zhidu.errors import RegistryError

if TYPE_CHECKING:
    from zhidu.model import Policy
    from zhidu.views import View

__all__ = ["REGISTRY", "Artifact", "RenderContext", "Renderer", "register"]


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

    def render(self, view: View[object], ctx: RenderContext) -> list[Artifact]: ...


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    """Add a renderer; registering a name twice fails at import time."""
    if cls.name in REGISTRY:
        raise RegistryError(f"格式 {cls.name!r} 已由 {REGISTRY[cls.name].__module__} 注册")
    REGISTRY[cls.name] = cls
    return cls
