"""The HTML notice in a real browser: a run-on item's heading sentence in 楷体, the text that runs on in 仿宋."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.render.html import HtmlRenderer
from zhidu.views import plan


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium 未安装：CI 中浏览器测试不得跳过")
        pytest.skip("chromium not installed")
    return exe


@pytest.mark.render
def test_run_on_items_print_in_two_faces(seed_policy: Policy, tmp_path: Path) -> None:
    import pdfplumber

    [view] = plan(seed_policy, products=["notice"])
    [art] = HtmlRenderer().render(view, RenderContext(seed_policy))
    page = tmp_path / "notice.html"
    page.write_bytes(art.data)
    pdf = tmp_path / "notice.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    with pdfplumber.open(pdf) as doc:
        chars = [c for p in doc.pages for c in p.chars]
    text = "".join(c["text"] for c in chars)

    def faces(start: int, n: int) -> set[str]:
        return {str(c["fontname"]).split("+")[-1] for c in chars[start : start + n]}

    at = text.index("（九）建立完善安全生产监督管理")
    rest = text.index("定期组织开展", at)
    head, runon = faces(at, 10), faces(rest, 6)
    assert len(head) == 1 and len(runon) == 1 and head != runon
    assert "Kai" in next(iter(head)) and "Fang" in next(iter(runon))
    # a one-sentence item stays whole in its face
    one = text.index("（一）贯彻落实党中央")
    assert faces(one, 20) == head
