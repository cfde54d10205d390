"""The revision diff as data: rows of the 修订对照表, global renames, metadata changes and the two sides.

`zhidu.diff.compare` fills these; the views and renderers only read them.
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

Op = Literal["equal", "delete", "insert"]
RowKind = Literal["新增", "删除", "修改", "移动", "拆分", "合并"]


class Segment(Struct, frozen=True):
    """A run of text that is kept, deleted (old column) or inserted (new column)."""

    op: Op
    text: str


class Part(Struct, frozen=True):
    """One provision on one side of a row: its citation and its highlighted text."""

    id: str
    citation: str
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def markdown(self) -> str:
        """Cell text for a Markdown table: ~~deleted~~, **inserted**, line breaks as <br>."""
        out = []
        for s in self.segments:
            t = _md_escape(s.text)
            if s.op == "delete" and t.strip():
                out.append("<br>".join(f"~~{x}~~" if x else "" for x in t.split("<br>")))
            elif s.op == "insert" and t.strip():
                out.append("<br>".join(f"**{x}**" if x else "" for x in t.split("<br>")))
            else:
                out.append(t)
        return f"**{self.citation}**　" + "".join(out)


def _md_escape(s: str) -> str:
    for ch in "\\|*~_`[]<>":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", "<br>")


class Row(Struct, frozen=True):
    """One row of the 修订对照表: old provisions, new provisions and why."""

    kind: RowKind
    #: What happened, in words: 新增第三条第（十六）项, 删除, 第二条第（三）项拆分为…
    label: str
    old: tuple[Part, ...]
    new: tuple[Part, ...]
    #: Changes beside the wording: owners, duties, frequencies, legal basis.
    details: tuple[str, ...] = ()
    #: The 修订说明 of the change records naming this row's ids.
    reasons: tuple[str, ...] = ()
    records: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.id for p in (*self.old, *self.new)))

    @property
    def recorded(self) -> bool:
        return bool(self.records)

    @property
    def note(self) -> str:
        """The 修订说明 cell: the records' reasons, or the computed label when nobody recorded one."""
        return "；".join(self.reasons) if self.reasons else f"{self.label}（无修订记录）"

    @property
    def note_lines(self) -> tuple[str, ...]:
        return (self.note, *self.details)


class GlobalRename(Struct, frozen=True):
    """One wording replaced everywhere: a single blanket row at the top of the table."""

    old: str
    new: str
    count: int
    ids: tuple[str, ...]
    reasons: tuple[str, ...] = ()
    records: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if not self.new:
            return f"删除全文中的“{self.old}”"
        return f"将全文中“{self.old}”的表述统一修订为“{self.new}”"

    @property
    def recorded(self) -> bool:
        return bool(self.records)

    @property
    def note(self) -> str:
        return "；".join(self.reasons) if self.reasons else "（无修订记录，系自动识别）"


class MetaChange(Struct, frozen=True):
    """A changed item of version metadata or of a registry (文号, dates, titles, roles, laws)."""

    label: str
    old: str
    new: str

    @property
    def line(self) -> str:
        return f"{self.label}：{self.old or '（无）'} → {self.new or '（无）'}"


class Renumbered(Struct, frozen=True):
    """A provision whose only change is its computed number."""

    id: str
    old: str
    new: str


class Side(Struct, frozen=True):
    """How one version is named in the table header."""

    version: str
    doc_no: str
    date: str
    title: str

    @property
    def label(self) -> str:
        """2024.1 版，东公政发〔2024〕27号，2024年6月3日印发."""
        parts = [f"{self.version} 版"]
        if self.doc_no:
            parts.append(self.doc_no)
        if self.date:
            parts.append(f"{self.date}印发")
        return "，".join(parts)


class RevisionDiff(Struct, frozen=True):
    """Everything that changed between two versions, ready for the 修订对照表 views."""

    old: Side
    new: Side
    meta: tuple[MetaChange, ...] = ()
    renames: tuple[GlobalRename, ...] = ()
    rows: tuple[Row, ...] = ()
    renumbered: tuple[Renumbered, ...] = ()
    #: Provisions whose only change is the width of punctuation (, → ，).
    punctuation: tuple[str, ...] = ()
    #: Their citations in the new version, for the summary line.
    punctuation_where: tuple[str, ...] = ()
    punctuation_records: tuple[str, ...] = ()
    #: Problems with lineage or records, for `zhidu check`: (message, id).
    problems: tuple[tuple[str, str], ...] = ()
    #: Ids touched by a change without a change record naming them (renames count by their from-text).
    unrecorded: tuple[str, ...] = ()

    @property
    def equal(self) -> bool:
        return not (self.meta or self.renames or self.rows or self.renumbered or self.punctuation)

    def changed_ids(self) -> set[str]:
        """Every provision id the diff accounts for as changed (rows, renames, punctuation)."""
        out = {i for r in self.rows for i in r.ids}
        out.update(i for g in self.renames for i in g.ids)
        out.update(self.punctuation)
        return out

    @property
    def summary(self) -> tuple[str, ...]:
        """The preamble lines of the table: what is summarised instead of listed row by row."""
        lines = []
        if self.renumbered:
            lines.append(
                f"因条目增删，{len(self.renumbered)} 处条文序号相应调整（如原{self.renumbered[0].old}现为"
                f"{self.renumbered[0].new}），仅序号变化的不逐条列出。"
            )
        if self.punctuation:
            where = "、".join(self.punctuation_where[:3]) + ("等" if len(self.punctuation_where) > 3 else "")
            lines.append(f"{where}共 {len(self.punctuation)} 处条文仅将半角标点改为全角标点，不逐条列出。")
        kinds: dict[str, int] = {}
        for r in self.rows:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        if kinds or self.renames:
            tally = "，".join(f"{k} {n} 处" for k, n in kinds.items())
            head = f"全文统一修订 {len(self.renames)} 项" if self.renames else ""
            lines.append("本次修订" + "，".join(x for x in (head, tally) if x) + "。")
        if not (kinds or self.renames or self.renumbered or self.punctuation):
            lines.append("条文无变化。")
        return tuple(lines)
