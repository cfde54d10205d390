"""V1, V6, R3: `zhidu diff PATH@REV` reads a hostile repository without writing files or running programs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.security.conftest import git, no_traceback, zhidu


def _tree(repo: Path, entries: list[tuple[str, str, str, str]]) -> str:
    """`git mktree` (no name checks) from (mode, type, oid, name) rows; the tree's id."""
    rows = "".join(f"{m} {t} {o}\t{n}\n" for m, t, o, n in entries)
    return git(repo, "mktree", stdin=rows.encode()).strip()


def test_v1_dotdot_tree_entries_never_become_paths(repo: Path, tmp_path: Path) -> None:
    # A commit whose version folder holds `..` entries leading back down to a folder of the victim's.
    victim = tmp_path / "victim"
    victim.mkdir()
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=b"work: pwned\n").strip()
    inner = _tree(repo, [("100644", "blob", blob, "pwned.yaml")])
    for part in reversed(victim.parts[1:]):
        inner = _tree(repo, [("040000", "tree", inner, part)])
    for _ in range(40):
        inner = _tree(repo, [("040000", "tree", inner, "..")])
    head = git(repo, "rev-parse", "HEAD^{tree}").strip()
    top = _tree(repo, [("040000", "tree", inner, "v"), ("040000", "tree", head, "base")])
    commit = git(repo, "commit-tree", top, "-m", "evil").strip()
    git(repo, "update-ref", "refs/remotes/origin/evil", commit)

    proc = zhidu("diff", "v@origin/evil", "policy/w/2024.2", cwd=repo)
    no_traceback(proc)
    assert proc.returncode == 2
    assert list(victim.iterdir()) == []
    assert "没有制度版本" in proc.stderr or "不存在" in proc.stderr


def test_v6_hostile_git_config_runs_nothing(repo: Path, tmp_path: Path) -> None:
    # A partial clone whose promisor remote is reached over ssh by the repository's own sshCommand; one blob
    # of HEAD~1 is missing, so reading it would fetch lazily and run evil.sh.
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho x >> {marker}\nexit 1\n", encoding="utf-8")
    evil.chmod(evil.stat().st_mode | stat.S_IEXEC)
    git(repo, "config", "core.repositoryformatversion", "1")
    git(repo, "config", "extensions.partialClone", "origin")
    git(repo, "config", "remote.origin.url", "ssh://127.0.0.1:9/nothing")
    git(repo, "config", "remote.origin.promisor", "true")
    git(repo, "config", "core.sshCommand", str(evil))
    git(repo, "config", "core.fsmonitor", str(evil))
    git(repo, "config", "core.pager", str(evil))
    git(repo, "config", "diff.external", str(evil))
    git(repo, "config", "core.hooksPath", str(tmp_path))
    blob = git(repo, "rev-parse", "HEAD~1:policy/w/2024.2/regulation.yaml").strip()
    os.unlink(repo / ".git" / "objects" / blob[:2] / blob[2:])

    proc = zhidu("diff", "policy/w/2024.2@HEAD~1", "policy/w/2024.2", cwd=repo)
    no_traceback(proc)
    assert not marker.exists(), "a program named by the repository's config ran"
    assert proc.returncode == 2
    assert proc.stderr.startswith("zhidu diff: git 对象") or "失败" in proc.stderr


def test_r3_absolute_path_at_rev_reads_the_revision(repo: Path, tmp_path: Path) -> None:
    # The working tree differs from HEAD~1: the absolute form must compare the revision, not the folder.
    folder = repo / "policy" / "w" / "2024.2"
    reg = folder / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace("贯彻落实党中央", "平安落实党中央"), encoding="utf-8"
    )
    rel = zhidu("diff", "policy/w/2024.2@HEAD", "policy/w/2024.2", "--color", "never", cwd=repo)
    absolute = zhidu("diff", f"{folder}@HEAD", str(folder), "--color", "never", cwd=tmp_path)
    no_traceback(absolute)
    assert rel.returncode == 1, rel.stderr
    assert absolute.returncode == 1, absolute.stdout + absolute.stderr
    assert "平安" in absolute.stdout
    # Also from a folder outside any repository: the repository is the one holding the path.
    outside = zhidu("diff", f"{folder}@HEAD~1", f"{folder}@HEAD", "--color", "never", cwd=tmp_path)
    assert outside.returncode == 0, outside.stderr
