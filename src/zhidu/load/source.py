"""The only reader of policy sources: bytes → text → ruamel tree → plain data with locations.

Every problem becomes an `Issue` with a file:line:col; nothing here raises for bad input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhidu.diagnostics import Report
from zhidu.errors import SourceError, os_reason
from zhidu.load.syntax import explain
from zhidu.location import Location

#: Refuse files larger than this before parsing (a policy file is a few hundred KB at most).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Bounds that stop alias bombs and pathological nesting.
MAX_NODES = 500_000
MAX_DEPTH = 64

#: Characters XML 1.0 (and so .docx) cannot hold; a parsed value must not contain any.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

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
    if not _XML_FORBIDDEN.search(text):
        return True
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


def _composer() -> Any:
    from ruamel.yaml import YAML

    # The libyaml-backed composer gives nodes with line/column marks about 12x faster than the pure
    # round-trip loader; we build plain data from the nodes ourselves (fmt still uses round-trip).
    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:  # pragma: no cover - only without ruamel.yaml.clib
        return YAML(typ="safe", pure=True)
    yaml.Resolver = _core_resolver()
    return yaml


def _core_resolver() -> type:
    """ruamel's YAML 1.2 core-schema resolver without its per-scalar version detection.

    The default VersionedResolver looks the YAML version up again for every scalar (two caught
    AttributeErrors each time), which was most of the composing time. The C parser only ever reads YAML 1.2
    here, so the 1.2 rules are bound once, by first character.
    """
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import BaseResolver, Resolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    by_first: dict[str, list[tuple[Tag, Callable[[str], object]]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            # ruamel compiles its patterns lazily; taking `.match` compiles each once and skips the lazy proxy.
            rule = (Tag(suffix=tag), regexp.match)
            for ch in first:
                by_first.setdefault(ch, []).append(rule)
    scalar, seq, mapping = (
        Resolver.DEFAULT_SCALAR_TAG,
        Resolver.DEFAULT_SEQUENCE_TAG,
        Resolver.DEFAULT_MAPPING_TAG,
    )

    class CoreResolver(BaseResolver):
        def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
            BaseResolver.__init__(self, loadumper if loadumper is not None else loader)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, match in by_first.get(value[:1], ()):
                        if match(value):
                            return tag
                return scalar
            return seq if kind is SequenceNode else mapping

    return CoreResolver


_YAML: Any = None


def parse(text: str, path: str, report: Report) -> Any:
    """YAML text → node tree with positions, or None with a located E001."""
    global _YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if _YAML is None:
        _YAML = _composer()
    try:
        return _YAML.compose(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        hints = [] if at == "\t" else explain(text, line)
        for h in hints:
            # The parser's mark is often lines after the mistake; the hint is on the mistake's own line.
            report.error("E001", f"YAML 语法错误：{h.message}", Location(path, h.line, h.col))
        if not hints:
            problem = "不能用制表符（Tab）缩进，请改用空格" if at == "\t" else _yaml_problem(e)
            report.error("E001", f"YAML 语法错误：{problem}", Location(path, line, col))
    except YAMLError:
        report.error("E001", "YAML 语法错误：无法解析此文件", Location(path, 1, 1))
    except RecursionError:
        report.error("E016", f"文件结构过大：嵌套超过 {MAX_DEPTH} 层", Location(path, 1, 1))
    return None


_PROBLEMS = {
    "found character that cannot start any token": "含有不能作为开头的字符（常见原因：用制表符 Tab 缩进，或以 @、` 开头的文字未加引号）",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请改用空格",
    "mapping values are not allowed": "此处不允许出现“键: 值”，可能缩进有误或文字中含未加引号的“: ”",
    "could not find expected ':'": "缺少冒号“:”",
    "found undefined alias": "引用了未定义的锚点（别名）",
    "expected <block end>, but found": "缩进不一致",
    "did not find expected <document start>": "缩进不一致或多余的内容",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unknown escape character": "双引号字符串中含未知的转义符",
    "did not find expected key": "缺少预期的键，可能缩进有误",
    "did not find expected '-' indicator": "列表项缺少“-”，可能缩进有误",
    "did not find expected ',' or ']'": "方括号列表未正确闭合（缺少“,”或“]”）",
    "did not find expected ',' or '}'": "花括号映射未正确闭合（缺少“,”或“}”）",
    "found a tab character": "不能用制表符（Tab），请改用空格",
    "while scanning a quoted scalar": "引号未闭合",
    "found duplicate anchor": "锚点名称重复",
}


def _yaml_problem(e: Any) -> str:
    problem = str(e.problem or e.context or "")
    for en, zh in _PROBLEMS.items():
        if en in problem:
            return zh
    # The parser's own words are English: never show them to a clerk.
    return "此处格式不正确，请检查缩进、冒号“: ”和引号"


_TRUE = {"true", "True", "TRUE"}
_NULL = {"", "~", "null", "Null", "NULL"}


def _scalar(node: Any) -> Any:
    """A scalar node's value by its resolved tag; timestamps stay text so bad dates fail with a location."""
    tag, v = node.tag, node.value
    if tag.endswith(":null"):
        return None if v in _NULL else v
    if tag.endswith(":bool"):
        return v in _TRUE
    if tag.endswith(":int"):
        s = v.replace("_", "")
        try:
            return int(s, 0)
        except ValueError:
            try:
                return int(s, 10)  # leading zeros, e.g. 007
            except ValueError:
                return v
    if tag.endswith(":float"):
        try:
            return float(
                v.replace("_", "").replace(".inf", "inf").replace(".Inf", "inf").replace(".nan", "nan")
            )
        except ValueError:
            return v
    return v


