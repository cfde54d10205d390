"""The 修订对照表 as .docx: landscape, three columns, the header row repeated on every page (docs/domain.md §8).

Deletions are struck through and insertions underlined, so the table still reads in black and white.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from zhidu.layout import Profile, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_page_number_footers, add_style, new_document, set_landscape
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.ooxml import El, W, cell, paragraph, row, run, run_props, table
from zhidu.render.docx.package import Base
from zhidu.units import TW_PER_PT
from zhidu.views.base import View
from zhidu.views.diffview import DiffView

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.diff import Part

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


def diff_base(prof: Profile) -> Base:
    """The 对照表's base package for `prof`, built on first use."""
    return cached_base("diff", prof, _make_base)


class _Builder:
    def __init__(self, view: View[DiffView], ctx: RenderContext) -> None:
        self.view = view
        self.data = view.data
        self.prof = load_profile(ctx.profile, ctx.template_dirs)
        self.doc = diff_base(self.prof).new()
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
        # Keep a row on one page where it fits: a reason split from its text is hard to follow.
        for g in d.renames:
            tr = row(tbl, cant_split=True)
            self._old_new(cell(tr, widths[0]), "全文“", g.old, f"”（共 {g.count} 处）", strike=True)
            self._old_new(cell(tr, widths[1]), "全文“", g.new, "”", strike=False)
            self.lines(cell(tr, widths[2]), [(g.label, True), (g.note, False)])
        for r in d.rows:
            tr = row(tbl, cant_split=True)
            self.parts(cell(tr, widths[0]), r.old)
            self.parts(cell(tr, widths[1]), r.new)
            self.lines(
                cell(tr, widths[2]), [(r.label, True), (r.note, False), *((x, False) for x in r.details)]
            )

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
            par = paragraph(self.body, _CELL)
            self.run(par, "其他变更：", self.hei)
            for m in d.meta:
                self.run(paragraph(self.body, _CELL), m.line)
        self.run(paragraph(self.body, _SMALL), self.view.stamp.line, size=STAMP_PT)
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
