"""`zhidu diff`: exit status, output formats and git revisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.diff.conftest import WORK
from zhidu.cli import main

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
