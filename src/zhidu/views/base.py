"""What every product module needs: the view and stamp types, plan options and the product registry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from msgspec import Struct

from zhidu.errors import RegistryError
from zhidu.model import Policy
from zhidu.numbering import cn_date
from zhidu.period import Period


class Stamp(Struct, frozen=True):
    """The honest-dating block every printed artifact carries (docs/domain.md §11)."""

    work: str
    version: str
    status: str
    doc_no: str
    issued: str
    effective: str
    reviewed_on: str
    code: str
    notice: str = "以最新版本为准"
    #: 征求意见稿 on every output of a version that is not issued (empty once issued).
    draft_mark: str = ""

    @property
    def line(self) -> str:
        """One printable line, e.g. for a footer; a draft's line starts with its mark."""
        parts = [self.draft_mark] if self.draft_mark else []
        parts.append(f"版本 {self.version}")
        if self.doc_no:
            parts.append(self.doc_no)
        if self.issued:
            parts.append(f"印发 {self.issued}")
        if self.effective:
            parts.append(f"施行 {self.effective}")
        if self.reviewed_on:
            parts.append(f"复核 {self.reviewed_on}")
        parts.append(f"识别码 {self.code}")
        parts.append(self.notice)
        return "　".join(parts)


def short_code(source_hash: str) -> str:
    """The 识别码: 8 characters derived from the policy's content hash (docs/identity.md), not its file bytes."""
    return hashlib.sha256(source_hash.encode()).hexdigest()[:8].upper()


def make_stamp(policy: Policy) -> Stamp:
    """The stamp of one policy version, fixed before rendering."""
    v = policy.regulation.version
    eff = ""
    if v.effective is not None:
        eff = cn_date(v.effective.start)
        if v.effective.to is not None:
            eff += f"至{cn_date(v.effective.to)}"
        else:
            eff += "起"
    return Stamp(
        work=policy.regulation.work,
        version=v.id,
        status={"issued": "已印发", "consultation": "征求意见稿"}.get(v.status, "草案"),
        doc_no=str(policy.notice.doc_no) if policy.notice else "",
        issued=cn_date(v.issued),
        effective=eff,
        reviewed_on=cn_date(v.reviewed_on),
        code=short_code(policy.source_hash),
        draft_mark=draft_mark(policy),
    )


#: The mark a version that is not issued carries on every output (in the header area and the file metadata).
DRAFT_MARK = "征求意见稿"


def draft_mark(policy: Policy) -> str:
    """征求意见稿 for a draft or a version under consultation, else empty."""
    return "" if policy.regulation.version.status == "issued" else DRAFT_MARK


# A dataclass, not a Struct like the rest: callers derive variants with dataclasses.replace().
#: A product's own view payload (NoticeView, DutyCardView, …); renderers check it against the type they declare.
Payload = TypeVar("Payload", covariant=True)


@dataclass(frozen=True)
class View(Generic[Payload]):
    """One printable thing: a product instance with its output name, stamp and product-specific data."""

    product: str
    #: Output path without suffix, relative to the version's build folder, e.g. "cards/R-SJ".
    name: str
    title: str
    stamp: Stamp
    data: Payload


class PlanOptions(Struct, frozen=True):
    """Choices that change what is planned (not how it is encoded)."""

    #: Checklist periods this version is in force for; None plans blank templates, one per period kind.
    periods: tuple[Period, ...] | None = None
    #: The version this one supersedes, when it is present in the same work folder (for the diff product).
    previous: Policy | None = None


#: Other names a clerk may use for a product: the output file or folder it writes, and its Chinese name.
PRODUCT_ALIASES: dict[str, str] = {
    "notices": "notice",
    "通知": "notice",
    "公文": "notice",
    "cards": "duty-card",
    "card": "duty-card",
    "duty-cards": "duty-card",
    "责任清单卡": "duty-card",
    "清单卡": "duty-card",
    "责任清单": "duty-list",
    "checklists": "checklist",
    "检查表": "checklist",
    "revision-table": "diff",
    "修订对照表": "diff",
}


def product_name(name: str) -> str:
    """A product's registered name for `name` or one of its aliases (unknown names are returned as given)."""
    name = name.strip()
    return PRODUCT_ALIASES.get(name, PRODUCT_ALIASES.get(name.lower(), name))


Planner = Callable[[Policy, PlanOptions], Sequence[View[object]]]
PRODUCTS: dict[str, Planner] = {}


def product(name: str) -> Callable[[Planner], Planner]:
    """Register a product's planner; a name registered twice fails at import time."""

    def deco(fn: Planner) -> Planner:
        if name in PRODUCTS:
            raise RegistryError(f"产品 {name!r} 已由 {PRODUCTS[name].__module__} 注册")
        PRODUCTS[name] = fn
        return fn

    return deco
