"""The recognised document: paragraphs, numbered nodes, the notice's parts and the report findings.

`parse` builds it; the checks, the guesses, the YAML writer and the report read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhidu.importer.markers import TERMINAL, Marker


@dataclass
class Para:
    """A logical paragraph: one or more source lines joined."""

    text: str
    lines: list[int]


@dataclass
class Node:
    """A numbered provision as found in the source."""

    marker: Marker
    text: str
    lines: list[int]
    depth: int
    paragraphs: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    id: str = ""
    #: Role ids guessed from the heading (……职责), with the reason.
    owners: list[str] = field(default_factory=list)
    owner_note: str = ""
    #: Paragraphs after an item that is a sentence, not a heading: placement is a guess.
    para_guess: bool = False
    #: The item names its role and is itself that role's duty (县长:…, 镇长主要职责是：…).
    own_duty: bool = False
    #: The wording of that duty when the item starts with its role (县长:…): what follows the role.
    duty_wording: str = ""
    #: A statute article led by its subject: each 款 (paragraph) is a duty too, of the role it names if any.
    paragraph_owners: list[list[str]] = field(default_factory=list)

    @property
    def heading(self) -> bool:
        """True when the text reads as a heading (no closing sentence punctuation)."""
        s = self.text.rstrip()
        return bool(s) and s[-1] not in TERMINAL


@dataclass(frozen=True)
class Finding:
    """One report entry; `lines` are 1-based source line numbers."""

    section: str
    message: str
    lines: tuple[int, ...] = ()


@dataclass
class NoticeParts:
    """What was found of the issuing notice; complete() tells whether notice.yaml can be written."""

    organ_mark: str | None = None
    doc_no: tuple[str, int, int] | None = None
    title_lines: list[str] = field(default_factory=list)
    addressees: str | None = None
    body: list[Para] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signature: str | None = None
    date: dt.date | None = None
    printed_by: str | None = None
    printed_date: dt.date | None = None
    cc: list[str] = field(default_factory=list)
    #: 附注 below the date, such as （此件公开发布）.
    note: str | None = None
    #: The regulation follows an 附件 mark, or an attachment listed in 附件说明 is the regulation.
    regulation_attached: bool = False
    lines: list[int] = field(default_factory=list)

    def missing(self) -> list[str]:
        """The required notice parts that were not found."""
        parts: list[tuple[str, object]] = [
            ("发文字号", self.doc_no),
            ("标题", self.title_lines),
            ("正文", self.body),
        ]
        parts += [("署名", self.signature), ("成文日期", self.date)]
        return [name for name, v in parts if not v]

    def complete(self) -> bool:
        return not self.missing()


@dataclass
class Parsed:
    """The recognised document."""

    notice: NoticeParts
    title: str
    title_lines: list[int]
    preamble: list[Para]
    sections: list[Node]
    closing: list[Para]
    findings: list[Finding]
    wrap_width: int | None
    #: Every source line and where it went ("notice", "regulation", "report").
    placed: dict[int, str]


def detect_scheme(roots: list[Node]) -> tuple[str, bool, bool]:
    """The numbering scheme a source is written in: ("statute", chapters, sections) or ("outline", False, False)."""
    styles = {x.marker.style for x in walk(roots)}
    if "article" not in styles or not _articles_on_top(roots):
        # 第X条 met only inside 一、（一）… items is text numbered in passing: the document is an outline.
        return "outline", False, False
    chapters = any(x.marker.style == "chapter" for x in roots)
    return "statute", chapters, chapters and "part" in styles


def _articles_on_top(nodes: list[Node]) -> bool:
    """True when every 第X条 stands at the top or inside 第X章/第X节 only."""
    for n in nodes:
        if n.marker.style == "article":
            continue
        if n.marker.style in ("chapter", "part"):
            if not _articles_on_top(n.children):
                return False
        elif any(x.marker.style == "article" for x in walk(n.children)):
            return False
    return True


def walk(nodes: list[Node]) -> list[Node]:
    """The nodes depth-first, each before its children."""
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(walk(n.children))
    return out


__all__ = ["Finding", "Node", "NoticeParts", "Para", "Parsed", "detect_scheme", "walk"]
