"""HTML through templates (print CSS for A4)."""

from __future__ import annotations

from typing import ClassVar

from zhidu.render._jinja import TemplateRenderer, template_products
from zhidu.render.base import register


@register
class HtmlRenderer(TemplateRenderer):
    """Renders templates/html/<product>.html.j2."""

    name: ClassVar[str] = "html"
    suffix: ClassVar[str] = ".html"
    products: ClassVar[frozenset[str]] = template_products("html")
