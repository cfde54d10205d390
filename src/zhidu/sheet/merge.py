"""A workbook's edits → the regulation's YAML, by stable id, through a ruamel round trip.

Three versions of every row are compared: what the export recorded (the base), what the sheet holds now, and
what the YAML renders to now. A cell that differs from the base was edited in the sheet; if the YAML changed
the same cell since the export too, that is a conflict, reported and never overwritten. Rows without an id are
new duties, placed where they sit; rows missing from the sheet are deletions. Nothing is written here: the
result is the new text of regulation.yaml, already loaded and validated, for the command to show and write.
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Issue, Report
from zhidu.frequency import parse as parse_frequency
from zhidu.location import Location
from zhidu.model import Policy
from zhidu.numbering import citation
from zhidu.sheet.cells import (
    EDITABLE,
    DutyCells,
    chapter_key,
    duty_cells,
    read_flag,
    split_items,
    split_owners,
)
from zhidu.sheet.layout import DUTY_COLUMNS
from zhidu.sheet.read import Book, SheetRow, sheet_loc

HEADERS = {c.key: c.header for c in DUTY_COLUMNS}
#: Key order of a duty mapping, as the schema and the seed write it.
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
_BASIS = re.compile(r"^(《[^》]+》)\s*(.*)$")


@dataclass
class Edit:
    """One duty's row after checking: the sheet's values that differ from the YAML, parsed."""

    row: SheetRow
    duty_id: str | None
    changed: dict[str, str] = field(default_factory=dict)
    owners: list[str] | None = None
    frequency: dict[str, Any] | None = None
    evidence: list[str] | None = None
    basis: list[dict[str, str]] | None = None
    checklist: bool | None = None
    assessment: list[str] | None = None
    liability: list[str] | None = None
    chapter: str = ""
    #: Filled while placing: the provision this row's duty lives in afterwards.
    prov_id: str = ""


@dataclass
class MergePlan:
    """What a merge would do: the new regulation.yaml text and the policies before and after."""

    folder: Path
    old: Policy
    new: Policy | None
    text: str | None
    changed: bool
    #: One line per change, for the summary under the diff.
    summary: list[str] = field(default_factory=list)
    #: The version folder that will be written (a new sibling with --as-version).
    target: Path | None = None
    new_version: str | None = None


def next_version(version: str) -> str:
    """2024.2 → 2024.3; anything else gets .1 appended."""
    m = re.fullmatch(r"(.*?)(\d+)", version)
    return f"{m[1]}{int(m[2]) + 1}" if m else f"{version}.1"


def plan_merge(
    book: Book, folder: Path, report: Report, as_version: str | None = None, keep_order: bool = False
) -> MergePlan | None:
    """Compare the sheet with the version in `folder`; None when something cannot be placed (see `report`).

    `keep_order` ignores the order of the rows (a sheet sorted or filtered by 岗位): duties stay where they are,
    new rows still go after the row above them.
    """
    from zhidu.schema import load_policy

    before = len(report.errors)
    policy = load_policy(folder, report)
    if policy is None:
        report.error(
            "X331", "制度源文件有错误，无法合并；请先运行 zhidu check 修正", Location(folder.as_posix())
        )
        return None
    table = book.duties
    if table is None:
        report.error("X302", "工作簿中没有“责任清单”工作表", Location(book.path))
        return None
    reg = policy.regulation
    if book.meta:
        if book.meta.get("work") != reg.work:
            report.error(
                "X332",
                f"工作簿导出自制度“{book.meta.get('work')}”，与 {folder.as_posix()} 的制度“{reg.work}”不同",
                Location(book.path),
            )
            return None
        if book.meta.get("version") != reg.version.id:
            report.warning(
                "X333",
                f"工作簿导出自 {book.meta.get('version')} 版，现合并到 {reg.version.id} 版；按 id 对照",
                Location(book.path),
            )
    else:
        report.warning(
            "X334",
            "工作簿没有导出记录（不是 zhidu export 生成的）：无法检测冲突，按当前 YAML 对照",
            Location(book.path),
        )
    if "id" not in table.headers:
        report.error(
            "X305",
            "缺少隐藏的 id 列：无法按 id 对照，请使用 zhidu export 导出的工作簿",
            sheet_loc(book.path, table.name, 1, 1),
        )
        return None
    current = {c.id: c for c in duty_cells(policy)}
    base: dict[str, dict[str, str]] = book.base if book.meta else {i: vars(c) for i, c in current.items()}
    edits = _collect(policy, table.rows, current, base, report)
    position = {c.id: i for i, c in enumerate(current.values())}
    if keep_order:
        edits = _document_order(edits, position)
    elif _shuffled(edits, position):
        report.warning(
            "X336",
            "表格中多数行的顺序与制度不同（是否按某列排序过？）：将按表格顺序调整条文；如只是排序，请加 --keep-order",
            Location(book.path),
        )
    deleted = _deletions(table.rows, current, base, book, report)
    if len(report.errors) > before:
        return None
    changed = bool(deleted) or any(e.duty_id is None or e.changed for e in edits)
    if not changed:
        return MergePlan(folder, policy, policy, None, False)
    if reg.version.status == "issued" and as_version is None:
        report.error(
            "X330",
            f"{reg.version.id} 版已印发，不能直接修改；请加 --as-version {next_version(reg.version.id)} "
            "另建草案版本（原版本保持不变）",
            Location(book.path),
        )
        return None
    summary: list[str] = []
    text = _apply(policy, folder, edits, deleted, summary, report, as_version)
    if text is None or len(report.errors) > before:
        return None
    target = folder.parent / as_version if as_version else folder
    new = _load_merged(folder, text, target, report)
    if new is None:
        return None
    return MergePlan(folder, policy, new, text, True, summary, target, as_version)


# ------------------------------------------------------------------------------------------- checking


def _collect(
    policy: Policy,
    rows: list[SheetRow],
    current: dict[str, DutyCells],
    base: dict[str, dict[str, str]],
    report: Report,
) -> list[Edit]:
    edits: list[Edit] = []
    seen: dict[str, int] = {}
    chapter = ""
    chapters = {chapter_key(s.text) for s in policy.regulation.sections}
    for row in rows:
        ident = row.get("id")
        if ident in seen:
            report.error(
                "X310",
                f"id“{ident}”在第 {seen[ident]} 行和第 {row.row} 行重复：复制的行请清空 id 列，作为新职责",
                row.loc("id"),
            )
            continue
        if ident:
            seen[ident] = row.row
        row_chapter = chapter_key(row.get("chapter")) if row.get("chapter") else ""
        if ident and ident not in current:
            if ident not in base:
                report.error(
                    "X312", f"id“{ident}”不存在于当前制度，无法对照（请勿修改 id 列）", row.loc("id")
                )
            elif any(row.get(k) != base[ident].get(k, "") for k in EDITABLE if k in row.cols):
                report.error(
                    "X311",
                    f"职责“{ident}”在导出后已从 YAML 中删除，但表格中又修改了它：冲突，请核对",
                    row.loc("id"),
                )
            continue
        if not ident:
            if not row.get("text"):
                report.error("X319", f"新增的行缺少{row.where('text', HEADERS['text'])}内容", row.loc("text"))
                continue
            chapter = row_chapter or chapter
            again = next(
                (c for c in current.values() if c.id not in base and c.text == row.get("text")), None
            )
            if again is not None:
                # The row was merged before (the YAML gained this duty after the export): not a second copy.
                report.info(
                    "X335",
                    f"此行已合并为职责“{again.id}”（{again.citation}），跳过；重新导出可得到带 id 的行",
                    row.loc("text"),
                )
                continue
            if chapter not in chapters:
                where = row.where("chapter", HEADERS["chapter"])
                report.error(
                    "X318", f"{where}：未知章节“{row.get('chapter')}”，应为已有的一级条文", row.loc("chapter")
                )
                continue
            e = Edit(row, None, chapter=chapter)
            for key in EDITABLE:
                if key != "chapter" and row.get(key):
                    e.changed[key] = row.get(key)
            _parse(policy, e, report)
            edits.append(e)
            continue
        cur = current[ident]
        was = base.get(ident, vars(cur))
        e = Edit(row, ident)
        chapter = row_chapter or chapter_key(cur.chapter)
        e.chapter = chapter_key(cur.chapter)
        for key in EDITABLE:
            if key not in row.cols:
                continue
            s, b, c = row.get(key), was.get(key, ""), getattr(cur, key)
            if key == "chapter" and not s:
                s = b
            s, b, c = _norm(key, s), _norm(key, b), _norm(key, c)
            if s in (b, c):
                continue
            if c != b:
                report.error(
                    "X313",
                    f"冲突：{row.where(key, HEADERS[key])}在导出后被表格和 YAML 同时修改"
                    f"（表格：“{_clip(s)}”，YAML：“{_clip(c)}”，导出时：“{_clip(b)}”）；请先统一后再合并",
                    row.loc(key),
                )
                continue
            e.changed[key] = s
        if "chapter" in e.changed:
            if e.changed["chapter"] not in chapters:
                where = row.where("chapter", HEADERS["chapter"])
                report.error(
                    "X318", f"{where}：未知章节“{row.get('chapter')}”，应为已有的一级条文", row.loc("chapter")
                )
                continue
            e.chapter = e.changed["chapter"]
        _parse(policy, e, report)
        edits.append(e)
    return edits


def _norm(key: str, text: str) -> str:
    """A cell as compared: separators, spaces in names and the ways of writing yes/no do not count as edits."""
    if key == "chapter":
        return chapter_key(text)
    if key == "owners":
        return "、".join(split_owners(text))
    if key == "checklist":
        flag = read_flag(text)
        return text if flag is None else str(flag)
    if key in ("evidence", "basis", "assessment", "liability"):
        return "\n".join(split_items(text))
    return text


def _document_order(edits: list[Edit], position: dict[str, int]) -> list[Edit]:
    """The rows back in the regulation's order; each new row stays right after the row it was typed under."""
    groups: list[tuple[int, list[Edit]]] = [(-1, [])]
    for e in edits:
        if e.duty_id is not None and e.duty_id in position:
            groups.append((position[e.duty_id], [e]))
        else:
            groups[-1][1].append(e)
    return [e for _, group in sorted(groups, key=lambda g: g[0]) for e in group]


