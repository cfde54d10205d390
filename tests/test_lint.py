"""Every lint rule on a small case: the failing example of docs/lint.md fires it, the passing one does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES
from zhidu import lint
from zhidu.diagnostics import Report
from zhidu.load.policy import load_policy

PREAMBLE = "为加强安全生产工作，制定本制度。"
ITEM = "每月至少1次带队开展安全生产督导检查。"
GRID = "每周走访辖区个体工商户。"


def _with(
    tmp_path: Path, edits: dict[str, list[tuple[str, str]]], extra: dict[str, str] | None = None
) -> Report:
    dest = tmp_path / "p"
    shutil.copytree(CASES / "minimal", dest)
    for name, pairs in edits.items():
        f = dest / name
        text = f.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        f.write_text(text, encoding="utf-8")
    for name, text in (extra or {}).items():
        (dest / name).write_text(text, encoding="utf-8")
    report = Report()
    policy = load_policy(dest, report)
    assert policy is not None, report.format_text()
    lint.run(policy, report)
    return report


def _siblings(*texts: str) -> tuple[str, str]:
    """Edit that adds items after 书记's first item, as its siblings."""
    anchor = "            basis: [{law: L-AQSCF}]\n"
    items = "".join(f"      - id: P-01-{i:02d}\n        text: {t}\n" for i, t in enumerate(texts, start=2))
    return anchor + "  - id: S-02", anchor + items + "  - id: S-02"


def _section(*texts: str) -> tuple[str, str]:
    """Edit that adds a chapter of its own holding just these items."""
    items = "".join(f"      - id: P-00-{i:02d}\n        text: {t}\n" for i, t in enumerate(texts, start=1))
    return "sections:\n", "sections:\n  - id: S-00\n    text: 追责情形\n    children:\n" + items


CONDITIONS = (
    "迟报、漏报的；",
    "伪造事故现场的；",
    "转移、隐匿资金的；",
    "拒绝接受调查的；",
    "作伪证的；",
    "阻碍事故调查的；",
    "有其他情形的。",
)

# code → (failing edits, passing edits) to regulation.yaml
CASES_BY_CODE: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "W101": (
        [(GRID, "每周走访辖区个体工商户。每周走访辖区个体工商户。"), _siblings(ITEM, "甲", "乙", "丙")],
        [_siblings("组织开展隐患排查工作。", "甲", "乙", "丙")],
    ),
    "W102": (
        [(GRID, "每周走访辖区个体工商户，对接应急管理句。")],
        [(GRID, "每周走访辖区个体工商户，对接应急管理局。")],
    ),
    "W103": (
        [(PREAMBLE, "为加强安全生产工作,制定本制度。")],
        [(PREAMBLE, "为加强安全生产工作，制定本制度。")],
    ),
    "W104": (
        [_section("不立即组织事故抢救的；", "值班在岗,做好巡查工作;", *CONDITIONS)],
        [_section("不立即组织事故抢救的；", "在事故调查处理期间擅离职守的；", *CONDITIONS)],
    ),
    "W105": (
        [("{per: month, min: 1, display: 每月至少1次}", "{per: week, min: 1, display: 每月至少1次}")],
        [],
    ),
    "W106": ([("            frequency: {per: week, min: 1, display: 每周}\n", "")], []),
    "W109": ([(f"text: {GRID}", f"text: （一）{GRID}")], []),
    "W110": (
        [(PREAMBLE, "为加强安全生产工作，自2024年06月03日起制定本制度。")],
        [(PREAMBLE, "为加强安全生产工作，自2024年6月3日起制定本制度。")],
    ),
    "W111": (
        [(PREAMBLE, "根据东公政发[2024]27号，制定本制度。")],
        [(PREAMBLE, "根据东公政发〔2024〕27号，制定本制度。")],
    ),
    "W112": (
        [("  - id: S-02\n", '  - id: S-02\n    source_number: "三、"\n')],
        [("  - id: S-02\n", '  - id: S-02\n    source_number: "二、"\n')],
    ),
    "W113": (
        [(PREAMBLE, "根据《安全生产法》、《消防法》，制定本制度。")],
        [(PREAMBLE, "根据《安全生产法》《消防法》，制定本制度。")],
    ),
    "W114": ([(PREAMBLE, "为加强安全生产工作，制定本办法。")], []),
    "W115": (
        [(PREAMBLE, "为加强安全生产督查和督察工作，制定本制度。")],
        [(PREAMBLE, "为加强安全生产督查工作，制定本制度。")],
    ),
    "W116": ([("display: 每周}", "display: 每星期}")], []),
    "W117": ([("            basis: [{law: L-AQSCF}]\n  - id: S-02", "  - id: S-02")], []),
    "E108": ([("    owners: [R-WGY]\n", "")], []),
}


