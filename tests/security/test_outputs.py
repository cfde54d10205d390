"""V3, V4, R1, R2 and output-folder tracebacks: zhidu writes and removes only its own files, never via links."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from tests.security.conftest import WORK, no_traceback, zhidu


def _sha(p: Path) -> dict[str, object]:
    data = p.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "format": "md", "product": "x"}


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(WORK, proj / "policy" / "w")
    (proj / "README.md").write_text("我的说明\n", encoding="utf-8")
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return proj


def test_v3_planted_manifest_in_repo_root_deletes_nothing(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    victims = [proj / "README.md", proj / "policy/w/parties.yaml", proj / ".git/HEAD"]
    # The attacker knows these files' exact bytes, so even the hashes match.
    outputs = {v.relative_to(proj).as_posix(): _sha(v) for v in victims}
    (proj / "manifest.json").write_text(json.dumps({"inputs": "x", "outputs": outputs}), encoding="utf-8")
    proc = zhidu("build", "policy", "-o", ".", "--format", "md", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "包含制度源文件" in proc.stderr
    assert all(v.exists() for v in victims)
    # A repository root is refused even when the sources live elsewhere.
    proc = zhidu("build", str(proj / "policy"), "-o", str(proj / "policy" / ".."), cwd=tmp_path)
    assert proc.returncode == 2 and all(v.exists() for v in victims)
    shutil.move(str(proj / "policy"), str(tmp_path / "src"))
    proc = zhidu("build", str(tmp_path / "src"), "-o", str(proj), "--format", "md", cwd=tmp_path)
    assert proc.returncode == 2 and "版本库根目录" in proc.stderr
    assert (proj / "README.md").exists() and (proj / ".git/HEAD").exists()


def test_v3_planted_manifest_in_build_spares_user_files(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    build = proj / "build"
    (build / "notes").mkdir(parents=True)
    (build / "keep.txt").write_text("保留\n", encoding="utf-8")
    (build / "notes" / "mine.md").write_text("我的笔记\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.md").write_text("外部\n", encoding="utf-8")
    (build / "linked").symlink_to(elsewhere)
    outputs = {
        "keep.txt": _sha(build / "keep.txt"),  # exact hash, but not a kind of file zhidu writes
        "notes/mine.md": {"sha256": "0" * 64, "size": 13},  # not the bytes zhidu wrote
        "linked/far.md": _sha(elsewhere / "far.md"),  # exact hash, but reached through a symlink
    }
    (build / "manifest.json").write_text(json.dumps({"inputs": "x", "outputs": outputs}), encoding="utf-8")
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert (build / "keep.txt").exists() and (build / "notes" / "mine.md").exists()
    assert (elsewhere / "far.md").exists()
    # What zhidu wrote itself is still pruned when it is no longer produced.
    notice = build / "w" / "2024.2" / "notice.md"
    assert notice.exists()
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", "--product", "duty-card", cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert not notice.exists()


def test_v4_schema_write_refuses_symlinks(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("重要\n", encoding="utf-8")
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "regulation.schema.json").symlink_to(victim)
    proc = zhidu("schema", "--write", str(out), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr
    assert victim.read_text(encoding="utf-8") == "重要\n"
    md = tmp_path / "schema.md"
    md.symlink_to(victim)
    proc = zhidu("schema", "--markdown", str(md), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr
    assert victim.read_text(encoding="utf-8") == "重要\n" and md.is_symlink()
    # A symlinked folder on the way to an output is refused the same way.
    (tmp_path / "real").mkdir()
    build = tmp_path / "proj" / "build"
    shutil.copytree(WORK, tmp_path / "proj" / "policy" / "w")
    build.mkdir()
    (build / "w").symlink_to(tmp_path / "real")
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", cwd=tmp_path / "proj")
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr
    assert list((tmp_path / "real").iterdir()) == []


def test_r1_work_level_edit_rebuilds_a_version_folder(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    version = "policy/w/2024.2"
    assert zhidu("build", version, "-o", "out", "--format", "md", cwd=proj).returncode == 0
    parties = proj / "policy/w/parties.yaml"
    parties.write_text(
        parties.read_text(encoding="utf-8").replace("示例一社区", "新名社区"), encoding="utf-8"
    )
    proc = zhidu("build", version, "-o", "out", "--format", "md", cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert "已生成 0 个文件" not in proc.stdout
    text = "".join(p.read_text(encoding="utf-8") for p in (proj / "out").rglob("*.md"))
    assert "新名社区" in text and "示例一社区" not in text


def test_r2_output_edited_in_place_is_rebuilt(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    assert zhidu("build", "policy", "-o", "build", "--format", "md", cwd=proj).returncode == 0
    notice = proj / "build/w/2024.2/notice.md"
    good = notice.read_bytes()
    forged = good.decode("utf-8").replace("安全", "伪造")
    assert len(forged.encode()) == len(good)  # same size: a size check cannot see it
    notice.write_text(forged, encoding="utf-8")
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", cwd=proj)
    assert proc.returncode == 0 and "已生成 1 个文件" in proc.stdout, proc.stdout
    assert notice.read_bytes() == good


def test_symlinked_lock_and_link_loops_in_output(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    build = proj / "build"
    build.mkdir()
    (build / ".zhidu.lock").symlink_to(tmp_path / "elsewhere.lock")
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 1 and ".zhidu.lock" in proc.stderr
    assert not (tmp_path / "elsewhere.lock").exists()
    os.unlink(build / ".zhidu.lock")
    (build / "loop").symlink_to(build / "loop")
    (build / "w").symlink_to(build / "w")
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr
