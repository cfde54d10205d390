"""The 修订对照表 as .docx: landscape, three columns, the header row repeated on every page (docs/domain.md §8).

Deletions are struck through and insertions underlined, so the table still reads in black and white.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from lxml import etree

from zhidu.layout import Profile, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_page_number_footers, add_style, new_document, set_landscape
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.draft import add_draft_headers, write_draft_mark
from zhidu.render.docx.ooxml import El, W, cell, paragraph, ppr_of, row, run, run_props, set_child, table
from zhidu.render.docx.package import Base
from zhidu.units import TW_PER_PT
from zhidu.views.base import View
from zhidu.views.diffview import DiffView

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.diff import Part

#: Column shares of the text width: old text, new text, reason.
COLUMN_SHARES = (0.34, 0.34, 0.32)
#: Table text in 小四 (12 pt): practice for comparison tables, which hold far more text than a 公文 body.
TABLE_PT = 12.0
STAMP_PT = 9.0
#: The metadata table: smaller type, a narrow label column.
META_PT = 10.5
META_LABEL_SHARE = 0.14

_TITLE, _SUB, _BODY, _CELL, _NOTE, _HEAD, _SMALL = (
    "DiffTitle",
    "DiffSub",
    "DiffBody",
    "DiffCell",
    "DiffNote",
    "DiffHead",
    "DiffSmall",
)


def _make_base(p: Profile) -> Document:
    """The 对照表's base package: landscape GB/T 9704 page, page numbers and the table's styles."""
    doc = new_document(p)
    set_landscape(doc.sections[0])
    add_page_number_footers(doc, p)
    body, latin = p["sizes.body_pt"], p["fonts.latin"]
    fang, kai, hei = p["fonts.fangsong"], p["fonts.kaiti"], p["fonts.heiti"]
    add_style(
        doc,
        _TITLE,
        "Diff Title",
        p["fonts.xiaobiaosong"],
        p["sizes.title_pt"],
        latin=latin,
        jc="center",
        line_tw=p["sizes.title_line_tw"],
    )
    add_style(
        doc, _SUB, "Diff Subtitle", kai, body, latin=latin, jc="center", line_tw=p["grid.line_pitch_tw"]
    )
    add_style(
        doc,
        _BODY,
        "Diff Body",
        fang,
        body,
        latin=latin,
        first_line_tw=round(p["grid.first_line_indent_chars"] * body * TW_PER_PT),
        line_tw=p["grid.line_pitch_tw"],
    )
    # Table cells: single auto spacing, no grid snap, or each line takes a 公文 pitch (docs/gbt9704.md §4).
    table_text = {"latin": latin, "line_tw": 240, "line_rule": "auto", "snap_to_grid": False}
    add_style(doc, _CELL, "Diff Cell", fang, TABLE_PT, jc="both", **table_text)
    # Reasons are short phrases in a narrow column: justified text would spread them letter by letter.
    add_style(doc, _NOTE, "Diff Note", fang, TABLE_PT, jc="left", **table_text)
    add_style(doc, _HEAD, "Diff Header", hei, TABLE_PT, jc="center", **table_text)
    add_style(doc, _SMALL, "Diff Small", fang, STAMP_PT, **table_text)
    return doc


def _make_draft_base(p: Profile) -> Document:
    """The base of a draft's 对照表: the same, with 征求意见稿 at the top right of every page's header."""
    doc = _make_base(p)
    add_draft_headers(doc)
    return doc


def diff_base(prof: Profile, draft: bool = False) -> Base:
    """The 对照表's base package for `prof` (a draft's has the mark's header), built on first use."""
    if draft:
        return cached_base("diff-draft", prof, _make_draft_base)
    return cached_base("diff", prof, _make_base)


