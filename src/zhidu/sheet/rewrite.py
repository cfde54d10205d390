"""Applying checked edits to regulation.yaml through a ruamel round trip: comments, key order and quoting kept.

New duties go where their row sits (a new provision after the row above, ids shaped like their siblings'),
deleted duties leave with the 考核/追责 references to them, and rows moved in the sheet move their provisions.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Report
from zhidu.model import Duty, Policy, Provision
from zhidu.nodes import yaml_keys
from zhidu.render.xlsx.cells import DutyCells, chapter_key, duty_cells
from zhidu.sheet.edits import HEADERS, Edit, clip
from zhidu.yamlio import round_trip_yaml

#: Key order of a duty, a provision and a frequency mapping: the model's declared field order.
DUTY_KEYS = yaml_keys(Duty)
PROVISION_KEYS = yaml_keys(Provision)


class _Tree:
    """The ruamel document with an index: id → mapping, and each provision's containing sequence."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.prov: dict[str, Any] = {}
        self.duty: dict[str, Any] = {}
        self.parent: dict[str, Any] = {}  # provision id → parent provision mapping (None for sections)
        self.duty_prov: dict[str, str] = {}
        self.ids: set[str] = set()

        def rec(seq: Any, parent: Any) -> None:
            for p in seq:
                pid = str(p["id"])
                self.prov[pid] = p
                self.parent[pid] = parent
                self.ids.add(pid)
                for d in p.get("duties") or []:
                    self.duty[str(d["id"])] = d
                    self.duty_prov[str(d["id"])] = pid
                    self.ids.add(str(d["id"]))
                for k in ("assessment", "liability"):
                    self.ids.update(str(x["id"]) for x in p.get(k) or [])
                rec(p.get("children") or [], p)

        rec(doc["sections"], None)
        self.ids.update(str(c["id"]) for c in doc.get("changes") or [])

    def seq_of(self, parent: Any) -> Any:
        return self.doc["sections"] if parent is None else parent["children"]

    def owners_inherited(self, pid: str) -> list[str]:
        p: Any = self.prov[pid]
        while p is not None:
            if p.get("owners"):
                return [str(x) for x in p["owners"]]
            p = self.parent[str(p["id"])]
        return []

    def new_id(self, like: str, fallback: str) -> str:
        """The next free id shaped like `like` (P-01-06 → P-01-07), else `fallback` numbered."""
        m = re.fullmatch(r"(.*?)(\d+)", like)
        prefix, width = (m[1], len(m[2])) if m else (fallback, 2)
        n = 1
        taken = [
            int(i[len(prefix) :]) for i in self.ids if i.startswith(prefix) and i[len(prefix) :].isdigit()
        ]
        if taken:
            n = max(taken) + 1
        ident = f"{prefix}{n:0{width}d}"
        self.ids.add(ident)
        return ident


