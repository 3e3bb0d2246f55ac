"""``dautu demo``: 78 fictional projects whose review comes out 4 / 18 / 42 / 6 / 3 / 5.

The counts are read back from a real run on a temporary SQLite file, through the command line,
and the tests show they come from the rulebook applied to the histories (not from the recorded
decisions, not from the seed).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dautu_adapters.cli.main import main
from dautu_adapters.review.builder import DISTRICTS_2024
from dautu_adapters.review.demo import (
    DEMO_REVIEW_DATE,
    demo_decisions,
    demo_histories,
)
from dautu_adapters.stores import open_store
from dautu_core import ApproveProject, Command, run
from dautu_core.review import review_project

ARTICLE = {
    "terminate": 4,
    "resolve_violation_then_adjust": 18,
    "complete_procedures": 42,
    "land_environment_violation": 6,
    "mineral_rights_auction": 3,
    "district_authority": 5,
    "on_track": 0,
    "out_of_scope": 0,
}


def _counts(histories: dict[str, list[Command]]) -> dict[str, int]:
    tracks = Counter(
        review_project(run(commands)[0], DEMO_REVIEW_DATE).primary_track.value
        for commands in histories.values()
    )
    return {track: tracks.get(track, 0) for track in ARTICLE}


def test_the_demo_review_on_sqlite_gives_the_article_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"

    assert main(["--store", url, "demo"]) == 0
    printed = capsys.readouterr().out
    assert main(["--store", url, "review", "--as-of", "2024-02-21", "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)

    assert review["as_of"] == "2024-02-21"
    assert review["counts"] == ARTICLE
    assert len(review["projects"]) == 78
    assert all(p["reasons"] for p in review["projects"])
    assert len(review["disagreements"]) == 2
    assert "Đã ghi 78 dự án minh hoạ" in printed
    assert "Thuộc diện chấm dứt hoạt động" in printed and "42" in printed


def test_running_the_demo_twice_records_nothing_the_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    main(["--store", url, "demo"])
    capsys.readouterr()
    with open_store(url) as store:
        first = store.max_position()
        codes = store.project_codes()

    assert main(["--store", url, "--lang", "en", "demo"]) == 0
    second_output = capsys.readouterr().out
    with open_store(url) as store:
        assert store.max_position() == first
        assert store.project_codes() == codes

    assert len(codes) == 78
    assert "already in" in second_output and "nothing written" in second_output
    assert "To be terminated" in second_output


def test_the_counts_come_from_the_rulebook_not_from_the_decisions() -> None:
    histories = demo_histories()
    decisions = demo_decisions()

    assert _counts(histories) == ARTICLE
    assert all(
        not any(c.EVENT.TYPE_NAME == "dautu.ReviewDecided" for c in h) for h in histories.values()
    )
    decided = Counter(d.track for d in decisions.values())
    proposed = _counts(histories)
    differing = [
        code
        for code, d in decisions.items()
        if d.track != review_project(run(histories[code])[0], DEMO_REVIEW_DATE).primary_track
    ]
    assert len(differing) == 2
    assert sum(decided.values()) == sum(proposed.values()) == 78


@pytest.mark.parametrize("seed", [1, 17, 99])
def test_the_situations_give_the_same_counts_whatever_the_seed(seed: int) -> None:
    assert _counts(demo_histories(seed)) == ARTICLE


def test_the_demo_is_deterministic_and_takes_no_time_from_the_clock(tmp_path: Path) -> None:
    logs = []
    for name in ("a.db", "b.db"):
        url = f"sqlite:///{tmp_path / name}"
        assert main(["--store", url, "demo"]) == 0
        with open_store(url) as store:
            logs.append([(r.project_code, r.version, r.data) for r in store.read_log()])

    assert logs[0] == logs[1]
    assert demo_histories() == demo_histories()


def test_investors_and_projects_are_fictional_and_districts_real() -> None:
    approvals = [c for h in demo_histories().values() for c in h if isinstance(c, ApproveProject)]

    assert len(approvals) == 78
    for approval in approvals:
        assert all("(hư cấu)" in investor.name for investor in approval.investors)
        assert "(hư cấu)" in approval.project_name
        assert approval.location.district in DISTRICTS_2024
        assert 2017 <= approval.effective_date.year <= 2022
        assert approval.recorded_at.date() > approval.effective_date


def test_every_demo_event_carries_its_basis_from_the_shared_table() -> None:
    """Violations, sanctions and remedies cite their category's law from the one table the
    review uses (a land violation never cites the investment sanctions decree)."""
    from dautu_core import RecordViolation, RemedyViolation, SanctionViolation
    from dautu_core.citations import violation_basis

    for commands in demo_histories().values():
        assert all(c.legal_basis for c in commands if c.EVENT.TYPE_NAME != "dautu.EventCorrected")
        categories = {}
        for c in commands:
            if isinstance(c, RecordViolation):
                categories[c.violation_id] = c.category
            if isinstance(c, RecordViolation | SanctionViolation | RemedyViolation):
                expected = violation_basis(categories[c.violation_id], c.effective_date)
                assert c.legal_basis == expected
    assert all(d.legal_basis for d in demo_decisions().values())