class _Builder:
    def __init__(self, view: View[DiffView], ctx: RenderContext) -> None:
        self.view = view
        self.data = view.data
        self.prof = load_profile(ctx.profile, ctx.template_dirs)
        self.doc = diff_base(self.prof, bool(view.stamp.draft_mark)).new()
        self.body = self.doc.body
        self.fang = self.prof["fonts.fangsong"]
        self.hei = self.prof["fonts.heiti"]
        self.kai = self.prof["fonts.kaiti"]
        self.latin = self.prof["fonts.latin"]
        sp = self.doc.sect_pr
        width = int(sp.find(W + "pgSz").get(W + "w"))
        mar = sp.find(W + "pgMar")
        self.text_width = width - int(mar.get(W + "left")) - int(mar.get(W + "right"))

    # ------------------------------------------------------------------------------------- pieces

    def run(
        self,
        par: El,
        text: str,
        face: str | None = None,
        *,
        bold: bool = False,
        strike: bool = False,
        underline: bool = False,
        size: float = TABLE_PT,
    ) -> None:
        props = run_props(face or self.fang, size, bold, latin=self.latin, strike=strike, underline=underline)
        run(par, text, props)

    def part(self, tc: El, part: Part) -> None:
        par = paragraph(tc, _CELL)
        self.run(par, part.citation, self.hei)
        self.run(par, "　")
        for seg in part.segments:
            lines = seg.text.split("\n")
            for k, line in enumerate(lines):
                if k:
                    par = paragraph(tc, _CELL)
                if line:
                    self.run(par, line, strike=seg.op == "delete", underline=seg.op == "insert")

    def parts(self, tc: El, parts: tuple[Part, ...]) -> None:
        for p in parts:
            self.part(tc, p)
        if not parts:
            paragraph(tc)  # a cell needs a paragraph, even an empty one

    def lines(self, tc: El, items: list[tuple[str, bool]]) -> None:
        for text, strong in items:
            self.run(paragraph(tc, _NOTE), text, self.hei if strong else None)

    def table(self) -> None:
        d = self.data
        widths = [round(self.text_width * s) for s in COLUMN_SHARES]
        tbl = table(self.body, widths, jc="center")
        head = row(tbl, header=True)
        for w, title in zip(widths, d.columns, strict=True):
            self.run(paragraph(cell(head, w), _HEAD), title, self.hei, bold=True)
        # Rows may run on to the next page, so pages fill up instead of leaving a quarter blank before a
        # long row; the header row repeats on every page.
        for g in d.renames:
            tr = row(tbl)
            if g.words:
                # Punctuation as marks ("全文““”、“””") is unreadable: say it in words.
                self.run(paragraph(cell(tr, widths[0]), _CELL), f"全文{g.words[0]}（共 {g.count} 处）")
                self.run(paragraph(cell(tr, widths[1]), _CELL), f"全文{g.words[1]}")
            else:
                g0 = g.rename
                self._old_new(cell(tr, widths[0]), "全文“", g0.old, f"”（共 {g.count} 处）", strike=True)
                self._old_new(cell(tr, widths[1]), "全文“", g0.new, "”", strike=False)
            self.lines(cell(tr, widths[2]), [(g.label, True), (g.note, False)])
        for r in d.rows:
            tr = row(tbl)
            self.parts(cell(tr, widths[0]), r.old)
            self.parts(cell(tr, widths[1]), r.new)
            self.lines(
                cell(tr, widths[2]), [(r.label, True), (r.note, False), *((x, False) for x in r.details)]
            )

    def meta_table(self) -> None:
        """Other changes (文号, dates, titles, the notice text) as a small table; long texts as a char diff."""
        d = self.data
        par = paragraph(self.body, _CELL)
        set_child(ppr_of(par), "w:spacing", {"w:before": round(12 * TW_PER_PT), "w:after": 0})
        set_child(ppr_of(par), "w:keepNext", {})
        self.run(par, "其他变更", self.hei)
        label_w = round(self.text_width * META_LABEL_SHARE)
        rest = (self.text_width - label_w) // 2
        widths = [label_w, rest, self.text_width - label_w - rest]
        tbl = table(self.body, widths, jc="center")
        head = row(tbl, header=True)
        for w, title in zip(widths, d.meta_columns, strict=True):
            self.run(paragraph(cell(head, w), _HEAD), title, self.hei, size=META_PT)
        for m in d.meta:
            tr = row(tbl)
            self.run(paragraph(cell(tr, widths[0]), _NOTE), m.label, self.hei, size=META_PT)
            old_p = paragraph(cell(tr, widths[1]), _NOTE)
            new_p = paragraph(cell(tr, widths[2]), _NOTE)
            if m.diffed:
                for seg in m.old_segments:
                    self.run(old_p, seg.text, strike=seg.op == "delete", size=META_PT)
                for seg in m.new_segments:
                    self.run(new_p, seg.text, underline=seg.op == "insert", size=META_PT)
            else:
                self.run(old_p, m.old or "（无）", size=META_PT)
                self.run(new_p, m.new or "（无）", size=META_PT)

    def footer_stamp(self) -> None:
        """The version stamp at the foot of every page, above the page number (not after the text)."""
        props = run_props(self.fang, STAMP_PT, latin=self.latin)
        kinds = {r.get(W + "type") for r in self.doc.sect_pr.iterchildren(W + "footerReference")}
        for kind in sorted(kinds):
            number = self.doc.footer_paragraph(kind)
            stamp = etree.Element(W + "p")
            ppr = ppr_of(stamp)
            set_child(ppr, "w:snapToGrid", {"w:val": 0})
            set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": 240, "w:lineRule": "auto"})
            set_child(ppr, "w:jc", {"w:val": "center"})
            run(stamp, self.view.stamp.line, props)
            number.addprevious(stamp)

    def _old_new(self, tc: El, before: str, term: str, after: str, strike: bool) -> None:
        par = paragraph(tc, _CELL)
        self.run(par, before)
        self.run(par, term, strike=strike, underline=not strike)
        self.run(par, after)

    def build(self) -> bytes:
        d = self.data
        body = self.prof["sizes.body_pt"]
        self.run(
            paragraph(self.body, _TITLE),
            d.title,
            self.prof["fonts.xiaobiaosong"],
            size=self.prof["sizes.title_pt"],
        )
        self.run(paragraph(self.body, _SUB), f"（{d.subtitle}）", self.kai, size=body)
        for line in d.intro:
            self.run(paragraph(self.body, _BODY), line, size=body)
        self.table()
        if d.meta:
            self.meta_table()
        self.footer_stamp()
        if self.view.stamp.draft_mark:
            write_draft_mark(self.doc, self.view.stamp.draft_mark, self.hei)
        issued = self.view.stamp.issued
        return self.doc.save(
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
    # Dates come from the version record, never the clock (deterministic outputs, docs/architecture.md).
    import re

    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", issued)
    if not m:
        return {}
    day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    return {"created": day, "modified": day}


@docx_builder("diff", DiffView)
def build_diff_docx(view: View[DiffView], ctx: RenderContext) -> bytes:
    """The 修订对照表 of one version against the version it supersedes."""
    return _Builder(view, ctx).build()
