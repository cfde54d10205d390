"""Duty cards and the 责任清单 as .docx: GB/T 9704 faces and type area, tables with repeated header rows.

A card is a desk document, not a 公文: it keeps the standard's faces (仿宋, 黑体, 小标宋, 楷体) and type
area but uses smaller sizes so a typical card fits one A4 page. Every page carries the role name in the
header and the version stamp with the page number in the footer, so a loose second page still says whose
card it is and which version it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from zhidu.render import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docxkit import (
    add_paragraph,
    add_style,
    add_table_style,
    load_profile,
    new_document,
    save_deterministic,
    set_child,
    set_landscape,
    set_repeat_header,
    set_run_font,
    set_table_borders,
)
from zhidu.render.gbt9704 import TW_PER_MM, Profile

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    from zhidu.views import View
    from zhidu.views.cards import CardDuty, DutyCardView, DutyListView

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


def _spaced(style: Any, before: float = 0, after: float = 0) -> None:
    """Give a style paragraph spacing (points) while keeping its line rule."""
    ppr = style.find(qn("w:pPr"))
    sp = ppr.find(qn("w:spacing"))
    attrs = {k.split("}")[1]: v for k, v in sp.attrib.items()} if sp is not None else {}
    attrs.update({"before": str(round(before * 20)), "after": str(round(after * 20))})
    set_child(ppr, "w:spacing", {"w:" + k: v for k, v in attrs.items()})


def _run(p: Paragraph, text: str, face: str | None = None, size: float | None = None) -> Any:
    r = p.add_run(text)
    if face is not None:
        set_run_font(r, face, size or CELL_PT)
    return r


def _box(run: Any) -> None:
    """A thin border around a run: the frequency badge."""
    rpr = run._r.get_or_add_rPr()
    set_child(rpr, "w:bdr", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})


def _field(p: Paragraph, instr: str, face: str) -> None:
    """A PAGE or NUMPAGES field, updated by Word and LibreOffice when the document is laid out."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        r = p.add_run()
        set_run_font(r, face, SMALL_PT)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            el.text = f" {instr} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)


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


def _header_footer(doc: Document, header: str, stamp_line: str, face: str) -> None:
    """Header: whose document (repeated on every page). Footer: the version stamp and 第n页 共m页."""
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp._p.get_or_add_pPr().style = S_HF
    ppr = hp._p.get_or_add_pPr()
    set_child(ppr, "w:pBdr")
    bdr = ppr.find(qn("w:pBdr"))
    set_child(bdr, "w:bottom", {"w:val": "single", "w:sz": 4, "w:space": 1, "w:color": "000000"})
    set_child(ppr, "w:jc", {"w:val": "center"})
    _run(hp, header)
    fp = sec.footer.paragraphs[0]
    fp._p.get_or_add_pPr().style = S_HF
    # LibreOffice breaks a wrapped footer inside the code (识别码 0 / FDDE0D7); break before it ourselves so
    # the code a reader copies from a desk sheet is always whole.
    head, mark, tail = stamp_line.partition("识别码")
    if mark:
        _run(fp, head.rstrip("　 ")).add_break()
    _run(fp, mark + tail + "　第")
    _field(fp, "PAGE", face)
    _run(fp, "页　共")
    _field(fp, "NUMPAGES", face)
    _run(fp, "页")


