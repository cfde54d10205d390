"""The 信函格式 is recognised (or named with --profile) so 10.1 is checked instead of 7.4.3; page checks registered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_case
from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.verify import run_verify
from zhidu.verify.facts import DocxFacts
from zhidu.verify.page_checks import detect_profile
from zhidu.views import plan


def _write(policy: Policy, profile: str, path: Path) -> Path:
    from zhidu.render.docx import DocxRenderer

    view = plan(policy, products=["notice"])[0]
    path.write_bytes(DocxRenderer().render(view, RenderContext(policy, profile=profile))[0].data)
    return path


@pytest.mark.parametrize("profile", ["standard", "letter"])
def test_profile_is_detected_from_the_red_double_line(
    seed_policy: Policy, tmp_path: Path, profile: str
) -> None:
    p = _write(seed_policy, profile, tmp_path / f"{profile}.docx")
    assert detect_profile(DocxFacts(p)) == profile


def test_a_letter_is_not_asked_for_the_printed_line(seed_policy: Policy, tmp_path: Path) -> None:
    p = _write(seed_policy, "letter", tmp_path / "letter.docx")
    rep = run_verify(p)
    by_id = {c.id: c for c in rep.checks}
    assert by_id["imprint.printed"].status == "pass" and by_id["imprint.printed"].clause == "10.1"
    assert by_id["letter.lines"].status == "pass"
    assert "head.separator" not in by_id
    assert rep.notes[0] == "按信函格式（10.1）检查（自动识别）"
    # Checked as a 通用格式 document, the same letter lacks its 印发 line (7.4.3 warns, as before).
    std = {c.id: c for c in run_verify(p, profile="standard").checks}
    assert std["imprint.printed"].status == "warn" and "letter.lines" not in std


def test_a_standard_notice_checked_as_a_letter_fails_the_letter_lines(tmp_path: Path) -> None:
    policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / "2024.2")
    p = _write(policy, "standard", tmp_path / "std.docx")
    rep = run_verify(p, profile="letter")
    assert {c.id for c in rep.failed} == {"letter.lines"}


def test_cli_takes_the_profile(seed_policy: Policy, tmp_path: Path) -> None:
    p = _write(seed_policy, "letter", tmp_path / "letter.docx")
    out = subprocess.run(
        [sys.executable, "-m", "zhidu", "verify", str(p), "--profile", "letter", "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert '"按信函格式（10.1）检查"' in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "zhidu", "verify", str(p), "--profile", "memo"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "--profile" in bad.stderr
