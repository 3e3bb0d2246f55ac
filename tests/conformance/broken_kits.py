"""The kit bound to each store of the broken catalogue (``broken_stores.py``).

Not collected by the suite (the name does not start with ``test_``): ``test_catalogue.py``
runs it in a pytest of its own and reads which tests failed and why. Quick settings: few
examples, no shrinking, as ``dautu check-adapter`` runs by default.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from dautu_adapters.conformance import EventStoreConformance
from dautu_core.ports import EventStore
from tests.conformance import broken_stores as broken


class _Quick(EventStoreConformance):
    max_examples: ClassVar[int] = 6
    shrink: ClassVar[bool] = False
    writer_rounds: ClassVar[int] = 3
    writer_records: ClassVar[int] = 3


class _InLists(_Quick):
    kind: ClassVar[type[broken.CatalogueStore]] = broken.CatalogueStore

    @pytest.fixture
    def store(self) -> Iterator[EventStore]:
        store = self.kind()
        yield store
        store.close()


class TestCatalogueStore(_InLists):
    """The unbroken one: the catalogue's baseline must pass."""


class TestReversedReads(_InLists):
    kind = broken.ReversedReadsStore


class TestDroppedLastRecord(_InLists):
    kind = broken.DroppedLastRecordStore


class TestReencodedJson(_InLists):
    kind = broken.ReencodingStore


class TestNoConcurrencyCheck(_InLists):
    kind = broken.NoConcurrencyCheckStore


class TestHalfWrittenMultiBatch(_InLists):
    kind = broken.HalfWrittenStore


class TestReversedReadsInTheProcessRace(_Quick):
    supports_reopen = True
    supports_concurrent_processes = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[EventStore]:
        store = broken.ReversedJsonlStore(tmp_path / "store", fsync=False)
        yield store
        store.close()

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        assert isinstance(store, broken.ReversedJsonlStore)
        return functools.partial(broken.ReversedJsonlStore, store.directory, fsync=False)


class TestOneProcessAtATime(_Quick):
    """A backend one process at a time may open, declared so: it must pass."""

    supports_reopen = False
    one_process_at_a_time = True
    refuse: ClassVar[bool] = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[EventStore]:
        store = broken.ExclusiveJsonlStore(tmp_path / "store", refuse=self.refuse)
        yield store
        store.close()

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        assert isinstance(store, broken.ExclusiveJsonlStore)
        return functools.partial(broken.ExclusiveJsonlStore, store.directory, refuse=self.refuse)


class TestDeclaredOneProcessButSharesStorage(TestOneProcessAtATime):
    """Declared one process at a time, but lets a second process in."""

    refuse = False
