"""The compiled canonical text writer gives the generic encoder's bytes, for every value.

The hash chain commits to these bytes: :mod:`dautu_core.canonical_text` must write exactly what
``canonical_bytes`` of the generic walk (:func:`dautu_core.codec._to_data`) writes, including for
values of unexpected classes and for values it remembers.
"""

from __future__ import annotations

import enum
import json
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import canonical_text as ct
from dautu_core import events as ev
from dautu_core import values as va
from dautu_core.codec import _to_data, canonical_bytes, encode_event
from dautu_core.record import GENESIS, make_record
from dautu_core.testing import strategies as s
from dautu_core.testing.samples import SAMPLE_ACTOR
from dautu_core.vocab import AuthorityLevel, Regime

GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _generic_payload(event: ev.ProjectEvent) -> bytes:
    return canonical_bytes(
        {f.name: _to_data(getattr(event, f.name)) for f in attrs.fields(type(event))}
    )


def _generic_record(event: ev.ProjectEvent, prev: Any) -> bytes:
    payload = {f.name: _to_data(getattr(event, f.name)) for f in attrs.fields(type(event))}
    record = {
        "type": event.TYPE_NAME,
        "schema_version": event.SCHEMA_VERSION,
        "prev": prev,
        "data": payload,
    }
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_PREVS = st.one_of(st.just(GENESIS), st.text(max_size=70), st.sampled_from(['a"b\\c', "\u2028"]))


@pytest.mark.parametrize("cls", list(s.EVENT_STRATEGIES), ids=lambda c: c.__name__)
def test_every_event_type_is_written_as_the_generic_encoder_writes_it(cls: type) -> None:
    @settings(GENERATED, max_examples=60)
    @given(s.EVENT_STRATEGIES[cls](), _PREVS)
    def check(event: ev.ProjectEvent, prev: str) -> None:
        expected = _generic_record(event, prev)
        assert make_record(event, prev) == expected
        assert make_record(event, prev) == expected  # again: remembered values give the same
        assert ct.payload_text(event).encode() == _generic_payload(event)
        assert encode_event(event)[2] == _generic_payload(event)

    check()


@settings(GENERATED, max_examples=200)
@given(s.events(), s.events())
def test_values_shared_between_events_are_written_in_each(
    first: ev.ProjectEvent, second: ev.ProjectEvent
) -> None:
    # The second event takes the first's actor and legal basis objects (remembered by identity).
    shared = attrs.evolve(second, actor=first.actor, legal_basis=first.legal_basis)
    for event in (first, shared, first, shared):
        assert make_record(event, GENESIS) == _generic_record(event, GENESIS)


class _Plain(enum.Enum):
    A = (1, "x")


class _Number(enum.IntEnum):
    ONE = 1


class _Mixed(str, enum.Enum):  # noqa: UP042 - str(member) differs from a StrEnum's
    A = "a"


class _Text(str):
    pass


_Pair = namedtuple("_Pair", "a b")  # a plain namedtuple on purpose

_SAMPLES: list[object] = [
    None,
    True,
    False,
    0,
    -7,
    2**70,
    "",
    'ư\n"\\\u2028\x00',
    _Text("t"),
    Regime.IRC,
    AuthorityLevel.PROVINCIAL,
    _Plain.A,
    _Number.ONE,
    _Mixed.A,
    date(2024, 2, 29),
    datetime(2024, 2, 29, 1, 2, 3, 45, tzinfo=timezone(timedelta(hours=7))),
    datetime(2024, 2, 29, 1, 2, 3),
    Decimal("5.50"),
    Decimal("-0"),
    va.Money(5),
    (va.Money(1), [va.Money(2)]),
    [],
    (),
    _Pair(1, "b"),
    {"b": 1, 2: "a", "a": [None]},
    {_Mixed.A: 1, "b": 2},
    {},
    SAMPLE_ACTOR,
    va.Authority(name="UBND", level=AuthorityLevel.PROVINCIAL),
]


@pytest.mark.parametrize("value", _SAMPLES, ids=repr)
def test_values_outside_events_are_written_as_the_generic_encoder_writes_them(
    value: object,
) -> None:
    assert ct.value_text(value).encode() == canonical_bytes(_to_data(value))


def test_a_value_the_codec_cannot_encode_is_refused_the_same_way() -> None:
    with pytest.raises(TypeError, match="cannot encode object"):
        ct.value_text(object())
    with pytest.raises(TypeError, match="cannot encode float"):
        ct.value_text([1.5])


@given(s.events())
@settings(GENERATED, max_examples=50)
def test_a_nested_event_is_written_with_its_type_and_version(event: ev.ProjectEvent) -> None:
    assert ct.value_text(event).encode() == canonical_bytes(_to_data(event))


def test_a_part_of_an_unexpected_class_is_written_and_not_remembered() -> None:
    # Validation bypassed: a list where the class declares text. Written as the generic
    # encoder writes it, and not remembered, so that changing the list changes the text.
    actor = va.Actor(user_id="u1", name="Tên", unit="Phòng")
    inside: list[object] = [1]
    object.__setattr__(actor, "name", inside)
    assert ct.value_text(actor).encode() == canonical_bytes(_to_data(actor))
    inside.append("two")
    assert ct.value_text(actor).encode() == canonical_bytes(_to_data(actor))
    assert b'"two"' in ct.value_text(actor).encode()


def test_a_value_with_an_odd_part_is_not_remembered_inside_another() -> None:
    # The odd part is two levels down (schedule -> milestone -> label): neither the milestone
    # nor the schedule holding it may be remembered.
    label: list[object] = ["Giai đoạn 1"]
    milestone = va.Milestone(kind="phase", due=date(2025, 1, 1), label="x")
    object.__setattr__(milestone, "label", label)
    schedule = va.Schedule(milestones=(milestone,))
    assert ct._rememberable(va.Schedule)
    for _ in range(2):
        assert ct.value_text(schedule).encode() == canonical_bytes(_to_data(schedule))
    label[0] = "Giai đoạn 2"
    assert ct.value_text(schedule).encode() == canonical_bytes(_to_data(schedule))
    assert "Giai đoạn 2" in ct.value_text(schedule)


def test_remembered_texts_are_bounded() -> None:
    for i in range(ct._MEMO_SIZE + 10):
        money = va.Money(i)
        assert ct.value_text(money) == '{"dong":' + str(i) + "}"
    assert len(ct._MEMO) <= ct._MEMO_SIZE


def test_only_frozen_value_classes_of_the_core_are_remembered() -> None:
    assert ct._rememberable(va.Actor)
    assert ct._rememberable(va.LegalBasis)
    assert not ct._rememberable(ev.DelayRecorded)  # an event: its own text, never shared
    assert not ct._rememberable(ev.ProjectChanges)  # not a value class of dautu_core.values
    remembered = [
        item
        for item in vars(va).values()
        if isinstance(item, type) and attrs.has(item) and ct._rememberable(item)
    ]
    assert len(remembered) >= 8
    for cls in remembered:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(object.__new__(cls), attrs.fields(cls)[0].name, None)


def test_times_keep_their_offsets() -> None:
    moment = datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert ct.value_text(moment) == '"2024-01-01T09:00:00+00:00"'
