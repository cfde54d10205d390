"""Suppressions of lint rules, read from the sources: inline `# zhidu: 忽略 W106 原因` comments and lint.yaml.

An inline comment covers the YAML item it is written on (at a line's end) or the item on the next line (on a
line of its own): that line and every deeper-indented line after it. lint.yaml, in the version or the work
folder, silences a rule for the whole policy or for the items with the given ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from zhidu.diagnostics import Report, Suppression
from zhidu.location import Location
from zhidu.model import Policy
from zhidu.nodes import Node

#: The marker comment; the code, then the reason (free text). Linear: disjoint pieces, no nested repeats.
_INLINE = re.compile(r"(?:^|\s)#\s*zhidu\s*[:：]\s*忽略\s*(?P<code>[A-Z]\d{3})?(?P<reason>.*)$")
LINT_FILE = "lint.yaml"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def block(lines: list[str], start: int) -> int:
    """The last line (1-based) of the YAML item starting at line `start`."""
    ind = _indent(lines[start - 1])
    last = start
    for k in range(start, len(lines)):
        ln = lines[k]
        if not _content(ln):
            continue
        if _indent(ln) <= ind:
            break
        last = k + 1
    return last


def inline(path: str, text: str, report: Report) -> Iterator[Suppression]:
    """The inline suppressions of one source file."""
    lines = text.splitlines()
    for no, ln in enumerate(lines, start=1):
        if "zhidu" not in ln:
            continue
        m = _INLINE.search(ln)
        if m is None:
            continue
        col = m.start() + (1 if ln[m.start()].isspace() else 0) + 1
        loc = Location(path, no, col)
        code, reason = m["code"], m["reason"].strip(" ：:，,")
        if code is None:
            report.warning("W131", "忽略声明缺少规则代码，应写作“# zhidu: 忽略 W106 原因”", loc)
            continue
        if not reason:
            report.warning("W131", f"忽略 {code} 未写明原因，应写作“# zhidu: 忽略 {code} 原因”", loc)
        if ln[: m.start()].strip():
            start = no
        else:
            start = next((k + 1 for k in range(no, len(lines)) if _content(lines[k])), 0)
            if start == 0:
                report.warning("W131", f"忽略 {code} 的注释之后没有条目", loc)
                continue
        yield Suppression(code, reason, loc, path, start, block(lines, start), "inline")


def _nodes(policy: Policy) -> Iterator[Node]:
    yield from policy.roles
    yield from policy.laws
    for _path, p in policy.walk():
        yield p
        yield from p.duties
        yield from p.assessment
        yield from p.liability


def configured(
    policy: Policy, path: str, data: Any, texts: dict[str, str], report: Report
) -> Iterator[Suppression]:
    """The suppressions of a lint.yaml already parsed by the loader (`data` carries location keys)."""
    here = Location(path, 1, 1)
    entries = data.get("ignore") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        report.warning("W131", "lint.yaml 应包含 ignore 列表，每项写 code、reason，可选 ids", here)
        return
    by_id = {getattr(n, "id", ""): n for n in _nodes(policy)}
    for e in entries:
        loc = _loc(e, path)
        if (
            not isinstance(e, dict)
            or not isinstance(e.get("code"), str)
            or not re.fullmatch(r"[A-Z]\d{3}", e["code"])
        ):
            report.warning("W131", "lint.yaml 的忽略项须写规则代码 code（如 W117）", loc)
            continue
        code, reason = e["code"], str(e.get("reason") or "")
        if not reason:
            report.warning("W131", f"lint.yaml 忽略 {code} 未写明原因（reason）", loc)
        ids = e.get("ids") or []
        if not ids:
            yield Suppression(code, reason, loc, origin="config")
            continue
        for ident in ids:
            node = by_id.get(str(ident))
            if node is None or node.loc.path not in texts:
                report.warning("W131", f"lint.yaml 忽略 {code} 所列的“{ident}”不存在", loc)
                continue
            lines = texts[node.loc.path].splitlines()
            yield Suppression(
                code, reason, loc, node.loc.path, node.loc.line, block(lines, node.loc.line), "config"
            )


def _loc(e: Any, path: str) -> Location:
    raw = e.get("__loc__") if isinstance(e, dict) else None
    if isinstance(raw, Location):
        return raw
    if isinstance(raw, dict):
        return Location(path, int(raw.get("line", 0)), int(raw.get("col", 0)))
    return Location(path)
