"""A workbook → typed rows, every problem located by sheet, row and column (`book.xlsx:责任清单:5:3`).

Headers are matched by name (and the other names offices use), never by position; blank rows are skipped;
numbers, dates and full-width spaces are normalised by `cells.clean`. Formulas and merged cells in the data
are refused: their values cannot be attributed to one row. .xls, .et and .ods are converted by LibreOffice
first. Reading is the loader's job for workbooks: nothing here writes anything but a temporary conversion.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.diagnostics import Report
from zhidu.location import Location
from zhidu.render.xlsx.cells import clean
from zhidu.render.xlsx.columns import (
    COMMUNITY_COLUMNS,
    COMMUNITY_SHEET,
    DUTY_COLUMNS,
    DUTY_SHEET,
    INFO_COLUMNS,
    INFO_ITEMS,
    INFO_SHEET,
    KNOWN_SHEETS,
    LAW_COLUMNS,
    LAW_SHEET,
    META_SHEET,
    ROLE_COLUMNS,
    ROLE_SHEET,
    Column,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Formats LibreOffice converts to .xlsx before reading (WPS 表格 saves .et).
CONVERTED = (".xls", ".et", ".ods", ".ett", ".xlt")
READABLE = (".xlsx", ".xlsm")
#: Rows searched for the header (a title row above it is common in hand-made lists).
HEADER_SEARCH = 6
_NOISE = re.compile(r"[\s\u3000*＊]|（[^）]*）$|\([^)]*\)$")


def sheet_loc(book: str, sheet: str, row: int = 0, col: int = 0) -> Location:
    """Where a cell is: the workbook, the sheet, then row and column as line and column."""
    return Location(f"{book}:{sheet}", row, col) if row else Location(f"{book}:{sheet}")


def cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


@dataclass(frozen=True)
class SheetRow:
    """One data row: its cleaned texts by column key and the column number of each key."""

    book: str
    sheet: str
    row: int
    values: dict[str, str]
    cols: dict[str, int]
    #: Each column's header as the workbook writes it (messages name columns the clerk's way).
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def loc(self, key: str | None = None) -> Location:
        """The row's cell for `key` (the row itself when the column is missing)."""
        col = self.cols.get(key, 0) if key else 0
        return sheet_loc(self.book, self.sheet, self.row, col or 1)

    def where(self, key: str, header: str) -> str:
        """“岗位”列（C5）: how a message names a cell."""
        col = self.cols.get(key)
        shown = self.headers.get(key, header)
        return f"“{shown}”列（{cell_name(self.row, col)}）" if col else f"第{self.row}行"


@dataclass
class Table:
    """A sheet read as a table."""

    name: str
    rows: list[SheetRow]
    #: Column keys present, with the header as written.
    headers: dict[str, str]


@dataclass
class Book:
    """Everything read from a workbook."""

    path: str
    duties: Table | None = None
    roles: Table | None = None
    laws: Table | None = None
    communities: Table | None = None
    info: dict[str, tuple[str, Location]] = field(default_factory=dict)
    #: The export record (format, source, work, version, code) and the exported rows by duty id.
    meta: dict[str, str] = field(default_factory=dict)
    base: dict[str, dict[str, str]] = field(default_factory=dict)
    #: A message to show when the file was converted first.
    converted_from: str = ""


def _header_key(text: str) -> str:
    return _NOISE.sub("", text)


def _convert(path: Path, tmp: Path, report: Report, shown: str) -> Path | None:
    """An .xls/.et/.ods copy converted to .xlsx by LibreOffice (private profile), or None with an error."""
    from zhidu.render.pdf import soffice, soffice_env

    exe = soffice()
    if exe is None:
        report.error(
            "X301", f"无法读取 {path.suffix} 文件：未安装 LibreOffice；请另存为 .xlsx 后重试", Location(shown)
        )
        return None
    src = tmp / ("in" + path.suffix.lower())
    src.write_bytes(path.read_bytes())
    profile = tmp / "profile"
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(tmp / "out"),
        str(src),
    ]
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(cmd, env=soffice_env(), capture_output=True, timeout=300, check=False)
    out = tmp / "out" / "in.xlsx"
    if not out.is_file():
        report.error(
            "X301",
            f"LibreOffice 未能把 {path.name} 转换为 .xlsx；请在表格软件中另存为 .xlsx 后重试",
            Location(shown),
        )
        return None
    return out


