"""The checklist product: which duties land on which sheet, period pre-filling, safe paths, formats."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT
from zhidu.build import BuildOptions, build
from zhidu.errors import UsageError
from zhidu.model import Policy
from zhidu.period import parse_period
from zhidu.render import RenderContext
from zhidu.render.docx import DocxRenderer
from zhidu.render.html import HtmlRenderer
from zhidu.render.markdown import MarkdownRenderer
from zhidu.views import PlanOptions, View, plan
from zhidu.views.checklist import CHECK_COLUMNS, LEDGER_COLUMNS, ChecklistView, checklist_duties

KINDS_CASE = CASES / "checklist-kinds"
SEED_WORK = ROOT / "policy" / "gongyuan-aqsc"
#: Seed duties owned by 社区, 网格员 or 社区主要负责人, as listed in 东公政发〔2024〕27号 sections 五、六、八.
SEED_WEEKLY = ["D-06-01", "D-06-03"]
SEED_OCCASIONAL = [
    "D-05-01",
    "D-05-02",
    "D-05-03",
    "D-05-04",
    "D-05-05",
    "D-05-06",
    "D-06-02",
    "D-06-04",
    "D-08-03",
]


def checklists(policy: Policy, period: str | None = None) -> list[View]:
    parsed = parse_period(period) if period else None
    return plan(policy, PlanOptions(period=parsed), products=["checklist"])


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


def test_seed_plans_one_weekly_checklist_per_community(seed_policy: Policy) -> None:
    views = checklists(seed_policy)
    assert [v.name for v in views] == [
        "checklists/C-01-示例一社区/week",
        "checklists/C-02-示例二社区/week",
        "checklists/C-03-示例三社区/week",
        "checklists/C-04-示例四社区/week",
    ]
    assert views[0].title == "示例一社区安全生产周检查表"
    assert all(v.product == "checklist" and v.stamp.version == "2024.1" for v in views)


def test_seed_rows_weekly_then_occasional_numbered_through(seed_policy: Policy) -> None:
    for view in checklists(seed_policy):
        assert ids(view) == [SEED_WEEKLY, SEED_OCCASIONAL]
        v = data(view)
        assert [i.no for s in v.sections for i in s.items] == list(range(1, 12))
        weekly, occasional = v.sections
        assert weekly.heading == "周检查事项" and weekly.check == ("☐完成", "☐未完成")
        assert occasional.heading.startswith("随时事项")
        assert [i.frequency for i in weekly.items] == ["每周", "每周"]
        first = weekly.items[0]
        assert (first.title, first.owner, first.citation, first.evidence) == (
            "走访个体工商户（企业）",
            "网格员",
            "第六部分第（一）项",
            "—",
        )
        assert weekly.items[1].evidence == "隐患排查表"
        by_id = {i.duty_id: i for i in occasional.items}
        assert by_id["D-05-05"].frequency == "事发即办"
        assert by_id["D-05-05"].evidence == "重大事故应急救援预案、演练记录"
        # A per_community role of kind leader still belongs on the sheet.
        assert by_id["D-08-03"].owner == "社区主要负责人（党支部书记）"


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
    assert v.ledger_columns == (
        "序号",
        "隐患描述",
        "发现日期",
        "整改时限",
        "整改责任人",
        "整改情况",
        "销号日期",
    )
    assert v.signoff == ("检查人（签字）：", "社区负责人（签字）：", "日期：____年__月__日")


def test_every_community_duty_is_on_every_community_sheet(seed_policy: Policy) -> None:
    # domain.md §13: every community-level checklist duty appears on every community's checklist.
    wanted = {s.duty.id for s in checklist_duties(seed_policy)}
    roles = {r.id: r for r in seed_policy.roles}
    expected = set()
    for path, _prov, duty in seed_policy.duties():
        owners = [roles[o] for o in seed_policy.owners_of(path, duty)]
        if duty.checklist and any(r.kind in ("community", "grid_worker") or r.per_community for r in owners):
            expected.add(duty.id)
    assert wanted == expected == set(SEED_WEEKLY + SEED_OCCASIONAL)
    for view in checklists(seed_policy):
        on_sheet = [i for sec in ids(view) for i in sec]
        assert sorted(on_sheet) == sorted(wanted)


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
        [["D-02-02", "D-04-01"], occasional],
        [["D-02-01"], occasional],
        [["D-02-03"], occasional],
        [["D-02-04"], occasional],
    ]
    month = data(c01[1])
    assert month.sections[0].heading == "月检查事项"
    assert [i.frequency for i in month.sections[0].items] == ["每月≥2次", "每月≥1次"]
    assert [i.owner for i in month.sections[0].items] == ["社区", "安监站驻社区人员"]
    occ = {i.duty_id: i for i in month.sections[1].items}
    assert occ["D-02-05"].frequency == "重大节日、重要时期"
    assert occ["D-03-03"].frequency == "事发即办"
    # Shared with a leader: only the community-level owner is named on the sheet.
    assert occ["D-02-06"].owner == "社区"
    titles = [data(v).title for v in c01]
    assert titles == [f"示例社区安全生产{k}检查表" for k in ("周", "月", "季度", "半年", "年度")]


def test_excluded_duties_never_appear(load_case: Callable[[Path], Policy]) -> None:
    policy = load_case(KINDS_CASE)
    on_any = {i for v in checklists(policy) for sec in ids(v) for i in sec}
    # D-01-01: leader only; D-01-02: a department not acting per community; D-03-02: checklist: false.
    assert on_any.isdisjoint({"D-01-01", "D-01-02", "D-03-02"})


def test_no_parties_no_checklists(seed_policy: Policy) -> None:
    from dataclasses import replace

    assert checklists(replace(seed_policy, parties=None)) == []


# ------------------------------------------------------------------------------------------ periods


def test_period_prefills_dates(seed_policy: Policy, load_case: Callable[[Path], Policy]) -> None:
    assert data(checklists(seed_policy, "2024-W23")[0]).period_text == "2024年6月3日—6月9日（2024年第23周）"
    assert data(checklists(seed_policy, "2024-W23")[0]).period_filled
    blank = data(checklists(seed_policy)[0])
    assert (blank.period_text, blank.period_filled) == ("____年__月__日—__月__日（第____周）", False)
    # A month cannot date a weekly sheet: blank lines, with the month as a hint.
    june = data(checklists(seed_policy, "2024-06")[0])
    assert (june.period_text, june.period_filled) == (
        "____年__月__日—__月__日（第____周）（属2024年6月）",
        False,
    )

    policy = load_case(KINDS_CASE)
    by_kind = {
        data(v).kind: data(v).period_text
        for v in checklists(policy, "2024-06")
        if data(v).community_id == "C-01"
    }
    assert by_kind == {
        "week": "____年__月__日—__月__日（第____周）（属2024年6月）",
        "month": "2024年6月1日—6月30日（2024年6月）",
        "quarter": "2024年4月1日—6月30日（2024年第二季度）",
        "half_year": "2024年1月1日—6月30日（2024年上半年）",
        "year": "2024年1月1日—12月31日（2024年）",
    }
    blank_kinds = {
        data(v).kind: data(v).period_text for v in checklists(policy) if data(v).community_id == "C-01"
    }
    assert blank_kinds == {
        "week": "____年__月__日—__月__日（第____周）",
        "month": "____年__月",
        "quarter": "____年第____季度",
        "half_year": "____年____半年",
        "year": "____年",
    }


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


def test_golden_html_and_docx(seed_policy: Policy, golden: Callable[[str, str], None]) -> None:
    view = checklists(seed_policy, "2024-W23")[0]
    golden("checklist/C-01-示例一社区/week.html", render(view, seed_policy, HtmlRenderer).decode())
    golden("checklist/C-01-示例一社区/week.docx.xml", document_xml(render(view, seed_policy, DocxRenderer)))


def test_golden_other_kinds(load_case: Callable[[Path], Policy], golden: Callable[[str, str], None]) -> None:
    policy = load_case(KINDS_CASE)
    for view in checklists(policy, "2024-W23"):
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
            *CHECK_COLUMNS,
            *LEDGER_COLUMNS,
            "隐患台账",
            "随时事项",
            *v.signoff,
            view.stamp.code,
            "以最新版本为准",
        ):
            assert needle in text, needle
        for item in (i for s in v.sections for i in s.items):
            assert item.title in text


def test_docx_structure(seed_policy: Policy) -> None:
    import docx

    view = checklists(seed_policy, "2024-W23")[0]
    v = data(view)
    raw = render(view, seed_policy, DocxRenderer)
    assert raw == render(view, seed_policy, DocxRenderer), "docx bytes must not depend on the run"
    doc = docx.Document(io.BytesIO(raw))
    check, ledger = doc.tables
    assert [c.text for c in check.rows[0].cells] == list(CHECK_COLUMNS)
    assert len(check.rows) == 1 + 2 + 11
    assert check.rows[2].cells[1].text == "走访个体工商户（企业）\n网格员｜第六部分第（一）项"
    assert check.rows[2].cells[4].text == "☐完成\n☐未完成"
    assert [c.text for c in ledger.rows[0].cells] == list(LEDGER_COLUMNS)
    assert [r.cells[0].text for r in ledger.rows[1:]] == [str(n) for n in v.ledger_rows]
    assert all(c.text == "" for r in ledger.rows[1:] for c in r.cells[1:])
    body = "\n".join(p.text for p in doc.paragraphs)
    assert v.title in body and "示例网格员乙（第2网格）" in body and "2024年6月3日—6月9日" in body
    assert "\t".join(v.signoff) in body
    assert doc.sections[0].footer.paragraphs[0].text == view.stamp.line
    assert doc.core_properties.identifier == view.stamp.code


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
    assert tables[0] == tables[1] == tables[2]


# ------------------------------------------------------------------------------------------ one page

#: The checklist's print CSS as the budget below assumes it; the test asserts these rules first, so a CSS
#: change forces the budget to be revisited.
_CSS = [
    "@page { size: A4; margin: 15mm 15mm 15mm 20mm; }",
    "html { font-size: 10.5pt; line-height: 1.3; }",
    "h1 { font-size: 16pt; line-height: 1.3; margin: 0 0 2mm; }",
    ".meta td { border: none; padding: 0.4mm 0; }",
    ".meta .k { width: 20mm;",
    ".note { font-size: 9pt; margin: 0 0 1.5mm; }",
    "h2 { font-size: 11pt; margin: 2.5mm 0 1mm; }",
    "table.grid { table-layout: fixed; width: 175mm; line-height: 1.2; }",
    "table.grid th, table.grid td { padding: 0.6mm 1.2mm; }",
    "td .src { display: block; font-size: 8pt; color: #333; }",
    "td.check { font-size: 9pt; white-space: nowrap; }",
    "tr.sub th { text-align: left; font-size: 10pt; }",
    "tr.blank td { height: 7.5mm; }",
    ".sign { display: flex; justify-content: space-between; margin: 3mm 0 1mm; }",
    ".stamp { margin-top: 3mm; font-size: 7pt; line-height: 1.3; }",
]
_PT = 25.4 / 72
PAGE_W, PAGE_H = 210 - 15 - 20, 297 - 15 - 15
LH, LH_TABLE = 1.3, 1.2
#: Vertical and horizontal cell padding plus a generous border allowance (0.5pt collapsed is 0.18 mm).
PAD_V, PAD_H, BORDER = 1.2, 2.4, 0.3


def _width_em(text: str) -> float:
    # Conservative: CJK, full-width and ambiguous-width glyphs (☐ —) one em, everything else 0.6 em.
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.6 for c in text)


def _h(text: str, width_mm: float, size_pt: float, lh: float = LH_TABLE) -> float:
    lines = max(1, math.ceil(_width_em(text) * size_pt * _PT / width_mm))
    return lines * size_pt * lh * _PT


def html_height_mm(html: str, v: ChecklistView, stamp_line: str) -> float:
    """An upper bound of the printed height of a checklist's HTML, from its CSS and column widths."""
    for rule in _CSS:
        assert rule in html, f"CSS changed, update the one-page budget: {rule}"
    check_cols, ledger_cols = (
        [float(w) for w in re.findall(r'<col style="width:([\d.]+)mm">', g)]
        for g in re.findall(r"<colgroup>(.*?)</colgroup>", html)
    )
    assert sum(check_cols) <= PAGE_W and sum(ledger_cols) <= PAGE_W
    inner = [w - PAD_H - BORDER for w in check_cols]
    height = _h(v.title, PAGE_W, 16, 1.3) + 2
    who = v.community + f"　负责人：{v.leader}　安全干事：{v.safety_officer}"
    height += sum(_h(t, PAGE_W - 20, 10.5, LH) + 0.8 for t in (who, "、".join(v.grid_workers), v.period_text))
    if v.example_note:
        height += _h(v.example_note, PAGE_W, 9, LH) + 1.5
    height += _h("隐患台账", PAGE_W, 11, LH) + 3.5
    height += max(_h(c, w, 10.5) for c, w in zip(v.columns, inner, strict=True)) + PAD_V + BORDER
    for s in v.sections:
        check = " ".join(s.check)
        # nowrap: the tick boxes must fit their column on one line, or they would spill into 备注.
        assert _width_em(check) * 9 * _PT <= inner[4], f"完成情况 too narrow for {check}"
        height += _h(s.heading, PAGE_W - PAD_H, 10) + PAD_V + BORDER
        for i in s.items:
            cells = [
                _h(str(i.no), inner[0], 10.5),
                _h(i.title, inner[1], 10.5) + _h(f"{i.owner}｜{i.citation}", inner[1], 8),
                _h(i.frequency, inner[2], 10.5),
                _h(i.evidence, inner[3], 10.5),
                _h(check, inner[4], 9),
            ]
            height += max(cells) + PAD_V + BORDER
    height += _h("　".join(v.signoff), PAGE_W, 10.5, LH) + 4
    l_inner = [w - PAD_H - BORDER for w in ledger_cols]
    height += max(_h(c, w, 10.5) for c, w in zip(v.ledger_columns, l_inner, strict=True)) + PAD_V + BORDER
    height += len(v.ledger_rows) * (max(7.5, _h("7", l_inner[0], 10.5) + PAD_V) + BORDER)
    height += 3 + 0.2 + 1.5 + _h(stamp_line, PAGE_W, 7, 1.3)
    return height


