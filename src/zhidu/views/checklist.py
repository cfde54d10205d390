"""The checklist product: per community and period, the duties to tick off, their site inspection points, and a
hazard ledger (隐患台账).

A checklist is the expansion role × community (docs/domain.md): every checklist duty owned by a community-level
role (kind community or grid_worker, or any role marked per_community) appears on every community's sheets.
A duty's frequency decides where it goes: on the sheet of its own period kind it is ticked once (or once per
required time); on a longer sheet it is ticked per ISO week (the month sheet) or counted per month (quarter,
half-year, year). Event duties (重大节日, 汛期 …) are dated when calendar.yaml lists their dates within the period;
duties without a regular frequency stay under 随时事项 on every sheet, so none is dropped. Accountability and
assessment clauses (追责, 考核) are never check items, whatever their `checklist` flag says (lint I125).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import zhidu.views.checklist_layout as paper
from zhidu.clauses import accountability_duties
from zhidu.frequency import badge
from zhidu.model import Catalogue, Community, DatedEvent, Duty, Policy, Role
from zhidu.naming import community_slug
from zhidu.period import KIND_LABELS, KINDS, Period, PeriodKind, subperiods
from zhidu.views.base import PlanOptions, View, make_stamp, product

#: The fixed columns around a section's tick columns.
HEAD_COLUMNS: tuple[str, str, str] = ("序号", "检查事项", "频次")
REMARK = "备注"
#: Columns of the hazard ledger (隐患台账, docs/domain.md 错题本), as a community records a hazard to closure.
LEDGER_COLUMNS: tuple[str, ...] = (
    "序号",
    "发现日期",
    "隐患地点/单位",
    "隐患描述",
    "隐患等级（圈选）",
    "整改措施",
    "整改时限",
    "责任人",
    "复查人",
    "销号日期",
)
#: Ledger widths in mm (175 in all); 隐患等级 holds the two tick boxes 一般 / 重大 on two lines.
LEDGER_WIDTHS_MM: tuple[float, ...] = (8.0, 15.0, 22.0, 32.0, 16.0, 28.0, 15.0, 13.0, 13.0, 13.0)
#: The ledger's heading; on a page of its own it is followed by the sheet's community and period.
LEDGER_HEADING = "隐患台账"
#: Printed in every 隐患等级 cell; the inspector circles one.
LEDGER_GRADE = "一般\n重大"
#: Sign-off labels; each is printed with a rule to sign on.
SIGNOFF: tuple[str, ...] = ("检查人（签字）", "社区负责人（签字）", "日期")

#: The sheet for communities whose checklist duties have no regular period at all.
ONGOING = "ongoing"
COMMUNITY_KINDS = frozenset({"community", "grid_worker"})

DONE = "☐已做 ☐未做"
#: 随时事项: done this period, or nothing of the kind happened (无).
OCCASIONAL = "☐已做 ☐无"
POINT = "☐是 ☐否"

_BLANK_PERIOD: dict[str, str] = {
    "week": "____年__月__日—__月__日（第____周）",
    "month": "____年__月",
    "quarter": "____年第____季度",
    "half_year": "____年____半年",
    "year": "____年",
    ONGOING: "____年__月__日—____年__月__日",
}
_HEADINGS: dict[str, str] = {
    "week": "本周检查事项",
    "month": "本月检查事项",
    "quarter": "本季度检查事项",
    "half_year": "本半年检查事项",
    "year": "本年度检查事项",
}


@dataclass(frozen=True)
class PointRow:
    """A site inspection point printed as a tick row under the duty it serves."""

    no: str
    text: str
    #: 《消防法》第二十八条 …; "" when the catalogue gives none.
    basis: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    """One row: a duty as it is checked on paper."""

    no: int
    duty_id: str
    #: The duty's short name, or its provision's text when it has none.
    title: str
    #: The provision's full wording, for formats with room for it.
    text: str
    #: Who does it: 网格员, 社区 …
    owner: str
    #: Where the regulation says so: 第六条第（一）项.
    citation: str
    #: Short frequency label: 每周, 每月≥2次, 事发即办, 常态.
    frequency: str
    #: The records that prove it was done; "—" when the regulation names none.
    evidence: str
    #: What each tick column of the section holds for this row: boxes, or a count to write (____次).
    cells: tuple[str, ...]
    points: tuple[PointRow, ...] = ()

    @property
    def source_line(self) -> str:
        """The small line under the title: owner, citation and the records to keep."""
        line = f"{self.owner}｜{self.citation}"
        return line + (f"｜记录：{self.evidence}" if self.evidence != "—" else "")


@dataclass(frozen=True)
class ChecklistSection:
    """A block of rows under one heading, with its own tick columns."""

    heading: str
    #: Labels of the tick columns, e.g. ("完成情况",) or one per ISO week of the month.
    columns: tuple[str, ...]
    items: tuple[ChecklistItem, ...]
    #: Widths in mm of 序号, 检查事项, 频次, each tick column and 备注 (when there is one).
    widths_mm: tuple[float, ...]
    #: True when the cells are counts to write (按月汇总) rather than boxes to tick.
    tally: bool = False

    @property
    def header(self) -> tuple[str, ...]:
        """Every column label, in print order."""
        remark = (REMARK,) if len(self.widths_mm) > len(HEAD_COLUMNS) + len(self.columns) else ()
        return (*HEAD_COLUMNS, *self.columns, *remark)


@dataclass(frozen=True)
class ChecklistView:
    """Everything the checklist templates and the docx builder print for one community and period."""

    community_id: str
    community: str
    #: Safe folder name of the community (naming.community_slug).
    slug: str
    leader: str
    safety_officer: str
    #: "示例网格员甲（第1网格）", in registry order.
    grid_workers: tuple[str, ...]
    #: week, month, quarter, half_year, year or ongoing.
    kind: str
    #: 周, 月, 季度, 半年, 年度, 日常.
    kind_label: str
    #: The output file's stem: the period code (2024-W23) or, for a blank template, the kind (week).
    code: str
    title: str
    #: 2024年6月3日—6月9日（2024年第23周）, or blank lines to fill by hand.
    period_text: str
    period_filled: bool
    sections: tuple[ChecklistSection, ...]
    ledger_columns: tuple[str, ...]
    ledger_widths_mm: tuple[float, ...]
    ledger_rows: tuple[int, ...]
    ledger_grade: str
    #: True when the check table leaves no room for MIN_LEDGER_ROWS: the ledger takes a page of its own.
    ledger_new_page: bool
    signoff: tuple[str, ...]
    #: Where the printed inspection points come from, one line per catalogue.
    sources: tuple[str, ...]
    #: A warning printed when parties.yaml holds example data.
    example_note: str

    def tables(self) -> tuple[tuple[ChecklistSection, ...], ...]:
        """Consecutive sections with the same columns share one printed table (one header row)."""
        out: list[list[ChecklistSection]] = []
        for s in self.sections:
            if out and out[-1][-1].header == s.header and out[-1][-1].widths_mm == s.widths_mm:
                out[-1].append(s)
            else:
                out.append([s])
        return tuple(tuple(g) for g in out)


@dataclass(frozen=True)
class _Source:
    """A checklist duty resolved once per policy, before it is laid out per community and period."""

    duty: Duty
    title: str
    text: str
    owner: str
    citation: str
    per: str | None
    min: int
    events: tuple[str, ...]


def is_community_role(role: Role) -> bool:
    """Whether a role's duties belong on community checklists."""
    return role.kind in COMMUNITY_KINDS or role.per_community


