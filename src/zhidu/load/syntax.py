"""What a clerk most likely typed wrong when YAML does not parse: the parser's mark is often lines late.

A Chinese input method types full-width punctuation (“：”, “，”, “［”), a forgotten closing quote lets the
scalar run on to the next quote in the file, and a missing colon is only noticed on the following line. These
checks run only after the parser failed, and each answer points at the line the mistake is on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A key (ASCII, as every policy key is) written with a full-width colon, possibly as a list item.
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:[-－]\s*)?)([A-Za-z_][A-Za-z0-9_-]*)\s*(：)")
#: A list dash typed full-width.
_FULLWIDTH_DASH = re.compile(r"^(\s*)(－)\s")
#: Full-width brackets opening a flow value.
_FULLWIDTH_FLOW = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_-]*:\s+)([［｛【])")
#: A key followed by a value with no colon between them (`- id R-WGY`).
_NO_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)(\s+)(\S.*)$")
#: Where a value starts: after `key: ` or `- `.
_VALUE = re.compile(r"^\s*(?:-\s+)*(?:[A-Za-z_][A-Za-z0-9_-]*:\s+)?(?:-\s+)*")

_PAIRS = {"[": "]", "{": "}"}


@dataclass(frozen=True)
class Hint:
    """One located explanation of a syntax error (1-based line and column)."""

    line: int
    col: int
    message: str


def fullwidth(text: str) -> list[Hint]:
    """Full-width punctuation where YAML needs the ASCII one, every occurrence."""
    out: list[Hint] = []
    for n, line in enumerate(text.splitlines(), 1):
        if m := _FULLWIDTH_KEY.match(line):
            out.append(
                Hint(
                    n,
                    m.start(3) + 1,
                    f"键“{m[2]}”后是全角冒号“：”，应为半角冒号加空格“: ”，如“{m[2]}: …”"
                    "（中文输入法下请切换到英文标点）",
                )
            )
        elif m := _FULLWIDTH_DASH.match(line):
            out.append(Hint(n, m.start(2) + 1, "列表项的短横线是全角“－”，应为半角“-”加空格"))
        if line.startswith("\u3000"):
            out.append(Hint(n, 1, "行首是全角空格“　”，缩进只能用半角空格"))
        if m := _FULLWIDTH_FLOW.match(line):
            out.append(Hint(n, m.start(2) + 1, f"“{m[2]}”是全角括号，列表或映射应使用半角“[ ]”或“{{ }}”"))
        elif _flow_start(line) is not None and "，" in _unquoted(line[_flow_start(line) or 0 :]):
            col = line.index("，") + 1
            out.append(Hint(n, col, "方括号或花括号中的分隔符是全角逗号“，”，应为半角逗号“,”"))
    return out


def _flow_start(line: str) -> int | None:
    m = _VALUE.match(line)
    start = m.end() if m else 0
    return start if line[start : start + 1] in ("[", "{") else None


def _unquoted(s: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", s)


def unclosed(text: str, before_line: int) -> Hint | None:
    """The first quote or flow bracket opened on a line up to `before_line` and not closed on that line.

    A quoted value may legally span lines, but in policy files it never does: after a parse error, the first
    line whose quote stays open is where the value ran away.
    """
    for n, line in enumerate(text.splitlines()[:before_line], 1):
        if line.lstrip().startswith("#"):
            continue
        m = _VALUE.match(line)
        start = m.end() if m else 0
        value = line[start:]
        if value[:1] in ('"', "'"):
            q = value[0]
            body = value[1:]
            closed = (
                re.search(r'(?<!\\)"', body) if q == '"' else re.search(r"'(?!')", body.replace("''", ""))
            )
            if not closed:
                return Hint(n, start + 1, f"引号 {q} 未闭合：值从此处的 {q} 开始，请在本行末尾补上 {q}")
        elif value[:1] in _PAIRS:
            depth = 0
            for ch in _unquoted(value.split(" #", 1)[0]):
                depth += 1 if ch in "[{" else -1 if ch in "]}" else 0
            if depth > 0:
                o = value[0]
                return Hint(n, start + 1, f"“{o}”未闭合：列表或映射从此处开始，请补上“{_PAIRS[o]}”")
    return None


def missing_colon(text: str, error_line: int) -> Hint | None:
    """`key value` without a colon on the last content line before (or at) the one the parser stopped at."""
    lines = text.splitlines()
    for n in range(min(error_line, len(lines)), max(0, error_line - 3), -1):
        line = lines[n - 1]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _NO_COLON.match(line)
        if m and ":" not in line and "：" not in line:
            return Hint(
                n,
                m.end(2) + 1,
                f"“{m[2]} {m[4]}”缺少冒号：键与值之间应写半角冒号加空格，如“{m[2]}: {m[4]}”",
            )
        if n < error_line:
            break
    return None


def explain(text: str, error_line: int) -> list[Hint]:
    """The likeliest mistakes behind a syntax error the parser reported at `error_line` (empty: none found)."""
    hints = fullwidth(text)
    if hints:
        return hints
    for h in (unclosed(text, error_line), missing_colon(text, error_line)):
        if h is not None:
            return [h]
    return []
