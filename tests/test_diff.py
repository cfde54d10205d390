"""zhidu diff: matching, classification, the 修订对照表 in every format, W121, and the CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from msgspec import structs

from tests.conftest import CASES, ROOT, load_case
from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.diff import RevisionDiff, char_diff, compare, width_only
from zhidu.model import Policy, Provision
from zhidu.render import RenderContext, get_renderer
from zhidu.render.terminal import terminal_text
from zhidu.views import PlanOptions, View, plan
from zhidu.views.diffview import build_diff_view

DIFF = CASES / "diff"
WORK = ROOT / "policy" / "gongyuan-aqsc"


def pair(name: str) -> tuple[Policy, Policy]:
    return load_case(DIFF / name / "old"), load_case(DIFF / name / "new")


@pytest.fixture(scope="module")
def seed_pair() -> tuple[Policy, Policy]:
    return load_case(WORK / "2024.1"), load_case(WORK / "2024.2")


@pytest.fixture(scope="module")
def seed_view(seed_pair: tuple[Policy, Policy]) -> View:
    views = plan(seed_pair[1], PlanOptions(previous=seed_pair[0]), products=["diff"])
    assert [v.name for v in views] == ["revision-table"]
    return views[0]


def render(view: View, policy: Policy, fmt: str) -> bytes:
    return get_renderer(fmt)().render(view, RenderContext(policy=policy))[0].data


def docx_part(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read(name))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def shape(d: RevisionDiff) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.kind, r.label, r.ids) for r in d.rows]


# ------------------------------------------------------------------------------------ text diff


def test_char_diff_keeps_a_changed_phrase_whole() -> None:
    # Semantic clean-up: one replaced phrase, not a scatter of shared characters (domain.md §12.10).
    ops = char_diff("承担街道安全生产工作领导小组办公室的日常工作", "承担街道应急管理委员会办公室的日常工作")
    changed = [(op, t) for op, t in ops if op != "equal"]
    assert changed == [("delete", "安全生产工作领导小组"), ("insert", "应急管理委员会")]


def test_width_only() -> None:
    assert width_only("在岗,做好巡查工作;", "在岗，做好巡查工作；")
    assert not width_only("在岗,做好", "在岗、做好")
    assert not width_only("相同", "相同")


# ------------------------------------------------------------------------------------ change classes


def test_renumber_only_is_summarised_once() -> None:
    d = compare(*pair("renumber"))
    assert shape(d) == [("删除", "删除原第一条第（一）项", ("P-01",))]
    assert [(r.id, r.old, r.new) for r in d.renumbered] == [
        ("P-02", "第一条第（二）项", "第一条第（一）项"),
        ("P-03", "第一条第（三）项", "第一条第（二）项"),
    ]
    assert d.summary[0].startswith("因条目增删，2 处条文序号相应调整")


def test_punctuation_width_only_is_summarised_once() -> None:
    d = compare(*pair("punctuation"))
    assert d.rows == () and d.renames == ()
    assert d.punctuation == ("P-02",)
    assert d.punctuation_records == ("CH-2-01",)
    assert "第一条第（二）项共 1 处条文仅将半角标点改为全角标点" in d.summary[0]


def test_recorded_global_rename_is_one_row() -> None:
    d = compare(*pair("rename"))
    assert d.rows == ()
    [g] = d.renames
    assert (g.old, g.new, g.count, g.ids, g.records) == (
        "安全生产领导小组",
        "安全生产委员会",
        3,
        ("P-03", "P-04", "P-05"),
        ("CH-2-01",),
    )
    assert g.label == "将全文中“安全生产领导小组”的表述统一修订为“安全生产委员会”"
    assert d.unrecorded == ()


def test_unrecorded_global_rename_is_detected_as_one_row() -> None:
    d = compare(*pair("rename-detected"))
    assert d.rows == ()
    [g] = d.renames
    # The replaced characters grow by their shared context until they read as the agency's name.
    assert (g.old, g.new, g.ids, g.recorded) == (
        "安全生产领导小组",
        "安全生产委员会",
        ("P-03", "P-04", "P-05"),
        False,
    )
    assert d.unrecorded == ("安全生产领导小组",)


def test_split_follows_was_lineage() -> None:
    d = compare(*pair("split"))
    [row] = d.rows
    assert (row.kind, row.label) == ("拆分", "原第一条第（二）项拆分为第一条第（二）项、第一条第（三）项")
    assert [p.id for p in row.old] == ["P-02"] and [p.id for p in row.new] == ["P-02", "P-06"]
    assert [p.text for p in row.new] == ["每月组织1次安全生产检查。", "检查后形成检查记录。"]
    assert row.reasons == ("将检查与记录分列两项。",)


def test_merge_follows_was_lineage() -> None:
    d = compare(*pair("merge"))
    [row] = d.rows
    assert (row.kind, row.label) == ("合并", "原第二条第（一）项、第二条第（二）项合并为第二条第（一）项")
    assert [p.id for p in row.old] == ["P-04", "P-05"] and [p.id for p in row.new] == ["P-06"]
    assert [p.text for p in row.old] == [
        "配合安全生产领导小组开展专项检查。",
        "及时上报安全生产领导小组交办事项的办理情况。",
    ]


def test_insert() -> None:
    d = compare(*pair("insert"))
    assert shape(d) == [("新增", "新增第一条第（四）项", ("P-06",))]
    assert d.rows[0].old == () and d.rows[0].new[0].segments[0].op == "equal"


def test_delete_keeps_its_old_place() -> None:
    d = compare(*pair("delete"))
    assert shape(d) == [("删除", "删除原第一条第（三）项", ("P-03",))]
    assert d.rows[0].new == ()


def test_move() -> None:
    d = compare(*pair("move"))
    assert shape(d) == [("移动", "原第一条第（三）项移至第二条第（二）项", ("P-03",))]
    assert [r.id for r in d.renumbered] == ["P-05"]


def test_modify_shows_wording_and_frequency() -> None:
    d = compare(*pair("modify"))
    [row] = d.rows
    assert (row.kind, row.ids) == ("修改", ("P-02",))
    assert [(s.op, s.text) for s in row.old[0].segments if s.op != "equal"] == [("delete", "月")]
    assert [(s.op, s.text) for s in row.new[0].segments if s.op != "equal"] == [
        ("insert", "季度"),
        ("insert", "全面"),
    ]
    assert row.details == ("职责 D-02 频次由“每月组织1次”改为“每季度组织1次”",)


def test_changed_id_without_lineage_is_matched_by_similarity() -> None:
    d = compare(*pair("reid"))
    [row] = d.rows
    assert row.ids == ("P-04", "P-07")
    assert row.details[0] == "id 由 P-04 改为 P-07（未记录沿革 was，按文字相似度匹配）"
    assert d.problems == (("条文“P-07”疑似由上一版本的“P-04”改编号而来，请在 was 中记录沿革", "P-07"),)


# ------------------------------------------------------------------------------------ the seed pair


def test_seed_revision_rows(seed_pair: tuple[Policy, Policy]) -> None:
    d = compare(*seed_pair)
    assert [(r.kind, r.ids, r.records) for r in d.rows] == [
        ("修改", ("P-02-02",), ("CH-2024-2-07",)),
        ("修改", ("P-02-05",), ("CH-2024-2-08",)),
        ("修改", ("P-03-11",), ("CH-2024-2-11",)),
        ("修改", ("P-06-03",), ("CH-2024-2-09",)),
        ("修改", ("P-08-04-01",), ("CH-2024-2-12",)),
    ]
    assert [(g.old, g.new, g.count) for g in d.renames] == [
        ("安全生产工作领导小组", "安全生产领导小组", 2),
        ("督察", "督查", 3),
        ("》、《", "》《", 2),
        ("”、“", "”“", 2),
        ("本工作清单", "本制度", 1),
        ("本办法", "本制度", 1),
    ]
    assert d.punctuation == ("P-04-01-01",)
    assert d.rows[2].details == ("职责 D-03-11 频次由“重大时间节点”改为“（无）”",)
    assert {m.label: (m.old, m.new) for m in d.meta}["文号"] == (
        "东公政发〔2024〕27号",
        "东公政发〔2024〕41号",
    )
    assert d.unrecorded == () and d.problems == ()
    assert d.renumbered == ()


def test_diff_of_a_version_with_itself_is_empty(seed_pair: tuple[Policy, Policy]) -> None:
    for p in seed_pair:
        assert compare(p, p).equal


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
    assert xml.count("<w:tblHeader/>") == 1
    assert 'w:orient="landscape"' in xml
    # The struck 句 and the underlined 局 of 第二条第（二）项.
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


# ------------------------------------------------------------------------------------ W121


def _copy_work(tmp_path: Path) -> Path:
    dest = tmp_path / "work"
    shutil.copytree(WORK / "2024.1", dest / "2024.1")
    shutil.copytree(WORK / "2024.2", dest / "2024.2")
    shutil.copy(WORK / "parties.yaml", dest / "parties.yaml")
    return dest


def _w121(folder: Path) -> list[str]:
    report = Report()
    p = load_case(folder)
    lint.run(p, report, only={"W121"})
    return [f"{i.loc.line}: {i.message}" for i in report.issues]


def test_shipped_revision_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(WORK / "2024.2")]) == 0
    out = capsys.readouterr().out
    assert "警告[" not in out and "错误[" not in out
    assert out.strip().endswith("共 0 个错误，0 个警告，3 个提示。")


def test_w121_flags_a_change_without_record(tmp_path: Path) -> None:
    work = _copy_work(tmp_path)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    start, end = text.index("  - id: CH-2024-2-09"), text.index("  - id: CH-2024-2-10")
    text = text[:start] + text[end:]
    start, end = text.index("  - id: CH-2024-2-02"), text.index("  - id: CH-2024-2-03")
    text = text[:start] + text[end:]
    text = text.replace("保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆、装备配置。")
    reg.write_text(text, encoding="utf-8")
    found = _w121(work / "2024.2")
    assert any(
        "条文“P-01-08”与上一版本（2024.1）相比有修改，但没有修订记录（changes）列出它" in f for f in found
    )
    assert any("条文“P-06-03”" in f for f in found)
    assert any(
        "将全文中“督察”的表述统一修订为“督查”（3 处条文），但没有 global_replace 修订记录" in f for f in found
    )


def test_w121_only_for_issued_versions(tmp_path: Path) -> None:
    work = _copy_work(tmp_path)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8").replace("status: issued", "status: draft", 1)
    text = text.replace("保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆、装备配置。")
    reg.write_text(text, encoding="utf-8")
    assert _w121(work / "2024.2") == []
    assert _w121(WORK / "2024.2") == []


# ------------------------------------------------------------------------------------ CLI


def test_cli_exit_status(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a, b = str(WORK / "2024.1"), str(WORK / "2024.2")
    assert main(["diff", a, a]) == 0
    assert "条文无变化。" in capsys.readouterr().out
    assert main(["diff", a, b]) == 1
    assert "{+局+}" in capsys.readouterr().out
    assert main(["diff", a, str(tmp_path / "nothing")]) == 2
    assert "路径不存在" in capsys.readouterr().err
    assert main(["diff", a, b, "--format", "docx"]) == 2
    assert "请用 -o 指定输出文件" in capsys.readouterr().err
    assert main(["diff", str(WORK), b]) == 2
    assert "含多个版本（2024.1、2024.2）" in capsys.readouterr().err
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"t.{fmt}"
        assert main(["diff", a, b, "--format", fmt, "-o", str(out)]) == 1
        assert out.stat().st_size > 1000


def test_cli_reads_git_revisions(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "policy")
    # Both versions as committed: a file names its version folder; parties.yaml comes from the work folder.
    assert (
        main(
            [
                "diff",
                "gongyuan-aqsc/2024.1/regulation.yaml@HEAD",
                "gongyuan-aqsc/2024.2@HEAD",
                "--color",
                "never",
            ]
        )
        == 1
    )
    assert "原：2024.1 版，东公政发〔2024〕27号" in capsys.readouterr().out
    assert main(["diff", "gongyuan-aqsc/2024.1@HEAD", "gongyuan-aqsc/2024.1@HEAD"]) == 0
    capsys.readouterr()
    assert main(["diff", "gongyuan-aqsc/2024.1@no-such-rev", "gongyuan-aqsc/2024.1"]) == 2
    assert capsys.readouterr().err == "zhidu diff: 无效的 git 修订号“no-such-rev”\n"


# ------------------------------------------------------------------------------------ properties


def _edit(policy: Policy, texts: dict[str, str]) -> Policy:
    from dataclasses import replace

    def rec(nodes: list[Provision]) -> list[Provision]:
        return [
            structs.replace(p, **{"text": texts.get(p.id, p.text), "children": rec(p.children)})
            for p in nodes
        ]

    reg = structs.replace(policy.regulation, **{"sections": rec(policy.regulation.sections)})
    return replace(policy, regulation=reg)


_IDS = [p.id for _path, p in load_case(WORK / "2024.2").walk()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.dictionaries(
        st.sampled_from(_IDS),
        st.tuples(
            st.integers(0, 60), st.integers(0, 4), st.text("甲乙丙丁戊己庚辛壬癸", min_size=0, max_size=5)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_property_every_edit_is_listed(
    seed_pair: tuple[Policy, Policy], edits: dict[str, tuple[int, int, str]]
) -> None:
    base = seed_pair[1]
    assert compare(base, base).equal
    old = {p.id: p.text for _path, p in base.walk()}
    texts = {}
    for pid, (at, cut, ins) in edits.items():
        t = old[pid]
        at = min(at, len(t))
        new = t[:at] + ins + t[at + cut :]
        if new and new != t:
            texts[pid] = new
    d = compare(base, _edit(base, texts))
    assert set(texts) <= d.changed_ids()
    assert d.equal is (not texts)
