"""Properties of the review and of the portfolio projection, over random valid project lives.

- The review folds through the core's handlers: a timeline's views of the stored events give
  the state the typed events give, field for field, at any point in the two times.
- Every project gets exactly one primary track, among its tracks; the review is deterministic
  and the same whether it reads typed events or the stored bytes.
- The portfolio projection folded in any number of steps, serialised in between, is the same
  as folded in one go, and it refuses to skip a record.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dautu_core import ProjectEvent, StoredRecord, fold, make_record, record_hash, replay
from dautu_core.projections import Portfolio, PortfolioProjection, ProjectionGap, apply_records
from dautu_core.record import GENESIS
from dautu_core.review import (
    BUILTIN_REVIEW_RULEBOOKS,
    Track,
    entry_from_record,
    facts_as_of,
    facts_of,
    review_portfolio,
    review_project,
    timeline_from_events,
)
from dautu_core.review.facts import state_of_timeline
from dautu_core.review.rules import blocking_violations
from dautu_core.state import ProjectState
from dautu_core.testing import histories

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REVIEW_DATES = st.dates(date(2021, 1, 1), date(2029, 12, 31))
LIVES = histories(min_size=1, max_size=14, start=date(2017, 1, 1), end=date(2026, 12, 31))
FAR_FUTURE = date(2099, 12, 31)


def _state(events: list[ProjectEvent]) -> ProjectState:
    return fold(events)


_NOT_COMPARED = frozenset({"history", "last_recorded_at"})
"""What the two ways of handing events to the fold may differ in: the history holds typed
events in one and views in the other, and the recorded time of the last event is bookkeeping."""


def _fields(state: ProjectState) -> dict[str, object]:
    """Every field of ``state``, provenance (``eq=False``) fields included."""
    return {
        a.name: getattr(state, a.name)
        for a in attrs.fields(ProjectState)
        if a.name not in _NOT_COMPARED
    }


def _same_facts(
    events: list[ProjectEvent], as_of: date | None, known_at: datetime | None = None
) -> None:
    """The one fold reads a timeline's views of the stored events exactly as it reads the
    typed events: the same state on every field at any point in the two times (the core's
    bitemporal replay, :func:`dautu_core.replay.state_at`), hence the same facts."""
    recorded = replay.from_events(events)
    core = replay.state_at(recorded, as_of=as_of, known_at=known_at)
    timeline = timeline_from_events((r.version, r.event) for r in recorded)
    from_views = state_of_timeline(timeline, as_of, known_at)
    assert _fields(from_views) == _fields(core)
    facts = facts_as_of(timeline, as_of or FAR_FUTURE, known_at)
    assert facts == facts_of(core, as_of or FAR_FUTURE)
    # The facts are the state's, renamed: spot-check what the termination and delay rules read.
    assert {k: d for k, (d, _) in facts.milestones_met.items()} == dict(core.milestones_met)
    assert {k: d for k, (d, _) in facts.delays.items()} == dict(core.delays_recorded)
    assert (facts.suspension.until if facts.suspension else None) == core.suspended_until
    assert facts.last_investor_action == core.last_investor_action
    assert facts.pending_adjustment == core.pending_adjustment
    if as_of is not None:
        assert facts.months_behind() == core.months_behind(as_of)


@st.composite
def bitemporal(draw: st.DrawFn) -> tuple[list[ProjectEvent], date, datetime | None]:
    """A life, a review date and a moment of knowledge (often between two recordings)."""
    events = draw(LIVES)
    as_of = draw(REVIEW_DATES)
    times = sorted({e.recorded_at for e in events})
    known_at = draw(
        st.one_of(
            st.none(),
            st.sampled_from(times),
            st.sampled_from(times).map(lambda t: t - timedelta(seconds=1)),
        )
    )
    return events, as_of, known_at


@PROPERTY
@given(bitemporal())
def test_the_review_fold_as_known_at_agrees_with_the_core_replay(
    case: tuple[list[ProjectEvent], date, datetime | None],
) -> None:
    _same_facts(*case)


@PROPERTY
@given(LIVES)
def test_the_review_fold_agrees_with_the_core_fold(events: list[ProjectEvent]) -> None:
    _same_facts(events, FAR_FUTURE)
    state = _state(events)
    facts = facts_as_of(timeline_from_events(state.events()), FAR_FUTURE)
    # versions kept for the reasons are the recorded ones
    assert {v.violation_id: v.found_version for v in facts.violations} == {
        v.violation_id: v.found_version for v in state.violations.values()
    }


@PROPERTY
@given(LIVES, REVIEW_DATES)
def test_the_review_fold_as_of_a_date_agrees_with_the_core(
    events: list[ProjectEvent], as_of: date
) -> None:
    _same_facts(events, as_of)


@PROPERTY
@given(LIVES, REVIEW_DATES)
def test_exactly_one_primary_track_among_the_project_tracks(
    events: list[ProjectEvent], as_of: date
) -> None:
    state = _state(events)
    review = review_project(state, as_of)
    book = BUILTIN_REVIEW_RULEBOOKS.in_force(as_of)

    assert review.primary_track in review.tracks
    assert review.primary_track == min(review.tracks, key=book.precedence.index)
    assert {r.track for r in review.reasons} == set(review.tracks) - {Track.ON_TRACK}
    assert all(e.project_code == state.project_code for r in review.reasons for e in r.events)
    assert all(1 <= e.version <= state.version for r in review.reasons for e in r.events)
    if review.primary_track is Track.ON_TRACK:
        facts = facts_as_of(timeline_from_events(state.events()), as_of)
        assert not blocking_violations(facts, book.parameters)


@PROPERTY
@given(LIVES, REVIEW_DATES)
def test_the_review_is_deterministic_and_reads_stored_bytes_as_typed_events(
    events: list[ProjectEvent], as_of: date
) -> None:
    state = _state(events)
    prev = GENESIS
    records = []
    for version, event in state.events():
        data = make_record(event, prev)
        prev = record_hash(data)
        records.append(StoredRecord(event.project_code, version, version, event.TYPE_NAME, data))
    from_bytes = apply_records(Portfolio(), records).timelines[state.project_code or ""]

    first = review_project(state, as_of)
    assert review_project(state, as_of) == first
    assert review_project(from_bytes, as_of) == first
    assert [entry_from_record(r) for r in records] == list(from_bytes.entries)


# --- the portfolio projection -----------------------------------------------------------------


@st.composite
def logs(draw: st.DrawFn) -> list[StoredRecord]:
    """A global log of a few projects' lives, interleaved in a random order."""
    count = draw(st.integers(1, 4))
    streams = []
    for n in range(count):
        events = draw(histories(f"DA-{n:03d}", min_size=1, max_size=8))
        streams.append(_state(events).events())
    cursors = [0] * count
    records: list[StoredRecord] = []
    prev = [GENESIS] * count
    while any(c < len(s) for c, s in zip(cursors, streams, strict=True)):
        open_streams = [i for i in range(count) if cursors[i] < len(streams[i])]
        i = draw(st.sampled_from(open_streams))
        version, event = streams[i][cursors[i]]
        data = make_record(event, prev[i])
        prev[i] = record_hash(data)
        records.append(
            StoredRecord(event.project_code, version, len(records) + 1, event.TYPE_NAME, data)
        )
        cursors[i] += 1
    return records


