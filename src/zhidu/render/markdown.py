"""Markdown through templates (one paragraph per line: soft breaks would show as spaces in Chinese)."""

from __future__ import annotations

from typing import ClassVar

from zhidu.render import Artifact, RenderContext, register
from zhidu.render._jinja import render_template, template_products
from zhidu.views import View


@register
class MarkdownRenderer:
    """Renders templates/md/<product>.md.j2."""

    name: ClassVar[str] = "md"
    suffix: ClassVar[str] = ".md"
    products: ClassVar[frozenset[str]] = template_products("md")

    @classmethod
    def unavailable(cls) -> str | None:
        return None

    def render(self, view: View, ctx: RenderContext) -> list[Artifact]:
        text = render_template(
            "md",
            view.product,
            self.suffix,
            {"view": view, "data": view.data, "stamp": view.stamp},
            ctx.template_dirs,
        )
        return [Artifact(view.name + self.suffix, text.encode("utf-8"), view.product, self.name)]
