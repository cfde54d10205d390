"""Saving an edit: the one way the workbench writes a policy's sources.

Every save goes the same way: refuse an issued version, refuse a file changed on disk since the form was
loaded, apply the edit to the round-trip tree (comments, key order and quoting kept), validate the whole
version as it would be with the new text (in a scratch copy, through the real loader), and only then back the
old file up to `<file>.bak` and replace it atomically. An invalid edit writes nothing and returns every error,
each attached to the form field whose lines it points at.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu.atomic import atomic_write
from zhidu.diagnostics import Issue, Report
from zhidu.fmt import BACKUP_SUFFIX
from zhidu.load.source import version_files
from zhidu.nodes import ID_PATTERN
from zhidu.serve.edits import (
    DUTY_KEYS,
    NOTICE_KEYS,
    PROVISION_KEYS,
    REGISTRIES,
    EditError,
    dump_rt,
    duty_at,
    find_record,
    load_rt,
    mapping,
    provision_at,
    read_source,
    sequence,
    set_key,
)
from zhidu.serve.workspace import VersionRef, fingerprint
from zhidu.yamlio import round_trip_yaml

#: A version folder name a clerk may choose for a new draft.
VERSION_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
#: A schema path inside a message (“sections[0].children[5].text”): meaningless next to the field it is about.
_SCHEMA_PATH = re.compile(r"“[a-z_]+(?:\[\d+\]|\.[a-z_]+)*”")

#: What the forms call each field, in messages attached to it.
FIELD_LABELS = {
    "text": "条文",
    "owners": "责任岗位",
    "summary": "简称",
    "frequency": "频次",
    "evidence": "履职记录",
    "basis": "法律依据",
    "checklist": "检查表",
    "paragraphs": "段落",
    "doc_no": "发文字号",
    "title": "标题",
    "addressees": "主送机关",
    "signature": "署名",
    "date": "成文日期",
    "printed_by": "印发机关",
    "printed_date": "印发日期",
    "name": "名称",
    "kind": "类别",
    "level": "责任层级",
    "parent": "上级岗位",
    "leader": "社区负责人",
    "safety_officer": "安全干事",
}

_LOCK = threading.Lock()


@dataclass
class SaveResult:
    """The outcome of one save."""

    ok: bool = False
    #: Messages per form field (`text`, `frequency`, …); "" holds those that belong to no field.
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: The file changed on disk after the form was loaded: nothing was written.
    conflict: bool = False
    #: The version is issued: nothing was written.
    issued: bool = False
    #: Nothing to write: the edit left the file as it was.
    unchanged: bool = False
    #: Ids created by the edit (a new duty or provision), for the next page.
    created: str = ""

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


@dataclass(frozen=True)
class Focus:
    """The node an edit is about, so errors can be attached to its form fields."""

    kind: str  # "duty" | "provision" | "notice"
    ident: str = ""


#: The round-trip tree of each file as last written here, by the digest of its bytes. Parsing the seed's
#: regulation.yaml takes ~0.7 s, so a save reuses the tree it wrote last when the file is still those bytes (a
#: written tree dumps to the same bytes as a freshly parsed one: tests/serve check it).
_TREES: dict[Path, tuple[str, Any]] = {}


def _tree(path: Path) -> tuple[Any, bytes]:
    """The round-trip tree of a file, to be edited (the cached one is handed out at most once)."""
    raw = read_source(path)
    cached = _TREES.pop(path, None)
    if cached is not None and cached[0] == hashlib.sha256(raw).hexdigest():
        return cached[1], raw
    return load_rt(path)[0], raw


def _status(folder: Path) -> str:
    """The version's status, through the loader (memoised by content); read from the tree when invalid."""
    from zhidu.load.policy import load_policy

    policy = load_policy(folder, Report())
    if policy is not None:
        return policy.regulation.version.status
    try:
        doc, _ = load_rt(folder / "regulation.yaml")
        return str(doc["version"]["status"])
    except Exception:  # an unreadable file is the loader's to report; it is not a refusal reason here
        return ""


def is_issued(ref: VersionRef) -> bool:
    return _status(ref.folder) == "issued"


