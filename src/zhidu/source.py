"""The only reader of policy sources: bytes → text → ruamel tree → plain data with locations.

Every problem becomes an `Issue` with a file:line:col; nothing here raises for bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Report
from zhidu.errors import SourceError
from zhidu.location import Location

#: Refuse files larger than this before parsing (a policy file is a few hundred KB at most).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Bounds that stop alias bombs and pathological nesting.
MAX_NODES = 500_000
MAX_DEPTH = 64

LOC_KEY = "__loc__"
LOCS_KEY = "__locs__"
KEYLOCS_KEY = "__keylocs__"


@dataclass(frozen=True)
class RawDoc:
    """One loaded YAML file: plain data (dicts carry location keys) plus its display path and hash."""

    path: str
    data: Any
    sha256: str


def display_path(p: Path) -> str:
    """A path as users see it: relative to the working directory when inside it."""
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def decode(raw: bytes, path: str, report: Report) -> str | None:
    """UTF-8 (a BOM is accepted) or a located E009 at the first undecodable byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col_bytes = before[before.rfind(b"\n") + 1 :]
        col = len(col_bytes.decode("utf-8", errors="replace")) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "；文件似乎是 GBK/GB18030 编码，请另存为 UTF-8"
        except UnicodeDecodeError:
            pass
        report.error("E009", f"无法按 UTF-8 解码的字节 0x{raw[e.start]:02X}{hint}", Location(path, line, col))
        return None
    return text


def _forbidden_chars(text: str, path: str, report: Report) -> bool:
    """Report characters XML (and so .docx) cannot hold; True when the text is clean."""
    clean = True
    line, col = 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
            continue
        o = ord(ch)
        bad = (o < 0x20 and ch not in "\t\r") or 0xFFFE <= o <= 0xFFFF or 0xD800 <= o <= 0xDFFF or o == 0x7F
        if bad:
            report.error("E010", f"含有公文（XML）不允许的字符 U+{o:04X}，请删除", Location(path, line, col))
            clean = False
    return clean


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class _Constructor(RoundTripConstructor):  # type: ignore[misc]
        """Keep timestamps as text: a bad date then fails validation with its location, not the parser."""

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
    y = YAML(typ="rt", pure=True)
    y.Constructor = _Constructor
    y.allow_duplicate_keys = False
    return y


_YAML: Any = None


def parse(text: str, path: str, report: Report) -> Any:
    """YAML text → ruamel round-trip tree, or None with a located E001/E012."""
    global _YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if _YAML is None:
        _YAML = _yaml()
    try:
        return _YAML.load(text)
    except DuplicateKeyError as e:
        mark = e.problem_mark
        key = str(e.problem).split('"')[1] if '"' in str(e.problem) else ""
        report.error("E012", f"重复的键“{key}”", Location(path, mark.line + 1, mark.column + 1))
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        report.error("E001", f"YAML 语法错误：{_yaml_problem(e)}", Location(path, line, col))
    except YAMLError as e:
        report.error("E001", f"YAML 语法错误：{e}", Location(path, 1, 1))
    except RecursionError:
        report.error("E016", f"嵌套层级过深（超过 {MAX_DEPTH} 层）", Location(path, 1, 1))
    return None


_PROBLEMS = {
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请改用空格",
    "mapping values are not allowed here": "此处不允许出现“键: 值”，可能缩进有误或文字中含未加引号的“: ”",
    "could not find expected ':'": "缺少冒号“:”",
    "found undefined alias": "引用了未定义的锚点（别名）",
    "expected <block end>, but found": "缩进不一致",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unknown escape character": "双引号字符串中含未知的转义符",
    "did not find expected key": "缺少预期的键，可能缩进有误",
    "did not find expected '-' indicator": "列表项缺少“-”，可能缩进有误",
    "expected ',' or ']'": "方括号列表未正确闭合（缺少“,”或“]”）",
    "expected ',' or '}'": "花括号映射未正确闭合（缺少“,”或“}”）",
    "found a tab character": "不能用制表符（Tab），请改用空格",
    "while scanning a quoted scalar": "引号未闭合",
}


def _yaml_problem(e: Any) -> str:
    problem = str(e.problem or e.context or "")
    for en, zh in _PROBLEMS.items():
        if en in problem:
            return zh
    return problem


