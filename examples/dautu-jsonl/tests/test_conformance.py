"""dautu's conformance kit, run against the JSON-lines store: this is all an adapter needs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dautu_jsonl import JsonlStore

from dautu_adapters.conformance import EventStoreConformance
from dautu_core.ports import EventStore


class TestJsonlStore(EventStoreConformance):
    supports_reopen = True
    supports_concurrent_processes = True
    supports_checkpoints = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[JsonlStore]:
        store = JsonlStore(tmp_path / "store")
        yield store
        store.close()

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        assert isinstance(store, JsonlStore)
        return functools.partial(JsonlStore, store.directory)
