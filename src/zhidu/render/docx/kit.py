"""Low-level .docx writing shared by every docx product (notice, duty cards, checklists, diff tables).

Two layers, because python-docx's object API costs tens of µs per element and plain lxml a few:

- **Base packages** (python-docx, built once per product and profile): `new_document(profile)` gives a Document
  with GB/T fonts on docDefaults and every style (no theme fonts, zh-CN) and the profile's A4 page;
  `add_style`, `add_table_style`, `set_landscape` and `add_page_number_footers` finish a product's base, and
  `cached_base(name, profile, make)` turns it into a `Base` of part bytes, kept in memory and in the user's
  cache so that most builds never import python-docx.
- **Documents** (plain lxml): `Base.new()` gives a `Docx` whose body and header/footer parts are lxml trees.
  `paragraph`, `run` (with a cached `run_props`), `table`, `row` and `cell` append content already in OOXML schema
  order; `set_child` adds or updates a child in schema order (Word is strict). `Docx.save(core)` writes bytes that
  are identical across runs: pinned core properties (`core_xml`), unused styles pruned, and a zip (`write_zip`)
  with fixed dates and order that reuses the base's unchanged parts as deflated once.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from zhidu.errors import RenderError
from zhidu.layout import Profile, load_profile

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section

__all__ = [
    "TABLE_STYLE_ID",
    "Base",
    "Docx",
    "El",
    "Packed",
    "Profile",
    "W",
    "add_break",
    "add_page_number_footers",
    "add_style",
    "add_table_style",
    "add_text",
    "cached_base",
    "cell",
    "core_xml",
    "field",
    "load_profile",
    "new_document",
    "pack",
    "paragraph",
    "ppr_of",
    "row",
    "run",
    "run_props",
    "set_child",
    "set_landscape",
    "set_rpr_font",
    "set_table_borders",
    "sub",
    "table",
    "write_zip",
]

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

#: Paragraph style for table cells (gbt9704.md §4 "Tables need their own paragraph style").
TABLE_STYLE_ID = "ZhiduTable"

# Child order of the OOXML complex types we touch (ECMA-376 Part 1, 17.3.1.26 pPr, 17.3.2.28 rPr, 17.6.17 sectPr,
# 17.4.60 tblPr, 17.4.82 trPr). LibreOffice forgives misordered children; Word reports the file as corrupt.
_ORDER: dict[str, list[str]] = {
    "w:pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    "w:rPr": [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ],
    "w:sectPr": [
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
    "w:tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ],
    "w:trPr": [
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
    ],
    "w:tcPr": [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ],
    "w:style": [
        "name",
        "aliases",
        "basedOn",
        "next",
        "link",
        "autoRedefine",
        "hidden",
        "uiPriority",
        "semiHidden",
        "unhideWhenUsed",
        "qFormat",
        "locked",
        "personal",
        "personalCompose",
        "personalReply",
        "rsid",
        "pPr",
        "rPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblStylePr",
    ],
    "w:rPrDefault": ["rPr"],
    "w:pPrDefault": ["pPr"],
}


@cache
def clark(tag: str) -> str:
    """The lxml name of a prefixed one ("w:ind" → "{…/main}ind"); cached, as documents ask for few names often."""
    prefix, _, local = tag.partition(":")
    return "{" + _NSMAP[prefix] + "}" + local


@cache
def _later_tags(parent_tag: str, child_tag: str) -> frozenset[str] | None:
    """Tags that must follow `child_tag` inside `parent_tag` in schema order; None if that order is not known."""
    order = _ORDER.get(parent_tag.replace(W, "w:"))
    if order is None:
        return None
    names = [W + n for n in order]
    return frozenset(names[names.index(child_tag) + 1 :])


def set_child(parent: El, tag: str, attrs: dict[str, str | int] | None = None, replace: bool = True) -> El:
    """Get or create child `tag` ("w:ind") of `parent` in schema order and set `attrs` ("w:firstLine": 640).

    With `replace` (the default) given `attrs` replace all of an existing child's attributes.
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
    elif replace and attrs is not None:
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


