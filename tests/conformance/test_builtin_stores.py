"""The conformance kit against every builtin store backend.

The same kit adapter authors subclass runs here against memory, SQLite (in memory, in a file,
encrypted and compressed), PostgreSQL and an eventsourcing persistence module
(eventsourcing-sqlalchemy): the kit is proven on real backends, and the backends by the kit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import pytest

from dautu_adapters.conformance import UrlStoreConformance
from dautu_adapters.stores import generate_cipher_key


class TestMemoryStore(UrlStoreConformance):
    url = "memory://"


class TestSqliteMemoryStore(UrlStoreConformance):
    url = "sqlite:///:memory:"


class TestSqliteFileStore(UrlStoreConformance):
    supports_reopen = True
    supports_concurrent_processes = True

    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'kit.db'}"


class TestSqliteEncryptedCompressedStore(UrlStoreConformance):
    """Sealed records must still come back as the exact bytes that were appended."""

    supports_reopen = True
    supports_concurrent_processes = True
    writer_rounds = 5  # the same recorder as TestSqliteFileStore: fewer rounds suffice
    open_options: ClassVar[dict[str, Any]] = {
        "cipher_key": generate_cipher_key(),
        "compress": True,
    }

    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'sealed.db'}"


class TestPostgresStore(UrlStoreConformance):
    supports_reopen = True
    supports_concurrent_processes = True

    @pytest.fixture
    def store_url(self, postgres_url: str) -> str:
        return postgres_url


class TestEventsourcingSqlalchemyStore(UrlStoreConformance):
    """Any eventsourcing persistence module, proven with eventsourcing-sqlalchemy."""

    supports_reopen = True
    supports_concurrent_processes = True
    writer_rounds = 5  # each writer process imports SQLAlchemy; keep the race short

    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        database = quote(f"sqlite:///{tmp_path / 'sqlalchemy.db'}", safe=":/")
        return (
            "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy"
            f"&SQLALCHEMY_URL={database}"
        )
