"""Choosing a backend by URL: schemes, paths, defaults and the errors a user sees."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.conftest import project_records
from dautu_adapters.hookspecs import RegisterStore, hookimpl
from dautu_adapters.plugins import PluginInfo, get_plugin_manager
from dautu_adapters.stores import (
    DEFAULT_STORE_URL,
    MissingDependency,
    RecorderStore,
    StorageError,
    Store,
    default_store_url,
    installed_schemes,
    open_store,
    parse_store_url,
    redact_url,
)
from dautu_adapters.stores.backends import sqlite_database_name
from dautu_core.errors import DautuError, InvalidValue
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
    assert "s3cret" not in repr(parsed)


SECRET_URL = (
    "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.postgres&POSTGRES_USER=clerk"
    "&POSTGRES_PASSWORD=pw-one&cipher_key=pw-two&Api_Token=pw-three&AWS_SECRET=pw-four"
    "&SQLALCHEMY_URL=postgresql://clerk:pw-five@db.local/dautu"
    "&OTHER_URL=postgresql%3A%2F%2Fclerk%3Apw-six%40db.local%2Fdautu"
)


def test_secrets_in_the_query_and_in_nested_urls_are_hidden() -> None:
    parsed = parse_store_url(SECRET_URL)
    for shown in (parsed.redacted, repr(parsed)):
        assert "pw-" not in shown
    assert parsed.redacted == (
        "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.postgres&POSTGRES_USER=clerk"
        "&POSTGRES_PASSWORD=***&cipher_key=***&Api_Token=***&AWS_SECRET=***"
        "&SQLALCHEMY_URL=postgresql://clerk:***@db.local/dautu"
        "&OTHER_URL=postgresql://clerk:***@db.local/dautu"
    )
    assert parsed.query["POSTGRES_PASSWORD"] == "pw-one"  # the settings keep the real value


@pytest.mark.parametrize(
    "url",
    [
        "memory://",
        "sqlite:///dautu.db?compress=1",
        "postgresql://clerk@db.local/dautu",
        "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy"
        "&SQLALCHEMY_URL=sqlite:///es.db",
        "jsonl:///srv/kho?fsync=0",
    ],
)
def test_urls_without_secrets_are_shown_as_written(url: str) -> None:
    assert redact_url(url) == url


def test_a_store_keeps_and_shows_its_url_without_secrets(opened: Opener) -> None:
    url = "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.popo&POSTGRES_PASSWORD=s3cret"
    store = opened(url)
    assert isinstance(store, RecorderStore)
    assert (
        store.url == "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.popo&POSTGRES_PASSWORD=***"
    )
    assert "s3cret" not in repr(store)


def test_a_url_that_does_not_parse_is_shown_without_its_password() -> None:
    with pytest.raises(InvalidValue) as caught:
        open_store("postgresql:/clerk:s3cret@db.local/dautu?POSTGRES_PASSWORD=s3cret")
    assert "s3cret" not in str(caught.value)


def test_check_adapter_never_prints_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dautu_adapters.cli.main import main

    url = (
        "eventsourcing://?PERSISTENCE_MODULE=eventsourcing.sqlite"
        f"&SQLITE_DBNAME={tmp_path / 'kit.db'}&POSTGRES_PASSWORD=s3cret"
    )
    store = open_store(url)
    store.append([AppendBatch("A", 0, project_records("A"))])
    store.close()

    assert main(["--lang", "en", "check-adapter", url]) == 1  # refused: the store is not empty
    captured = capsys.readouterr()
    assert "already holds 4 records" in captured.err
    assert "POSTGRES_PASSWORD=***" in captured.err
    assert "s3cret" not in captured.out + captured.err


def test_a_postgresql_url_must_name_a_database() -> None:
    with pytest.raises(InvalidValue, match="postgresql://user:pass@host:5432/db"):
        open_store("postgresql://clerk@localhost:5432/")


def test_an_unreachable_postgresql_server_is_a_clear_storage_error() -> None:
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


def test_a_missing_driver_behind_a_persistence_module_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg2", None)  # as if psycopg2 were not installed
    url = (
        "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy"
        "&SQLALCHEMY_URL=postgresql://clerk:s3cret@127.0.0.1:9/dautu"
    )
    with pytest.raises(MissingDependency) as caught:
        open_store(url)
    error = caught.value
    assert isinstance(error, DautuError)
    assert (error.package, error.rule_id) == ("psycopg2-binary", "store_dependency")
    assert 'pip install "psycopg2-binary"' in str(error)
    assert "s3cret" not in str(error)


def test_a_missing_postgres_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDependency, match=re.escape('pip install "dautu[postgres]"')):
        open_store("postgresql://clerk:s3cret@db.local/dautu")


class NeedsADriver:
    """A third-party store plugin whose factory imports a driver that is not installed."""

    @hookimpl
    def dautu_register_stores(self, register: RegisterStore) -> None:
        def open_needy(url: str, options: Any) -> Any:
            import dautu_test_driver_not_installed  # type: ignore[import-not-found]  # noqa: F401

        register("needy", open_needy, "needs a driver")


def test_any_backend_missing_a_package_says_what_to_install() -> None:
    pm = get_plugin_manager(load_entrypoints=False)
    pm.register_plugin(NeedsADriver(), PluginInfo(name="needy"))
    with pytest.raises(MissingDependency) as caught:
        open_store("needy://clerk:s3cret@somewhere", plugin_manager=pm)
    assert 'pip install "dautu-test-driver-not-installed"' in str(caught.value)
    assert "needy://clerk:***@somewhere" in str(caught.value)


@pytest.mark.slow
def test_a_silent_postgresql_server_is_given_up_with_a_clear_error() -> None:
    """A server that accepts connections and never answers (a firewall, a hung host): the
    store gives up with a StorageError instead of hanging. How long it waits is the configured
    connect timeout (next test); the clock is not measured here (no timed assertions)."""
    silent = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(silent.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    port = silent.getsockname()[1]
    try:
        with pytest.raises(StorageError) as caught:
            open_store(f"postgresql://clerk:pw@127.0.0.1:{port}/dautu")
    finally:
        silent.close()
        for conn in accepted:
            conn.close()
    assert caught.value.rule_id == "store_connection"
    assert "127.0.0.1" in str(caught.value)


def test_the_connect_timeout_can_be_set_in_the_url(postgres_url: str, opened: Opener) -> None:
    default = opened(postgres_url)
    shorter = opened(f"{postgres_url}&connect_timeout=2")
    for store, seconds in ((default, 5), (shorter, 2)):
        assert isinstance(store, RecorderStore)
        pool: Any = store.recorder.datastore.pool  # type: ignore[attr-defined]
        assert (pool.timeout, pool.kwargs["connect_timeout"]) == (seconds, seconds)
