"""The plugin: offers the ``jsonl`` URL scheme to dautu.

Published through the ``dautu`` entry-point group in this package's ``pyproject.toml``::

    [project.entry-points.dautu]
    jsonl = "dautu_jsonl.plugin"

dautu calls :func:`dautu_register_stores` once with a ``register`` callback; afterwards
``open_store("jsonl:///data/dautu")`` and ``dautu --store jsonl:///data/dautu ...`` work.
"""

from __future__ import annotations

from dautu_adapters.hookspecs import RegisterStore, hookimpl
from dautu_jsonl.urls import open_jsonl_store

__all__ = ["dautu_register_stores"]


@hookimpl
def dautu_register_stores(register: RegisterStore) -> None:
    """Register ``jsonl://``: an append-only JSON-lines log in a folder."""
    register(
        "jsonl",
        open_jsonl_store,
        "Tệp JSON-lines chỉ ghi thêm trong một thư mục / append-only JSON-lines files in a folder",
    )
