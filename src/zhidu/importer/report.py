"""The import report: what was recognised, normalised, dropped, guessed or could not be placed.

It is written next to the YAML as import-report.md and printed; a last self-check lists any source
line whose words cannot be found verbatim in the output, so nothing is ever lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhidu.importer.document import Finding, Parsed, detect_scheme, walk
from zhidu.importer.guess import Built
from zhidu.importer.markers import core
from zhidu.importer.read import Source
from zhidu.numbering import cn_date, scheme

REPORT = "import-report.md"

#: Report sections, in print order.
SECTIONS = {
    "numbering": "编号缺号、重号与格式",
    "duplicates": "疑似重复的条目",
    "normalised": "规范化（原文 → 导入结果）",
    "dropped": "按规则舍弃的行（页码、页眉页脚残留、网页栏目与元数据、版式标记）",
    "placeholder": "占位内容（印出为“【待定】”，请补全；zhidu check 以 W133 列出）",
    "unplaced": "未能放置的文字（请人工处理）",
    "guesses": "猜测（YAML 中以“# 猜测：…，请确认”标注）",
}


@dataclass
class ImportReport:
    """The report text with the findings and counts it was made from."""

    text: str
    findings: list[Finding]
    stats: dict[str, int]


def import_report(src: Source, parsed: Parsed, b: Built, written: list[str]) -> ImportReport:
    """Collect every finding and count, and format the report (with its no-loss self-check)."""
    findings = list(parsed.findings)
    for no, what in src.conversions:
        label = what if what.startswith("删除拼音注音") else f"繁体转简体：{what}"
        findings.append(Finding("normalised", label, (no,)))
    for s in src.side:
        findings.append(Finding("dropped" if s.dropped else "unplaced", f"{s.where}：“{s.text}”"))
    for ln in range(1, len(src.lines) + 1):
        if src.lines[ln - 1].strip() and ln not in parsed.placed:
            findings.append(Finding("unplaced", f"未能识别的文字：“{src.lines[ln - 1].strip()}”", (ln,)))
    findings.extend(Finding("guesses", g) for g in b.guesses)
    duties = [*b.duties.values(), *(d for ds in b.paragraph_duties.values() for d in ds)]
    stats = {
        "lines": len(src.lines),
        "nonempty": sum(1 for x in src.lines if x.strip()),
        "sections": len(parsed.sections),
        "provisions": len(walk(parsed.sections)),
        "roles": len(b.roles),
        "duties": len(duties),
        "frequencies": sum(1 for d in duties if "frequency" in d),
        "laws": len(b.laws),
    }
    roles = [f"{r.name}（{r.kind}）" for r in b.roles]
    report = format_report(src, parsed, findings, stats, written, roles)
    missing = missing_lines(src, parsed, report)
    if missing:
        # Safety net: a line whose words are not found verbatim anywhere is listed, never lost.
        findings.extend(
            Finding("unplaced", f"自检：此行文字在输出中未能逐字找到：“{src.lines[k - 1].strip()}”", (k,))
            for k in missing
        )
        report = format_report(src, parsed, findings, stats, written, roles)
    return ImportReport(report, findings, stats)


def format_report(
    src: Source,
    parsed: Parsed,
    findings: list[Finding],
    stats: dict[str, int],
    written: list[str],
    roles: list[str] | None = None,
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
    name, chapters, sections = detect_scheme(parsed.sections)
    sch = scheme(name, chapters, sections)
    lines.append(f"- 编号体系：{'条款式' if name == 'statute' else '提纲式'} {name}（{sch.label()}）")
    if roles:
        lines.append(f"- 岗位（名称与类别均为猜测）：{'；'.join(roles)}")
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
    for node in walk(parsed.sections):
        out.append(node.marker.printed + node.text)
        out.extend(p.text for p in node.paragraphs)
    if n.lines:
        if n.doc_no:
            organ, year, serial = n.doc_no
            out.append(f"{organ}〔{year}〕{serial}号")
        out += [*n.title_lines, *(p.text for p in n.body), *n.attachments]
        when = cn_date(n.date) if n.date else ""
        out += [f"{n.addressees}：", n.signature or "", when, f"{n.signature or ''}{when}"]
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


__all__ = ["REPORT", "SECTIONS", "ImportReport", "format_report", "import_report", "missing_lines"]
