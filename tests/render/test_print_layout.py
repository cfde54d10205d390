"""Print quality of cards, the 责任清单 and the 修订对照表, measured in LibreOffice's PDF with pdfplumber (issue 17).

Both seed versions: pages per card, rows kept whole, the signature with its rules on the page of the last duty
rows, type sizes, and line breaks: a citation level, a range, a badge piece, a basis reference or a law name is
never cut over two lines. The measurement reads the printed characters line by line (their baseline), so a
token counts as whole only when all its characters stand on one line.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, load_case
from zhidu.model import Policy
from zhidu.render import RenderContext, get_renderer
from zhidu.render.pdf import convert_batch
from zhidu.views import PlanOptions, View, plan
from zhidu.views.cards import DutyCardView, DutyListView
from zhidu.views.diffview import DiffView
from zhidu.views.tokens import plain

pytestmark = pytest.mark.render

WORK = ROOT / "policy" / "gongyuan-aqsc"
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[View, Policy, Any]]:
    """Every card, the 责任清单 of both versions and the 修订对照表, through LibreOffice in one batch."""
    import pdfplumber

    old, new = load_case(WORK / "2024.1"), load_case(WORK / "2024.2")
    views: list[tuple[str, View, Policy]] = []
    for pol, tag in ((old, "2024.1"), (new, "2024.2")):
        opts = PlanOptions(previous=old) if pol is new else PlanOptions()
        for v in plan(pol, opts, products=["duty-card", "duty-list", "diff"]):
            views.append((f"{tag}/{v.name}", v, pol))
    docx = {
        key.replace("/", "_") + ".docx": get_renderer("docx")().render(v, RenderContext(pol))[0].data
        for key, v, pol in views
    }
    pdfs = convert_batch(list(docx.items()))
    return {
        key: (v, pol, pdfplumber.open(io.BytesIO(pdfs[key.replace("/", "_") + ".pdf"])))
        for key, v, pol in views
    }


def columns(pdf: Any) -> list[float]:
    """The x positions (pt) of the first table's vertical rules on page 1: its column boundaries."""
    page = pdf.pages[0]
    xs = {round(e["x0"]) for e in page.edges if e["orientation"] == "v" and e["height"] > 5 * PT_PER_MM}
    merged: list[float] = []
    for x in sorted(xs):
        if not merged or x - merged[-1] > 3:
            merged.append(x)
    return merged


def lines(pdf: Any, x: tuple[float, float] | None = None) -> list[tuple[int, float, str]]:
    """(page, bottom in mm, text) of every printed line, characters in x order, optionally of one column
    (x in pt); WORD JOINERs are not printed."""
    out: list[tuple[int, float, str]] = []
    for n, page in enumerate(pdf.pages, start=1):
        rows: dict[int, list[Any]] = {}
        for ch in page.chars:
            if x is not None and not (x[0] <= ch["x0"] and ch["x1"] <= x[1] + 1):
                continue
            if ch["text"].strip() and ch["text"] != "\u2060":
                rows.setdefault(round(ch["bottom"]), []).append(ch)
        for bottom in sorted(rows):
            chars = sorted(rows[bottom], key=lambda c: c["x0"])
            out.append((n, bottom / PT_PER_MM, "".join(c["text"] for c in chars)))
    return out


def whole(tokens: Counter[str], printed_lines: list[tuple[int, float, str]]) -> dict[str, tuple[int, int]]:
    """Tokens found on single lines fewer times than they are printed: {token: (found, expected)}."""
    text = [t for _, _, t in printed_lines]
    short = {}
    for tok, expected in tokens.items():
        found = sum(line.count(tok) for line in text)
        if found < expected:
            short[tok] = (found, expected)
    return short


def pages_in_order(printed_lines: list[tuple[int, float, str]], needles: list[str]) -> list[int]:
    """The page of each needle, found in reading order from where the previous one ended (texts repeat:
    书记's and 主任's shared duties have the same wording)."""
    text, owner = "", []
    for p, _, t in printed_lines:
        text += t
        owner += [p] * len(t)
    out, cursor = [], 0
    for needle in needles:
        at = text.find(needle, cursor)
        assert at >= 0, needle
        out.append(owner[at])
        assert owner[at + len(needle) - 1] == owner[at], ("split over pages", needle)
        cursor = at + len(needle)
    return out


def page_of(printed_lines: list[tuple[int, float, str]], needle: str) -> int:
    """The page whose lines, joined, contain `needle` (a cell's text may wrap over lines, never pages)."""
    pages = sorted({p for p, _, _ in printed_lines})
    hits = [p for p in pages if needle in "".join(t for q, _, t in printed_lines if q == p)]
    assert len(hits) >= 1, needle
    return hits[0]


