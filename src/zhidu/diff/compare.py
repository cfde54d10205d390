"""Two policy versions + the new version's change records → RevisionDiff.

Provisions are matched by stable id, then by `was` lineage (split, merge, re-identified), then by text
similarity for ids that changed without lineage. Text changes are diffed by character (`zhidu.diff.chars`).
Renumber-only and punctuation-width-only changes are summarised once; a global rename is one row (docs/domain.md §8).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Any, Literal

from msgspec import Struct

from zhidu.diff.chars import char_diff, cut, plain, sides, width_only
from zhidu.diff.model import (
    GlobalRename,
    MetaChange,
    Part,
    Renumbered,
    RevisionDiff,
    Row,
    RowKind,
    Side,
)
from zhidu.model import Change, Duty, Policy, Provision
from zhidu.nodes import to_data

#: Texts longer than this are scored by difflib's character-count bound (quick_ratio, linear) instead of the
#: exact ratio (quadratic in length): a 20 000-character provision must not hold a comparison for minutes.
MAX_EXACT_RATIO_CHARS = 2000


def _ratio(a: str, b: str) -> float:
    """difflib's similarity of two texts, with its cheap upper bounds tried first (most pairs stop there)."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILARITY:
        return 0.0
    q = m.quick_ratio()
    if q < SIMILARITY or max(len(a), len(b)) > MAX_EXACT_RATIO_CHARS:
        return q if q >= SIMILARITY else 0.0
    return m.ratio()


#: Below this similarity an unmatched old and new provision are a deletion plus an insertion, not a re-id.
SIMILARITY = 0.6
#: Context characters a detected rename may grow by on each side to read as a term (督察, not 察).
_GROW = 8
_STOP = set("，。；：、！？,.;:!?“”‘’《》（）()\n")


# ------------------------------------------------------------------------------------------ the units


class _Unit(Struct, frozen=True):
    """A comparable piece of the regulation: a provision, or a title, preamble or closing paragraph."""

    key: str
    kind: Literal["provision", "title", "preamble", "closing"]
    citation: str
    text: str
    order: int
    parent: str | None = None
    node: Provision | None = None


def _units(policy: Policy) -> list[_Unit]:
    reg = policy.regulation
    out = [_Unit("标题", "title", "制度标题", reg.title, 0)]
    out += [_Unit(f"序言{i}", "preamble", f"序言第{i}段", t, 0) for i, t in enumerate(reg.preamble, 1)]

    by_path = dict(policy.walk())
    for path, p in policy.walk():
        body = "\n".join([p.text, *p.paragraphs])
        parent = by_path[path[:-1]].id if len(path) > 1 else None
        out.append(_Unit(p.id, "provision", policy.cite(path), body, 0, parent, p))
    out += [_Unit(f"结尾{i}", "closing", f"结尾第{i}段", t, 0) for i, t in enumerate(reg.closing, 1)]
    return [_Unit(u.key, u.kind, u.citation, u.text, n, u.parent, u.node) for n, u in enumerate(out)]


def _number_of(policy: Policy) -> dict[str, str]:
    return {p.id: policy.number(path) for path, p in policy.walk()}


# ------------------------------------------------------------------------------------------ metadata


def _dump(node: Any) -> Any:
    return to_data(node)


def _freq(d: Duty) -> str:
    return d.frequency.display if d.frequency else "（无）"


def _basis(policy: Policy, d: Duty) -> list[str]:
    out = []
    for b in d.basis:
        law = policy.law(b.law)
        out.append(f"{law.name if law else b.law}{b.art or ''}")
    return out


def _roles(policy: Policy, ids: Iterable[str]) -> str:
    names = []
    for i in ids:
        r = policy.role(i)
        names.append(r.name if r else i)
    return "、".join(names) or "（无）"


def _list_change(what: str, old: list[str], new: list[str]) -> list[str]:
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    out = []
    if added:
        out.append(f"{what}增加{'、'.join(added)}")
    if removed:
        out.append(f"{what}删除{'、'.join(removed)}")
    return out


