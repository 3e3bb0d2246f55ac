"""The conformance kit: the pytest base class a storage adapter subclasses.

Modelled on eventsourcing's recorder test cases: the kit owns the tests, the adapter author
supplies one fixture, ``store``, that returns a fresh store, plus capability flags for what the
backend can do. Everything is asked through the ports of :mod:`dautu_core.ports`, with records
made by :func:`dautu_core.record.make_record`, so a store that passes is a store dautu can use.

The tests come in groups, run in this order (cheapest and most telling first, so that a broken
store is named quickly even when each call costs tens of milliseconds): appending
(:class:`~.contract.AppendTests`), optimistic concurrency (:class:`~.contract.ConcurrencyTests`),
reads (:class:`~.contract.ReadTests`), closing, threads, reopening and other processes
(:class:`~.sharing.SharingTests`), checkpoints (:class:`~.checkpoint_tests.CheckpointTests`),
then the hypothesis round trips (:class:`~.roundtrip.RoundTripTests`).
"""

from __future__ import annotations

from typing import Any

from dautu_adapters.conformance.checkpoint_tests import CheckpointTests
from dautu_adapters.conformance.contract import AppendTests, ConcurrencyTests, ReadTests
from dautu_adapters.conformance.roundtrip import RoundTripTests
from dautu_adapters.conformance.sharing import SharingTests

__all__ = ["EventStoreConformance"]


# pytest collects the methods of the most basic class first: the last base listed runs first.
class EventStoreConformance(
    RoundTripTests, CheckpointTests, SharingTests, ReadTests, ConcurrencyTests, AppendTests
):
    """Subclass as ``Test<YourStore>`` and provide the ``store`` fixture.

    Capability flags (class attributes) switch optional parts on or off:

    ``supports_reopen``
        The storage outlives the store object: :meth:`reopen` (by default
        ``self.opener(store)()``) gives a second store over the same records.
    ``supports_concurrent_processes``
        Two operating-system processes may open the storage at once; :meth:`opener` returns a
        picklable callable that opens it.
    ``one_process_at_a_time``
        The backend lets one process at a time open the storage (DuckDB, some embedded
        databases). Instead of the two-process race, the kit checks that a second process is
        refused with ``StorageError`` while the store is open (at once, not after a wait) and
        sees every record once it is closed. Needs :meth:`opener`; excludes
        ``supports_concurrent_processes``.
    ``supports_checkpoints``
        The store also implements :class:`dautu_core.ports.CheckpointStore`.

    ``max_examples`` bounds the hypothesis round trips (raise it for a slow nightly run);
    ``shrink = False`` reports a failing round trip without searching for its smallest example.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__mro__[: cls.__mro__.index(EventStoreConformance)]
        if cls.__name__.startswith("Test") and not any("store" in vars(c) for c in own):
            raise TypeError(
                f"{cls.__qualname__} must define the 'store' fixture (a fresh, empty store)"
            )
        if cls.one_process_at_a_time and cls.supports_concurrent_processes:
            raise TypeError(
                f"{cls.__qualname__}: one_process_at_a_time and supports_concurrent_processes "
                "exclude each other"
            )