def add_style(
    doc: Document,
    style_id: str,
    name: str,
    face: str,
    size_pt: float,
    *,
    based_on: str = "Normal",
    bold: bool = False,
    color: str | None = None,
    latin: str | None = None,
    spacing_tw: int | None = None,
    first_line_tw: int | None = None,
    jc: str | None = None,
    line_tw: int | None = None,
    line_rule: str = "exact",
    snap_to_grid: bool | None = None,
) -> Any:
    """Add (or replace) a paragraph style in styles.xml with fonts on every slot; returns the w:style element."""
    styles = doc.styles.element
    for old in styles.findall(clark("w:style")):
        if old.get(clark("w:styleId")) == style_id:
            styles.remove(old)
    st = etree.SubElement(styles, clark("w:style"))
    st.set(clark("w:type"), "paragraph")
    st.set(clark("w:customStyle"), "1")
    st.set(clark("w:styleId"), style_id)
    set_child(st, "w:name", {"w:val": name})
    if based_on:
        set_child(st, "w:basedOn", {"w:val": based_on})
    set_child(st, "w:qFormat", {})
    ppr = set_child(st, "w:pPr")
    if snap_to_grid is not None:
        set_child(ppr, "w:snapToGrid", {"w:val": 1 if snap_to_grid else 0})
    if line_tw is not None:
        set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": line_tw, "w:lineRule": line_rule})
    if first_line_tw is not None:
        # LibreOffice 7.4 ignores firstLineChars, Word prefers it: write both (gbt9704.md §4).
        chars = round(first_line_tw / (size_pt * 20) * 100)
        set_child(ppr, "w:ind", {"w:firstLineChars": chars, "w:firstLine": first_line_tw})
    if jc:
        set_child(ppr, "w:jc", {"w:val": jc})
    set_rpr_font(set_child(st, "w:rPr"), face, size_pt, bold, color, latin, spacing_tw)
    return st


def _strip_theme_fonts(root: Any) -> None:
    # Theme font attributes beat explicit names in Word (gbt9704.md §10.7).
    for rf in root.iter(clark("w:rFonts")):
        for attr in list(rf.attrib):
            if attr.endswith("Theme"):
                del rf.attrib[attr]


#: Serialized base document per profile: configuring ~160 template styles costs ~40 ms, parsing the result ~8.
_BASE: dict[int, tuple[Profile, bytes]] = {}


def new_document(profile: Profile | None = None) -> Document:
    """A Document with GB/T 9704 page setup and fonts on docDefaults and every style."""
    prof = profile or load_profile()
    cached = _BASE.get(id(prof))
    if cached is None or cached[0] is not prof:
        buf = io.BytesIO()
        _configured_document(prof).save(buf)
        cached = _BASE[id(prof)] = (prof, buf.getvalue())
    from docx import Document as _new_docx

    return _new_docx(io.BytesIO(cached[1]))


