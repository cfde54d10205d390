"""The check result cache: same answer, invalidated by any source change, never needed for correctness."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES


def _check(cwd: Path, cache: Path | None) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from zhidu.cli import main; rc = main(['check', 'p']); "
        "print('MODEL', 'zhidu.model' in sys.modules); sys.exit(rc)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    else:
        env["ZHIDU_NO_CACHE"] = "1"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_cached_answer_is_identical_and_skips_the_model(tmp_path: Path) -> None:
    shutil.copytree(CASES / "invalid" / "E006-unknown-role", tmp_path / "case")
    shutil.copytree(CASES / "minimal", tmp_path / "p")
    shutil.copy(tmp_path / "case" / "regulation.yaml", tmp_path / "p" / "regulation.yaml")
    cache = tmp_path / "cache"
    fresh = _check(tmp_path, None)
    first = _check(tmp_path, cache)
    second = _check(tmp_path, cache)
    assert fresh.returncode == first.returncode == second.returncode == 1
    body = lambda r: r.stdout.rsplit("MODEL", 1)[0]  # noqa: E731
    assert body(fresh) == body(first) == body(second)
    assert "MODEL True" in first.stdout and "MODEL False" in second.stdout
    assert list((cache / "zhidu" / "check").glob("*.json"))


def test_any_source_change_invalidates(tmp_path: Path) -> None:
    shutil.copytree(CASES / "minimal", tmp_path / "p")
    cache = tmp_path / "cache"
    assert _check(tmp_path, cache).returncode == 0
    reg = tmp_path / "p" / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace("owners: [R-WGY]", "owners: [R-WGX]"), encoding="utf-8"
    )
    r = _check(tmp_path, cache)
    assert r.returncode == 1 and "E006" in r.stdout and "MODEL True" in r.stdout


@pytest.mark.parametrize("bad", ["{", "[]", '{"out": 3}'])
def test_broken_cache_entries_are_ignored(tmp_path: Path, bad: str) -> None:
    shutil.copytree(CASES / "minimal", tmp_path / "p")
    cache = tmp_path / "cache"
    _check(tmp_path, cache)
    for f in (cache / "zhidu" / "check").glob("*.json"):
        f.write_text(bad, encoding="utf-8")
    r = _check(tmp_path, cache)
    assert r.returncode == 0 and "共 0 个错误" in r.stdout and "MODEL True" in r.stdout


def _build(cwd: Path, out: str, cache: Path | None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from zhidu.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    else:
        env["ZHIDU_NO_CACHE"] = "1"
    args = ["build", "p", "-o", out, "--format", "html,md", "-q"]
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def _outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.html")} | {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")
    }


def test_compiled_templates_are_cached_and_change_nothing(tmp_path: Path) -> None:
    shutil.copytree(CASES / "minimal", tmp_path / "p")
    cache = tmp_path / "cache"
    assert _build(tmp_path, "fresh", None).returncode == 0
    assert not cache.exists()
    assert _build(tmp_path, "first", cache).returncode == 0
    compiled = sorted((cache / "zhidu" / "jinja").rglob("*.cache"))
    assert compiled
    assert _build(tmp_path, "second", cache).returncode == 0
    assert sorted((cache / "zhidu" / "jinja").rglob("*.cache")) == compiled
    fresh = _outputs(tmp_path / "fresh")
    assert fresh and fresh == _outputs(tmp_path / "first") == _outputs(tmp_path / "second")


def test_a_broken_template_cache_only_costs_time(tmp_path: Path) -> None:
    shutil.copytree(CASES / "minimal", tmp_path / "p")
    cache = tmp_path / "cache"
    assert _build(tmp_path, "first", cache).returncode == 0
    for f in (cache / "zhidu" / "jinja").rglob("*.cache"):
        f.write_bytes(b"not bytecode")
    assert _build(tmp_path, "second", cache).returncode == 0
    # A cache folder that cannot be made (here: a file in its place) is not used at all.
    shutil.rmtree(cache / "zhidu" / "jinja")
    (cache / "zhidu" / "jinja").write_bytes(b"")
    r = _build(tmp_path, "third", cache)
    assert r.returncode == 0, r.stderr
    assert _outputs(tmp_path / "first") == _outputs(tmp_path / "second") == _outputs(tmp_path / "third")
