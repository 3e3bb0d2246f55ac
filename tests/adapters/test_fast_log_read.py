"""Reading the global log from plain rows (SQLite, PostgreSQL) gives exactly the records of
eventsourcing's ``select_notifications`` path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from adapters.conftest import backend_url, project_records
from dautu_adapters.stores import Store, generate_cipher_key
from dautu_adapters.stores.store import RecorderStore
from dautu_core.ports import AppendBatch
from dautu_core.record import StoredRecord

Opener = Callable[..., Store]

CODES = ("A-1", "B-2", "Dự án 3", "D-4")

SLICES = [
    (0, None),
    (0, 1),
    (0, 3),
    (0, 4),
    (2, None),
    (2, 5),
    (3, 3),
    (7, 100),
    (-5, 2),
    (10_000, None),
    (10_000, 5),
]


class GenericRecorder:
    """Only what the generic log read uses: no ``select_log_rows``."""

    def __init__(self, recorder: Any) -> None:
        self.select_notifications = recorder.select_notifications
        self.max_notification_id = recorder.max_notification_id


def fill(store: Store) -> list[StoredRecord]:
    """Four projects written in several calls, so that the streams interleave in the log."""
    records = {code: project_records(code) for code in CODES}
    done = dict.fromkeys(CODES, 0)
    for step in (1, 2, 10):
        batches = []
        for code in CODES:
            part = records[code][done[code] : done[code] + step]
            if part:
                batches.append(AppendBatch(code, done[code], part))
                done[code] += len(part)
        store.append(batches)
    assert isinstance(store, RecorderStore)
    return RecorderStore(
        GenericRecorder(store.recorder), url="generic", sealer=store.sealer
    ).read_log()  # type: ignore[arg-type]


def readers(store: Store, page: int) -> tuple[RecorderStore, RecorderStore]:
    """A fresh store reading plain rows and one reading notifications, same recorder."""
    assert isinstance(store, RecorderStore)
    fast = RecorderStore(store.recorder, url="fast", sealer=store.sealer, log_page_size=page)
    generic = RecorderStore(
        GenericRecorder(store.recorder),  # type: ignore[arg-type]
        url="generic",
        sealer=store.sealer,
        log_page_size=page,
    )
    return fast, generic


def check_same(store: Store, everything: Sequence[StoredRecord]) -> None:
    assert isinstance(store, RecorderStore)
    assert hasattr(store.recorder, "select_log_rows")
    assert [r.position for r in everything] == list(range(1, len(everything) + 1))
    assert {r.project_code for r in everything} == set(CODES)
    # the store that wrote the records (stream ids known from its writes)
    assert store.read_log() == everything
    for page in (1, 3, 1000):
        for after, limit in SLICES:
            fast, generic = readers(store, page)
            got = fast.read_log(after_position=after, limit=limit)
            assert got == generic.read_log(after_position=after, limit=limit)
            assert got == list(everything[max(after, 0) :][:limit])
            # the cache filled by that read gives the same records again
            assert fast.read_log(after_position=after, limit=limit) == got
            assert fast.read_log() == everything


def count_rows_calls(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    assert isinstance(store, RecorderStore)
    calls: list[tuple[int, int]] = []
    original = store.recorder.select_log_rows  # type: ignore[attr-defined]

    def spy(start: int, limit: int) -> Any:
        calls.append((start, limit))
        return original(start, limit)

    monkeypatch.setattr(store.recorder, "select_log_rows", spy)
    return calls


@pytest.mark.parametrize("backend", ["sqlite", "sqlite-memory", "postgres"])
def test_plain_rows_give_the_same_records(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, opened: Opener
) -> None:
    store = opened(backend_url(request, backend, tmp_path))
    check_same(store, fill(store))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_plain_rows_of_an_encrypted_compressed_store(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, opened: Opener
) -> None:
    url = backend_url(request, backend, tmp_path)
    store = opened(url, cipher_key=generate_cipher_key(), compress=True)
    everything = fill(store)
    assert isinstance(store, RecorderStore)
    raw = store.recorder.select_log_rows(0, 100)  # type: ignore[attr-defined]
    assert len(raw) == len(everything)
    assert all(row[4] != record.data for row, record in zip(raw, everything, strict=True))
    check_same(store, everything)


def test_rows_are_eventsourcings_notifications(tmp_path: Path, opened: Opener) -> None:
    store = opened(f"sqlite:///{tmp_path / 'rows.db'}")
    fill(store)
    assert isinstance(store, RecorderStore)
    recorder: Any = store.recorder
    for start, limit in [(0, 100), (0, 1), (5, 4), (100, 3)]:
        rows = recorder.select_log_rows(start, limit)
        notes = recorder.select_notifications(start, limit, inclusive_of_start=False)
        assert [
            (n.id, n.originator_id.hex, n.originator_version, n.topic, n.state) for n in notes
        ] == [(r[0], r[1].replace("-", ""), r[2], r[3], r[4]) for r in rows]


def test_the_log_is_read_in_pages_of_plain_rows(
    tmp_path: Path, opened: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = opened(f"sqlite:///{tmp_path / 'pages.db'}")
    everything = fill(store)
    calls = count_rows_calls(store, monkeypatch)
    assert isinstance(store, RecorderStore)
    store._page = 4
    assert store.read_log(after_position=1, limit=9) == everything[1:10]
    assert calls == [(1, 4), (5, 4), (9, 1)]
