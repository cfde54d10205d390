"""What one source line is, for `zhidu import`: its numbering marker and the patterns of 公文 lines.

Numbering markers (第X章 … 一、（一）1.（1）①) with their canonical printed forms, and the shapes of
page numbers, dates, 发文字号, 主送, 抄送, 附件 and 印发 lines; plus the text measures they rely on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from zhidu.numbering import NUMERAL_CHARS, chinese_numeral, numeral_value, year_value

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

TERMINAL = "。；;！？!?：:"
CONTINUING = "，、,（(《“‘—-"
OPENING_CLOSERS = "，。、；：？！）》」』”’,.;:?!)]"
_PAGE_NUMBER = [
    re.compile(r"^[-－—–_~·•\s]*\d{1,4}[-－—–_~·•\s]*$"),
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*[/／]\s*\d+$"),
    re.compile(r"^[-－—–]?\s*[Pp]age\s*\d+(\s*of\s*\d+)?\s*[-－—–]?$"),
]
_RESIDUE = re.compile(r"^[()（）\[\]【】\-－—–_~·•.。,，\s]+$")

#: Years in Chinese numerals are written digit by digit; 〇 is often typed as 零, O, Ｏ or ○ (二OO九年).
_DATE_CORE = (
    r"(?P<y>\d{4}|[〇零OoＯ○一二三四五六七八九]{4})\s*年\s*"
    r"(?P<mo>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
#: Header and footer lines (抄送, 附件, 印发, 落款, dates, addressees) are short; a longer line is body text. The
#: patterns below hold lazy groups next to optional spaces, so the cap is also what keeps each match linear.
MAX_PATTERN_LINE = 300


class ShortLine:
    """A compiled pattern tried only on lines of header/footer length (`match` is None for a longer line)."""

    def __init__(self, pattern: str) -> None:
        self.rx = re.compile(pattern)

    def match(self, text: str) -> re.Match[str] | None:
        return self.rx.match(text) if len(text) <= MAX_PATTERN_LINE else None


DATE_LINE = ShortLine(rf"^\s*{_DATE_CORE}\s*$")
SIGN_DATE = ShortLine(rf"^\s*(?P<org>\S.*?\S)\s{{2,}}{_DATE_CORE}\s*$")
#: Two organs signing one document on one line, separated by a run of spaces (联合行文).
JOINT_SIGNATURE = ShortLine(r"^\s*(?P<a>[^\s　]{2,30})[\s　]{2,}(?P<b>[^\s　]{2,30})\s*$")
#: Names of organs (for 署名 and 版头 lines), searched at the end of a short line.
ORGAN = re.compile(r"(委员会|人民政府|政府|办事处|办公室|局|委|厅|部|中心|管委会|街道|乡|镇|党委|党工委)$")
PRINTED = ShortLine(rf"^\s*(?P<org>\S.*?)\s*{_DATE_CORE}\s*印\s*发\s*$")
DOC_NO = ShortLine(
    r"^\s*(?P<organ>[^\s〔〕\[\]【】()（）]{1,24}?)\s*[〔\[【(（［]\s*(?P<year>\d{4})\s*[〕\]】)）］]\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号\s*$"
)
ADDRESSEES = ShortLine(r"^\s*(?P<a>[^。；;]{1,80}?)\s*[：:]\s*$")
CC = ShortLine(r"^\s*抄\s*送\s*[：:]\s*(?P<cc>.+?)\s*[。.]?\s*$")
ATTACHMENT = ShortLine(r"^\s*附\s*件\s*\d*\s*[：:]\s*(?:\d+\s*[.．、]\s*)?(?P<name>.+?)\s*$")
ATTACHMENT_MARK = ShortLine(r"^\s*附\s*件\s*\d*\s*[：:]?\s*$")
NOTICE_TITLE_END = re.compile(r"(通知|决定|通报|意见|批复|通告|公告|报告|请示|函|纪要)$")


#: The chrome and metadata blocks of government web pages: never regulation text (each pattern is anchored
#: and linear; they are tried only on short lines).
_WEB_CHROME = [
    re.compile(r"^\s*source\s*[:：]", re.IGNORECASE),
    re.compile(
        r"^\s*(?:信息)?(?:来源|发布机构|索引号|主题分类|体裁分类|组配分类|发文机关|发布日期|成文日期|公开方式|公开范围"
        r"|浏览次数|访问量|点击数|有效性|生效日期|废止日期|文号|发文字号|标题|名称|主题词|公开日期|信息分类|分类"
        r"|发文日期|主办单位|承办单位|联系电话)\s*[:：]"
    ),
    # Site footers: 网站标识码, ICP/公安备案 numbers, 版权所有.
    re.compile(r"网站标识码|ICP备|公网安备|版权所有"),
    re.compile(r"^\s*(?:首页|当前位置|您的位置|您现在的位置|所在位置)\s*[:：>＞»›]"),
    re.compile(r"[>＞»›]\s*(?:政务公开|政策文件|政府信息公开|通知公告|文件)"),
    re.compile(r"【\s*字体"),
    re.compile(
        r"^[\s【】\[\]]*(?:打印本页|打印|关闭窗口|关闭|朗读|分享到|扫一扫|收藏|返回顶部|保存本页)[\s【】\[\]：:]*"
    ),
]


def web_chrome(text: str) -> bool:
    """A line of web page chrome or of a page's metadata table (索引号, 发布日期, breadcrumbs, 【字体】, 打印本页)."""
    s = text.strip()
    # Metadata labels are often spaced out to align in their table (索 引 号：, 名　　称：).
    return (
        0 < len(s) <= 120 and "。" not in s and any(rx.search(s) or rx.search(core(s)) for rx in _WEB_CHROME)
    )


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
    return bool(s) and len(s) <= limit and s[-1] not in TERMINAL and "。" not in s and match_marker(s) is None


def parse_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(year_value(m["y"]), numeral_value(m["mo"]), numeral_value(m["d"]))
    except ValueError:
        return None


__all__ = [
    "Marker",
    "canonical",
    "core",
    "is_page_number",
    "match_marker",
    "parse_date",
    "title_like",
    "web_chrome",
    "width",
]
