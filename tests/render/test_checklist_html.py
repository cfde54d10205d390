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


def test_a_draft_sheet_prints_its_mark_top_right_and_stays_on_one_page(browser: Any, tmp_path: Any) -> None:
    import pdfplumber
    from selenium.webdriver.common.print_page_options import PrintOptions

    from tests.render.test_draft_mark import copy_as
    from zhidu.views.base import DRAFT_MARK

    draft = copy_as(tmp_path, "draft")
    views = plan(draft, PlanOptions(periods=parse_periods("2024-W23")), products=["checklist"])
    for view in views:
        [art] = HtmlRenderer().render(view, RenderContext(policy=draft))
        pages, items, ledger = _print(browser, art.data, tmp_path)
        assert pages == 1, view.name
        assert len(items) == 10 and min(items) >= 9.9
        assert len(ledger) >= 3 and min(ledger) >= 10.4
    po = PrintOptions()
    po.page_width, po.page_height = 21.0, 29.7
    po.margin_top = po.margin_bottom = po.margin_left = po.margin_right = 0
    with pdfplumber.open(io.BytesIO(base64.b64decode(browser.print_page(po)))) as doc:
        [page] = doc.pages
        top = [c for c in page.chars if c["bottom"] < 15 / 25.4 * 72]
        # Chromium's PDF maps 见 to the radical ⻅ (U+2EC5), which NFKC leaves alone.
        text = "".join(c["text"] for c in top).replace("\u2ec5", "见")
        text = re.sub(r"[\s\x01]", "", unicodedata.normalize("NFKC", text))
        # In the top margin (15 mm), at the right, in 三号: the screen's copy of the mark is not printed.
        assert text == DRAFT_MARK, text
        assert min(c["x0"] for c in top) > page.width * 0.6
        assert all(abs(c["size"] - 16) < 0.5 for c in top)
        below = sorted(
            (c for c in page.chars if c["top"] >= 15 / 25.4 * 72), key=lambda c: (c["top"], c["x0"])
        )
        body = "".join(c["text"] for c in below).replace("\u2ec5", "见")
        title = re.sub(r"[\s\x01]", "", unicodedata.normalize("NFKC", body))
        assert title.startswith(views[-1].data.title), title[:40]
