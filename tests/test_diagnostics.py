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


def test_every_schema_problem_of_a_file_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Six different mistakes in two files, each reported once with its own code and position: the fast
    # conversion stops at the first, so this exercises the schema pass that lists them all.
    dest = _project(tmp_path, CASES / "minimal")
    reg = dest / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8")
        .replace("from: 2024-06-03", "from: 2024-13-01")
        .replace("text: 网格员职责", "text: 网格员职责\n    source_number: 12")
        .replace("frequency: {per: week, min: 1, display: 每周}", "frequency: 每周")
        .replace("min: 1, display: 每月至少1次", "min: 0, display: 每月至少1次"),
        encoding="utf-8",
    )
    notice = dest / "notice.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8")
        .replace("year: 2024, serial: 3", "year: 1900, serial: true")
        .replace("addressees: 各科室、各社区", "addressees: [各科室]"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "p"]) == 1
    errors = [ln for ln in capsys.readouterr().out.splitlines() if ": 错误[" in ln]
    assert sorted(errors) == sorted(
        [
            "p/regulation.yaml:8:11: 错误[E007]: “版本·施行日期·起始”（version.effective.from）的日期“2024-13-01”无效：应为真实日期，"
            "写作 YYYY-MM-DD，如 2024-06-03",
            "p/regulation.yaml:21:42: 错误[E002]: 第一条第（一）项的第1项职责的“频次·最少次数”（frequency.min）的取值数字 0"
            "超出范围：应不小于 1",
            "p/regulation.yaml:25:20: 错误[E002]: 第二条的“原文编号”（source_number）应为文本，实际为数字 12",
            "p/regulation.yaml:32:24: 错误[E002]: 第二条第（一）项的第1项职责的“频次”（frequency）应为映射（键: 值），"
            "实际为“每周”",
            "p/notice.yaml:4:33: 错误[E002]: “发文字号·年份”（doc_no.year）的取值数字 1900超出范围：应不小于 1949",
            "p/notice.yaml:4:47: 错误[E002]: “发文字号·发文顺序号”（doc_no.serial）应为整数，实际为布尔值",
            "p/notice.yaml:6:13: 错误[E002]: “主送机关”（addressees）应为文本，实际为列表",
        ]
    )


def test_a_rule_only_the_model_checks_is_still_located() -> None:
    # The schema pass finds nothing here (a placeholder-shaped start is text); the conversion's own error
    # must still come out located, never as an unexplained failure.
    import msgspec

    from zhidu.load.source import KEYLOCS_KEY, LOC_KEY, LOCS_KEY
    from zhidu.load.validate import _explain_msgspec
    from zhidu.location import Location
    from zhidu.model import Effective

    data = {
        "from": "2024-02-30",
        LOC_KEY: Location("p/r.yaml", 8, 5),
        LOCS_KEY: {"from": Location("p/r.yaml", 8, 11)},
        KEYLOCS_KEY: {"from": Location("p/r.yaml", 8, 5)},
    }
    with pytest.raises(msgspec.ValidationError) as e:
        msgspec.convert(data, Effective)
    code, message, loc = _explain_msgspec(e.value, data, "p/r.yaml")
    assert (code, str(loc)) == ("E007", "p/r.yaml:8:11")
    assert message.startswith("“起始”（from）的日期“2024-02-30”无效")


def test_the_command_flushes_everything_and_keeps_its_exit_status(tmp_path: Path) -> None:
    # `zhidu` skips interpreter teardown (cli.run): what it printed must still all arrive, with the right status.
    import subprocess
    import sys

    _project(tmp_path, CASES / "invalid" / "E013-enum")
    r = subprocess.run(
        [sys.executable, "-m", "zhidu", "check", "p"], cwd=tmp_path, capture_output=True, text=True
    )
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1].startswith("共 1 个错误")
    assert "错误[E013]" in r.stdout and r.stderr == ""
