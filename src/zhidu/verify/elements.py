"""Locating the standard's elements (发文字号, 标题, 正文, 成文日期, 版记…) by text patterns, in any .docx."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhidu.verify.facts import DocxFacts, Para, clean

ANY_DATE_RE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日$"
)
PRINTED_RE = re.compile(
    r"([\d〇零一二三四五六七八九]{4}年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日)印发$"
)


@dataclass(frozen=True)
class Elements:
    """The paragraphs found for each element; None (or empty) where the document has none."""

    doc_no: Para | None
    title: Para | None
    addressees: Para | None
    first_body: Para | None
    mark: Para | None
    dates: list[Para]
    date: Para | None
    signature: Para | None
    cc: Para | None
    printed: Para | None
    #: 一级 (“一、”) and 二级 (“（一）”) headings.
    levels: tuple[list[Para], list[Para]]
    #: Paragraphs set in 三号 (15–17 pt) outside tables, dates excluded: the 正文 as measured.
    body: list[Para]


def _titles(after: list[Para]) -> list[Para]:
    """The paragraphs larger than 三号 body text right after the 发文字号: the title.

    The standard asks for 二号 (22 pt); a title set in 18 pt is still the title, and its size is then checked
    and fails. Searching further down would take the regulation's own title for the notice's.
    """
    titles: list[Para] = []
    for p in after:
        if p.size > 16 and not p.in_table and not clean(p.text).endswith(("：", ":")):
            titles.append(p)
        else:
            break
    return titles


def find_elements(f: DocxFacts) -> Elements:
    """Locate the standard's elements by text patterns (works for documents not made by zhidu)."""
    ps = [p for p in f.paras if clean(p.text)]
    doc_no: Para | None = None
    title: Para | None = None
    addressees: Para | None = None
    first_body: Para | None = None
    mark: Para | None = None
    date: Para | None = None
    signature: Para | None = None
    for p in ps:
        t = clean(p.text)
        if (
            doc_no is None
            and re.search(r"[〔\[【（(]\d{4}[〕\]】）)]", t)
            and t.endswith("号")
            and len(t) < 30
        ):
            doc_no = p
    if doc_no is not None:
        after = [p for p in ps if p.index > doc_no.index]
        titles = _titles(after)
        if titles:
            title = titles[0]
            rest = [p for p in after if p.index > titles[-1].index]
            if rest and clean(rest[0].text).endswith(("：", ":")):
                addressees = rest[0]
                rest = rest[1:]
            if rest:
                first_body = rest[0]
        mark_cands = [p for p in ps if p.index < doc_no.index and p.size >= 20]
        if mark_cands:
            mark = mark_cands[-1]
    dates = [p for p in ps if ANY_DATE_RE.match(clean(p.text)) and not p.in_table]
    if dates:
        date = dates[0]
        i = ps.index(dates[0])
        if i > 0:
            signature = ps[i - 1]
    lv1 = [p for p in ps if re.match(r"^[一二三四五六七八九十]+、", clean(p.text))]
    lv2 = [p for p in ps if re.match(r"^（[一二三四五六七八九十]+）", clean(p.text))]
    return Elements(
        doc_no=doc_no,
        title=title,
        addressees=addressees,
        first_body=first_body,
        mark=mark,
        dates=dates,
        date=date,
        signature=signature,
        cc=next((p for p in ps if clean(p.text).startswith(("抄送", "主送："))), None),
        printed=next((p for p in reversed(ps) if PRINTED_RE.search(clean(p.text))), None),
        levels=(lv1, lv2),
        body=[
            p
            for p in ps
            if p.size and 15 <= p.size <= 17 and not p.in_table and not ANY_DATE_RE.match(clean(p.text))
        ],
    )
