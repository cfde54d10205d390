"""Turn a parsed notice into the project's YAML files and an import report, for `zhidu import`.

Ids are derived from position only (S-01, P-01-06, D-01-06, R-01, L-01), so importing the same file
again gives the same ids. Every guess carries a `# 猜测：…，请确认` comment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu import frequency
from zhidu.importer.parse import SECTIONS, Finding, Node, Parsed, _walk, canonical, core
from zhidu.importer.read import Source
from zhidu.numbering import cn_date

FILES = ("notice.yaml", "regulation.yaml", "roles.yaml", "laws.yaml")
REPORT = "import-report.md"


def guess(what: str) -> str:
    """The comment text every guess carries."""
    return f"猜测：{what}，请确认"


# ---------------------------------------------------------------------------------------- roles


_DUTY_HEAD = re.compile(r"^(?P<name>.+?)(?:的)?(?:安全生产)?(?:工作)?(?:的)?(?:主要)?职责(?:如下)?[：:]?$")
_ORG_SUFFIX = re.compile(r"(办公室|办|室|科|所|站|队|中心|部|局|委员会|委|组)$")
_LEADER_SUFFIX = re.compile(r"(书记|主任|负责人|领导|干事|站长|所长|科长|组长|队长|部长|局长)$")


def guess_kind(name: str) -> str:
    """网格员 → grid_worker, posts → leader, 社区 → community, 办/室/科 → department, else leader."""
    if "网格" in name:
        return "grid_worker"
    if _LEADER_SUFFIX.search(name):
        return "leader"
    if "社区" in name:
        return "community"
    if _ORG_SUFFIX.search(name):
        return "department"
    return "leader"


def role_names(heading: str) -> list[str]:
    """Role names in a ……职责 heading: 党工委书记、办事处主任的安全生产职责 → [党工委书记, 办事处主任]."""
    head = core(heading)
    # A duty heading is a line, not a paragraph; the lazy pattern is kept to lines of that length.
    m = _DUTY_HEAD.match(head) if len(head) <= 200 else None
    if not m:
        return []
    names = [re.sub(r"^各", "", x) for x in m["name"].split("、")]
    return [x for x in names if x]


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
    guesses: list[str] = field(default_factory=list)


def assign_ids(nodes: list[Node], prefix: tuple[int, ...] = ()) -> None:
    for i, n in enumerate(nodes, start=1):
        path = (*prefix, i)
        n.id = ("S-" if len(path) == 1 else "P-") + "-".join(f"{k:02d}" for k in path)
        assign_ids(n.children, path)


def build_roles(parsed: Parsed, b: Built) -> None:
    by_name: dict[str, RoleGuess] = {}

    def role(name: str, src: Node) -> str:
        if name not in by_name:
            r = RoleGuess(
                f"R-{len(by_name) + 1:02d}", name, guess_kind(name), src.marker.printed + src.text, src.lines
            )
            by_name[name] = r
            b.roles.append(r)
        return by_name[name].id

    def rec(nodes: list[Node]) -> None:
        for n in nodes:
            names = role_names(n.text) if n.heading else []
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
    if st.span:
        spans.append(st.span)
    for e in st.events:
        i = text.find(e)
        spans.append((i, i + len(e)))
    if st.on_occurrence:
        # The same pattern frequency.parse() used, to cut the wording that made it say "on occurrence".
        m = frequency._OCCURRENCE.search(text)
        if m:
            spans.append(m.span())
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


def build_duties(parsed: Parsed, b: Built) -> None:
    def rec(nodes: list[Node], owned: bool) -> None:
        for n in nodes:
            here = owned or bool(n.owners)
            # A role heading itself (……职责, 党政办公室) is not a duty; the items under it are.
            if here and not n.children and not n.owners:
                d: dict[str, Any] = {"id": "D-" + n.id.split("-", 1)[1]}
                f = guess_frequency(n.text)
                if f is not None:
                    d["frequency"], d["_freq_note"] = f
                    b.guesses.append(f"职责 {d['id']}：{f[1]}")
                elif frequency.parse(n.text).daily:
                    d["_daily"] = True
                b.duties[id(n)] = d
            rec(n.children, here)

    rec(parsed.sections, False)


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


# ----------------------------------------------------------------------------------------- YAML


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.allow_unicode = True
    # The same date is often both issued and effective: write it twice, never as &anchor/*alias.
    y.representer.ignore_aliases = lambda *_a: True
    return y


def _plain_ok(s: str) -> bool:
    from ruamel.yaml.emitter import Emitter
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    if not s or "\n" in s:
        return False
    try:
        a = Emitter(None, allow_unicode=True).analyze_scalar(s)
    except AttributeError:  # a stand-alone Emitter lacks version state some characters consult
        return False
    if not a.allow_block_plain or a.multiline:
        return False
    return bool(VersionedResolver().resolve(ScalarNode, s, (True, False)) == "tag:yaml.org,2002:str")


def _s(s: str) -> Any:
    """Plain when YAML reads it back as the same string on one line, else double-quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return s if _plain_ok(s) else DoubleQuotedScalarString(s)


