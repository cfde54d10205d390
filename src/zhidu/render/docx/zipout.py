"""The deterministic zip writer of .docx packages: fixed dates, order and modes, parts deflated once."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import NamedTuple


class Packed(NamedTuple):
    """A zip member's data deflated once, with what the zip headers need to know about it."""

    crc: int
    size: int
    deflated: bytes


def pack(data: bytes) -> Packed:
    """Deflate `data` as zipfile does (raw deflate, default level), so the archive bytes stay the same."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(data), len(data), c.compress(data) + c.flush())


# 1980-01-01 00:00 in DOS format: entries never carry the build's clock (python-docx stamps now).
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def write_zip(members: Iterable[tuple[str, bytes | Packed]]) -> bytes:
    """A zip of `members` in the given order: deflated, dated 1980-01-01, mode 0644, no extra fields.

    Byte for byte what zipfile writes on POSIX for such entries, without deflating again the parts that
    are the same in every document (pass those as `Packed`). No zip64: a docx is far below 4 GB.
    """
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in members:
        p = data if isinstance(data, Packed) else pack(data)
        try:
            fname, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            fname, flags = name.encode("utf-8"), 0x800  # the "names are UTF-8" flag
        csize = len(p.deflated)
        local = _LOCAL.pack(
            b"PK\x03\x04",
            20,
            0,
            flags,
            zipfile.ZIP_DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            p.crc,
            csize,
            p.size,
            len(fname),
            0,
        )
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                p.crc,
                csize,
                p.size,
                len(fname),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + fname
        )
        chunks += (local, fname, p.deflated)
        offset += len(local) + len(fname) + csize
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
