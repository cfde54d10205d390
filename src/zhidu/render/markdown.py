"""Markdown through templates (one paragraph per line: soft breaks would show as spaces in Chinese)."""

from __future__ import annotations

from typing import ClassVar

from zhidu.render._jinja import TemplateRenderer, template_products
from zhidu.render.base import register


@register
class MarkdownRenderer(TemplateRenderer):
    """Renders templates/md/<product>.md.j2."""

    name: ClassVar[str] = "md"
    suffix: ClassVar[str] = ".md"
    products: ClassVar[frozenset[str]] = template_products("md")
