"""The eventsourcing private API that dautu's PostgreSQL recorder relies on is still there.

:mod:`dautu_adapters.stores.postgres_recorder` is the one module that uses it; this test fails
loudly on an eventsourcing upgrade that renames or reshapes any of it, before a store does.
"""

from __future__ import annotations

import inspect

import pytest

pytest.importorskip("psycopg")

from eventsourcing.postgres import PostgresApplicationRecorder

from dautu_adapters.stores.postgres_recorder import _insert_once


@pytest.mark.parametrize(
    "name",
    ["_insert_events", "_insert_stored_events", "_fetch_ids_after_insert_events"],
)
def test_the_insert_steps_take_a_cursor_and_the_stored_events(name: str) -> None:
    parameters = list(inspect.signature(getattr(PostgresApplicationRecorder, name)).parameters)
    assert parameters[:3] == ["self", "curs", "stored_events"], parameters


def test_the_table_lock_and_the_undecorated_insert_are_there() -> None:
    assert list(inspect.signature(PostgresApplicationRecorder._lock_table).parameters) == [
        "self",
        "curs",
    ]
    # the retry decorator wraps eventsourcing's insert; dautu calls the body underneath
    assert _insert_once is not PostgresApplicationRecorder.insert_events
    assert _insert_once.__name__ == "insert_events"
    source = inspect.getsource(PostgresApplicationRecorder.__init__)
    for attribute in ("lock_table_statements", "insert_events_statement"):
        assert attribute in inspect.getsource(PostgresApplicationRecorder.__mro__[1]) + source
