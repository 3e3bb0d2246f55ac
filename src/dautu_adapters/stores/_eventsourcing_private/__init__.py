"""Every use dautu makes of eventsourcing's private interface, and nothing else.

Why fenced: eventsourcing offers no public hook to run a check inside an insert's
transaction, to read a stream with its notification ids, or to set up each SQLite
connection; dautu needs all three (expected versions checked where no other writer can move
them, positions for the audit trail, ``PRAGMA synchronous``). The private names it relies
on (those starting with ``_``) are used here only, each translated into a public-named
method of a base class the recorders in :mod:`dautu_adapters.stores.recorders` and
:mod:`dautu_adapters.stores.postgres_recorder` build on:

- POPO (``eventsourcing.popo``): ``_assert_uniqueness`` (called under the recorder's lock
  before an insert) becomes :meth:`POPORecorderHooks.check_before_insert`; the attributes
  ``_database_lock``, ``_stored_events`` and ``_stored_events_index`` are read through
  :attr:`~POPORecorderHooks.database_lock`, :meth:`~POPORecorderHooks.stored_event` and
  :meth:`~POPORecorderHooks.stream_index`.
- SQLite: ``SQLiteApplicationRecorder._insert_events`` (first step of the insert
  transaction) becomes :meth:`SQLiteRecorderHooks.check_before_insert`, then
  :meth:`SQLiteRecorderHooks.insert_rows`;
  ``SQLiteConnectionPool._create_connection`` becomes
  :meth:`SQLitePoolHooks.setup_connection`.
- PostgreSQL: :mod:`dautu_adapters.stores._eventsourcing_private.postgres` (imported only
  with the ``postgres`` extra).

eventsourcing is pinned ``>=9.5.6,<10`` in ``pyproject.toml`` for that reason (see
``docs/storage.md``, "Why eventsourcing is pinned"); ``tests/adapters/test_eventsourcing_private.py``
checks every name, signature and behaviour relied on here and fails naming the installed
eventsourcing version and the attribute when an upgrade changes one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from importlib.metadata import version
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
)

__all__ = [
    "EVENTSOURCING_VERSION",
    "POPORecorderHooks",
    "SQLitePoolHooks",
    "SQLiteRecorderHooks",
]

EVENTSOURCING_VERSION = version("eventsourcing")
"""The installed eventsourcing, named by the fence's tests when what they check changed."""


class POPORecorderHooks(POPOApplicationRecorder):
    """eventsourcing's in-memory recorder, its private hook and state under public names."""

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        self.check_before_insert(kwargs)
        super()._assert_uniqueness(stored_events, **kwargs)

    def check_before_insert(self, kwargs: Mapping[str, Any]) -> None:
        """Runs under the recorder's lock before each insert (``kwargs`` of
        ``insert_events``); raising refuses the insert, nothing is written."""

    @property
    def database_lock(self) -> AbstractContextManager[Any]:
        """The lock eventsourcing holds while it inserts or reads."""
        return self._database_lock

    def stream_index(self, originator_id: str) -> dict[int, int]:
        """``{version: offset}`` of a stream (text id), in insertion (= version) order; the
        recorder's own dict, read under :attr:`database_lock`, never changed."""
        return self._stored_events_index.get(originator_id) or {}

    def stored_event(self, offset: int) -> StoredEvent:
        """The stored event at ``offset``: its notification id is ``offset + 1``."""
        return self._stored_events[offset]


class SQLiteRecorderHooks(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder with a check run first in the insert's transaction."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        self.check_before_insert(c, kwargs)
        return self.insert_rows(c, stored_events, kwargs)

    def check_before_insert(self, cursor: SQLiteCursor, kwargs: Mapping[str, Any]) -> None:
        """Runs first in each insert's transaction, on its cursor; raising rolls it back."""

    def insert_rows(
        self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent], kwargs: Mapping[str, Any]
    ) -> Sequence[int] | None:
        """Inserts the rows in the insert's transaction, after :meth:`check_before_insert`,
        and returns their notification ids: eventsourcing's own insert unless overridden."""
        return super()._insert_events(cursor, stored_events, **kwargs)


class SQLitePoolHooks(SQLiteConnectionPool):
    """eventsourcing's SQLite connection pool, with a step run on every new connection."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        self.setup_connection(connection)
        return connection

    def setup_connection(self, connection: SQLiteConnection) -> None:
        """Runs once on each connection the pool opens, before anyone uses it."""
