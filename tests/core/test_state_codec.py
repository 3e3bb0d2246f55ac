"""The stored form of a project's state gives back the same state, field by field."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from dautu_core import ProjectEvent, fold
from dautu_core.state import ProjectState
from dautu_core.state_codec import STATE_FORMAT, _layout, decode_state, encode_state
from dautu_core.testing import histories

GENERATED = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIVES = histories(min_size=0, max_size=16, start=date(2017, 1, 1), end=date(2026, 12, 31))


def _fields(state: ProjectState) -> dict[str, Any]:
    """Every field but the history, the provenance ones (``eq=False``) included."""
    return {
        a.name: getattr(state, a.name) for a in attrs.fields(ProjectState) if a.name != "history"
    }


@GENERATED
@given(LIVES)
def test_a_state_decodes_to_itself_field_by_field(events: list[ProjectEvent]) -> None:
    state = fold(events)
    data = encode_state(state)
    back = decode_state(data)

    assert back == state
    assert _fields(back) == _fields(state)
    # mappings keep the order the events made them in (the review lists them in it)
    for name, value in _fields(state).items():
        if isinstance(value, dict):
            assert list(getattr(back, name)) == list(value), name
    assert back.history is None
    assert encode_state(back) == data  # canonical: the same state, the same bytes


def test_the_history_given_is_the_history_kept() -> None:
    link = (1, object(), None)
    assert decode_state(encode_state(ProjectState()), link).history is link


def test_bytes_of_another_layout_are_refused() -> None:
    data = json.loads(encode_state(ProjectState()))
    with pytest.raises(ValueError):
        decode_state(json.dumps({**data, "unknown": 1}).encode())
    del data["version"]
    with pytest.raises(ValueError):
        decode_state(json.dumps(data).encode())
    with pytest.raises(ValueError):
        decode_state(b"[]")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "3"),
        ("version", True),
        ("milestones_met", {"a": "2020-01-01"}),
        ("last_investor_action", ["2020-01-01"]),
        ("corrected_versions", 3),
        ("approved_on", 20200101),
    ],
)
def test_a_field_of_the_wrong_shape_is_refused(field: str, value: Any) -> None:
    data = json.loads(encode_state(ProjectState()))
    data[field] = value
    with pytest.raises((ValueError, TypeError, AttributeError)):
        decode_state(json.dumps(data).encode())


def test_the_format_digests_every_field_but_the_history() -> None:
    layout = _layout()
    assert hashlib.sha256(layout.encode()).hexdigest() == STATE_FORMAT
    first = layout.splitlines()[1]
    for a in attrs.fields(ProjectState):
        assert (f" {a.name}: " in first) == (a.name != "history")
    assert "class dautu_core.state.Violation:" in layout
    assert "enum dautu_core.vocab.ProjectStatus:" in layout
