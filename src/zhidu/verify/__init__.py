"""A GB/T 9704-2012 compliance report for any .docx, ours or a user's own.

XML checks read the package directly (page setup, pitch, fonts and sizes per element, text patterns, borders,
footers). With ``--render`` the file also goes through LibreOffice and the PDF is measured: lines per full page,
characters per full line, page numbers, the 标志 position, 正文 on page 1 and the signature page, the 版记 at the
bottom of the last page, and that every character of the source reached the PDF.
Exit status: 0 when no check fails, 1 when one does, 2 when the input cannot be read.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from zhidu.errors import VerifyInputError
from zhidu.layout import NO_BODY_MARK, cjk_width

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TW_PER_MM = 1440 / 25.4
PT_PER_MM = 72 / 25.4

DOC_NO_RE = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")
DATE_RE = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")
ANY_DATE_RE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日$"
)
PRINTED_RE = re.compile(
    r"([\d〇零一二三四五六七八九]{4}年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日)印发$"
)
PAGE_NO_RE = re.compile(r"^— ?(\d+) ?—$")

EXIT_OK, EXIT_FAIL, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class Check:
    """One check: its id, the clause it implements, the verdict and what was measured."""

    id: str
    clause: str
    name: str
    status: str  # pass | warn | fail
    measured: str
    expected: str = ""


@dataclass
class VerifyReport:
    """All checks of one file."""

    path: str
    rendered: bool = False
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        id: str,
        clause: str,
        name: str,
        ok: bool | None,
        measured: str,
        expected: str = "",
        warn_only: bool = False,
    ) -> None:
        status = "pass" if ok else ("warn" if (ok is None or warn_only) else "fail")
        self.checks.append(Check(id, clause, name, status, measured, expected))

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if self.failed else EXIT_OK

    def to_json(self) -> str:
        counts = Counter(c.status for c in self.checks)
        return json.dumps(
            {
                "path": self.path,
                "rendered": self.rendered,
                "summary": dict(counts),
                "notes": self.notes,
                "checks": [asdict(c) for c in self.checks],
            },
            ensure_ascii=False,
            indent=2,
        )


# ------------------------------------------------------------------------------------- docx model


@dataclass
class Run:
    text: str
    face: str
    size: float
    spacing: int
    color: str


@dataclass
class Para:
    text: str
    style: str
    runs: list[Run]
    ppr: Any
    in_table: bool = False
    index: int = 0

    @property
    def face(self) -> str:
        faces = Counter()  # type: Counter[str]
        for r in self.runs:
            if r.text.strip():
                faces[r.face] += len(r.text)
        return faces.most_common(1)[0][0] if faces else ""

    @property
    def size(self) -> float:
        sizes = Counter()  # type: Counter[float]
        for r in self.runs:
            if r.text.strip():
                sizes[r.size] += len(r.text)
        return sizes.most_common(1)[0][0] if sizes else 0.0


def face_kind(name: str) -> str:
    """Map a font name to the category the standard names (仿宋, 黑体, 楷体, 小标宋, 宋体)."""
    n = name.lower()
    if "仿宋" in name or "fangsong" in n or "fandolfang" in n:
        return "仿宋"
    if "黑" in name or "hei" in n:
        return "黑体"
    if "楷" in name or "kai" in n:
        return "楷体"
    if "小标宋" in name or "标宋" in name or "biaosong" in n:
        return "小标宋"
    if "宋" in name or "simsun" in n or "song" in n:
        return "宋体"
    return name or "未设置"


class DocxFacts:
    """What the checks need from a .docx: section geometry, styles resolved per run, paragraphs, footers."""

    def __init__(self, path: Path) -> None:
        from lxml import etree

        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise VerifyInputError(f"无法读取 {path}：不是有效的 .docx 文件（{e}）") from e
        with zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise VerifyInputError(f"无法读取 {path}：压缩包中没有 word/document.xml，不是 Word 文档")
            try:
                self.document = etree.fromstring(zf.read("word/document.xml"))
                self.styles = (
                    etree.fromstring(zf.read("word/styles.xml")) if "word/styles.xml" in names else None
                )
                self.settings = (
                    etree.fromstring(zf.read("word/settings.xml")) if "word/settings.xml" in names else None
                )
                rels = (
                    etree.fromstring(zf.read("word/_rels/document.xml.rels"))
                    if "word/_rels/document.xml.rels" in names
                    else None
                )
                self.parts = {
                    n: etree.fromstring(zf.read(n))
                    for n in names
                    if re.match(r"word/(footer|header)\d*\.xml$", n)
                }
            except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile) as e:
                raise VerifyInputError(f"无法读取 {path}：XML 损坏（{e}）") from e
        self.rels = {}
        if rels is not None:
            for r in rels:
                self.rels[r.get("Id")] = "word/" + r.get("Target", "").lstrip("/").removeprefix("word/")
        self._style_map = {}
        if self.styles is not None:
            for st in self.styles.iter(W + "style"):
                self._style_map[st.get(W + "styleId")] = st
        self.sect = self.document.find(f"{W}body/{W}sectPr")
        self.paras = self._paragraphs()

    # --- style resolution
    def _default_rpr(self) -> Any:
        if self.styles is None:
            return None
        return self.styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def _default_ppr(self) -> Any:
        if self.styles is None:
            return None
        return self.styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")

    def _style_chain(self, sid: str | None) -> list[Any]:
        chain = []
        seen = set()
        if sid is None and self.styles is not None:
            sid = next(
                (
                    st.get(W + "styleId")
                    for st in self.styles.iter(W + "style")
                    if st.get(W + "type") == "paragraph" and st.get(W + "default") == "1"
                ),
                None,
            )
        while sid and sid in self._style_map and sid not in seen:
            seen.add(sid)
            st = self._style_map[sid]
            chain.append(st)
            b = st.find(W + "basedOn")
            sid = b.get(W + "val") if b is not None else None
        return chain

    def rpr_value(self, rpr_list: list[Any], tag: str, attr: str) -> str | None:
        for rpr in rpr_list:
            if rpr is None:
                continue
            el = rpr.find(W + tag)
            if el is not None and el.get(W + attr) is not None:
                return str(el.get(W + attr))
        return None

    def ppr_value(self, ppr_list: list[Any], tag: str, attr: str) -> str | None:
        return self.rpr_value(ppr_list, tag, attr)

    def para_pprs(self, p: Any) -> list[Any]:
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        chain = self._style_chain(ps.get(W + "val") if ps is not None else None)
        return [ppr, *[st.find(W + "pPr") for st in chain], self._default_ppr()]

    def run_rprs(self, p: Any, r: Any) -> list[Any]:
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        chain = self._style_chain(ps.get(W + "val") if ps is not None else None)
        rpr = r.find(W + "rPr")
        rs = rpr.find(W + "rStyle") if rpr is not None else None
        rchain = []
        if rs is not None and rs.get(W + "val") in self._style_map:
            rchain = [self._style_map[rs.get(W + "val")].find(W + "rPr")]
        return [rpr, *rchain, *[st.find(W + "rPr") for st in chain], self._default_rpr()]

    def _paragraphs(self) -> list[Para]:
        body = self.document.find(W + "body")
        out: list[Para] = []
        for p in body.iter(W + "p"):
            runs = []
            for r in p.iter(W + "r"):
                text = "".join(
                    (t.text or "") if t.tag == W + "t" else "\t" for t in r if t.tag in (W + "t", W + "tab")
                )
                rprs = self.run_rprs(p, r)
                face = self.rpr_value(rprs, "rFonts", "eastAsia") or ""
                size = float(self.rpr_value(rprs, "sz", "val") or 20) / 2
                spacing = int(self.rpr_value(rprs, "spacing", "val") or 0)
                color = self.rpr_value(rprs, "color", "val") or "auto"
                runs.append(Run(text, face, size, spacing, color))
            text = "".join(r.text for r in runs)
            ppr = p.find(W + "pPr")
            ps = ppr.find(W + "pStyle") if ppr is not None else None
            in_table = any(a.tag == W + "tc" for a in p.iterancestors())
            out.append(Para(text, ps.get(W + "val") if ps is not None else "", runs, p, in_table, len(out)))
        return out

    def sect_attr(self, tag: str, attr: str) -> int | None:
        if self.sect is None:
            return None
        el = self.sect.find(W + tag)
        if el is None or el.get(W + attr) is None:
            return None
        return int(el.get(W + attr))

    def line_spacing(self, p: Para) -> tuple[int | None, str]:
        pprs = self.para_pprs(p.ppr)
        line = self.ppr_value(pprs, "spacing", "line")
        rule = self.ppr_value(pprs, "spacing", "lineRule") or "auto"
        return (int(line) if line else None), rule


# ------------------------------------------------------------------------------------- finding elements


def _clean(s: str) -> str:
    return re.sub(r"[\s\u3000]", "", s)


def find_elements(f: DocxFacts) -> dict[str, Any]:
    """Locate the standard's elements by text patterns (works for documents not made by zhidu)."""
    ps = [p for p in f.paras if _clean(p.text)]
    el: dict[str, Any] = {}
    for p in ps:
        t = _clean(p.text)
        if (
            "doc_no" not in el
            and re.search(r"[〔\[【（(]\d{4}[〕\]】）)]", t)
            and t.endswith("号")
            and len(t) < 30
        ):
            el["doc_no"] = p
    if "doc_no" in el:
        after = [p for p in ps if p.index > el["doc_no"].index]
        titles = []
        for p in after:
            if p.size >= 20 and not p.in_table:
                titles.append(p)
            elif titles:
                break
        if titles:
            el["title"] = titles[0]
            rest = [p for p in after if p.index > titles[-1].index]
            if rest and _clean(rest[0].text).endswith(("：", ":")):
                el["addressees"] = rest[0]
                rest = rest[1:]
            if rest:
                el["first_body"] = rest[0]
    mark_cands = [p for p in ps if "doc_no" in el and p.index < el["doc_no"].index and p.size >= 20]
    if mark_cands:
        el["mark"] = mark_cands[-1]
    dates = [p for p in ps if ANY_DATE_RE.match(_clean(p.text)) and not p.in_table]
    el["dates"] = dates
    if dates:
        el["date"] = dates[0]
        i = ps.index(dates[0])
        if i > 0:
            el["signature"] = ps[i - 1]
    el["cc"] = next((p for p in ps if _clean(p.text).startswith(("抄送", "主送："))), None)
    el["printed"] = next((p for p in reversed(ps) if PRINTED_RE.search(_clean(p.text))), None)
    lv1 = [p for p in ps if re.match(r"^[一二三四五六七八九十]+、", _clean(p.text))]
    lv2 = [p for p in ps if re.match(r"^（[一二三四五六七八九十]+）", _clean(p.text))]
    el["levels"] = (lv1, lv2)
    el["body"] = [
        p
        for p in ps
        if p.size and 15 <= p.size <= 17 and not p.in_table and not ANY_DATE_RE.match(_clean(p.text))
    ]
    return el


