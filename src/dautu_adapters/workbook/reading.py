"""Reading the department's files safely: ``.xlsx`` streamed, ``.csv`` in UTF-8, nothing else.

Why the checks before opening: a workbook is a zip archive, and a small file can declare
gigabytes of XML inside (a "zip bomb"). The sizes every member declares are read from the
archive's directory and summed *before* anything is expanded; Python's :mod:`zipfile` then
refuses to inflate a member past its declared size, so a lying directory cannot get round the
limit. A workbook with macros (``.xlsm``, or a ``vbaProject.bin`` inside) is refused: the record
must not depend on code hidden in a spreadsheet.

The header row is found by its names (Vietnamese or English, see
:mod:`~dautu_adapters.workbook.schema`), so title rows and merged cells above it do no harm,
and the English header line under it is skipped. Blank rows are skipped; row numbers are those
Excel shows.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from dautu_adapters._fenced.openpyxl_inline_text import plain_inline_strings
from dautu_adapters.exporters.cells import restore
from dautu_adapters.workbook.schema import (
    COLUMNS,
    EVENT_SHEET,
    EXPORT_ONLY,
    PROJECT_SHEET,
    SHEETS,
    header_key,
)
from dautu_core.errors import InvalidValue

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "Sheet",
    "SourceRow",
    "UncachedFormula",
    "open_sources",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A file of 50 MiB or more is refused unread (a department's list of a few thousand projects
is a few megabytes; the benchmark's 60,000 rows make about 5 MiB)."""
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
"""What the members of an ``.xlsx`` may declare in total, uncompressed."""
MAX_RATIO = 200
"""A member larger than 1 MiB may not declare more than 200 times its compressed size (real
sheets compress 5-20 times)."""
HEADER_SEARCH_ROWS = 30
"""How many rows at the top of a sheet are searched for the header row."""

_SHEET_NAMES = {
    header_key(PROJECT_SHEET): PROJECT_SHEET,
    header_key("Projects"): PROJECT_SHEET,
    header_key(EVENT_SHEET): EVENT_SHEET,
    header_key("Events"): EVENT_SHEET,
}


