"""PostgreSQL writes of any size finish, and a write that cannot finish fails within its bound.

Before the fix a transaction carrying more than a few MB hung for ever: eventsourcing runs the
insert in psycopg's pipeline mode, whose ``sync()`` stops flushing a Bind message larger than
the socket buffers (see :mod:`dautu_adapters.stores.postgres_recorder`). Each write here runs
in a thread with a bound: if the fix regresses, the test fails instead of hanging CI, and the
server sessions of the test database are terminated so that the schema can still be dropped.

- One batch carrying 50 MB (eight approvals of 7 MB each), read back byte for byte.
- One ``execute_batch`` of 100,000 events (1,000 projects), read back byte for byte, positions
  1..100,000.
- A write that cannot get the table lock (held by another session) fails with
  ``StorageError`` after ``lock_timeout``, or after ``write_timeout`` (the server's statement
  timeout), writes nothing, and the next write follows on without a gap in the positions.
- A server that stops answering in the middle of a write (its backend process stopped with
  SIGSTOP) is cut off by the client-side deadline: ``StorageError``, nothing written.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs
import pytest

from adapters.conftest import project_records
from adapters.samples import approve, delay
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import StorageError, Store
from dautu_core.ports import AppendBatch
from dautu_core.record import StoredRecord

_T = TypeVar("_T")
Opener = Callable[..., Store]

BOUND = 300.0
"""Seconds after which a write that has not ended counts as hung (a generous bound: the
writes below take seconds; a hang is for ever)."""
MB = 1_000_000


def _terminate_sessions(server: str) -> None:
    """End every other session of the test database (a hung writer holds the table lock)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )


def within(seconds: float, server: str, work: Callable[[], _T]) -> _T:
    """``work()``'s result (or its exception), failing the test if it has not ended within
    ``seconds``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        _terminate_sessions(server)
        worker.join(30)
        pytest.fail(f"the write did not end within {seconds:g} s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    value: _T = outcome["value"]
    return value


@pytest.fixture
def service_at(postgres_url: str) -> Iterator[Callable[[str], ProjectService]]:
    services: list[ProjectService] = []

    def open_(url: str) -> ProjectService:
        service = ProjectService.open(url)
        services.append(service)
        return service

    yield open_
    for service in services:
        service.close()


def _same_records(written: list[StoredRecord], read: list[StoredRecord]) -> None:
    assert len(read) == len(written)
    assert [(r.project_code, r.version, r.position) for r in read] == [
        (r.project_code, r.version, r.position) for r in written
    ]
    assert all(a.data == b.data for a, b in zip(read, written, strict=True))


@pytest.mark.slow
def test_one_batch_carrying_50_mb_is_written_and_reads_back_equal(
    postgres_url: str, service_at: Callable[[str], ProjectService]
) -> None:
    service = service_at(postgres_url)
    commands = [
        attrs.evolve(approve(f"LON-{i}"), objectives=f"Mục tiêu {i}: " + "dau tu " * (MB + i))
        for i in range(8)
    ]
    written = within(BOUND, postgres_url, lambda: service.execute_batch(commands))

    assert sum(len(record.data) for record in written) > 50 * MB
    assert [record.position for record in written] == list(range(1, 9))
    _same_records(written, service.store.read_log())
    for i, record in enumerate(written):
        assert service.store.read_stream(f"LON-{i}") == [record]
        assert service.load(f"LON-{i}").objectives == commands[i].objectives


@pytest.mark.slow
def test_one_execute_batch_of_100000_events_is_written_and_reads_back_equal(
    postgres_url: str, service_at: Callable[[str], ProjectService]
) -> None:
    service = service_at(postgres_url)
    commands = []
    for p in range(1000):
        code = f"NHIEU-{p:04d}"
        commands.append(approve(code))
        commands += [delay(code, n=k) for k in range(1, 100)]
    written = within(BOUND, postgres_url, lambda: service.execute_batch(commands))

    assert len(written) == 100_000
    assert [record.position for record in written] == list(range(1, 100_001))
    _same_records(written, service.store.read_log())
    assert [r.version for r in service.store.read_stream("NHIEU-0999")] == list(range(1, 101))


def _holding_the_table_lock(server: str, schema: str) -> Any:
    import psycopg

    admin = psycopg.connect(server)
    admin.execute(f'LOCK TABLE "{schema}".stored_events IN EXCLUSIVE MODE')
    return admin


@pytest.mark.parametrize(
    ("query", "reason"),
    [("lock_timeout=1", "lock timeout"), ("write_timeout=1", "statement timeout")],
)
def test_a_write_that_cannot_get_the_lock_fails_within_its_bound_and_leaves_no_gap(
    postgres_url: str, opened: Opener, query: str, reason: str
) -> None:
    store = opened(f"{postgres_url}&{query}")
    store.append([AppendBatch("truoc", 0, project_records("truoc"))])
    top = store.max_position()
    schema = postgres_url.rpartition("schema=")[2]
    server = postgres_url.partition("?")[0]

    admin = _holding_the_table_lock(server, schema)
    try:
        with pytest.raises(StorageError) as caught:
            within(
                BOUND, server, lambda: store.append([AppendBatch("sau", 0, project_records("sau"))])
            )
    finally:
        admin.close()

    assert reason in str(caught.value)
    assert caught.value.written is False
    assert "nothing of the command was written" in str(caught.value)
    assert store.read_stream("sau") == []
    positions = store.append([AppendBatch("sau", 0, project_records("sau"))])
    assert positions == list(range(top + 1, top + 1 + len(positions)))
    log = store.read_log()
    assert [r.position for r in log] == list(range(1, len(log) + 1))


def _backend_waiting_for_the_table(admin: Any, schema: str) -> int:
    """The server pid of the session waiting for the table lock (polls; bounded)."""
    for _ in range(100_000):
        row = admin.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'stored_events' AND NOT l.granted",
            (schema,),
        ).fetchone()
        if row is not None:
            return int(row[0])
    raise AssertionError("no writer ever waited for the table lock")


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_server_that_stops_answering_mid_write_is_cut_off_by_the_client_deadline(
    postgres_url: str, opened: Opener
) -> None:
    import psycopg

    store = opened(f"{postgres_url}&write_timeout=1")
    store.append([AppendBatch("truoc", 0, project_records("truoc"))])
    schema = postgres_url.rpartition("schema=")[2]
    server = postgres_url.partition("?")[0]
    outcome: list[BaseException] = []

    def write() -> None:
        try:
            store.append([AppendBatch("sau", 0, project_records("sau"))])
        except BaseException as exc:
            outcome.append(exc)

    with (
        _holding_the_table_lock(server, schema) as admin,
        psycopg.connect(server, autocommit=True) as watcher,
    ):
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        pid = _backend_waiting_for_the_table(watcher, schema)
        try:
            os.kill(pid, signal.SIGSTOP)  # the server's statement timeout cannot fire now
        except (PermissionError, ProcessLookupError):
            admin.rollback()
            writer.join(BOUND)
            pytest.skip("the PostgreSQL server's processes are not ours to signal (remote?)")
        try:
            writer.join(BOUND)
        finally:
            os.kill(pid, signal.SIGCONT)
        admin.rollback()
    assert not writer.is_alive(), "the write hung although the client has a deadline"

    (error,) = outcome
    assert isinstance(error, StorageError)
    assert "the write did not end within 2 s (write_timeout 1 s + 1 s)" in str(error)
    assert error.written is False
    assert store.read_stream("sau") == []
    top = store.max_position()
    positions = store.append([AppendBatch("sau", 0, project_records("sau"))])
    assert positions[0] == top + 1
