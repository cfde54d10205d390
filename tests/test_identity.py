"""The 识别码 follows the policy's content, not its file bytes; `zhidu fmt` keeps it and keeps flow style."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from tests.conftest import SEED_DIR, load_case
from zhidu.cli import main
from zhidu.fmt import canonical
from zhidu.views import make_stamp


def _code(folder: Path) -> str:
    return make_stamp(load_case(folder)).code


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "work" / "2024.1"
    shutil.copytree(SEED_DIR, dst)
    return dst


def _rewrite(path: Path, reverse_keys: bool) -> None:
    """Same content, other bytes: comments gone and added, other indentation, top-level keys reversed."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    y = YAML(typ="rt", pure=True)
    y.indent(mapping=4, sequence=6, offset=4)
    y.width = 60
    y.allow_unicode = True
    data = y.load(path.read_text(encoding="utf-8"))
    if reverse_keys:
        data = CommentedMap((k, data[k]) for k in reversed(list(data)))
    buf = io.StringIO()
    y.dump(data, buf)
    path.write_text("# 重新排版的副本\n" + buf.getvalue() + "# 文末注释\n", encoding="utf-8")


def test_code_ignores_layout_comments_and_key_order(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = _code(folder)
    for name in ("regulation.yaml", "roles.yaml", "notice.yaml", "laws.yaml"):
        original = (folder / name).read_bytes()
        _rewrite(folder / name, reverse_keys=True)
        assert (folder / name).read_bytes() != original
    assert _code(folder) == before


def test_code_follows_every_value(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = _code(folder)
    reg = folder / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    reg.write_text(text.replace("title: 工作制度", "title: 工作制度（修订）", 1), encoding="utf-8")
    assert _code(folder) != before


def test_fmt_keeps_the_code_and_the_flow_style(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    reg = folder / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    # A clerk's own layout: a flow sequence of one-key mappings, and extra blank space fmt removes.
    laws = ("L-AQSCF", "L-NMGAQTL", "L-NMGDZZRZ", "L-DFDZZRZ")
    block = "            basis:\n" + "".join(f"              - law: {x}\n" for x in laws)
    flow = "basis: [" + ", ".join(f"{{law: {x}}}" for x in laws) + "]"
    assert block in text
    text = text.replace(block, f"            {flow}\n", 1)
    reg.write_text(text.replace("title: 工作制度", "title:    工作制度", 1), encoding="utf-8")
    before = _code(folder)
    assert main(["fmt", str(folder)]) == 0
    after = reg.read_text(encoding="utf-8")
    assert after != text.replace("title: 工作制度", "title:    工作制度", 1)
    assert flow in after and "[law:" not in after
    assert _code(folder) == before
    assert canonical(after) == after


def test_fmt_never_writes_a_single_pair_mapping_without_braces() -> None:
    text = "a:\n  basis: [{law: L-1}, {law: L-2, article: 第三条}]\n  b: {c: [1, 2]}\n"
    assert canonical(text) == text
