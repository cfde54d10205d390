"""The notice view: the 公文 with the regulation laid out as numbered blocks."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

from zhidu.model import Notice, Policy
from zhidu.numbering import cn_date
from zhidu.views.base import PlanOptions, View, draft_mark, make_stamp, product

BlockKind = Literal["title", "para", "heading"]


class Block(Struct, frozen=True):
    """One paragraph of the regulation as printed: a numbered provision or a plain paragraph."""

    kind: BlockKind
    #: 0-3 for numbered provisions (一、 （一） 1. （1））; -1 for plain paragraphs.
    level: int
    number: str
    text: str
    id: str = ""

    @property
    def full(self) -> str:
        return self.number + self.text

    @property
    def lead(self) -> str:
        """The heading sentence: number and text up to the first full stop when more text runs on after it."""
        return self.number + self.text[: _lead_end(self.text)]

    @property
    def runon(self) -> str:
        """The text that runs on after the heading sentence (set in 仿宋, not the heading face); often empty."""
        return self.text[_lead_end(self.text) :]


def _lead_end(text: str) -> int:
    """Offset just past the first sentence of a run-on item, or len(text) when the item is one sentence."""
    for i, c in enumerate(text[:-1]):
        if c in "。！？":
            return i + 1
    return len(text)


class NoticeView(Struct, frozen=True):
    """Everything the notice templates and the docx renderer print."""

    notice: Notice | None
    doc_no: str
    date: str
    printed_date: str
    title_lines: list[str]
    addressees: str
    body: list[str]
    attachments: list[str]
    signature: str
    regulation_title: str
    blocks: list[Block]
    #: 征求意见稿 when the version is not issued: printed in the header area.
    draft_mark: str = ""


#: The typographic level of a statute's parts (GB/T 9704 7.3.3 fonts by level): 章 in 黑体, 节 in 楷体, 条 and
#: what it holds in 仿宋 like body text. Outline levels are their depth.
_STATUTE_LEVEL = {"chapter": 0, "section": 1, "article": 2, "item": 3, "subitem": 3}


def regulation_blocks(policy: Policy) -> list[Block]:
    """The regulation's paragraphs in order: preamble, numbered provisions with their paragraphs, closing."""
    reg = policy.regulation
    blocks = [Block("para", -1, "", t) for t in reg.preamble]

    for path, p in policy.walk():
        number = policy.number(path)
        level = _STATUTE_LEVEL.get(policy.numbers.kinds[path], len(path) - 1)
        # 第一条　为… / 第一章　总则: a statute number is followed by a full-width space; 一、 needs none.
        if number.startswith("第") and number[-1] in "章节条":
            number += "　"
        blocks.append(Block("heading", level, number, p.text, p.id))
        blocks.extend(Block("para", -1, "", t) for t in p.paragraphs)
    blocks.extend(Block("para", -1, "", t) for t in reg.closing)
    return blocks


def _attachment_names(policy: Policy) -> list[str]:
    """The names the 附件说明 lists: those recorded, or the regulation's title when it goes as the attachment."""
    n = policy.notice
    if n is None:
        return []
    names = [a.name for a in n.attachments]
    return names or ([policy.regulation.title] if n.regulation_placement == "attachment" else [])


def build_notice_view(policy: Policy) -> NoticeView:
    """The notice view of a policy (the notice part is empty when the policy has no notice.yaml)."""
    n = policy.notice
    return NoticeView(
        notice=n,
        doc_no=str(n.doc_no) if n else "",
        date=cn_date(n.date) if n else "",
        printed_date=cn_date(n.printed_date) if n else "",
        title_lines=n.title_lines if n else [policy.regulation.title],
        addressees=(n.addressees or "") if n else "",
        body=list(n.body) if n else [],
        attachments=_attachment_names(policy),
        signature=n.signature if n else "",
        regulation_title=policy.regulation.title,
        blocks=regulation_blocks(policy),
        draft_mark=draft_mark(policy),
    )


@product("notice")
def plan_notice(policy: Policy, options: PlanOptions) -> list[View[NoticeView]]:
    """One notice per policy version."""
    view = build_notice_view(policy)
    return [View("notice", "notice", "".join(view.title_lines), make_stamp(policy), view)]