def checklist_duties(policy: Policy) -> list[_Source]:
    """The checklist duties of community-level roles, in document order, without accountability clauses."""
    roles = {r.id: r for r in policy.roles}
    excluded = accountability_duties(policy)
    out: list[_Source] = []
    for path, prov, duty in policy.duties():
        if not duty.checklist or duty.id in excluded:
            continue
        owners = [roles[o] for o in policy.owners_of(path, duty) if o in roles]
        mine = [r for r in owners if is_community_role(r)]
        if not mine:
            continue
        f = duty.frequency
        out.append(
            _Source(
                duty=duty,
                title=duty.summary or policy.duty_text(prov, duty),
                text=policy.duty_text(prov, duty),
                owner="、".join(r.name for r in mine),
                citation=policy.cite(path, compact=True),
                per=f.per if f is not None else None,
                min=(f.min or 1) if f is not None else 1,
                events=tuple(f.events) if f is not None else (),
            )
        )
    return out


def kinds_of(sources: list[_Source]) -> list[str]:
    """Blank templates to plan: every kind from the shortest recurring one up; ["ongoing"] when none recurs."""
    found = [KINDS.index(s.per) for s in sources if s.per in KINDS]
    if not found:
        return [ONGOING] if sources else []
    return list(KINDS[min(found) :])