def _validate(ref: VersionRef, name: str, data: bytes, shared: bool = False) -> Report:
    """Load the version as it would be with `name` replaced by `data`, in a scratch copy; every finding."""
    from zhidu import lint
    from zhidu.load.policy import load_policy
    from zhidu.load.versions import previous_version

    report = Report()
    with tempfile.TemporaryDirectory(prefix="zhidu-serve-") as tmp:
        folder = Path(tmp) / ref.work / ref.version
        folder.mkdir(parents=True)
        for f in version_files(ref.folder):
            dest = (folder if f.parent == ref.folder else folder.parent) / f.name
            shutil.copyfile(f, dest)
        ((folder.parent if shared else folder) / name).write_bytes(data)
        policy = load_policy(folder, report)
        if policy is not None:
            lint.run(policy, report, previous=previous_version(policy))
        # Locations name the scratch copy; show them as the real files.
        report.issues = [
            Issue(i.severity, i.code, i.message, _real_loc(i, Path(tmp), ref)) for i in report.issues
        ]
    return report


def _real_loc(issue: Issue, tmp: Path, ref: VersionRef) -> Any:
    from zhidu.load.source import display_path
    from zhidu.location import Location

    p = Path(issue.loc.path)
    try:
        rel = p.resolve().relative_to(tmp.resolve())
    except (ValueError, OSError):
        return issue.loc
    real = ref.folder.parent.parent / rel
    return Location(display_path(real), issue.loc.line, issue.loc.col, issue.loc.inline)


def _field_lines(data: bytes, focus: Focus) -> list[tuple[int, int, str]]:
    """(first line, last line, field) of the focused node's keys in the new text, 1-based."""
    if focus.kind not in ("duty", "provision", "notice", *REGISTRIES):
        return []
    doc = round_trip_yaml().load(data.decode("utf-8"))
    if focus.kind == "notice":
        return _key_spans(doc, NOTICE_KEYS)
    if focus.kind in REGISTRIES:
        try:
            return _key_spans(find_record(doc, focus.kind, focus.ident)[2], REGISTRIES[focus.kind][1])
        except EditError:
            return []
    try:
        if focus.kind == "duty":
            prov, _duties, _j, node = duty_at(doc, focus.ident)
            spans = _key_spans(node, DUTY_KEYS)
            spans += [(a, b, k) for a, b, k in _key_spans(prov, PROVISION_KEYS) if k == "text"]
        else:
            _s, _i, node, _p = provision_at(doc, focus.ident)
            spans = _key_spans(node, PROVISION_KEYS)
    except EditError:
        return []
    return spans


def _key_spans(m: Any, keys: tuple[str, ...]) -> list[tuple[int, int, str]]:
    lines = [(m.lc.key(k)[0] + 1, k) for k in m]
    out = []
    for n, (line, k) in enumerate(lines):
        end = lines[n + 1][0] - 1 if n + 1 < len(lines) else line + _extent(m[k])
        out.append((line, max(line, end), k))
    return out


def _extent(v: Any) -> int:
    # Lines a trailing nested value spans below its key (an estimate is enough to attach a message).
    if isinstance(v, dict):
        return sum(1 + _extent(x) for x in v.values())
    if isinstance(v, list):
        return sum(1 + _extent(x) for x in v)
    return 0


def _attach(report: Report, name: str, data: bytes, focus: Focus, result: SaveResult) -> None:
    spans = _field_lines(data, focus)
    for issue in report.sorted():
        if issue.severity.value != "error":
            continue
        message = f"{issue.message}（{issue.code}）"
        target = ""
        if Path(issue.loc.path).name == name:
            for a, b, k in spans:
                if a <= issue.loc.line <= b:
                    target = k
                    message = _SCHEMA_PATH.sub(FIELD_LABELS.get(k, "此项"), message)
                    break
        result.add(target, message if target else f"{issue.loc}: {message}")


