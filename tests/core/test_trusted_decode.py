"""``trusted_event_from_data`` (decoding a record dautu wrote, without re-validating) gives
exactly what ``event_from_data`` gives, for every event type: the same classes, the same
values, field by field, type by type, offset by offset.

Why: a rebuild decodes stored records the trusted way (see ``ProjectService.snapshot``); a
difference here would make a state rebuilt from the store differ from the state the same
events give when they are decided.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from dautu_core import EVENT_TYPES, ProjectEvent, codec
from dautu_core import commands as cmd
from dautu_core.codec import (
    Upcasters,
    canonical_bytes,
    event_from_data,
    event_to_data,
    trusted_event_from_data,
)
from dautu_core.decider import event_from_command
from dautu_core.errors import InvalidValue
from dautu_core.testing import strategies as s
from dautu_core.testing.samples import sample_envelope

GENERATED = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def assert_same(trusted: Any, checked: Any, where: str = "event") -> None:
    """Equal, and of the same types all the way down (``==`` alone would let a list pass
    for a tuple, a str for an enum member, or another offset for the same instant)."""
    assert type(trusted) is type(checked), where
    if attrs.has(type(checked)):
        for field in attrs.fields(type(checked)):
            assert_same(
                getattr(trusted, field.name), getattr(checked, field.name), f"{where}.{field.name}"
            )
    elif isinstance(checked, tuple | list):
        assert len(trusted) == len(checked), where
        for i, (a, b) in enumerate(zip(trusted, checked, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(checked, dict):
        assert list(trusted) == list(checked), where
        for key in checked:
            assert_same(trusted[key], checked[key], f"{where}[{key!r}]")
    elif isinstance(checked, datetime):
        assert trusted == checked and trusted.tzinfo == checked.tzinfo, where
        assert trusted.isoformat() == checked.isoformat(), where
    else:
        assert trusted == checked, where
        assert repr(trusted) == repr(checked), where
    assert trusted == checked, where


def stored_payload(event: ProjectEvent) -> dict[str, Any]:
    """The payload as a store gives it back: the canonical bytes, parsed again."""
    parsed: dict[str, Any] = json.loads(canonical_bytes(event_to_data(event)))
    return parsed


def no_fallback(*_args: object) -> ProjectEvent:
    raise AssertionError("the trusted path fell back to the validating one")


@pytest.mark.parametrize("cls", list(s.EVENT_STRATEGIES), ids=lambda c: c.__name__)
def test_trusted_decoding_equals_validating_decoding(cls: type[ProjectEvent]) -> None:
    @GENERATED
    @given(s.EVENT_STRATEGIES[cls]())
    def check(event: ProjectEvent) -> None:
        payload = stored_payload(event)
        checked = event_from_data(cls.TYPE_NAME, cls.SCHEMA_VERSION, payload)
        with mock.patch.object(codec, "event_from_data", no_fallback):
            trusted = trusted_event_from_data(
                cls.TYPE_NAME, cls.SCHEMA_VERSION, stored_payload(event)
            )
        assert_same(trusted, checked)
        assert_same(trusted, event)
        assert hash(trusted) == hash(checked)
        assert canonical_bytes(event_to_data(trusted)) == canonical_bytes(payload)

    check()


def test_every_event_type_is_covered() -> None:
    assert set(s.EVENT_STRATEGIES) == set(EVENT_TYPES.values())


@GENERATED
@given(s.events())
def test_a_payload_not_exactly_the_classs_takes_the_validating_path(event: ProjectEvent) -> None:
    payload = stored_payload(event)
    name = event.TYPE_NAME
    unknown = {**payload, "surprise": 1}
    with pytest.raises(InvalidValue) as trusted:
        trusted_event_from_data(name, event.SCHEMA_VERSION, unknown)
    with pytest.raises(InvalidValue) as checked:
        event_from_data(name, event.SCHEMA_VERSION, unknown)
    assert str(trusted.value) == str(checked.value)
    missing = dict(payload)
    del missing["actor"]
    with pytest.raises(InvalidValue) as trusted:
        trusted_event_from_data(name, event.SCHEMA_VERSION, missing)
    with pytest.raises(InvalidValue) as checked:
        event_from_data(name, event.SCHEMA_VERSION, dict(missing))
    assert str(trusted.value) == str(checked.value)


def a_delay() -> ProjectEvent:
    return event_from_command(
        cmd.RecordDelay(
            **sample_envelope("DA-0001", date(2023, 4, 2)),
            milestone="construction_start",
            reason="Chậm giải phóng mặt bằng",
        )
    )


def test_an_unknown_type_and_an_old_schema_version_take_the_validating_path() -> None:
    event = a_delay()
    payload = stored_payload(event)
    with pytest.raises(InvalidValue) as unknown:
        trusted_event_from_data("dautu.Nothing", 1, payload)
    assert unknown.value.rule_id == "event_type_known"

    def upcast(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "reason": data["reason"] + " (v0)"}

    upcasters = Upcasters().with_upcaster(event.TYPE_NAME, 0, upcast)
    trusted = trusted_event_from_data(event.TYPE_NAME, 0, stored_payload(event), upcasters)
    assert_same(trusted, event_from_data(event.TYPE_NAME, 0, payload, upcasters))
    assert trusted.reason.endswith(" (v0)")  # type: ignore[attr-defined]


def test_a_recorded_time_with_another_offset_is_kept_in_utc_as_when_validated() -> None:
    event = a_delay()
    payload = {**stored_payload(event), "recorded_at": "2024-02-21T09:00:00+07:00"}
    checked = event_from_data(event.TYPE_NAME, event.SCHEMA_VERSION, dict(payload))
    trusted = trusted_event_from_data(event.TYPE_NAME, event.SCHEMA_VERSION, dict(payload))
    assert_same(trusted, checked)
    assert trusted.recorded_at.isoformat() == "2024-02-21T02:00:00+00:00"
    assert isinstance(trusted.effective_date, date)
