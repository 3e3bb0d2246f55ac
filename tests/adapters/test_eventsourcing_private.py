"""What dautu relies on in eventsourcing's private interface is still there and still behaves.

:mod:`dautu_adapters.stores._eventsourcing_private` is the one place that uses it. Each test
here checks one private name (its presence, its signature, or its behaviour on a tiny
sample) and fails with the installed eventsourcing version and the name, so that an upgrade
that changes it is noticed at the upgrade (docs/storage.md, "Why eventsourcing is pinned").
"""

from __future__ import annotations

import inspect
import threading
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
)

from dautu_adapters.stores._eventsourcing_private import (
    EVENTSOURCING_VERSION,
    POPORecorderHooks,
    SQLitePoolHooks,
    SQLiteRecorderHooks,
)


def relied_on(holds: bool, name: str, what: str) -> None:
    """Fail, naming the eventsourcing version and the private ``name``, unless ``holds``."""
    if not holds:
        pytest.fail(
            f"eventsourcing {EVENTSOURCING_VERSION}: {name} {what}. dautu relies on it in "
            "dautu_adapters/stores/_eventsourcing_private; adapt that module before using "
            "this eventsourcing (docs/storage.md, 'Why eventsourcing is pinned').",
            pytrace=False,
        )


def parameters(cls: type, name: str) -> list[str]:
    method = getattr(cls, name, None)
    relied_on(callable(method), f"{cls.__name__}.{name}", "is gone")
    return [
        p.name if p.kind is not p.VAR_KEYWORD else "**"
        for p in inspect.signature(method).parameters.values()  # type: ignore[arg-type]
    ]


def events(stream: uuid.UUID, *versions: int) -> list[StoredEvent]:
    return [StoredEvent(stream, v, "dautu.Sample", b"{}") for v in versions]


SIGNATURES = [
    (POPOApplicationRecorder, "_assert_uniqueness", ["self", "stored_events", "**"]),
    (SQLiteApplicationRecorder, "_insert_events", ["self", "c", "stored_events", "**"]),
    (SQLiteConnectionPool, "_create_connection", ["self"]),
]


@pytest.mark.parametrize(("cls", "name", "expected"), SIGNATURES)
def test_the_private_methods_overridden_keep_their_signature(
    cls: type, name: str, expected: list[str]
) -> None:
    found = parameters(cls, name)
    relied_on(found == expected, f"{cls.__name__}.{name}", f"takes {found}, not {expected}")


def test_the_popo_recorders_private_state_is_as_read() -> None:
    recorder = POPOApplicationRecorder()
    lock = getattr(recorder, "_database_lock", None)
    relied_on(hasattr(lock, "__enter__"), "POPOApplicationRecorder._database_lock", "is no lock")
    relied_on(
        isinstance(getattr(recorder, "_stored_events", None), list),
        "POPOApplicationRecorder._stored_events",
        "is no list",
    )
    relied_on(
        isinstance(getattr(recorder, "_stored_events_index", None), Mapping),
        "POPOApplicationRecorder._stored_events_index",
        "is no mapping",
    )


