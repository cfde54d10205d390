"""The typed model of a policy: one msgspec Struct per YAML shape, frozen, each node knowing its source.

The classes double as the published JSON Schema (`zhidu schema`). Display numbers are never stored:
`numbering.py` computes them from position in the tree. msgspec rather than pydantic because a check runs on
every save: importing and building these classes costs milliseconds instead of a third of a second.
Annotations are evaluated when the classes are made (no `from __future__ import annotations`), so msgspec does
not compile ~170 annotation strings on the first conversion.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from zhidu.diagnostics import Suppression
from zhidu.nodes import END, Id, Node, Text, desc
from zhidu.numbering import Numbers, Scheme, scheme

#: 发文字号 as written: organ code, 〔year〕, serial without leading zeros, 号 (GB/T 9704 7.2.5).
#: Plain groups (organ, year, serial), no named ones: the pattern is also an ECMA-262 regex in the JSON Schema.
DOC_NO_PATTERN = r"^([^\s〔〕\[\]【】()（）]+)〔(\d{4})〕([1-9]\d*)号" + END
DOC_NO_RE = re.compile(DOC_NO_PATTERN)
#: A written date: a real YYYY-MM-DD; anything not shaped like one is a placeholder such as undetermined-1.
ISO_DATE_SHAPE = r"^\d{4}-\d{2}-\d{2}" + END


#: A start date, or a placeholder (undetermined-1) that is not shaped like a date.
DateOrPlaceholder = Annotated[
    str,
    Meta(extra_json_schema={"anyOf": [{"format": "date"}, {"not": {"pattern": ISO_DATE_SHAPE}}]}),
]


def _check_date(value: str, key: str) -> None:
    """A date-shaped value must be a real date (a placeholder is anything else)."""
    if re.fullmatch(ISO_DATE_SHAPE, value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"date:{key}:{value}") from None


# ---------------------------------------------------------------------------------------------- 公文


class DocNo(Node, frozen=True, kw_only=True):
    """发文字号 as parts, rendered 东公政发〔2024〕27号."""

    organ_code: Annotated[Text, desc("机关代字", "organ code, e.g. 东公政发")]
    year: Annotated[int, Meta(ge=1949, le=2999), desc("年份（四位）", "full year")]
    serial: Annotated[int, Meta(ge=1), desc("发文顺序号（无前导零）", "serial number, no leading zeros")]

    def __str__(self) -> str:
        return f"{self.organ_code}〔{self.year}〕{self.serial}号"


#: A value not known yet, printed as 【待定】 and never as if it were a value: 【待定】 or 【待定：原文未见文号】.
PLACEHOLDER_PATTERN = r"^【待定[^】]*】" + END
PLACEHOLDER = "【待定】"


def is_placeholder(value: object) -> bool:
    """True for a marked placeholder: 【待定】 or 【待定：说明】."""
    return isinstance(value, str) and re.fullmatch(PLACEHOLDER_PATTERN, value) is not None


def is_date_placeholder(value: object) -> bool:
    """True for a date field holding a placeholder (anything not shaped like YYYY-MM-DD, e.g. undetermined-1)."""
    return isinstance(value, str) and re.fullmatch(ISO_DATE_SHAPE, value) is None


#: The written form of a 发文字号 (or a placeholder), accepted in place of the mapping.
DOC_NO_TEXT_PATTERN = r"^(?:[^\s〔〕\[\]【】()（）]+〔\d{4}〕[1-9]\d*号|【待定[^】]*】)" + END
DocNoText = Annotated[str, Meta(pattern=DOC_NO_TEXT_PATTERN)]


class Attachment(Node, frozen=True, kw_only=True):
    """附件: a named attachment listed in 附件说明."""

    name: Annotated[Text, desc("附件名称（不加标点）", "attachment name, no trailing punctuation")]
    regulation: Annotated[bool, desc("本附件即所附制度正文", "this attachment is the regulation itself")] = (
        False
    )


Placement = Literal["follows", "attachment"]


class Notice(Node, frozen=True, kw_only=True):
    """The issuing document (公文) that carries the regulation, per GB/T 9704-2012."""

    copy_no: Annotated[str | None, desc("份号（6位数字）", "copy number, 6 digits")] = None
    secrecy: Annotated[str | None, desc("密级和保密期限", "secrecy level and period")] = None
    urgency: Annotated[str | None, desc("紧急程度", "urgency")] = None
    organ: Annotated[Text, desc("发文机关全称", "issuing organ, full name")]
    organ_mark: Annotated[Text, desc("发文机关标志（红头）", "organ mark printed in red")]
    #: Written either as parts or as text; text becomes parts when loaded (see __post_init__).
    doc_no: Annotated[DocNo | DocNoText, desc("发文字号", "document number")]
    signers: Annotated[list[Text], desc("签发人（上行文）", "signers, upward documents")] = []
    title: Annotated[Text, desc("标题；可用换行指定分行", "title; explicit line breaks are kept")]
    addressees: Annotated[Text | None, desc("主送机关", "main addressees")] = None
    body: Annotated[list[Text], desc("正文段落", "body paragraphs")]
    attachments: Annotated[list[Attachment], desc("附件", "attachments")] = []
    regulation_placement: Annotated[
        Placement,
        desc(
            "所发制度的位置：follows 紧随通知（如种子文件），attachment 作为附件另页",
            "where the regulation goes: after the notice, or as an attachment on new pages",
        ),
    ] = "follows"
    signature: Annotated[Text, desc("署名（发文机关）", "signing organ")]
    date: Annotated[DateOrPlaceholder, desc("成文日期，或占位【待定】", "date of writing, or a placeholder")]
    seal: Annotated[bool, desc("是否加盖印章", "sealed")] = True
    note: Annotated[str | None, desc("附注", "note, printed in parentheses")] = None
    cc: Annotated[list[Text], desc("抄送机关", "copied organs")] = []
    printed_by: Annotated[Text, desc("印发机关", "printing organ")]
    printed_date: Annotated[DateOrPlaceholder, desc("印发日期，或占位【待定】", "printing date")]
    upward: Annotated[bool, desc("上行文（显示签发人）", "upward document")] = False

    def __post_init__(self) -> None:
        for key in ("date", "printed_date"):
            _check_date(getattr(self, key), key)
        # The schema already matched the written form against DOC_NO_PATTERN; keep one shape downstream.
        if isinstance(self.doc_no, str) and not self.doc_no.startswith("【"):
            m = DOC_NO_RE.match(self.doc_no)
            if m is None:  # unreachable through the loader, which checks the pattern first
                raise ValueError(f"doc_no:{self.doc_no}")
            parts = DocNo(loc=self.loc_of("doc_no"), organ_code=m[1], year=int(m[2]), serial=int(m[3]))
            msgspec.structs.force_setattr(self, "doc_no", parts)

    @property
    def date_value(self) -> dt.date | None:
        """成文日期 as a date, None while it is a placeholder."""
        return None if is_date_placeholder(self.date) else dt.date.fromisoformat(self.date)

    def placeholders(self) -> list[str]:
        """The keys whose value is still a placeholder."""
        keys = ("organ", "organ_mark", "doc_no", "title", "signature", "printed_by")
        out = [k for k in keys if is_placeholder(getattr(self, k))]
        out += [k for k in ("date", "printed_date") if is_date_placeholder(getattr(self, k))]
        return out + [f"body[{i}]" for i, t in enumerate(self.body) if is_placeholder(t)]

    @property
    def title_lines(self) -> list[str]:
        """The title's explicit lines (one line if none given)."""
        return [ln.strip() for ln in self.title.split("\n") if ln.strip()]

    @property
    def title_text(self) -> str:
        return "".join(self.title_lines)


