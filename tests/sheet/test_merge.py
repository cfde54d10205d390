"""`zhidu merge`: a workbook's edits back into the YAML by stable id; refusals located by sheet, row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sheet.helpers import (
    NEW_TEXT,
    calc_resave,
    draft_copy,
    edit,
    expected_after_scripted_edits,
    export,
    header,
    row_of,
    run,
    scripted_edits,
)

Cap = pytest.CaptureFixture[str]


def test_untouched_export_merges_to_no_change(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    code, out, err = run(capsys, "merge", str(book), str(folder), "--apply")
    assert code == 0, err
    assert "无需合并" in out
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
    assert not list(folder.glob("*.bak"))


def test_untouched_export_of_an_issued_version_is_no_change(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path, status="issued")
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    code, out, _ = run(capsys, "merge", str(book), str(folder))
    assert code == 0 and "无需合并" in out


def test_scripted_edits_merge_to_exactly_the_expected_yaml(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    reg = folder / "regulation.yaml"
    original = reg.read_text(encoding="utf-8")
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    edited = edit(book, tmp_path / "edited.xlsx", scripted_edits)

    code, out, err = run(capsys, "merge", str(edited), str(folder), "--color", "never")
    assert code == 0, err
    assert reg.read_text(encoding="utf-8") == original, "a merge without --apply writes nothing"
    # The change set is the revision-table view of `zhidu diff`.
    assert "修订对照表" in out
    assert "━━ 新增　新增第一部分第（五）项" in out and NEW_TEXT in out
    assert "每月至少[-1-]次带队" in out and "每月至少{+2+}次带队" in out
    assert "━━ 删除　删除原第一部分第（八）项" in out
    assert "━━ 移动　原第一部分第（十）项移至第一部分第（九）项" in out
    assert "责任岗位由办事处主任改为办事处主任、分管安全生产工作的领导" in out
    assert "（仅预览；加 --apply 写入）" in out
    summary = out.split("变更：\n")[1]
    assert summary.splitlines()[:5] == [
        "  新增 D-01-13（“职责”列（D6））：每半年组织1次安全生产应急演练。",
        "  删除 D-01-08（第一部分第（八）项）",
        "  调整 S-01 下的条文顺序",
        "  修改 D-01-03（第一部分第（三）项）：岗位",
        "  修改 D-01-06（第一部分第（六）项）：职责、频次",
    ]

    code, out, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 0, err
    assert reg.read_text(encoding="utf-8") == expected_after_scripted_edits(original)
    assert (folder / "regulation.yaml.bak").read_text(encoding="utf-8") == original
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0, out


@pytest.mark.render
def test_the_same_edits_saved_through_libreoffice_calc_merge_identically(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    original = (folder / "regulation.yaml").read_text(encoding="utf-8")
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    # Opened and saved in Calc, edited, saved in Calc again: what a WPS/Excel user's file goes through.
    opened = calc_resave(book, tmp_path / "calc1")
    edited = edit(opened, tmp_path / "edited.xlsx", scripted_edits)
    saved = calc_resave(edited, tmp_path / "calc2")
    code, _, err = run(capsys, "merge", str(saved), str(folder), "--apply")
    assert code == 0, err
    assert (folder / "regulation.yaml").read_text(encoding="utf-8") == expected_after_scripted_edits(original)


@pytest.mark.render
@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_ods_and_xls_are_converted_first_and_merge_the_same(tmp_path: Path, capsys: Cap, suffix: str) -> None:
    folder = draft_copy(tmp_path)
    original = (folder / "regulation.yaml").read_text(encoding="utf-8")
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    edited = edit(book, tmp_path / "edited.xlsx", scripted_edits)
    other = calc_resave(edited, tmp_path / suffix, to=suffix)
    code, _, err = run(capsys, "merge", str(other), str(folder), "--apply")
    assert code == 0, err
    assert f"已用 LibreOffice 把 edited.{suffix} 转换为 .xlsx 后读取" in err
    assert (folder / "regulation.yaml").read_text(encoding="utf-8") == expected_after_scripted_edits(original)


def test_issued_version_is_refused_and_a_new_draft_offered(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path, status="issued")
    original = (folder / "regulation.yaml").read_bytes()
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    edited = edit(book, tmp_path / "edited.xlsx", scripted_edits)
    code, _, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 1
    assert "2024.2 版已印发，不能直接修改；请加 --as-version 2024.3 另建草案版本" in err
    assert (folder / "regulation.yaml").read_bytes() == original

    code, out, err = run(capsys, "merge", str(edited), str(folder), "--as-version", "2024.3", "--apply")
    assert code == 0, err
    assert (folder / "regulation.yaml").read_bytes() == original
    new = folder.parent / "2024.3" / "regulation.yaml"
    text = new.read_text(encoding="utf-8")
    assert '  id: "2024.3"\n  status: draft\n  supersedes: "2024.2"\n' in text
    assert NEW_TEXT in text and "issued:" not in text.split("title:")[0]
    assert sorted(p.name for p in new.parent.iterdir()) == sorted(p.name for p in folder.glob("*.yaml"))
    code, out, _ = run(capsys, "check", str(new.parent))
    assert code == 0, out


def _set(duty_id: str, column: str, value: Any) -> Any:
    def fn(wb: Any) -> None:
        ws = wb["责任清单"]
        ws.cell(row_of(ws, duty_id), header(ws)[column]).value = value

    return fn


def _all(*fns: Any) -> Any:
    def fn(wb: Any) -> None:
        for f in fns:
            f(wb)

    return fn


def test_unplaceable_cells_are_all_reported_with_sheet_row_and_column(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    original = (folder / "regulation.yaml").read_bytes()
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    edited = edit(
        book,
        tmp_path / "bad.xlsx",
        _all(
            _set("D-01-03", "岗位", "办事处主仼"),  # a look-alike character
            _set("D-01-04", "频次", "看情况"),
            _set("D-01-05", "纳入检查表", "也许"),
            _set("D-01-06", "依据", "《不存在的条例》第一条"),
            _set("D-01-07", "id", "D-99-99"),
        ),
    )
    code, _, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 1
    assert "Traceback" not in err
    b = f"{tmp_path / 'bad.xlsx'}".replace("\\", "/")
    assert (
        f"{b}:责任清单:4:3: 错误[X314]: “岗位”列（C4）：未知岗位“办事处主仼”，是否想写“办事处主任”？" in err
    )
    assert f"{b}:责任清单:5:5: 错误[X315]: “频次”列（E5）：无法识别的频次“看情况”" in err
    assert f"{b}:责任清单:6:8: 错误[X317]: “纳入检查表”列（H6）应填“是”或“否”，实际为“也许”" in err
    assert f"{b}:责任清单:7:7: 错误[X316]: “依据”列（G7）：未知依据“《不存在的条例》第一条”" in err
    assert f"{b}:责任清单:8:11: 错误[X312]: id“D-99-99”不存在于当前制度" in err
    assert "未合并，YAML 未改动。" in err
    assert (folder / "regulation.yaml").read_bytes() == original


def test_a_cell_edited_in_both_the_sheet_and_the_yaml_is_a_conflict(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    reg = folder / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    yaml_edit = text.replace(
        "每月至少1次带队开展安全生产督导检查。", "每月至少1次带队开展安全生产督导检查和暗访。", 1
    )
    reg.write_text(yaml_edit, encoding="utf-8")
    edited = edit(book, tmp_path / "edited.xlsx", _set("D-01-06", "职责", "每月带队开展安全生产督导检查。"))
    code, _, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 1
    assert "错误[X313]: 冲突：“职责”列（D7）在导出后被表格和 YAML 同时修改" in err
    assert reg.read_text(encoding="utf-8") == yaml_edit

    # A YAML edit the sheet did not touch is kept, and a different cell of the same row still merges.
    edited = edit(book, tmp_path / "other.xlsx", _set("D-01-06", "履职记录", "督导检查记录\n暗访记录"))
    code, _, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 0, err
    after = reg.read_text(encoding="utf-8")
    assert "每月至少1次带队开展安全生产督导检查和暗访。" in after
    assert "              - 督导检查记录\n              - 暗访记录\n" in after


def test_a_row_deleted_in_the_sheet_but_changed_in_the_yaml_is_a_conflict(
    tmp_path: Path, capsys: Cap
) -> None:
    folder = draft_copy(tmp_path)
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    reg = folder / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace("保障安全生产相关工作车辆", "保障安全生产工作车辆", 1),
        "utf-8",
    )

    def delete(wb: Any) -> None:
        ws = wb["责任清单"]
        ws.delete_rows(row_of(ws, "D-01-08"))

    code, _, err = run(capsys, "merge", str(edit(book, tmp_path / "e.xlsx", delete)), str(folder))
    assert code == 1
    assert (
        "错误[X311]: 冲突：职责“D-01-08”（第一部分第（八）项）在表格中被删除，但导出后 YAML 中修改过它" in err
    )


def test_headers_matched_by_name_not_position(tmp_path: Path, capsys: Cap) -> None:
    """Columns reordered and renamed to other usual names, blank rows, full-width spaces, a number typed."""
    folder = draft_copy(tmp_path)
    book = export(capsys, folder, tmp_path / "seed.xlsx")

    def shuffle(wb: Any) -> None:
        ws = wb["责任清单"]
        data = [[c.value for c in row] for row in ws.iter_rows()]
        names = {"职责": "责任事项", "岗位": "责任岗位", "频次": "工作频次", "依据": "法律依据"}
        order = [3, 0, 2, 1, 4, 6, 5, 7, 10, 8, 9]
        ws.delete_rows(1, ws.max_row)
        for i, row in enumerate(data, start=1):
            values = [row[j] for j in order]
            if i == 1:
                values = [names.get(v, v) for v in values]
            for j, v in enumerate(values, start=1):
                ws.cell(i, j).value = v
        ws.insert_rows(5)  # a blank row
        h = header(ws)
        r = row_of(ws, "D-01-06")
        ws.cell(r, h["责任岗位"]).value = "\u3000党工委书记、 办事处主任\u3000"
        ws.cell(r, h["履职记录"]).value = 2024  # a number where text was expected

    code, out, err = run(
        capsys, "merge", str(edit(book, tmp_path / "s.xlsx", shuffle)), str(folder), "--apply"
    )
    assert code == 0, err
    assert "修改 D-01-06（第一部分第（六）项）：履职记录" in out
    text = (folder / "regulation.yaml").read_text(encoding="utf-8")
    assert "            evidence:\n              - '2024'\n" in text
    assert "岗位" not in out.split("变更：")[1], "owners written with odd spaces are the same owners"


def test_bad_workbooks_get_located_answers(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    original = (folder / "regulation.yaml").read_bytes()
    book = export(capsys, folder, tmp_path / "seed.xlsx")

    def damage(wb: Any) -> None:
        ws = wb["责任清单"]
        h = header(ws)
        ws.merge_cells(start_row=3, start_column=h["岗位"], end_row=4, end_column=h["岗位"])
        ws.cell(row_of(ws, "D-01-06"), h["履职记录"]).value = '=CONCATENATE("督导","记录")'
        wb.create_sheet("我的备注").cell(1, 1).value = "随手记"

    code, _, err = run(
        capsys, "merge", str(edit(book, tmp_path / "bad.xlsx", damage)), str(folder), "--apply"
    )
    assert code == 1
    assert "Traceback" not in err
    assert ":责任清单:3:3: 错误[X306]: 数据区有合并单元格 C3:C4：请取消合并" in err
    assert ":责任清单:7:6: 错误[X307]: “履职记录”列（F7）是公式：请改为直接填写内容" in err
    assert ":我的备注: 警告[X321]: 多余的工作表“我的备注”已忽略" in err
    assert (folder / "regulation.yaml").read_bytes() == original


def test_not_a_workbook_and_missing_columns(tmp_path: Path, capsys: Cap) -> None:
    folder = draft_copy(tmp_path)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip at all")
    code, _, err = run(capsys, "merge", str(fake), str(folder))
    assert code == 1 and "错误[X301]: 无法读取工作簿（文件已损坏或不是 .xlsx）" in err
    book = export(capsys, folder, tmp_path / "seed.xlsx")

    def drop_ids(wb: Any) -> None:
        ws = wb["责任清单"]
        ws.delete_cols(header(ws)["id"])

    code, _, err = run(capsys, "merge", str(edit(book, tmp_path / "noid.xlsx", drop_ids)), str(folder))
    assert code == 1 and "错误[X305]: 缺少隐藏的 id 列" in err
    txt = tmp_path / "list.txt"
    txt.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "merge", str(txt), str(folder))
    assert code == 1 and "不支持的文件类型“.txt”" in err


def test_merge_finds_the_exported_folder_by_itself(tmp_path: Path, capsys: Cap, monkeypatch: Any) -> None:
    folder = draft_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    book = export(capsys, folder.relative_to(tmp_path), Path("seed.xlsx"))
    edited = edit(book, Path("e.xlsx"), _set("D-01-06", "纳入检查表", "否"))
    code, out, err = run(capsys, "merge", str(edited), "--apply")
    assert code == 0, err
    assert "修改 D-01-06（第一部分第（六）项）：纳入检查表" in out
    text = (folder / "regulation.yaml").read_text(encoding="utf-8")
    assert "display: 每月至少1次\n            evidence:\n              - 督导检查记录\n" in text


def test_a_sheet_sorted_by_owner_is_noticed_and_keep_order_ignores_the_sort(
    tmp_path: Path, capsys: Cap
) -> None:
    folder = draft_copy(tmp_path)
    reg = folder / "regulation.yaml"
    original = reg.read_text(encoding="utf-8")
    book = export(capsys, folder, tmp_path / "seed.xlsx")

    def sort_and_edit(wb: Any) -> None:
        ws = wb["责任清单"]
        h = header(ws)
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        rows.sort(key=lambda r: (str(r[h["岗位"] - 1]), str(r[h["id"] - 1])), reverse=True)
        for i, values in enumerate(rows, start=2):
            for j, v in enumerate(values, start=1):
                ws.cell(i, j).value = v
        ws.cell(row_of(ws, "D-01-06"), h["频次"]).value = "每月至少2次"

    sorted_book = edit(book, tmp_path / "sorted.xlsx", sort_and_edit)
    code, _, err = run(capsys, "merge", str(sorted_book), str(folder))
    assert code == 0, err
    assert "警告[X336]: 表格中多数行的顺序与制度不同（是否按某列排序过？）" in err
    code, out, err = run(capsys, "merge", str(sorted_book), str(folder), "--keep-order", "--apply")
    assert code == 0, err
    assert "X336" not in err and "顺序" not in out.split("变更：")[1]
    expected = original.replace(
        "              min: 1\n              display: 每月至少1次\n            evidence:\n              - 督导检查记录",
        "              min: 2\n              display: 每月至少2次\n            evidence:\n              - 督导检查记录",
        1,
    )
    assert expected != original
    assert reg.read_text(encoding="utf-8") == expected


def test_a_zip_bomb_workbook_is_refused_from_its_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # openpyxl would inflate every member: 200 MB of zeros in a ~200 KB file must be refused before that.
    import zipfile

    folder = draft_copy(tmp_path)
    book = export(capsys, folder, tmp_path / "清单.xlsx")
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/zeros.bin", b"\0" * (200 * 1024 * 1024))
    before = (folder / "regulation.yaml").read_bytes()
    code, _out, err = run(capsys, "merge", str(bomb), "--apply")
    assert code == 1
    assert "错误[X301]" in err and "工作簿" in err and "压缩" in err, err
    assert "Traceback" not in err
    assert (folder / "regulation.yaml").read_bytes() == before


def _wording_cell(ws: Any, duty_id: str) -> Any:
    return ws.cell(row_of(ws, duty_id), header(ws)["职责"])


def _duty(folder: Path, duty_id: str) -> tuple[str, str | None]:
    """(provision text, duty's own text) of a duty, as the merged folder loads."""
    from tests.conftest import load_case

    return next((p.text, d.text) for _, p, d in load_case(folder).duties() if d.id == duty_id)


def test_a_duty_with_its_own_wording_round_trips_through_the_sheet(tmp_path: Path, capsys: Cap) -> None:
    """第八部分第（四）项第1目 is a 追责 condition (…的；); its duty D-08-04-01 has its own wording. The sheet
    shows that wording, an untouched sheet merges to no change, and an edit of the cell goes to the duty's
    `text` while the condition keeps its words."""
    from openpyxl import load_workbook

    folder = draft_copy(tmp_path)
    condition = "值班领导未按规定24小时值班在岗、未做好巡查工作的；"
    own = "值班领导24小时值班在岗，做好巡查工作。"
    assert _duty(folder, "D-08-04-01") == (condition, own)
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    ws = load_workbook(book)["责任清单"]
    assert _wording_cell(ws, "D-08-04-01").value == own
    assert all(c.value != condition for c in ws["D"]), "the condition is printed as a duty"

    code, out, err = run(capsys, "merge", str(book), str(folder), "--apply")
    assert code == 0 and "无需合并" in out, err

    edited_text = "值班领导按规定24小时值班在岗，每日做好巡查工作。"

    def change(wb: Any) -> None:
        _wording_cell(wb["责任清单"], "D-08-04-01").value = edited_text

    edited = edit(book, tmp_path / "edited.xlsx", change)
    code, out, err = run(capsys, "merge", str(edited), str(folder), "--apply")
    assert code == 0, err
    assert "修改 D-08-04-01（第八部分第（四）项第1目）：职责" in out, out
    assert _duty(folder, "D-08-04-01") == (condition, edited_text)
    # The merged folder exports the new wording, and that sheet merges back to no change.
    again = export(capsys, folder, tmp_path / "again.xlsx")
    assert _wording_cell(load_workbook(again)["责任清单"], "D-08-04-01").value == edited_text
    code, out, _ = run(capsys, "merge", str(again), str(folder))
    assert code == 0 and "无需合并" in out
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0, out


def test_a_provision_wording_edit_still_goes_to_the_provision(tmp_path: Path, capsys: Cap) -> None:
    """A duty without wording of its own reads its provision's text: an edit of its cell changes that text, and
    the duty gains no `text` of its own."""
    folder = draft_copy(tmp_path)
    book = export(capsys, folder, tmp_path / "seed.xlsx")
    new = "每月至少2次带队开展安全生产督导检查。"

    def change(wb: Any) -> None:
        _wording_cell(wb["责任清单"], "D-01-06").value = new

    code, _, err = run(capsys, "merge", str(edit(book, tmp_path / "e.xlsx", change)), str(folder), "--apply")
    assert code == 0, err
    assert _duty(folder, "D-01-06") == (new, None)
