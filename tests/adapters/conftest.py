"""Fixtures for the storage tests: a store URL per backend, and records ready to append."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.samples import approve, delay, violation
from dautu_adapters.stores import Store, open_store
from dautu_core.decider import run
from dautu_core.ports import NewRecord
from dautu_core.record import GENESIS, make_record, record_hash

FILE_BACKENDS = ("sqlite", "sqlalchemy")
ALL_BACKENDS = ("memory", "sqlite-memory", *FILE_BACKENDS, "postgres")


def backend_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    if backend == "memory":
        return "memory://"
    if backend == "sqlite-memory":
        return "sqlite:///:memory:"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'dautu.db'}"
    if backend == "sqlalchemy":
        return (
            "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy"
            f"&SQLALCHEMY_URL=sqlite:///{tmp_path / 'sqlalchemy.db'}"
        )
    if backend == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    raise AssertionError(backend)


@pytest.fixture(params=ALL_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL for each builtin backend (PostgreSQL needs DAUTU_TEST_POSTGRES_URL)."""
    return backend_url(request, request.param, tmp_path)


@pytest.fixture(params=FILE_BACKENDS)
def file_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL for each backend that survives closing the store."""
    return backend_url(request, request.param, tmp_path)


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``install(dist, module_source, entry_name)``: a plugin distribution on sys.path."""
    monkeypatch.syspath_prepend(str(tmp_path))
    installed: list[str] = []

    def install_(dist: str, source: str, entry: str = "plugin", version: str = "1.2.3") -> str:
        module = dist.replace("-", "_") + "_plugin"
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = tmp_path / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[dautu]\n{entry} = {module}\n", encoding="utf-8")
        installed.append(module)
        importlib.invalidate_caches()
        return module

    yield install_
    for module in installed:
        sys.modules.pop(module, None)


@pytest.fixture
def opened() -> Iterator[Callable[..., Store]]:
    """``opened(url, **options)``: open a store that is closed after the test."""
    stores: list[Store] = []

    def open_(url: str, **options: object) -> Store:
        store = open_store(url, **options)
        stores.append(store)
        return store

    yield open_
    for store in stores:
        store.close()


def project_records(code: str, violations: int = 2) -> list[NewRecord]:
    """A project's chained records: approval, ``violations`` violations, one delay."""
    commands = [approve(code)]
    commands += [violation(code, f"V{i}", n=i + 1) for i in range(violations)]
    commands.append(delay(code, n=violations + 1))
    _, events = run(commands)
    records = []
    prev = GENESIS
    for event in events:
        data = make_record(event, prev)
        prev = record_hash(data)
        records.append(NewRecord(event.TYPE_NAME, data))
    return records
