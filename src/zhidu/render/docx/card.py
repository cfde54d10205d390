"""Duty cards and the 责任清单 as .docx: GB/T 9704 faces and type area, tables with repeated header rows.

A card is a desk document, not a 公文: it keeps the standard's faces (仿宋, 黑体, 小标宋, 楷体) and type
area but uses smaller sizes so a typical card fits one A4 page. Every page carries the role name in the
header and the version stamp with the page number in the footer, so a loose second page still says whose
card it is and which version it shows.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from zhidu.layout import Profile, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_style, add_table_style, new_document, set_landscape
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.draft import mark_beside
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
    sub,
    table,
)
from zhidu.render.docx.package import Base, Docx
from zhidu.units import TW_PER_MM, TW_PER_PT
from zhidu.views.base import Stamp, View
from zhidu.views.cards import DutyCardView, DutyListView
from zhidu.views.tokens import join_tokens, keep_numbers, nobreak

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.views.cards import CardDuty, CardLiabilityItem

# Sizes are practice, not GB/T 9704: a desk card and a published list are not 公文 (whose body is 三号).
TITLE_PT = 15.0
META_PT = 10.5  # 五号
HEAD_PT = 10.5  # 五号, in 黑体
CELL_PT = 10.5  # 五号: duties are read at a desk and signed for
SMALL_PT = 9.0  # 小五: citations, badges, records, bases, 追责 and 考核 lists
SIGN_PT = 10.5
LIST_PT = 9.0  # the 责任清单's cells (issue 17: at least 9 pt)
CELL_LINE_PT = 12.5  # exact line pitch of 五号 text
SMALL_LINE_PT = 10.5  # exact line pitch of 小五 text (1.17 em)

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

#: The card's columns; 条款, 频次 and 依据 are sized from their widest unbreakable token (`_card_widths`) and
#: 职责 takes the rest of the 170 mm type area (210 − 25 − 15). The 履职记录 go under the duty they record
#: (most duties name none): a column of dashes cost a quarter of the width and pushed cards onto two pages.
CARD_TITLES: tuple[str, ...] = ("条款及职责（履职记录）", "频次", "依据")
CARD_WIDTH_MM = 170.0
#: The 责任清单's width: the landscape GB/T 9704 type area (225 mm). Columns are sized in `_list_widths`.
LIST_WIDTH_MM = 225.0
#: Cell margins in twips (top and bottom, left and right): the exact line pitch already leaves air.
CELL_MARGINS_TW = (8, 60)
#: Cell margins (left + right) in mm, and a character's advance as a share of the type size.
_CELL_PAD_MM = 2 * CELL_MARGINS_TW[1] / TW_PER_MM
_PT_MM = 25.4 / 72


def text_mm(text: str, size_pt: float) -> float:
    """Printed width of `text` at `size_pt`: CJK, full-width and circled characters one em, ASCII half."""
    ems = sum(0.0 if c == "\u2060" else 0.55 if ord(c) < 0x2000 else 1.0 for c in text)
    return ems * size_pt * _PT_MM


def pack(tokens: tuple[str, ...] | list[str], width_mm: float, size_pt: float, sep: str = "") -> list[str]:
    """Tokens filled greedily into lines of `width_mm`: a line breaks only between tokens, never inside one.

    Renderers put an explicit break between the lines. LibreOffice breaks Chinese text between any two
    characters and does not honour WORD JOINER there, so a cell's lines are decided here, from measured widths
    with a safety margin; a token wider than the line keeps a line of its own.
    """
    room = width_mm - _CELL_PAD_MM - 0.6
    lines: list[str] = []
    for tok in tokens:
        if lines and text_mm(lines[-1] + sep + tok, size_pt) <= room:
            lines[-1] += sep + tok
        else:
            if lines and sep:
                lines[-1] += sep
            lines.append(tok)
    return lines


def _list_widths(data: DutyListView) -> tuple[float, ...]:
    """编码, 条款, 频次, 依据 and 追责 fit their widest token; 责任事项 and 履职记录 share the rest 3:1."""
    rows = [d for g in data.groups for _, d in g.rows]

    def fit(tokens: list[str], title: str) -> float:
        widest = max([text_mm(t, LIST_PT) for t in tokens] + [text_mm(title, CELL_PT)])
        return round(widest + _CELL_PAD_MM + 0.8, 1)

    code = fit([c for g in data.groups for c, _ in g.rows], "编码")
    # 第X条第（X）项 on one line: most citations then take one line, the 目 a second.
    cite = fit(
        [a + b for d in rows for a, b in pairwise(d.cite)] or [t for d in rows for t in d.cite], "条款"
    )
    badge = fit([t for d in rows for t in d.badges], "频次")
    basis = fit([t for d in rows for t in d.basis_tokens], "实施依据")
    # 追责 cells hold several citations; give them two levels per line.
    cites = [a + b for d in rows for c in d.liability_cites for a, b in pairwise(c)]
    liab = fit(cites, "追责情形")
    rest = LIST_WIDTH_MM - code - cite - badge - basis - liab
    record = round(rest / 4, 1)
    return (code, round(rest - record, 1), cite, badge, record, basis, liab)


def _card_widths(data: DutyCardView) -> tuple[float, ...]:
    """Column widths in mm from the content: the widest token of each short column fits on one line."""

    def fit(tokens: list[str], title: str, floor: float) -> float:
        widest = max([text_mm(t, SMALL_PT) for t in tokens] + [text_mm(title, CELL_PT), floor])
        return round(widest + _CELL_PAD_MM + 0.8, 1)

    # A badge also carries its box: a little more room than its text.
    badge = fit([t for d in data.duties for t in d.badges], "频次", 10) + 1.5
    basis = fit([t for d in data.duties for t in d.basis_tokens], "依据", 10)
    return (CARD_WIDTH_MM - badge - basis, badge, basis)


def _mm(v: float) -> int:
    return round(v * TW_PER_MM)


def _styles(doc: Document, prof: Profile) -> None:
    fs, hei, song = prof["fonts.fangsong"], prof["fonts.heiti"], prof["fonts.xiaobiaosong"]
    latin = prof["fonts.latin"]
    # Auto line spacing and no grid snapping: the 公文 grid of 22 lines would space 10.5 pt text like 三号.
    common: dict[str, Any] = {"latin": latin, "line_tw": 240, "line_rule": "auto", "snap_to_grid": False}
    # Exact line pitches of about 1.2 em: the CJK faces' single spacing is about 1.3 em, and proportional
    # spacing below single makes LibreOffice overlap the lines of a table cell.
    tight: dict[str, Any] = {**common, "line_rule": "exact", "line_tw": round(CELL_LINE_PT * TW_PER_PT)}
    small: dict[str, Any] = {**tight, "line_tw": round(SMALL_LINE_PT * TW_PER_PT)}
    _spaced(add_style(doc, S_TITLE, "Card Title", song, TITLE_PT, jc="center", **common), after=2)
    _spaced(add_style(doc, S_META, "Card Meta", fs, META_PT, **tight), after=0)
    head = add_style(doc, S_HEAD, "Card Heading", hei, HEAD_PT, **common)
    _spaced(head, before=3, after=1)
    # A heading never ends a page: it keeps with the first line of what it heads.
    set_child(head.find(W + "pPr"), "w:keepNext", {})
    _spaced(add_style(doc, S_TEXT, "Card Text", fs, CELL_PT, **tight), after=0)
    _spaced(add_style(doc, S_SMALL, "Card Small", fs, SMALL_PT, **small), before=1)
    _spaced(add_style(doc, S_SIGN, "Card Signature", fs, SIGN_PT, **common), before=4)
    add_style(doc, S_HF, "Card Header Footer", fs, SMALL_PT, **common)
    _spaced(add_style(doc, S_LIST, "List Text", fs, LIST_PT, **small), after=0)
    add_table_style(doc, prof, CELL_PT)


def _spaced(style: El, before: float = 0, after: float = 0) -> None:
    """Give a style paragraph spacing (points) while keeping its line rule."""
    ppr = style.find(W + "pPr")
    sp = ppr.find(W + "spacing")
    attrs = {k.split("}")[1]: v for k, v in sp.attrib.items()} if sp is not None else {}
    attrs.update({"before": str(round(before * TW_PER_PT)), "after": str(round(after * TW_PER_PT))})
    set_child(ppr, "w:spacing", {"w:" + k: v for k, v in attrs.items()})


#: Card margins in mm (top, right, bottom, left, header, footer). Practice, not GB/T 9704 5.2.1: a desk card
#: has no 版头 or 版记, and the 37 mm 天头 would push most cards onto a second page; 25 mm at the left still
#: leaves room to punch and file it.
CARD_MARGINS_MM = (13.0, 15.0, 15.0, 25.0, 5.0, 6.0)


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


def _header_footer(doc: Docx, header: str, stamp: Stamp, face: str, hei: str, width_mm: float) -> None:
    """Header: whose document (repeated on every page), with a draft's 征求意见稿 at its right end. Footer: the
    version stamp and 第n页 共m页."""
    stamp_line = stamp.line
    if stamp.draft_mark:
        mark_beside(doc.header_paragraph(), header, stamp.draft_mark, hei, _mm(width_mm))
    else:
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
    return table(
        doc.body,
        widths,
        jc="center",
        cell_margins_tw=(CELL_MARGINS_TW[0], CELL_MARGINS_TW[1], CELL_MARGINS_TW[0], CELL_MARGINS_TW[1]),
    ), widths


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


def card_base(prof: Profile) -> Base:
    """The duty card's base package (page, styles, header and footer formatting) for `prof`."""
    return cached_base("duty-card", prof, _make_card_base)


