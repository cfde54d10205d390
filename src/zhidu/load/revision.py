"""Policy versions at a git revision (``PATH@GITREV``), loaded for comparison.

A repository is untrusted input: its tree may hold names such as ``..`` (git does not check them unless asked)
and its ``.git/config`` may name programs (``core.sshCommand``, a promisor remote's ``uploadpack``, an
fsmonitor). So nothing read from a tree ever becomes a file-system path: blobs are read into memory with one
``git cat-file --batch`` and loaded from bytes, and every git process runs with a minimal environment, lazy
fetching off and every transport forbidden, so that it can read objects and nothing else.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from zhidu.errors import RevisionError

if TYPE_CHECKING:
    from zhidu.diagnostics import Report
    from zhidu.model import Policy

#: A version holds a handful of YAML files; more (or larger) blobs than this is not a policy.
MAX_BLOBS = 64
MAX_BLOB_BYTES = 8 * 1024 * 1024
#: Seconds one git process may run; reading a few blobs takes milliseconds.
GIT_TIMEOUT = 60

#: Options that switch off every program or network access a repository's own config could ask for.
_SAFE_CONFIG = (
    "core.sshCommand=",
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "protocol.allow=never",
    "credential.helper=",
    "diff.external=",
    "uploadpack.packObjectsHook=",
)
#: Environment variables git reads for its own purposes; everything else a caller set is dropped.
_KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT")

_MODE_BLOB = re.compile(rb"\A(100644|100755) blob ([0-9a-f]{40,64})\Z")


def load_side(spec: str, report: Report) -> Policy:
    """One side of the comparison: a version folder or file, or PATH@GITREV read from git into memory."""
    from zhidu.load.policy import load_policy, load_policy_bytes
    from zhidu.load.source import find_versions

    path, rev = split_rev(spec)
    before = len(report.errors)
    if rev:
        _folder, files = read_revision(path, rev)
        policy = load_policy_bytes(Path(spec), files, report)
    else:
        root = Path(path)
        if not root.exists():
            raise RevisionError(f"路径不存在：{path}")
        folders = find_versions(root)
        if not folders:
            raise RevisionError(f"{spec} 中没有制度版本（缺少 regulation.yaml）")
        if len(folders) > 1:
            names = "、".join(f.name for f in folders)
            raise RevisionError(f"{spec} 含多个版本（{names}），请指定其中一个版本目录")
        policy = load_policy(folders[0], report)
    if policy is None or len(report.errors) > before:
        raise RevisionError(f"{spec} 无法加载（见上方错误）", details=report.format_text())
    if rev:
        from dataclasses import replace

        policy = replace(policy, root=spec)
    return policy


def split_rev(spec: str) -> tuple[str, str | None]:
    """ "policy/x@HEAD~1" → ("policy/x", "HEAD~1"); a path that exists as written has no revision."""
    if Path(spec).exists() or "@" not in spec:
        return spec, None
    path, _, rev = spec.rpartition("@")
    if not path or not rev:
        return spec, None
    return path, rev


def git_env() -> dict[str, str]:
    """The environment every git process gets: the user's PATH and HOME, no GIT_* variable of a caller."""
    env = {k: os.environ[k] for k in _KEEP_ENV if k in os.environ}
    env.update(
        {
            # git ≥ 2.45: never fetch a missing object from a promisor remote (older git: protocol.allow).
            "GIT_NO_LAZY_FETCH": "1",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROTOCOL_FROM_USER": "0",
            "GIT_OPTIONAL_LOCKS": "0",
        }
    )
    return env


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one hardened git command in `cwd`; its stdout, or a RevisionError with git's last line."""
    import subprocess

    cmd = ["git", "--no-pager"]
    for c in _SAFE_CONFIG:
        cmd += ["-c", c]
    try:
        proc = subprocess.run(
            [*cmd, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            env=git_env(),
            timeout=GIT_TIMEOUT,
        )
    except FileNotFoundError as e:
        raise RevisionError("未找到 git，无法读取 路径@修订号") from e
    except subprocess.TimeoutExpired as e:
        raise RevisionError(f"git {args[0]} 超过 {GIT_TIMEOUT} 秒未完成") from e
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]} 失败：{msg[-1] if msg else proc.returncode}")
    return proc.stdout


