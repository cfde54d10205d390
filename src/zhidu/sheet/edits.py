"""Checking a workbook's rows against the version they merge into: which cells were edited, and what they mean.

Each cell is compared as text three ways (export record, sheet, current YAML); an edited cell is parsed (岗位 names,
frequency wording, 依据, 考核/追责 ids) and anything that cannot be placed is reported at its sheet, row and column.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from zhidu.diagnostics import Report
from zhidu.frequency import parse as parse_frequency
from zhidu.location import Location
from zhidu.model import Policy
from zhidu.render.xlsx.cells import EDITABLE, DutyCells, chapter_key, read_flag, split_items, split_owners
from zhidu.render.xlsx.columns import DUTY_COLUMNS
from zhidu.sheet.read import Book, SheetRow

HEADERS = {c.key: c.header for c in DUTY_COLUMNS}
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


def collect(
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
                    f"（表格：“{clip(s)}”，YAML：“{clip(c)}”，导出时：“{clip(b)}”）；请先统一后再合并",
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


def document_order(edits: list[Edit], position: dict[str, int]) -> list[Edit]:
    """The rows back in the regulation's order; each new row stays right after the row it was typed under."""
    groups: list[tuple[int, list[Edit]]] = [(-1, [])]
    for e in edits:
        if e.duty_id is not None and e.duty_id in position:
            groups.append((position[e.duty_id], [e]))
        else:
            groups[-1][1].append(e)
    return [e for _, group in sorted(groups, key=lambda g: g[0]) for e in group]


def shuffled(edits: list[Edit], position: dict[str, int]) -> bool:
    """True when fewer than half of the existing rows are still in the regulation's order (a sort, not a move)."""
    seq = [position[e.duty_id] for e in edits if e.duty_id is not None and e.duty_id in position]
    if len(seq) < 4:
        return False
    in_place = sum(1 for a, b in itertools.pairwise(seq) if a < b)
    return in_place * 2 < len(seq) - 1


def clip(s: str, n: int = 24) -> str:
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
            where[policy.cite(path)] = p.id
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


def deletions(
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
