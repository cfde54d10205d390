"""One broken input per diagnostic class, each with its exact expected message (error text is UI)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhidu.cli import main

CASES = Path(__file__).parent / "cases"
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def _project(tmp_path: Path, case: Path) -> Path:
    dest = tmp_path / "p"
    shutil.copytree(CASES / "minimal", dest)
    for f in case.glob("*.yaml"):
        shutil.copy(f, dest / f.name)
    return dest


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_each_error_class_is_located_verbatim(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "p"])
    out = capsys.readouterr()
    errors = [ln for ln in out.out.splitlines() if ": 错误[" in ln]
    expected = (case / "expect.txt").read_text(encoding="utf-8").splitlines()
    assert code == 1
    assert errors == expected
    # The class named by the case folder is the one reported.
    assert f"[{case.name.split('-')[0]}]" in "\n".join(errors)
    assert "Traceback" not in out.err


def test_minimal_case_is_clean(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(CASES)
    assert main(["check", "minimal", "--strict"]) == 0
    assert "共 0 个错误，0 个警告" in capsys.readouterr().out


def test_all_problems_reported_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three broken files in one project: every one is reported, not just the first.
    dest = _project(tmp_path, CASES / "invalid" / "E013-enum")
    shutil.copy(CASES / "invalid" / "E008-doc-no" / "notice.yaml", dest / "notice.yaml")
    shutil.copy(CASES / "invalid" / "E003-unknown-key" / "regulation.yaml", dest / "regulation.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "p"]) == 1
    out = capsys.readouterr().out
    for code in ("E013", "E008", "E003"):
        assert f"错误[{code}]" in out


def test_json_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import json

    _project(tmp_path, CASES / "invalid" / "E006-unknown-role")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "p", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    [err] = [i for i in data["issues"] if i["severity"] == "error"]
    assert (err["code"], err["path"], err["line"]) == ("E006", "p/regulation.yaml", 25)


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "xml"]) == 2
    assert "用法错误" in capsys.readouterr().err
