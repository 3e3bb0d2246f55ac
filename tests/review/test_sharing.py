"""Entries share equal texts and payloads, and sharing changes nothing they say.

A portfolio's entries take one object per distinct type name, date and small payload
(:mod:`dautu_core.review.timeline`, to save memory); these checks compare shared entries with
entries made without the table, and make sure values that are equal in Python but not in JSON
(``true`` and ``1``) are never shared.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings

from dautu_core import ProjectEvent
from dautu_core.review import timeline
from dautu_core.review.timeline import (
    TimelineEntry,
    entries_from_json,
    entry_from_event,
    timeline_from_events,
)
from dautu_core.testing import histories

GENERATED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIVES = histories(min_size=1, max_size=14, start=date(2017, 1, 1), end=date(2026, 12, 31))


@GENERATED
@given(LIVES, LIVES)
def test_shared_entries_equal_the_entries_made_alone(
    first: list[ProjectEvent], second: list[ProjectEvent]
) -> None:
    alone = []
    for events in (first, second):
        for version, event in enumerate(events, start=1):
            timeline._SHARED.clear()
            alone.append(entry_from_event(version, event))
    timeline._SHARED.clear()
    together = [
        entry
        for events in (first, second)
        for entry in timeline_from_events(enumerate(events, start=1)).entries
    ]
    assert together == alone
    assert [e.to_json() for e in together] == [e.to_json() for e in alone]
    loaded = entries_from_json([e.to_json() for e in together])
    assert list(loaded) == [TimelineEntry.from_json(e.to_json()) for e in together] == alone


def test_equal_payloads_of_one_type_are_one_object_and_json_types_are_kept_apart() -> None:
    share = timeline._sharing()
    one = timeline._data("dautu.DelayRecorded", {"milestone": "construction_start"}, share)
    again = timeline._data("dautu.DelayRecorded", {"milestone": "construction_start"}, share)
    assert again is one
    flag = timeline._data("x", {"partial": True}, share)
    number = timeline._data("x", {"partial": 1}, share)
    assert flag is not number and number["partial"].__class__ is int
    other_type = timeline._data("y", {"partial": True}, share)
    assert other_type is not flag
    nested = {"changes": {"capital": None}}
    assert timeline._data("x", nested, share) is nested


def test_the_table_is_emptied_when_full() -> None:
    timeline._SHARED.clear()
    share = timeline._sharing()
    for n in range(timeline._SHARED_SIZE):
        share(str(n), str(n))
    assert len(timeline._SHARED) == timeline._SHARED_SIZE
    timeline._sharing()
    assert not timeline._SHARED
