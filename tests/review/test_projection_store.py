"""The portfolio projection against real stores: checkpoints, catching up, rebuilding."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from dautu_adapters.review.demo import DEMO_REVIEW_DATE, demo_histories, record_demo
from dautu_adapters.review.projection import catch_up, rebuild
from dautu_adapters.review.reviewing import review_store, summarize_store
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core import ViolationCategory, run
from dautu_core.projections import Portfolio, PortfolioProjection
from dautu_core.review import HANDLING_TRACKS, Track
from review.helpers import approve, delay, found

NAME = PortfolioProjection().name


def test_catch_up_reads_only_what_was_written_since_the_checkpoint() -> None:
    store = open_store("memory://")
    service = ProjectService(store)
    service.execute_batch([approve(code="DA-1"), approve(code="DA-2")])

    first = catch_up(store)
    assert (first.start_position, first.records_read, first.rebuilt) == (0, 2, True)
    assert store.load_projection(NAME)[0] == 2

    service.execute(delay(date(2021, 12, 1), "capital_contribution", code="DA-1"))
    service.execute(found(date(2022, 1, 5), "VP-1", ViolationCategory.LAND, code="DA-2"))
    second = catch_up(store)

    assert (second.start_position, second.records_read, second.rebuilt) == (2, 2, False)
    assert second.portfolio == rebuild(store, save=False).portfolio
    assert catch_up(store).records_read == 0


def test_a_checkpoint_that_cannot_be_trusted_is_rebuilt_from_zero() -> None:
    store = open_store("memory://")
    ProjectService(store).execute_batch([approve(code="DA-1"), approve(code="DA-2")])
    expected = rebuild(store, save=False).portfolio

    store.save_checkpoint(NAME, 2, b"not json")
    garbled = catch_up(store)
    store.save_checkpoint(NAME, 9, Portfolio(9).to_bytes())
    ahead = catch_up(store)

    assert garbled.rebuilt and garbled.portfolio == expected
    assert ahead.rebuilt and ahead.portfolio == expected


def test_small_pages_on_sqlite_give_the_same_portfolio(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/demo.db")
    try:
        record_demo(ProjectService(store))
        whole = rebuild(store, save=False)
        paged = rebuild(store, save=False, page_size=7)
    finally:
        store.close()

    assert paged.portfolio == whole.portfolio
    assert paged.portfolio.position == whole.records_read > 400


def test_review_and_summary_of_a_store_agree() -> None:
    store = open_store("memory://")
    record_demo(ProjectService(store))

    review = review_store(store, DEMO_REVIEW_DATE)
    summary = summarize_store(store, DEMO_REVIEW_DATE)

    assert summary.review.counts == review.counts
    assert review.counts[Track.COMPLETE_PROCEDURES] == 42
    assert sum(summary.by_sector.values()) == 78
    assert summary.by_status == {"approved": 76, "suspended": 2}
    delayed = {d.project_code: d.months_late for d in summary.delayed}
    # The summary's delayed projects are exactly those the review gives a delay reason.
    delay_rules = {"delayed_within_extension_cap", "delay_beyond_extension_cap"}
    with_delay_reason = {
        p.project_code for p in review.projects if delay_rules & {r.rule_id for r in p.reasons}
    }
    assert set(delayed) == with_delay_reason
    assert all(all(m >= 0 for m in late.values()) for late in delayed.values())
    oracle: Counter[ViolationCategory] = Counter()
    for commands in demo_histories().values():
        oracle.update(run(commands)[0].open_violations_by_category())
    assert dict(summary.open_violations) == dict(oracle)


def test_the_demo_review_on_postgresql(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        outcome = record_demo(ProjectService(store))
        review = review_store(store, DEMO_REVIEW_DATE)
        again = record_demo(ProjectService(store))
        from_checkpoint = catch_up(store)
    finally:
        store.close()

    assert outcome.recorded_projects == 78 and again.recorded_projects == 0
    assert [review.counts[t] for t in HANDLING_TRACKS] == [4, 18, 42, 6, 3, 5]
    assert from_checkpoint.records_read == 0 and not from_checkpoint.rebuilt
