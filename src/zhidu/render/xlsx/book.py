"""Policy → .xlsx bytes: the 责任清单 laid out as offices print it, plus the registries and a record of the export.

Same policy, same bytes: openpyxl stamps the save time into docProps/core.xml and every zip entry, so the
package is rewritten with fixed times after saving.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zhidu.layout import cjk_width
from zhidu.model import Policy
from zhidu.numbering import cn_date
from zhidu.render.xlsx.cells import LINE, OWNER_SEP, duty_cells, yes_no
from zhidu.render.xlsx.columns import (
    COMMUNITY_COLUMNS,
    COMMUNITY_SHEET,
    DUTY_COLUMNS,
    DUTY_SHEET,
    FREQUENCY_CHOICES,
    GUIDE_SHEET,
    INFO_COLUMNS,
    INFO_ITEMS,
    INFO_SHEET,
    KIND_WORDS,
    LAW_COLUMNS,
    LAW_SHEET,
    META_SHEET,
    NO,
    RANK_WORDS,
    ROLE_COLUMNS,
    ROLE_SHEET,
    STATUS_WORDS,
    YES,
    Column,
)
from zhidu.views import make_stamp

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: Bumped when the recorded export changes shape; merge refuses a record it does not know.
FORMAT = "zhidu-sheet/1"
#: The fixed time written into the package (the earliest a zip entry can carry).
_EPOCH = (1980, 1, 1, 0, 0, 0)
_FONT = "宋体"

GUIDE_LINES = (
    "安全生产责任清单填写说明",
    "",
    "1. 本工作簿用于整理安全生产责任清单；填好后运行 zhidu new --from 本文件.xlsx -o policy/制度标识/ 生成制度源文件。",
    "2. “基本信息”表：填写制度标题、发文机关、发文字号（如 东公政发〔2024〕27号）、成文日期（如 2024-06-03）和版本号。",
    "3. “责任清单”表：每行一项职责。“章节”相同的行归入同一条（如 一、党工委书记的安全生产职责），编号由工具自动生成，不必填写“编码”。",
    "4. “岗位”列填写岗位名称，多个岗位用顿号“、”分隔；名称须与“岗位”表一致（可从下拉列表选择）。",
    "5. “频次”列写原文表述，如 每月至少1次、每季度、年度、重大节日、重要时期、发生事故时；不定期的职责留空。",
    "6. “履职记录”“依据”每行一项（单元格内换行，或用分号“；”分隔）；依据写法如 《中华人民共和国安全生产法》第九条。",
    "7. “纳入检查表”填 是 或 否；“考核”“追责”可留空。",
    "8. “岗位”表列出全部岗位及其类别（领导、部门、社区、网格员、议事机构、其他）；“法规”表列出依据的法律法规。",
    "9. “社区”表列出社区、负责人、安全干事及网格员（网格员写作 姓名（网格），用顿号分隔）。",
    "10. 请勿合并单元格、勿使用公式、勿插入其他工作表；列的顺序可以调整，但请保留表头名称。",
)


def build_workbook(policy: Policy | None, source: str = "") -> bytes:
    """The workbook of one version (`source`: the version folder, recorded for merge); None gives the template."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    if policy is None:
        first.title = GUIDE_SHEET
        _guide(first)
        _info(wb.create_sheet(INFO_SHEET), None)
        _duties(wb.create_sheet(DUTY_SHEET), None, [])
        _roles(wb.create_sheet(ROLE_SHEET), None)
        _laws(wb.create_sheet(LAW_SHEET), None)
        _communities(wb.create_sheet(COMMUNITY_SHEET), None)
        wb.active = 1
    else:
        first.title = DUTY_SHEET
        rows = [_row_values(c) for c in duty_cells(policy)]
        _duties(first, policy, rows)
        _roles(wb.create_sheet(ROLE_SHEET), policy)
        _laws(wb.create_sheet(LAW_SHEET), policy)
        _communities(wb.create_sheet(COMMUNITY_SHEET), policy)
        _info(wb.create_sheet(INFO_SHEET), policy)
        _meta(wb.create_sheet(META_SHEET), policy, source, rows)
    return _save(wb)