def _finer(kind: str, per: str | None) -> bool:
    return per in KINDS and kind in KINDS and KINDS.index(per) < KINDS.index(kind)


def _times(s: _Source) -> str:
    """The completion cell of an item on the sheet of its own kind: one pair of boxes, or one per time."""
    if s.min <= 1:
        return DONE
    return "\n".join(f"☐第{n}次 __日" for n in range(1, s.min + 1))


def _week_label(week: Period) -> str:
    w = week.start.isocalendar()[1]
    e = week.end
    end = f"{e.day}" if e.month == week.start.month else f"{e.month}/{e.day}"
    return f"第{w}周\n{week.start.month}/{week.start.day}-{end}"


def _catalogues_for(c: Community, policy: Policy) -> dict[str, list[Catalogue]]:
    """The catalogues that apply to community `c`, by the duty they serve."""
    out: dict[str, list[Catalogue]] = {}
    for k in policy.catalogues:
        if k.places and not set(k.places) & set(c.places):
            continue
        for d in k.serves:
            out.setdefault(d, []).append(k)
    return out


def _points(no: int, cats: list[Catalogue], cells: tuple[str, ...]) -> tuple[PointRow, ...]:
    rows: list[PointRow] = []
    for k in cats:
        for p in k.points:
            rows.append(PointRow(f"{no}.{len(rows) + 1}", p.text, p.basis or "", cells))
    return tuple(rows)


class _Numberer:
    """Numbers rows through a sheet and attaches inspection points under the duties they serve."""

    def __init__(self, cats: dict[str, list[Catalogue]]) -> None:
        self.no = 0
        self.cats = cats

    def item(self, s: _Source, cells: tuple[str, ...], point_cells: tuple[str, ...] | None) -> ChecklistItem:
        self.no += 1
        f = s.duty.frequency
        freq = badge(f.per, f.min, f.events, f.on_occurrence) if f is not None else badge(None, None)
        points = _points(self.no, self.cats.get(s.duty.id, []), point_cells) if point_cells else ()
        return ChecklistItem(
            no=self.no,
            duty_id=s.duty.id,
            title=s.title,
            text=s.text,
            owner=s.owner,
            citation=s.citation,
            frequency=freq,
            evidence="、".join(s.duty.evidence) or "—",
            cells=cells,
            points=points,
        )


def _section(
    heading: str, columns: tuple[str, ...], items: list[ChecklistItem], tally: bool = False
) -> ChecklistSection:
    return ChecklistSection(heading, columns, tuple(items), paper.widths(len(columns), tally), tally)


def _dated_events(policy: Policy, period: Period | None) -> dict[str, list[DatedEvent]]:
    """Calendar entries overlapping `period`, by event word."""
    out: dict[str, list[DatedEvent]] = {}
    if period is None:
        return out
    for e in policy.calendar:
        if e.from_ <= period.end and e.to >= period.start:
            out.setdefault(e.event, []).append(e)
    return out