def test_cards_fit_a_page_and_break_well(printed: dict[str, tuple[View, Policy, Any]]) -> None:
    counts: dict[str, int] = {}
    for key, (v, _pol, pdf) in printed.items():
        if v.product != "duty-card":
            continue
        data: DutyCardView = v.data
        counts[key] = len(pdf.pages)
        ls = lines(pdf)
        cols = columns(pdf)
        duty_col = lines(pdf, (cols[0], cols[1]))
        row_pages = [page_of(duty_col, re.sub(r"\s", "", d.text)) for d in data.duties]
        # No page holds fewer than three duty rows (a lone row or two at the top of a sheet is lost).
        for page, n in Counter(row_pages).items():
            assert n >= min(3, len(data.duties)), (key, page, n)
        sign = [p for p, _, t in ls if "责任人签名" in t]
        assert len(sign) == 1 and (not row_pages or sign[0] == row_pages[-1]), (key, sign, row_pages)
        # Rules to write on: two horizontal strokes of at least 25 mm on the signature's line.
        page = pdf.pages[sign[0] - 1]
        top = next(y for p, y, t in ls if "责任人签名" in t) * PT_PER_MM
        strokes = [
            r
            for r in (*page.lines, *page.rects)
            if abs(r["bottom"] - top) < 4 and (r["x1"] - r["x0"]) > 25 * PT_PER_MM and r["height"] < 2
        ]
        assert len(strokes) >= 2, (key, strokes)
        assert any("发放单位" in t and "鄂尔多斯市东胜区公园街道办事处" in t for _, _, t in ls), key
        # Duties in 五号 at least; citations, badges, bases, 追责 and 考核 in 小五 at least.
        sizes = Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars if c["text"].strip())
        assert min(sizes) >= 8.9, (key, sizes)
        duty_chars = [
            c
            for p in pdf.pages
            for c in p.chars
            if c["text"] in "".join(d.text for d in data.duties) and c["size"] >= 10
        ]
        assert len(duty_chars) >= sum(len(d.text) for d in data.duties) * 0.9, key
        # Tokens whole: every citation level, badge piece, basis reference and law name on one line.
        tokens: Counter[str] = Counter()
        for d in data.duties:
            tokens.update(d.cite)
            tokens.update(d.badges)
            tokens.update(d.basis_tokens)
        tokens.update(b.mark + b.name for b in data.laws)
        assert not whole(tokens, ls), (key, whole(tokens, ls))
    # One A4 page for every card but 其他分管负责人's (16 duties in 五号, truly two sheets; it breaks by the rules
    # above). The 办事处主任 card of 2024.2 ran to a second sheet: its 依据文件 line (the regulation's full title)
    # now keeps to two lines, and 黑体 in FandolHei (1.2 em lines, fonts.conf) is shorter than Noto Sans CJK SC
    # (1.448 em) under every citation token. Exact, so a change shows here.
    assert {k: n for k, n in counts.items() if n != 1} == {
        "2024.1/cards/R-QTFG": 2,
        "2024.2/cards/R-QTFG": 2,
    }
    assert len(counts) == 18


def test_card_head_cites_the_source_within_two_lines(
    printed: dict[str, tuple[View, Policy, Any]], tmp_path: Path
) -> None:
    """依据文件 cites 《标题》（文号） within two lines whatever the title's length, the 文号 never broken, so the
    办事处主任 card (the fullest one-page card) keeps to one A4 page: with the seed's title (48 字, 62 with
    the marks and 文号) and with 70-, 80- and 120-字 titles of a policy made here from 2024.2. Titles up to two
    lines of 小五 are cited whole; a longer one by its 文号 alone."""
    import pdfplumber

    src = WORK / "2024.2" / "regulation.yaml"
    seed_title = load_case(WORK / "2024.2").regulation.title
    extra = "关于进一步加强安全生产责任体系建设和落实全员安全生产责任制的实施意见" * 3
    titles = {f"t{n}": (seed_title + extra)[:n] for n in (70, 80, 120)}
    jobs: dict[str, tuple[View, Policy]] = {}
    for tag, title in titles.items():
        work = tmp_path / tag / "gongyuan-aqsc"
        shutil.copytree(WORK, work)
        text = src.read_text(encoding="utf-8")
        assert text.count(f"title: {seed_title}\n") == 1
        (work / "2024.2" / "regulation.yaml").write_text(
            text.replace(f"title: {seed_title}\n", f"title: {title}\n"), encoding="utf-8"
        )
        pol = load_case(work / "2024.2")
        assert len(pol.regulation.title) == int(tag[1:])
        (card,) = [v for v in plan(pol, PlanOptions(), products=["duty-card"]) if v.name == "cards/R-ZR"]
        jobs[tag] = (card, pol)
    docx = {
        f"{tag}.docx": get_renderer("docx")().render(v, RenderContext(pol))[0].data
        for tag, (v, pol) in jobs.items()
    }
    pdfs = {k: pdfplumber.open(io.BytesIO(b)) for k, b in convert_batch(list(docx.items())).items()}
    cases = {"seed": (printed["2024.2/cards/R-ZR"][2], seed_title)}
    cases.update({tag: (pdfs[f"{tag}.pdf"], t) for tag, t in titles.items()})
    doc_no = "东公政发〔2024〕41号"
    for tag, (pdf, title) in cases.items():
        assert len(pdf.pages) == 1, tag
        ls = lines(pdf)
        at = next(i for i, (_, _, t) in enumerate(ls) if t.startswith("依据文件："))
        head = [t for _, _, t in ls[at : at + 2]]
        # The 文号 whole on one line; the whole title when it fits two lines of 小五.
        assert any(doc_no in t for t in head), (tag, head)
        if tag == "t120":
            assert head[0] == f"依据文件：{doc_no}", (tag, head)
            assert head[1].startswith("岗位职责"), (tag, head)
        else:
            assert f"《{title}》（{doc_no}）" in "".join(head), (tag, head)
            # Nothing of the source line runs onto a third line: the next line is the 岗位职责 heading.
            assert ls[at + 2][2].startswith("岗位职责"), (tag, ls[at + 2])
        assert ls[at - 1][2].startswith("岗位：") and "说明：" in ls[at - 1][2], (tag, ls[at - 1])
    # The 责任清单 cites the seed's title whole, its 文号 unbroken on the line after it.
    list_lines = [t for _, _, t in lines(printed["2024.2/duty-list"][2])]
    at = next(i for i, t in enumerate(list_lines) if t.startswith("依据文件："))
    assert list_lines[at] == f"依据文件：《{seed_title}》" and list_lines[at + 1] == f"（{doc_no}）"