class Refusing:
    """A check that records what it was given, and refuses when told to."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refuse = False

    def __call__(self, kwargs: Mapping[str, Any]) -> None:
        self.calls.append(dict(kwargs))
        if self.refuse:
            raise IntegrityError("refused")


def test_the_popo_check_runs_under_the_lock_before_the_insert_and_can_refuse_it() -> None:
    check = Refusing()
    locked: list[bool] = []

    class Recorder(POPORecorderHooks):
        def check_before_insert(self, kwargs: Mapping[str, Any]) -> None:
            # an RLock held by this thread can be taken again without blocking; by another
            # thread, not: the check runs while eventsourcing holds it
            lock: Any = self.database_lock
            taken = threading.Thread(target=lambda: locked.append(lock.acquire(timeout=0)))
            taken.start()
            taken.join()
            check(kwargs)

    recorder = Recorder()
    stream = uuid.uuid4()
    recorder.insert_events(events(stream, 1, 2), marker="m")
    relied_on(
        check.calls == [{"marker": "m"}] and locked == [False],
        "POPOApplicationRecorder._assert_uniqueness",
        "is not called with insert_events' keyword arguments under _database_lock",
    )
    relied_on(
        recorder.stream_index(str(stream)) == {1: 0, 2: 1}
        and recorder.stored_event(1).originator_version == 2,
        "POPOApplicationRecorder._stored_events_index / _stored_events",
        "no longer map a stream's versions to offsets in the list of stored events",
    )
    check.refuse = True
    with pytest.raises(IntegrityError):
        recorder.insert_events(events(stream, 3))
    relied_on(
        recorder.max_notification_id() == 2 and recorder.stream_index(str(stream)).keys() == {1, 2},
        "POPOApplicationRecorder._assert_uniqueness",
        "raising no longer keeps the events out",
    )


def test_the_sqlite_check_runs_in_the_insert_transaction_and_can_roll_it_back() -> None:
    check = Refusing()
    cursors: list[object] = []

    class Recorder(SQLiteRecorderHooks):
        def check_before_insert(self, cursor: SQLiteCursor, kwargs: Mapping[str, Any]) -> None:
            cursors.append(cursor)
            check(kwargs)

    datastore = SQLiteDatastore(f"file:fence-{uuid.uuid4().hex}?mode=memory&cache=shared")
    try:
        recorder = Recorder(datastore)
        recorder.create_table()
        stream = uuid.uuid4()
        recorder.insert_events(events(stream, 1), marker="m")
        relied_on(
            check.calls == [{"marker": "m"}] and isinstance(cursors[0], SQLiteCursor),
            "SQLiteApplicationRecorder._insert_events",
            "is not called with the transaction's cursor and insert_events' keyword arguments",
        )
        check.refuse = True
        with pytest.raises(IntegrityError):
            recorder.insert_events(events(stream, 2))
        relied_on(
            [e.originator_version for e in recorder.select_events(stream)] == [1],
            "SQLiteApplicationRecorder._insert_events",
            "raising no longer rolls the insert back",
        )
    finally:
        datastore.close()


def test_the_sqlite_pool_step_runs_on_each_new_connection() -> None:
    opened: list[SQLiteConnection] = []

    class Pool(SQLitePoolHooks):
        def setup_connection(self, connection: SQLiteConnection) -> None:
            opened.append(connection)

    pool = Pool(db_name=f"file:fence-{uuid.uuid4().hex}?mode=memory&cache=shared")
    try:
        connection = pool.get_connection()
        relied_on(
            opened == [connection],
            "SQLiteConnectionPool._create_connection",
            "is not how the pool opens a connection",
        )
        pool.put_connection(connection)
    finally:
        pool.close()


class TestPostgres:
    """The PostgreSQL recorder's private insert steps (needs the ``postgres`` extra)."""

    @pytest.fixture(autouse=True)
    def _psycopg(self) -> None:
        pytest.importorskip("psycopg")

    @pytest.mark.parametrize(
        "name", ["_insert_events", "_insert_stored_events", "_fetch_ids_after_insert_events"]
    )
    def test_the_insert_steps_take_a_cursor_and_the_stored_events(self, name: str) -> None:
        from eventsourcing.postgres import PostgresApplicationRecorder

        found = parameters(PostgresApplicationRecorder, name)
        expected = ["self", "curs", "stored_events", "**"]
        relied_on(found == expected, f"PostgresApplicationRecorder.{name}", f"takes {found}")

    def test_the_table_lock_takes_a_cursor(self) -> None:
        from eventsourcing.postgres import PostgresApplicationRecorder

        found = parameters(PostgresApplicationRecorder, "_lock_table")
        relied_on(found == ["self", "curs"], "PostgresApplicationRecorder._lock_table", str(found))

    def test_the_insert_is_decorated_by_retry_and_unwraps_to_its_body(self) -> None:
        from eventsourcing.postgres import PostgresApplicationRecorder

        from dautu_adapters.stores._eventsourcing_private.postgres import (
            insert_events_without_retry,
        )

        decorated = PostgresApplicationRecorder.insert_events
        relied_on(
            hasattr(decorated, "__wrapped__") and decorated is not insert_events_without_retry,
            "PostgresApplicationRecorder.insert_events",
            "is no longer wrapped by @retry with functools.wraps (what inspect.unwrap removes)",
        )
        relied_on(
            insert_events_without_retry.__name__ == "insert_events"
            and not hasattr(insert_events_without_retry, "__wrapped__")
            and "pipeline" in inspect.getsource(insert_events_without_retry),
            "PostgresApplicationRecorder.insert_events",
            "unwrapped is not eventsourcing's insert body",
        )
        found = parameters(PostgresApplicationRecorder, "insert_events")
        relied_on(found == ["self", "stored_events", "**"], "insert_events", f"takes {found}")

    def test_the_statements_and_settings_read_are_still_set(self) -> None:
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

        source = "".join(
            inspect.getsource(cls.__init__)  # type: ignore[misc]
            for cls in PostgresApplicationRecorder.__mro__
            if "__init__" in vars(cls) and cls.__module__.startswith("eventsourcing")
        )
        for attribute in ("lock_table_statements", "select_events_statement"):
            relied_on(
                f"self.{attribute}" in source,
                f"PostgresApplicationRecorder.{attribute}",
                "is no longer set",
            )
        relied_on(
            "enable_db_functions" in inspect.signature(PostgresDatastore).parameters,
            "PostgresDatastore(enable_db_functions=...)",
            "is gone",
        )