#: Marks for duties shared with other roles, one per distinct set of co-owners, explained under the table:
#: a note line in every row would push most cards onto a second page.
SHARED_MARKS = "◆◇▲△●○■□"


def shared_marks(data: DutyCardView) -> dict[tuple[str, ...], str]:
    """Each distinct set of co-owners on the card → its mark, in order of first appearance."""
    out: dict[tuple[str, ...], str] = {}
    for d in data.duties:
        if d.shared_with and d.shared_with not in out:
            n = len(out)
            out[d.shared_with] = SHARED_MARKS[n] if n < len(SHARED_MARKS) else f"〔{n + 1}〕"
    return out


def _duty_cell(tc: El, d: CardDuty, mark: str, cite: El, kai: str) -> None:
    """The citation (黑体, whole, at the head of the cell), the duty, its co-owner mark and its records."""
    p = _cell_text(tc, join_tokens(d.cite) + "　", cite)
    run(p, keep_numbers(d.text))
    if mark:
        run(p, mark, run_props(kai, SMALL_PT))
    if d.evidence:
        paragraph(tc, S_TEXT, "履职记录：" + keep_numbers(d.evidence_text), run_props(kai, SMALL_PT))


def _tokens_cell(
    tc: El, tokens: tuple[str, ...], width_tw: int, props: El, size: float, sep: str = "", style: str = S_TEXT
) -> None:
    """Tokens packed into lines that fit the cell (`pack`), with a line break only between tokens."""
    lines = pack(tokens, width_tw / TW_PER_MM, size, sep) or ["—"]
    p = _cell_text(tc, "", style=style)
    for i, line in enumerate(lines):
        r = run(p, nobreak(line), props)
        if i + 1 < len(lines):
            add_break(r)


