"""The PostgreSQL recorder dautu uses: eventsourcing's, with five changes.

1. Stream reads return ``Notification`` objects carrying the global position (the row's
   ``notification_id``, already selected by eventsourcing's own query), see
   :mod:`dautu_adapters.stores.recorders`.
2. Positions stay gap-free. PostgreSQL hands out ``notification_id`` values from a sequence,
   and a rolled-back insert (a unique-constraint refusal, a dropped connection) has used some
   of them for good, which would leave a hole in the global log. Every insert transaction
   therefore first takes eventsourcing's exclusive table lock and sets the sequence back to
   the highest committed id + 1; under that lock no other insert is in flight, so the ids it
   hands out follow on without a gap.
3. Inserts are *not* retried blindly after a lost connection. eventsourcing retries an insert
   ten times on ``OperationalError``; if the connection dropped after the server committed, the
   retry would fail on the unique constraint and look like a concurrent write, and the service
   would then decide the same command a second time. dautu instead reports the lost
   connection and checks what the database holds (see ``RecorderStore.append``).
4. Expected versions are checked in the insert's transaction, under the table lock and before
   any row is inserted: a stream that is not at the version its writer decided on raises
   :class:`~dautu_adapters.stores.recorders.StreamHeadMoved` with its real version.
5. Writes do not use psycopg's pipeline mode, and every write has a bound.

   *Why no pipeline.* eventsourcing runs the insert transaction in ``conn.pipeline()`` and
   calls ``pipeline.sync()`` after the ``INSERT``. The ``INSERT`` carries all stored events of
   the transaction in **one** array parameter, so one Bind message as large as the batch.
   In pipeline mode psycopg's connection is non-blocking, and its ``pipeline_communicate``
   loop (psycopg 3.3.9, and its main branch in 2026; C and Python implementations alike)
   calls ``PQflush()`` once per socket "writable" event and leaves the loop as soon as its
   queue of commands is empty, whether or not ``PQflush()`` returned 1 (data still pending in
   libpq's output buffer). ``Pipeline.sync()`` then waits for results with
   ``_fetch_gen(flush=False)``: for the socket to become *readable*, without flushing again.
   Whatever the first few flushes could not hand to the kernel (a message larger than the
   socket buffers on both sides, a few MB on loopback: a 10 MB description, or an
   ``execute_batch`` of a few thousand approvals) stays in libpq's buffer: the server waits
   for the rest of the Bind message (``ClientRead``), the client waits to read (``poll``),
   for ever. psycopg's fix for issue #685 (3.1.18) made *leaving* a pipeline flush first;
   an explicit ``sync()`` inside it still does not, so no psycopg pin cures it. Without
   pipeline mode psycopg's ``execute`` flushes until libpq's buffer is empty (reading
   meanwhile), which is correct at any size; the few extra round trips (lock, sequence,
   heads, notify, insert) cost well under a millisecond each on a local network.

   *Bounds.* Each insert transaction sets ``statement_timeout`` to ``write_timeout`` seconds
   (default :data:`DEFAULT_WRITE_TIMEOUT`, URL option ``write_timeout``), so the server
   cancels any statement of it (the wait for the table lock included) that runs longer. It
   sets ``idle_in_transaction_session_timeout`` (eventsourcing's default: 5 s per session)
   to the same value: the client builds the ``INSERT``'s one large parameter *after* the
   lock is taken, and for 100,000 events on a busy machine that takes longer than 5 s, which
   made the server drop a healthy write as an idle session. Finally a client-side deadline
   closes the connection's socket if the whole transaction has not ended ``write_timeout +
   min(write_timeout, CLIENT_GRACE)`` seconds after it began (a server that stopped
   answering, a network that swallows packets, a driver that waits for nothing). Either way the transaction is rolled back (the server aborts it when the socket
   closes), the sequence is rewound by the next insert (change 2), and the store reports a
   :class:`~dautu_adapters.stores.errors.StorageError` that says what the database holds
   (it checks: should the deadline strike during the commit itself, the write may be there).

eventsourcing's private insert steps (``_insert_events``, ``_lock_table``,
``_insert_stored_events``, ``_fetch_ids_after_insert_events``, the undecorated
``insert_events``) are reached only through
:class:`~dautu_adapters.stores._eventsourcing_private.postgres.PostgresRecorderHooks`;
``tests/adapters/test_eventsourcing_private.py`` fails loudly when an upgrade changes them.

Imported only when a ``postgresql://`` store is opened (needs the ``dautu[postgres]`` extra).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry
from psycopg import Connection, Cursor
from psycopg.rows import DictRow, TupleRow, tuple_row
from psycopg.sql import SQL, Identifier, Literal

from dautu_adapters.stores._eventsourcing_private.postgres import PostgresRecorderHooks
from dautu_adapters.stores.recorders import (
    LogRow,
    PositionedStreamReads,
    StreamHeadMoved,
    StreamQuery,
    StreamRow,
    expected_versions,
)

__all__ = ["CLIENT_GRACE", "DEFAULT_WRITE_TIMEOUT", "PositionedPostgresRecorder"]

DEFAULT_WRITE_TIMEOUT = 60.0
"""Seconds one insert transaction may take (each statement, server side; see the module
docstring). A 50 MB batch or 100,000 events take a few seconds on a modest server."""
CLIENT_GRACE = 5.0
"""Seconds the client waits beyond ``write_timeout`` for the server's own cancellation to
arrive before it closes the connection itself (``write_timeout`` itself if that is less)."""


class _WriteDeadline:
    """Shut the socket of ``conn`` down if the block has not ended within ``seconds``.

    The socket is duplicated at entry, so the timer acts on this connection's socket even if
    libpq has closed its own descriptor meanwhile (a reused descriptor number is never hit);
    ``expired`` says whether the timer fired while the block was running; if it fired just
    as the block ended well, the connection is closed so that the pool does not hand out a
    dead one. Without a duplicable socket (some platforms) only the server-side bound
    applies.
    """

    def __init__(self, conn: Connection[Any], seconds: float) -> None:
        self.seconds = seconds
        self._conn = conn
        self.expired = False
        self._lock = threading.Lock()
        self._running = True
        self._sock: socket.socket | None = None
        try:
            self._sock = socket.socket(fileno=socket.dup(conn.fileno()))
        except (OSError, ValueError, psycopg.Error):
            self._sock = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self) -> None:
        with self._lock:
            if not self._running or self._sock is None:
                return
            self.expired = True
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _WriteDeadline:
        if self._sock is not None:
            self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            self._running = False
        self._timer.cancel()
        if self._sock is not None:
            self._sock.close()
        if self.expired:
            self._conn.close()


class PositionedPostgresRecorder(PositionedStreamReads, PostgresRecorderHooks):
    """eventsourcing's PostgreSQL recorder; positions on stream reads, gap-free positions, no
    blind insert retry, expected versions checked under the table lock."""

    write_timeout: float = DEFAULT_WRITE_TIMEOUT
    """Seconds an insert transaction may take; see the module docstring (change 5)."""

    @property
    def checks_expected_versions(self) -> bool:
        # eventsourcing's database-function insert path does not call ``_insert_events``.
        return not self.datastore.enable_db_functions

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema, table = self.datastore.schema, self.events_table_name
        qualified = f"{Identifier(schema).as_string()}.{Identifier(table).as_string()}"
        self._rewind_sequence = SQL(
            "SELECT setval(pg_get_serial_sequence({qualified}, 'notification_id'), "
            "COALESCE((SELECT MAX(notification_id) FROM {schema}.{table}), 0) + 1, false)"
        ).format(qualified=Literal(qualified), schema=Identifier(schema), table=Identifier(table))
        self._select_heads = SQL(
            "SELECT originator_id, MAX(originator_version) AS head FROM {schema}.{table} "
            "WHERE originator_id = ANY(%s) GROUP BY originator_id"
        ).format(schema=Identifier(schema), table=Identifier(table))
        # eventsourcing's select_notifications statement for (start, limit, exclusive start).
        self._select_log_statement = SQL(
            "SELECT * FROM {schema}.{table} WHERE notification_id>%s "
            "ORDER BY notification_id LIMIT %s"
        ).format(schema=Identifier(schema), table=Identifier(table))
        self._log_columns: tuple[int, int, int, int, int] | None = None

    def check_before_insert(self, curs: Cursor[DictRow], kwargs: Mapping[str, Any]) -> None:
        """Runs first in eventsourcing's insert transaction: lock, rewind the sequence, check
        the expected versions."""
        self.lock_table(curs)
        curs.execute(self._rewind_sequence, prepare=True)
        expected = expected_versions(kwargs)
        if expected:
            curs.execute(self._select_heads, (list(expected),), prepare=True)
            heads = {UUID(str(row["originator_id"])): row["head"] for row in curs.fetchall()}
            for sid, version in expected.items():
                actual = heads.get(sid) or 0
                if actual != version:
                    raise StreamHeadMoved(sid, version, actual)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert in one transaction, once, without pipeline mode, within ``write_timeout``.

        The same statements as eventsourcing's ``insert_events`` in the same order (our
        ``_insert_events``, then its lock, ``NOTIFY`` and ``INSERT ... RETURNING``), run
        one after the other instead of pipelined: see the module docstring (change 5).
        eventsourcing's database-function path has no pipeline and is used as it is.
        """
        if self.datastore.enable_db_functions:
            return self.insert_once_through_db_functions(stored_events, **kwargs)
        seconds = self.write_timeout
        grace = min(CLIENT_GRACE, seconds)
        with self.datastore.get_connection() as conn:
            deadline = _WriteDeadline(conn, seconds + grace)
            try:
                with deadline, conn.transaction(), conn.cursor() as curs:
                    curs.execute(
                        SQL(
                            "SET LOCAL statement_timeout = {0}; "
                            "SET LOCAL idle_in_transaction_session_timeout = {0}"
                        ).format(Literal(max(1, round(seconds * 1000))))
                    )
                    return self.insert_on_cursor(curs, stored_events, **kwargs)
            except psycopg.Error as exc:
                if deadline.expired:
                    raise psycopg.OperationalError(
                        f"the write did not end within {seconds + grace:g} s "
                        f"(write_timeout {seconds:g} s + {grace:g} s): the connection was closed"
                    ) from exc
                raise

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _stream_rows(self, query: StreamQuery) -> list[StreamRow]:
        """eventsourcing's query (reads are safe to retry); rows keep their position."""
        where, params = query.sql("%s")
        statement = self.select_events_statement + SQL(where)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [query.originator_id, *params], prepare=True)
            return [
                (row["originator_version"], row["topic"], row["state"], row["notification_id"])
                for row in curs.fetchall()
            ]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_log_rows(self, start: int, limit: int) -> list[LogRow]:
        """``select_notifications(start, limit, inclusive_of_start=False)`` as plain rows
        (notification_id, originator_id, originator_version, topic, state), see
        :data:`~dautu_adapters.stores.recorders.LogRow`."""
        connection = self.datastore.get_connection()
        with connection as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self._select_log_statement, (start, limit), prepare=True)
            rows: list[TupleRow] = curs.fetchall()
            columns = self._log_columns
            if columns is None and curs.description is not None:
                names = [column.name for column in curs.description]
                columns = self._log_columns = (
                    names.index("notification_id"),
                    names.index("originator_id"),
                    names.index("originator_version"),
                    names.index("topic"),
                    names.index("state"),
                )
        if not rows or columns is None:
            return []
        p, o, v, t, s = columns
        return [(row[p], row[o], row[v], row[t], bytes(row[s])) for row in rows]
