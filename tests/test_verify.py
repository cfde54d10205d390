"""`zhidu verify`: XML checks on our notice and on deliberately broken copies, render checks, exit codes."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest
from msgspec import structs

from zhidu.cli import main
from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.verify import run_verify
from zhidu.views import plan

CASES = Path(__file__).resolve().parent / "cases" / "broken_docx"
_spec = importlib.util.spec_from_file_location("broken_docx", CASES / "generate.py")
assert _spec and _spec.loader
broken = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(broken)


def notice_bytes(policy: Policy) -> bytes:
    from zhidu.render.docx import DocxRenderer

    view = plan(policy, products=["notice"])[0]
    return DocxRenderer().render(view, RenderContext(policy))[0].data


@pytest.fixture(scope="module")
def full_notice(seed_policy: Policy) -> bytes:
    """The seed notice with every optional element the checks look at (抄送 in particular)."""
    assert seed_policy.notice is not None
    notice = structs.replace(seed_policy.notice, **{"cc": ["东胜区应急管理局", "东胜区安全生产委员会办公室"]})
    return notice_bytes(dataclasses.replace(seed_policy, notice=notice))


def failing(path: Path, render: bool = False) -> set[str]:
    return {c.id for c in run_verify(path, render=render).failed}


def test_our_notice_passes_every_xml_check(tmp_path: Path, full_notice: bytes) -> None:
    p = tmp_path / "notice.docx"
    p.write_bytes(full_notice)
    rep = run_verify(p)
    assert [c for c in rep.checks if c.status != "pass"] == []
    ids = {c.id for c in rep.checks}
    assert {
        "page.size",
        "grid.lines",
        "grid.chars",
        "head.doc_no",
        "date.format",
        "imprint.cc.size",
        "imprint.lines",
        "footer.default.text",
        "footer.even.side",
    } <= ids


@pytest.mark.parametrize("name", sorted(broken.MUTATIONS))
def test_broken_document_fails_exactly_the_right_checks(
    tmp_path: Path, full_notice: bytes, name: str
) -> None:
    mutation, expected = broken.MUTATIONS[name]
    p = tmp_path / f"{name}.docx"
    p.write_bytes(broken.mutate(full_notice, mutation))
    assert failing(p) == expected


def test_json_output_and_exit_codes(
    tmp_path: Path, full_notice: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(full_notice)
    assert main(["verify", str(good), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"pass": len(data["checks"])}
    assert all({"id", "clause", "status", "measured"} <= set(c) for c in data["checks"])
    bad = tmp_path / "bad.docx"
    bad.write_bytes(broken.mutate(full_notice, broken.MUTATIONS["leading_28pt"][0]))
    assert main(["verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "不合格" in out and "5.2.3" in out


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_unreadable_input_exits_2_without_traceback(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "x.docx"
    p.write_bytes(content)
    assert main(["verify", str(p)]) == 2
    err = capsys.readouterr().err
    assert "无法检查" in err and "Traceback" not in err
    assert main(["verify", str(tmp_path / "missing.docx")]) == 2


def test_cli_has_verify_subcommand(tmp_path: Path, full_notice: bytes) -> None:
    from zhidu.cli import main

    p = tmp_path / "n.docx"
    p.write_bytes(full_notice)
    assert main(["verify", str(p), "--format", "json"]) == 0


@pytest.mark.render
def test_render_checks_pass_on_seed_notice(tmp_path: Path, seed_policy: Policy) -> None:
    p = tmp_path / "notice.docx"
    p.write_bytes(notice_bytes(seed_policy))
    rep = run_verify(p, render=True)
    assert [(c.id, c.measured) for c in rep.checks if c.status != "pass"] == []
    ids = {c.id for c in rep.checks}
    assert {
        "render.lines",
        "render.chars",
        "render.page_numbers",
        "render.mark",
        "render.separator",
        "render.body_p1",
        "render.signature_page",
        "render.imprint",
        "render.complete",
    } <= ids


@pytest.mark.render
def test_revision_notice_keeps_body_on_page_1_and_marks_the_signature_page(tmp_path: Path) -> None:
    # 东公政发〔2024〕41号: its one body paragraph ends low on page 1, too low for the signature. Keeping it
    # with the signature would move it whole and leave page 1 without 正文 (7.3.3, the rule that must hold);
    # instead the signature page carries （此页无正文）.
    from tests.conftest import ROOT, load_case

    p = tmp_path / "notice.docx"
    p.write_bytes(notice_bytes(load_case(ROOT / "policy" / "gongyuan-aqsc" / "2024.2")))
    rep = run_verify(p, render=True)
    assert [(c.id, c.measured) for c in rep.checks if c.status != "pass"] == []
    [sig] = [c for c in rep.checks if c.id == "render.signature_page"]
    assert sig.measured == "第2页，标注（此页无正文）"


@pytest.mark.render
def test_render_checks_catch_28pt_leading(tmp_path: Path, full_notice: bytes) -> None:
    p = tmp_path / "lead28.docx"
    p.write_bytes(broken.mutate(full_notice, broken.MUTATIONS["leading_28pt"][0]))
    failed = failing(p, render=True)
    # 28 pt lines give 22 lines per page but no longer reach the 版心 bottom: no full page qualifies.
    assert "grid.lines" in failed and "render.lines" in failed