def _shuffled(edits: list[Edit], position: dict[str, int]) -> bool:
    """True when fewer than half of the existing rows are still in the regulation's order (a sort, not a move)."""
    seq = [position[e.duty_id] for e in edits if e.duty_id is not None and e.duty_id in position]
    if len(seq) < 4:
        return False
    in_place = sum(1 for a, b in itertools.pairwise(seq) if a < b)
    return in_place * 2 < len(seq) - 1


def _clip(s: str, n: int = 24) -> str:
    s = s.replace("\n", "／")
    return s if len(s) <= n else s[:n] + "…"


def _parse(policy: Policy, e: Edit, report: Report) -> None:
    """Typed values of the changed cells; each cell that cannot be read is one located error."""
    row = e.row
    ch = e.changed
    if "text" in ch and not ch["text"]:
        report.error(
            "X319", f"{row.where('text', HEADERS['text'])}不能为空；要删除职责请删除整行", row.loc("text")
        )
    if "owners" in ch:
        e.owners = _owner_ids(policy, row, ch["owners"], report)
    if "frequency" in ch:
        e.frequency = frequency_value(ch["frequency"])
        if ch["frequency"] and e.frequency is None:
            report.error(
                "X315",
                f"{row.where('frequency', HEADERS['frequency'])}：无法识别的频次“{ch['frequency']}”；"
                "应写作如 每月至少1次、每季度、年度、重大节日、发生事故时，不定期的留空",
                row.loc("frequency"),
            )
    if "evidence" in ch:
        e.evidence = split_items(ch["evidence"])
    if "basis" in ch:
        e.basis = _basis(policy, row, ch["basis"], report)
    if "checklist" in ch:
        e.checklist = read_flag(ch["checklist"])
        if e.checklist is None:
            report.error(
                "X317",
                f"{row.where('checklist', HEADERS['checklist'])}应填“是”或“否”，实际为“{ch['checklist']}”",
                row.loc("checklist"),
            )
    for key in ("assessment", "liability"):
        if key in ch:
            setattr(e, key, _cited(policy, row, key, ch[key], report))


