"""Properties of the record: codec round trips, canonical bytes, the fold, corrections, dates."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date, timedelta, timezone
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import (
    GENESIS,
    CorrectionAction,
    EventCorrected,
    ProjectEvent,
    RecordDelay,
    RecordMilestoneMet,
    StoredRecord,
    decode_event,
    encode_event,
    evolve,
    fold,
    make_record,
    record_hash,
)
from dautu_core.dates import add_months, full_months_between
from dautu_core.decider import event_from_command
from dautu_core.state import ProjectState, effective_history
from dautu_core.testing import sample_approval, sample_envelope
from dautu_core.testing import strategies as s

GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Events and project lives take milliseconds each to build: no deadline, no speed check
(the suite also runs on busy machines)."""

# --- codec and stored records -------------------------------------------------------------------


@settings(GENERATED, max_examples=150)
@given(s.events())
def test_every_event_survives_encode_and_decode(event: ProjectEvent) -> None:
    type_name, version, payload = encode_event(event)
    assert (type_name, version) == (event.TYPE_NAME, event.SCHEMA_VERSION)
    decoded = decode_event(type_name, version, payload)
    assert decoded == event
    assert type(decoded) is type(event)
    assert encode_event(decoded)[2] == payload


@settings(GENERATED, max_examples=100)
@given(s.events(), st.one_of(st.just(GENESIS), st.binary(min_size=1).map(record_hash)))
def test_every_event_survives_its_stored_record(event: ProjectEvent, prev: str) -> None:
    data = make_record(event, prev)
    record = StoredRecord(event.project_code, 1, 1, event.TYPE_NAME, data)
    assert record.event() == event
    assert record.prev == prev
    assert record.hash == hashlib.sha256(data).hexdigest()
    assert make_record(record.event(), prev) == data