def _badge_cell(tc: El, d: CardDuty, props: El) -> None:
    """The frequency badge, one boxed piece per line when it has several: a box never wraps."""
    p = _cell_text(tc, "", jc="center")
    for i, piece in enumerate(d.badges or ("常态",)):
        r = run(p, nobreak(piece), props)
        if i + 1 < len(d.badges):
            add_break(r)


#: Tab stops of the signature line (mm from the left margin): end of the signature rule, start of 日期, end of
#: its rule.
SIGN_TABS_MM = (95.0, 101.0, 160.0)


#: A card's second page opens with at least this many duty rows (issue 17).
KEEP_ROWS = 3


def _keep_next(p: El) -> None:
    set_child(ppr_of(p), "w:keepNext", {})


def _sign_block(doc: Docx, data: DutyCardView, fs: str, hei: str) -> None:
    """本人已知悉 line, then rules to write on for 责任人签名 and 日期, and the issuing office; kept together."""
    body = doc.body
    label = run_props(hei, SIGN_PT)
    rule = run_props(fs, SIGN_PT, underline=True)
    p = paragraph(body, S_SIGN, data.signature + "　")
    tabs = set_child(ppr_of(p), "w:tabs")
    # Rules are underlined tabs up to fixed stops: the same length in Word and LibreOffice.
    for pos_mm in SIGN_TABS_MM:
        sub(tabs, "tab", val="left", pos=_mm(pos_mm))
    signer, date = data.sign_fields[0], data.sign_fields[1]
    run(p, f"{signer}：", label)
    run(p, "\t", rule)
    run(p, "\t")
    run(p, f"{date}：", label)
    run(p, "\t", rule)
    _keep_next(p)
    p = paragraph(body, S_SIGN)
    run(p, f"{data.sign_fields[2]}：", label)
    run(p, (data.issuer or "") + "（盖章）")


