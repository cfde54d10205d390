"""`zhidu diff OLD NEW`: the 修订对照表 of two versions; exit 0 equal, 1 different, 2 error (as diff(1)).

Each side is a policy version folder (or a file in it), or ``PATH@GITREV`` read with ``git show``. Only the
standard library is imported at module level: `zhidu --help` must stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhidu.diagnostics import Report
    from zhidu.diff import Part, RevisionDiff
    from zhidu.model import Policy
    from zhidu.views.diffview import DiffView

EXIT_EQUAL, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2
FORMATS = ("terminal", "md", "html", "docx")


class DiffError(Exception):
    """A side cannot be read or loaded; the message is for the user."""


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `diff` subcommand."""
    d = sub.add_parser(
        "diff",
        help="比较两个版本，生成修订对照表",
        description="比较两个制度版本，按条文 id 对照，输出修订对照表。相同退出 0，不同退出 1，出错退出 2。",
    )
    d.add_argument("old", help="原版本：版本目录或其中的文件，或 路径@git修订号（如 policy/x/2024.1@HEAD~1）")
    d.add_argument("new", help="修订后版本，写法同上")
    d.add_argument("--format", choices=FORMATS, default="terminal", help="输出格式（默认 terminal）")
    d.add_argument("-o", "--out", metavar="FILE", help="写入文件（docx 必须指定）")
    d.add_argument("--columns", help="三列标题，逗号分隔（默认 原条文,修订后条文,修订说明）")
    d.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="终端着色（默认 auto）"
    )
    d.set_defaults(func=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    """Run `zhidu diff`; every failure is exit 2, as with diff(1)."""
    import tempfile

    from zhidu.diagnostics import Report
    from zhidu.errors import ZhiduError

    report = Report()
    try:
        with tempfile.TemporaryDirectory(prefix="zhidu-diff-") as tmp:
            old = load_side(args.old, Path(tmp) / "a", report)
            new = load_side(args.new, Path(tmp) / "b", report)
            columns = _columns(args.columns)
            return _emit(old, new, args, columns)
    except (DiffError, ZhiduError, OSError) as e:
        if report.issues:
            sys.stderr.write(report.format_text() + "\n")
        sys.stderr.write(f"zhidu diff: {e}\n")
        return EXIT_ERROR


def _columns(spec: str | None) -> tuple[str, str, str]:
    from zhidu.views.diffview import DEFAULT_COLUMNS

    if not spec:
        return DEFAULT_COLUMNS
    parts = [x.strip() for x in spec.replace("，", ",").split(",")]
    if len(parts) != 3 or not all(parts):
        raise DiffError(f"--columns 应为三个以逗号分隔的列标题，实际为“{spec}”")
    return parts[0], parts[1], parts[2]


def _emit(old: Policy, new: Policy, args: argparse.Namespace, columns: tuple[str, str, str]) -> int:
    from zhidu.views import View, make_stamp
    from zhidu.views.diffview import build_diff_view

    data = build_diff_view(old, new, columns)
    status = EXIT_EQUAL if data.diff.equal else EXIT_DIFFERENT
    if args.format == "terminal":
        text = terminal_text(data, color=_color(args))
        if args.out:
            _write(Path(args.out), text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return status
    if args.format == "docx" and not args.out:
        raise DiffError("docx 为二进制格式，请用 -o 指定输出文件")
    from zhidu.render import RenderContext, get_renderer

    view = View("diff", "revision-table", data.title, make_stamp(new), data)
    art = get_renderer(args.format)().render(view, RenderContext(policy=new))[0]
    if args.out:
        _write(Path(args.out), art.data)
    else:
        sys.stdout.write(art.data.decode("utf-8"))
    return status


def _write(path: Path, data: bytes) -> None:
    from zhidu.writer import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)


def _color(args: argparse.Namespace) -> bool:
    if args.color == "auto":
        return bool(args.out is None and sys.stdout.isatty())
    return bool(args.color == "always")


# ------------------------------------------------------------------------------------------ loading


def load_side(spec: str, tmp: Path, report: Report) -> Policy:
    """One side of the comparison: a version folder or file, or PATH@GITREV checked out into `tmp`."""
    from zhidu.schema import load_policy
    from zhidu.source import find_versions

    path, rev = split_rev(spec)
    root = checkout(path, rev, tmp) if rev else Path(path)
    if not root.exists():
        raise DiffError(f"路径不存在：{path}")
    folders = find_versions(root)
    if not folders:
        raise DiffError(f"{spec} 中没有制度版本（缺少 regulation.yaml）")
    if len(folders) > 1:
        names = "、".join(f.name for f in folders)
        raise DiffError(f"{spec} 含多个版本（{names}），请指定其中一个版本目录")
    before = len(report.errors)
    policy = load_policy(folders[0], report)
    if policy is None or len(report.errors) > before:
        raise DiffError(f"{spec} 无法加载（见上方错误）")
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
        raise DiffError("未找到 git，无法读取 路径@修订号") from e
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {' '.join(args)} 失败：{msg[-1] if msg else proc.returncode}")
    return proc.stdout


def checkout(path: str, rev: str, tmp: Path) -> Path:
    """Copy `path`'s YAML files at `rev` (and the work's parties/glossary) into `tmp`; returns the copy."""
    import os.path

    top = _git("rev-parse", "--show-toplevel").decode("utf-8").strip()
    try:
        _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DiffError:
        raise DiffError(f"无效的 git 修订号“{rev}”") from None
    prefix = _git("rev-parse", "--show-prefix").decode("utf-8").strip()
    # Repository paths from here on, listed from the top so the working directory does not matter.
    target = Path(os.path.normpath(prefix + path.rstrip("/")))
    if target.as_posix().startswith(".."):
        raise DiffError(f"{path} 不在当前 git 仓库内")

    def ls(spec: str, recursive: bool = False) -> list[str]:
        flags = ["-r"] if recursive else []
        return _git("-C", top, "ls-tree", *flags, "--name-only", rev, "--", spec).decode("utf-8").splitlines()

    full = ls(target.as_posix(), recursive=True) if target.as_posix() != "." else ls(".", recursive=True)
    if not full:
        raise DiffError(f"修订号 {rev} 中不存在 {path}")
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


# ------------------------------------------------------------------------------------------ terminal


def _segments(part: Part, color: bool) -> Any:
    from rich.text import Text

    t = Text()
    t.append(part.citation, style="bold" if color else "")
    t.append("　")
    return t + _inline([(s.op, s.text) for s in part.segments], color)


def _inline(ops: Sequence[tuple[str, str]], color: bool) -> Any:
    from rich.text import Text

    t = Text()
    for op, text in ops:
        if op == "delete":
            t.append(text, style="red strike") if color else t.append(f"[-{text}-]")
        elif op == "insert":
            t.append(text, style="green underline") if color else t.append(f"{{+{text}+}}")
        else:
            t.append(text)
    return t


def terminal_text(view: DiffView, color: bool = False, width: int = 100) -> str:
    """The coloured terminal view; without colour, deletions read [-…-] and insertions {+…+} (as wdiff)."""
    import io

    from rich.console import Console
    from rich.text import Text

    from zhidu.diff import char_diff

    buf = io.StringIO()
    con = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    d: RevisionDiff = view.diff
    con.print(Text(view.title, style="bold"))
    con.print(f"原：{d.old.label}")
    con.print(f"新：{d.new.label}")
    for line in view.intro[1:]:
        con.print(line)
    if d.equal:
        return buf.getvalue()
    for m in d.meta:
        item = Text("· ") + Text(m.label, style="cyan" if color else "") + Text("：")
        if m.old and m.new and max(len(m.old), len(m.new)) > 20:
            # Long values (titles, the notice body) read better as one inline character diff.
            item += _inline(char_diff(m.old, m.new), color)
        else:
            item += Text(f"{m.old or '（无）'} → {m.new or '（无）'}")
        con.print(item)
    for g in d.renames:
        con.print()
        con.print(
            Text("━━ 全文统一修订", style="bold magenta" if color else "")
            + Text(f"　{g.label}（共 {g.count} 处）")
        )
        con.print(Text(f"   说明：{g.note}"))
    for r in d.rows:
        con.print()
        head = Text(f"━━ {r.kind}", style="bold yellow" if color else "")
        if r.label != r.kind:
            head.append(f"　{r.label}")
        if r.records:
            head.append(f"　[{'、'.join(r.records)}]", style="dim" if color else "")
        con.print(head)
        for p in r.old:
            con.print(Text("   原：") + _segments(p, color))
        for p in r.new:
            con.print(Text("   新：") + _segments(p, color))
        con.print(Text(f"   说明：{r.note}", style="" if r.recorded or not color else "red"))
        for x in r.details:
            con.print(Text(f"         {x}"))
    return buf.getvalue()
