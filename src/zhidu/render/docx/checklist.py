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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import zhidu.views.checklist_layout as paper
from zhidu.errors import RenderError
from zhidu.layout import Profile, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_style, new_document
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.draft import add_draft_headers, write_draft_mark
from zhidu.render.docx.ooxml import (
    XML_SPACE,
    El,
    W,
    add_break,
    cell,
    paragraph,
    ppr_of,
    row,
    run,
    run_props,
    set_child,
    sub,
    table,
)
from zhidu.render.docx.package import Base, Docx
from zhidu.render.docx.zipout import Packed, write_zip
from zhidu.units import TW_PER_MM, TW_PER_PT
from zhidu.views.base import View
from zhidu.views.checklist import LEDGER_HEADING, ChecklistView
from zhidu.views.tokens import badge_tokens, nobreak

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.views import Stamp
    from zhidu.views.checklist import ChecklistItem, ChecklistSection

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
S_SMALLC, S_POINT, S_LEDGERH, S_BOXES = (
    "ZhiduCkSmallCenter",
    "ZhiduCkPoint",
    "ZhiduCkLedgerHead",
    "ZhiduCkBoxes",
)

#: Page margins in mm (top, right, bottom, left): a form needs room, not the 公文 版心; left is bound.
MARGINS_MM = (15.0, 15.0, 15.0, 20.0)
FOOTER_MM = 7.0
#: Where a draft's page header starts (the 征求意见稿 mark), in mm from the top edge.
DRAFT_HEADER_MM = 5.0
TEXT_PT, SMALL_PT, POINT_PT = paper.TEXT_PT, paper.SMALL_PT, paper.POINT_PT
LEDGER_HEAD_PT = paper.LEDGER_HEAD_PT
#: The stamp line fits the 175 mm text width on one line at this size.
STAMP_PT = 7.0
TITLE_PT = paper.TITLE_PT
#: Where the sign-off rules end, in mm from the left margin: three fields across the text width.
SIGN_STOPS_MM = (56.0, 120.0, paper.TEXT_WIDTH_MM)


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
        # A ledger on a page of its own names its sheet: a loose page must still say whose and when.
        "ledger": f"（{v.community}　{v.period_text}）",
    }


def _make_base(prof: Profile) -> Document:
    """The checklist's base package: form margins, no line grid, its styles and the footer's style."""
    doc = new_document(prof)
    sp = doc.sections[0]._sectPr
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
    grid = sp.find(W + "docGrid")
    if grid is not None:
        sp.remove(grid)
    song, hei = prof["fonts.fangsong"], prof["fonts.heiti"]
    common: dict[str, Any] = {
        "latin": prof["fonts.latin"],
        "line_tw": 240,
        "line_rule": "auto",
        "snap_to_grid": False,
    }
    add_style(doc, S_TITLE, "Zhidu Checklist Title", hei, TITLE_PT, jc="center", **common)
    add_style(doc, S_META, "Zhidu Checklist Meta", song, TEXT_PT, **common)
    add_style(doc, S_HEAD, "Zhidu Checklist Heading", hei, paper.HEAD_PT, **common)
    add_style(doc, S_CELL, "Zhidu Checklist Cell", song, TEXT_PT, **common)
    add_style(doc, S_CELLC, "Zhidu Checklist Cell Centred", song, TEXT_PT, jc="center", **common)
    add_style(doc, S_SMALL, "Zhidu Checklist Small", song, SMALL_PT, **common)
    add_style(doc, S_SIGN, "Zhidu Checklist Sign-off", song, TEXT_PT, **common)
    add_style(doc, S_SMALLC, "Zhidu Checklist Small Centred", song, SMALL_PT, jc="center", **common)
    add_style(doc, S_POINT, "Zhidu Checklist Point", song, POINT_PT, **common)
    # Tick boxes on an exact line: 'auto' would make every box row as tall as a 17 pt line plus leading.
    boxes = {**common, "line_tw": round(paper.BOX_LINE_PT * 20), "line_rule": "exact"}
    add_style(doc, S_BOXES, "Zhidu Checklist Boxes", song, TEXT_PT, jc="center", **boxes)
    add_style(doc, S_LEDGERH, "Zhidu Checklist Ledger Heading", hei, LEDGER_HEAD_PT, jc="center", **common)
    add_style(doc, S_FOOT, "Zhidu Checklist Footer", song, STAMP_PT, jc="center", **common)
    doc.sections[0].footer.paragraphs[0]._p.get_or_add_pPr().style = S_FOOT
    return doc


