"""The conformance kit: pytest base classes a storage adapter subclasses.

Modelled on eventsourcing's recorder test cases: the kit owns the tests, the adapter author
supplies one fixture, ``store``, that returns a fresh store, plus capability flags for what the
backend can do. Everything is asked through the ports of :mod:`dautu_core.ports`, with records
made by :func:`dautu_core.record.make_record`, so a store that passes is a store dautu can use.

Every test writes under project codes of its own and measures the global log from where it
started, so a store that already holds records (a scratch database given to
``dautu check-adapter``) can be checked too; a fresh store per test is still the best fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from dautu_adapters.conformance import processes
from dautu_adapters.conformance.records import (
    UNUSUAL_PROJECT_CODES,
    approval,
    chain,
    chain_after,
    old_record,
    unique_code,
    violation,
)
from dautu_adapters.conformance.roundtrip import RoundTripTests
from dautu_core import events as ev
from dautu_core.codec import Upcasters, event_to_data
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, CheckpointStore, EventStore, NewRecord
from dautu_core.record import GENESIS, StoredRecord

__all__ = ["EventStoreConformance"]


class EventStoreConformance(RoundTripTests):
    """Subclass as ``Test<YourStore>`` and provide the ``store`` fixture.

    Capability flags (class attributes) switch optional parts on or off:

    ``supports_reopen``
        The storage outlives the store object: :meth:`reopen` (by default
        ``self.opener(store)()``) gives a second store over the same records.
    ``supports_concurrent_processes``
        Two operating-system processes may open the storage at once; :meth:`opener` returns a
        picklable callable that opens it.
    ``supports_checkpoints``
        The store also implements :class:`dautu_core.ports.CheckpointStore`.

    ``max_examples`` bounds the hypothesis round trips (raise it for a slow nightly run).
    """

    supports_reopen: ClassVar[bool] = False
    supports_concurrent_processes: ClassVar[bool] = False
    supports_checkpoints: ClassVar[bool] = True
    max_examples: ClassVar[int] = 30
    writer_rounds: ClassVar[int] = 20
    """Rounds in which two writer processes race for the same expected version."""
    writer_records: ClassVar[int] = 15
    """Records each of the two writer processes then appends, retrying on conflicts."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__mro__[: cls.__mro__.index(EventStoreConformance)]
        if cls.__name__.startswith("Test") and not any("store" in vars(c) for c in own):
            raise TypeError(
                f"{cls.__qualname__} must define the 'store' fixture (a fresh, empty store)"
            )

    # --- what the adapter author provides -------------------------------------------------

    @pytest.fixture
    def store(self) -> Iterator[EventStore]:
        """A fresh, empty store; close it after ``yield``. Override in your subclass."""
        raise NotImplementedError("define the 'store' fixture in your conformance subclass")
        yield  # pragma: no cover

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        """A picklable callable opening another store over the storage of ``store``.

        Needed for ``supports_concurrent_processes`` (and, by default, ``supports_reopen``);
        ``functools.partial(open_store, url)`` is a typical answer.
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
    def _seed(store: EventStore, code: str, count: int) -> list[StoredRecord]:
        """Start ``code``'s stream: an approval followed by ``count - 1`` violations."""
        events: list[ev.ProjectEvent] = [approval(code)]
        events += [violation(code, f"V{index}") for index in range(1, count)]
        store.append([AppendBatch(code, 0, chain(events))])
        return store.read_stream(code)

    @staticmethod
    def _assert_conflict(
        store: EventStore, batches: list[AppendBatch], blamed: str, before: dict[str, list[bytes]]
    ) -> None:
        top = store.max_position()
        with pytest.raises(ConcurrencyConflict) as caught:
            store.append(batches)
        assert caught.value.project_code == blamed, (
            f"the conflict must name project {blamed!r}, named {caught.value.project_code!r}"
        )
        assert blamed in str(caught.value)
        for code, data in before.items():
            assert [r.data for r in store.read_stream(code)] == data, (
                f"a refused append changed the stream of {code!r}"
            )
        assert store.max_position() == top, "a refused append moved the global log"

    # --- appending and reading back -------------------------------------------------------

    def test_empty_reads(self, store: EventStore) -> None:
        code = unique_code("empty")
        top = store.max_position()
        assert store.read_stream(code) == []
        assert store.read_log(after_position=top) == []
        assert code not in store.project_codes()
        assert store.append([]) == []
        assert store.max_position() == top

    def test_append_returns_gap_free_positions_and_exact_bytes(self, store: EventStore) -> None:
        code = unique_code("append")
        top = store.max_position()
        records = chain([approval(code), violation(code, "V1"), violation(code, "V2")])
        positions = store.append([AppendBatch(code, 0, records)])
        assert positions == [top + 1, top + 2, top + 3]
        stream = store.read_stream(code)
        assert [(r.project_code, r.version, r.position) for r in stream] == [
            (code, 1, top + 1),
            (code, 2, top + 2),
            (code, 3, top + 3),
        ]
        assert [r.type_name for r in stream] == [r.type_name for r in records]
        assert [r.data for r in stream] == [r.data for r in records]
        assert all(isinstance(r.data, bytes) for r in stream)
        assert [r.prev for r in stream] == [GENESIS, stream[0].hash, stream[1].hash]
        assert store.max_position() == top + 3
        assert code in store.project_codes()

    def test_later_appends_continue_the_stream(self, store: EventStore) -> None:
        code = unique_code("continue")
        first = self._seed(store, code, 2)
        more = chain_after(first, [violation(code, "V9")])
        (position,) = store.append([AppendBatch(code, 2, more)])
        stream = store.read_stream(code)
        assert [r.version for r in stream] == [1, 2, 3]
        assert stream[-1].position == position == store.max_position()
        assert stream[-1].data == more[0].data
        assert stream[-1].event() == violation(code, "V9")

    def test_project_codes_are_opaque_and_kept_apart(self, store: EventStore) -> None:
        suffix = unique_code("")
        codes = [f"{code}{suffix}" for code in UNUSUAL_PROJECT_CODES]
        for index, code in enumerate(codes):
            self._seed(store, code, index + 1)
        for index, code in enumerate(codes):
            stream = store.read_stream(code)
            assert len(stream) == index + 1, f"stream of {code!r} mixed with another"
            assert {r.project_code for r in stream} == {code}
            assert stream[0].event() == approval(code)
        listed = store.project_codes()
        assert listed == sorted(listed), "project_codes() must be sorted"
        assert len(listed) == len(set(listed)), "project_codes() must not repeat a code"
        assert set(codes) <= set(listed)

    # --- optimistic concurrency -----------------------------------------------------------

    def test_stale_expected_version_is_refused(self, store: EventStore) -> None:
        code = unique_code("stale")
        stream = self._seed(store, code, 3)
        stale = chain_after(stream[:1], [violation(code, "late")])
        self._assert_conflict(
            store, [AppendBatch(code, 1, stale)], code, {code: [r.data for r in stream]}
        )

    def test_future_expected_version_is_refused(self, store: EventStore) -> None:
        code = unique_code("future")
        stream = self._seed(store, code, 2)
        ahead = chain_after(stream, [violation(code, "ahead")])
        self._assert_conflict(
            store, [AppendBatch(code, 5, ahead)], code, {code: [r.data for r in stream]}
        )

    def test_new_stream_that_exists_is_refused(self, store: EventStore) -> None:
        code = unique_code("exists")
        stream = self._seed(store, code, 1)
        again = chain([approval(code)])
        self._assert_conflict(
            store, [AppendBatch(code, 0, again)], code, {code: [r.data for r in stream]}
        )

    def test_expected_version_of_a_missing_stream_is_refused(self, store: EventStore) -> None:
        code = unique_code("missing")
        self._assert_conflict(
            store, [AppendBatch(code, 1, chain([approval(code)]))], code, {code: []}
        )
        assert code not in store.project_codes()

    def test_conflict_details(self, store: EventStore) -> None:
        code = unique_code("details")
        self._seed(store, code, 2)
        with pytest.raises(ConcurrencyConflict) as caught:
            store.append([AppendBatch(code, 1, chain([violation(code, "x")]))])
        assert caught.value.expected_version == 1
        assert caught.value.actual_version in (2, None)

    def test_refused_append_leaves_no_gap(self, store: EventStore) -> None:
        code = unique_code("gap")
        stream = self._seed(store, code, 1)
        top = store.max_position()
        with pytest.raises(ConcurrencyConflict):
            store.append([AppendBatch(code, 0, chain([approval(code)]))])
        positions = store.append(
            [AppendBatch(code, 1, chain_after(stream, [violation(code, "ok")]))]
        )
        assert positions == [top + 1], "a refused append must not use up a global position"

    def test_multi_batch_append_is_all_or_nothing(self, store: EventStore) -> None:
        fresh, taken = unique_code("atomic-a"), unique_code("atomic-b")
        stream = self._seed(store, taken, 2)
        batches = [
            AppendBatch(fresh, 0, chain([approval(fresh), violation(fresh, "V1")])),
            AppendBatch(taken, 1, chain_after(stream[:1], [violation(taken, "stale")])),
        ]
        self._assert_conflict(store, batches, taken, {fresh: [], taken: [r.data for r in stream]})
        assert fresh not in store.project_codes()

    def test_multi_batch_positions_follow_batch_order(self, store: EventStore) -> None:
        first, second, third = (unique_code(f"batch-{n}") for n in range(3))
        seeded = self._seed(store, second, 1)
        top = store.max_position()
        batches = [
            AppendBatch(first, 0, chain([approval(first), violation(first, "V1")])),
            AppendBatch(second, 1, chain_after(seeded, [violation(second, "V1")])),
            AppendBatch(third, 0, chain([approval(third)])),
        ]
        positions = store.append(batches)
        assert positions == [top + 1, top + 2, top + 3, top + 4]
        log = store.read_log(after_position=top)
        assert [(r.project_code, r.version) for r in log] == [
            (first, 1),
            (first, 2),
            (second, 2),
            (third, 1),
        ]
        assert [r.data for r in log] == [r.data for b in batches for r in b.records]

    # --- streams and the global log -------------------------------------------------------

    def test_streams_are_isolated(self, store: EventStore) -> None:
        one, two = unique_code("iso-1"), unique_code("iso-2")
        streams: dict[str, list[StoredRecord]] = {one: [], two: []}
        for step in range(6):
            code = (one, two)[step % 2] if step < 4 else one
            current = streams[code]
            events = [approval(code)] if not current else [violation(code, f"V{step}")]
            store.append([AppendBatch(code, len(current), chain_after(current, events))])
            streams[code] = store.read_stream(code)
        assert [r.version for r in streams[one]] == [1, 2, 3, 4]
        assert [r.version for r in streams[two]] == [1, 2]
        assert {r.project_code for r in streams[one]} == {one}
        assert {r.project_code for r in streams[two]} == {two}

    def test_read_stream_windows(self, store: EventStore) -> None:
        code = unique_code("window")
        stream = self._seed(store, code, 5)
        assert len(stream) == 5
        for after in range(7):
            for up_to in (None, *range(7)):
                got = store.read_stream(code, after_version=after, up_to_version=up_to)
                want = [
                    r for r in stream if r.version > after and (up_to is None or r.version <= up_to)
                ]
                assert got == want, f"read_stream(after_version={after}, up_to_version={up_to})"

    def test_read_log_is_gap_free_and_pages(self, store: EventStore) -> None:
        top = store.max_position()
        codes = [unique_code(f"log-{n}") for n in range(3)]
        streams: dict[str, list[StoredRecord]] = {code: [] for code in codes}
        for step in range(9):
            code = codes[(step * 2) % 3]
            current = streams[code]
            events = [approval(code)] if not current else [violation(code, f"V{step}")]
            store.append([AppendBatch(code, len(current), chain_after(current, events))])
            streams[code] = store.read_stream(code)
        log = store.read_log(after_position=top)
        assert [r.position for r in log] == list(range(top + 1, top + 10))
        assert store.max_position() == top + 9
        by_position = {r.position: r for s in streams.values() for r in s}
        assert log == [by_position[p] for p in range(top + 1, top + 10)]
        for limit in (1, 2, 4, 9, 50):
            pages: list[StoredRecord] = []
            after = top
            while True:
                page = store.read_log(after_position=after, limit=limit)
                assert len(page) <= limit
                if not page:
                    break
                pages += page
                after = page[-1].position
            assert pages == log, f"paging with limit={limit} differs from one read"
        assert store.read_log(after_position=top + 4, limit=2) == log[4:6]
        assert store.read_log(after_position=top + 9) == []

    # --- schema evolution -----------------------------------------------------------------

    def test_old_schema_version_is_upcast_on_read_and_bytes_are_kept(
        self, store: EventStore
    ) -> None:
        code = unique_code("upcast")
        stream = self._seed(store, code, 1)
        new = violation(code, "BB-01/2022")
        # Version 0 of ViolationFound called the description "finding" and the category "kind".
        payload = {
            k: v for k, v in event_to_data(new).items() if k not in ("description", "category")
        }
        payload |= {"finding": new.description, "kind": new.category.value.upper()}
        data = old_record(ev.ViolationFound.TYPE_NAME, 0, payload, stream[-1].hash)
        store.append([AppendBatch(code, 1, (NewRecord(ev.ViolationFound.TYPE_NAME, data),))])

        def from_v0(old: dict[str, Any]) -> dict[str, Any]:
            up = {k: v for k, v in old.items() if k not in ("finding", "kind")}
            return up | {"description": old["finding"], "category": old["kind"].lower()}

        upcasters = Upcasters().with_upcaster(ev.ViolationFound.TYPE_NAME, 0, from_v0)
        stored = store.read_stream(code)[-1]
        assert stored.data == data, "the store must keep old records byte for byte"
        assert stored.parsed()["schema_version"] == 0
        assert stored.event(upcasters) == new
        assert store.read_log(after_position=stored.position - 1)[0].data == data

    # --- the same storage opened again, and by other processes ----------------------------

    def test_reopened_store_has_the_same_records(self, store: EventStore) -> None:
        self._require("supports_reopen")
        code = unique_code("reopen")
        stream = self._seed(store, code, 3)
        log = store.read_log(after_position=stream[0].position - 1)
        other = self.reopen(store)
        try:
            assert other.read_stream(code) == stream
            assert other.read_log(after_position=stream[0].position - 1) == log
            assert other.max_position() == store.max_position()
            assert code in other.project_codes()
            more = chain_after(stream, [violation(code, "from-other")])
            (position,) = other.append([AppendBatch(code, 3, more)])
        finally:
            other.close()
        assert store.read_stream(code, after_version=3)[0].data == more[0].data
        assert store.max_position() >= position
        with pytest.raises(ConcurrencyConflict):
            store.append([AppendBatch(code, 3, chain_after(stream, [violation(code, "stale")]))])

    def test_two_processes_write_the_same_project(self, store: EventStore) -> None:
        self._require("supports_concurrent_processes")
        code = unique_code("processes")
        seeded = self._seed(store, code, 1)
        top = store.max_position()
        rounds, count = self.writer_rounds, self.writer_records
        reports = processes.run_writers(self.opener(store), code, ("A", "B"), rounds, count)
        errors = [r["error"] for r in reports if r["error"]]
        assert not errors, "a writer process failed:\n" + "\n".join(errors)
        assert len(reports) == 2
        for round_, outcomes in enumerate(zip(*(r["races"] for r in reports), strict=True)):
            assert sorted(outcomes) == [f"conflict:{code}", "won"], (
                f"round {round_}: of two writers appending at the same expected version exactly "
                f"one must win and the other get a ConcurrencyConflict naming the project; "
                f"got {outcomes}"
            )
        stream = store.read_stream(code)
        assert stream[0] == seeded[0]
        ids = [r.parsed()["data"]["violation_id"] for r in stream[1:]]
        total = rounds * processes.RACE_BATCH + 2 * count
        assert len(ids) == len(set(ids)) == total, "records were lost or written twice"
        assert {f"{label}-{n}" for label in "AB" for n in range(count)} <= set(ids)
        assert [r.version for r in stream] == list(range(1, total + 2))
        assert [r.prev for r in stream[1:]] == [r.hash for r in stream[:-1]], (
            "a record was appended on top of a stream its writer had not read"
        )
        log = store.read_log(after_position=top)
        assert [r.position for r in log] == list(range(top + 1, top + total + 1))
        assert log == stream[1:]

    # --- checkpoints ----------------------------------------------------------------------

    def _checkpoints(self, store: EventStore) -> CheckpointStore:
        self._require("supports_checkpoints")
        assert isinstance(store, CheckpointStore), (
            "supports_checkpoints is True but the store lacks get_checkpoint, "
            "save_checkpoint or load_projection"
        )
        return store

    def test_checkpoint_starts_at_zero(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        name = unique_code("projection")
        assert checkpoints.get_checkpoint(name) == 0
        assert checkpoints.load_projection(name) == (0, None)

    def test_checkpoint_round_trip(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        name, other = unique_code("projection"), unique_code("projection")
        state = "Đã rà soát 78 dự án".encode() + bytes(range(256))
        checkpoints.save_checkpoint(name, 7, state)
        assert checkpoints.get_checkpoint(name) == 7
        assert checkpoints.load_projection(name) == (7, state)
        checkpoints.save_checkpoint(name, 12, b"")
        assert checkpoints.load_projection(name) == (12, b"")
        assert checkpoints.load_projection(other) == (0, None)

    def test_checkpoint_follows_each_save(self, store: EventStore) -> None:
        """A projection moves forward save by save; rebuilt from scratch it starts again at 0,
        so the latest save wins, whatever its position."""
        checkpoints = self._checkpoints(store)
        name = unique_code("projection")
        for position in (1, 2, 5, 40, 41):
            checkpoints.save_checkpoint(name, position, f"trạng thái {position}".encode())
            assert checkpoints.load_projection(name) == (
                position,
                f"trạng thái {position}".encode(),
            )
            assert checkpoints.get_checkpoint(name) == position
        checkpoints.save_checkpoint(name, 0, b"")
        assert checkpoints.load_projection(name) == (0, b"")

    def test_checkpoint_survives_reopen(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        self._require("supports_reopen")
        name = unique_code("projection")
        checkpoints.save_checkpoint(name, 3, b"state")
        other = self.reopen(store)
        try:
            assert isinstance(other, CheckpointStore)
            assert other.load_projection(name) == (3, b"state")
        finally:
            other.close()
