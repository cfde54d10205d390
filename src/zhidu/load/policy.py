"""The policy loader: a version folder → a validated `Policy`, memoised by content within one process."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from zhidu.diagnostics import Issue, Report
from zhidu.load import suppress
from zhidu.load.source import RawDoc, display_path, find_versions, load_bytes, read_bytes, version_files
from zhidu.load.suppress import LINT_FILE
from zhidu.load.validate import cross_check, validate_doc
from zhidu.location import Location
from zhidu.model import (
    FILE_KINDS,
    Calendar,
    Glossary,
    Inspections,
    Laws,
    Notice,
    Parties,
    Policy,
    RegulationDoc,
    Roles,
)
from zhidu.nodes import Node, to_data

#: Versions already loaded in this process, keyed by their files' identity (one check loads a version, and
#: W121 needs the version it supersedes: the second request is answered here).
_LOADED: dict[tuple[object, ...], tuple[Policy | None, list[Issue]]] = {}
_LOADED_MAX = 8


def load_policy(folder: Path, report: Report) -> Policy | None:
    """Load and validate one version folder; None when it has errors (all of them are in `report`)."""
    files = version_files(folder)
    mine = Report()
    # Each file is read once (size-bounded, with a located error), and the bytes serve both the memo key and
    # the parse. Content, not mtime: two writes within one clock tick must not alias.
    raw = {f: read_bytes(f, mine, within=folder.parent) for f in files}
    key: tuple[object, ...] = ()
    if all(b is not None for b in raw.values()):
        key = (
            Path.cwd(),
            folder.resolve(),
            *((f, hashlib.sha256(b or b"").digest()) for f, b in raw.items()),
        )
    if key and key in _LOADED:
        policy, issues = _LOADED[key]
        report.issues.extend(issues)
        return policy
    policy = _load_policy(folder, raw, mine)
    report.issues.extend(mine.issues)
    if key:
        _LOADED[key] = (policy, list(mine.issues))
        while len(_LOADED) > _LOADED_MAX:
            # A long `--watch` session loads every saved state; keep the recent ones (dicts keep order).
            del _LOADED[next(iter(_LOADED))]
    return policy


def load_policy_bytes(folder: Path, files: dict[Path, bytes | None], report: Report) -> Policy | None:
    """Load and validate one version given as file bytes (e.g. read from git); nothing is read from disk."""
    return _load_policy(folder, files, report)


def content_hash(docs: dict[str, Node]) -> str:
    """sha256 of the loaded model, not of the file bytes (docs/identity.md): formatting, comments, quoting and key
    order leave it unchanged; any change to a value changes it.

    Each document contributes its file name and its validated node as canonical JSON (keys sorted, locations and
    unset optionals left out), in file-name order.
    """
    hasher = hashlib.sha256()
    for name in sorted(docs):
        data = json.dumps(to_data(docs[name]), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        hasher.update(name.encode() + b"\0" + data.encode() + b"\0")
    return hasher.hexdigest()


def _load_policy(folder: Path, files: dict[Path, bytes | None], report: Report) -> Policy | None:
    docs: dict[str, tuple[RawDoc, Node | None]] = {}
    texts: dict[str, str] = {}
    lint_doc: RawDoc | None = None
    for f, data in files.items():
        if data is not None:
            texts[display_path(f)] = data.decode("utf-8", errors="replace")
        kind = FILE_KINDS.get(f.name)
        if f.name == LINT_FILE and data is not None:
            lint_doc = load_bytes(f, data, report)
            continue
        if kind is None:
            continue
        doc = None if data is None else load_bytes(f, data, report)
        if doc is None:
            docs[f.name] = (RawDoc(f.as_posix(), None, ""), None)
            continue
        docs[f.name] = (doc, validate_doc(doc, kind, report))
    shown = folder.as_posix()
    if "regulation.yaml" not in docs:
        report.error("E004", "缺少 regulation.yaml", Location(shown))
        return None
    if "roles.yaml" not in docs:
        report.error("E004", "缺少 roles.yaml（岗位登记表）", Location(shown))
    if any(n is None for _, n in docs.values()):
        return None
    reg = docs["regulation.yaml"][1]
    roles = docs["roles.yaml"][1] if "roles.yaml" in docs else None
    laws = docs.get("laws.yaml", (None, None))[1]
    notice = docs.get("notice.yaml", (None, None))[1]
    parties = docs.get("parties.yaml", (None, None))[1]
    glossary = docs.get("glossary.yaml", (None, None))[1]
    inspections = docs.get("inspections.yaml", (None, None))[1]
    calendar = docs.get("calendar.yaml", (None, None))[1]
    assert isinstance(reg, RegulationDoc)
    if not isinstance(roles, Roles):
        return None
    policy = Policy(
        root=shown,
        regulation=reg,
        roles=tuple(roles.roles),
        laws=tuple(laws.laws) if isinstance(laws, Laws) else (),
        notice=notice if isinstance(notice, Notice) else None,
        parties=parties if isinstance(parties, Parties) else None,
        glossary=tuple(glossary.terms) if isinstance(glossary, Glossary) else (),
        source_hash=content_hash({name: node for name, (_, node) in docs.items() if node is not None}),
        files=tuple(d.path for d, _ in docs.values()),
        catalogues=tuple(inspections.catalogues) if isinstance(inspections, Inspections) else (),
        calendar=tuple(calendar.events) if isinstance(calendar, Calendar) else (),
    )
    before = len(report.errors)
    cross_check(policy, report)
    if len(report.errors) != before:
        return None
    sups = [s for path, text in texts.items() for s in suppress.inline(path, text, report)]
    if lint_doc is not None:
        sups += suppress.configured(policy, lint_doc.path, lint_doc.data, texts, report)
    return dataclasses.replace(policy, suppressions=tuple(sups)) if sups else policy


def report_linked_versions(root: Path, report: Report) -> None:
    """Say which symlinked version folders were left out, rather than skipping them silently."""
    import os

    from zhidu.load.source import linked_versions

    for link in linked_versions(root):
        # Named as written, not resolved: the link itself is the news.
        shown = os.path.relpath(os.path.abspath(link))
        where = Location(shown if not shown.startswith("..") else os.path.abspath(link))
        report.warning("W124", "版本目录是符号链接，出于安全考虑未读取；请改为普通目录", where)


def load_all(root: Path, report: Report) -> list[Policy]:
    """Every valid policy version under `root`; problems of the others are in `report`."""
    out = []
    for folder in find_versions(root):
        p = load_policy(folder, report)
        if p is not None:
            out.append(p)
    return out