def to_plain(node: Any, path: str, report: Report) -> Any:
    """Ruamel tree → dicts/lists/str/int/float/bool; every dict gets its own and its values' locations."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    count = 0
    too_big = False

    def scalar_loc(value: Any, line: int, col: int) -> Location:
        inline = isinstance(value, str) and "\n" not in value
        quoted = isinstance(value, DoubleQuotedScalarString | SingleQuotedScalarString)
        return Location(path, line + 1, col + 1 + (1 if quoted else 0), inline and not _escaped(value, quoted))

    def rec(n: Any, depth: int, here: Location) -> Any:
        nonlocal count, too_big
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            if not too_big:
                too_big = True
                what = f"节点超过 {MAX_NODES} 个（可能是别名炸弹）" if count > MAX_NODES else f"嵌套超过 {MAX_DEPTH} 层"
                report.error("E016", f"文件结构过大：{what}", here)
            return None
        if isinstance(n, CommentedMap):
            out: dict[str, Any] = {}
            locs: dict[str, Location] = {}
            keylocs: dict[str, Location] = {}
            for k in n:
                if too_big:
                    break
                kl, kc = n.lc.key(k)
                vl, vc = n.lc.value(k)
                v = n[k]
                key = str(k)
                keylocs[key] = Location(path, kl + 1, kc + 1)
                vloc = scalar_loc(v, vl, vc) if not isinstance(v, CommentedMap | CommentedSeq) else _start(v, path)
                locs[key] = vloc
                if isinstance(v, CommentedSeq):
                    # Scalars in a list have no node of their own; keep their positions as key[i].
                    for i, item in enumerate(v):
                        if not isinstance(item, CommentedMap | CommentedSeq):
                            il, ic = v.lc.item(i)
                            locs[f"{key}[{i}]"] = scalar_loc(item, il, ic)
                out[key] = rec(v, depth + 1, vloc)
            out[LOC_KEY] = _start(n, path)
            out[LOCS_KEY] = locs
            out[KEYLOCS_KEY] = keylocs
            return out
        if isinstance(n, CommentedSeq):
            items = []
            for i, v in enumerate(n):
                if too_big:
                    break
                il, ic = n.lc.item(i)
                iloc = scalar_loc(v, il, ic) if not isinstance(v, CommentedMap | CommentedSeq) else _start(v, path)
                items.append(rec(v, depth + 1, iloc))
            return items
        if isinstance(n, bool) or n is None:
            return n
        if isinstance(n, int):
            return int(n)
        if isinstance(n, float):
            return float(n)
        if isinstance(n, str):
            return str(n)
        return str(n)

    try:
        data = rec(node, 0, Location(path, 1, 1))
        # A truncated tree would only add noise after E016.
        return None if too_big else data
    except RecursionError:
        report.error("E016", f"文件结构过大：嵌套超过 {MAX_DEPTH} 层", Location(path, 1, 1))
        return None


def _escaped(value: str, quoted: bool) -> bool:
    # Escapes make source columns differ from string offsets; then point at the scalar start only.
    return quoted and "\\" in value


def _start(n: Any, path: str) -> Location:
    try:
        line, col = n.lc.line, n.lc.col
    except AttributeError:
        return Location(path, 1, 1)
    return Location(path, line + 1, col + 1)


def read_bytes(p: Path, report: Report) -> bytes | None:
    """Read a source file's bytes with a located error instead of an exception."""
    shown = display_path(p)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error("E017", f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）", Location(shown))
            return None
        return p.read_bytes()
    except OSError as e:
        report.error("E018", f"无法读取文件：{e.strerror or e}", Location(shown))
        return None


def load_file(p: Path, report: Report) -> RawDoc | None:
    """One YAML file → RawDoc, or None with every problem found reported."""
    shown = display_path(p)
    raw = read_bytes(p, report)
    if raw is None:
        return None
    text = decode(raw, shown, report)
    if text is None or not _forbidden_chars(text, shown, report):
        return None
    tree = parse(text, shown, report)
    if tree is None:
        if not report.errors:
            report.error("E004", "文件为空", Location(shown, 1, 1))
        return None
    data = to_plain(tree, shown, report)
    if data is None:
        return None
    return RawDoc(shown, data, hashlib.sha256(raw).hexdigest())


def find_versions(root: Path) -> list[Path]:
    """Every policy version folder under `root` (a folder holding regulation.yaml), sorted."""
    if not root.exists():
        raise SourceError(f"路径不存在：{root}")
    if root.is_file():
        return [root.parent]
    if (root / "regulation.yaml").is_file():
        return [root]
    return sorted({p.parent for p in root.rglob("regulation.yaml") if "build" not in p.parts})


def version_files(folder: Path) -> list[Path]:
    """The YAML files of one version: its own, plus parties.yaml and glossary.yaml from the work folder."""
    own = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    names = {p.name for p in own}
    shared = [
        folder.parent / n for n in ("parties.yaml", "glossary.yaml") if n not in names and (folder.parent / n).is_file()
    ]
    return own + shared
