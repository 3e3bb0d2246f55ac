"""Rebuilding a project from plain rows (``read_stream_rows``, trusted decoding of the records
the hash chain vouches for) gives exactly the state the validating path gives, and a record
off the chain is decoded the validating way, with the same errors.

Why: ``ProjectService.snapshot`` decodes stored records without re-validating them only
because each one's bytes are vouched for by its successor's ``prev``; anything else must be
judged as it always was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.samples import approve, delay, violation
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import Store, open_store
from dautu_core import events as ev
from dautu_core.errors import DautuError, InvalidValue
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import GENESIS, make_record, record_hash
from dautu_core.state import fold
from dautu_core.testing.strategies import histories


class RecordsOnly:
    """A store without ``read_stream_rows``: the service then decodes and validates every
    record (``StoredRecord.event``), the path the rows must agree with."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "read_stream_rows":
            raise AttributeError(name)
        return getattr(self._store, name)


def chained(events: list[ev.ProjectEvent]) -> list[NewRecord]:
    records, prev = [], GENESIS
    for event in events:
        data = make_record(event, prev)
        prev = record_hash(data)
        records.append(NewRecord(event.TYPE_NAME, data))
    return records


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(histories("DA-0001", max_size=15), st.data())
def test_rows_rebuild_the_state_the_validating_path_rebuilds(
    events: list[ev.ProjectEvent], data: st.DataObject
) -> None:
    with open_store("sqlite:///:memory:") as store:
        records = chained(events)
        cut = data.draw(st.integers(min_value=0, max_value=len(records)), label="first append")
        store.append([AppendBatch("DA-0001", 0, records[:cut])])
        warm = ProjectService(store)
        if cut:
            warm.load("DA-0001")  # cached, then brought up to date from its last hash
        store.append([AppendBatch("DA-0001", cut, records[cut:])])
        expected = fold(events)
        fresh = ProjectService(store).snapshot("DA-0001")
        assert fresh.state == expected
        assert fresh.last_hash == record_hash(records[-1].data)
        assert ProjectService(RecordsOnly(store)).snapshot("DA-0001") == fresh  # type: ignore[arg-type]
        assert warm.snapshot("DA-0001") == fresh
        upto = data.draw(st.integers(min_value=1, max_value=len(events)), label="up to")
        assert ProjectService(store).load("DA-0001", up_to_version=upto) == fold(events[:upto])


def three_records(opened: Any, tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "damaged.db"
    url = f"sqlite:///{db}"
    ProjectService(opened(url)).execute_batch(
        [approve("A"), violation("A", "V1", n=1), delay("A", n=2), delay("A", n=3)]
    )
    return db, url


def set_state(db: Path, version: int, change: Any) -> None:
    with sqlite3.connect(db) as conn:
        (state,) = conn.execute(
            "SELECT state FROM stored_events WHERE originator_version = ?", (version,)
        ).fetchone()
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE originator_version = ?",
            (change(state), version),
        )


def test_a_changed_record_off_the_chain_reads_as_the_validating_path_reads_it(
    opened: Any, tmp_path: Path
) -> None:
    db, url = three_records(opened, tmp_path)
    set_state(db, 2, lambda s: s.replace("Chậm".encode(), "Trễ".encode()))
    rows = ProjectService(opened(url)).snapshot("A")
    assert rows == ProjectService(RecordsOnly(opened(url))).snapshot("A")  # type: ignore[arg-type]
    assert rows.state.violations["V1"].description.startswith("Trễ")


@pytest.mark.parametrize("version", [2, 3, 4])
def test_an_invalid_value_off_the_chain_is_refused_as_before(
    opened: Any, tmp_path: Path, version: int
) -> None:
    db, url = three_records(opened, tmp_path)
    set_state(db, version, lambda s: s.replace(b'"project_code":"A"', b'"project_code":"A\\u0007"'))
    with pytest.raises(InvalidValue) as by_rows:
        ProjectService(opened(url)).load("A")
    with pytest.raises(InvalidValue) as by_records:
        ProjectService(RecordsOnly(opened(url))).load("A")  # type: ignore[arg-type]
    assert str(by_rows.value) == str(by_records.value)
    assert f"version {version}" in str(by_rows.value)


@pytest.mark.parametrize(
    "damage", [b"not json", b"{not json}", b'{"data":{}}', b'{"type":"dautu.X"} ', b"{}"]
)
def test_a_record_that_is_not_a_record_is_refused_as_before(
    opened: Any, tmp_path: Path, damage: bytes
) -> None:
    db, url = three_records(opened, tmp_path)
    set_state(db, 2, lambda _: damage)
    with pytest.raises(DautuError) as by_rows:
        ProjectService(opened(url)).load("A")
    with pytest.raises(DautuError) as by_records:
        ProjectService(RecordsOnly(opened(url))).load("A")  # type: ignore[arg-type]
    assert type(by_rows.value) is type(by_records.value)
    assert str(by_rows.value) == str(by_records.value)
