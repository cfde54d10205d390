"""Shared low-level python-docx helpers for every docx product (notice, duty cards, checklists, diff tables).

The API is small on purpose:

- `new_document(profile)` — a Document with GB/T fonts on docDefaults and every style (no theme fonts, zh-CN),
  A4 with the profile's margins and line pitch.
- `add_style(doc, style_id, name, face, size_pt, …)` — a paragraph style with schema-ordered pPr/rPr.
- `add_paragraph(container, style_id, text=None)` — fast paragraph with a style id (gbt9704.md §6: passing
  ``style=`` to python-docx rescans styles.xml on every call, about 3× slower).
- `set_run_font(run, face, size_pt, bold=False, color=None)` — all four rFonts slots, sizes, colour.
- `set_child(parent, tag, attrs)` — add or update a child element in OOXML schema order (Word is strict).
- `add_table_style(doc)` — a paragraph style for table cells that does not inherit the body's exact pitch.
- `set_repeat_header(row)` — repeat a table row on every page (``w:tblHeader``).
- `set_landscape(section)` — swap page size and margins for landscape tables (GB/T 9704 8).
- `add_page_number_footers(doc, profile, section=None)` — "— n —" odd right / even left (GB/T 9704 7.5).
- `save_deterministic(doc, core)` — bytes that are identical across runs (pinned core properties, fixed zip dates).

python-docx is imported lazily by callers; this module imports it at top level because only renderers import it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from docx import Document as _new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from zhidu.render.gbt9704 import Profile, load_profile

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.table import _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = [
    "TABLE_STYLE_ID",
    "Profile",
    "add_page_number_footers",
    "add_paragraph",
    "add_style",
    "add_table_style",
    "load_profile",
    "new_document",
    "save_deterministic",
    "set_child",
    "set_landscape",
    "set_para_font",
    "set_repeat_header",
    "set_rpr_font",
    "set_run_font",
]

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
def _later_tags(parent_tag: str, local: str) -> frozenset[str]:
    """Qualified tags that must follow `local` inside `parent_tag` (schema order); hot, so cached."""
    order = _ORDER[parent_tag.replace("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:")]
    return frozenset(qn("w:" + n) for n in order[order.index(local) + 1 :])


def set_child(parent: Any, tag: str, attrs: dict[str, str | int] | None = None, replace: bool = True) -> Any:
    """Get or create child `tag` ("w:ind") of `parent` in schema order and set `attrs` ("w:firstLine": 640)."""
    order = _ORDER.get(
        parent.tag.replace("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:")
    )
    el = parent.find(qn(tag))
    if el is not None and replace and attrs is not None:
        for k in list(el.attrib):
            del el.attrib[k]
    if el is None:
        el = OxmlElement(tag)
        if order is None:
            parent.append(el)
        else:
            later = _later_tags(parent.tag, tag.split(":")[1])
            nxt = next((c for c in parent if c.tag in later), None)
            if nxt is None:
                parent.append(el)
            else:
                nxt.addprevious(el)
    for k, v in (attrs or {}).items():
        el.set(qn(k), str(v))
    return el


def set_table_borders(tbl_pr: Any, sz: int = 4, color: str = "000000") -> Any:
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


def set_run_font(
    run: Run,
    face: str,
    size_pt: float,
    bold: bool = False,
    color: str | None = None,
    latin: str | None = None,
    spacing_tw: int | None = None,
) -> None:
    """Set a run's face on every script slot, its size, bold and colour (gbt9704.md §4 "fonts on every run")."""
    set_rpr_font(run._r.get_or_add_rPr(), face, size_pt, bold, color, latin, spacing_tw)


def set_para_font(p: Paragraph, face: str, size_pt: float, **kw: Any) -> None:
    """Set the font on the paragraph mark and on every run of `p`."""
    ppr = p._p.get_or_add_pPr()
    set_rpr_font(set_child(ppr, "w:rPr"), face, size_pt, **kw)
    for r in p.runs:
        set_run_font(r, face, size_pt, **kw)


def add_paragraph(container: Any, style_id: str | None = None, text: str | None = None) -> Paragraph:
    """Append a paragraph with a style id to a Document, cell, header or footer, without the slow style lookup."""
    p: Paragraph = container.add_paragraph()
    if style_id:
        p._p.get_or_add_pPr().style = style_id
    if text:
        p.add_run(text)
    return p


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
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == style_id:
            styles.remove(old)
    st = OxmlElement("w:style")
    st.set(qn("w:type"), "paragraph")
    st.set(qn("w:customStyle"), "1")
    st.set(qn("w:styleId"), style_id)
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
    styles.append(st)
    return st


def _strip_theme_fonts(root: Any) -> None:
    # Theme font attributes beat explicit names in Word (gbt9704.md §10.7).
    for rf in root.iter(qn("w:rFonts")):
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
    return _new_docx(io.BytesIO(cached[1]))


