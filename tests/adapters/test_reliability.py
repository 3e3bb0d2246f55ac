"""Crashes and dropped connections leave whole commands only.

- A writer process killed with SIGKILL inside a bulk append's transaction into SQLite: after
  recovery every project's stream is contiguous and every command is wholly present or absent.
- A PostgreSQL connection terminated by the server (``pg_terminate_backend``) while a bulk
  append is inserting rows: the caller gets a :class:`StorageError` saying nothing was written,
  and nothing was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.conftest import project_records
from dautu_adapters.stores import StorageError, Store
from dautu_core.errors import DautuError
from dautu_core.ports import AppendBatch

Opener = Callable[..., Store]
WRITER = Path(__file__).with_name("bulk_writer.py")
PROJECTS, EVENTS = 300, 10


def assert_whole_commands(store: Store) -> dict[str, int]:
    """Every stream is 1..n without gaps and n is 0 or a whole command; returns n by project."""
    lengths: dict[str, int] = {}
    for code in store.project_codes():
        versions = [r.version for r in store.read_stream(code)]
        assert versions == list(range(1, len(versions) + 1)), code
        assert len(versions) == EVENTS, f"{code} holds a partial command: {len(versions)} events"
        lengths[code] = len(versions)
    log = store.read_log()
    assert [r.position for r in log] == list(range(1, len(log) + 1))
    return lengths


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_writer_killed_inside_a_bulk_append_leaves_whole_commands(
    tmp_path: Path, opened: Opener
) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), url, "3", str(PROJECTS), str(EVENTS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    seen = []
    for line in writer.stdout:
        seen.append(line.strip())
        if line.strip() == "inside 3":
            os.kill(writer.pid, signal.SIGKILL)
            break
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL, seen
    assert seen == ["ready", "inside 1", "done 1", "inside 2", "done 2", "inside 3"]

    store = opened(url)
    lengths = assert_whole_commands(store)
    committed = {f"K{k}-P{i:04d}" for k in (1, 2) for i in range(PROJECTS)}
    assert set(lengths) == committed  # append 3 was cut inside its transaction: none of it
    assert store.max_position() == 2 * PROJECTS * EVENTS

    more = project_records("after-crash")
    assert store.append([AppendBatch("after-crash", 0, more)])[0] == store.max_position() - 3


def _backend_pid_waiting_on(conn: object, lock_key: int) -> int:
    """The server pid of the session blocked on our advisory lock (polls; bounded)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = conn.execute(  # type: ignore[attr-defined]
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted",
            (lock_key,),
        ).fetchone()
        if row is not None:
            return int(row[0])
    raise AssertionError("the writer never reached the paused row")


def test_a_postgres_connection_dropped_mid_append_writes_nothing(
    postgres_url: str, opened: Opener
) -> None:
    import psycopg

    store = opened(postgres_url)
    store.append([AppendBatch("before", 0, project_records("before"))])
    before = store.read_log()
    schema = postgres_url.rpartition("schema=")[2]
    server = postgres_url.partition("?")[0]
    lock_key = 73510

    with psycopg.connect(server, autocommit=True) as admin:
        # A row trigger that makes the insert wait, half-way through the rows of one
        # transaction, on an advisory lock this test holds.
        admin.execute(
            f"""
            CREATE FUNCTION "{schema}".pause_at_500() RETURNS trigger AS $$
            BEGIN
                IF NEW.originator_version = 500 THEN
                    PERFORM pg_advisory_xact_lock_shared({lock_key});
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        admin.execute(
            f'CREATE TRIGGER pause BEFORE INSERT ON "{schema}".stored_events '
            f'FOR EACH ROW EXECUTE FUNCTION "{schema}".pause_at_500()'
        )
        admin.execute("SELECT pg_advisory_lock(%s)", (lock_key,))

        big = project_records("big", violations=998)  # 1,000 records in one command
        outcome: list[BaseException] = []

        def write() -> None:
            try:
                store.append(
                    [
                        AppendBatch("small", 0, project_records("small")),
                        AppendBatch("big", 0, big),
                    ]
                )
            except BaseException as exc:
                outcome.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        pid = _backend_pid_waiting_on(admin, lock_key)
        inserted = admin.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()
        assert inserted is not None and "INSERT" in inserted[0]
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        writer.join(timeout=60)
        admin.execute("SELECT pg_advisory_unlock(%s)", (lock_key,))
        admin.execute(f'DROP TRIGGER pause ON "{schema}".stored_events')

    assert not writer.is_alive()
    (error,) = outcome
    assert isinstance(error, StorageError) and isinstance(error, DautuError)
    assert error.rule_id == "store_connection"
    assert error.written is False
    assert "nothing of the command was written" in str(error)
    assert store.read_log() == before
    assert store.read_stream("big") == [] and store.read_stream("small") == []

    # The pool recovers: the same store writes again, and the global log has no gap where
    # the rolled-back insert had taken notification ids.
    top = before[-1].position
    assert store.append([AppendBatch("small", 0, project_records("small"))]) == [
        top + 1,
        top + 2,
        top + 3,
        top + 4,
    ]
    assert [r.position for r in store.read_log()] == list(range(1, top + 5))
    assert store.project_codes() == ["before", "small"]
