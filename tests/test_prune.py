"""Outputs of an earlier build that the sources no longer produce leave the output folder, and the build says so."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from zhidu.cli import main


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


def test_a_users_own_file_keeps_its_folder(tmp_path: Path) -> None:
    src = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", src)
    out = tmp_path / "build"
    argv = ["build", str(src), "-o", str(out), "--format", "md", "--product", "checklist", "-q"]
    assert main(argv) == 0
    folder = sorted(out.glob("gongyuan-aqsc/*/checklists/C-03-*"))[0]
    (folder / "签到表.txt").write_text("手写的签到记录", encoding="utf-8")
    parties = src / "gongyuan-aqsc" / "parties.yaml"
    parties.write_text(
        re.sub(r"  - id: C-03\n(?:    .*\n|      .*\n)*", "", parties.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    assert main(argv) == 0
    # zhidu's own sheets are gone; the folder stays because it holds the user's file, untouched.
    assert sorted(p.name for p in folder.iterdir()) == ["签到表.txt"]
    assert (folder / "签到表.txt").read_text(encoding="utf-8") == "手写的签到记录"
