"""HTML through templates (print CSS for A4)."""

from __future__ import annotations

from typing import ClassVar

from zhidu.render import Artifact, RenderContext, register
from zhidu.render._jinja import render_template, template_products
from zhidu.views import View


@register
class HtmlRenderer:
    """Renders templates/html/<product>.html.j2."""

    name: ClassVar[str] = "html"
    suffix: ClassVar[str] = ".html"
    products: ClassVar[frozenset[str]] = template_products("html")

    @classmethod
    def unavailable(cls) -> str | None:
        return None

    def render(self, view: View, ctx: RenderContext) -> list[Artifact]:
        text = render_template(
            "html",
            view.product,
            self.suffix,
            {"view": view, "data": view.data, "stamp": view.stamp},
            ctx.template_dirs,
        )
        return [Artifact(view.name + self.suffix, text.encode("utf-8"), view.product, self.name)]
