"""Duty cards and the 责任清单 as .docx: GB/T 9704 faces and type area, tables with repeated header rows.

A card is a desk document, not a 公文: it keeps the standard's faces (仿宋, 黑体, 小标宋, 楷体) and type
area but uses smaller sizes so a typical card fits one A4 page. Every page carries the role name in the
header and the version stamp with the page number in the footer, so a loose second page still says whose
card it is and which version it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from zhidu.layout import Profile, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_style, add_table_style, new_document, set_landscape
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.ooxml import (
    El,
    W,
    add_break,
    cell,
    field,
    paragraph,
    ppr_of,
    row,
    run,
    run_props,
    set_child,
    table,
)
from zhidu.render.docx.package import Base, Docx
from zhidu.units import TW_PER_MM, TW_PER_PT
from zhidu.views.base import View
from zhidu.views.cards import DutyCardView, DutyListView

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.views.cards import CardDuty

# Sizes are practice, not GB/T 9704: a desk card and a published list are not 公文 (whose body is 三号).
TITLE_PT = 18.0  # 小二
META_PT = 12.0  # 小四
HEAD_PT = 12.0
CELL_PT = 10.5  # 五号
SMALL_PT = 9.0  # 小五
SIGN_PT = 12.0

S_TITLE, S_META, S_HEAD, S_TEXT, S_SMALL, S_SIGN, S_HF, S_LIST = (
    "CardTitle",
    "CardMeta",
    "CardHead",
    "CardText",
    "CardSmall",
    "CardSign",
    "CardHeaderFooter",
    "CardList",
)

#: Column widths in mm; the card's sum to its type area (210 − 28 − 20 = 162 mm), the list's to the landscape
#: GB/T 9704 type area (225 mm).
CARD_COLUMNS: tuple[tuple[str, float], ...] = (
    ("条款", 22),
    ("职责", 74),
    ("频次", 26),
    ("履职记录", 24),
    ("依据", 16),
)
LIST_COLUMNS_MM: tuple[float, ...] = (11, 70, 22, 18, 28, 54, 22)


def _mm(v: float) -> int:
    return round(v * TW_PER_MM)


def _styles(doc: Document, prof: Profile) -> None:
    fs, hei, song = prof["fonts.fangsong"], prof["fonts.heiti"], prof["fonts.xiaobiaosong"]
    latin = prof["fonts.latin"]
    # Auto line spacing and no grid snapping: the 公文 grid of 22 lines would space 10.5 pt text like 三号.
    common: dict[str, Any] = {"latin": latin, "line_tw": 240, "line_rule": "auto", "snap_to_grid": False}
    _spaced(add_style(doc, S_TITLE, "Card Title", song, TITLE_PT, jc="center", **common), after=6)
    _spaced(add_style(doc, S_META, "Card Meta", fs, META_PT, **common), after=1)
    _spaced(add_style(doc, S_HEAD, "Card Heading", hei, HEAD_PT, **common), before=8, after=3)
    _spaced(add_style(doc, S_TEXT, "Card Text", fs, CELL_PT, **common), after=1)
    _spaced(add_style(doc, S_SMALL, "Card Small", fs, SMALL_PT, **common), before=2)
    _spaced(add_style(doc, S_SIGN, "Card Signature", fs, SIGN_PT, **common), before=18)
    add_style(doc, S_HF, "Card Header Footer", fs, SMALL_PT, **common)
    _spaced(add_style(doc, S_LIST, "List Text", fs, SMALL_PT, **common), after=1)
    add_table_style(doc, prof, CELL_PT)


def _spaced(style: El, before: float = 0, after: float = 0) -> None:
    """Give a style paragraph spacing (points) while keeping its line rule."""
    ppr = style.find(W + "pPr")
    sp = ppr.find(W + "spacing")
    attrs = {k.split("}")[1]: v for k, v in sp.attrib.items()} if sp is not None else {}
    attrs.update({"before": str(round(before * TW_PER_PT)), "after": str(round(after * TW_PER_PT))})
    set_child(ppr, "w:spacing", {"w:" + k: v for k, v in attrs.items()})


#: Card margins in mm (top, right, bottom, left, header, footer). Practice, not GB/T 9704 5.2.1: a desk card
#: has no 版头 or 版记, and the 37 mm 天头 would push most cards onto a second page. The 28 mm 订口 is kept.
CARD_MARGINS_MM = (22.0, 20.0, 22.0, 28.0, 10.0, 10.0)


def _card_margins(doc: Document) -> None:
    top, right, bottom, left, header, footer = CARD_MARGINS_MM
    set_child(
        doc.sections[0]._sectPr,
        "w:pgMar",
        {
            "w:top": _mm(top),
            "w:right": _mm(right),
            "w:bottom": _mm(bottom),
            "w:left": _mm(left),
            "w:header": _mm(header),
            "w:footer": _mm(footer),
            "w:gutter": 0,
        },
    )


def _header_footer_style(doc: Document) -> None:
    """The header's and footer's paragraph formatting; their text is each document's own (`_header_footer`)."""
    sec = doc.sections[0]
    ppr = sec.header.paragraphs[0]._p.get_or_add_pPr()
    ppr.style = S_HF
    bdr = set_child(ppr, "w:pBdr")
    set_child(bdr, "w:bottom", {"w:val": "single", "w:sz": 4, "w:space": 1, "w:color": "000000"})
    set_child(ppr, "w:jc", {"w:val": "center"})
    sec.footer.paragraphs[0]._p.get_or_add_pPr().style = S_HF


