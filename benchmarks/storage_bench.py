#!/usr/bin/env python3
"""Storage benchmark: dautu against the baselines it is built on, in one run on the same data.

    python benchmarks/storage_bench.py            # human-readable lines
    python benchmarks/storage_bench.py --json     # ... and a final one-line JSON summary
    python benchmarks/storage_bench.py --only a   # one section (or several: --only ab)

(a) bulk append of 100,000 events (10,000 projects of 10: an approval, then delays and
    violations found, sanctioned and remedied) into an SQLite file, 10,000 events (1,000
    projects) per call, two ways through dautu: ``ProjectService.execute_batch`` on the
    commands (decide, encode, hash, append: what an import does) and ``RecorderStore.append``
    on records built in advance (the storage layer alone); vs eventsourcing's own full path
    (an ``Aggregate`` whose ``@event`` command methods take the same payloads, saved by
    ``Application.save``: create the events, encode them, insert them), eventsourcing's SQLite
    application recorder given the same ``StoredEvent`` rows, and plain ``sqlite3``
    ``executemany`` into the same table layout. All SQLite files in WAL mode with SQLite's
    default ``synchronous``.
(b) rebuilding one project of 10,000 events: ``ProjectService.load`` (read, check the hash
    chain, decode, fold; records the chain vouches for are decoded without re-validating, see
    ``ProjectService.snapshot``) vs eventsourcing's ``Application.repository.get`` of an
    aggregate with 10,000 events carrying the same payloads, both on SQLite files.
(c) latency of one command (``ProjectService.execute``) on a project with 100 events: p50 and
    p90, with a long-lived service (warm state cache) and with a new service per command
    (cold: from the project's persisted state, which the first cold command on the project
    saved; that first command is timed on its own), with SQLite's default durability
    (``synchronous=full``: on disk at each commit).
    The same with ``?synchronous=normal`` is printed on a separate line: it is not the
    default (a power cut may lose the last commands).

Targets: (a) the service >= 1.2x eventsourcing's ``Application`` path and the store >= 0.7x
the eventsourcing recorder, (b) at least twice as fast as ``repository.get``,
(c) p50 under 2 ms warm and under 1 ms cold. Not a test: timings depend on
the machine; ratios are what to compare. ``--json`` ends with one line holding every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import attrs
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import Environment

from dautu_adapters.service import SNAPSHOT_EVERY, ProjectService
from dautu_adapters.stores import open_store, stream_id
from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.codec import event_to_data
from dautu_core.dates import VIETNAM_TIME
from dautu_core.decider import run
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import GENESIS, make_record, record_hash
from dautu_core.testing.samples import sample_approval, sample_envelope
from dautu_core.values import Authority, DocumentRef, LegalBasis, Money
from dautu_core.vocab import AuthorityLevel, ViolationCategory

DEPARTMENT = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
PROVINCE = Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
BASIS = (LegalBasis(instrument="61/2020/QH14", article="41", clause="4"),)
APPROVED_ON = date(2022, 1, 1)
T = TypeVar("T")
REBUILD_TARGET = 2.0
"""(b): dautu's rebuild speed over ``repository.get``'s."""
WARM_TARGET_MS = 2.0
COLD_TARGET_MS = 1.0
"""(c): p50 of one command, long-lived service and new service per command."""
BEHIND = SNAPSHOT_EVERY - 2
"""(c): the most records a cold command folds past the persisted state without saving it again
(folding one more, its command would save the state it leads to: ``snapshot_every``)."""


# --- data -------------------------------------------------------------------------------------


def envelope(code: str, n: int) -> dict[str, Any]:
    return sample_envelope(
        code,
        APPROVED_ON + timedelta(days=n // 10),
        recorded_at=datetime(2024, 2, 21, 9, 0, tzinfo=VIETNAM_TIME) + timedelta(seconds=n),
        legal_basis=BASIS,
    )


def project_life(code: str, events: int, violation_every: int = 20) -> list[ev.ProjectEvent]:
    """The events of :func:`project_commands`, decided by the real rules."""
    _, produced = run(project_commands(code, events, violation_every))
    return produced


def project_commands(code: str, events: int, violation_every: int = 20) -> list[cmd.Command]:
    """``events`` commands of one event each, a valid life: an approval (the sample project of
    :mod:`dautu_core.testing.samples`), then inspections that record delays, and every
    ``violation_every`` commands a violation that is found, sanctioned and remedied (so the
    project accumulates ``events / violation_every`` violations, as a long-troubled project
    would; use a small value to stress the fold)."""
    commands: list[cmd.Command] = [sample_approval(code, APPROVED_ON)]
    cycle = max(violation_every, 4)
    n = 1
    while len(commands) < events:
        v = f"BB-{n:05d}"
        step: list[cmd.Command] = [
            cmd.RecordDelay(
                **envelope(code, n + i),
                milestone="operation_start",
                reason=f"Kiểm tra lần {n + i}: chưa hoàn thành giải phóng mặt bằng",
                found_by=DEPARTMENT,
            )
            for i in range(cycle - 3)
        ]
        step += [
            cmd.RecordViolation(
                **envelope(code, n + cycle - 3),
                violation_id=v,
                category=ViolationCategory.INVESTMENT,
                description=f"Chậm tiến độ đưa dự án vào hoạt động (biên bản {v})",
                found_by=DEPARTMENT,
            ),
            cmd.SanctionViolation(
                **envelope(code, n + cycle - 2),
                violation_id=v,
                sanctioning_authority=PROVINCE,
                decision=DocumentRef(number=f"{n}/QĐ-XPHC", issued_on=date(2022, 1, 1)),
                fine=Money(70_000_000),
            ),
            cmd.RemedyViolation(
                **envelope(code, n + cycle - 1),
                violation_id=v,
                description="Nhà đầu tư đã nộp phạt và cam kết tiến độ",
            ),
        ]
        commands += step[: events - len(commands)]
        n += cycle
    return commands


def chained(events: Sequence[ev.ProjectEvent]) -> list[NewRecord]:
    records, prev = [], GENESIS
    for item in events:
        data = make_record(item, prev)
        prev = record_hash(data)
        records.append(NewRecord(item.TYPE_NAME, data))
    return records


def many_projects(
    projects: int, events_each: int, violation_every: int = 5
) -> list[tuple[list[cmd.Command], AppendBatch]]:
    """Each project's commands, and the records they decide (one event per command)."""
    commands = project_commands("TEMPLATE", events_each, violation_every)
    _, events = run(commands)
    assert len(events) == len(commands)
    out = []
    for code in (f"05{i:08d}" for i in range(projects)):
        mine = [attrs.evolve(c, project_code=code) for c in commands]
        records = chained([attrs.evolve(e, project_code=code) for e in events])
        out.append((mine, AppendBatch(code, 0, records)))
    return out


