"""Recognise the parts of a 公文 and the numbered hierarchy in source lines, for `zhidu import`.

Every non-empty source line ends up in exactly one place: a notice field, the regulation tree, or a
report entry (dropped by rule, or could not be placed). `Parsed.placed` records which lines went where
so the writer can prove nothing was lost.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from zhidu.numbering import NUMERAL_CHARS, cn_date, numeral_value, year_value
from zhidu.textsim import near_duplicates

# --------------------------------------------------------------------------------------- numbering

_CN = NUMERAL_CHARS
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


#: (style, pattern); the marker is group "m", its number group "n". Order matters: 第X章 before 一、.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(?P<m>第\s*(?P<n>[{_CN}\d]+)\s*章)[\s　:：]*")),
    ("part", re.compile(rf"^(?P<m>第\s*(?P<n>[{_CN}\d]+)\s*节)[\s　:：]*")),
    ("article", re.compile(rf"^(?P<m>第\s*(?P<n>[{_CN}\d]+)\s*条)[\s　:：]*")),
    ("cn", re.compile(rf"^(?P<m>(?P<n>[{_CN}]+)\s*[、．.])\s*")),
    ("pcn", re.compile(rf"^(?P<m>[（(]\s*(?P<n>[{_CN}]+)\s*[）)])\s*")),
    ("arabic", re.compile(r"^(?P<m>(?P<n>\d{1,3})\s*[.．、](?![\d.．]))\s*")),
    ("parg", re.compile(r"^(?P<m>[（(]\s*(?P<n>\d{1,3})\s*[）)])\s*")),
    ("circled", re.compile(rf"^(?P<m>(?P<n>[{_CIRCLED}]))\s*")),
]
#: The canonical printed form of each style (GB/T 9704 7.3.3 for 一、（一）1.（1））.
_CANON = {
    "chapter": "第{cn}章",
    "part": "第{cn}节",
    "article": "第{cn}条",
    "cn": "{cn}、",
    "pcn": "（{cn}）",
    "arabic": "{n}.",
    "parg": "（{n}）",
    "circled": "{circled}",
}


def cn_numeral(n: int) -> str:
    """1 → 一 … 99 → 九十九 (enough for source numbers)."""
    from zhidu.numbering import chinese_numeral

    return chinese_numeral(n) if n > 0 else "〇"


def canonical(style: str, n: int) -> str:
    """How a number of this style should be printed."""
    circled = _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    return _CANON[style].format(cn=cn_numeral(n), n=n, circled=circled)


@dataclass(frozen=True)
class Marker:
    """A recognised number at the start of a line."""

    style: str
    value: int
    printed: str
    rest: str


def match_marker(text: str) -> Marker | None:
    """The numbering marker starting `text`, if any (leading spaces ignored)."""
    s = text.lstrip(" \t　")
    for style, rx in _MARKERS:
        m = rx.match(s)
        if not m:
            continue
        n = m["n"]
        value = _CIRCLED.index(n) + 1 if style == "circled" else numeral_value(n)
        if value <= 0:
            continue
        rest = s[m.end() :]
        if style == "cn" and m["m"][-1] in ".．" and not rest:
            continue
        return Marker(style, value, m["m"], rest)
    return None


# ------------------------------------------------------------------------------------ line classes

_TERMINAL = "。；;！？!?：:"
_CONTINUING = "，、,（(《“‘—-"
_OPENING_CLOSERS = "，。、；：？！）》」』”’,.;:?!)]"
_PAGE_NUMBER = [
    re.compile(r"^[-－—–_~·•\s]*\d{1,4}[-－—–_~·•\s]*$"),
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*[/／]\s*\d+$"),
    re.compile(r"^[-－—–]?\s*[Pp]age\s*\d+(\s*of\s*\d+)?\s*[-－—–]?$"),
]
_RESIDUE = re.compile(r"^[()（）\[\]【】\-－—–_~·•.。,，\s]+$")

_DATE_CORE = (
    r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*"
    r"(?P<mo>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_DATE_LINE = re.compile(rf"^\s*{_DATE_CORE}\s*$")
_SIGN_DATE = re.compile(rf"^\s*(?P<org>\S.*?\S)\s{{2,}}{_DATE_CORE}\s*$")
_PRINTED = re.compile(rf"^\s*(?P<org>\S.*?)\s*{_DATE_CORE}\s*印\s*发\s*$")
_DOC_NO = re.compile(
    r"^\s*(?P<organ>[^\s〔〕\[\]【】()（）]{1,24}?)\s*[〔\[【(（]\s*(?P<year>\d{4})\s*[〕\]】)）]\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号\s*$"
)
_ADDRESSEES = re.compile(r"^\s*(?P<a>[^。；;]{1,80}?)\s*[：:]\s*$")
_CC = re.compile(r"^\s*抄\s*送\s*[：:]\s*(?P<cc>.+?)\s*[。.]?\s*$")
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*\d*\s*[：:]\s*(?:\d+\s*[.．、]\s*)?(?P<name>.+?)\s*$")
_ATTACHMENT_MARK = re.compile(r"^\s*附\s*件\s*\d*\s*[：:]?\s*$")
#: Header and footer lines (抄送, 附件, 印发, 落款, dates) are short; a longer line is body text. The patterns
#: above hold lazy groups next to optional spaces, so the cap is also what keeps each match linear in time.
MAX_PATTERN_LINE = 300


def _short(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`rx.match(text)` for a line of header/footer length; None for a longer one without trying."""
    return rx.match(text) if len(text) <= MAX_PATTERN_LINE else None


