"""importer.parse: numbering styles and levels, the notice's parts, hard wraps and page residue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.importer.helpers import (
    CASES,
    do_import,
    validate,
)
from zhidu.importer.parse import parse


def test_seed_notice_fields(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    _, docs, _ = seed_import
    n = docs["notice.yaml"]
    assert n["doc_no"] == {"organ_code": "东公政发", "year": 2024, "serial": 27}
    assert n["title"].split("\n") == [
        "鄂尔多斯市东胜区公园街道办事处关于贯彻",
        "落实安全生产“党政同责、一岗双责”",
        "工作制度及安全生产责任分工的通知",
    ]
    assert n["addressees"] == "各科室、各社区"
    assert n["signature"] == "鄂尔多斯市东胜区公园街道办事处"
    assert n["date"] == n["printed_date"] == dt.date(2024, 6, 3)
    reg = docs["regulation.yaml"]
    assert reg["title"] == "工作制度"
    assert len(reg["preamble"]) == 2
    assert reg["closing"][0].endswith("本办法自发文之日起施行。")
    assert reg["version"]["effective"]["from"] == dt.date(2024, 6, 3)


def test_chapters_and_articles(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "chapters.txt", tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert reg["title"] == "安全生产责任制度"
    assert [(s["source_number"], s["text"]) for s in reg["sections"]] == [
        ("第一章", "总则"),
        ("第二章", "应急管理办职责"),
    ]
    ch2 = reg["sections"][1]
    assert [c["source_number"] for c in ch2["children"]] == ["第三条", "第四条"]
    assert [c["source_number"] for c in ch2["children"][0]["children"]] == ["（一）", "（二）"]
    assert ch2["owners"] == ["R-01"]
    # 第X条 continue across chapters: 第三条 opening chapter two is no gap.
    assert "## 编号缺号、重号与格式\n\n（无）" in report
    assert validate(tmp_path / "o").errors == []


def test_gbt_ladder_with_variants(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "ladder.txt", tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert reg["preamble"] == ["为压实安全生产责任，制定本制度。"]
    s1, s2 = reg["sections"]
    item = s1["children"][1]
    assert [c["source_number"] for c in item["children"]] == ["1.", "2.", "3、"]
    assert [c["source_number"] for c in item["children"][1]["children"]] == ["（1）", "（2）"]
    assert [c["source_number"] for c in s2["children"]] == ["( 一 )", "(二)"]
    assert s2["children"][1]["children"][0] == {
        "id": "P-02-02-01",
        "source_number": "1．",
        "text": "录入信息化平台。",
        "duties": [{"id": "D-02-02-01"}],
    }
    assert "编号“3、”使用了“、”或全角点，规范写法为“3.”" in report
    assert "编号“( 一 )”含多余空格，规范写法为“（一）”" in report
    assert "编号“(二)”使用了半角括号" in report
    assert validate(tmp_path / "o").errors == []


def test_deeper_than_four_levels_stays_as_paragraph() -> None:
    parsed = parse(["制度", "第一章 总则", "第一条 条文：", "一、甲", "（一）乙", "1.丙", "（1）丁"])
    leaf = parsed.sections[0].children[0].children[0].children[0]
    assert leaf.marker.printed == "（一）" and leaf.children == []
    assert [p.text for p in leaf.paragraphs] == ["1.丙", "（1）丁"]
    assert any("超过四级" in f.message for f in parsed.findings)


def test_numbers_alone_on_their_lines() -> None:
    parsed = parse(["制度", "一、", "总则", "一、", "一、", "（一）"])
    assert [(n.marker.printed, n.text) for n in parsed.sections] == [
        ("一、", "总则"),
        ("一、", "一、"),
        ("一、", "一、"),
    ]
    assert [f.message for f in parsed.findings if f.section == "unplaced"] == [
        "编号“一、”后没有文字，已以编号本身作为条文文字",
        "编号“一、”后没有文字，已以编号本身作为条文文字",
        "编号“（一）”后没有文字，已以编号本身作为条文文字",
    ]


def test_hard_wraps_and_page_numbers_mid_paragraph(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "wrapped.txt", tmp_path / "o")
    kids = docs["regulation.yaml"]["sections"][0]["children"]
    assert [k["text"] for k in kids] == [
        "负责对辖区内所属企业进行安全生产工作检查、指导、管理、协调和服务，并承担相应的属地管理责任，每月至少组织1次全面检查。",
        "建立健全本辖区各项安全管理责任制；建立健全本辖区安全管理机构，落实安全管理人员。",
        "组织、指导本辖区内企业开展安全生产宣传教育培训工作，每季度至少1次。",
    ]
    assert "检测到硬换行" in report
    assert (
        "第 19 行：页码或残留符号：“— 2 —”" in report
        and "第 23 行：页码或残留符号：“第 2 页 共 3 页”" in report
    )
    # Without a 发文字号 the notice is still written, the 文号 a marked placeholder named in the report.
    assert docs["notice.yaml"]["doc_no"] == "【待定】" and docs["notice.yaml"]["addressees"] == "各社区"
    assert "发文通知缺少发文字号，已以“【待定】”占位" in report
    assert validate(tmp_path / "o").errors == []


def test_header_footer_residue(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "header_residue.txt", tmp_path / "o")
    kids = docs["regulation.yaml"]["sections"][0]["children"]
    assert [k["source_number"] for k in kids] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert report.count("重复 3 次的页眉页脚残留：“某街道办事处文件”") == 3
    assert "页码或残留符号：“(”" in report and "页码或残留符号：“)”" in report


def test_document_starting_and_ending_mid_list(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "midlist.txt", tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert [s["source_number"] for s in reg["sections"]] == ["（三）", "（四）", "（五）"]
    assert reg["title"] == "【待定：原文未见制度标题】"
    assert "一级编号从“（三）”开始，而不是“（一）”（文档可能从列表中间开始）" in report
    assert "文档在列表中间结束：末项“（五）”以“；”结尾" in report
    assert "regulation.yaml" in report and validate(tmp_path / "o").errors == []


def test_mixed_widths_in_doc_number_addressees_and_dates(tmp_path: Path) -> None:
    src = tmp_path / "n.txt"
    src.write_text(
        "某街道办事处文件\n某街发[2024]007号\n\n某街道办事处关于印发\n\n安全生产制度的通知\n各社区:\n"
        "现将制度印发给你们。\n附件：安全生产制度\n某街道办事处\n2024年03月05日\n"
        "安全生产制度\n一、总则\n（一）本制度自2024年4月1日起施行。\n抄送：区应急管理局，区安委办。\n"
        "某街道办事处党政办公室  2024年3月6日印发\n",
        encoding="utf-8",
    )
    docs, report = do_import(src, tmp_path / "o")
    n = docs["notice.yaml"]
    assert n["organ_mark"] == "某街道办事处文件"
    assert n["doc_no"] == {"organ_code": "某街发", "year": 2024, "serial": 7}
    assert n["title"] == "某街道办事处关于印发\n安全生产制度的通知"
    assert n["addressees"] == "各社区"
    assert n["attachments"] == [{"name": "安全生产制度"}]
    assert n["date"] == dt.date(2024, 3, 5) and n["printed_date"] == dt.date(2024, 3, 6)
    assert n["cc"] == ["区应急管理局", "区安委办"]
    assert docs["regulation.yaml"]["version"]["effective"]["from"] == dt.date(2024, 4, 1)
    assert "发文字号“某街发[2024]007号”规范为“某街发〔2024〕7号”" in report
    assert "日期“2024年03月05日”规范为“2024年3月5日”" in report
    assert "主送“各社区:”识别为“各社区”" in report
    assert validate(tmp_path / "o").errors == []