def _make_card_base(prof: Profile) -> Document:
    doc = new_document(prof)
    _card_margins(doc)
    _styles(doc, prof)
    _header_footer_style(doc)
    return doc


def _make_list_base(prof: Profile) -> Document:
    doc = new_document(prof)
    # GB/T 9704 8: a wide table is set landscape, its top towards the binding edge.
    set_landscape(doc.sections[0])
    _styles(doc, prof)
    _header_footer_style(doc)
    return doc


def _header_footer(doc: Docx, header: str, stamp_line: str, face: str) -> None:
    """Header: whose document (repeated on every page). Footer: the version stamp and 第n页 共m页."""
    run(doc.header_paragraph(), header)
    fp = doc.footer_paragraph()
    # LibreOffice breaks a wrapped footer inside the code (识别码 0 / FDDE0D7); break before it ourselves so
    # the code a reader copies from a desk sheet is always whole.
    head, mark, tail = stamp_line.partition("识别码")
    if mark:
        add_break(run(fp, head.rstrip("　 ")))
    run(fp, mark + tail + "　第")
    small = run_props(face, SMALL_PT)
    field(fp, "PAGE", small)
    run(fp, "页　共")
    field(fp, "NUMPAGES", small)
    run(fp, "页")


def _table(doc: Docx, widths_mm: tuple[float, ...]) -> tuple[El, list[int]]:
    """A fixed-layout, centred table with single borders and the given column widths (and those in twips)."""
    widths = [_mm(w) for w in widths_mm]
    return table(doc.body, widths, jc="center", cell_margins_tw=(20, 70, 20, 70)), widths


def _cell_text(tc: El, text: str, props: El | None = None, jc: str | None = None, style: str = S_TEXT) -> El:
    p = paragraph(tc, style)
    if jc:
        set_child(ppr_of(p), "w:jc", {"w:val": jc})
    run(p, text, props)
    return p


def _header_row(tbl: El, widths: list[int], titles: list[str], face: str) -> None:
    tr = row(tbl, header=True)
    props = run_props(face, CELL_PT)
    for w, title in zip(widths, titles, strict=True):
        _cell_text(cell(tr, w, fill="E6E6E6", v_center=True), title, props, "center")


def _core(view: View[object], ctx: RenderContext, category: str) -> dict[str, Any]:
    st = view.stamp
    issued: dt.date | None = ctx.policy.regulation.version.issued
    return {
        "title": view.title,
        "subject": st.doc_no,
        "keywords": f"{st.work}; 版本 {st.version}; 识别码 {st.code}",
        "comments": st.line,
        "category": category,
        "identifier": st.code,
        "version": st.version,
        "created": issued or dt.date(2000, 1, 1),
        "modified": issued or dt.date(2000, 1, 1),
    }


def _duty_cell(tc: El, d: CardDuty, kai: str) -> None:
    _cell_text(tc, d.text)
    if d.shared_with:
        paragraph(tc, S_TEXT, f"（与{'、'.join(d.shared_with)}共同承担）", run_props(kai, SMALL_PT))


# ------------------------------------------------------------------------------------------------ card


def card_base(prof: Profile) -> Base:
    """The duty card's base package (page, styles, header and footer formatting) for `prof`."""
    return cached_base("duty-card", prof, _make_card_base)


