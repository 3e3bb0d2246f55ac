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
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import reversed_keys

__all__ = ["PositionedPOPORecorder", "PositionedSQLiteRecorder"]


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
            return [
                Notification(
                    originator_id=self.convert_originator_id(row[1]),
                    originator_version=row[2],
                    topic=row[3],
                    state=row[4],
                    id=row[0],
                )
                for row in cursor.fetchall()
            ]
