"""Recognise the parts of a 公文 and the numbered hierarchy in source lines, for `zhidu import`.

Every non-empty source line ends up in exactly one place: a notice field, the regulation tree, or a
report entry (dropped by rule, or could not be placed). `Parsed.placed` records which lines went where
so the report can prove nothing was lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from zhidu.importer.checks import check_duplicates, check_numbering, mid_list_end
from zhidu.importer.document import Finding, Node, NoticeParts, Para, Parsed, detect_scheme, walk
from zhidu.importer.markers import (
    ADDRESSEES,
    ATTACHMENT,
    ATTACHMENT_MARK,
    CC,
    CONTINUING,
    DATE_LINE,
    DOC_NO,
    JOINT_SIGNATURE,
    NOTICE_TITLE_END,
    OPENING_CLOSERS,
    ORGAN,
    PRINTED,
    SIGN_DATE,
    TERMINAL,
    Marker,
    canonical,
    core,
    is_page_number,
    match_marker,
    parse_date,
    title_like,
    web_chrome,
    width,
)
from zhidu.numbering import cn_date

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
            if web_chrome(x.text):
                self.find("dropped", f"网页栏目或元数据残留：“{x.text}”", [x.no])
                self.place([x.no], "report")
                continue
            if is_page_number(x.text):
                self.find("dropped", f"页码或残留符号：“{x.text}”", [x.no])
                self.place([x.no], "report")
                continue
            c = core(x.text)
            if counts[c] >= 3 and title_like(c, 30) and not DATE_LINE.match(c):
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
        if nxt[:1] in OPENING_CLOSERS:
            return True
        end = prev.rstrip()[-1:]
        if not end or end in TERMINAL:
            return False
        if end in CONTINUING:
            return True
        return wrap is not None and width(prev_raw) >= wrap - 4

    # -- notice ----------------------------------------------------------------------------------

    def notice_head(self, content: list[_L], n: NoticeParts) -> int:
        """Recognise 发文字号, title and 主送 at the top; returns the index where the body starts."""
        doc_i = next((i for i, x in enumerate(content[:12]) if DOC_NO.match(x.text)), None)
        start = 0
        early_title: list[_L] = []
        if doc_i is not None:
            x = content[doc_i]
            m = DOC_NO.match(x.text)
            assert m is not None
            n.doc_no = (m["organ"], int(m["year"]), int(m["serial"]))
            canon = f"{m['organ']}〔{m['year']}〕{int(m['serial'])}号"
            if core(x.text) != canon:
                self.find(
                    "normalised", f"发文字号“{x.text}”规范为“{canon}”（六角括号〔〕、序号无前导零）", [x.no]
                )
            n.lines.append(x.no)
            before = content[:doc_i]
            # Title-first layouts print the title above the 文号; a 版头 names one or two organs (联合行文).
            t_at = next(
                (k for k in range(len(before) - 1, -1, -1) if NOTICE_TITLE_END.search(core(before[k].text))),
                None,
            )
            head = before if t_at is None else before[:t_at]
            early_title = [] if t_at is None else before[t_at : t_at + 1]
            organs: list[str] = []
            for y in head:
                c = core(y.text)
                if title_like(y.text) and (c.endswith("文件") or ORGAN.search(c)):
                    organs.append(c.removesuffix("文件"))
                    n.lines.append(y.no)
                else:
                    self.find("unplaced", f"发文字号之前的文字：“{y.text}”", [y.no])
                    self.place([y.no], "report")
            if organs:
                n.organ_mark = "　".join(organs) + ("文件" if core(head[-1].text).endswith("文件") else "")
                if len(organs) > 1:
                    self.find(
                        "normalised", f"联合行文：版头列出 {len(organs)} 个机关（{'、'.join(organs)}）", []
                    )
            for y in before[t_at + 1 :] if t_at is not None else []:
                self.find("unplaced", f"标题与发文字号之间的文字：“{y.text}”", [y.no])
                self.place([y.no], "report")
            start = doc_i + 1
        i = start
        titles: list[_L] = []
        while i < len(content) and title_like(content[i].text, 60) and not ADDRESSEES.match(content[i].text):
            titles.append(content[i])
            i += 1
        addressee = (
            i < len(content)
            and ADDRESSEES.match(content[i].text) is not None
            and title_like(core(content[i].text)[:-1], 80)
            # 主送 lists organs (、 within a group, ， between groups), never a clause.
            and all(_organ_group(g) for g in re.split(r"[，,]", core(content[i].text)[:-1]) if g)
        )
        notice_title = bool(titles) and bool(NOTICE_TITLE_END.search(core(titles[-1].text)))
        if doc_i is None and not (addressee and (notice_title or titles)):
            return -1  # no notice: the whole file is the regulation
        if doc_i is not None and not titles and early_title:
            titles = early_title
            self.find(
                "normalised",
                f"标题在发文字号之上（标题在前的版式）：“{_title_text(titles[0].text)}”",
                [titles[0].no],
            )
        n.title_lines = [_title_text(t.text) for t in titles]
        n.lines.extend(t.no for t in titles)
        if addressee:
            m = ADDRESSEES.match(content[i].text)
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
        listed = self._attachment_list(content, i)
        first_num = next(
            (k for k in range(i, len(content)) if k not in listed and match_marker(content[k].text)),
            len(content),
        )
        date_k = None
        for k in range(i, first_num):
            if DATE_LINE.match(content[k].text) or SIGN_DATE.match(content[k].text):
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
            m = SIGN_DATE.match(x.text)
            if m:
                n.signature = core(m["org"])
                n.date = parse_date(m)
                body_end = date_k
            else:
                m = DATE_LINE.match(x.text)
                assert m is not None
                n.date = parse_date(m)
                body_end = date_k - self.signature(content, i, date_k, n)
            n.lines.append(x.no)
            self._note_date(x, n.date)
            after = date_k + 1
            note = _NOTE.match(content[after].text) if after < len(content) else None
            if note is not None:
                # GB/T 9704 7.3.6 附注 below the date: （此件公开发布）, never part of the regulation's title.
                n.note = note["note"]
                n.lines.append(content[after].no)
                self.find("normalised", f"附注“{content[after].text.strip()}”识别为附注", [content[after].no])
                after += 1
        body_lines: list[_L] = []
        for k, x in enumerate(content[i:body_end], start=i):
            if k in listed:
                name = listed[k]
                n.attachments.append(name)
                n.lines.append(x.no)
                self.find("normalised", f"附件说明续行“{x.text.strip()}”识别为附件“{name}”", [x.no])
                continue
            a = ATTACHMENT.match(x.text)
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

    @staticmethod
    def _attachment_list(content: list[_L], lo: int) -> dict[int, str]:
        """The lines that continue a numbered 附件说明 (附件：1.……／　　　2.……): index → attachment name.

        They are numbered like items, so without this the first of them would be taken for the regulation."""
        out: dict[int, str] = {}
        for k in range(lo, min(len(content), lo + 40)):
            if not _ATTACHMENT_FIRST.match(content[k].text):
                continue
            expect = 2
            for j in range(k + 1, len(content)):
                m = _ATTACHMENT_NEXT.match(content[j].text)
                if m is None or int(m["n"]) != expect or not title_like(m["name"], 60):
                    break
                out[j] = core(m["name"]).rstrip("。.;；")
                expect += 1
            break
        return out

    def signature(self, content: list[_L], lo: int, date_k: int, n: NoticeParts) -> int:
        """署名 above the date line at `date_k`: one organ, or two (联合行文, on two lines or one); returns how
        many lines it took."""
        sig = content[date_k - 1] if date_k - 1 >= lo else None
        if sig is None or not title_like(sig.text) or DATE_LINE.match(sig.text):
            return 0
        joint = JOINT_SIGNATURE.match(sig.text)
        names = [joint["a"], joint["b"]] if joint else [core(sig.text)]
        taken = [sig]
        above = content[date_k - 2] if date_k - 2 >= lo else None
        if (
            not joint
            and above is not None
            and title_like(above.text)
            and ORGAN.search(core(above.text))
            and ORGAN.search(names[0])
            and not NOTICE_TITLE_END.search(core(above.text))
        ):
            names.insert(0, core(above.text))
            taken.insert(0, above)
        n.signature = "　".join(names)
        n.lines.extend(t.no for t in taken)
        if len(names) > 1:
            self.find("normalised", f"联合署名：{'、'.join(names)}", [t.no for t in taken])
        return len(taken)

    def _note_date(self, x: _L, d: dt.date | None) -> None:
        m = DATE_LINE.match(x.text) or SIGN_DATE.match(x.text)
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
            m = PRINTED.match(x.text)
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
            d = DATE_LINE.match(x.text) or SIGN_DATE.match(x.text)
            if d and n.date is None and end == len(content) - self._tail_taken(n):
                # 署名 and 成文日期 at the very end: a 意见 or 决定 whose body is the regulation itself.
                n.date = parse_date(d)
                n.lines.append(x.no)
                self._note_date(x, n.date)
                end -= 1
                if SIGN_DATE.match(x.text):
                    sd = SIGN_DATE.match(x.text)
                    assert sd is not None
                    n.signature = core(sd["org"])
                else:
                    end -= self.signature(content, 0, end, n)
                continue
            c = CC.match(x.text)
            if c and not n.cc:
                n.cc = [core(s) for s in re.split(r"[，,、]", c["cc"]) if core(s)]
                n.lines.append(x.no)
                self.find("normalised", f"抄送行“{x.text.strip()}”识别为抄送机关：{'、'.join(n.cc)}", [x.no])
                end -= 1
                continue
            break
        return content[:end]

    def attachment_contents(self, content: list[_L]) -> list[_L]:
        """Lines from a second 附件 mark on (附件1 after the regulation, 附件2 after 附件1) are the contents of
        other attachments (名单, 台账): listed in the report, never regulation text. Returns the lines before."""
        numbered = False
        for k, x in enumerate(content):
            numbered = numbered or match_marker(x.text) is not None
            if k and numbered and ATTACHMENT_MARK.match(x.text):
                for y in content[k:]:
                    self.find("unplaced", f"其他附件的内容，未导入制度：“{y.text.strip()}”", [y.no])
                self.place([y.no for y in content[k:]], "report")
                return content[:k]
        return content

    @staticmethod
    def _tail_taken(n: NoticeParts) -> int:
        # Lines already taken from the end (印发, 抄送): a date may sit just above them.
        return int(n.printed_by is not None) + int(bool(n.cc))

    # -- regulation ------------------------------------------------------------------------------

    def regulation(
        self, lines: list[_L], wrap: int | None
    ) -> tuple[str, list[int], list[Para], list[Node], list[Para]]:
        i = 0
        while i < len(lines) and ATTACHMENT_MARK.match(lines[i].text):
            self.find(
                "dropped", f"附件标识行“{lines[i].text.strip()}”（版式要素，由排版生成）", [lines[i].no]
            )
            self.place([lines[i].no], "report")
            i += 1
        titles: list[_L] = []
        while i < len(lines) and title_like(lines[i].text) and len(titles) < 4:
            if DATE_LINE.match(lines[i].text) or SIGN_DATE.match(lines[i].text):
                # A date is never part of a title: what came before it was a 署名, not a title.
                self.find(
                    "unplaced",
                    f"制度标题之前的署名或日期：“{'　'.join(t.text for t in [*titles, lines[i]])}”",
                    [t.no for t in [*titles, lines[i]]],
                )
                self.place([t.no for t in [*titles, lines[i]]], "report")
                titles = []
                i += 1
                continue
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
        self._mid_list_parent(paras, roots, stack, last_at)
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

    def fold_below_items(self, nodes: list[Node], below_article: int = -1) -> None:
        """A statute has three levels from the article (条 → （一）项 → 1.目): anything numbered below a 目 is kept,
        number and all, as paragraphs of that 目, so the import stays loadable."""
        for n in nodes:
            level = 0 if n.marker.style == "article" else below_article + 1 if below_article >= 0 else -1
            if level == 2 and n.children:
                for x in walk(n.children):
                    n.paragraphs.append(Para(x.marker.printed + x.text, x.lines))
                    n.paragraphs.extend(x.paragraphs)
                    self.find(
                        "numbering",
                        f"“{x.marker.printed}”位于第三级（目）之下，超过条款式的层级（条 → （一）项 → 1.目），"
                        "已连同编号作为上级条文的段落保留",
                        x.lines,
                    )
                n.children = []
            else:
                self.fold_below_items(n.children, level)

    def _mid_list_parent(
        self, paras: list[Para], roots: list[Node], stack: list[str], last_at: list[Node]
    ) -> None:
        """A document that starts mid-list ((三)… then 二、…): its first items belong to a level-one item whose
        heading is missing; that item becomes a marked placeholder so the tree keeps its real shape."""
        found = [(m, p) for m, p in ((match_marker(p.text), p) for p in paras) if m is not None]
        if not found:
            return
        first, first_para = found[0]
        higher = [m for m, _p in found[1:] if _RANK[m.style] < _RANK[first.style]]
        if not higher:
            return
        top = min(higher, key=lambda m: _RANK[m.style])
        if top.value <= 1:
            return
        value = top.value - 1
        text = "【待定：原文从列表中间开始，本项标题缺失】"
        # The missing item stands where the first item is: its line is the one reports can point at.
        node = Node(
            Marker(top.style, value, canonical(top.style, value), ""), text, list(first_para.lines[:1]), 0
        )
        roots.append(node)
        stack.append(top.style)
        last_at.append(node)
        self.find(
            "placeholder",
            f"文档从列表中间开始（首项“{first.printed}”，其后出现“{top.printed}”）：已补一个占位的上级条文“{node.marker.printed}”",
            [],
        )

    def _empty_marker(self, node: Node) -> None:
        # Text is required by the schema; the number itself is the only honest text there is.
        node.text = node.marker.printed
        self.find("unplaced", f"编号“{node.marker.printed}”后没有文字，已以编号本身作为条文文字", node.lines)

    def _attach(self, node: Node, paras: list[Para]) -> None:
        node.paragraphs.extend(paras)
        if not node.heading:
            node.para_guess = True


# ------------------------------------------------------------------------------------------ driver


#: A space after an organ's name in a title separates joint issuers (中共某镇委员会 某镇人民政府关于…).
_JOINT_GAP = re.compile(r"(委员会|人民政府|办事处|办公室|党工委|党委)[\s\u3000\u00a0]+(?=\S)(?!关于)")


def _title_text(s: str) -> str:
    """A notice title line without its spaces, except the full-width one between joint issuers."""
    return core(_JOINT_GAP.sub("\\1\x00", s.strip())).replace("\x00", "　")


#: 附注 (GB/T 9704 7.3.6), printed in parentheses below the date: （此件公开发布）, （联系人：…）.
_NOTE = re.compile(r"^\s*[（(](?P<note>此件[^（()）]{1,12}|联系人[^（()）]{1,40})[）)]\s*$")
#: The first line of a numbered 附件说明 and the lines that continue it.
_ATTACHMENT_FIRST = re.compile(r"^\s*附\s*件\s*[：:]\s*1\s*[.．、]")
_ATTACHMENT_NEXT = re.compile(r"^[\s　]*(?P<n>\d{1,2})\s*[.．、]\s*(?P<name>\S.*?)\s*$")
#: A group of addressees ends with an organ or a collective (各社区, 市政府各部门, 镇直各单位, 村委会).
_ORGAN_GROUP = re.compile(
    r"(委员会|委会|政府|办事处|办公室|局|委|厅|部|部门|单位|中心|社区|村|科室|站所|站|所|党支部|党组织|党委|党工委"
    r"|学校|企业|公司|机构|园区|乡镇|乡|镇|街道|镇街|网格|小组|团体|队)$"
)
#: A trailing bracketed alternative of an addressee group: 各镇（街道）, 各村（社区）.
_GROUP_ALT = re.compile(r"[（(][^（()）]{1,8}[）)]$")


def _organ_group(group: str) -> bool:
    """True when one comma-separated group of a 主送 line ends with an organ or a collective."""
    return _ORGAN_GROUP.search(_GROUP_ALT.sub("", group)) is not None


#: How high each numbering style sits (a document that starts mid-list shows a higher one later).
_RANK = {"chapter": 0, "part": 1, "article": 2, "cn": 3, "pcn": 4, "arabic": 5, "parg": 6, "circled": 7}
#: Notice titles naming a document that is itself the regulation (not a 通知 that issues one).
_SELF_TITLED = re.compile(r"(意见|决定|规定|办法|方案|细则|制度)$|^(?!.*印发).*通知$")


def parse(lines: list[str]) -> Parsed:
    """Recognise notice, regulation and report findings in the source lines."""
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
    rest = p.attachment_contents(rest)
    n.regulation_attached = bool(rest) and ATTACHMENT_MARK.match(rest[0].text) is not None
    title, title_nos, preamble, roots, closing = p.regulation(rest, wrap)
    if detect_scheme(roots)[0] == "statute":
        p.fold_below_items(roots)
    check_numbering(p.find, roots)
    check_duplicates(p.find, roots)
    mid_list_end(p.find, roots, closing)
    reg_lines = list(title_nos)
    for para in preamble + closing:
        reg_lines.extend(para.lines)
    for node in walk(roots):
        reg_lines.extend(node.lines)
        for para in node.paragraphs:
            reg_lines.extend(para.lines)
    p.place(reg_lines, "regulation")
    if (n.lines or n.printed_by) and not n.complete():
        # notice.yaml is still written: what is missing becomes a marked placeholder (【待定】), listed here.
        p.find("placeholder", f"发文通知缺少{'、'.join(n.missing())}，已以“【待定】”占位，请补全", [])
    if title and any(core(a) == core(title) for a in n.attachments):
        n.regulation_attached = True
    if not title and n.title_lines and _SELF_TITLED.search(n.title_lines[-1]):
        # A 意见/决定/方案 issued as itself: the notice's title is the regulation's.
        title = "".join(n.title_lines)
        p.find("normalised", f"原文无单独的制度标题，制度标题取发文标题“{title}”", [])
    p.place(n.lines, "notice")
    return Parsed(n, title, title_nos, preamble, roots, closing, p.findings, wrap, p.placed)


__all__ = ["parse"]
