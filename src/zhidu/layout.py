"""The GB/T 9704-2012 layout profile: geometry, faces and sizes, each value tagged with its clause or as practice.

A profile is `templates/profiles/<name>.yaml`. Every leaf is ``{value: …, clause: "…"}`` (the standard says so)
or ``{value: …, practice: "…"}`` (local practice), so an office can change, say, the leading without touching code
and a reader can always tell which numbers are the standard's. ``extends: <name>`` inherits another profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhidu.errors import RenderError
from zhidu.units import TW_PER_MM, TW_PER_PT


def cjk_width(text: str) -> float:
    """Width in 字: CJK and full-width characters count 1, ASCII 0.5."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


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


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, Tagged], where: str) -> None:
    for key, val in node.items():
        path = f"{prefix}{key}"
        if isinstance(val, dict) and "value" in val:
            if "clause" in val:
                out[path] = Tagged(val["value"], f"GB/T 9704 {val['clause']}")
            elif "practice" in val:
                out[path] = Tagged(val["value"], f"本地惯例：{val['practice']}")
            else:
                raise RenderError(f"{where}: {path} 须注明 clause（标准条款）或 practice（本地惯例）")
        elif isinstance(val, dict):
            _flatten(val, path + ".", out, where)
        else:
            raise RenderError(f"{where}: {path} 应写成 {{value: …, clause: …}} 或 {{value: …, practice: …}}")


def _read_yaml(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=False).load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise RenderError(f"{path}: 版式配置应为映射")
    return data


_CACHE: dict[tuple[str, tuple[Path, ...]], Profile] = {}


def load_profile(name: str = "standard", search: tuple[Path, ...] = ()) -> Profile:
    """Load ``<name>.yaml`` from `search` folders' ``profiles/`` first, then the shipped templates."""
    key = (name, search)
    if key in _CACHE:
        return _CACHE[key]
    dirs = [d / "profiles" for d in search] + [templates_dir() / "profiles"]
    path = next((d / f"{name}.yaml" for d in dirs if (d / f"{name}.yaml").is_file()), None)
    if path is None:
        raise RenderError(f"找不到版式配置 {name!r}（已查找：{', '.join(str(d) for d in dirs)}）")
    data = _read_yaml(path)
    values: dict[str, Tagged] = {}
    base = data.pop("extends", None)
    if base:
        if base == name:
            raise RenderError(f"{path}: 版式配置不能继承自身")
        values.update(load_profile(str(base), search).values)
    own: dict[str, Tagged] = {}
    body = {k: v for k, v in data.items() if k not in ("name", "description")}
    _flatten(body, "", own, str(path))
    values.update(own)
    prof = Profile(str(data.get("name", name)), str(data.get("description", "")), values)
    _CACHE[key] = prof
    return prof
