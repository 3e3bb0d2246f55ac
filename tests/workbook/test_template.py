"""The template: drop-down lists for every closed vocabulary, taken from the core; formats set on
the columns; bilingual headers; examples that are never imported; the committed copies in
``examples/workbook/`` are what the generator writes."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_adapters.cli.main import main
from dautu_adapters.workbook.examples import (
    SAMPLE_NAME,
    TEMPLATE_NAME,
    template_bytes,
    write_examples,
)
from dautu_adapters.workbook.schema import (
    COLUMNS,
    EVENT_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PROJECT_SHEET,
    SHEETS,
)
from dautu_adapters.workbook.writing import DATA_START_ROW
from dautu_core.vocab import Labelled

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workbook"


@functools.cache
def _template() -> bytes:
    return template_bytes()


def _book() -> Any:
    return openpyxl.load_workbook(io.BytesIO(_template()))


def _list_values(book: Any, formula: str) -> list[str]:
    sheet, _, cells = formula.partition("!")
    assert sheet.strip("'") == LISTS_SHEET
    start, _, end = cells.replace("$", "").partition(":")
    ws = book[LISTS_SHEET]
    return [row[0].value for row in ws[start:end]]


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_every_closed_vocabulary_column_has_its_drop_down(sheet: str) -> None:
    book = _book()
    ws = book[sheet]
    validations = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            validations[cell_range.min_col] = (validation, cell_range)
    for position, key in enumerate(SHEETS[sheet], start=1):
        column = COLUMNS[key]
        if column.key == "location_now":
            continue
        if column.vocabulary is not None:
            validation, cell_range = validations[position]
            expected = [m.label_vi for m in column.vocabulary if isinstance(m, Labelled)]
            assert _list_values(book, validation.formula1) == expected
            assert cell_range.min_row == DATA_START_ROW
        elif column.kind == "event_kind":
            validation, _ = validations[position]
            assert _list_values(book, validation.formula1) == [v for v, _ in EVENT_LABELS.values()]
        elif column.kind == "bool":
            validation, _ = validations[position]
            assert _list_values(book, validation.formula1) == ["Có", "Không"]
        else:
            assert position not in validations


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_headers_in_vietnamese_then_english_and_formats_on_the_columns(sheet: str) -> None:
    ws = _book()[sheet]
    keys = SHEETS[sheet]
    vi = [str(c.value).removesuffix(" *") for c in ws[2]][: len(keys)]
    en = [c.value for c in ws[3]][: len(keys)]
    assert vi == [COLUMNS[k].vi for k in keys]
    assert en == [COLUMNS[k].en for k in keys]
    for position, key in enumerate(keys, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        number_format = ws.column_dimensions[letter].number_format
        kind = COLUMNS[key].kind
        assert number_format == {"date": "DD/MM/YYYY", "int": "0"}.get(kind, "@"), key


def test_instructions_and_examples_are_there_but_never_on_the_data_sheets() -> None:
    book = _book()
    assert book.sheetnames[0] == INSTRUCTIONS_SHEET
    assert f"Ví dụ - {PROJECT_SHEET}" in book.sheetnames
    assert book[f"Ví dụ - {EVENT_SHEET}"].max_row >= DATA_START_ROW + 2
    for sheet in SHEETS:
        assert book[sheet].max_row == DATA_START_ROW - 1  # headers only: nothing to import
    text = " ".join(str(c.value) for row in book[INSTRUCTIONS_SHEET].iter_rows() for c in row)
    assert "dd/mm/yyyy" in text and "Dates" in text


def test_the_template_command_writes_xlsx_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "--out", str(tmp_path / "mau.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "mau.xlsx").sheetnames == _book().sheetnames
    assert main(["template", "--out", str(tmp_path / "mau.csv")]) == 0
    events = (tmp_path / "mau-su-kien.csv").read_bytes()
    assert events.startswith(b"\xef\xbb\xbf") and "Loại sự kiện".encode() in events
    assert (tmp_path / "mau-du-an.csv").exists()
    capsys.readouterr()


def _cells(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [[c.value for c in row] for row in ws.iter_rows()],
            sorted((v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation),
        )
        for ws in book.worksheets
    }


def test_the_committed_examples_are_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_examples(tmp_path)
    for path in written:
        committed = EXAMPLES / path.name
        assert committed.exists(), f"run: python examples/make_workbooks.py ({path.name})"
        if path.suffix == ".csv":
            assert committed.read_bytes() == path.read_bytes()
        else:
            assert _cells(committed) == _cells(path), "run: python examples/make_workbooks.py"
    assert {p.name for p in written} >= {TEMPLATE_NAME, SAMPLE_NAME}
