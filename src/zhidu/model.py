"""The typed model of a policy: one pydantic class per YAML shape, frozen, each node knowing its source.

The classes double as the published JSON Schema (`zhidu schema`). Display numbers are never stored:
`numbering.py` computes them from position in the tree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from zhidu.location import UNKNOWN, Location

#: Stable ids: a capital prefix, a dash, then capitals, digits and dashes (I-0031, D-0101, R-SJ).
ID_PATTERN = r"^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]

#: 发文字号 as written: organ code, 〔year〕, serial without leading zeros, 号 (GB/T 9704 7.2.5).
DOC_NO_RE = re.compile(r"^(?P<organ>[^\s〔〕\[\]【】()（）]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")


def _desc(zh: str, en: str) -> str:
    return f"{zh} / {en}"


class Node(BaseModel):
    """Base of every YAML mapping: strict keys, frozen, with the source location attached by the loader."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    loc: SkipJsonSchema[Location] = Field(default=UNKNOWN, alias="__loc__", exclude=True, repr=False)
    #: Location of each key's value, for messages that point into a field.
    field_locs: SkipJsonSchema[dict[str, Location]] = Field(
        default_factory=dict, alias="__locs__", exclude=True, repr=False
    )

    #: Location of each key itself, for "unknown key" messages.
    key_locs: SkipJsonSchema[dict[str, Location]] = Field(
        default_factory=dict, alias="__keylocs__", exclude=True, repr=False
    )

    def loc_of(self, key: str) -> Location:
        """Where the value of `key` was written, or the node itself."""
        return self.field_locs.get(key, self.loc)


# ---------------------------------------------------------------------------------------------- 公文


class DocNo(Node):
    """发文字号 as parts, rendered 东公政发〔2024〕27号."""

    organ_code: Text = Field(description=_desc("机关代字", "organ code, e.g. 东公政发"))
    year: int = Field(ge=1949, le=2999, description=_desc("年份（四位）", "full year"))
    serial: int = Field(ge=1, description=_desc("发文顺序号（无前导零）", "serial number, no leading zeros"))

    def __str__(self) -> str:
        return f"{self.organ_code}〔{self.year}〕{self.serial}号"


class Attachment(Node):
    """附件: a named attachment listed in 附件说明."""

    name: Text = Field(description=_desc("附件名称（不加标点）", "attachment name, no trailing punctuation"))
    regulation: bool = Field(
        default=False, description=_desc("本附件即所附制度正文", "this attachment is the regulation itself")
    )


