"""Render checks: the .docx through LibreOffice, then the PDF measured from its text layer and its raster.

Lines per full page, characters per full line, page numbers, the 标志 position, the separator, 正文 on page 1 and on
the signature page, the 版记 at the bottom of the last page, and that every character of the source reached the PDF.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from zhidu.errors import VerifyInputError
from zhidu.layout import NO_BODY_MARK, cjk_width
from zhidu.units import mm_to_pt, pt_to_mm, tw_to_mm, tw_to_pt
from zhidu.verify.elements import PRINTED_RE
from zhidu.verify.facts import DocxFacts, clean
from zhidu.verify.report import VerifyReport
from zhidu.verify.xml_checks import XmlFacts


@dataclass
class PLine:
    """One visual line of a PDF page: its box in points from the top left, its text and its tallest glyph."""

    y0: float
    y1: float
    x0: float
    x1: float
    text: str
    height: float


def pdf_lines(pdf: Path) -> list[tuple[float, float, list[PLine]]]:
    """Lines per page from `pdftotext -bbox-layout`: (width, height, lines top to bottom) in points."""
    from lxml import etree

    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in root.iter("page"):
        words = []
        for wd in page.iter("word"):
            words.append(
                (
                    float(wd.get("ymin")),
                    float(wd.get("ymax")),
                    float(wd.get("xmin")),
                    float(wd.get("xmax")),
                    wd.text or "",
                )
            )
        words.sort(key=lambda x: (round(x[1]), x[2]))
        lines: list[PLine] = []
        for y0, y1, x0, x1, t in sorted(words, key=lambda x: (x[1], x[2])):
            # One baseline per visual line (words of different blocks included).
            if lines and abs(lines[-1].y1 - y1) < 2.5:
                ln = lines[-1]
                ln.x0, ln.x1 = min(ln.x0, x0), max(ln.x1, x1)
                ln.text += t
                ln.y0 = min(ln.y0, y0)
                ln.height = max(ln.height, y1 - y0)
            else:
                lines.append(PLine(y0, y1, x0, x1, t, y1 - y0))
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def _ppm_rows(pdf: Path, page: int, dpi: int) -> tuple[int, int, bytes]:
    data = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    # P6 header: magic, width, height, maxval, each separated by whitespace.
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4]


def _red_rows(w: int, h: int, px: bytes) -> list[int]:
    rows = []
    for y in range(h):
        row = px[y * w * 3 : (y + 1) * w * 3]
        cnt = 0
        for x in range(0, len(row), 3 * 2):
            if row[x] > 180 and row[x + 1] < 90 and row[x + 2] < 90:
                cnt += 1
        rows.append(cnt)
    return rows


def _dark_rows(w: int, h: int, px: bytes) -> list[int]:
    rows = []
    for y in range(h):
        row = px[y * w * 3 : (y + 1) * w * 3]
        rows.append(
            sum(1 for x in range(0, len(row), 6) if row[x] < 100 and row[x + 1] < 100 and row[x + 2] < 100)
        )
    return rows


def render_pdf(docx: Path, workdir: Path) -> Path:
    """Convert through LibreOffice with the project's fonts; raises VerifyInputError if it cannot."""
    from zhidu.errors import RenderError
    from zhidu.render.pdf import convert_batch

    try:
        out = convert_batch([(docx.name, docx.read_bytes())], jobs=1)
    except RenderError as e:
        raise VerifyInputError(str(e)) from e
    pdf = workdir / (docx.stem + ".pdf")
    pdf.write_bytes(next(iter(out.values())))
    return pdf


