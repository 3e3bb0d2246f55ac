"""Where projections keep their position in the global log and their state.

Why not eventsourcing's tracking records alone: a tracking record holds a position but not the
projection's state, and it refuses to move backwards, while a projection that is rebuilt from
scratch must be able to start again at 0. So each backend keeps ``(name, position, state)``
written in one statement:

- memory: a dict;
- SQLite and PostgreSQL: a small table of our own (``dautu_projections``), reached through the
  eventsourcing datastore's connection pool and transactions (never the event log's tables);
- any other eventsourcing persistence module: an eventsourcing *aggregate recorder* (its own
  table, named by the module), one new row per save, the latest row wins. That needs no SQL, at
  the cost of keeping earlier saves; this is documented for users of those modules.

States are sealed with the store's cipher and compressor like records are.

A store opened read-only (``read_only=True``) creates no table: where the tables are missing
(a store written before they existed) every checkpoint reads as absent and no metadata as
recorded, which is what an empty table would say.

The same backends keep the store's metadata (``name -> text``, written once, never changed):
today the sealing mode (:class:`~dautu_adapters.stores.sealing.SealingMode`), recorded at the
first write. Memory: an attribute; SQLite and PostgreSQL: a ``dautu_metadata`` table next to
``dautu_projections``; other eventsourcing modules: rows of the same aggregate recorder as the
checkpoints, under ids of their own.
"""

from __future__ import annotations

import contextlib
import struct
import threading
from typing import TYPE_CHECKING, Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.persistence import AggregateRecorder, IntegrityError, StoredEvent

if TYPE_CHECKING:
    from eventsourcing.sqlite import SQLiteDatastore

__all__ = [
    "CHECKPOINT_TABLE",
    "METADATA_TABLE",
    "CheckpointBackend",
    "MemoryCheckpoints",
    "PostgresCheckpoints",
    "RecorderCheckpoints",
    "SQLiteCheckpoints",
]

CHECKPOINT_TABLE = "dautu_projections"
METADATA_TABLE = "dautu_metadata"
_PROJECTIONS_NAMESPACE = uuid5(NAMESPACE_URL, "https://dautu.invalid/projections")
_METADATA_NAMESPACE = uuid5(NAMESPACE_URL, "https://dautu.invalid/metadata")
_POSITION = struct.Struct(">Q")


class CheckpointBackend(Protocol):
    """``(position, sealed state)`` by projection name, and the store's metadata."""

    def load(self, name: str) -> tuple[int, bytes | None]: ...

    def save(self, name: str, position: int, state: bytes) -> None: ...

    def metadata(self, name: str) -> str | None:
        """The metadata value recorded under ``name``, if any."""
        ...

    def claim_metadata(self, name: str, value: str) -> str:
        """Record ``value`` under ``name`` unless a value is there (atomically, also against
        other processes); return the value that is recorded."""
        ...


class MemoryCheckpoints:
    """Checkpoints of a ``memory://`` store: gone with the process, like its records."""

    def __init__(self) -> None:
        self._saved: dict[str, tuple[int, bytes]] = {}
        self._metadata: dict[str, str] = {}
        self._lock = threading.Lock()

    def metadata(self, name: str) -> str | None:
        with self._lock:
            return self._metadata.get(name)

    def claim_metadata(self, name: str, value: str) -> str:
        with self._lock:
            return self._metadata.setdefault(name, value)

    def load(self, name: str) -> tuple[int, bytes | None]:
        with self._lock:
            return self._saved.get(name, (0, None))

    def save(self, name: str, position: int, state: bytes) -> None:
        with self._lock:
            self._saved[name] = (position, state)


