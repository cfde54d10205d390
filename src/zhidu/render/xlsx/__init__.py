"""The 责任清单 as a workbook (`zhidu build --format xlsx`), the same bytes `zhidu export` writes.

Opt-in: a plain `zhidu build` makes the formats read on paper and screen; a workbook is asked for by name.
The package holds the writing half of the spreadsheet workflow: `columns` (sheet and column names), `cells`
(the model as the cell texts export writes and merge compares) and `book` (Policy → .xlsx bytes); reading a
workbook back and merging it live in `zhidu.sheet`, which builds on these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from zhidu.render.base import Artifact, RenderContext, register

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

    def render(self, view: View[object], ctx: RenderContext) -> list[Artifact]:
        # openpyxl is imported with the book, only when a workbook is asked for.
        from zhidu.render.xlsx.book import build_workbook

        data = build_workbook(ctx.policy, ctx.policy.root)
        return [Artifact(f"{view.name}{self.suffix}", data, view.product, self.name)]
