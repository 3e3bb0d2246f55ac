"""Old schema versions are read through upcasters; stored bytes are never rewritten."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from dautu_core import (
    GENESIS,
    Authority,
    CorrectionAction,
    EventCorrected,
    InvalidValue,
    RecordViolation,
    StoredRecord,
    Upcasters,
    ViolationCategory,
    make_record,
    record_hash,
)
from dautu_core.codec import canonical_bytes, event_to_data
from dautu_core.decider import event_from_command
from dautu_core.testing import sample_envelope

FOUND = event_from_command(
    RecordViolation(
        **sample_envelope(on=date(2023, 4, 2)),
        violation_id="12/BB-VPHC",
        category=ViolationCategory.LAND,
        description="Sử dụng đất không đúng mục đích",
        found_by=Authority(name="Thanh tra tỉnh Hải Dương"),
    )
)


def as_v0(data: dict[str, Any]) -> dict[str, Any]:
    """The payload as a fictional schema version 0 wrote it: ``kind`` instead of ``category``."""
    old = dict(data)
    old["kind"] = old.pop("category")
    return old


def v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    renamed = dict(data)
    renamed["category"] = renamed.pop("kind")
    return renamed


UPCASTERS = Upcasters().with_upcaster("dautu.ViolationFound", 0, v0_to_v1)


def stored(type_name: str, schema_version: int, data: dict[str, Any]) -> StoredRecord:
    raw = canonical_bytes(
        {"type": type_name, "schema_version": schema_version, "prev": GENESIS, "data": data}
    )
    return StoredRecord("DA-0001", 1, 1, type_name, raw)


def test_an_old_version_is_read_through_its_upcaster() -> None:
    record = stored("dautu.ViolationFound", 0, as_v0(event_to_data(FOUND)))
    before = record.data
    assert record.event(UPCASTERS) == FOUND
    assert record.data == before
    assert record.hash == record_hash(before)


def test_an_old_version_without_upcaster_is_refused_by_name() -> None:
    record = stored("dautu.ViolationFound", 0, as_v0(event_to_data(FOUND)))
    with pytest.raises(InvalidValue) as caught:
        record.event()
    assert caught.value.rule_id == "upcaster_missing"
    assert "dautu.ViolationFound" in caught.value.message_en


def test_an_old_event_inside_a_correction_is_upcast_too() -> None:
    correction = EventCorrected(
        **sample_envelope(on=date(2023, 5, 1)),
        corrects_version=2,
        action=CorrectionAction.AMEND,
        reason="Sai loại vi phạm",
        replacement=FOUND,
    )
    data = event_to_data(correction)
    data["replacement"] = {
        "type": "dautu.ViolationFound",
        "schema_version": 0,
        "data": as_v0(event_to_data(FOUND)),
    }
    assert stored("dautu.EventCorrected", 1, data).event(UPCASTERS) == correction


def test_a_newer_version_than_the_software_reads_is_refused() -> None:
    record = stored("dautu.ViolationFound", 2, event_to_data(FOUND))
    with pytest.raises(InvalidValue) as caught:
        record.event(UPCASTERS)
    assert caught.value.rule_id == "schema_too_new"


def test_unknown_types_and_fields_are_refused_by_name() -> None:
    with pytest.raises(InvalidValue) as caught:
        stored("dautu.SomethingElse", 1, event_to_data(FOUND)).event()
    assert (caught.value.rule_id, caught.value.project_code) == ("event_type_known", "DA-0001")
    with pytest.raises(InvalidValue) as caught:
        stored("dautu.ViolationFound", 1, as_v0(event_to_data(FOUND))).event()
    assert (caught.value.rule_id, caught.value.field) == ("event_schema", "kind")


def test_the_current_version_needs_no_upcaster() -> None:
    data = make_record(FOUND, GENESIS)
    assert json.loads(data)["schema_version"] == 1
    assert StoredRecord("DA-0001", 1, 1, FOUND.TYPE_NAME, data).event(UPCASTERS) == FOUND
