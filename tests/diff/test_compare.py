"""zhidu.diff.compare: matching, classification, the seed pair, and every edit listed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec import structs

from tests.conftest import CASES, load_case
from tests.diff.conftest import WORK
from zhidu.diff.compare import compare
from zhidu.diff.model import RevisionDiff
from zhidu.model import Policy, Provision

DIFF = CASES / "diff"


def pair(name: str) -> tuple[Policy, Policy]:
    return load_case(DIFF / name / "old"), load_case(DIFF / name / "new")


def shape(d: RevisionDiff) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.kind, r.label, r.ids) for r in d.rows]


# ------------------------------------------------------------------------------------ change classes


def test_renumber_only_is_summarised_once() -> None:
    d = compare(*pair("renumber"))
    assert shape(d) == [("删除", "删除原第一部分第（一）项", ("P-01",))]
    assert [(r.id, r.old, r.new) for r in d.renumbered] == [
        ("P-02", "第一部分第（二）项", "第一部分第（一）项"),
        ("P-03", "第一部分第（三）项", "第一部分第（二）项"),
    ]
    assert d.summary[0].startswith("因条目增删，2 处条文序号相应调整")


def test_punctuation_width_only_is_summarised_once() -> None:
    d = compare(*pair("punctuation"))
    assert d.rows == () and d.renames == ()
    assert d.punctuation == ("P-02",)
    assert d.punctuation_records == ("CH-2-01",)
    assert "第一部分第（二）项共 1 处条文仅将半角标点改为全角标点" in d.summary[0]


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
    assert (row.kind, row.label) == (
        "拆分",
        "原第一部分第（二）项拆分为第一部分第（二）项、第一部分第（三）项",
    )
    assert [p.id for p in row.old] == ["P-02"] and [p.id for p in row.new] == ["P-02", "P-06"]
    assert [p.text for p in row.new] == ["每月组织1次安全生产检查。", "检查后形成检查记录。"]
    assert row.reasons == ("将检查与记录分列两项。",)


def test_merge_follows_was_lineage() -> None:
    d = compare(*pair("merge"))
    [row] = d.rows
    assert (row.kind, row.label) == (
        "合并",
        "原第二部分第（一）项、第二部分第（二）项合并为第二部分第（一）项",
    )
    assert [p.id for p in row.old] == ["P-04", "P-05"] and [p.id for p in row.new] == ["P-06"]
    assert [p.text for p in row.old] == [
        "配合安全生产领导小组开展专项检查。",
        "及时上报安全生产领导小组交办事项的办理情况。",
    ]


def test_insert() -> None:
    d = compare(*pair("insert"))
    assert shape(d) == [("新增", "新增第一部分第（四）项", ("P-06",))]
    assert d.rows[0].old == () and d.rows[0].new[0].segments[0].op == "equal"


def test_delete_keeps_its_old_place() -> None:
    d = compare(*pair("delete"))
    assert shape(d) == [("删除", "删除原第一部分第（三）项", ("P-03",))]
    assert d.rows[0].new == ()


def test_move() -> None:
    d = compare(*pair("move"))
    assert shape(d) == [("移动", "原第一部分第（三）项移至第二部分第（二）项", ("P-03",))]
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
        ("修改", ("标题",), ("CH-2024-2-00",)),  # the regulation's full title, restored in 2024.2
        ("修改", ("P-02-02",), ("CH-2024-2-07",)),
        ("修改", ("P-02-05",), ("CH-2024-2-08",)),
        ("修改", ("S-03",), ("CH-2024-2-13",)),
        ("修改", ("P-03-11",), ("CH-2024-2-11",)),
        ("修改", ("P-06-03",), ("CH-2024-2-09",)),
        ("修改", ("P-07-01",), ("CH-2024-2-13",)),
        ("修改", ("P-08-04-01",), ("CH-2024-2-12",)),
    ]
    # The as-issued 2024.1 printed 四、 twice and a half-width (一); 2024.2 corrects both, row by row.
    fixes = [(r.label, r.details) for r in d.rows if r.label == "更正编号"]
    assert fixes == [
        ("更正编号", ("原文编号“四、”更正为“三、”",)),
        ("更正编号", ("原文编号“(一)”更正为“（一）”",)),
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
    assert d.rows[4].details == ("职责 D-03-11 频次由“重大时间节点”改为“（无）”",)
    assert {m.label: (m.old, m.new) for m in d.meta}["文号"] == (
        "东公政发〔2024〕27号",
        "东公政发〔2024〕41号",
    )
    assert d.unrecorded == () and d.problems == ()
    assert d.renumbered == ()


def test_diff_of_a_version_with_itself_is_empty(seed_pair: tuple[Policy, Policy]) -> None:
    for p in seed_pair:
        assert compare(p, p).equal


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
