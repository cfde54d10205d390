"""Read an existing notice (.txt, .md, .docx) into numbered source lines for `zhidu import`.

Only text comes out: .docx is read as paragraph text through python-docx after the zip directory was
checked, so nothing external is fetched and nothing is executed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from zhidu.errors import ImportFailure
from zhidu.render.pdf import LEGACY_SUFFIXES

#: A text source larger than this is not a notice (a long regulation is well under 1 MB).
MAX_TEXT_BYTES = 10 * 1024 * 1024
#: Limits on the .docx container (zhidu.docxzip), checked in the zip directory before anything is decompressed.

SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx")


@dataclass(frozen=True)
class SideText:
    """Source text that is not part of the line stream (docx tables, headers, footers)."""

    where: str
    text: str
    dropped: bool  # True: header/footer residue (dropped by rule); False: could not place


@dataclass
class Source:
    """The lines of one input file, already converted to Simplified Chinese."""

    name: str
    encoding: str
    #: Lines as read (index i is source line i + 1), after t2s conversion.
    lines: list[str]
    #: (line number, what changed) for every Traditional → Simplified conversion.
    conversions: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    side: list[SideText] = field(default_factory=list)


def decode_text(raw: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name): UTF-8 with or without BOM, UTF-16 with BOM, else GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8（带 BOM）"
        except UnicodeDecodeError as e:
            raise ImportFailure(f"文件以 UTF-8 BOM 开头，但第 {e.start} 字节处无法按 UTF-8 解码") from e
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise ImportFailure("文件以 UTF-16 BOM 开头，但内容无法按 UTF-16 解码") from e
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as e:
        raise ImportFailure("无法识别文件编码：既不是 UTF-8，也不是 GB18030（GBK）") from e


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(?=\S)")
_MD_EMPH = re.compile(r"(\*\*|__)")
_PAGE_LIKE = re.compile(r"^\s*[-—–－]\s*\d+\s*[-—–－]\s*$")


def strip_markdown(line: str) -> str:
    """Remove Markdown markup that is layout, not wording: heading marks, quotes, bullets, bold."""
    if _PAGE_LIKE.match(line):  # "- 1 -" is a page number, not a bullet
        return line
    out = _MD_HEADING.sub("", line)
    out = _MD_QUOTE.sub("", out)
    out = _MD_BULLET.sub("", out)
    out = _MD_EMPH.sub("", out)
    return out.rstrip("\\").rstrip()


def check_docx_container(path: Path) -> None:
    """Refuse an oversized, corrupt, encrypted or zip-bomb .docx from its zip directory alone."""
    from zhidu.docxzip import check_container

    check_container(path, ImportFailure)


def read_docx(path: Path) -> tuple[list[str], list[SideText]]:
    """Paragraph text of a checked .docx, plus table, header and footer text kept aside."""
    check_docx_container(path)
    import docx  # lazy: python-docx costs ~140 ms at import

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for p in document.paragraphs:
            # python-docx renders <w:br/> as "\n": a soft line break is a line of the source.
            lines.extend(p.text.split("\n"))
        side: list[SideText] = []
        for ti, table in enumerate(document.tables, start=1):
            seen: set[int] = set()
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat the same element
                        continue
                    seen.add(id(cell._tc))
                    for t in cell.text.split("\n"):
                        if t.strip():
                            side.append(SideText(f"表格 {ti}", t, dropped=False))
        for si, section in enumerate(document.sections, start=1):
            for part_name, part in (("页眉", section.header), ("页脚", section.footer)):
                if part.is_linked_to_previous and si > 1:
                    continue
                for p in part.paragraphs:
                    if p.text.strip():
                        side.append(SideText(f"第 {si} 节{part_name}", p.text, dropped=True))
    except ImportFailure:
        raise
    except Exception as e:  # python-docx raises many types for broken packages; all mean "unreadable"
        raise ImportFailure(f"Word 文件已损坏，无法读取正文：{type(e).__name__}") from e
    return lines, side


def _t2s_changes(before: str, after: str) -> str:
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op != "equal":
            parts.append(f"{before[a1:a2]}→{after[b1:b2]}")
    return "、".join(parts)


def _read_legacy(path: Path) -> Source:
    """A .doc, .wps or .rtf file, converted to .docx by LibreOffice first (the Source says so)."""
    import tempfile

    from zhidu.errors import RenderError
    from zhidu.render.pdf import to_docx

    with tempfile.TemporaryDirectory(prefix="zhidu-import-") as tmp:
        try:
            docx = to_docx(path, Path(tmp))
        except RenderError as e:
            raise ImportFailure(str(e)) from e
        src = read_source(docx)
    src.name = path.name
    src.encoding = f"{path.suffix.lower()}（经 LibreOffice 转换为 .docx）"
    src.notes.insert(0, f"{path.name} 已经 LibreOffice 转换为 .docx 后导入；请核对转换后的文字")
    return src


def read_source(path: Path) -> Source:
    """Read FILE into lines; every failure is an ImportFailure with a Chinese message."""
    if not path.exists():
        raise ImportFailure(f"文件不存在：{path}")
    if not path.is_file():
        raise ImportFailure(f"不是文件：{path}")
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        return _read_legacy(path)
    if suffix not in SUFFIXES:
        raise ImportFailure(
            f"不支持的文件类型“{path.suffix or '（无扩展名）'}”，支持 .docx、.txt、.md，"
            f"以及经 LibreOffice 转换的 {'、'.join(LEGACY_SUFFIXES)}"
        )
    notes: list[str] = []
    side: list[SideText] = []
    if suffix == ".docx":
        lines, side = read_docx(path)
        encoding = "Word（.docx）"
    else:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ImportFailure(f"文件过大（{size} 字节，上限 {MAX_TEXT_BYTES}）")
        text, encoding = decode_text(path.read_bytes())
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if suffix in (".md", ".markdown"):
            stripped = [strip_markdown(ln) for ln in lines]
            if stripped != lines:
                notes.append("已去除 Markdown 标记（# 标题符、> 引用符、列表符、** 加粗）")
            lines = stripped
    # Form feeds and NUL/control characters from PDF or Word exports are layout, never wording.
    lines = [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]", "", ln) for ln in lines]
    conversions: list[tuple[int, str]] = []
    if any(ord(c) > 0x2E7F for ln in lines for c in ln):
        import opencc  # lazy: only when there is CJK text at all

        cc = opencc.OpenCC("t2s")
        for i, ln in enumerate(lines):
            out = cc.convert(ln)
            if out != ln:
                conversions.append((i + 1, _t2s_changes(ln, out)))
                lines[i] = out
    for i, ln in enumerate(lines):
        out = _GLOSS.sub("", ln)
        if out != ln:
            glosses = "、".join(m.group() for m in _GLOSS.finditer(ln))
            conversions.append((i + 1, f"删除拼音注音 {glosses}"))
            lines[i] = out
    return Source(path.name, encoding, lines, conversions, notes, side)


#: A pronunciation gloss after Chinese words: 隐患（yǐn huàn）. One character class, no nested repeats.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]+[）)]")