def _make_draft_base(prof: Profile) -> Document:
    """The base of a draft's checklist: the same, with 征求意见稿 at the top right of the page header."""
    doc = _make_base(prof)
    # The header starts higher than a form's 8 mm so the 三号 mark ends above the 15 mm top margin.
    doc.sections[0]._sectPr.find(W + "pgMar").set(W + "header", str(_tw(DRAFT_HEADER_MM)))
    add_draft_headers(doc)
    return doc


def checklist_base(prof: Profile, draft: bool = False) -> Base:
    """The checklist's base package for `prof` (a draft's has the mark's header), built on first use."""
    if draft:
        return cached_base("checklist-draft", prof, _make_draft_base)
    return cached_base("checklist", prof, _make_base)


class ChecklistWriter:
    """Builds one checklist document."""

    def __init__(self, view: ChecklistView, stamp: Stamp, prof: Profile) -> None:
        self.v = view
        self.stamp_line = stamp.line
        self.draft_mark = stamp.draft_mark
        self.p = prof
        self.doc: Docx = checklist_base(prof, bool(stamp.draft_mark)).new()
        self.label = run_props(prof["fonts.heiti"], TEXT_PT, latin=prof["fonts.latin"])
        self.ledger_label = run_props(prof["fonts.heiti"], LEDGER_HEAD_PT, latin=prof["fonts.latin"])
        self.small = run_props(prof["fonts.fangsong"], SMALL_PT, latin=prof["fonts.latin"])
        self.box = run_props(paper.BOX_FONT, paper.BOX_PT, latin=paper.BOX_FONT)

    # ------------------------------------------------------------------------------------------ pieces

    def para(self, style: str, text: str = "", space_before_pt: float = 0, space_after_pt: float = 0) -> El:
        p = paragraph(self.doc.body, style, text)
        if space_before_pt or space_after_pt:
            set_child(
                ppr_of(p),
                "w:spacing",
                {
                    "w:before": round(space_before_pt * TW_PER_PT),
                    "w:after": round(space_after_pt * TW_PER_PT),
                },
            )
        return p

    def labelled(self, label: str, value: str) -> None:
        p = self.para(S_META, space_after_pt=paper.META_AFTER_PT)
        run(p, label + "：", self.label)
        self.field_run(p, value)

    def field_run(self, p: El, value: str) -> None:
        # The filled-in value may start or end with a space; keep it, as Word would otherwise trim it.
        for t in run(p, value).iterchildren(W + "t"):
            t.set(XML_SPACE, "preserve")

    def table(self, widths_mm: tuple[float, ...]) -> tuple[El, list[int]]:
        widths = [_tw(w) for w in widths_mm]
        v_pad, h_pad = _tw(paper.CELL_PAD_V_MM), _tw(paper.CELL_PAD_H_MM)
        margins = (v_pad, h_pad, v_pad, h_pad)
        return table(self.doc.body, widths, cell_margins_tw=margins), widths

    def cell_text(self, tc: El, text: str, style: str = S_CELL) -> El:
        return paragraph(tc, style, text)

    def header_row(self, tbl: El, widths: list[int], labels: tuple[str, ...]) -> None:
        tr = row(tbl, header=True)
        for w, label in zip(widths, labels, strict=True):
            paragraph(cell(tr, w, v_center=True), S_CELLC, label, self.label)

    # ----------------------------------------------------------------------------------------- sections

    def head(self) -> None:
        v = self.v
        self.field_run(self.para(S_TITLE, space_after_pt=paper.TITLE_AFTER_PT), token("title"))
        self.labelled("社　　区", token("who"))
        self.labelled("网 格 员", token("workers"))
        self.labelled("检查周期", token("period"))
        if v.example_note:
            self.para(S_SMALL, v.example_note, space_after_pt=paper.NOTE_AFTER_PT)
        else:
            self.para(S_SMALL, "", space_after_pt=paper.NO_NOTE_AFTER_PT)

    def boxed(self, p: El, text: str, props: El | None = None) -> None:
        """`text` as runs, every tick box in the box face and size (a pen needs at least 4 mm)."""
        for i, piece in enumerate(text.split(paper.BOX)):
            if i:
                run(p, paper.BOX, self.box)
            if piece:
                run(p, piece, props)

    def checks(self) -> None:
        v = self.v
        for group in v.tables():
            first = group[0]
            tbl, widths = self.table(first.widths_mm)
            tr = row(tbl, header=True)
            many = len(first.columns) > 1
            for i, (w, label) in enumerate(zip(widths, first.header, strict=True)):
                # Several tick columns (the weeks of a month) carry dates: a smaller face keeps them on two lines.
                small = many and 3 <= i < 3 + len(first.columns)
                style, props = (S_LEDGERH, self.ledger_label) if small else (S_CELLC, self.label)
                paragraph(cell(tr, w, v_center=True), style, label, props)
            for section in group:
                merged = cell(row(tbl, cant_split=True), sum(widths), span=len(widths))
                paragraph(merged, S_CELL, section.heading, self.label)
                for item in section.items:
                    self.item_row(tbl, widths, section, item)

    def item_row(self, tbl: El, widths: list[int], section: ChecklistSection, item: ChecklistItem) -> None:
        tr = row(tbl, cant_split=True, min_height_tw=_tw(paper.ITEM_ROW_MM))
        cells = [cell(tr, w, v_center=True) for w in widths]
        self.cell_text(cells[0], str(item.no), S_CELLC)
        self.cell_text(cells[1], item.title)
        paragraph(cells[1], S_SMALL, item.source_line)
        self.badge(cells[2], item.frequency)
        for tc, text in zip(cells[3:], item.cells, strict=False):
            for line in text.split("\n"):
                self.boxed(paragraph(tc, S_BOXES if paper.BOX in line else S_CELLC), line)
        for tc in cells[3 + len(item.cells) :]:
            self.cell_text(tc, "")
        for point in item.points:
            tr = row(tbl, cant_split=True, min_height_tw=_tw(paper.POINT_ROW_MM))
            self.cell_text(cell(tr, widths[0], v_center=True), point.no, S_SMALLC)
            tc = cell(tr, widths[1] + widths[2], span=2, v_center=True)
            # The basis is named once, in the sources line under the table: a row keeps to one line.
            paragraph(tc, S_POINT, point.text)
            for w, text in zip(widths[3:], point.cells, strict=False):
                self.boxed(paragraph(cell(tr, w, v_center=True), S_BOXES), text)
            for w in widths[3 + len(point.cells) :]:
                self.cell_text(cell(tr, w, v_center=True), "")

    def badge(self, tc: El, badge: str) -> None:
        """The frequency badge, one unbreakable piece per line (每月≥1次 / 重大节日 / 重要时期)."""
        p = paragraph(tc, S_CELLC)
        pieces = badge_tokens(badge) or (badge,)
        for i, piece in enumerate(pieces):
            r = run(p, nobreak(piece))
            if i + 1 < len(pieces):
                add_break(r)

    def sources(self) -> None:
        for line in self.v.sources:
            self.para(S_SMALL, line, space_before_pt=paper.SOURCE_BEFORE_PT)

    def signoff(self) -> None:
        # Each label ends where the previous rule ends; an underscore tab leader draws the rule to sign on.
        labels = self.v.signoff
        text = "\t".join(("　" if i else "") + f"{label}：" for i, label in enumerate(labels)) + "\t"
        p = self.para(S_SIGN, text, space_before_pt=paper.SIGN_BEFORE_PT, space_after_pt=paper.SIGN_AFTER_PT)
        tabs = set_child(ppr_of(p), "w:tabs")
        for mm in SIGN_STOPS_MM:
            sub(
                tabs,
                "tab",
                val="left" if mm < paper.TEXT_WIDTH_MM else "right",
                leader="underscore",
                pos=_tw(mm),
            )

    def ledger(self) -> None:
        v = self.v
        space = paper.LEDGER_HEAD_SPACE_PT
        head = self.para(S_HEAD, LEDGER_HEADING, space_before_pt=space, space_after_pt=space)
        if v.ledger_new_page:
            set_child(ppr_of(head), "w:pageBreakBefore", {})
            self.field_run(head, token("ledger"))
        tbl, widths = self.table(v.ledger_widths_mm)
        tr = row(tbl, header=True)
        for w, label in zip(widths, v.ledger_columns, strict=True):
            paragraph(cell(tr, w, v_center=True), S_LEDGERH, label, self.ledger_label)
        grade = next(i for i, c in enumerate(v.ledger_columns) if c.startswith("隐患等级"))
        for n in v.ledger_rows:
            tr = row(tbl, cant_split=True, min_height_tw=_tw(paper.LEDGER_ROW_MM))
            self.cell_text(cell(tr, widths[0], v_center=True), str(n), S_CELLC)
            for i, w in enumerate(widths[1:], start=1):
                tc = cell(tr, w, v_center=True)
                if i == grade:
                    for line in v.ledger_grade.split("\n"):
                        paragraph(tc, S_CELLC, line)
                else:
                    self.cell_text(tc, "")

    def footer(self) -> None:
        # The stamp sits in the footer so a sheet photocopied on its own still says which version it is.
        fp = self.doc.footer_paragraph()
        head, mark, tail = self.stamp_line.partition("识别码")
        if self.draft_mark and mark:
            # The mark makes the stamp longer than the text width at 7 pt: break before the 识别码 rather than
            # let LibreOffice break inside a word of the last line.
            add_break(run(fp, head.rstrip("　 ")))
            run(fp, mark + tail)
        else:
            run(fp, self.stamp_line)
        if self.draft_mark:
            write_draft_mark(self.doc, self.draft_mark, self.p["fonts.heiti"])

    def write(self) -> Docx:
        self.head()
        self.checks()
        self.sources()
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
        code="",
        period_text="",
        period_filled=False,
    )


