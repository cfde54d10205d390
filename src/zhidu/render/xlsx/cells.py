"""The model as the cell texts of the 责任清单: what export writes and what merge compares against.

Merge decides "edited or not" by comparing a cell with the text export would write, never by parsing it first:
whatever a cell can hold, an untouched workbook merges to no change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from zhidu.model import Duty, Policy
from zhidu.render.xlsx.columns import NO, YES

#: Joins list items in one cell (履职记录, 依据, 考核, 追责); reading also accepts ；and ;.
LINE = "\n"
#: Joins owners in the 岗位 cell; reading also accepts ，, / and line breaks.
OWNER_SEP = "、"
_ITEM_SPLIT = re.compile(r"[\n；;]+")
_OWNER_SPLIT = re.compile(r"[\n、，,；;/／]+")
_CHAPTER_NUMBER = re.compile(r"^\s*(?:第?[一二三四五六七八九十百零]+[、．.条]|\d+[、．.])\s*")
#: Spaces a clerk's keyboard or a pasted cell may carry at either end: ASCII, no-break, full-width.
_EDGE_SPACE = " \t\u00a0\u3000"


@dataclass(frozen=True)
class DutyCells:
    """One row of the 责任清单 sheet as text."""

    id: str
    citation: str
    chapter: str
    owners: str
    text: str
    frequency: str
    evidence: str
    basis: str
    checklist: str
    assessment: str
    liability: str


#: The columns a clerk may edit (编码 is computed from position; the id is the row's identity).
EDITABLE = (
    "chapter",
    "owners",
    "text",
    "frequency",
    "evidence",
    "basis",
    "checklist",
    "assessment",
    "liability",
)
FIELD_NAMES = tuple(f.name for f in fields(DutyCells))


def clean(value: object) -> str:
    """A cell value as the text merge compares: numbers without .0, dates as YYYY-MM-DD, each line trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.strip(_EDGE_SPACE) for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def split_items(text: str) -> list[str]:
    """A list cell's items (one per line, or separated by ；)."""
    return [s for s in (x.strip(_EDGE_SPACE) for x in _ITEM_SPLIT.split(text)) if s]


def split_owners(text: str) -> list[str]:
    """The role names of a 岗位 cell, spaces inside names removed (党政 办公室 is 党政办公室)."""
    out = []
    for s in _OWNER_SPLIT.split(text):
        name = re.sub(r"[\s\u3000]+", "", s)
        if name:
            out.append(name)
    return out


def chapter_key(text: str) -> str:
    """A chapter cell without its number and spaces: 一、党工委书记的职责 and 党工委书记的职责 are one chapter."""
    return re.sub(r"[\s\u3000]+", "", _CHAPTER_NUMBER.sub("", text))


def yes_no(flag: bool) -> str:
    return YES if flag else NO


def read_flag(text: str) -> bool | None:
    """是/否 and the other ways a clerk writes yes or no; None when it is neither."""
    t = re.sub(r"[\s\u3000]+", "", text).lower()
    if t in ("是", "y", "yes", "true", "1", "√", "✓", "纳入", "列入"):
        return True
    if t in ("否", "n", "no", "false", "0", "×", "✗", "不纳入", "不列入"):
        return False
    return None


def basis_text(policy: Policy, duty: Duty) -> str:
    """《中华人民共和国安全生产法》第九条, one reference per line, in the order the YAML lists them."""
    names = {x.id: x.name for x in policy.laws}
    return LINE.join(names.get(b.law, b.law) + (b.art or "") for b in duty.basis)


def duty_cells(policy: Policy) -> list[DutyCells]:
    """Every duty of the version as a row, in document order."""
    names = {r.id: r.name for r in policy.roles}
    assessed: dict[str, list[str]] = {}
    triggered: dict[str, list[str]] = {}
    for path, p in policy.walk():
        for a in p.assessment:
            for d in a.duties:
                cites = assessed.setdefault(d, [])
                if policy.cite(path) not in cites:
                    cites.append(policy.cite(path))
        for z in p.liability:
            for d in z.triggers:
                cites = triggered.setdefault(d, [])
                if policy.cite(path) not in cites:
                    cites.append(policy.cite(path))
    rows = []
    for path, prov, duty in policy.duties():
        section = policy.regulation.sections[path[0]]
        rows.append(
            DutyCells(
                id=duty.id,
                citation=policy.cite(path),
                chapter=policy.number(path[:1]) + section.text,
                owners=OWNER_SEP.join(names.get(o, o) for o in policy.owners_of(path, duty)),
                # The duty's own wording where it has one (a duty under a 追责 clause), as cards print it.
                text=clean(policy.duty_text(prov, duty)),
                frequency=clean(duty.frequency.display) if duty.frequency else "",
                evidence=clean(LINE.join(duty.evidence)),
                basis=clean(basis_text(policy, duty)),
                checklist=yes_no(duty.checklist),
                assessment=LINE.join(assessed.get(duty.id, ())),
                liability=LINE.join(triggered.get(duty.id, ())),
            )
        )
    return rows
