"""Page-level checks a secretary makes, and the 信函格式 (GB/T 9704 10.1), measured in the rendered PDF.

Page by page: no heading or title as a page's last line, （此页无正文） only on a page holding nothing but the
署名 and 成文日期 (and only when the page before had no room), and for a letter the red double lines, the 标志 and
the 发文字号 in millimetres. `detect_profile` tells a letter from a 通用格式 document by its red double line.
"""

from __future__ import annotations

import re
from pathlib import Path

from zhidu.layout import NO_BODY_MARK
from zhidu.units import pt_to_mm, tw_to_pt
from zhidu.verify.facts import DocxFacts, W, clean
from zhidu.verify.pdf_checks import PLine, _ppm_rows, pdf_lines
from zhidu.verify.report import Check, VerifyReport
from zhidu.verify.xml_checks import XmlFacts

PROFILES = ("auto", "standard", "letter")
#: Border styles that draw two lines (10.1 上粗下细 / 上细下粗 double lines).
_DOUBLE = re.compile(r"^(double|thickThin\w*|thinThick\w*)$")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]|（\d+）)")
_TERMINAL = ("。", "；", "！", "？", "…")


def _red(col: str | None) -> bool:
    if not col or len(col) != 6:
        return False
    try:
        r, g, b = int(col[:2], 16), int(col[2:4], 16), int(col[4:], 16)
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


def red_double_borders(f: DocxFacts) -> list[tuple[int, str, str]]:
    """(paragraph index, side, style) of every red double-line paragraph border in the body."""
    out = []
    for p in f.paras:
        for ppr in f.para_pprs(p.element):
            if ppr is None:
                continue
            for side in ("top", "bottom"):
                b = ppr.find(f"{W}pBdr/{W}{side}")
                if b is not None and _DOUBLE.match(b.get(W + "val", "")) and _red(b.get(W + "color")):
                    out.append((p.index, side, b.get(W + "val", "")))
            break
    return out


def detect_profile(f: DocxFacts) -> str:
    """'letter' when the document draws a red double line (信函格式 10.1), else 'standard'."""
    return "letter" if red_double_borders(f) else "standard"


def _replace(rep: VerifyReport, check_id: str, new: Check | None) -> None:
    """Swap a check of the 通用格式 for its 信函格式 counterpart (or drop it when 10.1 has none)."""
    for i, c in enumerate(rep.checks):
        if c.id == check_id:
            if new is None:
                del rep.checks[i]
            else:
                rep.checks[i] = new
            return
    if new is not None:
        rep.checks.append(new)


def letter_xml_checks(f: DocxFacts, rep: VerifyReport) -> None:
    """10.1 in the package: a thick-over-thin red double line under the 标志, thin-over-thick at the foot, and no
    印发 line (10.1 drops it on purpose, so 7.4.3 is not demanded)."""
    borders = red_double_borders(f)
    top = [b for b in borders if b[1] == "bottom" and b[2].startswith("thickThin")]
    # The first-named line lies towards the text: thickThin under the 标志 is thick above; on the foot line's
    # top border it is thin above and thick below.
    foot = [b for b in borders if b[1] == "top" and b[2].startswith("thickThin")]
    rep.checks = [c for c in rep.checks if c.id not in ("head.separator",)]
    rep.add(
        "letter.lines",
        "10.1",
        "标志下上粗下细、页脚上细下粗红色双线",
        bool(top and foot),
        f"上双线{'有' if top else '无'}，下双线{'有' if foot else '无'}",
        "两条红色双线",
    )
    for c in list(rep.checks):
        if c.id == "imprint.printed" and c.status != "pass":
            _replace(
                rep,
                "imprint.printed",
                Check(
                    "imprint.printed",
                    "10.1",
                    "信函格式不加印发机关和印发日期",
                    "pass",
                    "无印发行",
                    "无印发行",
                ),
            )


def _body(lines: list[PLine], top: float, bottom: float) -> list[PLine]:
    return [ln for ln in lines if ln.y1 <= bottom + 4 and ln.y0 >= top - 8 and clean(ln.text)]