@pytest.mark.parametrize("code", sorted(CASES_BY_CODE))
def test_rule_fires_on_failing_example_only(code: str, tmp_path: Path) -> None:
    failing, passing = CASES_BY_CODE[code]
    bad = _with(tmp_path / "bad", {"regulation.yaml": failing})
    assert any(i.code == code for i in bad.issues), bad.format_text()
    good = _with(tmp_path / "good", {"regulation.yaml": passing})
    assert not any(i.code == code for i in good.issues), good.format_text()


def test_w122_title_line_wider_than_the_type_area(tmp_path: Path) -> None:
    # Twenty-one 字 of 二号 do not fit the 156 mm 版心: the printed line would wrap mid-phrase.
    title = "title: 测试街道办事处关于印发测试工作制度的通知\n"
    wide = "title: |-\n  测试街道办事处关于印发修订后的测试工作制度\n  和安全生产责任分工的通知\n"
    fits = "title: |-\n  测试街道办事处关于印发修订后的测试\n  工作制度和安全生产责任分工的通知\n"
    bad = _with(tmp_path / "bad", {"notice.yaml": [(title, wide)]})
    [issue] = [i for i in bad.issues if i.code == "W122"]
    assert "第1行" in issue.message and "宽 21 字" in issue.message and issue.loc.line == 5
    good = _with(tmp_path / "good", {"notice.yaml": [(title, fits)]})
    assert not [i for i in good.issues if i.code == "W122"]


def test_w107_role_without_duties(tmp_path: Path) -> None:
    extra_role = (
        "  - {id: R-WGY, name: 网格员, kind: grid_worker, per_community: true}\n",
        "  - {id: R-WGY, name: 网格员, kind: grid_worker, per_community: true}\n  - {id: R-X, name: 闲置岗位, kind: other}\n",
    )
    bad = _with(tmp_path / "bad", {"roles.yaml": [extra_role]})
    assert [i.message for i in bad.issues if i.code == "W107"] == ["岗位“闲置岗位”（R-X）没有任何职责"]


def test_w119_liability_without_trigger(tmp_path: Path) -> None:
    anchor = "            basis: [{law: L-AQSCF}]\n  - id: S-02"
    bad = _with(
        tmp_path / "bad",
        {
            "regulation.yaml": [
                (
                    anchor,
                    anchor.replace(
                        "  - id: S-02", "        liability:\n          - {id: Z-01}\n  - id: S-02"
                    ),
                )
            ]
        },
    )
    assert any(i.code == "W119" for i in bad.issues)


def test_policy_glossary_extends_the_builtin_one(tmp_path: Path) -> None:
    edits = {"regulation.yaml": [(GRID, "每周走访辖区个体工商户，检查灭火器材。")]}
    assert not any(i.code == "W102" for i in _with(tmp_path / "a", edits).issues)
    local = "terms:\n  - {term: 消防器材, wrong: [灭火器材]}\n"
    found = _with(tmp_path / "b", edits, {"glossary.yaml": local}).issues
    assert [i.message for i in found if i.code == "W102"] == ["疑似错别字“灭火器材”，应为“消防器材”"]
    # The built-in glossary still applies beside the policy's own terms.
    both = {"regulation.yaml": [(GRID, "每周走访辖区个体工商户，检查灭火器材，对接应急管理句。")]}
    codes = [
        i.message for i in _with(tmp_path / "c", both, {"glossary.yaml": local}).issues if i.code == "W102"
    ]
    assert len(codes) == 2


def test_locations_point_inside_the_text(tmp_path: Path) -> None:
    report = _with(tmp_path, {"regulation.yaml": [(PREAMBLE, "为加强安全生产工作,制定本制度。")]})
    [issue] = [i for i in report.issues if i.code == "W103"]
    line = (tmp_path / "p" / "regulation.yaml").read_text(encoding="utf-8").splitlines()[issue.loc.line - 1]
    assert line[issue.loc.col - 1] == ","


def test_i125_checklist_duty_inside_an_accountability_clause(tmp_path: Path) -> None:
    from zhidu.model import Policy

    report = Report()
    seed = load_policy(CASES.parent.parent / "policy" / "gongyuan-aqsc" / "2024.2", report)
    assert isinstance(seed, Policy)
    mine = Report()
    lint.run(seed, mine, only={"I125"})
    found = [(i.code, i.message.split("”")[0].split("“")[1], i.loc.line) for i in mine.issues]
    # 第八条 is 安全生产责任追究: its （三）项 and its first 情形 carry duties marked checklist: true.
    assert [f[:2] for f in found] == [("I125", "D-08-03"), ("I125", "D-08-04-01")]
    assert all(line > 0 for *_, line in found)
    clean = Report()
    kinds = load_policy(CASES / "checklist-kinds", clean)
    assert kinds is not None
    lint.run(kinds, clean, only={"I125"})
    assert clean.issues == []
