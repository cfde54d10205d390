"""Element builders: schema order, attribute replacement and run text as Word expects it."""

from __future__ import annotations

from lxml import etree

from zhidu.render.docx.ooxml import XML_SPACE, W, add_text, paragraph, run, set_child
from zhidu.render.docx.schema_order import MIXED, SEQUENCES, key, order_problems


def _names(el: object) -> list[str]:
    return [etree.QName(c).localname for c in el]  # type: ignore[attr-defined]


def test_set_child_inserts_in_schema_order_whatever_the_call_order() -> None:
    p = paragraph(etree.Element(W + "body"), "ZhiduBody")
    ppr = p[0]
    set_child(ppr, "w:jc", {"w:val": "center"})
    set_child(ppr, "w:spacing", {"w:line": 560})
    set_child(ppr, "w:keepNext", {})
    set_child(ppr, "w:ind", {"w:firstLine": 640})
    assert _names(ppr) == ["pStyle", "keepNext", "spacing", "ind", "jc"]


def test_set_child_replaces_given_attributes_and_keeps_them_without() -> None:
    ppr = etree.Element(W + "pPr")
    ind = set_child(ppr, "w:ind", {"w:firstLine": 640, "w:left": 320})
    assert set_child(ppr, "w:ind") is ind and ind.get(W + "left") == "320"
    set_child(ppr, "w:ind", {"w:right": 10})
    assert dict(ind.attrib) == {W + "right": "10"}
    assert len(ppr) == 1


def test_run_text_splits_tabs_and_breaks_and_keeps_edge_spaces() -> None:
    p = etree.Element(W + "p")
    r = run(p, "发文字号\t签发人：\n　张三 ")
    assert _names(r) == ["t", "tab", "t", "br", "t"]
    ts = r.findall(W + "t")
    assert [t.text for t in ts] == ["发文字号", "签发人：", "　张三 "]
    assert [t.get(XML_SPACE) for t in ts] == [None, None, "preserve"]
    add_text(r, "")
    assert len(r) == 5


def test_every_docx_product_of_both_versions_keeps_the_schema_order() -> None:
    """Notice, cards, 责任清单, every checklist and the 修订对照表 of 2024.1 and 2024.2: every part of every
    package lists its children in ISO/IEC 29500 order, every element kind with children is one the order
    tables know, and a second render gives the same bytes."""
    import io
    import zipfile

    from tests.conftest import ROOT, load_case
    from zhidu.render import RenderContext, get_renderer
    from zhidu.views import PlanOptions, plan

    work = ROOT / "policy" / "gongyuan-aqsc"
    old, new = load_case(work / "2024.1"), load_case(work / "2024.2")
    products: set[str] = set()
    kinds: set[str] = set()
    parts = packages = 0
    for pol in (old, new):
        views = plan(pol, PlanOptions(previous=old) if pol is new else PlanOptions())
        for v in views:
            arts = get_renderer("docx")().render(v, RenderContext(pol))
            again = get_renderer("docx")().render(v, RenderContext(pol))
            assert [a.data for a in arts] == [a.data for a in again], v.name
            for art in arts:
                products.add(v.product)
                packages += 1
                with zipfile.ZipFile(io.BytesIO(art.data)) as z:
                    for name in z.namelist():
                        if not (name.startswith("word/") and name.endswith(".xml")) or "/theme/" in name:
                            continue
                        root = etree.fromstring(z.read(name))
                        assert order_problems(root) == [], (v.name, name, order_problems(root)[:5])
                        parts += 1
                        kinds.update(
                            "w:" + key(el)
                            for el in root.iter()
                            if isinstance(el.tag, str) and el.tag.startswith(W) and len(el)
                        )
    assert products == {"notice", "duty-card", "duty-list", "checklist", "diff"}
    # Every element kind with children is checked; w:shapeDefaults holds VML (any content, no order).
    assert kinds - set(SEQUENCES) - set(MIXED) == {"w:shapeDefaults"}, kinds - set(SEQUENCES) - set(MIXED)
    assert {"w:settings", "w:numbering", "w:sectPr", "w:tblPr", "w:trPr", "w:tcPr", "w:compat"} <= kinds
    # Two notices, 18 cards, two lists, 40 checklists and one 对照表, with seven parts or more each.
    assert packages == 63 and parts >= 7 * 63, (packages, parts)