#: Parts that carry tokens; the others are copied as they are.
_FILLED = ("word/document.xml", "docProps/core.xml")

#: A checklist package with tokens in it, as zip members (see `fill`).
Template = tuple[tuple[str, bytes | Packed], ...]


@lru_cache(maxsize=256)
def _template(
    shared: ChecklistView, stamp: Stamp, profile: str, dirs: tuple[Path, ...], issued: dt.date | None
) -> Template:
    prof = load_profile(profile, dirs)
    doc = ChecklistWriter(shared, stamp, prof).write()
    return tuple(doc.members(core_properties(shared, stamp, issued)))


def _escape(text: str) -> str:
    # XML text escaping (as xml.sax.saxutils.escape, whose import pulls in urllib and http).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fill(template: Template, values: dict[str, str]) -> bytes:
    """The template package with every token replaced; the other parts are reused as they were deflated."""
    members: list[tuple[str, bytes | Packed]] = []
    for name, data in template:
        if name in _FILLED:
            assert isinstance(data, bytes)
            text = data.decode("utf-8")
            for field, value in values.items():
                text = text.replace(token(field), _escape(value))
            if "⟦zhidu:" in text:
                raise RenderError(f"检查表模板 {name} 中仍有未填写的占位符")
            data = text.encode("utf-8")
        members.append((name, data))
    return write_zip(members)


@docx_builder("checklist", ChecklistView)
def build_checklist(view: View[ChecklistView], ctx: RenderContext) -> bytes:
    """The checklist .docx bytes (deterministic)."""
    v = view.data
    template = _template(
        shared_part(v),
        view.stamp,
        ctx.profile,
        tuple(ctx.template_dirs),
        ctx.policy.regulation.version.issued,
    )
    return fill(template, header_texts(v))