class SQLiteCheckpoints:
    """A ``dautu_projections`` table in the same SQLite file, via eventsourcing's pool."""

    def __init__(self, datastore: SQLiteDatastore, *, read_only: bool = False) -> None:
        self._datastore = datastore
        self._tables = True
        if read_only:
            self._tables = _sqlite_has_tables(datastore, CHECKPOINT_TABLE, METADATA_TABLE)
            return
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {CHECKPOINT_TABLE} ("
                "name TEXT PRIMARY KEY, position INTEGER NOT NULL, state BLOB NOT NULL)"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {METADATA_TABLE} ("
                "name TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )

    def metadata(self, name: str) -> str | None:
        if not self._tables:
            return None
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT value FROM {METADATA_TABLE} WHERE name = ?", (name,))
            row = cursor.fetchone()
        return None if row is None else str(row[0])

    def claim_metadata(self, name: str, value: str) -> str:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {METADATA_TABLE} (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                (name, value),
            )
            cursor.execute(f"SELECT value FROM {METADATA_TABLE} WHERE name = ?", (name,))
            return str(cursor.fetchone()[0])

    def load(self, name: str) -> tuple[int, bytes | None]:
        if not self._tables:
            return 0, None
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT position, state FROM {CHECKPOINT_TABLE} WHERE name = ?", (name,)
            )
            row = cursor.fetchone()
        return (0, None) if row is None else (int(row[0]), bytes(row[1]))

    def save(self, name: str, position: int, state: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {CHECKPOINT_TABLE} (name, position, state) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                "state = excluded.state",
                (name, position, state),
            )


class PostgresCheckpoints:
    """A ``dautu_projections`` table in the store's schema, via eventsourcing's pool."""

    def __init__(self, datastore: Any, schema: str, *, read_only: bool = False) -> None:
        from psycopg.sql import SQL, Identifier

        self._datastore = datastore
        self._tables = True
        table = SQL("{}.{}").format(Identifier(schema), Identifier(CHECKPOINT_TABLE))
        self._select = SQL("SELECT position, state FROM {} WHERE name = %s").format(table)
        self._upsert = SQL(
            "INSERT INTO {} (name, position, state) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
            "state = excluded.state"
        ).format(table)
        meta = SQL("{}.{}").format(Identifier(schema), Identifier(METADATA_TABLE))
        self._select_meta = SQL("SELECT value FROM {} WHERE name = %s").format(meta)
        self._claim_meta = SQL(
            "INSERT INTO {} (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING"
        ).format(meta)
        if read_only:
            self._tables = _postgres_has_tables(datastore, schema, CHECKPOINT_TABLE, METADATA_TABLE)
            return
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, "
                    "position bigint NOT NULL, state bytea NOT NULL)"
                ).format(table)
            )
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, value text NOT NULL)"
                ).format(meta)
            )

    def metadata(self, name: str) -> str | None:
        if not self._tables:
            return None
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(self._select_meta, (name,))
            row = cursor.fetchone()
        return None if row is None else str(row["value"])

    def claim_metadata(self, name: str, value: str) -> str:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(self._claim_meta, (name, value))
            cursor.execute(self._select_meta, (name,))
            return str(cursor.fetchone()["value"])

    def load(self, name: str) -> tuple[int, bytes | None]:
        if not self._tables:
            return 0, None
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(self._select, (name,))
            row = cursor.fetchone()
        return (0, None) if row is None else (int(row["position"]), bytes(row["state"]))

    def save(self, name: str, position: int, state: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(self._upsert, (name, position, state))


def _sqlite_has_tables(datastore: SQLiteDatastore, *tables: str) -> bool:
    """Whether every one of ``tables`` exists in the SQLite file (read, nothing created)."""
    marks = ", ".join("?" for _ in tables)
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
            tables,
        )
        return int(cursor.fetchone()[0]) == len(tables)


def _postgres_has_tables(datastore: Any, schema: str, *tables: str) -> bool:
    """Whether every one of ``tables`` exists in ``schema`` (read, nothing created)."""
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT count(*) AS n FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = ANY(%s)",
            (schema, list(tables)),
        )
        return int(cursor.fetchone()["n"]) == len(tables)


class RecorderCheckpoints:
    """Checkpoints as rows of an eventsourcing aggregate recorder (any persistence module)."""

    TOPIC = "dautu.ProjectionCheckpoint"
    METADATA_TOPIC = "dautu.StoreMetadata"

    def __init__(self, recorder: AggregateRecorder, *, attempts: int = 5) -> None:
        self._recorder = recorder
        self._attempts = attempts

    @staticmethod
    def _id(name: str) -> UUID:
        return uuid5(_PROJECTIONS_NAMESPACE, name)

    def _latest(self, name: str) -> StoredEvent | None:
        rows = self._recorder.select_events(self._id(name), desc=True, limit=1)
        return rows[0] if rows else None

    def load(self, name: str) -> tuple[int, bytes | None]:
        latest = self._latest(name)
        if latest is None:
            return 0, None
        (position,) = _POSITION.unpack_from(latest.state)
        return int(position), latest.state[_POSITION.size :]

    def save(self, name: str, position: int, state: bytes) -> None:
        for attempt in range(self._attempts):
            latest = self._latest(name)
            version = 1 if latest is None else latest.originator_version + 1
            row = StoredEvent(
                originator_id=self._id(name),
                originator_version=version,
                topic=self.TOPIC,
                state=_POSITION.pack(position) + state,
            )
            try:
                self._recorder.insert_events([row])
                return
            except IntegrityError:
                # Another process saved this projection between our read and our write.
                if attempt == self._attempts - 1:
                    raise

    def metadata(self, name: str) -> str | None:
        rows = self._recorder.select_events(uuid5(_METADATA_NAMESPACE, name), limit=1)
        return rows[0].state.decode() if rows else None

    def claim_metadata(self, name: str, value: str) -> str:
        row = StoredEvent(
            originator_id=uuid5(_METADATA_NAMESPACE, name),
            originator_version=1,
            topic=self.METADATA_TOPIC,
            state=value.encode(),
        )
        with contextlib.suppress(IntegrityError):  # recorded first elsewhere: theirs stands
            self._recorder.insert_events([row])
        recorded = self.metadata(name)
        return value if recorded is None else recorded
