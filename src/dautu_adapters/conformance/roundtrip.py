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

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dautu_adapters.conformance.base import KitBase
from dautu_adapters.conformance.diagnose import append_or_explain, bytes_problem, check_stream
from dautu_adapters.conformance.records import chain, unique_code
from dautu_core import events as ev
from dautu_core.fields import MAX_PROJECT_CODE_LENGTH
from dautu_core.ports import AppendBatch, EventStore
from dautu_core.record import GENESIS, StoredRecord
from dautu_core.state import fold
from dautu_core.testing.strategies import EVENT_STRATEGIES, events, histories

__all__ = ["RoundTripTests", "assert_round_trip", "kit_settings"]


def kit_settings(max_examples: int, *, shrink: bool = True) -> settings:
    """Hypothesis settings of the kit: no deadline (a store's speed is not on trial).

    ``shrink=False`` reports the first failing example as found: on a store that costs tens of
    milliseconds a call, shrinking a failure can take far longer than finding it.
    """
    phases = [Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] if shrink else [])]
    return settings(
        max_examples=max(1, max_examples),
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _moved(event: ev.ProjectEvent, code: str) -> ev.ProjectEvent:
    if isinstance(event, ev.EventCorrected) and event.replacement is not None:
        event = attrs.evolve(event, replacement=_moved(event.replacement, code))
    return attrs.evolve(event, project_code=code)


def _rebased(events_: Sequence[ev.ProjectEvent], label: str) -> list[ev.ProjectEvent]:
    """The events moved under one fresh project code (keeping the generated one in it, so odd
    codes are still exercised)."""
    prefix = unique_code(label)
    room = MAX_PROJECT_CODE_LENGTH - len(prefix) - 1  # a project code's stated maximum
    code = f"{prefix} {events_[0].project_code[:room]}".strip()
    return [_moved(event, code) for event in events_]


def assert_round_trip(store: EventStore, groups: Sequence[Sequence[ev.ProjectEvent]]) -> None:
    """Append each group as a new project's stream, in one call, and check what comes back."""
    top = store.max_position()
    batches = [AppendBatch(group[0].project_code, 0, chain(group)) for group in groups]
    positions = append_or_explain(store, batches)
    total = sum(len(group) for group in groups)
    assert positions == list(range(top + 1, top + total + 1)), (
        f"append must return the positions {top + 1} to {top + total}, returned {positions}"
    )
    read: list[StoredRecord] = []
    for group, batch in zip(groups, batches, strict=True):
        stream = store.read_stream(batch.project_code)
        check_stream(stream, batch.project_code, batch.records)
        assert [r.prev for r in stream] == [GENESIS, *(r.hash for r in stream[:-1])]
        assert [r.event() for r in stream] == list(group)
        read += stream
    log = store.read_log(after_position=top)
    for record, new in zip(log, [r for b in batches for r in b.records], strict=False):
        problem = bytes_problem(record.data, new.data, f"read_log: position {record.position}")
        assert problem is None, problem
    assert log == sorted(read, key=lambda r: r.position), (
        "read_log must return the appended records, in the order of their positions"
    )


class RoundTripTests(KitBase):
    """The round-trip part of :class:`~dautu_adapters.conformance.EventStoreConformance`:
    the last group to run, being the costliest."""

    @pytest.mark.parametrize("event_type", sorted(c.TYPE_NAME for c in EVENT_STRATEGIES))
    def test_every_event_type_round_trips(self, store: EventStore, event_type: str) -> None:
        strategy = EVENT_STRATEGIES[ev.EVENT_TYPES[event_type]]
        budget = max(2, self.max_examples // 3)

        @kit_settings(budget, shrink=self.shrink)
        @given(st.lists(strategy(), min_size=1, max_size=3))
        def check(generated: list[ev.ProjectEvent]) -> None:
            assert_round_trip(store, [_rebased(generated, "type")])

        check()

    def test_several_projects_round_trip_in_one_append(self, store: EventStore) -> None:
        @kit_settings(self.max_examples, shrink=self.shrink)
        @given(st.lists(st.lists(events(), min_size=1, max_size=4), min_size=1, max_size=4))
        def check(groups: list[list[ev.ProjectEvent]]) -> None:
            assert_round_trip(store, [_rebased(group, "mixed") for group in groups])

        check()

    def test_a_project_life_folds_the_same_after_storage(self, store: EventStore) -> None:
        @kit_settings(max(2, self.max_examples // 2), shrink=self.shrink)
        @given(histories(max_size=8))
        def check(history: list[ev.ProjectEvent]) -> None:
            history = _rebased(history, "life")
            code = history[0].project_code
            records = chain(history)
            append_or_explain(store, [AppendBatch(code, 0, records)])
            read = store.read_stream(code)
            check_stream(read, code, records)
            stored = [r.event() for r in read]
            assert stored == history
            assert fold(stored) == fold(history)

        check()
