"""The PostgreSQL recorder dautu uses: eventsourcing's, with four changes.

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

Imported only when a ``postgresql://`` store is opened (needs the ``dautu[postgres]`` extra).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, TupleRow, tuple_row
from psycopg.sql import SQL, Identifier, Literal

from dautu_adapters.stores.recorders import (
    LogRow,
    PositionedStreamReads,
    StreamHeadMoved,
    StreamQuery,
    StreamRow,
    expected_versions,
)

__all__ = ["PositionedPostgresRecorder"]

_insert_once = inspect.unwrap(PostgresApplicationRecorder.insert_events)


class PositionedPostgresRecorder(PositionedStreamReads, PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder; positions on stream reads, gap-free positions, no
    blind insert retry, expected versions checked under the table lock."""

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

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Runs first in eventsourcing's insert transaction: lock, rewind the sequence, check
        the expected versions."""
        super()._insert_events(curs, stored_events, **kwargs)
        self._lock_table(curs)
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
        """Insert in one transaction, once (eventsourcing's body without its retry)."""
        result: Sequence[int] | None = _insert_once(self, stored_events, **kwargs)
        return result

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