def frequency_value(text: str) -> dict[str, Any] | None:
    """The frequency mapping for a cell (display = the text as typed); None when the rules read nothing."""
    stated = parse_frequency(text)
    if not stated.any:
        return None
    out: dict[str, Any] = {}
    if stated.per:
        out["per"] = stated.per
        out["min"] = stated.min or 1
    if stated.events:
        out["events"] = list(stated.events)
    if stated.on_occurrence:
        out["on_occurrence"] = True
    out["display"] = text
    return out


def role_lookup(policy: Policy) -> dict[str, str]:
    """Role name (spaces removed) or id → id."""
    out = {re.sub(r"[\s\u3000]+", "", r.name): r.id for r in policy.roles}
    out.update({r.id: r.id for r in policy.roles})
    return out


def _owner_ids(policy: Policy, row: SheetRow, text: str, report: Report) -> list[str] | None:
    lookup = role_lookup(policy)
    ids: list[str] = []
    ok = True
    for name in split_owners(text):
        if name in lookup:
            if lookup[name] not in ids:
                ids.append(lookup[name])
            continue
        ok = False
        close = difflib.get_close_matches(name, [r.name for r in policy.roles], n=1, cutoff=0.5)
        hint = f"，是否想写“{close[0]}”？" if close else "；请先在 roles.yaml 中登记该岗位"
        report.error(
            "X314", f"{row.where('owners', HEADERS['owners'])}：未知岗位“{name}”{hint}", row.loc("owners")
        )
    if ok and not ids:
        report.error(
            "X314",
            f"{row.where('owners', HEADERS['owners'])}不能为空：每项职责至少有一个责任岗位",
            row.loc("owners"),
        )
        return None
    return ids if ok else None


