"""Edits made in the workbench, applied to the YAML through the ruamel round trip of `zhidu fmt`.

Every save goes the same way: refuse an issued version, refuse a file changed on disk since the form was
loaded, apply the edit to the round-trip tree (comments, key order and quoting kept), validate the whole
version as it would be with the new text (in a scratch copy, through the real loader), and only then back the
old file up to `<file>.bak` and replace it atomically. An invalid edit writes nothing and returns every error,
each attached to the form field whose lines it points at.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Issue, Report
from zhidu.fmt import BACKUP_SUFFIX, _round_trip_yaml
from zhidu.model import ID_PATTERN
from zhidu.serve.workspace import VersionRef, fingerprint
from zhidu.source import version_files
from zhidu.writer import atomic_write

#: Key order of a duty and a provision in the model (new keys are inserted where the model declares them).
DUTY_KEYS = ("id", "owners", "summary", "frequency", "evidence", "basis", "checklist")
PROVISION_KEYS = (
    "id",
    "text",
    "source_number",
    "owners",
    "paragraphs",
    "children",
    "duties",
    "assessment",
    "liability",
    "was",
)
FREQUENCY_KEYS = ("per", "min", "events", "on_occurrence", "display")
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


class EditError(Exception):
    """An edit that cannot be applied (an id that no longer exists); the message is for the clerk."""


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


# ------------------------------------------------------------------------------------- round trip


def load_rt(path: Path) -> tuple[Any, bytes]:
    """The round-trip tree of one file and its bytes."""
    raw = path.read_bytes()
    return _round_trip_yaml().load(raw.decode("utf-8-sig").replace("\r\n", "\n")), raw


def dump_rt(data: Any) -> bytes:
    out = io.StringIO()
    _round_trip_yaml().dump(data, out)
    return out.getvalue().encode("utf-8")


def _cm(items: list[tuple[str, Any]]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in items:
        m[k] = v
    return m


def _cs(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def set_key(m: Any, key: str, value: Any, order: tuple[str, ...], default: Any = None) -> None:
    """Set `key` in a round-trip mapping at its model position; a default value removes the key.

    An unchanged value is left alone, so its comments and quoting stay exactly as they were.
    """
    if value == default or value is None:
        if key in m:
            del m[key]
        return
    if key in m:
        if _plain(m[key]) != _plain(value):
            m[key] = value
        return
    pos = 0
    rank = order.index(key)
    for i, k in enumerate(m):
        if k in order and order.index(k) < rank:
            pos = i + 1
    m.insert(pos, key, value)


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def walk_provisions(doc: Any) -> list[tuple[Any, int, Any, Any]]:
    """(siblings, index, provision, parent or None) for every provision, in document order."""
    out: list[tuple[Any, int, Any, Any]] = []

    def rec(seq: Any, parent: Any) -> None:
        for i, p in enumerate(seq or []):
            out.append((seq, i, p, parent))
            rec(p.get("children"), p)

    rec(doc.get("sections"), None)
    return out


def provision_at(doc: Any, ident: str) -> tuple[Any, int, Any, Any]:
    for hit in walk_provisions(doc):
        if hit[2].get("id") == ident:
            return hit
    raise EditError(f"条文“{ident}”已不存在（可能已被删除或改动），请刷新页面")


def duty_at(doc: Any, ident: str) -> tuple[Any, Any, int, Any]:
    """(provision, its duties list, index, duty)."""
    for _seq, _i, p, _parent in walk_provisions(doc):
        for j, d in enumerate(p.get("duties") or []):
            if d.get("id") == ident:
                return p, p["duties"], j, d
    raise EditError(f"职责“{ident}”已不存在（可能已被删除或改动），请刷新页面")


def all_ids(doc: Any) -> set[str]:
    """Every id in a regulation tree (provisions, duties, assessment, liability, changes)."""
    found: set[str] = set()

    def rec(v: Any) -> None:
        if isinstance(v, dict):
            if isinstance(v.get("id"), str):
                found.add(v["id"])
            for x in v.values():
                rec(x)
        elif isinstance(v, list):
            for x in v:
                rec(x)

    rec(doc)
    return found


def new_id(prefix: str, used: set[str]) -> str:
    """The first free id `<prefix>-<n>` (two digits at least), e.g. D-01-06-02."""
    n = 1
    while f"{prefix}-{n:02d}" in used:
        n += 1
    return f"{prefix}-{n:02d}"


def _suffix(ident: str) -> str:
    return ident.split("-", 1)[1] if "-" in ident else ident


# ------------------------------------------------------------------------------------- the forms


@dataclass
class FrequencyChoice:
    """The frequency chooser: a period with a minimum count, event periods, on occurrence, or none (常态)."""

    per: str | None = None
    min: int | None = None
    events: list[str] = field(default_factory=list)
    on_occurrence: bool = False
    display: str = ""

    def wording(self) -> str:
        """The wording written next to the value: the clerk's own, else the canonical one (每月至少2次)."""
        from zhidu.frequency import wording

        return self.display or wording(self.per, self.min, self.events, self.on_occurrence)

    @property
    def empty(self) -> bool:
        return not (self.per or self.events or self.on_occurrence)


