"""importer.run_import: never overwrites, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT
from zhidu.cli import main


def test_import_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p"
    out.mkdir()
    (out / "roles.yaml").write_text("roles: []\n", encoding="utf-8")
    assert main(["import", str(SEED_TEXT), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "导入错误: 目标文件已存在，import 不覆盖任何文件" in err and "roles.yaml" in err
    assert sorted(p.name for p in out.iterdir()) == ["roles.yaml"]
    assert (out / "roles.yaml").read_text(encoding="utf-8") == "roles: []\n"


def test_help_stays_light() -> None:
    code = (
        "import sys; before = set(sys.modules); import zhidu.importer; "
        "new = set(sys.modules) - before; "
        "heavy = ('docx', 'ruamel', 'opencc', 'msgspec'); "
        "print(sorted(m for m in new if m.split('.')[0] in heavy or m.startswith('zhidu.importer.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
