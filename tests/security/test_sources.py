"""R6, profiles and the traceback cases: bad sources give a located Chinese message and exit 1/2."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.security.conftest import WORK, no_traceback, zhidu

LOCATED = re.compile(r"^\S+:\d+:\d+: 错误\[E\d{3}\]|^\S+: 错误\[E\d{3}\]", re.M)


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(WORK, proj / "policy" / "w")
    return proj


def test_r6_id_with_a_final_newline_is_refused(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    roles = proj / "policy/w/2024.2/roles.yaml"
    text = roles.read_text(encoding="utf-8")
    assert "id: R-DZB\n" in text
    roles.write_text(text.replace("id: R-DZB\n", 'id: "R-DZB\\n"\n', 1), encoding="utf-8")
    proc = zhidu("check", "policy/w/2024.2", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 1 and "roles.yaml:" in proc.stdout and "错误[E" in proc.stdout
    build = zhidu("build", "policy/w/2024.2", "-o", "out", "--format", "md", cwd=proj)
    assert build.returncode == 1
    assert not list((proj / "out").rglob("*\n*")) if (proj / "out").exists() else True


@pytest.mark.parametrize(
    "twin",
    ["示例一社区", "示例一\u200b社区", "示例一\u202e社区", "\u793a\u4f8b\u4e00\u793e\u533a\u0020"],
)
def test_r6_duplicate_or_confusable_community_names(tmp_path: Path, twin: str) -> None:
    proj = _project(tmp_path)
    parties = proj / "policy/w/parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(text.replace("name: 示例二社区", f'name: "{twin}"'), encoding="utf-8")
    proc = zhidu("check", "policy/w/2024.2", cwd=proj)
    no_traceback(proc)
    found = [ln for ln in proc.stdout.splitlines() if "W123" in ln]
    assert found and found[0].startswith("policy/w/parties.yaml:"), proc.stdout


def test_r6_nfd_community_name_is_confusable(tmp_path: Path) -> None:
    import unicodedata

    proj = _project(tmp_path)
    parties = proj / "policy/w/parties.yaml"
    text = parties.read_text(encoding="utf-8")
    # Two Latin names that print alike: NFC "é" and NFD "e" + combining acute.
    text = text.replace("name: 示例一社区", "name: Café社区").replace(
        "name: 示例二社区", "name: " + unicodedata.normalize("NFD", "Café社区")
    )
    parties.write_text(text, encoding="utf-8")
    proc = zhidu("check", "policy/w/2024.2", cwd=proj)
    assert "W123" in proc.stdout and "看起来相同" in proc.stdout


def _profile(proj: Path, name: str, body: str | bytes) -> None:
    d = proj / "policy/w/templates/profiles"
    d.mkdir(parents=True, exist_ok=True)
    f = d / f"{name}.yaml"
    f.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))


_BAD_PROFILES = {
    "nan": "extends: standard\nsizes:\n  body_pt: {value: .nan, practice: x}\n",
    "inf": "extends: standard\nsizes:\n  body_pt: {value: .inf, practice: x}\n",
    "huge": "extends: standard\npage:\n  width_mm: {value: 1e308, practice: x}\n",
    "str": "extends: standard\nsizes:\n  body_pt: {value: 大, practice: x}\n",
    "zero": "extends: standard\nsizes:\n  title_pt: {value: 0, practice: x}\n",
    "null-leaf": "extends: standard\nsizes:\n  body_pt: null\n",
    "list": "extends: standard\nsizes:\n  body_pt: {value: [1, 2], practice: x}\n",
    "margins": "extends: standard\npage:\n  margin_left_mm: {value: 1000, practice: x}\n",
    "blank-lines": "extends: standard\nhead:\n  blank_lines_after_mark: {value: 1e8, practice: x}\n",
    "self-cycle": "extends: bad\n",
    "extends-list": "extends: [standard]\n",
    "escape-name": "extends: ../../../../etc/x\n",
    "yaml": "extends: standard\nsizes: {body_pt: {value: 16\n",
    "utf8": b"extends: standard\n# \xff\xfe\n",
    # A million mapping leaves from a few lines: the walk, not the parse, is what explodes.
    "alias-bomb": "a: &a {v: {value: 1, practice: p}}\n"
    + "".join(
        f"{c}: &{c} {{{', '.join(f'k{i}: *{p}' for i in range(10))}}}\n"
        for p, c in zip("abcdef", "bcdefg", strict=True)
    )
    + "extends: standard\n",
}


@pytest.mark.parametrize("case", sorted(_BAD_PROFILES))
def test_bad_profiles_are_located_errors(tmp_path: Path, case: str) -> None:
    proj = _project(tmp_path)
    _profile(proj, "bad", _BAD_PROFILES[case])
    proc = zhidu(
        "build",
        "policy/w/2024.2",
        "-o",
        "out",
        "--format",
        "docx",
        "--product",
        "notice",
        "--profile",
        "bad",
        cwd=proj,
        timeout=60,
    )
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert "版式配置" in proc.stderr or "profiles/bad.yaml" in proc.stderr, proc.stderr


def test_local_standard_extending_letter_is_a_cycle_error(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    _profile(proj, "standard", "extends: letter\n")
    proc = zhidu("build", "policy/w/2024.2", "-o", "out", "--format", "docx", "--product", "notice", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 1 and "继承成环" in proc.stderr


def test_symlinked_profile_is_refused(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (tmp_path / "outside.yaml").write_text("extends: standard\n", encoding="utf-8")
    d = proj / "policy/w/templates/profiles"
    d.mkdir(parents=True)
    (d / "bad.yaml").symlink_to(tmp_path / "outside.yaml")
    proc = zhidu(
        "build",
        "policy/w/2024.2",
        "-o",
        "out",
        "--format",
        "docx",
        "--product",
        "notice",
        "--profile",
        "bad",
        cwd=proj,
    )
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr


def test_source_symlink_outside_is_not_echoed(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:secret-line\n", encoding="utf-8")
    laws = proj / "policy/w/2024.2/laws.yaml"
    laws.unlink()
    laws.symlink_to(secret)
    proc = zhidu("check", "policy", cwd=proj)
    no_traceback(proc)
    assert proc.returncode == 1 and "secret-line" not in proc.stdout and "root:x" not in proc.stdout
    assert "policy/w/2024.2/laws.yaml: 错误[E019]" in proc.stdout


def test_symlinked_version_folder_is_named(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (proj / "policy/w/2024.3").symlink_to(proj / "policy/w/2024.1")
    proc = zhidu("check", "policy", cwd=proj)
    no_traceback(proc)
    assert "policy/w/2024.3: 警告[W124]" in proc.stdout


def test_fifo_source_does_not_hang(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    laws = proj / "policy/w/2024.2/laws.yaml"
    laws.unlink()
    os.mkfifo(laws)
    proc = zhidu("check", "policy/w/2024.2", cwd=proj, timeout=60)
    no_traceback(proc)
    assert proc.returncode in (0, 1)


@pytest.mark.parametrize("oddity", ["non-utf8-file", "non-utf8-folder", "folder-named-yaml"])
def test_odd_names_in_sources(tmp_path: Path, oddity: str) -> None:
    proj = _project(tmp_path)
    v = os.fsencode(proj / "policy/w/2024.2")
    if oddity == "non-utf8-file":
        Path(os.fsdecode(v + b"/x\xff.yaml")).write_text("a: 1\n", encoding="utf-8")
    elif oddity == "non-utf8-folder":
        Path(os.fsdecode(v + b"/d\xff")).mkdir()
        Path(os.fsdecode(v + b"/d\xff/y.yaml")).write_text("a: 1\n", encoding="utf-8")
    else:
        (proj / "policy/w/2024.2/bad.yaml").mkdir()
        (proj / "policy/w/notes.yaml").mkdir()
    for args in (("check", "policy"), ("build", "policy", "-o", "out", "--format", "md")):
        proc = zhidu(*args, cwd=proj)
        no_traceback(proc)
        assert proc.returncode == 0, proc.stderr