def _map(**kw: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in kw.items():
        if v is not None:
            m[k.rstrip("_")] = v
    return m


def _seq(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def schema_line(out_dir: Path, kind: str) -> str:
    """The yaml-language-server line, relative from the output folder to the repository's schemas/."""
    here = out_dir.resolve()
    for d in (here, *here.parents):
        if (d / "schemas").is_dir() and (d / "pyproject.toml").is_file():
            rel = Path(os.path.relpath(d / "schemas", here)).as_posix()
            return f"yaml-language-server: $schema={rel}/{kind}.schema.json"
    return "未找到含 schemas/ 的仓库目录，已省略 yaml-language-server 行"


def dump(doc: Any, header: list[str]) -> str:
    doc.yaml_set_start_comment("\n".join(header))
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue()


def work_id(out_dir: Path, source_text: str) -> str:
    """The work id from the output folder's name (gongyuan-aqsc → GONGYUAN-AQSC), else from the text."""
    from zhidu.model import ID_PATTERN  # lazy: the model is not needed for anything else here

    name = re.sub(r"[^A-Z0-9]+", "-", out_dir.resolve().name.upper()).strip("-")
    if name and not re.match(r"^[A-Z]", name):
        name = "W-" + name
    if name and "-" not in name:
        name = "W-" + name
    if not re.match(ID_PATTERN, name or ""):
        name = "W-" + hashlib.sha256(source_text.encode()).hexdigest()[:6].upper()
    return name


_EFFECTIVE_ISSUE = re.compile(r"自(?:发文|印发|发布|公布|下发)之日起(?:施行|执行|实施|生效)")
_EFFECTIVE_DATE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起(?:施行|执行|实施|生效)")


@dataclass
class Output:
    """The generated files (name → text) and the report."""

    files: dict[str, str]
    report: str
    findings: list[Finding]
    stats: dict[str, int]


def generate(parsed: Parsed, src: Source, out_dir: Path) -> Output:
    """All YAML texts and the report for one parsed source."""
    assign_ids(parsed.sections)
    b = Built()
    build_roles(parsed, b)
    build_duties(parsed, b)
    all_texts = [parsed.title, *(p.text for p in parsed.preamble + parsed.closing)]
    walk = _walk(parsed.sections)
    for node in walk:
        all_texts.append(node.text)
        all_texts.extend(p.text for p in node.paragraphs)
    build_laws(all_texts, b)
    source_text = "\n".join(src.lines)
    n = parsed.notice
    has_notice = n.complete()
    files: dict[str, str] = {}
    head = f"由 zhidu import 从 {src.name} 导入；标有“猜测”的内容请逐项确认，确认后删除注释"

    # -- notice.yaml
    if has_notice:
        assert n.doc_no and n.date and n.signature
        organ, year, serial = n.doc_no
        doc = _map(
            organ=_s(n.signature),
            organ_mark=_s(n.organ_mark or n.signature),
            doc_no=_map(organ_code=_s(organ), year=year, serial=serial),
            title=_s("\n".join(n.title_lines)),
            addressees=_s(n.addressees) if n.addressees else None,
            body=_seq([_s(p.text) for p in n.body]),
        )
        doc.yaml_add_eol_comment(guess("发文机关全称取自署名"), "organ")
        if not n.organ_mark:
            doc.yaml_add_eol_comment(guess("原文无发文机关标志行，取署名"), "organ_mark")
        if n.attachments:
            doc["attachments"] = _seq([_map(name=_s(a)) for a in n.attachments])
            doc["regulation_placement"] = "attachment"
            doc.yaml_add_eol_comment(guess("原文有附件说明，制度作为附件另页"), "regulation_placement")
        else:
            doc["regulation_placement"] = "follows"
        doc["signature"] = _s(n.signature)
        doc["date"] = n.date
        if n.cc:
            doc["cc"] = _seq([_s(c) for c in n.cc])
        doc["printed_by"] = _s(n.printed_by or n.signature)
        doc["printed_date"] = n.printed_date or n.date
        if not n.printed_by:
            doc.yaml_add_eol_comment(guess("原文无印发行，印发机关取署名"), "printed_by")
        if not n.printed_date:
            doc.yaml_add_eol_comment(guess("原文无印发日期，取成文日期"), "printed_date")
        files["notice.yaml"] = dump(doc, [schema_line(out_dir, "notice"), head])

    # -- regulation.yaml
    issued = (n.printed_date or n.date) if has_notice else None
    vyear: int | None = n.doc_no[1] if has_notice and n.doc_no else (issued.year if issued else None)
    version = _map(id=_s(f"{vyear}.1" if vyear else "0.1"), status="issued" if has_notice else "draft")
    version.yaml_add_eol_comment(guess("版本号按发文年份生成"), "id")
    version.yaml_add_eol_comment(guess("有发文字号视为已印发，否则为草案"), "status")
    if issued:
        version["issued"] = issued
    # 施行 is usually said in the closing, sometimes in the last article: search every text.
    tail = " ".join(all_texts)
    eff: dt.date | str = "undetermined-1"
    eff_why = "原文未写明施行日期，以占位符表示"
    m = _EFFECTIVE_DATE.search(tail)
    if m:
        with contextlib.suppress(ValueError):
            eff, eff_why = dt.date(int(m[1]), int(m[2]), int(m[3])), f"按原文“{m.group()}”"
    elif _EFFECTIVE_ISSUE.search(tail) and issued:
        eff, eff_why = issued, f"按原文“{_EFFECTIVE_ISSUE.search(tail).group()}”取印发日期"  # type: ignore[union-attr]
    version["effective"] = _map(from_=eff)
    version["effective"].yaml_add_eol_comment(guess(eff_why), "from")
    title = parsed.title
    reg = _map(work=_s(work_id(out_dir, source_text)), version=version)
    reg.yaml_add_eol_comment(guess("制度标识按输出目录名生成，终身不变"), "work")
    if title:
        reg["title"] = _s(title)
    else:
        reg["title"] = _s("（原文未见制度标题）")
        reg.yaml_add_eol_comment(guess("原文未找到制度标题（文档可能从正文中间开始），请填写"), "title")
        b.guesses.append("制度标题：原文未找到，已填占位文字")
    if parsed.preamble:
        reg["preamble"] = _seq([_s(p.text) for p in parsed.preamble])
    reg["sections"] = _seq([_provision(x, b) for x in parsed.sections])
    if parsed.closing:
        reg["closing"] = _seq([_s(p.text) for p in parsed.closing])
        reg.yaml_add_eol_comment(guess("末项之后的不编号段落作为结尾段落"), "closing")
    files["regulation.yaml"] = dump(reg, [schema_line(out_dir, "regulation"), head])

    # -- roles.yaml
    roles = _seq([])
    for r in b.roles:
        rm = _map(id=r.id, name=_s(r.name), kind=r.kind)
        rm.yaml_add_eol_comment(guess(f"岗位取自第 {r.lines[0]} 行标题“{r.source}”"), "name")
        rm.yaml_add_eol_comment(guess("类别按名称推断"), "kind")
        if r.kind in ("community", "grid_worker"):
            rm["per_community"] = True
            rm.yaml_add_eol_comment(guess("社区级岗位按社区分别履行"), "per_community")
        roles.append(rm)
    files["roles.yaml"] = dump(_map(roles=roles), [schema_line(out_dir, "roles"), head])

    # -- laws.yaml
    laws = _seq([])
    for lid, name, rank in b.laws:
        lm = _map(id=lid, name=_s(name), rank=rank)
        lm.yaml_add_eol_comment(guess("文中以书名号引用；如为简称请改为全称并把简称写入 short"), "name")
        lm.yaml_add_eol_comment(guess("位阶按名称推断"), "rank")
        laws.append(lm)
    files["laws.yaml"] = dump(_map(laws=laws), [schema_line(out_dir, "laws"), head])

    findings = list(parsed.findings)
    for no, what in src.conversions:
        findings.append(Finding("normalised", f"繁体转简体：{what}", (no,)))
    for s in src.side:
        findings.append(Finding("dropped" if s.dropped else "unplaced", f"{s.where}：“{s.text}”"))
    for ln in range(1, len(src.lines) + 1):
        if src.lines[ln - 1].strip() and ln not in parsed.placed:
            findings.append(Finding("unplaced", f"未能识别的文字：“{src.lines[ln - 1].strip()}”", (ln,)))
    for node in walk:
        if node.para_guess:
            b.guesses.append(f"{node.id}：条目之后的不编号段落归入该条目的 paragraphs")
    findings.extend(Finding("guesses", g) for g in b.guesses)
    stats = {
        "lines": len(src.lines),
        "nonempty": sum(1 for x in src.lines if x.strip()),
        "sections": len(parsed.sections),
        "provisions": len(walk),
        "roles": len(b.roles),
        "duties": len(b.duties),
        "frequencies": sum(1 for d in b.duties.values() if "frequency" in d),
        "laws": len(b.laws),
    }
    written = [f for f in FILES if f in files]
    report = format_report(src, parsed, findings, stats, written)
    missing = missing_lines(src, parsed, report)
    if missing:
        # Safety net: a line whose words are not found verbatim anywhere is listed, never lost.
        findings.extend(
            Finding("unplaced", f"自检：此行文字在输出中未能逐字找到：“{src.lines[k - 1].strip()}”", (k,))
            for k in missing
        )
        report = format_report(src, parsed, findings, stats, written)
    return Output(files, report, findings, stats)


def _provision(n: Node, b: Built) -> Any:
    m = _map(id=n.id, source_number=_s(n.marker.printed), text=_s(n.text))
    if n.owners:
        m["owners"] = _seq(list(n.owners))
        m.yaml_add_eol_comment(guess(n.owner_note), "owners")
    elif n.owner_note:
        m.yaml_add_eol_comment(guess(n.owner_note), "text")
    if n.paragraphs:
        m["paragraphs"] = _seq([_s(p.text) for p in n.paragraphs])
        if n.para_guess:
            m.yaml_add_eol_comment(guess("本条之后的不编号段落，归入本条"), "paragraphs")
    if n.children:
        m["children"] = _seq([_provision(c, b) for c in n.children])
    d = b.duties.get(id(n))
    if d is not None:
        dm = _map(id=d["id"])
        dm.yaml_add_eol_comment(guess("责任岗位所属章节下的条目视为一项职责"), "id")
        if "frequency" in d:
            f = d["frequency"]
            fm = _map(
                **{
                    k: (_seq(v) if isinstance(v, list) else _s(v) if isinstance(v, str) else v)
                    for k, v in f.items()
                }
            )
            dm["frequency"] = fm
            dm.yaml_add_eol_comment(guess(d["_freq_note"]), "frequency")
        elif d.get("_daily"):
            dm.yaml_add_eol_comment(guess("原文写“每日/每天”，频次模型没有“日”周期，请人工标注"), "id")
        m["duties"] = _seq([dm])
    return m


# ------------------------------------------------------------------------------------- the report


def format_report(
    src: Source, parsed: Parsed, findings: list[Finding], stats: dict[str, int], written: list[str]
) -> str:
    """The import report as Markdown (also printed)."""
    lines = [f"# 导入报告：{src.name}", ""]
    lines.append(f"- 来源：{src.name}（{src.encoding}），共 {stats['lines']} 行，非空 {stats['nonempty']} 行")
    lines.append(f"- 生成：{'、'.join(written)}")
    lines.append(
        f"- 识别：一级条文 {stats['sections']} 项，条文共 {stats['provisions']} 项；"
        f"岗位 {stats['roles']} 个，"
        f"职责 {stats['duties']} 项（其中推定频次 {stats['frequencies']} 项）；法规 {stats['laws']} 部"
    )
    if parsed.wrap_width:
        lines.append(f"- 检测到硬换行（约 {parsed.wrap_width} 列），已把折行拼回段落")
    lines.extend(f"- {note}" for note in src.notes)
    placed = parsed.placed
    counts = {w: sum(1 for v in placed.values() if v == w) for w in ("notice", "regulation", "report")}
    lines.append(
        f"- 去向：发文通知 {counts['notice']} 行，制度正文 {counts['regulation']} 行，"
        f"仅列入本报告 {counts['report']} 行"
    )
    for key, title in SECTIONS.items():
        items = [f for f in findings if f.section == key]
        lines += ["", f"## {title}", ""]
        if not items:
            lines.append("（无）")
        for f in items:
            where = f"第 {'、'.join(str(x) for x in f.lines)} 行：" if f.lines else ""
            lines.append(f"- {where}{f.message}")
    return "\n".join(lines) + "\n"


def haystack(parsed: Parsed) -> list[str]:
    """Every text the YAML holds, in the shapes a source line can take (number + text, 署名 + 日期 …)."""
    n = parsed.notice
    out = [parsed.title, *(p.text for p in parsed.preamble + parsed.closing)]
    for node in _walk(parsed.sections):
        out.append(node.marker.printed + node.text)
        out.extend(p.text for p in node.paragraphs)
    if n.complete():
        assert n.doc_no and n.date
        organ, year, serial = n.doc_no
        out += [f"{organ}〔{year}〕{serial}号", *n.title_lines, *(p.text for p in n.body)]
        out += [f"{n.addressees}：", n.signature or "", cn_date(n.date), f"{n.signature}{cn_date(n.date)}"]
        out += [n.organ_mark or ""]
        if n.printed_by and n.printed_date:
            out.append(f"{n.printed_by}{cn_date(n.printed_date)}印发")
    return [core(x) for x in out if x]


def missing_lines(src: Source, parsed: Parsed, report: str) -> list[int]:
    """Non-empty source lines whose words appear neither in the YAML texts nor in the report."""
    hay = haystack(parsed)
    rep = core(report)
    out = []
    for i, ln in enumerate(src.lines, start=1):
        c = core(ln)
        if c and not any(c in h for h in hay) and c not in rep:
            out.append(i)
    return out


__all__ = [
    "FILES",
    "REPORT",
    "Output",
    "canonical",
    "generate",
    "guess_frequency",
    "guess_kind",
    "role_names",
]