def page_checks(f: DocxFacts, facts: XmlFacts, pdf: Path, rep: VerifyReport) -> None:
    """Orphan headings and titles, and the （此页无正文） mark, page by page."""
    pages = pdf_lines(pdf)
    mar = facts.margins
    top = tw_to_pt(mar.top or 2098)
    _, ph, _ = pages[0]
    bottom = ph - tw_to_pt(mar.bottom or 1984)
    left = tw_to_pt(mar.left or 1587)
    pitch = 28.95
    bodies = [_body(lines, top, bottom) for _, _, lines in pages]
    orphans = []
    for i, bl in enumerate(bodies[:-1]):
        if not bl:
            continue
        last, t = bl[-1], clean(bl[-1].text)
        # A heading ends its paragraph on this line when the next page opens a new paragraph (indented or a
        # heading), not a flush-left continuation of the same one.
        nxt = bodies[i + 1][0] if bodies[i + 1] else None
        ends = nxt is None or nxt.x0 - left > 20 or nxt.height >= 24
        if last.height >= 24 or (_HEADING.match(t) and ends and not t.endswith(_TERMINAL)):
            orphans.append(f"第{i + 1}页末行“{t[:14]}”")
    rep.add(
        "render.orphan_heading",
        "7.3.1 / 7.3.3",
        "标题、层次标题不作页末行",
        not orphans,
        "无" if not orphans else "；".join(orphans[:4]),
        "标题与其后正文同页",
    )
    el = facts.elements
    names = {clean(p.text) for p in (el.signature, el.date) if p is not None}
    mark = clean(NO_BODY_MARK)
    bad = []
    marked = 0
    for i, bl in enumerate(bodies):
        texts = [clean(ln.text) for ln in bl]
        if mark not in texts:
            continue
        marked += 1
        others = [t for t in texts if t != mark and t not in names]
        if others:
            bad.append(f"第{i + 1}页另有“{others[0][:10]}”等{len(others)}行")
        prev = bodies[i - 1] if i else []
        room = bottom - prev[-1].y1 if prev else bottom - top
        if room >= 3 * pitch:
            bad.append(f"第{i}页尚余{room / pitch:.0f}行，署名可排在正文页")
    rep.add(
        "render.no_body_mark",
        "7.3.5.5",
        f"{NO_BODY_MARK}页只有署名和日期",
        not bad,
        ("未使用" if not marked else f"{marked}页，仅署名和日期") if not bad else "；".join(bad[:3]),
        "前页排不下署名时方用，且该页无其他文字",
    )