# --- timing -----------------------------------------------------------------------------------


def timed(action: Callable[..., object], *args: Any) -> float:
    """Seconds ``action(*args)`` took."""
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def _hex(originator_id: Any) -> str:
    """An originator id as eventsourcing's SQLite recorder stores it (a UUID's hex)."""
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def chunks(items: list[T], size: Callable[[T], int], per_call: int) -> list[list[T]]:
    """``items`` in calls of about ``per_call`` events (``size(item)`` events each)."""
    out: list[list[T]] = [[]]
    count = 0
    for item in items:
        if count >= per_call:
            out.append([])
            count = 0
        out[-1].append(item)
        count += size(item)
    return out


WRITERS = ("service", "dautu", "application", "eventsourcing", "sqlite3")
"""(a)'s writers: dautu's service, dautu's store, eventsourcing's ``Application.save`` of
aggregates, eventsourcing's recorder, plain sqlite3."""


def bench_bulk(
    folder: Path,
    projects: list[tuple[list[cmd.Command], AppendBatch]],
    per_call: int,
    rotation: int = 0,
) -> dict[str, float]:
    """Time the writers; ``rotation`` changes which runs first (disk caches warm up)."""
    grouped = chunks(projects, lambda p: len(p[1].records), per_call)
    calls = [[batch for _, batch in call] for call in grouped]
    decisions = [[c for commands, _ in call for c in commands] for call in grouped]
    total = sum(len(b.records) for _, b in projects)
    rows = [
        [
            StoredEvent(stream_id(b.project_code), v, r.type_name, r.data)
            for b in call
            for v, r in enumerate(b.records, start=1)
        ]
        for call in calls
    ]
    payloads = [
        [[(r.type_name, _jsonable(json.loads(r.data)["data"])) for r in b.records] for b in call]
        for call in calls
    ]
    # The inputs just prepared (rows, payloads) stay alive while every writer runs: set aside
    # from the collector, as the projects are in main, so that no writer's full collections
    # walk the other writers' inputs.
    gc.collect()
    gc.freeze()

    def service() -> float:
        # What an import does: decide each command, encode and hash its record, append.
        store = open_store(f"sqlite:///{folder / 'a-service.db'}")
        service = ProjectService(store)
        spent = sum(timed(service.execute_batch, c) for c in decisions)
        assert store.max_position() == total
        store.close()
        return spent

    def dautu() -> float:
        store = open_store(f"sqlite:///{folder / 'a-dautu.db'}")
        spent = sum(timed(store.append, call) for call in calls)
        assert store.max_position() == total
        store.close()
        return spent

    def application() -> float:
        # eventsourcing's full path: aggregates built by their @event command methods from
        # the same payloads (prepared in advance, as the service's commands are), then
        # Application.save (event objects, mapper, transcoder, recorder) of each call's set.
        app: Application[UUID] = Application(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(folder / "a-app.db"),
            }
        )

        def save(call: list[list[tuple[str, dict[str, Any]]]]) -> None:
            aggregates = []
            for life in call:
                (_, first), *rest = life
                aggregate = ProjectAggregate(first)
                for type_name, data in rest:
                    getattr(aggregate, AGGREGATE_METHODS[type_name])(data)
                aggregates.append(aggregate)
            app.save(*aggregates)

        spent = sum(timed(save, c) for c in payloads)
        assert app.recorder.max_notification_id() == total
        app.close()
        return spent

    def eventsourcing() -> float:
        # eventsourcing's own SQLite application recorder, given the same rows.
        factory = SQLiteFactory(
            Environment(env={"SQLITE_DBNAME": str(folder / "a-es.db"), "PERSISTENCE_MODULE": "-"})
        )
        recorder = factory.application_recorder()
        spent = sum(timed(recorder.insert_events, r) for r in rows)
        assert recorder.max_notification_id() == total
        factory.close()
        return spent

    def plain_sqlite3() -> float:
        # The same table layout, WAL mode, one executemany per call.
        conn = sqlite3.connect(folder / "a-sqlite3.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )
        params = [
            [(_hex(s.originator_id), s.originator_version, s.topic, s.state) for s in r]
            for r in rows
        ]

        def insert(p: list[tuple[str, int, str, bytes]]) -> None:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)", p)
            conn.execute("COMMIT")

        spent = sum(timed(insert, p) for p in params)
        conn.close()
        return spent

    writers = list(
        zip(WRITERS, (service, dautu, application, eventsourcing, plain_sqlite3), strict=True)
    )
    writers = writers[rotation % len(writers) :] + writers[: rotation % len(writers)]
    result = {"events": float(total)}
    for name, writer in writers:
        result[f"{name}_s"] = writer()
    return result


