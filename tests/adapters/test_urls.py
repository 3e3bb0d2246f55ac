"""Choosing a backend by URL: schemes, paths, defaults and the errors a user sees."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.conftest import project_records
from dautu_adapters.stores import (
    DEFAULT_STORE_URL,
    RecorderStore,
    Store,
    default_store_url,
    installed_schemes,
    open_store,
    parse_store_url,
)
from dautu_adapters.stores.backends import sqlite_database_name
from dautu_core.errors import InvalidValue
from dautu_core.ports import AppendBatch

Opener = Callable[..., Store]


def test_the_default_url_is_dautu_store_else_a_local_sqlite_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DAUTU_STORE", raising=False)
    assert default_store_url() == DEFAULT_STORE_URL == "sqlite:///dautu.db"
    monkeypatch.setenv("DAUTU_STORE", "   ")
    assert default_store_url() == "sqlite:///dautu.db"
    monkeypatch.setenv("DAUTU_STORE", "memory://")
    assert default_store_url() == "memory://"


def test_open_store_without_url_uses_dautu_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, opened: Opener
) -> None:
    monkeypatch.setenv("DAUTU_STORE", f"sqlite:///{tmp_path / 'from-env.db'}")
    store = opened(None)
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert (tmp_path / "from-env.db").exists()


def test_open_store_without_anything_creates_dautu_db_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, opened: Opener
) -> None:
    monkeypatch.delenv("DAUTU_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    store = opened(None)
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert (tmp_path / "dautu.db").exists()


def test_sqlite_paths_relative_absolute_and_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_database_name(parse_store_url("sqlite:///data/dautu.db")) == "data/dautu.db"
    assert sqlite_database_name(parse_store_url("sqlite:////srv/dautu.db")) == "/srv/dautu.db"
    first = sqlite_database_name(parse_store_url("sqlite:///:memory:"))
    second = sqlite_database_name(parse_store_url("sqlite:///:memory:"))
    assert "mode=memory" in first and first != second
    with pytest.raises(InvalidValue, match="sqlite:///"):
        sqlite_database_name(parse_store_url("sqlite://"))


def test_a_relative_sqlite_path_is_relative_to_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, opened: Opener
) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    store = opened("sqlite:///data/x.db")
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert (tmp_path / "data" / "x.db").exists()
    absolute = opened(f"sqlite:///{tmp_path / 'data' / 'x.db'}")
    assert absolute.project_codes() == ["A"]


def test_two_sqlite_memory_stores_are_separate(opened: Opener) -> None:
    first, second = opened("sqlite:///:memory:"), opened("sqlite:///:memory:")
    first.append([AppendBatch("A", 0, project_records("A"))])
    assert second.max_position() == 0
    assert first.max_position() == 4


def test_an_unknown_scheme_names_the_installed_ones() -> None:
    with pytest.raises(InvalidValue) as caught:
        open_store("mongodb://localhost/dautu")
    message = str(caught.value)
    assert caught.value.rule_id == "store_scheme_known"
    for scheme in ("memory://", "sqlite://", "postgresql://", "eventsourcing://"):
        assert scheme in message
    assert {"memory", "sqlite", "postgresql", "eventsourcing"} <= set(installed_schemes())


@pytest.mark.parametrize("url", ["dautu.db", "://x", "sqlite:/dautu.db", ""])
def test_text_that_is_not_a_url_is_refused(url: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        open_store(url)
    assert caught.value.rule_id == "store_url_format"


def test_schemes_are_case_insensitive_and_query_is_parsed() -> None:
    parsed = parse_store_url("SQLite:///x.db?compress=1&lock_timeout=9")
    assert (parsed.scheme, parsed.location) == ("sqlite", "/x.db")
    assert parsed.query == {"compress": "1", "lock_timeout": "9"}


def test_passwords_are_hidden_in_messages() -> None:
    parsed = parse_store_url("postgresql://clerk:s3cret@db.local:5432/dautu")
    assert parsed.redacted == "postgresql://clerk:***@db.local:5432/dautu"


def test_a_postgresql_url_must_name_a_database() -> None:
    with pytest.raises(InvalidValue, match="postgresql://user:pass@host:5432/db"):
        open_store("postgresql://clerk@localhost:5432/")


def test_an_unreachable_postgresql_server_is_a_clear_storage_error() -> None:
    from dautu_adapters.stores import StorageError

    # Port 9 (discard) on localhost: nothing listens there; the refusal is immediate.
    with pytest.raises(StorageError) as caught:
        open_store("postgresql://clerk:pw@127.0.0.1:9/dautu?connect_timeout=1")
    assert caught.value.rule_id == "store_connection"
    assert "pw" not in str(caught.value)


def test_eventsourcing_urls_need_a_persistence_module() -> None:
    with pytest.raises(InvalidValue, match="PERSISTENCE_MODULE"):
        open_store("eventsourcing://")
    with pytest.raises(InvalidValue, match="no_such_module"):
        open_store("eventsourcing://?PERSISTENCE_MODULE=no_such_module")


@pytest.mark.parametrize("module", ["eventsourcing.popo", "eventsourcing.sqlite"])
def test_eventsourcing_urls_reach_eventsourcing_own_modules(
    module: str, tmp_path: Path, opened: Opener
) -> None:
    url = f"eventsourcing://?PERSISTENCE_MODULE={module}&SQLITE_DBNAME={tmp_path / 'es.db'}"
    store = opened(url)
    assert isinstance(store, RecorderStore)
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert [r.version for r in store.read_stream("A")] == [1, 2, 3, 4]
    store.save_checkpoint("p", 4, b"s")
    assert store.load_projection("p") == (4, b"s")


def test_sqlalchemy_settings_can_come_as_options(tmp_path: Path, opened: Opener) -> None:
    db = tmp_path / "via-env.db"
    store = opened(
        "eventsourcing://",
        env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": f"sqlite:///{db}"},
    )
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert db.exists() and os.path.getsize(db) > 0


def test_recorders_without_stream_positions_get_them_from_the_log(
    tmp_path: Path, opened: Opener
) -> None:
    # eventsourcing's stock SQLite recorder: stream reads carry no notification ids.
    url = (
        "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.sqlite"
        f"&SQLITE_DBNAME={tmp_path / 'stock.db'}"
        "&APPLICATION_RECORDER_TOPIC=eventsourcing.sqlite:SQLiteApplicationRecorder"
    )
    store = opened(url)
    assert isinstance(store, RecorderStore)
    assert type(store.recorder).__name__ == "SQLiteApplicationRecorder"
    store.append([AppendBatch("A", 0, project_records("A")[:2])])
    store.append([AppendBatch("B", 0, project_records("B"))])
    store.append([AppendBatch("A", 2, project_records("A")[2:])])

    assert [r.position for r in store.read_stream("A")] == [1, 2, 7, 8]
    assert [r.position for r in store.read_stream("B", after_version=2)] == [5, 6]
    assert store.read_stream("A") == [r for r in store.read_log() if r.project_code == "A"]
