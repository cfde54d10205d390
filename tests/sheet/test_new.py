"""`zhidu new --from`: a complete policy from a spreadsheet 责任清单 that an office wrote by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.sheet.helpers import run
from zhidu.sheet.new import read_date

Cap = pytest.CaptureFixture[str]

CHAPTER_1 = "一、镇党委书记、镇长的安全生产职责"
CHAPTER_2 = "二、分管安全生产副镇长的安全生产职责"
CHAPTER_3 = "三、安全生产监督管理站的安全生产职责"
CHAPTER_4 = "四、村（社区）和网格员的安全生产职责"
#: A township's list as its 安委办 keeps it: its own column order and names, a title row, no ids.
DUTIES = [
    # 类别, 责任主体, 责任事项, 工作频次, 履职记录, 法律依据, 列入检查表
    (
        CHAPTER_1,
        "镇党委书记、镇长",
        "贯彻落实上级关于安全生产工作的决策部署，研究解决安全生产重大问题。",
        "",
        "",
        "《安全生产法》",
        "否",
    ),
    (
        CHAPTER_1,
        "镇党委书记、镇长",
        "每季度至少召开1次党委会议研究安全生产工作。",
        "每季度至少1次",
        "会议纪要",
        "《安全生产法》第九条；《地方党政领导干部安全生产责任制规定》",
        "是",
    ),
    (
        CHAPTER_1,
        "镇长",
        "每月至少1次带队开展安全生产督导检查。",
        "每月至少1次",
        "督导检查记录",
        "《内蒙古自治区安全生产条例》",
        "是",
    ),
    (
        CHAPTER_2,
        "分管安全生产副镇长",
        "组织制定全镇年度安全生产工作计划并督促落实。",
        "年度",
        "年度工作计划",
        "《安全生产法》",
        "是",
    ),
    (
        CHAPTER_2,
        "分管安全生产副镇长",
        "在重大节日、重要时期组织开展安全生产大检查。",
        "重大节日、重要时期",
        "检查记录\n隐患整改台账",
        "《内蒙古自治区安全生产条例》",
        "是",
    ),
    (
        CHAPTER_2,
        "分管安全生产副镇长",
        "发生生产安全事故时，立即赶赴现场组织救援并按规定报告。",
        "发生事故时",
        "事故报告",
        "《生产安全事故报告和调查处理条例》第九条",
        "否",
    ),
    (
        CHAPTER_3,
        "安全生产监督管理站",
        "每月至少2次对辖区企业开展安全生产执法检查。",
        "每月至少2次",
        "执法检查记录",
        "《安全生产法》第六十五条",
        "是",
    ),
    (
        CHAPTER_3,
        "安全生产监督管理站",
        "每半年组织1次安全生产应急演练。",
        "每半年至少1次",
        "演练方案\n演练总结",
        "《安全生产法》第八十一条",
        "是",
    ),
    (
        CHAPTER_3,
        "安全生产监督管理站",
        "建立健全安全生产隐患排查治理台账。",
        "",
        "隐患排查治理台账",
        "《安全生产法》",
        "否",
    ),
    (
        CHAPTER_4,
        "村（社区）",
        "每周开展1次辖区安全隐患巡查。",
        "每周",
        "巡查记录",
        "《内蒙古自治区安全生产条例》",
        "是",
    ),
    (
        CHAPTER_4,
        "网格员",
        "每周至少1次入户开展安全宣传和隐患排查，发现隐患立即报告。",
        "每周至少1次",
        "网格巡查日志",
        "《内蒙古自治区安全生产条例》",
        "是",
    ),
]
ROLES = [
    ("镇党委书记", "领导", "全面领导责任", ""),
    ("镇长", "领导", "全面领导责任", ""),
    ("分管安全生产副镇长", "领导", "直接领导责任", ""),
    ("安全生产监督管理站", "部门", "", ""),
    ("村（社区）", "社区", "属地管理责任", ""),
    ("网格员", "网格员", "", "村（社区）"),
]
LAWS = [
    ("中华人民共和国安全生产法", "法律", "安全生产法"),
    ("生产安全事故报告和调查处理条例", "法规", ""),
    ("内蒙古自治区安全生产条例", "法规", ""),
    ("地方党政领导干部安全生产责任制规定", "政策", ""),
]
VILLAGES = [
    ("红旗村", "李建国", "王海", "赵丽（第1网格）、孙强（第2网格）"),
    ("青山社区", "周敏", "吴刚", "郑芳（第1网格）"),
]


def hand_written(path: Path) -> Path:
    """The township's workbook, written cell by cell as a clerk would, not by zhidu export."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "基本信息"
    info.append(["项目", "内容"])
    info.append(["制度标识", "AQSC-QS"])
    info.append(["制度标题", "青山镇安全生产“党政同责、一岗双责”责任制度"])
    info.append(["发文机关", "青山镇人民政府"])
    info.append(["发文字号", "青政发〔2025〕8号"])
    info.append(["成文日期", 45748])  # a date typed as an Excel serial: 2025-04-01
    info.append(["版本号", "2025.1"])
    ws = wb.create_sheet("责任清单")
    ws.append(["青山镇安全生产责任清单"])
    ws.merge_cells("A1:H1")  # a title row across the columns is fine
    ws.append(["序号", "类别", "责任主体", "责任事项", "工作频次", "履职记录", "法律依据", "列入检查表"])
    for i, (chapter, owners, text, freq, evidence, basis, flag) in enumerate(DUTIES, start=1):
        if i == 6:
            ws.append([])  # a blank row between blocks
        ws.append(
            [i, chapter, owners.replace("、", "\u3000、 "), text, freq or None, evidence or None, basis, flag]
        )
    roles = wb.create_sheet("岗位")
    roles.append(["岗位名称", "类别", "责任层级", "上级岗位"])
    for r in ROLES:
        roles.append([x or None for x in r])
    laws = wb.create_sheet("法规")
    laws.append(["法规名称", "位阶", "简称"])
    for x in LAWS:
        laws.append([x[0], x[1], x[2] or None])
    villages = wb.create_sheet("社区")
    villages.append(["社区名称", "负责人", "安全干事", "网格员"])
    for v in VILLAGES:
        villages.append(list(v))
    wb.save(path)
    return path