@attrs.frozen
class UncachedFormula:
    """A formula cell whose workbook holds no computed value (it was never opened and saved in
    Excel): there is nothing to read, and guessing would be wrong, so the cell is refused."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@attrs.frozen
class SourceRow:
    """One non-blank row: where it is, and its raw cells by column key."""

    sheet: str
    row: int
    cells: Mapping[str, Any]


@attrs.frozen
class Sheet:
    """A sheet (or a CSV file standing for one) with its columns found and its rows."""

    name: str
    source: str
    columns: Mapping[int, str]
    ignored_headers: tuple[str, ...]
    rows: Sequence[SourceRow]
    total_rows: int


def _refuse(vi: str, en: str, rule_id: str, field: str = "file") -> InvalidValue:
    return InvalidValue(vi, en, field=field, rule_id=rule_id)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(
            f"không mở được tệp {path}: {exc.strerror}",
            f"cannot open the file {path}: {exc.strerror}",
            "file_open",
        ) from None
    if size >= MAX_FILE_BYTES:
        raise _refuse(
            f"tệp {path.name} nặng {size:,} byte, vượt giới hạn {MAX_FILE_BYTES:,} byte (50 MiB); "
            "hãy tách thành nhiều tệp",
            f"the file {path.name} is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes "
            "(50 MiB); split it into several files",
            "file_too_large",
        )


_FORMULA = re.compile(rb"<f[ >/]")


def _has_formulas(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a worksheet's XML holds a formula element, read in chunks (bounded memory)."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-3:]
    return False


def _check_archive(path: Path) -> bool:
    """Refuse a macro workbook or a zip bomb from the archive's directory, before expanding;
    say whether any worksheet holds formulas."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _refuse(
            f"tệp {path.name} không phải tệp Excel .xlsx hợp lệ (không đọc được)",
            f"{path.name} is not a valid Excel .xlsx file (it cannot be read)",
            "file_open",
        ) from None
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise _refuse(
            f"tệp {path.name} có chứa macro; hãy lưu lại dưới dạng .xlsx không macro",
            f"{path.name} contains macros; save it as a macro-free .xlsx workbook",
            "file_macros",
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            f"tệp {path.name} khai báo {total:,} byte khi giải nén, vượt giới hạn "
            f"{MAX_UNCOMPRESSED_BYTES:,} byte; tệp bị từ chối trước khi giải nén",
            f"{path.name} declares {total:,} bytes uncompressed, over the limit of "
            f"{MAX_UNCOMPRESSED_BYTES:,} bytes; it was refused before expanding",
            "file_zip_bomb",
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise _refuse(
                f"tệp {path.name}: phần {member.filename} nén bất thường ({member.file_size:,} "
                f"byte từ {member.compress_size:,} byte); tệp bị từ chối trước khi giải nén",
                f"{path.name}: member {member.filename} is abnormally compressed "
                f"({member.file_size:,} bytes from {member.compress_size:,}); refused before "
                "expanding",
                "file_zip_bomb",
            )
    with zipfile.ZipFile(path) as archive:
        return any(
            _has_formulas(archive, m)
            for m in members
            if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")
        )


def _with_formulas(
    values: Iterator[tuple[Any, ...]], formulas: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """Rows of cached values, with :class:`UncachedFormula` where a formula has no value."""
    for data, text in itertools.zip_longest(values, formulas, fillvalue=()):
        yield tuple(
            UncachedFormula(f) if v is None and isinstance(f, str) and f.startswith("=") else v
            for v, f in itertools.zip_longest(data, text)
        )


def _find_header(
    rows: Iterator[tuple[Any, ...]], sheet: str
) -> tuple[int, dict[int, str], tuple[str, ...], list[tuple[Any, ...]]]:
    """The header row's number, its columns (position -> key), the headers not understood,
    and rows read past it while looking."""
    vi = {header_key(c.vi): k for k, c in COLUMNS.items()}
    en = {header_key(c.en): k for k, c in COLUMNS.items()}
    both = {header_key(c.header): k for k, c in COLUMNS.items()}
    wanted = set(SHEETS[sheet])
    for number, values in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        found: dict[int, str] = {}
        unknown = []
        for position, value in enumerate(values):
            if value is None or str(value).strip() == "":
                continue
            key = header_key(value)
            column = vi.get(key) or both.get(key) or en.get(key)
            if column is not None and column in wanted and column not in found.values():
                found[position] = column
            else:
                unknown.append(str(value).strip())
        if "code" in found.values() and len(found) >= 2:
            return number, found, tuple(unknown), []
    raise _refuse(
        f"trang '{sheet}': không tìm thấy dòng tiêu đề (cần ít nhất cột 'Mã dự án') trong "
        f"{HEADER_SEARCH_ROWS} dòng đầu",
        f"sheet '{sheet}': no header row found (at least the 'Project code' column is needed) "
        f"in the first {HEADER_SEARCH_ROWS} rows",
        "header_missing",
        field="header",
    )


def _is_english_line(values: tuple[Any, ...], columns: Mapping[int, str]) -> bool:
    hits = sum(
        1
        for position, key in columns.items()
        if position < len(values)
        and values[position] is not None
        and header_key(values[position]) == header_key(COLUMNS[key].en)
    )
    return hits * 2 >= len(columns)


def _sheet_rows(name: str, source: str, rows: Iterator[tuple[Any, ...]], total: int) -> Sheet:
    header_row, columns, unknown, _ = _find_header(rows, name)
    missing = [k for k in ("code", "kind", "effective_date") if k in SHEETS[name]]
    missing = [k for k in missing if k not in columns.values()]
    if missing:
        names = ", ".join(f"'{COLUMNS[k].vi}'" for k in missing)
        names_en = ", ".join(f"'{COLUMNS[k].en}'" for k in missing)
        raise _refuse(
            f"trang '{name}' thiếu cột bắt buộc {names}",
            f"sheet '{name}' lacks the required column(s) {names_en}",
            "column_missing",
            field="header",
        )
    read = {p: k for p, k in columns.items() if k not in EXPORT_ONLY}
    out: list[SourceRow] = []
    # Equal cells share one object: a department's rows repeat the same authority, province,
    # kind and dates thousands of times, and the parsed commands keep what the rows hold. Keyed
    # by type too: True == 1 == 1.0, and a boolean cell must stay a boolean.
    same: dict[tuple[type, Any], Any] = {}
    number = header_row
    for values in rows:
        number += 1
        if number == header_row + 1 and _is_english_line(values, columns):
            continue
        cells = {}
        for position, key in read.items():
            if position < len(values):
                value = values[position]
                if isinstance(value, str):
                    # an export wrote formula-like text with one apostrophe in front
                    value = restore(value)
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    cells[key] = same.setdefault((type(value), value), value)
        if cells:
            out.append(SourceRow(name, number, cells))
    return Sheet(name, source, columns, unknown, out, total)


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        import openpyxl
    except ModuleNotFoundError:
        raise _refuse(
            "cần cài openpyxl để đọc tệp Excel: pip install 'dautu[excel]'",
            "openpyxl is needed to read Excel files: pip install 'dautu[excel]'",
            "excel_extra",
        ) from None
    formulas = _check_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        texts = openpyxl.load_workbook(path, read_only=True) if formulas else None
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _refuse(
            f"không mở được tệp Excel {path.name}: {type(exc).__name__}",
            f"cannot open the Excel file {path.name}: {type(exc).__name__}",
            "file_open",
        ) from None
    try:
        sheets = []
        with plain_inline_strings():  # openpyxl-written files: every text cell is inline
            for title in book.sheetnames:
                name = _SHEET_NAMES.get(header_key(title))
                if name is None:
                    continue
                worksheet = book[title]
                total = worksheet.max_row or 0
                rows = worksheet.iter_rows(values_only=True)
                if texts is not None:
                    rows = _with_formulas(rows, texts[title].iter_rows(values_only=True))
                sheets.append(_sheet_rows(name, path.name, rows, total))
    finally:
        book.close()
        if texts is not None:
            texts.close()
    if not sheets:
        raise _refuse(
            f"tệp {path.name} không có trang '{PROJECT_SHEET}' hay '{EVENT_SHEET}'",
            f"{path.name} has neither a '{PROJECT_SHEET}' (projects) nor an '{EVENT_SHEET}' "
            "(events) sheet",
            "sheet_missing",
        )
    return sheets


def _decode_csv(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(
            f"tệp {path.name} không phải UTF-8 (byte lạ ở vị trí {exc.start}); có vẻ được lưu "
            "bằng bảng mã cũ (Windows-1258, TCVN3 hoặc VNI). Trong Excel hãy chọn "
            "Lưu thành > 'CSV UTF-8' rồi nhập lại",
            f"{path.name} is not UTF-8 (unexpected byte at position {exc.start}); it seems "
            "saved in a legacy encoding (Windows-1258, TCVN3 or VNI). In Excel choose "
            "Save As > 'CSV UTF-8' and import again",
            "csv_encoding",
        ) from None


def _read_csv(path: Path) -> list[Sheet]:
    text = _decode_csv(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    heads = {header_key(v) for row in rows[:HEADER_SEARCH_ROWS] for v in row}
    kind = COLUMNS["kind"]
    name = (
        EVENT_SHEET
        if header_key(kind.vi) in heads
        or header_key(kind.header) in heads
        or header_key(kind.en) in heads
        else PROJECT_SHEET
    )
    tuples = iter([tuple(row) for row in rows])
    return [_sheet_rows(name, path.name, tuples, len(rows))]


def open_sources(paths: Sequence[Path]) -> list[Sheet]:
    """Every data sheet of the given files (``.xlsx`` or ``.csv``), checked and read.

    Raises :class:`~dautu_core.errors.InvalidValue` for a file that cannot be taken in at all.
    """
    sheets: list[Sheet] = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in (".xlsm", ".xltm", ".xlsb", ".xls"):
            raise _refuse(
                f"không nhận tệp {suffix} ({path.name}); hãy lưu thành Excel .xlsx không macro "
                "hoặc CSV UTF-8",
                f"{suffix} files are not accepted ({path.name}); save it as a macro-free .xlsx "
                "workbook or as CSV UTF-8",
                "file_type",
            )
        if suffix not in (".xlsx", ".csv"):
            raise _refuse(
                f"không nhận tệp {path.name}: chỉ nhận .xlsx hoặc .csv",
                f"{path.name} is not accepted: only .xlsx or .csv files",
                "file_type",
            )
        _check_size(path)
        sheets.extend(_read_xlsx(path) if suffix == ".xlsx" else _read_csv(path))
    return sheets
