"""The 征求意见稿 mark of a version that is not issued, in the page header of cards, lists, checklists and tables.

Practice puts the mark where a reader looks first, in 三号黑体. The notice prints it in its 版头 (render/docx/notice.py);
the desk documents carry it at the right end of the page header, so every page shows it (a loose second page
too) and it takes no line from the body: a draft card or checklist keeps the pages the issued one has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhidu.render.docx.ooxml import El, W, ppr_of, run, run_props, set_child, sub
from zhidu.units import TW_PER_PT

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.render.docx.package import Docx

#: 三号, as the notice prints it.
DRAFT_PT = 16.0
#: An exact line a little over one em, so the header never grows past the space the top margin leaves it.
DRAFT_LINE_TW = round(DRAFT_PT * 1.15 * TW_PER_PT)


def _mark_line(ppr: El) -> None:
    set_child(ppr, "w:snapToGrid", {"w:val": 0})
    set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": DRAFT_LINE_TW, "w:lineRule": "exact"})


def add_draft_headers(doc: Document) -> None:
    """A draft base's headers: one right-aligned line on every kind of page the section has (odd, even,
    first), filled by `write_draft_mark`."""
    sec = doc.sections[0]
    headers = [sec.header]
    if doc.settings.odd_and_even_pages_header_footer:
        headers.append(sec.even_page_header)
    if sec.different_first_page_header_footer:
        headers.append(sec.first_page_header)
    for h in headers:
        h.is_linked_to_previous = False
        ppr = ppr_of(h.paragraphs[0]._p)
        _mark_line(ppr)
        set_child(ppr, "w:jc", {"w:val": "right"})


def write_draft_mark(doc: Docx, mark: str, face: str) -> None:
    """The mark in every header of a base made with `add_draft_headers`."""
    props = run_props(face, DRAFT_PT)
    for ref in doc.sect_pr.iterchildren(W + "headerReference"):
        run(doc.header_paragraph(ref.get(W + "type") or "default"), mark, props)


def mark_beside(p: El, name: str, mark: str, face: str, width_tw: int) -> None:
    """A running header that names its document (a card's role, the list's title): the name stays centred
    and the mark stands at the right end of the same line."""
    ppr = ppr_of(p)
    tabs = set_child(ppr, "w:tabs")
    sub(tabs, "tab", val="center", pos=width_tw // 2)
    sub(tabs, "tab", val="right", pos=width_tw)
    _mark_line(ppr)
    set_child(ppr, "w:jc", {"w:val": "left"})
    run(p, "\t" + name + "\t")
    run(p, mark, run_props(face, DRAFT_PT))
