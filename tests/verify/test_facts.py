"""Reading the .docx: input that is not a readable Word document is refused with exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhidu.cli import main


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_unreadable_input_exits_2_without_traceback(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "x.docx"
    p.write_bytes(content)
    assert main(["verify", str(p)]) == 2
    err = capsys.readouterr().err
    assert "无法检查" in err and "Traceback" not in err
    assert main(["verify", str(tmp_path / "missing.docx")]) == 2
