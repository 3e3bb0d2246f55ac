"""The contract every store meets, asked through the ports in one process, group by group.

Every test writes under project codes of its own and measures the global log from where it
started, so a store that already holds records can be checked too. Expected results always
come from what the test appended, never from an earlier read of the same store, so a store that
reverses, drops or rewrites records cannot set its own standard.
"""

from __future__ import annotations

from typing import Any

from dautu_adapters.conformance.base import KitBase
from dautu_adapters.conformance.diagnose import bytes_problem, check_stream
from dautu_adapters.conformance.records import (
    UNUSUAL_PROJECT_CODES,
    approval,
    chain,
    chain_after,
    old_record,
    unique_code,
    violation,
)
from dautu_core import events as ev
from dautu_core.codec import Upcasters, event_to_data
from dautu_core.ports import AppendBatch, EventStore, NewRecord
from dautu_core.record import GENESIS, StoredRecord

__all__ = ["AppendTests", "ConcurrencyTests", "ReadTests"]


class AppendTests(KitBase):
    """Appending and reading back: positions, versions, bytes, the hash chain."""

    def test_empty_reads(self, store: EventStore) -> None:
        code = unique_code("empty")
        top = store.max_position()
        assert store.read_stream(code) == [], "read_stream of a project never written"
        assert store.read_log(after_position=top) == [], "read_log after the last position"
        assert code not in store.project_codes()
        assert store.append([]) == [], "append([]) must return [] and write nothing"
        assert store.max_position() == top

    def test_append_returns_gap_free_positions_and_exact_bytes(self, store: EventStore) -> None:
        code = unique_code("append")
        top = store.max_position()
        records = chain([approval(code), violation(code, "V1"), violation(code, "V2")])
        positions = self._append(store, [AppendBatch(code, 0, records)])
        assert positions == [top + 1, top + 2, top + 3], (
            f"append must return the global positions of its records, {top + 1} to {top + 3}"
        )
        stream = store.read_stream(code)
        check_stream(stream, code, records)
        assert [r.position for r in stream] == positions, "read_stream's positions"
        assert all(isinstance(r.data, bytes) for r in stream)
        assert [r.prev for r in stream] == [GENESIS, stream[0].hash, stream[1].hash]
        assert store.max_position() == top + 3
        assert code in store.project_codes()

    def test_later_appends_continue_the_stream(self, store: EventStore) -> None:
        code = unique_code("continue")
        first = self._seed(store, code, 2)
        more = chain_after(first, [violation(code, "V9")])
        (position,) = self._append(store, [AppendBatch(code, 2, more)])
        stream = store.read_stream(code)
        check_stream(stream, code, self._records_of(first) + more)
        assert stream[-1].position == position == store.max_position()
        assert stream[-1].event() == violation(code, "V9")

    def test_project_codes_are_opaque_and_kept_apart(self, store: EventStore) -> None:
        suffix = unique_code("")
        codes = [f"{code}{suffix}" for code in UNUSUAL_PROJECT_CODES]
        appended: dict[str, tuple[NewRecord, ...]] = {}
        for index, code in enumerate(codes):
            appended[code] = self._records_of(self._seed(store, code, index + 1))
        for code in codes:
            check_stream(store.read_stream(code), code, appended[code])
        listed = store.project_codes()
        assert listed == sorted(listed), "project_codes() must be sorted"
        assert len(listed) == len(set(listed)), "project_codes() must not repeat a code"
        assert set(codes) <= set(listed), "project_codes() must list every project written"


