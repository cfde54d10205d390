"""The diff product: the 修订对照表 between a version and the one it supersedes.

The comparison (zhidu.diff) speaks in ids; this view speaks to readers: roles by name, duties and provisions by
citation, punctuation and whitespace changes in words, metadata as a small table and the notice text as a
character diff rather than two full texts.
"""

from __future__ import annotations

import re
import unicodedata

from msgspec import Struct, structs

from zhidu.diff import GlobalRename, MetaChange, RevisionDiff, Row, Side, compare
from zhidu.diff.chars import sides
from zhidu.diff.model import Segment
from zhidu.model import Policy
from zhidu.views.base import PlanOptions, View, make_stamp, product

#: zhidu's own column titles (docs/domain.md §8); not a fixed convention, so callers may pass others.
DEFAULT_COLUMNS: tuple[str, str, str] = ("原条文", "修订后条文", "修订说明")
#: The metadata table's columns.
META_COLUMNS: tuple[str, str, str] = ("项目", "原", "修订后")
#: Metadata already said elsewhere (the subtitle names both versions).
_SKIP_META = ("版本号",)

#: Names of punctuation and whitespace, for describing changes that are invisible or unreadable as marks.
PUNCT_NAMES: dict[str, str] = {
    "、": "顿号",
    "，": "逗号",
    ",": "半角逗号",
    "。": "句号",
    "；": "分号",
    ";": "半角分号",
    "：": "冒号",
    ":": "半角冒号",
    "“": "前引号",
    "”": "后引号",
    "‘": "前单引号",
    "’": "后单引号",
    "《": "前书名号",
    "》": "后书名号",
    "（": "前括号",
    "）": "后括号",
    "(": "半角前括号",
    ")": "半角后括号",
    "—": "破折号",
    "…": "省略号",
    "！": "叹号",
    "？": "问号",
    " ": "空格",
    "　": "全角空格",
    "\n": "换行",
    "\t": "制表符",
}
_PAIRS = {("”", "“"): "引号", ("》", "《"): "书名号", ("）", "（"): "括号"}


def _is_mark(ch: str) -> bool:
    return ch in PUNCT_NAMES or ch.isspace() or unicodedata.category(ch).startswith("P")


def _name(chars: str) -> str:
    return "".join(PUNCT_NAMES.get(c, f"“{c}”") for c in chars)


def describe_marks(old: str, new: str) -> tuple[str, str] | None:
    """A punctuation or whitespace change in words (old cell, new cell), or None when words are involved.

    "》、《" → "》《" reads: 书名号之间的顿号 → 删去书名号之间的顿号.
    """
    if not old + new or not all(_is_mark(c) for c in old + new):
        return None
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    left, right = old[:p], old[len(old) - s :]
    mid_old, mid_new = old[p : len(old) - s], new[p : len(new) - s]
    pair = _PAIRS.get((left[-1:], right[:1]))
    if pair:
        where = f"{pair}之间的"
    elif left or right:
        where = f"{_name(left[-1:]) or '开头'}与{_name(right[:1]) or '结尾'}之间的"
    else:
        where = ""
    if mid_old and not mid_new:
        return f"{where}{_name(mid_old)}", f"删去{where}{_name(mid_old)}"
    if mid_new and not mid_old:
        return (
            f"{where.removesuffix('的')}无{_name(mid_new)}",
            f"{where.removesuffix('之间的')}之间加{_name(mid_new)}",
        )
    return f"{where}{_name(mid_old)}", f"改为{_name(mid_new)}"


class RenameRow(Struct, frozen=True):
    """A global replacement as the table prints it: the terms, or the change in words for punctuation."""

    rename: GlobalRename
    #: The change in words (old cell, new cell) when it concerns only punctuation or whitespace.
    words: tuple[str, str] | None

    @property
    def label(self) -> str:
        if self.words:
            return f"全文{self.words[1]}"
        return self.rename.label

    @property
    def note(self) -> str:
        return self.rename.note

    @property
    def recorded(self) -> bool:
        return self.rename.recorded

    @property
    def count(self) -> int:
        return self.rename.count


class MetaRow(Struct, frozen=True):
    """One changed metadata item; long texts (the notice body) carry a character diff instead of two texts."""

    label: str
    old: str
    new: str
    old_segments: tuple[Segment, ...] = ()
    new_segments: tuple[Segment, ...] = ()

    @property
    def diffed(self) -> bool:
        return bool(self.old_segments or self.new_segments)

    @property
    def line(self) -> str:
        return f"{self.label}：{self.old or '（无）'} → {self.new or '（无）'}"


