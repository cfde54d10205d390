"""Domain rules over a valid policy, each with a stable code, registered in RULES."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

from msgspec import Struct

from zhidu import frequency
from zhidu.diagnostics import Ignored, Report, Suppression
from zhidu.location import Location
from zhidu.model import (
    GlossaryTerm,
    Policy,
    Provision,
    is_condition_wording,
    is_date_placeholder,
    is_placeholder,
)
from zhidu.nodes import Node
from zhidu.numbering import CONTINUOUS, LEVEL_FORMS, chinese_numeral, read_number
from zhidu.textsim import near_duplicates

Rule = Callable[[Policy, Report], None]
RULES: dict[str, tuple[str, Rule]] = {}
#: A rule that compares a version with the version it supersedes (given, never looked up here).
RevisionRule = Callable[[Policy, Policy, Report], None]
REVISION_RULES: dict[str, tuple[str, RevisionRule]] = {}


def rule(code: str, title: str) -> Callable[[Rule], Rule]:
    """Register a lint rule under its stable code."""

    def deco(fn: Rule) -> Rule:
        RULES[code] = (title, fn)
        return fn

    return deco


def revision_rule(code: str, title: str) -> Callable[[RevisionRule], RevisionRule]:
    """Register a rule over a version and the one it supersedes under its stable code."""

    def deco(fn: RevisionRule) -> RevisionRule:
        REVISION_RULES[code] = (title, fn)
        return fn

    return deco


class TextAt(Struct, frozen=True):
    """A piece of authored text and where it was written."""

    text: str
    loc: Location
    where: str


def _list_texts(node: Node, key: str, items: list[str], where: str) -> Iterator[TextAt]:
    for i, t in enumerate(items):
        yield TextAt(t, node.field_locs.get(f"{key}[{i}]", node.loc_of(key)), where)


def texts(policy: Policy) -> Iterator[TextAt]:
    """Every authored Chinese text of a policy version, in document order."""
    n = policy.notice
    if n is not None:
        yield TextAt(n.title_text, n.loc_of("title"), "标题")
        if n.addressees:
            yield TextAt(n.addressees, n.loc_of("addressees"), "主送机关")
        yield from _list_texts(n, "body", n.body, "正文")
    reg = policy.regulation
    yield TextAt(reg.title, reg.loc_of("title"), "制度标题")
    yield from _list_texts(reg, "preamble", reg.preamble, "序言")
    for _path, p in policy.walk():
        yield TextAt(p.text, p.loc_of("text"), p.id)
        yield from _list_texts(p, "paragraphs", p.paragraphs, p.id)
    yield from _list_texts(reg, "closing", reg.closing, "结尾")


@cache
def builtin_glossary() -> tuple[GlossaryTerm, ...]:
    """The shipped glossary of official terms."""
    import msgspec
    from ruamel.yaml import YAML

    raw = resources.files("zhidu").joinpath("data/glossary.yaml").read_text(encoding="utf-8")
    # The libyaml-backed loader: the pure-Python one took ~20 ms for this small file.
    data = YAML(typ="safe", pure=False).load(raw)
    return tuple(msgspec.convert(t, GlossaryTerm) for t in data["terms"])


def glossary(policy: Policy) -> tuple[GlossaryTerm, ...]:
    return builtin_glossary() + policy.glossary


# ----------------------------------------------------------------------------------------- text rules

HALF_PUNCT = re.compile(r"[,;:?!()]")


def is_cjk(ch: str) -> bool:
    """A CJK ideograph, CJK symbol or full-width form, or a Chinese quotation or title mark."""
    return (
        "\u3400" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’《》"
    )


_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@rule("W103", "中文文本中的半角标点")
def half_width_punctuation(policy: Policy, report: Report) -> None:
    for t in texts(policy):
        s = t.text
        for m in HALF_PUNCT.finditer(s):
            # Only next to Chinese. Tested here rather than by look-arounds with a CJK character class, which
            # took ~4 ms of every run to compile.
            i = m.start()
            if not ((i > 0 and is_cjk(s[i - 1])) or (i + 1 < len(s) and is_cjk(s[i + 1]))):
                continue
            ch = m.group()
            report.warning(
                "W103",
                f"中文文本中使用了半角标点“{ch}”，应为全角“{_FULL[ch]}”（GB/T 15834）",
                t.loc.shift(m.start()),
            )


_COORD = re.compile(r"》、《|”、“")


@rule("W113", "书名号、引号并列成分之间的顿号")
def coordinate_marks(policy: Policy, report: Report) -> None:
    for t in texts(policy):
        for m in _COORD.finditer(t.text):
            what = "书名号" if "》" in m.group() else "引号"
            report.warning(
                "W113",
                f"{what}标示的并列成分之间通常不用顿号（GB/T 15834—2011 4.5.3.5）：“{m.group()}”",
                t.loc.shift(m.start() + 1),
            )


@rule("W102", "官方用语错别字")
def misspelt_terms(policy: Policy, report: Report) -> None:
    terms = glossary(policy)
    for t in texts(policy):
        for term in terms:
            for wrong in term.wrong:
                start = 0
                while (i := t.text.find(wrong, start)) >= 0:
                    report.warning("W102", f"疑似错别字“{wrong}”，应为“{term.term}”", t.loc.shift(i))
                    start = i + len(wrong)


@rule("W115", "同一用语的不同写法混用")
def mixed_variants(policy: Policy, report: Report) -> None:
    all_texts = list(texts(policy))
    for term in glossary(policy):
        if not term.variants:
            continue
        forms = [term.term, *term.variants]
        hits: dict[str, list[tuple[TextAt, int]]] = {f: [] for f in forms}
        for t in all_texts:
            for f in forms:
                start = 0
                while (i := t.text.find(f, start)) >= 0:
                    hits[f].append((t, i))
                    start = i + len(f)
        used = [f for f in forms if hits[f]]
        if len(used) < 2:
            continue
        counts = "，".join(f"“{f}”{len(hits[f])} 处" for f in used)
        for f in used:
            if f == term.term:
                continue
            for t, i in hits[f]:
                report.warning(
                    "W115", f"“{f}”与“{term.term}”混用（{counts}），宜统一为“{term.term}”", t.loc.shift(i)
                )


_SELF = re.compile(r"本(工作清单|清单|办法|制度|规定|细则|方案|意见|实施细则|工作制度)")
_KIND = re.compile(r"(工作清单|清单|办法|制度|规定|细则|方案|意见)$")


@rule("W114", "自称与标题不符")
def self_reference(policy: Policy, report: Report) -> None:
    m = _KIND.search(policy.regulation.title)
    if not m:
        return
    kind = m.group(1)
    for t in texts(policy):
        for s in _SELF.finditer(t.text):
            said = s.group(1)
            if not (kind.endswith(said) or said.endswith(kind)):
                report.warning(
                    "W114",
                    f"文中自称“本{said}”，与制度标题“{policy.regulation.title}”（{kind}）不一致",
                    t.loc.shift(s.start()),
                )


_DATE_ZERO = re.compile(r"\d{4}年0\d月|\d{4}年\d{1,2}月0\d日")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}年")
# The organ code is bounded ({2,12}): an unbounded run made a long CJK paragraph quadratic to scan.
# The organ code class is written once: each copy of a CJK range costs ~1.5 ms to compile.
_DOCNO_BAD = re.compile(r"[\u4e00-\u9fff]{2,12}(?:[\[【（(]\d{4}[\]】）)]\d+号|〔\d{4}〕0\d*号)")


@rule("W110", "日期与发文字号格式")
def dates_and_numbers(policy: Policy, report: Report) -> None:
    for t in texts(policy):
        for m in _DATE_ZERO.finditer(t.text):
            report.warning(
                "W110",
                f"日期“{m.group()}…”有前导零，应写作如 2024年6月3日（GB/T 9704 7.3.5.4）",
                t.loc.shift(m.start()),
            )
        for m in _CN_YEAR.finditer(t.text):
            report.warning(
                "W110", f"日期“{m.group()}”应使用阿拉伯数字（GB/T 9704 7.3.5.4）", t.loc.shift(m.start())
            )
        for m in _DOCNO_BAD.finditer(t.text):
            report.warning(
                "W111",
                f"发文字号“{m.group()}”应使用六角括号〔〕且序号无前导零（GB/T 9704 7.2.5）",
                t.loc.shift(m.start()),
            )


_TYPED_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)]|\d+[.、．](?!\d)|[（(]\d+[）)]|第[一二三四五六七八九十百]+[条章节款项])"
)


@rule("W109", "条文中手工输入的编号")
def typed_numbers(policy: Policy, report: Report) -> None:
    for _path, p in policy.walk():
        m = _TYPED_NUMBER.match(p.text)
        if m:
            report.warning(
                "W109",
                f"条文开头含手工编号“{m.group().strip()}”；编号由工具按位置生成，请删除",
                p.loc_of("text"),
            )


# ------------------------------------------------------------------------------------ structure rules


def _siblings(policy: Policy) -> Iterator[tuple[int, list[Provision]]]:
    yield 0, policy.regulation.sections
    for path, p in policy.walk():
        if p.children:
            yield len(path), p.children


@rule("W112", "原文编号缺号、重号或格式错误")
def source_numbers(policy: Policy, report: Report) -> None:
    """Compare each recorded source number with its own sequence, and its form with the declared scheme."""
    sch = policy.scheme
    prev_continuous: dict[str, int] = {}
    # Siblings in order; continuous levels (第X条) count through the whole regulation.
    prev_sibling: dict[tuple[int, ...], int] = {}
    seen: dict[tuple[tuple[int, ...], str, int], int] = {}
    for path, p in policy.walk():
        src = p.source_number
        if src is None:
            continue
        kind = policy.numbers.kinds.get(path, "")
        if not kind:
            continue
        expected = policy.numbers.number(path)
        loc = p.loc_of("source_number")
        got = read_number(src)
        if got is None or kind not in got.kinds:
            report.warning(
                "W112",
                f"原文编号“{src}”不是本制度编号体系（{sch.label()}）在此层级的形式，此处应为“{expected}”式编号",
                loc,
            )
            continue
        scope = () if kind in CONTINUOUS else path[:-1]
        # Without a recorded number before it, the sequence is judged against position.
        at = policy.numbers.values[path] - 1
        prev = prev_continuous.get(kind, at) if kind in CONTINUOUS else prev_sibling.get(scope, at)
        key = (scope, kind, got.value)
        if got.half_width:
            report.warning("W112", f"原文编号“{src}”使用了半角括号，应为全角（GB/T 9704 7.3.3）", loc)
        elif got.separator:
            canon = LEVEL_FORMS[kind].format(cn=chinese_numeral(got.value), n=got.value)
            report.warning(
                "W112",
                f"原文编号“{src}”的分隔符“{got.separator}”有误，应写作“{canon}”（GB/T 9704 7.3.3）",
                loc,
            )
        if key in seen:
            report.warning(
                "W112", f"原文编号“{src}”重号（与同级第 {seen[key]} 项相同）；按位置应为“{expected}”", loc
            )
        elif got.value > prev + 1:
            missing = LEVEL_FORMS[kind].format(cn=chinese_numeral(prev + 1), n=prev + 1)
            report.warning(
                "W112", f"原文编号“{src}”跳号：前一项之后缺“{missing}”；按位置应为“{expected}”", loc
            )
        elif got.value <= prev:
            report.warning("W112", f"原文编号“{src}”倒序：不大于前一项；按位置应为“{expected}”", loc)
        seen.setdefault(key, path[-1] + 1)
        if kind in CONTINUOUS:
            prev_continuous[kind] = got.value
        else:
            prev_sibling[scope] = got.value


@rule("W101", "重复或近似重复的条目")
def duplicates(policy: Policy, report: Report) -> None:
    for _depth, kids in _siblings(policy):
        # Indexed, not pairwise: thousands of siblings must not cost millions of comparisons.
        for i, j, why in near_duplicates([k.text for k in kids]):
            a, b = kids[i], kids[j]
            report.warning("W101", f"与同级条目“{a.id}”{why}：“{_clip(a.text)}”", b.loc_of("text"))
    # Across the tree: the same duty text twice for the same owners is a duplicate; for different owners
    # (one duty shared by several roles) it is only worth a note.
    seen: dict[str, tuple[str, list[str]]] = {}
    for path, p, d in policy.duties():
        key = re.sub(r"\s", "", p.text)
        owners = sorted(policy.owners_of(path, d))
        if key in seen and seen[key][0] != p.id:
            first, first_owners = seen[key]
            if owners == first_owners:
                report.warning("W101", f"与“{first}”文字完全相同且责任岗位相同", p.loc_of("text"))
            else:
                report.info(
                    "I101", f"与“{first}”文字相同，分属不同岗位（{'、'.join(owners)}）", p.loc_of("text")
                )
        else:
            seen.setdefault(key, (p.id, owners))


def _clip(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[:n] + "…"


def _ending(s: str) -> str:
    s = s.rstrip()
    if s.endswith(("的；", "的。", "的;")):
        return "的" + ("；" if s[-1] in "；;" else "。")
    return s[-1:] if s else ""


@rule("W104", "与同级条目形式不一致")
def sibling_pattern(policy: Policy, report: Report) -> None:
    for _depth, kids in _siblings(policy):
        if len(kids) < 4:
            continue
        # The last item may close the list with 。 where the others end with ；, one introducing items with ：.
        body = [k for k in kids[:-1] if not (k.children and k.text.rstrip()[-1:] in "：:")]
        endings = Counter(_ending(k.text) for k in body)
        common, n = endings.most_common(1)[0] if body else ("", 0)
        # Headings (no closing punctuation) are titles, not sentences: only sentence lists have a form.
        if n < 0.7 * len(body) or n == len(body) or not common or common[-1] not in "。；;，,：:的":
            continue
        for k in body:
            e = _ending(k.text)
            if e != common:
                report.warning(
                    "W104",
                    f"同级 {len(kids)} 项中 {n} 项以“{common}”结尾，本项以“{e}”结尾，形式与同级不一致：“{_clip(k.text)}”",
                    k.loc_of("text"),
                )


# ---------------------------------------------------------------------------------------- duty rules


@rule("W105", "频次标注与原文不符")
def frequency_mismatch(policy: Policy, report: Report) -> None:
    for path, p, d in policy.duties():
        f = d.frequency
        if f is None:
            continue
        # An item may take its frequency from the provision above it ("每月调度一次，具体包括：").
        if not any(f.display in x for q in policy.chain(path) for x in (q.text, *q.paragraphs)):
            report.warning("W116", f"频次原文“{f.display}”未出现在条文中", f.loc_of("display"))
        stated = frequency.parse(policy.duty_text(p, d))
        if stated.per and f.per and stated.per != f.per:
            report.warning(
                "W105",
                f"条文写“{frequency.PERIOD_NAMES[stated.per]}”，频次标注却为“{frequency.PERIOD_NAMES[f.per]}”",
                f.loc_of("per"),
            )
        elif stated.per and not f.per:
            report.warning("W105", f"条文写“{frequency.PERIOD_NAMES[stated.per]}”，频次标注缺少 per", f.loc)
        elif stated.per and f.per == stated.per and stated.min and f.min and stated.min != f.min:
            report.warning("W105", f"条文写至少 {stated.min} 次，频次标注为 {f.min} 次", f.loc_of("min"))
        shown = frequency.parse(f.display)
        if shown.per and f.per and shown.per != f.per:
            report.warning("W105", f"频次原文“{f.display}”与标注的周期 {f.per} 不符", f.loc_of("display"))


@rule("W106", "原文写明频次但未标注")
def frequency_missing(policy: Policy, report: Report) -> None:
    # "每月调度一次，具体包括：" over items: the frequency may be annotated on the items' duties.
    framed = [dp for dp, _p, d in policy.duties() if d.frequency]
    for path, p in policy.walk():
        stated = frequency.parse(p.text)
        if not ((stated.per and not stated.weak) or stated.daily):
            continue
        if not any(dp[: len(path)] == path for dp in framed):
            a, b = stated.span or (0, 0)
            where = p.loc_of("text").shift(a)
            report.warning("W106", f"条文写明频次“{p.text[a:b]}”，但没有职责标注 frequency", where)


@rule("W107", "岗位没有职责")
def roles_without_duties(policy: Policy, report: Report) -> None:
    owned = {o for path, _p, d in policy.duties() for o in policy.owners_of(path, d)}
    for r in policy.roles:
        if r.id not in owned:
            report.warning("W107", f"岗位“{r.name}”（{r.id}）没有任何职责", r.loc)


@rule("E108", "职责没有责任岗位")
def duties_without_owner(policy: Policy, report: Report) -> None:
    for path, _p, d in policy.duties():
        if not policy.owners_of(path, d):
            report.error("E108", f"职责“{d.id}”没有责任岗位：请在职责或上级条文上写 owners", d.loc)


@rule("W117", "职责缺少法律依据")
def duties_without_basis(policy: Policy, report: Report) -> None:
    missing = [d for _path, _p, d in policy.duties() if not d.basis]
    for d in missing:
        report.warning("W117", f"职责“{d.id}”没有法律依据（basis）", d.loc)


@rule("W119", "追责情形未关联职责")
def liability_targets(policy: Policy, report: Report) -> None:
    for _path, p in policy.walk():
        for z in p.liability:
            if not z.triggers:
                report.warning("W119", f"追责情形“{z.id}”未关联任何职责或考核项（triggers）", z.loc)


@rule("W126", "职责表述为追责情形")
def duty_worded_as_condition(policy: Policy, report: Report) -> None:
    # A condition (未按规定……的；) says what is punished; printed as a duty it tells the holder the opposite.
    for _path, p, d in policy.duties():
        wording = policy.duty_text(p, d)
        if is_condition_wording(wording):
            where = d.loc_of("text") if d.text else p.loc_of("text")
            report.warning(
                "W126",
                f"职责“{d.id}”的表述“{_clip(wording)}”是追责情形的句式（……的；）："
                "请在职责上用 text 写明应履行的职责，或删除该职责、在追责情形中列出",
                where,
            )


@rule("I118", "职责缺少考核项")
def duties_without_assessment(policy: Policy, report: Report) -> None:
    assessed = {t for _path, p in policy.walk() for a in p.assessment for t in a.duties}
    missing = [d for _path, _p, d in policy.duties() if d.id not in assessed]
    if missing:
        report.info(
            "I118",
            f"{len(missing)} 项职责没有对应的考核项：{'、'.join(d.id for d in missing[:8])}{'…' if len(missing) > 8 else ''}",
            missing[0].loc,
        )


@rule("W120", "上下级频次矛盾")
def level_contradiction(policy: Policy, report: Report) -> None:
    # A community asked to do something more often than the street level that supervises the same
    # evidence is not an error; the reverse (a subordinate less often than its supervisor) is.
    by_evidence: dict[str, list[tuple[str, float, Location, str]]] = {}
    for path, _p, d in policy.duties():
        if d.frequency and d.frequency.per:
            gap = frequency.days_between(d.frequency.per, d.frequency.min)
            for ev in d.evidence:
                for o in policy.owners_of(path, d):
                    by_evidence.setdefault(ev, []).append((o, gap, d.frequency.loc, d.id))
    for ev, rows in by_evidence.items():
        for o, gap, loc, did in rows:
            role = policy.role(o)
            if role is None or role.parent is None:
                continue
            for o2, gap2, _loc2, did2 in rows:
                if o2 == role.parent and gap > gap2 * 1.01:
                    report.warning(
                        "W120",
                        f"“{ev}”：{role.name}（{did}）的频次低于上级（{did2}）的要求",
                        loc,
                    )


@rule("I125", "追责或考核条款中的职责列入检查表")
def checklist_on_accountability(policy: Policy, report: Report) -> None:
    from zhidu.clauses import accountability_duties

    for duty, clause in accountability_duties(policy).values():
        if duty.checklist:
            what = "追责" if clause.liability else "考核"
            # A hint, not a warning: the checklist view leaves such duties out whatever the flag says, and an
            # issued version should not need a revision record for a flag that changes no printed word.
            report.info(
                "I125",
                f"职责“{duty.id}”写在{what}条款“{clause.id}”中，不是可逐项勾选的检查事项，"
                "检查表不会列入；应写 checklist: false",
                duty.loc_of("checklist") if "checklist" in duty.field_locs else duty.loc,
            )


@rule("W122", "标题单行过长")
def long_title_lines(policy: Policy, report: Report) -> None:
    # Lines the author broke by hand are printed as written; a line wider than the 版心 wraps mid-phrase.
    # A title without explicit breaks is broken by the renderer itself, within the width.
    n = policy.notice
    if n is None or len(n.title_lines) < 2:
        return
    from zhidu.layout import cjk_width, load_profile

    limit = load_profile().title_chars_per_line
    for i, line in enumerate(n.title_lines, start=1):
        if cjk_width(line) > limit:
            report.warning(
                "W122",
                f"通知标题第{i}行“{line}”宽 {cjk_width(line):g} 字，超过二号字一行可排的 {limit} 字，"
                "印出时会在行内折行；请在词意完整处重新分行（GB/T 9704 7.3.1）",
                n.loc_of("title"),
            )


@rule("W133", "占位内容尚未填写")
def placeholders(policy: Policy, report: Report) -> None:
    """Every 【待定】 left by an import, with its place: outputs print 【待定】, `build --strict` refuses them."""
    n = policy.notice
    if n is not None:
        for key in n.placeholders():
            base = key.split("[")[0]
            loc = n.field_locs.get(key, n.loc_of(base))
            report.warning(
                "W133",
                f"发文通知的{_NOTICE_FIELDS.get(base, base)}尚未填写（占位“{getattr(n, base, '')}”）",
                loc,
            )
    eff = policy.regulation.version.effective
    if eff is not None and is_date_placeholder(eff.from_):
        report.warning("W133", f"施行日期尚未确定（占位“{eff.from_}”），印出为“【待定】”", eff.loc_of("from"))
    for t in texts(policy):
        # The notice's own title and body were reported above by field.
        if "【待定" in t.text and not (
            n is not None and t.where in ("标题", "正文") and is_placeholder(t.text)
        ):
            report.warning(
                "W133", f"{t.where}中有占位内容“【待定】”尚未填写", t.loc.shift(t.text.index("【待定"))
            )
    for r in policy.roles:
        if is_placeholder(r.name):
            report.warning("W133", f"岗位 {r.id} 的名称尚未填写", r.loc_of("name"))


_NOTICE_FIELDS = {
    "organ": "发文机关",
    "organ_mark": "发文机关标志",
    "doc_no": "发文字号",
    "title": "标题",
    "signature": "署名",
    "date": "成文日期",
    "printed_by": "印发机关",
    "printed_date": "印发日期",
    "body": "正文",
}


@rule("W123", "社区名称重复、易混淆或含不可见字符")
def community_names(policy: Policy, report: Report) -> None:
    # Names become file names and checklist headings: two communities that print alike (a zero-width space,
    # NFD against NFC, a right-to-left override) would be told apart only by invisible bytes.
    import unicodedata

    if policy.parties is None:
        return
    seen: dict[str, tuple[str, str]] = {}
    for c in policy.parties.communities:
        hidden = [ch for ch in c.name if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Zl", "Zp")]
        if hidden:
            codes = "、".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(hidden))
            report.warning(
                "W123", f"社区名称“{c.name}”含不可见的格式字符（{codes}），请删除", c.loc_of("name")
            )
        shown = "".join(ch for ch in unicodedata.normalize("NFKC", c.name) if ch not in hidden)
        shown = "".join(shown.split())
        if shown in seen:
            other_id, other = seen[shown]
            how = "相同" if other == c.name else "看起来相同（仅差不可见字符、空白或字符组合形式）"
            report.warning("W123", f"社区名称“{c.name}”与 {other_id}“{other}”{how}", c.loc_of("name"))
        else:
            seen[shown] = (c.id, c.name)


@revision_rule("W121", "修订未记录")
def unrecorded_changes(policy: Policy, previous: Policy, report: Report) -> None:
    """In an issued version, every change against the superseded version needs a change record."""
    if policy.regulation.version.status != "issued" or not policy.regulation.version.supersedes:
        return
    # Imported here: a policy checked without a previous version never needs the diff machinery.
    from zhidu.diff.compare import compare

    d = compare(previous, policy)
    by_id = {p.id: p for _path, p in policy.walk()}
    old_by_id = {p.id: p for _path, p in previous.walk()}
    reg_loc = (
        policy.regulation.loc_of("changes")
        if policy.regulation.changes
        else policy.regulation.loc_of("version")
    )
    for msg, ident in d.problems:
        report.warning("W121", msg, by_id[ident].loc_of("was") if ident in by_id else reg_loc)
    for ident in d.unrecorded:
        if ident in by_id and ident not in old_by_id and not by_id[ident].was:
            report.warning(
                "W121",
                f"条文“{ident}”为本版本新增（上一版本 {previous.regulation.version.id} 没有），"
                f"但没有修订记录（changes）列出它",
                by_id[ident].loc_of("text"),
            )
        elif ident in by_id:
            report.warning(
                "W121",
                f"条文“{ident}”与上一版本（{previous.regulation.version.id}）相比有修改，"
                f"但没有修订记录（changes）列出它",
                by_id[ident].loc_of("text"),
            )
        elif ident in old_by_id:
            report.warning("W121", f"上一版本的条文“{ident}”已删除，但没有修订记录（changes）列出它", reg_loc)
        elif any(g.old == ident for g in d.renames):
            g = next(g for g in d.renames if g.old == ident)
            report.warning(
                "W121", f"{g.label}（{len(g.ids)} 处条文），但没有 global_replace 修订记录", reg_loc
            )
        else:
            report.warning("W121", f"“{ident}”有修改，但没有修订记录（changes）", reg_loc)


def run(policy: Policy, report: Report, only: set[str] | None = None, previous: Policy | None = None) -> None:
    """Apply every registered rule (or the chosen codes) to one valid policy.

    `previous` is the version it supersedes (`zhidu.load.versions.previous_version`); the revision rules run
    only when it is given. Findings silenced by the policy's suppressions go to `report.ignored`; a
    suppression of a rule that ran and silenced nothing is reported (W132). Lint reads nothing itself.
    """
    found = Report()
    ran: set[str] = set()
    for code, (_title, fn) in RULES.items():
        if only is None or code in only:
            fn(policy, found)
            ran.update((code, *ALSO_EMITTED.get(code, ())))
    if previous is not None:
        for code, (_title, pair) in REVISION_RULES.items():
            if only is None or code in only:
                pair(policy, previous, found)
                ran.add(code)
    used: set[Suppression] = set()
    for issue in found.issues:
        by = next((s for s in policy.suppressions if s.covers(issue)), None)
        if by is None:
            report.issues.append(issue)
        else:
            used.add(by)
            report.ignored.append(Ignored(issue, by))
    for s in policy.suppressions:
        # Codes that share a rule function (W116 with W105) run under their function's code.
        if s not in used and (s.code in ran or (only is None and s.code in _ALL_CODES)):
            report.warning("W132", f"忽略 {s.code} 的声明已不再匹配任何问题，请删除", s.loc)
        elif s not in used and only is None and s.code not in _ALL_CODES:
            report.warning("W132", f"忽略声明中的规则代码 {s.code} 不存在", s.loc)


#: Codes a rule emits besides its own (the function registered as W105 also reports W116, W110 also W111).
ALSO_EMITTED = {"W105": ("W116",), "W110": ("W111",), "W101": ("I101",)}


def _codes() -> frozenset[str]:
    out = set(RULES) | set(REVISION_RULES) | {"W131", "W132"}
    for extra in ALSO_EMITTED.values():
        out.update(extra)
    return frozenset(out)


_ALL_CODES = _codes()