def _duty_details(a: Policy, b: Policy, old: Duty, new: Duty, rename: Any) -> list[str]:
    out: list[str] = []
    who = f"职责 {new.id}"
    if _freq(old) != _freq(new) and rename(_freq(old)) != _freq(new):
        out.append(f"{who} 频次由“{_freq(old)}”改为“{_freq(new)}”")
    elif _dump(old.frequency) != _dump(new.frequency) and old.frequency and new.frequency:
        out.append(f"{who} 频次标注调整（{_freq(new)}）")
    if old.owners != new.owners:
        out.append(f"{who} 责任岗位由{_roles(a, old.owners)}改为{_roles(b, new.owners)}")
    out += [f"{who} {x}" for x in _list_change("法律依据", _basis(a, old), _basis(b, new))]
    out += [
        f"{who} {x}" for x in _list_change("履职记录", [rename(x) for x in old.evidence], list(new.evidence))
    ]
    if (old.summary or "") != (new.summary or "") and rename(old.summary or "") != (new.summary or ""):
        out.append(f"{who} 简称由“{old.summary or '（无）'}”改为“{new.summary or '（无）'}”")
    if old.checklist != new.checklist:
        out.append(f"{who} {'列入' if new.checklist else '不再列入'}检查表")
    return out


def _provision_details(a: Policy, b: Policy, old: Provision, new: Provision, rename: Any) -> list[str]:
    """What changed in a provision besides its wording (owners, duties, assessment, liability)."""
    out: list[str] = []
    if old.owners != new.owners:
        out.append(f"责任岗位由{_roles(a, old.owners)}改为{_roles(b, new.owners)}")
    olds = {d.id: d for d in old.duties}
    news = {d.id: d for d in new.duties}
    for i in olds:
        if i not in news:
            out.append(f"删除职责 {i}")
    for i, d in news.items():
        if i not in olds:
            out.append(f"新增职责 {i}（频次：{_freq(d)}）")
        else:
            out += _duty_details(a, b, olds[i], d, rename)
    for label, xs, ys in (
        ("考核项", old.assessment, new.assessment),
        ("追责情形", old.liability, new.liability),
    ):
        ox = {x.id: _dump(x) for x in xs}
        nx = {x.id: _dump(x) for x in ys}
        out += [f"删除{label} {i}" for i in ox if i not in nx]
        out += [f"新增{label} {i}" for i in nx if i not in ox]
        out += [f"{label} {i} 调整" for i in nx if i in ox and ox[i] != nx[i]]
    return out


def _meta(a: Policy, b: Policy, rename: Any) -> list[MetaChange]:
    from zhidu.numbering import cn_date

    out: list[MetaChange] = []

    def fmt(x: object) -> str:
        if x is None:
            return ""
        if isinstance(x, dt.date):
            return cn_date(x)
        if isinstance(x, str) and len(x) == 10 and x[4] == x[7] == "-":
            try:
                return cn_date(dt.date.fromisoformat(x))
            except ValueError:
                pass
        # A placeholder such as undetermined-1 stays as written.
        return str(x)

    def put(label: str, x: object, y: object) -> None:
        sx, sy = fmt(x), fmt(y)
        if sx != sy and rename(sx) != sy:
            out.append(MetaChange(label, sx, sy))

    va, vb = a.regulation.version, b.regulation.version
    na, nb = a.notice, b.notice
    put("版本号", va.id, vb.id)
    put("状态", "已印发" if va.status == "issued" else "草案", "已印发" if vb.status == "issued" else "草案")
    put("文号", str(na.doc_no) if na else None, str(nb.doc_no) if nb else None)
    put("通知标题", na.title_text if na else None, nb.title_text if nb else None)
    put("成文日期", na.date if na else None, nb.date if nb else None)
    put("印发日期", va.issued, vb.issued)
    put(
        "施行日期", va.effective.start if va.effective else None, vb.effective.start if vb.effective else None
    )
    put("施行截止", va.effective.to if va.effective else None, vb.effective.to if vb.effective else None)
    put("所替代版本", va.supersedes, vb.supersedes)
    put("复核日期", va.reviewed_on, vb.reviewed_on)
    if na and nb and na.body != nb.body:
        put("通知正文", "".join(na.body), "".join(nb.body))
    ra = {r.id: r for r in a.roles}
    rb = {r.id: r for r in b.roles}
    for i, r in ra.items():
        if i not in rb:
            out.append(MetaChange(f"岗位 {i}", r.name, ""))
    for i, r in rb.items():
        if i not in ra:
            out.append(MetaChange(f"岗位 {i}", "", r.name))
        else:
            o = ra[i]
            for fld, label in (
                ("name", "名称"),
                ("kind", "类别"),
                ("level", "责任层级"),
                ("parent", "上级"),
                ("note", "备注"),
            ):
                put(f"岗位 {i} {label}", getattr(o, fld), getattr(r, fld))
    la = {x.id: x for x in a.laws}
    lb = {x.id: x for x in b.laws}
    for i, x in la.items():
        if i not in lb:
            out.append(MetaChange(f"法规 {i}", x.name, ""))
    for i, x in lb.items():
        if i not in la:
            out.append(MetaChange(f"法规 {i}", "", x.name))
        else:
            put(f"法规 {i} 名称", la[i].name, x.name)
    return out