def _configured_document(prof: Profile) -> Document:
    doc = _new_docx()
    face = prof["fonts.fangsong"]
    latin = prof["fonts.latin"]
    body_pt = prof["sizes.body_pt"]
    pitch = prof["grid.line_pitch_tw"]
    styles = doc.styles.element
    _strip_theme_fonts(styles)

    defaults = styles.find(qn("w:docDefaults"))
    rpr = set_child(set_child(defaults, "w:rPrDefault"), "w:rPr")
    set_rpr_font(rpr, face, body_pt, latin=latin)
    set_child(rpr, "w:lang", {"w:val": "zh-CN", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"})
    ppr = set_child(set_child(defaults, "w:pPrDefault"), "w:pPr")
    # GB/T 9704 5.2.3: 22 lines of exactly `pitch` twips; widow control off or pages hold 20–22 lines (§4).
    set_child(ppr, "w:widowControl", {"w:val": 0})
    set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": pitch, "w:lineRule": "exact"})

    for st in styles.findall(qn("w:style")):
        if st.get(qn("w:type")) == "numbering":
            continue
        st_rpr = set_child(st, "w:rPr")
        rf = st_rpr.find(qn("w:rFonts"))
        if rf is None or rf.get(qn("w:eastAsia")) is None:
            lat = latin or face
            set_child(st_rpr, "w:rFonts", {"w:ascii": lat, "w:hAnsi": lat, "w:eastAsia": face, "w:cs": face})
        if st.get(qn("w:styleId")) == "Normal":
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
    w, h = sz.get(qn("w:w")), sz.get(qn("w:h"))
    if w and h and int(w) < int(h):
        sz.set(qn("w:w"), h)
        sz.set(qn("w:h"), w)
    sz.set(qn("w:orient"), "landscape")
    mar = sp.find(qn("w:pgMar"))
    if mar is not None:
        t, r, b, left = (mar.get(qn(f"w:{k}")) for k in ("top", "right", "bottom", "left"))
        # Rotating the sheet 90° clockwise: the bound left edge becomes the top.
        mar.set(qn("w:top"), left or "0")
        mar.set(qn("w:right"), t or "0")
        mar.set(qn("w:bottom"), r or "0")
        mar.set(qn("w:left"), b or "0")


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


def set_repeat_header(row: _Row) -> None:
    """Repeat `row` at the top of every page the table spans (w:tblHeader); also keep it unsplit."""
    trpr = row._tr.get_or_add_trPr()
    set_child(trpr, "w:cantSplit", {})
    set_child(trpr, "w:tblHeader", {})


def _page_field(p: Paragraph, face: str, size_pt: float, fmt: str) -> None:
    before, _, after = fmt.partition("{n}")

    def run(text: str | None = None) -> Any:
        r = p.add_run(text)
        set_run_font(r, face, size_pt)
        return r._r

    if before:
        run(before)
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r.append(fc)
        elif instr == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            it.text = instr
            r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = instr
            r.append(t)
    if after:
        run(after)


def add_page_number_footers(
    doc: Document, profile: Profile | None = None, section: Section | None = None
) -> None:
    """Page numbers "— n —", 四号宋体, odd pages right and even pages left, one 字 in (GB/T 9704 7.5)."""
    prof = profile or load_profile()
    sec = section or doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    face, size = prof["fonts.songti"], prof["sizes.page_number_pt"]
    indent = round(prof["page_number.side_indent_chars"] * size * 20)
    fmt = prof["page_number.format"]
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        ppr = p._p.get_or_add_pPr()
        set_child(ppr, "w:snapToGrid", {"w:val": 0})
        set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": 240, "w:lineRule": "auto"})
        set_child(ppr, "w:ind", {"w:" + side: indent, "w:firstLine": 0})
        set_child(ppr, "w:jc", {"w:val": side})
        set_rpr_font(set_child(ppr, "w:rPr"), face, size)
        _page_field(p, face, size, fmt)
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


_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def save_deterministic(document: Document, core: dict[str, Any]) -> bytes:
    """Serialize with pinned core properties and fixed zip entry dates, so equal input gives equal bytes.

    `core` keys are python-docx CoreProperties attributes (title, subject, keywords, comments, author,
    last_modified_by, category, identifier, version, created, modified, revision); dates should come from the
    policy's version data. Missing created/modified default to 2000-01-01, never the clock.
    """
    cp = document.core_properties
    epoch = dt.datetime(2000, 1, 1)
    core = {
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
    for key in ("created", "modified"):
        val = core[key]
        if isinstance(val, dt.date) and not isinstance(val, dt.datetime):
            core[key] = dt.datetime(val.year, val.month, val.day)
    cp.last_printed = epoch
    for key, val in core.items():
        # python-docx refuses text properties over 255 characters (a very long community name in a title).
        setattr(cp, key, val[:255] if isinstance(val, str) else val)
    prune_styles(document)
    buf = io.BytesIO()
    document.save(buf)
    return rezip(buf.getvalue())


_STYLE_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def prune_styles(document: Document) -> None:
    """Drop latent styles and every style no part uses (python-docx's template carries ~360 kB of them).

    Kept: styles referenced from any part, the defaults, and what those are based on or linked to. The
    smaller styles.xml makes every docx several times cheaper to compress and a tenth of the size.
    """
    styles = document.styles.element
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        if part.partname == "/word/styles.xml" or not part.partname.endswith(".xml"):
            continue
        blob = part.blob
        used.update(m.decode() for m in _STYLE_REF.findall(blob))
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")} | (
        used & by_id.keys()
    )
    todo = list(keep)
    while todo:
        s = by_id[todo.pop()]
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = s.find(qn(tag))
            if ref is not None and (sid := ref.get(qn("w:val"))) in by_id and sid not in keep:
                keep.add(sid)
                todo.append(sid)
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


def rezip(data: bytes, drop: Iterable[str] = ("docProps/thumbnail.jpeg",)) -> bytes:
    """Rewrite a zip with fixed entry dates and permissions in stable order ([Content_Types].xml first)."""
    dropped = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = [n for n in zin.namelist() if n not in dropped]
        names.sort(key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))
    return out.getvalue()