def law_lookup(policy: Policy) -> dict[str, str]:
    """Law name, short name or id → id."""
    out: dict[str, str] = {}
    for x in policy.laws:
        out[x.name] = x.id
        out[x.id] = x.id
        for s in x.short:
            out[s] = x.id
    return out


def _basis(policy: Policy, row: SheetRow, text: str, report: Report) -> list[dict[str, str]] | None:
    lookup = law_lookup(policy)
    out: list[dict[str, str]] = []
    ok = True
    for item in split_items(text):
        m = _BASIS.match(item)
        name, art = (m[1], m[2].strip()) if m else (item, "")
        if name not in lookup:
            ok = False
            close = difflib.get_close_matches(name, [x.name for x in policy.laws], n=1, cutoff=0.5)
            hint = (
                f"，是否想写“{close[0]}”？"
                if close
                else "；请写作《法规名称》条款，法规须已在 laws.yaml 中登记"
            )
            report.error(
                "X316", f"{row.where('basis', HEADERS['basis'])}：未知依据“{item}”{hint}", row.loc("basis")
            )
            continue
        ref = {"law": lookup[name]}
        if art:
            ref["art"] = art
        out.append(ref)
    return out if ok else None


def _cited(policy: Policy, row: SheetRow, key: str, text: str, report: Report) -> list[str] | None:
    """Citations of assessment (考核) or liability (追责) provisions → their provision ids."""
    where: dict[str, str] = {}
    for path, p in policy.walk():
        if p.assessment if key == "assessment" else p.liability:
            where[citation(path)] = p.id
    out: list[str] = []
    for item in split_items(text):
        cite = re.sub(r"[\s\u3000]+", "", item)
        if cite not in where:
            kind = "考核" if key == "assessment" else "追责情形"
            known = "、".join(list(where)[:4])
            report.error(
                "X318",
                f"{row.where(key, HEADERS[key])}：“{item}”不是{kind}条款（可填：{known}）",
                row.loc(key),
            )
            return None
        out.append(where[cite])
    return out


def _deletions(
    rows: list[SheetRow],
    current: dict[str, DutyCells],
    base: dict[str, dict[str, str]],
    book: Book,
    report: Report,
) -> list[str]:
    """Duties exported but no longer in the sheet; a conflict when the YAML changed them since."""
    present = {r.get("id") for r in rows}
    out = []
    for ident, was in base.items():
        if ident in present or ident not in current:
            continue
        cur = current[ident]
        if any(getattr(cur, k) != was.get(k, "") for k in EDITABLE):
            report.error(
                "X311",
                f"冲突：职责“{ident}”（{cur.citation}）在表格中被删除，但导出后 YAML 中修改过它；请核对",
                Location(book.path),
            )
            continue
        out.append(ident)
    return out


# ------------------------------------------------------------------------------------------- applying


def round_trip_yaml() -> Any:
    """The ruamel set-up of `zhidu fmt`: comments, key order and quoting kept."""
    from zhidu.fmt import _round_trip_yaml

    return _round_trip_yaml()


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


def _apply(
    policy: Policy,
    folder: Path,
    edits: list[Edit],
    deleted: list[str],
    summary: list[str],
    report: Report,
    as_version: str | None,
) -> str | None:
    from zhidu.source import read_bytes

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
    summary.append(f"新增 {did}（{e.row.where('text', HEADERS['text'])}）：{_clip(str(prov['text']))}")
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
        prov["text"] = e.changed["text"]
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


# ------------------------------------------------------------------------------------------- checking the result


def _load_merged(folder: Path, text: str, target: Path, report: Report) -> Policy | None:
    """Load the merged version from a temporary copy; its problems are reported against the real path."""
    from zhidu.schema import load_policy
    from zhidu.source import version_files

    with tempfile.TemporaryDirectory(prefix="zhidu-merge-") as tmp:
        work = Path(tmp) / folder.parent.name
        copy = work / target.name
        copy.mkdir(parents=True)
        for f in version_files(folder):
            dest = copy / f.name if f.parent == folder else work / f.name
            shutil.copyfile(f, dest)
        (copy / "regulation.yaml").write_text(text, encoding="utf-8")
        mine = Report()
        new = load_policy(copy, mine)
        prefix = copy.as_posix()
        for i in mine.issues:
            shown = i.loc.path.replace(prefix, target.as_posix())
            report.issues.append(
                Issue(i.severity, i.code, f"合并结果无效：{i.message}", replace(i.loc, path=shown))
            )
        if new is None:
            return None
        return replace(new, root=target.as_posix())