class ProjectAggregate(Aggregate):
    """The eventsourcing equivalent of a dautu project: the same payloads, the same
    bookkeeping (delays by milestone, violations by id), written the idiomatic eventsourcing
    way (an aggregate mutated in place)."""

    @event("ProjectApproved")
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.delays: dict[str, str] = {}
        self.violations: dict[str, dict[str, Any]] = {}

    @event("DelayRecorded")
    def delay_recorded(self, data: dict[str, Any]) -> None:
        self.delays[data["milestone"]] = data["effective_date"]

    @event("ViolationFound")
    def violation_found(self, data: dict[str, Any]) -> None:
        self.violations[data["violation_id"]] = {"found": data}

    @event("ViolationSanctioned")
    def violation_sanctioned(self, data: dict[str, Any]) -> None:
        self.violations[data["violation_id"]]["fine"] = data

    @event("ViolationRemedied")
    def violation_remedied(self, data: dict[str, Any]) -> None:
        self.violations[data["violation_id"]]["remedy"] = data


AGGREGATE_METHODS = {
    "dautu.DelayRecorded": "delay_recorded",
    "dautu.ViolationFound": "violation_found",
    "dautu.ViolationSanctioned": "violation_sanctioned",
    "dautu.ViolationRemedied": "violation_remedied",
}
"""The :class:`ProjectAggregate` command method of each event type after the approval."""


