"""Helpers for the workbook tests: sample rows, files written from them, the CLI in-process."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from dautu_adapters.cli.main import main
from dautu_adapters.stores import open_store
from dautu_adapters.workbook.examples import EXAMPLE_ROWS
from dautu_adapters.workbook.writing import workbook_bytes

ACTOR = "lan.nt|Nguyễn Thị Lan|Sở Tài chính Hải Phòng"
Rows = dict[str, list[dict[str, Any]]]


def sample_rows() -> Rows:
    """A deep copy of the template's example rows, to be changed by a test."""
    return {sheet: [dict(r) for r in rows] for sheet, rows in copy.deepcopy(EXAMPLE_ROWS).items()}


def write_xlsx(path: Path, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """The template filled with ``rows`` as an official fills it: a value ``=…`` is typed in as
    a formula (dautu's own writer never writes one: it neutralises formula-like text)."""
    path.write_bytes(workbook_bytes(rows))
    formulas = [
        (sheet, index, v)
        for sheet, sheet_rows in rows.items()
        for index, row in enumerate(sheet_rows)
        for v in row.values()
        if isinstance(v, str) and v.startswith("=")
    ]
    if formulas:
        import openpyxl

        book = openpyxl.load_workbook(path)
        for sheet, index, value in formulas:
            for cell in book[sheet][4 + index]:
                if cell.value == "'" + value:
                    cell.value = value  # openpyxl writes it as a formula, with no value
                    cell.quotePrefix = False
        book.save(path)
    return path


class Cli:
    """``dautu`` run in-process against one SQLite store in a temporary folder."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder = folder
        self.db = folder / "dautu.db"
        self.url = f"sqlite:///{self.db}"
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--store", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def imported(self, *paths: Path, extra: Sequence[str] = ()) -> tuple[int, str]:
        code, out, err = self("import", *(str(p) for p in paths), "--actor", ACTOR, *extra)
        return code, out + err

    def record_count(self) -> int:
        if not self.db.exists():
            return 0
        store = open_store(self.url)
        try:
            return sum(len(store.read_stream(c)) for c in store.project_codes())
        finally:
            store.close()


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


@pytest.fixture
def rows() -> Rows:
    return sample_rows()


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[[Mapping[str, Sequence[Mapping[str, Any]]], str], Path]:
    def make(rows: Mapping[str, Sequence[Mapping[str, Any]]], name: str = "nhap.xlsx") -> Path:
        return write_xlsx(tmp_path / name, rows)

    return make