def _event_text(events: list[DatedEvent]) -> str:
    def one(e: DatedEvent) -> str:
        span = f"{e.from_.month}月{e.from_.day}日—{e.to.month}月{e.to.day}日"
        return f"{e.name or e.event}{span}"

    return "、".join(one(e) for e in events)


def _sections(
    kind: str, period: Period | None, sources: list[_Source], policy: Policy, c: Community
) -> tuple[ChecklistSection, ...]:
    n = _Numberer(_catalogues_for(c, policy))
    dated = _dated_events(policy, period)
    out: list[ChecklistSection] = []
    own = [s for s in sources if s.per == kind]
    finer = [s for s in sources if _finer(kind, s.per)]
    if kind == "month" and finer:
        weeks = subperiods(period, "week") if period else ()
        labels = tuple(_week_label(w) for w in weeks) or tuple("第__周\n__/__-__/__" for _ in range(5))
        box = tuple(paper.BOX for _ in labels)
        rows = [n.item(s, box, box) for s in finer]
        out.append(_section("每周检查事项（每周一栏，完成打“√”）", labels, rows))
    if own:
        heading = _HEADINGS.get(kind, "检查事项")
        out.append(_section(heading, ("完成情况",), [n.item(s, (_times(s),), (POINT,)) for s in own]))
    if kind in ("quarter", "half_year", "year") and finer:
        months = subperiods(period, "month") if period else ()
        count = {"quarter": 3, "half_year": 6, "year": 12}[kind]
        labels = tuple(f"{m.start.month}月" for m in months) or tuple("__月" for _ in range(count))
        tally = tuple("__次" if count <= 6 else "" for _ in labels)
        rows = [n.item(s, tally, None) for s in finer]
        out.append(_section("经常性事项按月汇总（填写完成次数）", labels, rows, tally=True))
    event_rows: list[ChecklistItem] = []
    occasional: list[_Source] = []
    events: list[DatedEvent] = []
    for s in sources:
        if s.per is not None:
            continue
        hits = [e for word in s.events for e in dated.get(word, [])]
        if hits:
            event_rows.append(n.item(s, (DONE,), (POINT,)))
            events.extend(e for e in hits if all(e is not x for x in events))
        else:
            occasional.append(s)
    if event_rows:
        when = _event_text(sorted(events, key=lambda e: (e.from_, e.to)))
        out.append(_section(f"本期重要时段事项（{when}）", ("完成情况",), event_rows))
    if occasional:
        rows = [n.item(s, (OCCASIONAL,), (POINT,)) for s in occasional]
        out.append(
            _section("随时事项（常态履行或事发即办；本期做了勾“已做”，未发生勾“无”）", ("完成情况",), rows)
        )
    # One 频次 width for the whole sheet, from its widest badge piece: the row budget and every renderer use it.
    badges = [i.frequency for s in out for i in s.items]
    return tuple(replace(s, widths_mm=paper.fit_badges(s.widths_mm, badges)) for s in out)


def _period_text(kind: str, period: Period | None) -> tuple[str, bool]:
    if period is not None:
        return f"{period.range_text}（{period.label}）", True
    return _BLANK_PERIOD[kind], False


def _grid_workers(c: Community) -> tuple[str, ...]:
    return tuple(f"{g.name}（{g.grid}）" if g.grid else g.name for g in c.grid_workers)


def _source_lines(policy: Policy, c: Community, sections: tuple[ChecklistSection, ...]) -> tuple[str, ...]:
    printed = {i.duty_id for s in sections for i in s.items if i.points}
    used = {k.id for ks in _catalogues_for(c, policy).values() for k in ks}
    lines: list[str] = []
    for k in policy.catalogues:
        if k.id in used and printed & set(k.serves):
            refs = "；".join(
                x.title + (f"（{x.ref}）" if x.ref else "") + (x.articles or "") for x in k.sources
            )
            lines.append(f"{k.title}依据：{refs}")
    return tuple(lines)


