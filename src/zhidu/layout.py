"""The GB/T 9704-2012 layout profile: geometry, faces and sizes, each value tagged with its clause or as practice.

A profile is `templates/profiles/<name>.yaml`. Every leaf is ``{value: …, clause: "…"}`` (the standard says so)
or ``{value: …, practice: "…"}`` (local practice), so an office can change, say, the leading without touching code
and a reader can always tell which numbers are the standard's. ``extends: <name>`` inherits another profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhidu.errors import RenderError
from zhidu.units import TW_PER_MM, TW_PER_PT

#: Punctuation below U+2E80 that a Chinese font sets full width (quotes, dashes, ellipsis, middle dot).
_WIDE_PUNCT = frozenset("‘’“”—…·")


def cjk_width(text: str) -> float:
    """Width in 字: CJK and full-width characters (Chinese quotes and dashes too) count 1, the rest 0.5."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in _WIDE_PUNCT else 1.0 for c in text)


#: Printed at the top of a signature page that carries no 正文 (docs/gbt9704.md R24, 7.3.5.5 practice).
NO_BODY_MARK = "（此页无正文）"


def templates_dir() -> Path:
    """The shipped templates folder (package ``zhidu._templates``, or the source tree's ``templates/``)."""
    try:
        import importlib.resources as res

        root = res.files("zhidu._templates")
        path = Path(str(root))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    # Editable installs made before the package-dir mapping existed: fall back to the repository layout.
    return Path(__file__).resolve().parents[3] / "templates"


@dataclass(frozen=True)
class Tagged:
    """One profile value with where it comes from."""

    value: Any
    #: "GB/T 9704 <clause>" or "本地惯例：<why>".
    source: str

    @property
    def standard(self) -> bool:
        return self.source.startswith("GB/T")


class Profile:
    """A loaded layout profile; read values as ``profile["page.margin_top_mm"]``."""

    def __init__(self, name: str, description: str, values: dict[str, Tagged]) -> None:
        self.name = name
        self.description = description
        self.values = values

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key].value
        except KeyError:
            raise RenderError(f"版式配置 {self.name!r} 缺少 {key!r}") from None

    def source(self, key: str) -> str:
        """The clause or practice note behind a value."""
        return self.values[key].source

    def get(self, key: str, default: Any = None) -> Any:
        t = self.values.get(key)
        return default if t is None else t.value

    def mm_tw(self, key: str) -> int:
        """A millimetre value converted to whole twips."""
        return round(float(self[key]) * TW_PER_MM)

    # Derived geometry (docs/gbt9704.md §3), used by every builder.
    @property
    def text_width_tw(self) -> int:
        return (
            self.mm_tw("page.width_mm")
            - self.mm_tw("page.margin_left_mm")
            - self.mm_tw("page.margin_right_mm")
        )

    @property
    def text_height_tw(self) -> int:
        return (
            self.mm_tw("page.height_mm")
            - self.mm_tw("page.margin_top_mm")
            - self.mm_tw("page.margin_bottom_mm")
        )

    @property
    def title_chars_per_line(self) -> int:
        """Whole 字 of the 标题's size that fit across the 版心 (20 for 二号 in 156 mm)."""
        return int(self.text_width_tw // (self["sizes.title_pt"] * TW_PER_PT))

    @property
    def char_tw(self) -> int:
        """Width of one body character (字, GB/T 9704 3.1) after the 5.2.3 condensing."""
        return int(self["sizes.body_pt"] * TW_PER_PT + self["grid.char_spacing_tw"])


#: A profile is a page of YAML; anything larger is not one.
MAX_PROFILE_BYTES = 256 * 1024
#: `extends` chains longer than this are refused (the shipped ones are one deep).
MAX_EXTENDS = 8
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: Bounds on numbers by unit suffix: a value outside them is a typo or an attack (1e308, 1e8 blank lines).
_RANGES: dict[str, tuple[float, float]] = {
    "_mm": (0, 1000),
    "_pt": (0, 200),
    "_tw": (-5000, 50000),
    "_chars": (0, 100),
    "": (0, 100),
}
#: Values that divide or size the page: zero is refused too.
_POSITIVE = frozenset(
    {
        "page.width_mm",
        "page.height_mm",
        "grid.lines_per_page",
        "grid.chars_per_line",
        "grid.line_pitch_tw",
    }
)


#: Nodes (aliases counted at every use) and nesting a profile may have: a few hundred and four are real.
MAX_PROFILE_NODES = 20_000
MAX_PROFILE_DEPTH = 16
#: Where each key of a profile was written, "file:line:col", by dotted path (filled by _read_yaml).
_LOCS: dict[str, str] = {}


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, Tagged], where: str) -> None:
    for key, val in node.items():
        path = f"{prefix}{key}"
        at = _LOCS.get(f"{where}\0{path}", where)
        if isinstance(val, dict) and "value" in val:
            if "clause" in val:
                out[path] = Tagged(val["value"], f"GB/T 9704 {val['clause']}")
            elif "practice" in val:
                out[path] = Tagged(val["value"], f"本地惯例：{val['practice']}")
            else:
                raise RenderError(f"{at}: {path} 须注明 clause（标准条款）或 practice（本地惯例）")
            _check_value(path, val["value"], at)
        elif isinstance(val, dict):
            _flatten(val, path + ".", out, where)
        else:
            raise RenderError(f"{at}: {path} 应写成 {{value: …, clause: …}} 或 {{value: …, practice: …}}")


