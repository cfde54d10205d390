"""Checklists per period through the whole build: file names, ranges, the version in force, --as-of."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT
from zhidu.build import BuildOptions, build
from zhidu.errors import UsageError
from zhidu.period import parse_as_of, parse_periods

SEED_WORK = ROOT / "policy" / "gongyuan-aqsc"


def _build(
    tmp_path: Path, periods: str | None, source: Path = SEED_WORK, **kw: object
) -> tuple[Path, object]:
    out = tmp_path / "out"
    opts = BuildOptions(
        source=source,
        out=out,
        formats=["md"],
        products=kw.pop("products", ["checklist"]),  # type: ignore[arg-type]
        periods=parse_periods(periods) if periods else None,
        **kw,  # type: ignore[arg-type]
    )
    return out, build(opts)


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))


def test_range_of_weeks_gives_one_file_per_community_and_week(tmp_path: Path) -> None:
    out, result = _build(tmp_path, "2024-W23..2024-W26")
    assert not result.report.errors  # type: ignore[attr-defined]
    files = _files(out)
    assert len(files) == 4 * 4
    assert files[:4] == [f"2024.1/checklists/C-01-示例一社区/2024-W{w}.md" for w in (23, 24, 25, 26)]
    text = (out / files[0]).read_text(encoding="utf-8")
    assert "2024年6月3日—6月9日（2024年第23周）" in text and "版本 2024.1" in text


def test_each_period_uses_the_version_in_force_on_its_first_day(tmp_path: Path) -> None:
    # 2024.2 takes effect on 10 September 2024: week 36 (2–8 Sep) is 2024.1's, week 38 (16–22 Sep) 2024.2's.
    out, result = _build(tmp_path, "2024-W36,2024-W37,2024-W38,2024-09,2024-10")
    assert not result.report.errors  # type: ignore[attr-defined]
    c01 = [f for f in _files(out) if "C-01" in f]
    assert c01 == [
        "2024.1/checklists/C-01-示例一社区/2024-09.md",
        "2024.1/checklists/C-01-示例一社区/2024-W36.md",
        "2024.1/checklists/C-01-示例一社区/2024-W37.md",
        "2024.2/checklists/C-01-示例一社区/2024-10.md",
        "2024.2/checklists/C-01-示例一社区/2024-W38.md",
    ]
    w37 = (out / c01[2]).read_text(encoding="utf-8")
    assert "施行 2024年6月3日起" in w37 and "2024年9月10日" not in w37
    assert "施行 2024年9月10日起" in (out / c01[4]).read_text(encoding="utf-8")


def test_a_period_before_any_version_is_a_located_error(tmp_path: Path) -> None:
    out, result = _build(tmp_path, "2024-W22,2024-W23,2024-06")
    report = result.report  # type: ignore[attr-defined]
    errors = [i for i in report.errors if i.code == "E020"]
    assert [e.message.split("（")[0] for e in errors] == [
        "检查表周期 2024-W22 的第一天",
        "检查表周期 2024-06 的第一天",
    ]
    assert errors[0].loc.path.endswith("gongyuan-aqsc/2024.1/regulation.yaml") and errors[0].loc.line == 9
    assert "2024.1 自2024年6月3日起施行" in errors[0].message
    assert not out.exists() or not _files(out), "nothing is written when a period cannot be placed"


def test_cli_says_which_versions_there_are_and_exits_1(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhidu",
            "build",
            str(SEED_WORK),
            "-o",
            str(tmp_path / "o"),
            "--period",
            "2023-12",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "2024.1/regulation.yaml:9:" in proc.stderr and "错误[E020]" in proc.stderr
    assert "检查表周期 2023-12 的第一天（2023年12月1日）没有施行中的“AQSC-GY”版本" in proc.stderr
    # The error is not buried under the lint warnings, which `zhidu check` lists.
    assert "警告[" not in proc.stderr and proc.stderr.strip().endswith("运行 zhidu check 查看。")
    bad = subprocess.run(
        [sys.executable, "-m", "zhidu", "build", str(SEED_WORK), "--period", "2024-W26..2024-W23"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "范围的结束早于开始" in bad.stderr


@pytest.mark.parametrize(("day", "version"), [("2024-08-01", "2024.1"), ("2024-09-10", "2024.2")])
def test_as_of_builds_every_product_from_the_version_in_force(tmp_path: Path, day: str, version: str) -> None:
    out, result = _build(tmp_path, None, products=None, as_of=parse_as_of(day))
    assert not result.report.errors  # type: ignore[attr-defined]
    versions = {f.split("/")[0] for f in _files(out)}
    assert versions == {version}
    products = {f.split("/")[1] for f in _files(out)}
    assert {"notice.md", "checklists", "cards"} <= products
    if version == "2024.2":
        # The 修订对照表 still compares with the version it supersedes.
        assert "2024.2/revision-table.md" in _files(out)


def test_as_of_before_any_version_is_an_error(tmp_path: Path) -> None:
    _out, result = _build(tmp_path, None, products=None, as_of=parse_as_of("2024-01-01"))
    [err] = result.report.errors  # type: ignore[attr-defined]
    assert err.code == "E020" and err.message.startswith("--as-of 2024-01-01（2024年1月1日）")
    with pytest.raises(UsageError, match="应为日期"):
        parse_as_of("2024/08/01")


def test_a_policy_of_another_shape(tmp_path: Path) -> None:
    # One version, every period kind, an event duty dated by calendar.yaml; effective from 2024-06-03.
    src = tmp_path / "src" / "ck"
    shutil.copytree(CASES / "checklist-kinds", src / "1.0")
    out, result = _build(tmp_path, "2024-W40,2024-10,2024-Q4", source=src)
    assert not result.report.errors  # type: ignore[attr-defined]
    files = [f for f in _files(out) if "/C-01-" in f]
    assert files == [f"1.0/checklists/C-01-示例社区/{c}.md" for c in ("2024-10", "2024-Q4", "2024-W40")]
    w40 = (out / files[2]).read_text(encoding="utf-8")
    assert "本期重要时段事项（国庆节10月1日—10月7日）" in w40
    q4 = (out / files[1]).read_text(encoding="utf-8")
    assert "经常性事项按月汇总" in q4 and "| 10月 | 11月 | 12月 |" in q4
    _, early = _build(tmp_path / "e", "2024-W22", source=src)
    assert [i.code for i in early.report.errors] == ["E020"]  # type: ignore[attr-defined]
