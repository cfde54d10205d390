"""End to end over a corpus of documents shaped like real published regulations (tests/importer/corpus/).

For each: the import report, the numbering scheme found, the roles and their kinds, the notice's
title, 文号 and date; then the imported policy checks with no errors and builds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.importer.helpers import do_import, validate
from zhidu.cli import main

CORPUS = Path(__file__).parent / "corpus"

#: file → (regulation title, 文号, 成文日期, scheme, [(role, kind), …]) — what each document really says.
EXPECTED: dict[str, tuple[str, str | None, str | None, str, list[tuple[str, str]]]] = {
    "01-street-statute-chapters.txt": (
        "冶源街道安全生产责任规定",
        "冶街发〔2019〕15号",
        "2019-08-20",
        "statute+chapters",
        [
            ("街道党工委书记", "leader"),
            ("办事处主任", "leader"),
            ("分管安全生产副主任", "leader"),
            ("安监站", "department"),
            ("社区居委会", "community"),
        ],
    ),
    "02-county-measures-no-chapters.txt": (
        "青河县安全生产约谈办法",
        None,
        None,
        "statute",
        [("县应急管理局", "department")],
    ),
    "03-township-joint-outline.txt": (
        "石桥镇安全生产“一岗双责”规定（试行）",
        "石发〔2009〕21号",
        "2009-07-14",
        "outline",
        [
            ("镇党委书记", "leader"),
            ("镇长", "leader"),
            ("分管安全生产副镇长", "leader"),
            ("镇安监站", "department"),
            ("村（社区）", "community"),
        ],
    ),
    "04-city-opinion-bodies.txt": (
        "临江市人民政府关于进一步加强基层安全生产监管工作的意见",
        "临政发〔2018〕33号",
        "2018-06-12",
        "outline",
        [("街道办事处(乡镇政府)", "department"), ("社区(村)", "community")],
    ),
    "05-county-leader-list.txt": (
        "平阳县政府领导班子成员安全生产工作职责",
        None,
        None,
        "outline",
        [
            ("县长", "leader"),
            ("常务副县长", "leader"),
            ("分管安全生产副县长", "leader"),
            ("分管交通副县长", "leader"),
            ("分管教育副县长", "leader"),
        ],
    ),
    "06-web-page-chrome.txt": (
        "和平区安全生产网格化管理工作方案",
        "和政办发〔2021〕7号",
        "2021-04-09",
        "outline",
        [("街道办事处", "department"), ("社区居委会", "community"), ("网格员", "grid_worker")],
    ),
    "07-title-first-docno-below.txt": (
        "北关街道消防安全责任制实施办法",
        "北街发〔2022〕9号",
        "2022-03-01",
        "statute",
        [("街道办事处主任", "leader"), ("综合行政执法队", "department"), ("社区居委会", "community")],
    ),
    "08-implementation-plan-four-levels.md": (
        "东岭镇安全生产专项整治三年行动实施方案",
        None,
        None,
        "outline",
        [("镇安全生产委员会办公室", "department"), ("村", "community")],
    ),
    "09-traditional-glosses.txt": (
        "东区安全生产责任清单",
        None,
        None,
        "outline",
        [("社区主任", "leader"), ("网格员", "grid_worker")],
    ),
    "10-starts-mid-list.txt": (
        "【待定：原文未见制度标题】",
        None,
        None,
        "outline",
        [("社区工作站", "community")],
    ),
    "11-statute-chapters-sections.txt": (
        "河西区安全生产监督管理办法",
        None,
        None,
        "statute+chapters+sections",
        [
            ("区应急管理局", "department"),
            ("区消防救援大队", "department"),
            ("街道办事处", "department"),
            ("社区居委会", "community"),
        ],
    ),
    "12-wrapped-statute.txt": (
        "南湖街道安全生产举报奖励规定",
        None,
        None,
        "statute",
        [("街道安监站", "department"), ("街道财政所", "department")],
    ),
    "13-bracket-docno-variants.txt": (
        "红旗乡人民政府关于明确乡村两级安全生产职责的通知",
        "红政发〔2017〕8号",
        "2017-03-08",
        "outline",
        [
            ("乡人民政府", "department"),
            ("乡安监所", "department"),
            ("村民委员会", "community"),
            ("安全生产信息员", "grid_worker"),
        ],
    ),
    "14-duty-headings-colon.txt": (
        "城关镇安全生产责任分工",
        None,
        None,
        "outline",
        [
            ("镇长", "leader"),
            ("分管副镇长", "leader"),
            ("镇应急管理办公室", "department"),
            ("镇派出所", "department"),
            ("村（社区）", "community"),
        ],
    ),
    "15-notice-attachment-outline.txt": (
        "丰收街道安全生产委员会成员单位职责",
        "丰街发〔2024〕3号",
        "2024-02-26",
        "outline",
        [("党政办公室", "department"), ("社会事务办公室", "department"), ("社区卫生服务中心", "department")],
    ),
    "16-township-statute-paragraph-duties.txt": (
        "柳河镇安全生产“党政同责、一岗双责”实施细则",
        "柳政发〔2020〕12号",
        "2020-03-16",
        "statute",
        [
            ("镇党委书记", "leader"),
            ("镇长", "leader"),
            ("分管安全生产工作的副镇长", "leader"),
            ("其他领导班子成员", "leader"),
            ("镇安全生产监督管理站", "department"),
            ("村（居）委会", "community"),
            ("村（居）委会主任", "leader"),
            ("镇安全生产委员会", "committee"),
        ],
    ),
    "17-plan-four-levels-attachments.txt": (
        "东湖街道城镇燃气安全专项整治实施方案",
        "东街发〔2023〕18号",
        "2023-06-05",
        "outline",
        [
            ("街道应急管理办公室", "department"),
            ("街道综合行政执法队", "department"),
            ("社区居委会", "community"),
        ],
    ),
    "18-web-joint-statute.txt": (
        "长乐镇安全生产责任制规定",
        "长委〔2022〕14号",
        "2022-05-18",
        "statute+chapters",
        [
            ("镇党委书记", "leader"),
            ("镇长", "leader"),
            ("镇应急管理中心", "department"),
            ("村（社区）", "community"),
        ],
    ),
}


def _scheme(reg: dict[str, Any]) -> str:
    d = reg.get("numbering") or {}
    name = str(d.get("scheme", "outline"))
    return name + ("+chapters" if d.get("chapters") else "") + ("+sections" if d.get("sections") else "")


def _doc_no(notice: dict[str, Any] | None) -> str | None:
    if not notice or not isinstance(notice.get("doc_no"), dict):
        return None
    d = notice["doc_no"]
    return f"{d['organ_code']}〔{d['year']}〕{d['serial']}号"


def test_corpus_has_eighteen_shapes() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_check_and_build(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title, doc_no, date, scheme, roles = EXPECTED[name]
    out = tmp_path / "work" / Path(name).stem
    docs, report = do_import(CORPUS / name, out)
    reg = docs["regulation.yaml"]
    notice = docs.get("notice.yaml")
    got_date = str(notice["date"]) if notice else None
    got_roles = [(r["name"], r["kind"]) for r in docs["roles.yaml"]["roles"]]
    assert (reg["title"], _doc_no(notice), got_date, _scheme(reg), got_roles) == (
        title,
        doc_no,
        date,
        scheme,
        roles,
    )
    # The report names the scheme and every role with its kind.
    assert f"- 编号体系：{'条款式' if scheme.startswith('statute') else '提纲式'}" in report
    for role, kind in roles:
        assert f"{role}（{kind}）" in report
    capsys.readouterr()
    main(["check", str(out)])
    checked = capsys.readouterr().out
    assert "错误[" not in checked and "共 0 个错误" in checked, checked
    assert main(["build", str(out), "-o", str(tmp_path / "build"), "--format", "md,docx", "-q"]) == 0
    built = {p.name for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert {"notice.md", "notice.docx"} <= built
    if roles:
        assert "duty-list.docx" in built


def test_web_chrome_is_residue_never_policy(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "06-web-page-chrome.txt", tmp_path / "w" / "web")
    text = str(docs)
    for chrome in ("字体", "朗读", "打印本页", "索引号", "关闭窗口", "首页", "example.gov.cn", "分享到"):
        assert chrome not in text, chrome
        assert chrome in report, chrome
    assert "网页栏目或元数据残留" in report


def test_joint_issuers_and_letter_o_date(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "03-township-joint-outline.txt", tmp_path / "w" / "joint")
    n = docs["notice.yaml"]
    assert n["signature"] == "中共石桥镇委员会　石桥镇人民政府"
    assert n["organ_mark"] == "中共石桥镇委员会　石桥镇人民政府"
    assert "联合署名" in report and "二OO九年七月十四日" not in docs["regulation.yaml"]["title"]
    # 自印发之日起试行: the 施行 date is the issue date.
    assert str(docs["regulation.yaml"]["version"]["effective"]["from"]) == "2009-07-14"


def test_docno_brackets_and_leading_zeros_normalised(tmp_path: Path) -> None:
    _docs, report = do_import(CORPUS / "13-bracket-docno-variants.txt", tmp_path / "w" / "b")
    assert "发文字号“红政发【2017】008号”规范为“红政发〔2017〕8号”" in report
    _docs, report = do_import(CORPUS / "01-street-statute-chapters.txt", tmp_path / "w" / "a")
    assert "发文字号“冶街发[2019]015号”规范为“冶街发〔2019〕15号”" in report


def test_mid_list_document_gets_a_marked_parent(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "10-starts-mid-list.txt", tmp_path / "w" / "m")
    first = docs["regulation.yaml"]["sections"][0]
    assert first["text"] == "【待定：原文从列表中间开始，本项标题缺失】"
    assert [c["source_number"] for c in first["children"]] == ["（三）", "（四）", "（五）"]
    assert "文档从列表中间开始" in report


def test_glosses_and_traditional_characters(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "09-traditional-glosses.txt", tmp_path / "w" / "t")
    text = docs["regulation.yaml"]["sections"][0]["children"][0]["text"]
    assert text == "负责社区安全生产工作，每月至少组织一次安全检查。"
    assert "删除拼音注音 （ān quán shēng chǎn）" in report and "繁体转简体" in report


def test_frequency_keeps_whole_phrase(tmp_path: Path) -> None:
    docs, _report = do_import(CORPUS / "03-township-joint-outline.txt", tmp_path / "w" / "f")
    duties = [
        d
        for s in docs["regulation.yaml"]["sections"]
        for c in s.get("children", [])
        for d in c.get("duties", [])
    ]
    displays = [d["frequency"]["display"] for d in duties if "frequency" in d]
    assert "发现的不能立即整改的隐患" in displays
    assert "发现的不能立即" not in displays


def test_missing_notice_parts_are_placeholders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "partial.txt"
    src.write_text(
        "关于印发《某社区安全生产制度》的通知\n某社发〔2023〕2号\n各网格：\n现将制度印发给你们。\n"
        "某社区安全生产制度\n一、社区主任的职责\n（一）每月组织一次检查。\n",
        encoding="utf-8",
    )
    out = tmp_path / "w" / "partial"
    docs, report = do_import(src, out)
    n = docs["notice.yaml"]
    assert (n["signature"], n["date"]) == ("【待定】", "【待定】")
    assert "发文通知缺少署名、成文日期，已以“【待定】”占位" in report
    assert docs["regulation.yaml"]["version"]["status"] == "draft"
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    checked = capsys.readouterr().out
    assert "警告[W133]: 发文通知的署名尚未填写" in checked
    assert main(["build", str(out), "-o", str(tmp_path / "b"), "--format", "md,docx", "-q"]) == 0
    md = (tmp_path / "b" / "partial" / "notice.md").read_text(encoding="utf-8")
    assert "【待定】" in md and "undetermined" not in md
    assert md.startswith("**征求意见稿**")
    card = next((tmp_path / "b" / "partial" / "cards").glob("*.md")).read_text(encoding="utf-8")
    assert "施行 【待定】起" in card and "征求意见稿" in card
    # --strict refuses to build with placeholders, listing each with its place.
    capsys.readouterr()
    assert main(["build", str(out), "-o", str(tmp_path / "b2"), "--format", "md", "--strict", "-q"]) == 1
    err = capsys.readouterr()
    assert "notice.yaml:" in err.out + err.err and "W133" in err.out + err.err


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    import re

    # Table cells join a citation's characters with WORD JOINERs (U+2060) so that it never breaks inside.
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).replace("\u2060", "")


def test_statute_regulation_builds_with_article_numbers_and_citations(tmp_path: Path) -> None:
    work = tmp_path / "work"
    do_import(CORPUS / "01-street-statute-chapters.txt", work / "2019.1")
    (work / "parties.yaml").write_text(
        "communities:\n  - id: C-01\n    name: 东关社区\n  - id: C-02\n    name: 西关社区\n", encoding="utf-8"
    )
    out = tmp_path / "build"
    assert main(["build", str(work), "-o", str(out), "--format", "md,docx", "-q"]) == 0
    v = out / "2019.1"
    notice = _docx_text(v / "notice.docx")
    for printed in (
        "第一章　总则",
        "第四条　街道党工委书记",
        "第六条　安监站的职责",
        "第十条　本规定自印发之日起施行",
    ):
        assert printed in notice, printed
    assert "一、" not in notice.split("冶源街道安全生产责任规定", 2)[-1]
    cards = {p.stem: _docx_text(p) for p in (v / "cards").glob("*.docx")}
    assert any("第六条第（二）项第1目" in t for t in cards.values())
    assert all("部分" not in t for t in cards.values())
    duty_list = _docx_text(v / "duty-list.docx")
    assert "第五条第（二）项" in duty_list and "第七条第（一）项" in duty_list
    sheets = [_docx_text(p) for p in (v / "checklists").rglob("*.docx")]
    assert sheets and all("第七条第（一）项" in t for t in sheets)


#: The 主送 of every corpus document that has a notice: never left in the body as its first paragraph.
ADDRESSEES = {
    "01-street-statute-chapters.txt": "各社区居委会，街道各科室、站所",
    "03-township-joint-outline.txt": "各村（社区）党支部、村委会，镇直各单位",
    "04-city-opinion-bodies.txt": "各区县人民政府，市政府各部门",
    "06-web-page-chrome.txt": "各街道办事处，区政府各部门",
    "07-title-first-docno-below.txt": "各社区，街道各科室",
    "13-bracket-docno-variants.txt": "各村民委员会，乡直各单位",
    "15-notice-attachment-outline.txt": "各社区，街道各科室",
    "16-township-statute-paragraph-duties.txt": "各村（居）委会，镇直各单位",
    "17-plan-four-levels-attachments.txt": "各社区居委会，街道各科室、站所",
    "18-web-joint-statute.txt": "各村（社区），镇属各单位",
}


@pytest.mark.parametrize("name", sorted(ADDRESSEES))
def test_addressees_found(name: str, tmp_path: Path) -> None:
    docs, _report = do_import(CORPUS / name, tmp_path / "w" / "a")
    n = docs["notice.yaml"]
    assert n["addressees"] == ADDRESSEES[name]
    assert all(ADDRESSEES[name] not in b for b in n["body"])


def _duties(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in sections:
        out += s.get("duties", [])
        out += _duties(s.get("children", []))
    return out


def test_joint_heading_item_naming_its_subject_goes_to_that_role(tmp_path: Path) -> None:
    # 一、镇党委书记、镇长的职责 / （一）镇党委书记对…负总责 / （二）镇长是…第一责任人: each item is one role's.
    docs, report = do_import(CORPUS / "03-township-joint-outline.txt", tmp_path / "w" / "j")
    first = docs["regulation.yaml"]["sections"][0]
    assert first["owners"] == ["R-01", "R-02"]
    assert [d["owners"] for c in first["children"] for d in c["duties"]] == [["R-01"], ["R-02"]]
    assert "职责 D-01-02：条目以“镇长”开头，责任岗位只取该岗位" in report
    # A joint heading whose items name no subject keeps both roles on every item (第四条 of the statute).
    docs, _report = do_import(CORPUS / "01-street-statute-chapters.txt", tmp_path / "w" / "s")
    art4 = docs["regulation.yaml"]["sections"][1]["children"][0]
    assert art4["owners"] == ["R-01", "R-02"]
    assert all("owners" not in d for d in _duties(art4["children"]))


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("03-township-joint-outline.txt", "重大节日前"),
        ("05-county-leader-list.txt", "重大节假日前"),
        ("07-title-first-docno-below.txt", "重要节日前"),
        ("14-duty-headings-colon.txt", "重大活动期间"),
    ],
)
def test_event_frequency_keeps_its_qualifiers(name: str, phrase: str, tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / name, tmp_path / "w" / "e")
    displays = [
        d["frequency"]["display"] for d in _duties(docs["regulation.yaml"]["sections"]) if "frequency" in d
    ]
    assert phrase in displays
    assert f"频次按原文“{phrase}”推定为" in report


def test_items_of_a_periodic_provision_take_its_frequency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "2.每月调度一次工作进展，具体包括：（1）…（2）…": the items are what is done each month.
    out = tmp_path / "w" / "plan"
    docs, report = do_import(CORPUS / "08-implementation-plan-four-levels.md", out)
    task = docs["regulation.yaml"]["sections"][1]["children"][0]["children"][1]
    assert task["text"] == "每月调度一次工作进展，具体包括："
    freqs = [d["frequency"] for c in task["children"] for d in c["duties"]]
    assert freqs == [{"per": "month", "min": 1, "display": "每月调度一次"}] * 2
    assert "（频次写在上级条文，本项为其内容）" in report
    capsys.readouterr()
    main(["check", str(out)])
    checked = capsys.readouterr().out
    assert "W106" not in checked and "W116" not in checked, checked


def test_daily_wording_is_named_in_w106(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w" / "web"
    do_import(CORPUS / "06-web-page-chrome.txt", out)
    capsys.readouterr()
    main(["check", str(out)])
    w106 = [ln for ln in capsys.readouterr().out.splitlines() if "W106" in ln]
    assert len(w106) == 1 and "条文写明频次“每日”" in w106[0], w106


def test_statute_duties_in_paragraphs_follow_their_subjects(tmp_path: Path) -> None:
    # 第三条　镇党委书记、镇长是…第一责任人…。／镇党委书记每半年…。／镇长每季度…。: the article is both roles'
    # duty, each 款 the duty of the role it names; 本细则由…负责解释 and 被约谈单位 are no roles.
    docs, report = do_import(CORPUS / "16-township-statute-paragraph-duties.txt", tmp_path / "w" / "k")
    art3 = docs["regulation.yaml"]["sections"][2]
    assert art3["owners"] == ["R-01", "R-02"]
    assert [(d["id"], d.get("text"), d.get("owners")) for d in art3["duties"]] == [
        ("D-03", None, None),
        ("D-03-K2", art3["paragraphs"][0], ["R-01"]),
        ("D-03-K3", art3["paragraphs"][1], ["R-02"]),
    ]
    assert [d["frequency"]["per"] for d in art3["duties"][1:]] == ["half_year", "quarter"]
    art4 = docs["regulation.yaml"]["sections"][3]
    assert "owners" not in art4["duties"][1] and art4["duties"][1]["frequency"]["per"] == "month"
    assert "owners" not in docs["regulation.yaml"]["sections"][8]
    assert "职责 D-03-K2：第 2 款“镇党委书记每半年至少主持…”视为一项职责，责任岗位 镇党委书记" in report
    assert "岗位 R-07“村（居）委会主任”，类别 leader（来自第 25 行“村（居）委会主任每周至少" in report
    docs, _report = do_import(CORPUS / "02-county-measures-no-chapters.txt", tmp_path / "w" / "y")
    assert "被约谈单位" not in str(docs["roles.yaml"])


def test_attachment_list_on_two_lines_and_attachment_contents(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "17-plan-four-levels-attachments.txt", tmp_path / "w" / "att")
    n = docs["notice.yaml"]
    assert [a["name"] for a in n["attachments"]] == [
        "东湖街道燃气安全专项整治工作领导小组成员名单",
        "燃气安全隐患排查整治台账",
    ]
    # The regulation follows the notice; the attachments listed are other documents.
    assert n["regulation_placement"] == "follows"
    assert (n["signature"], str(n["date"]), n["note"]) == ("东湖街道办事处", "2023-06-05", "此件公开发布")
    reg = docs["regulation.yaml"]
    assert [s["text"] for s in reg["sections"]] == [
        "工作目标",
        "组织领导",
        "职责分工",
        "实施步骤",
        "工作要求",
    ]
    assert "组　长" not in str(reg) and "附件1" not in str(reg)
    assert "其他附件的内容，未导入制度：“组　长：王某某　街道党工委书记”" in report
    assert "附件说明续行“2.燃气安全隐患排查整治台账”识别为附件“燃气安全隐患排查整治台账”" in report
    # An attachment that is the regulation itself (附件 mark before it) still makes it an attachment.
    docs, _report = do_import(CORPUS / "15-notice-attachment-outline.txt", tmp_path / "w" / "att15")
    assert docs["notice.yaml"]["regulation_placement"] == "attachment"


def test_web_metadata_table_with_spaced_labels_and_site_footer(tmp_path: Path) -> None:
    docs, report = do_import(CORPUS / "18-web-joint-statute.txt", tmp_path / "w" / "web2")
    text = str(docs)
    for chrome in ("索 引 号", "有 效 性", "发文日期", "网站标识码", "ICP备", "扫一扫", "关闭窗口"):
        assert chrome not in text, chrome
        assert chrome in report, chrome
    assert "发文字号之前的文字" not in report
    n = docs["notice.yaml"]
    assert n["title"] == "中共长乐镇委员会　长乐镇人民政府关于印发《长乐镇安全生产责任制规定》的通知"
    assert n["signature"] == "中共长乐镇委员会　长乐镇人民政府"
    assert "closing" not in docs["regulation.yaml"]
    assert str(docs["regulation.yaml"]["version"]["effective"]["from"]) == "2022-06-01"


def test_statute_levels_below_a_subitem_are_kept_as_its_paragraphs(tmp_path: Path) -> None:
    # 条 → （一）项 → 1.目 is as deep as a statute goes: a （1） under a 目 must not make the import unloadable.
    src = tmp_path / "deep.txt"
    src.write_text(
        "第一条　为规范隐患治理，制定本规定。\n第二条　安监站的职责：\n（一）建立台账：\n1.登记隐患：\n"
        "（1）写明地点；\n（2）写明时限。\n",
        encoding="utf-8",
    )
    docs, report = do_import(src, tmp_path / "w" / "deep")
    item = docs["regulation.yaml"]["sections"][1]["children"][0]["children"][0]
    assert (item["text"], item["paragraphs"]) == ("登记隐患：", ["（1）写明地点；", "（2）写明时限。"])
    assert "“（1）”位于第三级（目）之下" in report
    assert validate(tmp_path / "w" / "deep").errors == []


def test_articles_after_outline_items_still_load(tmp_path: Path) -> None:
    # Found by the property test: 一、/（二）/4. then 第七条 made a four-level statute that did not load.
    src = tmp_path / "mixed.txt"
    src.write_text("一、产\n（二）产\n4.产\n第七条 产\n", encoding="utf-8")
    do_import(src, tmp_path / "w" / "mixed")
    assert validate(tmp_path / "w" / "mixed").errors == []


def test_regulation_as_first_of_two_attachments(tmp_path: Path) -> None:
    src = tmp_path / "two.txt"
    src.write_text(
        "某街道办事处文件\n某街发〔2024〕5号\n关于印发《某街道安全生产责任制度》的通知\n各社区：\n"
        "现将有关文件印发给你们，请遵照执行。\n附件：1.某街道安全生产责任制度\n　　　2.某街道安全生产联络员名单\n"
        "某街道办事处\n2024年5月6日\n附件1\n某街道安全生产责任制度\n一、社区的职责\n（一）每月开展一次安全检查。\n"
        "附件2\n某街道安全生产联络员名单\n张某某　东关社区\n某街道党政办公室　　2024年5月6日印发\n",
        encoding="utf-8",
    )
    out = tmp_path / "w" / "two"
    docs, report = do_import(src, out)
    n = docs["notice.yaml"]
    assert n["attachments"] == [
        {"name": "某街道安全生产责任制度", "regulation": True},
        {"name": "某街道安全生产联络员名单"},
    ]
    assert n["regulation_placement"] == "attachment"
    assert (
        "张某某" not in str(docs["regulation.yaml"])
        and "其他附件的内容，未导入制度：“张某某　东关社区”" in report
    )
    assert main(["build", str(out), "-o", str(tmp_path / "b"), "--format", "md,docx", "-q"]) == 0
    md = (tmp_path / "b" / "two" / "notice.md").read_text(encoding="utf-8")
    assert "附件：1.某街道安全生产责任制度\n\n　　　2.某街道安全生产联络员名单" in md
    docx = _docx_text(tmp_path / "b" / "two" / "notice.docx")
    assert "附件：1.某街道安全生产责任制度" in docx and "附件1某街道安全生产责任制度" in docx


def test_import_into_a_version_folder_names_work_and_version_from_the_layout(tmp_path: Path) -> None:
    # policy/NAME/VERSION/ is the layout of a policy with versions: the work is NAME, never "W-2019-2".
    docs, _report = do_import(CORPUS / "01-street-statute-chapters.txt", tmp_path / "yeyuan-aqsc" / "2019.2")
    reg = docs["regulation.yaml"]
    assert (reg["work"], reg["version"]["id"]) == ("YEYUAN-AQSC", "2019.2")
    docs, _report = do_import(CORPUS / "01-street-statute-chapters.txt", tmp_path / "w" / "yeyuan-aqsc")
    assert (docs["regulation.yaml"]["work"], docs["regulation.yaml"]["version"]["id"]) == (
        "YEYUAN-AQSC",
        "2019.1",
    )


def test_draft_statute_outputs_all_carry_the_consultation_mark(tmp_path: Path) -> None:
    import zipfile

    work = tmp_path / "src"
    do_import(CORPUS / "01-street-statute-chapters.txt", work / "yeyuan" / "2019.1")
    (work / "yeyuan" / "parties.yaml").write_text(
        "communities:\n  - id: C-01\n    name: 东关社区\n", encoding="utf-8"
    )
    reg = work / "yeyuan" / "2019.1" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    text = re.sub(r"  status: issued.*\n  issued: 2019-08-20\n", "  status: draft\n", text)
    reg.write_text(text, encoding="utf-8")
    assert main(["build", str(work), "-o", str(tmp_path / "b"), "--format", "docx", "-q"]) == 0
    built = sorted((tmp_path / "b").rglob("*.docx"))
    assert len(built) == 1 + 1 + 5 + 5  # notice, duty list, five cards, one community's five checklists
    for path in built:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
            printed = "".join(
                z.read(n).decode("utf-8")
                for n in z.namelist()
                if n.startswith("word/") and n.endswith(".xml")
            )
        assert "（征求意见稿）</dc:title>" in core, path.name
        assert "征求意见稿" in printed, path.name
    notice = _docx_text(tmp_path / "b" / "yeyuan" / "2019.1" / "notice.docx")
    assert notice.startswith("征求意见稿") and "第十条　本规定自印发之日起施行" in notice


@pytest.mark.render
def test_draft_statute_prints_the_mark_on_every_page_and_no_extra_page(tmp_path: Path) -> None:
    """The statute-style regulation imported as a draft, through LibreOffice: the notice shows 征求意见稿 at the
    top left of its first page (版头), every page of its cards, duty list and checklists at the top right, and
    none of them takes a page more than the issued import."""
    import io

    import pdfplumber

    from tests.render.test_draft_mark import header_mark, marks, others
    from zhidu.render.pdf import convert_batch

    built: dict[str, Path] = {}
    for status in ("issued", "draft"):
        work = tmp_path / status
        do_import(CORPUS / "01-street-statute-chapters.txt", work / "yeyuan" / "2019.1")
        (work / "yeyuan" / "parties.yaml").write_text(
            "communities:\n  - id: C-01\n    name: 东关社区\n", encoding="utf-8"
        )
        if status == "draft":
            reg = work / "yeyuan" / "2019.1" / "regulation.yaml"
            text = reg.read_text(encoding="utf-8")
            reg.write_text(
                re.sub(r"  status: issued.*\n  issued: 2019-08-20\n", "  status: draft\n", text),
                encoding="utf-8",
            )
        out = tmp_path / f"b-{status}"
        assert main(["build", str(work), "-o", str(out), "--format", "docx", "-q"]) == 0
        for path in sorted(out.rglob("*.docx")):
            built[f"{status}/{path.relative_to(out / 'yeyuan' / '2019.1')}"] = path
    pdfs = convert_batch([(k.replace("/", "_"), p.read_bytes()) for k, p in built.items()])
    names = sorted(k.split("/", 1)[1] for k in built if k.startswith("draft/"))
    assert len(names) == 1 + 1 + 5 + 5
    for name in names:
        pdf = {
            s: pdfplumber.open(
                io.BytesIO(pdfs[f"{s}/{name}".replace("/", "_").removesuffix(".docx") + ".pdf"])
            )
            for s in ("issued", "draft")
        }
        assert len(pdf["draft"].pages) == len(pdf["issued"].pages), name
        assert not [m for page in pdf["issued"].pages for m in marks(page)], name
        pages = pdf["draft"].pages[:1] if name == "notice.docx" else pdf["draft"].pages
        for n, page in enumerate(pages, start=1):
            head = header_mark(page)
            where = (name, n, round(head["x0"] / 72 * 25.4, 1), round(head["top"] / 72 * 25.4, 1))
            assert abs(head["size"] - 16) < 0.1 and "Hei" in head["font"], where
            if name == "notice.docx":
                # The 版头's first line, flush left in the type area, above the 发文机关标志.
                assert head["x0"] < page.width * 0.25, where
                assert all(c["top"] >= head["bottom"] for c in others(page, head)), where
                continue
            assert head["x0"] > page.width * 0.6 and head["bottom"] < page.height / 10, where
            for c in others(page, head):
                middle = (c["top"] + c["bottom"]) / 2
                if head["top"] <= middle <= head["bottom"]:
                    assert c["x1"] <= head["x0"], (where, c["text"])
                else:
                    assert c["top"] >= head["bottom"], (where, c["text"])


@pytest.mark.parametrize(
    ("name", "item", "wording"),
    [
        (
            "05-county-leader-list.txt",
            "县长:对全县",
            "对全县安全生产工作负全面领导责任，每季度至少研究一次安全生产工作。",
        ),
        (
            "14-duty-headings-colon.txt",
            "镇长主要职责是：",
            "对全镇安全生产工作负全面领导责任，每季度至少主持召开一次安全生产委员会会议。",
        ),
    ],
)
def test_item_naming_its_role_gives_the_duty_the_words_after_it(
    name: str, item: str, wording: str, tmp_path: Path
) -> None:
    # The provision keeps the source text; the duty (cards, duty list) does not repeat the role's name.
    docs, _report = do_import(CORPUS / name, tmp_path / "w" / "r")
    p = next(p for p in _all(docs["regulation.yaml"]["sections"]) if p["text"].startswith(item))
    assert p["text"].endswith(wording) and p["duties"][0]["text"] == wording


def _all(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [x for s in sections for x in [s, *_all(s.get("children", []))]]
