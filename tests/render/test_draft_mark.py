"""The 征求意见稿 mark of a version that is not issued, measured where a reader sees it (issue 15 item 3).

The seed's 2024.2 is copied with `status: draft` (and `consultation`); its cards, 责任清单, checklists and
修订对照表 go through LibreOffice, and the PDF shows the mark in 三号黑体 at the top right of every page, above
the body, while every card and checklist keeps the pages the issued version has. Markdown starts with the
mark; HTML prints it in the top right page margin of every page.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, load_case
from zhidu.model import Policy
from zhidu.period import parse_periods
from zhidu.render import RenderContext, get_renderer
from zhidu.render.pdf import convert_batch
from zhidu.views import PlanOptions, View, plan
from zhidu.views.base import DRAFT_MARK

pytestmark = pytest.mark.render

WORK = ROOT / "policy" / "gongyuan-aqsc"
PT_PER_MM = 72 / 25.4
PRODUCTS = ["duty-card", "duty-list", "checklist", "diff"]
#: One week, one month and the year: the month sheet of C-01 has its ledger on a second page.
PERIODS = parse_periods("2024-W23,2024-07,2024")


def copy_as(tmp: Path, status: str) -> Policy:
    """The seed work copied under `tmp` with 2024.2 set to `status`."""
    work = tmp / "gongyuan-aqsc"
    shutil.copytree(WORK, work)
    reg = work / "2024.2" / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    assert "  status: issued\n" in text
    reg.write_text(text.replace("  status: issued\n", f"  status: {status}\n", 1), encoding="utf-8")
    return load_case(work / "2024.2")


def planned(policy: Policy) -> list[View[Any]]:
    previous = load_case(WORK / "2024.1")
    return plan(policy, PlanOptions(periods=PERIODS, previous=previous), products=PRODUCTS)


def docx_of(view: View[Any], policy: Policy) -> bytes:
    return get_renderer("docx")().render(view, RenderContext(policy))[0].data


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[View[Any], Any, Any]]:
    """{output name: (draft view, issued PDF, draft PDF)} for every card, the list, the checklists and the
    对照表."""
    import pdfplumber

    issued = load_case(WORK / "2024.2")
    draft = copy_as(tmp_path_factory.mktemp("draft"), "draft")
    jobs: list[tuple[str, bytes]] = []
    views: dict[str, View[Any]] = {}
    for tag, pol in (("issued", issued), ("draft", draft)):
        for v in planned(pol):
            jobs.append((f"{tag}_{v.name.replace('/', '_')}.docx", docx_of(v, pol)))
            if tag == "draft":
                views[v.name.replace("/", "_")] = v
    pdfs = convert_batch(jobs)
    return {
        n: (
            v,
            pdfplumber.open(io.BytesIO(pdfs[f"issued_{n}.pdf"])),
            pdfplumber.open(io.BytesIO(pdfs[f"draft_{n}.pdf"])),
        )
        for n, v in views.items()
    }


def marks(page: Any) -> list[dict[str, Any]]:
    """The characters of each 征求意见稿 printed on `page`, grouped per occurrence on one line."""
    chars = sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
    text = "".join(c["text"] for c in chars)
    out, at = [], text.find(DRAFT_MARK)
    while at >= 0:
        run = chars[at : at + len(DRAFT_MARK)]
        out.append(
            {
                "x0": min(c["x0"] for c in run),
                "x1": max(c["x1"] for c in run),
                "top": min(c["top"] for c in run),
                "bottom": max(c["bottom"] for c in run),
                "size": run[0]["size"],
                "font": run[0]["fontname"],
            }
        )
        at = text.find(DRAFT_MARK, at + 1)
    return out


def others(page: Any, mark: dict[str, Any]) -> list[dict[str, Any]]:
    """The printed characters of `page` other than those of `mark`."""
    return [
        c
        for c in page.chars
        if c["text"].strip()
        and not (
            c["x0"] >= mark["x0"] - 0.1
            and c["x1"] <= mark["x1"] + 0.1
            and c["top"] >= mark["top"] - 0.1
            and c["bottom"] <= mark["bottom"] + 0.1
        )
    ]


def title_top(page: Any, title: str) -> float:
    """The top (pt) of the line that starts the document's title: its largest printing (a running header may
    repeat the title in small type)."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    text = "".join(c["text"] for c in chars)
    found = [i for i in range(len(text)) if text.startswith(title[:6], i)]
    assert found, title
    at = max(found, key=lambda i: chars[i]["size"])
    return float(chars[at]["top"])


