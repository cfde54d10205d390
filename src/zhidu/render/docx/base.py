"""A product's base document, made with python-docx for a layout profile before any content is written.

`new_document(profile)` gives a Document with GB/T fonts on docDefaults and every style (no theme fonts, zh-CN)
and the profile's A4 page; `add_style`, `add_table_style`, `set_landscape` and `add_page_number_footers` finish a
product's base. The only renderer module that imports python-docx, and only when a base is not cached (`basecache`).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from lxml import etree

from zhidu.layout import Profile
from zhidu.render.docx.ooxml import clark, field, ppr_of, run, run_props, set_child, set_rpr_font
from zhidu.units import TW_PER_PT

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section

#: Paragraph style for table cells (docs/gbt9704.md §4 "Tables need their own paragraph style").
TABLE_STYLE_ID = "ZhiduTable"


def add_style(
    doc: Document,
    style_id: str,
    name: str,
    face: str,
    size_pt: float,
    *,
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
    set_child(st, "w:basedOn", {"w:val": "Normal"})
    set_child(st, "w:qFormat", {})
    ppr = set_child(st, "w:pPr")
    if snap_to_grid is not None:
        set_child(ppr, "w:snapToGrid", {"w:val": 1 if snap_to_grid else 0})
    if line_tw is not None:
        set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": line_tw, "w:lineRule": line_rule})
    if first_line_tw is not None:
        # LibreOffice 7.4 ignores firstLineChars, Word prefers it: write both (docs/gbt9704.md §4).
        chars = round(first_line_tw / (size_pt * TW_PER_PT) * 100)
        set_child(ppr, "w:ind", {"w:firstLineChars": chars, "w:firstLine": first_line_tw})
    if jc:
        set_child(ppr, "w:jc", {"w:val": jc})
    set_rpr_font(set_child(st, "w:rPr"), face, size_pt, bold, color, latin, spacing_tw)
    return st


def _strip_theme_fonts(root: Any) -> None:
    # Theme font attributes beat explicit names in Word (docs/gbt9704.md §10.7).
    for rf in root.iter(clark("w:rFonts")):
        for attr in list(rf.attrib):
            if attr.endswith("Theme"):
                del rf.attrib[attr]


#: Serialized base document per profile: configuring ~160 template styles costs ~40 ms, parsing the result ~8.
_BASE: dict[int, tuple[Profile, bytes]] = {}


def new_document(prof: Profile) -> Document:
    """A Document with GB/T 9704 page setup and fonts on docDefaults and every style."""
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
    # A plain `lines` grid: Word's linesAndChars grid lays out 14 characters per line in LibreOffice (docs/gbt9704.md §4).
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


def add_table_style(doc: Document, prof: Profile, size_pt: float) -> str:
    """Add the table-cell paragraph style (single auto spacing, no indent); returns its id."""
    add_style(
        doc,
        TABLE_STYLE_ID,
        "Zhidu Table Text",
        prof["fonts.fangsong"],
        size_pt,
        latin=prof["fonts.latin"],
        line_tw=240,
        line_rule="auto",
        snap_to_grid=False,
    )
    return TABLE_STYLE_ID


def add_page_number_footers(doc: Document, prof: Profile) -> None:
    """Page numbers "— n —", 四号宋体, odd pages right and even pages left, one 字 in (GB/T 9704 7.5)."""
    sec = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    face, size = prof["fonts.songti"], prof["sizes.page_number_pt"]
    indent = round(prof["page_number.side_indent_chars"] * size * TW_PER_PT)
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
    # python-docx's template carries an English thumbnail.jpeg; it would show a wrong preview (docs/gbt9704.md §6).
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]
    # stylesWithEffects.xml is a Word 2010 copy of the styles that still names theme fonts; styles.xml suffices.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]
