"""Every use dautu makes of the private interface of eventsourcing's PostgreSQL recorder.

Why: :mod:`dautu_adapters.stores.postgres_recorder` runs eventsourcing's own insert steps,
in eventsourcing's order, without pipeline mode and without the blind retry (see its module
docstring). eventsourcing has no public name for those steps, so they are reached here:
``_insert_events`` (first step of the transaction; the check is added after eventsourcing's
own, which inserts the tracking record), ``_lock_table``, ``_insert_stored_events`` (table
lock, ``NOTIFY``, ``INSERT ... RETURNING``), ``_fetch_ids_after_insert_events``, and
``insert_events`` undecorated (``inspect.unwrap`` of its ``@retry``; only for eventsourcing's
database-function path). ``tests/adapters/test_eventsourcing_private.py`` guards them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

__all__ = ["PostgresRecorderHooks", "insert_events_without_retry"]

insert_events_without_retry: Callable[..., Sequence[int] | None] = inspect.unwrap(
    PostgresApplicationRecorder.insert_events
)
"""eventsourcing's ``PostgresApplicationRecorder.insert_events`` without its ``@retry``."""


class PostgresRecorderHooks(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, its private insert steps under public names."""

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        self.check_before_insert(curs, kwargs)

    def check_before_insert(self, curs: Cursor[DictRow], kwargs: Mapping[str, Any]) -> None:
        """Runs first in each insert's transaction (after eventsourcing's own first step);
        raising rolls the transaction back."""

    def lock_table(self, curs: Cursor[DictRow]) -> None:
        """eventsourcing's exclusive lock of the events table (for this transaction)."""
        self._lock_table(curs)

    def insert_on_cursor(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """eventsourcing's insert steps, in its order, on ``curs`` (in a transaction the
        caller opened): first step, then lock, ``NOTIFY``, ``INSERT``; the notification ids."""
        self._insert_events(curs, stored_events, **kwargs)
        if not stored_events:
            return None
        self._insert_stored_events(curs, stored_events, **kwargs)
        return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def insert_once_through_db_functions(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """eventsourcing's ``insert_events`` run once (its database-function path)."""
        return insert_events_without_retry(self, stored_events, **kwargs)