def header_mark(page: Any) -> dict[str, Any]:
    """The page's one 征求意见稿 in its upper half (the footer's stamp line starts with the mark too)."""
    [head] = [m for m in marks(page) if m["top"] < page.height / 2]
    return head


def test_every_page_of_a_draft_has_the_mark_at_the_top_right(
    printed: dict[str, tuple[View[Any], Any, Any]],
) -> None:
    assert len(printed) == 9 + 1 + 4 * 3 + 1  # cards, list, four communities' three sheets, 对照表
    for name, (_view, _issued, draft) in printed.items():
        for n, page in enumerate(draft.pages, start=1):
            head = header_mark(page)
            where = (name, n, {k: round(v / PT_PER_MM, 1) for k, v in head.items() if k != "font"})
            assert abs(head["size"] - 16) < 0.1, where
            assert "Hei" in head["font"], where
            # Top right: in the top tenth of the page, at the right, and nothing printed above it or into it; only the
            # running header's name shares its line, to its left.
            assert head["bottom"] < page.height / 10, where
            assert head["x0"] > page.width * 0.6, where
            for c in others(page, head):
                middle = (c["top"] + c["bottom"]) / 2
                if head["top"] <= middle <= head["bottom"]:
                    assert c["x1"] <= head["x0"], (where, c["text"])
                else:
                    assert c["top"] >= head["bottom"], (where, c["text"], round(c["top"] / PT_PER_MM, 1))


def test_the_mark_costs_no_page(printed: dict[str, tuple[View[Any], Any, Any]]) -> None:
    one_page = [n for n, (_, issued, _) in printed.items() if len(issued.pages) == 1]
    assert len(one_page) >= 8 + 11  # most cards and most sheets fit one page
    for name, (view, issued, draft) in printed.items():
        assert len(draft.pages) == len(issued.pages), name
        assert not [m for p in issued.pages for m in marks(p)], name
        # The title starts no lower than the issued one's: the mark lives in the header, not in the text.
        title = view.data.title
        assert title_top(draft.pages[0], title) <= title_top(issued.pages[0], title) + 0.5, name
        assert title_top(draft.pages[0], title) > header_mark(draft.pages[0])["bottom"], name


@pytest.mark.parametrize("status", ["draft", "consultation"])
def test_markdown_and_html_lead_with_the_mark(tmp_path: Path, status: str) -> None:
    pol = copy_as(tmp_path, status)
    issued = load_case(WORK / "2024.2")
    for v in planned(pol):
        md = get_renderer("md")().render(v, RenderContext(pol))[0].data.decode("utf-8")
        assert md.startswith(f"**{DRAFT_MARK}**\n"), v.name
        html = get_renderer("html")().render(v, RenderContext(pol))[0].data.decode("utf-8")
        body = html.split("<body>", 1)[1]
        assert body.lstrip().startswith(f'<div class="draft-mark">{DRAFT_MARK}</div>'), v.name
        assert f'@top-right {{ content: "{DRAFT_MARK}"' in html, v.name
    for v in planned(issued):
        md = get_renderer("md")().render(v, RenderContext(issued))[0].data.decode("utf-8")
        html = get_renderer("html")().render(v, RenderContext(issued))[0].data.decode("utf-8")
        assert DRAFT_MARK not in md and DRAFT_MARK not in html, v.name


def test_draft_docx_is_deterministic(tmp_path: Path) -> None:
    a, b = copy_as(tmp_path / "a", "draft"), copy_as(tmp_path / "b", "draft")
    for va, vb in zip(planned(a), planned(b), strict=True):
        assert docx_of(va, a) == docx_of(vb, b), va.name


def test_draft_docx_keeps_the_schema_order(tmp_path: Path) -> None:
    """Every part of a draft's packages, its headers with the mark too, lists children in ISO/IEC 29500 order."""
    import zipfile

    from lxml import etree

    from zhidu.render.docx.schema_order import order_problems

    pol = copy_as(tmp_path, "draft")
    headers = 0
    for v in planned(pol):
        with zipfile.ZipFile(io.BytesIO(docx_of(v, pol))) as z:
            for name in z.namelist():
                if name.startswith("word/") and name.endswith(".xml") and "/theme/" not in name:
                    xml = z.read(name)
                    root = etree.fromstring(xml)
                    assert order_problems(root) == [], (v.name, name, order_problems(root)[:5])
                    headers += name.startswith("word/header") and DRAFT_MARK.encode() in xml
    # One header per card, list and sheet; the 对照表 has odd and even page headers.
    assert headers == 9 + 1 + 4 * 3 + 2, headers
