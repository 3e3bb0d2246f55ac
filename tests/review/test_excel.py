"""The review as a real Excel workbook, read back with openpyxl."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import openpyxl

from dautu_adapters.cli.main import main


def test_the_review_workbook_has_the_counts_and_one_row_per_project(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    assert main(["--store", url, "demo"]) == 0
    out = tmp_path / "ra-soat.xlsx"
    argv = ["--store", url, "export", "review-xlsx", "--out", str(out)]
    assert main([*argv, "--option", "as_of=2024-02-21"]) == 0

    book = openpyxl.load_workbook(out)
    summary, projects = book["Tổng hợp"], book["Dự án"]
    assert summary["B1"].value.date() == date(2024, 2, 21)
    counts = {row[1]: row[2] for row in summary.iter_rows(min_row=4, values_only=True) if row[1]}
    assert {k: v for k, v in counts.items() if v} == {
        "terminate": 4,
        "resolve_violation_then_adjust": 18,
        "complete_procedures": 42,
        "land_environment_violation": 6,
        "mineral_rights_auction": 3,
        "district_authority": 5,
    }
    rows = list(projects.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 78
    assert sum(1 for r in rows if r[4] == "terminate") == 4
    names = [r[1] for r in rows]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert any("Minh Hoạ" in n for n in names)


def test_the_workbook_speaks_english_on_request(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    assert main(["--store", url, "demo"]) == 0
    out = tmp_path / "review.xlsx"
    argv = ["--store", url, "--lang", "en", "export", "review-xlsx", "--out", str(out)]
    assert main([*argv, "--option", "as_of=2024-02-21"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Projects"]
