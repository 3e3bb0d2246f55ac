"""Writing the workbook: the empty template, the store exported in it, the rejected rows.

Why one writer for the three: a department fills the template, gets its record back in the
same layout (``dautu export workbook``) and corrects rejected rows in the same layout too
(``dautu import --errors``), so whatever file an official holds can be imported again. Every
closed vocabulary is a drop-down (a data validation on a list kept in the ``Danh mục`` sheet),
dates are formatted ``dd/mm/yyyy`` and money, land and codes are text, so Excel cannot turn
``1.234`` into a decimal number behind the official's back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_adapters.exporters.cells import neutralise, protect_xlsx_cell
from dautu_adapters.workbook.schema import (
    COLUMNS,
    DECISION_KINDS,
    ERROR_HEADER,
    EXPORT_ONLY,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    Column,
)
from dautu_core.dates import format_vi_date
from dautu_core.errors import InvalidValue
from dautu_core.vocab import Labelled

__all__ = [
    "CSV_SUFFIXES",
    "DATA_START_ROW",
    "csv_paths",
    "workbook_bytes",
    "write_csv",
]

TITLE = ("Hồ sơ dự án đầu tư - mẫu nhập liệu dautu", "Investment project record - dautu template")
HEADER_ROW = 2
DATA_START_ROW = 4
"""Row 1: title; row 2: Vietnamese headers; row 3: English headers; data from row 4."""
VALIDATED_ROWS = 20_000
"""Rows that get the drop-down lists and formats in an empty template."""
CSV_SUFFIXES = {"Dự án": "du-an", "Sự kiện": "su-kien"}
_BOOL_LIST = ("Có", "Không")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ModuleNotFoundError:
        raise InvalidValue(
            "cần cài openpyxl để ghi tệp Excel: pip install 'dautu[excel]'",
            "openpyxl is needed to write Excel files: pip install 'dautu[excel]'",
            field="file",
            rule_id="excel_extra",
        ) from None
    return openpyxl


def _vocabulary_lists() -> dict[str, tuple[str, ...]]:
    """The drop-down lists by column kind/vocabulary name, in the core's order."""
    lists: dict[str, tuple[str, ...]] = {
        "event_kind": tuple(vi for vi, _en in EVENT_LABELS.values()),
        "bool": _BOOL_LIST,
    }
    for column in COLUMNS.values():
        if column.vocabulary is not None:
            lists[column.vocabulary.__name__] = tuple(_label(m) for m in column.vocabulary)
    return lists


def _label(member: StrEnum) -> str:
    return member.label_vi if isinstance(member, Labelled) else member.value


def _list_name(column: Column) -> str | None:
    if column.vocabulary is not None:
        return column.vocabulary.__name__
    if column.kind in ("event_kind", "bool"):
        return column.kind
    return None


def _required(sheet: str) -> set[str]:
    if sheet == "Sự kiện":
        return {"code", "kind", "effective_date"}
    return {
        "code", "project_name", "objectives", "investors", "province", "capital", "sector",
        "schedule", "authority", "regime", "effective_date", "legal_basis",
    }  # fmt: skip