def _configured_document(prof: Profile) -> Document:
    from docx import Document as _new_docx

    doc = _new_docx()
    face = prof["fonts.fangsong"]
    latin = prof["fonts.latin"]
    body_pt = prof["sizes.body_pt"]
    pitch = prof["grid.line_pitch_tw"]
    styles = doc.styles.element
    _strip_theme_fonts(styles)

    defaults = styles.find(clark("w:docDefaults"))
    rpr = set_child(set_child(defaults, "w:rPrDefault"), "w:rPr")
    set_rpr_font(rpr, face, body_pt, latin=latin)
    set_child(rpr, "w:lang", {"w:val": "zh-CN", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"})
    ppr = set_child(set_child(defaults, "w:pPrDefault"), "w:pPr")
    # GB/T 9704 5.2.3: 22 lines of exactly `pitch` twips; widow control off or pages hold 20–22 lines (§4).
    set_child(ppr, "w:widowControl", {"w:val": 0})
    set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": pitch, "w:lineRule": "exact"})

    for st in styles.findall(clark("w:style")):
        if st.get(clark("w:type")) == "numbering":
            continue
        st_rpr = set_child(st, "w:rPr")
        rf = st_rpr.find(clark("w:rFonts"))
        if rf is None or rf.get(clark("w:eastAsia")) is None:
            lat = latin or face
            set_child(st_rpr, "w:rFonts", {"w:ascii": lat, "w:hAnsi": lat, "w:eastAsia": face, "w:cs": face})
        if st.get(clark("w:styleId")) == "Normal":
            set_rpr_font(st_rpr, face, body_pt, latin=latin)
            n_ppr = set_child(st, "w:pPr")
            set_child(n_ppr, "w:widowControl", {"w:val": 0})
            set_child(
                n_ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": pitch, "w:lineRule": "exact"}
            )

    sec = doc.sections[0]
    _page_setup(sec, prof)
    _drop_thumbnail(doc)
    return doc


def _page_setup(sec: Section, prof: Profile) -> None:
    sp = sec._sectPr
    # GB/T 9704 5.1 / 5.2.1: A4, 天头37 订口28, 版心156×225.
    set_child(sp, "w:pgSz", {"w:w": prof.mm_tw("page.width_mm"), "w:h": prof.mm_tw("page.height_mm")})
    set_child(
        sp,
        "w:pgMar",
        {
            "w:top": prof.mm_tw("page.margin_top_mm"),
            "w:right": prof.mm_tw("page.margin_right_mm"),
            "w:bottom": prof.mm_tw("page.margin_bottom_mm"),
            "w:left": prof.mm_tw("page.margin_left_mm"),
            "w:header": prof.mm_tw("page.header_mm"),
            "w:footer": prof.mm_tw("page.footer_mm"),
            "w:gutter": 0,
        },
    )
    # A plain `lines` grid: Word's linesAndChars grid lays out 14 characters per line in LibreOffice (§4).
    set_child(sp, "w:docGrid", {"w:type": "lines", "w:linePitch": prof["grid.line_pitch_tw"]})


def set_landscape(section: Section) -> None:
    """Turn a section landscape: swap page width/height and rotate margins so 订口 stays bound (GB/T 9704 8)."""
    sp = section._sectPr
    sz = set_child(sp, "w:pgSz", None)
    w, h = sz.get(clark("w:w")), sz.get(clark("w:h"))
    if w and h and int(w) < int(h):
        sz.set(clark("w:w"), h)
        sz.set(clark("w:h"), w)
    sz.set(clark("w:orient"), "landscape")
    mar = sp.find(clark("w:pgMar"))
    if mar is not None:
        t, r, b, left = (mar.get(clark(f"w:{k}")) for k in ("top", "right", "bottom", "left"))
        # Rotating the sheet 90° clockwise: the bound left edge becomes the top.
        mar.set(clark("w:top"), left or "0")
        mar.set(clark("w:right"), t or "0")
        mar.set(clark("w:bottom"), r or "0")
        mar.set(clark("w:left"), b or "0")


def add_table_style(doc: Document, profile: Profile | None = None, size_pt: float | None = None) -> str:
    """Add the table-cell paragraph style (single auto spacing, no indent); returns its id."""
    prof = profile or load_profile()
    add_style(
        doc,
        TABLE_STYLE_ID,
        "Zhidu Table Text",
        prof["fonts.fangsong"],
        size_pt or prof["sizes.cc_pt"],
        latin=prof["fonts.latin"],
        line_tw=240,
        line_rule="auto",
        snap_to_grid=False,
    )
    return TABLE_STYLE_ID


def add_page_number_footers(doc: Document, profile: Profile | None = None) -> None:
    """Page numbers "— n —", 四号宋体, odd pages right and even pages left, one 字 in (GB/T 9704 7.5)."""
    prof = profile or load_profile()
    sec = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    face, size = prof["fonts.songti"], prof["sizes.page_number_pt"]
    indent = round(prof["page_number.side_indent_chars"] * size * 20)
    before, _, after = prof["page_number.format"].partition("{n}")
    props = run_props(face, size)
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        ppr = ppr_of(p)
        set_child(ppr, "w:snapToGrid", {"w:val": 0})
        set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": 240, "w:lineRule": "auto"})
        set_child(ppr, "w:ind", {"w:" + side: indent, "w:firstLine": 0})
        set_child(ppr, "w:jc", {"w:val": side})
        set_rpr_font(set_child(ppr, "w:rPr"), face, size)
        if before:
            run(p, before, props)
        field(p, "PAGE", props)
        if after:
            run(p, after, props)
    if not prof["page_number.first_page"]:
        # GB/T 9704 10.1: no page number on page 1 of a 信函.
        sec.different_first_page_header_footer = True
        sec.first_page_footer.is_linked_to_previous = False


def _drop_thumbnail(doc: Document) -> None:
    # python-docx's template carries an English thumbnail.jpeg; it would show a wrong preview (gbt9704.md §6).
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]
    # stylesWithEffects.xml is a Word 2010 copy of the styles that still names theme fonts; styles.xml suffices.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]


# ------------------------------------------------------------------------------------------ packages

_DOCUMENT, _STYLES, _CORE = "word/document.xml", "word/styles.xml", "docProps/core.xml"
_DOC_RELS = "word/_rels/document.xml.rels"
_STYLE_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STYLE, _STYLE_ID = W + "style", W + "styleId"


def _serialize(root: El) -> bytes:
    # Exactly how python-docx writes an XML part.
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


class Base:
    """A product's base package: every part's bytes as python-docx saved them, ready to be filled many times."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        missing = {_DOCUMENT, _DOC_RELS, _STYLES, _CORE} - parts.keys()
        if missing:
            raise KeyError(f"base package lacks {sorted(missing)}")
        #: Zip member name → bytes, in the order they are written.
        self.parts = parts
        #: Style ids each XML part refers to (pruning keeps those).
        self._refs = {
            n: {m.decode() for m in _STYLE_REF.findall(b)}
            for n, b in parts.items()
            if n.endswith(".xml") and n != _STYLES
        }
        rels = etree.fromstring(parts[_DOC_RELS])
        self._targets: dict[str, str] = {r.get("Id"): "word/" + r.get("Target") for r in rels}
        self._pruned: dict[frozenset[str], bytes] = {}
        self._packed: dict[str, Packed] = {}

    @classmethod
    def of(cls, doc: Document) -> Base:
        """The base package of a configured python-docx Document (thumbnail dropped, [Content_Types] first).

        Its styles.xml keeps only what documents of the product can use: the styles it added, the ones its
        parts refer to and what those build on. Documents prune further to the styles they use (`Docx.save`).
        """
        buf = io.BytesIO()
        doc.save(buf)
        with zipfile.ZipFile(buf) as z:
            names = [n for n in z.namelist() if n != "docProps/thumbnail.jpeg"]
            names.sort(key=lambda n: (n != "[Content_Types].xml", n))
            parts = {n: z.read(n) for n in names}
        styles = etree.fromstring(parts[_STYLES])
        own = {s.get(_STYLE_ID) for s in styles.iterchildren(_STYLE) if s.get(W + "customStyle") == "1"}
        refs = (m.decode() for n, b in parts.items() if n.endswith(".xml") for m in _STYLE_REF.findall(b))
        _prune_styles(styles, own.union(refs))
        parts[_STYLES] = _serialize(styles)
        return cls(parts)

    def new(self) -> Docx:
        """A document to fill: this base's body, header and footer, parsed afresh."""
        return Docx(self)

    def part_of(self, reference: El) -> str:
        """The part name a w:headerReference or w:footerReference points to."""
        return self._targets[reference.get(_R_ID)]

    def style_refs(self, blobs: dict[str, bytes]) -> frozenset[str]:
        """Style ids referred to by the package once `blobs` replace some of its parts."""
        used: set[str] = set()
        for name, refs in self._refs.items():
            if name in blobs:
                used.update(m.decode() for m in _STYLE_REF.findall(blobs[name]))
            else:
                used |= refs
        return frozenset(used)

    def styles_for(self, used: frozenset[str]) -> bytes:
        """styles.xml keeping only `used` styles, the defaults and what they are based on or linked to.

        python-docx's template carries ~360 kB of styles; pruning makes each docx a tenth of the size.
        """
        cached = self._pruned.get(used)
        if cached is None:
            styles = etree.fromstring(self.parts[_STYLES])
            unknown = used - {s.get(_STYLE_ID) for s in styles.iterchildren(_STYLE)}
            if unknown:
                raise RenderError(f"docx 底稿中没有样式 {'、'.join(sorted(unknown))}")
            _prune_styles(styles, used)
            cached = self._pruned[used] = _serialize(styles)
        return cached

    def packed(self, name: str) -> Packed:
        """Part `name` deflated for the zip, once per base: most parts are the same in every document."""
        hit = self._packed.get(name)
        if hit is None:
            hit = self._packed[name] = pack(self.parts[name])
        return hit


def _prune_styles(styles: El, used: Iterable[str]) -> None:
    """Drop latent styles and every style but `used`, the defaults and what they are based on or linked to."""
    by_id = {s.get(_STYLE_ID): s for s in styles.iterchildren(_STYLE)}
    keep = {sid for sid, s in by_id.items() if s.get(W + "default") in ("1", "true")}
    keep |= by_id.keys() & set(used)
    todo = list(keep)
    while todo:
        s = by_id[todo.pop()]
        for tag in ("basedOn", "link", "next"):
            ref = s.find(W + tag)
            if ref is not None and (sid := ref.get(_VAL)) in by_id and sid not in keep:
                keep.add(sid)
                todo.append(sid)
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)
    for latent in styles.findall(W + "latentStyles"):
        styles.remove(latent)


