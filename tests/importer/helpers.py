"""Shared by the importer tests: run `zhidu import` in process, load and check what it wrote."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.conftest import CASES as ALL_CASES
from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.importer.markers import core
from zhidu.load.policy import load_policy
from zhidu.numbering import cn_date

CASES = ALL_CASES / "import"


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


NUM = re.compile(
    r"^(第[一二三四五六七八九十百\d]+[章节条]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]|[（(]\d+[）)])"
)


def strip_number(s: str) -> str:
    return NUM.sub("", core(s))


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
            if isinstance(no, dict):
                hay.append(f"{no['organ_code']}〔{no['year']}〕{no['serial']}号")
            hay += [
                f"{doc.get('addressees', '')}：",
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


LINE = st.one_of(
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
