"""``RecorderStore.read_log_rows`` gives exactly ``read_log``'s records, as plain rows, on every
builtin backend: the same records in the same order for any slice and page size, the same
errors for a closed store or an unreadable row.

Why: verification reads the log only through ``read_log_rows`` (``audit_store``); a row that
differed from the record ``read_log`` gives would verify something else than what is stored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.conftest import backend_url
from adapters.test_fast_log_read import CODES, SLICES, Opener, fill, readers
from dautu_adapters.stores import Store, generate_cipher_key
from dautu_adapters.stores.errors import StorageError
from dautu_adapters.stores.store import RecorderStore
from dautu_core.errors import DautuError
from dautu_core.record import RecordRow, StoredRecord


def as_row(record: StoredRecord) -> RecordRow:
    """The row of a record, spelled out (not ``record_row``, which the store itself uses)."""
    return (record.project_code, record.version, record.position, record.type_name, record.data)


def check_rows(store: Store, page: int, after: int, limit: int | None) -> None:
    assert isinstance(store, RecorderStore)
    expected = store.read_log(after_position=after, limit=limit)
    rows = store.read_log_rows(after_position=after, limit=limit)
    assert rows == [as_row(r) for r in expected]
    assert all(type(row) is tuple for row in rows)
    assert [StoredRecord(*row) for row in rows] == expected
    # fresh stores on the same recorder, with and without the plain-row query, paged
    for reader in readers(store, page):
        assert reader.read_log_rows(after_position=after, limit=limit) == rows
        assert reader.read_log(after_position=after, limit=limit) == expected
        assert reader.read_log_rows(after_position=after, limit=limit) == rows


def test_rows_are_the_records_of_read_log_on_every_backend(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    everything = fill(store)
    assert {r.project_code for r in everything} == set(CODES)
    assert store.read_log_rows() == [as_row(r) for r in everything]  # type: ignore[attr-defined]
    for page in (1, 3, 1000):
        for after, limit in SLICES:
            check_rows(store, page, after, limit)


def test_rows_are_the_records_of_read_log_for_any_slice(store_url: str, opened: Opener) -> None:
    # one store per backend: reads do not change it, and every example reads it afresh
    store = opened(store_url)
    fill(store)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        page=st.integers(min_value=1, max_value=30),
        after=st.integers(min_value=-3, max_value=30),
        limit=st.none() | st.integers(min_value=0, max_value=30),
    )
    def same(page: int, after: int, limit: int | None) -> None:
        check_rows(store, page, after, limit)

    same()


@pytest.mark.parametrize("backend", ["memory", "sqlite", "sqlalchemy", "postgres"])
def test_rows_of_an_encrypted_compressed_store(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, opened: Opener
) -> None:
    store = opened(backend_url(request, backend, tmp_path), cipher_key=generate_cipher_key())
    everything = fill(store)
    assert isinstance(store, RecorderStore)
    assert store.sealer.cipher is not None
    for page in (1, 1000):
        for after, limit in SLICES:
            check_rows(store, page, after, limit)
    assert store.read_log_rows() == [as_row(r) for r in everything]


def test_a_closed_store_refuses_both_reads_alike(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    fill(store)
    store.close()
    assert isinstance(store, RecorderStore)
    with pytest.raises(StorageError) as by_records:
        store.read_log()
    with pytest.raises(StorageError) as by_rows:
        store.read_log_rows()
    assert by_rows.value.rule_id == by_records.value.rule_id == "store_closed"


def test_an_unreadable_row_is_the_same_error_both_ways(tmp_path: Path, opened: Opener) -> None:
    path = tmp_path / "damaged.db"
    store = opened(f"sqlite:///{path}", compress=True)
    everything = fill(store)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (b"not compressed", everything[5].position),
        )
    for page in (1, 4, 1000):
        for reader in readers(store, page):
            with pytest.raises(DautuError) as by_records:
                reader.read_log()
            with pytest.raises(DautuError) as by_rows:
                reader.read_log_rows()
            assert type(by_rows.value) is type(by_records.value)
            assert by_rows.value.rule_id == by_records.value.rule_id
            assert str(by_rows.value) == str(by_records.value)
            # the records before the damaged one read the same
            limit = everything[5].position - 1
            assert reader.read_log_rows(limit=limit) == [as_row(r) for r in everything[:limit]]
