"""Duty cards (岗位安全生产责任清单卡, one per role) and the combined 责任清单 (all roles in one table).

Both are queries over duties: a card holds exactly the duties whose owners (inherited from provisions)
include the role, in regulation order, with the assessment items and 追责情形 that concern the role.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct, structs

from zhidu.frequency import badge
from zhidu.model import Duty, Law, Policy, Provision, Role
from zhidu.views.base import PlanOptions, View, make_stamp, product
from zhidu.views.tokens import Tokens, badge_tokens, citation_tokens, collapse_paths, plain

#: Citation order of legal bases: laws, then regulations, rules, normative documents, policies (docs/domain.md §5).
RANK_ORDER: tuple[str, ...] = ("law", "regulation", "rule", "normative", "policy")

CARD_TITLE = "岗位安全生产责任清单卡"
LIST_TITLE = "安全生产责任清单"
#: The acknowledgement line every card ends with (issue 4); the renderers add rules to write on.
SIGNATURE = "本人已知悉上述职责。"
#: The fields of the signature block, each printed over a rule: the holder signs and dates, the office issues.
SIGN_FIELDS: tuple[str, ...] = ("责任人签名", "日期", "发放单位")

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def law_mark(n: int) -> str:
    """The legend mark of the n-th law (1-based): ①…⑳, then 〔21〕."""
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"〔{n}〕"


def level_text(role: Role) -> str:
    """A role's responsibility level as printed: 全面领导责任 → 负全面领导责任; 第一责任人 stays as is."""
    if not role.level:
        return ""
    if role.level.endswith("责任") and not role.level.startswith("负"):
        return "负" + role.level
    return role.level


class BasisRef(Struct, frozen=True):
    """One legal-basis reference of a duty, resolved against laws.yaml."""

    law_id: str
    #: Legend mark (①), fixed by the law's place in the rank-ordered registry: the same on every card.
    mark: str
    name: str
    art: str

    @property
    def full(self) -> str:
        """《中华人民共和国安全生产法》第九条."""
        return self.name + self.art

    @property
    def short(self) -> str:
        """①第九条."""
        return self.mark + self.art


class CardDuty(Struct, frozen=True):
    """One duty as a card or the 责任清单 prints it."""

    id: str
    #: 一（六） (compact outline) or 第五条第（一）项 (statute): where the duty stands in the regulation.
    citation: str
    #: The same citation as one token per level (a line may break only between them).
    cite: Tokens
    #: The provision's own display number, e.g. （六）.
    number: str
    text: str
    #: The chapter heading the duty sits under (一、党工委书记、办事处主任的安全生产职责 without the number).
    chapter: str
    badge: str
    #: The frequency as worded in the regulation ("" when the duty states none).
    frequency: str
    evidence: tuple[str, ...]
    basis: tuple[BasisRef, ...]
    #: Names of the other roles that own the same duty.
    shared_with: tuple[str, ...]
    #: Citations of the 追责情形 this duty triggers, consecutive ones collapsed into ranges (第2—9目).
    liability_cites: tuple[Tokens, ...]
    #: The id of the duty's provision (the anchor a citation links to), and of each 追责 citation's first one.
    provision: str = ""
    liability_targets: tuple[str, ...] = ()

    @property
    def liability_links(self) -> tuple[tuple[Tokens, str], ...]:
        return tuple(zip(self.liability_cites, self.liability_targets, strict=False))

    @property
    def liability(self) -> tuple[str, ...]:
        return tuple(plain(c) for c in self.liability_cites)

    @property
    def badges(self) -> Tokens:
        """The badge's pieces; each is printed whole, a long badge wraps between them."""
        return badge_tokens(self.badge)

    @property
    def evidence_text(self) -> str:
        return "；".join(self.evidence) or "—"

    @property
    def basis_short(self) -> str:
        return "".join(b.short for b in self.basis) or "—"

    @property
    def basis_full(self) -> str:
        return "；".join(b.full for b in self.basis) or "—"

    @property
    def basis_tokens(self) -> Tokens:
        """①第九条 per reference: a reference is never broken, a line may break between references."""
        return tuple(b.short for b in self.basis)

    @property
    def liability_text(self) -> str:
        return "；".join(self.liability) or "—"


