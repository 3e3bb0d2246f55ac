"""The stored projection's format follows from the code, and an old one is rebuilt.

Given a portfolio projection stored by this code, when the code that decides what a timeline
entry keeps changes, then the format (a digest computed at import, nobody bumps it) changes,
and the stored projection is rebuilt from the log instead of being read.
"""

from __future__ import annotations

from typing import Any

import pytest

from dautu_adapters.review.projection import catch_up
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core import event_view
from dautu_core.event_view import FOLD_FIELDS
from dautu_core.projections import PortfolioProjection, portfolio
from dautu_core.review import timeline
from review.helpers import approve


def test_the_format_is_the_layout_and_a_digest_of_the_extraction_code() -> None:
    assert timeline.extraction_digest() == timeline.EXTRACTION_VERSION
    assert f"{portfolio.LAYOUT}.{timeline.EXTRACTION_VERSION}" == portfolio.FORMAT
    assert PortfolioProjection().name == f"dautu.portfolio.v{portfolio.FORMAT}"


def test_the_layout_is_a_digest_of_the_code_that_writes_and_reads_it() -> None:
    """Given the portfolio's writer and reader, when either changes, then the layout digest
    (hence the format) changes: nobody has a layout number to forget to raise."""
    assert portfolio.layout_digest() == portfolio.LAYOUT
    assert len(portfolio.LAYOUT) == 12 and portfolio.LAYOUT.isalnum()

    def other_to_bytes(self: Any) -> bytes:
        return b"[]"

    other_to_bytes.__module__ = portfolio.__name__
    writers = (
        other_to_bytes,
        portfolio.Portfolio.from_bytes.__func__,  # type: ignore[attr-defined]
        timeline.TimelineEntry.to_json,
        timeline.entries_from_json,
    )
    assert portfolio.layout_digest(writers) != portfolio.LAYOUT
    assert portfolio.layout_digest(writers[1:]) != portfolio.LAYOUT


def test_changing_what_an_entry_keeps_changes_the_digest() -> None:
    more = {**FOLD_FIELDS, "dautu.MilestoneMet": ("milestone", "description")}
    assert timeline.extraction_digest(more) != timeline.EXTRACTION_VERSION
    dropped = {k: v for k, v in FOLD_FIELDS.items() if k != "dautu.ReviewDecided"}
    assert timeline.extraction_digest(dropped) != timeline.EXTRACTION_VERSION


def test_changing_a_helper_the_extraction_calls_changes_the_digest() -> None:
    """The digest follows the helpers ``fold_data`` calls in its module, not only its own
    code: keeping a correction's replacement differently changes the format."""

    def other_current(value: Any, upcasters: Any) -> Any:
        return value["type"], {}

    other_current.__module__ = event_view.__name__
    namespace = {**vars(event_view), "_current": other_current}
    assert timeline.extraction_digest(namespace=namespace) != timeline.EXTRACTION_VERSION


def test_a_stored_projection_of_another_format_is_rebuilt_not_misread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store("memory://")
    ProjectService(store).execute_batch([approve(code="DA-1"), approve(code="DA-2")])
    first = catch_up(store)
    assert first.rebuilt and set(first.portfolio.timelines) == {"DA-1", "DA-2"}
    assert not catch_up(store).rebuilt, "the same code reads its own projection"

    # The code changes what it keeps: a new digest, hence a new format, under the same name
    # (as if the name had been kept): the stored bytes must not be read as the new format.
    monkeypatch.setattr(portfolio, "FORMAT", f"{portfolio.LAYOUT}.000000000000")
    again = catch_up(store, PortfolioProjection(name=PortfolioProjection().name))
    assert again.rebuilt
    assert set(again.portfolio.timelines) == {"DA-1", "DA-2"}
    assert not catch_up(store, PortfolioProjection(name=PortfolioProjection().name)).rebuilt


def test_the_digest_is_the_same_in_every_process() -> None:
    """String hashing is randomised per process; the format must not be, or every run would
    rebuild the projection."""
    import subprocess
    import sys

    code = "import dautu_core.review.timeline as t; print(t.EXTRACTION_VERSION)"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {timeline.EXTRACTION_VERSION}
