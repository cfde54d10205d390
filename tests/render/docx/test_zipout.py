"""The deterministic zip writer: zipfile's exact bytes, without deflating shared parts again."""

from __future__ import annotations

import io
import zipfile

from zhidu.render.docx.zipout import pack, write_zip


def test_zip_writer_matches_zipfile_byte_for_byte() -> None:
    # write_zip reuses parts deflated once per base; it claims zipfile's exact bytes for such entries.
    members = [
        ("[Content_Types].xml", b"<Types/>" * 50),
        ("word/document.xml", "<w:document>正文</w:document>".encode() * 400),
        ("word/媒体.xml", b""),  # a non-ASCII name takes the UTF-8 flag
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data)
    ours = write_zip([(members[0][0], pack(members[0][1])), *members[1:]])
    assert ours == buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        assert z.testzip() is None
        assert [(i.filename, z.read(i)) for i in z.infolist()] == members