def _card_meta(body: El, data: DutyCardView, label: El, face: str) -> None:
    """岗位, 责任层级, 所属 and 说明 as label–value pairs, packed into as few lines as the width allows; a pair
    starts a line of its own only when it no longer fits on the current one."""
    pairs = [
        ("岗位：", data.role),
        ("责任层级：", data.level),
        ("所属：", data.parent),
        ("说明：", data.note),
    ]
    room = CARD_WIDTH_MM - 2
    line, p = "", paragraph(body, S_META)
    for name, value in pairs:
        if not value:
            continue
        if line and text_mm(line + "　" + name + value, META_PT) > room:
            line, p = "", paragraph(body, S_META)
        if line:
            run(p, "　")
            line += "　"
        run(p, name, label)
        run(p, value)
        line += name + value


#: A source reference may take this many lines of the card's head; a longer title is set smaller, and one that
#: does not fit even so is cited by its 文号 alone (the footer stamp carries the 文号 on every page too).
SOURCE_LINES = 2
SOURCE_LABEL = "依据文件："


def _source_layout(name: str, number: str, size: float, width_mm: float) -> tuple[int, bool]:
    """Lines the label, the title (broken anywhere, as LibreOffice breaks Chinese text) and the 文号 (whole)
    take at `size`, and whether the 文号 must start a line of its own. The title is filled into lines half an
    em short, and the 文号 must leave an em free: LibreOffice, which moves punctuation between lines, then
    never ends a line earlier than this estimate."""
    em = size * _PT_MM
    room = width_mm - 2 - em / 2
    used, lines = text_mm(SOURCE_LABEL, META_PT), 1
    for ch in name:
        w = text_mm(ch, size)
        if used + w > room:
            lines, used = lines + 1, 0.0
        used += w
    own_line = bool(number) and used + text_mm(number, size) > room - em / 2
    return lines + own_line, own_line


def source_reference(doc_no: str, title: str, width_mm: float) -> tuple[str, str, float, bool]:
    """The regulation as a reader cites a document, title first and then its 文号 (《标题》, （文号）), the type
    size that keeps both within `SOURCE_LINES` lines of `width_mm` after the 依据文件 label, and whether the 文号
    starts a line (it is never broken); the 文号 alone when no size from 五号 down to 小五 fits the title."""
    name = title if title.startswith("《") else f"《{title}》"
    number = f"（{doc_no}）" if doc_no else ""
    for size in (META_PT, SMALL_PT):
        lines, own_line = _source_layout(name, number, size, width_mm)
        if lines <= SOURCE_LINES:
            return name, number, size, own_line
    return ("", doc_no, META_PT, False) if doc_no else (name, "", SMALL_PT, False)


def _source_line(body: El, doc_no: str, title: str, width_mm: float, label: El, face: str) -> None:
    """依据文件：《标题》（文号）, within two lines whatever the title's length (`source_reference`)."""
    name, number, size, own_line = source_reference(doc_no, title, width_mm)
    p = paragraph(body, S_META)
    run(p, SOURCE_LABEL, label)
    props = run_props(face, size) if size != META_PT else None
    r = run(p, keep_numbers(name), props)
    if own_line:
        # LibreOffice breaks a line inside 东公政发〔2024〕41号 whatever joins its characters: break before it.
        add_break(r)
    run(p, nobreak(number), props)


