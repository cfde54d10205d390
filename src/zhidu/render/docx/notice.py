"""The notice (公文) as .docx per GB/T 9704-2012: 版头, 主体, the regulation, 版记 and page numbers.

Every position and size comes from the layout profile (`layout.py`); the comments cite the clause.
The version stamp is deliberately not printed on the official page: it goes into the core properties.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from zhidu.layout import NO_BODY_MARK, Profile, cjk_width, load_profile
from zhidu.render.base import RenderContext
from zhidu.render.docx import docx_builder
from zhidu.render.docx.base import add_page_number_footers, add_style, new_document
from zhidu.render.docx.basecache import cached_base
from zhidu.render.docx.ooxml import (
    El,
    W,
    add_break,
    paragraph,
    ppr_of,
    run,
    run_props,
    set_child,
    set_rpr_font,
)
from zhidu.render.docx.package import Base, Docx
from zhidu.render.docx.titles import lines_ok, split_title
from zhidu.units import PT_PER_MM, TW_PER_MM, TW_PER_PT
from zhidu.views.base import View
from zhidu.views.notice import NoticeView

if TYPE_CHECKING:
    from docx.document import Document

    from zhidu.views.notice import Block

#: Style ids written into styles.xml; `zhidu verify` recognises elements by them.
S_BODY, S_TITLE, S_MARK, S_DOCNO, S_HEAD, S_PLAIN = (
    "ZhiduBody",
    "ZhiduTitle",
    "ZhiduMark",
    "ZhiduDocNo",
    "ZhiduHead",
    "ZhiduPlain",
)
S_LEVEL = ("ZhiduLevel1", "ZhiduLevel2", "ZhiduLevel3", "ZhiduLevel4")
S_SIGN, S_DATE, S_NOTE, S_ATTACH, S_IMPRINT = (
    "ZhiduSignature",
    "ZhiduDate",
    "ZhiduNote",
    "ZhiduAttachNote",
    "ZhiduImprint",
)

# Calibrated in LibreOffice 7.4 with the open substitute fonts: the ink top of a CJK glyph set on an exact line
# of 1.2 × size sits about this fraction of the size below the line top (measured on a 300 dpi rendering).
_MARK_INK_OFFSET = 0.13
# The 发文字号 glyph bottom sits this many points above the bottom of its exact 579-tw line box (measured).
_DOCNO_DESCENT_PT = 4.1
# The ink bottom of the 标志's glyphs, as a fraction of the size below the line top (same measurement).
_MARK_INK_BOTTOM = 0.93
# The ink top of a 三号 glyph sits this many points below the top of its exact 579-tw line (measured).
_BODY_INK_OFFSET_PT = 5.6


def _make_base(p: Profile) -> Document:
    """The notice's base package: GB/T 9704 page, the notice's paragraph styles and the page-number footers."""
    d = new_document(p)
    fs, sp, body_pt, latin = (
        p["fonts.fangsong"],
        p["grid.char_spacing_tw"],
        p["sizes.body_pt"],
        p["fonts.latin"],
    )
    f = {k: p[f"fonts.{k}"] for k in ("fangsong", "heiti", "kaiti", "xiaobiaosong")}
    indent = p["grid.first_line_indent_chars"] * int(body_pt * TW_PER_PT)
    common: dict[str, Any] = {"latin": latin, "spacing_tw": sp, "line_tw": p["grid.line_pitch_tw"]}
    # GB/T 9704 7.3.3: 三号仿宋, 2-字 first-line indent. Alignment per profile: justified text loses
    # hanging line-final commas in LibreOffice 7.4 PDFs (issue 3 item 7), so the standard profile says left.
    jc = p["grid.body_align"]
    add_style(d, S_BODY, "Zhidu Body", fs, body_pt, first_line_tw=indent, jc=jc, **common)
    add_style(d, S_PLAIN, "Zhidu Plain", fs, body_pt, jc="left", **common)
    add_style(d, S_HEAD, "Zhidu Head", f["heiti"], body_pt, jc="left", **common)
    for i, (sid, fkey) in enumerate(zip(S_LEVEL, p["body.heading_fonts"], strict=True)):
        add_style(
            d,
            sid,
            f"Zhidu Level {i + 1}",
            f[fkey],
            body_pt,
            first_line_tw=indent,
            jc=jc,
            **common,
        )
    add_style(d, S_DOCNO, "Zhidu Doc No", fs, body_pt, jc=p["head.doc_no_align"], **common)
    # GB/T 9704 7.3.1: 二号小标宋, centred; off the line grid or each line takes two rows (docs/gbt9704.md §4).
    add_style(
        d,
        S_TITLE,
        "Zhidu Title",
        f["xiaobiaosong"],
        p["sizes.title_pt"],
        jc="center",
        latin=latin,
        line_tw=p["sizes.title_line_tw"],
        snap_to_grid=False,
    )
    add_style(
        d,
        S_MARK,
        "Zhidu Organ Mark",
        f["xiaobiaosong"],
        p["sizes.organ_mark_max_pt"],
        jc="center",
        latin=latin,
        color=p["colors.red"],
        snap_to_grid=False,
    )
    add_style(d, S_SIGN, "Zhidu Signature", fs, body_pt, jc="right", **common)
    add_style(d, S_DATE, "Zhidu Date", fs, body_pt, jc="right", **common)
    add_style(d, S_NOTE, "Zhidu Note", fs, body_pt, first_line_tw=indent, jc="left", **common)
    add_style(d, S_ATTACH, "Zhidu Attachment Note", fs, body_pt, jc="left", **common)
    add_style(
        d,
        S_IMPRINT,
        "Zhidu Imprint",
        fs,
        p["sizes.cc_pt"],
        jc="left",
        latin=latin,
        line_tw=p["grid.line_pitch_tw"],
        snap_to_grid=False,
    )
    add_page_number_footers(d, p)
    return d


def notice_base(prof: Profile) -> Base:
    """The notice's base package for `prof`, built on first use."""
    return cached_base("notice", prof, _make_base)