def _red_bands(pdf: Path, dpi: int) -> tuple[int, int, list[tuple[int, int, int, int]], list[int]]:
    """Rows of red ink on page 1: bands (first row, last row, left px, right px) of long rules, and per-row counts."""
    w, h, px = _ppm_rows(pdf, 1, dpi)
    counts, spans = [], []
    for y in range(h):
        row = px[y * w * 3 : (y + 1) * w * 3]
        xs = [x // 3 for x in range(0, len(row), 3) if row[x] > 180 and row[x + 1] < 90 and row[x + 2] < 90]
        counts.append(len(xs))
        spans.append((xs[0], xs[-1]) if xs else (0, 0))
    bands: list[tuple[int, int, int, int]] = []
    for y, c in enumerate(counts):
        if c > w * 0.5:
            if bands and bands[-1][1] == y - 1:
                a, _, x0, x1 = bands[-1]
                bands[-1] = (a, y, min(x0, spans[y][0]), max(x1, spans[y][1]))
            else:
                bands.append((y, y, spans[y][0], spans[y][1]))
    return w, h, bands, counts


def letter_render_checks(f: DocxFacts, facts: XmlFacts, pdf: Path, rep: VerifyReport) -> None:
    """10.1 measured on page 1 in millimetres: 标志 30 mm from the top, the double lines (170 mm, centred; thick
    over thin 4 mm under the 标志; thin over thick 20 mm above the foot), the 发文字号 7/8 字 under the line, right
    with 1 字 in; page numbers from page 2 on."""
    dpi = 200
    mm = 25.4 / dpi
    w, h, bands, counts = _red_bands(pdf, dpi)
    pages = pdf_lines(pdf)
    problems: list[str] = []
    measured: list[str] = []
    red_rows = [y for y, c in enumerate(counts) if c >= 2]
    mark_top = red_rows[0] * mm if red_rows else -1.0
    _replace(
        rep,
        "render.mark",
        Check(
            "render.mark",
            "10.1",
            "标志上边缘距上页边30mm",
            "pass" if abs(mark_top - 30) <= 1 else "fail",
            f"{mark_top:.1f}mm",
            "30mm±1mm",
        ),
    )
    upper = [b for b in bands if b[0] * mm < 148]
    lower = [b for b in bands if b[0] * mm >= 148]
    if len(upper) != 2 or len(lower) != 2:
        problems.append(f"双线条数：上{len(upper)}、下{len(lower)}")
    else:
        (a0, a1, ax0, ax1), (b0, b1, _, _) = upper
        thick_top = (a1 - a0) > (b1 - b0)
        mark_rows = [y for y in red_rows if y < a0 and counts[y] < w * 0.5]
        gap = (a0 - mark_rows[-1] - 1) * mm if mark_rows else -1.0
        length = (ax1 - ax0 + 1) * mm
        left = ax0 * mm
        measured.append(
            f"上双线距标志{gap:.1f}mm、长{length:.1f}mm、左起{left:.1f}mm、{'上粗下细' if thick_top else '上细下粗'}"
        )
        if not thick_top:
            problems.append("上双线应上粗下细")
        if abs(gap - 4) > 1:
            problems.append(f"上双线距标志{gap:.1f}mm")
        if abs(length - 170) > 2 or abs(left - 20) > 2:
            problems.append(f"上双线长{length:.1f}mm、左起{left:.1f}mm")
        (c0, c1, cx0, cx1), (d0, d1, _, _) = lower
        from_bottom = (h - c0) * mm
        thin_top = (c1 - c0) < (d1 - d0)
        measured.append(
            f"下双线距下页边{from_bottom:.1f}mm、长{(cx1 - cx0 + 1) * mm:.1f}mm、{'上细下粗' if thin_top else '上粗下细'}"
        )
        if not thin_top:
            problems.append("下双线应上细下粗")
        if abs(from_bottom - 20) > 1:
            problems.append(f"下双线距下页边{from_bottom:.1f}mm")
        # 发文字号: below the upper line, 7/8 of a 三号 character (4.9 mm) from it, 1 字 in from the 版心 right.
        dn = facts.elements.doc_no
        line = next((ln for ln in pages[0][2] if dn is not None and clean(ln.text) == clean(dn.text)), None)
        if line is None:
            problems.append("PDF首页未找到发文字号")
        else:
            w2, h2, px = _ppm_rows(pdf, 1, dpi)
            y_lo, y_hi = b1 + 1, int((line.y1 + 2) / 72 * dpi)
            x_lo, x_hi = int(line.x0 / 72 * dpi), int(line.x1 / 72 * dpi) + 1
            ink = [
                y
                for y in range(y_lo, min(y_hi, h2))
                if any(px[(y * w2 + x) * 3] < 100 for x in range(x_lo, min(x_hi, w2)))
            ]
            below = (ink[0] - b1 - 1) * mm if ink else -1.0
            right = pages[0][0] - tw_to_pt(facts.margins.right or 1474)
            inset = (right - line.x1) / 15.75
            measured.append(f"发文字号距双线{below:.1f}mm、距版心右边{inset:.1f}字")
            if abs(below - pt_to_mm(14)) > 1:
                problems.append(f"发文字号距双线{below:.1f}mm")
            if abs(inset - 1) > 0.3:
                problems.append(f"发文字号距版心右边{inset:.1f}字")
    rep.add(
        "render.letter",
        "10.1",
        "信函格式：双线、发文字号位置",
        not problems,
        "；".join(problems) if problems else "；".join(measured),
        "上双线标志下4mm（上粗下细），下双线距下页边20mm（上细下粗），各长170mm居中；发文字号距双线4.9mm、居右空一字",
    )
    # Page numbers: none on page 1 (10.1), "— n —" on the others.
    bad = []
    for i, (_, ph, lines) in enumerate(pages):
        foot = [clean(ln.text) for ln in lines if ln.y0 > ph - tw_to_pt(facts.margins.bottom or 1984) + 4]
        nums = [t for t in foot if re.match(r"^—\d+—$", t)]
        if i == 0 and nums:
            bad.append("第1页有页码")
        elif i > 0 and nums != [f"—{i + 1}—"]:
            bad.append(f"第{i + 1}页{nums[0] if nums else '无页码'}")
    _replace(
        rep,
        "render.page_numbers",
        Check(
            "render.page_numbers",
            "10.1 / 7.5",
            "首页不显示页码，其余“— n —”",
            "pass" if not bad else "fail",
            f"{len(pages) - 1}/{len(pages) - 1}页正确" if not bad else "；".join(bad[:4]),
            "首页无页码",
        ),
    )
