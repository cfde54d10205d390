"""RawDoc → model: shape and type checks, then cross-references. Collects every issue instead of raising.

Valid input takes the fast path: one msgspec conversion per file. Only when that fails is the file validated
against its published JSON Schema (jsonschema), which lists every problem at once; each is translated into a
located Chinese message.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import msgspec

from zhidu.diagnostics import Issue, Report
from zhidu.location import Location
from zhidu.model import (
    DOC_NO_PATTERN,
    ENUMS,
    FILE_KINDS,
    ID_PATTERN,
    LOC_FIELDS,
    Glossary,
    Laws,
    Node,
    Notice,
    Parties,
    Policy,
    Provision,
    RegulationDoc,
    Roles,
    without_locs,
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

if TYPE_CHECKING:
    from jsonschema import ValidationError as SchemaError

#: JSON Schema types in the words a policy author uses.
_TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "映射（键: 值）",
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


def _shown(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


@cache
def _validator(kind: type[Node]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _is_type_mismatch(err: SchemaError, depth: int) -> bool:
    return err.validator == "type" and len(err.absolute_path) == depth


def _leaves(err: SchemaError) -> Iterator[SchemaError]:
    """The errors worth telling: inside a union (optional field, 发文字号 as text or parts), the branch whose
    type the value has; a value of no branch's type stays one type error."""
    if err.validator not in ("anyOf", "oneOf") or not err.context:
        yield err
        return
    depth = len(err.absolute_path)
    branches: dict[Any, list[SchemaError]] = {}
    for sub in err.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for subs in branches.values():
        if not any(_is_type_mismatch(s, depth) for s in subs):
            for s in subs:
                yield from _leaves(s)
            return
    yield err


def _union_types(schema: dict[str, Any]) -> list[str]:
    out = []
    for branch in schema.get("anyOf", []) or schema.get("oneOf", []):
        t = branch.get("type", "object" if "$ref" in branch else None)
        if t and t != "null" and t not in out:
            out.append(t)
    return out


_BOUNDS = {
    "minimum": "应不小于",
    "maximum": "应不大于",
    "exclusiveMinimum": "应大于",
    "exclusiveMaximum": "应小于",
}
_BAD_DATE = "的日期{}无效：应为真实日期，写作 YYYY-MM-DD，如 2024-06-03"


def _explain(
    err: SchemaError, data: Any, doc_path: str
) -> Iterator[tuple[tuple[Any, ...], str, str, Location]]:
    """(path, code, message, location) for one schema error; `required` and extra keys may give several."""
    path = tuple(err.absolute_path)
    loc, _, value = _locate(data, path, doc_path)
    shown = _shown(path) or "（根）"
    kind = err.validator
    # jsonschema types these as "maybe unset"; for the keywords handled below they are always set.
    expected: Any = err.validator_value
    instance: Any = err.instance
    schema: Any = err.schema
    if kind == "required":
        for name in expected:
            if name not in instance:
                yield (*path, name), "E004", f"缺少必填字段“{name}”（位于 {_shown(path) or '根'}）", loc
        return
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for name in (k for k in instance if k not in allowed):
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"，是否想写“{close[0]}”？" if close else f"；允许的字段：{'、'.join(allowed)}"
            _, keyloc, _ = _locate(data, (*path, name), doc_path)
            yield (*path, name), "E003", f"未知字段“{name}”{hint}", keyloc or loc
        return
    if kind in ("type", "anyOf", "oneOf"):
        wanted = [expected] if kind == "type" and isinstance(expected, str) else _union_types(schema)
        names = "或".join(_TYPE_NAMES.get(t, t) for t in wanted)
        code, message = "E002", f"“{shown}”应为{names}，实际为{_describe(value)}"
    elif kind == "pattern" and expected == DOC_NO_PATTERN:
        code = "E008"
        message = f"发文字号“{value}”格式不正确，应为“机关代字〔四位年份〕序号号”，如“东公政发〔2024〕27号”"
    elif kind == "pattern" and expected == ID_PATTERN:
        code = "E011"
        message = f"“{shown}”的 id {_describe(value)} 格式不正确：应为大写前缀加短横线，如 D-0101、R-SJ"
    elif kind == "enum":
        code, message = (
            "E013",
            f"“{shown}”的取值{_describe(value)}无效，可选：{'、'.join(map(str, expected))}",
        )
    elif kind in ("format", "not"):  # the only format is date; `not` guards a date-shaped placeholder
        code, message = "E007", f"“{shown}”" + _BAD_DATE.format(_describe(value))
    elif kind in ("minLength", "minItems"):
        code, message = "E014", f"“{shown}”不能为空"
    elif kind in _BOUNDS:
        code, message = "E002", f"“{shown}”的取值{_describe(value)}超出范围：{_BOUNDS[kind]} {expected}"
    else:
        code, message = "E002", f"“{shown}”无效：{err.message}"
    yield path, code, message, loc


_MSGSPEC_PATH = re.compile(r" - at `\$((?:\.[^.\[`]+|\[\d+\])*)`$")