@dataclass
class DutyForm:
    """What the duty form submits."""

    text: str
    summary: str = ""
    owners: list[str] = field(default_factory=list)
    frequency: FrequencyChoice = field(default_factory=FrequencyChoice)
    evidence: list[str] = field(default_factory=list)
    basis: list[tuple[str, str]] = field(default_factory=list)
    checklist: bool = True


def apply_duty(doc: Any, duty_id: str, form: DutyForm) -> None:
    """Write a duty form into the tree: the provision's wording and the duty's fields."""
    prov, _duties, _j, d = duty_at(doc, duty_id)
    # An empty text is written as such, so the loader reports it empty at its line rather than missing.
    set_key(prov, "text", form.text, PROVISION_KEYS, default=None)
    set_key(d, "owners", _cs(form.owners), DUTY_KEYS, default=[])
    set_key(d, "summary", form.summary or None, DUTY_KEYS)
    f = form.frequency
    if f.empty:
        set_key(d, "frequency", None, DUTY_KEYS)
    else:
        fm = d.get("frequency")
        if not isinstance(fm, dict):
            fm = _cm([])
        set_key(fm, "per", f.per, FREQUENCY_KEYS)
        set_key(fm, "min", f.min if f.per else None, FREQUENCY_KEYS)
        set_key(fm, "events", _cs(f.events), FREQUENCY_KEYS, default=[])
        set_key(fm, "on_occurrence", f.on_occurrence, FREQUENCY_KEYS, default=False)
        set_key(fm, "display", f.wording(), FREQUENCY_KEYS)
        set_key(d, "frequency", fm, DUTY_KEYS)
    set_key(d, "evidence", _cs(form.evidence), DUTY_KEYS, default=[])
    basis = [_cm([("law", law), *([("art", art)] if art else [])]) for law, art in form.basis]
    set_key(d, "basis", _cs(basis), DUTY_KEYS, default=[])
    # A `checklist` already written stays written (the seed spells out both values); a new one only when false.
    if "checklist" in d:
        if d["checklist"] != form.checklist:
            d["checklist"] = form.checklist
    else:
        set_key(d, "checklist", form.checklist, DUTY_KEYS, default=True)


def add_duty(doc: Any, provision_id: str) -> str:
    """Append a new, empty duty to a provision; its id."""
    _seq, _i, prov, _parent = provision_at(doc, provision_id)
    ident = new_id("D-" + _suffix(provision_id), all_ids(doc))
    duty = _cm([("id", ident), ("checklist", False)])
    if "duties" not in prov:
        set_key(prov, "duties", _cs([]), PROVISION_KEYS, default=None)
    prov["duties"].append(duty)
    return ident


def references(doc: Any, ident: str) -> list[str]:
    """Ids of the assessment items and liability conditions that name `ident`."""
    out: list[str] = []
    for _seq, _i, p, _parent in walk_provisions(doc):
        for key, field_ in (("assessment", "duties"), ("liability", "triggers")):
            out.extend(str(x["id"]) for x in p.get(key) or [] if ident in (x.get(field_) or []))
    return out


