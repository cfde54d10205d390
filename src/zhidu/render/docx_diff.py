"""The 修订对照表 as .docx: landscape, three columns, the header row repeated on every page (domain.md §8).

Deletions are struck through and insertions underlined, so the table still reads in black and white.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn

from zhidu.render import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docxkit import (
    add_page_number_footers,
    add_paragraph,
    add_style,
    load_profile,
    new_document,
    save_deterministic,
    set_child,
    set_landscape,
    set_repeat_header,
    set_rpr_font,
    set_table_borders,
)

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from zhidu.diff import Part
    from zhidu.views import View
    from zhidu.views.diffview import DiffView

#: Column shares of the text width: old text, new text, reason.
COLUMN_SHARES = (0.37, 0.37, 0.26)
#: Table text in 小四 (12 pt): practice for comparison tables, which hold far more text than a 公文 body.
TABLE_PT = 12.0
STAMP_PT = 9.0

_TITLE, _SUB, _BODY, _CELL, _NOTE, _HEAD, _SMALL = (
    "DiffTitle",
    "DiffSub",
    "DiffBody",
    "DiffCell",
    "DiffNote",
    "DiffHead",
    "DiffSmall",
)


class _Builder:
    def __init__(self, view: View, ctx: RenderContext) -> None:
        self.view = view
        self.data: DiffView = view.data
        self.prof = load_profile(ctx.profile, ctx.template_dirs)
        self.doc = new_document(self.prof)
        sec = self.doc.sections[0]
        set_landscape(sec)
        add_page_number_footers(self.doc, self.prof)
        self.fang = self.prof["fonts.fangsong"]
        self.hei = self.prof["fonts.heiti"]
        self.kai = self.prof["fonts.kaiti"]
        self.latin = self.prof["fonts.latin"]
        sp = sec._sectPr
        width = int(sp.find(qn("w:pgSz")).get(qn("w:w")))
        mar = sp.find(qn("w:pgMar"))
        self.text_width = width - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))
        self._styles()

    def _styles(self) -> None:
        p, doc = self.prof, self.doc
        body = p["sizes.body_pt"]
        add_style(
            doc,
            _TITLE,
            "Diff Title",
            p["fonts.xiaobiaosong"],
            p["sizes.title_pt"],
            latin=self.latin,
            jc="center",
            line_tw=p["sizes.title_line_tw"],
        )
        add_style(
            doc,
            _SUB,
            "Diff Subtitle",
            self.kai,
            body,
            latin=self.latin,
            jc="center",
            line_tw=p["grid.line_pitch_tw"],
        )
        add_style(
            doc,
            _BODY,
            "Diff Body",
            self.fang,
            body,
            latin=self.latin,
            first_line_tw=round(p["grid.first_line_indent_chars"] * body * 20),
            line_tw=p["grid.line_pitch_tw"],
        )
        # Table cells: single auto spacing, no grid snap, or each line takes a 公文 pitch (gbt9704.md §4).
        table_text = {"latin": self.latin, "line_tw": 240, "line_rule": "auto", "snap_to_grid": False}
        add_style(doc, _CELL, "Diff Cell", self.fang, TABLE_PT, jc="both", **table_text)
        # Reasons are short phrases in a narrow column: justified text would spread them letter by letter.
        add_style(doc, _NOTE, "Diff Note", self.fang, TABLE_PT, jc="left", **table_text)
        add_style(doc, _HEAD, "Diff Header", self.hei, TABLE_PT, jc="center", **table_text)
        add_style(doc, _SMALL, "Diff Small", self.fang, STAMP_PT, **table_text)

    # ------------------------------------------------------------------------------------- pieces

    def run(
        self,
        par: Paragraph,
        text: str,
        face: str | None = None,
        *,
        bold: bool = False,
        strike: bool = False,
        underline: bool = False,
        size: float = TABLE_PT,
    ) -> None:
        r = par.add_run(text)
        rpr = r._r.get_or_add_rPr()
        set_rpr_font(rpr, face or self.fang, size, bold=bold, latin=self.latin)
        if strike:
            set_child(rpr, "w:strike", {})
        if underline:
            set_child(rpr, "w:u", {"w:val": "single"})

    def part(self, cell: Any, part: Part, first: bool) -> None:
        par = cell.paragraphs[0] if first else add_paragraph(cell, _CELL)
        if first:
            par._p.get_or_add_pPr().style = _CELL
        self.run(par, part.citation, self.hei)
        self.run(par, "　")
        for seg in part.segments:
            lines = seg.text.split("\n")
            for k, line in enumerate(lines):
                if k:
                    par = add_paragraph(cell, _CELL)
                if line:
                    self.run(par, line, strike=seg.op == "delete", underline=seg.op == "insert")

    def lines(self, cell: Any, items: list[tuple[str, bool]]) -> None:
        for k, (text, strong) in enumerate(items):
            par = cell.paragraphs[0] if k == 0 else add_paragraph(cell, _NOTE)
            if k == 0:
                par._p.get_or_add_pPr().style = _NOTE
            self.run(par, text, self.hei if strong else None)

    def table(self) -> None:
        d = self.data
        widths = [round(self.text_width * s) for s in COLUMN_SHARES]
        t = self.doc.add_table(rows=1, cols=3)
        tbl = t._tbl
        tblpr = tbl.tblPr
        set_child(tblpr, "w:tblW", {"w:w": sum(widths), "w:type": "dxa"})
        set_child(tblpr, "w:jc", {"w:val": "center"})
        set_table_borders(tblpr)
        # Fixed layout: LibreOffice and Word otherwise size columns by content and the reason column balloons.
        set_child(tblpr, "w:tblLayout", {"w:type": "fixed"})
        for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            gc.set(qn("w:w"), str(w))
        head = t.rows[0]
        set_repeat_header(head)
        for cell, title in zip(head.cells, d.columns, strict=True):
            par = cell.paragraphs[0]
            par._p.get_or_add_pPr().style = _HEAD
            self.run(par, title, self.hei, bold=True)
        for g in d.renames:
            cells = t.add_row().cells
            self._old_new(cells[0], "全文“", g.old, f"”（共 {g.count} 处）", strike=True)
            self._old_new(cells[1], "全文“", g.new, "”", strike=False)
            self.lines(cells[2], [(g.label, True), (g.note, False)])
        for r in d.rows:
            cells = t.add_row().cells
            for k, p in enumerate(r.old):
                self.part(cells[0], p, k == 0)
            for k, p in enumerate(r.new):
                self.part(cells[1], p, k == 0)
            self.lines(cells[2], [(r.label, True), (r.note, False), *((x, False) for x in r.details)])
        for row in t.rows:
            # Keep a row on one page where it fits: a reason split from its text is hard to follow.
            set_child(row._tr.get_or_add_trPr(), "w:cantSplit", {})
            for cell, w in zip(row.cells, widths, strict=True):
                set_child(cell._tc.get_or_add_tcPr(), "w:tcW", {"w:w": w, "w:type": "dxa"})

    def _old_new(self, cell: Any, before: str, term: str, after: str, strike: bool) -> None:
        par = cell.paragraphs[0]
        par._p.get_or_add_pPr().style = _CELL
        self.run(par, before)
        self.run(par, term, strike=strike, underline=not strike)
        self.run(par, after)

    def build(self) -> bytes:
        d = self.data
        body = self.prof["sizes.body_pt"]
        self.run(
            add_paragraph(self.doc, _TITLE),
            d.title,
            self.prof["fonts.xiaobiaosong"],
            size=self.prof["sizes.title_pt"],
        )
        self.run(add_paragraph(self.doc, _SUB), f"（{d.subtitle}）", self.kai, size=body)
        for line in d.intro:
            self.run(add_paragraph(self.doc, _BODY), line, size=body)
        self.table()
        if d.meta:
            par = add_paragraph(self.doc, _CELL)
            self.run(par, "其他变更：", self.hei)
            for m in d.meta:
                self.run(add_paragraph(self.doc, _CELL), m.line)
        self.run(add_paragraph(self.doc, _SMALL), self.view.stamp.line, size=STAMP_PT)
        issued = self.view.stamp.issued
        return save_deterministic(
            self.doc,
            {
                "title": d.title,
                "subject": f"{d.old.version} → {d.new.version}",
                "keywords": f"修订对照表 {self.view.stamp.code}",
                "comments": self.view.stamp.line,
                "identifier": self.view.stamp.code,
                "version": d.new.version,
                **_dates(issued),
            },
        )


def _dates(issued: str) -> dict[str, Any]:
    # Dates come from the version record, never the clock (architecture.md §5.6).
    import re

    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", issued)
    if not m:
        return {}
    day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    return {"created": day, "modified": day}


@docx_builder("diff")
def build_diff_docx(view: View, ctx: RenderContext) -> bytes:
    """The 修订对照表 of one version against the version it supersedes."""
    return _Builder(view, ctx).build()
