"""What the commands print: counts grouped by thousands, the review date as the workbook shows
it, labelled diffs, tracks by their wording, a demo whose counts stay on the screen, exporters
that cannot run marked as such."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_adapters.cli.main import main
from dautu_adapters.cli.store_commands import plugins_report
from dautu_adapters.plugins import get_plugin_manager
from dautu_core.review import Track
from dautu_core.text import format_count


@given(st.integers(min_value=0, max_value=10**15))
def test_counts_group_thousands_as_each_language_writes_them(n: int) -> None:
    vi, en = format_count(n, "vi"), format_count(n, "en")
    assert int(vi.replace(".", "")) == n == int(en.replace(",", ""))
    assert vi.replace(".", ",") == en
    groups = en.split(",")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def test_examples_of_counts() -> None:
    assert [format_count(n, "vi") for n in (7, 1234, 1234567)] == ["7", "1.234", "1.234.567"]
    assert [format_count(n, "en") for n in (7, 1234, 1234567)] == ["7", "1,234", "1,234,567"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The demo store and what ``dautu demo`` printed, from the installed command."""
    folder = tmp_path_factory.mktemp("cli-output")
    url = f"sqlite:///{folder / 'dautu.db'}"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dautu")), "--store", url, "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return url, done.stdout


def test_the_demo_ends_with_the_counts_table_and_repeats_nothing(demo: tuple[str, str]) -> None:
    _, shown = demo
    lines = shown.rstrip().splitlines()
    assert len(lines) < 30
    assert lines[-1].startswith("Tổng cộng") and lines[-1].endswith(" 78")
    assert "Đã ghi 78 dự án minh hoạ (424 sự kiện)" in lines[0]
    assert "dautu demo --details" in shown
    repeated = [line for line, n in Counter(lines).items() if n > 2 and line.strip("-")]
    assert repeated == []


def test_demo_details_lists_every_project_and_writes_each_note_once(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = demo
    assert main(["--store", url, "demo", "--details"]) == 0
    shown = capsys.readouterr().out
    assert len(re.findall(r"^  DA-HD-\d{3} ", shown, re.M)) == 78
    assert shown.count("the clause number is a recollection") == 1
    assert re.search(r"khoản 3 Điều 41 61/2020/QH14 \[\d+\]", shown)
    assert shown.rstrip().splitlines()[-1].startswith("Tổng cộng")


def test_the_csv_review_date_is_written_like_the_workbook(
    demo: tuple[str, str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    url, _ = demo
    dates = {}
    for lang in ("vi", "en"):
        argv = ["--store", url, "review", "--as-of", "21/02/2024", "--format", "csv"]
        assert main([*argv, "--lang", lang]) == 0
        rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
        column = rows[0].index("Ngày rà soát" if lang == "vi" else "Review date")
        dates[lang] = {row[column] for row in rows[1:]}
    assert dates == {"vi": {"21/02/2024"}, "en": {"2024-02-21"}}


def test_history_and_diff_show_labels_not_ids(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = demo
    assert main(["--store", url, "history", "DA-HD-005"]) == 0
    history = capsys.readouterr().out
    decided = next(line for line in history.splitlines() if "Quyết định xử lý" in line)
    assert Track.RESOLVE_VIOLATION_THEN_ADJUST.label("vi") in decided
    assert "resolve_violation_then_adjust" not in history

    argv = ["--store", url, "diff", "DA-HD-005", "--from", "01/01/2019", "--to", "22/02/2024"]
    assert main(argv) == 0
    diff = capsys.readouterr().out
    changed = diff.split("Trường thay đổi:")[1]
    for raw in ("Location(", "Schedule(", "LandArea(", "datetime.date", "{", "_"):
        assert raw not in changed, raw
    assert "Diện tích đất: — -> 2 ha (20.000 m²)" in changed
    assert "Địa điểm: — -> huyện Thanh Miện, Hải Dương" in changed
    assert "Tiến độ: — -> Góp vốn 26/10/2019; Khởi công xây dựng 26/04/2020" in changed


def test_diff_refuses_a_range_that_ends_before_it_starts(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = demo
    argv = ["--store", url, "diff", "DA-HD-005", "--from", "2024-01-01", "--to", "2023-01-01"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "is earlier than --from" in err and "sớm hơn --from" in err
    assert "diff_range_order" in err


def test_review_summary_lists_every_project_the_review_calls_delayed(
    demo: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = demo
    assert main(["--store", url, "review", "--as-of", "21/02/2024", "--summary"]) == 0
    shown = capsys.readouterr().out
    summary = shown.split("Dự án chậm tiến độ")[1]
    listed = set(re.findall(r"^  (DA-HD-\d{3}) ", summary, re.M))
    assert main(["--store", url, "review", "--as-of", "21/02/2024", "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)
    delay_rules = {"delayed_within_extension_cap", "delay_beyond_extension_cap"}
    called = {
        p["code"] for p in review["projects"] if delay_rules & {r["rule_id"] for r in p["reasons"]}
    }
    assert listed == called
    assert {"DA-HD-072", "DA-HD-077"} <= listed
    assert "đã ghi nhận chậm tiến độ (chưa đến hạn)" in summary


def test_plugins_marks_an_exporter_whose_dependency_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def exporters() -> dict[str, dict[str, object]]:
        report = plugins_report(get_plugin_manager())
        return {e["name"]: e for entry in report for e in entry["exporters"]}

    assert exporters()["review-xlsx"]["available"] is True
    # Python's own way to make a module unimportable, as if openpyxl were not installed.
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    found = exporters()
    assert found["review-xlsx"]["available"] is False
    assert found["review-xlsx"]["missing"] == ["openpyxl"]
    assert found["review-xlsx"]["install"] == 'pip install "dautu[excel]"'
    assert found["review-csv"]["available"] is True
    assert main(["--lang", "en", "plugins"]) == 0
    shown = capsys.readouterr().out
    after = shown.split("review-xlsx")[1].splitlines()[1]
    assert 'UNAVAILABLE: openpyxl missing; install: pip install "dautu[excel]"' in after


def test_an_exporters_date_option_is_typed_as_officials_write_it(
    demo: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = demo
    written = []
    for day in ("21/02/2024", "2024-02-21"):
        out = tmp_path / f"review-{len(written)}.csv"
        argv = ["--store", url, "export", "review-csv", "--out", str(out), "--option"]
        assert main([*argv, f"as_of={day}"]) == 0
        written.append(out.read_bytes())
    assert written[0] == written[1]
    assert main(["--store", url, "export", "review-csv", "--out", str(tmp_path / "x.csv"),
                 "--option", "as_of=20240221"]) == 1  # fmt: skip
    assert "not in an accepted form" in capsys.readouterr().err
