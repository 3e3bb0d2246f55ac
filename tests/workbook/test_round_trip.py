"""Export any generated store as a workbook, import it into an empty store: the second store
has the same projects, the same states and the same review as the first."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_adapters.review.reviewing import review_store
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_adapters.workbook.export import export_workbook
from dautu_adapters.workbook.importing import import_sheets
from dautu_adapters.workbook.reading import open_sources
from dautu_core import commands as cmd
from dautu_core.testing import command_sequences
from dautu_core.values import Actor

ACTOR = Actor("import.test", "Người nhập thử", "Sở Tài chính")
LATER = datetime(2031, 1, 1, tzinfo=UTC)


def _lives() -> st.SearchStrategy[list[list[cmd.Command]]]:
    codes = st.lists(
        st.sampled_from(["2165432100", "3112233445", "DA-07/2019", "GCN 0412"]),
        min_size=1,
        max_size=3,
        unique=True,
    )
    return codes.flatmap(
        lambda cs: st.tuples(*(command_sequences(c, max_size=8) for c in cs)).map(list)
    )


def _store_with(lives: list[list[cmd.Command]]) -> ProjectService:
    service = ProjectService(
        open_store("memory://"), recorded_at_tolerance=None
    )  # generated to 2035
    for commands in lives:
        service.execute_batch(commands)
    return service


def _round_trip(first: ProjectService, folder: Path, suffix: str) -> ProjectService:
    paths = export_workbook(first.store, folder / f"ho-so{suffix}", {})
    second = ProjectService(open_store("memory://"), recorded_at_tolerance=None)
    report = import_sheets(second, open_sources(paths), actor=ACTOR, recorded_at=LATER)
    assert report.ok, [p.text() for p in report.errors]
    return second


def _same(first: ProjectService, second: ProjectService) -> None:
    codes = first.project_codes()
    assert second.project_codes() == codes
    for code in codes:
        assert second.load(code) == first.load(code)
    for as_of in (date(2024, 2, 21), date(2030, 12, 31)):
        one = review_store(first.store, as_of, save_checkpoint=False)
        two = review_store(second.store, as_of, save_checkpoint=False)
        assert two.projects == one.projects


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_lives())
def test_export_then_import_gives_the_same_projects_states_and_review(
    lives: list[list[cmd.Command]],
) -> None:
    first = _store_with(lives)
    with tempfile.TemporaryDirectory() as folder:
        second = _round_trip(first, Path(folder), ".xlsx")
        _same(first, second)
        # importing the export again into the second store writes nothing
        paths = export_workbook(first.store, Path(folder) / "again.xlsx", {})
        report = import_sheets(second, open_sources(paths), actor=ACTOR, recorded_at=LATER)
        assert report.ok and report.events_written == 0
        assert report.events_skipped == sum(len(c) for c in lives)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lives())
def test_the_csv_form_round_trips_too(lives: list[list[cmd.Command]]) -> None:
    first = _store_with(lives)
    with tempfile.TemporaryDirectory() as folder:
        _same(first, _round_trip(first, Path(folder), ".csv"))