def _check_value(path: str, value: Any, at: str) -> None:
    """Refuse a value of the wrong type or outside its unit's range, with where it is written."""
    import math

    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise RenderError(f"{at}: {path} 的值 {value} 不是有限数")
        leaf = path.rsplit(".", 1)[-1]
        suffix = next((u for u in _RANGES if u and leaf.endswith(u)), "")
        lo, hi = _RANGES[suffix]
        positive = path in _POSITIVE or path.startswith("sizes.")
        if not lo <= value <= hi or (positive and value <= 0):
            raise RenderError(f"{at}: {path} 的值 {value} 超出允许范围（{lo}～{hi}）")
        return
    if isinstance(value, str):
        if len(value) > 200:
            raise RenderError(f"{at}: {path} 的文字过长（{len(value)} 字，上限 200）")
        return
    if (
        isinstance(value, list)
        and len(value) <= 16
        and all(isinstance(v, str) and len(v) <= 200 for v in value)
    ):
        return
    raise RenderError(f"{at}: {path} 的值类型不正确（应为数字、文字、是/否或文字列表）")


def _check_types(prof: dict[str, Tagged], example: dict[str, Tagged], where: str) -> None:
    """Each value has the type of the shipped standard profile's value for the same key."""

    def kind(v: Any) -> str:
        if isinstance(v, bool):
            return "是/否（true/false）"
        if isinstance(v, int | float):
            return "数字"
        if isinstance(v, list):
            return "文字列表"
        return "文字"

    for key, t in prof.items():
        ref = example.get(key)
        if ref is None or ref.value is None or t.value is None:
            continue
        if kind(t.value) != kind(ref.value):
            raise RenderError(f"{where}: {key} 应为{kind(ref.value)}，实际为 {t.value!r}")


def _profile_path(name: str, dirs: list[Path]) -> Path:
    """`<name>.yaml` in the first folder that has it: a regular file really inside that folder."""
    import os

    if not _NAME.fullmatch(name):
        raise RenderError(f"版式配置名称不合法：{name!r}（只能用字母、数字、-、_）")
    for d in dirs:
        f = d / f"{name}.yaml"
        if not os.path.lexists(f):
            continue
        if os.path.islink(d) or not os.path.realpath(f).startswith(os.path.realpath(d) + os.sep):
            raise RenderError(f"{f}: 版式配置指向其目录之外（符号链接），拒绝读取")
        return f
    raise RenderError(f"找不到版式配置 {name!r}（已查找：{', '.join(str(d) for d in dirs)}）")