class Notice(Node):
    """The issuing document (公文) that carries the regulation, per GB/T 9704-2012."""

    copy_no: str | None = Field(default=None, description=_desc("份号（6位数字）", "copy number, 6 digits"))
    secrecy: str | None = Field(default=None, description=_desc("密级和保密期限", "secrecy level and period"))
    urgency: str | None = Field(default=None, description=_desc("紧急程度", "urgency"))
    organ: Text = Field(description=_desc("发文机关全称", "issuing organ, full name"))
    organ_mark: Text = Field(description=_desc("发文机关标志（红头）", "organ mark printed in red"))
    doc_no: DocNo = Field(description=_desc("发文字号", "document number"))
    signers: list[Text] = Field(
        default_factory=list, description=_desc("签发人（上行文）", "signers, upward documents")
    )
    title: Text = Field(description=_desc("标题；可用换行指定分行", "title; explicit line breaks are kept"))
    addressees: Text | None = Field(default=None, description=_desc("主送机关", "main addressees"))
    body: list[Text] = Field(description=_desc("正文段落", "body paragraphs"))
    attachments: list[Attachment] = Field(default_factory=list, description=_desc("附件", "attachments"))
    regulation_placement: Literal["follows", "attachment"] = Field(
        default="follows",
        description=_desc(
            "所发制度的位置：follows 紧随通知（如种子文件），attachment 作为附件另页",
            "where the regulation goes: after the notice, or as an attachment on new pages",
        ),
    )
    signature: Text = Field(description=_desc("署名（发文机关）", "signing organ"))
    date: dt.date = Field(description=_desc("成文日期", "date of writing"))
    seal: bool = Field(default=True, description=_desc("是否加盖印章", "sealed"))
    note: str | None = Field(default=None, description=_desc("附注", "note, printed in parentheses"))
    cc: list[Text] = Field(default_factory=list, description=_desc("抄送机关", "copied organs"))
    printed_by: Text = Field(description=_desc("印发机关", "printing organ"))
    printed_date: dt.date = Field(description=_desc("印发日期", "printing date"))
    upward: bool = Field(default=False, description=_desc("上行文（显示签发人）", "upward document"))

    @field_validator("doc_no", mode="before")
    @classmethod
    def _doc_no_from_string(cls, v: object) -> object:
        # Accept the written form too; a malformed one fails here with the exact rule broken.
        if isinstance(v, str):
            m = DOC_NO_RE.match(v)
            if not m:
                raise ValueError(
                    f"doc_no:发文字号“{v}”格式不正确，应为“机关代字〔四位年份〕序号号”，如“东公政发〔2024〕27号”"
                )
            return {"organ_code": m["organ"], "year": int(m["year"]), "serial": int(m["serial"])}
        return v

    @property
    def title_lines(self) -> list[str]:
        """The title's explicit lines (one line if none given)."""
        return [ln.strip() for ln in self.title.split("\n") if ln.strip()]

    @property
    def title_text(self) -> str:
        return "".join(self.title_lines)


# ---------------------------------------------------------------------------------------- registries


RoleKind = Literal["leader", "department", "community", "grid_worker", "committee", "other"]


class Role(Node):
    """A post in the regulation (not a person)."""

    id: Id
    name: Text = Field(description=_desc("岗位或单位名称", "post or unit name"))
    kind: RoleKind = Field(description=_desc("类别", "leader / department / community / grid_worker / …"))
    level: str | None = Field(
        default=None, description=_desc("责任层级，如 全面领导责任、直接领导责任", "responsibility level")
    )
    parent: Id | None = Field(default=None, description=_desc("上级岗位 id", "parent role id"))
    per_community: bool = Field(
        default=False,
        description=_desc(
            "按社区分别履行（出现在每个社区的检查表上）",
            "acts per community: appears on every community checklist",
        ),
    )
    note: str | None = None


class Law(Node):
    """A law, regulation or rule that duties cite."""

    id: Id
    name: Text = Field(description=_desc("规范名称（含书名号）", "canonical name, with 《》"))
    rank: Literal["law", "regulation", "rule", "normative", "policy"] = Field(
        default="law",
        description=_desc("位阶：法律、法规、规章、规范性文件、政策", "rank, cited in this order"),
    )
    short: list[Text] = Field(default_factory=list, description=_desc("文中简称", "short forms used in text"))
    url: str | None = None
    consulted: dt.date | None = None


class Roles(Node):
    """roles.yaml: the role registry."""

    roles: list[Role]


class Laws(Node):
    """laws.yaml: the legal-basis registry."""

    laws: list[Law]


class GridWorker(Node):
    """A named grid worker (网格员) of a community."""

    name: Text
    grid: str | None = Field(default=None, description=_desc("网格名称", "grid name"))
    phone: str | None = None


class Community(Node):
    """A community (社区) with its people; lives in parties.yaml, outside the regulation's version."""

    id: Id
    name: Text
    leader: str | None = Field(default=None, description=_desc("社区负责人", "community head"))
    safety_officer: str | None = Field(default=None, description=_desc("安全干事", "safety officer"))
    grid_workers: list[GridWorker] = Field(default_factory=list)


class Parties(Node):
    """parties.yaml: communities and grid workers, which change more often than the regulation."""

    example: bool = Field(
        default=False, description=_desc("示例数据，须由办事处替换", "example data for the office to replace")
    )
    communities: list[Community] = Field(default_factory=list)


