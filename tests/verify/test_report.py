"""The report through `zhidu verify`: JSON output, the table, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.verify.conftest import broken
from zhidu.cli import main


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


def test_cli_has_verify_subcommand(tmp_path: Path, full_notice: bytes) -> None:
    from zhidu.cli import main

    p = tmp_path / "n.docx"
    p.write_bytes(full_notice)
    assert main(["verify", str(p), "--format", "json"]) == 0
