"""A workbook (filled from `zhidu export --template`, or an office's own list) → a complete policy's YAML.

Roles, laws and communities come from their sheets; a 岗位 or 依据 named in the duty list but missing from an
absent or empty registry sheet is registered from the name. Rows of one 章节 become one chapter; owners shared
by a whole chapter are written once on the chapter (and inherited). The result is loaded and checked before
anything is written, and written as one folder renamed into place: a complete policy or nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Issue, Report
from zhidu.location import Location
from zhidu.model import DOC_NO_RE
from zhidu.nodes import ID_PATTERN
from zhidu.render.xlsx.cells import chapter_key, read_flag, split_items, split_owners
from zhidu.render.xlsx.columns import KIND_WORDS, RANK_WORDS, STATUS_WORDS
from zhidu.sheet.edits import frequency_value
from zhidu.sheet.read import Book, SheetRow
from zhidu.yamlio import round_trip_yaml

DEFAULT_CHAPTER = "安全生产职责"
_BASIS = re.compile(r"^(《[^》]+》)\s*(.*)$")
#: Excel's day 0 (the 1900 leap-year bug included): serial 45000 is 2023-03-15.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class NewPolicy:
    """The files of a new policy: path relative to the work folder → YAML text."""

    work: str
    version: str
    files: dict[str, str] = field(default_factory=dict)


def _dump(data: Any, comment: str) -> str:
    out = io.StringIO()
    # Generated YAML, as the importer's: a value met twice is written twice, never as an alias.
    round_trip_yaml(aliases=False).dump(data, out)
    return f"# {comment}\n" + out.getvalue()


def read_date(text: str) -> dt.date | None:
    """2024-06-03, 2024/6/3, 2024.6.3, 2024年6月3日, or an Excel date serial such as 45446."""
    t = re.sub(r"[\s\u3000]", "", text)
    if re.fullmatch(r"\d{5}(?:\.0+)?", t):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(t)))
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2})?)?", t)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _kind(word: str, name: str) -> str:
    by_word = {v: k for k, v in KIND_WORDS.items()} | {k: k for k in KIND_WORDS}
    if word in by_word:
        return by_word[word]
    if "网格" in name:
        return "grid_worker"
    if "社区" in name and not name.startswith("社区主要负责人"):
        return "community"
    if re.search(r"书记|主任|领导|负责人|站长|所长|部长", name):
        return "leader"
    if re.search(r"委员会|领导小组", name):
        return "committee"
    return "department"


def _rank(word: str, name: str) -> str:
    by_word = {v: k for k, v in RANK_WORDS.items()} | {k: k for k in RANK_WORDS}
    if word in by_word:
        return by_word[word]
    if name.endswith("法》"):
        return "law"
    if name.endswith("条例》"):
        return "regulation"
    if re.search(r"(办法|规定)》$", name) and "党" not in name:
        return "rule"
    return "normative"


def _ids(prefix: str, count: int) -> Iterator[str]:
    """R-01, R-02, … (three digits when there are 100 or more)."""
    width = max(2, len(str(count)))
    return (f"{prefix}-{i:0{width}d}" for i in itertools.count(1))


def _given_id(row: SheetRow, taken: set[str]) -> str | None:
    ident = row.get("id")
    if ident and re.match(ID_PATTERN, ident) and ident not in taken:
        return ident
    return None


def policy_from_book(book: Book, out: Path, report: Report) -> NewPolicy | None:
    """The policy a workbook describes, loaded and checked; None when it has errors (all in `report`)."""
    from ruamel.yaml.comments import CommentedMap as Map

    before = len(report.errors)
    info = {k: v for k, (v, _) in book.info.items()}
    work = info.get("work") or re.sub(r"[^A-Z0-9-]", "", out.name.upper()) or "AQSC"
    if not re.match(ID_PATTERN, work):
        loc = book.info["work"][1] if "work" in book.info else Location(book.path)
        if "work" in book.info:
            report.error("X340", f"制度标识“{work}”格式不正确：应为大写字母、短横线和数字，如 AQSC-GY", loc)
        work = "AQSC-" + (re.sub(r"[^A-Z0-9]", "", work) or "NEW")
    version = info.get("version") or "1.0"
    title = info.get("title") or "安全生产责任制度"
    if book.duties is None or not book.duties.rows:
        report.error("X302", "工作簿中没有责任清单（“责任清单”工作表为空或不存在）", Location(book.path))
        return None

    # Roles.
    roles: list[Any] = []
    by_name: dict[str, str] = {}
    registry = bool(book.roles and book.roles.rows)
    if book.roles is not None:
        taken: set[str] = set()
        ids = _ids("R", len(book.roles.rows))
        parents: list[tuple[Any, SheetRow]] = []
        for r in book.roles.rows:
            name = re.sub(r"[\s\u3000]+", "", r.get("name"))
            if not name:
                continue
            if name in by_name:
                report.error("X341", f"岗位“{name}”重复", r.loc("name"))
                continue
            ident = _given_id(r, taken) or next(i for i in ids if i not in taken)
            taken.add(ident)
            by_name[name] = ident
            kind = _kind(re.sub(r"\s", "", r.get("kind")), name)
            m = Map(id=ident, name=name, kind=kind)
            if r.get("level"):
                m["level"] = r.get("level")
            per = read_flag(r.get("per_community")) if r.get("per_community") else None
            if per is None and r.get("per_community"):
                report.error(
                    "X317",
                    f"“按社区履行”列应填“是”或“否”，实际为“{r.get('per_community')}”",
                    r.loc("per_community"),
                )
            if per if per is not None else kind in ("community", "grid_worker"):
                m["per_community"] = True
            if r.get("note"):
                m["note"] = r.get("note")
            roles.append(m)
            if r.get("parent"):
                parents.append((m, r))
        for m, r in parents:
            parent = re.sub(r"[\s\u3000]+", "", r.get("parent"))
            if parent not in by_name:
                report.error("X314", f"“上级岗位”列：未知岗位“{parent}”", r.loc("parent"))
                continue
            keys = list(m)
            m.insert(keys.index("kind") + 1 + ("level" in m), "parent", by_name[parent])

    # Laws.
    laws: list[Any] = []
    law_by_name: dict[str, str] = {}
    law_ids = _ids("L", len(book.laws.rows) if book.laws else 0)
    law_taken: set[str] = set()

    def add_law(name: str, rank_word: str, short: list[str], row: SheetRow | None) -> str:
        ident = (_given_id(row, law_taken) if row else None) or next(i for i in law_ids if i not in law_taken)
        law_taken.add(ident)
        m = Map(id=ident, name=name, rank=_rank(rank_word, name))
        if short:
            m["short"] = [s if s.startswith("《") else f"《{s}》" for s in short]
        laws.append(m)
        law_by_name[name] = ident
        for s in m.get("short", []):
            law_by_name[s] = ident
        return ident

    for r in book.laws.rows if book.laws else []:
        name = r.get("name")
        if not name:
            continue
        name = name if name.startswith("《") else f"《{name}》"
        if name in law_by_name:
            report.error("X341", f"法规“{name}”重复", r.loc("name"))
            continue
        add_law(name, re.sub(r"\s", "", r.get("rank")), split_owners(r.get("short")), r)

    # Duties, chapter by chapter in order of first appearance.
    chapters: dict[str, tuple[str, list[SheetRow]]] = {}
    current = ""
    skipped = False
    for r in book.duties.rows:
        if not r.get("text"):
            report.error("X319", f"{r.where('text', '职责')}为空：每行填写一项职责", r.loc("text"))
            continue
        if r.get("chapter"):
            current = r.get("chapter")
        elif not current:
            current = DEFAULT_CHAPTER
            report.info("X342", f"未填写章节，归入“{DEFAULT_CHAPTER}”", r.loc("chapter"))
        key = chapter_key(current) or current
        chapters.setdefault(key, (re.sub(r"^\s*[一二三四五六七八九十]+、\s*", "", current), []))[1].append(r)
        if (r.get("assessment") or r.get("liability")) and not skipped:
            skipped = True
            report.warning(
                "X343",
                "新建制度时“考核”“追责”列不导入：请在生成后于 regulation.yaml 中补充",
                r.loc("assessment"),
            )
    sections: list[Any] = []
    for si, (text, rows) in enumerate(chapters.values(), start=1):
        sec_id = f"S-{si:02d}"
        owner_lists = [_owners(r, by_name, registry, roles, report) for r in rows]
        # The owners most rows of the chapter share go on the chapter, the others on their duties.
        counts = Counter(tuple(o) for o in owner_lists if o)
        top = counts.most_common(1)[0] if counts else None
        shared = list(top[0]) if top and top[1] * 2 > len(rows) else None
        sec = Map(id=sec_id, text=text)
        if shared:
            sec["owners"] = list(shared)
        children = []
        width = max(2, len(str(len(rows))))
        for pi, (r, owners) in enumerate(zip(rows, owner_lists, strict=True), start=1):
            suffix = f"{si:02d}-{pi:0{width}d}"
            duty = Map(id=f"D-{suffix}")
            if owners and owners != shared:
                duty["owners"] = list(owners)
            freq = None
            if r.get("frequency"):
                freq = frequency_value(r.get("frequency"))
                if freq is None:
                    report.error(
                        "X315",
                        f"{r.where('frequency', '频次')}：无法识别的频次“{r.get('frequency')}”",
                        r.loc("frequency"),
                    )
                else:
                    duty["frequency"] = Map(freq)
            if r.get("evidence"):
                duty["evidence"] = split_items(r.get("evidence"))
            basis = []
            for item in split_items(r.get("basis")):
                bm = _BASIS.match(item)
                if not bm:
                    report.error(
                        "X316", f"{r.where('basis', '依据')}：“{item}”应写作《法规名称》条款", r.loc("basis")
                    )
                    continue
                name, art = bm[1], bm[2].strip()
                if name not in law_by_name:
                    add_law(name, "", [], None)
                    if book.laws is not None and book.laws.rows:
                        report.info("X344", f"依据中的“{name}”不在法规表中，已登记", r.loc("basis"))
                ref = Map(law=law_by_name[name])
                if art:
                    ref["art"] = art
                basis.append(ref)
            if basis:
                duty["basis"] = basis
            flag = read_flag(r.get("checklist")) if r.get("checklist") else None
            if r.get("checklist") and flag is None:
                report.error(
                    "X317", f"{r.where('checklist', '纳入检查表')}应填“是”或“否”", r.loc("checklist")
                )
            duty["checklist"] = (
                flag if flag is not None else bool(freq and ("per" in freq or "events" in freq))
            )
            children.append(Map(id=f"P-{suffix}", text=r.get("text"), duties=[duty]))
        sec["children"] = children
        sections.append(sec)

    made = NewPolicy(work, version)
    status = "issued" if info.get("status") in ("已印发", "issued") else "draft"
    reg = Map(work=work)
    ver = Map(id=version, status=status)
    date = _date(book, "date", report)
    if status == "issued":
        if date is None:
            report.error(
                "X345",
                "状态为“已印发”时须填写成文日期",
                book.info.get("status", ("", Location(book.path)))[1],
            )
        else:
            ver["issued"] = _copy(date)
    reg["version"] = ver
    reg["title"] = title
    reg["sections"] = sections
    made.files[f"{version}/regulation.yaml"] = _dump(
        reg, f"制度正文：由 zhidu new 从 {Path(book.path).name} 生成"
    )
    made.files[f"{version}/roles.yaml"] = _dump(Map(roles=roles), "岗位登记表")
    made.files[f"{version}/laws.yaml"] = _dump(Map(laws=laws), "法律依据登记表")
    notice = _notice(book, info, title, date, report)
    if notice is not None:
        made.files[f"{version}/notice.yaml"] = _dump(notice, "发文通知")
    parties = _parties(book, report)
    if parties is not None:
        made.files["parties.yaml"] = _dump(parties, "社区与网格员名单（不随制度版本变化）")
    if len(report.errors) > before:
        return None
    return made if _check(made, out, report) else None


def _owners(
    r: SheetRow, by_name: dict[str, str], registry: bool, roles: list[Any], report: Report
) -> list[str]:
    from ruamel.yaml.comments import CommentedMap as Map

    ids: list[str] = []
    for name in split_owners(r.get("owners")):
        if name not in by_name:
            if registry:
                report.error(
                    "X314",
                    f"{r.where('owners', '岗位')}：未知岗位“{name}”，请先在“岗位”表中登记",
                    r.loc("owners"),
                )
                continue
            used = {str(x["id"]) for x in roles}
            ident = next(i for i in _ids("R", len(roles) + 1) if i not in used)
            kind = _kind("", name)
            m = Map(id=ident, name=name, kind=kind)
            if kind in ("community", "grid_worker"):
                m["per_community"] = True
            roles.append(m)
            by_name[name] = ident
        if by_name[name] not in ids:
            ids.append(by_name[name])
    if not ids and not report.errors:
        report.error("X314", f"{r.where('owners', '岗位')}为空：每项职责至少有一个责任岗位", r.loc("owners"))
    return ids


def _date(book: Book, key: str, report: Report) -> dt.date | None:
    if key not in book.info or not book.info[key][0]:
        return None
    text, loc = book.info[key]
    d = read_date(text)
    if d is None:
        report.error("X346", f"成文日期“{text}”无法识别：应写作 2024-06-03 或 2024年6月3日", loc)
    return d


def _notice(book: Book, info: dict[str, str], title: str, date: dt.date | None, report: Report) -> Any:
    from ruamel.yaml.comments import CommentedMap as Map

    organ, doc_no = info.get("organ", ""), re.sub(r"[\s\u3000]", "", info.get("doc_no", ""))
    if not (organ and doc_no and date):
        missing = "、".join(
            n for n, v in (("发文机关", organ), ("发文字号", doc_no), ("成文日期", date)) if not v
        )
        report.warning("X347", f"基本信息缺少{missing}：不生成发文通知（notice.yaml）", Location(book.path))
        return None
    doc_no = doc_no.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
    if not DOC_NO_RE.match(doc_no):
        report.error(
            "X348",
            f"发文字号“{doc_no}”格式不正确：应为“机关代字〔四位年份〕序号号”，如“东公政发〔2024〕27号”",
            book.info["doc_no"][1],
        )
        return None
    n = Map(organ=organ, organ_mark=organ, doc_no=doc_no)
    n["title"] = info.get("notice_title") or f"{organ}关于印发{title}的通知"
    if info.get("addressees"):
        n["addressees"] = info["addressees"]
    n["body"] = [f"现将《{title}》印发给你们，请认真遵照执行。"]
    n["signature"] = organ
    n["date"] = date
    n["printed_by"] = organ
    n["printed_date"] = _copy(date)
    return n


def _copy(d: dt.date) -> dt.date:
    # ruamel writes one object met twice as an anchor and alias (&id001); a clerk should read two dates.
    return dt.date.fromordinal(d.toordinal())


def _parties(book: Book, report: Report) -> Any:
    from ruamel.yaml.comments import CommentedMap as Map

    if book.communities is None or not book.communities.rows:
        return None
    out = []
    taken: set[str] = set()
    ids = _ids("C", len(book.communities.rows))
    for r in book.communities.rows:
        name = re.sub(r"[\s\u3000]+", "", r.get("name"))
        if not name:
            continue
        ident = _given_id(r, taken) or next(i for i in ids if i not in taken)
        taken.add(ident)
        c = Map(id=ident, name=name)
        for key in ("leader", "safety_officer"):
            if r.get(key):
                c[key] = r.get(key)
        workers = []
        for w in split_owners(r.get("grid_workers")):
            m = re.fullmatch(r"(.+?)[（(](.+)[）)]", w)
            workers.append(Map(name=m[1], grid=m[2]) if m else Map(name=w))
        if workers:
            c["grid_workers"] = workers
        out.append(c)
    return Map(communities=out)


def _check(made: NewPolicy, out: Path, report: Report) -> bool:
    """Load and lint the new policy from a temporary folder; errors are reported against the real paths."""
    from zhidu import lint
    from zhidu.load.policy import load_policy

    with tempfile.TemporaryDirectory(prefix="zhidu-new-") as tmp:
        root = Path(tmp) / out.name
        _materialise(made, root)
        mine = Report()
        policy = load_policy(root / made.version, mine)
        if policy is not None:
            lint.run(policy, mine)
        for i in mine.issues:
            path = i.loc.path.replace(root.as_posix(), out.as_posix())
            report.issues.append(Issue(i.severity, i.code, i.message, Location(path, i.loc.line, i.loc.col)))
        return policy is not None and not mine.errors


def _materialise(made: NewPolicy, root: Path) -> None:
    from zhidu.atomic import atomic_write

    for rel, text in sorted(made.files.items()):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(p, text.encode("utf-8"))


def write_policy(made: NewPolicy, out: Path) -> list[str]:
    """Write the folder aside and rename it into place (`out` must not exist); the files written."""
    from zhidu.atomic import TMP_PREFIX

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out.parent))
    try:
        _materialise(made, tmp)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [(out / rel).as_posix() for rel in sorted(made.files)]


__all__ = ["STATUS_WORDS", "NewPolicy", "policy_from_book", "read_date", "write_policy"]
