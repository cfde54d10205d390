"""V7: small inputs with unbounded time or memory. Each runs under a hang guard (a generous subprocess
timeout, far above the fixed code's time and far below the old code's), and asserts on the output's size, not
on seconds: speed itself is measured in benchmarks/run.py."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from tests.security.conftest import WORK, no_traceback, zhidu

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from gen_hostile import long_paragraph_pair, rewritten_paragraph

GUARD = 90
HEAD = "关于印发安全生产制度的通知\n\n第一条 安全。\n\n"


def _import(tmp_path: Path, text: str) -> tuple[subprocess.CompletedProcess[str], str]:
    src = tmp_path / "in.txt"
    src.write_text(text, encoding="utf-8")
    proc = zhidu("import", str(src), "-o", str(tmp_path / "out"), cwd=tmp_path, timeout=GUARD)
    no_traceback(proc)
    report = tmp_path / "out" / "import-report.md"
    return proc, report.read_text(encoding="utf-8") if report.exists() else ""


def test_cc_line_with_thousands_of_spaces(tmp_path: Path) -> None:
    proc, _ = _import(tmp_path, HEAD + "抄送：a" + " " * 3000 + "b\n")
    assert proc.returncode == 0, proc.stderr


def test_attachment_line_of_60_kb(tmp_path: Path) -> None:
    # A lazy name group between runs of optional spaces: the old pattern's time grew with the line's square.
    proc, _ = _import(tmp_path, HEAD + "附件：1." + " " * 60000 + "安全\n")
    assert proc.returncode == 0, proc.stderr


def test_identical_lines_are_one_finding_each(tmp_path: Path) -> None:
    proc, report = _import(tmp_path, "关于印发安全生产制度的通知\n\n" + "第一条 安全。\n" * 1200)
    assert proc.returncode == 0, proc.stderr
    # Each copy is reported once, against the first: 1 199 findings, not 719 400 pairs.
    assert report.count("文字完全相同") == 1199


def _wide_policy(d: Path, n: int) -> None:
    """A policy with `n` roles and `n` sibling provisions, one duty each (the W101 worst case)."""
    d.mkdir()
    minimal = Path(__file__).resolve().parents[1] / "cases" / "minimal"
    shutil.copy(minimal / "laws.yaml", d)
    roles = ["roles:"] + [f"  - {{id: R-A{i:05d}, name: 岗位{i:05d}, kind: department}}" for i in range(n)]
    (d / "roles.yaml").write_text("\n".join(roles) + "\n", encoding="utf-8")
    head = (minimal / "regulation.yaml").read_text(encoding="utf-8").split("sections:")[0]
    rows = [head, "sections:\n  - id: S-01\n    text: 各岗位职责\n    children:\n"]
    for i in range(n):
        rows.append(
            f"      - id: P-01-{i:05d}\n        text: 岗位{i:05d}负责第{i}项安全生产检查工作并做好记录。\n"
            f"        owners: [R-A{i:05d}]\n        duties:\n          - id: D-01-{i:05d}\n"
        )
    (d / "regulation.yaml").write_text("".join(rows), encoding="utf-8")


def test_w101_over_2000_siblings(tmp_path: Path) -> None:
    _wide_policy(tmp_path / "p", 2000)
    reg = tmp_path / "p" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    # Plant one exact and one near duplicate among the 2 000 siblings.
    text = text.replace(
        "岗位01500负责第1500项安全生产检查工作并做好记录。", "岗位00007负责第7项安全生产检查工作并做好记录。"
    )
    text = text.replace(
        "岗位01600负责第1600项安全生产检查工作并做好记录。",
        "岗位01600组织消防通道堵塞隐患排查整治和台账归档。",
    ).replace(
        "岗位01601负责第1601项安全生产检查工作并做好记录。",
        "岗位01601组织消防通道堵塞隐患排查整治与台账归档。",
    )
    reg.write_text(text, encoding="utf-8")
    proc = zhidu("check", "p", cwd=tmp_path, timeout=GUARD)
    no_traceback(proc)
    w101 = [ln for ln in proc.stdout.splitlines() if "W101" in ln]
    # At most one finding per sibling (the old pairwise check printed 725 653 for this policy).
    assert 2 <= len(w101) < 2000
    assert any("P-01-00007" in ln and "文字完全相同" in ln and "岗位00007" in ln for ln in w101)
    assert any("P-01-01600" in ln and "高度近似" in ln for ln in w101)


def test_diff_of_a_20000_character_paragraph(tmp_path: Path) -> None:
    # Rewritten throughout, not edited: no common prefix or suffix for the diff to strip.
    a, b = long_paragraph_pair(WORK, tmp_path / "w")
    proc = zhidu("diff", str(a), str(b), "--format", "md", cwd=tmp_path, timeout=GUARD)
    no_traceback(proc)
    assert proc.returncode == 1
    new = rewritten_paragraph(2, 20000)
    assert new[:40] in proc.stdout


def test_noop_key_reads_no_huge_file_whole(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    shutil.copytree(WORK, proj / "policy" / "w")
    with open(proj / "policy" / "w" / "2024.2" / "scan.bin", "wb") as f:
        f.truncate(1536 * 1024 * 1024)  # sparse: 1.5 GB that takes no disk

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "zhidu", "build", "policy", "-o", "build", "--format", "md"],
        cwd=proj,
        capture_output=True,
        text=True,
        timeout=GUARD,
        preexec_fn=limit,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "ZHIDU_NO_CACHE": "1",
            "HOME": str(tmp_path),
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
        },
    )
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