def _explain_msgspec(e: msgspec.ValidationError, data: Any, doc_path: str) -> tuple[str, str, Location]:
    """A conversion error the schema did not see (a rule only the model checks), located by its path."""
    text = str(e)
    m = _MSGSPEC_PATH.search(text)
    path = tuple(
        int(p[1:-1]) if p.startswith("[") else p[1:]
        for p in re.findall(r"\.[^.\[]+|\[\d+\]", m[1] if m else "")
    )
    msg = text[: m.start()] if m else text
    if msg.startswith("date:"):
        # The model raises "date:<field>:<value>" from the struct; point at the field itself.
        path = (*path, msg.split(":")[1])
    loc, _, value = _locate(data, path, doc_path)
    if msg.startswith("date:"):
        return "E007", f"“{_shown(path)}”" + _BAD_DATE.format(_describe(value)), loc
    return "E002", f"“{_shown(path) or '（根）'}”无效：{msg}", loc


def validate_doc(doc: RawDoc, kind: type[Node], report: Report) -> Node | None:
    """Validate one file against its kind; every error is translated and located."""
    if not isinstance(doc.data, dict):
        report.error(
            "E002", f"文件顶层应为映射（键: 值），实际为{_describe(doc.data)}", Location(doc.path, 1, 1)
        )
        return None
    try:
        return msgspec.convert(doc.data, kind)
    except msgspec.ValidationError as e:
        fast_error = e
    seen: set[tuple[Any, ...]] = set()
    for err in _validator(kind).iter_errors(without_locs(doc.data)):
        for leaf in _leaves(err):
            for path, code, message, loc in _explain(leaf, doc.data, doc.path):
                # One mistake, one message: a path already explained is not explained again.
                if path not in seen:
                    seen.add(path)
                    report.error(code, message, loc)
    if not seen:
        report.error(*_explain_msgspec(fast_error, doc.data, doc.path))
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
_LOADED_MAX = 8


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
        while len(_LOADED) > _LOADED_MAX:
            # A long `--watch` session loads every saved state; keep the recent ones (dicts keep order).
            del _LOADED[next(iter(_LOADED))]
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


def json_schema(kind: type[Node]) -> dict[str, Any]:
    """The JSON Schema of one file kind: its own shape at the top, nested shapes in $defs, no locations."""
    generated = msgspec.json.schema(kind)
    defs: dict[str, Any] = generated["$defs"]
    defs.pop("Location", None)
    for d in defs.values():
        for key in LOC_FIELDS:
            d.get("properties", {}).pop(key, None)
    top = defs.pop(kind.__name__)
    _declared_enum_order([top, *defs.values()])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **top,
        **({"$defs": defs} if defs else {}),
    }


def _declared_enum_order(node: Any) -> None:
    # msgspec sorts enum values; authors read them in the order the model declares them.
    declared = {frozenset(get_args(e)): list(get_args(e)) for e in ENUMS}
    if isinstance(node, dict):
        if "enum" in node and frozenset(node["enum"]) in declared:
            node["enum"] = declared[frozenset(node["enum"])]
        for v in node.values():
            _declared_enum_order(v)
    elif isinstance(node, list):
        for v in node:
            _declared_enum_order(v)


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file kind, keyed by kind name (notice, regulation, …)."""
    out: dict[str, dict[str, Any]] = {}
    for fname, kind in FILE_KINDS.items():
        name = fname.removesuffix(".yaml")
        out[name] = {"$id": f"{name}.schema.json", **json_schema(kind)}
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
    shapes: dict[str, dict[str, Any]] = {}

    def collect(name: str, shape: dict[str, Any], defs: dict[str, Any]) -> None:
        # Depth first in field order, each shape once: the order a reader meets them.
        if name in shapes:
            return
        shapes[name] = shape
        for prop in shape.get("properties", {}).values():
            for ref in re.findall(r'"\$ref": "#/\$defs/(\w+)"', json.dumps(prop)):
                collect(ref, defs[ref], defs)

    for fname, kind in FILE_KINDS.items():
        s = json_schema(kind)
        lines.append(f"| `{fname}` | {s.get('description', '')} |")
        collect(kind.__name__, s, s.get("$defs", {}))

    def type_name(t: dict[str, Any]) -> str:
        if "$ref" in t:
            ref = t["$ref"].rsplit("/", 1)[1]
            return f"[{ref}](#{ref.lower()})"
        if "enum" in t:
            return " \\| ".join(f"`{v}`" for v in t["enum"])
        if "anyOf" in t and "type" not in t:
            names = [type_name(b) for b in t["anyOf"] if b.get("type") != "null"]
            null = any(b.get("type") == "null" for b in t["anyOf"])
            return " \\| ".join(names) + (" \\| null" if null else "")
        if t.get("type") == "array":
            return f"list[{type_name(t['items'])}]"
        if t.get("format") == "date":
            return "date (YYYY-MM-DD)"
        return {"string": "text", "integer": "int", "number": "number", "boolean": "bool"}.get(
            t.get("type", ""), "any"
        )

    for name, shape in shapes.items():
        lines += [
            "",
            f"## {name}",
            "",
            shape.get("description", ""),
            "",
            "| 字段 field | 类型 type | 必填 required | 说明 / description |",
            "|---|---|---|---|",
        ]
        required = set(shape.get("required", []))
        for key, prop in shape.get("properties", {}).items():
            req = "是 yes" if key in required else "否 no"
            lines.append(f"| `{key}` | {type_name(prop)} | {req} | {prop.get('description', '')} |")
    return "\n".join(lines) + "\n"
