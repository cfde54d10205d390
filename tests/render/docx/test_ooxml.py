"""Element builders: schema order, attribute replacement and run text as Word expects it."""

from __future__ import annotations

from lxml import etree

from zhidu.render.docx.ooxml import XML_SPACE, W, add_text, paragraph, run, set_child


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