# ---------------------------------------------------------------------------------------- registries


RoleKind = Literal["leader", "department", "community", "grid_worker", "committee", "other"]


class Role(Node, frozen=True, kw_only=True):
    """A post in the regulation (not a person)."""

    id: Id
    name: Annotated[Text, desc("岗位或单位名称", "post or unit name")]
    kind: Annotated[RoleKind, desc("类别", "leader / department / community / grid_worker / …")]
    level: Annotated[str | None, desc("责任层级，如 全面领导责任、直接领导责任", "responsibility level")] = (
        None
    )
    parent: Annotated[Id | None, desc("上级岗位 id", "parent role id")] = None
    per_community: Annotated[
        bool,
        desc(
            "按社区分别履行（出现在每个社区的检查表上）",
            "acts per community: appears on every community checklist",
        ),
    ] = False
    note: str | None = None


LawRank = Literal["law", "regulation", "rule", "normative", "policy"]


class Law(Node, frozen=True, kw_only=True):
    """A law, regulation or rule that duties cite."""

    id: Id
    name: Annotated[Text, desc("规范名称（含书名号）", "canonical name, with 《》")]
    rank: Annotated[
        LawRank,
        desc("位阶：法律、法规、规章、规范性文件、政策", "rank, cited in this order"),
    ] = "law"
    short: Annotated[list[Text], desc("文中简称", "short forms used in text")] = []
    url: str | None = None
    consulted: dt.date | None = None


