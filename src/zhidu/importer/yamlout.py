"""Write the guessed project as YAML text: notice.yaml, regulation.yaml, roles.yaml, laws.yaml.

Strings are plain where YAML reads them back unchanged on one line, else double-quoted; every guess
carries its `# 猜测：…，请确认` comment. The layout is the one `zhidu fmt` keeps (zhidu.yamlio).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from zhidu.importer.document import Node, NoticeParts, Parsed, detect_scheme
from zhidu.importer.guess import VERSION_DIR, Built, effective, guess, work_id
from zhidu.importer.read import Source

#: The files an import can write, in the order the report names them.
FILES = ("notice.yaml", "regulation.yaml", "roles.yaml", "laws.yaml")


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
    """One YAML document with `header` as its opening comment."""
    from zhidu.yamlio import round_trip_yaml

    doc.yaml_set_start_comment("\n".join(header))
    buf = io.StringIO()
    round_trip_yaml(aliases=False).dump(doc, buf)
    return buf.getvalue()


def yaml_files(parsed: Parsed, src: Source, b: Built, out_dir: Path) -> dict[str, str]:
    """File name → YAML text; notice.yaml only when the notice is complete enough to validate."""
    source_text = "\n".join(src.lines)
    n = parsed.notice
    has_notice = bool(n.lines)
    files: dict[str, str] = {}
    head = f"由 zhidu import 从 {src.name} 导入；标有“猜测”的内容请逐项确认，确认后删除注释"

    # -- notice.yaml: whenever a notice was found; what is missing is a marked placeholder (【待定】)
    if has_notice:
        doc = _notice(n, parsed.title)
        files["notice.yaml"] = dump(doc, [schema_line(out_dir, "notice"), head])

    # -- regulation.yaml
    issued = (n.printed_date or n.date) if has_notice else None
    vyear: int | None = n.doc_no[1] if has_notice and n.doc_no else (issued.year if issued else None)
    is_issued = has_notice and n.complete()
    in_version_dir = VERSION_DIR.match(out_dir.name) is not None
    vid = out_dir.name if in_version_dir else f"{vyear}.1" if vyear else "0.1"
    version = _map(id=_s(vid), status="issued" if is_issued else "draft")
    version.yaml_add_eol_comment(
        guess("版本号取版本目录名" if in_version_dir else "版本号按发文年份生成"), "id"
    )
    version.yaml_add_eol_comment(
        guess("发文通知要素齐全视为已印发，否则为草案（印出时标“征求意见稿”）"), "status"
    )
    if issued:
        version["issued"] = issued
    eff, eff_why = effective(b.texts, issued)
    version["effective"] = _map(from_=eff)
    version["effective"].yaml_add_eol_comment(guess(eff_why), "from")
    title = parsed.title
    reg = _map(work=_s(work_id(out_dir, source_text)), version=version)
    reg.yaml_add_eol_comment(guess("制度标识按输出目录名生成，终身不变"), "work")
    if title:
        reg["title"] = _s(title)
    else:
        reg["title"] = _s("【待定：原文未见制度标题】")
        reg.yaml_add_eol_comment(guess("原文未找到制度标题（文档可能从正文中间开始），请填写"), "title")
    decl = scheme_decl(parsed)
    if decl is not None:
        reg["numbering"] = decl
        reg.yaml_add_eol_comment(guess(f"编号体系按原文“{decl['scheme']}”识别"), "numbering")
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
    return files


def scheme_decl(parsed: Parsed) -> Any | None:
    """numbering: for a statute-style source (第X章/第X节/第X条); None for the default outline scheme."""
    name, chapters, sections = detect_scheme(parsed.sections)
    if name == "outline":
        return None
    d = _map(scheme=name)
    if chapters:
        d["chapters"] = True
    if sections:
        d["sections"] = True
    return d


def _notice(n: NoticeParts, regulation_title: str) -> Any:
    """notice.yaml's mapping; every part not found is a 【待定】 placeholder with a comment saying so."""
    todo = "【待定】"
    sig = n.signature or todo
    doc = _map(
        organ=_s(sig),
        organ_mark=_s(n.organ_mark or sig),
        doc_no=_map(organ_code=_s(n.doc_no[0]), year=n.doc_no[1], serial=n.doc_no[2]) if n.doc_no else todo,
        title=_s("\n".join(n.title_lines) or todo),
        addressees=_s(n.addressees) if n.addressees else None,
        body=_seq([_s(p.text) for p in n.body] or [todo]),
    )
    doc.yaml_add_eol_comment(guess("发文机关全称取自署名"), "organ")
    if not n.organ_mark:
        doc.yaml_add_eol_comment(guess("原文无发文机关标志行，取署名"), "organ_mark")
    for key, found in (("doc_no", bool(n.doc_no)), ("title", bool(n.title_lines)), ("body", bool(n.body))):
        if not found:
            doc.yaml_add_eol_comment("占位：原文未见，请补全", key)
    if n.attachments:
        # The attachment that is the regulation (附件1 of several) is marked so the notice prints it there.
        doc["attachments"] = _seq(
            [
                _map(name=_s(a), regulation=True)
                if len(n.attachments) > 1 and a == regulation_title
                else _map(name=_s(a))
                for a in n.attachments
            ]
        )
    if n.regulation_attached:
        doc["regulation_placement"] = "attachment"
        doc.yaml_add_eol_comment(
            guess("原文制度在附件标识之后或附件说明列有制度，制度作为附件另页"), "regulation_placement"
        )
    else:
        doc["regulation_placement"] = "follows"
    doc["signature"] = _s(sig)
    doc["date"] = n.date or todo
    for key, found in (("signature", bool(n.signature)), ("date", n.date is not None)):
        if not found:
            doc.yaml_add_eol_comment("占位：原文未见，请补全", key)
    if n.note:
        doc["note"] = _s(n.note)
    if n.cc:
        doc["cc"] = _seq([_s(c) for c in n.cc])
    doc["printed_by"] = _s(n.printed_by or sig)
    printed = n.printed_date or n.date
    doc["printed_date"] = printed or todo
    if not n.printed_by:
        doc.yaml_add_eol_comment(guess("原文无印发行，印发机关取署名"), "printed_by")
    if not n.printed_date:
        doc.yaml_add_eol_comment(guess("原文无印发日期，取成文日期"), "printed_date")
    return doc


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
        m["duties"] = _seq([_duty(x) for x in [d, *b.paragraph_duties.get(id(n), [])]])
    return m


def _duty(d: dict[str, Any]) -> Any:
    dm = _map(id=d["id"])
    if "text" in d:
        dm["text"] = _s(d["text"])
        dm.yaml_add_eol_comment(guess(d["_text_note"]), "id")
    else:
        dm.yaml_add_eol_comment(guess("责任岗位所属章节下的条目视为一项职责"), "id")
    if "owners" in d:
        dm["owners"] = _seq(list(d["owners"]))
        dm.yaml_add_eol_comment(guess("条文以该岗位名称开头，责任岗位只取该岗位"), "owners")
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
    return dm


__all__ = ["FILES", "dump", "schema_line", "yaml_files"]
