"""Two operating-system processes writing the same project at once.

Why processes and not threads: the promise a store makes is about separate programs (two
clerks' desktops, a web worker and an import job) sharing one storage. Locks held inside one
Python process prove nothing about that, so the kit starts real processes with the ``spawn``
method: each opens its own store from a picklable opener, and nothing is inherited.

Each worker first races the other ``rounds`` times: both read the stream, meet at a barrier and
append at the same expected version, so in every round exactly one may win. Then each appends
its share of records one at a time, re-reading and retrying on
:class:`~dautu_core.errors.ConcurrencyConflict` as the service does: nothing may be lost or
written twice.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from collections.abc import Callable
from typing import Any

from dautu_adapters.conformance.records import chain_after, violation
from dautu_adapters.stores.errors import StorageError
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, EventStore

__all__ = [
    "RACE_BATCH",
    "WriterReport",
    "open_elsewhere",
    "race_and_contend",
    "run_in_other_process",
    "run_writers",
]

Opener = Callable[[], EventStore]
WriterReport = dict[str, Any]
"""What a writer process sends back: ``label``, ``races`` (per round ``"won"`` or
``"conflict:<project code named>"``), ``retries`` and ``error`` (a traceback, or ``None``)."""

_MAX_RETRIES_PER_RECORD = 200
RACE_BATCH = 100
"""Records per racing append: a big batch keeps each writer busy between its version check and
its write long enough for the other to get there too, so a missing lock shows."""
_TIMEOUT_SECONDS = 60.0


def race_and_contend(
    opener: Opener,
    code: str,
    label: str,
    rounds: int,
    count: int,
    barrier: Any,
    results: Any,
) -> None:
    """Body of one writer process; see the module docstring."""
    report: WriterReport = {"label": label, "races": [], "retries": 0, "error": None}
    try:
        store = opener()
        try:
            for round_ in range(rounds):
                stream = store.read_stream(code)
                records = chain_after(
                    stream,
                    [violation(code, f"{label}-race-{round_}-{n}") for n in range(RACE_BATCH)],
                )
                barrier.wait(_TIMEOUT_SECONDS)
                try:
                    store.append([AppendBatch(code, len(stream), records)])
                    report["races"].append("won")
                except ConcurrencyConflict as conflict:
                    report["races"].append(f"conflict:{conflict.project_code}")
                barrier.wait(_TIMEOUT_SECONDS)
            for index in range(count):
                for _attempt in range(_MAX_RETRIES_PER_RECORD):
                    stream = store.read_stream(code)
                    records = chain_after(stream, [violation(code, f"{label}-{index}")])
                    try:
                        store.append([AppendBatch(code, len(stream), records)])
                        break
                    except ConcurrencyConflict:
                        report["retries"] += 1
                else:
                    raise RuntimeError(f"{label}: record {index} lost every race")
        finally:
            store.close()
    except BaseException:
        report["error"] = traceback.format_exc()
        barrier.abort()  # release the other writer at once instead of after the timeout
    results.put(report)


def run_writers(
    opener: Opener, code: str, labels: tuple[str, ...], rounds: int, count: int
) -> list[WriterReport]:
    """Run one :func:`race_and_contend` process per label and collect their reports."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(labels))
    results = context.Queue()
    processes = [
        context.Process(
            target=race_and_contend,
            args=(opener, code, label, rounds, count, barrier, results),
            name=f"dautu-kit-writer-{label}",
        )
        for label in labels
    ]
    for process in processes:
        process.start()
    reports: list[WriterReport] = []
    deadline = time.monotonic() + _TIMEOUT_SECONDS * 2
    try:
        while len(reports) < len(labels) and time.monotonic() < deadline:
            try:
                reports.append(results.get(timeout=1.0))
            except queue.Empty:
                if not any(process.is_alive() for process in processes) and results.empty():
                    break
    finally:
        for process in processes:
            process.join(_TIMEOUT_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
    for process in processes:
        if process.exitcode != 0:
            reports.append(
                {
                    "label": process.name,
                    "races": [],
                    "retries": 0,
                    "error": f"writer process exited with code {process.exitcode}",
                }
            )
    return reports


def open_elsewhere(opener: Opener, code: str, append: bool, results: Any) -> None:
    """Body of a process that opens the storage once (a store declared
    ``one_process_at_a_time``): report ``refused`` (a ``StorageError``: the storage is held by
    another process), ``opened`` with the versions it read and, if ``append``, after appending
    one record, or ``error`` with a traceback."""
    report: dict[str, Any] = {"outcome": "error", "detail": "", "versions": None}
    try:
        try:
            store = opener()
        except StorageError as exc:
            report |= {"outcome": "refused", "detail": f"{type(exc).__name__}: {exc}"}
        else:
            try:
                stream = store.read_stream(code)
                report["versions"] = len(stream)
                if append:
                    records = chain_after(stream, [violation(code, "second-process")])
                    store.append([AppendBatch(code, len(stream), records)])
                report["outcome"] = "opened"
            finally:
                store.close()
    except BaseException:
        report |= {"outcome": "error", "detail": traceback.format_exc()}
    results.put(report)


def run_in_other_process(opener: Opener, code: str, *, append: bool) -> dict[str, Any]:
    """Run :func:`open_elsewhere` in a fresh process; a process that has not answered within
    the kit's bound is killed and reported as ``hung``."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(
        target=open_elsewhere, args=(opener, code, append, results), name="dautu-kit-second"
    )
    process.start()
    try:
        report: dict[str, Any] = results.get(timeout=_TIMEOUT_SECONDS)
    except queue.Empty:
        report = {"outcome": "hung", "detail": f"no answer within {_TIMEOUT_SECONDS:.0f} s"}
    finally:
        process.join(_TIMEOUT_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
    return report
