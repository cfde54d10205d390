"""Safe automatic fixes of policy sources: the library behind `zhidu fix`.

What it fixes, in Chinese text only: half-width punctuation next to Chinese (W103), 文号 brackets and
leading zeros (W111), leading zeros in dates (W110), stray full-width spaces, and the 顿号 between
quoted or titled items (W113). What it never touches: the record of an issued version (its wording is
what was issued; corrections belong in a new version with change records), recorded source numbers,
the wording a change record quotes (changes[].from/to), ids, urls and dates. Files go through a ruamel
round trip (comments and layout kept), are backed up to `<file>.bak` and replaced atomically.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhidu.lint import HALF_PUNCT, is_cjk

BACKUP_SUFFIX = ".bak"

#: Keys whose values are records or references, never prose to correct.
UNSAFE_KEYS = frozenset(
    {"id", "source_number", "from", "to", "url", "law", "owners", "targets", "was", "work", "parent", "art"}
)
#: Names and headers: a full-width space there separates the organs of a joint issue (中共某镇委员会　某镇人民政府)
#: or the parts of a title line; it is not stray spacing, so it stays.
NAME_KEYS = frozenset(
    {"organ", "organ_mark", "signature", "printed_by", "name", "issuer", "cc", "title", "addressees"}
)
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_DATE_ZERO = re.compile(r"(\d{4})年0?(\d{1,2})月0?(\d{1,2})日")
_DOCNO = re.compile(r"([\u4e00-\u9fff]{2,12})[\[【（(［](\d{4})[\]】）)］]第?0*([1-9]\d*)号")
_DOCNO_ZERO = re.compile(r"([\u4e00-\u9fff]{2,12})〔(\d{4})〕0+([1-9]\d*)号")
_COORD = re.compile(r"(》|”)、(《|“)")
_FULL_SPACE_RUN = re.compile(r"\u3000+")


def _half_width(s: str) -> str:
    out = list(s)
    for m in HALF_PUNCT.finditer(s):
        i = m.start()
        # As W103 (the same test, from lint): only next to Chinese; 1,000 and http://… stay as they are.
        if (i > 0 and is_cjk(s[i - 1])) or (i + 1 < len(s) and is_cjk(s[i + 1])):
            out[i] = _HALF[m.group()]
    return "".join(out)


def _full_spaces(s: str) -> str:
    # Typed indentation and spacing between Chinese words; a title's deliberate gaps are layout, not text.
    s = s.strip("\u3000")
    return _FULL_SPACE_RUN.sub(lambda m: "" if _between_cjk(s, m.start(), m.end()) else m.group(), s)


def _between_cjk(s: str, a: int, b: int) -> bool:
    return a > 0 and b < len(s) and is_cjk(s[a - 1]) and is_cjk(s[b]) and s[a - 1] != "\u3000"


#: (name shown in the summary, fixer), applied in this order.
FIXERS: list[tuple[str, Callable[[str], str]]] = [
    ("半角标点改为全角（W103）", _half_width),
    (
        "发文字号改用六角括号、去前导零（W111）",
        lambda s: _DOCNO_ZERO.sub(r"\1〔\2〕\3号", _DOCNO.sub(r"\1〔\2〕\3号", s)),
    ),
    ("日期去前导零（W110）", lambda s: _DATE_ZERO.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", s)),
    ("删除多余的全角空格", _full_spaces),
    ("书名号、引号之间的顿号（W113）", lambda s: _COORD.sub(r"\1\2", s)),
]


def fix_text(s: str, key: str | None = None) -> tuple[str, list[str]]:
    """The fixed text and the names of the fixes that changed it; `key` is the YAML key the text stands under."""
    done: list[str] = []
    for name, fn in FIXERS:
        if fn is _full_spaces and key in NAME_KEYS:
            continue
        t = fn(s)
        if t != s:
            done.append(name)
            s = t
    return s, done


@dataclass
class FileFix:
    """One file's planned fix: its text before and after, and what was changed."""

    path: Path
    shown: str
    old: str
    new: str
    changes: dict[str, int] = field(default_factory=dict)

    def diff(self) -> str:
        """A unified diff of the file, old → new."""
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"{self.shown}（原）",
                f"{self.shown}（修正后）",
            )
        )


@dataclass
class FixPlan:
    """Every file fix under a path, and the files left alone with the reason."""

    fixes: list[FileFix] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _walk(node: Any, key: str | None, counts: dict[str, int]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for k in list(node.keys()):
            v = node[k]
            if str(k) in UNSAFE_KEYS:
                continue
            if isinstance(v, str):
                node[k] = _fixed(v, str(k), counts)
            else:
                _walk(v, str(k), counts)
    elif isinstance(node, CommentedSeq):
        for i, v in enumerate(node):
            if isinstance(v, str):
                node[i] = _fixed(v, key, counts)
            else:
                _walk(v, key, counts)


def _fixed(v: str, key: str | None, counts: dict[str, int]) -> Any:
    new, done = fix_text(str(v), key)
    if not done:
        return v
    for name in done:
        counts[name] = counts.get(name, 0) + 1
    # Keep the scalar's quoting style: a double-quoted string stays double-quoted.
    cls = type(v)
    return cls(new) if cls is not str else new


def _issued(folder: Path) -> bool:
    from ruamel.yaml import YAML

    reg = folder / "regulation.yaml"
    if not reg.is_file():
        return False
    try:
        data = YAML(typ="safe", pure=True).load(reg.read_text(encoding="utf-8"))
    except Exception:  # an unreadable file is `zhidu check`'s to report; fix then leaves it alone
        return True
    version = data.get("version") if isinstance(data, dict) else None
    return isinstance(version, dict) and version.get("status") == "issued"


def plan(path: Path) -> FixPlan:
    """The fixes for every policy file under `path`; nothing is written."""
    from zhidu.fmt import policy_files
    from zhidu.load.source import display_path
    from zhidu.yamlio import round_trip_yaml

    out = FixPlan()
    for p in policy_files(path):
        shown = display_path(p)
        if p.name in ("parties.yaml", "lint.yaml"):
            continue
        if _issued(p.parent):
            out.skipped.append(f"{shown}：已印发版本是存档记录，不自动修改（请在新版本中修订并记录 changes）")
            continue
        text = p.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        y = round_trip_yaml()
        try:
            doc = y.load(text)
        except Exception:
            out.skipped.append(f"{shown}：无法解析，请先运行 zhidu check")
            continue
        counts: dict[str, int] = {}
        _walk(doc, None, counts)
        buf = io.StringIO()
        y.dump(doc, buf)
        if counts and buf.getvalue() != text:
            out.fixes.append(FileFix(p, shown, text, buf.getvalue(), counts))
    return out


def apply(fixes: list[FileFix]) -> None:
    """Back each file up to `<file>.bak`, then replace it atomically, keeping its permissions."""
    from zhidu.atomic import atomic_write

    for f in fixes:
        mode = f.path.stat().st_mode & 0o7777
        atomic_write(f.path.with_name(f.path.name + BACKUP_SUFFIX), f.old.encode("utf-8"), mode=mode)
        atomic_write(f.path, f.new.encode("utf-8"), mode=mode)
