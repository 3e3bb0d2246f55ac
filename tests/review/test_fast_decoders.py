"""The views' own decoders of schedules and investors give exactly the codec's values.

:mod:`dautu_core.event_view` reads a stored schedule by setting each milestone's fields
directly and the investors through their constructor without the codec's look-up; compared
here with the codec's decoders (:func:`dautu_core.codec.field_decoder`) on generated values,
and on stored data the constructors would change or refuse, which must go to them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import events as ev
from dautu_core import values as va
from dautu_core.codec import NO_UPCASTERS, _to_data, field_decoder
from dautu_core.errors import DautuError
from dautu_core.event_view import _fast_decoder
from dautu_core.testing import strategies as s

GENERATED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST_SCHEDULE = _fast_decoder(ev.ProjectApproved, "schedule")
FAST_INVESTORS = _fast_decoder(ev.ProjectApproved, "investors")
CODEC_SCHEDULE = field_decoder(ev.ProjectApproved, "schedule")
CODEC_INVESTORS = field_decoder(ev.ProjectApproved, "investors")


def _same(fast: Any, codec: Any) -> None:
    assert type(fast) is type(codec)
    assert fast == codec
    assert fast.keys == codec.keys and fast.last_due == codec.last_due
    for mine, theirs in zip(fast.milestones, codec.milestones, strict=True):
        assert (mine.kind, mine.due, mine.label, mine.key) == (
            theirs.kind,
            theirs.due,
            theirs.label,
            theirs.key,
        )
        assert type(mine.kind) is type(theirs.kind)


def test_the_fast_decoders_are_used_for_the_approval() -> None:
    assert FAST_SCHEDULE is not None and FAST_INVESTORS is not None
    assert CODEC_SCHEDULE is not None and CODEC_INVESTORS is not None
    assert _fast_decoder(ev.ProjectApproved, "location") is None


@GENERATED
@given(s.schedules())
def test_a_stored_schedule_reads_as_the_codec_reads_it(schedule: va.Schedule) -> None:
    assert FAST_SCHEDULE is not None and CODEC_SCHEDULE is not None
    data = _to_data(schedule)
    _same(FAST_SCHEDULE(data, NO_UPCASTERS), CODEC_SCHEDULE(data, NO_UPCASTERS))
    assert FAST_SCHEDULE(data, NO_UPCASTERS) == schedule


@GENERATED
@given(st.lists(s.investors(), min_size=1, max_size=4))
def test_stored_investors_read_as_the_codec_reads_them(investors: list[va.Investor]) -> None:
    assert FAST_INVESTORS is not None and CODEC_INVESTORS is not None
    data = _to_data(tuple(investors))
    assert FAST_INVESTORS(data, NO_UPCASTERS) == CODEC_INVESTORS(data, NO_UPCASTERS)


def _milestone(**changes: Any) -> dict[str, Any]:
    return {"due": "2024-01-31", "kind": "construction_start", "label": None, **changes}


@pytest.mark.parametrize(
    "data",
    [
        {"milestones": [_milestone(label=" Giai đoạn 1 ")]},  # the converter strips it
        {"milestones": [_milestone(kind="phase", label="Giai đoa\u0323n 1")]},  # NFD: NFC
    ],
    ids=["stripped", "nfd"],
)
def test_data_the_constructor_would_change_goes_to_the_constructor(data: dict[str, Any]) -> None:
    assert FAST_SCHEDULE is not None and CODEC_SCHEDULE is not None
    codec = CODEC_SCHEDULE(data, NO_UPCASTERS)
    _same(FAST_SCHEDULE(data, NO_UPCASTERS), codec)
    assert codec.milestones[0].label != data["milestones"][0]["label"]


@pytest.mark.parametrize(
    "data",
    [
        {"milestones": [_milestone(kind="phase")]},  # a phase needs a label
        {"milestones": [_milestone(), _milestone(due="2025-01-01")]},  # repeated
        {"milestones": [_milestone(kind="no_such_kind")]},
        {"milestones": [_milestone(extra=1)]},
        {"milestones": [_milestone(label="x\x00y")]},
    ],
    ids=["phase-without-label", "repeated", "unknown-kind", "unknown-field", "control"],
)
def test_data_the_constructor_refuses_is_refused_as_it_refuses_it(data: dict[str, Any]) -> None:
    assert FAST_SCHEDULE is not None and CODEC_SCHEDULE is not None
    with pytest.raises((DautuError, KeyError, TypeError, ValueError)) as codec:
        CODEC_SCHEDULE(data, NO_UPCASTERS)
    with pytest.raises(codec.type):
        FAST_SCHEDULE(data, NO_UPCASTERS)
