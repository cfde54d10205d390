"""The .docx fact reader: the package parts, style chains resolved per run, paragraphs with their runs."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhidu.errors import VerifyInputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def clean(s: str) -> str:
    """The text without any white space (ideographic space included), as the text patterns compare it."""
    return re.sub(r"[\s\u3000]", "", s)


@dataclass
class Run:
    """One run with its properties resolved through the style chain."""

    text: str
    face: str
    size: float
    spacing: int
    color: str


@dataclass
class Para:
    """One paragraph of the body (table cells included); `element` is its `w:p`."""

    text: str
    style: str
    runs: list[Run]
    element: Any
    in_table: bool = False
    index: int = 0

    @property
    def face(self) -> str:
        faces: Counter[str] = Counter()
        for r in self.runs:
            if r.text.strip():
                faces[r.face] += len(r.text)
        return faces.most_common(1)[0][0] if faces else ""

    @property
    def size(self) -> float:
        sizes: Counter[float] = Counter()
        for r in self.runs:
            if r.text.strip():
                sizes[r.size] += len(r.text)
        return sizes.most_common(1)[0][0] if sizes else 0.0


def face_kind(name: str) -> str:
    """Map a font name to the category the standard names (仿宋, 黑体, 楷体, 小标宋, 宋体)."""
    n = name.lower()
    if "仿宋" in name or "fangsong" in n or "fandolfang" in n:
        return "仿宋"
    if "黑" in name or "hei" in n:
        return "黑体"
    if "楷" in name or "kai" in n:
        return "楷体"
    if "小标宋" in name or "标宋" in name or "biaosong" in n:
        return "小标宋"
    if "宋" in name or "simsun" in n or "song" in n:
        return "宋体"
    return name or "未设置"


class DocxFacts:
    """What the checks need from a .docx: section geometry, styles resolved per run, paragraphs, footers."""

    def __init__(self, path: Path) -> None:
        from zhidu.docxzip import check_container, parse_xml, read_part

        check_container(path, VerifyInputError)
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise VerifyInputError(f"无法读取 {path}：不是有效的 .docx 文件（{e}）") from e
        with zf:
            names = set(zf.namelist())

            def xml(name: str) -> Any:
                return parse_xml(read_part(zf, name, VerifyInputError), name, VerifyInputError)

            self.document = xml("word/document.xml")
            if self.document.tag != W + "document":
                raise VerifyInputError(
                    f"无法读取 {path}：word/document.xml 的根元素是 {self.document.tag}，不是 w:document"
                )
            self.styles = xml("word/styles.xml") if "word/styles.xml" in names else None
            self.settings = xml("word/settings.xml") if "word/settings.xml" in names else None
            rels = xml("word/_rels/document.xml.rels") if "word/_rels/document.xml.rels" in names else None
            self.parts = {n: xml(n) for n in sorted(names) if re.match(r"word/(footer|header)\d*\.xml$", n)}
        self.rels = {}
        if rels is not None:
            for r in rels:
                self.rels[r.get("Id")] = "word/" + r.get("Target", "").lstrip("/").removeprefix("word/")
        self._style_map = {}
        if self.styles is not None:
            for st in self.styles.iter(W + "style"):
                self._style_map[st.get(W + "styleId")] = st
        self.sect = self.document.find(f"{W}body/{W}sectPr")
        self.paras = self._paragraphs()

    # --- style resolution
    def default_rpr(self) -> Any:
        """The document default run properties, or None."""
        if self.styles is None:
            return None
        return self.styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def default_ppr(self) -> Any:
        """The document default paragraph properties, or None."""
        if self.styles is None:
            return None
        return self.styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")

    def style_chain(self, sid: str | None) -> list[Any]:
        """The style `sid` and the styles it is based on, nearest first; None means the default paragraph style."""
        chain = []
        seen = set()
        if sid is None and self.styles is not None:
            sid = next(
                (
                    st.get(W + "styleId")
                    for st in self.styles.iter(W + "style")
                    if st.get(W + "type") == "paragraph" and st.get(W + "default") == "1"
                ),
                None,
            )
        while sid and sid in self._style_map and sid not in seen:
            seen.add(sid)
            st = self._style_map[sid]
            chain.append(st)
            b = st.find(W + "basedOn")
            sid = b.get(W + "val") if b is not None else None
        return chain

    def rpr_value(self, rpr_list: list[Any], tag: str, attr: str) -> str | None:
        """The first `w:attr` of a `w:tag` child along the property list (nearest wins)."""
        for rpr in rpr_list:
            if rpr is None:
                continue
            el = rpr.find(W + tag)
            if el is not None and el.get(W + attr) is not None:
                return str(el.get(W + attr))
        return None

    def ppr_value(self, ppr_list: list[Any], tag: str, attr: str) -> str | None:
        """As `rpr_value`, for paragraph properties."""
        return self.rpr_value(ppr_list, tag, attr)

    def para_pprs(self, p: Any) -> list[Any]:
        """The paragraph properties that apply to the `w:p` element `p`, nearest first."""
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        chain = self.style_chain(ps.get(W + "val") if ps is not None else None)
        return [ppr, *[st.find(W + "pPr") for st in chain], self.default_ppr()]

    def run_rprs(self, p: Any, r: Any) -> list[Any]:
        """The run properties that apply to run `r` of paragraph `p`, nearest first."""
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        chain = self.style_chain(ps.get(W + "val") if ps is not None else None)
        rpr = r.find(W + "rPr")
        rs = rpr.find(W + "rStyle") if rpr is not None else None
        rchain = []
        if rs is not None and rs.get(W + "val") in self._style_map:
            rchain = [self._style_map[rs.get(W + "val")].find(W + "rPr")]
        return [rpr, *rchain, *[st.find(W + "rPr") for st in chain], self.default_rpr()]

    def _paragraphs(self) -> list[Para]:
        body = self.document.find(W + "body")
        out: list[Para] = []
        for p in body.iter(W + "p"):
            runs = []
            for r in p.iter(W + "r"):
                text = "".join(
                    (t.text or "") if t.tag == W + "t" else "\t" for t in r if t.tag in (W + "t", W + "tab")
                )
                rprs = self.run_rprs(p, r)
                face = self.rpr_value(rprs, "rFonts", "eastAsia") or ""
                size = float(self.rpr_value(rprs, "sz", "val") or 20) / 2
                spacing = int(self.rpr_value(rprs, "spacing", "val") or 0)
                color = self.rpr_value(rprs, "color", "val") or "auto"
                runs.append(Run(text, face, size, spacing, color))
            text = "".join(r.text for r in runs)
            ppr = p.find(W + "pPr")
            ps = ppr.find(W + "pStyle") if ppr is not None else None
            in_table = any(a.tag == W + "tc" for a in p.iterancestors())
            out.append(Para(text, ps.get(W + "val") if ps is not None else "", runs, p, in_table, len(out)))
        return out

    def sect_attr(self, tag: str, attr: str) -> int | None:
        """An integer attribute of the body's section properties, or None."""
        if self.sect is None:
            return None
        el = self.sect.find(W + tag)
        if el is None or el.get(W + attr) is None:
            return None
        return int(el.get(W + attr))

    def line_spacing(self, p: Para) -> tuple[int | None, str]:
        """The paragraph's line spacing in twips (or None) and its rule."""
        pprs = self.para_pprs(p.element)
        line = self.ppr_value(pprs, "spacing", "line")
        rule = self.ppr_value(pprs, "spacing", "lineRule") or "auto"
        return (int(line) if line else None), rule

    def source_chars(self) -> Counter[str]:
        """Every non-whitespace character of the document body (tables included, fields excluded)."""
        return Counter(c for p in self.paras for c in p.text if not c.isspace() and c != "\u3000")
