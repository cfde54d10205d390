"""Edits made in the workbench: each form's change applied to the ruamel round-trip tree of a source file.

These functions only change trees (comments, key order and quoting kept); `saving.save` validates the result
and writes it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu.model import Duty, Frequency, Provision
from zhidu.nodes import yaml_keys
from zhidu.yamlio import round_trip_yaml

#: Key order of a duty, a provision and a frequency mapping: the model's declared field order.
DUTY_KEYS = yaml_keys(Duty)
PROVISION_KEYS = yaml_keys(Provision)
FREQUENCY_KEYS = yaml_keys(Frequency)


class EditError(Exception):
    """An edit that cannot be applied (an id that no longer exists); the message is for the clerk."""


# ------------------------------------------------------------------------------------- round trip


def read_source(path: Path) -> bytes:
    """A source file's bytes through the source reader (a regular file, size-bounded, no link out of its work
    folder); EditError with the located reason otherwise."""
    from zhidu.diagnostics import Report
    from zhidu.load.source import read_bytes

    report = Report()
    raw = read_bytes(path, report, within=path.parent.parent)
    if raw is None:
        raise EditError(report.format_text().strip())
    return raw


def load_rt(path: Path) -> tuple[Any, bytes]:
    """The round-trip tree of one file and its bytes."""
    raw = read_source(path)
    return round_trip_yaml().load(raw.decode("utf-8-sig").replace("\r\n", "\n")), raw


def dump_rt(data: Any) -> bytes:
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue().encode("utf-8")


def mapping(items: list[tuple[str, Any]]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in items:
        m[k] = v
    return m


def sequence(items: list[Any]) -> Any:
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
    set_key(d, "owners", sequence(form.owners), DUTY_KEYS, default=[])
    set_key(d, "summary", form.summary or None, DUTY_KEYS)
    f = form.frequency
    if f.empty:
        set_key(d, "frequency", None, DUTY_KEYS)
    else:
        fm = d.get("frequency")
        if not isinstance(fm, dict):
            fm = mapping([])
        set_key(fm, "per", f.per, FREQUENCY_KEYS)
        set_key(fm, "min", f.min if f.per else None, FREQUENCY_KEYS)
        set_key(fm, "events", sequence(f.events), FREQUENCY_KEYS, default=[])
        set_key(fm, "on_occurrence", f.on_occurrence, FREQUENCY_KEYS, default=False)
        set_key(fm, "display", f.wording(), FREQUENCY_KEYS)
        set_key(d, "frequency", fm, DUTY_KEYS)
    set_key(d, "evidence", sequence(form.evidence), DUTY_KEYS, default=[])
    basis = [mapping([("law", law), *([("art", art)] if art else [])]) for law, art in form.basis]
    set_key(d, "basis", sequence(basis), DUTY_KEYS, default=[])
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
    duty = mapping([("id", ident), ("checklist", False)])
    if "duties" not in prov:
        set_key(prov, "duties", sequence([]), PROVISION_KEYS, default=None)
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
        set_key(target, "duties", sequence([]), PROVISION_KEYS, default=None)
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
        set_key(prov, "paragraphs", sequence(paragraphs), PROVISION_KEYS, default=[])
    if owners is not None:
        set_key(prov, "owners", sequence(owners), PROVISION_KEYS, default=[])


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
    node = mapping([("id", ident), ("text", text)])
    if child:
        if "children" not in prov:
            set_key(prov, "children", sequence([]), PROVISION_KEYS, default=None)
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
            set_key(target, "children", sequence([]), PROVISION_KEYS, default=None)
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


def find_record(doc: Any, kind: str, ident: str) -> tuple[Any, int, Any]:
    seq = doc.get(REGISTRIES[kind][0]) or []
    for i, rec in enumerate(seq):
        if rec.get("id") == ident:
            return seq, i, rec
    raise EditError(f"“{ident}”已不存在（可能已被删除），请刷新页面")


def update_record(doc: Any, kind: str, ident: str, fields: dict[str, Any]) -> None:
    """Set a role's or community's fields; an empty or default value removes the key."""
    _seq, _i, rec = find_record(doc, kind, ident)
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
    _seq, _i, rec = find_record(doc, "communities", ident)
    items = sequence([mapping(list(w.items())) for w in workers])
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
        doc[list_key] = sequence([])
    doc[list_key].append(mapping(items))
    return ident


def delete_record(doc: Any, kind: str, ident: str) -> None:
    seq, i, _rec = find_record(doc, kind, ident)
    del seq[i]