def read_book(path: Path, report: Report, shown: str | None = None) -> Book | None:
    """Read a workbook; None when it cannot be read at all (the reason is in `report`)."""
    shown = shown or path.as_posix()
    if not path.is_file():
        report.error("X300", "文件不存在", Location(shown))
        return None
    suffix = path.suffix.lower()
    with tempfile.TemporaryDirectory(prefix="zhidu-sheet-") as tmp:
        note = ""
        target = path
        if suffix in CONVERTED:
            converted = _convert(path, Path(tmp), report, shown)
            if converted is None:
                return None
            target = converted
            note = f"已用 LibreOffice 把 {path.name} 转换为 .xlsx 后读取"
        elif suffix not in READABLE:
            report.error(
                "X301",
                f"不支持的文件类型“{path.suffix}”：请使用 .xlsx（或 .xls、.et、.ods）",
                Location(shown),
            )
            return None
        wb = _open(target, report, shown)
        if wb is None:
            return None
        book = Book(shown, converted_from=note)
        _read_sheets(wb, book, report)
        return book


def _open(path: Path, report: Report, shown: str) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from zhidu.docxzip import check_container
    from zhidu.errors import ImportFailure

    if not zipfile.is_zipfile(path):
        report.error("X301", "无法读取工作簿（文件已损坏或不是 .xlsx）", Location(shown))
        return None
    try:
        # The zip directory is checked first: openpyxl would inflate a zip bomb whole.
        check_container(path, ImportFailure, kind="工作簿", main_part="xl/workbook.xml")
    except ImportFailure as e:
        report.error("X301", str(e), Location(shown))
        return None
    try:
        return load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as e:
        report.error("X301", f"无法读取工作簿（文件已损坏或不是 .xlsx）：{type(e).__name__}", Location(shown))
        return None


def _read_sheets(wb: Any, book: Book, report: Report) -> None:
    by_name = {re.sub(r"\s", "", ws.title): ws for ws in wb.worksheets}
    used: set[str] = set()

    def take(name: str, columns: Sequence[Column], required: tuple[str, ...]) -> Table | None:
        ws = by_name.get(name)
        if ws is None:
            return None
        used.add(ws.title)
        return read_table(ws, book.path, columns, required, report)

    book.duties = take(DUTY_SHEET, DUTY_COLUMNS, ("text",))
    if book.duties is None:
        # A hand-made list often lives on "Sheet1": take the first sheet whose header names a duty column.
        for ws in wb.worksheets:
            if ws.sheet_state != "visible" or ws.title in used or ws.title in KNOWN_SHEETS:
                continue
            if _find_header(ws, DUTY_COLUMNS, need=2) is not None:
                used.add(ws.title)
                report.info(
                    "X320",
                    f"未找到“{DUTY_SHEET}”工作表，按表头识别“{ws.title}”为责任清单",
                    sheet_loc(book.path, ws.title),
                )
                book.duties = read_table(ws, book.path, DUTY_COLUMNS, ("text",), report)
                break
    book.roles = take(ROLE_SHEET, ROLE_COLUMNS, ("name",))
    book.laws = take(LAW_SHEET, LAW_COLUMNS, ("name",))
    book.communities = take(COMMUNITY_SHEET, COMMUNITY_COLUMNS, ("name",))
    info = take(INFO_SHEET, INFO_COLUMNS, ("item", "value"))
    if info is not None:
        labels = {label: key for key, label in INFO_ITEMS}
        for r in info.rows:
            key = labels.get(re.sub(r"[\s\u3000]", "", r.get("item")))
            if key:
                book.info[key] = (r.get("value"), r.loc("value"))
    meta = by_name.get(META_SHEET)
    if meta is not None:
        used.add(meta.title)
        _read_meta(meta, book)
    guide = by_name.get("填写说明")
    if guide is not None:
        used.add(guide.title)
    for ws in wb.worksheets:
        if ws.title not in used and ws.title not in KNOWN_SHEETS and _has_values(ws):
            report.warning(
                "X321",
                f"多余的工作表“{ws.title}”已忽略（只读取 {'、'.join(KNOWN_SHEETS[:-1])}）",
                sheet_loc(book.path, ws.title),
            )


