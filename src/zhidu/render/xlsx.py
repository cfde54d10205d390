"""The 责任清单 as a workbook (`zhidu build --format xlsx`), the same bytes `zhidu export` writes.

Opt-in: a plain `zhidu build` makes the formats read on paper and screen; a workbook is asked for by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from zhidu.render import Artifact, RenderContext, register

if TYPE_CHECKING:
    from zhidu.views import View


@register
class XlsxRenderer:
    """duty-list → duty-list.xlsx, ready for WPS/Excel and `zhidu merge`."""

    name: ClassVar[str] = "xlsx"
    suffix: ClassVar[str] = ".xlsx"
    products: ClassVar[frozenset[str]] = frozenset({"duty-list"})
    #: Not part of a build that names no formats.
    opt_in: ClassVar[bool] = True

    @classmethod
    def unavailable(cls) -> str | None:
        return None

    def render(self, view: View, ctx: RenderContext) -> list[Artifact]:
        from zhidu.sheet.export import build_workbook

        data = build_workbook(ctx.policy, ctx.policy.root)
        return [Artifact(f"{view.name}{self.suffix}", data, view.product, self.name)]