def write_card(data: DutyCardView, stamp: Stamp, prof: Profile) -> Docx:
    """The card, ready to save."""
    doc = card_base(prof).new()
    body = doc.body
    fs, hei, kai = prof["fonts.fangsong"], prof["fonts.heiti"], prof["fonts.kaiti"]
    label, cell_hei = run_props(hei, META_PT), run_props(hei, SMALL_PT)
    small, small_kai = run_props(fs, SMALL_PT), run_props(kai, SMALL_PT)
    _header_footer(doc, data.header, stamp, fs, hei, CARD_WIDTH_MM)

    paragraph(body, S_TITLE, data.title)
    _card_meta(body, data, label, fs)
    _source_line(body, data.doc_no, data.regulation_title, CARD_WIDTH_MM, label, fs)

    paragraph(body, S_HEAD, f"岗位职责（{len(data.duties)}项）")
    chain_from: El | None = None
    if data.duties:
        tbl, widths = _table(doc, _card_widths(data))
        _header_row(tbl, widths, list(CARD_TITLES), hei)
        badge = run_props(fs, SMALL_PT, box=True)
        marks = shared_marks(data)
        last_rows: list[El] = []
        for d in data.duties:
            # A duty's row stays on one page, so its text is never cut between two sheets.
            tr = row(tbl, cant_split=True)
            _duty_cell(cell(tr, widths[0]), d, marks.get(d.shared_with, ""), cell_hei, kai)
            _badge_cell(cell(tr, widths[1]), d, badge)
            _tokens_cell(cell(tr, widths[2]), d.basis_tokens, widths[2], small, SMALL_PT)
            last_rows.append(tr)
        chain_from = last_rows[-min(KEEP_ROWS, len(last_rows))]
        if marks:
            shared = "　".join(f"{mark}与{'、'.join(owners)}共同承担" for owners, mark in marks.items())
            paragraph(body, S_SMALL, shared, small_kai)
        if data.laws:
            _legend(body, S_SMALL, "法律依据：", [b.mark + b.name for b in data.laws], CARD_WIDTH_MM, small)
    else:
        paragraph(body, S_TEXT, "本制度未规定该岗位的职责。")

    if data.assessment:
        paragraph(body, S_HEAD, "考核事项")
        for a in data.assessment:
            p = paragraph(body, S_SMALL)
            run(p, nobreak(a.citation) + "　", cell_hei)
            run(p, a.text + (f"（{a.points}）" if a.points else ""), small)
            if a.duty_count:
                run(p, f"（考核本岗位职责{a.duty_count}项）", small_kai)
    if data.liability:
        paragraph(body, S_HEAD, "追责情形")
        for g in data.liability:
            if g.lead:
                p = paragraph(body, S_SMALL)
                run(p, join_tokens(_cite_tokens(g.lead_citation)) + "　", cell_hei)
                run(p, g.lead, small)
            if g.lead and len(g.items) > 3:
                _two_columns(doc, g.items, cell_hei, small, small_kai)
                continue
            for z in g.items:
                p = paragraph(body, S_SMALL)
                if g.lead:
                    set_child(ppr_of(p), "w:ind", {"w:left": _mm(6), "w:hanging": _mm(4)})
                    run(p, z.number, cell_hei)
                else:
                    run(p, join_tokens(z.cite or (z.citation,)) + "　", cell_hei)
                _case_text(p, z, small, small_kai)
    if chain_from is not None:
        # From the last KEEP_ROWS duty rows to the signature everything keeps with what follows: when a card
        # needs a second page, that page opens with duty rows, and the signature stays with the last of them.
        started = False
        for el in body.iter(W + "tr", W + "p"):
            started = started or el is chain_from
            if started and el.tag == W + "p":
                _keep_next(el)
    _sign_block(doc, data, fs, hei)
    return doc


def _legend(body: El, style: str, label: str, names: list[str], width_mm: float, props: El) -> None:
    """A key of law names, lines decided by `pack`: a name in 《》 never breaks inside."""
    # Two spaces between names: an ideographic space per name cost the seed's key a third line.
    lines = pack([label + names[0], *names[1:]], width_mm, SMALL_PT, "  ")
    p = paragraph(body, style)
    for i, line in enumerate(lines):
        r = run(p, nobreak(line) if len(line) < 40 else line, props)
        if i + 1 < len(lines):
            add_break(r)


def _case_text(
    p: El, z: CardLiabilityItem, small: El, small_kai: El, width_mm: float = CARD_WIDTH_MM
) -> None:
    """A 追责 case and the duties it concerns; the citation note starts a line of its own when the line
    cannot hold it whole (LibreOffice breaks Chinese text anywhere, so the break is decided here)."""
    r = run(p, keep_numbers(z.text), small)
    if z.related:
        note = f"（对应{'、'.join(z.related)}）"
        head = z.number if z.number.endswith(".") else z.citation + "　"
        if text_mm(head + z.text + note, SMALL_PT) > width_mm - _CELL_PAD_MM - 2:
            add_break(r)
        run(p, nobreak(note), small_kai)


