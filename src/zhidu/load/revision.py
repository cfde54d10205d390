"""Policy versions at a git revision (``PATH@GITREV``), loaded for comparison."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zhidu.errors import RevisionError

if TYPE_CHECKING:
    from zhidu.diagnostics import Report
    from zhidu.model import Policy


def load_side(spec: str, tmp: Path, report: Report) -> Policy:
    """One side of the comparison: a version folder or file, or PATH@GITREV checked out into `tmp`."""
    from zhidu.load.policy import load_policy
    from zhidu.load.source import find_versions

    path, rev = split_rev(spec)
    root = checkout(path, rev, tmp) if rev else Path(path)
    if not root.exists():
        raise RevisionError(f"路径不存在：{path}")
    folders = find_versions(root)
    if not folders:
        raise RevisionError(f"{spec} 中没有制度版本（缺少 regulation.yaml）")
    if len(folders) > 1:
        names = "、".join(f.name for f in folders)
        raise RevisionError(f"{spec} 含多个版本（{names}），请指定其中一个版本目录")
    before = len(report.errors)
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


def _git(*args: str) -> bytes:
    import subprocess

    try:
        proc = subprocess.run(["git", *args], capture_output=True, check=False)
    except FileNotFoundError as e:
        raise RevisionError("未找到 git，无法读取 路径@修订号") from e
    if proc.returncode != 0:
        raise RevisionError(f"无法读取 路径@修订号：{git_reason(proc.stderr, proc.returncode)}")
    return proc.stdout


#: git's own (English) failure texts → what they mean for 路径@修订号.
_GIT_REASONS = (
    ("not a git repository", "所在目录不是 git 仓库，路径@修订号 只能用于 git 管理的制度目录"),
    (
        "dubious ownership",
        "git 拒绝读取属于其他用户的仓库（可由仓库所有者运行 git config --global --add safe.directory）",
    ),
    ("unknown revision", "修订号不存在"),
    ("bad revision", "修订号不存在"),
    ("needed a single revision", "修订号不存在"),
    ("does not exist in", "该修订中没有此路径"),
    ("exists on disk, but not in", "该修订中没有此路径"),
    ("does not have any commits yet", "仓库还没有任何提交"),
)


def git_reason(stderr: bytes, returncode: int) -> str:
    """A failed git call in Chinese: git's messages are English and name internals a clerk cannot act on."""
    text = stderr.decode("utf-8", "replace").lower()
    for en, zh in _GIT_REASONS:
        if en in text:
            return zh
    return f"git 命令失败（退出码 {returncode}）"


def checkout(path: str, rev: str, tmp: Path) -> Path:
    """Copy `path`'s YAML files at `rev` (and the work's parties/glossary) into `tmp`; returns the copy."""
    import os.path

    top = _git("rev-parse", "--show-toplevel").decode("utf-8").strip()
    try:
        _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"无效的 git 修订号“{rev}”") from None
    prefix = _git("rev-parse", "--show-prefix").decode("utf-8").strip()
    # Repository paths from here on, listed from the top so the working directory does not matter.
    target = Path(os.path.normpath(prefix + path.rstrip("/")))
    if target.as_posix().startswith(".."):
        raise RevisionError(f"{path} 不在当前 git 仓库内")

    def ls(spec: str, recursive: bool = False) -> list[str]:
        flags = ["-r"] if recursive else []
        return _git("-C", top, "ls-tree", *flags, "--name-only", rev, "--", spec).decode("utf-8").splitlines()

    full = ls(target.as_posix(), recursive=True) if target.as_posix() != "." else ls(".", recursive=True)
    if not full:
        raise RevisionError(f"修订号 {rev} 中不存在 {path}")
    is_file = full == [target.as_posix()]
    folder = target.parent if is_file else target
    wanted = [f for f in (ls(f"{folder.as_posix()}/") if is_file else full) if f.endswith(".yaml")]
    wanted += [
        f for f in ls(f"{folder.parent.as_posix()}/") if Path(f).name in ("parties.yaml", "glossary.yaml")
    ]
    for name in dict.fromkeys(wanted):
        dest = tmp / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_git("-C", top, "show", f"{rev}:{name}"))
    return tmp / folder