def test_seed_weekly_html_fits_one_a4_page_by_height_budget(seed_policy: Policy) -> None:
    for period in ("2024-W23", None):
        for view in checklists(seed_policy, period):
            html = render(view, seed_policy, HtmlRenderer).decode()
            need = html_height_mm(html, data(view), view.stamp.line)
            # 3 % for font metrics the budget does not model (its character widths already over-estimate).
            assert need * 1.03 <= PAGE_H, f"{view.name}: {need:.1f} mm > {PAGE_H} mm"


def test_height_budget_notices_an_overfull_page(seed_policy: Policy) -> None:
    from dataclasses import replace

    view = checklists(seed_policy)[0]
    v = data(view)
    html = render(view, seed_policy, HtmlRenderer).decode()
    base = html_height_mm(html, v, view.stamp.line)
    fat = replace(v, ledger_rows=tuple(range(1, 31)))
    assert html_height_mm(html, fat, view.stamp.line) > PAGE_H > base


@pytest.mark.render
def test_seed_weekly_docx_is_one_a4_page_in_libreoffice(seed_policy: Policy) -> None:
    from zhidu.render.pdf import convert_batch

    assert shutil.which("pdfinfo") and shutil.which("pdftotext"), (
        "poppler-utils (pdfinfo, pdftotext) required"
    )
    filled = checklists(seed_policy, "2024-W23")
    blank = checklists(seed_policy)
    docs = [
        (f"{i}/{v.name}.docx", render(v, seed_policy, DocxRenderer))
        for i, v in enumerate([filled[0], blank[2]])
    ]
    pdfs = convert_batch(docs)
    assert len(pdfs) == 2
    for path, pdf in pdfs.items():
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert re.search(r"^Pages:\s+1$", info, re.M), f"{path}:\n{info}"
        # A4 portrait: 595 x 842 pt.
        assert re.search(r"^Page size:\s+595\.\d* x 841\.\d*|^Page size:\s+595\.\d* x 842", info, re.M), info
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        flat = re.sub(r"\s+", "", text)
        assert "隐患台账" in flat and "以最新版本为准" in flat and filled[0].stamp.code in flat
    first = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=pdfs["0/checklists/C-01-示例一社区/week.pdf"],
            capture_output=True,
            check=True,
        ).stdout.decode(),
    )
    assert "示例一社区安全生产周检查表" in first and "2024年6月3日—6月9日" in first
