"""V2 (templates read local files), V5 (poisoned caches) and template recursion."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from tests.security.conftest import WORK, no_traceback, zhidu

SECRET = "zhidu-secret-4711"


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(WORK, proj / "policy" / "w")
    return proj


def _md_build(proj: Path) -> tuple[int, str, str]:
    proc = zhidu("build", "policy", "-o", "build", "--format", "md", "--product", "notice", cwd=proj)
    no_traceback(proc)
    text = "".join(p.read_text(encoding="utf-8") for p in (proj / "build").rglob("*.md"))
    return proc.returncode, proc.stderr, text


def test_v2_symlinked_template_folder_reads_nothing(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (tmp_path / "host").write_text(SECRET, encoding="utf-8")
    templates = proj / "policy" / "w" / "templates"
    templates.mkdir()
    (templates / "md").symlink_to(tmp_path)
    (tmp_path / "notice.md.j2").write_text("{% include 'host' %}", encoding="utf-8")
    code, err, text = _md_build(proj)
    assert code == 1 and "符号链接" in err
    assert SECRET not in text


@pytest.mark.parametrize("how", ["file-link", "folder-link-include", "dotdot-include"])
def test_v2_templates_cannot_escape_their_folder(tmp_path: Path, how: str) -> None:
    proj = _project(tmp_path)
    secret = tmp_path / "secret" / "host"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    md = proj / "policy" / "w" / "templates" / "md"
    md.mkdir(parents=True)
    if how == "file-link":
        (md / "notice.md.j2").symlink_to(secret)
    elif how == "folder-link-include":
        (md / "sub").symlink_to(secret.parent)
        (md / "notice.md.j2").write_text("{% include 'sub/host' %}", encoding="utf-8")
    else:
        (md / "notice.md.j2").write_text("{% include '../../../../../secret/host' %}", encoding="utf-8")
    code, err, text = _md_build(proj)
    assert code == 1, err
    assert SECRET not in text and SECRET not in err


def test_template_recursion_is_a_located_error(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    md = proj / "policy" / "w" / "templates" / "md"
    md.mkdir(parents=True)
    (md / "notice.md.j2").write_text("{% include 'notice.md.j2' %}", encoding="utf-8")
    code, err, _ = _md_build(proj)
    assert code == 1 and "notice.md.j2" in err and "递归" in err


class _Payload:
    """Pickled, it writes a marker file when loaded (Jinja's old cache unpickled a checksum)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"echo pwned > {self.marker}",))


def test_v5_poisoned_template_cache_runs_nothing(tmp_path: Path) -> None:
    from jinja2.bccache import bc_magic

    proj = _project(tmp_path)
    first = zhidu("build", "policy", "-o", "first", "--format", "md,html", cwd=proj)
    assert first.returncode == 0, first.stderr
    entries = list((proj / ".cache-home" / "zhidu" / "jinja").rglob("*.cache"))
    assert entries
    marker = tmp_path / "ran"
    for e in entries:
        e.write_bytes(bc_magic + pickle.dumps(_Payload(marker)))
    second = zhidu("build", "policy", "-o", "second", "--format", "md,html", cwd=proj)
    no_traceback(second)
    assert not marker.exists(), "a planted cache entry ran code"
    assert second.returncode == 0
    for f in (proj / "first").rglob("*.md"):
        assert (proj / "second" / f.relative_to(proj / "first")).read_bytes() == f.read_bytes()


def _invalid(tmp_path: Path) -> Path:
    proj = _project(tmp_path)
    roles = proj / "policy" / "w" / "2024.2" / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8") + "\nbogus: 1\n", encoding="utf-8")
    return proj


@pytest.mark.parametrize("entry", ["forged", "fifo", "dev-zero"])
def test_v5_check_cache_entries_cannot_forge_or_hang(tmp_path: Path, entry: str) -> None:
    proj = _invalid(tmp_path)
    first = zhidu("check", "policy", cwd=proj)
    assert first.returncode == 1, first.stdout
    entries = list((proj / ".cache-home" / "zhidu" / "check").glob("*.json"))
    assert entries
    for e in entries:
        e.unlink()
        if entry == "forged":
            e.write_text('{"out": "共 0 个错误，0 个警告，0 个提示。", "code": 0}', encoding="utf-8")
        elif entry == "fifo":
            os.mkfifo(e)
        else:
            e.symlink_to("/dev/zero")
    second = zhidu("check", "policy", cwd=proj, timeout=60)
    no_traceback(second)
    assert second.returncode == 1 and second.stdout == first.stdout


def test_cache_key_is_private_and_outside_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = _project(tmp_path)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert zhidu("check", "policy", cwd=proj).returncode == 0
    key = home / ".local" / "state" / "zhidu" / "cache.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert not list((proj / ".cache-home").rglob("cache.key"))