class CardAssessment(Struct, frozen=True):
    """An assessment item that measures the role or its duties."""

    id: str
    citation: str
    text: str
    points: str
    #: How many of this role's duties the item measures.
    duty_count: int
    provision: str = ""


class CardLiabilityItem(Struct, frozen=True):
    """One 追责情形 that concerns the role."""

    id: str
    citation: str
    number: str
    text: str
    #: Citations of this role's duties whose breach triggers it (not the item's own provision).
    related: tuple[str, ...]
    #: The item's citation as level tokens.
    cite: Tokens = ()
    #: The item's provision id (link anchor), and those of the related duties.
    provision: str = ""
    related_targets: tuple[str, ...] = ()

    @property
    def related_links(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.related, self.related_targets, strict=False))

    @property
    def related_text(self) -> str:
        return "、".join(self.related)


class CardLiabilityGroup(Struct, frozen=True):
    """追责情形 under one lead-in sentence (有下列情形之一的…), or standing alone when `lead` is empty."""

    lead_citation: str
    lead: str
    items: tuple[CardLiabilityItem, ...]
    lead_provision: str = ""


class DutyCardView(Struct, frozen=True):
    """Everything a duty card prints."""

    role_id: str
    role: str
    level: str
    parent: str
    note: str
    doc_no: str
    regulation_title: str
    duties: tuple[CardDuty, ...]
    assessment: tuple[CardAssessment, ...]
    liability: tuple[CardLiabilityGroup, ...]
    #: The laws cited on this card, in rank order, for the legend under the duty table.
    laws: tuple[BasisRef, ...]
    #: The office that issues the card (the notice's signing organ), printed in the signature block.
    issuer: str = ""
    signature: str = SIGNATURE
    sign_fields: tuple[str, ...] = SIGN_FIELDS

    @property
    def title(self) -> str:
        return CARD_TITLE

    @property
    def header(self) -> str:
        """The running page header: the role name, repeated on every page of a longer card."""
        return f"{self.role}　{CARD_TITLE}"

    @property
    def legend(self) -> str:
        return "　".join(b.mark + b.name for b in self.laws)


class DutyListGroup(Struct, frozen=True):
    """One role's block of the 责任清单."""

    number: int
    role_id: str
    role: str
    level: str
    rows: tuple[tuple[str, CardDuty], ...]

    @property
    def heading(self) -> str:
        return f"{self.role}（{self.level}）" if self.level else self.role


class DutyListView(Struct, frozen=True):
    """The combined 责任清单: every role with its duties, as offices publish it."""

    title: str
    doc_no: str
    regulation_title: str
    groups: tuple[DutyListGroup, ...]
    #: Every law the list cites, in rank order: the ①–⑤ key printed once instead of names in every row.
    laws: tuple[BasisRef, ...] = ()
    columns: tuple[str, ...] = ("编码", "责任事项", "条款", "频次", "履职记录", "实施依据", "追责情形")

    @property
    def legend(self) -> str:
        return "　".join(b.mark + b.name for b in self.laws)

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


# --------------------------------------------------------------------------------------------- queries


def _rank_key(law: Law, index: int) -> tuple[int, int]:
    return (RANK_ORDER.index(law.rank), index)


def law_marks(policy: Policy) -> dict[str, tuple[int, Law]]:
    """Each law id → (1-based place in the rank-ordered registry, law)."""
    ranked = sorted(enumerate(policy.laws), key=lambda il: _rank_key(il[1], il[0]))
    return {law.id: (n, law) for n, (_, law) in enumerate(ranked, start=1)}


def _provision_at(policy: Policy, path: tuple[int, ...]) -> Provision:
    nodes = policy.regulation.sections
    node: Provision | None = None
    for i in path:
        node = nodes[i]
        nodes = node.children
    assert node is not None
    return node


def _basis(policy: Policy, duty: Duty, marks: dict[str, tuple[int, Law]]) -> tuple[BasisRef, ...]:
    refs: list[tuple[int, int, BasisRef]] = []
    for i, b in enumerate(duty.basis):
        n, law = marks.get(b.law, (len(marks) + 1, None))
        # An unresolved id is lint's job (E-rule); print the id rather than hide the reference.
        name = law.name if law is not None else b.law
        refs.append((n, i, BasisRef(b.law, law_mark(n), name, b.art or "")))
    return tuple(r for _, _, r in sorted(refs, key=lambda t: (t[0], t[1])))


