"""The checklist product: per community and period, the duties to tick off and a hazard ledger (隐患台账).

A checklist is the expansion role × community (docs/domain.md §4): every checklist duty owned by a community-level
role (kind community or grid_worker, or any role marked per_community) appears on every community's sheet.
Weekly duties go on the weekly sheet, monthly ones on the monthly sheet, and so on; duties without a regular
frequency (事发即办, 常态) go to a 随时事项 section on every sheet, so none is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhidu.frequency import badge
from zhidu.model import Community, Duty, Policy, Role
from zhidu.naming import community_slug
from zhidu.period import KIND_LABELS, KINDS, Period, PeriodKind, for_kind
from zhidu.views.base import PlanOptions, View, make_stamp, product

#: Columns of the inspection table, shared by every format.
CHECK_COLUMNS: tuple[str, ...] = ("序号", "检查事项", "频次", "履职记录要求", "完成情况", "备注")
#: Columns of the hazard ledger (隐患台账, docs/domain.md §10 错题本).
LEDGER_COLUMNS: tuple[str, ...] = (
    "序号",
    "隐患描述",
    "发现日期",
    "整改时限",
    "整改责任人",
    "整改情况",
    "销号日期",
)
#: Blank ledger rows printed; seven fit the seed's weekly sheet on one A4 page with the 随时事项 section.
LEDGER_ROWS = 7
#: Sign-off lines under the table, as printed.
SIGNOFF: tuple[str, ...] = ("检查人（签字）：", "社区负责人（签字）：", "日期：____年__月__日")

#: The sheet for communities whose checklist duties have no regular period at all.
ONGOING = "ongoing"

COMMUNITY_KINDS = frozenset({"community", "grid_worker"})

_BLANK_PERIOD: dict[str, str] = {
    "week": "____年__月__日—__月__日（第____周）",
    "month": "____年__月",
    "quarter": "____年第____季度",
    "half_year": "____年____半年",
    "year": "____年",
    ONGOING: "____年__月__日—____年__月__日",
}


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


@dataclass(frozen=True)
class ChecklistSection:
    """A numbered block of rows with its own tick-box wording."""

    heading: str
    #: The tick boxes printed in the 完成情况 column, one per line.
    check: tuple[str, ...]
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class ChecklistView:
    """Everything the checklist templates and the docx builder print for one community and period kind."""

    community_id: str
    community: str
    #: Safe folder name of the community (naming.community_slug).
    slug: str
    leader: str
    safety_officer: str
    #: "示例网格员甲（第1网格）", in registry order.
    grid_workers: tuple[str, ...]
    kind: str
    #: 周, 月, 季度, 半年, 年度, 日常.
    kind_label: str
    title: str
    #: 2024年6月3日—6月9日（2024年第23周）, or blank lines to fill by hand.
    period_text: str
    period_filled: bool
    sections: tuple[ChecklistSection, ...]
    columns: tuple[str, ...]
    ledger_columns: tuple[str, ...]
    ledger_rows: tuple[int, ...]
    signoff: tuple[str, ...]
    #: A warning printed when parties.yaml holds example data.
    example_note: str


@dataclass(frozen=True)
class _Source:
    """A checklist duty resolved once per policy, before it is laid out per community."""

    duty: Duty
    title: str
    text: str
    owner: str
    citation: str
    per: str | None


def is_community_role(role: Role) -> bool:
    """Whether a role's duties belong on community checklists."""
    return role.kind in COMMUNITY_KINDS or role.per_community


def checklist_duties(policy: Policy) -> list[_Source]:
    """The checklist duties of community-level roles, in document order."""
    roles = {r.id: r for r in policy.roles}
    out: list[_Source] = []
    for path, prov, duty in policy.duties():
        if not duty.checklist:
            continue
        owners = [roles[o] for o in policy.owners_of(path, duty) if o in roles]
        mine = [r for r in owners if is_community_role(r)]
        if not mine:
            continue
        f = duty.frequency
        out.append(
            _Source(
                duty=duty,
                title=duty.summary or prov.text,
                text=prov.text,
                owner="、".join(r.name for r in mine),
                citation=policy.cite(path),
                per=f.per if f is not None else None,
            )
        )
    return out