# ------------------------------------------------------------------------------------- XML checks


def xml_checks(f: DocxFacts, rep: VerifyReport) -> dict[str, Any]:
    """Every check that needs only the package XML."""
    w, h = f.sect_attr("pgSz", "w"), f.sect_attr("pgSz", "h")
    rep.add(
        "page.size",
        "5.1",
        "纸张A4",
        w is not None and h is not None and abs(w - 11906) <= 20 and abs(h - 16838) <= 20,
        f"{w}×{h} tw",
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
            f"{got} tw（{(got or 0) / TW_PER_MM:.1f}mm）",
            f"{v} tw±57（{v / TW_PER_MM:.0f}mm±1mm）",
        )
    text_h = (h or 16838) - (mar["top"] or 0) - (mar["bottom"] or 0)
    text_w = (w or 11906) - (mar["left"] or 0) - (mar["right"] or 0)

    el = find_elements(f)
    body = el["body"]
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
            f"行距 {line / 20:g}磅：可排{n}行，余{left / 20:.1f}磅",
            "22行，余量≤1.1磅（579 tw）",
        )
    else:
        rep.add(
            "grid.lines",
            "5.2.3",
            "每面22行并撑满版心",
            False,
            f"正文行距 {line} ({rule})，非固定值",
            "固定值 579 tw（28.95磅）",
        )
    grid = f.sect.find(W + "docGrid") if f.sect is not None else None
    gtype = grid.get(W + "type") if grid is not None else None
    rep.add(
        "grid.type",
        "5.2.3",
        "文档网格不用字符网格",
        gtype != "linesAndChars",
        f"docGrid type={gtype}",
        "lines 或无（linesAndChars 在 LibreOffice 中每行仅14字）",
        warn_only=True,
    )
    widths = Counter()  # type: Counter[float]
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
            f"字宽 {cw / 20:g}磅，版心宽 {text_w / 20:g}磅 → {per}字",
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

    kinds = Counter()  # type: Counter[str]
    for p in body:
        if p not in el["levels"][0] and p not in el["levels"][1]:
            for r in p.runs:
                if r.text.strip():
                    kinds[face_kind(r.face)] += len(r.text)
    main_face = kinds.most_common(1)[0][0] if kinds else "无"
    main_size = Counter(p.size for p in body).most_common(1)[0][0] if body else 0
    rep.add(
        "body.font",
        "5.2.2 / 7.3.3",
        "正文三号仿宋",
        main_face == "仿宋" and main_size == 16,
        f"{main_face} {main_size:g}磅",
        "仿宋 16磅",
    )

    # 版头
    dn = el.get("doc_no")
    if dn is None:
        rep.add("head.doc_no", "7.2.5", "发文字号格式", None, "未找到发文字号", "机关代字〔年份〕序号号")
    else:
        t = _clean(dn.text).split("签发人")[0]
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
    mk = el.get("mark")
    if mk is not None:
        col = next((r.color for r in mk.runs if r.text.strip()), "auto")
        rep.add("head.mark", "7.2.4", "发文机关标志红色", _is_red(col), f"{_clean(mk.text)}：{col}", "红色")
    tt = el.get("title")
    if tt is not None:
        rep.add(
            "title.font",
            "7.3.1",
            "标题二号小标宋",
            tt.size == 22 and face_kind(tt.face) == "小标宋",
            f"{face_kind(tt.face)} {tt.size:g}磅",
            "小标宋 22磅",
        )
    ad = el.get("addressees")
    if ad is not None:
        rep.add(
            "addressees.colon",
            "7.3.2",
            "主送机关后用全角冒号",
            _clean(ad.text).endswith("："),
            _clean(ad.text)[-6:],
            "以“：”结尾",
        )
    lv1, lv2 = el["levels"]
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

    dates = el["dates"]
    if dates:
        bad = [_clean(p.text) for p in dates if not DATE_RE.match(_clean(p.text))]
        rep.add(
            "date.format",
            "7.3.5.4",
            "成文日期格式",
            not bad,
            "、".join(bad) or "、".join(_clean(p.text) for p in dates[:2]),
            "2024年6月3日（阿拉伯数字，无前导零）",
        )
    else:
        rep.add("date.format", "7.3.5.4", "成文日期格式", None, "未找到成文日期", "2024年6月3日")

    # 版记
    cc = el.get("cc")
    if cc is not None:
        t = _clean(cc.text)
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
    pr = el.get("printed")
    if pr is not None:
        m = PRINTED_RE.search(_clean(pr.text))
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
        [f._default_ppr(), *[st.find(W + "pPr") for st in f._style_chain(None)]], "widowControl", "val"
    )
    rep.add(
        "grid.widow",
        "5.2.3",
        "孤行控制关闭",
        wc in ("0", "false"),
        f"widowControl={wc}",
        "0（否则每面20–22行）",
        warn_only=True,
    )
    return {"el": el, "text_w": text_w, "text_h": text_h, "margins": mar, "line": line}


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
    for ppr in f.para_pprs(p.ppr):
        if ppr is None:
            continue
        b = ppr.find(f"{W}pBdr/{W}{side}")
        if b is not None and b.get(W + "val") not in (None, "nil", "none"):
            col = b.get(W + "color", "auto")
            return f"{b.get(W + 'val')} {int(b.get(W + 'sz', '0')) / 8:g}磅 #{col}" if _is_red(col) else None
    return None