_BASES: dict[tuple[str, int], tuple[Profile, Base]] = {}


def cached_base(name: str, profile: Profile, make: Callable[[Profile], Document]) -> Base:
    """The Base of product `name` for `profile`, made by `make(profile)` only when no cache has it.

    Kept in memory per process and in the user's cache (`zhidu.cache`) across runs: building a base needs
    python-docx (about 0.1 s to import) and ~30 ms per product, which a small build would otherwise spend
    mostly on this.
    """
    key = (name, id(profile))
    hit = _BASES.get(key)
    if hit is None or hit[0] is not profile:
        hit = _BASES[key] = (profile, _stored_base(name, profile, make))
    return hit[1]


def _stored_base(name: str, profile: Profile, make: Callable[[Profile], Document]) -> Base:
    import base64
    import json

    from zhidu import cache

    if cache.cache_dir() is None:
        return Base.of(make(profile))
    values = {k: t.value for k, t in profile.values.items()}
    k = cache.key([name, json.dumps(values, sort_keys=True, default=str), _docx_fingerprint()], [])
    entry = cache.get("docx-base", k)
    parts = entry.get("parts") if entry is not None else None
    if isinstance(parts, dict):
        try:
            return Base({n: base64.b64decode(b) for n, b in parts.items()})
        except (TypeError, ValueError, KeyError, etree.XMLSyntaxError):
            pass  # a damaged entry is rebuilt and overwritten
    base = Base.of(make(profile))
    cache.put("docx-base", k, {"parts": {n: base64.b64encode(b).decode() for n, b in base.parts.items()}})
    return base