def to_plain(node: Any, path: str, report: Report) -> Any:
    """Node tree → dicts/lists/str/int/float/bool; every dict gets its own and its values' locations."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    count = 0
    too_big = False

    def here(n: Any) -> Location:
        m = n.start_mark
        return Location(path, m.line + 1, m.column + 1)

    def scalar_loc(n: Any) -> Location:
        m = n.start_mark
        quoted = n.style in ('"', "'")
        inline = (
            n.style in (None, "", '"', "'")
            and "\n" not in str(n.value)
            and not (n.style == '"' and "\\" in _raw(n))
        )
        return Location(path, m.line + 1, m.column + 1 + (1 if quoted else 0), inline)

    def loc_of(n: Any) -> Location:
        return scalar_loc(n) if isinstance(n, ScalarNode) else here(n)

    def rec(n: Any, depth: int) -> Any:
        nonlocal count, too_big
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            if not too_big:
                too_big = True
                what = (
                    f"节点超过 {MAX_NODES} 个（可能是别名炸弹）"
                    if count > MAX_NODES
                    else f"嵌套超过 {MAX_DEPTH} 层"
                )
                report.error("E016", f"文件结构过大：{what}", here(n))
            return None
        if isinstance(n, MappingNode):
            out: dict[str, Any] = {}
            locs: dict[str, Location] = {}
            keylocs: dict[str, Location] = {}
            for knode, vnode in n.value:
                if too_big:
                    break
                if not isinstance(knode, ScalarNode):
                    report.error("E002", "键必须是文本", here(knode))
                    continue
                key = str(knode.value)
                if key in out:
                    report.error("E012", f"重复的键“{key}”", here(knode))
                    continue
                keylocs[key] = here(knode)
                locs[key] = loc_of(vnode)
                if isinstance(vnode, SequenceNode):
                    # Scalars in a list have no mapping of their own; keep their positions as key[i].
                    for i, item in enumerate(vnode.value):
                        if isinstance(item, ScalarNode):
                            locs[f"{key}[{i}]"] = scalar_loc(item)
                out[key] = rec(vnode, depth + 1)
            out[LOC_KEY] = here(n)
            out[LOCS_KEY] = locs
            out[KEYLOCS_KEY] = keylocs
            return out
        if isinstance(n, SequenceNode):
            items = []
            for item in n.value:
                if too_big:
                    break
                items.append(rec(item, depth + 1))
            return items
        v = _scalar(n)
        bad = _XML_FORBIDDEN.search(v) if isinstance(v, str) else None
        if bad:
            # Escapes in double quotes ("\x0b", "\0", "\ufffe") make characters the raw-text scan cannot see.
            report.error(
                "E010", f"含有公文（XML）不允许的字符 U+{ord(bad.group()):04X}，请删除", scalar_loc(n)
            )
        return v

    try:
        data = rec(node, 0)
        # A truncated tree would only add noise after E016.
        return None if too_big else data
    except RecursionError:
        report.error("E016", f"文件结构过大：嵌套超过 {MAX_DEPTH} 层", Location(path, 1, 1))
        return None


def _raw(n: Any) -> str:
    # The source slice of a double-quoted scalar, to see whether escapes shift columns.
    m, e = n.start_mark, n.end_mark
    buf = getattr(m, "buffer", None)
    if buf is None:
        return ""
    return str(buf[m.index : e.index])


def read_bytes(p: Path, report: Report, within: Path | None = None) -> bytes | None:
    """Read a source file's bytes with a located error instead of an exception.

    Only a regular file is read (a FIFO would hang, a device never end), at most MAX_FILE_BYTES, checked on
    the opened descriptor. A symlink whose target lies outside `within` (the work folder) is not read at all:
    its first characters would otherwise be echoed in an error message.
    """
    import os
    import stat

    shown = display_path(p)
    if within is not None and os.path.islink(p):
        real = os.path.realpath(p)
        if not real.startswith(os.path.realpath(within) + os.sep):
            report.error("E019", "源文件是指向制度目录之外的符号链接，出于安全考虑不予读取", Location(shown))
            return None
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        report.error("E018", f"无法读取文件：{os_reason(e)}", Location(shown))
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            report.error("E018", "无法读取文件：不是普通文件", Location(shown))
            return None
        if st.st_size > MAX_FILE_BYTES:
            report.error("E017", f"文件过大（{st.st_size} 字节，上限 {MAX_FILE_BYTES}）", Location(shown))
            return None
        chunks, got = [], 0
        while chunk := os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - got)):
            chunks.append(chunk)
            got += len(chunk)
            if got > MAX_FILE_BYTES:
                report.error("E017", f"文件过大（超过 {MAX_FILE_BYTES} 字节）", Location(shown))
                return None
        return b"".join(chunks)
    except OSError as e:
        report.error("E018", f"无法读取文件：{os_reason(e)}", Location(shown))
        return None
    finally:
        os.close(fd)


_BRACKETS = re.compile(r"[\[\]{}]")
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def _flow_depth_ok(text: str, path: str, report: Report) -> bool:
    """Refuse absurdly nested flow collections before the parser recurses into them (bounded time)."""
    depth = 0
    stripped = _QUOTED.sub(lambda m: " " * len(m.group()), text)
    for m in _BRACKETS.finditer(stripped):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = stripped.count("\n", 0, m.start()) + 1
            col = m.start() - (stripped.rfind("\n", 0, m.start()) + 1) + 1
            report.error("E016", f"文件结构过大：嵌套超过 {MAX_DEPTH} 层", Location(path, line, col))
            return False
    return True


def load_file(p: Path, report: Report, within: Path | None = None) -> RawDoc | None:
    """One YAML file → RawDoc, or None with every problem found reported."""
    raw = read_bytes(p, report, within)
    return None if raw is None else load_bytes(p, raw, report)


def load_bytes(p: Path, raw: bytes, report: Report) -> RawDoc | None:
    """The bytes of YAML file `p` (already read) → RawDoc, or None with every problem found reported."""
    shown = display_path(p)
    text = decode(raw, shown, report)
    if text is None or not _forbidden_chars(text, shown, report):
        return None
    if not _flow_depth_ok(text, shown, report):
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
    """Every policy version folder under `root` (a folder holding regulation.yaml), `root` itself included."""
    if not root.exists():
        raise SourceError(f"路径不存在：{root}")
    if root.is_file():
        return [root.parent]
    # A work folder may hold a version at its top and further versions in folders below: all are checked.
    return sorted(
        {p.parent for p in root.rglob("regulation.yaml") if "build" not in p.relative_to(root).parts[:-1]}
    )


def linked_versions(root: Path) -> list[Path]:
    """Symlinked folders under `root` that hold a version: not followed (a link may lead anywhere), but named."""
    import os

    if not root.is_dir():
        return []
    found = []
    for dirpath, dirs, _files in os.walk(root):
        for d in dirs:
            p = Path(dirpath, d)
            if p.is_symlink() and d != "build":
                try:
                    if (p / "regulation.yaml").is_file():
                        found.append(p)
                except OSError:  # a link loop
                    continue
        dirs[:] = [d for d in dirs if d != "build"]
    return sorted(found)


def version_files(folder: Path) -> list[Path]:
    """The YAML files of one version: its own, plus the shared registries (parties, glossary, inspections,
    calendar, lint) from the work folder."""
    own = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    names = {p.name for p in own}
    shared = [
        folder.parent / n
        for n in ("parties.yaml", "glossary.yaml", "inspections.yaml", "calendar.yaml", "lint.yaml")
        if n not in names and (folder.parent / n).is_file()
    ]
    return own + shared