def _liability_by_duty(policy: Policy) -> dict[str, list[tuple[int, ...]]]:
    out: dict[str, list[tuple[int, ...]]] = {}
    for path, p in policy.walk():
        for z in p.liability:
            for t in z.triggers:
                paths = out.setdefault(t, [])
                if path not in paths:
                    paths.append(path)
    return out


#: Every duty of a regulation with its owners, in regulation order (what all_card_duties returns).
OwnedDuties = list[tuple[list[str], CardDuty]]


def all_card_duties(policy: Policy) -> OwnedDuties:
    """Every duty of the regulation with its owners, in regulation order."""
    marks = law_marks(policy)
    by_duty = _liability_by_duty(policy)
    ids = {path: p.id for path, p in policy.walk()}
    out: OwnedDuties = []
    for path, prov, duty in policy.duties():
        owners = policy.owners_of(path, duty)
        f = duty.frequency
        chapter = policy.regulation.sections[path[0]].text
        links = collapse_paths(policy, by_duty.get(duty.id, ()), compact=True)
        card = CardDuty(
            id=duty.id,
            citation=policy.cite(path, compact=True),
            cite=citation_tokens(policy, path, compact=True),
            number=policy.number(path),
            text=policy.duty_text(prov, duty),
            chapter=chapter,
            badge=badge(f.per, f.min, f.events, f.on_occurrence) if f else badge(None, None),
            frequency=f.display if f else "",
            evidence=tuple(duty.evidence),
            basis=_basis(policy, duty, marks),
            shared_with=(),
            liability_cites=tuple(t for t, _ in links),
            provision=prov.id,
            liability_targets=tuple(ids[first] for _, first in links),
        )
        out.append((owners, card))
    return out


def _with_shared(card: CardDuty, owners: list[str], role_id: str, names: dict[str, str]) -> CardDuty:
    others = tuple(names.get(o, o) for o in owners if o != role_id)
    return structs.replace(card, shared_with=others)


def duties_of(policy: Policy, role_id: str, owned: OwnedDuties | None = None) -> list[CardDuty]:
    """The duties a role owns, in regulation order (a duty with several owners is on each owner's list).

    `owned` is all_card_duties(policy) when the caller already has it: planning every role's card
    recomputed it once per role, which was most of the time planning took.
    """
    names = {r.id: r.name for r in policy.roles}
    if owned is None:
        owned = all_card_duties(policy)
    return [_with_shared(c, owners, role_id, names) for owners, c in owned if role_id in owners]


def _points(points: float | None) -> str:
    if points is None:
        return ""
    return f"{points:g}分"


def assessment_of(policy: Policy, role_id: str, duty_ids: set[str]) -> list[CardAssessment]:
    """Assessment items that name the role or measure one of its duties, in regulation order."""
    out: list[CardAssessment] = []
    for path, p in policy.walk():
        for a in p.assessment:
            hit = duty_ids.intersection(a.duties)
            if role_id in a.roles or hit:
                out.append(
                    CardAssessment(
                        a.id, policy.cite(path, compact=True), p.text, _points(a.points), len(hit), p.id
                    )
                )
    return out