def delete_duty(doc: Any, duty_id: str) -> None:
    """Remove a duty; one still named by an assessment item or liability condition is refused."""
    prov, duties, j, _d = duty_at(doc, duty_id)
    used = references(doc, duty_id)
    if used:
        raise EditError(
            f"职责“{duty_id}”被考核项或追责情形 {'、'.join(used)} 引用，不能删除；请先在其中去掉这项职责"
        )
    del duties[j]
    if not duties:
        del prov["duties"]


def move_item(seq: Any, i: int, step: int) -> None:
    """Swap item i with its neighbour (step -1 up, +1 down); a move past either end is refused."""
    k = i + step
    if not 0 <= k < len(seq):
        raise EditError("已经是第一项或最后一项，无法再移动")
    seq[i], seq[k] = seq[k], seq[i]


def move_duty(doc: Any, duty_id: str, step: int) -> None:
    _prov, duties, j, _d = duty_at(doc, duty_id)
    move_item(duties, j, step)


def move_duty_across(doc: Any, duty_id: str, step: int) -> None:
    """Move a duty to the previous (-1) or next (+1) provision in document order: last there, or first."""
    prov, duties, j, duty = duty_at(doc, duty_id)
    order = [p for _s, _i, p, _parent in walk_provisions(doc)]
    k = next(i for i, p in enumerate(order) if p is prov) + step
    if not 0 <= k < len(order):
        raise EditError("前后已没有条文，无法再移动")
    target = order[k]
    del duties[j]
    if not duties:
        del prov["duties"]
    if "duties" not in target:
        set_key(target, "duties", _cs([]), PROVISION_KEYS, default=None)
    if step < 0:
        target["duties"].append(duty)
    else:
        target["duties"].insert(0, duty)


def edit_provision_text(
    doc: Any,
    provision_id: str,
    text: str,
    paragraphs: list[str] | None = None,
    owners: list[str] | None = None,
) -> None:
    """A provision's wording, and its unnumbered paragraphs and default owners when given."""
    _seq, _i, prov, _parent = provision_at(doc, provision_id)
    if _plain(prov.get("text")) != text:
        prov["text"] = text
    if paragraphs is not None:
        set_key(prov, "paragraphs", _cs(paragraphs), PROVISION_KEYS, default=[])
    if owners is not None:
        set_key(prov, "owners", _cs(owners), PROVISION_KEYS, default=[])


def add_provision(doc: Any, provision_id: str, text: str, child: bool) -> str:
    """A new provision after `provision_id` (or as its last child); its id."""
    seq, i, prov, _parent = provision_at(doc, provision_id)
    used = all_ids(doc)
    if child:
        kids = prov.get("children") or []
        base = kids[-1]["id"].rsplit("-", 1)[0] if kids else "P-" + _suffix(provision_id)
    else:
        base = provision_id.rsplit("-", 1)[0] if provision_id.count("-") > 1 else provision_id.split("-")[0]
    ident = new_id(base, used)
    node = _cm([("id", ident), ("text", text)])
    if child:
        if "children" not in prov:
            set_key(prov, "children", _cs([]), PROVISION_KEYS, default=None)
        prov["children"].append(node)
    else:
        seq.insert(i + 1, node)
    return ident


def delete_provision(doc: Any, provision_id: str) -> None:
    seq, i, _prov, parent = provision_at(doc, provision_id)
    del seq[i]
    if parent is not None and not seq:
        del parent["children"]