def render_checks(f: DocxFacts, facts: XmlFacts, pdf: Path, rep: VerifyReport) -> None:
    """Measure the LibreOffice PDF."""
    pages = pdf_lines(pdf)
    mar = facts.margins
    top = tw_to_pt(mar.top or 2098)
    bottom_mm = tw_to_mm(mar.bottom or 1984)
    left = tw_to_pt(mar.left or 1587)
    pw, ph, _ = pages[0]
    area_bottom = ph - tw_to_pt(mar.bottom or 1984)
    right = pw - tw_to_pt(mar.right or 1474)
    char_pt = 15.75
    el = facts.elements

    def body_lines(lines: list[PLine]) -> list[PLine]:
        return [ln for ln in lines if ln.y1 <= area_bottom + 4 and ln.y0 >= top - 8]

    def footer_lines(lines: list[PLine]) -> list[PLine]:
        return [ln for ln in lines if ln.y0 > area_bottom + 4]

    # Lines per full page: pages between the first and the last that run to the 版心 bottom (a page ended by a
    # page break stops more than two lines short). The pitch shows whether the 22 lines fill the 版心.
    full = []
    pitches = []
    for i, (_, _, lines) in enumerate(pages):
        bl = body_lines(lines)
        if (
            0 < i < len(pages) - 1
            and len(bl) > 1
            # within one line of the bottom: a page ended early to keep a heading with its text is not full
            and area_bottom - bl[-1].y1 < 27
            and all(ln.height < 24 for ln in bl)
        ):
            full.append((i + 1, len(bl)))
            pitches.append((bl[-1].y1 - bl[0].y1) / (len(bl) - 1))
    bad = [f"第{p}页{n}行" for p, n in full if n != 22]
    counts = Counter(n for _, n in full)
    pitch = min(pitches) if pitches else 0.0
    fills = pitch >= 28.5  # 579 tw = 28.95 pt measures 28.88–28.95 on glyph boxes; 28 pt leading is 28.0
    rep.add(
        "render.lines",
        "5.2.3",
        "整页22行并撑满版心",
        bool(full) and not bad and fills,
        f"{len(full)}个整页："
        + ("，".join(f"{n}行×{c}" for n, c in sorted(counts.items())) or "无")
        + f"；行距{pitch:.2f}磅"
        + (f"；不符：{'、'.join(bad[:5])}" if bad else ""),
        "每个整页22行，行距≈28.95磅",
    )
    # Characters per full line: lines that span the 版心 from the left edge to the right edge.
    widths: Counter[float] = Counter()
    for _, _, lines in pages:
        for ln in body_lines(lines):
            if ln.height < 24 and abs(ln.x0 - left) < 3 and right - ln.x1 < char_pt * 0.9:
                widths[cjk_width(ln.text)] += 1
    if widths:
        mode = widths.most_common(1)[0][0]
        # The text layer drops U+3000, so a line may read half a character short or long around digits.
        ok = 27.5 <= mode <= 28.5
        rep.add(
            "render.chars",
            "5.2.3",
            "整行28字",
            ok,
            "众数 " + f"{mode:g}字；" + "，".join(f"{k:g}字×{v}" for k, v in sorted(widths.items())),
            "28字",
        )
    else:
        rep.add("render.chars", "5.2.3", "整行28字", False, "未找到整行", "28字")

    # Page numbers.
    bad_pn, seen = [], 0
    for i, (_, _, lines) in enumerate(pages):
        fl = [ln for ln in footer_lines(lines) if ln.text.strip()]
        n = i + 1
        if not fl:
            bad_pn.append(f"第{n}页无页码")
            continue
        ln = fl[0]
        m = re.match(r"^—\s*(\d+)\s*—$", ln.text.strip())
        if not m or int(m.group(1)) != n:
            bad_pn.append(f"第{n}页“{ln.text.strip()}”")
            continue
        seen += 1
        one = 14.0
        if n % 2:
            side_ok = abs((right - ln.x1) - one) <= mm_to_pt(2) + 1
        else:
            side_ok = abs((ln.x0 - left) - one) <= mm_to_pt(2) + 1
        if not side_ok:
            bad_pn.append(f"第{n}页位置 x={ln.x0:.0f}–{ln.x1:.0f}")
    rep.add(
        "render.page_numbers",
        "7.5",
        "页码“— n —”单右双左空一字",
        not bad_pn,
        f"{seen}/{len(pages)}页正确" + (f"；{'；'.join(bad_pn[:4])}" if bad_pn else ""),
        "— n —，单页居右、双页居左空一字",
    )

    # 标志 position: the first red ink row on page 1.
    dpi = 150
    w, h, px = _ppm_rows(pdf, 1, dpi)
    red = _red_rows(w, h, px)
    mm_per_px = 25.4 / dpi
    red_ys = [y for y, c in enumerate(red) if c >= 2]
    if red_ys and el.mark is not None:
        top_mm = red_ys[0] * mm_per_px - pt_to_mm(top)
        rep.add(
            "render.mark",
            "7.2.4",
            "标志上边缘距版心上边缘35mm",
            abs(top_mm - 35) <= 1.0,
            f"{top_mm:.1f}mm",
            "35mm±1mm",
        )
    elif el.mark is not None:
        rep.add("render.mark", "7.2.4", "标志上边缘距版心上边缘35mm", False, "页1无红色标志", "35mm±1mm")
    # Separator: the widest red row run; 4 mm below the 发文字号's ink.
    wide = [y for y, c in enumerate(red) if c > w / 2 * 0.5]
    if wide:
        sep = wide[0]
        dark = _dark_rows(w, h, px)
        above = [y for y in range(sep - 1, max(0, sep - int(25 / mm_per_px)), -1) if dark[y] > 0]
        if above:
            gap = (sep - above[0] - 1) * mm_per_px
            rep.add(
                "render.separator",
                "7.2.7",
                "分隔线在发文字号下4mm",
                abs(gap - 4) <= 1.0,
                f"{gap:.1f}mm",
                "4mm±1mm",
            )
    # 正文 on page 1 and on the signature page.
    fb = el.first_body
    if fb is not None:
        probe = clean(fb.text)[:8]
        p1 = clean("".join(ln.text for ln in pages[0][2]))
        rep.add(
            "render.body_p1",
            "7.3.3",
            "首页显示正文",
            probe in p1,
            f"“{probe}”{'在' if probe in p1 else '不在'}首页",
            "首页有正文",
        )
    sig, date = el.signature, el.date
    if date is not None:
        dt_text = clean(date.text)
        sig_page = None
        for i, (_, _, lines) in enumerate(pages):
            for j, ln in enumerate(body_lines(lines)):
                if clean(ln.text) == dt_text:
                    sig_page = (i, j)
                    break
            if sig_page:
                break
        if sig_page is None:
            rep.add("render.signature_page", "7.3.5", "成文日期页有正文", False, "PDF中未找到成文日期", "")
        else:
            i, j = sig_page
            bl = body_lines(pages[i][2])
            sig_text = clean(sig.text) if sig is not None else ""
            body_above = [ln for ln in bl[:j] if clean(ln.text) and clean(ln.text) != sig_text]
            marked = [clean(ln.text) for ln in body_above] == [clean(NO_BODY_MARK)]
            rep.add(
                "render.signature_page",
                "7.3.5 / 7.3.3",
                "署名页有正文",
                bool(body_above),
                f"第{i + 1}页，标注{NO_BODY_MARK}"
                if marked
                else f"第{i + 1}页，日期上方正文{len(body_above)}行",
                f"≥1行正文，或标注{NO_BODY_MARK}",
            )
    # 版记 at the bottom of the last page: the lowest dark rule on the 版心 bottom edge.
    if el.printed is not None:
        w2, h2, px2 = _ppm_rows(pdf, len(pages), dpi)
        dark = _dark_rows(w2, h2, px2)
        rules = [y for y, c in enumerate(dark) if c > w2 / 2 * 0.6]
        last_text = clean(pages[-1][2][-1].text) if pages[-1][2] else ""
        on_last = any(PRINTED_RE.search(clean(ln.text)) for ln in pages[-1][2])
        cc_ok, cc_note = True, ""
        cc = el.cc
        if cc is not None and on_last:
            # 7.4.2: 抄送 sits on the line(s) directly above the 印发 line, not inline after the text.
            lines = pages[-1][2]
            pr_y = next(ln.y1 for ln in lines if PRINTED_RE.search(clean(ln.text)))
            cc_y = next((ln.y1 for ln in lines if clean(ln.text).startswith(clean(cc.text)[:4])), None)
            cc_ok = cc_y is not None and 0 < pr_y - cc_y <= 3 * 29
            cc_note = f"；抄送{'紧邻' if cc_ok else '未紧邻'}印发行"
        if rules:
            y_mm = (rules[-1] + 1) * mm_per_px
            dist = (297 - bottom_mm) - y_mm
            rep.add(
                "render.imprint",
                "7.4.1",
                "版记末条分隔线与版心下边缘重合",
                on_last and abs(dist) <= 1.5 and cc_ok,
                f"末线距版心下边缘{dist:+.1f}mm；印发行{'在' if on_last else '不在'}末页{cc_note}",
                "±1.5mm，且在末页",
            )
        else:
            rep.add(
                "render.imprint",
                "7.4.1",
                "版记末条分隔线与版心下边缘重合",
                False,
                f"末页未见分隔线（末行：{last_text[:12]}）",
                "版记线在版心下边缘",
            )
    # Every character of the source reaches the PDF (LibreOffice 7.4 drops hanging line-final “，”/“、”).
    txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    pdf_chars = Counter(c for c in txt if not c.isspace() and c != "\u3000")
    for ln_chars in _page_number_chars(pages):
        pdf_chars -= ln_chars
    missing = f.source_chars() - pdf_chars
    n_missing = sum(missing.values())
    rep.add(
        "render.complete",
        "5.2.3 / 7.3.3",
        "PDF 文字完整（无丢失字符）",
        n_missing == 0,
        "全部在"
        if not n_missing
        else f"缺 {n_missing} 个：" + "".join(f"{c}×{k}" for c, k in missing.most_common(8)),
        "源文件每个字符都在PDF中",
    )


def _page_number_chars(pages: list[tuple[float, float, list[PLine]]]) -> list[Counter[str]]:
    out = []
    for _, ph, lines in pages:
        for ln in lines:
            if ln.y0 > ph - mm_to_pt(35) and re.match(r"^—\s*\d+\s*—$", ln.text.strip()):
                out.append(Counter(c for c in ln.text if not c.isspace()))
    return out
