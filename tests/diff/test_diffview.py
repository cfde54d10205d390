"""The 修订对照表 product (views.diffview) in every format: terminal, Markdown, HTML, docx."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from zhidu.model import Policy
from zhidu.render import RenderContext, get_renderer
from zhidu.render.terminal import terminal_text
from zhidu.views import PlanOptions, View, plan
from zhidu.views.diffview import build_diff_view


def render(view: View, policy: Policy, fmt: str) -> bytes:
    return get_renderer(fmt)().render(view, RenderContext(policy=policy))[0].data


def docx_part(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read(name))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def test_seed_terminal_view(seed_pair: tuple[Policy, Policy], golden) -> None:  # type: ignore[no-untyped-def]
    text = terminal_text(build_diff_view(*seed_pair))
    assert "[-句-]" in text and "{+局+}" in text
    golden("diff/seed.terminal.txt", text)


def test_seed_markdown(seed_view: View, seed_pair: tuple[Policy, Policy], golden) -> None:  # type: ignore[no-untyped-def]
    md = render(seed_view, seed_pair[1], "md").decode()
    assert "| 原条文 | 修订后条文 | 修订说明 |" in md
    assert "对接区应急管理~~句~~" in md and "对接区应急管理**局**" in md
    golden("diff/seed.md", md)


def test_seed_html(seed_view: View, seed_pair: tuple[Policy, Policy], golden) -> None:  # type: ignore[no-untyped-def]
    html = render(seed_view, seed_pair[1], "html").decode()
    assert "<del>句</del>" in html and "<ins>局</ins>" in html
    assert "<thead><tr><th>原条文</th><th>修订后条文</th><th>修订说明</th></tr></thead>" in html
    golden("diff/seed.html", html)


def test_seed_docx(seed_view: View, seed_pair: tuple[Policy, Policy], golden) -> None:  # type: ignore[no-untyped-def]
    data = render(seed_view, seed_pair[1], "docx")
    assert data == render(seed_view, seed_pair[1], "docx"), "docx must be byte-stable"
    xml = docx_part(data)
    # The 对照表 and the small table of other changes (文号, dates, notice text) each repeat their header row.
    assert xml.count("<w:tblHeader/>") == 2
    assert 'w:orient="landscape"' in xml
    # The struck 句 and the underlined 局 of 第二部分第（二）项.
    assert re.search(r"<w:strike/>.*?\n\s*</w:rPr>\s*<w:t>句</w:t>", xml, re.S)
    assert re.search(r'<w:u w:val="single"/>\s*</w:rPr>\s*<w:t>局</w:t>', xml)
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    golden("diff/seed.docx.xml", xml)


def test_custom_column_titles(seed_pair: tuple[Policy, Policy]) -> None:
    data = build_diff_view(*seed_pair, columns=("修订前", "修订后", "修订类型"))
    view = View(
        "diff",
        "revision-table",
        data.title,
        plan(seed_pair[1], PlanOptions(previous=seed_pair[0]), products=["diff"])[0].stamp,
        data,
    )
    xml = docx_part(render(view, seed_pair[1], "docx"))
    assert "<w:t>修订前</w:t>" in xml and "<w:t>修订类型</w:t>" in xml and "原条文" not in xml


def test_no_previous_plans_no_table(seed_pair: tuple[Policy, Policy]) -> None:
    assert plan(seed_pair[1], PlanOptions(), products=["diff"]) == []


@pytest.mark.render
def test_docx_repeats_header_row_on_page_two(
    seed_view: View, seed_pair: tuple[Policy, Policy], tmp_path: Path
) -> None:
    from zhidu.render.pdf import convert_batch

    pdf = convert_batch([("revision-table.docx", render(seed_view, seed_pair[1], "docx"))], jobs=1)
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf["revision-table.pdf"])
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 2  # type: ignore[index]
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info), "landscape A4"
    page2 = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first = next(line for line in page2.splitlines() if line.strip())
    assert re.sub(r"\s+", " ", first.strip()) == "原条文 修订后条文 修订说明"


def test_punctuation_and_whitespace_changes_in_words() -> None:
    from zhidu.views.diffview import describe_marks

    assert describe_marks("》、《", "》《") == ("书名号之间的顿号", "删去书名号之间的顿号")
    assert describe_marks("”、“", "”“") == ("引号之间的顿号", "删去引号之间的顿号")
    assert describe_marks(",", "，") == ("半角逗号", "改为逗号")
    assert describe_marks("》《", "》、《") == ("书名号之间无顿号", "书名号之间加顿号")
    assert describe_marks("　", "") == ("全角空格", "删去全角空格")
    # Words are shown as words, struck and underlined.
    assert describe_marks("督察", "督查") is None


def test_no_internal_id_reaches_the_reader(seed_pair: tuple[Policy, Policy], seed_view: View) -> None:
    from zhidu.views.diffview import readable_names, without_ids

    names = readable_names(*seed_pair)
    assert without_ids("职责 D-03-11 频次由“重大时间节点”改为“（无）”", names) == (
        "第三部分第（十一）项的职责频次由“重大时间节点”改为“（无）”"
    )
    assert without_ids("岗位 R-SJ 名称", names) == "岗位“党工委书记”名称"
    assert without_ids("删除追责情形 Z-03", names) == "删除第八部分第（四）项第1目的追责情形"
    # Nothing id-shaped anywhere in what the table prints.
    data = seed_view.data
    printed = [*data.intro, *(m.label for m in data.meta)]
    for r in data.rows:
        printed += [r.label, r.note, *r.details]
    assert not [x for x in printed if re.search(r"\b[A-Z]{1,3}-[0-9A-Z]", x)]