def _pt(pt: float) -> float:
    return pt * 25.4 / 72


def _check_tables_mm(v: ChecklistView) -> float:
    """Height of the check tables as printed: header rows, section headings, item and point rows, rules."""
    used = 0.0
    for group in v.tables():
        first = group[0]
        ticks = range(3, 3 + len(first.columns)) if len(first.columns) > 1 else range(0)
        head = [
            paper.text_mm(h, w, paper.LEDGER_HEAD_PT if i in ticks else paper.TEXT_PT, "heiti")
            for i, (h, w) in enumerate(zip(first.header, first.widths_mm, strict=False))
        ]
        used += paper.RULE_MM + paper.row_mm(max(head))  # the table's top rule, then its header row
        for s in group:
            widths = s.widths_mm
            used += paper.row_mm(paper.text_mm(s.heading, sum(widths), paper.TEXT_PT, "heiti"))
            for i in s.items:
                title = paper.text_mm(i.title, widths[1], paper.TEXT_PT)
                title += paper.text_mm(i.source_line, widths[1], paper.SMALL_PT)
                cells = [title, paper.text_mm(i.frequency, widths[2], paper.TEXT_PT)]
                cells += [_cell_mm(t, w) for t, w in zip(i.cells, widths[3:], strict=False)]
                used += paper.row_mm(max(cells), paper.ITEM_ROW_MM)
                for p in i.points:
                    cells = [paper.text_mm(p.text, widths[1] + widths[2], paper.POINT_PT)]
                    cells += [_cell_mm(t, w) for t, w in zip(p.cells, widths[3:], strict=False)]
                    used += paper.row_mm(max(cells), paper.POINT_ROW_MM)
    return used


def _cell_mm(text: str, width_mm: float) -> float:
    """A tick column's cell: a paragraph per line, tick-box lines on their exact line."""
    return sum(
        paper.box_mm(line, width_mm) if paper.BOX in line else paper.text_mm(line, width_mm, paper.TEXT_PT)
        for line in text.split("\n")
    )


def _ledger_head_mm(v: ChecklistView, heading: str, after_pt: float) -> float:
    """The 隐患台账 heading under a paragraph with `after_pt` space after it, and the ledger's header row.

    LibreOffice keeps the larger of one paragraph's space after and the next one's space before (measured).
    """
    used = _pt(max(after_pt, paper.LEDGER_HEAD_SPACE_PT) + paper.LEDGER_HEAD_SPACE_PT)
    used += paper.text_mm(heading, paper.TEXT_WIDTH_MM + 2 * paper.CELL_PAD_H_MM, paper.HEAD_PT, "heiti")
    labels = zip(v.ledger_columns, v.ledger_widths_mm, strict=True)
    head = max(paper.text_mm(c, w, paper.LEDGER_HEAD_PT, "heiti") for c, w in labels)
    return used + paper.RULE_MM + paper.row_mm(head)


def above_ledger_mm(v: ChecklistView) -> float:
    """Height from the top margin to the first ledger row when the ledger follows the check table on its page.

    Summed from the sizes, spacings and cell margins the docx sets and the faces' measured line heights
    (checklist_layout), so a change of face moves the budget with it.
    """
    page = paper.TEXT_WIDTH_MM + 2 * paper.CELL_PAD_H_MM  # a paragraph outside a table: no cell margins
    used = paper.line_mm(paper.TITLE_PT, "heiti") + _pt(paper.TITLE_AFTER_PT)
    used += 3 * (paper.line_mm(paper.TEXT_PT, "heiti", "fangsong") + _pt(paper.META_AFTER_PT))
    note = paper.NOTE_AFTER_PT if v.example_note else paper.NO_NOTE_AFTER_PT
    used += paper.text_mm(v.example_note, page, paper.SMALL_PT) + _pt(note)
    used += _check_tables_mm(v)
    used += sum(_pt(paper.SOURCE_BEFORE_PT) + paper.text_mm(s, page, paper.SMALL_PT) for s in v.sources)
    used += _pt(paper.SIGN_BEFORE_PT) + paper.line_mm(paper.TEXT_PT)
    return used + _ledger_head_mm(v, LEDGER_HEADING, paper.SIGN_AFTER_PT)


