"""Canonical layout of policy files: the library behind `zhidu fmt`, the one command that rewrites sources.

It normalises layout through a ruamel.yaml round trip that keeps comments, key order and quoting;
an already-canonical file is not touched at all, a changed one is backed up to `<file>.bak` first
and replaced atomically. Files with errors are refused with their located diagnostics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

BACKUP_SUFFIX = ".bak"


@dataclass
class FmtResult:
    """What one `fmt` pass found and did."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def canonical(text: str) -> str:
    """The canonical layout of one YAML document (raises on text ruamel cannot round-trip)."""
    from zhidu.yamlio import round_trip_yaml

    y = round_trip_yaml()
    out = io.StringIO()
    y.dump(y.load(text), out)
    return out.getvalue()


def _same_data(a: str, b: str) -> bool:
    # A safety net: formatting may change layout, never content.
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    return bool(y.load(a) == y.load(b))


def policy_files(path: Path) -> list[Path]:
    """The YAML files under `path` (or `path` itself), skipping hidden folders and build output."""
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*.yaml")
        if p.is_file()
        and not any(part.startswith(".") or part == "build" for part in p.relative_to(path).parts[:-1])
    )


def format_file(p: Path, check: bool, result: FmtResult) -> None:
    """Format one file in place (or only compare with `check`), recording the outcome in `result`."""
    from zhidu.diagnostics import Report
    from zhidu.load.source import display_path, load_file, read_bytes
    from zhidu.location import Location

    shown = display_path(p)
    report = Report()
    if load_file(p, report) is None or report.errors:
        result.refused.append(shown)
        result.messages.append(report.format_text())
        return
    # Through the source reader again: a regular file, size-bounded (the file may have changed since).
    raw = read_bytes(p, report)
    if raw is None:
        result.refused.append(shown)
        result.messages.append(report.format_text())
        return
    # Line endings and a BOM are layout too: the canonical file is UTF-8 without BOM, LF only.
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    try:
        new = canonical(text)
        if new != text and not _same_data(text, new):
            raise ValueError("格式化会改变内容")
    except Exception as e:
        # Typically a value ruamel cannot round-trip (an impossible date); `zhidu check` locates it.
        report.error("E001", f"无法格式化（文件未改动）：{e}；请先运行 zhidu check 修正", Location(shown))
        result.refused.append(shown)
        result.messages.append(report.format_text())
        return
    data = new.encode("utf-8")
    if data == raw:
        result.unchanged.append(shown)
        return
    result.changed.append(shown)
    if not check:
        _replace(p.with_name(p.name + BACKUP_SUFFIX), raw, p)
        _replace(p, data, p)


def _replace(path: Path, data: bytes, like: Path) -> None:
    """Atomic write that keeps `like`'s permissions (a policy file stays as readable as it was)."""
    from zhidu.atomic import atomic_write

    atomic_write(path, data, mode=like.stat().st_mode & 0o7777)


def run(path: Path, check: bool = False) -> FmtResult:
    """Format every policy file under `path`."""
    from zhidu.errors import SourceError

    if not path.exists():
        raise SourceError(f"路径不存在：{path}")
    result = FmtResult()
    for p in policy_files(path):
        format_file(p, check, result)
    return result
