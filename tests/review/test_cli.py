"""``dautu review`` through the real command line: JSON shape, CSV for Excel, the table, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dautu_adapters.cli.main import main
from dautu_adapters.stores import open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('review-cli') / 'dautu.db'}"
    assert main(["--store", url, "demo"]) == 0
    return url


def test_review_json_has_counts_and_every_project_with_its_reasons(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", "2024-02-21", "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)

    assert set(review) >= {"as_of", "counts", "projects"}
    assert review["rulebook"]["id"] == "vn.review.law-61-2020"
    assert sum(review["counts"].values()) == len(review["projects"]) == 78
    for project in review["projects"]:
        assert set(project) >= {"code", "primary_track", "tracks", "reasons"}
        assert project["primary_track"] in project["tracks"]
        for found in project["reasons"]:
            assert set(found) >= {"rule_id", "citation", "events"}
            assert found["citation"]
            assert all(e["project_code"] == project["code"] for e in found["events"])
            assert all(e["version"] >= 1 for e in found["events"])


def test_review_csv_is_utf8_with_bom_for_excel(
    demo_store: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", "2024-02-21", "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã dự án", "Tên dự án", "Địa bàn"]
    assert len(rows) == 79
    tracks = {row[4] for row in rows[1:]}
    assert tracks == {
        "terminate",
        "resolve_violation_then_adjust",
        "complete_procedures",
        "land_environment_violation",
        "mineral_rights_auction",
        "district_authority",
    }


def test_review_table_is_vietnamese_by_default_and_english_on_request(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--store", demo_store, "review", "--as-of", "2024-02-21"])
    vietnamese = capsys.readouterr().out
    main(["--store", demo_store, "review", "--as-of", "2024-02-21", "--lang", "en"])
    english = capsys.readouterr().out

    assert "RÀ SOÁT DỰ ÁN ĐẦU TƯ NGOÀI KHU CÔNG NGHIỆP — ngày 21/02/2024" in vietnamese
    assert (
        "Cần xử lý vi phạm về đầu tư trước khi đề nghị UBND tỉnh xem xét chấp thuận điều chỉnh "
        "chủ trương đầu tư" in vietnamese
    )
    assert "Quyết định của Sở khác với đề xuất" in vietnamese
    assert "REVIEW OF INVESTMENT PROJECTS OUTSIDE INDUSTRIAL ZONES — as of 2024-02-21" in english
    assert "The investor is allowed to complete the investment procedures" in english


def test_review_after_districts_were_abolished_uses_the_later_rulebook(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", "2025-07-01", "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)

    assert review["rulebook"]["id"] == "vn.review.law-61-2020.no-districts"
    assert "district_authority" not in review["counts"]
    assert sum(review["counts"].values()) == 78


def test_summary_and_output_file(
    demo_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.json"
    argv = ["--store", demo_store, "review", "--as-of", "2024-02-21", "--format", "json"]
    assert main([*argv, "--summary", "--output", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))

    summary = document["summary"]
    assert summary["by_track"] == document["counts"]
    assert sum(summary["by_status"].values()) == 78
    assert sum(summary["by_district"].values()) == 78
    assert set(summary["by_district"]) <= {
        "TP Hải Dương",
        "TP Chí Linh",
        "TX Kinh Môn",
        *(f"huyện {n}" for n in ("Bình Giang", "Cẩm Giàng", "Gia Lộc", "Kim Thành")),
        *(f"huyện {n}" for n in ("Nam Sách", "Ninh Giang", "Thanh Hà", "Thanh Miện", "Tứ Kỳ")),
    }
    assert all(m >= 0 for d in summary["delayed"] for m in d["months_late"].values())
    # "Delayed" means what the review means: every project it gives a delay reason is listed
    # (a delay recorded before the milestone was due counts, with 0 months), and no other.
    delay_rules = {"delayed_within_extension_cap", "delay_beyond_extension_cap"}
    called_delayed = {
        p["code"]
        for p in document["projects"]
        if p["status"] != "terminated" and delay_rules & {r["rule_id"] for r in p["reasons"]}
    }
    assert {d["code"] for d in summary["delayed"]} == called_delayed
    assert {"DA-HD-072", "DA-HD-077"} <= called_delayed
    assert summary["open_violations"]["investment"] > 0
    assert str(out) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("as_of", "code", "expected"),
    [
        ("20240221", 2, "not in an accepted form"),
        ("31/02/2024", 2, "does not exist"),
        ("2020-06-30", 1, "no review rulebook is in force"),
    ],
)
def test_a_bad_review_date_is_a_clear_error(
    demo_store: str, as_of: str, code: int, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", as_of]) == code
    assert expected in capsys.readouterr().err


def test_the_review_date_is_typed_as_officials_write_it(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", demo_store, "review", "--as-of", "21/02/2024"]) == 0
    day_first = capsys.readouterr().out
    assert main(["--store", demo_store, "review", "--as-of", "2024-02-21"]) == 0
    assert capsys.readouterr().out == day_first


def test_an_empty_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()  # a store with no record yet (a read command creates none)
    assert main(["--store", url, "review", "--as-of", "2024-02-21"]) == 0
    assert "Kho chưa có dự án nào." in capsys.readouterr().out
