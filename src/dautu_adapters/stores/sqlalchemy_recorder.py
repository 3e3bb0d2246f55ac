"""eventsourcing-sqlalchemy's application recorder, with positions on stream reads.

See :mod:`dautu_adapters.stores.recorders` for why. Imported only when an ``eventsourcing://``
store names ``PERSISTENCE_MODULE=eventsourcing_sqlalchemy`` (extra ``dautu[sqlalchemy]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from dautu_adapters.stores.recorders import stream_notification

__all__ = ["PositionedSQLAlchemyRecorder", "application_recorder"]


class PositionedSQLAlchemyRecorder(SQLAlchemyApplicationRecorder):
    """Stream reads return ``Notification`` objects with the row's id (= position)."""

    def select_events(  # type: ignore[override]
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[Notification]:
        record_cls: Any = self.events_record_cls
        with self.transaction(commit=False) as session:
            query = session.query(record_cls).filter(record_cls.originator_id == originator_id)
            if gt is not None:
                query = query.filter(record_cls.originator_version > gt)
            if lte is not None:
                query = query.filter(record_cls.originator_version <= lte)
            order = record_cls.originator_version
            query = query.order_by(order.desc() if desc else order)
            rows = query[0:limit] if limit is not None else list(query)
            return [
                stream_notification(
                    row.originator_id, row.originator_version, row.topic, row.state, row.id
                )
                for row in rows
            ]


def application_recorder(factory: SQLAlchemyFactory) -> ApplicationRecorder:
    """The factory's application recorder, built as :class:`PositionedSQLAlchemyRecorder`."""
    prefix = factory.env.name.lower() or "stored"
    recorder = PositionedSQLAlchemyRecorder(
        datastore=factory.datastore,
        events_table_name=prefix + "_events",
        schema_name=factory.env.get(factory.SQLALCHEMY_SCHEMA),
    )
    if factory.env_create_table() and recorder.datastore.engine is not None:
        recorder.create_table()
    return recorder