class DiffView(Struct, frozen=True):
    """Everything the 修订对照表 templates and the docx builder print."""

    title: str
    subtitle: str
    columns: tuple[str, str, str]
    old: Side
    new: Side
    #: Lines before the table: what is compared and what is summarised instead of listed.
    intro: tuple[str, ...]
    meta: tuple[MetaRow, ...]
    renames: tuple[RenameRow, ...]
    rows: tuple[Row, ...]
    diff: RevisionDiff
    meta_columns: tuple[str, str, str] = META_COLUMNS

    @property
    def empty(self) -> bool:
        return not (self.renames or self.rows)


#: An id as model.ID_PATTERN defines it, optionally after the word that names its kind in compare's details.
#: The space compare puts after an id goes with it: Chinese runs on without spaces.
_ID_RE = re.compile(r"(?:(职责|岗位|法规|考核项|追责情形|条文)\s?)?\b([A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*)\b ?")


def readable_names(*policies: Policy) -> dict[str, str]:
    """Every id of the policies → how a reader knows it: a citation, a role's or a law's name.

    Later policies win, so an id present in both is named as in the new version.
    """
    out: dict[str, str] = {}
    for pol in policies:
        for r in pol.roles:
            out[r.id] = f"岗位“{r.name}”"
        for law in pol.laws:
            out[law.id] = law.name
        for path, p in pol.walk():
            cite = pol.cite(path)
            out[p.id] = cite
            for d in p.duties:
                out[d.id] = f"{cite}的职责"
            for a in p.assessment:
                out[a.id] = f"{cite}的考核项"
            for z in p.liability:
                out[z.id] = f"{cite}的追责情形"
    return out


def without_ids(text: str, names: dict[str, str]) -> str:
    """`text` with every known id (and the kind word before it) replaced by its readable name."""

    def sub(m: re.Match[str]) -> str:
        name = names.get(m[2])
        if name is None:
            return m[0]
        if m[1] == "条文":
            return f"条文{name}"
        return name

    return _ID_RE.sub(sub, text)


def _meta_rows(meta: tuple[MetaChange, ...], names: dict[str, str]) -> tuple[MetaRow, ...]:
    out: list[MetaRow] = []
    for m in meta:
        if m.label in _SKIP_META:
            continue
        label = without_ids(m.label, names)
        if len(m.old) + len(m.new) > 80 and m.old and m.new:
            # A long text (the notice body) as one character diff: two full texts hide a one-word change.
            old_seg, new_seg = sides(m.old, m.new)
            out.append(MetaRow(label, m.old, m.new, old_seg, new_seg))
        else:
            out.append(MetaRow(label, m.old, m.new))
    return tuple(out)


def build_diff_view(old: Policy, new: Policy, columns: tuple[str, str, str] = DEFAULT_COLUMNS) -> DiffView:
    """The 修订对照表 of `new` against `old`."""
    d = compare(old, new)
    names = readable_names(old, new)
    intro = (f"本表对照原制度（{d.old.label}）与修订后的制度（{d.new.label}）。", *d.summary)
    rows = tuple(
        structs.replace(
            r,
            label=without_ids(r.label, names),
            details=tuple(without_ids(x, names) for x in r.details),
        )
        for r in d.rows
    )
    return DiffView(
        title=f"{new.regulation.title}修订对照表",
        subtitle=f"{d.old.version} 版 → {d.new.version} 版",
        columns=columns,
        old=d.old,
        new=d.new,
        intro=tuple(without_ids(x, names) for x in intro),
        meta=_meta_rows(d.meta, names),
        renames=tuple(RenameRow(g, describe_marks(g.old, g.new)) for g in d.renames),
        rows=rows,
        diff=d,
    )


def diff_view(old: Policy, new: Policy, columns: tuple[str, str, str] = DEFAULT_COLUMNS) -> View[DiffView]:
    """The 修订对照表 as a printable view (revision-table.*), stamped with the new version."""
    data = build_diff_view(old, new, columns)
    return View("diff", "revision-table", data.title, make_stamp(new), data)


@product("diff")
def plan_diff(policy: Policy, options: PlanOptions) -> list[View[DiffView]]:
    """One 修订对照表 when the superseded version is at hand; none otherwise."""
    if options.previous is None:
        return []
    return [diff_view(options.previous, policy)]
