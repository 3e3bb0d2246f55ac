"""The PostgreSQL recorder dautu uses: eventsourcing's, with two changes.

1. Stream reads return ``Notification`` objects carrying the global position (the row's
   ``notification_id``, already selected by eventsourcing's own query), see
   :mod:`dautu_adapters.stores.recorders`.
2. Inserts are *not* retried blindly after a lost connection. eventsourcing retries an insert
   ten times on ``OperationalError``; if the connection dropped after the server committed, the
   retry would fail on the unique constraint and look like a concurrent write, and the service
   would then decide the same command a second time. dautu instead reports the lost
   connection and checks what the database holds (see ``RecorderStore.append``).

Imported only when a ``postgresql://`` store is opened (needs the ``dautu[postgres]`` extra).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL

__all__ = ["PositionedPostgresRecorder"]

_insert_once = inspect.unwrap(PostgresApplicationRecorder.insert_events)


class PositionedPostgresRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder; positions on stream reads, no blind insert retry."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert in one transaction, once (eventsourcing's body without its retry)."""
        result: Sequence[int] | None = _insert_once(self, stored_events, **kwargs)
        return result

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[Notification]:
        """eventsourcing's query (reads are safe to retry); rows keep their position."""
        statement = self.select_events_statement
        params: list[Any] = [originator_id]
        if gt is not None:
            params.append(gt)
            statement += SQL(" AND originator_version > %s")
        if lte is not None:
            params.append(lte)
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version") + SQL(" DESC" if desc else " ASC")
        if limit is not None:
            params.append(limit)
            statement += SQL(" LIMIT %s")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                Notification(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                    id=row["notification_id"],
                )
                for row in curs.fetchall()
            ]