def move_provision(doc: Any, provision_id: str, how: str) -> None:
    """up / down among siblings, in (last child of the previous sibling), out (after its parent)."""
    seq, i, prov, parent = provision_at(doc, provision_id)
    if how in ("up", "down"):
        move_item(seq, i, -1 if how == "up" else 1)
    elif how == "in":
        if i == 0:
            raise EditError("前面没有同级条文，无法降为下级")
        target = seq[i - 1]
        del seq[i]
        if "children" not in target:
            set_key(target, "children", _cs([]), PROVISION_KEYS, default=None)
        target["children"].append(prov)
    elif how == "out":
        if parent is None:
            raise EditError("一级条文无法再升级")
        _gseq, gi, _g, _gp = provision_at(doc, parent["id"])
        del seq[i]
        if not seq:
            del parent["children"]
        _gseq.insert(gi + 1, prov)
    else:
        raise EditError(f"未知的移动方式：{how}")


NOTICE_KEYS = (
    "copy_no",
    "secrecy",
    "urgency",
    "organ",
    "organ_mark",
    "doc_no",
    "signers",
    "title",
    "addressees",
    "body",
    "attachments",
    "regulation_placement",
    "signature",
    "date",
    "seal",
    "note",
    "cc",
    "printed_by",
    "printed_date",
    "upward",
)


@dataclass
class NoticeForm:
    """The notice header fields a clerk edits most: 文号, title, 主送, signature and dates."""

    doc_no: str
    title: str
    addressees: str
    signature: str
    date: str
    printed_by: str
    printed_date: str


def _date_or_text(value: str) -> Any:
    """A real date is written as a YAML date; anything else as typed, for the loader to report in place."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def apply_notice(doc: Any, form: NoticeForm) -> None:
    """Write the header fields into notice.yaml's tree; 文号 keeps the shape it has (parts or text)."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    from zhidu.model import DOC_NO_RE

    m = DOC_NO_RE.fullmatch(form.doc_no)
    current = doc.get("doc_no")
    if m and isinstance(current, dict):
        for key, value in (("organ_code", m[1]), ("year", int(m[2])), ("serial", int(m[3]))):
            if current.get(key) != value:
                current[key] = value
    elif _plain(current) != form.doc_no:
        doc["doc_no"] = form.doc_no
    title = form.title
    if _plain(doc.get("title")) != title:
        # Explicit title lines stay a literal block, as a clerk would write them.
        set_key(doc, "title", LiteralScalarString(title) if "\n" in title else title, NOTICE_KEYS)
    set_key(doc, "addressees", form.addressees or None, NOTICE_KEYS)
    for key in ("signature", "printed_by"):
        value = getattr(form, key)
        if _plain(doc.get(key)) != value:
            doc[key] = value
    for key in ("date", "printed_date"):
        value = _date_or_text(getattr(form, key))
        if doc.get(key) != value:
            doc[key] = value


ROLE_KEYS = ("id", "name", "kind", "level", "parent", "per_community", "note")
COMMUNITY_KEYS = ("id", "name", "leader", "safety_officer", "grid_workers")
#: The registries a clerk manages: list key in its file, key order, the file, whether it is shared by versions.
REGISTRIES: dict[str, tuple[str, tuple[str, ...], str, bool]] = {
    "roles": ("roles", ROLE_KEYS, "roles.yaml", False),
    "communities": ("communities", COMMUNITY_KEYS, "parties.yaml", True),
}


def _record(doc: Any, kind: str, ident: str) -> tuple[Any, int, Any]:
    seq = doc.get(REGISTRIES[kind][0]) or []
    for i, rec in enumerate(seq):
        if rec.get("id") == ident:
            return seq, i, rec
    raise EditError(f"“{ident}”已不存在（可能已被删除），请刷新页面")


def update_record(doc: Any, kind: str, ident: str, fields: dict[str, Any]) -> None:
    """Set a role's or community's fields; an empty or default value removes the key."""
    _seq, _i, rec = _record(doc, kind, ident)
    order = REGISTRIES[kind][1]
    for key, value in fields.items():
        if key in ("name", "kind"):
            # Required: written even when empty, so the loader reports it at its line.
            if _plain(rec.get(key)) != value:
                rec[key] = value
            continue
        default: Any = False if isinstance(value, bool) else None
        set_key(rec, key, value if value != "" else None, order, default=default)


