"""RawDoc → model: shape and type checks, then cross-references. Collects every issue instead of raising."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Issue, Report
from zhidu.location import Location
from zhidu.model import (
    FILE_KINDS,
    Glossary,
    Laws,
    Node,
    Notice,
    Parties,
    Policy,
    Provision,
    RegulationDoc,
    Roles,
)
from zhidu.source import (
    KEYLOCS_KEY,
    LOC_KEY,
    LOCS_KEY,
    MAX_FILE_BYTES,
    RawDoc,
    find_versions,
    load_file,
    version_files,
)

_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "float_type": "数字",
    "float_parsing": "数字",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "list_type": "列表",
    "model_type": "映射（键: 值）",
    "dict_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if value is None:
        return "空值"
    s = str(value)
    return f"“{s[:20]}{'…' if len(s) > 20 else ''}”"


def _field_names(model: type[Node], path: tuple[Any, ...]) -> list[str]:
    """The allowed keys of the mapping at `path` in `model`, for "did you mean"."""
    cls: Any = model
    for part in path:
        if isinstance(part, int) or cls is None:
            continue
        fld = cls.model_fields.get(part) or next(
            (f for f in cls.model_fields.values() if f.alias == part), None
        )
        if fld is None:
            return []
        cls = _node_class(fld.annotation)
    if cls is None:
        return []
    return [f.alias or n for n, f in cls.model_fields.items() if not (f.alias or "").startswith("__")]


def _node_class(ann: Any) -> type[Node] | None:
    if isinstance(ann, type) and issubclass(ann, Node):
        return ann
    for a in getattr(ann, "__args__", ()) or ():
        c = _node_class(a)
        if c is not None:
            return c
    return None


def _locate(data: Any, path: tuple[Any, ...], doc_path: str) -> tuple[Location, Location | None, Any]:
    """(location of the value at path, location of its key, the value) — as deep as the path resolves."""
    here = data.get(LOC_KEY) if isinstance(data, dict) else None
    loc: Location = here or Location(doc_path, 1, 1)
    keyloc: Location | None = None
    cur = data
    for part in path:
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            loc = cur[LOCS_KEY].get(part, loc)
            keyloc = cur[KEYLOCS_KEY].get(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            nxt = cur[part]
            if isinstance(nxt, dict) and LOC_KEY in nxt:
                loc = nxt[LOC_KEY]
            cur = nxt
            keyloc = None
        else:
            break
    return loc, keyloc, cur


def _resolvable(data: Any, path: tuple[Any, ...], keep_last: bool) -> tuple[Any, ...]:
    """The part of an error path that exists in the data; union members add tags like 'date' or 'str'."""
    cur = data
    for i, part in enumerate(path):
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            cur = cur[part]
        else:
            return path[: i + 1] if keep_last and i == len(path) - 1 else path[:i]
    return path


def _translate(err: dict[str, Any], model: type[Node], data: Any, doc_path: str, report: Report) -> None:
    path = tuple(p for p in err["loc"])
    kind = err["type"]
    loc, keyloc, value = _locate(data, path, doc_path)
    named = [p for p in path if isinstance(p, str)]
    field = named[-1] if named else "（根）"
    shown = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")

    if kind == "missing":
        parent_loc, _, _ = _locate(data, path[:-1], doc_path)
        report.error("E004", f"缺少必填字段“{field}”（位于 {shown.rsplit('.', 1)[0] or '根'}）", parent_loc)
    elif kind == "extra_forbidden":
        allowed = _field_names(model, path[:-1])
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        hint = (
            f"，是否想写“{close[0]}”？"
            if close
            else (f"；允许的字段：{'、'.join(allowed)}" if allowed else "")
        )
        report.error("E003", f"未知字段“{field}”{hint}", keyloc or loc)
    elif kind in _TYPE_NAMES:
        report.error("E002", f"“{shown}”应为{_TYPE_NAMES[kind]}，实际为{_describe(value)}", loc)
    elif kind == "string_pattern_mismatch":
        report.error(
            "E011",
            f"“{shown}”的 id {_describe(value)} 格式不正确：应为大写前缀加短横线，如 D-0101、R-SJ",
            loc,
        )
    elif kind == "literal_error":
        expected = (
            str(err.get("ctx", {}).get("expected", ""))
            .replace("' or '", "、")
            .replace("', '", "、")
            .strip("'")
        )
        report.error("E013", f"“{shown}”的取值{_describe(value)}无效，可选：{expected}", loc)
    elif kind.startswith(("date", "datetime")) or (
        kind == "value_error" and str(err.get("msg", "")).startswith("Value error, date:")
    ):
        report.error(
            "E007",
            f"“{shown}”的日期{_describe(value)}无效：应为真实日期，写作 YYYY-MM-DD，如 2024-06-03",
            loc,
        )
    elif kind == "value_error" and str(err.get("msg", "")).startswith("Value error, doc_no:"):
        report.error("E008", str(err["msg"]).split("doc_no:", 1)[1], loc)
    elif kind in ("string_too_short", "too_short"):
        report.error("E014", f"“{shown}”不能为空", loc)
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        report.error("E002", f"“{shown}”的取值{_describe(value)}超出范围：{err.get('msg', '')}", loc)
    else:
        report.error("E002", f"“{shown}”无效：{err.get('msg', kind)}", loc)


def validate_doc(doc: RawDoc, kind: type[Node], report: Report) -> Node | None:
    """Validate one file against its kind; every error is translated and located."""
    from pydantic import ValidationError

    if not isinstance(doc.data, dict):
        report.error(
            "E002", f"文件顶层应为映射（键: 值），实际为{_describe(doc.data)}", Location(doc.path, 1, 1)
        )
        return None
    try:
        return kind.model_validate(doc.data)
    except ValidationError as e:
        errors = e.errors(include_url=False)
        # Union members each report; keep the first error per location so one mistake is one message.
        seen: set[tuple[Any, ...]] = set()
        for err in errors:
            key = _resolvable(doc.data, tuple(err["loc"]), keep_last=err["type"] == "missing")
            if key in seen:
                continue
            seen.add(key)
            _translate({**err, "loc": key}, kind, doc.data, doc.path, report)
        return None


def _ids(policy_nodes: Iterable[tuple[str, Node]]) -> dict[str, list[tuple[str, Node]]]:
    out: dict[str, list[tuple[str, Node]]] = {}
    for what, n in policy_nodes:
        out.setdefault(str(getattr(n, "id")), []).append((what, n))  # noqa: B009
    return out


def cross_check(policy: Policy, report: Report) -> None:
    """References, uniqueness and nesting depth across all files of one version."""
    reg = policy.regulation
    nodes: list[tuple[str, Node]] = [("岗位", r) for r in policy.roles] + [("法规", x) for x in policy.laws]
    duty_ids: set[str] = set()
    assess_ids: set[str] = set()
    for path, p in policy.walk():
        nodes.append(("条文", p))
        if len(path) > 4:
            report.error("E015", f"条文“{p.id}”嵌套超过四级（一、（一）1.（1））", p.loc)
        for d in p.duties:
            nodes.append(("职责", d))
            duty_ids.add(d.id)
        for a in p.assessment:
            nodes.append(("考核项", a))
            assess_ids.add(a.id)
        nodes.extend(("追责情形", z) for z in p.liability)
    nodes.extend(("修订记录", c) for c in reg.changes)
    if policy.parties:
        nodes.extend(("社区", c) for c in policy.parties.communities)
    for ident, owners in _ids(nodes).items():
        if len(owners) > 1:
            first = owners[0][1].loc
            for what, n in owners[1:]:
                report.error("E005", f"重复的 id“{ident}”（{what}），首次定义于 {first}", n.loc_of("id"))

    role_ids = [r.id for r in policy.roles]
    law_ids = [x.id for x in policy.laws]
    all_ids = {i for i, _ in _ids(nodes).items()}

    def ref(kind: str, target: str, pool: list[str] | set[str], loc: Location) -> None:
        if target not in pool:
            close = difflib.get_close_matches(target, sorted(pool), n=1, cutoff=0.5)
            hint = f"（是否想写“{close[0]}”？）" if close else ""
            report.error("E006", f"引用了未定义的{kind}“{target}”{hint}", loc)

    for r in policy.roles:
        if r.parent:
            ref("岗位", r.parent, role_ids, r.loc_of("parent"))
    for _path, p in policy.walk():
        for o in p.owners:
            ref("岗位", o, role_ids, p.loc_of("owners"))
        for d in p.duties:
            for o in d.owners:
                ref("岗位", o, role_ids, d.loc_of("owners"))
            for b in d.basis:
                ref("法规", b.law, law_ids, b.loc_of("law"))
        for a in p.assessment:
            for t in a.duties:
                ref("职责", t, duty_ids, a.loc_of("duties"))
            for o in a.roles:
                ref("岗位", o, role_ids, a.loc_of("roles"))
        for z in p.liability:
            for t in z.triggers:
                ref("职责或考核项", t, duty_ids | assess_ids, z.loc_of("triggers"))
            for o in z.roles:
                ref("岗位", o, role_ids, z.loc_of("roles"))
    for c in reg.changes:
        for t in c.targets:
            # A change may target an id that this version deleted; lineage is checked against the old
            # version by `zhidu diff`, so only ids that exist nowhere here and are not in any `was` fail.
            was = {w for _, p in policy.walk() for w in p.was}
            if t not in all_ids and t not in was and c.type not in ("repeal", "merge", "split"):
                ref("条文", t, all_ids, c.loc_of("targets"))


#: Versions already loaded in this process, keyed by their files' identity (one check loads a version, and
#: W121 needs the version it supersedes: the second request is answered here).
_LOADED: dict[tuple[object, ...], tuple[Policy | None, list[Issue]]] = {}


def load_policy(folder: Path, report: Report) -> Policy | None:
    """Load and validate one version folder; None when it has errors (all of them are in `report`)."""
    files = version_files(folder)
    try:
        # Content, not mtime: two writes within one clock tick must not alias. Oversized files are not
        # read here; the loader refuses them with a located error.
        small = all(f.stat().st_size <= MAX_FILE_BYTES for f in files)
        key: tuple[object, ...] = (
            (Path.cwd(), folder.resolve(), *((f, hashlib.sha256(f.read_bytes()).digest()) for f in files))
            if small
            else ()
        )
    except OSError:
        key = ()
    if key and key in _LOADED:
        policy, issues = _LOADED[key]
        report.issues.extend(issues)
        return policy
    mine = Report()
    policy = _load_policy(folder, files, mine)
    report.issues.extend(mine.issues)
    if key:
        _LOADED[key] = (policy, list(mine.issues))
    return policy


def _load_policy(folder: Path, files: list[Path], report: Report) -> Policy | None:
    docs: dict[str, tuple[RawDoc, Node | None]] = {}
    hasher = hashlib.sha256()
    for f in files:
        kind = FILE_KINDS.get(f.name)
        if kind is None:
            continue
        doc = load_file(f, report)
        if doc is None:
            docs[f.name] = (RawDoc(f.as_posix(), None, ""), None)
            continue
        hasher.update(f.name.encode() + b"\0" + doc.sha256.encode())
        docs[f.name] = (doc, validate_doc(doc, kind, report))
    shown = folder.as_posix()
    if "regulation.yaml" not in docs:
        report.error("E004", "缺少 regulation.yaml", Location(shown))
        return None
    if "roles.yaml" not in docs:
        report.error("E004", "缺少 roles.yaml（岗位登记表）", Location(shown))
    if any(n is None for _, n in docs.values()):
        return None
    reg = docs["regulation.yaml"][1]
    roles = docs["roles.yaml"][1] if "roles.yaml" in docs else None
    laws = docs.get("laws.yaml", (None, None))[1]
    notice = docs.get("notice.yaml", (None, None))[1]
    parties = docs.get("parties.yaml", (None, None))[1]
    glossary = docs.get("glossary.yaml", (None, None))[1]
    assert isinstance(reg, RegulationDoc)
    if not isinstance(roles, Roles):
        return None
    policy = Policy(
        root=shown,
        regulation=reg,
        roles=tuple(roles.roles),
        laws=tuple(laws.laws) if isinstance(laws, Laws) else (),
        notice=notice if isinstance(notice, Notice) else None,
        parties=parties if isinstance(parties, Parties) else None,
        glossary=tuple(glossary.terms) if isinstance(glossary, Glossary) else (),
        source_hash=hasher.hexdigest(),
        files=tuple(d.path for d, _ in docs.values()),
    )
    before = len(report.errors)
    cross_check(policy, report)
    return policy if len(report.errors) == before else None


def load_all(root: Path, report: Report) -> list[Policy]:
    """Every valid policy version under `root`; problems of the others are in `report`."""
    out = []
    for folder in find_versions(root):
        p = load_policy(folder, report)
        if p is not None:
            out.append(p)
    return out


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file kind, keyed by kind name (notice, regulation, …)."""
    out: dict[str, dict[str, Any]] = {}
    for fname, kind in FILE_KINDS.items():
        name = fname.removesuffix(".yaml")
        s = kind.model_json_schema(by_alias=True, mode="validation")
        s = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json", **s}
        out[name] = s
    return out