def _imprint_lines(f: DocxFacts, pr: Para, cc: Para | None) -> tuple[bool, str, str]:
    tbl = next((a for a in pr.ppr.iterancestors() if a.tag == W + "tbl"), None)
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
        for ppr in f.para_pprs(p.ppr):
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


# ------------------------------------------------------------------------------------- render checks


@dataclass
class PLine:
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


def source_chars(f: DocxFacts) -> Counter[str]:
    """Every non-whitespace character of the document body (tables included, fields excluded)."""
    return Counter(c for p in f.paras for c in p.text if not c.isspace() and c != "\u3000")


def render_checks(f: DocxFacts, info: dict[str, Any], pdf: Path, rep: VerifyReport) -> None:
    """Measure the LibreOffice PDF."""
    pages = pdf_lines(pdf)
    mar = info["margins"]
    top = (mar["top"] or 2098) / 20
    bottom_mm = (mar["bottom"] or 1984) / TW_PER_MM
    left = (mar["left"] or 1587) / 20
    pw, ph, _ = pages[0]
    area_bottom = ph - (mar["bottom"] or 1984) / 20
    right = pw - (mar["right"] or 1474) / 20
    char_pt = 15.75
    el = info["el"]

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
            and area_bottom - bl[-1].y1 < 62
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
    widths = Counter()  # type: Counter[float]
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
            side_ok = abs((right - ln.x1) - one) <= 2 * PT_PER_MM + 1
        else:
            side_ok = abs((ln.x0 - left) - one) <= 2 * PT_PER_MM + 1
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
    if red_ys and el.get("mark") is not None:
        top_mm = red_ys[0] * mm_per_px - top / PT_PER_MM
        rep.add(
            "render.mark",
            "7.2.4",
            "标志上边缘距版心上边缘35mm",
            abs(top_mm - 35) <= 1.0,
            f"{top_mm:.1f}mm",
            "35mm±1mm",
        )
    elif el.get("mark") is not None:
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
    fb = el.get("first_body")
    if fb is not None:
        probe = _clean(fb.text)[:8]
        p1 = _clean("".join(ln.text for ln in pages[0][2]))
        rep.add(
            "render.body_p1",
            "7.3.3",
            "首页显示正文",
            probe in p1,
            f"“{probe}”{'在' if probe in p1 else '不在'}首页",
            "首页有正文",
        )
    sig, date = el.get("signature"), el.get("date")
    if date is not None:
        dt_text = _clean(date.text)
        sig_page = None
        for i, (_, _, lines) in enumerate(pages):
            for j, ln in enumerate(body_lines(lines)):
                if _clean(ln.text) == dt_text:
                    sig_page = (i, j)
                    break
            if sig_page:
                break
        if sig_page is None:
            rep.add("render.signature_page", "7.3.5", "成文日期页有正文", False, "PDF中未找到成文日期", "")
        else:
            i, j = sig_page
            bl = body_lines(pages[i][2])
            sig_text = _clean(sig.text) if sig is not None else ""
            body_above = [ln for ln in bl[:j] if _clean(ln.text) and _clean(ln.text) != sig_text]
            marked = [_clean(ln.text) for ln in body_above] == [_clean(NO_BODY_MARK)]
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
    if el.get("printed") is not None:
        w2, h2, px2 = _ppm_rows(pdf, len(pages), dpi)
        dark = _dark_rows(w2, h2, px2)
        rules = [y for y, c in enumerate(dark) if c > w2 / 2 * 0.6]
        last_text = _clean(pages[-1][2][-1].text) if pages[-1][2] else ""
        on_last = any(PRINTED_RE.search(_clean(ln.text)) for ln in pages[-1][2])
        cc_ok, cc_note = True, ""
        cc = el.get("cc")
        if cc is not None and on_last:
            # 7.4.2: 抄送 sits on the line(s) directly above the 印发 line, not inline after the text.
            lines = pages[-1][2]
            pr_y = next(ln.y1 for ln in lines if PRINTED_RE.search(_clean(ln.text)))
            cc_y = next((ln.y1 for ln in lines if _clean(ln.text).startswith(_clean(cc.text)[:4])), None)
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
    missing = source_chars(f) - pdf_chars
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
            if ln.y0 > ph - 35 * PT_PER_MM and re.match(r"^—\s*\d+\s*—$", ln.text.strip()):
                out.append(Counter(c for c in ln.text if not c.isspace()))
    return out


