"""End to end in Debian's chromium (selenium): a clerk reads, drafts, edits, previews and downloads.

Screenshots at 1280×800 and 390×844 go to tests/artifacts/serve/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.serve.conftest import ARTIFACTS, WORK, Server

SHOTS = ARTIFACTS / "serve"
SIZES = {"desktop": (1280, 800, False), "phone": (390, 844, True)}


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    d = tmp_path / "downloads"
    d.mkdir()
    return d


@pytest.fixture
def driver(downloads: Path) -> Iterator[WebDriver]:
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    d = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))
    d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _size(d, "desktop")
    try:
        yield d
    finally:
        d.quit()


def _size(d: WebDriver, name: str) -> None:
    w, h, mobile = SIZES[name]
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile},
    )


def shoot(d: WebDriver, name: str, anchor: str | None = None, phone_anchor: str | None = None) -> None:
    """Screenshots of the current page at both sizes, scrolled to `anchor` (a CSS selector) if given.

    On a phone the side panel comes after the tree: `phone_anchor` scrolls there instead.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        _size(d, size)
        anchor = phone_anchor if size == "phone" and phone_anchor else anchor
        if anchor:
            d.execute_script(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});"
                "window.scrollBy(0, -8);",
                anchor,
            )
        time.sleep(0.2)
        w, h, _ = SIZES[size]
        path = SHOTS / f"{name}-{w}x{h}.png"
        d.save_screenshot(str(path))
        assert path.stat().st_size > 10_000
    _size(d, "desktop")


