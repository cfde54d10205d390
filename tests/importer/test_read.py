"""importer.read: encodings, Markdown, .docx (tables, footers, broken and bomb containers), 繁体."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.importer.helpers import (
    CASES,
    do_import,
    validate,
)
from zhidu.cli import main
from zhidu.importer.read import read_source


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeff一、职责\n（一）每周巡查。\n".encode(), "UTF-8（带 BOM）"),
        ("一、职责\n（一）每周巡查。\n".encode("gb18030"), "GB18030"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    s = read_source(src)
    assert s.encoding == encoding
    assert [x for x in s.lines if x] == ["一、职责", "（一）每周巡查。"]


def test_markdown_marks_are_stripped(tmp_path: Path) -> None:
    src = tmp_path / "in.md"
    src.write_text(
        "# 安全生产制度\n\n## 一、社区职责\n\n- **（一）**每月至少1次检查。\n\n- 1 -\n", encoding="utf-8"
    )
    docs, report = do_import(src, tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert reg["title"] == "安全生产制度"
    assert reg["sections"][0]["children"][0]["text"] == "每月至少1次检查。"
    assert "已去除 Markdown 标记" in report and "页码或残留符号：“- 1 -”" in report


def test_traditional_characters_are_converted_and_noted(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "traditional.txt", tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert reg["title"] == "某街道安全生产责任制度"
    assert [k["text"] for k in reg["sections"][0]["children"]] == [
        "每周走访辖区个体工商户。",
        "发现隐患应立即报告。",
    ]
    assert docs["roles.yaml"]["roles"][0]["name"] == "网格员"
    assert "- 第 1 行：繁体转简体：產責→产责" in report
    assert "- 第 4 行：繁体转简体：週→周" in report


def test_docx_input(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for t in [
        "東公政發〔2024〕27号",
        "某街道办事处关于印发制度的通知",
        "各社区：",
        "现将制度印发给你们。",
        "某街道办事处",
        "2024年6月3日",
        "安全生产制度",
        "一、网格员职责",
        "（一）每周走访辖区个体工商户。",
    ]:
        d.add_paragraph(t)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格里的文字"
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    src = tmp_path / "in.docx"
    d.save(str(src))
    docs, report = do_import(src, tmp_path / "o")
    assert docs["notice.yaml"]["doc_no"] == {"organ_code": "东公政发", "year": 2024, "serial": 27}
    assert docs["regulation.yaml"]["sections"][0]["children"][0]["text"] == "每周走访辖区个体工商户。"
    assert "繁体转简体：東→东、發→发" in report
    assert "表格 1：“表格里的文字”" in report and "第 1 节页脚：“第 1 页”" in report
    assert validate(tmp_path / "o").errors == []


def test_corrupt_docx_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.docx"
    src.write_bytes(b"PK\x03\x04 this is not a zip")
    assert main(["import", str(src), "-o", str(tmp_path / "o")]) == 1
    assert "zhidu: 导入错误: Word 文件已损坏或不是 .docx 格式" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_zip_bomb_docx_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bomb.docx"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    assert main(["import", str(src), "-o", str(tmp_path / "o")]) == 1
    assert "疑似压缩炸弹，已拒绝" in capsys.readouterr().err


def test_unsupported_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.pdf"
    src.write_bytes(b"%PDF")
    assert main(["import", str(src), "-o", str(tmp_path / "o")]) == 1
    assert "不支持的文件类型“.pdf”" in capsys.readouterr().err
