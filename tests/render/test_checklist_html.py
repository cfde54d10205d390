"""The checklist's HTML printed by a real browser (Debian chromium through selenium): pages and row heights."""

from __future__ import annotations

import base64
import io
import re
import shutil
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from zhidu.model import Policy
from zhidu.period import parse_periods
from zhidu.render import RenderContext
from zhidu.render.html import HtmlRenderer
from zhidu.views import PlanOptions, plan

pytestmark = pytest.mark.render
PX = 25.4 / 96


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "chromium and chromium-driver required (.ci/system-deps.sh)"
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    d = webdriver.Chrome(service=Service(driver), options=options)
    yield d
    d.quit()


def _print(browser: Any, html: bytes, tmp: Any) -> tuple[int, list[float], list[float]]:
    """Pages when printed on A4 (the page's own @page margins), and item and ledger row heights in mm."""
    import pdfplumber
    from selenium.webdriver.common.print_page_options import PrintOptions

    page = tmp / "sheet.html"
    page.write_bytes(html)
    browser.get(page.as_uri())
    po = PrintOptions()
    po.page_width, po.page_height = 21.0, 29.7
    po.margin_top = po.margin_bottom = po.margin_left = po.margin_right = 0
    pdf = base64.b64decode(browser.print_page(po))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
    js = "return [...document.querySelectorAll(arguments[0])].map(r => r.getBoundingClientRect().height)"
    items = [h * PX for h in browser.execute_script(js, "tr.item")]
    ledger = [h * PX for h in browser.execute_script(js, "tr.blank")]
    return pages, items, ledger


def test_weekly_html_prints_on_one_page_with_pen_sized_rows(
    browser: Any, seed_policy: Policy, tmp_path: Any
) -> None:
    views = plan(seed_policy, PlanOptions(periods=parse_periods("2024-W23")), products=["checklist"])
    assert len(views) == 4
    for view in views:
        [art] = HtmlRenderer().render(view, RenderContext(policy=seed_policy))
        pages, items, ledger = _print(browser, art.data, tmp_path)
        assert pages == 1, view.name
        assert len(items) == 10 and min(items) >= 9.9
        assert len(ledger) >= 3 and min(ledger) >= 10.4


def test_the_stamp_prints_in_the_bottom_margin_of_every_page(
    browser: Any, seed_policy: Policy, tmp_path: Any
) -> None:
    import dataclasses

    import msgspec
    import pdfplumber
    from selenium.webdriver.common.print_page_options import PrintOptions

    # The month sheet of C-01 puts its ledger on a page of its own: both pages carry the stamp, under the text.
    [view] = [
        v
        for v in plan(seed_policy, PlanOptions(periods=parse_periods("2024-07")), products=["checklist"])
        if "C-01" in v.name
    ]
    # A document number with the characters a CSS string must escape still prints as written.
    stamp = msgspec.structs.replace(view.stamp, doc_no='东公政发〔2024〕27号 "试行" \\ <附>')
    view = dataclasses.replace(view, stamp=stamp)
    [art] = HtmlRenderer().render(view, RenderContext(policy=seed_policy))
    page = tmp_path / "sheet.html"
    page.write_bytes(art.data)
    browser.get(page.as_uri())
    po = PrintOptions()
    po.page_width, po.page_height = 21.0, 29.7
    po.margin_top = po.margin_bottom = po.margin_left = po.margin_right = 0
    with pdfplumber.open(io.BytesIO(base64.b64decode(browser.print_page(po)))) as doc:
        assert len(doc.pages) == 2
        for p in doc.pages:
            # Chromium's PDF maps some CJK glyphs to compatibility code points (⾏) and spaces to U+0001.
            margin = "".join(c["text"] for c in p.chars if c["top"] > 282 / 25.4 * 72)
            words = re.sub(r"[\s\x01]", "", unicodedata.normalize("NFKC", margin))
            body = [c for c in p.chars if c["top"] <= 282 / 25.4 * 72]
            assert '"试行"\\<附>' in words and "识别码" in words, words
            assert "识别码" not in "".join(c["text"] for c in body)