def wait(d: WebDriver, cond: Callable[[WebDriver], Any], timeout: float = 30) -> Any:
    return WebDriverWait(
        d, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(cond)


def frame_text(d: WebDriver, selector: str) -> str:
    """The text of an iframe's document (the live preview)."""
    d.switch_to.default_content()
    d.switch_to.frame(d.find_element(By.CSS_SELECTOR, selector))
    try:
        return str(d.find_element(By.TAG_NAME, "body").text)
    finally:
        d.switch_to.default_content()


def click(d: WebDriver, selector: str) -> None:
    el = d.find_element(By.CSS_SELECTOR, selector)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    el.click()


NEW_DUTY = (
    "          - id: D-01-08-01\n"
    "            owners:\n"
    "              - R-YJB\n"
    "            frequency:\n"
    "              per: year\n"
    "              min: 1\n"
    "              display: 每年至少1次\n"
    "            evidence:\n"
    "              - 车辆装备台账\n"
    "            basis:\n"
    "              - law: L-AQSCF\n"
    "                art: 第九条\n"
    "            checklist: false\n"
)


def expected_yaml(original: str) -> str:
    """The seed's 2024.2 regulation.yaml after every edit the clerk makes below, byte for byte."""
    head, _, _ = original.partition("\nchanges:\n")
    text = head.replace(
        '  id: "2024.2"\n  status: issued\n  issued: 2024-09-10\n  effective:\n    from: 2024-09-10\n'
        '  supersedes: "2024.1"\n  reviewed_on: 2024-09-10\n',
        '  id: "2024.3"\n  status: draft\n  supersedes: "2024.2"\n',
    )
    swaps = [
        (
            "        text: 每月至少1次带队开展安全生产督导检查。\n",
            "        text: 每月至少2次带队开展安全生产督导检查。\n",
        ),
        (
            "              min: 1\n              display: 每月至少1次\n",
            "              min: 2\n              display: 每月至少2次\n",
        ),
        (
            "        text: 设立安全生产监管机构，配备安全生产工作人员，并不断提高安全生产工作人员业务水平。\n",
            "        text: 设立安全生产监管机构，配齐配强安全生产工作人员，并不断提高其业务水平。\n",
        ),
        (
            "        text: 督促完成年度《鄂尔多斯市东胜区安全生产目标责任书》相关任务目标。\n",
            "        text: 督促完成年度《鄂尔多斯市东胜区安全生产目标责任书》确定的任务目标。\n",
        ),
        (
            "              - law: L-NMGAQTL\n            checklist: false\n      - id: P-01-09\n",
            "              - law: L-NMGAQTL\n            checklist: false\n"
            + NEW_DUTY
            + "      - id: P-01-09\n",
        ),
    ]
    for old, new in swaps:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return (
        text
        + "\nchanges:\n  - id: CH-2024-3-01\n    type: metadata\n    reason: 调整督导检查频次，增加车辆装备职责。\n"
    )


def test_a_clerk_drafts_edits_previews_and_downloads(
    server: Server, driver: WebDriver, downloads: Path
) -> None:
    d = driver
    original = (server.root / WORK / "2024.2" / "regulation.yaml").read_text(encoding="utf-8")
    draft_file = server.root / WORK / "2024.3" / "regulation.yaml"

    # Read: the works, then the numbered provision tree with duties, owners and frequency.
    d.get(server.start)
    wait(d, lambda d: "制度与版本" in d.find_element(By.TAG_NAME, "h1").text)
    d.get(f"{server.url}/{WORK}/2024.2/")
    duty = wait(d, lambda d: d.find_element(By.ID, "D-01-06"))
    assert "党工委书记" in duty.text and "每月≥1次" in duty.text
    assert d.find_element(By.CSS_SELECTOR, "#S-01 .num").text == "一、"
    wait(d, lambda d: "鄂尔多斯市东胜区公园街道办事处" in frame_text(d, "#preview"))
    shoot(d, "tree")

    # The version is issued: editing starts a new draft, with its 修订说明.
    assert not d.find_elements(By.CSS_SELECTOR, "#D-01-06 a.primary")
    reason = d.find_element(By.CSS_SELECTOR, "#new-draft textarea[name=reason]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", reason)
    assert (
        d.find_element(By.CSS_SELECTOR, "#new-draft input[name=version]").get_attribute("value") == "2024.3"
    )
    reason.send_keys("调整督导检查频次，增加车辆装备职责。")
    click(d, "#new-draft button")
    wait(d, lambda d: d.current_url.startswith(f"{server.url}/{WORK}/2024.3/"))
    assert "草案" in d.find_element(By.CSS_SELECTOR, ".crumbs .status").text
    shoot(d, "draft-tree", "#P-01-06")

    # A validation error is shown in the form, and nothing is written.
    before = draft_file.read_bytes()
    click(d, "#D-01-06 a.primary")
    text = wait(d, lambda d: d.find_element(By.NAME, "text"))
    text.clear()
    click(d, "#save")
    error = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".has-error + .error"))
    assert "“条文内容”（text）不能为空（E014）" in error.text
    assert draft_file.read_bytes() == before
    shoot(d, "edit-error", ".errors-summary")

    # Wording and frequency: 每月至少2次.
    text = d.find_element(By.NAME, "text")
    text.clear()
    text.send_keys("每月至少2次带队开展安全生产督导检查。")
    Select(d.find_element(By.NAME, "per")).select_by_value("month")
    count = d.find_element(By.NAME, "min")
    count.clear()
    count.send_keys("2")
    d.find_element(By.NAME, "display").clear()
    click(d, "#save")
    wait(d, lambda d: "每月≥2次" in d.find_element(By.ID, "D-01-06").text)

    # Live preview: a save in a second window shows up in the first window's preview and tree.
    tree_window = d.current_window_handle
    wait(d, lambda d: "每月至少2次带队" in frame_text(d, "#preview"))
    d.switch_to.new_window("window")
    d.get(f"{server.url}/{WORK}/2024.3/provisions/P-01-07/edit")
    box = wait(d, lambda d: d.find_element(By.NAME, "text"))
    box.clear()
    box.send_keys("设立安全生产监管机构，配齐配强安全生产工作人员，并不断提高其业务水平。")
    click(d, "form.edit button.primary")
    wait(d, lambda d: "配齐配强" in d.find_element(By.ID, "P-01-07").text)
    d.close()
    d.switch_to.window(tree_window)
    wait(d, lambda d: "配齐配强安全生产工作人员" in frame_text(d, "#preview"))
    wait(d, lambda d: "配齐配强" in d.find_element(By.ID, "P-01-07").text)
    d.execute_script("document.getElementById('preview').contentWindow.eval(arguments[0])", _FIND_IN_PREVIEW)
    shoot(d, "preview-after-save", "#P-01-07", ".preview")

    # An edit made in a text editor shows up as well.
    draft_file.write_text(
        draft_file.read_text(encoding="utf-8").replace("》相关任务目标。", "》确定的任务目标。"),
        encoding="utf-8",
    )
    wait(d, lambda d: "确定的任务目标" in d.find_element(By.ID, "P-01-10").text)

    # Add a duty: owner from the role list, a frequency, evidence and a basis with its article.
    click(d, "#P-01-08 form[action$='/add-duty'] button")
    wait(d, lambda d: "D-01-08-01" in d.find_element(By.TAG_NAME, "h1").text)
    click(d, "input[name=owners][value=R-YJB]")
    Select(d.find_element(By.NAME, "per")).select_by_value("year")
    d.find_element(By.NAME, "evidence").send_keys("车辆装备台账")
    click(d, "input[name=basis][value=L-AQSCF]")
    d.find_element(By.NAME, "art-L-AQSCF").send_keys("第九条")
    click(d, "#save")
    wait(d, lambda d: "应急管理办" in d.find_element(By.ID, "D-01-08-01").text)

    # Delete: a duty still assessed is refused with the reason; a fresh one goes.
    click(d, "#D-01-09 form[action$='/delete'] button")
    d.switch_to.alert.accept()
    wait(
        d,
        lambda d: "被考核项或追责情形 A-01、A-02 引用，不能删除" in d.find_element(By.TAG_NAME, "main").text,
    )
    d.get(f"{server.url}/{WORK}/2024.3/")
    click(d, "#P-01-07 form[action$='/add-duty'] button")
    wait(d, lambda d: "D-01-07-01" in d.find_element(By.TAG_NAME, "h1").text)
    d.get(f"{server.url}/{WORK}/2024.3/")
    assert d.find_elements(By.ID, "D-01-07-01")
    click(d, "#D-01-07-01 form[action$='/delete'] button")
    d.switch_to.alert.accept()
    wait(d, lambda d: not d.find_elements(By.ID, "D-01-07-01"))

    # The role registry and the list of every check finding, as a clerk sees them.
    d.get(f"{server.url}/{WORK}/2024.3/roles")
    wait(d, lambda d: "岗位登记表" in d.find_element(By.TAG_NAME, "h1").text)
    shoot(d, "roles")
    d.get(f"{server.url}/{WORK}/2024.3/communities")
    wait(d, lambda d: "示例网格员甲" in d.find_element(By.NAME, "grid_workers").get_attribute("value"))
    shoot(d, "communities")
    d.get(f"{server.url}/{WORK}/2024.3/check")
    wait(d, lambda d: "检查结果" in d.find_element(By.TAG_NAME, "h1").text)
    shoot(d, "check")

    # Download the notice docx from its page; it carries the new wording.
    d.get(f"{server.url}/{WORK}/2024.3/notice")
    click(d, "a[href$='notice.docx?download=1']")
    docx = downloads / "2024.3-notice.docx"
    wait(d, lambda d: docx.is_file() and zipfile.is_zipfile(docx))
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "每月至少2次带队开展安全生产督导检查" in body and "配齐配强安全生产工作人员" in body

    # The YAML on disk: exactly the edits, comments and layout kept.
    assert draft_file.read_text(encoding="utf-8") == expected_yaml(original)


# Scroll the preview to the edited provision, so the screenshot shows it.
_FIND_IN_PREVIEW = """
(function () {
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (walker.currentNode.nodeValue.indexOf('配齐配强') >= 0) {
      walker.currentNode.parentElement.scrollIntoView({block: 'center'});
      walker.currentNode.parentElement.style.background = '#fff2a8';
      return;
    }
  }
})();
"""