@cache
def _docx_fingerprint() -> str:
    """python-docx's version and templates, which a base is made from; read without importing python-docx."""
    import hashlib
    from importlib.util import find_spec

    spec = find_spec("docx")
    if spec is None or spec.origin is None:
        return "no python-docx"
    root = Path(spec.origin).parent
    h = hashlib.sha256(repr(etree.LXML_VERSION).encode())
    for rel in (
        "__init__.py",
        "templates/default.docx",
        "templates/default-header.xml",
        "templates/default-footer.xml",
        "templates/default-settings.xml",
    ):
        with contextlib.suppress(OSError):
            h.update(rel.encode() + b"\0" + (root / rel).read_bytes())
    return h.hexdigest()


class Docx:
    """One document being written over a Base: `body`, and header/footer paragraphs, as plain lxml trees."""

    def __init__(self, base: Base) -> None:
        self.base = base
        self._roots: dict[str, El] = {_DOCUMENT: etree.fromstring(base.parts[_DOCUMENT])}
        #: w:body; append block content (paragraphs, tables) to it in reading order.
        self.body = self._roots[_DOCUMENT][0]
        #: The section properties (page size, margins, header/footer references): read, never append to.
        self.sect_pr = self.body[-1]
        # Taken out while the body is written, so content is simply appended; `save` puts it back last.
        self.body.remove(self.sect_pr)

    def footer_paragraph(self, kind: str = "default") -> El:
        """The first paragraph of the footer of `kind` ("default", "even", "first")."""
        return self._hf_paragraph(W + "footerReference", kind)

    def header_paragraph(self, kind: str = "default") -> El:
        """The first paragraph of the header of `kind`."""
        return self._hf_paragraph(W + "headerReference", kind)

    def _hf_paragraph(self, tag: str, kind: str) -> El:
        ref = next(r for r in self.sect_pr.iterchildren(tag) if r.get(W + "type") == kind)
        name = self.base.part_of(ref)
        root = self._roots.get(name)
        if root is None:
            root = self._roots[name] = etree.fromstring(self.base.parts[name])
        return root.find(_P)

    def save(self, core: dict[str, Any]) -> bytes:
        """The finished .docx: equal input gives equal bytes (see `core_xml` for `core`)."""
        return write_zip(self.members(core))

    def members(self, core: dict[str, Any]) -> list[tuple[str, bytes | Packed]]:
        """The finished package as zip members: the parts this document wrote, and the base's packed ones."""
        self.body.append(self.sect_pr)
        blobs = {name: _serialize(root) for name, root in self._roots.items()}
        blobs[_STYLES] = self.base.styles_for(self.base.style_refs(blobs))
        blobs[_CORE] = core_xml(self.base.parts[_CORE], core)
        return [(n, blobs[n] if n in blobs else self.base.packed(n)) for n in self.base.parts]