def test_duty_list_rows_never_split(printed: dict[str, tuple[View, Policy, Any]]) -> None:
    for tag in ("2024.1", "2024.2"):
        v, _pol, pdf = printed[f"{tag}/duty-list"]
        data: DutyListView = v.data
        ls = lines(pdf)
        cols = columns(pdf)
        code_col, text_col = lines(pdf, (cols[0], cols[1])), lines(pdf, (cols[1], cols[2]))
        rows = [(code, d) for g in data.groups for code, d in g.rows]
        # Each row's whole text on one page (pages_in_order checks), and on the page of its code.
        text_pages = dict(
            zip(
                [c for c, _ in rows],
                pages_in_order(text_col, [re.sub(r"\s", "", d.text) for _, d in rows]),
                strict=True,
            )
        )
        for g in data.groups:
            head_page = page_of(ls, f"{g.number}.{g.heading}".replace(" ", ""))
            for i, (code, _d) in enumerate(g.rows):
                pages = {p for p, _, t in code_col if t == code}
                text_page = text_pages[code]
                assert pages == {text_page}, (tag, code, pages, text_page)
                if i == 0:
                    # A group heading keeps with its first row.
                    assert head_page == text_page, (tag, g.heading)
        # At least 9 pt everywhere in the table; the ①–⑤ key replaces law names in the rows.
        sizes = [round(c["size"], 1) for p in pdf.pages for c in p.chars if c["text"].strip()]
        assert min(sizes) >= 8.9
        body = "".join(t for _, _, t in ls)
        assert body.count("《中华人民共和国安全生产法》") == 1
        tokens: Counter[str] = Counter()
        for g in data.groups:
            for code, d in g.rows:
                tokens.update([code, *d.cite, *d.badges, *d.basis_tokens])
                for c in d.liability_cites:
                    tokens.update(c)
        assert not whole(tokens, ls), (tag, whole(tokens, ls))
        # Ranges collapse: 八（四）2. … 八（四）9. reads 八（四）2—9, printed whole.
        cites = {plain(c) for g in data.groups for _, d in g.rows for c in d.liability_cites}
        assert "八（四）2—9" in cites and "八（四）3." not in cites
        assert "2—9" in body


def test_revision_table_speaks_to_readers(printed: dict[str, tuple[View, Policy, Any]]) -> None:
    v, _pol, pdf = printed["2024.2/revision-table"]
    data: DiffView = v.data
    ls = lines(pdf)
    body = "".join(t for _, _, t in ls)
    # No internal id anywhere: roles and duties by name and citation.
    assert not re.search(r"\b[A-Z]{1,3}-[0-9A-Z]", body), re.findall(r"[A-Z]{1,3}-[0-9A-Z-]+", body)
    assert "第三部分第（十一）项的职责" in body
    # Punctuation changes in words, not as marks inside quotes.
    assert "全文删去书名号之间的顿号" in body and "全文删去引号之间的顿号" in body
    assert "““”、“””" not in body
    # The notice text as a character diff in the small table, not two full texts joined by an arrow.
    assert "通知正文" in body and body.count("→") == 1  # the subtitle's 2024.1 版 → 2024.2 版 only
    assert data.meta and any(m.diffed for m in data.meta)
    # The version stamp at the foot of every page.
    code = v.stamp.code
    for n, page in enumerate(pdf.pages, start=1):
        foot = [t for p, y, t in ls if p == n and y > page.height / PT_PER_MM - 45]
        assert any(code in t for t in foot), (n, foot)
    # Rows fill pages: no page but the last ends with more than a quarter of its height blank.
    for n, page in enumerate(pdf.pages[:-1], start=1):
        body_lines = [y for p, y, t in ls if p == n and code not in t and not re.fullmatch(r"—\d+—", t)]
        assert max(body_lines) > page.height / PT_PER_MM * 0.6, (n, max(body_lines))
