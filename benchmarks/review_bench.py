#!/usr/bin/env python3
"""Benchmark: review a synthetic province of 10,000 projects (about 200,000 events) in SQLite.

    .venv/bin/python benchmarks/review_bench.py                    # 10,000 projects
    .venv/bin/python benchmarks/review_bench.py --projects 2000 --json

The province is generated once into a SQLite file (``--db``, default in a temporary folder;
reused when it already holds the same province). Projects live the demo scenario's situations
(:mod:`dautu_adapters.review.situations`) padded with inspection reports to about
``--events`` events each; every command is judged by the decider, records are chained with
``make_record`` and appended in bulk through ``store.append`` (one transaction per 10,000
records, projects interleaved in recorded-time order, as a real log is).

Each measured phase runs in a fresh process, so its peak memory (``ru_maxrss``) is its own:

- ``review``: the full review as ``dautu review`` does it from an empty checkpoint: read the
  log page by page, fold every project's timeline, judge every project as of 21 Feb 2024;
- ``rebuild``: rebuild the portfolio projection from zero and store its checkpoint;
- ``review-from-checkpoint``: the review again, starting from that checkpoint;
- ``baseline``: the straightforward way, for comparison: decode every record into its typed
  event (``StoredRecord.event``), fold each project's :class:`ProjectState` with ``evolve``,
  review the state (``--no-baseline`` skips it).

Targets: a review of 10,000 projects x 20 events in under 2 s and under 200 MB, through the
core's one fold; ``meets_target`` says it for the review from the stored checkpoint (what
``dautu review`` does once the projection exists) and for the review from an empty checkpoint
(the first review of a store). Wall time depends on what else the machine runs, so CPU time
(``cpu_seconds``, this process only) and the load average before the phases are printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dautu_adapters.review.builder import ProjectBuilder, delay, remedy, violation
from dautu_adapters.review.projection import rebuild
from dautu_adapters.review.reviewing import review_store
from dautu_adapters.review.situations import SITUATIONS
from dautu_adapters.stores import open_store
from dautu_core import commands as cmd
from dautu_core.decider import decide
from dautu_core.errors import RuleViolation
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.projections import PortfolioProjection
from dautu_core.record import GENESIS, make_record, record_hash
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, review_project
from dautu_core.rulebook import BUILTIN_RULEBOOKS
from dautu_core.state import ProjectState, evolve
from dautu_core.vocab import MilestoneKind, ViolationCategory

AS_OF = date(2024, 2, 21)
CHUNK = 10_000
PAGE = 10_000
TARGET_SECONDS = 2.0
TARGET_MB = 200.0


# --- generation (not timed against the targets) -----------------------------------------------


def _padding(p: ProjectBuilder, state: ProjectState, count: int) -> None:
    """Inspection reports after the situation's story: delays of the milestones still unmet,
    or (when all are met) reporting violations found and remedied."""
    assert state.approved_on is not None and state.schedule is not None
    unmet = [k for k in state.schedule.keys if k not in state.milestones_met]
    span = (date(2024, 2, 20) - state.approved_on).days
    days = sorted(p.rng.randint(1, max(span, 1)) for _ in range(count))
    for n, offset in enumerate(days):
        on = state.approved_on + timedelta(days=offset)
        if unmet:
            delay(p, MilestoneKind(p.rng.choice(unmet)), on, "Kiểm tra định kỳ: chưa đạt tiến độ")
        elif n % 2 == 0:
            violation(
                p, f"VP-KT-{n:02d}", on, ViolationCategory.REPORTING, "Chậm nộp báo cáo định kỳ"
            )
        else:
            remedy(p, f"VP-KT-{n - 1:02d}", on, "Đã nộp báo cáo")


def _project(number: int, rng: random.Random, events: int) -> list[tuple[str, str, bytes]]:
    """One project's records as ``(recorded_at, type name, record bytes)``, judged and chained."""
    situations = [s for s, count in SITUATIONS for _ in range(count)]
    p = ProjectBuilder(f"SP-{number:05d}", number, rng)
    rng.choice(situations)(p)
    state = ProjectState()
    out: list[tuple[str, str, bytes]] = []
    prev = GENESIS

    def judge(commands: list[cmd.Command]) -> None:
        nonlocal state, prev
        for command in commands:
            try:
                produced = decide(command, state, BUILTIN_RULEBOOKS)
            except RuleViolation:
                continue
            for event in produced:
                state = evolve(state, event)
                data = make_record(event, prev)
                prev = record_hash(data)
                out.append((event.recorded_at.isoformat(), event.TYPE_NAME, data))

    judge(p.commands)
    if state.status is not None and state.terminated_on is None:
        start = len(p.commands)
        _padding(p, state, max(0, events - len(out)))
        judge(p.commands[start:])
    return out


