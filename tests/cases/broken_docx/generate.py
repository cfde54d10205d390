"""Deliberately broken notices, made by editing the XML of our own generated notice.

Each mutation names the checks of `zhidu verify` that must fail on it, and only those.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

Mutation = Callable[[dict[str, str]], None]


def _sub(part: str, pattern: str, repl: str, count: int = 0) -> Mutation:
    def apply(parts: dict[str, str]) -> None:
        new, n = re.subn(pattern, repl, parts[part], count=count)
        assert n, f"{pattern!r} not found in {part}"
        parts[part] = new

    return apply


def _chain(*muts: Mutation) -> Mutation:
    def apply(parts: dict[str, str]) -> None:
        for m in muts:
            m(parts)

    return apply


def _footers(pattern: str, repl: str) -> Mutation:
    def apply(parts: dict[str, str]) -> None:
        hits = 0
        for name in [n for n in parts if n.startswith("word/footer")]:
            parts[name], n = re.subn(pattern, repl, parts[name])
            hits += n
        assert hits, "no footer text changed"

    return apply


#: name → (mutation, the check ids that must fail).
MUTATIONS: dict[str, tuple[Mutation, set[str]]] = {
    # 版心 shifted 5 mm down: top and bottom margins wrong, the 版心 height (and so the 22 lines) unchanged.
    "wrong_margins": (
        _sub("word/document.xml", r'w:top="2098"(.*?)w:bottom="1984"', r'w:top="2381"\1w:bottom="1701"'),
        {"page.margin.top", "page.margin.bottom"},
    ),
    # 28 pt leading: 22 lines fit but leave 21.8 pt of the 版心 empty (gbt9704.md §10.1).
    # The line grid must change too: LibreOffice snaps lines to a `lines` docGrid pitch.
    "leading_28pt": (
        _chain(
            _sub("word/styles.xml", r'w:line="579"', 'w:line="560"'),
            _sub("word/document.xml", r'w:linePitch="579"', 'w:linePitch="560"'),
        ),
        {"grid.lines"},
    ),
    # "- 1 -" with ASCII hyphens instead of U+2014 (gbt9704.md §10.4).
    "hyphen_page_numbers": (_footers("—", "-"), {"footer.default.text", "footer.even.text"}),
    # 抄送 at 三号 instead of 四号 (gbt9704.md §10.6).
    "cc_3hao": (
        _sub(
            "word/document.xml",
            r'(<w:r><w:rPr>(?:(?!</w:rPr>).)*?)<w:sz w:val="28"/><w:szCs w:val="28"/>'
            r"((?:(?!</w:rPr>).)*</w:rPr><w:t>抄送)",
            r'\1<w:sz w:val="32"/><w:szCs w:val="32"/>\2',
            count=1,
        ),
        {"imprint.cc.size"},
    ),
    # 成文日期 with leading zeros (gbt9704.md §10.10).
    "leading_zeros_date": (
        _sub("word/document.xml", r">2024年6月3日<", ">2024年06月03日<", count=1),
        {"date.format"},
    ),
}


def mutate(docx: bytes, mutation: Mutation) -> bytes:
    """Apply one mutation to the XML parts of a .docx."""
    zin = zipfile.ZipFile(io.BytesIO(docx))
    parts = {n: zin.read(n).decode("utf-8") for n in zin.namelist() if n.endswith((".xml", ".rels"))}
    mutation(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in zin.namelist():
            z.writestr(n, parts[n].encode("utf-8") if n in parts else zin.read(n))
    return out.getvalue()
