"""The builtin stores keep the EventStore and CheckpointStore contracts on every backend.

Run against memory, SQLite (file and ``:memory:``), eventsourcing-sqlalchemy over SQLite, and
PostgreSQL (when ``DAUTU_TEST_POSTGRES_URL`` is set).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError

from adapters.conftest import backend_url, project_records
from dautu_adapters.stores import RecorderStore, Store
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch
from dautu_core.record import GENESIS

Opener = Callable[..., Store]


def test_appended_records_read_back_byte_for_byte(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    records = project_records("2165432100")
    positions = store.append([AppendBatch("2165432100", 0, records)])

    stream = store.read_stream("2165432100")
    assert positions == [1, 2, 3, 4]
    assert [r.data for r in stream] == [r.data for r in records]
    assert [r.type_name for r in stream] == [r.type_name for r in records]
    assert [(r.version, r.position) for r in stream] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert stream[0].prev == GENESIS
    assert [r.prev for r in stream[1:]] == [r.hash for r in stream[:-1]]
    assert stream[0].event().project_name == "Nhà máy may mặc xuất khẩu Gia Lộc"
    assert store.read_log() == stream
    assert store.max_position() == 4
    assert store.project_codes() == ["2165432100"]


def test_stream_reads_can_stop_at_a_version(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    store.append([AppendBatch("A", 0, project_records("A", violations=4))])

    assert [r.version for r in store.read_stream("A", up_to_version=2)] == [1, 2]
    assert [r.version for r in store.read_stream("A", after_version=4)] == [5, 6]
    assert [r.version for r in store.read_stream("A", after_version=1, up_to_version=3)] == [2, 3]
    assert store.read_stream("unknown") == []


@pytest.mark.parametrize("expected", [0, 1, 2, 4, 9])
def test_a_stale_expected_version_is_refused_in_both_directions(
    store_url: str, opened: Opener, expected: int
) -> None:
    store = opened(store_url)
    records = project_records("A", violations=1)
    store.append([AppendBatch("A", 0, records)])
    before = store.read_log()

    more = project_records("A", violations=1)[:1]
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append([AppendBatch("A", expected, more)])

    assert (caught.value.project_code, caught.value.expected_version) == ("A", expected)
    assert caught.value.actual_version == 3
    assert store.read_log() == before


def test_positions_stay_gap_free_after_refused_appends(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    store.append([AppendBatch("A", 0, project_records("A"))])
    for expected in (0, 1, 7):  # refused by the database's unique constraint or by the check
        with pytest.raises(ConcurrencyConflict):
            store.append(
                [AppendBatch("B", 0, project_records("B")), AppendBatch("A", expected, ())]
                if expected == 7
                else [AppendBatch("A", expected, project_records("A"))]
            )

    assert store.append([AppendBatch("B", 0, project_records("B"))]) == [5, 6, 7, 8]
    assert [r.position for r in store.read_log()] == list(range(1, 9))


def test_a_batch_of_many_projects_is_all_or_nothing(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    store.append([AppendBatch("B", 0, project_records("B"))])
    before = store.read_log()

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append(
            [
                AppendBatch("A", 0, project_records("A")),
                AppendBatch("B", 0, project_records("B")),  # stale: B is at version 4
                AppendBatch("C", 0, project_records("C")),
            ]
        )

    assert caught.value.project_code == "B"
    assert store.read_log() == before
    assert store.read_stream("A") == []
    assert store.project_codes() == ["B"]


def test_one_append_call_gives_consecutive_positions(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    a, b = project_records("A"), project_records("B")
    positions = store.append([AppendBatch("A", 0, a[:2]), AppendBatch("B", 0, b)])
    positions += store.append([AppendBatch("A", 2, a[2:])])

    assert positions == list(range(1, 9))
    log = store.read_log()
    assert [(r.project_code, r.version) for r in log] == [
        ("A", 1),
        ("A", 2),
        ("B", 1),
        ("B", 2),
        ("B", 3),
        ("B", 4),
        ("A", 3),
        ("A", 4),
    ]
    assert [r.position for r in store.read_stream("A")] == [1, 2, 7, 8]


def test_batches_of_one_project_in_one_call_must_follow_on(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    records = project_records("A")

    with pytest.raises(ConcurrencyConflict):
        store.append([AppendBatch("A", 0, records[:2]), AppendBatch("A", 3, records[2:])])
    assert store.max_position() == 0

    store.append([AppendBatch("A", 0, records[:2]), AppendBatch("A", 2, records[2:])])
    assert [r.data for r in store.read_stream("A")] == [r.data for r in records]


def test_an_empty_batch_still_checks_the_version(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    store.append([AppendBatch("A", 0, project_records("A"))])

    assert store.append([AppendBatch("A", 4, ())]) == []
    with pytest.raises(ConcurrencyConflict):
        store.append([AppendBatch("A", 0, ())])


def test_the_global_log_reads_in_pages(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    codes = [f"P{i:04d}" for i in range(600)]
    store.append([AppendBatch(code, 0, project_records(code, violations=2)) for code in codes])

    log = store.read_log()
    assert [r.position for r in log] == list(range(1, 2401))
    window = store.read_log(after_position=999, limit=1202)
    assert [r.position for r in window] == list(range(1000, 2202))
    assert window == log[999:2201]
    assert store.read_log(after_position=2400) == []
    assert store.project_codes() == codes


def test_project_codes_are_nfc(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    nfc_code = "Dự-án Gia Lộc"
    nfd_code = unicodedata.normalize("NFD", nfc_code)
    assert nfd_code != nfc_code
    store.append([AppendBatch(nfd_code, 0, project_records(nfc_code))])

    assert len(store.read_stream(nfc_code)) == 4
    assert len(store.read_stream(nfd_code)) == 4
    assert store.project_codes() == [nfc_code]
    assert {r.project_code for r in store.read_log()} == {nfc_code}


def test_checkpoints_keep_position_and_state_atomically(store_url: str, opened: Opener) -> None:
    store = opened(store_url)
    assert store.load_projection("status-board") == (0, None)
    assert store.get_checkpoint("status-board") == 0

    store.save_checkpoint("status-board", 12, b'{"open": 3}')
    store.save_checkpoint("other", 5, bytes(range(256)))
    assert store.load_projection("status-board") == (12, b'{"open": 3}')
    assert store.load_projection("other") == (5, bytes(range(256)))

    store.save_checkpoint("status-board", 0, b"")  # a rebuild starts again from scratch
    assert store.load_projection("status-board") == (0, b"")
    assert store.get_checkpoint("other") == 5


def test_reopening_a_file_store_gives_the_same_records(file_store_url: str, opened: Opener) -> None:
    first = opened(file_store_url)
    first.append([AppendBatch(code, 0, project_records(code)) for code in ("A", "Bắc", "C")])
    first.save_checkpoint("board", 12, b"state")
    log = first.read_log()
    first.close()

    again = opened(file_store_url)
    assert again.read_log() == log
    assert again.project_codes() == ["A", "Bắc", "C"]
    assert again.read_stream("Bắc") == [r for r in log if r.project_code == "Bắc"]
    assert again.load_projection("board") == (12, b"state")
    more = project_records("A", violations=3)[4:]
    assert again.append([AppendBatch("A", 4, more)]) == [13]


def test_two_store_objects_on_one_file_see_each_other(file_store_url: str, opened: Opener) -> None:
    writer, reader = opened(file_store_url), opened(file_store_url)
    assert reader.project_codes() == []
    writer.append([AppendBatch("A", 0, project_records("A"))])

    assert reader.project_codes() == ["A"]
    with pytest.raises(ConcurrencyConflict):
        reader.append([AppendBatch("A", 0, project_records("A"))])


@pytest.mark.parametrize("backend", ["memory", "sqlite-memory", "sqlite", "postgres"])
@pytest.mark.parametrize("expected", [0, 1, 9])
def test_a_conflict_names_the_version_read_in_the_insert_transaction(
    request: pytest.FixtureRequest, tmp_path: Path, opened: Opener, backend: str, expected: int
) -> None:
    """The version is read in the insert's own transaction: a conflict says what the stream
    holds even when nothing can be read from the store afterwards."""
    store = opened(backend_url(request, backend, tmp_path))
    assert isinstance(store, RecorderStore)
    store.append([AppendBatch("A", 0, project_records("A", violations=1))])  # versions 1-3

    def unreadable(*_: object, **__: object) -> None:
        raise OperationalError("the connection dropped after the insert")

    store.recorder.select_events = unreadable  # type: ignore[method-assign,assignment]
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append(
            [
                AppendBatch("B", 0, project_records("B")),
                AppendBatch("A", expected, project_records("A")[:1]),
            ]
        )
    conflict = caught.value
    assert (conflict.project_code, conflict.expected_version) == ("A", expected)
    assert conflict.actual_version == 3
    assert f"expected version {expected}, found 3" in str(conflict)
    assert store.max_position() == 3


def test_positions_are_the_row_ids_when_sqlite_picks_them_at_random(
    tmp_path: Path, opened: Opener
) -> None:
    """One insert for a whole append: the positions are worked out from the largest row id,
    and read back row by row when SQLite no longer gives the next ones (its largest row id is
    taken, so it picks new ones at random)."""
    url = f"sqlite:///{tmp_path / 'random.db'}"
    store = opened(url)
    assert store.append([AppendBatch("A", 0, project_records("A"))]) == [1, 2, 3, 4]
    with sqlite3.connect(tmp_path / "random.db") as conn:
        conn.execute(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, 'f' || hex(randomblob(15)), 1, 'x', x'00')",
            (2**63 - 1,),
        )
    positions = store.append([AppendBatch("B", 0, project_records("B"))])
    with sqlite3.connect(tmp_path / "random.db") as conn:
        stored = conn.execute(
            "SELECT rowid FROM stored_events WHERE rowid > 4 AND rowid < ? ORDER BY "
            "originator_version",
            (2**63 - 1,),
        ).fetchall()
    assert positions == [row for (row,) in stored]
    assert len(set(positions)) == 4
    assert positions != list(range(5, 9))
    assert [r.position for r in store.read_stream("B")] == positions
