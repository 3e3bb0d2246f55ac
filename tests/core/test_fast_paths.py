"""The fast paths give exactly what the plain paths give: same events, same bytes, same refusals.

``event_from_command`` copies a command's already checked values instead of running the event's
constructor, ``event_to_data`` uses an encoder compiled per class, records are written by an
encoder built once, and annotations are checked by checks compiled per hint. Each is compared
here with the plain path it replaces, on generated commands and events.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core import values as va
from dautu_core.codec import (
    _to_data,
    canonical_bytes,
    canonical_event_bytes,
    decode_event,
    encode_event,
    event_to_data,
)
from dautu_core.decider import _constructed, event_from_command
from dautu_core.errors import InvalidValue, RuleViolation
from dautu_core.fields import compiled_check, type_matches
from dautu_core.record import GENESIS, make_record
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebook, Rulebooks
from dautu_core.testing import strategies as s
from dautu_core.vocab import Regime

GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain_event_to_data(event: ev.ProjectEvent) -> dict[str, Any]:
    return {f.name: _to_data(getattr(event, f.name)) for f in attrs.fields(type(event))}


def _plain_record(event: ev.ProjectEvent, prev: str) -> bytes:
    data = {
        "type": event.TYPE_NAME,
        "schema_version": event.SCHEMA_VERSION,
        "prev": prev,
        "data": _plain_event_to_data(event),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _same_fields(fast: object, slow: object) -> None:
    assert type(fast) is type(slow)
    assert fast == slow
    for field in attrs.fields(type(slow)):
        mine, theirs = getattr(fast, field.name), getattr(slow, field.name)
        assert type(mine) is type(theirs), field.name
        assert mine == theirs, field.name


@pytest.mark.parametrize("cls", list(s.COMMAND_STRATEGIES), ids=lambda c: c.__name__)
def test_the_event_built_from_a_command_is_the_constructors_event(cls: type[cmd.Command]) -> None:
    @settings(GENERATED, max_examples=40)
    @given(s.COMMAND_STRATEGIES[cls]())
    def check(command: cmd.Command) -> None:
        fast = event_from_command(command)
        slow = _constructed(command, {})
        _same_fields(fast, slow)
        assert hash(fast) == hash(slow)
        assert make_record(fast, GENESIS) == make_record(slow, GENESIS)
        assert make_record(fast, GENESIS) == _plain_record(slow, GENESIS)

    check()


_TRIGGERS = st.lists(st.sampled_from(["capital", "location", "Địa điểm", "e\u0301"]), max_size=3)


@settings(GENERATED, max_examples=60)
@given(s.COMMAND_STRATEGIES[cmd.RequestAdjustment](), st.booleans(), _TRIGGERS)
def test_the_fields_the_decider_adds_are_converted_and_checked(
    command: cmd.Command, required: bool, triggers: list[str]
) -> None:
    extra: dict[str, object] = {"policy_adjustment_required": required, "triggers": triggers}
    fast = event_from_command(command, **extra)
    _same_fields(fast, _constructed(command, extra))
    assert isinstance(fast, ev.AdjustmentRequested)
    assert isinstance(fast.triggers, tuple)


_BAD_EXTRAS: list[dict[str, object]] = [
    {"policy_adjustment_required": "yes"},
    {"policy_adjustment_required": 1},
    {"triggers": "capital"},
    {"triggers": [""]},
    {"triggers": [3]},
    {"triggers": ["capital"], "policy_adjustment_required": None},
]


@pytest.mark.parametrize("extra", _BAD_EXTRAS, ids=repr)
def test_invalid_added_fields_are_refused_as_by_the_constructor(extra: dict[str, object]) -> None:
    @settings(GENERATED, max_examples=5)
    @given(s.COMMAND_STRATEGIES[cmd.RequestAdjustment]())
    def check(command: cmd.Command) -> None:
        with pytest.raises(InvalidValue) as slow:
            _constructed(command, extra)
        with pytest.raises(InvalidValue) as fast:
            event_from_command(command, **extra)
        assert fast.value.field == slow.value.field
        assert fast.value.rule_id == slow.value.rule_id
        assert fast.value.project_code == slow.value.project_code
        assert fast.value.message_en == slow.value.message_en

    check()


def test_an_unknown_added_field_is_refused_as_by_the_constructor() -> None:
    @settings(GENERATED, max_examples=5)
    @given(s.COMMAND_STRATEGIES[cmd.RecordDelay]())
    def check(command: cmd.Command) -> None:
        with pytest.raises(TypeError):
            event_from_command(command, unknown=1)

    check()


def test_with_validators_disabled_the_constructor_is_used() -> None:
    @settings(GENERATED, max_examples=5)
    @given(s.COMMAND_STRATEGIES[cmd.RequestAdjustment]())
    def check(command: cmd.Command) -> None:
        with attrs.validators.disabled():
            event = event_from_command(command, policy_adjustment_required="yes")
        assert isinstance(event, ev.AdjustmentRequested)
        assert event.policy_adjustment_required == "yes"

    check()


@settings(GENERATED, max_examples=300)
@given(s.events())
def test_compiled_encoding_gives_the_same_data_and_bytes(event: ev.ProjectEvent) -> None:
    data = event_to_data(event)
    assert data == _plain_event_to_data(event)
    assert canonical_event_bytes(data) == canonical_bytes(data)
    assert (
        canonical_bytes(data)
        == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    prev = "a" * 64
    assert make_record(event, prev) == _plain_record(event, prev)
    type_name, version, payload = encode_event(event)
    assert payload == canonical_bytes(_plain_event_to_data(event))
    assert decode_event(type_name, version, payload) == event


def test_encoding_values_outside_events_matches_the_plain_encoder() -> None:
    samples: list[object] = [
        None,
        True,
        0,
        "ư",
        Regime.IRC,
        date(2024, 2, 29),
        datetime(2024, 2, 29, 1, 2, 3, tzinfo=UTC),
        Decimal("5.5"),
        va.Money(5),
        (va.Money(1), [va.Money(2)]),
        {"b": 1, 2: "a"},
    ]
    from dautu_core.codec import _encode

    for value in samples:
        assert _encode(value) == _to_data(value)
    with pytest.raises(TypeError):
        _encode(object())


def _classes() -> list[type]:
    found: list[type] = []
    for module in (ev, cmd, va):
        for name in dir(module):
            item = getattr(module, name)
            if isinstance(item, type) and attrs.has(item):
                found.append(item)
    return found


_HINTS = sorted(
    {hint for cls in _classes() for hint in typing.get_type_hints(cls).values()}
    | {int | str, tuple[int, str], dict[str, int], Mapping[str, int], frozenset[int], Any},
    key=repr,
)

_SAMPLES: list[object] = [
    None,
    True,
    False,
    0,
    7,
    -1,
    "",
    "x",
    Decimal(1),
    date(2024, 1, 1),
    datetime(2024, 1, 1, tzinfo=UTC),
    (),
    ("a",),
    ("a", 1),
    (1, "a"),
    [1],
    {"a": 1},
    frozenset({1}),
    {1},
    va.Money(1),
    va.LandArea(Decimal(3)),
    (va.Money(1),),
    Regime.IRC,
]


@pytest.mark.parametrize("hint", _HINTS, ids=repr)
def test_compiled_type_checks_agree_with_type_matches(hint: Any) -> None:
    check = compiled_check(hint)
    for value in _SAMPLES:
        assert check(value) == type_matches(value, hint), value


@settings(GENERATED, max_examples=100)
@given(s.events())
def test_compiled_type_checks_agree_on_generated_field_values(event: ev.ProjectEvent) -> None:
    hints = typing.get_type_hints(type(event))
    values = [getattr(event, f.name) for f in attrs.fields(type(event))]
    for name, hint in hints.items():
        if name in {"TYPE_NAME", "SCHEMA_VERSION", "EVENT"}:
            continue
        for value in values:
            assert compiled_check(hint)(value) == type_matches(value, hint), (name, value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("effective_date", datetime(2024, 1, 1, tzinfo=UTC)),
        ("milestone", 3),
        ("found_by", "Sở"),
        ("legal_basis", ["x"]),
        ("reason", None),
    ],
)
def test_wrongly_typed_values_are_still_refused_naming_the_field(field: str, value: object) -> None:
    @settings(GENERATED, max_examples=3)
    @given(s.COMMAND_STRATEGIES[cmd.RecordDelay]())
    def check(command: cmd.Command) -> None:
        values = {f.name: getattr(command, f.name) for f in attrs.fields(type(command))}
        values[field] = value
        for cls in (cmd.RecordDelay, ev.DelayRecorded):
            with pytest.raises(InvalidValue) as refused:
                cls(**values)
            assert refused.value.field == field

    check()


# --- Rulebooks.in_force remembers its answers -------------------------------------------------

_ANY_DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


def _scanned(books: Rulebooks, day: date) -> Rulebook | None:
    return next((book for book in books.books if book.in_force(day)), None)


@settings(GENERATED, max_examples=300)
@given(st.lists(_ANY_DAY, min_size=1, max_size=20))
def test_the_rulebook_in_force_is_the_one_found_by_scanning(days: list[date]) -> None:
    books = Rulebooks(BUILTIN_RULEBOOKS.books[1:])  # a gap before: some days have no book
    for day in [*days, *days]:  # again: remembered answers
        expected = _scanned(books, day)
        if expected is None:
            with pytest.raises(RuleViolation) as refusal:
                books.in_force(day, "0500000000")
            assert refusal.value.rule_id == "rulebook_in_force"
            assert refusal.value.project_code == "0500000000"
        else:
            assert books.in_force(day) is expected


def test_remembering_answers_changes_no_comparison_of_rulebooks() -> None:
    books = Rulebooks(BUILTIN_RULEBOOKS.books)
    fresh = Rulebooks(BUILTIN_RULEBOOKS.books)
    before = repr(books)
    for offset in range(5000):  # more days than are remembered
        books.in_force(date(2015, 1, 1) + timedelta(days=offset))
    assert books == fresh
    assert repr(books) == before
    assert len(books._by_day) <= 4096
    assert attrs.evolve(books).in_force(date(2024, 1, 1)) is books.in_force(date(2024, 1, 1))


class _Day(date):
    pass


def test_a_date_of_another_class_is_judged_without_being_remembered() -> None:
    books = Rulebooks(BUILTIN_RULEBOOKS.books)
    day = _Day(2024, 1, 1)
    assert books.in_force(day) is _scanned(books, day)
    assert day not in books._by_day
    assert books.in_force(date(2024, 1, 1)) is _scanned(books, day)
    assert date(2024, 1, 1) in books._by_day
