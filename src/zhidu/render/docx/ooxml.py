"""WordprocessingML element builders on plain lxml: names, schema order, paragraphs, runs, tables, fields.

python-docx's object API costs tens of µs per element and plain lxml a few, so documents are written here.
`paragraph`, `run` (with a cached `run_props`), `table`, `row` and `cell` append content already in OOXML schema
order; `set_child` adds or updates a child in schema order (Word is strict; the orders are in schema_order).
Hot fragments are copied from templates built once.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from lxml import etree

from zhidu.render.docx.schema_order import ranks

#: An lxml element (lxml has no type stubs here).
El = Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Clark prefix of WordprocessingML names: ``W + "p"`` is ``w:p``.
W = "{" + W_NS + "}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Namespace prefixes used in names given to `clark` and in core.xml.
_NSMAP = {
    "w": W_NS,
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_W_NSMAP = {"w": W_NS}
_SUB = etree.SubElement
_P, _PPR, _PSTYLE, _R, _RPR, _T, _BR, _TAB, _VAL = (
    W + n for n in ("p", "pPr", "pStyle", "r", "rPr", "t", "br", "tab", "val")
)


@cache
def clark(tag: str) -> str:
    """The lxml name of a prefixed one ("w:ind" → "{…/main}ind"); cached, as documents ask for few names often."""
    prefix, _, local = tag.partition(":")
    return "{" + _NSMAP[prefix] + "}" + local


@cache
def _later_tags(parent_tag: str, child_tag: str) -> frozenset[str] | None:
    """Tags that must follow `child_tag` inside `parent_tag` in schema order (`schema_order.SEQUENCES`); None
    when that order is not listed or does not name the child."""
    rank = ranks(parent_tag.replace(W, "w:"))
    child = child_tag.replace(W, "")
    if rank is None or child not in rank:
        return None
    return frozenset(W + n for n, r in rank.items() if r > rank[child])


def set_child(parent: El, tag: str, attrs: dict[str, str | int] | None = None) -> El:
    """Get or create child `tag` ("w:ind") of `parent` in schema order and set `attrs` ("w:firstLine": 640).

    Given `attrs` replace all of an existing child's attributes; None leaves them as they are.
    """
    name = clark(tag)
    el = parent.find(name)
    if el is None:
        el = _SUB(parent, name)
        later = _later_tags(parent.tag, name)
        if later:
            for c in parent:
                if c.tag in later:
                    c.addprevious(el)
                    break
    elif attrs is not None:
        el.attrib.clear()
    if attrs:
        for k, v in attrs.items():
            el.set(clark(k), str(v))
    return el


def sub(parent: El, tag: str, **attrs: str | int) -> El:
    """Append child ``w:<tag>`` with ``w:`` attributes; for content the caller writes in schema order."""
    return _SUB(parent, W + tag, {W + k: str(v) for k, v in attrs.items()})


def ppr_of(p: El) -> El:
    """The paragraph's w:pPr, created as its first child if missing."""
    if len(p) and p[0].tag == _PPR:
        return p[0]
    ppr = _SUB(p, _PPR)
    p.insert(0, ppr)
    return ppr


# Hot fragments (a styled paragraph, a run's properties, a table cell) are built once as templates and
# copied: one lxml copy costs about a seventh of creating the same few elements one by one.


def _append_copy(parent: El, template: El) -> El:
    el = template.__copy__()  # lxml copies the whole subtree
    parent.append(el)
    return el


@cache
def _paragraph_template(style: str) -> El:
    p = etree.Element(_P, nsmap=_W_NSMAP)
    _SUB(_SUB(p, _PPR), _PSTYLE, {_VAL: style})
    return p


def paragraph(parent: El, style: str | None = None, text: str = "", props: El | None = None) -> El:
    """Append a w:p with style id `style` to a body, cell, header or footer; `text` becomes one run."""
    p = _append_copy(parent, _paragraph_template(style)) if style else _SUB(parent, _P)
    if text:
        run(p, text, props)
    return p


@cache
def _run_template(props: El) -> El:
    r = etree.Element(_R, nsmap=_W_NSMAP)
    r.append(copy.deepcopy(props))
    return r


def run(p: El, text: str | None = None, props: El | None = None) -> El:
    """Append a w:r with a copy of `props` (from `run_props`) and `text`; returns the run."""
    r = _SUB(p, _R) if props is None else _append_copy(p, _run_template(props))
    if text:
        add_text(r, text)
    return r


_BREAKS = re.compile("([\t\r\n])")


def add_text(r: El, text: str) -> None:
    """Run content as python-docx writes it: w:tab for a tab, w:br for a line break, w:t for the rest."""
    pieces = _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,)
    for piece in pieces:
        if piece == "\t":
            _SUB(r, _TAB)
        elif piece in ("\n", "\r"):
            _SUB(r, _BR)
        elif piece:
            t = _SUB(r, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                # Word trims leading and trailing spaces (ideographic ones too) unless told to keep them.
                t.set(XML_SPACE, "preserve")


def add_break(r: El) -> None:
    """A line break at the end of run `r` (w:br)."""
    _SUB(r, _BR)


@cache
def run_props(
    face: str,
    size_pt: float | None,
    bold: bool = False,
    color: str | None = None,
    latin: str | None = None,
    spacing_tw: int | None = None,
    *,
    strike: bool = False,
    underline: bool = False,
    box: bool = False,
) -> El:
    """A w:rPr for `run` to copy: face on every slot, size, bold, colour, spacing and the marks asked for.

    Built once per combination; never modify the returned element.
    """
    rpr = etree.Element(_RPR, nsmap=_W_NSMAP)
    set_rpr_font(rpr, face, size_pt, bold, color, latin, spacing_tw)
    if strike:
        set_child(rpr, "w:strike", {})
    if underline:
        set_child(rpr, "w:u", {"w:val": "single"})
    if box:
        # A thin border around the run: the frequency badge on duty cards.
        set_child(rpr, "w:bdr", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})
    return rpr


