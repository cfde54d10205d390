"""The notice read page by page as a secretary would, measured in LibreOffice PDFs of both seed versions in both
profiles: 署名 with the last 正文 line, （此页无正文） only alone, no heading as a page's last line, the regulation on a
new page, titles in shape, run-on items in two faces, and the 信函格式 geometry of GB/T 9704 10.1."""

from __future__ import annotations

import io
import re
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, load_case
from tests.verify.conftest import broken
from zhidu.layout import NO_BODY_MARK, cjk_width
from zhidu.numbering import cn_date
from zhidu.render import RenderContext
from zhidu.render.docx.titles import is_trapezoid_or_diamond
from zhidu.verify import run_verify
from zhidu.verify.pdf_checks import PLine, pdf_lines
from zhidu.views import plan

VERSIONS = ("2024.1", "2024.2")
PROFILES = ("standard", "letter")
BOTTOM = 841.9 - 35 * 72 / 25.4  # 版心 bottom in points
TOP = 37 * 72 / 25.4
LEFT = 28 * 72 / 25.4
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．])")


def _docx(version: str, profile: str) -> bytes:
    from zhidu.render.docx import DocxRenderer

    policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / version)
    view = plan(policy, products=["notice"])[0]
    return DocxRenderer().render(view, RenderContext(policy, profile=profile))[0].data


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The four notices as .docx and PDF, converted in one LibreOffice batch."""
    from zhidu.render.pdf import convert_batch

    out = tmp_path_factory.mktemp("pages")
    items = []
    for v in VERSIONS:
        for p in PROFILES:
            data = _docx(v, p)
            (out / f"{v}-{p}.docx").write_bytes(data)
            items.append((f"{v}-{p}.docx", data))
    for name, pdf in convert_batch(items, jobs=2).items():
        (out / name).write_bytes(pdf)
    return {(v, p): out / f"{v}-{p}.pdf" for v in VERSIONS for p in PROFILES}


def _pages(pdf: Path) -> list[list[PLine]]:
    return [
        [ln for ln in lines if ln.y1 <= BOTTOM + 4 and ln.y0 >= TOP - 8] for _, _, lines in pdf_lines(pdf)
    ]


CASES = [(v, p) for v in VERSIONS for p in PROFILES]
#: A level-1 or level-2 number; the as-issued 2024.1 keeps one "(一)" typed with ASCII brackets.
LEVEL_1_2 = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_no_heading_or_title_ends_a_page(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    pages = _pages(rendered[version, profile])
    for i, lines in enumerate(pages[:-1]):
        last, nxt = lines[-1], pages[i + 1][0]
        assert last.height < 24, f"page {i + 1} ends with a title line: {last.text}"
        if HEADING.match(last.text) and nxt.x0 - LEFT > 20:
            # the heading paragraph ended on this page: it must not be a bare heading
            assert last.text.rstrip().endswith(("。", "；")), f"page {i + 1} ends with heading {last.text}"


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_regulation_starts_a_new_page_with_its_full_title(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    pages = _pages(rendered[version, profile])
    policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / version)
    title = policy.regulation.title
    starts = [i for i, lines in enumerate(pages) if lines and lines[0].height >= 24 and i > 0]
    assert len(starts) == 1
    i = starts[0]
    title_lines = [ln for ln in pages[i] if ln.height >= 24]
    assert "".join(ln.text for ln in title_lines) == title
    # the title opens the page; the text that follows starts on the same page
    assert pages[i][0].y1 < TOP + 40 and len(pages[i]) > len(title_lines) + 5
    if version == "2024.2":
        assert title.startswith("东胜区公园街道办事处安全生产") and title.endswith("责任分工")
        widths = [cjk_width(ln.text) for ln in title_lines]
        assert len(widths) == 3 and is_trapezoid_or_diamond(widths)
    else:
        assert title == "工作制度"  # the record as issued keeps its typing loss


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_signature_on_the_last_body_page_or_alone_under_the_mark(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    pages = _pages(rendered[version, profile])
    policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / version)
    assert policy.notice is not None
    sig = policy.notice.signature
    date = cn_date(policy.notice.date)
    [page] = [i for i, lines in enumerate(pages) if any(ln.text == date for ln in lines)]
    texts = [ln.text for ln in pages[page]]
    at = texts.index(date)
    assert texts[at - 1] == sig  # 署名 directly above the date
    body_p1 = policy.notice.body[0][:10]
    if NO_BODY_MARK in texts:
        # alone: nothing but the mark, the 署名 and the date; the page before had no room for them
        assert texts == [NO_BODY_MARK, sig, date]
        assert pages[page][0].x0 - LEFT > 25  # 2 字 in, like a 正文 paragraph
        assert BOTTOM - pages[page - 1][-1].y1 < 3 * 28.95
    else:
        # the last 正文 line is on the signature page, above the 署名
        body_end = policy.notice.body[-1][-6:]
        assert any(t.endswith(body_end) for t in texts[: at - 1])
        assert all(NO_BODY_MARK not in "".join(ln.text for ln in p) for p in pages)
    # page 1 shows 正文 (7.3.3)
    assert body_p1[:8] in "".join(ln.text for ln in pages[0])


@pytest.mark.render
def test_2024_2_standard_signature_page_is_the_fallback(rendered: dict[tuple[str, str], Path]) -> None:
    # Page 1 of 东公政发〔2024〕41号 is full to its last line: the 署名 and date cannot join it (measured).
    pages = _pages(rendered["2024.2", "standard"])
    assert BOTTOM - pages[0][-1].y1 < 28.95  # not one more line fits
    assert pages[1][0].text == NO_BODY_MARK


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_notice_title_lines_in_shape(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    lines = [ln for ln in _pages(rendered[version, profile])[0] if ln.height >= 24 and ln.height < 35]
    widths = [cjk_width(ln.text) for ln in lines]
    assert len(widths) == 3 and is_trapezoid_or_diamond(widths), [ln.text for ln in lines]
    assert not any(ln.text.endswith("贯彻") for ln in lines)
    for ln in lines:  # centred, inside the 版心
        assert ln.x0 >= LEFT - 2 and abs((ln.x0 + ln.x1) / 2 - (LEFT + 442.2 / 2)) < 6


@pytest.mark.render
@pytest.mark.parametrize("version", VERSIONS)
def test_letter_geometry_in_mm(rendered: dict[tuple[str, str], Path], version: str, tmp_path: Path) -> None:
    p = tmp_path / "letter.docx"
    p.write_bytes(_docx(version, "letter"))
    rep = run_verify(p, render=True)
    bad = [(c.id, c.measured) for c in rep.checks if c.status != "pass"]
    assert bad == []
    assert "按信函格式（10.1）检查（自动识别）" in rep.notes
    [letter] = [c for c in rep.checks if c.id == "render.letter"]
    nums = [float(x) for x in re.findall(r"(\d+\.\d)(?:mm|字)", letter.measured)]
    gap, length, left, foot, foot_len, doc_gap, doc_in = nums
    assert abs(gap - 4) <= 1 and abs(length - 170) <= 1 and abs(left - 20) <= 1
    assert abs(foot - 20) <= 1 and abs(foot_len - 170) <= 1
    assert abs(doc_gap - 4.9) <= 0.6 and abs(doc_in - 1) <= 0.2
    assert "上粗下细" in letter.measured and "上细下粗" in letter.measured
    [mark] = [c for c in rep.checks if c.id == "render.mark"]
    assert mark.clause == "10.1" and abs(float(mark.measured.removesuffix("mm")) - 30) <= 1
    # 10.1 drops the 印发 line on purpose: no warning demands it
    [printed] = [c for c in rep.checks if c.id == "imprint.printed"]
    assert printed.status == "pass" and printed.clause == "10.1"


@pytest.mark.render
def test_run_on_items_in_two_faces_in_the_pdf(rendered: dict[tuple[str, str], Path]) -> None:
    import pdfplumber

    # （九）建立完善…长效机制。 is the heading sentence (楷体); 定期组织开展… runs on in 仿宋.
    with pdfplumber.open(rendered["2024.1", "standard"]) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    at = text.index("（九）建立完善安全生产监督管理")
    head_end = text.index("长效机制。", at) + len("长效机制。")
    head_fonts = {c["fontname"].split("+")[-1] for c in chars[at + 3 : head_end]}
    rest_fonts = {c["fontname"].split("+")[-1] for c in chars[head_end : head_end + 10]}
    assert len(head_fonts) == 1 and len(rest_fonts) == 1 and head_fonts != rest_fonts
    assert any("Kai" in f for f in head_fonts) and any("Fang" in f for f in rest_fonts)


def _parts(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def test_headings_keep_with_next_and_run_on_items_split_in_the_docx() -> None:
    doc = _parts(_docx("2024.1", "standard"))
    paras = re.findall(r"<w:p>.*?</w:p>|<w:p [^>]*>.*?</w:p>", doc, flags=re.S)
    heading = next(p for p in paras if "八、" in p and "安全生产责任追究" in p)
    assert "<w:keepNext/>" in heading
    runon = next(p for p in paras if "（九）建立完善" in p)
    faces = re.findall(r'w:eastAsia="([^"]+)"', runon)
    assert faces[:2] == ["楷体_GB2312", "仿宋_GB2312"]
    title = [p for p in paras if "ZhiduTitle" in p][-1]  # the regulation's title
    assert "<w:pageBreakBefore/>" in title and "<w:keepNext/>" in title


@pytest.mark.render
def test_verify_finds_an_orphan_heading_and_a_crowded_mark_page(tmp_path: Path) -> None:
    # A page break after "八、安全生产责任追究" strands the heading; dropping the regulation's page break puts
    # text on the （此页无正文） page of 2024.2.
    orphan = broken.mutate(
        _docx("2024.1", "standard"),
        broken._sub(
            "word/document.xml",
            r"<w:keepNext/><w:keepLines/>(</w:pPr><w:r>.{0,300}?八、安全生产责任追究</w:t></w:r></w:p>"
            r"<w:p><w:pPr><w:pStyle w:val=\"\w+\"/>)",
            r"\1<w:pageBreakBefore/>",
            count=1,
        ),
    )
    p = tmp_path / "orphan.docx"
    p.write_bytes(orphan)
    rep = run_verify(p, render=True)
    [c] = [c for c in rep.checks if c.id == "render.orphan_heading"]
    assert c.status == "fail" and "八、安全生产责任追究" in c.measured
    crowded = broken.mutate(
        _docx("2024.2", "standard"),
        broken._sub(
            "word/document.xml", r"(ZhiduTitle\"/><w:keepNext/><w:keepLines/>)<w:pageBreakBefore/>", r"\1"
        ),
    )
    p2 = tmp_path / "crowded.docx"
    p2.write_bytes(crowded)
    rep2 = run_verify(p2, render=True)
    [m] = [c for c in rep2.checks if c.id == "render.no_body_mark"]
    assert m.status == "fail" and "另有" in m.measured


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_heading_lines_sit_on_the_line_grid(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    import pdfplumber

    # 579 tw = 28.95 pt from baseline to baseline, whatever the face: a 黑体 or 楷体 heading sits on the grid as
    # the 仿宋 lines do (with faces of other vertical metrics it sat 27.4 pt below one line and 30.5 above the next).
    steps: list[tuple[float, str]] = []
    with pdfplumber.open(rendered[version, profile]) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict[str, object]]] = {}
            for c in page.chars:
                if 15 <= float(c["size"]) <= 17:  # 三号 text only: titles and page numbers are off the grid
                    rows.setdefault(round(float(page.height) - float(c["matrix"][5]), 1), []).append(c)
            base = sorted(rows)
            for a, b in pairwise(base):
                if b - a < 40:  # consecutive lines (a blank line or a title in between is skipped)
                    faces = {str(c["fontname"]).split("+")[-1].split("-")[0] for c in rows[b] + rows[a]}
                    steps.append((round(b - a, 1), "/".join(sorted(faces))))
    off = [(d, f) for d, f in steps if abs(d - 28.95) > 0.2]
    assert len(steps) > 200
    assert off == []
    assert any("FandolKai" in f for _, f in steps) and any("FandolHei" in f for _, f in steps)


@pytest.mark.render
@pytest.mark.parametrize(("version", "profile"), CASES)
def test_every_level_1_and_level_2_heading_has_grid_spacing_above_and_below(
    rendered: dict[tuple[str, str], Path], version: str, profile: str
) -> None:
    """Issue 16 item 6: "（一）党政办公室" sat 27.4 pt below the line above and 30.5 pt above the next."""
    import docx
    import pdfplumber

    pitch = 28.95  # 579 tw
    styles = [
        p.style.style_id for p in docx.Document(rendered[version, profile].with_suffix(".docx")).paragraphs
    ]
    want = {"黑体": styles.count("ZhiduLevel1"), "楷体": styles.count("ZhiduLevel2")}
    found = {"黑体": 0, "楷体": 0}
    issue: list[float] = []
    with pdfplumber.open(rendered[version, profile]) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict[str, Any]]] = {}
            for c in page.chars:
                if 15 <= float(c["size"]) <= 17:  # 三号 lines; titles and page numbers are another size
                    rows.setdefault(round(float(page.height) - float(c["matrix"][5]), 2), []).append(c)
            base = sorted(rows)
            for i, y in enumerate(base):
                first = min(rows[y], key=lambda c: float(c["x0"]))
                face = str(first["fontname"])
                text = "".join(str(c["text"]) for c in sorted(rows[y], key=lambda c: float(c["x0"])))
                number = LEVEL_1_2.match(text)
                if number is None or "FandolFang" in face:  # a heading's number is in the heading face
                    continue
                kind = "黑体" if number.group(1).endswith("、") else "楷体"
                found[kind] += 1
                gaps = [y - base[i - 1]] if i else []
                gaps += [base[i + 1] - y] if i + 1 < len(base) else []
                assert gaps, text
                for gap in gaps:
                    # one line of the grid, or several where a blank line or a title lies between
                    assert abs(gap - round(gap / pitch) * pitch) <= 0.5 and gap > pitch - 0.5, (text, gap)
                if text.startswith("（一）党政办公室"):
                    issue.extend(gaps)
    assert found == want and want["黑体"] >= 8 and want["楷体"] >= 58
    assert len(issue) == 2 and all(abs(g - pitch) <= 0.5 for g in issue), issue
