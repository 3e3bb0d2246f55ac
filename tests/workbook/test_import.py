"""``dautu import``: given a workbook, when it is imported, then the record says what it says,
or nothing is written and every problem is named where the official can find it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from dautu_adapters.stores import open_store
from dautu_adapters.workbook.schema import COLUMNS, EVENT_SHEET, PROJECT_SHEET
from dautu_core.dates import VIETNAM_TIME
from dautu_core.vocab import ProjectStatus

from .conftest import Cli, Rows

GOOD_PROJECT = "VD-2165432100"
OTHER_PROJECT = "VD-3112233445"


def test_the_sample_becomes_the_record(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    code, out = cli.imported(xlsx(rows))
    assert code == 0, out
    assert "2 dự án mới, 5 sự kiện" in out and "2 new projects, 5 events" in out
    assert "Nguyễn Thị Lan" in out and "UTC+07:00" in out
    store = open_store(cli.url)
    records = store.read_stream(GOOD_PROJECT)
    event = records[0].event()
    assert event.project_name == "Nhà máy sản xuất linh kiện điện tử Gia Lộc"
    assert event.capital.dong == 850_000_000_000
    assert event.land_area.square_metres == 125_000
    assert event.location.district == "Gia Lộc"  # as named at the time
    assert event.actor.user_id == "lan.nt" and event.actor.unit == "Sở Tài chính Hải Phòng"
    assert event.recorded_at.astimezone(VIETNAM_TIME).date() >= date(2024, 1, 1)
    assert [r.event().TYPE_NAME for r in records] == [
        "dautu.ProjectApproved",
        "dautu.MilestoneMet",
        "dautu.DelayRecorded",
    ]
    store.close()


def test_the_report_shows_the_place_as_named_now(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    code, out = cli.imported(xlsx(rows), extra=["--dry-run"])
    assert code == 0
    assert "Gia Tân, Gia Lộc, Hải Dương -> nay là / now:" in out
    assert "Thành phố Hải Phòng" in out


def test_a_place_the_dataset_does_not_know_is_a_warning(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    rows[PROJECT_SHEET][0]["commune"] = "Xã Không Tồn Tại"
    code, out = cli.imported(xlsx(rows))
    assert code == 0
    assert "LƯU Ý/NOTE" in out and "Xã Không Tồn Tại" in out and "place_unknown" in out
    assert cli.record_count() == 5


def test_a_dry_run_writes_nothing_and_creates_no_store(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    code, out = cli.imported(xlsx(rows), extra=["--dry-run"])
    assert code == 0
    assert "sẽ ghi 2 dự án mới" in out
    assert not cli.db.exists()


def test_a_dry_run_on_an_existing_store_leaves_it_byte_for_byte(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    workbook = xlsx(rows)
    assert cli.imported(workbook)[0] == 0
    before = sorted(p.name for p in cli.folder.iterdir())
    stamp = cli.db.stat().st_mtime_ns, cli.db.read_bytes()
    code, out = cli.imported(workbook, extra=["--dry-run"])
    assert code == 0 and "sẽ ghi 0 dự án mới" in out
    assert sorted(p.name for p in cli.folder.iterdir()) == before
    assert (cli.db.stat().st_mtime_ns, cli.db.read_bytes()) == stamp


def test_one_bad_row_means_nothing_is_written(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    rows[EVENT_SHEET][2]["effective_date"] = "31/02/2024"
    code, out = cli.imported(xlsx(rows))
    assert code == 1
    assert not cli.db.exists()  # no empty store left behind to be read as "no projects"
    # sheet, row as Excel shows it (data starts on row 4), column header, value, both languages
    line = next(line for line in out.splitlines() if line.startswith("LỖI/ERROR"))
    assert "trang 'Sự kiện', dòng 6, cột 'Ngày hiệu lực' = '31/02/2024'" in line
    assert "không tồn tại" in line and "does not exist" in line
    assert "không ghi gì cả" in out and "nothing was written" in out


def test_a_refused_import_into_an_existing_store_leaves_it_byte_for_byte(
    cli: Cli, rows: Rows, xlsx
) -> None:  # type: ignore[no-untyped-def]
    assert cli.imported(xlsx(rows))[0] == 0
    stamp = cli.db.read_bytes()
    rows[EVENT_SHEET][2]["effective_date"] = "31/02/2024"
    code, out = cli.imported(xlsx(rows))
    assert code == 1 and "nothing was written" in out
    assert cli.db.read_bytes() == stamp and cli.record_count() == 5


def test_partial_writes_the_good_projects_and_never_half_a_project(
    cli: Cli, rows: Rows, xlsx
) -> None:  # type: ignore[no-untyped-def]
    rows[EVENT_SHEET][2]["violation_category"] = "Thuế"  # not a category: project 2 refused
    code, out = cli.imported(xlsx(rows), extra=["--partial"])
    assert code == 1
    store = open_store(cli.url)
    assert store.project_codes() == [GOOD_PROJECT]
    assert len(store.read_stream(GOOD_PROJECT)) == 3
    store.close()
    assert "1 dự án chưa được ghi" in out


def test_a_refused_rule_is_a_row_error_with_its_citation(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    rows[EVENT_SHEET].append(
        {
            "code": GOOD_PROJECT,
            "kind": "Giãn tiến độ",
            "effective_date": "01/04/2023",
            "months": "30",
            "legal_basis": "khoản 4 Điều 41 Luật Đầu tư 61/2020/QH14",
        }
    )
    code, out = cli.imported(xlsx(rows), extra=["--json"])
    assert code == 1
    report = json.loads(out[: out.rindex("}") + 1])
    errors = [p for p in report["problems"] if not p["warning"]]
    assert len(errors) == 1
    (error,) = errors
    assert error["sheet"] == EVENT_SHEET and error["row"] == 7
    assert error["rule_id"] and error["citation"] and "41" in error["citation"]
    assert cli.record_count() == 0


def test_the_errors_workbook_can_be_fixed_and_imported_again(  # type: ignore[no-untyped-def]
    cli: Cli, rows: Rows, xlsx, tmp_path: Path
) -> None:
    rows[PROJECT_SHEET][1]["capital"] = "1,234 tỷ"  # ambiguous
    errors = tmp_path / "loi.xlsx"
    code, out = cli.imported(xlsx(rows), extra=["--errors", str(errors)])
    assert code == 1 and cli.record_count() == 0
    book = openpyxl.load_workbook(errors)
    sheet = book[PROJECT_SHEET]
    headers = [c.value for c in sheet[2]]
    error_column = headers.index("Lỗi cần sửa") + 1
    capital_column = headers.index(COLUMNS["capital"].vi + " *") + 1
    messages = {sheet.cell(r, 1).value: sheet.cell(r, error_column).value for r in (4, 5)}
    assert "hai cách" in messages[OTHER_PROJECT] and "two ways" in messages[OTHER_PROJECT]
    assert "another row of this project" not in messages[OTHER_PROJECT]
    assert book[EVENT_SHEET].max_row == 6  # every row came back: nothing was written
    # the official fixes the cell in the error file and imports that file again
    fix_row = 4 if sheet.cell(4, 1).value == OTHER_PROJECT else 5
    sheet.cell(fix_row, capital_column).value = "1234 tỷ"
    book.save(errors)
    code, out = cli.imported(errors)
    assert code == 0, out
    assert cli.record_count() == 5


def test_importing_twice_writes_nothing_and_a_longer_file_only_the_new_facts(  # type: ignore[no-untyped-def]
    cli: Cli, rows: Rows, xlsx
) -> None:
    path = xlsx(rows)
    assert cli.imported(path)[0] == 0
    code, out = cli.imported(path)
    assert code == 0 and "bỏ qua 5 sự kiện đã có" in out
    assert cli.record_count() == 5
    rows[EVENT_SHEET].append(
        {
            "code": OTHER_PROJECT,
            "kind": "Khắc phục vi phạm",
            "effective_date": "15/05/2024",
            "violation_id": "BB-12/2024",
            "text": "Đã trả lại hiện trạng khu B",
            "legal_basis": "Nghị định 91/2019/NĐ-CP",
        }
    )
    code, out = cli.imported(xlsx(rows, "dai-hon.xlsx"))
    assert code == 0, out
    assert "1 sự kiện của 1 dự án; bỏ qua 5" in out
    assert cli.record_count() == 6
    store = open_store(cli.url)
    from dautu_adapters.service import ProjectService

    state = ProjectService(store).load(OTHER_PROJECT)
    assert not state.violations["BB-12/2024"].is_open
    assert state.status is ProjectStatus.APPROVED
    store.close()


def test_the_header_row_is_found_under_titles_and_merged_cells(cli: Cli, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = EVENT_SHEET
    sheet.append(["ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Sở Kế hoạch và Đầu tư", None, "Danh sách sự kiện"])
    sheet.append([])
    keys = ["code", "kind", "effective_date", "milestone"]
    sheet.append([COLUMNS[k].vi.upper() for k in keys])  # case does not matter
    sheet.append([COLUMNS[k].en for k in keys])  # the English line is skipped
    sheet.append(["X-1", "Hoàn thành mốc tiến độ", "01/02/2024", "Góp vốn"])
    sheet.append([])  # blank rows are skipped
    sheet.append(["X-1", "Hoàn thành mốc tiến độ", date(2024, 3, 1), "Khởi công xây dựng"])
    path = tmp_path / "co-tieu-de.xlsx"
    book.save(path)
    code, out = cli.imported(path)
    assert code == 1  # project X-1 has no approval: both rows refused, at their Excel rows
    assert "dòng 6" in out and "dòng 8" in out
    assert "dòng 7" not in out
    assert cli.record_count() == 0


def test_csv_with_or_without_bom_and_semicolons(cli: Cli, rows: Rows, tmp_path: Path) -> None:
    from dautu_adapters.workbook.writing import write_csv

    paths = write_csv(tmp_path / "nhap.csv", rows)
    # the events file without its BOM and with semicolons, as a Vietnamese Excel saves it
    events = paths[1]
    text = events.read_bytes()[3:].decode("utf-8")
    import csv
    import io

    lines = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(lines)
    events.write_text(buffer.getvalue(), encoding="utf-8")
    code, out = cli.imported(*paths)
    assert code == 0, out
    assert cli.record_count() == 5


def test_a_legacy_encoded_csv_is_refused_with_the_reason(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cu.csv"
    # Windows-1258 writes tones as combining marks after the letter: "Lô" + dot below
    path.write_bytes(
        "Ma\u0303 dư\u0323 a\u0301n,Tên\nA-1,Nha\u0300 ma\u0301y Gia Lô\u0323c\n".encode("cp1258")
    )
    code, out = cli.imported(path)
    assert code == 1
    assert "không phải UTF-8" in out and "CSV UTF-8" in out and "Windows-1258" in out
    assert not cli.db.exists() or cli.record_count() == 0


def test_a_macro_workbook_is_refused(cli: Cli, rows: Rows, xlsx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    macro = tmp_path / "co-macro.xlsm"
    macro.write_bytes(xlsx(rows).read_bytes())
    code, out = cli.imported(macro)
    assert code == 1 and "macro" in out
    import zipfile

    disguised = tmp_path / "an-macro.xlsx"
    with zipfile.ZipFile(xlsx(rows)) as src, zipfile.ZipFile(disguised, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\0" * 100)
    code, out = cli.imported(disguised)
    assert code == 1 and "macro" in out
    assert cli.record_count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    code, out = cli.imported(path)
    assert code == 1 and "không phải tệp Excel .xlsx hợp lệ" in out
    assert "Traceback" not in out


def test_writing_needs_an_actor(cli: Cli, rows: Rows, xlsx) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = cli("import", str(xlsx(rows)))
    assert code == 1 and "--actor" in err and "Traceback" not in err
    assert cli.record_count() == 0


def test_without_openpyxl_one_line_says_how_to_install_it(  # type: ignore[no-untyped-def]
    cli: Cli, rows: Rows, xlsx, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = xlsx(rows)
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    code, out = cli.imported(path)
    assert code == 1
    assert "pip install 'dautu[excel]'" in out and "Traceback" not in out


def test_a_bad_cell_repeated_on_several_rows_is_reported_on_each(
    cli: Cli, rows: Rows, xlsx
) -> None:  # type: ignore[no-untyped-def]
    # An import parses each distinct cell once; a cell that failed is parsed again on each row.
    for row in rows[EVENT_SHEET][:3]:
        row["effective_date"] = "31/02/2024"
    code, out = cli.imported(xlsx(rows))
    assert code == 1 and cli.record_count() == 0
    errors = [line for line in out.splitlines() if line.startswith("LỖI/ERROR")]
    for excel_row in (4, 5, 6):
        assert any(f"dòng {excel_row}, cột 'Ngày hiệu lực' = '31/02/2024'" in e for e in errors)