def bench_rebuild(folder: Path, events: int, repeat: int, violation_every: int) -> dict[str, float]:
    """Best of ``repeat`` rebuilds each, dautu and eventsourcing taking turns."""
    life = project_life("2165432100", events, violation_every)

    store = open_store(f"sqlite:///{folder / 'b-dautu.db'}")
    store.append([AppendBatch("2165432100", 0, chained(life))])

    app: Application[UUID] = Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "b.db")}
    )
    first, *rest = (event_to_data(item) for item in life)
    aggregate = ProjectAggregate(_jsonable(first))
    for item, data in zip(life[1:], rest, strict=True):
        getattr(aggregate, AGGREGATE_METHODS[item.TYPE_NAME])(_jsonable(data))
    app.save(aggregate)

    dautu, es = [], []
    for _ in range(repeat):
        service = ProjectService(store)  # a new service: nothing cached
        dautu.append(timed(service.load, "2165432100"))
        es.append(timed(app.repository.get, aggregate.id))
    assert ProjectService(store).load("2165432100").version == events
    assert app.repository.get(aggregate.id).version == events
    store.close()
    app.close()
    return {"events": events, "dautu_s": min(dautu), "eventsourcing_s": min(es)}


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(json.dumps(data))
    return value


def bench_latency(folder: Path, history: int, runs: int, synchronous: str) -> dict[str, float]:
    """p50/p90 of ``ProjectService.execute`` on projects of ``history`` events.

    *warm*: one long-lived service (its state cache holds the project), as in a portal.
    *cold*: a new service for each command on another project, as in a one-shot script, twice
    per project: *first* when the project has no persisted state (its records were appended
    by the store directly: the whole history is folded, and the command saves the state it
    leads to, a second commit), then *cold* when it has one (written by the first command:
    the state is read, checked against the record at its version, and no record is folded),
    then *behind* after a writer that saves no state added ``BEHIND - 1`` more records (the
    cold command folds ``BEHIND`` records past the persisted state, the most it folds without
    saving it again).
    Each warm command is preceded by one bare ``sqlite3`` commit of a one-row insert into
    another file with the same settings, so the disk's flush cost is measured alongside.
    """
    query = "" if synchronous == "full" else f"?synchronous={synchronous}"
    store = open_store(f"sqlite:///{folder / f'c-dautu-{synchronous}.db'}{query}")
    cold_runs = min(runs, 50)
    codes = ["2165432100", *(f"05{i:08d}" for i in range(cold_runs))]
    life = project_life("TEMPLATE", history)
    store.append(
        [
            AppendBatch(code, 0, chained([attrs.evolve(e, project_code=code) for e in life]))
            for code in codes
        ]
    )

    def command(code: str, i: int) -> cmd.RecordDelay:
        return cmd.RecordDelay(
            **envelope(code, 100_000 + i),
            milestone="operation_start",
            reason=f"Kiểm tra đột xuất lần {i}",
            found_by=DEPARTMENT,
        )

    bare = sqlite3.connect(folder / f"c-bare-{synchronous}.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute(f"PRAGMA synchronous={synchronous}")
    bare.execute("CREATE TABLE t (x INTEGER)")

    def bare_commit(i: int) -> None:
        bare.execute("BEGIN")
        bare.execute("INSERT INTO t VALUES (?)", (i,))
        bare.execute("COMMIT")

    warm_service = ProjectService(store)
    warm_service.load(codes[0])

    def warm_command(n: int) -> None:
        warm_service.execute(command(codes[0], n))

    def cold_command(code: str, n: int) -> None:
        ProjectService(store).execute(command(code, n))

    warm: list[float] = []
    flush: list[float] = []
    for i in range(runs):
        flush.append(timed(bare_commit, i))
        warm.append(timed(warm_command, i))
    first = [timed(cold_command, code, 0) for code in codes[1:]]
    cold = [timed(cold_command, code, 1) for code in codes[1:]]
    # The persisted states left BEHIND records behind (the command above wrote one) by a
    # writer that saves none: the most a cold command folds without saving the state again.
    quiet = ProjectService(store, snapshot_every=None)
    for code in codes[1:]:
        quiet.execute_batch([command(code, 2 + i) for i in range(BEHIND - 1)])
    behind = [timed(cold_command, code, 1 + BEHIND) for code in codes[1:]]
    bare.close()
    store.close()
    return {
        "warm_p50_ms": statistics.median(warm) * 1000,
        "warm_p90_ms": statistics.quantiles(warm, n=10)[-1] * 1000,
        "cold_p50_ms": statistics.median(cold) * 1000,
        "cold_p90_ms": statistics.quantiles(cold, n=10)[-1] * 1000,
        "cold_first_p50_ms": statistics.median(first) * 1000,
        "cold_behind_p50_ms": statistics.median(behind) * 1000,
        "sqlite3_commit_p50_ms": statistics.median(flush) * 1000,
    }


def section_a(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """(a): prepare the projects, run the writers ``args.repeat`` times, print and summarise."""
    print("preparing data...", flush=True)
    projects = many_projects(args.events // args.per_project, args.per_project)
    # The prepared commands and records stay alive for the whole run: set aside from the
    # collector, so that no writer pays for walking them in its full collections.
    gc.collect()
    gc.freeze()
    runs = []
    for i in range(args.repeat):
        sub = folder / f"a{i}"
        sub.mkdir()
        runs.append(bench_bulk(sub, projects, args.per_call, rotation=i))
    a = {k: min(r[k] for r in runs) for k in runs[0]}
    a_rate = {k: a["events"] / a[f"{k}_s"] for k in WRITERS}
    a_ratio = {k: a_rate[k] / a_rate["eventsourcing"] for k in ("service", "dautu")}
    a_app = a_rate["service"] / a_rate["application"]
    print(
        f"(a) bulk append {a['events']:,.0f} events, {args.per_call:,} per call: "
        f"dautu service.execute_batch (decide + encode + hash + append) "
        f"{a_rate['service']:,.0f} ev/s = {a_app:.2f}x eventsourcing Application.save "
        f"{a_rate['application']:,.0f} ev/s (target >= 1.20x: {_met(a_app >= 1.2)}), "
        f"{a_ratio['service']:.2f}x the recorder; "
        f"dautu store.append (records built in advance) {a_rate['dautu']:,.0f} ev/s = "
        f"{a_ratio['dautu']:.2f}x; eventsourcing recorder {a_rate['eventsourcing']:,.0f} "
        f"ev/s = 1.00x (target >= 0.70x); sqlite3 executemany {a_rate['sqlite3']:,.0f} ev/s",
        flush=True,
    )
    return {
        "events": int(a["events"]),
        "events_per_call": args.per_call,
        "events_per_s": {k: round(v) for k, v in a_rate.items()},
        "seconds": {k: round(a[f"{k}_s"], 3) for k in WRITERS},
        "ratio_vs_eventsourcing": {k: round(v, 3) for k, v in a_ratio.items()},
        "ratio_vs_sqlite3": {
            k: round(a_rate[k] / a_rate["sqlite3"], 3) for k in ("service", "dautu")
        },
        "service_vs_application": round(a_app, 3),
        "target_met": {"service": a_app >= 1.2, "dautu": a_ratio["dautu"] >= 0.7},
    }


def section_b(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """(b): rebuild one long project, print and summarise."""
    b = bench_rebuild(folder, args.rebuild, max(2 * args.repeat, 5), args.violation_every)
    b_ratio = b["eventsourcing_s"] / b["dautu_s"]
    print(
        f"(b) rebuild {b['events']:,} events (a violation every {args.violation_every}): "
        f"dautu load {b['dautu_s'] * 1000:.0f} ms ({b['events'] / b['dautu_s']:,.0f} ev/s), "
        f"eventsourcing repository.get {b['eventsourcing_s'] * 1000:.0f} ms "
        f"({b['events'] / b['eventsourcing_s']:,.0f} ev/s); dautu speed = {b_ratio:.2f}x "
        f"repository.get (target >= 2.00x: {_met(b_ratio >= REBUILD_TARGET)})",
        flush=True,
    )
    return {
        "events": b["events"],
        "violation_every": args.violation_every,
        "dautu_ms": round(b["dautu_s"] * 1000, 1),
        "eventsourcing_ms": round(b["eventsourcing_s"] * 1000, 1),
        "speed_vs_repository_get": round(b_ratio, 3),
        "target_met": b_ratio >= REBUILD_TARGET,
    }


def section_c(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """(c): latency of one command at both durabilities, print and summarise."""
    c_full = bench_latency(folder, args.history, args.runs, "full")
    c_normal = bench_latency(folder, args.history, args.runs, "normal")
    for label, c in (
        ("SQLite default durability (synchronous=full)", c_full),
        (
            "NOT the default: ?synchronous=normal, a power cut may lose the last commands",
            c_normal,
        ),
    ):
        print(
            f"(c) one command on a {args.history}-event project, {label}: p50 "
            f"{c['warm_p50_ms']:.2f} ms warm (long-lived service; p90 {c['warm_p90_ms']:.2f}), "
            f"p50 {c['cold_p50_ms']:.2f} ms cold (new service per command; p90 "
            f"{c['cold_p90_ms']:.2f}; p50 {c['cold_behind_p50_ms']:.2f} ms with the persisted "
            f"state {BEHIND} records behind, {c['cold_first_p50_ms']:.2f} ms for the first "
            "cold command, which folds the history and saves the state); target p50 warm < 2 ms: "
            f"{_met(c['warm_p50_ms'] < WARM_TARGET_MS)}, cold < 1 ms: "
            f"{_met(c['cold_p50_ms'] < COLD_TARGET_MS)}; a bare "
            f"sqlite3 commit takes p50 {c['sqlite3_commit_p50_ms']:.2f} ms on this disk",
            flush=True,
        )
    return {
        "c_latency": _latency_summary(args.history, c_full),
        "c_latency_synchronous_normal_not_default": _latency_summary(args.history, c_normal),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="(a) events to append")
    parser.add_argument("--per-project", type=int, default=10, help="(a) events per project")
    parser.add_argument("--per-call", type=int, default=10_000, help="(a) events per append")
    parser.add_argument("--rebuild", type=int, default=10_000, help="(b) events in the project")
    parser.add_argument(
        "--violation-every",
        type=int,
        default=20,
        help="(b) one violation (found, sanctioned, remedied) per this many events",
    )
    parser.add_argument("--history", type=int, default=100, help="(c) events before the command")
    parser.add_argument("--runs", type=int, default=200, help="(c) commands timed")
    parser.add_argument("--repeat", type=int, default=3, help="(a, b) runs; the best counts")
    parser.add_argument("--json", action="store_true", help="print a final JSON summary line")
    parser.add_argument(
        "--only",
        default="abc",
        help="the sections to run, e.g. 'a' or 'bc' (default: all); the summary has only those",
    )
    args = parser.parse_args(argv)
    if not args.only or set(args.only) - set("abc"):
        parser.error("--only takes letters among a, b, c")

    print(f"cores: {os.cpu_count()}  python {sys.version.split()[0]}", flush=True)
    summary: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="dautu-bench-") as tmp:
        folder = Path(tmp)
        if "a" in args.only:
            summary["a_bulk_append"] = section_a(folder, args)
        # Whatever was prepared stays alive to the end. Left to the collector, each full
        # collection during (b) and (c) walks all of it, and where one fell (in a dautu
        # rebuild or in an eventsourcing one) decided the comparison. It is set aside.
        gc.collect()
        gc.freeze()
        if "b" in args.only:
            summary["b_rebuild"] = section_b(folder, args)
        if "c" in args.only:
            summary.update(section_c(folder, args))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


def _latency_summary(history: int, c: dict[str, float]) -> dict[str, Any]:
    return {
        "history_events": history,
        **{k: round(v, 3) for k, v in c.items()},
        "target_met": {
            "warm": c["warm_p50_ms"] < WARM_TARGET_MS,
            "cold": c["cold_p50_ms"] < COLD_TARGET_MS,
        },
    }


if __name__ == "__main__":
    sys.exit(main())
