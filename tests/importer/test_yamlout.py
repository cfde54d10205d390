"""importer.yamlout: the YAML passes `zhidu check`, round-trips through the notice view, is reproducible."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_TEXT
from tests.importer.helpers import (
    CASES,
    LINE,
    strip_number,
    validate,
)
from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.importer import run_import
from zhidu.importer.markers import match_marker
from zhidu.load.policy import load_policy
from zhidu.numbering import cn_date
from zhidu.views.notice import build_notice_view


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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=25))
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
