"""eventsourcing-sqlalchemy's application recorder, with positions on stream reads.

See :mod:`dautu_adapters.stores.recorders` for why. Imported only when an ``eventsourcing://``
store names ``PERSISTENCE_MODULE=eventsourcing_sqlalchemy`` (extra ``dautu[sqlalchemy]``).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from dautu_adapters.stores.recorders import PositionedStreamReads, StreamQuery, StreamRow

__all__ = ["PositionedSQLAlchemyRecorder", "application_recorder"]


# eventsourcing-sqlalchemy declares select_events -> List[StoredEvent]; ours gives a list of
# Notification (a StoredEvent subclass) typed as a Sequence, as eventsourcing's own recorders do.
class PositionedSQLAlchemyRecorder(  # type: ignore[misc]
    PositionedStreamReads, SQLAlchemyApplicationRecorder
):
    """Stream reads return ``Notification`` objects with the row's id (= position)."""

    def _stream_rows(self, query: StreamQuery) -> list[StreamRow]:
        record: Any = self.events_record_cls
        with self.transaction(commit=False) as session:
            rows = session.query(record).filter(record.originator_id == query.originator_id)
            if query.gt is not None:
                rows = rows.filter(record.originator_version > query.gt)
            if query.lte is not None:
                rows = rows.filter(record.originator_version <= query.lte)
            order = record.originator_version
            rows = rows.order_by(order.desc() if query.desc else order)
            found = rows[0 : query.limit] if query.limit is not None else list(rows)
            return [(row.originator_version, row.topic, row.state, row.id) for row in found]


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
