"""`zhidu import`: the seed round-trips, each numbering style and noise class, no line is ever lost."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.importer import run_import
from zhidu.importer.markers import core, match_marker
from zhidu.importer.parse import parse
from zhidu.importer.read import read_source
from zhidu.load.policy import load_policy
from zhidu.numbering import cn_date
from zhidu.views.notice import build_notice_view

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "tests" / "cases" / "seed" / "000_6dbcfac1e3d2ddaf.txt"
CASES = Path(__file__).resolve().parent / "cases" / "import"


def do_import(src: Path, out: Path) -> tuple[dict[str, Any], str]:
    """Run `zhidu import` in process; returns the loaded YAML files and the report text."""
    assert main(["import", str(src), "-o", str(out), "-q"]) == 0
    from ruamel.yaml import YAML

    y = YAML(typ="safe")
    docs = {p.name: y.load(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.yaml"))}
    return docs, (out / "import-report.md").read_text(encoding="utf-8")


def validate(out: Path) -> Report:
    report = Report()
    policy = load_policy(out, report)
    assert policy is not None, report.format_text()
    lint.run(policy, report)
    return report


def provisions(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for s in sections:
        out.append(s)
        out.extend(provisions(s.get("children", [])))
    return out


def section_of(docs: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(p for p in provisions(docs["regulation.yaml"]["sections"]) if p["id"] == sid)


# ------------------------------------------------------------------------------------------ the seed


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    out = tmp_path_factory.mktemp("seed") / "gongyuan"
    docs, report = do_import(SEED_TEXT, out)
    return out, docs, report


_NUM = re.compile(
    r"^(第[一二三四五六七八九十百\d]+[章节条]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]|[（(]\d+[）)])"
)


def strip_number(s: str) -> str:
    return _NUM.sub("", core(s))


def test_seed_passes_check_without_errors(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    out, docs, _ = seed_import
    assert sorted(docs) == ["laws.yaml", "notice.yaml", "regulation.yaml", "roles.yaml"]
    report = validate(out)
    assert report.errors == []
    assert main(["check", str(out)]) == 0


def test_seed_round_trips_through_the_notice_view(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    out, _, report = seed_import
    policy = load_policy(out, Report())
    assert policy is not None and policy.notice is not None
    v = build_notice_view(policy)
    n = policy.notice
    rendered = [
        v.doc_no,
        *v.title_lines,
        v.addressees + "：",
        *v.body,
        v.signature,
        v.date,
        v.regulation_title,
    ]
    rendered += [b.full for b in v.blocks]
    rendered.append(f"{n.printed_by}{cn_date(n.printed_date)}印发")
    dropped = {int(m) for m in re.findall(r"^- 第 (\d+) 行：页码或残留符号", report, re.M)}
    seed = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    assert sorted(seed[i - 1].strip() for i in dropped) == ["(", ")", "- 1 -"]
    expected = [ln for i, ln in enumerate(seed, start=1) if ln.strip() and i not in dropped]
    assert "".join(strip_number(x) for x in rendered) == "".join(strip_number(x) for x in expected)
    # Numbered lines keep their printed number as source_number, in order.
    printed = [m.printed for ln in expected if (m := match_marker(ln))]
    assert [p.source_number for _, p in policy.walk()] == printed


def test_seed_report_lists_gaps_duplicates_and_page_numbers(
    seed_import: tuple[Path, dict[str, Any], str],
) -> None:
    _, _, report = seed_import
    assert "- 第 54 行：一级编号“二、”之后缺“三、”" in report
    assert "- 第 54、71 行：一级编号“四、”重复" in report
    assert "编号“(一)”使用了半角括号，规范写法为“（一）”" in report
    assert "第 3 个一级条文（原文“四、”）下“（十）”与“（十一）”首句相同，疑似重复录入" in report
    for line in (
        "第 134 行：页码或残留符号：“(”",
        "第 135 行：页码或残留符号：“- 1 -”",
        "第 136 行：页码或残留符号：“)”",
    ):
        assert line in report
    assert "## 未能放置的文字（请人工处理）\n\n（无）" in report
    assert "- 去向：发文通知 9 行，制度正文 99 行，仅列入本报告 3 行" in report


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


def test_seed_roles_owners_duties_and_frequencies(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    out, docs, _ = seed_import
    roles = {r["id"]: (r["name"], r["kind"]) for r in docs["roles.yaml"]["roles"]}
    assert roles == {
        "R-01": ("党工委书记", "leader"),
        "R-02": ("办事处主任", "leader"),
        "R-03": ("分管安全生产工作的领导", "leader"),
        "R-04": ("其他分管负责人", "leader"),
        "R-05": ("党政办公室", "department"),
        "R-06": ("应急管理办", "department"),
        "R-07": ("社区", "community"),
        "R-08": ("街道安全生产网格员", "grid_worker"),
    }
    assert section_of(docs, "S-01")["owners"] == ["R-01", "R-02"]
    assert "owners" not in section_of(docs, "S-04")  # 相关室办: owners sit on each office
    assert section_of(docs, "P-04-01")["owners"] == ["R-05"]
    assert section_of(docs, "P-01-06")["duties"] == [
        {"id": "D-01-06", "frequency": {"per": "month", "min": 1, "display": "每月至少1次"}}
    ]
    all_p = provisions(docs["regulation.yaml"]["sections"])
    for p in all_p:
        for d in p.get("duties", []):
            if "frequency" in d:
                assert d["frequency"]["display"] in p["text"]
    # Items under 考核 and 追责 are not duties.
    assert not any("duties" in p for p in all_p if p["id"].startswith(("P-07", "P-08")))
    text = (out / "regulation.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 未找到含 schemas/ 的仓库目录") or text.startswith(
        "# yaml-language-server: $schema="
    )
    assert "owners:  # 猜测：按标题“党工委书记、办事处主任的安全生产职责”识别责任岗位，请确认" in text
    assert "frequency: # 猜测：频次按原文“每月至少1次”推定为“每月≥1次”，请确认" in text
    assert "&id" not in text and "|" not in text and ">-" not in text


def test_reimport_gives_identical_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "x", tmp_path / "b" / "x"
    run_import(SEED_TEXT, a)
    run_import(SEED_TEXT, b)
    for name in ("notice.yaml", "regulation.yaml", "roles.yaml", "laws.yaml", "import-report.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_schema_line_is_relative_to_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("", encoding="utf-8")
    run_import(CASES / "ladder.txt", repo / "policy" / "jiedao")
    first = (repo / "policy" / "jiedao" / "regulation.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../schemas/regulation.schema.json"


def test_import_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p"
    out.mkdir()
    (out / "roles.yaml").write_text("roles: []\n", encoding="utf-8")
    assert main(["import", str(SEED_TEXT), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "导入错误: 目标文件已存在，import 不覆盖任何文件" in err and "roles.yaml" in err
    assert sorted(p.name for p in out.iterdir()) == ["roles.yaml"]
    assert (out / "roles.yaml").read_text(encoding="utf-8") == "roles: []\n"


def test_help_stays_light() -> None:
    code = (
        "import sys; before = set(sys.modules); import zhidu.importer; "
        "new = set(sys.modules) - before; "
        "heavy = ('docx', 'ruamel', 'opencc', 'msgspec'); "
        "print(sorted(m for m in new if m.split('.')[0] in heavy or 'imp_' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------------------ numbering styles


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


# -------------------------------------------------------------------------------------- noise classes


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
    # Without a 发文字号 the notice cannot validate: its lines go to the report, named, not lost.
    assert "notice.yaml" not in docs
    assert "发文通知缺少发文字号，未生成 notice.yaml；此行未导入：“各社区：”" in report
    assert validate(tmp_path / "o").errors == []


def test_header_footer_residue(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "header_residue.txt", tmp_path / "o")
    kids = docs["regulation.yaml"]["sections"][0]["children"]
    assert [k["source_number"] for k in kids] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert report.count("重复 3 次的页眉页脚残留：“某街道办事处文件”") == 3
    assert "页码或残留符号：“(”" in report and "页码或残留符号：“)”" in report


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


def test_document_starting_and_ending_mid_list(tmp_path: Path) -> None:
    docs, report = do_import(CASES / "midlist.txt", tmp_path / "o")
    reg = docs["regulation.yaml"]
    assert [s["source_number"] for s in reg["sections"]] == ["（三）", "（四）", "（五）"]
    assert reg["title"] == "（原文未见制度标题）"
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


# ----------------------------------------------------------------------------------------------- docx


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


# --------------------------------------------------------------------------------- nothing is dropped


def yaml_haystack(out: Path) -> list[str]:
    """Every text the written files hold, in the shapes a source line can take."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe")
    hay: list[str] = [(out / "import-report.md").read_text(encoding="utf-8")]

    def rec(x: Any) -> None:
        if isinstance(x, dict):
            if "text" in x and "source_number" in x:
                hay.append(f"{x['source_number']}{x['text']}")
            for v in x.values():
                rec(v)
        elif isinstance(x, list):
            for v in x:
                rec(v)
        elif isinstance(x, str):
            hay.extend(x.split("\n"))

    for p in out.glob("*.yaml"):
        doc = y.load(p.read_text(encoding="utf-8"))
        rec(doc)
        if p.name == "notice.yaml":
            no = doc["doc_no"]
            hay.append(f"{no['organ_code']}〔{no['year']}〕{no['serial']}号")
            hay += [
                f"{doc['addressees']}：",
                cn_date(doc["date"]),
                f"{doc['signature']}{cn_date(doc['date'])}",
            ]
            hay.append(f"{doc['printed_by']}{cn_date(doc['printed_date'])}印发")
    return [core(h) for h in hay]