def _has_values(ws: Worksheet) -> bool:
    return any(v is not None for row in ws.iter_rows(values_only=True) for v in row)


def _find_header(ws: Worksheet, columns: Sequence[Column], need: int) -> tuple[int, dict[int, str]] | None:
    names = {_header_key(n): c.key for c in columns for n in c.names}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH, values_only=True), start=1):
        found = {
            j: names[_header_key(clean(v))]
            for j, v in enumerate(row, start=1)
            if _header_key(clean(v)) in names
        }
        if len(set(found.values())) >= need:
            return r, found
    return None


def read_table(
    ws: Worksheet, book: str, columns: Sequence[Column], required: tuple[str, ...], report: Report
) -> Table:
    """One sheet as rows keyed by column; all problems of the sheet reported at once."""
    sheet = ws.title
    found = _find_header(ws, columns, need=min(2, len(columns)))
    if found is None:
        wanted = "、".join(c.header for c in columns if not c.hidden)
        report.error(
            "X302", f"找不到表头行（前 {HEADER_SEARCH} 行中应有列名：{wanted}）", sheet_loc(book, sheet, 1, 1)
        )
        return Table(sheet, [], {})
    header_row, keys = found
    header_cells = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    cols: dict[str, int] = {}
    headers: dict[str, str] = {}
    for j, v in enumerate(header_cells, start=1):
        text = clean(v)
        if j in keys:
            key = keys[j]
            if key in cols:
                report.error(
                    "X303",
                    f"列名“{text}”重复（与第 {cell_name(header_row, cols[key])} 列同义）",
                    sheet_loc(book, sheet, header_row, j),
                )
                continue
            cols[key], headers[key] = j, text
        elif text:
            report.warning("X304", f"未识别的列“{text}”已忽略", sheet_loc(book, sheet, header_row, j))
    by_key = {c.key: c for c in columns}
    for key in required:
        if key not in cols:
            names = "、".join(by_key[key].names)
            report.error(
                "X305",
                f"缺少“{by_key[key].header}”列（可用列名：{names}）",
                sheet_loc(book, sheet, header_row, 1),
            )
    for rng in ws.merged_cells.ranges:
        if rng.max_row > header_row:
            report.error(
                "X306",
                f"数据区有合并单元格 {rng.coord}：请取消合并，并在每一行填写完整内容",
                sheet_loc(book, sheet, rng.min_row, rng.min_col),
            )
    rows: list[SheetRow] = []
    wanted_cols = {j: key for key, j in cols.items()}
    for cells in ws.iter_rows(min_row=header_row + 1):
        values: dict[str, str] = {}
        r = 0
        for cell in cells:
            ckey = wanted_cols.get(cell.column or 0)
            if ckey is None or cell.value is None:
                continue
            r = cell.row
            if cell.data_type == "f" or not isinstance(cell.value, (str, int, float, bool, *_dates())):
                report.error(
                    "X307",
                    f"“{headers[ckey]}”列（{cell.coordinate}）是公式：请改为直接填写内容（复制后“选择性粘贴 → 数值”）",
                    sheet_loc(book, sheet, cell.row, cell.column),
                )
                continue
            text = clean(cell.value)
            if text:
                values[ckey] = text
        if values:
            rows.append(SheetRow(book, sheet, r, values, cols, headers))
    return Table(sheet, rows, headers)


def _dates() -> tuple[type, ...]:
    import datetime as dt

    return (dt.date, dt.datetime, dt.time)


def _read_meta(ws: Worksheet, book: Book) -> None:
    from zhidu.render.xlsx.columns import DUTY_COLUMNS as cols

    keys = [c.key for c in cols]
    in_rows = False
    for row in ws.iter_rows(values_only=True):
        vals = [clean(v) for v in row]
        if not in_rows:
            if vals[: len(keys)] == keys:
                in_rows = True
            elif len(vals) >= 2 and vals[0]:
                book.meta[vals[0]] = vals[1]
            continue
        rec = dict(zip(keys, vals + [""] * (len(keys) - len(vals)), strict=False))
        if rec.get("id"):
            book.base[rec["id"]] = rec
