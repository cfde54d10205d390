"""The package layer: a product's base package as part bytes, and one document written over it.

`Base.of(document)` freezes a configured python-docx Document into part bytes; `Base.new()` gives a `Docx` whose
body and header/footer parts are lxml trees. `Docx.save(core)` writes bytes that are identical across runs:
pinned core properties (`core_xml`), unused styles pruned, and a zip (`zipout.write_zip`) that reuses the base's
unchanged parts as deflated once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lxml import etree

from zhidu.errors import RenderError
from zhidu.render.docx.ooxml import El, W, clark
from zhidu.render.docx.zipout import Packed, pack, write_zip

if TYPE_CHECKING:
    from docx.document import Document

_SUB = etree.SubElement
_P, _VAL = W + "p", W + "val"

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
    # A draft's stamp line (every builder passes it as comments) starts with its mark: say so in the metadata.
    comments = str(props.get("comments", ""))
    if comments.startswith("征求意见稿") and "content_status" not in core:
        props["content_status"] = "征求意见稿"
        props["title"] = f"{props['title']}（征求意见稿）"
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