class Roles(Node, frozen=True, kw_only=True):
    """roles.yaml: the role registry."""

    roles: list[Role]


class Laws(Node, frozen=True, kw_only=True):
    """laws.yaml: the legal-basis registry."""

    laws: list[Law]


class GridWorker(Node, frozen=True, kw_only=True):
    """A named grid worker (网格员) of a community."""

    name: Text
    grid: Annotated[str | None, desc("网格名称", "grid name")] = None
    phone: str | None = None


class Community(Node, frozen=True, kw_only=True):
    """A community (社区) with its people; lives in parties.yaml, outside the regulation's version."""

    id: Id
    name: Text
    leader: Annotated[str | None, desc("社区负责人", "community head")] = None
    safety_officer: Annotated[str | None, desc("安全干事", "safety officer")] = None
    grid_workers: list[GridWorker] = []
    places: Annotated[
        list[Text],
        desc(
            "辖区内的场所类型，如 九小场所、燃气用户、电动自行车集中充电场所（决定检查表印哪些检查要点）",
            "types of place in the community; decide which inspection-point catalogues its checklists print",
        ),
    ] = []


class Parties(Node, frozen=True, kw_only=True):
    """parties.yaml: communities and grid workers, which change more often than the regulation."""

    example: Annotated[bool, desc("示例数据，须由办事处替换", "example data for the office to replace")] = (
        False
    )
    communities: list[Community] = []


class GlossaryTerm(Node, frozen=True, kw_only=True):
    """A canonical term, its known wrong spellings and its variants that should not be mixed."""

    term: Text
    wrong: Annotated[list[Text], desc("常见错写", "known misspellings")] = []
    variants: Annotated[
        list[Text], desc("同义异写，同一文件中不宜混用", "variants not to be mixed in one document")
    ] = []
    note: str | None = None


class Glossary(Node, frozen=True, kw_only=True):
    """glossary.yaml: extends the built-in glossary of official terms."""

    terms: list[GlossaryTerm] = []


class CatalogueSource(Node, frozen=True, kw_only=True):
    """Where an inspection-point catalogue comes from: a law, rule, standard or published guidance."""

    title: Annotated[Text, desc("来源名称（含书名号）", "source title, with 《》")]
    issuer: Annotated[Text, desc("制定或发布机关", "issuing body")]
    ref: Annotated[str | None, desc("文号、令号或标准号", "document, decree or standard number")] = None
    articles: Annotated[str | None, desc("所依据的条款", "articles relied on")] = None


class InspectionPoint(Node, frozen=True, kw_only=True):
    """One thing to look at on site, worded as a yes/no check."""

    id: Id
    text: Annotated[Text, desc("检查要点（可勾选的一句话）", "what to check, one tickable sentence")]
    basis: Annotated[str | None, desc("依据条款，如 《消防法》第二十八条", "article it rests on")] = None