def ledger_rows(v: ChecklistView) -> tuple[int, bool]:
    """How many ledger rows fill the page under the rest of the sheet, and whether they need a page of their own.

    When fewer than MIN_LEDGER_ROWS fit under the check table, the ledger starts a new page and fills it.
    """
    rows = int((paper.TEXT_HEIGHT_MM - paper.PAGE_SLACK_MM - above_ledger_mm(v)) // paper.LEDGER_ROW_MM)
    if rows >= paper.MIN_LEDGER_ROWS:
        return rows, False
    own = _ledger_head_mm(v, LEDGER_HEADING + f"（{v.community}　{v.period_text}）", 0.0)
    return int((paper.TEXT_HEIGHT_MM - paper.PAGE_SLACK_MM - own) // paper.LEDGER_ROW_MM), True


def _view(
    policy: Policy, c: Community, kind: str, period: Period | None, sources: list[_Source]
) -> ChecklistView:
    label = KIND_LABELS.get(kind, "日常")
    text, filled = _period_text(kind, period)
    sections = _sections(kind, period, sources, policy, c)
    v = ChecklistView(
        community_id=c.id,
        community=c.name,
        slug=community_slug(c.id, c.name),
        leader=c.leader or "",
        safety_officer=c.safety_officer or "",
        grid_workers=_grid_workers(c),
        kind=kind,
        kind_label=label,
        code=period.code if period else kind,
        title=f"{c.name}安全生产{label}检查表",
        period_text=text,
        period_filled=filled,
        sections=sections,
        ledger_columns=LEDGER_COLUMNS,
        ledger_widths_mm=LEDGER_WIDTHS_MM,
        ledger_rows=(),
        ledger_grade=LEDGER_GRADE,
        ledger_new_page=False,
        signoff=SIGNOFF,
        sources=_source_lines(policy, c, sections),
        example_note="注：本表社区和人员为示例数据，使用前须由街道办事处替换。"
        if policy.parties and policy.parties.example
        else "",
    )
    from dataclasses import replace

    rows, new_page = ledger_rows(v)
    return replace(v, ledger_rows=tuple(range(1, rows + 1)), ledger_new_page=new_page)


def build_checklists(policy: Policy, periods: tuple[Period, ...] | None = None) -> list[ChecklistView]:
    """Every community's checklists, community by community in registry order.

    With periods: one sheet per period, in the order given; without: one blank template per period kind.
    """
    if policy.parties is None or not policy.parties.communities:
        return []
    sources = checklist_duties(policy)
    if not sources:
        return []
    plan: list[tuple[str, Period | None]]
    if periods is None:
        plan = [(k, None) for k in kinds_of(sources)]
    else:
        plan = [(p.kind, p) for p in periods]
    return [_view(policy, c, kind, p, sources) for c in policy.parties.communities for kind, p in plan]


@product("checklist")
def plan_checklists(policy: Policy, options: PlanOptions) -> list[View[ChecklistView]]:
    """One checklist per community and period (checklists/<slug>/2024-W23) or blank kind (…/week)."""
    stamp = make_stamp(policy)
    return [
        View("checklist", f"checklists/{v.slug}/{v.code}", v.title, stamp, v)
        for v in build_checklists(policy, options.periods)
    ]


__all__ = [
    "LEDGER_COLUMNS",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistView",
    "PeriodKind",
    "PointRow",
    "build_checklists",
    "checklist_duties",
    "is_community_role",
    "kinds_of",
    "plan_checklists",
]
