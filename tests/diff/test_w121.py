"""W121: an issued version's changes against the version it supersedes need change records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import load_case
from tests.diff.conftest import WORK
from zhidu import lint
from zhidu.cli import main
from zhidu.diagnostics import Report
from zhidu.load.versions import previous_version

# ------------------------------------------------------------------------------------ W121


def _copy_work(tmp_path: Path) -> Path:
    dest = tmp_path / "work"
    shutil.copytree(WORK / "2024.1", dest / "2024.1")
    shutil.copytree(WORK / "2024.2", dest / "2024.2")
    shutil.copy(WORK / "parties.yaml", dest / "parties.yaml")
    return dest


def _w121(folder: Path) -> list[str]:
    report = Report()
    p = load_case(folder)
    lint.run(p, report, only={"W121"}, previous=previous_version(p))
    return [f"{i.loc.line}: {i.message}" for i in report.issues]


def test_shipped_revision_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(WORK / "2024.2")]) == 0
    out = capsys.readouterr().out
    assert "警告[" not in out and "错误[" not in out
    # Three I101 hints, and two I125 hints for checklist flags inside 第八条 (the checklist leaves them out).
    assert out.strip().endswith("共 0 个错误，0 个警告，5 个提示。") and out.count("提示[I125]") == 2


def test_w121_flags_a_change_without_record(tmp_path: Path) -> None:
    work = _copy_work(tmp_path)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    start, end = text.index("  - id: CH-2024-2-09"), text.index("  - id: CH-2024-2-10")
    text = text[:start] + text[end:]
    start, end = text.index("  - id: CH-2024-2-02"), text.index("  - id: CH-2024-2-03")
    text = text[:start] + text[end:]
    text = text.replace("保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆、装备配置。")
    reg.write_text(text, encoding="utf-8")
    found = _w121(work / "2024.2")
    assert any(
        "条文“P-01-08”与上一版本（2024.1）相比有修改，但没有修订记录（changes）列出它" in f for f in found
    )
    assert any("条文“P-06-03”" in f for f in found)
    assert any(
        "将全文中“督察”的表述统一修订为“督查”（3 处条文），但没有 global_replace 修订记录" in f for f in found
    )


def test_w121_only_for_issued_versions(tmp_path: Path) -> None:
    work = _copy_work(tmp_path)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8").replace("status: issued", "status: draft", 1)
    text = text.replace("保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆、装备配置。")
    reg.write_text(text, encoding="utf-8")
    assert _w121(work / "2024.2") == []
    assert _w121(WORK / "2024.2") == []


def test_w121_finds_the_superseded_version_however_its_id_is_spaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `id:  "2024.1"` (two spaces) is the same YAML as `id: "2024.1"`: the superseded version is found by what
    # its regulation.yaml says, so `zhidu check` reports the same W121 findings for both.
    outputs: dict[str, list[str]] = {}
    for name, spaces in (("one", " "), ("two", "  ")):
        work = _copy_work(tmp_path / name)
        old = work / "2024.1" / "regulation.yaml"
        text = old.read_text(encoding="utf-8")
        assert '\n  id: "2024.1"\n' in text
        old.write_text(text.replace('\n  id: "2024.1"\n', f'\n  id:{spaces}"2024.1"\n', 1), encoding="utf-8")
        reg = work / "2024.2" / "regulation.yaml"
        text = reg.read_text(encoding="utf-8")
        text = text.replace("保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆、装备配置。")
        reg.write_text(text, encoding="utf-8")
        outputs[name] = []
        for path in (work / "2024.2", work):
            assert main(["check", str(path)]) == 0
            outputs[name].append(capsys.readouterr().out.replace(str(work), "WORK"))
    for out in outputs["one"]:
        assert "警告[W121]" in out
        assert "条文“P-01-08”与上一版本（2024.1）相比有修改，但没有修订记录（changes）列出它" in out
    assert outputs["two"] == outputs["one"]
