"""Render checks: our notices measured in the LibreOffice PDF, and a broken copy caught there too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verify.conftest import broken, failing, notice_bytes
from zhidu.model import Policy
from zhidu.verify import run_verify


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
