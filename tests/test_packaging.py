"""The wheel ships the default templates, profiles, font aliases and the glossary (issue: templates in the wheel)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_every_shipped_template_and_data_file(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    [wheel] = tmp_path.glob("zhidu-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(templates) >= 15
    for p in templates:
        assert f"zhidu/_templates/{p.relative_to(ROOT / 'templates').as_posix()}" in names, p
    assert "zhidu/data/glossary.yaml" in names
    # The workbench's pages, scripts and styles ship too (served offline: no CDN).
    serve = ROOT / "src" / "zhidu" / "serve"
    assets = [p for d in ("templates", "static") for p in (serve / d).iterdir() if p.is_file()]
    assert len(assets) >= 20
    for p in assets:
        assert f"zhidu/serve/{p.relative_to(serve).as_posix()}" in names, p
    assert "zhidu/serve/_uno_helper.py" in names and "zhidu/cli/serve.py" in names
    assert "zhidu/py.typed" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "zhidu = zhidu.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()