def _part(xml: str) -> object:
    """A part from `xml`: body content goes into a w:document; settings, numbering and styles are roots."""
    if xml.startswith("<w:body"):
        xml = f"<w:document>{xml}</w:document>"
    head, _, rest = xml.partition(">")
    return etree.fromstring(f'{head} xmlns:w="{W[1:-1]}" xmlns:m="{MATH}">{rest}')


MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def test_order_problems_finds_each_kind_of_misorder() -> None:
    ok = (
        "<w:body><w:p><w:pPr><w:keepNext/><w:jc w:val='center'/></w:pPr><w:r><w:rPr><w:b/></w:rPr>"
        "<w:t>x</w:t></w:r></w:p><w:tbl><w:tblPr><w:tblW w:w='1' w:type='dxa'/></w:tblPr><w:tblGrid>"
        "<w:gridCol w:w='1'/></w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w='1'/>"
        "</w:tcPr><w:p/></w:tc></w:tr></w:tbl><w:sectPr><w:footerReference/><w:headerReference/>"
        "<w:pgSz/></w:sectPr></w:body>"
    )
    assert order_problems(_part(ok)) == []
    bad = {
        "pPr": "<w:body><w:p><w:pPr><w:jc w:val='center'/><w:spacing/></w:pPr></w:p></w:body>",
        "rPr": "<w:body><w:p><w:r><w:t>x</w:t><w:rPr/></w:r></w:p></w:body>",
        "tcPr": "<w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vAlign/><w:tcW/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body>",
        "tc": "<w:body><w:tbl><w:tr><w:tc><w:p/><w:tbl/></w:tc></w:tr></w:tbl></w:body>",
        "tbl": "<w:body><w:tbl><w:tr/><w:tblPr/></w:tbl></w:body>",
        "trPr": "<w:body><w:tbl><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr></w:tr></w:tbl></w:body>",
        "tblPr": "<w:body><w:tbl><w:tblPr><w:tblLook/><w:tblW/></w:tblPr></w:tbl></w:body>",
        "body": "<w:body><w:sectPr/><w:p/></w:body>",
        "sectPr": "<w:body><w:sectPr><w:pgMar/><w:pgSz/></w:sectPr></w:body>",
        "unknown": "<w:body><w:p><w:pPr><w:frobnicate/></w:pPr></w:p></w:body>",
        "settings": "<w:settings><w:compat/><m:mathPr/><w:rsids/></w:settings>",
        "numbering": "<w:numbering><w:num/><w:abstractNum/></w:numbering>",
        "style": "<w:styles><w:style><w:rPr/><w:pPr/></w:style></w:styles>",
    }
    for what, xml in bad.items():
        assert len(order_problems(_part(xml))) == 1, (what, order_problems(_part(xml)))


def test_set_child_follows_the_settings_and_section_orders() -> None:
    settings = etree.Element(W + "settings")
    for tag in ("w:listSeparator", "w:compat", "w:zoom", "w:evenAndOddHeaders", "w:defaultTabStop"):
        set_child(settings, tag, {})
    assert _names(settings) == ["zoom", "defaultTabStop", "evenAndOddHeaders", "compat", "listSeparator"]
    sect = etree.Element(W + "sectPr")
    for tag in ("w:docGrid", "w:pgMar", "w:footerReference", "w:pgSz", "w:titlePg"):
        set_child(sect, tag, {})
    assert _names(sect) == ["footerReference", "pgSz", "pgMar", "titlePg", "docGrid"]
    assert order_problems(settings) == [] and order_problems(sect) == []