def _set(m: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set, replace or (value None) remove a key, inserting a new key where the canonical order puts it."""
    if value is None:
        if key in m:
            del m[key]
        return
    if key in m:
        m[key] = value
        return
    rank = order.index(key)
    pos = len(m)
    for i, k in enumerate(m):
        if k in order and order.index(k) > rank:
            pos = i
            break
    m.insert(pos, key, value)


def _seq(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def _map(pairs: list[tuple[str, Any]]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in pairs:
        m[k] = v
    return m


def rewrite(
    policy: Policy,
    folder: Path,
    edits: list[Edit],
    deleted: list[str],
    summary: list[str],
    report: Report,
    as_version: str | None,
) -> str | None:
    from zhidu.load.source import read_bytes

    data = read_bytes(folder / "regulation.yaml", report)
    if data is None:
        return None
    y = round_trip_yaml()
    doc = y.load(data.decode("utf-8-sig").replace("\r\n", "\n"))
    tree = _Tree(doc)
    chapter_sections = {chapter_key(s.text): s.id for s in policy.regulation.sections}
    cells = {c.id: c for c in duty_cells(policy)}

    # Where each row's duty lives: its provision now, or a new provision after the row above it.
    for e in edits:
        if e.duty_id is not None:
            e.prov_id = tree.duty_prov[e.duty_id]
    placed: dict[str | None, list[str]] = {}
    dest: dict[str, Any] = {}
    moved: set[str] = set()
    touched: set[str | None] = set()
    for i, e in enumerate(edits):
        pid = e.prov_id
        if pid and tree.parent[pid] is None:
            continue  # a duty on a chapter itself: chapters keep their order
        if e.duty_id is not None and "chapter" not in e.changed:
            parent = tree.parent[pid]
        else:
            parent = _anchor_parent(edits, i, tree, dest, chapter_sections[e.chapter])
            if e.duty_id is None:
                pid = e.prov_id = _new_provision(tree, e, parent, summary)
            else:
                moved.add(pid)
                old_parent = tree.parent[pid]
                touched.add(None if old_parent is None else str(old_parent["id"]))
                summary.append(f"移动 {e.duty_id} 到“{e.row.get('chapter')}”")
        dest[pid] = parent
        key = None if parent is None else str(parent["id"])
        order = placed.setdefault(key, [])
        if pid not in order:
            order.append(pid)

    # Deletions before reordering, so a deleted provision leaves no slot behind.
    gone_provs: set[str] = set()
    for ident in deleted:
        pid = tree.duty_prov[ident]
        summary.append(f"删除 {ident}（{cells[ident].citation}）")
        if _delete_duty(tree, ident, pid):
            gone_provs.add(pid)
            parent = tree.parent[pid]
            touched.add(None if parent is None else str(parent["id"]))
    row_provs = {p for order in placed.values() for p in order} | gone_provs | moved
    for key in [*placed, *sorted(k for k in touched if k not in placed and k is not None)]:
        parent = None if key is None else tree.prov[key]
        was = [str(p["id"]) for p in tree.seq_of(parent)] if parent is None or "children" in parent else []
        _reorder(tree, parent, placed.get(key, []), row_provs)
        now = [str(p["id"]) for p in tree.seq_of(parent)] if parent is None or "children" in parent else []
        kept = set(was) & set(now)
        if [i for i in was if i in kept] != [i for i in now if i in kept]:
            summary.append(f"调整 {key} 下的条文顺序")

    owners_now = {d.id: policy.owners_of(path, d) for path, _, d in policy.duties()}
    for e in edits:
        _apply_cells(tree, e, cells, owners_now, summary, report)
    if report.errors:
        return None
    if as_version:
        _new_version(doc, policy, as_version)
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _anchor_parent(edits: list[Edit], i: int, tree: _Tree, dest: dict[str, Any], section_id: str) -> Any:
    """The parent a new or moved row goes under: that of the nearest row of its chapter above, else below."""
    e = edits[i]
    for j in range(i - 1, -1, -1):
        other = edits[j]
        if other.chapter == e.chapter and other.prov_id in dest and dest[other.prov_id] is not None:
            return dest[other.prov_id]
    for other in edits[i + 1 :]:
        if other.chapter != e.chapter or other.duty_id is None or "chapter" in other.changed:
            continue
        parent = tree.parent[other.prov_id]
        if parent is not None:
            return parent
    return tree.prov[section_id]


def _new_provision(tree: _Tree, e: Edit, parent: Any, summary: list[str]) -> str:
    """A new provision holding one new duty, ids shaped like its siblings' (P-01-06 → P-01-07, D-01-07)."""
    siblings = [str(p["id"]) for p in (parent.get("children") or [])] if parent is not None else []
    sec = str(parent["id"]) if parent is not None else "S-01"
    pid = tree.new_id(siblings[-1] if siblings else re.sub(r"^[A-Z]+-", "P-", sec) + "-00", "P-")
    did = re.sub(r"^[A-Z]+-", "D-", pid)
    if did in tree.ids:
        did = tree.new_id(did, "D-")
    tree.ids.add(did)
    duty = _map([("id", did), ("checklist", True)])
    prov = _map([("id", pid), ("text", e.changed.pop("text")), ("duties", _seq([duty]))])
    tree.prov[pid] = prov
    tree.parent[pid] = parent
    tree.duty[did] = duty
    tree.duty_prov[did] = pid
    e.duty_id = did
    summary.append(f"新增 {did}（{e.row.where('text', HEADERS['text'])}）：{clip(str(prov['text']))}")
    return pid


def _delete_duty(tree: _Tree, ident: str, pid: str) -> bool:
    """Remove a duty and every reference to it; True when its provision went with it."""
    prov = tree.prov[pid]
    prov["duties"] = _keep(prov["duties"], lambda d: str(d["id"]) != ident)
    for p in tree.prov.values():
        for a in p.get("assessment") or []:
            if ident in [str(x) for x in a.get("duties") or []]:
                a["duties"].remove(ident)
        for z in p.get("liability") or []:
            if ident in [str(x) for x in z.get("triggers") or []]:
                z["triggers"].remove(ident)
    if prov["duties"]:
        return False
    del prov["duties"]
    parent = tree.parent[pid]
    return not (
        any(prov.get(k) for k in ("children", "assessment", "liability", "paragraphs")) or parent is None
    )


def _keep(seq: Any, pred: Any) -> Any:
    for i in range(len(seq) - 1, -1, -1):
        if not pred(seq[i]):
            del seq[i]
    return seq


def _reorder(tree: _Tree, parent: Any, order: list[str], row_provs: set[str]) -> None:
    """Rows decide the order of their provisions; other children keep their places (the slots idea)."""
    if parent is not None and "children" not in parent:
        _set(parent, "children", _seq([]), PROVISION_KEYS)
    seq = tree.seq_of(parent)
    old = list(seq)
    slots = sum(1 for p in old if str(p["id"]) in order)
    queue = list(order)
    out: list[Any] = []
    used = 0
    for p in old:
        pid = str(p["id"])
        if pid not in row_provs:
            out.append(p)
            continue
        if pid not in order:
            continue  # moved away or deleted
        used += 1
        out.append(tree.prov[queue.pop(0)])
        if used == slots:
            out.extend(tree.prov[q] for q in queue)
            queue = []
    out.extend(tree.prov[q] for q in queue)
    if [id(p) for p in out] != [id(p) for p in old]:
        seq.clear()
        seq.extend(out)
    if parent is not None and not seq:
        del parent["children"]
    for p in out:
        tree.parent[str(p["id"])] = parent


def _apply_cells(
    tree: _Tree,
    e: Edit,
    cells: dict[str, DutyCells],
    owners_now: dict[str, list[str]],
    summary: list[str],
    report: Report,
) -> None:
    assert e.duty_id is not None
    duty = tree.duty[e.duty_id]
    prov = tree.prov[e.prov_id]
    labels: list[str] = []
    if "text" in e.changed:
        _set_wording(duty, prov, e.changed["text"])
        labels.append("职责")
    # Owners: set only where they differ from what the provision chain gives (inheritance kept).
    old = cells.get(e.duty_id)
    want = e.owners
    if want is None and old is not None and "chapter" in e.changed:
        want = owners_now[e.duty_id]  # a moved duty keeps its owners, whatever it inherits now
    inherited = tree.owners_inherited(e.prov_id)
    if want is not None:
        _set(duty, "owners", None if want == inherited else _seq(list(want)), DUTY_KEYS)
        if e.owners is not None:
            labels.append("岗位")
    elif old is None and not inherited:
        report.error(
            "X314", f"新增职责{e.row.where('owners', HEADERS['owners'])}不能为空", e.row.loc("owners")
        )
    if "frequency" in e.changed:
        f = e.frequency
        _set(duty, "frequency", _map(list(f.items())) if f else None, DUTY_KEYS)
        labels.append("频次")
    if e.evidence is not None:
        _set(duty, "evidence", _seq(e.evidence) if e.evidence else None, DUTY_KEYS)
        labels.append("履职记录")
    if e.basis is not None:
        _set(duty, "basis", _seq([_map(list(b.items())) for b in e.basis]) if e.basis else None, DUTY_KEYS)
        labels.append("依据")
    if e.checklist is not None:
        _set(duty, "checklist", e.checklist, DUTY_KEYS)
        labels.append("纳入检查表")
    for key, list_key, item_key in (
        ("assessment", "assessment", "duties"),
        ("liability", "liability", "triggers"),
    ):
        wanted = getattr(e, key)
        if wanted is None:
            continue
        labels.append(HEADERS[key])
        for pid, p in tree.prov.items():
            items = p.get(list_key) or []
            has = [i for i in items if e.duty_id in [str(x) for x in i.get(item_key) or []]]
            if pid in wanted and not has and items:
                if item_key not in items[0]:
                    _set(items[0], item_key, _seq([]), ("id", "points", "triggers", "duties", "roles"))
                items[0][item_key].append(e.duty_id)
            elif pid not in wanted:
                for i in has:
                    i[item_key].remove(e.duty_id)
    if labels and old is not None:
        summary.append(f"修改 {e.duty_id}（{old.citation}）：{'、'.join(labels)}")


def _set_wording(duty: Any, prov: Any, text: str) -> None:
    """A 职责 cell's new wording goes where the row's wording comes from (`Policy.duty_text`): the duty's own
    `text` when it has one, or when its provision holds other duties too (their wording stays); else the
    provision's text. Own wording equal to the provision's text is dropped (the duty reads it again)."""
    siblings = len(prov.get("duties") or []) > 1
    if "text" in duty or siblings:
        _set(duty, "text", None if text == prov.get("text") else text, DUTY_KEYS)
    else:
        prov["text"] = text


def _new_version(doc: Any, policy: Policy, version: str) -> None:
    """The copied regulation as a new draft superseding the merged-into version."""
    v = doc["version"]
    v["id"] = version
    v["status"] = "draft"
    for k in ("issued", "effective", "reviewed_on"):
        if k in v:
            del v[k]
    _set(
        v,
        "supersedes",
        policy.regulation.version.id,
        ("id", "status", "issued", "effective", "supersedes", "reviewed_on"),
    )
    if "changes" in doc:
        del doc["changes"]