def generate(db: Path, projects: int, events: int, seed: int) -> int:
    """Write the province into ``db`` in bulk; returns the number of records."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, int, str, bytes]] = []
    for number in range(1, projects + 1):
        code = f"SP-{number:05d}"
        records = _project(number, random.Random(rng.getrandbits(64)), events)
        for version, (recorded, type_name, data) in enumerate(records, start=1):
            rows.append((recorded, code, version, type_name, data))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    store = open_store(f"sqlite:///{db}")
    try:
        heads: dict[str, int] = {}
        for start in range(0, len(rows), CHUNK):
            grouped: dict[str, list[NewRecord]] = {}
            for _, code, _version, type_name, data in rows[start : start + CHUNK]:
                grouped.setdefault(code, []).append(NewRecord(type_name, data))
            batches = []
            for code, new in grouped.items():
                batches.append(AppendBatch(code, heads.get(code, 0), tuple(new)))
                heads[code] = heads.get(code, 0) + len(new)
            store.append(batches)
    finally:
        store.close()
    return len(rows)


# --- measured phases (each in its own process) -------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, db: Path) -> dict[str, Any]:
    store = open_store(f"sqlite:///{db}")
    try:
        events = store.max_position()
        started = time.perf_counter()
        cpu_started = time.process_time()
        if name == "review":
            review = review_store(
                store,
                AS_OF,
                rulebooks=BUILTIN_REVIEW_RULEBOOKS,
                from_zero=True,
                save_checkpoint=False,
            )
            counts = {t.value: n for t, n in review.counts.items()}
        elif name == "rebuild":
            caught_up = rebuild(store, PortfolioProjection())
            counts = {"projects": len(caught_up.portfolio.timelines)}
        elif name == "review-from-checkpoint":
            review = review_store(
                store, AS_OF, rulebooks=BUILTIN_REVIEW_RULEBOOKS, save_checkpoint=False
            )
            counts = {t.value: n for t, n in review.counts.items()}
        elif name == "baseline":
            states: dict[str, ProjectState] = {}
            position = 0
            while True:
                page = store.read_log(after_position=position, limit=PAGE)
                if not page:
                    break
                for record in page:
                    state = states.get(record.project_code, ProjectState())
                    states[record.project_code] = evolve(state, record.event())
                position = page[-1].position
            tracks = Counter(review_project(s, AS_OF).primary_track.value for s in states.values())
            counts = dict(tracks)
        else:
            raise SystemExit(f"unknown phase {name}")
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    finally:
        store.close()
    return {
        "phase": name,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "events": events,
        "events_per_second": round(events / seconds) if seconds else None,
        "peak_rss_mb": round(_peak_mb(), 1),
        "counts": counts,
    }


def _run_phase(name: str, db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=20, help="events per project (about)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (kept if given)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", action="store_true", help="print only a JSON summary line")
    parser.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        print(json.dumps(phase(args.phase, args.db)))
        return 0

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="dautu-review-bench-")
        args.db = Path(tmp.name) / "province.db"
    marker = args.db.with_suffix(".json")
    wanted = {"projects": args.projects, "events": args.events, "seed": args.seed}
    say = (lambda *a: None) if args.json else print
    try:
        if args.db.exists() and marker.exists() and json.loads(marker.read_text()) == wanted:
            say(f"reusing {args.db}")
        else:
            for path in (args.db, marker):
                if path.exists():
                    path.unlink()
            say(f"generating {args.projects} projects into {args.db} ...")
            started = time.perf_counter()
            records = generate(args.db, args.projects, args.events, args.seed)
            marker.write_text(json.dumps(wanted))
            say(f"  {records} records in {time.perf_counter() - started:.1f} s (not measured)")
        load_before = os.getloadavg()[0]
        phases = ["review", "rebuild", "review-from-checkpoint"]
        if not args.no_baseline:
            phases.append("baseline")
        results = {name: _run_phase(name, args.db) for name in phases}
        review = results["review"]
        summary: dict[str, Any] = {
            "benchmark": "review",
            "projects": args.projects,
            "events": review["events"],
            "cpus": os.cpu_count(),
            "load_average_before": round(load_before, 2),
            **{
                f"{name.replace('-', '_')}_{key}": value
                for name, result in results.items()
                for key, value in result.items()
                if key
                in (
                    "seconds",
                    "cpu_seconds",
                    "events_per_second",
                    "peak_rss_mb",
                )
            },
            "review_counts": review["counts"],
            "target_seconds": TARGET_SECONDS,
            "target_mb": TARGET_MB,
            "meets_target": {
                name.replace("-", "_"): results[name]["seconds"] < TARGET_SECONDS
                and results[name]["peak_rss_mb"] < TARGET_MB
                for name in ("review-from-checkpoint", "review")
            },
        }
        if "baseline" in results:
            summary["speedup_vs_baseline"] = round(
                results["baseline"]["seconds"] / review["seconds"], 2
            )
            summary["same_counts_as_baseline"] = results["baseline"]["counts"] == {
                k: v for k, v in review["counts"].items() if v
            }
        if not args.json:
            for name, result in results.items():
                print(
                    f"{name:>24}: {result['seconds']:7.2f} s  (cpu {result['cpu_seconds']:5.2f} s)  "
                    f"{result['events_per_second'] or 0:>9,} events/s  "
                    f"peak {result['peak_rss_mb']:6.1f} MB"
                )
            print(f"review counts as of {AS_OF}: {review['counts']}")
            print(f"load average before the phases: {load_before:.2f} on {os.cpu_count()} CPUs")
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