#: python-docx's table look, kept so the tables read as before in Word's table tools.
_TBL_LOOK: dict[str, str | int] = {
    "firstColumn": 1,
    "firstRow": 1,
    "lastColumn": 0,
    "lastRow": 0,
    "noHBand": 0,
    "noVBand": 1,
    "val": "04A0",
}


def table(
    parent: El,
    widths_tw: Sequence[int],
    *,
    jc: str | None = None,
    cell_margins_tw: tuple[int, int, int, int] | None = None,
) -> El:
    """Append a fixed-layout table with single borders; `cell_margins_tw` is (top, left, bottom, right)."""
    tbl = _SUB(parent, W + "tbl")
    pr = sub(tbl, "tblPr")
    sub(pr, "tblW", w=sum(widths_tw), type="dxa")
    if jc:
        sub(pr, "jc", val=jc)
    set_table_borders(pr)
    # Fixed layout: Word and LibreOffice otherwise size columns by their content.
    sub(pr, "tblLayout", type="fixed")
    if cell_margins_tw:
        mar = sub(pr, "tblCellMar")
        for side, tw in zip(("top", "left", "bottom", "right"), cell_margins_tw, strict=True):
            sub(mar, side, w=tw, type="dxa")
    sub(pr, "tblLook", **_TBL_LOOK)
    grid = sub(tbl, "tblGrid")
    for w in widths_tw:
        sub(grid, "gridCol", w=w)
    return tbl


def row(tbl: El, *, header: bool = False, cant_split: bool = False, min_height_tw: int | None = None) -> El:
    """Append a w:tr; `header` repeats it on every page (and keeps it whole), `cant_split` keeps it whole."""
    return _append_copy(tbl, _row_template(header, cant_split, min_height_tw))


@cache
def _row_template(header: bool, cant_split: bool, min_height_tw: int | None) -> El:
    tr = etree.Element(W + "tr", nsmap=_W_NSMAP)
    if header or cant_split or min_height_tw is not None:
        pr = sub(tr, "trPr")
        if header or cant_split:
            sub(pr, "cantSplit")
        if min_height_tw is not None:
            sub(pr, "trHeight", val=min_height_tw, hRule="atLeast")
        if header:
            sub(pr, "tblHeader")
    return tr


def cell(tr: El, width_tw: int, *, span: int = 1, fill: str | None = None, v_center: bool = False) -> El:
    """Append a w:tc of `width_tw` spanning `span` grid columns; add at least one paragraph to it."""
    return _append_copy(tr, _cell_template(width_tw, span, fill, v_center))


@cache
def _cell_template(width_tw: int, span: int, fill: str | None, v_center: bool) -> El:
    tc = etree.Element(W + "tc", nsmap=_W_NSMAP)
    pr = sub(tc, "tcPr")
    sub(pr, "tcW", w=width_tw, type="dxa")
    if span > 1:
        sub(pr, "gridSpan", val=span)
    if fill:
        sub(pr, "shd", val="clear", color="auto", fill=fill)
    if v_center:
        sub(pr, "vAlign", val="center")
    return tc


def field(p: El, instr: str, props: El | None) -> None:
    """A field such as PAGE or NUMPAGES (shown as 1 until Word or LibreOffice lays the document out)."""
    run(p, None, props).append(_fld_char("begin"))
    it = _SUB(run(p, None, props), W + "instrText")
    it.set(XML_SPACE, "preserve")
    it.text = f" {instr} "
    run(p, None, props).append(_fld_char("separate"))
    run(p, "1", props)
    run(p, None, props).append(_fld_char("end"))


def _fld_char(kind: str) -> El:
    return etree.Element(W + "fldChar", {W + "fldCharType": kind}, nsmap={"w": W_NS})


def set_table_borders(tbl_pr: El, sz: int = 4, color: str = "000000") -> El:
    """Single borders on every edge and inside line of a table (`sz` in eighths of a point)."""
    borders = set_child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_child(borders, f"w:{side}", {"w:val": "single", "w:sz": sz, "w:space": 0, "w:color": color})
    return borders


def set_rpr_font(
    rpr: Any,
    face: str,
    size_pt: float | None,
    bold: bool = False,
    color: str | None = None,
    latin: str | None = None,
    spacing_tw: int | None = None,
) -> None:
    """Write face (all four rFonts slots, GB/T 9704 5.2.2), size, bold, colour and run spacing into an rPr."""
    lat = latin or face
    # hint=eastAsia: quotes and dashes (“” —) are ambiguous-width; Word then draws them with the Chinese face.
    set_child(
        rpr,
        "w:rFonts",
        {"w:ascii": lat, "w:hAnsi": lat, "w:eastAsia": face, "w:cs": face, "w:hint": "eastAsia"},
    )
    if bold:
        set_child(rpr, "w:b", {})
        set_child(rpr, "w:bCs", {})
    if color:
        set_child(rpr, "w:color", {"w:val": color})
    if spacing_tw is not None:
        set_child(rpr, "w:spacing", {"w:val": spacing_tw})
    if size_pt is not None:
        half = round(size_pt * 2)
        set_child(rpr, "w:sz", {"w:val": half})
        set_child(rpr, "w:szCs", {"w:val": half})