class Catalogue(Node, frozen=True, kw_only=True):
    """A catalogue of site inspection points (检查要点), printed as tick rows under the duties it serves."""

    id: Id
    title: Annotated[Text, desc("检查要点名称", "catalogue title")]
    sources: Annotated[
        list[CatalogueSource], Meta(min_length=1), desc("来源（至少一项）", "sources, at least one")
    ]
    serves: Annotated[
        list[Id], Meta(min_length=1), desc("服务的职责 id：要点印在这些职责之下", "duty ids it serves")
    ]
    places: Annotated[
        list[Text],
        desc(
            "适用的场所类型；省略时适用于每个社区，否则只印给 places 含其一的社区",
            "place types; empty means every community, else only communities listing one of them",
        ),
    ] = []
    points: Annotated[list[InspectionPoint], Meta(min_length=1), desc("检查要点", "inspection points")]


class Inspections(Node, frozen=True, kw_only=True):
    """inspections.yaml: catalogues of site inspection points, kept beside parties.yaml."""

    catalogues: list[Catalogue] = []


class DatedEvent(Node, frozen=True, kw_only=True):
    """A dated occurrence of a frequency event: 国庆节 (重大节日) 2024-10-01 to 2024-10-07, 汛期 …"""

    event: Annotated[
        Text, desc("频次中的时段名，如 重大节日、重要时期、汛期", "event word as in frequencies")
    ]
    name: Annotated[str | None, desc("具体名称，如 国庆节", "specific name")] = None
    from_: Annotated[dt.date, desc("开始日期", "first day")] = msgspec.field(name="from")
    to: Annotated[dt.date, desc("结束日期（含）", "last day, inclusive")]


class Calendar(Node, frozen=True, kw_only=True):
    """calendar.yaml: the dates of events such as 重大节日 and 汛期, so checklists can date event duties."""

    events: list[DatedEvent] = []


# ------------------------------------------------------------------------------------- the regulation

Period = Literal["week", "month", "quarter", "half_year", "year"]


class Frequency(Node, frozen=True, kw_only=True):
    """A duty's normalised frequency next to its original wording."""

    per: Annotated[Period | None, desc("周期", "period")] = None
    min: Annotated[Annotated[int, Meta(ge=1)] | None, desc("每周期最少次数", "minimum count per period")] = (
        None
    )
    events: Annotated[list[Text], desc("触发时段，如 重大节日、重要时期", "event triggers")] = []
    on_occurrence: Annotated[bool, desc("事件发生时（如发生事故时、发现隐患时）", "on occurrence")] = False
    display: Annotated[Text, desc("原文表述，须出现在条文中", "original wording, as in the text")]


class Basis(Node, frozen=True, kw_only=True):
    """A legal-basis reference into laws.yaml."""

    law: Id
    art: Annotated[str | None, desc("条款，如 第二十一条", "article")] = None


#: How a 追责 condition ends: "……的；" (or 的。/的, at the end of a list): a case to be held liable for, not a duty.
CONDITION_RE = re.compile(r"的[；;。，,]?\s*$")


def is_condition_wording(text: str) -> bool:
    """True when `text` is worded as a 追责 condition (未按规定……的；) rather than as a duty."""
    return CONDITION_RE.search(text) is not None


class Duty(Node, frozen=True, kw_only=True):
    """A duty: the unit that cards and checklists are made of.

    A duty's wording is its provision's text, unless `text` gives its own: a provision that is a 追责
    condition (……的；) states what is punished, so a duty drawn from it is worded separately.
    """

    id: Id
    text: Annotated[
        Text | None,
        desc(
            "职责表述；省略时即所在条文原文（条文为追责情形时须另写）",
            "the duty's own wording; the provision's text when omitted (required where that text is a 追责 condition)",
        ),
    ] = None
    owners: Annotated[
        list[Id],
        desc(
            "责任岗位；省略时继承上级条文的 owners", "owning roles; inherited from the provision when omitted"
        ),
    ] = []
    summary: Annotated[str | None, desc("简称，用于检查表", "short name for checklists")] = None
    frequency: Frequency | None = None
    evidence: Annotated[list[Text], desc("履职记录或成果", "evidence / deliverables")] = []
    basis: Annotated[list[Basis], desc("法律依据", "legal basis")] = []
    checklist: Annotated[bool, desc("列入检查表", "belongs on checklists")] = True


