"""`zhidu export --to xlsx`: the 责任清单 workbook, its drop-downs and print set-up, and how it prints."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT, load_case
from tests.sheet.helpers import export, run
from zhidu.model import Policy
from zhidu.render.xlsx.book import build_workbook
from zhidu.views import make_stamp

Cap = pytest.CaptureFixture[str]
V2 = ROOT / "policy" / "gongyuan-aqsc" / "2024.2"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def test_same_policy_same_bytes(seed_policy: Policy) -> None:
    assert build_workbook(seed_policy, "p") == build_workbook(seed_policy, "p")


def test_duty_sheet_rows_and_cells(tmp_path: Path, capsys: Cap, seed_policy: Policy) -> None:
    book = export(capsys, V2, tmp_path / "v2.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == ["责任清单", "岗位", "法规", "社区", "基本信息", "zhidu_export"]
    ws = wb["责任清单"]
    head = [c.value for c in ws[1]]
    assert head == [
        "编码",
        "章节",
        "岗位",
        "职责",
        "频次",
        "履职记录",
        "依据",
        "纳入检查表",
        "考核",
        "追责",
        "id",
    ]
    ids = [ws.cell(r, 11).value for r in range(2, ws.max_row + 1)]
    assert len(ids) == 67 and ids[0] == "D-01-01" and len(set(ids)) == 67
    r = ids.index("D-01-06") + 2
    row = {head[j]: ws.cell(r, j + 1).value for j in range(len(head))}
    assert row["编码"] == "第一部分第（六）项"
    assert row["章节"] == "一、党工委书记、办事处主任的安全生产职责"
    assert row["岗位"] == "党工委书记、办事处主任"  # inherited from the chapter
    assert row["职责"] == "每月至少1次带队开展安全生产督导检查。"
    assert row["频次"] == "每月至少1次"
    assert row["履职记录"] == "督导检查记录"
    assert row["依据"].split("\n")[0] == "《中华人民共和国安全生产法》"
    assert row["纳入检查表"] == "是"
    assert row["考核"] == "第七部分第（一）项"
    # Roles and communities.
    roles = wb["岗位"]
    assert [c.value for c in roles[2]][:5] == ["党工委书记", "领导", "全面领导责任", None, "否"]
    assert roles.cell(10, 4).value == "社区"  # 网格员's parent by name
    assert wb["社区"].cell(2, 1).value == "示例一社区"
    assert "示例网格员甲（第1网格）" in wb["社区"].cell(2, 4).value
    info = {ws2[0].value: ws2[1].value for ws2 in wb["基本信息"].iter_rows(min_row=2)}
    assert (
        info["发文字号"] == "东公政发〔2024〕41号" and info["版本号"] == "2024.2" and info["状态"] == "已印发"
    )


def test_layout_drop_downs_stamp_and_print_setup(tmp_path: Path, capsys: Cap) -> None:
    book = export(capsys, V2, tmp_path / "v2.xlsx")
    wb = load_workbook(book)
    ws = wb["责任清单"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["K"].hidden, "the id column is hidden"
    assert ws.column_dimensions["D"].width == 50 and ws.column_dimensions["H"].width < 12
    assert ws.cell(2, 4).alignment.wrap_text
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["C"].formula1 == "'岗位'!$A$2:$A$60" and not lists["C"].showErrorMessage
    assert "每月至少1次" in lists["E"].formula1
    assert lists["H"].formula1 == '"是,否"' and lists["H"].showErrorMessage
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize or 0) == 9
    assert ws.print_title_rows == "$1:$1"
    from zhidu.diagnostics import Report
    from zhidu.load.policy import load_policy

    policy = load_policy(V2, Report())
    assert policy is not None
    stamp = make_stamp(policy)
    assert ws.oddFooter.left.text == stamp.line
    assert "东公政发〔2024〕41号" in stamp.line and stamp.code in ws.oddFooter.left.text
    meta = wb["zhidu_export"]
    assert meta.sheet_state == "veryHidden"
    assert [meta.cell(r, 2).value for r in (1, 3, 4)] == ["zhidu-sheet/1", "AQSC-GY", "2024.2"]


def test_one_workbook_per_version_and_the_template(tmp_path: Path, capsys: Cap) -> None:
    code, _, err = run(capsys, "export", str(V2.parent), "--to", "xlsx", "-o", str(tmp_path / "books"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "books").iterdir()) == [
        "AQSC-GY-2024.1-责任清单.xlsx",
        "AQSC-GY-2024.2-责任清单.xlsx",
    ]
    code, _, err = run(capsys, "export", "--template", "-o", str(tmp_path / "t.xlsx"))
    assert code == 0, err
    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames[:3] == ["填写说明", "基本信息", "责任清单"]
    guide = [c.value for c in wb["填写说明"]["A"] if c.value]
    assert guide[0] == "安全生产责任清单填写说明"
    assert any("zhidu new --from" in g for g in guide) and any("请勿合并单元格" in g for g in guide)
    assert wb["责任清单"].max_row == 1
    code, _, err = run(capsys, "export")
    assert code == 2 and "请指定制度目录" in err


@pytest.mark.render
def test_the_list_prints_through_libreoffice(tmp_path: Path, capsys: Cap) -> None:
    """The first sheet printed by Calc: landscape A4, header repeated on each page, the stamp in the footer."""
    import pdfplumber

    from tests.sheet.helpers import calc_resave

    book = export(capsys, V2, tmp_path / "duty-list.xlsx")
    pdf = calc_resave(book, tmp_path / "pdf", to="pdf")
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        assert first.width > first.height and abs(first.width - 841.9) < 1 and abs(first.height - 595.3) < 1
        texts = [p.extract_text() or "" for p in doc.pages]
        # The 职责 column alone, page by page: between the left edges of its header and the next one's.
        column = ""
        for page in doc.pages:
            heads = [w for w in page.extract_words() if w["text"] == "职责"]
            if not heads:
                continue
            head = min(heads, key=lambda w: w["top"])
            xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
            left = max(x for x in xs if x < head["x0"])
            right = min(x for x in xs if x > head["x1"])
            column += page.crop((left, head["bottom"] + 2, right, page.height - 40)).extract_text() or ""
    duty_pages = [t for t in texts if "识别码" in t]
    assert len(duty_pages) >= 2
    for t in duty_pages:
        assert "编码" in t and "职责" in t and "纳入检查" in t, "title row repeated on every page"
        assert "东公政发〔2024〕41号" in t
    # Every duty's wording is printed whole: no row is too short for its wrapped text.
    from zhidu.render.xlsx.cells import duty_cells

    policy = load_case(V2)
    joined = column.replace("\n", "").replace(" ", "")
    cut = [c.id for c in duty_cells(policy) if c.text.replace(" ", "") not in joined]
    assert not cut, f"职责文字未完整打印：{cut}"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "duty-list-xlsx.pdf").write_bytes(pdf.read_bytes())
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(ARTIFACTS / "duty-list-xlsx-page1"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "duty-list-xlsx-page1.png").stat().st_size > 10_000


def test_build_makes_the_workbook_only_when_asked(tmp_path: Path, capsys: Cap) -> None:
    code, _, err = run(capsys, "build", str(V2.parent), "-o", str(tmp_path / "b"), "--format", "xlsx", "-q")
    assert code == 0, err
    books = sorted(p.relative_to(tmp_path / "b").as_posix() for p in (tmp_path / "b").rglob("*.xlsx"))
    assert books == ["2024.1/duty-list.xlsx", "2024.2/duty-list.xlsx"]
    code, out, err = run(capsys, "merge", str(tmp_path / "b" / "2024.2" / "duty-list.xlsx"))
    assert code == 0 and "无需合并" in out, err
    code, _, err = run(capsys, "build", str(V2), "-o", str(tmp_path / "all"), "--product", "duty-list", "-q")
    assert code == 0, err
    assert not list((tmp_path / "all").rglob("*.xlsx")), "a build that names no format makes no workbook"