class ConcurrencyTests(KitBase):
    """Optimistic concurrency and all-or-nothing appends."""

    def test_stale_expected_version_is_refused(self, store: EventStore) -> None:
        code = unique_code("stale")
        stream = self._seed(store, code, 3)
        stale = chain_after(stream[:1], [violation(code, "late")])
        self._assert_conflict(
            store,
            [AppendBatch(code, 1, stale)],
            code,
            {code: [r.data for r in stream]},
            "at expected version 1 to a stream at version 3",
        )

    def test_future_expected_version_is_refused(self, store: EventStore) -> None:
        code = unique_code("future")
        stream = self._seed(store, code, 2)
        ahead = chain_after(stream, [violation(code, "ahead")])
        self._assert_conflict(
            store,
            [AppendBatch(code, 5, ahead)],
            code,
            {code: [r.data for r in stream]},
            "at expected version 5 to a stream at version 2",
        )

    def test_new_stream_that_exists_is_refused(self, store: EventStore) -> None:
        code = unique_code("exists")
        stream = self._seed(store, code, 1)
        self._assert_conflict(
            store,
            [AppendBatch(code, 0, chain([approval(code)]))],
            code,
            {code: [r.data for r in stream]},
            "at expected version 0 (a new project) to a stream that exists",
        )

    def test_expected_version_of_a_missing_stream_is_refused(self, store: EventStore) -> None:
        code = unique_code("missing")
        self._assert_conflict(
            store,
            [AppendBatch(code, 1, chain([approval(code)]))],
            code,
            {code: []},
            "at expected version 1 to a project never written",
        )
        assert code not in store.project_codes()

    def test_an_empty_batch_still_checks_its_expected_version(self, store: EventStore) -> None:
        """A batch without records asserts that its stream is still where the writer read
        it (a decision about one project that depends on another): a wrong version is a
        conflict for the whole call, a right one writes nothing and returns no position."""
        code, other = unique_code("empty-batch"), unique_code("empty-batch-other")
        stream = self._seed(store, code, 2)
        self._assert_conflict(
            store,
            [AppendBatch(code, 1, ())],
            code,
            {code: [r.data for r in stream]},
            "of an empty batch at expected version 1 to a stream at version 2",
        )
        self._assert_conflict(
            store,
            [AppendBatch(other, 0, chain([approval(other)])), AppendBatch(code, 3, ())],
            code,
            {code: [r.data for r in stream], other: []},
            "whose empty batch expects version 3 of a stream at version 2",
        )
        top = store.max_position()
        assert self._append(store, [AppendBatch(code, 2, ())]) == [], (
            "an empty batch at the right version must return no position"
        )
        assert store.max_position() == top

    def test_conflict_details(self, store: EventStore) -> None:
        code = unique_code("details")
        stream = self._seed(store, code, 2)
        caught = self._conflict(
            store,
            [AppendBatch(code, 1, chain([violation(code, "x")]))],
            "at expected version 1 to a stream at version 2",
            {code: [r.data for r in stream]},
        )
        assert caught.expected_version == 1, "the conflict's expected_version"
        assert caught.actual_version in (2, None), (
            "the conflict's actual_version: the version read (2), or None if unknown"
        )

    def test_refused_append_leaves_no_gap(self, store: EventStore) -> None:
        code = unique_code("gap")
        stream = self._seed(store, code, 1)
        top = store.max_position()
        self._conflict(
            store,
            [AppendBatch(code, 0, chain([approval(code)]))],
            "at expected version 0 to a stream that exists",
            {code: [r.data for r in stream]},
        )
        positions = self._append(
            store, [AppendBatch(code, 1, chain_after(stream, [violation(code, "ok")]))]
        )
        assert positions == [top + 1], "a refused append must not use up a global position"

    def test_multi_batch_append_is_all_or_nothing(self, store: EventStore) -> None:
        fresh, taken = unique_code("atomic-a"), unique_code("atomic-b")
        stream = self._seed(store, taken, 2)
        batches = [
            AppendBatch(fresh, 0, chain([approval(fresh), violation(fresh, "V1")])),
            AppendBatch(taken, 1, chain_after(stream[:1], [violation(taken, "stale")])),
        ]
        self._assert_conflict(
            store,
            batches,
            taken,
            {fresh: [], taken: [r.data for r in stream]},
            "whose second batch expects version 1 of a stream at version 2",
        )
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
        positions = self._append(store, batches)
        assert positions == [top + 1, top + 2, top + 3, top + 4], (
            "the positions of a multi-batch append follow the order of its batches"
        )
        log = store.read_log(after_position=top)
        assert [(r.project_code, r.version) for r in log] == [
            (first, 1),
            (first, 2),
            (second, 2),
            (third, 1),
        ], "read_log after a multi-batch append"
        for record, new in zip(log, [r for b in batches for r in b.records], strict=True):
            problem = bytes_problem(record.data, new.data, f"read_log: position {record.position}")
            assert problem is None, problem
        check_stream(store.read_stream(first), first, batches[0].records)


