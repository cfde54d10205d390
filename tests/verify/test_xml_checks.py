"""XML checks: our notice passes every one; each broken copy fails exactly the checks it breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verify.conftest import broken, failing
from zhidu.verify import run_verify


def test_our_notice_passes_every_xml_check(tmp_path: Path, full_notice: bytes) -> None:
    p = tmp_path / "notice.docx"
    p.write_bytes(full_notice)
    rep = run_verify(p)
    assert [c for c in rep.checks if c.status != "pass"] == []
    ids = {c.id for c in rep.checks}
    assert {
        "page.size",
        "grid.lines",
        "grid.chars",
        "head.doc_no",
        "date.format",
        "imprint.cc.size",
        "imprint.lines",
        "footer.default.text",
        "footer.even.side",
    } <= ids


@pytest.mark.parametrize("name", sorted(broken.MUTATIONS))
def test_broken_document_fails_exactly_the_right_checks(
    tmp_path: Path, full_notice: bytes, name: str
) -> None:
    mutation, expected = broken.MUTATIONS[name]
    p = tmp_path / f"{name}.docx"
    p.write_bytes(broken.mutate(full_notice, mutation))
    assert failing(p) == expected