def write_card(data: DutyCardView, stamp_line: str, prof: Profile) -> Docx:
    """The card, ready to save."""
    doc = card_base(prof).new()
    body = doc.body
    fs, hei, kai = prof["fonts.fangsong"], prof["fonts.heiti"], prof["fonts.kaiti"]
    label, cell_hei, cell_kai = run_props(hei, META_PT), run_props(hei, CELL_PT), run_props(kai, CELL_PT)
    _header_footer(doc, data.header, stamp_line, fs)

    paragraph(body, S_TITLE, data.title)
    meta = paragraph(body, S_META)
    run(meta, "岗位：", label)
    run(meta, data.role)
    if data.level:
        run(meta, "　责任层级：", label)
        run(meta, data.level)
    if data.parent:
        run(meta, "　所属：", label)
        run(meta, data.parent)
    if data.note:
        p = paragraph(body, S_META)
        run(p, "说明：", label)
        run(p, data.note)
    p = paragraph(body, S_META)
    run(p, "依据文件：", label)
    run(p, (data.doc_no + "　" if data.doc_no else "") + data.regulation_title)

    paragraph(body, S_HEAD, f"岗位职责（{len(data.duties)}项）")
    if data.duties:
        tbl, widths = _table(doc, tuple(w for _, w in CARD_COLUMNS))
        _header_row(tbl, widths, [t for t, _ in CARD_COLUMNS], hei)
        badge = run_props(fs, SMALL_PT, box=True)
        for d in data.duties:
            # A duty's row stays on one page, so its text is never cut between two sheets.
            tr = row(tbl, cant_split=True)
            _cell_text(cell(tr, widths[0]), d.citation)
            _duty_cell(cell(tr, widths[1]), d, kai)
            _cell_text(cell(tr, widths[2]), d.badge, badge, jc="center")
            _cell_text(cell(tr, widths[3]), d.evidence_text)
            _cell_text(cell(tr, widths[4]), d.basis_short)
        if data.laws:
            paragraph(body, S_SMALL, "法律依据：" + data.legend)
    else:
        paragraph(body, S_TEXT, "本制度未规定该岗位的职责。")

    if data.assessment:
        paragraph(body, S_HEAD, "考核事项")
        for a in data.assessment:
            p = paragraph(body, S_TEXT)
            run(p, a.citation + "　", cell_hei)
            run(p, a.text + (f"（{a.points}）" if a.points else ""))
            if a.duty_count:
                run(p, f"（考核本岗位职责{a.duty_count}项）", cell_kai)
    if data.liability:
        paragraph(body, S_HEAD, "追责情形")
        for g in data.liability:
            if g.lead:
                # Listed cases run on after their lead-in, as published lists do, to keep cards on one page.
                p = paragraph(body, S_TEXT)
                run(p, g.lead_citation + "　", cell_hei)
                run(p, g.lead)
            for z in g.items:
                if not g.lead:
                    p = paragraph(body, S_TEXT)
                    run(p, z.citation + "　", cell_hei)
                else:
                    run(p, z.number, cell_hei)
                run(p, z.text)
                if z.related:
                    run(p, f"（涉及本岗位职责：{z.related_text}）", cell_kai)
    paragraph(body, S_SIGN, data.signature)
    return doc


@docx_builder("duty-card", DutyCardView)
def build_card_docx(view: View[DutyCardView], ctx: RenderContext) -> bytes:
    """One role's duty card as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_card(view.data, view.stamp.line, prof)
    return doc.save(_core(view, ctx, "岗位安全生产责任清单卡"))


# ------------------------------------------------------------------------------------------- duty list


def list_base(prof: Profile) -> Base:
    """The 责任清单's base package (landscape page, styles, header and footer formatting) for `prof`."""
    return cached_base("duty-list", prof, _make_list_base)


def write_duty_list(data: DutyListView, stamp_line: str, prof: Profile) -> Docx:
    """The 责任清单 as a landscape table, a block of rows per role, the header row repeated on every page."""
    doc = list_base(prof).new()
    fs, hei = prof["fonts.fangsong"], prof["fonts.heiti"]
    _header_footer(doc, data.title, stamp_line, fs)
    paragraph(doc.body, S_TITLE, data.title)
    p = paragraph(doc.body, S_META)
    run(p, "依据文件：", run_props(hei, META_PT))
    run(p, (data.doc_no + "　" if data.doc_no else "") + data.regulation_title)

    tbl, widths = _table(doc, LIST_COLUMNS_MM)
    _header_row(tbl, widths, list(data.columns), hei)
    total = sum(widths)
    heading = run_props(hei, SMALL_PT)
    for g in data.groups:
        # The role heading must not be left alone at the foot of a page.
        head = cell(row(tbl, cant_split=True), total, span=len(widths), fill="F2F2F2")
        hp = _cell_text(head, f"{g.number}. {g.heading}", heading, style=S_LIST)
        set_child(ppr_of(hp), "w:keepNext", {})
        if not g.rows:
            _cell_text(cell(row(tbl), total, span=len(widths)), "本制度未规定该岗位的职责。", style=S_LIST)
            continue
        for code, d in g.rows:
            # Rows may split across pages here: the list is long and its header row repeats anyway.
            tr = row(tbl)
            texts = (code, d.text, d.citation, d.badge, d.evidence_text, d.basis_full, d.liability_text)
            for w, text in zip(widths, texts, strict=True):
                _cell_text(cell(tr, w), text, style=S_LIST)
    return doc


@docx_builder("duty-list", DutyListView)
def build_duty_list_docx(view: View[DutyListView], ctx: RenderContext) -> bytes:
    """The combined 责任清单 as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_duty_list(view.data, view.stamp.line, prof)
    return doc.save(_core(view, ctx, "安全生产责任清单"))
