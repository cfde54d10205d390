"""The notice as .docx (GB/T 9704-2012): structure, fonts, determinism, title breaking, profiles."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

from msgspec import structs

from tests.conftest import SEED_DIR
from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.views import plan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(policy: Policy, profile: str = "standard") -> bytes:
    from zhidu.render.docx import DocxRenderer

    view = plan(policy, products=["notice"])[0]
    [art] = DocxRenderer().render(view, RenderContext(policy, profile=profile))
    assert art.path == "notice.docx" and art.product == "notice" and art.format == "docx"
    return art.data


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def with_notice(policy: Policy, **changes: object) -> Policy:
    assert policy.notice is not None
    return dataclasses.replace(policy, notice=structs.replace(policy.notice, **changes))


def test_build_twice_is_byte_identical(seed_policy: Policy) -> None:
    a, b = build(seed_policy), build(seed_policy)
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in z.namelist()


def test_core_properties_carry_the_stamp_not_the_page(seed_policy: Policy) -> None:
    data = build(seed_policy)
    core = part(data, "docProps/core.xml")
    view = plan(seed_policy, products=["notice"])[0]
    assert view.stamp.code in core and view.stamp.version in core
    assert "2024-06-03T00:00:00Z" in core  # from the notice date, not the clock
    doc = part(data, "word/document.xml")
    assert view.stamp.code not in doc and "以最新版本为准" not in doc


def test_page_setup_and_recipe(seed_policy: Policy) -> None:
    data = build(seed_policy)
    doc, styles, settings = (part(data, f"word/{n}.xml") for n in ("document", "styles", "settings"))
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in doc
    assert 'w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' in doc
    assert '<w:docGrid w:type="lines" w:linePitch="579"/>' in doc
    assert "<w:evenAndOddHeaders/>" in settings
    assert 'w:line="579" w:lineRule="exact"' in styles
    assert '<w:widowControl w:val="0"/>' in styles
    assert 'w:firstLineChars="200" w:firstLine="640"' in styles
    assert "Theme" not in re.sub(r"<w:latentStyles.*?</w:latentStyles>", "", styles).replace("theme", "")
    assert 'w:eastAsia="zh-CN"' in styles


def test_every_run_names_an_east_asian_font(seed_policy: Policy) -> None:
    from lxml import etree

    root = etree.fromstring(
        build(seed_policy).__class__(part(build(seed_policy), "word/document.xml"), "utf-8")
    )
    runs = [r for r in root.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    assert runs
    for r in runs:
        rf = r.find(f"{W}rPr/{W}rFonts")
        assert rf is not None and rf.get(W + "eastAsia") and rf.get(W + "ascii"), etree.tostring(r)


def test_schema_order_of_ppr_children(seed_policy: Policy) -> None:
    from lxml import etree

    from zhidu.render.docx.schema_order import ranks

    order = ranks("w:pPr")
    assert order is not None
    for name in ("word/document.xml", "word/styles.xml"):
        root = etree.fromstring(part(build(seed_policy), name).encode())
        for ppr in root.iter(W + "pPr"):
            idx = [order[etree.QName(c).localname] for c in ppr]
            assert idx == sorted(idx), [etree.QName(c).localname for c in ppr]


def test_elements_present(seed_policy: Policy) -> None:
    doc = part(build(seed_policy), "word/document.xml")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc))
    for needle in (
        "东公政发〔2024〕27号",
        "各科室、各社区：",
        "2024年6月3日印发",
        "工作制度",
        "一、党工委书记",
    ):
        assert needle in text
    assert 'w:color="FF0000"' in doc  # 7.2.4 red 标志 and 7.2.7 red separator
    assert "<w:framePr" in doc  # 版记 anchored to the 版心 bottom


def test_head_elements_and_unsealed_signature(seed_policy: Policy) -> None:
    pol = with_notice(
        seed_policy,
        copy_no="000001",
        secrecy="机密★1年",
        urgency="特急",
        seal=False,
        cc=["东胜区应急管理局"],
        note="联系人：张三",
    )
    doc = part(build(pol), "word/document.xml")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc))
    assert text.index("000001") < text.index("机密★1年") < text.index("特急") < text.index("鄂尔多斯")
    assert "抄送：东胜区应急管理局。" in text
    assert "（联系人：张三）" in text


def test_regulation_as_attachment_starts_a_new_page(seed_policy: Policy) -> None:
    doc = part(build(with_notice(seed_policy, regulation_placement="attachment")), "word/document.xml")
    assert "<w:pageBreakBefore/>" in doc
    assert "附件：" in doc


def test_letter_profile(seed_policy: Policy) -> None:
    data = build(seed_policy, profile="letter")
    doc = part(data, "word/document.xml")
    assert "thickThinSmallGap" in doc  # 10.1 double line
    assert "<w:titlePg/>" in doc  # no page number on page 1
    assert "印发" not in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc))[-40:]


def test_profile_values_are_tagged() -> None:
    from zhidu.layout import load_profile

    for name in ("standard", "letter"):
        prof = load_profile(name)
        for key, tagged in prof.values.items():
            assert tagged.source.startswith(("GB/T 9704 ", "本地惯例：")), key
    assert load_profile("standard")["grid.line_pitch_tw"] == 579


def test_docx_import_is_lazy() -> None:
    import subprocess
    import sys

    code = "import sys, zhidu.render.docx, zhidu.render.pdf, zhidu.verify; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_base_from_the_user_cache_gives_the_same_bytes(seed_policy: Policy, tmp_path: Path) -> None:
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, sys; from zhidu.load.policy import load_policy; from zhidu.diagnostics import Report; "
        "from zhidu.views import plan; from zhidu.render import RenderContext; "
        "from zhidu.render.docx import DocxRenderer; "
        f"p = load_policy(__import__('pathlib').Path({str(SEED_DIR)!r}), Report()); "
        "r = DocxRenderer(); "
        "print(*(hashlib.sha256(a.data).hexdigest() for v in plan(p) if v.product in r.products "
        "for a in r.render(v, RenderContext(p)))); print('docx' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "ZHIDU_NO_CACHE"} | {"XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    (first, imported_first), (second, imported_second) = (r.stdout.splitlines() for r in runs)
    assert list((tmp_path / "zhidu" / "docx-base").glob("*.json"))
    assert (imported_first, imported_second) == ("True", "False")  # built once, then read back
    from zhidu.render.docx import DocxRenderer

    r = DocxRenderer()
    direct = [
        hashlib.sha256(a.data).hexdigest()
        for v in plan(seed_policy)
        if v.product in r.products
        for a in r.render(v, RenderContext(seed_policy))
    ]
    assert first.split() == second.split() == direct


def test_regulation_may_follow_the_date_but_never_onto_the_no_body_page(tmp_path: Path) -> None:
    from tests.conftest import ROOT, load_case
    from zhidu.render.docx import DocxRenderer

    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "run-on.yaml").write_text(
        "name: run-on\nextends: standard\nbody:\n"
        '  regulation_new_page: {value: false, practice: "制度接排在成文日期之后"}\n',
        encoding="utf-8",
    )

    def regulation_title_breaks(version: str) -> bool:
        policy = load_case(ROOT / "policy" / "gongyuan-aqsc" / version)
        view = plan(policy, products=["notice"])[0]
        ctx = RenderContext(policy, template_dirs=(tmp_path,), profile="run-on")
        doc = zipfile.ZipFile(io.BytesIO(DocxRenderer().render(view, ctx)[0].data)).read("word/document.xml")
        titles = re.findall(rb'<w:p><w:pPr><w:pStyle w:val="ZhiduTitle"/>.*?</w:pPr>', doc)
        return b"<w:pageBreakBefore/>" in titles[-1]

    # 2024.1: the signature follows the 正文 on page 1, so the regulation runs on after the date.
    assert not regulation_title_breaks("2024.1")
    # 2024.2: page 1 is full, the 署名 goes alone under （此页无正文）, and the regulation starts a new page anyway.
    assert regulation_title_breaks("2024.2")
