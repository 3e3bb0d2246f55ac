"""The builtin storage plugin: registered through dautu's own ``dautu`` entry point
(``stores = "dautu_adapters.stores.plugin"``), exactly like a third-party store plugin.

Importing this module is cheap: the factories import eventsourcing's SQLite, PostgreSQL or
other persistence modules only when a store of that kind is opened.
"""

from __future__ import annotations

from dautu_adapters.hookspecs import RegisterStore, hookimpl
from dautu_adapters.stores.backends import (
    open_eventsourcing_store,
    open_memory_store,
    open_postgres_store,
    open_sqlite_store,
)

__all__ = ["dautu_register_stores"]


@hookimpl
def dautu_register_stores(register: RegisterStore) -> None:
    register(
        "memory",
        open_memory_store,
        "Bộ nhớ trong, mất khi thoát / in memory, gone at exit (eventsourcing POPO)",
    )
    register(
        "sqlite",
        open_sqlite_store,
        "Tệp SQLite / SQLite file: sqlite:///dautu.db (eventsourcing.sqlite)",
    )
    register(
        "postgresql",
        open_postgres_store,
        "PostgreSQL: postgresql://user:pass@host:5432/db (eventsourcing.postgres, dautu[postgres])",
    )
    register("postgres", open_postgres_store, "= postgresql")
    register(
        "eventsourcing",
        open_eventsourcing_store,
        "Mọi mô-đun lưu trữ eventsourcing / any eventsourcing persistence module: "
        "eventsourcing://?PERSISTENCE_MODULE=...",
    )