class AssessmentItem(Node, frozen=True, kw_only=True):
    """An assessment item (考核) measuring duties."""

    id: Id
    points: Annotated[float | None, desc("分值", "points")] = None
    duties: Annotated[list[Id], desc("所考核的职责", "duties measured")] = []
    roles: Annotated[list[Id], desc("考核对象", "roles assessed")] = []


class Liability(Node, frozen=True, kw_only=True):
    """A 追责 condition and what triggers it."""

    id: Id
    triggers: Annotated[
        list[Id], desc("触发的职责或考核项 id", "duty or assessment ids whose breach invokes it")
    ] = []
    roles: Annotated[list[Id], desc("被追责岗位", "roles held liable")] = []


class Provision(Node, frozen=True, kw_only=True):
    """A numbered provision: 一、 （一） 1. （1） by depth. Its number is computed, never typed."""

    id: Id
    text: Annotated[Text, desc("条文原文（不含编号）", "exact wording, without the number")]
    source_number: Annotated[
        str | None, desc("原文所印编号，仅供溯源与核对", "number as printed in the source, for tracing only")
    ] = None
    owners: Annotated[list[Id], desc("本条及下级职责的默认责任岗位", "default owners of duties below")] = []
    paragraphs: Annotated[
        list[Text], desc("标题后的不编号段落", "unnumbered paragraphs after the heading")
    ] = []
    children: Annotated[list["Provision"], desc("下级条文", "sub-provisions")] = []
    duties: list[Duty] = []
    assessment: list[AssessmentItem] = []
    liability: list[Liability] = []
    was: Annotated[list[Id], desc("沿革：原条文 id", "lineage: former ids")] = []


class Effective(Node, frozen=True, kw_only=True):
    """施行期间."""

    from_: Annotated[DateOrPlaceholder, desc("施行日期，或占位如 undetermined-1", "start")] = msgspec.field(
        name="from"
    )
    to: dt.date | None = None

    def __post_init__(self) -> None:
        if re.fullmatch(ISO_DATE_SHAPE, self.from_):
            try:
                dt.date.fromisoformat(self.from_)
            except ValueError:
                raise ValueError(f"date:from:{self.from_}") from None

    @property
    def start(self) -> dt.date | str:
        """The start as a date, or the placeholder as written."""
        if re.fullmatch(ISO_DATE_SHAPE, self.from_):
            return dt.date.fromisoformat(self.from_)
        return self.from_


VersionStatus = Literal["draft", "consultation", "issued"]


class Version(Node, frozen=True, kw_only=True):
    """Version metadata of one release of the regulation."""

    id: Annotated[Text, desc("版本号，如 2024.1", "version id")]
    status: Annotated[
        VersionStatus,
        desc("状态：draft 草案，consultation 征求意见稿，issued 已印发", "draft / consultation / issued"),
    ]
    issued: Annotated[dt.date | None, desc("印发日期", "issue date")] = None
    effective: Effective | None = None
    supersedes: Annotated[str | None, desc("所替代的版本号", "superseded version id")] = None
    reviewed_on: Annotated[dt.date | None, desc("最近一次复核日期", "last review")] = None


ChangeType = Literal[
    "substitute", "insert", "repeal", "renumber", "move", "split", "merge", "global_replace", "metadata"
]


class Change(Node, frozen=True, kw_only=True):
    """A change record: what changed and why (修订说明)."""

    id: Id
    type: ChangeType
    targets: Annotated[list[Id], desc("涉及的条文或职责 id", "affected ids")] = []
    from_: Annotated[str | None, desc("全文替换：原表述", "global_replace: old")] = msgspec.field(
        default=None, name="from"
    )
    to: Annotated[str | None, desc("全文替换：新表述", "global_replace: new")] = None
    reason: Annotated[Text, desc("修订说明", "reason")]
    source: Annotated[str | None, desc("作出修订的文号", "document making the change")] = None


