"""The checklist product: which duties land on which sheet, period pre-filling, safe paths, formats."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT
from zhidu.build import BuildOptions, build
from zhidu.errors import UsageError
from zhidu.model import Policy
from zhidu.period import parse_periods
from zhidu.render import RenderContext
from zhidu.render.docx import DocxRenderer
from zhidu.render.html import HtmlRenderer
from zhidu.render.markdown import MarkdownRenderer
from zhidu.views import PlanOptions, View, plan
from zhidu.views.checklist import LEDGER_COLUMNS, ChecklistView, checklist_duties

KINDS_CASE = CASES / "checklist-kinds"
SEED_WORK = ROOT / "policy" / "gongyuan-aqsc"
#: Seed duties owned by 社区, 网格员 or 社区主要负责人, as listed in 东公政发〔2024〕27号 sections 五、六、八.
SEED_WEEKLY = ["D-06-01", "D-06-03"]
SEED_OCCASIONAL = ["D-05-01", "D-05-02", "D-05-03", "D-05-04", "D-05-05", "D-05-06", "D-06-02", "D-06-04"]


def checklists(policy: Policy, periods: str | None = None) -> list[View]:
    parsed = parse_periods(periods) if periods else None
    return plan(policy, PlanOptions(periods=parsed), products=["checklist"])


def data(view: View) -> ChecklistView:
    assert isinstance(view.data, ChecklistView)
    return view.data


def ids(view: View) -> list[list[str]]:
    return [[i.duty_id for i in s.items] for s in data(view).sections]


def render(
    view: View, policy: Policy, renderer: type[MarkdownRenderer] | type[HtmlRenderer] | type[DocxRenderer]
) -> bytes:
    [art] = renderer().render(view, RenderContext(policy=policy))
    assert art.path == view.name + renderer.suffix
    return art.data


def document_xml(docx: bytes) -> str:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


# ------------------------------------------------------------------------------------------ planning


def test_seed_plans_blank_templates_for_every_kind_from_the_week_up(seed_policy: Policy) -> None:
    views = checklists(seed_policy)
    kinds = ("week", "month", "quarter", "half_year", "year")
    assert [v.name for v in views[:5]] == [f"checklists/C-01-示例一社区/{k}" for k in kinds]
    assert len(views) == 4 * 5
    assert views[0].title == "示例一社区安全生产周检查表"
    assert all(v.product == "checklist" and v.stamp.version == "2024.1" for v in views)


def test_seed_week_rows_weekly_then_occasional_numbered_through(seed_policy: Policy) -> None:
    for view in checklists(seed_policy, "2024-W23"):
        assert ids(view) == [SEED_WEEKLY, SEED_OCCASIONAL]
        v = data(view)
        assert [i.no for s in v.sections for i in s.items] == list(range(1, 11))
        weekly, occasional = v.sections
        assert weekly.heading == "本周检查事项" and weekly.columns == ("完成情况",)
        assert [i.cells for i in weekly.items] == [("☐已做 ☐未做",)] * 2
        assert occasional.heading.startswith("随时事项")
        assert {i.cells for i in occasional.items} == {("☐已做 ☐无",)}
        assert [i.frequency for i in weekly.items] == ["每周", "每周"]
        first = weekly.items[0]
        assert (first.title, first.owner, first.citation, first.evidence) == (
            "走访个体工商户（企业）",
            "网格员",
            "六（一）",
            "—",
        )
        assert weekly.items[1].evidence == "隐患排查表"
        assert weekly.items[1].source_line == "网格员｜六（三）｜记录：隐患排查表"
        by_id = {i.duty_id: i for i in occasional.items}
        assert by_id["D-05-05"].frequency == "事发即办"
        assert by_id["D-05-05"].evidence == "重大事故应急救援预案、演练记录"


def test_accountability_clauses_never_become_check_items(seed_policy: Policy) -> None:
    # D-08-03 is written inside 八（三）, a 追责 clause; its checklist: true is a lint finding (I125).
    duty = next(d for _p, _x, d in seed_policy.duties() if d.id == "D-08-03")
    assert duty.checklist
    for view in checklists(seed_policy, "2024-W23,2024-07,2024-Q3"):
        assert "D-08-03" not in {i for sec in ids(view) for i in sec}


def test_seed_header_names_the_community_and_its_grid_workers(seed_policy: Policy) -> None:
    v = data(checklists(seed_policy)[0])
    assert (v.community_id, v.community, v.leader, v.safety_officer) == (
        "C-01",
        "示例一社区",
        "示例书记甲",
        "示例安全干事甲",
    )
    assert v.grid_workers == ("示例网格员甲（第1网格）", "示例网格员乙（第2网格）", "示例网格员丙（第3网格）")
    assert v.example_note == "注：本表社区和人员为示例数据，使用前须由街道办事处替换。"
    assert v.ledger_columns == LEDGER_COLUMNS
    for col in ("隐患地点/单位", "隐患描述", "整改措施", "整改时限", "责任人", "复查人", "销号日期"):
        assert col in v.ledger_columns
    assert any(c.startswith("隐患等级") for c in v.ledger_columns) and v.ledger_grade == "一般\n重大"
    assert v.signoff == ("检查人（签字）", "社区负责人（签字）", "日期")


def test_every_community_duty_is_on_every_community_sheet(seed_policy: Policy) -> None:
    wanted = {s.duty.id for s in checklist_duties(seed_policy)}
    assert wanted == set(SEED_WEEKLY + SEED_OCCASIONAL)
    for view in checklists(seed_policy, "2024-W23"):
        on_sheet = [i for sec in ids(view) for i in sec]
        assert sorted(on_sheet) == sorted(wanted)


def test_inspection_points_print_under_the_duty_they_serve_by_place_type(seed_policy: Policy) -> None:
    by_slug = {data(v).community_id: data(v) for v in checklists(seed_policy, "2024-W23")}
    catalogues = {k.id: k for k in seed_policy.catalogues}
    expected = {"C-01": "K-JXCS", "C-02": "K-DDC", "C-03": "K-RQ", "C-04": "K-DDC"}
    for cid, kid in expected.items():
        v = by_slug[cid]
        visit = v.sections[0].items[0]
        assert visit.duty_id == "D-06-01"
        assert [p.text for p in visit.points] == [x.text for x in catalogues[kid].points]
        assert [p.no for p in visit.points] == [f"1.{n}" for n in range(1, len(visit.points) + 1)]
        assert {p.cells for p in visit.points} == {("☐是 ☐否",)}
        # Only the duty the catalogue serves carries points; the source is named on the sheet.
        assert all(not i.points for s in v.sections for i in s.items if i.duty_id != "D-06-01")
        assert len(v.sources) == 1 and v.sources[0].startswith(catalogues[kid].title + "依据：")
    assert "《中华人民共和国消防法》" in by_slug["C-01"].sources[0]
    assert "应急管理部令第5号" in by_slug["C-02"].sources[0]


def test_month_sheet_ticks_weekly_items_per_iso_week(seed_policy: Policy) -> None:
    v = data(checklists(seed_policy, "2024-07")[0])
    weekly, _occasional = v.sections
    # July 2024 holds the ISO weeks whose Thursday is in July: 27 to 30 (week 31's Thursday is 1 August).
    assert weekly.columns == ("第27周\n7/1-7", "第28周\n7/8-14", "第29周\n7/15-21", "第30周\n7/22-28")
    assert [i.duty_id for i in weekly.items] == SEED_WEEKLY
    assert all(i.cells == ("☐",) * 4 for i in weekly.items)
    assert all(p.cells == ("☐",) * 4 for p in weekly.items[0].points)
    assert sum(weekly.widths_mm) == 175
    assert v.period_text == "2024年7月1日—7月31日（2024年7月）" and v.code == "2024-07"
    assert v.title == "示例一社区安全生产月检查表"
    dec = data(checklists(seed_policy, "2024-09")[0]).sections[0].columns
    # Week 40 (30 September to 6 October) has its Thursday in October: it is October's.
    assert dec[0] == "第36周\n9/2-8" and dec[-1] == "第39周\n9/23-29"
    assert data(checklists(seed_policy, "2024-12")[0]).sections[0].columns[-1] == "第52周\n12/23-29"
    assert data(checklists(seed_policy, "2024-10")[0]).sections[0].columns[0] == "第40周\n9/30-10/6"


def test_quarter_sheet_counts_finer_items_by_month(seed_policy: Policy) -> None:
    v = data(checklists(seed_policy, "2024-Q3")[0])
    summary, _occasional = v.sections
    assert summary.tally and summary.columns == ("7月", "8月", "9月")
    assert [i.duty_id for i in summary.items] == SEED_WEEKLY
    assert all(i.cells == ("__次",) * 3 and not i.points for i in summary.items)
    year = data(checklists(seed_policy, "2024")[0]).sections[0]
    assert year.columns == tuple(f"{m}月" for m in range(1, 13)) and sum(year.widths_mm) == 175


def test_every_period_kind_gets_its_own_sheet(load_case: Callable[[Path], Policy]) -> None:
    policy = load_case(KINDS_CASE)
    views = checklists(policy)
    c01 = [v for v in views if data(v).community_id == "C-01"]
    assert [v.name for v in c01] == [
        f"checklists/C-01-示例社区/{k}" for k in ("week", "month", "quarter", "half_year", "year")
    ]
    occasional = ["D-02-05", "D-02-06", "D-03-03"]
    assert [ids(v) for v in c01] == [
        [["D-03-01"], occasional],
        [["D-03-01"], ["D-02-02", "D-04-01"], occasional],
        [["D-02-01"], ["D-02-02", "D-03-01", "D-04-01"], occasional],
        [["D-02-03"], ["D-02-01", "D-02-02", "D-03-01", "D-04-01"], occasional],
        [["D-02-04"], ["D-02-01", "D-02-02", "D-02-03", "D-03-01", "D-04-01"], occasional],
    ]
    month = data(c01[1])
    assert month.sections[1].heading == "本月检查事项"
    assert [i.frequency for i in month.sections[1].items] == ["每月≥2次", "每月≥1次"]
    # 每月至少2次: one box and a date for each time.
    assert month.sections[1].items[0].cells == ("☐第1次 __日\n☐第2次 __日",)
    assert [i.owner for i in month.sections[1].items] == ["社区", "安监站驻社区人员"]
    occ = {i.duty_id: i for i in month.sections[2].items}
    assert occ["D-02-05"].frequency == "重大节日、重要时期"
    assert occ["D-03-03"].frequency == "事发即办"
    assert occ["D-02-06"].owner == "社区"
    titles = [data(v).title for v in c01]
    assert titles == [f"示例社区安全生产{k}检查表" for k in ("周", "月", "季度", "半年", "年度")]


def test_event_duties_are_dated_from_the_calendar(load_case: Callable[[Path], Policy]) -> None:
    policy = load_case(KINDS_CASE)
    # calendar.yaml: 国庆节 (重大节日) 2024-10-01..07 falls in week 40; week 23 has no listed event.
    w40 = data(checklists(policy, "2024-W40")[0])
    assert [s.heading for s in w40.sections][1] == "本期重要时段事项（国庆节10月1日—10月7日）"
    assert [i.duty_id for i in w40.sections[1].items] == ["D-02-05"]
    assert "D-02-05" not in [i.duty_id for i in w40.sections[-1].items]
    w23 = data(checklists(policy, "2024-W23")[0])
    assert "D-02-05" in [i.duty_id for i in w23.sections[-1].items]


def test_excluded_duties_never_appear(load_case: Callable[[Path], Policy]) -> None:
    policy = load_case(KINDS_CASE)
    on_any = {i for v in checklists(policy) for sec in ids(v) for i in sec}
    # D-01-01: leader only; D-01-02: a department not acting per community; D-03-02: checklist: false.
    assert on_any.isdisjoint({"D-01-01", "D-01-02", "D-03-02"})


def test_no_parties_no_checklists(seed_policy: Policy) -> None:
    from dataclasses import replace

    assert checklists(replace(seed_policy, parties=None)) == []


# ------------------------------------------------------------------------------------------ periods


def test_period_names_the_file_and_dates_the_sheet(seed_policy: Policy) -> None:
    views = checklists(seed_policy, "2024-W23..2024-W26,2024-07,2024-Q3,2024-H2,2024")
    c01 = [v for v in views if data(v).community_id == "C-01"]
    assert [v.name.rsplit("/", 1)[1] for v in c01] == [
        "2024-W23",
        "2024-W24",
        "2024-W25",
        "2024-W26",
        "2024-07",
        "2024-Q3",
        "2024-H2",
        "2024",
    ]
    texts = [data(v).period_text for v in c01]
    assert texts[0] == "2024年6月3日—6月9日（2024年第23周）"
    assert texts[5] == "2024年7月1日—9月30日（2024年第三季度）"
    assert all(data(v).period_filled for v in c01)
    blank = data(checklists(seed_policy)[0])
    assert (blank.period_text, blank.period_filled) == ("____年__月__日—__月__日（第____周）", False)


def test_bad_period_is_a_usage_error(seed_policy: Policy) -> None:
    with pytest.raises(UsageError, match="2024-W60"):
        checklists(seed_policy, "2024-W60")


# ------------------------------------------------------------------------------------------ naming


def test_awkward_community_names_give_distinct_safe_paths(load_case: Callable[[Path], Policy]) -> None:
    views = checklists(load_case(KINDS_CASE))
    names = [v.name for v in views]
    assert len(set(names)) == len(names) == 25
    folders = list(dict.fromkeys(n.split("/")[1] for n in names))
    assert folders[:3] == ["C-01-示例社区", "C-02-示例社区", "C-03-上级_社区_x"]
    assert folders[4] == "C-05-_CON"
    assert folders[3].startswith("C-04-很长的社区名称") and len(folders[3].encode()) <= 120
    for n in names:
        parts = n.split("/")
        assert len(parts) == 3 and all(p and not p.startswith(".") and ".." not in p for p in parts)


def test_build_writes_awkward_names_inside_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "src" / "ck"
    version = src / "1.0"
    shutil.copytree(KINDS_CASE, version)
    out = tmp_path / "build"
    result = build(BuildOptions(source=src, out=out, formats=["md"], products=["checklist"]))
    assert not result.report.errors
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert len(files) == 25
    assert "1.0/checklists/C-03-上级_社区_x/week.md" in files
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


# ------------------------------------------------------------------------------------------ formats


def test_golden_markdown_for_every_seed_community(
    seed_policy: Policy, golden: Callable[[str, str], None]
) -> None:
    for view in checklists(seed_policy, "2024-W23"):
        golden(f"checklist/{data(view).slug}/week.md", render(view, seed_policy, MarkdownRenderer).decode())
    blank = checklists(seed_policy)[0]
    golden("checklist/C-01-示例一社区/week-blank.md", render(blank, seed_policy, MarkdownRenderer).decode())
    for period in ("2024-07", "2024-Q3"):
        view = checklists(seed_policy, period)[0]
        golden(f"checklist/C-01-示例一社区/{period}.md", render(view, seed_policy, MarkdownRenderer).decode())


def test_golden_html_and_docx(seed_policy: Policy, golden: Callable[[str, str], None]) -> None:
    view = checklists(seed_policy, "2024-W23")[0]
    golden("checklist/C-01-示例一社区/week.html", render(view, seed_policy, HtmlRenderer).decode())
    golden("checklist/C-01-示例一社区/week.docx.xml", document_xml(render(view, seed_policy, DocxRenderer)))


def test_golden_other_kinds(load_case: Callable[[Path], Policy], golden: Callable[[str, str], None]) -> None:
    policy = load_case(KINDS_CASE)
    for view in checklists(policy, "2024-W40,2024-10,2024-Q4,2024-H2,2024"):
        if data(view).community_id == "C-01":
            golden(f"checklist/kinds/{data(view).kind}.md", render(view, policy, MarkdownRenderer).decode())


def test_markdown_and_html_carry_everything_printed(seed_policy: Policy) -> None:
    view = checklists(seed_policy, "2024-W23")[0]
    v = data(view)
    for raw in (render(view, seed_policy, MarkdownRenderer), render(view, seed_policy, HtmlRenderer)):
        text = raw.decode()
        for needle in (
            v.title,
            v.period_text,
            *v.grid_workers,
            *v.sections[0].header,
            *LEDGER_COLUMNS,
            "隐患台账",
            "随时事项",
            *v.signoff,
            *v.sources,
            view.stamp.code,
            "以最新版本为准",
        ):
            assert needle in text, needle
        for item in (i for s in v.sections for i in s.items):
            assert item.title in text
            for p in item.points:
                assert p.text in text


def test_docx_structure(seed_policy: Policy) -> None:
    import docx

    view = checklists(seed_policy, "2024-W23")[0]
    v = data(view)
    raw = render(view, seed_policy, DocxRenderer)
    assert raw == render(view, seed_policy, DocxRenderer), "docx bytes must not depend on the run"
    doc = docx.Document(io.BytesIO(raw))
    check, ledger = doc.tables
    assert [c.text for c in check.rows[0].cells] == ["序号", "检查事项", "频次", "完成情况", "备注"]
    points = sum(len(i.points) for s in v.sections for i in s.items)
    assert len(check.rows) == 1 + 2 + 10 + points
    assert check.rows[2].cells[1].text == "走访个体工商户（企业）\n网格员｜六（一）"
    assert check.rows[2].cells[3].text == "☐已做 ☐未做"
    assert check.rows[3].cells[0].text == "1.1" and check.rows[3].cells[3].text == "☐是 ☐否"
    assert [c.text for c in ledger.rows[0].cells] == list(LEDGER_COLUMNS)
    assert [r.cells[0].text for r in ledger.rows[1:]] == [str(n) for n in v.ledger_rows]
    assert len(v.ledger_rows) >= 3
    body = "\n".join(p.text for p in doc.paragraphs)
    assert v.title in body and "示例网格员乙（第2网格）" in body and "2024年6月3日—6月9日" in body
    assert "检查人（签字）：\t　社区负责人（签字）：\t　日期：\t" in body
    assert doc.sections[0].footer.paragraphs[0].text == view.stamp.line
    assert doc.core_properties.identifier == view.stamp.code
    # Every tick box is set in the box face at the size measured to print 4 mm squares.
    xml = document_xml(raw)
    assert 'w:ascii="DejaVu Sans"' in xml and '<w:sz w:val="34"/>' in xml


def test_docx_sheets_share_a_template_but_not_their_headers(seed_policy: Policy) -> None:
    from dataclasses import replace

    import docx

    first, second = checklists(seed_policy, "2024-W23")[:2]
    odd = replace(
        data(first),
        community="甲&乙<社区>",
        title="甲&乙<社区>安全生产周检查表",
        leader=" 前后空格 ",
        grid_workers=(),
    )
    views = [first, second, replace(first, data=odd, title=odd.title)]
    docs = [docx.Document(io.BytesIO(render(v, seed_policy, DocxRenderer))) for v in views]
    heads = [[p.text for p in d.paragraphs[:4]] for d in docs]
    assert heads[0][:2] == [
        "示例一社区安全生产周检查表",
        "社　　区：示例一社区　负责人：示例书记甲　安全干事：示例安全干事甲",
    ]
    assert heads[1][:3] == [
        "示例二社区安全生产周检查表",
        "社　　区：示例二社区　负责人：示例书记乙　安全干事：示例安全干事乙",
        "网 格 员：示例网格员丁（第1网格）、示例网格员戊（第2网格）",
    ]
    assert heads[2][:3] == [
        "甲&乙<社区>安全生产周检查表",
        "社　　区：甲&乙<社区>　负责人： 前后空格 　安全干事：示例安全干事甲",
        "网 格 员：＿＿＿＿＿＿＿＿",
    ]
    assert [d.core_properties.title for d in docs] == [heads[0][0], heads[1][0], heads[2][0]]
    assert docs[1].core_properties.subject == "示例二社区（C-02）"
    # Everything below the header is the same document.
    tables = [[[c.text for c in r.cells] for t in d.tables for r in t.rows] for d in docs]
    assert tables[0] == tables[2]
    # C-02 has 住宅小区 instead of 九小场所: other inspection points and so another ledger length, same duties.
    duty_rows = [[r for r in t if r[0].isdigit() and "." not in r[0] and r[1]] for t in tables]
    assert duty_rows[0][:10] == duty_rows[1][:10]
