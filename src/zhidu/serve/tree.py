"""What the workbench pages show, computed from the model: the numbered provision tree, filtered and searched."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhidu.diagnostics import Issue
from zhidu.frequency import badge
from zhidu.model import Duty, Policy, Provision

#: How the frequency chooser names its periods (the values `frequency.per` takes).
PERIODS = (
    ("week", "每周"),
    ("month", "每月"),
    ("quarter", "每季度"),
    ("half_year", "每半年"),
    ("year", "每年"),
)
#: Event periods offered as check boxes (the wording lint recognises).
EVENTS = ("重大节日", "重要节假日", "重要时期", "关键时段", "重大活动", "汛期", "重大时间节点")

#: One-line fix hints by rule code, shown under each diagnostic.
HINTS: dict[str, str] = {
    "E002": "按提示改正该项的取值。",
    "E004": "补上缺少的内容。",
    "E005": "每个 id 只能使用一次：改用新的 id。",
    "E006": "从列表中选择已登记的岗位、法规或职责，或先登记它。",
    "E014": "该项不能留空：填写内容，或删除整项。",
    "E015": "条文最多四级：把它升为上一级。",
    "E108": "在职责中选择责任岗位，或在上级条文中设置默认岗位。",
    "W101": "合并重复的条目，或改写使其区别明确。",
    "I101": "文字相同而分属不同岗位：确认各岗位确实各负其责即可。",
    "W102": "改为规范用语。",
    "W103": "中文中使用全角标点。",
    "W104": "与同级条目的句式保持一致。",
    "W105": "让频次选择与条文表述一致。",
    "W106": "在该条的职责中选择频次。",
    "W107": "给该岗位分配职责，或从岗位登记表中删除。",
    "W109": "删除手工输入的编号，编号由系统生成。",
    "W110": "日期写作“2024年6月3日”，文号写作“东公政发〔2024〕27号”。",
    "W112": "核对原文编号。",
    "W113": "并列的书名号、引号之间不加顿号。",
    "W114": "自称应与标题一致。",
    "W115": "同一用语在全文中统一写法。",
    "W116": "让频次原文与条文中的表述一致。",
    "W117": "在职责中勾选法律依据。",
    "W119": "为追责情形关联职责。",
    "W120": "下级的频次不应低于上级。",
    "W121": "在修订记录中说明本次改动。",
    "W122": "在词意完整处重新分行。",
    "I118": "可在考核项中关联该职责。",
}


def hint(code: str) -> str:
    """A one-line fix hint for a rule code (the rule's title when there is no specific hint)."""
    if code in HINTS:
        return HINTS[code]
    from zhidu import lint

    title = lint.RULES.get(code, ("", None))[0]
    return f"见规则 {code}：{title}" if title else f"见规则 {code}。"


@dataclass
class DutyRow:
    """A duty as the tree shows it."""

    duty: Duty
    owners: list[tuple[str, str]]
    inherited: bool
    frequency: str
    basis: list[str]
    assessment: list[str]
    liability: list[str]
    issues: list[Issue]
    match: bool = True


@dataclass
class ProvisionRow:
    """A provision with its printed number and what hangs off it."""

    provision: Provision
    number: str
    citation: str
    depth: int
    duties: list[DutyRow]
    issues: list[Issue]
    children: list[ProvisionRow] = field(default_factory=list)
    match: bool = True


def _links(policy: Policy) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    assess: dict[str, list[str]] = {}
    liab: dict[str, list[str]] = {}
    for _path, p in policy.walk():
        for a in p.assessment:
            for t in a.duties:
                assess.setdefault(t, []).append(a.id)
        for z in p.liability:
            for t in z.triggers:
                liab.setdefault(t, []).append(z.id)
    return assess, liab


def community_duties(policy: Policy) -> set[str]:
    """Ids of the duties that appear on every community's checklists."""
    from zhidu.views.checklist import checklist_duties

    return {s.duty.id for s in checklist_duties(policy)}


def build_tree(
    policy: Policy,
    issues: dict[str, list[Issue]],
    query: str = "",
    role: str = "",
    community: str = "",
) -> list[ProvisionRow]:
    """The numbered tree; with a query or filter, only matching duties and provisions and their ancestors."""
    names = {r.id: r.name for r in policy.roles}
    laws = {x.id: x.name for x in policy.laws}
    assess, liab = _links(policy)
    on_checklists = community_duties(policy) if community else set()
    q = query.strip()
    filtering = bool(q or role or community)

    def duty_row(path: tuple[int, ...], p: Provision, d: Duty) -> DutyRow:
        owners = policy.owners_of(path, d)
        f = d.frequency
        text_hit = not q or any(
            q in s for s in (p.text, d.summary or "", *d.evidence, *p.paragraphs, d.id, p.id)
        )
        return DutyRow(
            duty=d,
            owners=[(o, names.get(o, o)) for o in owners],
            inherited=not d.owners,
            frequency=badge(f.per, f.min, f.events, f.on_occurrence) if f else "常态",
            basis=[laws.get(b.law, b.law) + (b.art or "") for b in d.basis],
            assessment=assess.get(d.id, []),
            liability=liab.get(d.id, []),
            issues=issues.get(d.id, []),
            match=text_hit and (not role or role in owners) and (not community or d.id in on_checklists),
        )

    def rec(nodes: list[Provision], prefix: tuple[int, ...]) -> list[ProvisionRow]:
        out = []
        for i, p in enumerate(nodes):
            path = (*prefix, i)
            row = ProvisionRow(
                provision=p,
                number=policy.number(path),
                citation=policy.cite(path),
                depth=len(path) - 1,
                duties=[duty_row(path, p, d) for d in p.duties],
                issues=issues.get(p.id, []),
                children=rec(p.children, path),
            )
            own_hit = bool(q) and not role and not community and any(q in s for s in (p.text, *p.paragraphs))
            row.match = (
                not filtering
                or own_hit
                or any(d.match for d in row.duties)
                or any(c.match for c in row.children)
            )
            if own_hit:
                for d in row.duties:
                    d.match = True
            out.append(row)
        return out

    return rec(policy.regulation.sections, ())
