"""PostgreSQL writes of any size finish, and a write that cannot finish fails within its bound.

Before the fix a transaction carrying more than a few MB hung for ever: eventsourcing runs the
insert in psycopg's pipeline mode, whose ``sync()`` stops flushing a Bind message larger than
the socket buffers (see :mod:`dautu_adapters.stores.postgres_recorder`). The large writes run
in a child process (``postgres_large_writer.py``) with a bound: if the fix regresses, the
child is killed (which closes its connection, so the server rolls back and the schema can
still be dropped) and the test fails instead of hanging CI. A hung backend in the middle of
a message does not even obey ``pg_terminate_backend``: only closing the client's socket ends it.

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

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from adapters.conftest import project_records
from adapters.postgres_large_writer import digest, objectives
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import StorageError, Store
from dautu_core.ports import AppendBatch

_T = TypeVar("_T")
Opener = Callable[..., Store]
WRITER = Path(__file__).with_name("postgres_large_writer.py")

BOUND = 300.0
"""Seconds after which a write that has not ended counts as hung (a generous bound: the
writes below take seconds; a hang is for ever)."""


def written_by_child(url: str, kind: str) -> dict[str, Any]:
    """Run ``postgres_large_writer.py URL KIND``; its report, or a failure if it hangs."""
    try:
        child = subprocess.run(
            [sys.executable, str(WRITER), url, kind],
            capture_output=True,
            text=True,
            timeout=BOUND,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the {kind} write did not end within {BOUND:g} s: it hangs")
    assert child.returncode == 0, child.stderr
    report: dict[str, Any] = json.loads(child.stdout)
    print(f"{kind}: {report['count']} records, {report['bytes']} bytes, {report['seconds']} s")
    return report


def within(seconds: float, work: Callable[[], _T]) -> _T:
    """``work()``'s result (or its exception), failing the test if it has not ended within
    ``seconds`` (the callers then release what the work waits for, so it ends)."""
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
        pytest.fail(f"the write did not end within {seconds:g} s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    value: _T = outcome["value"]
    return value


@pytest.mark.slow
def test_one_batch_carrying_50_mb_is_written_and_reads_back_equal(postgres_url: str) -> None:
    report = written_by_child(postgres_url, "50mb")

    assert report["count"] == 8
    assert report["bytes"] > 50_000_000
    with ProjectService.open(postgres_url) as service:
        log = service.store.read_log()
        assert [r.position for r in log] == list(range(1, 9))
        assert digest(log) == report["digest"]
        for i in range(8):
            assert service.store.read_stream(f"LON-{i}") == [log[i]]
            assert service.load(f"LON-{i}").objectives == objectives(i)


@pytest.mark.slow
def test_one_execute_batch_of_100000_events_is_written_and_reads_back_equal(
    postgres_url: str,
) -> None:
    report = written_by_child(postgres_url, "100k")

    assert report["count"] == 100_000
    assert report["positions"] == [1, 100_000]
    with ProjectService.open(postgres_url) as service:
        log = service.store.read_log()
        assert [r.position for r in log] == list(range(1, 100_001))
        assert digest(log) == report["digest"]
        stream = service.store.read_stream("NHIEU-0999")
        assert [r.version for r in stream] == list(range(1, 101))
        assert stream == log[-100:]


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
            within(BOUND, lambda: store.append([AppendBatch("sau", 0, project_records("sau"))]))
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