class GlossaryTerm(Node):
    """A canonical term, its known wrong spellings and its variants that should not be mixed."""

    term: Text
    wrong: list[Text] = Field(default_factory=list, description=_desc("常见错写", "known misspellings"))
    variants: list[Text] = Field(
        default_factory=list,
        description=_desc("同义异写，同一文件中不宜混用", "variants not to be mixed in one document"),
    )
    note: str | None = None


class Glossary(Node):
    """glossary.yaml: extends the built-in glossary of official terms."""

    terms: list[GlossaryTerm] = Field(default_factory=list)


# ------------------------------------------------------------------------------------- the regulation

Period = Literal["week", "month", "quarter", "half_year", "year"]


class Frequency(Node):
    """A duty's normalised frequency next to its original wording."""

    per: Period | None = Field(default=None, description=_desc("周期", "period"))
    min: int | None = Field(
        default=None, ge=1, description=_desc("每周期最少次数", "minimum count per period")
    )
    events: list[Text] = Field(
        default_factory=list, description=_desc("触发时段，如 重大节日、重要时期", "event triggers")
    )
    on_occurrence: bool = Field(
        default=False, description=_desc("事件发生时（如发生事故时、发现隐患时）", "on occurrence")
    )
    display: Text = Field(description=_desc("原文表述，须出现在条文中", "original wording, as in the text"))

    @property
    def recurring(self) -> bool:
        return self.per is not None


class Basis(Node):
    """A legal-basis reference into laws.yaml."""

    law: Id
    art: str | None = Field(default=None, description=_desc("条款，如 第二十一条", "article"))


class Duty(Node):
    """A duty: the unit that cards and checklists are made of."""

    id: Id
    owners: list[Id] = Field(
        default_factory=list,
        description=_desc(
            "责任岗位；省略时继承上级条文的 owners", "owning roles; inherited from the provision when omitted"
        ),
    )
    summary: str | None = Field(
        default=None, description=_desc("简称，用于检查表", "short name for checklists")
    )
    frequency: Frequency | None = None
    evidence: list[Text] = Field(
        default_factory=list, description=_desc("履职记录或成果", "evidence / deliverables")
    )
    basis: list[Basis] = Field(default_factory=list, description=_desc("法律依据", "legal basis"))
    checklist: bool = Field(default=True, description=_desc("列入检查表", "belongs on checklists"))


class AssessmentItem(Node):
    """An assessment item (考核) measuring duties."""

    id: Id
    points: float | None = Field(default=None, description=_desc("分值", "points"))
    duties: list[Id] = Field(default_factory=list, description=_desc("所考核的职责", "duties measured"))
    roles: list[Id] = Field(default_factory=list, description=_desc("考核对象", "roles assessed"))


class Liability(Node):
    """A 追责 condition and what triggers it."""

    id: Id
    triggers: list[Id] = Field(
        default_factory=list,
        description=_desc("触发的职责或考核项 id", "duty or assessment ids whose breach invokes it"),
    )
    roles: list[Id] = Field(default_factory=list, description=_desc("被追责岗位", "roles held liable"))


class Provision(Node):
    """A numbered provision: 一、 （一） 1. （1） by depth. Its number is computed, never typed."""

    id: Id
    text: Text = Field(description=_desc("条文原文（不含编号）", "exact wording, without the number"))
    source_number: str | None = Field(
        default=None,
        description=_desc(
            "原文所印编号，仅供溯源与核对", "number as printed in the source, for tracing only"
        ),
    )
    owners: list[Id] = Field(
        default_factory=list,
        description=_desc("本条及下级职责的默认责任岗位", "default owners of duties below"),
    )
    paragraphs: list[Text] = Field(
        default_factory=list,
        description=_desc("标题后的不编号段落", "unnumbered paragraphs after the heading"),
    )
    children: list[Provision] = Field(default_factory=list, description=_desc("下级条文", "sub-provisions"))
    duties: list[Duty] = Field(default_factory=list)
    assessment: list[AssessmentItem] = Field(default_factory=list)
    liability: list[Liability] = Field(default_factory=list)
    was: list[Id] = Field(default_factory=list, description=_desc("沿革：原条文 id", "lineage: former ids"))