SchemeKind = Literal["outline", "statute"]
CitationStyle = Literal["position", "number", "chapter"]


class NumberingDecl(Node, frozen=True, kw_only=True):
    """The numbering scheme a regulation is written in, and how its provisions are cited."""

    scheme: Annotated[
        SchemeKind,
        desc(
            "编号体系：outline 一、（一）1.（1）；statute 第X章 第X条 （一） 1.",
            "outline (一、/（一）/1./（1）) or statute (第X章 → 第X条 → （一）项 → 1.目)",
        ),
    ] = "outline"
    chapters: Annotated[bool, desc("statute：一级条文为“第X章”", "statute: top level are chapters")] = False
    sections: Annotated[bool, desc("statute：章下设“第X节”", "statute: chapters hold sections")] = False
    citation: Annotated[
        CitationStyle,
        desc(
            "引用形式：position 按体系（第二部分第（一）项／第五条第（一）项），number 按编号（二（一）），"
            "chapter 条前加章",
            "citation style: the scheme's own, the printed numbers, or with the chapter",
        ),
    ] = "position"
    as_issued: Annotated[
        bool,
        desc(
            "已印发版本按原文所印编号（source_number）排印，保留原文编号错漏",
            "an issued version prints its recorded source numbers, defects included",
        ),
    ] = True


class RegulationDoc(Node, frozen=True, kw_only=True):
    """regulation.yaml: the regulation's content, structure and version."""

    work: Annotated[Id, desc("制度标识，终身不变", "work id, for life")]
    version: Version
    title: Annotated[Text, desc("制度标题", "regulation title")]
    numbering: Annotated[
        NumberingDecl | None, desc("编号体系与引用形式（省略时为 一、（一）1.（1））", "numbering scheme")
    ] = None
    preamble: Annotated[list[Text], desc("序言段落", "preamble paragraphs")] = []
    sections: Annotated[list[Provision], desc("一级条文", "top-level provisions")]
    closing: Annotated[list[Text], desc("结尾段落", "closing paragraphs")] = []
    changes: Annotated[list[Change], desc("本版本的修订记录", "change records")] = []


#: Every closed set of values, in the order they are declared (and offered in messages).
ENUMS = (Placement, RoleKind, LawRank, Period, VersionStatus, ChangeType, SchemeKind, CitationStyle)

#: The file kinds of a policy folder, by file name.
FILE_KINDS: dict[str, type[Node]] = {
    "notice.yaml": Notice,
    "regulation.yaml": RegulationDoc,
    "roles.yaml": Roles,
    "laws.yaml": Laws,
    "parties.yaml": Parties,
    "glossary.yaml": Glossary,
    "inspections.yaml": Inspections,
    "calendar.yaml": Calendar,
}


# ------------------------------------------------------------------------------------ the aggregate