def assert_nothing_lost(src: Path, out: Path) -> None:
    import opencc

    cc = opencc.OpenCC("t2s")
    hay = yaml_haystack(out)
    for i, ln in enumerate(src.read_text(encoding="utf-8").split("\n"), start=1):
        c = core(cc.convert(ln))
        assert not c or any(c in h for h in hay), f"第 {i} 行丢失：{ln!r}"


def test_no_seed_line_is_lost(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    assert_nothing_lost(SEED_TEXT, seed_import[0])


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.glob("*.txt")))
def test_no_case_line_is_lost(tmp_path: Path, name: str) -> None:
    do_import(CASES / name, tmp_path / "o")
    assert_nothing_lost(CASES / name, tmp_path / "o")


_CJK = st.text(
    alphabet="安全生产职责社区网格员每月至少次检查发现隐患立即报告工作制度领导办公室", min_size=1, max_size=30
)
_PUNCT = st.sampled_from(["", "。", "；", "，", "：", "、", ")", "(", "》"])
_PREFIX = st.sampled_from(
    [
        "",
        "",
        "",
        "一、",
        "（二）",
        "(三)",
        "4.",
        "5、",
        "（6）",
        "第七条 ",
        "第八章 ",
        "- 1 -",
        "— 2 —",
        "  ",
        "　　",
        "①",
    ]
)
_LINE = st.one_of(
    st.builds(lambda p, t, e: p + t + e, _PREFIX, _CJK, _PUNCT),
    st.sampled_from(
        [
            "",
            "",
            "(",
            ")",
            "- 3 -",
            "第 1 页 共 2 页",
            "东公政发〔2024〕27号",
            "各科室：",
            "2024年6月3日",
            "某某街道办事处",
            "某某街道办事处  2024年6月3日印发",
            "抄送：区应急局。",
            "附件：制度",
            "一、",
            "（一）",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=25))
def test_property_import_never_loses_a_non_empty_line(lines: list[str]) -> None:
    text = "\n".join(ln.replace("\r", "").replace("\x0b", "").replace("\x0c", "") for ln in lines)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.txt"
        src.write_text(text, encoding="utf-8")
        out = Path(d) / "out"
        run_import(src, out)
        read_back = read_source(src)
        hay = yaml_haystack(out)
        for i, ln in enumerate(read_back.lines, start=1):
            c = core(ln)
            assert not c or any(c in h for h in hay), f"第 {i} 行丢失：{ln!r}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=25))
def test_property_import_output_always_validates(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.txt"
        src.write_text("\n".join(lines), encoding="utf-8")
        out = Path(d) / "out"
        run_import(src, out)
        report = Report()
        policy = load_policy(out, report)
        assert policy is not None, report.format_text()
        lint.run(policy, report)
        assert report.errors == [], report.format_text()


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
