"""What a place is called now, shown next to the name recorded at the time, in the review
(JSON, CSV), the history (text, JSON) and the workbook export. The demo's projects were
recorded in 2019–2024 in "tỉnh Hải Dương", which became part of Hải Phòng on 1 Jul 2025."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from dautu_adapters.cli.main import main
from dautu_adapters.workbook.places import location_now, place_now
from dautu_core.values import Location


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('place-now') / 'dautu.db'}"
    assert main(["--store", url, "demo"]) == 0
    return url


def test_a_name_that_changed_is_shown_and_one_that_did_not_is_not() -> None:
    # given a district of Hải Dương named in 2024, when asked what it is called now
    then = Location("Hải Dương", "huyện Thanh Miện")
    # then it is part of Hải Phòng, whether the record is read before or after the change
    assert location_now(then, date(2024, 2, 21)) == "Thành phố Hải Phòng"
    assert place_now("Hải Dương", "huyện Thanh Miện", date(2026, 12, 1)) == "Thành phố Hải Phòng"
    # and a province whose name did not change gets nothing beside it
    assert location_now(Location("Hà Nội"), date(2024, 2, 21)) is None
    assert place_now(None, None, date(2024, 2, 21)) is None


@pytest.mark.parametrize("as_of", ["2024-02-21", "2026-03-01"])
def test_the_review_json_and_csv_say_what_each_place_is_called_now(
    demo_store: str, as_of: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", as_of, "--format", "json"]) == 0
    projects = json.loads(capsys.readouterr().out)["projects"]
    assert projects and all(p["province"] == "Hải Dương" for p in projects)
    assert {p["place_now"] for p in projects} == {"Thành phố Hải Phòng"}

    assert main(["--store", demo_store, "review", "--as-of", as_of, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert len(rows) == len(projects)
    assert {r["Địa danh hiện nay"] for r in rows} == {"Thành phố Hải Phòng"}
    assert all(r["Địa bàn"] for r in rows)  # the name of the time stays


def test_the_history_shows_the_recorded_name_and_the_name_now(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "history", "DA-HD-005"]) == 0
    text = capsys.readouterr().out
    assert (
        "địa điểm (tên lúc ghi): huyện Thanh Miện, Hải Dương; nay là: Thành phố Hải Phòng" in text
    )

    assert main(["--store", demo_store, "history", "DA-HD-005", "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    approval = next(e for e in events if e["type"] == "dautu.ProjectApproved")
    assert approval["location"] == {
        "recorded": "huyện Thanh Miện, Hải Dương",
        "now": "Thành phố Hải Phòng",
    }
    assert all("location" not in e for e in events if e["type"] == "dautu.DelayRecorded")
