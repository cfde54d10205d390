"""The community checklist as .docx: header, inspection table, sign-off, hazard ledger, stamp in the footer.

A checklist is a form filled in by hand, not a 公文: it keeps the profile's faces but uses narrow margins,
五号 text and fixed column widths, so the seed's weekly sheet prints on one A4 page (issue 5).

Sheets of one period kind differ between communities only in their header, so the document is built once with
tokens in the header and core properties, and each community's sheet is that package with the tokens replaced:
a few ms a sheet instead of about 100 ms (500 communities, issue 5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from zhidu.errors import RenderError
from zhidu.render import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docxkit import (
    add_paragraph,
    add_style,
    load_profile,
    new_document,
    save_deterministic,
    set_child,
    set_repeat_header,
    set_run_font,
    set_table_borders,
)
from zhidu.render.gbt9704 import TW_PER_MM, Profile

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell, _Row
    from docx.text.paragraph import Paragraph

    from zhidu.views import Stamp, View
    from zhidu.views.checklist import ChecklistView

S_TITLE, S_META, S_HEAD, S_CELL, S_CELLC, S_SMALL, S_SIGN, S_FOOT = (
    "ZhiduCkTitle",
    "ZhiduCkMeta",
    "ZhiduCkHead",
    "ZhiduCkCell",
    "ZhiduCkCellCenter",
    "ZhiduCkSmall",
    "ZhiduCkSign",
    "ZhiduCkFooter",
)

#: Page margins in mm (top, right, bottom, left): a form needs room, not the 公文 版心; left is bound.
MARGINS_MM = (15.0, 15.0, 15.0, 20.0)
FOOTER_MM = 7.0
TEXT_PT = 10.5
SMALL_PT = 8.0
#: The stamp line fits the 175 mm text width on one line at this size.
STAMP_PT = 7.0
TITLE_PT = 16.0
#: Column widths in mm; each table spans the 175 mm between the margins.
CHECK_WIDTHS_MM = (11.0, 62.0, 18.0, 33.0, 26.0, 25.0)
LEDGER_WIDTHS_MM = (11.0, 50.0, 20.0, 20.0, 22.0, 32.0, 20.0)
LEDGER_ROW_MM = 8.0


#: Texts that differ between communities; the rest of a sheet depends only on the period kind and policy.
FIELDS = ("title", "who", "workers", "period", "subject")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _tw(mm: float) -> int:
    return round(mm * TW_PER_MM)


def token(field: str) -> str:
    """The placeholder a community-specific text takes in the shared template."""
    return f"⟦zhidu:{field}⟧"


def header_texts(v: ChecklistView) -> dict[str, str]:
    """The community-specific texts of one sheet, by field."""
    who = v.community
    if v.leader:
        who += f"　负责人：{v.leader}"
    if v.safety_officer:
        who += f"　安全干事：{v.safety_officer}"
    return {
        "title": v.title,
        "who": who,
        "workers": "、".join(v.grid_workers) if v.grid_workers else "＿＿＿＿＿＿＿＿",
        "period": v.period_text,
        "subject": f"{v.community}（{v.community_id}）",
    }


class ChecklistWriter:
    """Builds one checklist document."""

    def __init__(self, view: ChecklistView, stamp_line: str, prof: Profile) -> None:
        self.v = view
        self.stamp_line = stamp_line
        self.p = prof
        self.doc: Document = new_document(prof)
        self.song = prof["fonts.fangsong"]
        self.hei = prof["fonts.heiti"]
        self.latin = prof["fonts.latin"]
        self._page()
        self._styles()

    def _page(self) -> None:
        sp = self.doc.sections[0]._sectPr
        top, right, bottom, left = (_tw(m) for m in MARGINS_MM)
        set_child(
            sp,
            "w:pgMar",
            {
                "w:top": top,
                "w:right": right,
                "w:bottom": bottom,
                "w:left": left,
                "w:header": _tw(8),
                "w:footer": _tw(FOOTER_MM),
                "w:gutter": 0,
            },
        )
        # No line grid: the 公文 grid (22 lines) would stretch every table row to 29 pt.
        grid = sp.find(qn("w:docGrid"))
        if grid is not None:
            sp.remove(grid)

    def _styles(self) -> None:
        common: dict[str, Any] = {
            "latin": self.latin,
            "line_tw": 240,
            "line_rule": "auto",
            "snap_to_grid": False,
        }
        add_style(self.doc, S_TITLE, "Zhidu Checklist Title", self.hei, TITLE_PT, jc="center", **common)
        add_style(self.doc, S_META, "Zhidu Checklist Meta", self.song, TEXT_PT, **common)
        add_style(self.doc, S_HEAD, "Zhidu Checklist Heading", self.hei, 11, **common)
        add_style(self.doc, S_CELL, "Zhidu Checklist Cell", self.song, TEXT_PT, **common)
        add_style(
            self.doc, S_CELLC, "Zhidu Checklist Cell Centred", self.song, TEXT_PT, jc="center", **common
        )
        add_style(self.doc, S_SMALL, "Zhidu Checklist Small", self.song, SMALL_PT, **common)
        add_style(self.doc, S_SIGN, "Zhidu Checklist Sign-off", self.song, TEXT_PT, **common)
        add_style(self.doc, S_FOOT, "Zhidu Checklist Footer", self.song, STAMP_PT, jc="center", **common)

    # ------------------------------------------------------------------------------------------ pieces

    def para(
        self, style: str, text: str = "", space_before_pt: float = 0, space_after_pt: float = 0
    ) -> Paragraph:
        p = add_paragraph(self.doc, style, text or None)
        if space_before_pt or space_after_pt:
            set_child(
                p._p.get_or_add_pPr(),
                "w:spacing",
                {"w:before": round(space_before_pt * 20), "w:after": round(space_after_pt * 20)},
            )
        return p

    def labelled(self, label: str, value: str) -> None:
        p = self.para(S_META, space_after_pt=1.5)
        set_run_font(p.add_run(label + "："), self.hei, TEXT_PT, latin=self.latin)
        self.field_run(p, value)

    def field_run(self, p: Paragraph, value: str) -> None:
        # The filled-in value may start or end with a space; keep it, as Word would otherwise trim it.
        for t in p.add_run(value)._r.findall(qn("w:t")):
            t.set(_XML_SPACE, "preserve")

    def table(self, widths_mm: tuple[float, ...], rows: int) -> Table:
        t: Table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        tbl_pr = t._tbl.tblPr
        set_child(tbl_pr, "w:tblW", {"w:w": sum(_tw(w) for w in widths_mm), "w:type": "dxa"})
        set_table_borders(tbl_pr)
        set_child(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
        mar = set_child(tbl_pr, "w:tblCellMar")
        for side, mm in (("top", 0.6), ("left", 1.2), ("bottom", 0.6), ("right", 1.2)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(_tw(mm)))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        for gc, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
            gc.set(qn("w:w"), str(_tw(w)))
        for row in t.rows:
            for cell, w in zip(row.cells, widths_mm, strict=True):
                set_child(cell._tc.get_or_add_tcPr(), "w:tcW", {"w:w": _tw(w), "w:type": "dxa"})
        return t

    def cell_text(self, cell: _Cell, text: str, style: str = S_CELL, center_v: bool = True) -> Paragraph:
        p: Paragraph = cell.paragraphs[0]
        p._p.get_or_add_pPr().style = style
        if text:
            p.add_run(text)
        if center_v:
            set_child(cell._tc.get_or_add_tcPr(), "w:vAlign", {"w:val": "center"})
        return p

    def header_row(self, row: _Row, labels: tuple[str, ...]) -> None:
        set_repeat_header(row)
        for cell, label in zip(row.cells, labels, strict=True):
            p = self.cell_text(cell, "", S_CELLC)
            set_run_font(p.add_run(label), self.hei, TEXT_PT, latin=self.latin)

    # ----------------------------------------------------------------------------------------- sections

    def head(self) -> None:
        v = self.v
        self.field_run(self.para(S_TITLE, space_after_pt=6), token("title"))
        self.labelled("社　　区", token("who"))
        self.labelled("网 格 员", token("workers"))
        self.labelled("检查周期", token("period"))
        if v.example_note:
            self.para(S_SMALL, v.example_note, space_after_pt=3)
        else:
            self.para(S_SMALL, "", space_after_pt=1)

    def checks(self) -> None:
        v = self.v
        # No heading of its own: the section rows (周检查事项, 随时事项) say what the table holds.
        n_rows = 1 + sum(1 + len(s.items) for s in v.sections)
        t = self.table(CHECK_WIDTHS_MM, n_rows)
        rows = list(t.rows)
        self.header_row(rows[0], v.columns)
        r = 1
        for section in v.sections:
            sub = rows[r]
            r += 1
            set_child(sub._tr.get_or_add_trPr(), "w:cantSplit", {})
            merged = sub.cells[0].merge(sub.cells[-1])
            p = merged.paragraphs[0]
            p._p.get_or_add_pPr().style = S_CELL
            set_run_font(p.add_run(section.heading), self.hei, TEXT_PT, latin=self.latin)
            for item in section.items:
                row = rows[r]
                r += 1
                set_child(row._tr.get_or_add_trPr(), "w:cantSplit", {})
                cells = row.cells
                self.cell_text(cells[0], str(item.no), S_CELLC)
                self.cell_text(cells[1], item.title)
                add_paragraph(cells[1], S_SMALL, f"{item.owner}｜{item.citation}")
                self.cell_text(cells[2], item.frequency, S_CELLC)
                self.cell_text(cells[3], item.evidence)
                self.cell_text(cells[4], section.check[0])
                for more in section.check[1:]:
                    add_paragraph(cells[4], S_CELL, more)
                self.cell_text(cells[5], "")

    def signoff(self) -> None:
        p = self.para(S_SIGN, "\t".join(self.v.signoff), space_before_pt=6, space_after_pt=2)
        tabs = set_child(p._p.get_or_add_pPr(), "w:tabs")
        width = _tw(sum(CHECK_WIDTHS_MM))
        for pos in (width * 11 // 32, width * 23 // 32):
            tab = OxmlElement("w:tab")
            tab.set(qn("w:val"), "left")
            tab.set(qn("w:pos"), str(pos))
            tabs.append(tab)

    def ledger(self) -> None:
        v = self.v
        self.para(S_HEAD, "隐患台账", space_before_pt=6, space_after_pt=3)
        t = self.table(LEDGER_WIDTHS_MM, 1 + len(v.ledger_rows))
        rows = list(t.rows)
        self.header_row(rows[0], v.ledger_columns)
        for row, n in zip(rows[1:], v.ledger_rows, strict=True):
            set_child(
                row._tr.get_or_add_trPr(), "w:trHeight", {"w:val": _tw(LEDGER_ROW_MM), "w:hRule": "atLeast"}
            )
            cells = row.cells
            self.cell_text(cells[0], str(n), S_CELLC)
            for cell in cells[1:]:
                self.cell_text(cell, "")

    def footer(self) -> None:
        # The stamp sits in the footer so a sheet photocopied on its own still says which version it is.
        p = self.doc.sections[0].footer.paragraphs[0]
        p._p.get_or_add_pPr().style = S_FOOT
        p.add_run(self.stamp_line)

    def write(self) -> Document:
        self.head()
        self.checks()
        self.signoff()
        self.ledger()
        self.footer()
        return self.doc


def core_properties(v: ChecklistView, stamp: Stamp, issued: dt.date | None) -> dict[str, Any]:
    """Core properties: title, community and stamp; dates from the version, never the clock."""
    when = issued or dt.date(2000, 1, 1)
    return {
        "title": token("title"),
        "subject": token("subject"),
        "keywords": f"{stamp.work}; 版本 {stamp.version}; 识别码 {stamp.code}; 检查表 {v.kind}",
        "comments": stamp.line,
        "category": "检查表",
        "identifier": stamp.code,
        "version": stamp.version,
        "created": when,
        "modified": when,
    }


def shared_part(v: ChecklistView) -> ChecklistView:
    """The view with every community-specific field blanked: the key of the shared template."""
    return dataclasses.replace(
        v,
        community_id="",
        community="",
        slug="",
        leader="",
        safety_officer="",
        grid_workers=(),
        title="",
        period_text="",
        period_filled=False,
    )


@lru_cache(maxsize=32)
def _template(
    shared: ChecklistView, stamp: Stamp, profile: str, dirs: tuple[Path, ...], issued: dt.date | None
) -> bytes:
    prof = load_profile(profile, dirs)
    doc = ChecklistWriter(shared, stamp.line, prof).write()
    return save_deterministic(doc, core_properties(shared, stamp, issued))


#: Parts that carry tokens; the others are copied as they are.
_FILLED = ("word/document.xml", "docProps/core.xml")


@lru_cache(maxsize=32)
def _members(template: bytes) -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        return tuple((info, z.read(info)) for info in z.infolist())


def fill(template: bytes, values: dict[str, str]) -> bytes:
    """The template package with every token replaced, entry order, dates and permissions kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in _members(template):
            if info.filename in _FILLED:
                text = data.decode("utf-8")
                for field, value in values.items():
                    text = text.replace(token(field), escape(value))
                if "⟦zhidu:" in text:
                    raise RenderError(f"检查表模板 {info.filename} 中仍有未填写的占位符")
                data = text.encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@docx_builder("checklist")
def build_checklist(view: View, ctx: RenderContext) -> bytes:
    """The checklist .docx bytes (deterministic)."""
    v: ChecklistView = view.data
    template = _template(
        shared_part(v),
        view.stamp,
        ctx.profile,
        tuple(ctx.template_dirs),
        ctx.policy.regulation.version.issued,
    )
    return fill(template, header_texts(v))
