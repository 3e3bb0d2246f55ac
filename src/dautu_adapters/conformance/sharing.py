"""A store's life and who shares it: closing, threads, reopening, other processes.

Decided for every store (the guide, ``docs/writing-an-adapter.md``, says the same):

- after ``close()``, every method but ``close()`` raises ``StorageError``; closing again is
  harmless. A closed store that keeps answering hides a use-after-close bug in the caller.
- one store object may be used by several threads at once (a web portal shares it).
- if the storage can be opened by two processes at once (``supports_concurrent_processes``),
  exactly one of two appends at the same expected version wins; if the backend allows one
  process at a time (``one_process_at_a_time``: DuckDB, some embedded stores), a second
  process is refused with ``StorageError`` at once, never left waiting, and sees every record
  once the first has closed.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from dautu_adapters.conformance import processes
from dautu_adapters.conformance.base import KitBase
from dautu_adapters.conformance.diagnose import chain_problem, check_stream
from dautu_adapters.conformance.records import chain_after, unique_code, violation
from dautu_adapters.stores.errors import StorageError
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, CheckpointStore, EventStore

__all__ = ["SharingTests"]

_THREAD_TIMEOUT_SECONDS = 60.0
_MAX_RETRIES = 200


class SharingTests(KitBase):
    """Closing, threads, and the same storage opened again or by other processes."""

    def test_calls_after_close_raise_storage_error(self, store: EventStore) -> None:
        code = unique_code("closed")
        stream = self._seed(store, code, 1)
        store.close()
        try:
            store.close()
        except Exception as exc:
            raise AssertionError(
                f"closing a closed store raised {exc!r}; it must do nothing"
            ) from exc
        more = chain_after(stream, [violation(code, "after-close")])
        calls: dict[str, Callable[[], object]] = {
            "append": lambda: store.append([AppendBatch(code, 1, more)]),
            "read_stream": lambda: store.read_stream(code),
            "read_log": lambda: store.read_log(),
            "max_position": store.max_position,
            "project_codes": store.project_codes,
        }
        if self.supports_checkpoints and isinstance(store, CheckpointStore):
            checkpoints = store
            calls |= {
                "get_checkpoint": lambda: checkpoints.get_checkpoint(code),
                "load_projection": lambda: checkpoints.load_projection(code),
                "save_checkpoint": lambda: checkpoints.save_checkpoint(code, 1, b""),
            }
        for name, call in calls.items():
            try:
                answer = call()
            except StorageError:
                continue
            except Exception as exc:
                raise AssertionError(
                    f"{name} after close() raised {type(exc).__name__} ({exc}); it must raise "
                    "dautu_adapters.stores.StorageError (rule_id 'store_closed')"
                ) from exc
            raise AssertionError(
                f"{name} after close() answered {answer!r:.80} instead of raising "
                "dautu_adapters.stores.StorageError: a closed store must not be used by mistake"
            )

    def test_threads_share_one_store(self, store: EventStore) -> None:
        code = unique_code("threads")
        seeded = self._seed(store, code, 2)
        top = store.max_position()
        errors: list[str] = []
        labels = [f"T{n}" for n in range(self.writer_threads)]

        def write(label: str) -> None:
            try:
                for index in range(self.thread_records):
                    for _attempt in range(_MAX_RETRIES):
                        stream = store.read_stream(code)
                        records = chain_after(stream, [violation(code, f"{label}-{index}")])
                        try:
                            store.append([AppendBatch(code, len(stream), records)])
                            break
                        except ConcurrencyConflict:
                            continue
                    else:
                        errors.append(f"{label}: record {index} lost {_MAX_RETRIES} races")
            except BaseException:
                errors.append(f"{label}:\n{traceback.format_exc()}")

        threads = [threading.Thread(target=write, args=(label,), daemon=True) for label in labels]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(_THREAD_TIMEOUT_SECONDS)
        stuck = [t.name for t in threads if t.is_alive()]
        assert not stuck, (
            f"{len(stuck)} thread(s) sharing the store did not finish within "
            f"{_THREAD_TIMEOUT_SECONDS:.0f} s: a lock is never released, or calls deadlock"
        )
        assert not errors, "threads sharing one store object failed:\n" + "\n".join(errors)
        stream = store.read_stream(code)
        total = len(labels) * self.thread_records
        check_stream(stream[:2], code, self._records_of(seeded), call="read_stream (threads)")
        assert [r.version for r in stream] == list(range(1, total + 3)), (
            "records appended by threads were lost or written twice: versions "
            f"{[r.version for r in stream]}"
        )
        ids = {r.parsed()["data"]["violation_id"] for r in stream[2:]}
        wanted = {f"{label}-{n}" for label in labels for n in range(self.thread_records)}
        assert ids == wanted, f"records of threads lost: {sorted(wanted - ids)}"
        problem = chain_problem(stream)
        assert problem is None, problem
        log = store.read_log(after_position=top)
        assert [r.position for r in log] == list(range(top + 1, top + total + 1)), (
            "threads' appends left a gap or a repeated position in the global log"
        )

    def test_reopened_store_has_the_same_records(self, store: EventStore) -> None:
        self._require("supports_reopen")
        code = unique_code("reopen")
        stream = self._seed(store, code, 3)
        log = store.read_log(after_position=stream[0].position - 1)
        other = self.reopen(store)
        try:
            check_stream(other.read_stream(code), code, self._records_of(stream))
            assert other.read_stream(code) == stream, "a reopened store read other positions"
            assert other.read_log(after_position=stream[0].position - 1) == log
            assert other.max_position() == store.max_position()
            assert code in other.project_codes()
            more = chain_after(stream, [violation(code, "from-other")])
            (position,) = self._append(other, [AppendBatch(code, 3, more)])
        finally:
            other.close()
        check_stream(
            store.read_stream(code, after_version=3),
            code,
            more,
            first_version=4,
            call="read_stream of what a second store appended",
        )
        assert store.max_position() >= position
        stale = chain_after(stream, [violation(code, "stale")])
        self._assert_conflict(
            store,
            [AppendBatch(code, 3, stale)],
            code,
            {code: [r.data for r in stream] + [more[0].data]},
            "at version 3 after a second store had appended version 4",
        )

    def test_two_processes_write_the_same_project(self, store: EventStore) -> None:
        self._require("supports_concurrent_processes")
        code = unique_code("processes")
        seeded = self._seed(store, code, 3)
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
        check_stream(stream[:3], code, self._records_of(seeded), call="read_stream (processes)")
        total = rounds * processes.RACE_BATCH + 2 * count
        versions = [r.version for r in stream]
        assert versions == list(range(1, total + 4)), (
            f"the stream holds versions {versions[:5]}...{versions[-5:]} ({len(stream)} "
            f"records); {total + 3} were committed: records were lost or written twice"
        )
        ids = [r.parsed()["data"]["violation_id"] for r in stream[3:]]
        assert len(ids) == len(set(ids)) == total, "records were lost or written twice"
        assert {f"{label}-{n}" for label in "AB" for n in range(count)} <= set(ids)
        problem = chain_problem(stream)
        assert problem is None, problem
        log = store.read_log(after_position=top)
        assert [r.position for r in log] == list(range(top + 1, top + total + 1)), (
            "the two processes' appends left a gap or a repeated position in the global log"
        )
        assert log == stream[3:], "read_log and read_stream differ after the race"

    def test_a_second_process_is_refused_while_the_store_is_open(self, store: EventStore) -> None:
        self._require("one_process_at_a_time")
        code = unique_code("one-process")
        stream = self._seed(store, code, 2)
        opener = self.opener(store)
        report = processes.run_in_other_process(opener, code, append=False)
        assert report["outcome"] != "opened", (
            "a second process opened the storage while this store had it open; a store "
            "declared one_process_at_a_time must refuse it with StorageError"
        )
        assert report["outcome"] == "refused", (
            "a second process opening the storage while it is open must get StorageError at "
            f"once; it got: {report['outcome']}: {report['detail']}"
        )
        store.close()
        report = processes.run_in_other_process(opener, code, append=True)
        assert report["outcome"] == "opened", (
            "once the store was closed another process could not open the storage: "
            f"{report['outcome']}: {report['detail']}"
        )
        assert report["versions"] == 2, "the second process did not see the records written"
        other = opener()
        try:
            more = chain_after(stream, [violation(code, "second-process")])
            check_stream(other.read_stream(code), code, self._records_of(stream) + more)
        finally:
            other.close()