@PROPERTY
@given(logs(), st.data())
def test_incremental_catch_up_equals_rebuild_from_zero(
    log: list[StoredRecord], data: st.DataObject
) -> None:
    projection = PortfolioProjection()
    splits = sorted(data.draw(st.lists(st.integers(0, len(log)), max_size=5), label="split points"))
    state = projection.initial()
    start = 0
    for end in [*splits, len(log)]:
        state = projection.apply(state, log[start:end])
        state = projection.decode(projection.encode(state))  # as if stored and reloaded
        start = end
    rebuilt = projection.apply(projection.initial(), log)

    assert state == rebuilt
    assert projection.encode(state) == projection.encode(rebuilt)
    assert state.position == len(log)
    as_of = data.draw(REVIEW_DATES, label="review date")
    assert review_portfolio(state.timelines.values(), as_of) == review_portfolio(
        rebuilt.timelines.values(), as_of
    )


@PROPERTY
@given(logs(), st.data())
def test_the_projection_never_skips_or_repeats_a_record(
    log: list[StoredRecord], data: st.DataObject
) -> None:
    projection = PortfolioProjection()
    assume(len(log) >= 2)
    cut = data.draw(st.integers(0, len(log) - 2), label="record left out")
    with pytest.raises(ProjectionGap) as skipped:
        projection.apply(projection.initial(), log[:cut] + log[cut + 1 :])
    assert f"expected position {cut + 1}, got {cut + 2}" in skipped.value.message_en
    if cut > 0:
        folded = projection.apply(projection.initial(), log[:cut])
        with pytest.raises(ProjectionGap):
            projection.apply(folded, log[cut - 1 :])
    # a project's version skipped while global positions stay contiguous
    later = [r for r in log[cut + 1 :] if r.project_code == log[cut].project_code]
    if later:
        renumbered = [
            attrs.evolve(r, position=n) for n, r in enumerate(log[:cut] + log[cut + 1 :], start=1)
        ]
        with pytest.raises(ProjectionGap) as version_skipped:
            projection.apply(projection.initial(), renumbered)
        assert "expected version" in version_skipped.value.message_en