def _instructions(ws: Any) -> None:
    from openpyxl.styles import Font

    lines = [
        (TITLE[0], True),
        (TITLE[1], False),
        ("", False),
        ("Cách điền / How to fill it in", True),
        (
            "• Trang 'Dự án': mỗi dự án một dòng, ghi theo quyết định chấp thuận (hoặc GCNĐKĐT).",
            False,
        ),
        ("  'Dự án' sheet: one row per project, as its approval decision states it.", False),
        (
            "• Trang 'Sự kiện': mỗi sự việc sau đó một dòng (hoàn thành mốc, chậm tiến độ, giãn tiến "
            "độ, vi phạm, xử phạt, khắc phục, điều chỉnh, ngừng, tiếp tục, chấm dứt, quyết định rà "
            "soát, đính chính), theo thứ tự thời gian.",
            False,
        ),
        ("  'Sự kiện' sheet: one row per later fact, in the order they happened.", False),
        (
            "• Cột có dấu * là bắt buộc. Với các quyết định và kết luận ("
            + ", ".join(EVENT_LABELS[k][0] for k in sorted(DECISION_KINDS))
            + ") phải ghi căn cứ pháp lý.",
            False,
        ),
        ("  Columns marked * are required; decisions and findings need their legal basis.", False),
        (
            "• Ngày: dd/mm/yyyy (21/02/2024). Tiền: đồng (1.234.567.890) hoặc 12,5 tỷ, 850 triệu. "
            "Diện tích: 12,5 ha hoặc 1.200 m². Số viết được hai cách hiểu (1,234 hay 1.234 tỷ) bị "
            "từ chối.",
            False,
        ),
        (
            "  Dates dd/mm/yyyy; money in đồng or with tỷ/triệu; land in ha or m²; a number that "
            "could be read two ways is refused.",
            False,
        ),
        ("• Nhiều mục trong một ô ngăn bằng ';', các phần của một mục ngăn bằng '|'.", False),
        ("  Several items in one cell: ';' between items, '|' between the parts of one.", False),
        ("• Địa danh ghi như tại thời điểm quyết định (trước 01/07/2025 còn cấp huyện).", False),
        (
            "  Places as named at the time of the decision (districts existed before 1 Jul 2025).",
            False,
        ),
        (
            "• Nhập: dautu import tep.xlsx --actor 'mã|họ tên|đơn vị' (thử trước: --dry-run). Có "
            "lỗi thì không ghi gì; --errors loi.xlsx ghi các dòng lỗi để sửa rồi nhập lại.",
            False,
        ),
        (
            "  Import with dautu import; any error means nothing is written; --errors writes the "
            "rejected rows back for fixing.",
            False,
        ),
        ("", False),
        ("Các cột / Columns", True),
    ]
    for text, bold in lines:
        ws.append([text])
        if bold:
            ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append(["Trang / Sheet", "Cột", "Column", "Cách ghi", "How to write it"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet, keys in SHEETS.items():
        for key in keys:
            column = COLUMNS[key]
            ws.append([sheet, column.vi, column.en, column.hint_vi, column.hint_en])
    ws.column_dimensions["A"].width = 14
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 40


def _data_sheet(
    ws: Any,
    sheet: str,
    rows: Sequence[Mapping[str, Any]],
    lists: Mapping[str, tuple[str, ...]],
    list_ranges: Mapping[str, str],
    errors: Sequence[str] | None,
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    keys = SHEETS[sheet]
    required = _required(sheet)
    width = len(keys) + (1 if errors is not None else 0)
    ws.append([f"{TITLE[0]} / {TITLE[1]}: {sheet}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(width, 8))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    vi_line = [COLUMNS[k].vi + (" *" if k in required else "") for k in keys]
    en_line = [COLUMNS[k].en for k in keys]
    if errors is not None:
        vi_line.append(ERROR_HEADER[0])
        en_line.append(ERROR_HEADER[1])
    ws.append(vi_line)
    ws.append(en_line)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for position, key in enumerate(keys, start=1):
        column = COLUMNS[key]
        head = ws.cell(HEADER_ROW, position)
        head.font = Font(bold=True)
        head.fill = fill
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(HEADER_ROW + 1, position).font = Font(italic=True, color="595959")
        if column.hint_vi:
            head.comment = Comment(f"{column.hint_vi}\n{column.hint_en}", "dautu")
        ws.column_dimensions[get_column_letter(position)].width = column.width
    if errors is not None:
        ws.cell(HEADER_ROW, width).font = Font(bold=True, color="C00000")
        ws.column_dimensions[get_column_letter(width)].width = 60
    ws.freeze_panes = f"B{DATA_START_ROW}"  # a string: ws.cell() would create row 4
    formats = [_number_format(COLUMNS[k]) for k in keys]
    messages: Sequence[str | None] = errors if errors is not None else [None] * len(rows)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # the row number is counted here: ``ws.max_row`` scans every cell, which made writing
    # quadratic in the number of rows (50,000 rows took many minutes)
    for row, (values, error) in enumerate(zip(rows, messages, strict=True), start=DATA_START_ROW):
        line = [_writable(values.get(k), ILLEGAL_CHARACTERS_RE) for k in keys]
        if errors is not None:
            line.append(error)
        ws.append(line)
        for position, value in enumerate(line[: len(keys)], start=1):
            if value is not None:
                cell = ws.cell(row, position)
                cell.number_format = (
                    "DD/MM/YYYY" if isinstance(value, date) else formats[position - 1]
                )
                protect_xlsx_cell(cell)
        if errors is not None and isinstance(error, str):
            protect_xlsx_cell(ws.cell(row, len(keys) + 1))
    last = max(DATA_START_ROW + len(rows) - 1, DATA_START_ROW + VALIDATED_ROWS)
    for position, key in enumerate(keys, start=1):
        column = COLUMNS[key]
        letter = get_column_letter(position)
        name = _list_name(column)
        if name is not None and key not in EXPORT_ONLY:
            validation = DataValidation(
                type="list", formula1=list_ranges[name], allow_blank=True, showErrorMessage=True
            )
            validation.error = "Chọn một giá trị trong danh sách / pick a value from the list"
            validation.add(f"{letter}{DATA_START_ROW}:{letter}{last}")
            ws.add_data_validation(validation)
        ws.column_dimensions[letter].number_format = formats[position - 1]


def _writable(value: Any, illegal: Any) -> Any:
    """A rejected CSV row may hold control characters a workbook cannot: they are shown as
    the replacement character, so the row can still be written back for fixing."""
    if isinstance(value, str):
        return illegal.sub("\ufffd", value)
    return value


def _number_format(column: Column) -> str:
    """Dates as dd/mm/yyyy; whole numbers as numbers; everything else as text, so that Excel
    keeps ``1.234.567.890`` and codes such as ``0101234567`` exactly as typed."""
    if column.kind == "date":
        return "DD/MM/YYYY"
    if column.kind == "int":
        return "0"
    return "@"


def workbook_bytes(
    data: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    examples: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """An ``.xlsx`` in the template's layout with ``data`` rows (column key -> value) on the
    data sheets, ``examples`` on sheets of their own (never imported) and, for the error
    workbook, one error text per row in a last column."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions)
    lists = _vocabulary_lists()
    lists_ws = book.create_sheet(LISTS_SHEET)
    list_ranges = {}
    from openpyxl.utils import get_column_letter, quote_sheetname

    for position, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        lists_ws.cell(1, position, name)
        for row, value in enumerate(values, start=2):
            lists_ws.cell(row, position, value)
        list_ranges[name] = (
            f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        )
        lists_ws.column_dimensions[letter].width = 30
    for sheet in SHEETS:
        ws = book.create_sheet(sheet, index=len(book.sheetnames) - 1)
        sheet_errors = None if errors is None else errors.get(sheet, [])
        _data_sheet(ws, sheet, data.get(sheet, []), lists, list_ranges, sheet_errors)
    for sheet, rows in (examples or {}).items():
        ws = book.create_sheet(f"Ví dụ - {sheet}")
        _data_sheet(ws, sheet, rows, lists, list_ranges, None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_paths(out: Path) -> dict[str, Path]:
    """The CSV form of a workbook: one file per data sheet, named after ``out``."""
    stem = out.with_suffix("")
    return {sheet: stem.with_name(f"{stem.name}-{suffix}.csv") for sheet, suffix in
            CSV_SUFFIXES.items()}  # fmt: skip


def _csv_cell(value: Any) -> str:
    """A value as CSV text; formula-like text neutralised (:mod:`dautu_adapters.exporters.cells`;
    the import restores it)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return format_vi_date(value)
    return neutralise(str(value))


def write_csv(out: Path, data: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Path]:
    """Write the CSV form (UTF-8 with BOM, so Excel shows Vietnamese correctly): per sheet a
    Vietnamese header line, an English one, then the rows."""
    written = []
    for sheet, path in csv_paths(out).items():
        keys = SHEETS[sheet]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([COLUMNS[k].vi for k in keys])
        writer.writerow([COLUMNS[k].en for k in keys])
        for row in data.get(sheet, []):
            writer.writerow([_csv_cell(row.get(k)) for k in keys])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
        written.append(path)
    return written