def test_a_hand_written_list_becomes_a_policy_that_builds_every_product(tmp_path: Path, capsys: Cap) -> None:
    book = hand_written(tmp_path / "青山镇责任清单.xlsx")
    out = tmp_path / "policy" / "qingshan-aqsc"
    code, stdout, err = run(capsys, "new", "--from", str(book), "-o", str(out))
    assert code == 0, err
    assert "共 0 个错误" in err and "错误[" not in err
    version = out / "2025.1"
    assert sorted(p.name for p in version.iterdir()) == [
        "laws.yaml",
        "notice.yaml",
        "regulation.yaml",
        "roles.yaml",
    ]
    assert (out / "parties.yaml").is_file()
    reg = (version / "regulation.yaml").read_text(encoding="utf-8")
    assert "work: AQSC-QS\n" in reg and "  status: draft\n" in reg
    assert "  - id: S-04\n    text: 村（社区）和网格员的安全生产职责\n" in reg
    # Chapter owners written once; the duty whose owner differs carries its own.
    assert "    owners:\n      - R-01\n      - R-02\n" in reg
    assert "          - id: D-01-03\n            owners:\n              - R-02\n" in reg
    assert "              per: half_year\n              min: 1\n              display: 每半年至少1次\n" in reg
    assert "              events:\n                - 重大节日\n                - 重要时期\n" in reg
    assert (
        "              - law: L-01\n                art: 第六十五条\n" in reg
    )  # 《安全生产法》 is the short name
    roles = (version / "roles.yaml").read_text(encoding="utf-8")
    assert "    name: 网格员\n    kind: grid_worker\n    parent: R-05\n    per_community: true\n" in roles
    notice = (version / "notice.yaml").read_text(encoding="utf-8")
    assert "doc_no: 青政发〔2025〕8号\n" in notice and "date: 2025-04-01\n" in notice
    parties = (out / "parties.yaml").read_text(encoding="utf-8")
    assert "      - name: 赵丽\n        grid: 第1网格\n" in parties

    code, stdout, _ = run(capsys, "check", str(out))
    assert code == 0 and "共 0 个错误" in stdout, stdout
    build = tmp_path / "build"
    code, stdout, err = run(capsys, "build", str(out), "-o", str(build), "--format", "docx,html,md", "-q")
    assert code == 0, err
    version_out = next(p.parent for p in build.rglob("duty-list.docx"))
    made = {p.relative_to(version_out).as_posix() for p in version_out.rglob("*.docx")}
    assert "notice.docx" in made and "duty-list.docx" in made
    assert {f"cards/R-0{i}.docx" for i in range(1, 7)} <= made
    assert any(m.startswith("checklists/C-01-红旗村/") for m in made) and any(
        m.startswith("checklists/C-02-青山社区/") for m in made
    )

    # And the new policy exports back to the same list (now with ids), which merges to no change.
    code, _, err = run(capsys, "export", str(version), "-o", str(tmp_path / "again.xlsx"))
    assert code == 0, err
    again = load_workbook(tmp_path / "again.xlsx")["责任清单"]
    texts = [again.cell(r, 4).value for r in range(2, again.max_row + 1)]
    assert texts == [d[2] for d in DUTIES]
    code, stdout, err = run(capsys, "merge", str(tmp_path / "again.xlsx"), str(version))
    assert code == 0 and "无需合并" in stdout, err