@dataclass(frozen=True)
class Policy:
    """One version of a regulation with everything it references, ready for lint and views."""

    root: str
    regulation: RegulationDoc
    roles: tuple[Role, ...]
    laws: tuple[Law, ...]
    notice: Notice | None = None
    parties: Parties | None = None
    glossary: tuple[GlossaryTerm, ...] = ()
    #: sha256 of the loaded content (load.policy.content_hash, docs/identity.md); feeds the short release code.
    source_hash: str = ""
    files: tuple[str, ...] = field(default_factory=tuple)
    #: Lint rules silenced in the sources (inline comments, lint.yaml).
    suppressions: tuple[Suppression, ...] = ()
    #: Site inspection-point catalogues (inspections.yaml).
    catalogues: tuple[Catalogue, ...] = ()
    #: Dated events (calendar.yaml).
    calendar: tuple[DatedEvent, ...] = ()

    def walk(self) -> Iterator[tuple[tuple[int, ...], Provision]]:
        """Every provision with its index path, in document order."""
        return iter(self._provisions)

    @cached_property
    def _provisions(self) -> tuple[tuple[tuple[int, ...], Provision], ...]:
        # Every lint rule and view walks the tree; the frozen tree is flattened once per policy.
        out: list[tuple[tuple[int, ...], Provision]] = []

        def rec(nodes: list[Provision], prefix: tuple[int, ...]) -> None:
            for i, p in enumerate(nodes):
                path = (*prefix, i)
                out.append((path, p))
                rec(p.children, path)

        rec(self.regulation.sections, ())
        return tuple(out)

    @cached_property
    def scheme(self) -> Scheme:
        """The declared numbering scheme (the outline scheme when none is declared)."""
        d = self.regulation.numbering or NumberingDecl()
        return scheme(d.scheme, d.chapters, d.sections, d.citation)

    @cached_property
    def numbers(self) -> Numbers:
        """Generated numbers and citations of every provision, by index path."""
        return Numbers(self.scheme, self.regulation.sections)

    @cached_property
    def _by_path(self) -> dict[tuple[int, ...], Provision]:
        return dict(self._provisions)

    def number(self, path: tuple[int, ...]) -> str:
        """The number printed before a provision: in an issued version its recorded source number (the
        as-issued record, defects included), else the number generated from its position."""
        d = self.regulation.numbering or NumberingDecl()
        src = self._by_path[path].source_number
        if src and d.as_issued and self.regulation.version.status == "issued":
            return src
        return self.numbers.number(path)

    def cite(self, path: tuple[int, ...], compact: bool = False) -> str:
        """The provision's citation, always from position so that it is unambiguous.

        `compact` is for a checklist cell on a one-page A4 sheet: an outline provision is then cited by its printed
        numbers (七（一）, still never 第七条); a statute's 第七条第（一）项 is already compact.
        """
        return "".join(self.cite_parts(path, compact))

    def cite_parts(self, path: tuple[int, ...], compact: bool = False) -> tuple[str, ...]:
        """`cite` cut at its level boundaries (第四部分 / 第（二）项 / 第8目): where a table line may break."""
        if compact and self.scheme.name == "outline" and self.scheme.citation == "position":
            return self.compact_numbers.citation_parts(path)
        return self.numbers.citation_parts(path)

    @cached_property
    def compact_numbers(self) -> Numbers:
        """The outline scheme's numbers cited by their printed form (二（一）1.)."""
        s = self.scheme
        return Numbers(Scheme(s.name, s.levels, "number"), self.regulation.sections)

    def duties(self) -> Iterator[tuple[tuple[int, ...], Provision, Duty]]:
        """Every duty with its provision, in document order."""
        for path, p in self.walk():
            for d in p.duties:
                yield path, p, d

    def duty_text(self, provision: Provision, duty: Duty) -> str:
        """The duty's wording: its own `text`, else its provision's text (never a 追责 condition's wording)."""
        return duty.text or provision.text

    def is_liability_clause(self, path: tuple[int, ...]) -> bool:
        """True when the provision at `path` carries 追责情形 or is worded as one (a condition, not a duty)."""
        nodes = self.regulation.sections
        node: Provision | None = None
        for i in path:
            node = nodes[i]
            nodes = node.children
        return node is not None and (bool(node.liability) or is_condition_wording(node.text))

    def chain(self, path: tuple[int, ...]) -> list[Provision]:
        """The provisions from the top level down to the one at `path`."""
        return [self._by_path[path[: k + 1]] for k in range(len(path))]

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def law(self, law_id: str) -> Law | None:
        return next((x for x in self.laws if x.id == law_id), None)

    def owners_of(self, path: tuple[int, ...], duty: Duty) -> list[str]:
        """A duty's owners: its own, else the nearest provision's `owners` up the tree."""
        if duty.owners:
            return list(duty.owners)
        nodes = self.regulation.sections
        chain: list[Provision] = []
        for i in path:
            chain.append(nodes[i])
            nodes = nodes[i].children
        for p in reversed(chain):
            if p.owners:
                return list(p.owners)
        return []
