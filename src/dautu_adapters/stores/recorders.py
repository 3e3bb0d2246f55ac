"""eventsourcing application recorders that also tell each stream event's global position.

Why subclasses: eventsourcing's ``select_events`` returns ``StoredEvent`` objects without their
notification id, but a dautu stream read must give each record's place in the global log (the
audit trail and projections refer to it). The recorders below return eventsourcing's own
``Notification`` objects (a ``StoredEvent`` subclass that carries ``id``) from the same single
query (:class:`PositionedStreamReads`: each recorder only says how to read a stream's rows
with their positions), so they remain drop-in eventsourcing recorders: everything else,
inserts included, is eventsourcing's code.

Recorders of other persistence modules keep working without this: the store then finds
positions by reading the global log (see :class:`dautu_adapters.stores.store.RecorderStore`).

They also check the writer's expected versions *inside* the insert's transaction
(``checks_expected_versions``): ``insert_events(rows, dautu_expected_versions={stream id:
version})`` raises :class:`StreamHeadMoved` with the stream's real version, read in that
transaction, when a stream is not at the version its writer decided on. The POPO recorder
checks under its lock, SQLite under its write lock, before inserting. PostgreSQL: see
:mod:`dautu_adapters.stores.postgres_recorder`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast
from uuid import UUID

import attrs
from eventsourcing.persistence import IntegrityError, Notification, StoredEvent
from eventsourcing.sqlite import SQLiteConnection, SQLiteCursor, SQLiteDatastore
from eventsourcing.utils import reversed_keys

from dautu_adapters.stores._eventsourcing_private import (
    POPORecorderHooks,
    SQLitePoolHooks,
    SQLiteRecorderHooks,
)

__all__ = [
    "EXPECTED_VERSIONS",
    "LogRow",
    "PositionedPOPORecorder",
    "PositionedSQLiteRecorder",
    "PositionedStreamReads",
    "StreamHeadMoved",
    "StreamQuery",
    "StreamRow",
    "expected_versions",
    "use_sqlite_pragmas",
]

EXPECTED_VERSIONS = "dautu_expected_versions"
"""Keyword argument of ``insert_events``: ``{stream id: version the writer decided on}``."""


class StreamHeadMoved(IntegrityError):
    """A stream is not at the version its writer expected; ``actual`` was read in the insert's
    own transaction, which is rolled back."""

    def __init__(self, originator_id: UUID, expected: int, actual: int) -> None:
        super().__init__(f"stream {originator_id} is at version {actual}, not {expected}")
        self.originator_id = originator_id
        self.expected = expected
        self.actual = actual


def expected_versions(kwargs: Mapping[str, Any]) -> Mapping[UUID, int]:
    """The ``dautu_expected_versions`` argument of an ``insert_events`` call ({} if none)."""
    found: Mapping[UUID, int] = kwargs.get(EXPECTED_VERSIONS) or {}
    return found


StreamRow = tuple[int, str, bytes | memoryview, int]
"""One row of a stream read: version, topic, state, global position."""

LogRow = tuple[int, UUID | str, int, str, bytes]
"""One row of the global log as the database returns it: position (notification id),
originator id (as stored: text or ``UUID``, not converted), version, topic, state.

``select_log_rows(start, limit)`` (SQLite and PostgreSQL recorders) runs the same query as
eventsourcing's ``select_notifications(start, limit, inclusive_of_start=False)`` and returns
these tuples instead of ``Notification`` objects, which saves building an object and a
``UUID`` per row when the whole log is read."""


StreamsRow = tuple[str, int, str, bytes, int]
"""One row of a read of several streams at once: originator id (hex text, as the SQLite
recorder stores it), version, topic, state, global position.

