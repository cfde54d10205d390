"""RawDoc → model: shape and type checks, then cross-references. Collects every issue instead of raising.

Valid input takes the fast path: one msgspec conversion per file. Only when that fails is the file validated
against its published JSON Schema (jsonschema), which lists every problem at once; each is translated into a
located Chinese message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import msgspec

from zhidu.diagnostics import Report
from zhidu.load.names import FIELD_NAMES, field_path, value_list
from zhidu.load.source import KEYLOCS_KEY, LOC_KEY, LOCS_KEY, RawDoc
from zhidu.location import Location
from zhidu.model import DOC_NO_PATTERN, DOC_NO_TEXT_PATTERN, Policy
from zhidu.nodes import ID_PATTERN, Node, without_locs
from zhidu.numbering import chinese_numeral
from zhidu.schema import json_schema

if TYPE_CHECKING:
    from jsonschema import ValidationError as SchemaError


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
    """The path in Chinese, counted from 1 (`第6个岗位的“类别”（kind）`); the file itself is “全文”."""
    return field_path(path) or "全文"


def _named(key: str) -> str:
    zh = FIELD_NAMES.get(key)
    return f"“{key}”（{zh}）" if zh else f"“{key}”"


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
    shown = _shown(path)
    kind = err.validator
    # jsonschema types these as "maybe unset"; for the keywords handled below they are always set.
    expected: Any = err.validator_value
    instance: Any = err.instance
    schema: Any = err.schema
    if kind == "required":
        for name in expected:
            if name not in instance:
                where = field_path(path)
                yield (*path, name), "E004", f"{where}缺少必填字段{_named(name)}", loc
        return
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for name in (k for k in instance if k not in allowed):
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = (
                f"，是否想写{_named(close[0])}？"
                if close
                else f"；允许的字段：{'、'.join(map(_named, allowed))}"
            )
            _, keyloc, _ = _locate(data, (*path, name), doc_path)
            yield (*path, name), "E003", f"未知字段“{name}”{hint}", keyloc or loc
        return
    if kind in ("type", "anyOf", "oneOf"):
        wanted = [expected] if kind == "type" and isinstance(expected, str) else _union_types(schema)
        names = "或".join(_TYPE_NAMES.get(t, t) for t in wanted)
        code, message = "E002", f"{shown}应为{names}，实际为{_describe(value)}"
    elif kind == "pattern" and expected in (DOC_NO_PATTERN, DOC_NO_TEXT_PATTERN):
        code = "E008"
        message = f"发文字号“{value}”格式不正确，应为“机关代字〔四位年份〕序号号”，如“东公政发〔2024〕27号”"
    elif kind == "pattern" and expected == ID_PATTERN:
        code = "E011"
        message = f"{shown}的 id {_describe(value)} 格式不正确：应为大写前缀加短横线，如 D-0101、R-SJ"
    elif kind == "enum":
        code, message = (
            "E013",
            f"{shown}的取值{_describe(value)}无效，可选：{value_list(list(expected))}",
        )
    elif kind in ("format", "not"):  # the only format is date; `not` guards a date-shaped placeholder
        code, message = "E007", shown + _BAD_DATE.format(_describe(value))
    elif kind in ("minLength", "minItems"):
        code, message = "E014", f"{shown}不能为空"
    elif kind in _BOUNDS:
        code, message = "E002", f"{shown}的取值{_describe(value)}超出范围：{_BOUNDS[kind]} {expected}"
    else:
        # jsonschema's own message is English: say what is wrong in the clerk's words.
        code, message = "E002", f"{shown}的取值{_describe(value)}不符合要求"
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
        return "E007", _shown(path) + _BAD_DATE.format(_describe(value)), loc
    # msgspec's own message is English: say what is wrong in the clerk's words.
    return "E002", f"{_shown(path)}的取值{_describe(value)}不符合要求", loc


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
        if not policy.numbers.depth_ok(path):
            report.error(
                "E015",
                f"条文“{p.id}”嵌套超过{chinese_numeral(policy.scheme.depth_limit)}级（{policy.scheme.label()}）",
                p.loc,
            )
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
    for k in policy.catalogues:
        nodes.append(("检查要点目录", k))
        nodes.extend(("检查要点", x) for x in k.points)
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
    for k in policy.catalogues:
        for t in k.serves:
            ref("职责", t, duty_ids, k.loc_of("serves"))
    for e in policy.calendar:
        if e.to < e.from_:
            report.error("E021", f"时段“{e.name or e.event}”的结束日期早于开始日期", e.loc_of("to"))
    for c in reg.changes:
        for t in c.targets:
            # A change may target an id that this version deleted; lineage is checked against the old
            # version by `zhidu diff`, so only ids that exist nowhere here and are not in any `was` fail.
            was = {w for _, p in policy.walk() for w in p.was}
            if t not in all_ids and t not in was and c.type not in ("repeal", "merge", "split"):
                ref("条文", t, all_ids, c.loc_of("targets"))