def schema_text(name: str) -> str:
    """One kind's schema as stable, pretty JSON text."""
    return json.dumps(json_schemas()[name], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = [
    "Provision",
    "cross_check",
    "json_schemas",
    "load_all",
    "load_policy",
    "schema_text",
    "validate_doc",
]


def schema_markdown() -> str:
    """docs/schema.md: every file kind and nested shape, field by field, in Chinese and English."""
    from typing import get_args, get_origin

    from pydantic.fields import FieldInfo

    lines = [
        "# 数据结构 / Schema",
        "",
        "<!-- Generated by `zhidu schema --markdown docs/schema.md` from src/zhidu/model.py; do not edit by hand. -->",
        "",
        "制度以一个版本文件夹保存（如 `policy/gongyuan-aqsc/2024.1/`），每个文件的类别由文件名决定；"
        "`parties.yaml` 与 `glossary.yaml` 可放在上一级（整项制度共用）。每个文件第一行写 "
        "`# yaml-language-server: $schema=…`，编辑器即可校验与补全。编号（一、（一）1.（1））由工具按位置生成，从不手写。",
        "",
        "A policy version is a folder; each file's kind comes from its name. `parties.yaml` and `glossary.yaml` may sit "
        "one level up, shared by all versions. Display numbers are generated from position and never typed.",
        "",
        "| 文件 / file | 内容 / content |",
        "|---|---|",
    ]
    for fname, kind in FILE_KINDS.items():
        lines.append(f"| `{fname}` | {(kind.__doc__ or '').strip()} |")
    seen: list[type[Node]] = []

    def collect(cls: type[Node]) -> None:
        if cls in seen:
            return
        seen.append(cls)
        for f in cls.model_fields.values():
            for c in _nested(f.annotation):
                collect(c)

    def _nested(ann: Any) -> list[type[Node]]:
        if isinstance(ann, type) and issubclass(ann, Node):
            return [ann]
        out: list[type[Node]] = []
        for a in get_args(ann):
            out.extend(_nested(a))
        return out

    def type_name(ann: Any) -> str:
        origin = get_origin(ann)
        if isinstance(ann, type) and issubclass(ann, Node):
            return f"[{ann.__name__}](#{ann.__name__.lower()})"
        if origin is list:
            return f"list[{type_name(get_args(ann)[0])}]"
        args = get_args(ann)
        if args and origin is not None and str(origin).endswith("Literal"):
            return " \\| ".join(f"`{a}`" for a in args)
        if args and (origin is not None):
            # Annotated metadata (length and pattern constraints) is not a type: leave it out.
            names = [
                type_name(a) for a in args if a is not type(None) and (isinstance(a, type) or get_origin(a))
            ]
            if str(origin).endswith("Annotated"):
                return names[0]
            return " \\| ".join(names) + (" \\| null" if type(None) in args else "")
        return {
            "str": "text",
            "int": "int",
            "float": "number",
            "bool": "bool",
            "date": "date (YYYY-MM-DD)",
        }.get(getattr(ann, "__name__", str(ann)), getattr(ann, "__name__", str(ann)))

    for kind in FILE_KINDS.values():
        collect(kind)
    for cls in seen:
        lines += [
            "",
            f"## {cls.__name__}",
            "",
            (cls.__doc__ or "").strip(),
            "",
            "| 字段 field | 类型 type | 必填 required | 说明 / description |",
            "|---|---|---|---|",
        ]
        for name, f in cls.model_fields.items():
            info: FieldInfo = f
            key = info.alias or name
            if key.startswith("__"):
                continue
            req = "是 yes" if info.is_required() else "否 no"
            lines.append(f"| `{key}` | {type_name(info.annotation)} | {req} | {info.description or ''} |")
    return "\n".join(lines) + "\n"
