"""Spreadsheet formula injection: text that a spreadsheet would run is written as text in the
review's CSV and Excel files and in the workbook export, and the workbook export still imports
back to the same record."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from workbook.conftest import Cli, sample_rows

from dautu_adapters.exporters.cells import FORMULA_TRIGGERS, is_formula_like, neutralise, restore
from dautu_adapters.stores import open_store
from dautu_adapters.workbook.writing import workbook_bytes

HOSTILE = {
    "project_name": '=HYPERLINK("http://example.invalid/x","Bấm vào đây")',
    "objectives": "+cmd|' /C calc'!A0",
    "investors": "-2+3 Công ty TNHH Gia Lộc | VN | 0801234567",
    "legal_basis": "@SUM(1+1) Điều 32 Luật Đầu tư 61/2020/QH14",
}
"""What an attacker would type into fields an official later opens in a spreadsheet."""


@given(st.text(alphabet=st.sampled_from(["'", "a", " ", "1", *FORMULA_TRIGGERS]), max_size=8))
def test_neutralising_is_undone_exactly_and_leaves_nothing_a_spreadsheet_runs(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not is_formula_like(safe)
    assert safe == text or safe == "'" + text


@given(st.text(max_size=20))
def test_only_formula_like_text_changes(text: str) -> None:
    if not is_formula_like(text.lstrip("'")):
        assert neutralise(text) == text == restore(text)


def _hostile_store(cli: Cli, tmp_path: Path) -> None:
    rows = sample_rows()
    rows["Dự án"][0].update(HOSTILE)
    # typed as text (an apostrophe in front), as the export writes it
    (tmp_path / "in.xlsx").write_bytes(workbook_bytes(rows))
    code, out = cli.imported(tmp_path / "in.xlsx")
    assert code == 0, out


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


def _states(url: str) -> dict[str, object]:
    from dautu_adapters.service import ProjectService

    store = open_store(url)
    try:
        service = ProjectService(store)
        return {code: service.load(code) for code in service.project_codes()}
    finally:
        store.close()


def test_the_workbook_export_writes_text_not_formulas_and_imports_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    _hostile_store(cli, tmp_path)
    code, _, err = cli("export", "workbook", "--out", str(tmp_path / "out.xlsx"))
    assert code == 0, err
    code, _, err = cli("export", "workbook", "--out", str(tmp_path / "out.csv"))
    assert code == 0, err

    xml = _sheet_xml(tmp_path / "out.xlsx")
    assert "<f>" not in xml and "<f " not in xml, "no formula element in any sheet"
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book["Dự án"]
    quoted = {"'" + text for text in HOSTILE.values()}
    found = {c.value: c for row in sheet.iter_rows() for c in row if c.value in quoted}
    assert set(found) == quoted
    assert all(c.data_type == "s" and c.quotePrefix for c in found.values())
    # numbers stay typed cells
    assert any(isinstance(c.value, int) for row in sheet.iter_rows(min_row=4) for c in row)

    projects_csv = next(p for p in tmp_path.glob("out-*.csv") if "du-an" in p.name)
    cells = {v for row in csv.reader(io.StringIO(projects_csv.read_text("utf-8-sig"))) for v in row}
    for text in HOSTILE.values():
        assert "'" + text in cells and text not in cells

    before = _states(cli.url)
    for name in ("out.xlsx", "out.csv"):
        again = Cli(tmp_path / name.replace(".", "-"), capsys)
        again.folder.mkdir()
        paths = [tmp_path / name] if name.endswith("xlsx") else sorted(tmp_path.glob("out-*.csv"))
        code, out = again.imported(*paths)
        assert code == 0, out
        assert _states(again.url) == before, name


def test_the_review_csv_and_excel_write_text_not_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    _hostile_store(cli, tmp_path)
    name = HOSTILE["project_name"]
    code, _, err = cli("export", "review-csv", "--out", str(tmp_path / "r.csv"))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert "'" + name in {v for row in rows for v in row}
    assert not any(is_formula_like(v) for row in rows for v in row)

    code, _, err = cli("export", "review-xlsx", "--out", str(tmp_path / "r.xlsx"))
    assert code == 0, err
    assert "<f>" not in _sheet_xml(tmp_path / "r.xlsx")
    cells = [
        c for row in openpyxl.load_workbook(tmp_path / "r.xlsx")["Dự án"].iter_rows() for c in row
    ]
    hostile = [c for c in cells if c.value == "'" + name]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)