def _item(no: int, s: _Source) -> ChecklistItem:
    f = s.duty.frequency
    freq = badge(f.per, f.min, f.events, f.on_occurrence) if f is not None else badge(None, None)
    return ChecklistItem(
        no=no,
        duty_id=s.duty.id,
        title=s.title,
        text=s.text,
        owner=s.owner,
        citation=s.citation,
        frequency=freq,
        evidence="、".join(s.duty.evidence) or "—",
    )


def _sections(kind: str, sources: list[_Source]) -> tuple[ChecklistSection, ...]:
    regular = [s for s in sources if s.per == kind]
    occasional = [s for s in sources if s.per is None]
    sections: list[ChecklistSection] = []
    no = 0
    if regular:
        items = tuple(_item(no + i, s) for i, s in enumerate(regular, start=1))
        no += len(items)
        sections.append(ChecklistSection(f"{KIND_LABELS[kind]}检查事项", ("☐完成", "☐未完成"), items))
    if occasional:
        items = tuple(_item(no + i, s) for i, s in enumerate(occasional, start=1))
        sections.append(
            ChecklistSection("随时事项（常态履行或事发即办，本期如有请勾选）", ("☐已履行", "☐未涉及"), items)
        )
    return tuple(sections)


def _period_text(kind: str, given: Period | None) -> tuple[str, bool]:
    if given is not None and kind != ONGOING:
        p = for_kind(given, kind)  # type: ignore[arg-type]
        if p is not None:
            return f"{p.range_text}（{p.label}）", True
        return f"{_BLANK_PERIOD[kind]}（属{given.label}）", False
    return _BLANK_PERIOD[kind], False


def _grid_workers(c: Community) -> tuple[str, ...]:
    return tuple(f"{g.name}（{g.grid}）" if g.grid else g.name for g in c.grid_workers)


def kinds_of(sources: list[_Source]) -> list[str]:
    """The period kinds the checklist duties recur in, shortest first; ["ongoing"] when none recurs."""
    found = {s.per for s in sources if s.per is not None}
    kinds: list[str] = [k for k in KINDS if k in found]
    if not kinds and sources:
        return [ONGOING]
    return kinds


def build_checklists(policy: Policy, period: Period | None = None) -> list[ChecklistView]:
    """Every community's checklists, community by community in registry order, shortest period first."""
    if policy.parties is None or not policy.parties.communities:
        return []
    sources = checklist_duties(policy)
    kinds = kinds_of(sources)
    example = "注：本表社区和人员为示例数据，使用前须由街道办事处替换。" if policy.parties.example else ""
    out: list[ChecklistView] = []
    for c in policy.parties.communities:
        slug = community_slug(c.id, c.name)
        workers = _grid_workers(c)
        for kind in kinds:
            label = KIND_LABELS.get(kind, "日常")
            text, filled = _period_text(kind, period)
            out.append(
                ChecklistView(
                    community_id=c.id,
                    community=c.name,
                    slug=slug,
                    leader=c.leader or "",
                    safety_officer=c.safety_officer or "",
                    grid_workers=workers,
                    kind=kind,
                    kind_label=label,
                    title=f"{c.name}安全生产{label}检查表",
                    period_text=text,
                    period_filled=filled,
                    sections=_sections(kind, sources),
                    columns=CHECK_COLUMNS,
                    ledger_columns=LEDGER_COLUMNS,
                    ledger_rows=tuple(range(1, LEDGER_ROWS + 1)),
                    signoff=SIGNOFF,
                    example_note=example,
                )
            )
    return out


@product("checklist")
def plan_checklists(policy: Policy, options: PlanOptions) -> list[View[ChecklistView]]:
    """One checklist per community and period kind: checklists/<slug>/<kind>."""
    period = options.period
    stamp = make_stamp(policy)
    return [
        View("checklist", f"checklists/{v.slug}/{v.kind}", v.title, stamp, v)
        for v in build_checklists(policy, period)
    ]


__all__ = [
    "CHECK_COLUMNS",
    "LEDGER_COLUMNS",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistView",
    "PeriodKind",
    "build_checklists",
    "checklist_duties",
    "is_community_role",
    "kinds_of",
    "plan_checklists",
]