def test_the_template_filled_in_becomes_a_policy(tmp_path: Path, capsys: Cap) -> None:
    code, _, err = run(capsys, "export", "--template", "-o", str(tmp_path / "t.xlsx"))
    assert code == 0, err
    wb = load_workbook(tmp_path / "t.xlsx")
    info = wb["基本信息"]
    values = {"制度标识": "AQSC-HB", "制度标题": "河北街道安全生产责任制度"}
    for row in info.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    ws = wb["责任清单"]
    h = {c.value: c.column for c in ws[1]}
    ws.cell(2, h["章节"]).value = "街道办事处主任的安全生产职责"
    ws.cell(2, h["岗位"]).value = "街道办事处主任"
    ws.cell(2, h["职责"]).value = "每月至少1次主持召开安全生产例会。"
    ws.cell(2, h["频次"]).value = "每月至少1次"
    ws.cell(3, h["职责"]).value = "组织编制街道生产安全事故应急预案。"
    ws.cell(3, h["岗位"]).value = "街道办事处主任"
    wb.save(tmp_path / "filled.xlsx")
    out = tmp_path / "hebei"
    code, _, err = run(capsys, "new", "--from", str(tmp_path / "filled.xlsx"), "-o", str(out))
    assert code == 0, err
    # No 岗位 sheet rows: the role is registered from the list; no 发文机关: no notice, said so.
    assert "警告[X347]: 基本信息缺少发文机关、发文字号、成文日期：不生成发文通知（notice.yaml）" in err
    assert "name: 街道办事处主任\n    kind: leader\n" in (out / "1.0" / "roles.yaml").read_text(
        encoding="utf-8"
    )
    code, stdout, _ = run(capsys, "check", str(out))
    assert code == 0, stdout


def test_a_bad_hand_written_list_is_refused_whole_with_located_messages(tmp_path: Path, capsys: Cap) -> None:
    book = hand_written(tmp_path / "bad.xlsx")
    wb = load_workbook(book)
    ws = wb["责任清单"]
    ws.cell(3, 3).value = "镇委书记"  # not in the 岗位 sheet
    ws.cell(4, 5).value = "偶尔"
    ws.cell(5, 6).value = "=A5&B5"
    ws.merge_cells("B6:B7")
    info = wb["基本信息"]
    info.cell(5, 2).value = "青政发2025第8号"
    wb.save(book)
    out = tmp_path / "policy" / "bad"
    code, _, err = run(capsys, "new", "--from", str(book), "-o", str(out))
    assert code == 1
    assert "Traceback" not in err
    b = book.as_posix()
    assert f"{b}:责任清单:6:2: 错误[X306]: 数据区有合并单元格 B6:B7" in err
    assert f"{b}:责任清单:5:6: 错误[X307]: “履职记录”列（F5）是公式" in err
    assert "未生成" in err
    assert (
        not out.exists() and not list((tmp_path / "policy").glob("*"))
        if (tmp_path / "policy").exists()
        else True
    )

    wb = load_workbook(hand_written(tmp_path / "bad2.xlsx"))
    wb["责任清单"].cell(3, 3).value = "镇委书记"
    wb["责任清单"].cell(4, 5).value = "偶尔"
    wb["基本信息"].cell(5, 2).value = "青政发2025第8号"
    wb.save(tmp_path / "bad2.xlsx")
    code, _, err = run(capsys, "new", "--from", str(tmp_path / "bad2.xlsx"), "-o", str(out))
    assert code == 1
    b = (tmp_path / "bad2.xlsx").as_posix()
    assert (
        f"{b}:责任清单:3:3: 错误[X314]: “责任主体”列（C3）：未知岗位“镇委书记”，请先在“岗位”表中登记" in err
    )
    assert f"{b}:责任清单:4:5: 错误[X315]: “工作频次”列（E4）：无法识别的频次“偶尔”" in err
    assert f"{b}:基本信息:5:2: 错误[X348]: 发文字号“青政发2025第8号”格式不正确" in err
    assert not out.exists()


def test_output_folder_is_never_overwritten(tmp_path: Path, capsys: Cap) -> None:
    book = hand_written(tmp_path / "b.xlsx")
    out = tmp_path / "exists"
    out.mkdir()
    code, _, err = run(capsys, "new", "--from", str(book), "-o", str(out))
    assert code == 2 and "已存在" in err and not any(out.iterdir())


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("2024-06-03", "2024-06-03"),
        ("2024/6/3", "2024-06-03"),
        ("2024年6月3日", "2024-06-03"),
        ("45446", "2024-06-03"),
        ("2024-02-30", None),
        ("下月", None),
    ],
)
def test_dates_as_clerks_type_them(typed: str, date: str | None) -> None:
    got: Any = read_date(typed)
    assert (got.isoformat() if got else None) == date
