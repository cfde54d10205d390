"""The docx format: one builder per product, registered with `@docx_builder("product")`.

Builder modules are imported lazily from `BUILDER_MODULES`, so `zhidu check` and `--help` never import
python-docx. To add a product, write ``zhidu/render/docx/<product>.py`` with a decorated builder and add its
module name to `BUILDER_MODULES` and its products to `_MODULE_PRODUCTS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import ClassVar, TypeVar

from zhidu.errors import RenderError
from zhidu.render.base import Artifact, RenderContext, register
from zhidu.views.base import View

P = TypeVar("P")
#: A product's builder: its typed view → the .docx bytes.
Builder = Callable[["View[P]", RenderContext], bytes]
#: What the renderer calls: any view, checked against the payload type the builder declared.
Checked = Callable[["View[object]", RenderContext], bytes]

#: product name → (the builder as written, its checked entry point).
DOCX_BUILDERS: dict[str, tuple[object, Checked]] = {}

#: Modules that register builders; each is imported on first use. One line per product.
BUILDER_MODULES: list[str] = [
    "zhidu.render.docx.notice",
    "zhidu.render.docx.card",
    "zhidu.render.docx.checklist",
    "zhidu.render.docx.diff",
]

#: Products each module provides (space-separated), so `products` is known without importing python-docx.
_MODULE_PRODUCTS: dict[str, str] = {
    "zhidu.render.docx.notice": "notice",
    "zhidu.render.docx.card": "duty-card duty-list",
    "zhidu.render.docx.checklist": "checklist",
    "zhidu.render.docx.diff": "diff",
}


def docx_builder(product: str, payload: type[P]) -> Callable[[Builder[P]], Builder[P]]:
    """Register the docx builder of `product`, whose views carry a `payload`; a product registered twice fails
    at import time, and a view with another payload is a RenderError instead of an attribute error deep inside."""

    def deco(fn: Builder[P]) -> Builder[P]:
        if product in DOCX_BUILDERS and DOCX_BUILDERS[product][0] is not fn:
            first = DOCX_BUILDERS[product][0]
            raise RenderError(f"docx 产品 {product!r} 已由 {getattr(first, '__module__', '?')} 注册")

        def checked(view: View[object], ctx: RenderContext) -> bytes:
            data = view.data
            if not isinstance(data, payload):
                raise RenderError(
                    f"docx 产品 {product!r} 需要 {payload.__name__}，实际为 {type(data).__name__}"
                )
            return fn(View(view.product, view.name, view.title, view.stamp, data), ctx)

        DOCX_BUILDERS[product] = (fn, checked)
        return fn

    return deco


def _available_modules() -> list[str]:
    from importlib.util import find_spec

    return [m for m in BUILDER_MODULES if find_spec(m) is not None]


def load_builders() -> dict[str, Checked]:
    """Import every present builder module (this imports python-docx); product → checked builder."""
    for mod in _available_modules():
        importlib.import_module(mod)
    return {product: checked for product, (_fn, checked) in DOCX_BUILDERS.items()}


@register
class DocxRenderer:
    """Word documents (python-docx bases, lxml content, see ooxml and package); the notice follows GB/T 9704-2012."""

    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"
    products: ClassVar[frozenset[str]] = frozenset(
        p for m in _available_modules() for p in _MODULE_PRODUCTS.get(m, m.rsplit("_", 1)[-1]).split()
    )

    @classmethod
    def unavailable(cls) -> str | None:
        return None

    def render(self, view: View[object], ctx: RenderContext) -> list[Artifact]:
        builders = load_builders()
        fn = builders.get(view.product)
        if fn is None:
            raise RenderError(f"docx 格式不支持产品 {view.product!r}")
        return [Artifact(view.name + self.suffix, fn(view, ctx), view.product, self.name)]
