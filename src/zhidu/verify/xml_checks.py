"""Checks on the package XML alone: page setup, pitch, fonts and sizes per element, patterns, borders, footers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from zhidu.units import tw_to_mm, tw_to_pt
from zhidu.verify.elements import PRINTED_RE, Elements, find_elements
from zhidu.verify.facts import DocxFacts, Para, W, clean, face_kind
from zhidu.verify.report import VerifyReport

DOC_NO_RE = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")
DATE_RE = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")
PAGE_NO_RE = re.compile(r"^— ?(\d+) ?—$")


@dataclass(frozen=True)
class Margins:
    """The body section's page margins in twips; None where the document does not set one."""

    top: int | None
    bottom: int | None
    left: int | None
    right: int | None


@dataclass(frozen=True)
class XmlFacts:
    """What the XML pass hands the render checks: the located elements and the page margins."""

    elements: Elements
    margins: Margins


def xml_checks(f: DocxFacts, rep: VerifyReport) -> XmlFacts:
    """Every check that needs only the package XML; returns what the render checks build on."""
    w, h = f.sect_attr("pgSz", "w"), f.sect_attr("pgSz", "h")
    rep.add(
        "page.size",
        "5.1",
        "纸张A4",
        w is not None and h is not None and abs(w - 11906) <= 20 and abs(h - 16838) <= 20,
        f"{w}×{h} tw" if w is not None and h is not None else "未设置纸张大小",
        "11906×16838 tw（210×297mm）",
    )
    mar = {k: f.sect_attr("pgMar", k) for k in ("top", "bottom", "left", "right")}
    exp = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
    names = {"top": "天头", "bottom": "下白边", "left": "订口", "right": "切口"}
    for k, v in exp.items():
        got = mar[k]
        ok = got is not None and abs(got - v) <= 57
        rep.add(
            f"page.margin.{k}",
            "5.2.1",
            f"页边距·{names[k]}",
            ok,
            f"{got} tw（{tw_to_mm(got):.1f}mm）" if got is not None else "未设置",
            f"{v} tw±57（{tw_to_mm(v):.0f}mm±1mm）",
        )
    text_h = (h or 16838) - (mar["top"] or 0) - (mar["bottom"] or 0)
    text_w = (w or 11906) - (mar["left"] or 0) - (mar["right"] or 0)

    el = find_elements(f)
    body = el.body
    pitches = Counter(f.line_spacing(p) for p in body)
    (line, rule), _ = pitches.most_common(1)[0] if pitches else ((None, "auto"), 0)
    if line and rule == "exact":
        n = text_h // line
        left = text_h - n * line
        ok = n == 22 and left <= 22
        rep.add(
            "grid.lines",
            "5.2.3",
            "每面22行并撑满版心",
            ok,
            f"行距 {tw_to_pt(line):g}磅：可排{n}行，余{tw_to_pt(left):.1f}磅",
            "22行，余量≤1.1磅（579 tw）",
        )
    else:
        rep.add(
            "grid.lines",
            "5.2.3",
            "每面22行并撑满版心",
            False,
            f"正文行距{'未设置（自动）' if line is None else f' {tw_to_pt(line):g}磅（{_RULES.get(rule, rule)}）'}，非固定值",
            "固定值 579 tw（28.95磅）",
        )
    grid = f.sect.find(W + "docGrid") if f.sect is not None else None
    gtype = grid.get(W + "type") if grid is not None else None
    rep.add(
        "grid.type",
        "5.2.3",
        "文档网格不用字符网格",
        gtype != "linesAndChars",
        f"文档网格 {gtype}" if gtype else "未设置文档网格",
        "lines 或无（linesAndChars 在 LibreOffice 中每行仅14字）",
        warn_only=True,
    )
    widths: Counter[float] = Counter()
    for p in body:
        for r in p.runs:
            if r.text.strip():
                widths[r.size * 20 + r.spacing] += len(r.text)
    if widths:
        cw, _ = widths.most_common(1)[0]
        per = int(text_w // cw)
        rep.add(
            "grid.chars",
            "5.2.3",
            "每行28字",
            per == 28,
            f"字宽 {tw_to_pt(cw):g}磅，版心宽 {tw_to_pt(text_w):g}磅 → {per}字",
            "28字（字距−0.25磅）",
        )

    # Fonts: no theme fonts anywhere; an East Asian face on every run.
    theme = 0
    for root in (f.styles, f.document):
        if root is None:
            continue
        for rf in root.iter(W + "rFonts"):
            theme += sum(1 for a in rf.attrib if a.endswith("Theme"))
    rep.add("fonts.theme", "5.2.2", "不用主题字体", theme == 0, f"主题字体属性 {theme} 处", "0")
    runs = [r for p in f.paras for r in p.runs if r.text.strip()]
    no_ea = sum(1 for r in runs if not r.face)
    rep.add(
        "fonts.eastasia", "5.2.2", "每个文字段均有中文字体", no_ea == 0, f"{no_ea}/{len(runs)} 段未指定", "0"
    )

    kinds: Counter[str] = Counter()
    for p in body:
        if p not in el.levels[0] and p not in el.levels[1]:
            for r in p.runs:
                if r.text.strip():
                    kinds[face_kind(r.face)] += len(r.text)
    if kinds and body:
        main_face = kinds.most_common(1)[0][0]
        main_size = Counter(p.size for p in body).most_common(1)[0][0]
        rep.add(
            "body.font",
            "5.2.2 / 7.3.3",
            "正文三号仿宋",
            main_face == "仿宋" and main_size == 16,
            f"{main_face} {main_size:g}磅",
            "仿宋 16磅",
        )
    else:
        rep.unchecked("body.font", "5.2.2 / 7.3.3", "正文三号仿宋", "未找到正文段落", "仿宋 16磅")

    # 版头
    dn = el.doc_no
    if dn is None:
        rep.add("head.doc_no", "7.2.5", "发文字号格式", None, "未找到发文字号", "机关代字〔年份〕序号号")
    else:
        t = clean(dn.text).split("签发人")[0]
        rep.add(
            "head.doc_no",
            "7.2.5",
            "发文字号格式",
            bool(DOC_NO_RE.match(t)),
            t,
            "机关代字〔2024〕27号，无前导零",
        )
        rep.add(
            "head.doc_no.font",
            "7.2.5",
            "发文字号三号仿宋",
            face_kind(dn.face) == "仿宋" and dn.size == 16,
            f"{face_kind(dn.face)} {dn.size:g}磅",
            "仿宋 16磅",
        )
        nxt = f.paras[dn.index + 1] if dn.index + 1 < len(f.paras) else None
        red = _red_border(f, dn, "bottom") or (nxt is not None and _red_border(f, nxt, "top"))
        rep.add("head.separator", "7.2.7", "发文字号下红色分隔线", bool(red), str(red or "无"), "红色下边框")
    mk = el.mark
    if mk is not None:
        col = next((r.color for r in mk.runs if r.text.strip()), "auto")
        rep.add("head.mark", "7.2.4", "发文机关标志红色", _is_red(col), f"{clean(mk.text)}：{col}", "红色")
    else:
        why = (
            "未找到发文字号，无法定位其上方的发文机关标志" if dn is None else "发文字号上方没有大于二号的段落"
        )
        rep.unchecked("head.mark", "7.2.4", "发文机关标志红色", why, "红色")
    tt = el.title
    if tt is None:
        why = "未找到发文字号，无法定位其后的标题" if dn is None else "发文字号之后没有大于三号的段落"
        rep.unchecked("title.font", "7.3.1", "标题二号小标宋", why, "小标宋 22磅")
    else:
        rep.add(
            "title.font",
            "7.3.1",
            "标题二号小标宋",
            tt.size == 22 and face_kind(tt.face) == "小标宋",
            f"{face_kind(tt.face)} {tt.size:g}磅",
            "小标宋 22磅",
        )
    ad = el.addressees
    if ad is None:
        why = "未找到标题，无法定位主送机关" if tt is None else "标题之后的一段不以冒号结尾，不像主送机关"
        rep.unchecked("addressees.colon", "7.3.2", "主送机关后用全角冒号", why, "以“：”结尾")
    else:
        rep.add(
            "addressees.colon",
            "7.3.2",
            "主送机关后用全角冒号",
            clean(ad.text).endswith("："),
            clean(ad.text)[-6:],
            "以“：”结尾",
        )
    lv1, lv2 = el.levels
    if lv1:
        bad = [p for p in lv1 if face_kind(_first_face(p)) != "黑体"]
        rep.add(
            "levels.1", "7.3.3", "一级标题黑体", not bad, f"{len(lv1) - len(bad)}/{len(lv1)} 为黑体", "黑体"
        )
    if lv2:
        bad = [p for p in lv2 if face_kind(_first_face(p)) != "楷体"]
        rep.add(
            "levels.2", "7.3.3", "二级标题楷体", not bad, f"{len(lv2) - len(bad)}/{len(lv2)} 为楷体", "楷体"
        )

    dates = el.dates
    if dates:
        bad_dates = [clean(p.text) for p in dates if not DATE_RE.match(clean(p.text))]
        rep.add(
            "date.format",
            "7.3.5.4",
            "成文日期格式",
            not bad_dates,
            "、".join(bad_dates) or "、".join(clean(p.text) for p in dates[:2]),
            "2024年6月3日（阿拉伯数字，无前导零）",
        )
    else:
        rep.add("date.format", "7.3.5.4", "成文日期格式", None, "未找到成文日期", "2024年6月3日")

    # 版记
    cc = el.cc
    if cc is not None:
        t = clean(cc.text)
        rep.add(
            "imprint.cc.size",
            "7.4.2",
            "抄送四号仿宋",
            cc.size == 14 and face_kind(cc.face) == "仿宋",
            f"{face_kind(cc.face)} {cc.size:g}磅",
            "仿宋 14磅",
        )
        if t.startswith("抄送"):
            rep.add("imprint.cc.end", "7.4.2", "抄送以句号结尾", t.endswith("。"), t[-6:], "以“。”结尾")
    pr = el.printed
    if pr is not None:
        m = PRINTED_RE.search(clean(pr.text))
        d = m.group(1) if m else ""
        rep.add(
            "imprint.printed", "7.4.3", "印发日期格式", bool(DATE_RE.match(d)), d + "印发", "2024年6月3日印发"
        )
        rep.add(
            "imprint.printed.size",
            "7.4.3",
            "印发机关和日期四号仿宋",
            pr.size == 14 and face_kind(pr.face) == "仿宋",
            f"{face_kind(pr.face)} {pr.size:g}磅",
            "仿宋 14磅",
        )
        rep.add("imprint.lines", "7.4.1", "版记分隔线", *_imprint_lines(f, pr, cc))
    else:
        rep.add("imprint.printed", "7.4.3", "印发机关和印发日期", None, "未找到“……印发”", "版记末行")

    _footer_checks(f, rep)
    wc = f.ppr_value(
        [f.default_ppr(), *[st.find(W + "pPr") for st in f.style_chain(None)]], "widowControl", "val"
    )
    rep.add(
        "grid.widow",
        "5.2.3",
        "孤行控制关闭",
        wc in ("0", "false"),
        "已关闭" if wc in ("0", "false") else ("未设置（Word 默认开启）" if wc is None else "已开启"),
        "0（否则每面20–22行）",
        warn_only=True,
    )
    return XmlFacts(el, Margins(**mar))


#: w:lineRule values in words.
_RULES = {"auto": "多倍行距", "atLeast": "最小值", "exact": "固定值"}


def _first_face(p: Para) -> str:
    return next((r.face for r in p.runs if r.text.strip()), "")


def _is_red(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        r, g, b = int(color[:2], 16), int(color[2:4], 16), int(color[4:], 16)
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


def _red_border(f: DocxFacts, p: Para, side: str) -> str | None:
    for ppr in f.para_pprs(p.element):
        if ppr is None:
            continue
        b = ppr.find(f"{W}pBdr/{W}{side}")
        if b is not None and b.get(W + "val") not in (None, "nil", "none"):
            col = b.get(W + "color", "auto")
            return f"{b.get(W + 'val')} {int(b.get(W + 'sz', '0')) / 8:g}磅 #{col}" if _is_red(col) else None
    return None


def _imprint_lines(f: DocxFacts, pr: Para, cc: Para | None) -> tuple[bool, str, str]:
    tbl = next((a for a in pr.element.iterancestors() if a.tag == W + "tbl"), None)
    expected = "首末线0.35mm（sz 7–9），中间线0.25mm（sz 5–6）"
    if tbl is not None:
        b = tbl.find(f"{W}tblPr/{W}tblBorders")
        get = {}
        for side in ("top", "bottom", "insideH"):
            el = b.find(W + side) if b is not None else None
            get[side] = (
                int(el.get(W + "sz", "0"))
                if el is not None and el.get(W + "val") not in ("nil", "none")
                else 0
            )
        rows = len(tbl.findall(W + "tr"))
        ok = 7 <= get["top"] <= 9 and 7 <= get["bottom"] <= 9 and (rows < 2 or 5 <= get["insideH"] <= 6)
        return ok, f"表格边框 上{get['top']}/中{get['insideH']}/下{get['bottom']}（1/8磅）", expected
    sizes = []
    for p in (cc, pr):
        if p is None:
            continue
        for ppr in f.para_pprs(p.element):
            if ppr is not None and ppr.find(W + "pBdr") is not None:
                sizes += [int(x.get(W + "sz", "0")) for x in ppr.find(W + "pBdr")]
                break
    ok = bool(sizes) and max(sizes) in (7, 8, 9)
    return ok, f"段落边框 {sizes or '无'}", expected


def _footer_checks(f: DocxFacts, rep: VerifyReport) -> None:
    even_odd = (
        f.settings is not None
        and f.settings.find(W + "evenAndOddHeaders") is not None
        and f.settings.find(W + "evenAndOddHeaders").get(W + "val") not in ("0", "false")
    )
    rep.add(
        "footer.evenodd",
        "7.5",
        "奇偶页不同页码",
        even_odd,
        f"evenAndOddHeaders={'是' if even_odd else '否'}",
        "是",
    )
    refs = {}
    if f.sect is not None:
        for fr in f.sect.findall(W + "footerReference"):
            refs[fr.get(W + "type")] = f.rels.get(
                fr.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            )
    fmt = f.sect.find(W + "pgNumType") if f.sect is not None else None
    if fmt is not None and fmt.get(W + "fmt") == "numberInDash":
        rep.add(
            "footer.dash",
            "7.5",
            "页码一字线",
            False,
            "pgNumType numberInDash（“- 1 -”连字符）",
            "— 1 —（U+2014）",
        )
    for kind, side, name in (
        ("default", "right", "单页页码居右空一字"),
        ("even", "left", "双页页码居左空一字"),
    ):
        part = f.parts.get(refs.get(kind) or "")
        if part is None:
            rep.add(f"footer.{kind}", "7.5", name, False, "无此页脚", f"{side}，空一字")
            continue
        texts, ok_side = [], False
        face, size = "", 0.0
        for p in part.iter(W + "p"):
            t = "".join(x.text or "" for x in p.iter(W + "t"))
            if not t.strip():
                continue
            fld = "".join(x.text or "" for x in p.iter(W + "instrText")) + "".join(
                x.get(W + "instr", "") for x in p.iter(W + "fldSimple")
            )
            texts.append((t, fld))
            ppr = p.find(W + "pPr")
            jc = ppr.find(W + "jc") if ppr is not None else None
            ind = ppr.find(W + "ind") if ppr is not None else None
            jv = jc.get(W + "val") if jc is not None else "left"
            iv = (
                int(ind.get(W + side, ind.get(W + ("end" if side == "right" else "start"), "0")))
                if ind is not None
                else 0
            )
            ok_side = jv in ((side, "end") if side == "right" else (side, "start")) and 200 <= iv <= 400
            r = next(iter(p.iter(W + "r")), None)
            if r is not None:
                rprs = f.run_rprs(p, r)
                face = f.rpr_value(rprs, "rFonts", "eastAsia") or f.rpr_value(rprs, "rFonts", "ascii") or ""
                size = float(f.rpr_value(rprs, "sz", "val") or 20) / 2
        shown = " | ".join(t for t, _ in texts) or "空"
        has_page = any("PAGE" in fld.upper() for _, fld in texts)
        text_ok = any(PAGE_NO_RE.match(t.strip()) for t, _ in texts) and has_page
        rep.add(
            f"footer.{kind}.text",
            "7.5",
            f"{'单' if kind == 'default' else '双'}页页码格式",
            text_ok,
            shown,
            "— 1 —（一字线U+2014，PAGE域）",
        )
        rep.add(f"footer.{kind}.side", "7.5", name, ok_side, f"{shown}", f"{side}，缩进一字")
        rep.add(
            f"footer.{kind}.font",
            "7.5",
            "页码四号宋体",
            face_kind(face) == "宋体" and size == 14,
            f"{face_kind(face)} {size:g}磅",
            "宋体 14磅",
        )
