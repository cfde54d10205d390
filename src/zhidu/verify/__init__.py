"""A GB/T 9704-2012 compliance report for any .docx, ours or a user's own.

XML checks read the package directly (page setup, pitch, fonts and sizes per element, text patterns, borders,
footers). With ``--render`` the file also goes through LibreOffice and the PDF is measured: lines per full page,
characters per full line, page numbers, the 标志 position, 正文 on page 1 and the signature page, the 版记 at the
bottom of the last page, and that every character of the source reached the PDF.
Exit status: 0 when no check fails, 1 when one does, 2 when the input cannot be read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from zhidu.errors import VerifyInputError
from zhidu.render.pdf import LEGACY_SUFFIXES
from zhidu.verify.facts import DocxFacts
from zhidu.verify.page_checks import (
    PROFILES,
    detect_profile,
    letter_render_checks,
    letter_xml_checks,
    page_checks,
)
from zhidu.verify.pdf_checks import render_checks, render_pdf
from zhidu.verify.report import VerifyReport, format_table
from zhidu.verify.xml_checks import xml_checks

__all__ = ["PROFILES", "VerifyReport", "format_table", "run_verify"]


def run_verify(path: Path, render: bool = False, profile: str = "auto") -> VerifyReport:
    """Check one .docx; with `render`, also convert it through LibreOffice and measure the PDF.

    `profile` is "standard" (通用格式), "letter" (信函格式, 10.1) or "auto" (a red double line means a letter).
    """
    if not path.is_file():
        raise VerifyInputError(f"找不到文件：{path}")
    if path.suffix.lower() in LEGACY_SUFFIXES:
        return _verify_legacy(path, render)
    f = DocxFacts(path)
    rep = VerifyReport(str(path), rendered=render)
    facts = xml_checks(f, rep)
    kind = detect_profile(f) if profile == "auto" else profile
    rep.notes.append(
        ("按信函格式（10.1）检查" if kind == "letter" else "按通用格式检查")
        + ("（自动识别）" if profile == "auto" else "")
    )
    if kind == "letter":
        letter_xml_checks(f, rep)
    if render:
        from zhidu.render.pdf import soffice

        if soffice() is None:
            from zhidu.render.pdf import INSTALL_HINT

            raise VerifyInputError(f"--render 需要 LibreOffice；安装：{INSTALL_HINT}")
        with tempfile.TemporaryDirectory(prefix="zhidu-verify-") as tmp:
            pdf = render_pdf(path, Path(tmp))
            render_checks(f, facts, pdf, rep)
            page_checks(f, facts, pdf, rep)
            if kind == "letter":
                letter_render_checks(f, facts, pdf, rep)
        rep.notes.append(
            "渲染使用开源替代字体（仿宋→FandolFang，小标宋/宋体→Noto Serif CJK SC，黑体→FandolHei，"
            "楷体→FandolKai），已替代；Word 中换行可能不同。"
        )
    return rep


def _verify_legacy(path: Path, render: bool) -> VerifyReport:
    """A .doc, .wps or .rtf file: LibreOffice converts it to .docx, and the report says the checks ran on that."""
    from zhidu.errors import RenderError
    from zhidu.render.pdf import to_docx

    with tempfile.TemporaryDirectory(prefix="zhidu-verify-") as tmp:
        try:
            docx = to_docx(path, Path(tmp))
        except RenderError as e:
            raise VerifyInputError(str(e)) from e
        rep = run_verify(docx, render=render)
    rep.path = str(path)
    rep.notes.insert(
        0,
        f"{path.name} 已经 LibreOffice 转换为 .docx 后检查：字体、字号等以转换结果为准，可能与原文件略有出入。",
    )
    return rep