def liability_of(policy: Policy, role_id: str, duties: Iterable[CardDuty]) -> list[CardLiabilityGroup]:
    """追责情形 naming the role or triggered by one of its duties, grouped under their lead-in sentence."""
    duties = list(duties)
    cite_of = {d.id: d.citation for d in duties}
    target_of = {d.citation: d.provision for d in duties}
    groups: list[CardLiabilityGroup] = []
    for path, p in policy.walk():
        for z in p.liability:
            related_all = tuple(cite_of[t] for t in z.triggers if t in cite_of)
            if role_id not in z.roles and not related_all:
                continue
            cite = citation_tokens(policy, path, compact=True)
            here = plain(cite)
            # A duty drawn from this very clause is not "related" to it: the card would cite it against itself.
            related = tuple(dict.fromkeys(c for c in related_all if c != here))
            # A listed case (1. 2. …) only reads with its lead-in; a chapter heading is not a lead-in.
            lead_path = path[:-1] if len(path) > 2 else ()
            lead_node = _provision_at(policy, lead_path) if lead_path else None
            lead = lead_node.text if lead_node else ""
            lead_cite = policy.cite(lead_path, compact=True) if lead_path else ""
            item = CardLiabilityItem(
                z.id,
                here,
                policy.number(path),
                p.text,
                related,
                cite,
                p.id,
                tuple(target_of.get(c, "") for c in related),
            )
            if groups and groups[-1].lead_citation == lead_cite:
                last = groups.pop()
                groups.append(
                    CardLiabilityGroup(
                        last.lead_citation, last.lead, (*last.items, item), last.lead_provision
                    )
                )
            else:
                groups.append(CardLiabilityGroup(lead_cite, lead, (item,), lead_node.id if lead_node else ""))
    return groups


def build_card(policy: Policy, role: Role, owned: OwnedDuties | None = None) -> DutyCardView:
    """The duty card of one role (`owned` as for duties_of)."""
    duties = duties_of(policy, role.id, owned)
    ids = {d.id for d in duties}
    used: dict[str, BasisRef] = {}
    for d in duties:
        for b in d.basis:
            used.setdefault(b.law_id, BasisRef(b.law_id, b.mark, b.name, ""))
    laws = _ranked(policy, used)
    parent = policy.role(role.parent) if role.parent else None
    return DutyCardView(
        role_id=role.id,
        role=role.name,
        level=level_text(role),
        parent=parent.name if parent else "",
        note=role.note or "",
        doc_no=str(policy.notice.doc_no) if policy.notice else "",
        regulation_title=policy.regulation.title,
        duties=tuple(duties),
        assessment=tuple(assessment_of(policy, role.id, ids)),
        liability=tuple(liability_of(policy, role.id, duties)),
        laws=laws,
        issuer=_issuer(policy),
    )


def _issuer(policy: Policy) -> str:
    """The office that issues cards: the notice's signing organ, else the organ itself."""
    if policy.notice is None:
        return ""
    return policy.notice.signature or policy.notice.organ


def build_duty_list(policy: Policy) -> DutyListView:
    """The combined 责任清单, roles in registry order."""
    groups: list[DutyListGroup] = []
    owned = all_card_duties(policy)
    for gi, role in enumerate(policy.roles, start=1):
        duties = duties_of(policy, role.id, owned)
        rows = tuple((f"{gi}-{ri}", d) for ri, d in enumerate(duties, start=1))
        groups.append(DutyListGroup(gi, role.id, role.name, level_text(role), rows))
    used: dict[str, BasisRef] = {}
    for _owners, d in owned:
        for b in d.basis:
            used.setdefault(b.law_id, BasisRef(b.law_id, b.mark, b.name, ""))
    return DutyListView(
        title=LIST_TITLE,
        doc_no=str(policy.notice.doc_no) if policy.notice else "",
        regulation_title=policy.regulation.title,
        groups=tuple(groups),
        laws=_ranked(policy, used),
    )


def _ranked(policy: Policy, used: dict[str, BasisRef]) -> tuple[BasisRef, ...]:
    """The cited laws in the registry's rank order (the legend's order)."""
    marks = law_marks(policy)
    unknown = len(marks) + 1
    return tuple(sorted(used.values(), key=lambda b: marks[b.law_id][0] if b.law_id in marks else unknown))


@product("duty-card")
def plan_cards(policy: Policy, options: PlanOptions) -> list[View[DutyCardView]]:
    """One card per role in the registry, named cards/<role-id>."""
    stamp = make_stamp(policy)
    owned = all_card_duties(policy)
    return [
        View(
            "duty-card",
            f"cards/{role.id}",
            f"{role.name}{CARD_TITLE}",
            stamp,
            build_card(policy, role, owned),
        )
        for role in policy.roles
    ]


@product("duty-list")
def plan_duty_list(policy: Policy, options: PlanOptions) -> list[View[DutyListView]]:
    """The one combined 责任清单 of a version."""
    return [View("duty-list", "duty-list", LIST_TITLE, make_stamp(policy), build_duty_list(policy))]
