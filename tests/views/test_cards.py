"""Duty cards (one per role) and the combined 责任清单, on the real seed 东公政发〔2024〕27号 (issue 4)."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from collections.abc import Callable

import pytest
from lxml import etree

from zhidu.model import Policy
from zhidu.render import RenderContext, get_renderer
from zhidu.views import View, plan
from zhidu.views.cards import DutyCardView, DutyListView, build_card, duties_of, law_marks

Golden = Callable[[str, str], None]


@pytest.fixture(scope="module")
def views(seed_policy: Policy) -> dict[str, View]:
    return {v.name: v for v in plan(seed_policy, products=["duty-card", "duty-list"])}


def render(view: View, policy: Policy, fmt: str) -> bytes:
    return get_renderer(fmt)().render(view, RenderContext(policy))[0].data


def card(views: dict[str, View], role_id: str) -> DutyCardView:
    data = views[f"cards/{role_id}"].data
    assert isinstance(data, DutyCardView)
    return data


def docx_part(data: bytes, name: str) -> str:
    """A docx part pretty-printed, for golden files and text checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read(name))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def docx_parts_text(data: bytes, prefix: str) -> str:
    """The text of every part whose name starts with `prefix` (word/header, word/footer)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml"))
    assert names, prefix
    return "".join(re.sub(r"<[^>]+>", "", docx_part(data, n)) for n in names)


def squash(text: str) -> str:
    # Whitespace, and the WORD JOINERs that keep numbers and citations whole in the docx.
    return re.sub(r"[\s\u2060]+", "", text)


# ------------------------------------------------------------------------------------------ planning


def test_one_card_per_role_and_one_duty_list(seed_policy: Policy, views: dict[str, View]) -> None:
    assert [n for n in views if n.startswith("cards/")] == [f"cards/{r.id}" for r in seed_policy.roles]
    assert len(seed_policy.roles) == 9
    assert views["duty-list"].product == "duty-list"
    assert views["cards/R-SJ"].title == "党工委书记岗位安全生产责任清单卡"


def test_every_duty_on_its_owners_cards_and_only_there(seed_policy: Policy, views: dict[str, View]) -> None:
    # The coverage gate: every duty reaches at least one card, and no card carries another role's duty.
    on_card: dict[str, set[str]] = {}
    for role in seed_policy.roles:
        for d in card(views, role.id).duties:
            on_card.setdefault(d.id, set()).add(role.id)
    all_duties = list(seed_policy.duties())
    assert len(all_duties) == 67
    for path, _, duty in all_duties:
        owners = set(seed_policy.owners_of(path, duty))
        assert owners, duty.id
        assert on_card.get(duty.id) == owners, duty.id
    assert set(on_card) == {d.id for _, _, d in all_duties}


def test_coverage_holds_in_the_rendered_markdown(seed_policy: Policy, views: dict[str, View]) -> None:
    # The same check on what is printed: a duty's row "| citation | text" is exactly on its owners' cards.
    md = {r.id: render(views[f"cards/{r.id}"], seed_policy, "md").decode() for r in seed_policy.roles}
    for path, prov, duty in seed_policy.duties():
        row = f"| {seed_policy.cite(path, compact=True)} | {seed_policy.duty_text(prov, duty)}"
        holders = {rid for rid, text in md.items() if row in text}
        assert holders == set(seed_policy.owners_of(path, duty)), duty.id


def test_shared_duty_is_on_each_owners_card(views: dict[str, View]) -> None:
    text = "贯彻落实党中央、国务院关于加强安全生产工作的方针政策"
    holders = {
        rid: [d.citation for d in card(views, rid).duties if d.text.startswith(text)]
        for rid in ("R-SJ", "R-ZR", "R-FGAQ", "R-QTFG", "R-YJB", "R-WGY")
    }
    assert holders == {
        "R-SJ": ["一（一）"],
        "R-ZR": ["一（一）"],
        "R-FGAQ": ["二（一）"],
        "R-QTFG": ["三（一）"],
        "R-YJB": [],
        "R-WGY": [],
    }
    sj = card(views, "R-SJ").duties
    assert sj[0].shared_with == ("办事处主任",)
    # 值班领导24小时值班 is owned by four leaders, written on the duty itself rather than inherited.
    assert sj[-1].id == "D-08-04-01"
    assert sj[-1].shared_with == ("办事处主任", "分管安全生产工作的领导", "其他分管负责人")
    # 街道主任担任安全生产领导小组组长 overrides the chapter's owners: only the 主任 has it.
    assert "D-01-03" in {d.id for d in card(views, "R-ZR").duties}
    assert "D-01-03" not in {d.id for d in card(views, "R-SJ").duties}


def test_duties_in_regulation_order_with_positional_citations(views: dict[str, View]) -> None:
    sj = card(views, "R-SJ")
    assert [d.citation for d in sj.duties] == [
        "一（一）",
        "一（二）",
        "一（四）",
        "一（五）",
        "一（六）",
        "一（七）",
        "一（八）",
        "一（九）",
        "一（十）",
        "一（十一）",
        "一（十二）",
        "八（四）1.",
    ]
    # The seed prints 四、 twice; citations by position make them 三 and 四 (the issued 2024.1 still prints 四、 twice).
    assert card(views, "R-QTFG").duties[0].citation == "三（一）"
    assert card(views, "R-DZB").duties[0].citation == "四（一）1."
    assert card(views, "R-YJB").duties[-1].citation == "四（二）13."


def test_level_badge_evidence_and_basis(views: dict[str, View]) -> None:
    assert card(views, "R-SJ").level == "负全面领导责任"
    assert card(views, "R-FGAQ").level == "负直接领导责任"
    assert card(views, "R-SQFZR").level == "第一责任人"
    assert card(views, "R-SQFZR").parent == "社区"
    assert card(views, "R-DZB").level == ""
    by_id = {d.id: d for rid in ("R-SJ", "R-YJB", "R-WGY", "R-FGAQ") for d in card(views, rid).duties}
    assert by_id["D-01-06"].badge == "每月≥1次"
    assert by_id["D-01-05"].badge == "每季度≥1次"
    assert by_id["D-06-01"].badge == "每周"
    assert by_id["D-04-02-05"].badge == "重大节日、重要时期"
    assert by_id["D-01-11"].badge == "事发即办"
    assert by_id["D-01-01"].badge == "常态"
    assert by_id["D-02-04"].frequency == "每月组织召开1次"
    assert by_id["D-01-06"].evidence_text == "督导检查记录"
    assert by_id["D-01-11"].basis_full == (
        "《中华人民共和国安全生产法》第八十条；《生产安全事故报告和调查处理条例》；《内蒙古自治区安全生产条例》"
    )
    assert by_id["D-01-02"].basis_short == "①第九条③④⑤"


def test_basis_follows_rank_not_registry_order(seed_policy: Policy) -> None:
    # Reverse the registry: the 规定 (rank policy) comes first by position, but law > … > policy wins.
    shuffled = dataclasses.replace(seed_policy, laws=tuple(reversed(seed_policy.laws)))
    marks = law_marks(shuffled)
    # Within one rank (the two 条例) the registry's own order still decides, so those two swap.
    assert [law_id for law_id, _ in sorted(marks.items(), key=lambda kv: kv[1][0])] == [
        "L-AQSCF",
        "L-NMGAQTL",
        "L-SGBG",
        "L-NMGDZZRZ",
        "L-DFDZZRZ",
    ]
    role = shuffled.role("R-SJ")
    assert role is not None
    first = build_card(shuffled, role).duties[0]
    assert [b.law_id for b in first.basis] == ["L-AQSCF", "L-NMGAQTL", "L-NMGDZZRZ", "L-DFDZZRZ"]


def test_assessment_and_liability_that_concern_the_role(views: dict[str, View]) -> None:
    sj = card(views, "R-SJ")
    assert [(a.id, a.citation, a.duty_count) for a in sj.assessment] == [
        ("A-01", "七（一）", 12),
        ("A-02", "七（二）", 1),
    ]
    sj_z = [z for g in sj.liability for z in g.items]
    assert [z.id for z in sj_z] == ["Z-01"] + [f"Z-{n:02d}" for n in range(3, 13)]
    assert sj.liability[1].lead.startswith("有下列情形之一的")
    assert sj.liability[1].lead_citation == "八（四）"
    assert {z.id: z.related for z in sj_z}["Z-04"] == ("一（十一）",)
    # Z-02 names only the 社区主要负责人; his duty stands in the same clause, which is not cited against itself.
    fz = [z for g in card(views, "R-SQFZR").liability for z in g.items]
    assert ("Z-02", ()) in [(z.id, z.related) for z in fz]
    assert ("Z-04", ("八（三）",)) in [(z.id, z.related) for z in fz]
    # The duty drawn from 第八部分第（四）项第1目 has its own wording; the condition stays under 追责 and is not
    # cited against itself.
    duty = next(d for d in sj.duties if d.id == "D-08-04-01")
    assert duty.text == "值班领导24小时值班在岗，做好巡查工作。"
    z03 = next(z for z in sj_z if z.id == "Z-03")
    assert z03.text == "值班领导24小时值班在岗,做好巡查工作;" and z03.related == ()
    # 应急管理办 is not named in Z-01, but its duty D-04-02-08 triggers it.
    yjb = [z for g in card(views, "R-YJB").liability for z in g.items]
    assert yjb[0].id == "Z-01" and yjb[0].related == ("四（二）8.",)
    # 党政办公室: assessed (A-01 and A-02 name it), but no 追责情形 names it or is triggered by its duties.
    assert card(views, "R-DZB").liability == ()
    assert [(a.id, a.duty_count) for a in card(views, "R-DZB").assessment] == [("A-01", 2), ("A-02", 0)]


def test_duty_list_has_every_role_and_duty_row(seed_policy: Policy, views: dict[str, View]) -> None:
    dl = views["duty-list"].data
    assert isinstance(dl, DutyListView)
    assert [g.role_id for g in dl.groups] == [r.id for r in seed_policy.roles]
    assert dl.row_count == sum(len(duties_of(seed_policy, r.id)) for r in seed_policy.roles) == 81
    first = dl.groups[0].rows[0]
    assert first[0] == "1-1" and first[1].liability_text == "八（四）10."


# ---------------------------------------------------------------------------------- stamp and formats


def test_stamp_on_every_card_in_every_format(seed_policy: Policy, views: dict[str, View]) -> None:
    for view in views.values():
        st = view.stamp
        assert st.code and st.doc_no == "东公政发〔2024〕27号"
        for fmt in ("md", "html"):
            text = render(view, seed_policy, fmt).decode()
            assert st.line in text, (view.name, fmt)
            assert "以最新版本为准" in text and st.code in text
        docx = render(view, seed_policy, "docx")
        assert squash(st.line) in squash(docx_parts_text(docx, "word/footer")), view.name
        assert f"<dc:identifier>{st.code}</dc:identifier>" in docx_part(docx, "docProps/core.xml")


def test_card_signature_and_running_header(seed_policy: Policy, views: dict[str, View]) -> None:
    view = views["cards/R-QTFG"]
    docx = render(view, seed_policy, "docx")
    assert "其他分管负责人　岗位安全生产责任清单卡" in docx_parts_text(docx, "word/header")
    body = squash(re.sub(r"<[^>]+>", "", docx_part(docx, "word/document.xml")))
    # The signature block: acknowledgement, rules to write on for the holder's name and date, the issuing office.
    assert "本人已知悉上述职责。" in body and "责任人签名：" in body and "日期：" in body
    assert "发放单位：鄂尔多斯市东胜区公园街道办事处（盖章）" in body
    xml = docx_part(docx, "word/document.xml")
    assert len(re.findall(r'<w:u w:val="single"/>\s*</w:rPr>\s*<w:tab/>', xml)) == 2
    # The duty table's header row repeats on every page.
    assert docx_part(docx, "word/document.xml").count("<w:tblHeader/>") == 1
    html = render(view, seed_policy, "html").decode()
    assert '@top-center { content: "其他分管负责人　岗位安全生产责任清单卡"' in html


def test_docx_is_deterministic(seed_policy: Policy, views: dict[str, View]) -> None:
    for name in ("cards/R-SJ", "duty-list"):
        assert render(views[name], seed_policy, "docx") == render(views[name], seed_policy, "docx")


# ------------------------------------------------------------------------------------------- golden


def test_golden_sj_card_md(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    golden("cards/R-SJ.md", render(views["cards/R-SJ"], seed_policy, "md").decode())


def test_golden_sj_card_html(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    golden("cards/R-SJ.html", render(views["cards/R-SJ"], seed_policy, "html").decode())


def test_golden_sqfzr_card_md(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    golden("cards/R-SQFZR.md", render(views["cards/R-SQFZR"], seed_policy, "md").decode())


def test_golden_sj_card_docx(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    docx = render(views["cards/R-SJ"], seed_policy, "docx")
    golden("cards/R-SJ.docx.xml", docx_part(docx, "word/document.xml"))


def test_golden_duty_list_md(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    golden("cards/duty-list.md", render(views["duty-list"], seed_policy, "md").decode())


def test_golden_duty_list_html(seed_policy: Policy, views: dict[str, View], golden: Golden) -> None:
    golden("cards/duty-list.html", render(views["duty-list"], seed_policy, "html").decode())


# ------------------------------------------------------------------------------------------- render

#: PDF points per millimetre.
PT_PER_MM = 72 / 25.4


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    assert m, out
    return int(m.group(1))


def pdf_text(
    pdf: bytes,
    page: int | None = None,
    x_mm: tuple[float, float] = (0, 210),
    y_mm: tuple[float, float] = (0, 297),
) -> str:
    """pdftotext of a PDF, optionally one page and one rectangle (a table column, the header) only."""
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    # Cropping matters: pdftotext interleaves side-by-side cells (and header with table) line by line.
    cmd += [
        "-x",
        str(int(x_mm[0] * PT_PER_MM)),
        "-y",
        str(int(y_mm[0] * PT_PER_MM)),
        "-W",
        str(int((x_mm[1] - x_mm[0]) * PT_PER_MM)),
        "-H",
        str(int((y_mm[1] - y_mm[0]) * PT_PER_MM)),
    ]
    return subprocess.run([*cmd, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def plumb_text(pdf: bytes, x_mm: tuple[float, float]) -> str:
    """The text of a column on every page, line by line as printed (pdfplumber keeps a cell's runs in order)."""
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            box = (x_mm[0] * PT_PER_MM, 0, min(x_mm[1] * PT_PER_MM, page.width), page.height)
            out.append(page.crop(box).extract_text())
    return "\n".join(out)


@pytest.mark.render
def test_cards_through_libreoffice(seed_policy: Policy, views: dict[str, View]) -> None:
    from zhidu.render.docx.card import CARD_MARGINS_MM, _card_widths
    from zhidu.render.pdf import convert_batch

    cards = [v for v in views.values() if v.product == "duty-card"]
    # One batch for all cards: LibreOffice start-up dominates a single conversion.
    pdfs = convert_batch([(v.name + ".docx", render(v, seed_policy, "docx")) for v in cards])
    left = CARD_MARGINS_MM[3]
    pages: dict[str, int] = {}
    for v in cards:
        pdf = pdfs[v.name + ".pdf"]
        data: DutyCardView = v.data
        duty_column = (left - 2, left + _card_widths(data)[0] + 1)
        n = pages[data.role_id] = pdf_pages(pdf)
        assert 1 <= n <= 3, (data.role_id, n)
        column = squash(plumb_text(pdf, duty_column))
        for d in data.duties:
            assert squash(d.text) in column, (data.role_id, d.id)
        whole = squash(pdf_text(pdf))
        assert squash(v.stamp.code) in whole and "以最新版本为准" in whole
        assert "本人已知悉上述职责" in whole
        for page in range(1, n + 1):
            # The role name heads every page, and the footer says which page of how many.
            top = squash(pdf_text(pdf, page, y_mm=(0, CARD_MARGINS_MM[0])))
            assert top == squash(data.header), (data.role_id, page)
            bottom = squash(pdf_text(pdf, page, y_mm=(297 - CARD_MARGINS_MM[2], 297)))
            # pdftotext may order the footer's two lines as columns, so check its parts one by one.
            parts = [squash(x) for x in v.stamp.line.split("　")] + [f"第{page}页共{n}页"]
            assert all(x in bottom for x in parts), (data.role_id, page, bottom)
            assert len(bottom) == sum(map(len, parts)), (data.role_id, page, bottom)
    # Every card fits one A4 page but 其他分管负责人's: 16 duties in 五号 need a second sheet (issue 17;
    # tests/test_print_layout.py checks how that card breaks).
    assert {r: n for r, n in pages.items() if n != 1} == {"R-QTFG": 2}, pages
