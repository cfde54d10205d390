"""The checklist's HTML printed by a real browser (Debian chromium through selenium): pages and row heights."""

from __future__ import annotations

import base64
import io
import shutil
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
