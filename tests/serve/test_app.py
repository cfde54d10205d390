"""The workbench in process: safety checks, round-trip saves, refusals, products and downloads."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.serve.conftest import WORK
from zhidu.serve import Settings, create_app
from zhidu.serve import edits as E
from zhidu.serve.workspace import fingerprint
from zhidu.yamlio import round_trip_yaml

TOKEN = "test-token-0123456789"


@pytest.fixture
def client(policy_copy: Path) -> Iterator[TestClient]:
    yield from _client(policy_copy, pdf=False)


def _client(root: Path, pdf: bool) -> Iterator[TestClient]:
    settings = Settings(root=root, token=TOKEN, hosts=("testserver",), watch=False, pdf_preview=pdf)
    with TestClient(create_app(settings), follow_redirects=False) as c:
        assert c.get(f"/?token={TOKEN}").status_code == 303
        yield c


def _base(html: str) -> str:
    m = re.search(r'name="base" value="([0-9a-f]+)"', html)
    assert m, "form without base"
    return m[1]


def _draft(client: TestClient) -> None:
    r = client.post(f"/{WORK}/2024.2/new-draft", data={"version": "2024.3", "reason": "调整督导检查频次。"})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/{WORK}/2024.3/?drafted=1"


DUTY_FORM = {
    "text": "每月至少2次带队开展安全生产督导检查。",
    "per": "month",
    "min": "2",
    "display": "",
    "evidence": "督导检查记录\r\n督导检查通报",
    "basis": ["L-AQSCF", "L-NMGAQTL", "L-NMGDZZRZ", "L-DFDZZRZ"],
    "checklist": "1",
}


def test_every_request_needs_the_token_cookie_and_this_host(policy_copy: Path) -> None:
    settings = Settings(root=policy_copy, token=TOKEN, hosts=("testserver",), watch=False, pdf_preview=False)
    with TestClient(create_app(settings), follow_redirects=False) as c:
        r = c.get("/")
        assert r.status_code == 403 and "请用启动时打印的完整链接（含 token）打开工作台" in r.text
        assert c.get("/?token=wrong").status_code == 403
        r = c.get(f"/{WORK}/2024.2/?token={TOKEN}&q=督导")
        assert r.status_code == 303
        # The token leaves the address; the other parameters stay.
        assert r.headers["location"] == f"/{WORK}/2024.2/?q=%E7%9D%A3%E5%AF%BC"
        assert "samesite=strict" in r.headers["set-cookie"].lower()
        assert "httponly" in r.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200
        # DNS rebinding: a page of another name that resolves here is refused.
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400
        # A post from another site (cookie or not) is refused before it is read.
        r = c.post(f"/{WORK}/2024.2/new-draft", headers={"origin": "http://evil.example"}, data={"x": "1"})
        assert r.status_code == 403
        r = c.post(f"/{WORK}/2024.2/new-draft", content=b"x" * (E_MAX + 1))
        assert r.status_code == 413


E_MAX = 256 * 1024


def test_an_issued_version_is_refused_with_an_offer_of_a_new_draft(
    client: TestClient, policy_copy: Path
) -> None:
    reg = policy_copy / WORK / "2024.2" / "regulation.yaml"
    before = reg.read_bytes()
    r = client.get(f"/{WORK}/2024.2/duties/D-01-06/edit")
    assert r.status_code == 409
    assert "已印发，不能直接修改" in r.text and 'value="2024.3"' in r.text
    base = fingerprint(reg.parent)
    r = client.post(f"/{WORK}/2024.2/duties/D-01-06/edit", data={**DUTY_FORM, "base": base})
    assert r.status_code == 409
    assert reg.read_bytes() == before
    # Without a reason the draft is not made.
    r = client.post(f"/{WORK}/2024.2/new-draft", data={"version": "2024.3", "reason": " "})
    assert r.status_code == 422 and "请填写修订说明" in r.text
    assert not (policy_copy / WORK / "2024.3").exists()


def test_a_new_draft_copies_the_version_with_status_draft_and_a_change_record(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    old = (policy_copy / WORK / "2024.2" / "regulation.yaml").read_text(encoding="utf-8")
    new = (policy_copy / WORK / "2024.3" / "regulation.yaml").read_text(encoding="utf-8")
    head, _, _ = old.partition("\nchanges:\n")
    expected = (
        head.replace(
            '  id: "2024.2"\n  status: issued\n  issued: 2024-09-10\n  effective:\n    from: 2024-09-10\n'
            '  supersedes: "2024.1"\n  reviewed_on: 2024-09-10\n',
            '  id: "2024.3"\n  status: draft\n  supersedes: "2024.2"\n',
        )
        + "\nchanges:\n  - id: CH-2024-3-01\n    type: metadata\n    reason: 调整督导检查频次。\n"
    )
    assert new == expected
    for name in ("notice.yaml", "roles.yaml", "laws.yaml"):
        assert (policy_copy / WORK / "2024.3" / name).read_bytes() == (
            policy_copy / WORK / "2024.2" / name
        ).read_bytes()
    r = client.get(f"/{WORK}/2024.3/")
    assert r.status_code == 200 and "草案" in r.text


def test_a_duty_edit_writes_exactly_the_changed_lines_and_keeps_comments(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_text(encoding="utf-8")
    page = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
    assert page.status_code == 200
    r = client.post(f"/{WORK}/2024.3/duties/D-01-06/edit", data={**DUTY_FORM, "base": _base(page.text)})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/{WORK}/2024.3/?saved=D-01-06#D-01-06"
    old_block = (
        "        text: 每月至少1次带队开展安全生产督导检查。\n"
        "        duties:\n"
        "          - id: D-01-06\n"
        "            frequency:\n"
        "              per: month\n"
        "              min: 1\n"
        "              display: 每月至少1次\n"
        "            evidence:\n"
        "              - 督导检查记录\n"
    )
    new_block = (
        "        text: 每月至少2次带队开展安全生产督导检查。\n"
        "        duties:\n"
        "          - id: D-01-06\n"
        "            frequency:\n"
        "              per: month\n"
        "              min: 2\n"
        "              display: 每月至少2次\n"
        "            evidence:\n"
        "              - 督导检查记录\n"
        "              - 督导检查通报\n"
    )
    assert before.count(old_block) == 1
    assert reg.read_text(encoding="utf-8") == before.replace(old_block, new_block)
    assert reg.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert (reg.parent / "regulation.yaml.bak").read_text(encoding="utf-8") == before
    tree = client.get(f"/{WORK}/2024.3/").text
    assert "每月至少2次带队开展安全生产督导检查。" in tree and "每月≥2次" in tree


def test_an_invalid_edit_shows_located_errors_in_the_form_and_writes_nothing(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_bytes()
    page = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
    form = {**DUTY_FORM, "text": "", "min": "0", "base": _base(page.text)}
    r = client.post(f"/{WORK}/2024.3/duties/D-01-06/edit", data=form)
    assert r.status_code == 422
    assert "有 2 处错误，未保存" in r.text
    # Each message sits under its own field, in Chinese, with the rule code and no schema path.
    text_part = r.text.split('name="text"')[1].split("<fieldset")[0]
    assert "“条文内容”（text）不能为空（E014）" in text_part
    freq_part = r.text.split("<legend>频次</legend>")[1].split("简称")[0]
    assert "“频次·最少次数”（frequency.min）的取值数字 0超出范围：应不小于 1（E002）" in freq_part
    assert "sections[" not in r.text
    # What the clerk typed stays in the form.
    assert 'value="0"' in r.text and "督导检查通报" in r.text
    assert reg.read_bytes() == before
    assert not (reg.parent / "regulation.yaml.bak").exists()
    r = client.post(
        f"/{WORK}/2024.3/duties/D-01-06/edit", data={**form, "text": "每月至少2次。", "min": "两"}
    )
    assert r.status_code == 422 and "次数“两”不是整数" in r.text
    assert reg.read_bytes() == before


def test_a_file_changed_on_disk_since_the_form_was_loaded_is_not_overwritten(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    page = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
    # Meanwhile someone edits the file in a text editor.
    edited = reg.read_text(encoding="utf-8").replace(
        "每月至少1次带队开展安全生产督导检查。", "每月至少1次带队开展安全生产督导检查（含节假日）。"
    )
    reg.write_text(edited, encoding="utf-8")
    r = client.post(f"/{WORK}/2024.3/duties/D-01-06/edit", data={**DUTY_FORM, "base": _base(page.text)})
    assert r.status_code == 409
    assert "文件已被其他人或其他程序改动，未保存" in r.text
    # Both sides are shown: what was typed and what is on disk now.
    assert "每月至少2次带队开展安全生产督导检查。" in r.text
    assert "每月至少1次带队开展安全生产督导检查（含节假日）。" in r.text
    assert reg.read_text(encoding="utf-8") == edited


def test_a_duty_still_assessed_cannot_be_deleted(client: TestClient, policy_copy: Path) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_bytes()
    r = client.post(f"/{WORK}/2024.3/duties/D-01-09/delete", data={"base": fingerprint(reg.parent)})
    assert r.status_code == 422
    assert "职责“D-01-09”被考核项或追责情形 A-01、A-02 引用，不能删除" in r.text
    assert reg.read_bytes() == before


def _post(client: TestClient, reg: Path, path: str, **data: str) -> str:
    r = client.post(f"/{WORK}/2024.3/{path}", data={"base": fingerprint(reg.parent), **data})
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_structure_edits_give_the_same_bytes_as_fresh_round_trips(
    client: TestClient, policy_copy: Path
) -> None:
    """Add, move and delete through the app (which reuses the tree it wrote) against the edits applied to a
    freshly parsed file each time."""
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    start = reg.read_bytes()
    loc = _post(client, reg, "provisions/P-01-08/add-duty")
    assert loc == f"/{WORK}/2024.3/duties/D-01-08-01/edit?new=1"
    _post(client, reg, "provisions/P-01-12/add-after", text="定期组织安全生产应急演练。")
    _post(client, reg, "provisions/P-01-03/down")
    _post(client, reg, "provisions/P-01-13/in")
    _post(client, reg, "provisions/P-01-13/out")
    _post(client, reg, "duties/D-01-08-01/delete")
    _post(client, reg, "duties/D-01-07/to-next")
    ops = [
        lambda d: E.add_duty(d, "P-01-08"),
        lambda d: E.add_provision(d, "P-01-12", "定期组织安全生产应急演练。", child=False),
        lambda d: E.move_provision(d, "P-01-03", "down"),
        lambda d: E.move_provision(d, "P-01-13", "in"),
        lambda d: E.move_provision(d, "P-01-13", "out"),
        lambda d: E.delete_duty(d, "D-01-08-01"),
        lambda d: E.move_duty_across(d, "D-01-07", 1),
    ]
    data = start
    for op in ops:
        doc = round_trip_yaml().load(data.decode("utf-8"))
        op(doc)
        data = E.dump_rt(doc)
    assert reg.read_bytes() == data
    text = data.decode("utf-8")
    # The new provision sits after P-01-12 and P-01-03 moved below P-01-04.
    assert text.index("id: P-01-12") < text.index("id: P-01-13\n        text: 定期组织安全生产应急演练。")
    assert text.index("id: P-01-04") < text.index("id: P-01-03")
    assert "D-01-08-01" not in text
    # D-01-07 left P-01-07 (which has no duties now) and leads P-01-08's.
    assert (
        "      - id: P-01-08\n        text: 保障安全生产相关工作车辆及装备配置。\n        duties:\n          - id: D-01-07\n"
        in text
    )
    assert "配备安全生产工作人员，并不断提高安全生产工作人员业务水平。\n      - id: P-01-08" in text
    tree = client.get(f"/{WORK}/2024.3/").text
    assert "定期组织安全生产应急演练。" in tree


def test_a_move_with_nowhere_to_go_is_refused(client: TestClient, policy_copy: Path) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_bytes()
    # S-01 is the first section: there is no sibling to move into, nor a parent to move out of.
    r = client.post(f"/{WORK}/2024.3/provisions/S-01/in", data={"base": fingerprint(reg.parent)})
    assert r.status_code == 422 and "前面没有同级条文" in r.text
    r = client.post(f"/{WORK}/2024.3/provisions/S-01/out", data={"base": fingerprint(reg.parent)})
    assert r.status_code == 422 and "一级条文无法再升级" in r.text
    assert reg.read_bytes() == before


def test_products_previews_and_downloads(client: TestClient, policy_copy: Path) -> None:
    html = client.get(f"/{WORK}/2024.2/render/notice.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "每月至少1次带队开展安全生产督导检查。" in html.text
    docx = client.get(f"/{WORK}/2024.2/render/notice.docx")
    assert docx.status_code == 200
    assert "attachment" in docx.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "每月至少1次带队开展安全生产督导检查" in z.read("word/document.xml").decode("utf-8")
    page = client.get(f"/{WORK}/2024.2/cards/R-SJ")
    assert page.status_code == 200 and "党工委书记" in page.text
    assert client.get(f"/{WORK}/2024.2/checklists").status_code == 200
    diff = client.get(f"/{WORK}/diff/2024.1..2024.2")
    assert diff.status_code == 200 and "render/revision-table.html" in diff.text
    assert client.get(f"/{WORK}/diff/2024.2..2024.1").status_code == 404
    assert client.get(f"/{WORK}/2024.2/render/..%2F..%2Fparties.yaml").status_code == 404
    assert client.get("/nowhere/2024.2/").status_code == 404
    check = client.get("/check")
    assert check.status_code == 200 and "建议：" in check.text
    assert re.search(r"(警告|提示)\[[WI]\d{3}\]", check.text)
    # Locations are shown relative to the policy folder being served.
    assert re.search(r"<code>gongyuan-aqsc/2024\.1/regulation\.yaml:\d+:\d+</code>", check.text)
    assert str(policy_copy) not in check.text


@pytest.mark.render
def test_the_release_zip_holds_every_product_and_the_manifest(client: TestClient) -> None:
    import json

    r = client.get(f"/{WORK}/2024.2/release.zip")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
    assert {"2024.2/notice.docx", "2024.2/notice.pdf", "2024.2/notice.html", "2024.2/duty-list.md"} <= names
    assert set(manifest["outputs"]) == names - {"manifest.json"}
    assert list(manifest["versions"]) == ["2024.2"]


def test_search_and_filters_narrow_the_tree(client: TestClient) -> None:
    r = client.get(f"/{WORK}/2024.2/", params={"q": "督导检查"})
    assert "每月至少1次带队开展安全生产督导检查。" in r.text
    assert "保障安全生产相关工作车辆及装备配置。" not in r.text
    r = client.get(f"/{WORK}/2024.2/", params={"role": "R-WGY"}, headers={"hx-request": "true"})
    assert "<html" not in r.text  # htmx gets the rows only
    assert 'id="D-01-06"' not in r.text and "网格员" in r.text
    r = client.get(f"/{WORK}/2024.2/", params={"q": "没有这样的条文"})
    assert "没有符合条件的条文。" in r.text


def test_diagnostics_show_in_place_with_code_and_hint(client: TestClient, policy_copy: Path) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    # A half-width comma in a provision: W103, shown at that provision.
    reg.write_text(
        reg.read_text(encoding="utf-8").replace(
            "保障安全生产相关工作车辆及装备配置。", "保障安全生产相关工作车辆,及装备配置。"
        ),
        encoding="utf-8",
    )
    tree = client.get(f"/{WORK}/2024.3/").text
    block = tree.split('id="P-01-08"')[1].split('id="P-01-09"')[0]
    assert "[W103]" in block and "建议：中文中使用全角标点。" in block


class _Form(HTMLParser):
    """The fields a browser would submit from the page's edit form, as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "edit" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input":
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def _form_of(html: str) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for k, v in parser.fields:
        out.setdefault(k, []).append(v)
    return out