def _table(doc: Document, rows: int, widths_mm: tuple[float, ...]) -> Table:
    """A fixed-layout table with single borders and the given column widths."""
    table: Table = doc.add_table(rows=rows, cols=len(widths_mm))
    tbl = table._tbl
    tblpr = tbl.tblPr
    total = sum(_mm(w) for w in widths_mm)
    set_child(tblpr, "w:tblW", {"w:w": total, "w:type": "dxa"})
    set_child(tblpr, "w:jc", {"w:val": "center"})
    set_table_borders(tblpr)
    set_child(tblpr, "w:tblLayout", {"w:type": "fixed"})
    mar = set_child(tblpr, "w:tblCellMar")
    for side, tw in (("top", 20), ("left", 70), ("bottom", 20), ("right", 70)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(tw))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        gc.set(qn("w:w"), str(_mm(w)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            set_child(cell._tc.get_or_add_tcPr(), "w:tcW", {"w:w": _mm(w), "w:type": "dxa"})
    return table


def _cell_text(
    cell: _Cell, text: str, face: str | None = None, jc: str | None = None, style: str = S_TEXT
) -> Paragraph:
    p: Paragraph = cell.paragraphs[0]
    ppr = p._p.get_or_add_pPr()
    ppr.style = style
    if jc:
        set_child(ppr, "w:jc", {"w:val": jc})
    _run(p, text, face, SMALL_PT if style == S_LIST else CELL_PT)
    return p


def _header_row(table: Table, titles: list[str], face: str) -> None:
    row = table.rows[0]
    set_repeat_header(row)
    for cell, title in zip(row.cells, titles, strict=True):
        _shade(cell, "E6E6E6")
        set_child(cell._tc.get_or_add_tcPr(), "w:vAlign", {"w:val": "center"})
        _cell_text(cell, title, face, "center")


def _shade(cell: _Cell, fill: str) -> None:
    set_child(cell._tc.get_or_add_tcPr(), "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def _cant_split(row: Any) -> None:
    # A duty's row stays on one page, so its text is never cut between two sheets.
    set_child(row._tr.get_or_add_trPr(), "w:cantSplit", {})


def _core(view: View, ctx: RenderContext, category: str) -> dict[str, Any]:
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


def _duty_cell(cell: _Cell, d: CardDuty, kai: str) -> None:
    _cell_text(cell, d.text)
    if d.shared_with:
        p = cell.add_paragraph()
        p._p.get_or_add_pPr().style = S_TEXT
        _run(p, f"（与{'、'.join(d.shared_with)}共同承担）", kai, SMALL_PT)


# ------------------------------------------------------------------------------------------------ card


def write_card(data: DutyCardView, stamp_line: str, prof: Profile) -> Document:
    """The card as a python-docx Document."""
    doc = new_document(prof)
    _card_margins(doc)
    _styles(doc, prof)
    fs, hei, kai = prof["fonts.fangsong"], prof["fonts.heiti"], prof["fonts.kaiti"]
    _header_footer(doc, data.header, stamp_line, fs)

    add_paragraph(doc, S_TITLE, data.title)
    meta = add_paragraph(doc, S_META)
    _run(meta, "岗位：", hei, META_PT)
    _run(meta, data.role)
    if data.level:
        _run(meta, "　责任层级：", hei, META_PT)
        _run(meta, data.level)
    if data.parent:
        _run(meta, "　所属：", hei, META_PT)
        _run(meta, data.parent)
    if data.note:
        p = add_paragraph(doc, S_META)
        _run(p, "说明：", hei, META_PT)
        _run(p, data.note)
    p = add_paragraph(doc, S_META)
    _run(p, "依据文件：", hei, META_PT)
    _run(p, (data.doc_no + "　" if data.doc_no else "") + data.regulation_title)

    add_paragraph(doc, S_HEAD, f"岗位职责（{len(data.duties)}项）")
    if data.duties:
        widths = tuple(w for _, w in CARD_COLUMNS)
        table = _table(doc, len(data.duties) + 1, widths)
        _header_row(table, [t for t, _ in CARD_COLUMNS], hei)
        for row, d in zip(table.rows[1:], data.duties, strict=True):
            _cant_split(row)
            cells = row.cells
            _cell_text(cells[0], d.citation)
            _duty_cell(cells[1], d, kai)
            badge = _cell_text(cells[2], d.badge, jc="center").runs[0]
            set_run_font(badge, fs, SMALL_PT)
            _box(badge)
            _cell_text(cells[3], d.evidence_text)
            _cell_text(cells[4], d.basis_short)
        if data.laws:
            add_paragraph(doc, S_SMALL, "法律依据：" + data.legend)
    else:
        add_paragraph(doc, S_TEXT, "本制度未规定该岗位的职责。")

    if data.assessment:
        add_paragraph(doc, S_HEAD, "考核事项")
        for a in data.assessment:
            p = add_paragraph(doc, S_TEXT)
            _run(p, a.citation + "　", hei, CELL_PT)
            _run(p, a.text + (f"（{a.points}）" if a.points else ""))
            if a.duty_count:
                _run(p, f"（考核本岗位职责{a.duty_count}项）", kai, CELL_PT)
    if data.liability:
        add_paragraph(doc, S_HEAD, "追责情形")
        for g in data.liability:
            if g.lead:
                # Listed cases run on after their lead-in, as published lists do, to keep cards on one page.
                p = add_paragraph(doc, S_TEXT)
                _run(p, g.lead_citation + "　", hei, CELL_PT)
                _run(p, g.lead)
            for z in g.items:
                if not g.lead:
                    p = add_paragraph(doc, S_TEXT)
                    _run(p, z.citation + "　", hei, CELL_PT)
                else:
                    _run(p, z.number, hei, CELL_PT)
                _run(p, z.text)
                if z.related:
                    _run(p, f"（涉及本岗位职责：{z.related_text}）", kai, CELL_PT)
    add_paragraph(doc, S_SIGN, data.signature)
    return doc


@docx_builder("duty-card")
def build_card_docx(view: View, ctx: RenderContext) -> bytes:
    """One role's duty card as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_card(view.data, view.stamp.line, prof)
    return save_deterministic(doc, _core(view, ctx, "岗位安全生产责任清单卡"))


# ------------------------------------------------------------------------------------------- duty list


def write_duty_list(data: DutyListView, stamp_line: str, prof: Profile) -> Document:
    """The 责任清单 as a landscape table, a block of rows per role, the header row repeated on every page."""
    doc = new_document(prof)
    # GB/T 9704 8: a wide table is set landscape, its top towards the binding edge.
    set_landscape(doc.sections[0])
    _styles(doc, prof)
    fs, hei = prof["fonts.fangsong"], prof["fonts.heiti"]
    _header_footer(doc, data.title, stamp_line, fs)
    add_paragraph(doc, S_TITLE, data.title)
    p = add_paragraph(doc, S_META)
    _run(p, "依据文件：", hei, META_PT)
    _run(p, (data.doc_no + "　" if data.doc_no else "") + data.regulation_title)

    n_rows = 1 + sum(1 + max(1, len(g.rows)) for g in data.groups)
    table = _table(doc, n_rows, LIST_COLUMNS_MM)
    _header_row(table, list(data.columns), hei)
    rows = iter(table.rows[1:])
    ncol = len(data.columns)
    for g in data.groups:
        grow = next(rows)
        _cant_split(grow)
        # The role heading must not be left alone at the foot of a page.
        head = grow.cells[0].merge(grow.cells[ncol - 1])
        hp = _cell_text(head, f"{g.number}. {g.heading}", hei, style=S_LIST)
        set_child(hp._p.get_or_add_pPr(), "w:keepNext", {})
        _shade(head, "F2F2F2")
        if not g.rows:
            row = next(rows)
            _cell_text(row.cells[0].merge(row.cells[ncol - 1]), "本制度未规定该岗位的职责。", style=S_LIST)
            continue
        for code, d in g.rows:
            # Rows may split across pages here: the list is long and its header row repeats anyway.
            row = next(rows)
            texts = (code, d.text, d.citation, d.badge, d.evidence_text, d.basis_full, d.liability_text)
            for cell, text in zip(row.cells, texts, strict=True):
                _cell_text(cell, text, style=S_LIST)
    return doc


@docx_builder("duty-list")
def build_duty_list_docx(view: View, ctx: RenderContext) -> bytes:
    """The combined 责任清单 as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_duty_list(view.data, view.stamp.line, prof)
    return save_deterministic(doc, _core(view, ctx, "安全生产责任清单"))
