"""Outputs of an earlier build that the sources no longer produce leave the output folder, and the build says so."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from zhidu.cli import main


# Pruning belongs to the writer (issue 14): it removes the stale files but leaves their emptied folder behind.
# Strict: the day the writer also drops the folder, this marker fails and must go.
@pytest.mark.xfail(strict=True, reason="the writer leaves the emptied C-03 folder (issue 14 owns pruning)")
def test_a_deleted_community_takes_its_checklist_folder_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", src)
    out = tmp_path / "build"
    argv = ["build", str(src), "-o", str(out), "--format", "md", "--product", "checklist", "-q"]
    assert main(argv) == 0
    gone = sorted(out.glob("gongyuan-aqsc/*/checklists/C-03-*"))
    assert gone and all(d.is_dir() for d in gone)
    kept = sorted(out.glob("gongyuan-aqsc/*/checklists/C-02-*"))
    parties = src / "gongyuan-aqsc" / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    # The C-03 entry runs up to the next community.
    new, n = re.subn(r"  - id: C-03\n(?:    .*\n|      .*\n)*", "", text)
    assert n == 1 and "C-03" not in new
    parties.write_text(new, encoding="utf-8")
    capsys.readouterr()
    assert main(argv) == 0
    std = capsys.readouterr()
    assert not any(d.exists() for d in gone), [d.as_posix() for d in gone if d.exists()]
    assert all(d.is_dir() for d in kept)
    assert "已删除" in std.err
    for d in gone:
        assert d.relative_to(out).as_posix() in std.err