def _row_values(c: Any) -> list[str]:
    return [getattr(c, col.key) for col in DUTY_COLUMNS]


# --------------------------------------------------------------------------------------------- sheets


def _table(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    """Header, rows, widths, wrap, frozen header, hidden id column, header repeated on every printed page."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name=_FONT, bold=True, size=11)
    body_font = Font(name=_FONT, size=10)
    fill = PatternFill("solid", fgColor="D9D9D9")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.header)
        cell.font, cell.fill, cell.alignment, cell.border = head_font, fill, centre, border
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = _fitted(col, rows, j - 1)
        dim.hidden = col.hidden
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values, start=1):
            body: Any = ws.cell(row=i, column=j, value=v if v != "" else None)
            if isinstance(v, str) and v.startswith("="):
                body.data_type = "s"  # text that looks like a formula stays text
            body.font, body.alignment, body.border = body_font, wrap, border
    widths = [_fitted(col, rows, j) for j, col in enumerate(columns)]
    for i, values in enumerate(rows, start=2):
        # LibreOffice and WPS do not grow rows to wrapped text on opening: give each row its height.
        lines = max(
            (
                _lines(str(v or ""), w)
                for v, w, c in zip(values, widths, columns, strict=False)
                if not c.hidden
            ),
            default=1,
        )
        ws.row_dimensions[i].height = 14.5 * max(lines, 1) + 3
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    setup: Any = ws.sheet_properties.pageSetUpPr
    setup.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75


def _fitted(col: Column, rows: Sequence[Sequence[Any]], j: int) -> float:
    """A column as wide as its longest line (CJK counts double), between 6 and the column's own width."""
    if col.hidden:
        return col.width
    longest = _cells_width(col.header)
    for r in rows:
        v = r[j] if j < len(r) else ""
        longest = max(longest, max((_cells_width(x) for x in str(v or "").split("\n")), default=0))
    return float(min(max(longest + 2, 6), col.width))


def _lines(text: str, width: float) -> int:
    """Printed lines of a wrapped cell `width` characters wide (CJK counts double)."""
    room = max(width - 1.5, 1)
    # A 10-point CJK glyph is about 1.8 character units wide (the width of "0" in the sheet's default font).
    return sum(max(1, math.ceil(_cells_width(line) * 0.9 / room)) for line in text.split("\n"))


def _cells_width(text: str) -> float:
    """Width in the sheet's character units (the width of "0"): a 字 is two."""
    return 2 * cjk_width(text)


def _validate(ws: Worksheet, column: int, formula: str, strict: bool, prompt: str, rows: int) -> None:
    """A drop-down on one column; `strict` refuses other values, otherwise the list only suggests."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = strict
    dv.errorTitle = "输入无效"
    dv.error = prompt
    dv.promptTitle = "填写提示"
    dv.prompt = prompt
    dv.showInputMessage = True
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{max(rows, 2) + 200}")
    ws.add_data_validation(dv)


def _duties(ws: Worksheet, policy: Policy | None, rows: list[list[str]]) -> None:
    _table(ws, DUTY_COLUMNS, rows)
    keys = [c.key for c in DUTY_COLUMNS]
    n_roles = max(len(policy.roles) if policy else 0, 1) + 1
    _validate(
        ws,
        keys.index("owners") + 1,
        f"'{ROLE_SHEET}'!$A$2:$A${n_roles + 50}",
        False,
        "从岗位表选择；多个岗位用顿号“、”分隔",
        len(rows) + 1,
    )
    _validate(
        ws,
        keys.index("frequency") + 1,
        '"' + ",".join(FREQUENCY_CHOICES) + '"',
        False,
        "选择或填写原文表述，如 每月至少1次；不定期留空",
        len(rows) + 1,
    )
    _validate(ws, keys.index("checklist") + 1, f'"{YES},{NO}"', True, "填 是 或 否", len(rows) + 1)
    head: Any = ws.oddHeader
    foot: Any = ws.oddFooter
    foot.right.text = "第 &P 页，共 &N 页"
    foot.right.size = 9
    if policy is not None:
        # The version stamp on every printed page, as the docx list carries it ("&" is a code in headers).
        head.center.text = f"{policy.regulation.title}　安全生产责任清单".replace("&", "&&")
        foot.left.text = make_stamp(policy).line.replace("&", "&&")
        head.center.size = foot.left.size = 9


def _roles(ws: Worksheet, policy: Policy | None) -> None:
    rows: list[list[Any]] = []
    if policy is not None:
        names = {r.id: r.name for r in policy.roles}
        for r in policy.roles:
            rows.append(
                [
                    r.name,
                    KIND_WORDS[r.kind],
                    r.level or "",
                    names.get(r.parent, r.parent) if r.parent else "",
                    yes_no(r.per_community),
                    r.note or "",
                    r.id,
                ]
            )
    _table(ws, ROLE_COLUMNS, rows)
    _validate(ws, 2, '"' + ",".join(KIND_WORDS.values()) + '"', True, "选择岗位类别", len(rows) + 1)
    _validate(ws, 5, f'"{YES},{NO}"', True, "填 是 或 否", len(rows) + 1)


def _laws(ws: Worksheet, policy: Policy | None) -> None:
    rows: list[list[Any]] = []
    if policy is not None:
        rows = [[x.name, RANK_WORDS[x.rank], OWNER_SEP.join(x.short), x.id] for x in policy.laws]
    _table(ws, LAW_COLUMNS, rows)
    _validate(ws, 2, '"' + ",".join(RANK_WORDS.values()) + '"', True, "选择位阶", len(rows) + 1)


def _communities(ws: Worksheet, policy: Policy | None) -> None:
    rows: list[list[Any]] = []
    if policy is not None and policy.parties is not None:
        for c in policy.parties.communities:
            workers = OWNER_SEP.join(g.name + (f"（{g.grid}）" if g.grid else "") for g in c.grid_workers)
            rows.append([c.name, c.leader or "", c.safety_officer or "", workers, c.id])
    _table(ws, COMMUNITY_COLUMNS, rows)


def _info(ws: Worksheet, policy: Policy | None) -> None:
    values: dict[str, str] = {}
    if policy is not None:
        reg = policy.regulation
        values = {
            "work": reg.work,
            "title": reg.title,
            "version": reg.version.id,
            "status": STATUS_WORDS[reg.version.status],
        }
        if policy.notice is not None:
            n = policy.notice
            values |= {
                "organ": n.organ,
                "doc_no": str(n.doc_no),
                "notice_title": n.title_text,
                "addressees": n.addressees or "",
                # Already YYYY-MM-DD, or a placeholder (【待定】) shown as written.
                "date": n.date,
            }
    _table(ws, INFO_COLUMNS, [[label, values.get(key, "")] for key, label in INFO_ITEMS])


def _guide(ws: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 110
    for i, line in enumerate(GUIDE_LINES, start=1):
        cell = ws.cell(row=i, column=1, value=line or None)
        cell.font = Font(name=_FONT, size=14 if i == 1 else 11, bold=i == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _meta(ws: Worksheet, policy: Policy, source: str, rows: list[list[str]]) -> None:
    """What was exported, row by row: the base a merge compares both the sheet and the YAML against."""
    ws.sheet_state = "veryHidden"
    reg = policy.regulation
    head = [
        ["format", FORMAT],
        ["source", source],
        ["work", reg.work],
        ["version", reg.version.id],
        ["code", make_stamp(policy).code],
        ["issued", cn_date(reg.version.issued)],
    ]
    for i, kv in enumerate(head, start=1):
        for j, v in enumerate(kv, start=1):
            ws.cell(row=i, column=j, value=v)
    start = len(head) + 2
    for j, col in enumerate(DUTY_COLUMNS, start=1):
        ws.cell(row=start, column=j, value=col.key)
    for i, values in enumerate(rows, start=start + 1):
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=v if v != "" else None)
            if v.startswith("="):
                cell.data_type = "s"


# ---------------------------------------------------------------------------------------------- bytes


def _save(wb: Workbook) -> bytes:
    import datetime as dt

    fixed = dt.datetime(*_EPOCH)
    wb.properties.creator = "zhidu"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_times(buf.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same package with every entry dated _EPOCH and the core properties' save time fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>1980-01-01T00:00:00Z\g<2>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


__all__ = ["FORMAT", "LINE", "build_workbook"]
