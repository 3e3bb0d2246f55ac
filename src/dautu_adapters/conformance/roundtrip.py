"""Round trips through a store, driven by the core's public hypothesis strategies.

Why hypothesis here: a store that keeps "most" records intact is broken in the worst way, so
the kit lets :mod:`dautu_core.testing.strategies` generate events of every type with the text,
numbers and times that break stores (Vietnamese in NFC and NFD, money past 2**64, decimal
areas, odd UTC offsets, microseconds), and checks that the bytes come back exactly and decode
to equal events. Each example writes under project codes of its own, so one store serves all
the examples of a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_adapters.conformance.records import chain, unique_code
from dautu_core import events as ev
from dautu_core.ports import AppendBatch, EventStore
from dautu_core.record import GENESIS, StoredRecord
from dautu_core.state import fold
from dautu_core.testing.strategies import EVENT_STRATEGIES, events, histories

__all__ = ["RoundTripTests", "assert_round_trip", "kit_settings"]


def kit_settings(max_examples: int) -> settings:
    """Hypothesis settings of the kit: no deadline (a store's speed is not on trial)."""
    return settings(
        max_examples=max(1, max_examples),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _moved(event: ev.ProjectEvent, code: str) -> ev.ProjectEvent:
    if isinstance(event, ev.EventCorrected) and event.replacement is not None:
        event = attrs.evolve(event, replacement=_moved(event.replacement, code))
    return attrs.evolve(event, project_code=code)


def _rebased(events_: Sequence[ev.ProjectEvent], label: str) -> list[ev.ProjectEvent]:
    """The events moved under one fresh project code (keeping the generated one in it, so odd
    codes are still exercised)."""
    code = f"{unique_code(label)} {events_[0].project_code}"
    return [_moved(event, code) for event in events_]


def assert_round_trip(store: EventStore, groups: Sequence[Sequence[ev.ProjectEvent]]) -> None:
    """Append each group as a new project's stream, in one call, and check what comes back."""
    top = store.max_position()
    batches = [AppendBatch(group[0].project_code, 0, chain(group)) for group in groups]
    positions = store.append(batches)
    total = sum(len(group) for group in groups)
    assert positions == list(range(top + 1, top + total + 1))
    read: list[StoredRecord] = []
    for group, batch in zip(groups, batches, strict=True):
        stream = store.read_stream(batch.project_code)
        assert [r.version for r in stream] == list(range(1, len(group) + 1))
        assert {r.project_code for r in stream} == {batch.project_code}
        assert [r.type_name for r in stream] == [e.TYPE_NAME for e in group]
        assert [r.data for r in stream] == [r.data for r in batch.records], (
            "stored bytes must come back exactly"
        )
        assert [r.prev for r in stream] == [GENESIS, *(r.hash for r in stream[:-1])]
        assert [r.event() for r in stream] == list(group)
        read += stream
    assert store.read_log(after_position=top) == sorted(read, key=lambda r: r.position), (
        "read_log must return the appended records, in the order of their positions"
    )


class RoundTripTests:
    """The round-trip part of :class:`~dautu_adapters.conformance.EventStoreConformance`."""

    max_examples: ClassVar[int]

    @pytest.mark.parametrize("event_type", sorted(c.TYPE_NAME for c in EVENT_STRATEGIES))
    def test_every_event_type_round_trips(self, store: EventStore, event_type: str) -> None:
        strategy = EVENT_STRATEGIES[ev.EVENT_TYPES[event_type]]
        budget = max(2, self.max_examples // 3)

        @kit_settings(budget)
        @given(st.lists(strategy(), min_size=1, max_size=3))
        def check(generated: list[ev.ProjectEvent]) -> None:
            assert_round_trip(store, [_rebased(generated, "type")])

        check()

    def test_several_projects_round_trip_in_one_append(self, store: EventStore) -> None:
        @kit_settings(self.max_examples)
        @given(st.lists(st.lists(events(), min_size=1, max_size=4), min_size=1, max_size=4))
        def check(groups: list[list[ev.ProjectEvent]]) -> None:
            assert_round_trip(store, [_rebased(group, "mixed") for group in groups])

        check()

    def test_a_project_life_folds_the_same_after_storage(self, store: EventStore) -> None:
        @kit_settings(max(2, self.max_examples // 2))
        @given(histories(max_size=8))
        def check(history: list[ev.ProjectEvent]) -> None:
            history = _rebased(history, "life")
            code = history[0].project_code
            store.append([AppendBatch(code, 0, chain(history))])
            stored = [r.event() for r in store.read_stream(code)]
            assert stored == history
            assert fold(stored) == fold(history)

        check()