class NoticeWriter:
    """Writes one notice over the profile's base package."""

    def __init__(self, view: NoticeView, prof: Profile) -> None:
        self.v = view
        self.n = view.notice
        self.p = prof
        self.doc: Docx = notice_base(prof).new()
        self.body_pt: float = prof["sizes.body_pt"]
        self.char_tw = prof.char_tw
        self.pitch = prof["grid.line_pitch_tw"]
        self.f = {k: prof[f"fonts.{k}"] for k in ("fangsong", "heiti", "kaiti", "xiaobiaosong", "songti")}
        self.latin = prof["fonts.latin"]
        self.red = prof["colors.red"]
        #: Estimated height of everything written so far, in twips; used to fit the signature on its page.
        self.used_tw = 0
        self.last_body: El | None = None
        #: The first 正文 paragraph and the estimated height above it, in twips.
        self.first_body: El | None = None
        self.body_starts_tw = 0
        #: The 署名 and date went alone to a page under （此页无正文）: nothing else may follow on that page.
        self.signature_alone = False

    # ------------------------------------------------------------------ primitives
    def para(
        self, style: str, text: str = "", face: str | None = None, size: float | None = None, **kw: Any
    ) -> El:
        """A paragraph whose every run carries the face explicitly (docs/gbt9704.md §4)."""
        par = paragraph(self.doc.body, style)
        if text:
            self.run(par, text, face or self.f["fangsong"], size or self.body_pt, **kw)
        indent = 2 if style in (S_BODY, *S_LEVEL) else 0
        per_line = self.p["grid.chars_per_line"]
        if style in (S_BODY, *S_LEVEL) and self.first_body is None:
            self.first_body, self.body_starts_tw = par, self.used_tw
        self.used_tw += self.pitch * max(1, math.ceil((indent + cjk_width(text)) / per_line))
        if style in (S_BODY, *S_LEVEL):
            self.last_body = par
        return par

    def run(self, par: El, text: str, face: str, size: float, spacing: bool = True, **kw: Any) -> None:
        sp = self.p["grid.char_spacing_tw"] if spacing else None
        run(par, text, run_props(face, size, latin=self.latin, spacing_tw=sp, **kw))

    def blank(self, n: int = 1, keep: bool = False) -> None:
        """N empty body lines: how 空N行 is realised (docs/gbt9704.md §1)."""
        for _ in range(n):
            par = self.para(S_PLAIN)
            if keep:
                set_child(ppr_of(par), "w:keepNext", {})

    def ind(self, par: El, **attrs: int) -> None:
        set_child(ppr_of(par), "w:ind", {f"w:{k}": v for k, v in attrs.items()})

    # ------------------------------------------------------------------ 版头 (GB/T 9704 7.2)
    def head(self) -> None:
        n = self.n
        lines = 0
        if self.v.draft_mark:
            # Practice: a draft sent out for comment says so in the header area, 三号黑体, above everything.
            self.para(S_HEAD, self.v.draft_mark, self.f["heiti"])
            lines += 1
        if n is not None and n.copy_no:
            self.para(S_PLAIN, n.copy_no)  # 7.2.1 份号, flush left, line 1
            lines += 1
        if n is not None and n.secrecy:
            self.para(S_HEAD, n.secrecy, self.f["heiti"])  # 7.2.2 三号黑体
            lines += 1
        if n is not None and n.urgency:
            self.para(S_HEAD, n.urgency, self.f["heiti"])  # 7.2.3 三号黑体
            lines += 1
        if self.p.get("head.doc_no_below_separator", False):
            self.letter_head()
            self.blank(self.p["head.blank_lines_after_separator"])
            return
        self.mark(lines)
        self.blank(self.p["head.blank_lines_after_mark"])  # 7.2.5 标志下空二行
        self.doc_no_line()
        self.blank(self.p["head.blank_lines_after_separator"])  # 7.3.1 分隔线下空二行

    def mark(self, lines_above: int) -> None:
        text = self.n.organ_mark if self.n is not None else ""
        width_pt = self.p.text_width_tw / TW_PER_PT
        # 7.2.4 gives no size: fit the 版心 width, capped by the profile.
        size = min(float(self.p["sizes.organ_mark_max_pt"]), math.floor(width_pt / max(cjk_width(text), 1)))
        line_tw = round(size * 1.2 * TW_PER_PT)
        target_pt = self.p["head.organ_mark_top_mm"] * PT_PER_MM
        if self.p["head.organ_mark_from"] == "page":
            # 10.1 信函: measured from the paper edge; the 版心 starts at the top margin.
            target_pt -= self.p["page.margin_top_mm"] * PT_PER_MM
        before_pt = target_pt - lines_above * self.pitch / TW_PER_PT - _MARK_INK_OFFSET * size
        par = self.para(S_MARK, text, self.f["xiaobiaosong"], size, spacing=False, color=self.red)
        ppr = ppr_of(par)
        if before_pt < 0:
            # The mark starts above the 版心 (信函格式): pull it up with a page-anchored frame.
            set_child(
                ppr,
                "w:framePr",
                {
                    "w:w": self.p.text_width_tw,
                    "w:hAnchor": "margin",
                    "w:xAlign": "center",
                    "w:vAnchor": "page",
                    "w:y": round(
                        (target_pt + self.p["page.margin_top_mm"] * PT_PER_MM - _MARK_INK_OFFSET * size)
                        * TW_PER_PT
                    ),
                    "w:wrap": "notBeside",
                },
            )
            before_pt = 0
        set_child(
            ppr,
            "w:spacing",
            {
                "w:before": round(before_pt * TW_PER_PT),
                "w:after": 0,
                "w:line": line_tw,
                "w:lineRule": "exact",
            },
        )
        self.used_tw += round(before_pt * TW_PER_PT) + line_tw - self.pitch

    def letter_head(self) -> None:
        """10.1 信函格式: 标志 30 mm from the paper top, a red double line (thick over thin) 4 mm below it, the
        发文字号 under that line at the right, and a thin-over-thick double line 20 mm above the paper bottom.

        Both lines are borders of single framed paragraphs at page positions (LibreOffice keeps the borders
        of a lone framed paragraph); the frames let text through, so the 发文字号 is placed by spacing alone.
        """
        text = self.n.organ_mark if self.n is not None else ""
        width_pt = self.p.text_width_tw / TW_PER_PT
        size = min(float(self.p["sizes.organ_mark_max_pt"]), math.floor(width_pt / max(cjk_width(text), 1)))
        line_tw = round(size * 1.2 * TW_PER_PT)
        top_pt = self.p["head.organ_mark_top_mm"] * PT_PER_MM
        line_w = round(self.p["head.separator_width_mm"] * TW_PER_MM)
        sep_pt = self.p["head.separator_pt"]
        # The line sits the profile's gap below the glyphs' ink bottom (calibrated so the measured gap is 4 mm).
        ink_bottom_pt = top_pt + (_MARK_INK_BOTTOM - _MARK_INK_OFFSET) * size
        frame_y = round((top_pt - _MARK_INK_OFFSET * size) * TW_PER_PT)
        space_pt = self.p["head.separator_gap_mm"] * PT_PER_MM - (
            frame_y / TW_PER_PT + line_tw / TW_PER_PT - ink_bottom_pt
        )
        # w:space takes whole points: the fraction goes into the frame's exact line height.
        space = max(0, math.floor(space_pt))
        line_tw += round((space_pt - space) * TW_PER_PT) if space_pt > 0 else 0
        par = paragraph(self.doc.body, S_MARK)
        self.run(par, text, self.f["xiaobiaosong"], size, spacing=False, color=self.red)
        ppr = ppr_of(par)
        self._page_frame(ppr, line_w, frame_y)
        bdr = set_child(ppr, "w:pBdr")
        set_child(
            bdr,
            "w:bottom",
            {
                "w:val": "thickThinSmallGap",
                "w:sz": round(sep_pt * 8),
                "w:space": space,
                "w:color": self.red,
            },
        )
        set_child(ppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": line_tw, "w:lineRule": "exact"})
        line_bottom_pt = ink_bottom_pt + self.p["head.separator_gap_mm"] * PT_PER_MM + sep_pt
        # 10.1: the 发文字号's first character 7/8 of a 三号 character's height below the line.
        doc_top_pt = line_bottom_pt + self.p["head.doc_no_gap_chars"] * self.body_pt
        before_pt = doc_top_pt - self.p["page.margin_top_mm"] * PT_PER_MM - _BODY_INK_OFFSET_PT
        doc = self.para(S_DOCNO, self.v.doc_no)
        dppr = ppr_of(doc)
        set_child(
            dppr,
            "w:spacing",
            {
                "w:before": round(before_pt * TW_PER_PT),
                "w:after": 0,
                "w:line": self.pitch,
                "w:lineRule": "exact",
            },
        )
        self.ind(doc, right=round(self.p["head.doc_no_right_indent_chars"] * self.char_tw))
        self.used_tw += round(before_pt * TW_PER_PT)
        bottom_mm = self.p.get("head.bottom_double_line_mm")
        if bottom_mm:
            # The foot line: thin over thick, its top edge `bottom_mm` above the paper's lower edge (page 1).
            # The first-named line of a border style lies towards the text: thickThin on a top border is
            # thin outside (above) and thick inside (below), as measured in LibreOffice.
            foot = paragraph(self.doc.body, S_PLAIN)
            fppr = ppr_of(foot)
            y = round((self.p["page.height_mm"] - bottom_mm) * TW_PER_MM)
            self._page_frame(fppr, line_w, y, height=80)
            set_child(
                set_child(fppr, "w:pBdr"),
                "w:top",
                {"w:val": "thickThinSmallGap", "w:sz": round(sep_pt * 8), "w:space": 0, "w:color": self.red},
            )
            set_child(fppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20, "w:lineRule": "exact"})
            set_rpr_font(set_child(fppr, "w:rPr"), self.f["fangsong"], 1)

    def _page_frame(self, ppr: El, width_tw: int, y_tw: int, height: int | None = None) -> None:
        attrs: dict[str, str | int] = {"w:w": width_tw}
        if height is not None:
            attrs.update({"w:h": height, "w:hRule": "exact"})
        attrs.update(
            {"w:wrap": "through", "w:vAnchor": "page", "w:hAnchor": "page", "w:xAlign": "center", "w:y": y_tw}
        )
        set_child(ppr, "w:framePr", attrs)

    def doc_no_line(self) -> None:
        n = self.n
        doc_no = self.v.doc_no
        par = self.para(S_DOCNO)
        ppr = ppr_of(par)
        if n is not None and n.upward and n.signers:
            # 7.2.5/7.2.6 上行文: 发文字号 1 字 from the left, 签发人 right-aligned 1 字 in on the same line.
            tabs = set_child(ppr, "w:tabs")
            set_child(tabs, "w:tab", {"w:val": "right", "w:pos": self.p.text_width_tw - self.char_tw})
            set_child(ppr, "w:jc", {"w:val": "left"})
            self.ind(par, left=self.char_tw)
            self.run(par, doc_no, self.f["fangsong"], self.body_pt)
            self.run(par, "\t签发人：", self.f["fangsong"], self.body_pt)
            self.run(par, "　".join(n.signers[:2]), self.f["kaiti"], self.body_pt)
        else:
            self.run(par, doc_no, self.f["fangsong"], self.body_pt)
        # 7.2.7: red separator 4 mm below the 发文字号, as wide as the 版心 (or 170 mm for 信函, 10.1).
        gap_pt = max(0.0, self.p["head.separator_gap_mm"] * PT_PER_MM - _DOCNO_DESCENT_PT)
        style = self.p["head.separator_style"]
        val = {"single": "single", "thickThin": "thickThinSmallGap"}.get(style, style)
        self.used_tw += round(gap_pt * TW_PER_PT) + round(self.p["head.separator_pt"] * TW_PER_PT)
        bdr = set_child(ppr, "w:pBdr")
        set_child(
            bdr,
            "w:bottom",
            {
                "w:val": val,
                "w:sz": round(self.p["head.separator_pt"] * 8),
                "w:space": round(gap_pt),
                "w:color": self.red,
            },
        )
        extra_mm = (self.p["head.separator_width_mm"] - self.p.text_width_tw / TW_PER_MM) / 2
        if extra_mm > 0.5:
            out = -round(extra_mm * TW_PER_MM)
            ind = ppr.find(W + "ind")
            left = int(ind.get(W + "left", "0")) if ind is not None else 0
            self.ind(par, left=out + left, right=out)

    # ------------------------------------------------------------------ 主体 (GB/T 9704 7.3)
    def title(self, lines: list[str]) -> El:
        """The 标题 (7.3.1), kept with the line after it; a line a little over the 版心 width is squeezed."""
        par = self.para(S_TITLE)
        size = self.p["sizes.title_pt"]
        width = self.p.text_width_tw
        for i, line in enumerate(lines):
            if i:
                add_break(par[-1])
            over = cjk_width(line) * size * TW_PER_PT - width
            # 7.3.5.5 allows adjusting character spacing; the title breaker lets one line run a 字 over.
            sp = -math.ceil((over + 20) / cjk_width(line)) if over > -20 else None
            run(par, line, run_props(self.f["xiaobiaosong"], size, latin=self.latin, spacing_tw=sp))
        set_child(ppr_of(par), "w:keepNext", {})
        set_child(ppr_of(par), "w:keepLines", {})
        self.used_tw += len(lines) * self.p["sizes.title_line_tw"] - self.pitch
        return par

    def title_lines(self, text_lines: list[str]) -> list[str]:
        """Explicit breaks of the YAML when they fall between words in a 梯形 or 菱形; otherwise broken anew."""
        keep = self.keep_names()
        limit = self.p.title_chars_per_line
        if len(text_lines) > 1 and lines_ok(text_lines, limit, keep):
            return text_lines
        return split_title("".join(text_lines), limit, keep)

    def keep_names(self) -> tuple[str, ...]:
        """Names a title line must not break inside: the organ as marked, signed and printed."""
        n = self.n
        if n is None:
            return ()
        names = {n.organ, n.organ_mark, n.signature, n.printed_by}
        return tuple(sorted((x for x in names if x), key=len, reverse=True))

    def block(self, b: Block) -> None:
        if b.kind == "para" or b.level < 0:
            self.para(S_BODY, b.text)
            return
        sid = S_LEVEL[b.level]
        face = self.f[self.p["body.heading_fonts"][b.level]]
        scope = self.p["body.heading_font_scope"]
        # A run-on item: the heading sentence in the level's face, the text that runs on in 仿宋 (practice).
        head, rest = b.full, ""
        if scope == "number_only":
            head, rest = b.number, b.text
        elif scope == "first_sentence":
            head, rest = b.lead, b.runon
        par = self.para(sid, head, face)
        if rest:
            self.run(par, rest, self.f["fangsong"], self.body_pt)
        elif not b.text.endswith(("。", "；", "！", "？")):
            # A heading (not a one-sentence item) never ends a page: it goes with its first line of text.
            set_child(ppr_of(par), "w:keepNext", {})
            set_child(ppr_of(par), "w:keepLines", {})

    def attachments_note(self, names: list[str]) -> None:
        # 7.3.4: one blank line, 2 字 in, "附件：" then names; numbered when several; wraps align with the name.
        self.blank(self.p["body.blank_lines_before_attachments"])
        label = "附件："
        two = 2 * self.char_tw
        for i, name in enumerate(names):
            num = f"{i + 1}." if len(names) > 1 else ""
            text = (label if i == 0 else "") + num + name
            par = self.para(S_ATTACH, text)
            hang = round((cjk_width(label) + cjk_width(num)) * self.char_tw)
            self.ind(par, left=two + hang, hanging=hang if i == 0 else 0)
            if i > 0:
                self.ind(par, left=two + hang, hanging=round(cjk_width(num) * self.char_tw))

    def signature(self) -> None:
        n = self.n
        if n is None:
            return
        sig, date = self.v.signature, self.v.date
        ws, wd = cjk_width(sig), cjk_width(date)
        c = self.char_tw
        blanks = self.p["body.sealed_blank_lines"] if n.seal else self.p["body.unsealed_blank_lines"]
        free = self.p.text_height_tw - self.used_tw
        if 0 <= free < (blanks + 2) * self.pitch:
            # 7.3.5.5: the signature would leave page 1 alone; tighten the gap (never below one line).
            blanks = max(1, free // self.pitch - 2)
        # 7.3.3 (must): page 1 shows 正文. When the signature cannot follow a sole body paragraph on page 1,
        # keep-with-next would carry the whole paragraph to page 2 (LibreOffice moves a keep-with-next
        # paragraph whole, measured). The paragraph stays; if it ends on page 1 the 署名 and 日期 go alone to
        # a page marked （此页无正文） (docs/gbt9704.md R24) -- alone, as the regulation starts a page of its own.
        height = self.p.text_height_tw
        empties_page_1 = (
            self.last_body is self.first_body
            and self.body_starts_tw < height < self.used_tw + (blanks + 2) * self.pitch
        )
        if self.last_body is not None and not empties_page_1:
            # 7.3.5.5 / R24: never a signature page without 正文; its last line travels with the signature.
            set_child(ppr_of(self.last_body), "w:keepNext", {})
        if empties_page_1 and self.used_tw <= height - self.pitch // 2:
            par = self.para(S_PLAIN, NO_BODY_MARK)
            set_child(ppr_of(par), "w:pageBreakBefore", {})
            self.ind(par, firstLine=2 * int(self.body_pt * TW_PER_PT))  # 2 字 in, as a 正文 paragraph
            set_child(ppr_of(par), "w:keepNext", {})
            self.used_tw = self.pitch
            self.signature_alone = True
        if n.seal:
            # 7.3.5.1: date ends 4 字 from the right; 署名 centred above the date.
            self.blank(blanks, keep=True)
            r_date = self.p["body.sealed_date_right_chars"]
            r_sig = r_date + (wd - ws) / 2
        else:
            # 7.3.5.2: 署名 2 字 from the right; the date starts 2 字 right of the 署名's first character;
            # a longer date keeps the 2-字 right space and pushes the 署名 left.
            self.blank(blanks, keep=True)
            r_sig = self.p["body.unsealed_signature_right_chars"]
            off = self.p["body.unsealed_date_offset_chars"]
            r_date = r_sig + ws - off - wd
            if r_date < r_sig:
                r_date = r_sig
                r_sig = r_date + wd + off - ws
        for style, text, right in ((S_SIGN, sig, r_sig), (S_DATE, date, r_date)):
            par = self.para(style, text)
            self.ind(par, right=max(0, round(right * c)))
            if style == S_SIGN:
                set_child(ppr_of(par), "w:keepNext", {})
        if n.note:
            # 7.3.6: 附注 in parentheses, 2 字 in, on the line after the date.
            note = n.note if n.note.startswith("（") else f"（{n.note}）"
            self.para(S_NOTE, note)

    def regulation(self, as_attachment: int | None) -> None:
        v = self.v
        if as_attachment is not None:
            # 7.3.7: each 附件 starts a new page; "附件N" in 三号黑体 flush left, its title centred on line 3.
            par = self.para(S_HEAD, f"附件{as_attachment}" if as_attachment else "附件", self.f["heiti"])
            set_child(ppr_of(par), "w:pageBreakBefore", {})
            set_child(ppr_of(par), "w:keepNext", {})
            self.blank(1, keep=True)
            self.title(self.title_lines([v.regulation_title]))
        elif self.p.get("body.regulation_new_page", True) or self.signature_alone:
            # The issued regulation starts a page of its own, wherever the notice ends (and always after a
            # （此页无正文） page, which holds nothing but the 署名 and date).
            title = self.title(self.title_lines([v.regulation_title]))
            set_child(ppr_of(title), "w:pageBreakBefore", {})
        else:
            self.blank(self.p["body.regulation_title_blank_lines"], keep=True)
            self.title(self.title_lines([v.regulation_title]))
        self.blank(1, keep=True)
        for b in v.blocks:
            self.block(b)

    # ------------------------------------------------------------------ 版记 (GB/T 9704 7.4)
    def imprint(self) -> None:
        n = self.n
        if n is None or not self.p["imprint.enabled"]:
            return
        rows: list[tuple[str, str]] = []
        if n.cc:
            rows.append(("cc", "抄送：" + "，".join(n.cc) + "。"))  # 7.4.2 ends with 。
        if self.p["imprint.printed_line"]:
            rows.append(("printed", ""))
        if not rows:
            return
        width = self.p.text_width_tw
        size = self.p["sizes.cc_pt"]
        one = round(self.p["imprint.side_indent_chars"] * size * TW_PER_PT)
        outer = round(self.p["imprint.outer_line_pt"] * 8)
        inner = round(self.p["imprint.inner_line_pt"] * 8)
        # 7.4.1: the last separator lies on the 版心 bottom of the last page. LibreOffice 7.4 imports a
        # full-width floating table inline and drops the borders of consecutive framed paragraphs that share one
        # frame, so each 版记 row is its own single-paragraph frame at an explicit offset from the 版心 top.
        for i, (kind, text) in enumerate(rows):
            y = self.p.text_height_tw - (len(rows) - i) * self.pitch
            par = paragraph(self.doc.body, S_IMPRINT)
            ppr = ppr_of(par)
            set_child(
                ppr,
                "w:framePr",
                {
                    "w:w": width,
                    "w:h": self.pitch,
                    "w:hRule": "exact",
                    "w:wrap": "notBeside",
                    "w:vAnchor": "margin",
                    "w:hAnchor": "margin",
                    "w:x": 0,
                    "w:y": y,
                },
            )
            bdr = set_child(ppr, "w:pBdr")
            top = outer if i == 0 else inner
            if top:
                set_child(
                    bdr,
                    "w:top",
                    {"w:val": "single", "w:sz": top, "w:space": 0, "w:color": self.p["colors.text"]},
                )
            if i == len(rows) - 1 and outer:
                set_child(
                    bdr,
                    "w:bottom",
                    {"w:val": "single", "w:sz": outer, "w:space": 0, "w:color": self.p["colors.text"]},
                )
            if kind == "cc":
                hang = round(3 * size * TW_PER_PT)  # wrapped lines align after "抄送：" (7.4.2)
                set_child(ppr, "w:ind", {"w:left": one + hang, "w:right": one, "w:hanging": hang})
                self.run(par, text, self.f["fangsong"], size, spacing=False)
            else:
                # 7.4.3: 印发机关 1 字 from the left, "……印发" date 1 字 from the right.
                tabs = set_child(ppr, "w:tabs")
                set_child(tabs, "w:tab", {"w:val": "right", "w:pos": width - one})
                set_child(ppr, "w:ind", {"w:left": one, "w:right": one})
                self.run(par, n.printed_by, self.f["fangsong"], size, spacing=False)
                self.run(par, "\t" + self.v.printed_date + "印发", self.f["fangsong"], size, spacing=False)
            if i < len(rows) - 1:
                # Keep the frames' anchors on one page, and part them with a 1-pt paragraph: LibreOffice drops
                # the borders of consecutive framed paragraphs and sets them inline (docs/gbt9704.md appendix).
                set_child(ppr, "w:keepNext", {})
                gap = paragraph(self.doc.body, S_PLAIN)
                gppr = ppr_of(gap)
                set_child(gppr, "w:keepNext", {})
                set_child(gppr, "w:snapToGrid", {"w:val": 0})
                set_child(
                    gppr, "w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20, "w:lineRule": "exact"}
                )
                set_rpr_font(set_child(gppr, "w:rPr"), self.f["fangsong"], 1)

    # ------------------------------------------------------------------ whole document
    def write(self) -> Docx:
        v, n = self.v, self.n
        if n is not None:
            self.head()
            self.title(self.title_lines(v.title_lines))
            if v.addressees:
                self.blank(1)  # 7.3.2 标题下空一行
                self.para(S_PLAIN, v.addressees.rstrip("：:") + "：")
            for text in v.body:
                self.para(S_BODY, text)
            names = list(v.attachments)
            placement = n.regulation_placement
            if names:
                self.attachments_note(names)
            self.signature()
            if placement == "attachment":
                reg_index = next((i for i, a in enumerate(n.attachments) if a.regulation), 0)
                self.regulation(reg_index + 1 if len(names) > 1 else 0)
            else:
                self.regulation(None)
        else:
            self.title(self.title_lines(v.title_lines))
            self.blank(1)
            for b in v.blocks:
                self.block(b)
        self.imprint()
        return self.doc


def core_properties(view: View[NoticeView]) -> dict[str, Any]:
    """Core properties from the policy's version data; the stamp goes here, not on the page (公文 stay clean)."""
    st = view.stamp
    nv = view.data
    when: dt.date | None = None
    if nv.notice is not None:
        when = nv.notice.date_value
    return {
        "title": view.title,
        "subject": st.doc_no or nv.regulation_title,
        "keywords": f"{st.work}; 版本 {st.version}; 识别码 {st.code}",
        "comments": st.line,
        "category": "公文",
        "identifier": st.code,
        "version": st.version,
        "created": when or dt.date(2000, 1, 1),
        "modified": when or dt.date(2000, 1, 1),
    }


@docx_builder("notice", NoticeView)
def build_notice(view: View[NoticeView], ctx: RenderContext) -> bytes:
    """The notice .docx bytes (deterministic)."""
    prof = load_profile(ctx.profile, tuple(ctx.template_dirs))
    return NoticeWriter(view.data, prof).write().save(core_properties(view))