# ------------------------------------------------------------------------------------------ renames


def _apply(text: str, renames: list[tuple[str, str]]) -> str:
    for x, y in renames:
        if x:
            text = text.replace(x, y)
    return text


def _detect_renames(pairs: list[tuple[str, str]], recorded: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Replacements that recur in two or more provisions: candidate unrecorded renames."""
    hits: dict[tuple[str, str], list[tuple[str, int, str, int]]] = {}
    for old, new in pairs:
        ops = char_diff(_apply(old, recorded), new)
        i = j = 0
        k = 0
        while k < len(ops):
            op, t = ops[k]
            if op == "equal":
                i += len(t)
                j += len(t)
                k += 1
                continue
            x = y = ""
            si, sj = i, j
            while k < len(ops) and ops[k][0] != "equal":
                if ops[k][0] == "delete":
                    x += ops[k][1]
                    i += len(ops[k][1])
                else:
                    y += ops[k][1]
                    j += len(ops[k][1])
                k += 1
            if x and not width_only(x, y):
                hits.setdefault((x, y), []).append((_apply(old, recorded), si, new, sj))
    found: list[tuple[str, str]] = []
    for (x, y), occ in hits.items():
        if len({o for o, _, _, _ in occ}) < 2:
            continue
        # Grow the pair by the context every occurrence shares, so the row names a term (督察, not 察).
        left = right = ""
        for _ in range(_GROW):
            cs = {o[si - len(left) - 1] if si - len(left) - 1 >= 0 else None for o, si, _, _ in occ}
            c = next(iter(cs))
            if len(cs) != 1 or c is None or c in _STOP:
                break
            left = c + left
        for _ in range(_GROW):
            cs = {
                o[si + len(x) + len(right)] if si + len(x) + len(right) < len(o) else None
                for o, si, _, _ in occ
            }
            c = next(iter(cs))
            if len(cs) != 1 or c is None or c in _STOP:
                break
            right += c
        found.append((left + x + right, left + y + right))
    return found


# ------------------------------------------------------------------------------------------ matching


class _Match(Struct):
    old: list[_Unit]
    new: list[_Unit]
    kind: Literal["same", "split", "merge", "reid", "similar"] = "same"


def _lineage(a: list[_Unit], b: list[_Unit], problems: list[tuple[str, str]]) -> list[_Match]:
    olds = {u.key: u for u in a if u.kind == "provision"}
    news = {u.key: u for u in b if u.kind == "provision"}
    heirs: dict[str, list[str]] = {}
    for u in b:
        if u.node is None:
            continue
        for w in u.node.was:
            if w not in olds:
                problems.append((f"条文“{u.key}”的沿革 was 指向上一版本中不存在的 id“{w}”", u.key))
            else:
                heirs.setdefault(w, []).append(u.key)
    matches: list[_Match] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for u in b:
        if u.node is None or len([w for w in u.node.was if w in olds]) < 2 or u.key in used_new:
            continue
        srcs = [w for w in u.node.was if w in olds]
        if u.key in olds and u.key not in srcs:
            srcs.insert(0, u.key)
        matches.append(_Match([olds[w] for w in srcs], [u], "merge"))
        used_old.update(srcs)
        used_new.add(u.key)
    for w, keys in heirs.items():
        if w in used_old:
            continue
        targets = [k for k in keys if k not in used_new]
        if w in news and w not in targets and w not in used_new:
            targets.insert(0, w)
        if len(targets) >= 2:
            targets.sort(key=lambda k: news[k].order)
            matches.append(_Match([olds[w]], [news[k] for k in targets], "split"))
        elif len(targets) == 1:
            matches.append(_Match([olds[w]], [news[targets[0]]], "reid" if targets[0] != w else "same"))
        else:
            continue
        used_old.add(w)
        used_new.update(targets)
    for k, u in news.items():
        if k in olds and k not in used_old and k not in used_new:
            matches.append(_Match([olds[k]], [u]))
            used_old.add(k)
            used_new.add(k)
    # Non-provision units pair by kind and position.
    for kind in ("title", "preamble", "closing"):
        xs = [u for u in a if u.kind == kind]
        ys = [u for u in b if u.kind == kind]
        for x, y in zip(xs, ys, strict=False):
            matches.append(_Match([x], [y]))
            used_old.add(x.key)
            used_new.add(y.key)
    # Ids changed without lineage: pair the most similar leftovers.
    left_old = [u for u in a if u.key not in used_old and u.kind == "provision"]
    left_new = [u for u in b if u.key not in used_new and u.kind == "provision"]
    scored = []
    for x in left_old:
        for y in left_new:
            r = _ratio(x.text, y.text)
            if r >= SIMILARITY:
                scored.append((-r, x.order, y.order, x, y))
    for _r, _o, _n, x, y in sorted(scored, key=lambda t: (t[0], t[1], t[2])):
        if x.key in used_old or y.key in used_new:
            continue
        matches.append(_Match([x], [y], "similar"))
        used_old.add(x.key)
        used_new.add(y.key)
    for u in a:
        if u.key not in used_old:
            matches.append(_Match([u], []))
    for u in b:
        if u.key not in used_new:
            matches.append(_Match([], [u]))
    return matches


def _moved(matches: list[_Match], a: list[_Unit], b: list[_Unit]) -> set[str]:
    """New keys of provisions that changed parent, or left their siblings' order (outside the LCS)."""
    to_new: dict[str, str] = {}
    for m in matches:
        if m.old and m.new:
            for o in m.old:
                to_new.setdefault(o.key, m.new[0].key)
    moved: set[str] = set()
    new_of_old = {m.new[0].key: m.old[0] for m in matches if len(m.old) == 1 and len(m.new) == 1}
    by_parent: dict[str | None, list[_Unit]] = {}
    for u in b:
        if u.kind == "provision":
            by_parent.setdefault(u.parent, []).append(u)
    for parent, kids in by_parent.items():
        seq: list[tuple[int, str]] = []
        for k in kids:
            src = new_of_old.get(k.key)
            if src is None:
                continue
            if (to_new.get(src.parent) if src.parent else None) != parent:
                moved.add(k.key)
            else:
                seq.append((src.order, k.key))
        keep = _lis([x for x, _ in seq])
        moved.update(key for n, (_x, key) in enumerate(seq) if n not in keep)
    return moved


def _lis(xs: list[int]) -> set[int]:
    """Indices of one longest increasing subsequence of xs."""
    import bisect

    tails: list[int] = []
    idx: list[int] = []
    prev = [-1] * len(xs)
    for i, x in enumerate(xs):
        j = bisect.bisect_left(tails, x)
        if j == len(tails):
            tails.append(x)
            idx.append(i)
        else:
            tails[j] = x
            idx[j] = i
        prev[i] = idx[j - 1] if j else -1
    out: set[int] = set()
    k = idx[-1] if idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


# ------------------------------------------------------------------------------------------ records


def _records_for(changes: list[Change], ids: Iterable[str], document: bool = False) -> list[Change]:
    want = set(ids)
    out = [c for c in changes if c.type != "global_replace" and want & set(c.targets)]
    if document:
        out += [c for c in changes if c.type in ("substitute", "metadata") and not c.targets]
    return out


def _inner_ids(p: Provision | None) -> list[str]:
    if p is None:
        return []
    return [d.id for d in p.duties] + [x.id for x in p.assessment] + [z.id for z in p.liability]


# ------------------------------------------------------------------------------------------ compare


def compare(old: Policy, new: Policy) -> RevisionDiff:
    """Compare two versions of a regulation; the change records come from the new version."""
    changes = list(new.regulation.changes)
    recorded = [(c.from_ or "", c.to or "") for c in changes if c.type == "global_replace" and c.from_]
    a, b = _units(old), _units(new)
    problems: list[tuple[str, str]] = []
    matches = _lineage(a, b, problems)
    moved = _moved(matches, a, b)
    num_a, num_b = _number_of(old), _number_of(new)
    gen_a = {p.id: old.numbers.number(path) for path, p in old.walk()}

    # Pass 1: find unrecorded renames among the texts that changed, so rows are not built from them.
    pairs = [
        (m.old[0].text, m.new[0].text)
        for m in matches
        if len(m.old) == 1 and len(m.new) == 1 and m.old[0].text != m.new[0].text
    ]
    # A rename is global only if the old wording is gone everywhere (unless the new wording contains it).
    detected = [
        (x, y) for x, y in _detect_renames(pairs, recorded) if x in y or not any(x in u.text for u in b)
    ]
    renames = recorded + detected

    def rename(s: str) -> str:
        return _apply(s, renames)

    rows: list[tuple[tuple[int, int, int], Row]] = []
    renumbered: list[Renumbered] = []
    punctuation: list[str] = []
    punct_where: list[str] = []
    punct_records: list[str] = []
    covered: dict[tuple[str, str], list[str]] = {r: [] for r in renames}
    unrecorded: list[str] = []
    last_new = -1
    old_anchor: dict[str, int] = {}
    new_pos = {m.old[0].key: m.new[0].order for m in matches if m.old and m.new}
    for u in a:
        if u.key in new_pos:
            last_new = new_pos[u.key]
        old_anchor[u.key] = last_new

    for m in matches:
        ids = [u.key for u in (*m.old, *m.new) if u.kind == "provision"]
        inner = [i for u in (*m.old, *m.new) for i in _inner_ids(u.node)]
        document = any(u.kind != "provision" for u in (*m.old, *m.new))
        recs = _records_for(changes, [*ids, *inner], document)
        reasons = tuple(dict.fromkeys(c.reason for c in recs))
        rec_ids = tuple(c.id for c in recs)
        # Rows follow the new order; a deleted provision keeps its old place (docs/domain.md §8).
        key = (m.new[0].order, 0, 0) if m.new else (old_anchor[m.old[0].key], 1, m.old[0].order)

        if not m.old:
            u = m.new[0]
            row = Row(
                "新增",
                f"新增{u.citation}",
                (),
                (Part(u.key, u.citation, plain(u.text)),),
                (),
                reasons,
                rec_ids,
            )
        elif not m.new:
            u = m.old[0]
            row = Row(
                "删除",
                f"删除原{u.citation}",
                (Part(u.key, u.citation, plain(u.text)),),
                (),
                (),
                reasons,
                rec_ids,
            )
        elif m.kind in ("split", "merge"):
            ot = "\n".join(u.text for u in m.old)
            nt = "\n".join(u.text for u in m.new)
            sa, sb = sides(ot, nt)
            olds = tuple(
                Part(u.key, u.citation, s)
                for u, s in zip(m.old, cut(sa, [len(u.text) for u in m.old]), strict=True)
            )
            news = tuple(
                Part(u.key, u.citation, s)
                for u, s in zip(m.new, cut(sb, [len(u.text) for u in m.new]), strict=True)
            )
            if m.kind == "split":
                label = f"原{m.old[0].citation}拆分为{'、'.join(u.citation for u in m.new)}"
                row = Row("拆分", label, olds, news, (), reasons, rec_ids)
            else:
                label = f"原{'、'.join(u.citation for u in m.old)}合并为{m.new[0].citation}"
                row = Row("合并", label, olds, news, (), reasons, rec_ids)
        else:
            o, n = m.old[0], m.new[0]
            details: list[str] = []
            if m.kind in ("reid", "similar"):
                how = "（沿革 was 已记录）" if m.kind == "reid" else "（未记录沿革 was，按文字相似度匹配）"
                details.append(f"id 由 {o.key} 改为 {n.key}{how}")
                if m.kind == "similar":
                    problems.append(
                        (f"条文“{n.key}”疑似由上一版本的“{o.key}”改编号而来，请在 was 中记录沿革", n.key)
                    )
            if o.node is not None and n.node is not None:
                details += _provision_details(old, new, o.node, n.node, rename)
            is_moved = n.key in moved
            # The old version printed a defective number (as issued): correcting it is a correction.
            fixed = o.kind == "provision" and num_a.get(o.key) not in (gen_a.get(o.key), num_b.get(n.key))
            fix_note = f"原文编号“{num_a.get(o.key)}”更正为“{num_b.get(n.key)}”" if fixed else ""
            number_row = Row(
                "修改",
                "更正编号",
                (Part(o.key, o.citation, plain(num_a.get(o.key, ""))),),
                (Part(n.key, n.citation, plain(num_b.get(n.key, ""))),),
                (fix_note,),
                reasons,
                rec_ids,
            )
            if o.text == n.text and not details and not is_moved:
                if fixed:
                    rows.append((key, number_row))
                    if not number_row.recorded:
                        unrecorded.append(n.key)
                elif (
                    o.kind == "provision" and num_a.get(o.key) != num_b.get(n.key)
                ) or o.citation != n.citation:
                    renumbered.append(Renumbered(n.key, o.citation, n.citation))
                continue
            if o.text != n.text and not details and not is_moved:
                after = rename(o.text)
                if after == n.text or width_only(after, n.text):
                    for r in renames:
                        if r[0] and r[0] in _apply(o.text, renames[: renames.index(r)]):
                            covered[r].append(n.key)
                    if after != n.text:
                        punctuation.append(n.key)
                        punct_where.append(n.citation)
                        punct_records.extend(rec_ids)
                        if not recs:
                            unrecorded.append(n.key)
                    if fixed:
                        rows.append((key, number_row))
                        if not number_row.recorded:
                            unrecorded.append(n.key)
                    continue
            if fixed:
                details.append(fix_note)
            sa, sb = sides(o.text, n.text)
            if is_moved:
                label = f"原{o.citation}移至{n.citation}" + ("并修改" if o.text != n.text else "")
                kind: RowKind = "移动"
            else:
                label = (
                    "修改"
                    if o.text != n.text
                    else "更正编号"
                    if fixed and len(details) == 1
                    else "调整职责信息"
                )
                kind = "修改"
            row = Row(
                kind,
                label,
                (Part(o.key, o.citation, sa),),
                (Part(n.key, n.citation, sb),),
                tuple(details),
                reasons,
                rec_ids,
            )
        rows.append((key, row))
        if not row.recorded:
            unrecorded.extend(row.ids[-1:])

    globals_: list[GlobalRename] = []
    for x, y in renames:
        recs = [c for c in changes if c.type == "global_replace" and (c.from_ or "", c.to or "") == (x, y)]
        count = sum(u.text.count(x) for u in a) + sum(
            (r.note or "").count(x) + r.name.count(x) for r in old.roles
        )
        if not count:
            # A record whose wording no longer occurs: nothing was replaced between these two versions.
            continue
        globals_.append(
            GlobalRename(
                x,
                y,
                count,
                tuple(dict.fromkeys(covered[(x, y)])),
                tuple(dict.fromkeys(c.reason for c in recs)),
                tuple(c.id for c in recs),
            )
        )
        if not recs:
            unrecorded.append(x)

    return RevisionDiff(
        old=_side(old),
        new=_side(new),
        meta=tuple(_meta(old, new, rename)),
        renames=tuple(globals_),
        rows=tuple(r for _k, r in sorted(rows, key=lambda t: t[0])),
        renumbered=tuple(renumbered),
        punctuation=tuple(punctuation),
        punctuation_where=tuple(punct_where),
        punctuation_records=tuple(dict.fromkeys(punct_records)),
        problems=tuple(problems),
        unrecorded=tuple(unrecorded),
    )


def _side(policy: Policy) -> Side:
    from zhidu.numbering import cn_date

    n = policy.notice
    v = policy.regulation.version
    return Side(v.id, str(n.doc_no) if n else "", cn_date(n.date if n else v.issued), policy.regulation.title)