#: python-docx CoreProperties attribute → core.xml element.
_CORE_TAGS = {
    "author": "dc:creator",
    "category": "cp:category",
    "comments": "dc:description",
    "content_status": "cp:contentStatus",
    "created": "dcterms:created",
    "identifier": "dc:identifier",
    "keywords": "cp:keywords",
    "language": "dc:language",
    "last_modified_by": "cp:lastModifiedBy",
    "last_printed": "cp:lastPrinted",
    "modified": "dcterms:modified",
    "revision": "cp:revision",
    "subject": "dc:subject",
    "title": "dc:title",
    "version": "cp:version",
}


def core_xml(base: bytes, core: dict[str, Any]) -> bytes:
    """docProps/core.xml with pinned properties, so equal input gives equal bytes.

    `core` keys are python-docx CoreProperties attributes (title, subject, keywords, comments, author,
    last_modified_by, category, identifier, version, created, modified, revision); dates should come from the
    policy's version data. Missing created/modified default to 2000-01-01, never the clock. Elements are
    written as python-docx writes them (a missing one is appended), so the bytes did not change with it.
    """
    root = etree.fromstring(base)
    epoch = dt.datetime(2000, 1, 1)
    props: dict[str, Any] = {
        "last_printed": epoch,
        "author": "zhidu",
        "last_modified_by": "zhidu",
        "revision": 1,
        "created": epoch,
        "modified": epoch,
        "title": "",
        "subject": "",
        "keywords": "",
        "comments": "",
        "category": "",
        **core,
    }
    for key, val in props.items():
        tag = clark(_CORE_TAGS[key])
        el = root.find(tag)
        if el is None:
            el = _SUB(root, tag)
        if isinstance(val, dt.date):
            if not isinstance(val, dt.datetime):
                val = dt.datetime(val.year, val.month, val.day)
            el.text = val.strftime("%Y-%m-%dT%H:%M:%SZ")
            if key in ("created", "modified"):
                el.set(clark("xsi:type"), "dcterms:W3CDTF")
        else:
            # Capped at 255 characters as python-docx required (a very long community name in a title).
            el.text = str(val)[:255]
    return _serialize(root)


class Packed(NamedTuple):
    """A zip member's data deflated once, with what the zip headers need to know about it."""

    crc: int
    size: int
    deflated: bytes


def pack(data: bytes) -> Packed:
    """Deflate `data` as zipfile does (raw deflate, default level), so the archive bytes stay the same."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(data), len(data), c.compress(data) + c.flush())


# 1980-01-01 00:00 in DOS format: entries never carry the build's clock (python-docx stamps now).
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def write_zip(members: Iterable[tuple[str, bytes | Packed]]) -> bytes:
    """A zip of `members` in the given order: deflated, dated 1980-01-01, mode 0644, no extra fields.

    Byte for byte what zipfile writes on POSIX for such entries, without deflating again the parts that
    are the same in every document (pass those as `Packed`). No zip64: a docx is far below 4 GB.
    """
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in members:
        p = data if isinstance(data, Packed) else pack(data)
        try:
            fname, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            fname, flags = name.encode("utf-8"), 0x800  # the "names are UTF-8" flag
        csize = len(p.deflated)
        local = _LOCAL.pack(
            b"PK\x03\x04",
            20,
            0,
            flags,
            zipfile.ZIP_DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            p.crc,
            csize,
            p.size,
            len(fname),
            0,
        )
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                p.crc,
                csize,
                p.size,
                len(fname),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + fname
        )
        chunks += (local, fname, p.deflated)
        offset += len(local) + len(fname) + csize
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