def _repo_of(path: str) -> tuple[Path, PurePosixPath]:
    """The repository that holds `path` (as it would in the working tree) and `path` inside it."""
    p = Path(os.path.abspath(path))
    probe = p
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    top = Path(git(probe, "rev-parse", "--show-toplevel").decode("utf-8", "replace").strip())
    try:
        rel = p.relative_to(top.resolve())
    except ValueError:
        try:
            rel = Path(os.path.realpath(p)).relative_to(top.resolve())
        except ValueError:
            raise RevisionError(f"{path} 不在 git 仓库 {top} 内") from None
    return top, PurePosixPath(rel.as_posix())


def _safe_name(raw: bytes) -> str | None:
    """A tree entry name as text when it is a plain relative path; None for anything else."""
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = name.split("/")
    if any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    return name


def _ls_tree(top: Path, rev: str, spec: str, recursive: bool = True) -> dict[str, str]:
    """Blob entries under `spec` at `rev`: repository path → object id. Other kinds and odd names are left out."""
    flags = ["-r"] if recursive else []
    out = git(top, "ls-tree", *flags, "-z", "--full-tree", rev, "--", spec)
    entries: dict[str, str] = {}
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, raw_name = rec.partition(b"\t")
        m = _MODE_BLOB.match(meta)
        name = _safe_name(raw_name)
        if m is None or name is None:
            continue
        entries[name] = m.group(2).decode("ascii")
    return entries


def _cat_blobs(top: Path, oids: list[str]) -> list[bytes]:
    """The bytes of some blobs, in order, from one `git cat-file --batch`; each size-bounded."""
    if len(oids) > MAX_BLOBS:
        raise RevisionError(f"版本目录中的文件过多（超过 {MAX_BLOBS} 个）")
    out = git(top, "cat-file", "--batch", stdin=b"".join(o.encode() + b"\n" for o in oids))
    blobs: list[bytes] = []
    pos = 0
    for oid in oids:
        end = out.find(b"\n", pos)
        header = out[pos:end].split(b" ")
        if len(header) != 3 or header[1] != b"blob":
            raise RevisionError(f"git 对象 {oid} 缺失或不是文件")
        size = int(header[2])
        if size > MAX_BLOB_BYTES:
            raise RevisionError(f"git 对象 {oid} 过大（{size} 字节，上限 {MAX_BLOB_BYTES}）")
        blobs.append(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return blobs


def read_revision(path: str, rev: str) -> tuple[PurePosixPath, dict[Path, bytes | None]]:
    """`path`'s version at `rev`: its folder in the repository and its files (named ``REV:repo/path``) as bytes.

    Like a version folder on disk: the folder's own *.yaml, plus parties.yaml and glossary.yaml from the work
    folder above it. Nothing is written anywhere.
    """
    if rev.startswith("-") or "\n" in rev or "\0" in rev:
        raise RevisionError(f"无效的 git 修订号“{rev}”")
    top, target = _repo_of(path)
    try:
        git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"无效的 git 修订号“{rev}”") from None
    spec = target.as_posix()
    blobs = _ls_tree(top, rev, spec if spec != "." else ".")
    if not blobs:
        raise RevisionError(f"修订号 {rev} 中不存在 {path}")
    if spec in blobs:
        folder = target.parent
        blobs = _ls_tree(top, rev, f"{folder.as_posix()}/" if folder.as_posix() != "." else ".", False)
    else:
        folder = target
        versions = sorted(
            {str(PurePosixPath(n).parent) for n in blobs if PurePosixPath(n).name == "regulation.yaml"}
        )
        if len(versions) > 1:
            shown = "、".join(PurePosixPath(v).name for v in versions)
            raise RevisionError(f"{path}@{rev} 含多个版本（{shown}），请指定其中一个版本目录")
        if versions:
            folder = PurePosixPath(versions[0])
    own = {n: o for n, o in blobs.items() if PurePosixPath(n).parent == folder and n.endswith(".yaml")}
    if folder.parent != folder:
        up = folder.parent.as_posix()
        shared = _ls_tree(top, rev, f"{up}/" if up != "." else ".", recursive=False)
        for n, o in shared.items():
            pn = PurePosixPath(n)
            wanted = pn.parent == folder.parent and pn.name in ("parties.yaml", "glossary.yaml")
            if wanted and not any(PurePosixPath(x).name == pn.name for x in own):
                own[n] = o
    if not any(PurePosixPath(n).name == "regulation.yaml" for n in own):
        raise RevisionError(f"{path}@{rev} 中没有制度版本（缺少 regulation.yaml）")
    names = sorted(own)
    data = _cat_blobs(top, [own[n] for n in names])
    return folder, {Path(f"{rev}:{n}"): b for n, b in zip(names, data, strict=True)}