def _read_yaml(path: Path) -> dict[str, Any]:
    """A profile file: size-bounded, UTF-8, YAML 1.2 core; aliases counted at every use (no alias bombs)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from zhidu.cache import read_regular

    raw = read_regular(path, MAX_PROFILE_BYTES)
    if raw is None:
        raise RenderError(f"{path}: 版式配置不是普通文件或超过 {MAX_PROFILE_BYTES} 字节")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise RenderError(f"{path}:{line}:1: 版式配置不是 UTF-8 编码") from None
    yaml = YAML(typ="safe", pure=True)
    try:
        tree = yaml.compose(text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise RenderError(f"{at}: 版式配置 YAML 语法错误：{getattr(e, 'problem', None) or e}") from None
    count = 0

    def plain(n: Any, depth: int, dotted: str) -> Any:
        nonlocal count
        count += 1
        at = f"{path}:{n.start_mark.line + 1}:{n.start_mark.column + 1}"
        if count > MAX_PROFILE_NODES or depth > MAX_PROFILE_DEPTH:
            raise RenderError(
                f"{at}: 版式配置结构过大（超过 {MAX_PROFILE_NODES} 个节点或 {MAX_PROFILE_DEPTH} 层）"
            )
        if isinstance(n, MappingNode):
            out: dict[str, Any] = {}
            for k, v in n.value:
                if not isinstance(k, ScalarNode):
                    raise RenderError(f"{at}: 版式配置的键必须是文字")
                key = str(k.value)
                sub = f"{dotted}.{key}" if dotted else key
                _LOCS[f"{path}\0{sub}"] = f"{path}:{k.start_mark.line + 1}:{k.start_mark.column + 1}"
                out[key] = plain(v, depth + 1, sub)
            return out
        if isinstance(n, SequenceNode):
            return [plain(v, depth + 1, dotted) for v in n.value]
        return yaml.constructor.construct_object(n, deep=True)

    data = plain(tree, 0, "") if tree is not None else None
    if not isinstance(data, dict):
        raise RenderError(f"{path}: 版式配置应为映射")
    return data


_CACHE: dict[tuple[str, tuple[Path, ...]], Profile] = {}


def load_profile(
    name: str = "standard", search: tuple[Path, ...] = (), _chain: tuple[str, ...] = ()
) -> Profile:
    """Load ``<name>.yaml`` from `search` folders' ``profiles/`` first, then the shipped templates."""
    key = (name, search)
    if key in _CACHE:
        return _CACHE[key]
    if name in _chain:
        raise RenderError(f"版式配置继承成环：{' → '.join([*_chain, name])}")
    if len(_chain) >= MAX_EXTENDS:
        raise RenderError(f"版式配置继承层数超过 {MAX_EXTENDS}：{' → '.join([*_chain, name])}")
    dirs = [d / "profiles" for d in search] + [templates_dir() / "profiles"]
    path = _profile_path(name, dirs)
    data = _read_yaml(path)
    values: dict[str, Tagged] = {}
    base = data.pop("extends", None)
    if base is not None:
        if not isinstance(base, str):
            raise RenderError(f"{path}: extends 应为版式配置名称")
        values.update(load_profile(base, search, (*_chain, name)).values)
    own: dict[str, Tagged] = {}
    body = {k: v for k, v in data.items() if k not in ("name", "description")}
    _flatten(body, "", own, str(path))
    if search or _chain:
        _check_types(own, load_profile().values, str(path))
    values.update(own)
    prof = Profile(str(data.get("name", name))[:64], str(data.get("description", ""))[:200], values)
    if not _chain:
        # Margins that leave no type area fail only deep inside a renderer.
        for what, tw in (("宽", prof.text_width_tw), ("高", prof.text_height_tw)):
            if tw < 1440:
                raise RenderError(f"{path}: 页边距过大，版心{what}度不足 25.4 mm（{tw / TW_PER_MM:.1f} mm）")
    _CACHE[key] = prof
    return prof