@settings(GENERATED, max_examples=100)
@given(s.events())
def test_canonical_bytes_do_not_depend_on_the_normal_form_typed(event: ProjectEvent) -> None:
    data = make_record(event, GENESIS)
    assert make_record(event, GENESIS) == data
    assert make_record(s.nfd_variant(event), GENESIS) == data
    text = data.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert text == json.dumps(
        json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


@settings(GENERATED, max_examples=60)
@given(s.delay_recorded(project_code="DA-0001"), s.aware_datetimes())
def test_recorded_time_keeps_its_instant_in_one_stored_form(
    event: ProjectEvent, moment: Any
) -> None:
    # One instant, one stored form: the time is kept in UTC whatever offset it was given in,
    # so equal events always have equal bytes (and equal hashes in the audit trail).
    event = attrs.evolve(event, recorded_at=moment)
    back = decode_event(*encode_event(event))
    assert back.recorded_at == moment
    assert back.recorded_at.utcoffset() == timedelta(0)
    in_other_offset = attrs.evolve(
        event, recorded_at=moment.astimezone(timezone(timedelta(hours=7)))
    )
    assert encode_event(in_other_offset) == encode_event(event)


# --- the fold ----------------------------------------------------------------------------------


@settings(GENERATED, max_examples=60)
@given(s.histories(max_size=15))
def test_fold_is_successive_evolve(events: list[ProjectEvent]) -> None:
    state = ProjectState()
    for index, event in enumerate(events, start=1):
        state = evolve(state, event)
        assert state.version == index
        assert fold(events[:index]) == state
    assert [e for _, e in state.events()] == events


def _view(state: ProjectState) -> dict[str, Any]:
    """What a state says, without the version numbers that tie it to its own stream."""
    pending = state.pending_adjustment
    return {
        "status": state.status,
        "approved_on": state.approved_on,
        "project_name": state.project_name,
        "objectives": state.objectives,
        "investors": state.investors,
        "location": state.location,
        "capital": state.capital,
        "land_area": state.land_area,
        "schedule": state.schedule,
        "original_schedule": state.original_schedule,
        "duration_years": state.duration_years,
        "milestones_met": state.milestones_met,
        "delays_recorded": state.delays_recorded,
        "extension_months_used": state.extension_months_used,
        "extension_months_exempt": state.extension_months_exempt,
        "violations": {
            k: (v.category, v.description, v.found_on, v.sanctioned_on, v.fine, v.remedied_on)
            for k, v in state.violations.items()
        },
        "pending": None
        if pending is None
        else (pending.changes, pending.policy_adjustment_required, pending.triggers),
        "adjustments": [on for on, _ in state.adjustments],
        "extensions": [(e.on, e.months, e.ground) for e in state.extensions],
        "suspended_on": state.suspended_on,
        "suspension_ground": state.suspension_ground,
        "terminated_on": state.terminated_on,
        "review_decisions": [(d.review_round, d.track, d.on) for d in state.review_decisions],
    }


@settings(GENERATED, max_examples=80)
@given(s.histories(max_size=18))
def test_a_corrected_history_reads_as_if_recorded_right_first_time(
    events: list[ProjectEvent],
) -> None:
    state = fold(events)
    effective = [e for _, e in effective_history(state.events())]
    assert _view(state) == _view(fold(effective))


# --- effective_history ------------------------------------------------------------------------


def _delay(day: int, reason: str) -> ProjectEvent:
    return event_from_command(
        RecordDelay(
            **sample_envelope(on=date(2023, 1, day)), milestone="construction_start", reason=reason
        )
    )


def _correction(version: int, replacement: ProjectEvent | None = None) -> ProjectEvent:
    return EventCorrected(
        **sample_envelope(on=date(2023, 2, 1)),
        corrects_version=version,
        action=CorrectionAction.AMEND if replacement else CorrectionAction.RETRACT,
        reason="Đính chính",
        replacement=replacement,
    )


def test_effective_history_drops_retracted_events_and_the_corrections() -> None:
    a, b = _delay(1, "lý do A"), _delay(2, "lý do B")
    recorded = [(1, a), (2, b), (3, _correction(1))]
    assert effective_history(recorded) == [(2, b)]


def test_effective_history_swaps_amended_events_in_place_keeping_their_version() -> None:
    a, b, a2 = _delay(1, "lý do A"), _delay(2, "lý do B"), _delay(1, "lý do A đã sửa")
    recorded = [(1, a), (2, b), (3, _correction(1, a2))]
    assert effective_history(recorded) == [(1, a2), (2, b)]


def test_the_latest_correction_of_a_version_wins() -> None:
    a, a2, a3 = _delay(1, "A"), _delay(1, "A sửa lần 1"), _delay(1, "A sửa lần 2")
    amended_twice = [(1, a), (2, _correction(1, a2)), (3, _correction(1, a3))]
    assert effective_history(amended_twice) == [(1, a3)]
    amended_then_retracted = [(1, a), (2, _correction(1, a2)), (3, _correction(1))]
    assert effective_history(amended_then_retracted) == []
    retracted_then_amended = [(1, a), (2, _correction(1)), (3, _correction(1, a2))]
    assert effective_history(retracted_then_amended) == [(1, a2)]


def test_effective_history_without_corrections_is_the_history() -> None:
    recorded = [(1, _delay(1, "A")), (2, _delay(2, "B"))]
    assert effective_history(recorded) == recorded


# --- months behind and calendar months ----------------------------------------------------------


@settings(GENERATED, max_examples=60)
@given(
    s.histories(max_size=12), st.dates(date(2014, 1, 1), date(2040, 12, 31)), st.integers(0, 4000)
)
def test_months_behind_never_decreases_as_time_goes_on(
    events: list[ProjectEvent], earlier: date, days: int
) -> None:
    state = fold(events)
    later = earlier + timedelta(days=days)
    before, after = state.months_behind(earlier), state.months_behind(later)
    assert before.keys() == after.keys()
    assert all(before[k] <= after[k] for k in before)
    assert all(v >= 0 for v in before.values())


def test_months_behind_counts_whole_months_and_stops_when_met() -> None:
    state = fold(
        [
            event_from_command(sample_approval()),
            event_from_command(
                RecordMilestoneMet(
                    **sample_envelope(on=date(2022, 12, 20)), milestone="capital_contribution"
                )
            ),
        ]
    )
    # capital due 2022-09-15, met 2022-12-20: 3 months late, for good
    assert state.months_behind(date(2025, 1, 1))["capital_contribution"] == 3
    assert state.months_behind(date(2022, 10, 14))["capital_contribution"] == 0
    assert state.months_behind(date(2022, 10, 15))["capital_contribution"] == 1
    # construction due 2023-03-15, not met
    assert state.months_behind(date(2023, 6, 14))["construction_start"] == 2
    assert state.months_behind(date(2023, 6, 15))["construction_start"] == 3


_DATES = st.dates(date(1990, 1, 1), date(2090, 12, 31))


@given(_DATES, st.integers(-600, 600))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day: date, months: int) -> None:
    shifted = add_months(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months
    assert shifted.day == day.day or (
        shifted.day < day.day and (shifted + timedelta(days=1)).day == 1
    )


@given(_DATES, st.integers(0, 600))
def test_full_months_between_inverts_add_months(day: date, months: int) -> None:
    assert add_months(day, 0) == day
    assert full_months_between(day, add_months(day, months)) == months


@given(_DATES, _DATES)
def test_full_months_between_is_the_largest_whole_number_of_months(start: date, end: date) -> None:
    months = full_months_between(start, end)
    if end <= start:
        assert months == 0
    else:
        assert add_months(start, months) <= end < add_months(start, months + 1)


@given(_DATES, _DATES, _DATES)
def test_full_months_between_is_monotone_in_the_end(start: date, a: date, b: date) -> None:
    low, high = sorted((a, b))
    assert full_months_between(start, low) <= full_months_between(start, high)
