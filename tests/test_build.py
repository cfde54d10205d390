"""The orchestrator and the single writer: deterministic, incremental, atomic, safe paths, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES
from zhidu.build import BuildOptions, build
from zhidu.errors import OutputError
from zhidu.render import Artifact
from zhidu.writer import OutputWriter, safe_join


def _build(src: Path, out: Path, formats: list[str] | None = None) -> tuple[int, int]:
    r = build(BuildOptions(source=src, out=out, formats=formats or ["html", "md"]))
    assert not r.report.errors, r.report.format_text()
    return r.written, r.unchanged


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".zhidu.lock"
    }


def test_build_is_deterministic_and_noop_rebuild_writes_nothing(tmp_path: Path) -> None:
    written, _ = _build(CASES / "minimal", tmp_path / "a")
    assert written >= 2
    _build(CASES / "minimal", tmp_path / "b")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()}
    assert _build(CASES / "minimal", tmp_path / "a") == (0, written)
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()}
    assert before == after


def test_manifest_lists_every_output_with_hash_and_code(tmp_path: Path) -> None:
    _build(CASES / "minimal", tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    [version] = manifest["versions"].values()
    assert len(version["code"]) == 8
    for path, entry in manifest["outputs"].items():
        data = (tmp_path / path).read_bytes()
        import hashlib

        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["code"] == version["code"]
        assert version["code"].encode() in data  # the stamp is printed on the artifact


def test_changed_source_rewrites_only_affected_outputs(tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(CASES / "minimal", src)
    first, _ = _build(src, tmp_path / "out")
    reg = src / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace("每周走访辖区个体工商户。", "每周走访辖区个体工商户和企业。"),
        encoding="utf-8",
    )
    written, _unchanged = _build(src, tmp_path / "out")
    # Every artifact prints the release code, which follows the source hash: all are rewritten, none skipped.
    assert written == first
    assert "个体工商户和企业" in (tmp_path / "out" / "src" / "notice.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "bad", ["../x.md", "/etc/x", "a/../../x", "a\\..\\x", "CON.md", "a/" + "长" * 90 + ".md", ""]
)
def test_writer_refuses_paths_outside_build(tmp_path: Path, bad: str) -> None:
    with pytest.raises(OutputError):
        safe_join(tmp_path, bad)


def test_writer_refuses_symlink_escape(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError):
        safe_join(tmp_path / "out", "link/x.md")


def test_writer_refuses_double_claims(tmp_path: Path) -> None:
    arts = [Artifact("a.md", b"1", "notice", "md"), Artifact("a.md", b"2", "duty-card", "md")]
    with pytest.raises(OutputError, match="争用"):
        OutputWriter(tmp_path).write_all(arts, {}, {})
    assert not (tmp_path / "a.md").exists()


def test_writer_takes_a_stream_and_a_broken_stream_changes_nothing(tmp_path: Path) -> None:
    from collections.abc import Iterator

    from zhidu.atomic import TMP_PREFIX
    from zhidu.errors import RenderError

    writer = OutputWriter(tmp_path)
    writer.write_all([Artifact("a.md", b"old", "notice", "md")], {}, {})
    before = (tmp_path / "manifest.json").read_bytes()
    held: list[int] = []

    def stream() -> Iterator[Artifact]:
        yield Artifact("a.md", b"new", "notice", "md")
        yield Artifact("sub/b.md", b"b", "notice", "md")
        # Each file went to a temporary file as it came: the writer holds no list of them.
        held.append(len(list(tmp_path.rglob(TMP_PREFIX + "*"))))
        raise RenderError("模板错误")

    with pytest.raises(RenderError):
        writer.write_all(stream(), {}, {})
    assert held == [2]
    # Nothing was renamed into place before the stream ended: old output and manifest as they were, no temp left.
    assert (tmp_path / "a.md").read_bytes() == b"old"
    assert not (tmp_path / "sub" / "b.md").exists()
    assert (tmp_path / "manifest.json").read_bytes() == before
    assert list(tmp_path.rglob(TMP_PREFIX + "*")) == []


def _loaded_after_check(modules: tuple[str, ...]) -> str:
    """Run `zhidu check` in a fresh interpreter; which of `modules` it imported, as printed there."""
    code = (
        "import sys; from zhidu.cli import main; main(['check', 'tests/cases/minimal']); "
        f"print('LOADED', sorted(m for m in {modules!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    return out.stdout + out.stderr


def test_check_and_help_do_not_import_heavy_libraries() -> None:
    out = _loaded_after_check(("docx", "jinja2", "pypandoc", "lxml"))
    assert "LOADED []" in out, out


def test_check_does_not_import_the_optional_commands() -> None:
    out = _loaded_after_check(("zhidu.verify", "zhidu.cli.diff", "zhidu.importer", "zhidu.fmt"))
    assert "LOADED []" in out, out


@pytest.mark.parametrize("argv", [["--help"], ["-h", "check"]])
def test_help_lists_every_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from zhidu.cli import main

    assert main(argv) == 0
    listed = capsys.readouterr().out
    assert all(c in listed for c in ("check", "build", "verify", "diff", "import", "fmt"))


def test_unknown_format_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    from zhidu.cli import main

    assert main(["build", str(CASES / "minimal"), "--format", "htm", "-o", "/nonexistent-never"]) == 2
    assert "是否想用 'html'" in capsys.readouterr().err


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from gen_communities import make_policy_tree

    from zhidu.render.jobs import PARALLEL_THRESHOLD

    work = make_policy_tree(110, tmp_path / "work")
    opts = {"source": work, "formats": ["html", "md"], "products": ["checklist"]}
    serial = build(BuildOptions(out=tmp_path / "serial", jobs=1, **opts))  # type: ignore[arg-type]
    parallel = build(BuildOptions(out=tmp_path / "parallel", jobs=2, **opts))  # type: ignore[arg-type]
    assert not serial.report.errors and not parallel.report.errors
    assert serial.written == parallel.written >= PARALLEL_THRESHOLD
    assert _tree(tmp_path / "serial") == _tree(tmp_path / "parallel")


def test_profile_option_reaches_the_docx(tmp_path: Path) -> None:
    import zipfile

    for profile in ("standard", "letter"):
        r = build(
            BuildOptions(
                source=CASES / "minimal",
                out=tmp_path / profile,
                formats=["docx"],
                products=["notice"],
                profile=profile,
            )
        )
        assert not r.report.errors
    docs = {
        p: zipfile.ZipFile(tmp_path / p / "minimal" / "notice.docx").read("word/document.xml")
        for p in ("standard", "letter")
    }
    # 信函格式 (GB/T 9704 10.1): no page number on page 1, so the first page gets its own (empty) footer.
    assert b"w:titlePg" in docs["letter"] and b"w:titlePg" not in docs["standard"]


def test_local_practice_profile_without_code_changes(tmp_path: Path) -> None:
    """An office puts templates/profiles/<name>.yaml in its policy folder: 28 pt leading, tagged as practice."""
    import shutil
    import zipfile

    from zhidu.verify import run_verify

    src = tmp_path / "p"
    shutil.copytree(CASES / "minimal", src)
    (src / "templates" / "profiles").mkdir(parents=True)
    (src / "templates" / "profiles" / "local.yaml").write_text(
        "name: local\ndescription: 本地惯例\nextends: standard\n"
        'grid:\n  line_pitch_tw: {value: 560, practice: "本地惯例：行距28磅"}\n',
        encoding="utf-8",
    )
    r = build(
        BuildOptions(source=src, out=tmp_path / "out", formats=["docx"], products=["notice"], profile="local")
    )
    assert not r.report.errors
    docx = tmp_path / "out" / "p" / "notice.docx"
    assert b'w:line="560"' in zipfile.ZipFile(docx).read("word/styles.xml")
    # The checker measures the document as it is: 28 pt leading fails 5.2.3, and only that kind of check.
    failed = {c.id for c in run_verify(docx, render=False).checks if c.status == "fail"}
    assert failed and all(f.startswith("grid.") for f in failed), failed


def test_untagged_profile_value_is_refused(tmp_path: Path) -> None:
    from zhidu.errors import ZhiduError
    from zhidu.layout import load_profile

    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.yaml").write_text(
        "name: bad\ndescription: x\nextends: standard\ngrid:\n  line_pitch_tw: 560\n", encoding="utf-8"
    )
    with pytest.raises(ZhiduError):
        load_profile("bad", (tmp_path,))


def test_timings_name_every_stage_that_ran(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zhidu.cli import main

    out = str(tmp_path / "o")
    assert main(["build", str(CASES / "minimal"), "-o", out, "--format", "html,md", "-q", "--timings"]) == 0
    err = capsys.readouterr().err
    stages = [ln.split()[0] for ln in err.split("各阶段耗时：\n", 1)[1].splitlines()]
    assert stages[:7] == ["inputs", "load", "lint", "plan", "render", "write", "合计"]
    # A no-op rebuild stops after hashing its inputs.
    assert main(["build", str(CASES / "minimal"), "-o", out, "-q", "--format", "html,md", "--timings"]) == 0
    assert [ln.split()[0] for ln in capsys.readouterr().err.splitlines()[1:]] == ["inputs", "合计"]


def test_an_invalid_version_fails_the_build_before_anything_is_written(tmp_path: Path) -> None:
    import shutil

    work = tmp_path / "work"
    shutil.copytree(CASES / "minimal", work / "1.0")
    shutil.copytree(CASES / "minimal", work / "2.0")
    roles = work / "2.0" / "roles.yaml"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("kind: leader", "kind: boss", 1), encoding="utf-8"
    )
    r = build(BuildOptions(source=work, out=tmp_path / "out", formats=["html"], jobs=2))
    assert [i.code for i in r.report.errors] == ["E013"]
    assert r.written == 0 and not (tmp_path / "out").exists()


def test_a_lone_version_rebuilds_when_the_version_it_supersedes_changes(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import ROOT

    work = tmp_path / "work"
    shutil.copytree(ROOT / "policy" / "gongyuan-aqsc", work)
    out = tmp_path / "out"
    first, _ = _build(work / "2024.2", out, ["md"])
    table = out / "2024.2" / "revision-table.md"
    assert "保障安全生产相关工作车辆及装备配置" not in table.read_text(encoding="utf-8")
    assert _build(work / "2024.2", out, ["md"]) == (0, first)
    # The 修订对照表 of 2024.2 reads 2024.1, outside the folder being built: an edit there is not a no-op.
    reg = work / "2024.1" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    assert "保障安全生产相关工作车辆及装备配置。" in text
    reg.write_text(
        text.replace("保障安全生产相关工作车辆及装备配置。", "保障车辆及装备配置。"), encoding="utf-8"
    )
    written, _ = _build(work / "2024.2", out, ["md"])
    assert written >= 1
    assert "保障**安全生产相关工作**车辆及装备配置。" in table.read_text(encoding="utf-8")
