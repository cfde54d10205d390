"""Build hygiene: every format alone, byte-reproducible PDFs, untouched versions and flags never rewrite bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT
from zhidu.build import BuildOptions, build
from zhidu.cli import main
from zhidu.writer import MANIFEST

POLICY = ROOT / "policy"
SUFFIX = {"docx": ".docx", "html": ".html", "md": ".md", "pdf": ".pdf"}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".zhidu.lock"
    }


def _build(src: Path, out: Path, fmt: str, products: list[str] | None = None) -> list[str]:
    r = build(BuildOptions(source=src, out=out, formats=[fmt], products=products))
    assert not r.report.errors, r.report.format_text()
    assert r.write is not None
    return r.write.written


@pytest.mark.parametrize(
    "fmt",
    [
        "docx",
        "html",
        "md",
        pytest.param("pdf", marks=pytest.mark.render),
    ],
)
def test_each_format_alone_writes_only_that_format_and_the_same_bytes_twice(tmp_path: Path, fmt: str) -> None:
    # PDF is the slow one (LibreOffice per document): the notice stands for every docx product there.
    products = ["notice"] if fmt == "pdf" else None
    first = _build(POLICY, tmp_path / "a", fmt, products)
    assert first, f"--format {fmt} wrote nothing"
    assert {Path(p).suffix for p in first} == {SUFFIX[fmt]}
    _build(POLICY, tmp_path / "b", fmt, products)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    if fmt == "pdf":
        pdf = a["gongyuan-aqsc/2024.1/notice.pdf"]
        assert b"/CreationDate" not in pdf and b"/DocChecksum" not in pdf


@pytest.mark.render
def test_editing_one_version_leaves_the_other_versions_pdfs_untouched(tmp_path: Path) -> None:
    src = tmp_path / "policy"
    shutil.copytree(POLICY, src)
    out = tmp_path / "build"
    _build(src, out, "pdf", ["notice"])
    old = (out / "gongyuan-aqsc/2024.1/notice.pdf").stat().st_mtime_ns
    reg = src / "gongyuan-aqsc/2024.2/regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    reason = "reason: 统一机构名称"
    assert reason in text
    reg.write_text(text.replace(reason, "reason: 统一各处机构名称", 1), encoding="utf-8")
    written = _build(src, out, "pdf", ["notice"])
    assert written == ["gongyuan-aqsc/2024.2/notice.pdf"]
    assert (out / "gongyuan-aqsc/2024.1/notice.pdf").stat().st_mtime_ns == old


def test_strict_quiet_and_jobs_change_no_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    base = ["build", str(POLICY), "-o", str(out), "--format", "docx,md", "-q"]
    assert main(base) == 0
    before = _tree(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    # The seed has lint warnings: --strict fails, even when nothing changed since the last build.
    assert main([*base, "--strict"]) == 1
    assert "警告" in capsys.readouterr().err
    assert main([*base[:-1], "-j", "1"]) == 0
    assert "已生成 0 个文件" in capsys.readouterr().out
    assert main([*base, "-j", "2"]) == 0
    assert _tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    assert (out / MANIFEST).read_bytes() == before[MANIFEST]


def test_strict_on_a_clean_policy_is_a_no_op_and_never_mentions_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["build", str(CASES / "minimal"), "-o", str(tmp_path), "--format", "docx,md", "-q"]
    assert main(base) == 0
    assert "警告" not in capsys.readouterr().err
    manifest = (tmp_path / MANIFEST).read_bytes()
    assert main([*base, "--strict", "-j", "1"]) == 0
    std = capsys.readouterr()
    assert "已生成 0 个文件" in std.out and "警告" not in std.err
    assert (tmp_path / MANIFEST).read_bytes() == manifest


def test_a_missing_source_is_a_located_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "none"), "-o", str(tmp_path / "out"), "--format", "md"]) == 1
    err = capsys.readouterr().err
    assert err == f"zhidu: 源文件错误: 路径不存在：{tmp_path / 'none'}\n"
    assert not (tmp_path / "out").exists()