def _two_columns(doc: Docx, items: tuple[CardLiabilityItem, ...], num: El, small: El, kai: El) -> list[El]:
    """Listed cases in two borderless columns, read down the left then the right: one numbered case per
    line, in half the height of a single column."""
    half = (len(items) + 1) // 2
    w = _mm(CARD_WIDTH_MM / 2)
    tbl = table(doc.body, [w, w], cell_margins_tw=(0, 60, 0, 60))
    borders = tbl.find(W + "tblPr").find(W + "tblBorders")
    for side in borders:
        side.attrib.clear()
        side.set(W + "val", "nil")
    paras: list[El] = []
    for i in range(half):
        tr = row(tbl, cant_split=True)
        for z in (items[i], items[i + half] if i + half < len(items) else None):
            tc = cell(tr, w)
            p = paragraph(tc, S_SMALL)
            set_child(ppr_of(p), "w:ind", {"w:left": _mm(4), "w:hanging": _mm(4)})
            if z is not None:
                run(p, z.number, num)
                _case_text(p, z, small, kai, CARD_WIDTH_MM / 2)
            paras.append(p)
    return paras


def _cite_tokens(cite: str) -> tuple[str, ...]:
    """A whole citation as one token (lead-ins are short and read as one unit)."""
    return (cite,) if cite else ()


@docx_builder("duty-card", DutyCardView)
def build_card_docx(view: View[DutyCardView], ctx: RenderContext) -> bytes:
    """One role's duty card as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_card(view.data, view.stamp, prof)
    return doc.save(_core(view, ctx, "岗位安全生产责任清单卡"))


# ------------------------------------------------------------------------------------------- duty list


def list_base(prof: Profile) -> Base:
    """The 责任清单's base package (landscape page, styles, header and footer formatting) for `prof`."""
    return cached_base("duty-list", prof, _make_list_base)


def write_duty_list(data: DutyListView, stamp: Stamp, prof: Profile) -> Docx:
    """The 责任清单 as a landscape table, a block of rows per role, the header row repeated on every page."""
    doc = list_base(prof).new()
    fs, hei = prof["fonts.fangsong"], prof["fonts.heiti"]
    _header_footer(doc, data.title, stamp, fs, hei, LIST_WIDTH_MM)
    paragraph(doc.body, S_TITLE, data.title)
    _source_line(doc.body, data.doc_no, data.regulation_title, LIST_WIDTH_MM, run_props(hei, META_PT), fs)

    if data.laws:
        # The ①–⑤ key once, instead of full law names in every row.
        names = [b.mark + b.name for b in data.laws]
        _legend(doc.body, S_LIST, "实施依据：", names, LIST_WIDTH_MM, run_props(fs, LIST_PT))

    tbl, widths = _table(doc, _list_widths(data))
    _header_row(tbl, widths, list(data.columns), hei)
    total = sum(widths)
    heading = run_props(hei, LIST_PT)
    text = run_props(fs, LIST_PT)
    for g in data.groups:
        head = cell(row(tbl, cant_split=True), total, span=len(widths), fill="F2F2F2")
        hp = _cell_text(head, f"{g.number}. {g.heading}", heading, style=S_LIST)
        # The role heading keeps with its first row: keepNext on every paragraph of the heading row.
        _keep_next(hp)
        if not g.rows:
            _cell_text(cell(row(tbl), total, span=len(widths)), "本制度未规定该岗位的职责。", style=S_LIST)
            continue
        for code, d in g.rows:
            # A row never splits across pages: a cell cut mid-sentence loses its 编码 and its context.
            tr = row(tbl, cant_split=True)
            _cell_text(cell(tr, widths[0]), nobreak(code), text, style=S_LIST)
            _cell_text(cell(tr, widths[1]), keep_numbers(d.text), text, style=S_LIST)
            _tokens_cell(cell(tr, widths[2]), d.cite, widths[2], text, LIST_PT, style=S_LIST)
            _tokens_cell(cell(tr, widths[3]), d.badges, widths[3], text, LIST_PT, "、", S_LIST)
            _cell_text(cell(tr, widths[4]), keep_numbers(d.evidence_text), text, style=S_LIST)
            _tokens_cell(cell(tr, widths[5]), d.basis_tokens, widths[5], text, LIST_PT, style=S_LIST)
            # Each 追责 citation is level tokens; "；" separates citations and may end a line.
            cites = [
                t + ("；" if k == len(c) - 1 and n + 1 < len(d.liability_cites) else "")
                for n, c in enumerate(d.liability_cites)
                for k, t in enumerate(c)
            ]
            _tokens_cell(cell(tr, widths[6]), tuple(cites), widths[6], text, LIST_PT, style=S_LIST)
    return doc


@docx_builder("duty-list", DutyListView)
def build_duty_list_docx(view: View[DutyListView], ctx: RenderContext) -> bytes:
    """The combined 责任清单 as .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    doc = write_duty_list(view.data, view.stamp, prof)
    return doc.save(_core(view, ctx, "安全生产责任清单"))