@pytest.mark.parametrize("duty", ["D-01-03", "D-01-06", "D-01-11", "D-03-10", "D-04-02-05", "D-08-03"])
def test_saving_an_untouched_form_changes_nothing(client: TestClient, policy_copy: Path, duty: str) -> None:
    """Owners, events (even one the chooser does not offer), on-occurrence and articles survive a save as they are."""
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_bytes()
    page = client.get(f"/{WORK}/2024.3/duties/{duty}/edit")
    r = client.post(f"/{WORK}/2024.3/duties/{duty}/edit", data=_form_of(page.text))
    assert r.status_code == 303, r.text
    assert reg.read_bytes() == before
    assert not (reg.parent / "regulation.yaml.bak").exists()


def test_a_new_frequency_gets_new_wording_unless_the_clerk_wrote_some(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    page = client.get(f"/{WORK}/2024.3/duties/D-01-05/edit")
    form = _form_of(page.text)
    assert form["display"] == ["每季度"] and form["per"] == ["quarter"]
    r = client.post(f"/{WORK}/2024.3/duties/D-01-05/edit", data={**form, "min": ["2"]})
    assert r.status_code == 303
    assert "              min: 2\n              display: 每季度至少2次\n" in reg.read_text(encoding="utf-8")
    page = client.get(f"/{WORK}/2024.3/duties/D-01-05/edit")
    form = {**_form_of(page.text), "per": ["month"], "min": ["1"], "display": ["每月听取工作汇报"]}
    assert client.post(f"/{WORK}/2024.3/duties/D-01-05/edit", data=form).status_code == 303
    assert (
        "              per: month\n              min: 1\n              display: 每月听取工作汇报\n"
        in reg.read_text(encoding="utf-8")
    )


@pytest.mark.render
def test_the_pdf_preview_comes_from_the_warm_libreoffice_and_follows_a_save(policy_copy: Path) -> None:
    import pdfplumber

    from zhidu.render.pdf import convert_batch

    for client in _client(policy_copy, pdf=True):
        wb = client.app.state.workbench  # type: ignore[attr-defined]
        assert wb.office is not None
        first = client.get(f"/{WORK}/2024.2/render/notice.pdf")
        assert first.status_code == 200 and first.content.startswith(b"%PDF")
        assert "attachment" not in first.headers.get("content-disposition", "")
        # The same pages as the build's LibreOffice conversion of the same docx.
        docx = client.get(f"/{WORK}/2024.2/render/notice.docx").content
        cold = convert_batch([("n.docx", docx)], jobs=1)["n.pdf"]
        with (
            pdfplumber.open(io.BytesIO(first.content)) as warm_pdf,
            pdfplumber.open(io.BytesIO(cold)) as cold_pdf,
        ):
            assert len(warm_pdf.pages) == len(cold_pdf.pages)
            assert warm_pdf.pages[0].extract_text() == cold_pdf.pages[0].extract_text()
        _draft(client)
        page = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
        assert (
            client.post(
                f"/{WORK}/2024.3/duties/D-01-06/edit", data={**DUTY_FORM, "base": _base(page.text)}
            ).status_code
            == 303
        )
        after = client.get(f"/{WORK}/2024.3/render/notice.pdf")
        with pdfplumber.open(io.BytesIO(after.content)) as pdf:
            text = re.sub(r"\s", "", "".join((p.extract_text() or "") for p in pdf.pages))
        assert "每月至少2次带队开展安全生产督导检查" in text


def test_the_notice_header_form_writes_parts_dates_and_title_lines(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    notice = policy_copy / WORK / "2024.3" / "notice.yaml"
    before = notice.read_text(encoding="utf-8")
    page = client.get(f"/{WORK}/2024.3/notice/edit")
    form = _form_of(page.text)
    assert form["doc_no"] == ["东公政发〔2024〕41号"] and form["date"] == ["2024-09-10"]
    # Untouched, nothing changes.
    assert client.post(f"/{WORK}/2024.3/notice/edit", data=form).status_code == 303
    assert notice.read_text(encoding="utf-8") == before
    # Wrong 文号 and an impossible date: each error at its field, nothing written.
    bad = {**form, "doc_no": ["东公政发2024-42"], "date": ["2024-02-30"]}
    r = client.post(f"/{WORK}/2024.3/notice/edit", data=bad)
    assert r.status_code == 422
    assert "发文字号“东公政发2024-42”格式不正确" in r.text.split('name="doc_no"')[1].split("<label")[0]
    assert "“成文日期”（date）的日期“2024-02-30”无效" in r.text.split('name="date"')[1].split("<label")[0]
    assert notice.read_text(encoding="utf-8") == before
    page = client.get(f"/{WORK}/2024.3/notice/edit")
    good = {
        **_form_of(page.text),
        "doc_no": ["东公政发〔2025〕3号"],
        "date": ["2025-01-15"],
        "printed_date": ["2025-01-16"],
        "title": ["鄂尔多斯市东胜区公园街道办事处\r\n关于印发修订后的安全生产工作制度的通知"],
    }
    assert client.post(f"/{WORK}/2024.3/notice/edit", data=good).status_code == 303
    expected = (
        before.replace("  year: 2024\n  serial: 41\n", "  year: 2025\n  serial: 3\n")
        .replace(
            "title: |-\n  鄂尔多斯市东胜区公园街道办事处关于印发\n  修订后的安全生产“党政同责、一岗双责”\n  工作制度及安全生产责任分工的通知\n",
            "title: |-\n  鄂尔多斯市东胜区公园街道办事处\n  关于印发修订后的安全生产工作制度的通知\n",
        )
        .replace("date: 2024-09-10\n", "date: 2025-01-15\n", 1)
        .replace("printed_date: 2024-09-10\n", "printed_date: 2025-01-16\n")
    )
    assert notice.read_text(encoding="utf-8") == expected
    assert "东公政发〔2025〕3号" in client.get(f"/{WORK}/2024.3/render/notice.html").text


def test_roles_and_communities_are_managed_with_forms(client: TestClient, policy_copy: Path) -> None:
    # Roles belong to a version: refused on the issued one.
    roles_issued = client.get(f"/{WORK}/2024.2/roles")
    assert roles_issued.status_code == 200 and "岗位登记表只能查看" in roles_issued.text
    r = client.post(
        f"/{WORK}/2024.2/roles/add", data={"base": "x", "id": "R-AJ", "name": "安监站", "kind": "other"}
    )
    assert r.status_code == 409
    _draft(client)
    roles = policy_copy / WORK / "2024.3" / "roles.yaml"
    before = roles.read_text(encoding="utf-8")
    base = fingerprint(roles.parent)
    r = client.post(
        f"/{WORK}/2024.3/roles/add",
        data={"base": base, "id": "R-AJZ", "name": "安全生产监督检查站", "kind": "department"},
    )
    assert r.status_code == 303
    assert roles.read_text(encoding="utf-8") == before + (
        "  - id: R-AJZ\n    name: 安全生产监督检查站\n    kind: department\n"
    )
    # A role still owning duties cannot go: the loader's E006 is shown, nothing written.
    r = client.post(f"/{WORK}/2024.3/roles/R-YJB/remove", data={"base": fingerprint(roles.parent)})
    assert r.status_code == 422 and "引用了未定义的岗位“R-YJB”" in r.text
    # Rename a role and give it a parent.
    r = client.post(
        f"/{WORK}/2024.3/roles/R-AJZ/save",
        data={"base": fingerprint(roles.parent), "name": "安监站", "kind": "department", "parent": "R-YJB"},
    )
    assert r.status_code == 303
    assert roles.read_text(encoding="utf-8").endswith(
        "  - id: R-AJZ\n    name: 安监站\n    kind: department\n    parent: R-YJB\n"
    )
    assert "安监站" in client.get(f"/{WORK}/2024.3/duties/D-01-06/edit").text
    # Communities live in the work folder's parties.yaml, shared by every version: editable from any of them.
    parties = policy_copy / WORK / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    r = client.post(
        f"/{WORK}/2024.2/communities/C-01/save",
        data={
            "base": fingerprint(roles.parent.parent / "2024.2"),
            "name": "示例一社区",
            "leader": "张三",
            "safety_officer": "",
        },
    )
    assert r.status_code == 303, r.text
    assert parties.read_text(encoding="utf-8") == text.replace(
        "    leader: 示例书记甲\n    safety_officer: 示例安全干事甲\n", "    leader: 张三\n"
    )
    assert parties.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_a_provision_form_edits_its_wording_and_paragraphs(client: TestClient, policy_copy: Path) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    before = reg.read_text(encoding="utf-8")
    page = client.get(f"/{WORK}/2024.3/provisions/S-01/edit")
    form = _form_of(page.text)
    assert form["text"] == ["党工委书记、办事处主任的安全生产职责"]
    assert client.post(f"/{WORK}/2024.3/provisions/S-01/edit", data=form).status_code == 303
    assert reg.read_text(encoding="utf-8") == before
    page = client.get(f"/{WORK}/2024.3/provisions/S-01/edit")
    form = {**_form_of(page.text), "paragraphs": [form["paragraphs"][0] + "\r\n\r\n第二段：按月报告。"]}
    r = client.post(f"/{WORK}/2024.3/provisions/S-01/edit", data=form)
    assert r.status_code == 303 and r.headers["location"].endswith("#S-01")
    first = "具体履行以下职责：\n"
    assert reg.read_text(encoding="utf-8") == before.replace(first, first + "      - 第二段：按月报告。\n", 1)
    # Default owners: R-ZR dropped, so every duty below without owners of its own now belongs to R-SJ alone.
    page = client.get(f"/{WORK}/2024.3/provisions/S-01/edit")
    form = {**_form_of(page.text), "owners": ["R-SJ"]}
    assert client.post(f"/{WORK}/2024.3/provisions/S-01/edit", data=form).status_code == 303
    assert "    owners:\n      - R-SJ\n    paragraphs:\n" in reg.read_text(encoding="utf-8")
    duty = client.get(f"/{WORK}/2024.3/").text.split('id="D-01-01"')[1].split("</dd>")[0]
    assert "党工委书记" in duty and "办事处主任" not in duty


def test_grid_workers_are_edited_one_a_line(client: TestClient, policy_copy: Path) -> None:
    parties = policy_copy / WORK / "parties.yaml"
    before = parties.read_text(encoding="utf-8")
    page = client.get(f"/{WORK}/2024.2/communities")
    forms = page.text.split('<form method="post" action="')
    c01 = next(f for f in forms if f.startswith(f"/{WORK}/2024.2/communities/C-01/save"))
    form = _form_of('<form class="edit">' + c01.split(">", 1)[1])
    assert form["grid_workers"] == ["示例网格员甲，第1网格\n示例网格员乙，第2网格\n示例网格员丙，第3网格"]
    url = f"/{WORK}/2024.2/communities/C-01/save"
    assert client.post(url, data=form).status_code == 303
    assert parties.read_text(encoding="utf-8") == before
    form["grid_workers"] = ["示例网格员甲，第1网格\n王五, 第4网格, 13800000000\n"]
    form["base"] = [fingerprint(policy_copy / WORK / "2024.2")]
    assert client.post(url, data=form).status_code == 303
    old = (
        "      - name: 示例网格员甲\n        grid: 第1网格\n"
        "      - name: 示例网格员乙\n        grid: 第2网格\n"
        "      - name: 示例网格员丙\n        grid: 第3网格\n"
    )
    new = "      - name: 示例网格员甲\n        grid: 第1网格\n      - name: 王五\n        grid: 第4网格\n        phone: '13800000000'\n"
    assert before.count(old) == 1
    assert parties.read_text(encoding="utf-8") == before.replace(old, new)


def test_a_version_broken_in_a_text_editor_shows_its_located_errors(
    client: TestClient, policy_copy: Path
) -> None:
    _draft(client)
    reg = policy_copy / WORK / "2024.3" / "regulation.yaml"
    # An unclosed flow sequence on the regulation's title line, whatever the title says.
    broken, n = re.subn(r"^title: ", "title: [", reg.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert n == 1
    reg.write_text(broken, encoding="utf-8")
    tree = client.get(f"/{WORK}/2024.3/")
    assert tree.status_code == 200
    assert "版本 2024.3 的源文件有错误" in tree.text
    assert re.search(
        r"<code>gongyuan-aqsc/2024\.3/regulation\.yaml:\d+:\d+</code> <b>错误\[E001\]</b>", tree.text
    )
    edit = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
    assert edit.status_code == 409 and "源文件有错误" in edit.text
    # The other versions are unaffected.
    assert client.get(f"/{WORK}/2024.2/").status_code == 200
