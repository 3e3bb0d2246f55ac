"""eventsourcing application recorders that also tell each stream event's global position.

Why subclasses: eventsourcing's ``select_events`` returns ``StoredEvent`` objects without their
notification id, but a dautu stream read must give each record's place in the global log (the
audit trail and projections refer to it). The recorders below return eventsourcing's own
``Notification`` objects (a ``StoredEvent`` subclass that carries ``id``) from the same single
query, so they remain drop-in eventsourcing recorders: everything else, inserts included, is
eventsourcing's code.

Recorders of other persistence modules keep working without this: the store then finds
positions by reading the global log (see :class:`dautu_adapters.stores.store.RecorderStore`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
)
from eventsourcing.utils import reversed_keys

__all__ = ["PositionedPOPORecorder", "PositionedSQLiteRecorder", "use_sqlite_pragmas"]


class PositionedPOPORecorder(POPOApplicationRecorder):
    """eventsourcing's in-memory recorder; stream reads carry notification ids."""

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[Notification]:
        with self._database_lock:
            results: list[Notification] = []
            index = self._stored_events_index[str(originator_id)]
            versions: Iterable[int] = reversed_keys(index) if desc else index.keys()
            for version in versions:
                if gt is not None and version <= gt:
                    continue
                if lte is not None and version > lte:
                    continue
                offset = index[version]
                stored = self._stored_events[offset]
                results.append(
                    Notification(
                        originator_id=stored.originator_id,
                        originator_version=stored.originator_version,
                        topic=stored.topic,
                        state=stored.state,
                        id=offset + 1,
                    )
                )
                if len(results) == limit:
                    break
            return results


class PositionedSQLiteRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder; stream reads also select the row id (= position)."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self.select_events_statement = (
            f"SELECT rowid, * FROM {self.events_table_name} WHERE originator_id=? "
        )

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[Notification]:
        statement = self.select_events_statement
        params: list[Any] = [
            originator_id.hex if isinstance(originator_id, UUID) else originator_id
        ]
        if gt is not None:
            statement += "AND originator_version>? "
            params.append(gt)
        if lte is not None:
            statement += "AND originator_version<=? "
            params.append(lte)
        statement += "ORDER BY originator_version " + ("DESC " if desc else "ASC ")
        if limit is not None:
            statement += "LIMIT ? "
            params.append(limit)
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            # Every row belongs to ``originator_id``: no need to parse each row's id back.
            return [
                Notification(
                    originator_id=originator_id,
                    originator_version=row[2],
                    topic=row[3],
                    state=row[4],
                    id=row[0],
                )
                for row in cursor.fetchall()
            ]


class _PragmaSQLiteConnectionPool(SQLiteConnectionPool):
    """eventsourcing's SQLite pool that runs PRAGMA statements on every new connection."""

    def __init__(self, *, pragmas: Sequence[str], **kwargs: Any) -> None:
        self._pragmas = tuple(pragmas)
        super().__init__(**kwargs)

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        cursor = connection.cursor()
        for pragma in self._pragmas:
            cursor.execute(pragma)
        return connection


def use_sqlite_pragmas(datastore: SQLiteDatastore, pragmas: Sequence[str]) -> None:
    """Make every connection of ``datastore`` (not used yet) run ``pragmas`` first.

    eventsourcing's SQLite datastore has no setting for PRAGMAs such as ``synchronous``; its
    pool is replaced, before any connection exists, by one that runs them.
    """
    old = datastore.pool
    datastore.pool = _PragmaSQLiteConnectionPool(
        pragmas=pragmas,
        db_name=old.db_name,
        lock_timeout=old.lock_timeout,
        pool_size=old.pool_size,
        max_overflow=old.max_overflow,
        pool_timeout=old.pool_timeout,
        max_age=old.max_age,
        pre_ping=old.pre_ping,
    )
    old.close()
