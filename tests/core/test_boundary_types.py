"""Wrongly typed input is refused when a value is made, never stored to poison a stream."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from dautu_core import (
    Authority,
    InvalidValue,
    Milestone,
    RecordDelay,
    RecordViolation,
    StoredRecord,
    make_record,
)
from dautu_core.ports import AppendBatch
from dautu_core.record import GENESIS
from dautu_core.testing import sample_envelope

ENV = sample_envelope("DA-0001", date(2024, 1, 10))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_basis", "Điều 41"),
        ("actor", None),
        ("effective_date", datetime(2024, 1, 10, 8, 0)),
        ("effective_date", "2024-01-10"),
        ("documents", ("1234/QĐ-UBND",)),
    ],
)
def test_a_wrongly_typed_envelope_field_is_refused_naming_project_and_field(
    field: str, value: Any
) -> None:
    with pytest.raises(InvalidValue) as caught:
        RecordDelay(**{**ENV, field: value}, milestone="operation_start", reason="Chậm")
    assert caught.value.field == field
    assert caught.value.project_code == "DA-0001"


def test_an_unknown_enum_value_lists_the_accepted_values() -> None:
    with pytest.raises(InvalidValue) as caught:
        RecordViolation(
            **ENV,
            violation_id="1/BB",
            category="landd",
            description="Chậm đưa đất vào sử dụng",
            found_by=Authority(name="Sở Tài nguyên và Môi trường"),
        )
    assert caught.value.field == "category"
    assert "land" in caught.value.message_en and "environment" in caught.value.message_en


def test_a_milestone_due_date_must_be_a_date() -> None:
    with pytest.raises(InvalidValue) as caught:
        Milestone(kind="operation_start", due=datetime(2024, 1, 1))  # type: ignore[arg-type]
    assert caught.value.field == "due"


def test_a_bool_is_not_a_number_of_months() -> None:
    from dautu_core import ExtendSchedule

    with pytest.raises(InvalidValue) as caught:
        ExtendSchedule(**ENV, months=True)
    assert caught.value.field == "months"


def test_an_unreadable_record_names_project_version_and_field() -> None:
    event = RecordDelay(**ENV, milestone="operation_start", reason="Chậm")
    from dautu_core.decider import event_from_command

    good = json.loads(make_record(event_from_command(event), GENESIS))
    good["data"]["effective_date"] = "not a date"
    record = StoredRecord("DA-0001", 7, 7, "dautu.DelayRecorded", json.dumps(good).encode())
    with pytest.raises(InvalidValue) as caught:
        record.event()
    assert caught.value.project_code == "DA-0001"
    assert "7" in caught.value.message_en
    del good["data"]
    broken = StoredRecord("DA-0001", 8, 8, "dautu.DelayRecorded", json.dumps(good).encode())
    with pytest.raises(InvalidValue) as missing:
        broken.event()
    assert missing.value.field == "data"


def test_append_batches_normalise_the_project_code_to_nfc() -> None:
    nfd = "DA-Hải-Dương".encode().decode()
    import unicodedata

    batch = AppendBatch(unicodedata.normalize("NFD", nfd), 0, ())
    assert batch.project_code == unicodedata.normalize("NFC", nfd)