class ReadTests(KitBase):
    """Streams, windows, the global log, and records of an older schema."""

    def test_streams_are_isolated(self, store: EventStore) -> None:
        one, two = unique_code("iso-1"), unique_code("iso-2")
        appended: dict[str, tuple[NewRecord, ...]] = {one: (), two: ()}
        for step in range(6):
            code = (one, two)[step % 2] if step < 4 else one
            current = store.read_stream(code)
            check_stream(current, code, appended[code])
            events = [approval(code)] if not current else [violation(code, f"V{step}")]
            records = chain_after(current, events)
            self._append(store, [AppendBatch(code, len(current), records)])
            appended[code] += records
        check_stream(store.read_stream(one), one, appended[one])
        check_stream(store.read_stream(two), two, appended[two])

    def test_read_stream_windows(self, store: EventStore) -> None:
        """``after_version < version <= up_to_version``, in ascending order; a negative
        ``after_version`` reads from the start, an ``up_to_version`` past the head reads to
        the head, an empty window (``up_to_version <= after_version``, or negative) is []."""
        code = unique_code("window")
        records = chain([approval(code), *(violation(code, f"V{n}") for n in range(1, 5))])
        self._append(store, [AppendBatch(code, 0, records)])
        for after in (-3, -1, *range(7)):
            for up_to in (None, -1, *range(7)):
                got = store.read_stream(code, after_version=after, up_to_version=up_to)
                first = max(after, 0) + 1
                last = len(records) if up_to is None else min(up_to, len(records))
                check_stream(
                    got,
                    code,
                    records[first - 1 : max(last, first - 1)],
                    first_version=first,
                    call=f"read_stream(after_version={after}, up_to_version={up_to})",
                )

    def test_read_log_is_gap_free_and_pages(self, store: EventStore) -> None:
        top = store.max_position()
        codes = [unique_code(f"log-{n}") for n in range(3)]
        streams: dict[str, list[StoredRecord]] = {code: [] for code in codes}
        own: dict[str, tuple[NewRecord, ...]] = {code: () for code in codes}
        appended: list[tuple[str, NewRecord]] = []
        for step in range(9):
            code = codes[(step * 2) % 3]
            current = streams[code]
            check_stream(current, code, own[code])
            events = [approval(code)] if not current else [violation(code, f"V{step}")]
            records = chain_after(current, events)
            self._append(store, [AppendBatch(code, len(current), records)])
            appended += [(code, r) for r in records]
            own[code] += records
            streams[code] = store.read_stream(code)
        log = store.read_log(after_position=top)
        positions = [r.position for r in log]
        assert positions == list(range(top + 1, top + 10)), (
            f"read_log returned positions {positions}: it must give every record after "
            f"{top} once, in ascending order of position"
        )
        for record, (code, new) in zip(log, appended, strict=True):
            assert record.project_code == code, f"read_log: project of position {record.position}"
            problem = bytes_problem(record.data, new.data, f"read_log: position {record.position}")
            assert problem is None, problem
        assert store.max_position() == top + 9
        by_position = {r.position: r for s in streams.values() for r in s}
        assert log == [by_position[p] for p in range(top + 1, top + 10)], (
            "read_log and read_stream must return equal records"
        )
        for limit in (1, 2, 4, 9, 50):
            pages: list[StoredRecord] = []
            after = top
            for _page in range(len(log) + 1):
                page = store.read_log(after_position=after, limit=limit)
                assert len(page) <= limit, f"read_log(limit={limit}) returned {len(page)}"
                if not page:
                    break
                pages += page
                after = page[-1].position
            assert pages == log, f"paging with limit={limit} differs from one read"
        assert store.read_log(after_position=top + 4, limit=2) == log[4:6]
        assert store.read_log(after_position=top + 9) == []

    def test_read_log_windows_out_of_range(self, store: EventStore) -> None:
        """A negative ``after_position`` reads from the start; ``limit=0`` (or less) reads
        nothing; ``after_position`` past the end reads nothing."""
        code = unique_code("log-window")
        self._seed(store, code, 2)
        top = store.max_position()
        assert store.read_log(after_position=-5, limit=3) == store.read_log(limit=3), (
            "read_log(after_position=-5) must read from the start, like after_position=0"
        )
        assert store.read_log(after_position=top - 2, limit=0) == [], "read_log(limit=0)"
        assert store.read_log(after_position=top - 2, limit=-1) == [], "read_log(limit=-1)"
        assert store.read_log(after_position=top + 100) == [], "read_log past the end"

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
        old = NewRecord(ev.ViolationFound.TYPE_NAME, data)
        self._append(store, [AppendBatch(code, 1, (old,))])

        def from_v0(previous: dict[str, Any]) -> dict[str, Any]:
            up = {k: v for k, v in previous.items() if k not in ("finding", "kind")}
            return up | {"description": previous["finding"], "category": previous["kind"].lower()}

        upcasters = Upcasters().with_upcaster(ev.ViolationFound.TYPE_NAME, 0, from_v0)
        read = store.read_stream(code)
        check_stream(read, code, (*self._records_of(stream), old))
        stored = read[-1]
        assert stored.parsed()["schema_version"] == 0
        assert stored.event(upcasters) == new
        logged = store.read_log(after_position=stored.position - 1)
        assert logged, f"read_log(after_position={stored.position - 1}) missed the old record"
        problem = bytes_problem(logged[0].data, data, "read_log: an old record")
        assert problem is None, problem
