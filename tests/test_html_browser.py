"""The HTML products in a real browser (Debian chromium via selenium), at a phone's and a desk's width.

Built from the seed policy (2024.2, so the 修订对照表 is there too). Screenshots go to tests/artifacts/html/
(git-ignored) for people to look at; the assertions measure the page: no horizontal overflow, stacked cards on
narrow screens, tokens and badges on one line, every citation a working link into the notice.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts" / "html"
WIDTHS = (390, 1200)
#: Pages checked: every kind of product, with the longest card and a checklist.
PAGES = (
    "notice.html",
    "cards/R-QTFG.html",
    "cards/R-SJ.html",
    "duty-list.html",
    "revision-table.html",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zhidu",
            "build",
            str(ROOT / "policy"),
            "-o",
            str(out),
            "--format",
            "html",
            "-q",
        ],
        check=True,
        capture_output=True,
    )
    return out / "gongyuan-aqsc" / "2024.2"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


def _open(driver: Any, page: Path, width: int, height: int = 900) -> None:
    # Device metrics, not the window size: innerWidth is then exactly `width`, as on a phone.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(page.as_uri())


def _shot(driver: Any, page: str, width: int) -> Path:
    """A full-page screenshot under tests/artifacts/html/."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(height, 16000), "deviceScaleFactor": 1, "mobile": width < 600},
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{page.replace('/', '-').removesuffix('.html')}-{width}.png"
    driver.save_screenshot(str(path))
    return path


#: Measures one page: overflow, elements wider than the viewport, tokens broken over two line boxes.
_MEASURE = """
const root = document.documentElement;
const over = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > window.innerWidth + 0.5 && !el.closest('.scroll')) over.push(el.tagName + '.' + el.className);
}
const broken = [];
for (const el of document.querySelectorAll('.nw, .badge')) {
  if (el.getClientRects().length > 1) broken.push(el.textContent);
}
const rows = [...document.querySelectorAll('table.stack tbody tr')].map(tr => getComputedStyle(tr).display);
return JSON.stringify({scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, over: over.slice(0, 5),
  broken: broken.slice(0, 5), tokens: document.querySelectorAll('.nw, .badge').length,
  rowDisplays: [...new Set(rows)], viewport: !!document.querySelector('meta[name=viewport]')});
"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_no_overflow_and_whole_tokens(driver: Any, site: Path, page: str, width: int) -> None:
    _open(driver, site / page, width)
    m = json.loads(driver.execute_script(_MEASURE))
    shot = _shot(driver, page, width)
    assert shot.stat().st_size > 10_000
    assert m["viewport"]
    assert m["scrollWidth"] <= m["innerWidth"] == width, (page, m)
    assert not m["over"], (page, m["over"])
    # Citations, ranges, badges, law names: never two line boxes.
    assert not m["broken"], (page, m["broken"])
    if page.startswith(("cards/", "duty-list")):
        assert m["tokens"] > 50
    if m["rowDisplays"]:
        # Tables become one card per row on a phone, and stay tables at a desk.
        assert m["rowDisplays"] == (["block"] if width < 600 else ["table-row"]), m


def test_checklist_fits_a_phone(driver: Any, site: Path) -> None:
    page = next(site.glob("checklists/*/*.html"))
    for width in WIDTHS:
        _open(driver, page, width)
        m = json.loads(driver.execute_script(_MEASURE))
        _shot(driver, "checklist", width)
        assert m["scrollWidth"] <= m["innerWidth"] == width, m
        assert not m["broken"], m["broken"]
    # Column heads read whole: 序号 is one line, not 序/号.
    _open(driver, page, 1200)
    lines = driver.execute_script(
        "return [...document.querySelectorAll('table.check thead th')].map(th => {"
        " const r = document.createRange(); r.selectNodeContents(th);"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })"
    )
    assert lines == [1] * len(lines), lines


def test_phone_cards_read_in_full_width(driver: Any, site: Path) -> None:
    # The duty text of a stacked row takes the card's width, not a two-character column.
    _open(driver, site / "duty-list.html", 390)
    widths = driver.execute_script(
        "return [...document.querySelectorAll('table.stack tbody tr:not(.group) td:nth-child(2)')]"
        ".map(td => td.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 300, widths[:5]
    law = driver.execute_script(
        "const el = [...document.querySelectorAll('.legend .nw')].find(e => e.textContent.includes('安全生产法'));"
        "return el.getClientRects().length"
    )
    assert law == 1


def test_every_citation_links_to_its_provision(driver: Any, site: Path) -> None:
    notice = site / "notice.html"
    _open(driver, notice, 1200)
    anchors = set(driver.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)"))
    toc = driver.execute_script(
        "return [...document.querySelectorAll('nav.toc a')].map(a => a.hash.slice(1))"
    )
    headings = driver.execute_script(
        'return [...document.querySelectorAll(\'p[id^="S-"], p[id^="P-"]\')].length'
    )
    # The contents list names every provision, and every entry lands on one.
    assert len(toc) == headings > 50 and set(toc) <= anchors
    # Heading face only for the heading part: （一） items in 楷体 up to their first full stop.
    head = driver.execute_script(
        "const s = document.querySelector('p.level1 span.head1'); return [s.textContent, s.parentNode.textContent]"
    )
    assert head[0].startswith("（一）") and len(head[0]) <= len(head[1])
    for page in ("cards/R-SJ.html", "duty-list.html"):
        _open(driver, site / page, 1200)
        links = driver.execute_script(
            "return [...document.querySelectorAll('a.cite')].map(a => [a.textContent, a.href])"
        )
        assert len(links) >= 15, page
        for text, href in links:
            target, _, frag = href.partition("#")
            assert target == notice.as_uri() and frag in anchors, (page, text, href)
        # A citation in the table is a link: every row's 条款 cell has one.
        plain = driver.execute_script(
            "return [...document.querySelectorAll('table.stack tbody tr:not(.group)')]"
            ".filter(tr => !tr.querySelector('a.cite')).length"
        )
        assert plain == 0, page
    # The 修订对照表 links each revised provision to its place in the new notice.
    _open(driver, site / "revision-table.html", 1200)
    links = driver.execute_script("return [...document.querySelectorAll('a.cite')].map(a => a.href)")
    assert links and all(
        h.partition("#")[0] == notice.as_uri() and h.partition("#")[2] in anchors for h in links
    )
    # Following a link from a card lands on the provision.
    _open(driver, site / "cards/R-SJ.html", 1200)
    first = driver.execute_script("return document.querySelector('a.cite').href")
    driver.get(first)
    assert driver.execute_script("return document.querySelector(':target') !== null")