def grid_workers(text: str) -> list[dict[str, str]]:
    """Grid workers from a textarea, one a line: 姓名，网格，电话 (网格 and 电话 optional)."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in re.split(r"[,，\t]", line)]
        if not parts[0]:
            continue
        worker = {"name": parts[0]}
        for key, value in zip(("grid", "phone"), parts[1:3], strict=False):
            if value:
                worker[key] = value
        out.append(worker)
    return out


def set_grid_workers(doc: Any, ident: str, workers: list[dict[str, str]]) -> None:
    """Replace a community's grid workers when the list changed (an unchanged list keeps its comments)."""
    _seq, _i, rec = _record(doc, "communities", ident)
    items = _cs([_cm(list(w.items())) for w in workers])
    set_key(rec, "grid_workers", items, COMMUNITY_KEYS, default=[])


def add_record(doc: Any, kind: str, ident: str, fields: dict[str, Any]) -> str:
    """Append a role or community with a new id; its id."""
    list_key, order, _file, _shared = REGISTRIES[kind]
    if any(rec.get("id") == ident for rec in doc.get(list_key) or []):
        raise EditError(f"id“{ident}”已被使用，请换一个")
    items = [("id", ident)] + [
        (k, v) for k in order if k != "id" for v in [fields.get(k)] if v not in (None, "", False)
    ]
    if list_key not in doc or doc[list_key] is None:
        doc[list_key] = _cs([])
    doc[list_key].append(_cm(items))
    return ident


def delete_record(doc: Any, kind: str, ident: str) -> None:
    seq, i, _rec = _record(doc, kind, ident)
    del seq[i]


# --------------------------------------------------------------------------------------- the save


#: The round-trip tree of each file as last written here, by the digest of its bytes. Parsing the seed's
#: regulation.yaml takes ~0.7 s, so a save reuses the tree it wrote last when the file is still those bytes (a
#: written tree dumps to the same bytes as a freshly parsed one: tests/serve check it).
_TREES: dict[Path, tuple[str, Any]] = {}


def _tree(path: Path) -> tuple[Any, bytes]:
    """The round-trip tree of a file, to be edited (the cached one is handed out at most once)."""
    raw = path.read_bytes()
    cached = _TREES.pop(path, None)
    if cached is not None and cached[0] == hashlib.sha256(raw).hexdigest():
        return cached[1], raw
    return load_rt(path)[0], raw


def _status(folder: Path) -> str:
    """The version's status, through the loader (memoised by content); read from the tree when invalid."""
    from zhidu.schema import load_policy

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
    from zhidu.schema import load_policy

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
            lint.run(policy, report)
        # Locations name the scratch copy; show them as the real files.
        report.issues = [
            Issue(i.severity, i.code, i.message, _real_loc(i, Path(tmp), ref)) for i in report.issues
        ]
    return report


def _real_loc(issue: Issue, tmp: Path, ref: VersionRef) -> Any:
    from zhidu.location import Location
    from zhidu.source import display_path

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
    doc = _round_trip_yaml().load(data.decode("utf-8"))
    if focus.kind == "notice":
        return _key_spans(doc, NOTICE_KEYS)
    if focus.kind in REGISTRIES:
        try:
            return _key_spans(_record(doc, focus.kind, focus.ident)[2], REGISTRIES[focus.kind][1])
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
        doc, raw = _tree(path)
        try:
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
        atomic_write(path.with_name(path.name + BACKUP_SUFFIX), raw, mode=mode)
        atomic_write(path, data, mode=mode)
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
        doc["changes"] = _cs([_cm([("id", change_id), ("type", "metadata"), ("reason", reason.strip())])])
        files = {f.name: f.read_bytes() for f in version_files(ref.folder) if f.parent == ref.folder}
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
            report = _validate(
                VersionRef(ref.work, name, scratch), "regulation.yaml", files["regulation.yaml"]
            )
        if report.errors:
            for i in report.errors:
                result.add("", f"{i.message}（{i.code}）")
            return result
        for fname, data in sorted(files.items()):
            atomic_write(target / fname, data)
        result.ok = True
        result.created = draft.version
    return result
