"""Guess what a parsed notice does not say outright: ids, roles and their kinds, duties, frequencies, laws.

Ids are derived from position only (S-01, P-01-06, D-01-06, R-01, L-01), so importing the same file
again gives the same ids. Every guess is listed in `Built.guesses` for the report, and the YAML
writer puts a `# 猜测：…，请确认` comment next to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu import frequency
from zhidu.importer.document import Node, Para, Parsed, walk
from zhidu.importer.markers import core
from zhidu.numbering import numeral_value, year_value


def guess(what: str) -> str:
    """The comment text every guess carries."""
    return f"猜测：{what}，请确认"


# ---------------------------------------------------------------------------------------- roles


#: A role heading: "XX的安全生产职责", "XX安全生产监管职责。", "XX主要职责是：", "XX的职责：" (name, then nothing).
_DUTY_HEAD = re.compile(
    r"^(?P<name>[^，。；：:]{1,40}?)(?:的)?(?:安全生产)?(?:监督管理|监管|管理)?(?:工作)?(?:的)?(?:主要)?"
    r"(?:工作)?职责(?:是|为|如下)?[：:。]?$"
)
#: The same with the duties running on after the colon: "镇长主要职责是：对全镇安全生产工作负全面领导责任".
_DUTY_INLINE = re.compile(
    r"^(?P<name>[^，。；：:]{1,30}?)(?:的)?(?:安全生产)?(?:工作)?(?:主要)?职责(?:是|为)?[：:](?P<rest>.+)$"
)
#: A list item naming its role first: "县长:对全县安全生产工作负全面领导责任".
_ROLE_ITEM = re.compile(r"^(?P<name>[^，。；：:、（）()]{2,15})[：:](?P<rest>.+)$")
#: A statute article led by its subject: "镇党委书记、镇长是全镇安全生产工作第一责任人", "街道安监站负责…",
#: "村（居）委会主任每周至少组织一次…" (the name is checked by role_like).
_SUBJECT = re.compile(
    r"^(?P<name>[^，。；：:“”《》、\s]{2,24}?(?:、[^，。；：:“”《》、\s]{2,24}?)*)"
    r"(?:是|对|负责|应当|承担|履行|牵头|协助|督促|每)"
)
#: Subjects that are the document, a procedure or those regulated, not a role of the issuer (本规定由…负责解释,
#: 约谈由…组织实施, 被约谈单位应当…, 生产经营单位是…责任主体).
_NOT_SUBJECT = re.compile(r"^(本|各级|凡|对|被)|由|(生产经营单位|经营单位|企业|个人|群众)$")
#: Headings that start with a verb name a task, not a role ("明确监管职责", "落实安全生产职责").
_VERB_START = re.compile(
    r"^(明确|落实|加强|强化|严格|全面|压实|健全|完善|履行|夯实|细化|分解|职责|监管|主要|工作)"
)
_GRID = re.compile(r"(网格员|网格长|安监员|消防员|信息员|协管员|巡查员|安全员)$")
_LEADER = re.compile(
    r"(书记|主任|县长|镇长|乡长|区长|市长|领导|负责人|站长|所长|科长|队长|部长|局长|组长|干事|委员|主席|经理"
    r"|班子成员)$"
)
_COMMITTEE = re.compile(r"(安全生产委员会|安委会|领导小组)$")
_COMMUNITY = re.compile(r"(社区|村|居委会|居民委员会|村民委员会|村委会|社区工作站|嘎查)$")
_ORG_SUFFIX = re.compile(
    r"(办公室|办|室|科|所|站|队|中心|部|局|委员会|委|组|政府|办事处|街道|大队|支队|派出所|部门|单位|公司)$"
)


def _base(name: str) -> str:
    """A name without its bracketed gloss: 街道办事处（乡镇政府） → 街道办事处."""
    return re.sub(r"[（(][^（）()]*[）)]", "", name) or name


def guess_kind(name: str) -> str:
    """书记/主任/县长/分管 → leader, 办/科/室/站/所/中心 → department, 社区/村/居委会 → community,
    网格员/安监员/消防员 → grid_worker, 安委会 → committee, else other."""
    base = _base(name)
    if _GRID.search(base):
        return "grid_worker"
    if _LEADER.search(base) or base.startswith("分管"):
        return "leader"
    if _COMMITTEE.search(base):
        return "committee"
    if _COMMUNITY.search(base):
        return "community"
    if _ORG_SUFFIX.search(base):
        return "department"
    return "other"


def role_like(name: str) -> bool:
    """A short name that reads as a post or a body, not as a task."""
    base = _base(name)
    return 1 <= len(base) <= 20 and not _VERB_START.match(base) and guess_kind(name) != "other"


def role_names(heading: str) -> list[str]:
    """Role names in a ……职责 heading: 党工委书记、办事处主任的安全生产职责 → [党工委书记, 办事处主任]."""
    head = core(heading)
    # A duty heading is a line, not a paragraph; the lazy pattern is kept to lines of that length.
    m = _DUTY_HEAD.match(head) if len(head) <= 200 else None
    if not m:
        return []
    return _split_names(m["name"])


def _split_names(raw: str) -> list[str]:
    names = [re.sub(r"^各", "", x) for x in raw.split("、")]
    names = [x for x in names if x]
    return names if names and all(role_like(x) for x in names) else []


def subject_roles(text: str) -> list[str]:
    """The roles a statute article or 款 names as its subject: 镇党委书记、镇长是… → [镇党委书记, 镇长]."""
    t = core(text)[:80]
    m = _SUBJECT.match(t)
    if m is None or _NOT_SUBJECT.search(m["name"]):
        return []
    return _split_names(m["name"])


def inline_role(text: str) -> tuple[list[str], str, str] | None:
    """A role named at the start of an item that carries its own duty: (names, how it was written, the duty's
    wording after the role)."""
    t = core(text)
    m = _DUTY_INLINE.match(t)
    if m:
        names = _split_names(m["name"])
        if names:
            return names, "主要职责是：", m["rest"]
    m = _ROLE_ITEM.match(t)
    if m:
        names = _split_names(m["name"])
        if names:
            return names, "角色:职责", m["rest"]
    return None


@dataclass
class RoleGuess:
    id: str
    name: str
    kind: str
    source: str
    lines: list[int]


@dataclass
class Built:
    """Everything derived from the parse: ids, roles, duties, laws, version data."""

    roles: list[RoleGuess] = field(default_factory=list)
    laws: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, rank
    duties: dict[int, dict[str, Any]] = field(default_factory=dict)  # id(node) → duty data
    #: id(node) → the duties its 款 state (subject-led statute articles), after the article's own.
    paragraph_duties: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    guesses: list[str] = field(default_factory=list)
    #: Every text of the regulation and the notice's body, in source order (laws and 施行 are searched here).
    texts: list[str] = field(default_factory=list)


def assign_ids(nodes: list[Node], prefix: tuple[int, ...] = ()) -> None:
    for i, n in enumerate(nodes, start=1):
        path = (*prefix, i)
        n.id = ("S-" if len(path) == 1 else "P-") + "-".join(f"{k:02d}" for k in path)
        assign_ids(n.children, path)


def build_roles(parsed: Parsed, b: Built) -> None:
    by_name: dict[str, RoleGuess] = {}

    def role(name: str, src: Node, para: Para | None = None) -> str:
        # （三）各社区居委会 names the role 社区居委会, held by each community.
        name = re.sub(r"^各(?=..)", "", name)
        if name not in by_name:
            # The report points at the line naming the role: the 款 when a paragraph named it.
            text, lines = (para.text, para.lines) if para else (src.marker.printed + src.text, src.lines)
            r = RoleGuess(f"R-{len(by_name) + 1:02d}", name, guess_kind(name), text, lines)
            by_name[name] = r
            b.roles.append(r)
        return by_name[name].id

    def rec(nodes: list[Node]) -> None:
        for n in nodes:
            names = role_names(n.text) if (n.heading or n.children or n.text.rstrip()[-1:] in "：:。") else []
            if (
                not names
                and n.heading
                and n.children
                and n.marker.style not in ("chapter", "part")
                and role_like(core(n.text))
                and len(core(n.text)) <= 15
                and not any(role_names(c.text) or inline_role(c.text) for c in n.children)
            ):
                # A heading that is only a body's name (一、党政办公室) over its duties.
                names = [core(n.text)]
            if names:
                subs = [c for c in n.children if _sub_role(c)]
                if subs:
                    n.owner_note = "本章下各项为各科室的职责，岗位标在各科室条目上"
                    for c in subs:
                        c.owners = [role(core(c.text), c)]
                        c.owner_note = f"按标题“{core(c.text)}”识别为责任岗位"
                else:
                    n.owners = [role(x, n) for x in names]
                    n.owner_note = f"按标题“{core(n.text)}”识别责任岗位"
                continue
            found = inline_role(n.text) if not n.children else None
            if found is not None:
                n.owners = [role(x, n) for x in found[0]]
                n.owner_note = f"按条目开头的岗位（{found[1]}）识别责任岗位，本条即其职责"
                n.own_duty = True
                # 县长:对全县…负全面领导责任 → the card lists 对全县…, not the role's name again.
                n.duty_wording = found[2]
                continue
            subject = subject_roles(n.text) if n.marker.style == "article" else []
            if subject:
                n.owners = [role(x, n) for x in subject]
                n.owner_note = f"按条文主语“{'、'.join(subject)}”识别责任岗位"
                if not n.children:
                    # 第三条　镇党委书记、镇长是…第一责任人。/ 镇长每季度至少…: the article and each 款 are duties.
                    n.own_duty = True
                    n.paragraph_owners = [
                        [role(x, n, para) for x in subject_roles(para.text)] or n.owners
                        for para in n.paragraphs
                    ]
                continue
            rec(n.children)

    rec(parsed.sections)
    for r in b.roles:
        b.guesses.append(f"岗位 {r.id}“{r.name}”，类别 {r.kind}（来自第 {r.lines[0]} 行“{r.source}”）")


def _sub_role(n: Node) -> bool:
    t = core(n.text)
    return n.heading and len(t) <= 20 and bool(n.children) and bool(_ORG_SUFFIX.search(t))


def guess_frequency(text: str) -> tuple[dict[str, Any], str] | None:
    """A Frequency mapping suggested from the wording, with `display` cut from the text itself."""
    st = frequency.parse(text)
    if not (st.per or st.events or st.on_occurrence):
        return None
    spans: list[tuple[int, int]] = []
    if st.span and st.per:
        spans.append(st.span)
    for e in st.events:
        # The whole phrase (重大节假日前, 重大活动期间), never the bare event word inside it.
        m = re.search(frequency.EVENT_PHRASE.format(word=re.escape(e)), text)
        if m:
            spans.append(m.span())
    if st.on_occurrence:
        # The same pattern frequency.parse() used, to cut the wording that made it say "on occurrence".
        m = frequency._OCCURRENCE.search(text)
        if m:
            spans.append(m.span())
    if st.on_occurrence:
        # Whole phrases: an occurrence is a clause ("发现的不能立即整改的隐患", never "发现的不能立即").
        m = frequency._OCCURRENCE.search(text)
        if m:
            a, b = m.span()
            stops = "，。；：,;:"
            while a > 0 and text[a - 1] not in stops and b - a < 40:
                a -= 1
            while b < len(text) and text[b] not in stops and b - a < 40:
                b += 1
            spans[-1] = (a, b)
    start, end = min(s[0] for s in spans), max(s[1] for s in spans)
    if end - start > 40:
        start, end = spans[0]
    display = text[start:end].strip(" ，,")
    out: dict[str, Any] = {}
    if st.per:
        out["per"] = st.per
        out["min"] = st.min or 1
    if st.events:
        out["events"] = list(st.events)
    if st.on_occurrence:
        out["on_occurrence"] = True
    out["display"] = display
    return out, f"频次按原文“{display}”推定为“{frequency.badge(st.per, st.min, st.events, st.on_occurrence)}”"


def _named_owner(text: str, owners: list[str], b: Built) -> str | None:
    """Of a joint heading's roles (镇党委书记、镇长的职责), the one an item names as its subject
    (（二）镇长是全镇安全生产第一责任人…), else None."""
    if len(owners) < 2:
        return None
    names = {r.id: r.name for r in b.roles}
    t = core(text)
    hits = [o for o in owners if o in names and t.startswith(names[o])]
    # Two hits only when one name begins another (主任, 主任助理): the longer is the subject.
    return max(hits, key=lambda o: len(names[o])) if hits else None


def build_duties(parsed: Parsed, b: Built) -> None:
    def rec(nodes: list[Node], owners: list[str], above: tuple[dict[str, Any], str] | None) -> None:
        for n in nodes:
            here = n.owners or owners
            # A role heading itself (……职责, 党政办公室) is not a duty; the items under it are.
            if here and not n.children and (not n.owners or n.own_duty):
                d: dict[str, Any] = {"id": "D-" + n.id.split("-", 1)[1]}
                if n.duty_wording:
                    d["text"], d["_text_note"] = n.duty_wording, "职责表述取条目中岗位名称之后的文字"
                one = None if n.owners else _named_owner(n.text, here, b)
                if one is not None:
                    d["owners"] = [one]
                    b.guesses.append(f"职责 {d['id']}：条目以“{_role_name(one, b)}”开头，责任岗位只取该岗位")
                f = guess_frequency(n.text)
                if f is None and above is not None:
                    # "2.每月调度一次工作进展，具体包括：（1）…（2）…": the items are what is done each month.
                    f = dict(above[0]), f"{above[1]}（频次写在上级条文，本项为其内容）"
                if f is not None:
                    d["frequency"], d["_freq_note"] = f
                    b.guesses.append(f"职责 {d['id']}：{f[1]}")
                elif frequency.parse(n.text).daily:
                    d["_daily"] = True
                b.duties[id(n)] = d
                # Only a subject-led article's 款 are duties (paragraph_owners is empty otherwise).
                for k, (para, owned) in enumerate(
                    zip(n.paragraphs, n.paragraph_owners, strict=False), start=2
                ):
                    extra = _paragraph_duty(d["id"], k, para.text, owned, b)
                    if owned == n.owners:
                        del extra["owners"]  # inherited from the article
                    b.paragraph_duties.setdefault(id(n), []).append(extra)
            # Only a provision that introduces its items (……，具体包括：) hands its frequency down.
            intro = here and n.children and not n.owners and core(n.text)[-1:] in "：:"
            stated = guess_frequency(n.text) if intro else None
            rec(n.children, here, stated if stated is not None and "per" in stated[0] else above)

    rec(parsed.sections, [], None)


def _paragraph_duty(article_duty: str, k: int, text: str, owners: list[str], b: Built) -> dict[str, Any]:
    """The duty stated by the k-th 款 of a subject-led article: its own wording and, if it names one, its role."""
    d: dict[str, Any] = {"id": f"{article_duty}-K{k}", "text": text, "owners": owners}
    d["_text_note"] = "本款为条文中的一项职责，表述取本款原文"
    who = "、".join(_role_name(o, b) for o in owners)
    b.guesses.append(f"职责 {d['id']}：第 {k} 款“{text[:12]}…”视为一项职责，责任岗位 {who}")
    f = guess_frequency(text)
    if f is not None:
        d["frequency"], d["_freq_note"] = f
        b.guesses.append(f"职责 {d['id']}：{f[1]}")
    return d


def _role_name(rid: str, b: Built) -> str:
    return next(r.name for r in b.roles if r.id == rid)


_LAW = re.compile(r"《([^《》\n]{2,60})》")
_LAW_SUFFIX = re.compile(r"(法|条例|规定|办法|细则|规则)$")
_NOT_LAW = re.compile(r"(制度|清单|责任书|预案|计划|方案|报表)")


def build_laws(texts: list[str], b: Built) -> None:
    seen: set[str] = set()
    for t in texts:
        for m in _LAW.finditer(t):
            name = m.group(1).strip()
            if name in seen or not _LAW_SUFFIX.search(name) or _NOT_LAW.search(name):
                continue
            seen.add(name)
            rank = (
                "law"
                if name.endswith("法")
                else "regulation"
                if name.endswith("条例")
                else "rule"
                if re.search(r"(规定|办法|规则)$", name)
                else "normative"
            )
            lid = f"L-{len(b.laws) + 1:02d}"
            b.laws.append((lid, f"《{name}》", rank))
            b.guesses.append(f"法规 {lid}《{name}》，位阶 {rank}")


#: A version folder's name (policy/NAME/2024.1): the version id, never the work's name.
VERSION_DIR = re.compile(r"^\d{4}\.\d{1,3}$")


def work_id(out_dir: Path, source_text: str) -> str:
    """The work id from the output folder's name (gongyuan-aqsc → GONGYUAN-AQSC; the parent's name for a version
    folder such as gongyuan-aqsc/2024.1), else from the text."""
    from zhidu.nodes import ID_PATTERN  # lazy: the model is not needed for anything else here

    folder = out_dir.resolve()
    if VERSION_DIR.match(folder.name):
        folder = folder.parent
    name = re.sub(r"[^A-Z0-9]+", "-", folder.name.upper()).strip("-")
    if name and not re.match(r"^[A-Z]", name):
        name = "W-" + name
    if name and "-" not in name:
        name = "W-" + name
    if not re.match(ID_PATTERN, name or ""):
        name = "W-" + hashlib.sha256(source_text.encode()).hexdigest()[:6].upper()
    return name


_EFFECTIVE_ISSUE = re.compile(r"自(?:发文|印发|发布|公布|下发)之日起(?:施行|执行|实施|生效|试行)")
_EFFECTIVE_DATE = re.compile(
    r"自\s*(?P<y>\d{4}|[〇零OoＯ○一二三四五六七八九]{4})\s*年\s*(?P<mo>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日起(?:施行|执行|实施|生效|试行)"
)


def effective(texts: list[str], issued: dt.date | None) -> tuple[dt.date | str, str]:
    """The 施行 date and why: a date the text names, else the issue date "自发文之日起", else a placeholder."""
    # 施行 is usually said in the closing, sometimes in the last article: search every text.
    tail = " ".join(texts)
    eff: dt.date | str = "undetermined-1"
    eff_why = "原文未写明施行日期，以占位符表示"
    m = _EFFECTIVE_DATE.search(tail)
    if m:
        with contextlib.suppress(ValueError):
            when = dt.date(year_value(m["y"]), numeral_value(m["mo"]), numeral_value(m["d"]))
            eff, eff_why = when, f"按原文“{m.group()}”"
    elif issued and (mi := _EFFECTIVE_ISSUE.search(tail)):
        eff, eff_why = issued, f"按原文“{mi.group()}”取印发日期"
    return eff, eff_why


def guess_all(parsed: Parsed) -> Built:
    """Ids, roles, duties and laws for a parsed notice, with every guess listed in order."""
    assign_ids(parsed.sections)
    b = Built()
    build_roles(parsed, b)
    build_duties(parsed, b)
    b.texts = [parsed.title, *(p.text for p in parsed.preamble + parsed.closing)]
    nodes = walk(parsed.sections)
    for node in nodes:
        b.texts.append(node.text)
        b.texts.extend(p.text for p in node.paragraphs)
    build_laws(b.texts, b)
    if not parsed.title:
        b.guesses.append("制度标题：原文未找到，已填占位文字")
    for node in nodes:
        if node.para_guess:
            b.guesses.append(f"{node.id}：条目之后的不编号段落归入该条目的 paragraphs")
    return b


__all__ = [
    "Built",
    "RoleGuess",
    "effective",
    "guess",
    "guess_all",
    "guess_frequency",
    "guess_kind",
    "role_names",
    "work_id",
]
