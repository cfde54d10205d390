"""A .docx from elsewhere is a zip file: limits checked in its directory before anything is decompressed.

Shared by `zhidu import` and `zhidu verify`. Parts are read size-bounded, and their XML is parsed without
entities, DTDs or network access, so a hostile package can neither exhaust memory nor read local files.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from zhidu.errors import ZhiduError

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_ENTRIES = 2000
#: A part above 1 MB decompressing to more than this many times its stored size is a bomb, not a document.
MAX_DOCX_RATIO = 200
#: The largest single part read (word/document.xml of a long regulation is a few MB).
MAX_PART_BYTES = 50 * 1024 * 1024

#: What reading a damaged, encrypted or exotically compressed member raises inside zipfile.
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
)


def check_container(
    path: Path, fail: type[ZhiduError], kind: str = "Word 文件", main_part: str = "word/document.xml"
) -> None:
    """Refuse an oversized, corrupt or zip-bomb Office package from its zip directory alone (raises `fail`).

    `kind` names the file in messages (Word 文件, 工作簿); `main_part` is the part it cannot do without.
    """
    try:
        size = path.stat().st_size
    except OSError as e:
        raise fail(f"无法读取 {path}：{e.strerror or e}") from e
    if size > MAX_DOCX_BYTES:
        raise fail(f"{kind}过大（{size} 字节，上限 {MAX_DOCX_BYTES}）")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise fail(
            "Word 文件已损坏或不是 .docx 格式（无法作为 zip 打开）"
            if kind == "Word 文件"
            else f"{kind}已损坏（无法作为 zip 打开）"
        ) from e
    if len(infos) > MAX_DOCX_ENTRIES:
        raise fail(f"{kind}结构异常：包含 {len(infos)} 个部件（上限 {MAX_DOCX_ENTRIES}）")
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise fail(f"{kind}解压后过大（{total} 字节，上限 {MAX_DOCX_UNCOMPRESSED}），疑似压缩炸弹，已拒绝")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1):
            raise fail(
                f"{kind}部件“{i.filename}”压缩比异常（{i.file_size}/{i.compress_size}），疑似压缩炸弹，已拒绝"
            )
        if i.flag_bits & 0x1:
            raise fail(f"{kind}部件“{i.filename}”已加密，无法读取")
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail(f"{kind}部件“{i.filename}”使用了不支持的压缩方式（{i.compress_type}）")
    names = {i.filename for i in infos}
    if main_part not in names or "[Content_Types].xml" not in names:
        if kind == "Word 文件":
            raise fail("Word 文件缺少正文部件（word/document.xml），可能已损坏或不是 .docx")
        raise fail(f"{kind}缺少主要部件（{main_part}），可能已损坏")


def read_part(zf: zipfile.ZipFile, name: str, fail: type[ZhiduError]) -> bytes:
    """One member's bytes, at most MAX_PART_BYTES whatever its header claims; a damaged member raises `fail`."""
    try:
        with zf.open(name) as f:
            data = f.read(MAX_PART_BYTES + 1)
    except READ_ERRORS as e:
        raise fail(f"Word 文件部件“{name}”无法解压（已损坏、加密或压缩方式不受支持）") from e
    if len(data) > MAX_PART_BYTES:
        raise fail(f"Word 文件部件“{name}”过大（上限 {MAX_PART_BYTES} 字节）")
    return data


def parse_xml(data: bytes, name: str, fail: type[ZhiduError]) -> Any:
    """A part's XML, parsed without entity expansion, DTD loading or network access."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise fail(f"Word 文件部件“{name}”XML 损坏（{e}）") from e
    if root is None:
        raise fail(f"Word 文件部件“{name}”为空")
    return root