def save(
    ref: VersionRef,
    base: str,
    name: str,
    edit: Callable[[Any], str | None],
    focus: Focus,
    shared: bool = False,
) -> SaveResult:
    """Apply `edit` to file `name` of a version and write it when the whole version stays valid.

    `edit` mutates the round-trip tree and may return the id it created. A `shared` file (parties.yaml) lives in
    the work folder, belongs to no version and may be edited whatever the version's status.
    """
    result = SaveResult()
    path = (ref.folder.parent if shared else ref.folder) / name
    with _LOCK:
        if not shared and is_issued(ref):
            result.issued = True
            return result
        if fingerprint(ref.folder) != base:
            result.conflict = True
            return result
        try:
            doc, raw = _tree(path)
            result.created = edit(doc) or ""
        except EditError as e:
            result.add("", str(e))
            return result
        data = dump_rt(doc)
        if data == raw:
            _TREES[path] = (hashlib.sha256(data).hexdigest(), doc)
            result.ok = result.unchanged = True
            return result
        report = _validate(ref, name, data, shared)
        if report.errors:
            _attach(report, name, data, focus, result)
            return result
        mode = path.stat().st_mode & 0o7777
        # Refused through a symlinked file or folder inside the work folder (docs/security.md).
        atomic_write(path.with_name(path.name + BACKUP_SUFFIX), raw, mode=mode, root=ref.folder.parent)
        atomic_write(path, data, mode=mode, root=ref.folder.parent)
        _TREES[path] = (hashlib.sha256(data).hexdigest(), doc)
        result.ok = True
        return result


def new_draft(ref: VersionRef, name: str, reason: str) -> SaveResult:
    """Copy an issued version into a sibling folder `name` as a draft that supersedes it, with a change record.

    The new folder is validated in full before any of it is written.
    """
    result = SaveResult()
    name = name.strip()
    if not VERSION_NAME.fullmatch(name):
        result.add("version", "版本号只能由字母、数字、点、短横线组成，如 2024.3")
    if not reason.strip():
        result.add("reason", "请填写修订说明（为什么要修订）")
    target = ref.folder.parent / name
    if name and target.exists():
        result.add("version", f"版本“{name}”已存在，请换一个版本号")
    if result.errors:
        return result
    with _LOCK:
        try:
            return _new_draft(ref, name, reason, target, result)
        except EditError as e:
            result.add("", str(e))
            return result


def _new_draft(ref: VersionRef, name: str, reason: str, target: Path, result: SaveResult) -> SaveResult:
    """`new_draft` once its inputs are checked (under the save lock)."""
    doc, _raw = load_rt(ref.folder / "regulation.yaml")
    old_id = str(doc["version"]["id"])
    v = doc["version"]
    v["id"] = name
    v["status"] = "draft"
    for k in ("issued", "effective", "reviewed_on"):
        if k in v:
            del v[k]
    set_key(v, "supersedes", old_id, ("id", "status", "issued", "effective", "supersedes", "reviewed_on"))
    change_id = "CH-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-") + "-01"
    if not re.fullmatch(ID_PATTERN, change_id):
        change_id = "CH-NEW-01"
    doc["changes"] = sequence(
        [mapping([("id", change_id), ("type", "metadata"), ("reason", reason.strip())])]
    )
    files = {f.name: read_source(f) for f in version_files(ref.folder) if f.parent == ref.folder}
    files["regulation.yaml"] = dump_rt(doc)
    draft = VersionRef(ref.work, name, target)
    with tempfile.TemporaryDirectory(prefix="zhidu-serve-") as tmp:
        scratch = Path(tmp) / ref.work / name
        scratch.mkdir(parents=True)
        for fname, data in files.items():
            (scratch / fname).write_bytes(data)
        for f in version_files(ref.folder):
            if f.parent != ref.folder:
                shutil.copyfile(f, scratch.parent / f.name)
        report = _validate(VersionRef(ref.work, name, scratch), "regulation.yaml", files["regulation.yaml"])
    if report.errors:
        for i in report.errors:
            result.add("", f"{i.message}（{i.code}）")
        return result
    for fname, data in sorted(files.items()):
        atomic_write(target / fname, data, root=ref.folder.parent)
    result.ok = True
    result.created = draft.version
    return result
