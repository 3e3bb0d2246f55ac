"""The drafted fold (one private state changed in place) gives exactly the plain fold's state.

:func:`dautu_core.state.fold_drafted` is the fast path of :func:`dautu_core.replay.state_of`:
it hands the same handlers a draft they update instead of copy, and sets the bookkeeping
(version, history, recorded time of the last event) once at the end. Compared here with the
plain chain of :func:`dautu_core.state.evolve_at` on every field, bookkeeping included, for
typed events and for the views the review folds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import ProjectEvent, fold
from dautu_core.review.timeline import entry_from_event
from dautu_core.state import (
    ProjectState,
    effective_history,
    evolve,
    evolve_all,
    evolve_at,
    fold_drafted,
)
from dautu_core.testing import histories

GENERATED = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIVES = histories(min_size=0, max_size=14, start=date(2017, 1, 1), end=date(2026, 12, 31))


def _all_fields(state: ProjectState) -> dict[str, Any]:
    return {a.name: getattr(state, a.name) for a in attrs.fields(ProjectState)}


def _plain(items: list[tuple[int, Any]], **changes: Any) -> ProjectState:
    state = ProjectState()
    for version, event in items:
        state = evolve_at(state, event, version)
    return attrs.evolve(state, **changes)


def _items(events: list[ProjectEvent], views: bool) -> list[tuple[int, Any]]:
    recorded: list[tuple[int, Any]] = list(enumerate(events, start=1))
    if views:
        recorded = [(v, entry_from_event(v, e).view()) for v, e in recorded]
    return effective_history(recorded)


@GENERATED
@given(LIVES, st.booleans())
def test_the_drafted_fold_equals_the_plain_fold_on_every_field(
    events: list[ProjectEvent], views: bool
) -> None:
    items = _items(events, views)
    changes = {"version": len(events), "corrected_versions": frozenset({1})}
    drafted = fold_drafted(items, **changes)
    plain = _plain(items, **changes)
    assert type(drafted) is ProjectState
    assert _all_fields(drafted) == _all_fields(plain)
    assert drafted == plain


@GENERATED
@given(LIVES)
def test_the_drafted_fold_changes_no_state_but_its_own(events: list[ProjectEvent]) -> None:
    """A draft starts from shared empty mappings and ends as a plain state: folding leaves the
    empty state empty, and a state handed out before is not changed by a later fold."""
    items = _items(events, views=False)
    first = fold_drafted(items)
    kept = _all_fields(first)
    fold_drafted(items)
    fold_drafted(items[: len(items) // 2])
    assert _all_fields(first) == kept
    assert _all_fields(ProjectState()) == _all_fields(fold([]))
    assert fold_drafted([]) == ProjectState()
    # and the plain fold continues from a drafted state as from its own
    if events:
        assert evolve(fold_drafted(items), events[-1]) == evolve(_plain(items), events[-1])


@GENERATED
@given(LIVES, st.integers(min_value=0, max_value=14))
def test_evolve_all_equals_evolve_one_by_one_from_any_state(
    events: list[ProjectEvent], split: int
) -> None:
    """From any state reached by a plain fold, corrections included: :func:`evolve_all` gives
    :func:`evolve`'s state on every field, and leaves its starting state as it was."""
    head, tail = events[:split], events[split:]
    start = ProjectState()
    for event in head:
        start = evolve(start, event)
    kept = _all_fields(start)
    plain = start
    for event in tail:
        plain = evolve(plain, event)
    drafted = evolve_all(start, tail)
    assert type(drafted) is ProjectState
    assert _all_fields(drafted) == _all_fields(plain)
    assert _all_fields(start) == kept
    assert evolve_all(start, []) is start