class Effective(Node):
    """施行期间."""

    from_: dt.date | str = Field(
        alias="from", description=_desc("施行日期，或占位如 undetermined-1", "start")
    )
    to: dt.date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("from_", mode="before")
    @classmethod
    def _iso_date(cls, v: object) -> object:
        # Dates load as text; a real ISO date must become a date, a placeholder (undetermined-1) stays text.
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"date:{v}") from None
        return v


class Version(Node):
    """Version metadata of one release of the regulation."""

    id: Text = Field(description=_desc("版本号，如 2024.1", "version id"))
    status: Literal["draft", "issued"]
    issued: dt.date | None = Field(default=None, description=_desc("印发日期", "issue date"))
    effective: Effective | None = None
    supersedes: str | None = Field(default=None, description=_desc("所替代的版本号", "superseded version id"))
    reviewed_on: dt.date | None = Field(default=None, description=_desc("最近一次复核日期", "last review"))


ChangeType = Literal[
    "substitute", "insert", "repeal", "renumber", "move", "split", "merge", "global_replace", "metadata"
]


class Change(Node):
    """A change record: what changed and why (修订说明)."""

    id: Id
    type: ChangeType
    targets: list[Id] = Field(default_factory=list, description=_desc("涉及的条文或职责 id", "affected ids"))
    from_: str | None = Field(
        default=None, alias="from", description=_desc("全文替换：原表述", "global_replace: old")
    )
    to: str | None = Field(default=None, description=_desc("全文替换：新表述", "global_replace: new"))
    reason: Text = Field(description=_desc("修订说明", "reason"))
    source: str | None = Field(
        default=None, description=_desc("作出修订的文号", "document making the change")
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RegulationDoc(Node):
    """regulation.yaml: the regulation's content, structure and version."""

    work: Id = Field(description=_desc("制度标识，终身不变", "work id, for life"))
    version: Version
    title: Text = Field(description=_desc("制度标题", "regulation title"))
    preamble: list[Text] = Field(default_factory=list, description=_desc("序言段落", "preamble paragraphs"))
    sections: list[Provision] = Field(description=_desc("一级条文", "top-level provisions"))
    closing: list[Text] = Field(default_factory=list, description=_desc("结尾段落", "closing paragraphs"))
    changes: list[Change] = Field(
        default_factory=list, description=_desc("本版本的修订记录", "change records")
    )


Provision.model_rebuild()

#: The file kinds of a policy folder, by file name.
FILE_KINDS: dict[str, type[Node]] = {
    "notice.yaml": Notice,
    "regulation.yaml": RegulationDoc,
    "roles.yaml": Roles,
    "laws.yaml": Laws,
    "parties.yaml": Parties,
    "glossary.yaml": Glossary,
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
    #: sha256 of the source bytes, in file order; feeds the short release code.
    source_hash: str = ""
    files: tuple[str, ...] = field(default_factory=tuple)

    def walk(self) -> Iterator[tuple[tuple[int, ...], Provision]]:
        """Every provision with its index path, in document order."""

        def rec(
            nodes: list[Provision], prefix: tuple[int, ...]
        ) -> Iterator[tuple[tuple[int, ...], Provision]]:
            for i, p in enumerate(nodes):
                path = (*prefix, i)
                yield path, p
                yield from rec(p.children, path)

        yield from rec(self.regulation.sections, ())

    def duties(self) -> Iterator[tuple[tuple[int, ...], Provision, Duty]]:
        """Every duty with its provision, in document order."""
        for path, p in self.walk():
            for d in p.duties:
                yield path, p, d

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
