"""Fixtures shared by the whole suite.

``postgres_url``: a PostgreSQL store URL with a schema of its own, so tests never see each
other's records. The server comes from ``DAUTU_TEST_POSTGRES_URL`` (``python3 tasks.py test``
starts a throwaway one). Without it the test is skipped, except in CI (``CI`` set), where a
missing PostgreSQL is a failure: CI must prove the PostgreSQL backend, not skip it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from uuid import uuid4

import pytest

POSTGRES_ENV = "DAUTU_TEST_POSTGRES_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that ask for ``postgres_url`` carry the ``postgres`` marker (``-m postgres``)."""
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """``postgresql://...?schema=t_<random>``; the schema is dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV, "").strip()
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: in CI the PostgreSQL tests must run")
        pytest.skip(f"{POSTGRES_ENV} is not set (python3 tasks.py test starts a server)")
    import psycopg

    server = base.partition("?")[0]
    schema = f"t_{uuid4().hex[:16]}"
    yield f"{server}?schema={schema}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
