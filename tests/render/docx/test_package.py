"""The package layer: a base frozen from python-docx, documents over it, pinned core properties."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from zhidu.layout import load_profile
from zhidu.render.docx.base import add_style, new_document
from zhidu.render.docx.ooxml import paragraph
from zhidu.render.docx.package import Base


def _base() -> Base:
    prof = load_profile()
    doc = new_document(prof)
    add_style(doc, "ZhiduUsed", "Used", prof["fonts.fangsong"], 16.0)
    add_style(doc, "ZhiduUnused", "Unused", prof["fonts.fangsong"], 16.0)
    return Base.of(doc)


def test_base_drops_the_thumbnail_and_puts_content_types_first() -> None:
    names = list(_base().parts)
    assert names[0] == "[Content_Types].xml"
    assert "docProps/thumbnail.jpeg" not in names


def test_document_keeps_only_the_styles_it_uses_and_pins_core_properties() -> None:
    base = _base()
    d = base.new()
    paragraph(d.body, "ZhiduUsed", "正文")
    data = d.save({"title": "测试", "created": dt.date(2024, 6, 3)})
    again = base.new()
    paragraph(again.body, "ZhiduUsed", "正文")
    assert again.save({"title": "测试", "created": dt.date(2024, 6, 3)}) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
        core = z.read("docProps/core.xml").decode()
        assert [i.date_time for i in z.infolist()] == [(1980, 1, 1, 0, 0, 0)] * len(z.infolist())
    assert 'w:styleId="ZhiduUsed"' in styles and 'w:styleId="ZhiduUnused"' not in styles
    assert "<dc:title>测试</dc:title>" in core
    assert "2024-06-03T00:00:00Z" in core and "2000-01-01T00:00:00Z" in core  # modified defaults to the epoch