``select_streams_rows(originator_ids)`` (SQLite recorder) reads every row of many streams in
a few queries: what a batch of commands on projects not read yet needs, instead of one
query (and one transaction) per project."""

STREAMS_CHUNK = 500
"""Streams per query of ``select_streams_rows`` (under SQLite's limit of bound parameters)."""


@attrs.frozen
class StreamQuery:
    """What ``select_events`` asks: a stream's rows with ``gt < version <= lte``, in version
    order (``desc``: newest first), at most ``limit``."""

    originator_id: UUID | str
    gt: int | None = None
    lte: int | None = None
    desc: bool = False
    limit: int | None = None

    def sql(self, placeholder: str) -> tuple[str, list[Any]]:
        """The SQL after ``WHERE originator_id = <placeholder>``, and its parameters."""
        text, params = "", []
        if self.gt is not None:
            text += f" AND originator_version > {placeholder}"
            params.append(self.gt)
        if self.lte is not None:
            text += f" AND originator_version <= {placeholder}"
            params.append(self.lte)
        text += " ORDER BY originator_version" + (" DESC" if self.desc else " ASC")
        if self.limit is not None:
            text += f" LIMIT {placeholder}"
            params.append(self.limit)
        return text, params


class PositionedStreamReads:
    """Stream reads that return eventsourcing's ``Notification`` objects, which carry the
    global position (``id``); a recorder only provides :meth:`_stream_rows`."""

    def select_events(
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[Notification]:
        return [
            Notification(
                originator_id=originator_id,
                originator_version=version,
                topic=topic,
                state=bytes(state) if isinstance(state, memoryview) else state,
                id=position,
            )
            for version, topic, state, position in self._stream_rows(
                StreamQuery(originator_id, gt, lte, desc, limit)
            )
        ]

    def select_stream_rows(
        self, originator_id: UUID | str, gt: int | None = None, lte: int | None = None
    ) -> list[StreamRow]:
        """``select_events(originator_id, gt, lte)`` as plain rows ``(version, topic, state,
        position)``: what a rebuild reads, without a ``Notification`` per record."""
        return [
            (version, topic, bytes(state) if isinstance(state, memoryview) else state, position)
            for version, topic, state, position in self._stream_rows(
                StreamQuery(originator_id, gt, lte)
            )
        ]

    def _stream_rows(self, query: StreamQuery) -> Iterable[StreamRow]:
        """The rows ``query`` asks for."""
        raise NotImplementedError


class PositionedPOPORecorder(PositionedStreamReads, POPORecorderHooks):
    """eventsourcing's in-memory recorder; stream reads carry notification ids, expected
    versions are checked under the recorder's lock."""

    checks_expected_versions = True

    def check_before_insert(self, kwargs: Mapping[str, Any]) -> None:
        for sid, expected in expected_versions(kwargs).items():
            index = self.stream_index(str(sid))
            actual = next(reversed(index), 0)
            if actual != expected:
                raise StreamHeadMoved(sid, expected, actual)

    def _stream_rows(self, query: StreamQuery) -> list[StreamRow]:
        with self.database_lock:
            rows: list[StreamRow] = []
            index = self.stream_index(str(query.originator_id))
            versions: Iterable[int] = reversed_keys(index) if query.desc else index.keys()
            for version in versions:
                if query.gt is not None and version <= query.gt:
                    continue
                if query.lte is not None and version > query.lte:
                    continue
                offset = index[version]
                stored = self.stored_event(offset)
                rows.append((version, stored.topic, stored.state, offset + 1))
                if len(rows) == query.limit:
                    break
            return rows


class PositionedSQLiteRecorder(PositionedStreamReads, SQLiteRecorderHooks):
    """eventsourcing's SQLite recorder; stream reads also select the row id (= position),
    expected versions are checked in the insert's transaction."""

    checks_expected_versions = True

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self.select_events_statement = (
            f"SELECT rowid, * FROM {self.events_table_name} WHERE originator_id=?"
        )
        # eventsourcing begins the insert's transaction with a deferred BEGIN: a write that
        # changes nothing takes SQLite's write lock (waiting for other writers as an insert
        # would) before the heads are read, so no one can move them until the commit.
        self._take_write_lock_statement = f"UPDATE {self.events_table_name} SET topic=topic WHERE 0"
        self._last_rowid_statement = f"SELECT MAX(rowid) FROM {self.events_table_name}"
        self._rowid_statement = (
            f"SELECT rowid FROM {self.events_table_name} "
            "WHERE originator_id=? AND originator_version=?"
        )
        # eventsourcing's select_notifications statement for (start, limit, exclusive start).
        self._select_log_statement = (
            f"SELECT rowid, * FROM {self.events_table_name} WHERE rowid>? ORDER BY rowid LIMIT ?"
        )

    def check_before_insert(self, cursor: SQLiteCursor, kwargs: Mapping[str, Any]) -> None:
        """Check the expected versions under the write lock, before eventsourcing's inserts."""
        expected = expected_versions(kwargs)
        if not expected:
            return
        cursor.execute(self._take_write_lock_statement)
        # The heads of many streams in a few queries (one per STREAMS_CHUNK streams), not
        # one query each: a batch of an import writes a thousand projects at once.
        raw = cast(sqlite3.Cursor, getattr(cursor, "sqlite_cursor", cursor))
        raw.row_factory = None
        ids = [sid.hex for sid in expected]
        heads: dict[str, int] = {}
        for start in range(0, len(ids), STREAMS_CHUNK):
            chunk = ids[start : start + STREAMS_CHUNK]
            raw.execute(
                f"SELECT originator_id, MAX(originator_version) FROM {self.events_table_name} "
                f"WHERE originator_id IN ({','.join('?' * len(chunk))}) GROUP BY originator_id",
                chunk,
            )
            heads.update(raw.fetchall())
        for (sid, version), hex_id in zip(expected.items(), ids, strict=True):
            actual = heads.get(hex_id) or 0
            if actual != version:
                raise StreamHeadMoved(sid, version, actual)

    def insert_rows(
        self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent], kwargs: Mapping[str, Any]
    ) -> Sequence[int] | None:
        """The rows inserted by one ``executemany``, their notification ids (row ids) known
        from the largest row id before and after.

        Why: eventsourcing inserts row by row to read each row id, and that loop was most of
        the time a large append spent outside SQLite. Under the write lock (taken first, so
        that no one else inserts until the commit) SQLite gives each new row the largest row
        id plus one; the ids are then the ``n`` after the largest before, which the largest
        after confirms. Should it not (a table whose largest row id is the largest integer,
        where SQLite picks ids at random), each row's id is read back by its unique key.
        """
        raw = cast(sqlite3.Cursor, getattr(cursor, "sqlite_cursor", cursor))
        raw.row_factory = None
        raw.execute(self._take_write_lock_statement)
        raw.execute(self._last_rowid_statement)
        before = raw.fetchone()[0] or 0
        # A generator: each row's tuple is freed once SQLite has it (none pile up).
        rows = (
            (_hex(s.originator_id), s.originator_version, s.topic, s.state) for s in stored_events
        )
        raw.executemany(self.insert_events_statement, rows)
        raw.execute(self._last_rowid_statement)
        after = raw.fetchone()[0] or 0
        if after == before + len(stored_events):
            return list(range(before + 1, after + 1))
        ids = []
        for s in stored_events:
            raw.execute(self._rowid_statement, (_hex(s.originator_id), s.originator_version))
            ids.append(raw.fetchone()[0])
        return ids

    def _stream_rows(self, query: StreamQuery) -> list[StreamRow]:
        sid = query.originator_id
        where, params = query.sql("?")
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                self.select_events_statement + where,
                [sid.hex if isinstance(sid, UUID) else sid, *params],
            )
            return [(row[2], row[3], row[4], row[0]) for row in cursor.fetchall()]

    def select_stream_rows(
        self, originator_id: UUID | str, gt: int | None = None, lte: int | None = None
    ) -> list[StreamRow]:
        """One stream's rows as plain tuples straight from ``sqlite3`` (see
        :meth:`PositionedStreamReads.select_stream_rows`)."""
        where, params = StreamQuery(originator_id, gt, lte).sql("?")
        sid = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        with self.datastore.transaction(commit=False) as cursor:
            raw = cast(sqlite3.Cursor, getattr(cursor, "sqlite_cursor", cursor))
            raw.row_factory = None
            raw.execute(
                f"SELECT originator_version, topic, state, rowid FROM {self.events_table_name} "
                f"WHERE originator_id=?{where}",
                [sid, *params],
            )
            rows: list[StreamRow] = raw.fetchall()
            return rows

    def select_streams_rows(self, originator_ids: Sequence[UUID]) -> list[StreamsRow]:
        """Every row of the given streams, in one query per :data:`STREAMS_CHUNK` streams,
        ordered by stream then version (see :data:`StreamsRow`)."""
        out: list[StreamsRow] = []
        with self.datastore.transaction(commit=False) as cursor:
            raw = cast(sqlite3.Cursor, getattr(cursor, "sqlite_cursor", cursor))
            raw.row_factory = None
            for start in range(0, len(originator_ids), STREAMS_CHUNK):
                chunk = [sid.hex for sid in originator_ids[start : start + STREAMS_CHUNK]]
                raw.execute(
                    f"SELECT originator_id, originator_version, topic, state, rowid "
                    f"FROM {self.events_table_name} "
                    f"WHERE originator_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY originator_id, originator_version",
                    chunk,
                )
                out.extend(raw.fetchall())
        return out

    def select_log_rows(self, start: int, limit: int) -> list[LogRow]:
        """``select_notifications(start, limit, inclusive_of_start=False)`` as plain rows
        (rowid, originator_id, originator_version, topic, state), see :data:`LogRow`."""
        with self.datastore.transaction(commit=False) as cursor:
            # the sqlite3 cursor itself (typed as eventsourcing's wrapper), for plain tuples,
            # already in LogRow order, instead of sqlite3.Row objects
            raw = cast(sqlite3.Cursor, getattr(cursor, "sqlite_cursor", cursor))
            raw.row_factory = None
            raw.execute(self._select_log_statement, (start, limit))
            rows: list[LogRow] = raw.fetchall()
            return rows


def _hex(originator_id: UUID | str) -> str:
    """An originator id as the SQLite recorder stores it (hex text)."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


class _PragmaSQLiteConnectionPool(SQLitePoolHooks):
    """eventsourcing's SQLite pool that runs PRAGMA statements on every new connection."""

    def __init__(self, *, pragmas: Sequence[str], **kwargs: Any) -> None:
        self._pragmas = tuple(pragmas)
        super().__init__(**kwargs)

    def setup_connection(self, connection: SQLiteConnection) -> None:
        cursor = connection.cursor()
        for pragma in self._pragmas:
            cursor.execute(pragma)


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
