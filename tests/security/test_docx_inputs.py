"""V7 for `zhidu verify` (and `import`): zip limits and damaged members give exit 2 with a message."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.conftest import WORK, no_traceback, zhidu


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real notice .docx from the seed policy."""
    d = tmp_path_factory.mktemp("notice")
    proc = zhidu(
        "build", str(WORK / "2024.2"), "-o", str(d / "o"), "--format", "docx", "--product", "notice", cwd=d
    )
    assert proc.returncode == 0, proc.stderr
    return next((d / "o").rglob("notice.docx")).read_bytes()


def _rezip(src: Path, dst: Path, change: Callable[[str, bytes], tuple[bytes, int] | None]) -> None:
    """Copy a docx part by part; `change(name, data)` may give new (data, compress_type)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            data = zin.read(i)
            new = change(i.filename, data)
            data, ctype = new if new is not None else (data, zipfile.ZIP_DEFLATED)
            zout.writestr(i.filename, data, compress_type=ctype)


def _patch_header(path: Path, name: str, *, flags: int | None = None, method: int | None = None) -> None:
    """Set the general-purpose flags or the method of one member in both its local and central headers."""
    raw = bytearray(path.read_bytes())
    enc = name.encode()
    for sig, flag_at, method_at, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        pos = 0
        while (pos := raw.find(sig, pos)) != -1:
            if raw[pos + name_at : pos + name_at + len(enc)] == enc:
                if flags is not None:
                    struct.pack_into("<H", raw, pos + flag_at, flags)
                if method is not None:
                    struct.pack_into("<H", raw, pos + method_at, method)
            pos += 4
    path.write_bytes(bytes(raw))


def _corrupt_deflate(path: Path) -> None:
    """Overwrite the middle of document.xml's compressed data."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size - 4, 400)):
        raw[k] = 0xFF
    path.write_bytes(bytes(raw))


CASES = ["ratio-bomb", "many-headers", "corrupt-deflate", "ppmd", "encrypted", "wrong-root", "entity"]


@pytest.mark.parametrize("case", CASES)
def test_hostile_docx_is_refused_with_exit_2(tmp_path: Path, notice: bytes, case: str) -> None:
    src = tmp_path / "src.docx"
    src.write_bytes(notice)
    bad = tmp_path / "bad.docx"
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-4711", encoding="utf-8")
    if case == "ratio-bomb":
        _rezip(
            src,
            bad,
            lambda n, d: (d + b" " * 8_000_000, zipfile.ZIP_DEFLATED) if n == "word/document.xml" else None,
        )
    elif case == "many-headers":
        _rezip(src, bad, lambda n, d: None)
        with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED) as z:
            for k in range(2100):
                z.writestr(f"word/header{k + 100}.xml", b"<w:hdr/>")
    elif case == "corrupt-deflate":
        _rezip(src, bad, lambda n, d: None)
        _corrupt_deflate(bad)
    elif case == "ppmd":
        _rezip(src, bad, lambda n, d: (d, zipfile.ZIP_STORED) if n == "word/document.xml" else None)
        _patch_header(bad, "word/document.xml", method=98)
    elif case == "encrypted":
        _rezip(src, bad, lambda n, d: None)
        _patch_header(bad, "word/document.xml", flags=0x1)
    elif case == "wrong-root":
        _rezip(
            src,
            bad,
            lambda n, d: (
                (b"<html><body/></html>", zipfile.ZIP_DEFLATED) if n == "word/document.xml" else None
            ),
        )
    else:
        doc = (
            f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
        ).encode()
        _rezip(src, bad, lambda n, d: (doc, zipfile.ZIP_DEFLATED) if n == "word/document.xml" else None)
    proc = zhidu("verify", str(bad), "--format", "json", cwd=tmp_path, timeout=120)
    no_traceback(proc)
    assert "top-secret-4711" not in proc.stdout + proc.stderr
    if case != "entity":
        assert proc.returncode == 2 and "无法检查" in proc.stderr, proc.stderr
    imp = zhidu("import", str(bad), "-o", str(tmp_path / "imported"), cwd=tmp_path, timeout=120)
    no_traceback(imp)
    assert "top-secret-4711" not in imp.stdout + imp.stderr
    if case not in ("entity", "wrong-root"):
        assert imp.returncode != 0
