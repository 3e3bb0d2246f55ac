"""The tampered-store scene shared by ``test_store_tamper`` and ``test_store_rows``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.test_store_tamper import PostgresRows, Scene, SQLiteRows


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Scene]:
    """Three interleaved projects and a signed checkpoint, in SQLite and in PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "dautu.db"
        yield Scene(f"sqlite:///{path}", SQLiteRows(path))
    else:
        url = request.getfixturevalue("postgres_url")
        yield Scene(url, PostgresRows(url))