# ------------------------------------------------------------------------------------- entry points


def run_verify(path: Path, render: bool = False) -> VerifyReport:
    """Check one .docx; with `render`, also convert it through LibreOffice and measure the PDF."""
    if not path.is_file():
        raise VerifyInputError(f"找不到文件：{path}")
    f = DocxFacts(path)
    rep = VerifyReport(str(path), rendered=render)
    info = xml_checks(f, rep)
    if render:
        from zhidu.render.pdf import soffice

        if soffice() is None:
            from zhidu.render.pdf import INSTALL_HINT

            raise VerifyInputError(f"--render 需要 LibreOffice；安装：{INSTALL_HINT}")
        with tempfile.TemporaryDirectory(prefix="zhidu-verify-") as tmp:
            pdf = render_pdf(path, Path(tmp))
            render_checks(f, info, pdf, rep)
        rep.notes.append(
            "渲染使用开源替代字体（仿宋→FandolFang，小标宋/宋体→Noto Serif CJK SC，黑体→Noto Sans CJK SC，"
            "楷体→AR PL KaitiM GB），已替代；Word 中换行可能不同。"
        )
    return rep


_STATUS = {"pass": "通过", "warn": "警告", "fail": "不合格"}


def format_table(rep: VerifyReport) -> str:
    """The report as a readable table (rich, no colours when not a terminal)."""
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"GB/T 9704—2012 检查：{rep.path}", show_lines=False)
    for col in ("结果", "条款", "检查项", "实测", "要求"):
        table.add_column(col, overflow="fold")
    style = {"pass": "green", "warn": "yellow", "fail": "bold red"}
    for c in rep.checks:
        table.add_row(f"[{style[c.status]}]{_STATUS[c.status]}[/]", c.clause, c.name, c.measured, c.expected)
    buf = io.StringIO()
    con = Console(file=buf, width=160, force_terminal=sys.stdout.isatty(), color_system="auto")
    con.print(table)
    counts = Counter(c.status for c in rep.checks)
    con.print(
        f"通过 {counts['pass']}，警告 {counts['warn']}，不合格 {counts['fail']}"
        + ("" if rep.rendered else "（未渲染；加 --render 以 LibreOffice 实测版面）")
    )
    for n in rep.notes:
        con.print(f"注：{n}")
    return buf.getvalue()