_NOTICE_TITLE_END = re.compile(r"(通知|决定|通报|意见|批复|通告|公告|报告|请示|函|纪要)$")


def width(s: str) -> int:
    """Display width: CJK wide characters count 2 (wrapping tools wrap by width)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def core(s: str) -> str:
    """Text without any whitespace (ASCII, full-width and NBSP)."""
    return re.sub(r"[\s\u3000\u00a0]+", "", s)


def is_page_number(text: str) -> bool:
    s = text.strip()
    return any(rx.match(s) for rx in _PAGE_NUMBER) or bool(_RESIDUE.match(s))


def title_like(text: str, limit: int = 40) -> bool:
    """A short line without sentence punctuation and without a number: a title or a signature."""
    s = core(text)
    return (
        bool(s) and len(s) <= limit and s[-1] not in _TERMINAL and "。" not in s and match_marker(s) is None
    )


def parse_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(year_value(m["y"]), numeral_value(m["mo"]), numeral_value(m["d"]))
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------ result


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

    @property
    def heading(self) -> bool:
        """True when the text reads as a heading (no closing sentence punctuation)."""
        s = self.text.rstrip()
        return bool(s) and s[-1] not in _TERMINAL


@dataclass(frozen=True)
class Finding:
    """One report entry; `lines` are 1-based source line numbers."""

    section: str
    message: str
    lines: tuple[int, ...] = ()


#: Report sections, in print order.
SECTIONS = {
    "numbering": "编号缺号、重号与格式",
    "duplicates": "疑似重复的条目",
    "normalised": "规范化（原文 → 导入结果）",
    "dropped": "按规则舍弃的行（页码、页眉页脚残留、版式标记）",
    "unplaced": "未能放置的文字（请人工处理）",
    "guesses": "猜测（YAML 中以“# 猜测：…，请确认”标注）",
}


@dataclass
class NoticeParts:
    """What was found of the issuing notice; complete() tells whether notice.yaml can be written."""

    organ_mark: str | None = None
    doc_no: tuple[str, int, int] | None = None
    doc_no_printed: str = ""
    title_lines: list[str] = field(default_factory=list)
    addressees: str | None = None
    body: list[Para] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signature: str | None = None
    date: dt.date | None = None
    printed_by: str | None = None
    printed_date: dt.date | None = None
    cc: list[str] = field(default_factory=list)
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


# ------------------------------------------------------------------------------------------ parsing


@dataclass
class _L:
    no: int
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip(" \t　\u00a0")


class _Parser:
    def __init__(self, lines: list[str]) -> None:
        self.all = [_L(i + 1, ln.rstrip()) for i, ln in enumerate(lines)]
        self.findings: list[Finding] = []
        self.placed: dict[int, str] = {}

    def find(self, section: str, message: str, lines: list[int] | tuple[int, ...] = ()) -> None:
        self.findings.append(Finding(section, message, tuple(lines)))

    def place(self, lines: list[int], where: str) -> None:
        for n in lines:
            self.placed.setdefault(n, where)

    # -- noise -----------------------------------------------------------------------------------

    def drop_noise(self, content: list[_L]) -> list[_L]:
        kept: list[_L] = []
        counts = Counter(core(x.text) for x in content)
        for x in content:
            if is_page_number(x.text):
                self.find("dropped", f"页码或残留符号：“{x.text}”", [x.no])
                self.place([x.no], "report")
                continue
            c = core(x.text)
            if counts[c] >= 3 and title_like(c, 30) and not _short(_DATE_LINE, c):
                self.find("dropped", f"重复 {counts[c]} 次的页眉页脚残留：“{x.text}”", [x.no])
                self.place([x.no], "report")
                continue
            kept.append(x)
        return kept

    # -- hard wraps ------------------------------------------------------------------------------

    def detect_wrap_width(self, content: list[_L]) -> int | None:
        widths = [width(x.raw) for x in content]
        if len(widths) < 3:
            return None
        top = max(widths)
        full = [w for w in widths if w >= top - 4]
        # A wrapped file has several lines at the wrap width; beyond 200 columns nobody wraps.
        if top <= 200 and len(full) >= 2 and len(full) >= 0.15 * len(widths):
            return top
        return None

    def join(self, lines: list[_L], wrap: int | None) -> list[Para]:
        out: list[Para] = []
        last_raw = ""
        for x in lines:
            t = x.text
            if out and self._continues(out[-1].text, last_raw, t, wrap):
                prev = out[-1]
                sep = (
                    " "
                    if prev.text[-1:].isascii()
                    and prev.text[-1:].isalnum()
                    and t[:1].isascii()
                    and t[:1].isalnum()
                    else ""
                )
                prev.text = prev.text + sep + t
                prev.lines.append(x.no)
            else:
                out.append(Para(t, [x.no]))
            last_raw = x.raw
        return out

    @staticmethod
    def _continues(prev: str, prev_raw: str, nxt: str, wrap: int | None) -> bool:
        if match_marker(nxt) is not None:
            return False
        if nxt[:1] in _OPENING_CLOSERS:
            return True
        end = prev.rstrip()[-1:]
        if not end or end in _TERMINAL:
            return False
        if end in _CONTINUING:
            return True
        return wrap is not None and width(prev_raw) >= wrap - 4

    # -- notice ----------------------------------------------------------------------------------

    def notice_head(self, content: list[_L], n: NoticeParts) -> int:
        """Recognise 发文字号, title and 主送 at the top; returns the index where the body starts."""
        doc_i = next((i for i, x in enumerate(content[:12]) if _short(_DOC_NO, x.text)), None)
        start = 0
        if doc_i is not None:
            x = content[doc_i]
            m = _short(_DOC_NO, x.text)
            assert m is not None
            n.doc_no = (m["organ"], int(m["year"]), int(m["serial"]))
            n.doc_no_printed = x.text
            canon = f"{m['organ']}〔{m['year']}〕{int(m['serial'])}号"
            if core(x.text) != canon:
                self.find(
                    "normalised", f"发文字号“{x.text}”规范为“{canon}”（六角括号〔〕、序号无前导零）", [x.no]
                )
            n.lines.append(x.no)
            for y in content[:doc_i]:
                if n.organ_mark is None and core(y.text).endswith("文件") and title_like(y.text):
                    n.organ_mark = core(y.text)
                    n.lines.append(y.no)
                else:
                    self.find("unplaced", f"发文字号之前的文字：“{y.text}”", [y.no])
                    self.place([y.no], "report")
            start = doc_i + 1
        i = start
        titles: list[_L] = []
        while (
            i < len(content) and title_like(content[i].text, 60) and not _short(_ADDRESSEES, content[i].text)
        ):
            titles.append(content[i])
            i += 1
        addressee = (
            i < len(content)
            and _short(_ADDRESSEES, content[i].text) is not None
            and title_like(core(content[i].text)[:-1], 80)
            and not any(c in content[i].text for c in "，,")  # 主送 lists organs with 、, never a clause
        )
        notice_title = bool(titles) and bool(_NOTICE_TITLE_END.search(core(titles[-1].text)))
        if doc_i is None and not (addressee and (notice_title or titles)):
            return -1  # no notice: the whole file is the regulation
        n.title_lines = [core(t.text) for t in titles]
        n.lines.extend(t.no for t in titles)
        if addressee:
            m = _short(_ADDRESSEES, content[i].text)
            assert m is not None
            n.addressees = core(m["a"])
            n.lines.append(content[i].no)
            if not core(content[i].text).endswith("："):
                self.find(
                    "normalised",
                    f"主送“{content[i].text.strip()}”识别为“{n.addressees}”（冒号由排版生成）",
                    [content[i].no],
                )
            i += 1
        return i

    def notice_body(self, content: list[_L], i: int, n: NoticeParts, wrap: int | None) -> int:
        """Body, attachments, 署名 and 成文日期; returns the index after the date line."""
        first_num = next((k for k in range(i, len(content)) if match_marker(content[k].text)), len(content))
        date_k = None
        for k in range(i, first_num):
            if _short(_DATE_LINE, content[k].text) or _short(_SIGN_DATE, content[k].text):
                date_k = k
                break
        if date_k is None:
            # No date before the regulation: the body is the paragraphs up to the first title-like line.
            k = i
            while k < first_num and not title_like(content[k].text):
                k += 1
            body_end, after = k, k
        else:
            x = content[date_k]
            m = _short(_SIGN_DATE, x.text)
            if m:
                n.signature = core(m["org"])
                n.date = parse_date(m)
                body_end = date_k
            else:
                m = _short(_DATE_LINE, x.text)
                assert m is not None
                n.date = parse_date(m)
                sig = content[date_k - 1] if date_k - 1 >= i else None
                if sig is not None and title_like(sig.text):
                    n.signature = core(sig.text)
                    n.lines.append(sig.no)
                    body_end = date_k - 1
                else:
                    body_end = date_k
            n.lines.append(x.no)
            self._note_date(x, n.date)
            after = date_k + 1
        body_lines: list[_L] = []
        for x in content[i:body_end]:
            a = _short(_ATTACHMENT, x.text)
            if a:
                name = core(a["name"]).rstrip("。.;；")
                n.attachments.append(name)
                n.lines.append(x.no)
                self.find("normalised", f"附件说明“{x.text.strip()}”识别为附件“{name}”", [x.no])
            else:
                body_lines.append(x)
        n.body = self.join(body_lines, wrap)
        for p in n.body:
            n.lines.extend(p.lines)
        return after

    def _note_date(self, x: _L, d: dt.date | None) -> None:
        m = _short(_DATE_LINE, x.text) or _short(_SIGN_DATE, x.text)
        if m is None:
            return
        printed = core(x.text[m.start("y") : m.end("d") + 1])
        if d is None:
            self.find("unplaced", f"无法识别的日期：“{x.text}”", [x.no])
        elif printed != cn_date(d):
            self.find("normalised", f"日期“{printed}”规范为“{cn_date(d)}”", [x.no])

    def end_matter(self, content: list[_L], n: NoticeParts) -> list[_L]:
        """印发 line, 抄送 line and a trailing 署名/日期 at the end; returns the lines before them."""
        end = len(content)
        while end > 0:
            x = content[end - 1]
            m = _short(_PRINTED, x.text)
            if m and n.printed_by is None:
                n.printed_by = core(m["org"])
                n.printed_date = parse_date(m)
                n.lines.append(x.no)
                printed = core(x.text)
                if n.printed_date and printed != f"{n.printed_by}{cn_date(n.printed_date)}印发":
                    self.find(
                        "normalised",
                        f"印发行“{x.text.strip()}”规范为“{n.printed_by} {cn_date(n.printed_date)}印发”",
                        [x.no],
                    )
                end -= 1
                continue
            c = _short(_CC, x.text)
            if c and not n.cc:
                n.cc = [core(s) for s in re.split(r"[，,、]", c["cc"]) if core(s)]
                n.lines.append(x.no)
                self.find("normalised", f"抄送行“{x.text.strip()}”识别为抄送机关：{'、'.join(n.cc)}", [x.no])
                end -= 1
                continue
            break
        return content[:end]

    # -- regulation ------------------------------------------------------------------------------

    def regulation(
        self, lines: list[_L], wrap: int | None
    ) -> tuple[str, list[int], list[Para], list[Node], list[Para]]:
        i = 0
        while i < len(lines) and _short(_ATTACHMENT_MARK, lines[i].text):
            self.find(
                "dropped", f"附件标识行“{lines[i].text.strip()}”（版式要素，由排版生成）", [lines[i].no]
            )
            self.place([lines[i].no], "report")
            i += 1
        titles: list[_L] = []
        while i < len(lines) and title_like(lines[i].text) and len(titles) < 4:
            titles.append(lines[i])
            i += 1
        # A single short line followed directly by text is still a title; one before a heading too.
        title = "".join(core(t.text) for t in titles)
        paras = self.join(lines[i:], wrap)
        preamble: list[Para] = []
        roots: list[Node] = []
        stack: list[str] = []
        last_at: list[Node] = []
        trailing: list[Para] = []
        pending: Node | None = None  # a number printed alone on its line: its text follows
        for p in paras:
            mk = match_marker(p.text)
            if mk is None:
                if pending is not None:
                    pending.text = p.text
                    pending.lines.extend(p.lines)
                    pending = None
                elif not last_at:
                    preamble.append(p)
                else:
                    trailing.append(p)
                continue
            if trailing:
                self._attach(last_at[-1], trailing)
                trailing = []
            if pending is not None:
                self._empty_marker(pending)
                pending = None
            if mk.style in stack:
                depth = stack.index(mk.style)
                del stack[depth + 1 :]
            else:
                depth = len(stack)
                stack.append(mk.style)
            if depth >= 4:
                self.find(
                    "numbering",
                    f"“{mk.printed}”位于第 {depth + 1} 级，超过四级（一、（一）1.（1）），"
                    "已连同编号作为上级条文的段落保留",
                    p.lines,
                )
                last_at[3].paragraphs.append(Para(p.text, p.lines))
                continue
            node = Node(mk, mk.rest, list(p.lines), depth)
            if not mk.rest:
                pending = node
            if depth == 0:
                roots.append(node)
            else:
                last_at[depth - 1].children.append(node)
            del last_at[depth:]
            last_at.append(node)
        if pending is not None:
            self._empty_marker(pending)
        closing: list[Para] = []
        if trailing:
            if last_at and last_at[-1].heading and not last_at[-1].children:
                self._attach(last_at[-1], trailing)
            else:
                closing = trailing
        return title, [t.no for t in titles], preamble, roots, closing

    def _empty_marker(self, node: Node) -> None:
        # Text is required by the schema; the number itself is the only honest text there is.
        node.text = node.marker.printed
        self.find("unplaced", f"编号“{node.marker.printed}”后没有文字，已以编号本身作为条文文字", node.lines)

    def _attach(self, node: Node, paras: list[Para]) -> None:
        node.paragraphs.extend(paras)
        if not node.heading:
            node.para_guess = True


# ------------------------------------------------------------------------------------------ checks


def check_numbering(p: _Parser, roots: list[Node]) -> None:
    """Gaps, duplicates, out-of-order and non-canonical numbers in every sibling group."""
    articles = [n for n in _walk(roots) if n.marker.style == "article"]
    # 第X条 run on across 第X章: when nested, their sequence is checked once over the whole document.
    global_articles = any(n.depth > 0 for n in articles)

    def sequence(nodes: list[Node], where: str, at_start: bool) -> None:
        first = nodes[0]
        if first.marker.value != 1:
            hint = "（文档可能从列表中间开始）" if at_start else ""
            p.find(
                "numbering",
                f"{where}编号从“{first.marker.printed}”开始，"
                f"而不是“{canonical(first.marker.style, 1)}”{hint}",
                first.lines[:1],
            )
        for a, b in itertools.pairwise(nodes):
            if b.marker.value == a.marker.value:
                p.find("numbering", f"{where}编号“{b.marker.printed}”重复", [a.lines[0], b.lines[0]])
            elif b.marker.value > a.marker.value + 1:
                missing = "、".join(
                    f"“{canonical(a.marker.style, v)}”" for v in range(a.marker.value + 1, b.marker.value)
                )
                p.find("numbering", f"{where}编号“{a.marker.printed}”之后缺{missing}", [b.lines[0]])
            elif b.marker.value < a.marker.value:
                p.find(
                    "numbering",
                    f"{where}编号倒退：“{a.marker.printed}”之后是“{b.marker.printed}”",
                    [b.lines[0]],
                )

    def form(k: Node, where: str) -> None:
        canon = canonical(k.marker.style, k.marker.value)
        printed = k.marker.printed
        if printed == canon:
            return
        if core(printed) != printed:
            why = "含多余空格"
        elif any(c in printed for c in "()"):
            why = "使用了半角括号"
        elif k.marker.style == "arabic":
            why = "使用了“、”或全角点"
        else:
            why = "格式与规范不同"
        p.find(
            "numbering", f"{where}编号“{printed}”{why}，规范写法为“{canon}”（GB/T 9704 7.3.3）", k.lines[:1]
        )

    def group(kids: list[Node], where: str, at_start: bool) -> None:
        by_style: dict[str, list[Node]] = {}
        for k in kids:
            by_style.setdefault(k.marker.style, []).append(k)
        for style, nodes in by_style.items():
            if not (style == "article" and global_articles):
                sequence(nodes, where, at_start)
            for k in nodes:
                form(k, where)
        for i, k in enumerate(kids, start=1):
            group(k.children, f"{where}第 {i} 项（原文“{k.marker.printed}”）下的", False)

    if roots:
        group(roots, "一级", True)
    if global_articles and articles:
        sequence(articles, "条号（全文连续）", articles[0] is roots[0])


def _walk(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(n.children))
    return out


def check_duplicates(p: _Parser, roots: list[Node]) -> None:
    def siblings(kids: list[Node], where: str) -> None:
        # Indexed, not pairwise: 1 200 copies of one line once made 720 000 findings (800 MB).
        for i, j, why in near_duplicates([core(k.text) for k in kids]):
            a, b = kids[i], kids[j]
            p.find(
                "duplicates",
                f"{where}“{a.marker.printed}”与“{b.marker.printed}”{why}：“{_clip(a.text)}”",
                [a.lines[0], b.lines[0]],
            )
        for k in kids:
            siblings(k.children, f"{_path_label(k)}下")

    siblings(roots, "一级条文")
    seen: dict[str, Node] = {}
    for n in _walk(roots):
        key = core(n.text)
        if len(key) < 12:
            continue
        if key in seen and seen[key] is not n:
            first = seen[key]
            if _parent_of(roots, first) is not _parent_of(roots, n):
                p.find(
                    "duplicates",
                    f"{_path_label(n)}与{_path_label(first)}文字相同、分属不同章节（多为各岗位共有的职责，一般无需处理）：“{_clip(n.text)}”",
                    [first.lines[0], n.lines[0]],
                )
        else:
            seen[key] = n


_PATHS: dict[int, str] = {}


def _path_label(n: Node) -> str:
    return _PATHS.get(id(n), f"“{n.marker.printed}”")


def _label_paths(roots: list[Node]) -> None:
    def rec(kids: list[Node], prefix: str) -> None:
        for i, k in enumerate(kids, start=1):
            here = f"{prefix}{k.marker.printed}"
            label = f"第 {i} 个一级条文（原文“{k.marker.printed}”）" if not prefix else f"“{here}”"
            _PATHS[id(k)] = label
            rec(k.children, here if prefix else k.marker.printed)

    rec(roots, "")


def _parent_of(roots: list[Node], target: Node) -> Node | None:
    for n in _walk(roots):
        if any(c is target for c in n.children):
            return n
    return None


def _clip(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[:n] + "…"


def _mid_list_end(p: _Parser, roots: list[Node], closing: list[Para]) -> None:
    if not roots or closing:
        return
    last = _walk(roots)[-1]
    if last.text.rstrip().endswith(("；", ";", "，", ",")):
        p.find(
            "numbering",
            f"文档在列表中间结束：末项“{last.marker.printed}”以“{last.text.rstrip()[-1]}”结尾",
            last.lines[-1:],
        )


# ------------------------------------------------------------------------------------------ driver


def parse(lines: list[str]) -> Parsed:
    """Recognise notice, regulation and report findings in the source lines."""
    _PATHS.clear()
    p = _Parser(lines)
    content = [x for x in p.all if x.text]
    content = p.drop_noise(content)
    wrap = p.detect_wrap_width(content)
    n = NoticeParts()
    body_start = p.notice_head(content, n)
    rest = content
    if body_start >= 0:
        after = p.notice_body(content, body_start, n, wrap)
        rest = content[after:]
    else:
        n = NoticeParts()
    rest = p.end_matter(rest, n)
    title, title_nos, preamble, roots, closing = p.regulation(rest, wrap)
    _label_paths(roots)
    check_numbering(p, roots)
    check_duplicates(p, roots)
    _mid_list_end(p, roots, closing)
    reg_lines = list(title_nos)
    for para in preamble + closing:
        reg_lines.extend(para.lines)
    for node in _walk(roots):
        reg_lines.extend(node.lines)
        for para in node.paragraphs:
            reg_lines.extend(para.lines)
    p.place(reg_lines, "regulation")
    if (n.lines or n.printed_by) and not n.complete():
        # Without 发文字号, title, body, 署名 and date notice.yaml would not validate:
        # keep its text in the report.
        why = "、".join(n.missing())
        for no in sorted(set(n.lines)):
            p.find(
                "unplaced", f"发文通知缺少{why}，未生成 notice.yaml；此行未导入：“{p.all[no - 1].text}”", [no]
            )
        p.place(n.lines, "report")
        n = NoticeParts()
    p.place(n.lines, "notice")
    return Parsed(n, title, title_nos, preamble, roots, closing, p.findings, wrap, p.placed)


__all__ = [
    "Finding",
    "Marker",
    "Node",
    "NoticeParts",
    "Para",
    "Parsed",
    "canonical",
    "core",
    "match_marker",
    "parse",
]
