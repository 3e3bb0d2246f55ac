"""What every group of the kit's tests shares: the fixture, the capability flags, the helpers.

The tests themselves live in one mixin per group (:mod:`.contract`, :mod:`.sharing`,
:mod:`.checkpoint_tests`, :mod:`.roundtrip`); :class:`~.kit.EventStoreConformance` puts them
together in the order they run: cheap, deterministic checks first, so that a broken store is
named within seconds even when each call to it is slow, and the hypothesis round trips last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

import pytest

from dautu_adapters.conformance.diagnose import append_or_explain, check_stream
from dautu_adapters.conformance.records import approval, chain, violation
from dautu_core import events as ev
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, EventStore, NewRecord
from dautu_core.record import StoredRecord

__all__ = ["KitBase"]


class KitBase:
    """The fixture an adapter author provides, the capability flags, and shared helpers.

    See :class:`~dautu_adapters.conformance.EventStoreConformance` for the flags' meaning.
    """

    supports_reopen: ClassVar[bool] = False
    supports_concurrent_processes: ClassVar[bool] = False
    one_process_at_a_time: ClassVar[bool] = False
    supports_checkpoints: ClassVar[bool] = True
    max_examples: ClassVar[int] = 30
    shrink: ClassVar[bool] = True
    """Whether hypothesis shrinks a failing round trip to its smallest example (slow on a slow
    store: ``dautu check-adapter`` turns it off unless ``--full``)."""
    writer_rounds: ClassVar[int] = 20
    """Rounds in which two writer processes race for the same expected version."""
    writer_records: ClassVar[int] = 15
    """Records each of the two writer processes then appends, retrying on conflicts."""
    writer_threads: ClassVar[int] = 4
    thread_records: ClassVar[int] = 5
    """Threads sharing one store object, and records each appends with retries."""

    # --- what the adapter author provides -------------------------------------------------

    @pytest.fixture
    def store(self) -> Iterator[EventStore]:
        """A fresh, empty store; close it after ``yield``. Override in your subclass."""
        raise NotImplementedError("define the 'store' fixture in your conformance subclass")
        yield  # pragma: no cover

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        """A picklable callable opening another store over the storage of ``store``.

        Needed for ``supports_concurrent_processes`` and ``one_process_at_a_time`` (and, by
        default, ``supports_reopen``); ``functools.partial(open_store, url)`` is a typical
        answer.
        """
        raise NotImplementedError(
            f"{type(self).__qualname__} sets a capability that needs opener(store)"
        )

    def reopen(self, store: EventStore) -> EventStore:
        """A second store over the same storage as ``store`` (which stays open).

        The kit closes what this returns. Override when your store can be reopened in-process
        but its opener cannot be pickled.
        """
        return self.opener(store)()

    # --- helpers --------------------------------------------------------------------------

    def _require(self, flag: str) -> None:
        if not getattr(self, flag):
            pytest.skip(f"{type(self).__qualname__}.{flag} is False")

    @staticmethod
    def _append(store: EventStore, batches: list[AppendBatch]) -> list[int]:
        """An append that must succeed (see :func:`.diagnose.append_or_explain`)."""
        return append_or_explain(store, batches)

    @classmethod
    def _seed(cls, store: EventStore, code: str, count: int) -> list[StoredRecord]:
        """Start ``code``'s stream: an approval followed by ``count - 1`` violations; the
        stream read back is checked against what was appended before anyone relies on it."""
        events: list[ev.ProjectEvent] = [approval(code)]
        events += [violation(code, f"V{index}") for index in range(1, count)]
        records = chain(events)
        cls._append(store, [AppendBatch(code, 0, records)])
        stream = store.read_stream(code)
        check_stream(stream, code, records)
        return stream

    @staticmethod
    def _conflict(
        store: EventStore, batches: list[AppendBatch], why: str, before: dict[str, list[bytes]]
    ) -> ConcurrencyConflict:
        """The ConcurrencyConflict that ``append(batches)`` must raise (``why`` says what is
        wrong with the batch); any other outcome is named, with what it left written in the
        streams of ``before`` (their records' bytes before the call)."""
        try:
            store.append(batches)
        except ConcurrencyConflict as conflict:
            return conflict
        except Exception as exc:
            changed = _changed(store, before)
            if changed:
                raise AssertionError(
                    f"an append {why} raised {type(exc).__name__} ({exc}) and changed project "
                    f"{changed!r}: records were left half-written; check every batch before "
                    "writing any, and write all of them in one transaction"
                ) from exc
            raise AssertionError(
                f"an append {why} raised {type(exc).__name__} ({exc}); it must raise "
                "dautu_core.ConcurrencyConflict naming the project"
            ) from exc
        raise AssertionError(
            f"the store accepted an append {why}: no ConcurrencyConflict was raised "
            "(optimistic concurrency is missing: compare each stream's version with the "
            "batch's expected_version before writing)"
        )

    @classmethod
    def _assert_conflict(
        cls,
        store: EventStore,
        batches: list[AppendBatch],
        blamed: str,
        before: dict[str, list[bytes]],
        why: str,
    ) -> None:
        """``append(batches)`` must raise a ConcurrencyConflict naming ``blamed`` and change
        nothing (``before``: the bytes of the streams concerned)."""
        top = store.max_position()
        caught = cls._conflict(store, batches, why, before)
        changed = _changed(store, before)
        if changed:
            raise AssertionError(
                f"an append refused with a ConcurrencyConflict still changed project "
                f"{changed!r}: records were left half-written; check every batch before "
                "writing any"
            )
        assert store.max_position() == top, (
            f"an append refused with a ConcurrencyConflict moved the global log from {top} to "
            f"{store.max_position()}"
        )
        assert caught.project_code == blamed, (
            f"the conflict must name project {blamed!r}, named {caught.project_code!r}"
        )
        assert blamed in str(caught), "the conflict's message must name the project"

    @staticmethod
    def _records_of(stream: list[StoredRecord]) -> tuple[NewRecord, ...]:
        return tuple(NewRecord(r.type_name, r.data) for r in stream)


def _changed(store: EventStore, before: dict[str, list[bytes]]) -> str | None:
    """The first project whose stream no longer holds exactly ``before[code]``."""
    for code, data in before.items():
        if [r.data for r in store.read_stream(code)] != data:
            return code
    return None
