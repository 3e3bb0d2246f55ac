"""Every event type has its handler wherever one is dispatched by type.

The effect of an event on a project is written once per type in each table that dispatches on
the type name; a new event type added to :data:`~dautu_core.events.EVENT_TYPES` without its
handlers would be ignored silently by a fold (the fallback keeps the state as it is), so this
test makes the omission loud instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_core.event_view import FOLD_FIELDS
from dautu_core.events import EVENT_TYPES, EventCorrected
from dautu_core.state import HANDLERS

CORRECTION = EventCorrected.TYPE_NAME
"""Corrections are applied before the fold (they refold the corrected history), never folded
as a fact of their own: the handlers do not have them; the views (a correction is read before
it is applied) and the labels do."""

TABLES: dict[str, tuple[Mapping[str, Any], bool]] = {
    "dautu_core.state.HANDLERS (the one fold)": (HANDLERS, False),
    "dautu_core.event_view.FOLD_FIELDS (what the fold reads of a stored event)": (
        FOLD_FIELDS,
        True,
    ),
    "dautu_adapters.audit.render.EVENT_LABELS (history labels)": (EVENT_LABELS, True),
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_event_type_has_a_handler(table: str) -> None:
    handlers, with_corrections = TABLES[table]
    wanted = set(EVENT_TYPES) if with_corrections else set(EVENT_TYPES) - {CORRECTION}
    missing = sorted(wanted - set(handlers))
    assert not missing, f"{table} lacks a handler for {missing}"
    stray = sorted(set(handlers) - wanted)
    assert not stray, f"{table} has handlers for unknown event types {stray}"


def test_the_check_fails_for_a_new_event_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: an event type nobody handles is reported for every table."""
    monkeypatch.setitem(EVENT_TYPES, "dautu.SomethingNew", EventCorrected)
    for table in TABLES:
        with pytest.raises(AssertionError, match="SomethingNew"):
            test_every_event_type_has_a_handler(table)
