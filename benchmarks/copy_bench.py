#!/usr/bin/env python3
"""Copy benchmark: ``dautu copy`` of 1,000,000 records from SQLite to PostgreSQL, against a
plain ``COPY`` and a plain ``executemany`` of the same rows, in one run.

    DAUTU_BENCH_POSTGRES_URL=postgresql://dautu@127.0.0.1:5440/bench \\
        .venv/bin/python benchmarks/copy_bench.py                   # 1,000,000 records
    .venv/bin/python benchmarks/copy_bench.py --records 100000 --json --postgres URL

What is measured, on the same source and the same PostgreSQL database:

- source: ``--records`` chained records, 20 per project, 1,000 projects interleaved at a time
  (the byte templates of ``verify_bench.generate``, checked against ``make_record``), written
  into a SQLite store in the rows eventsourcing's SQLite recorder writes (one plain
  ``executemany`` after the store created its tables: a million ``append`` calls would take
  longer than the benchmark); the store reads them back as it reads its own (checked);
- ``dautu copy``: :func:`dautu_adapters.copying.copy_store` from that store into an empty
  PostgreSQL store (a schema of its own), ``--batch-size`` records per transaction, exactly
  what ``dautu copy --from sqlite:///... --to postgresql://...`` runs;
- baseline ``COPY``: the same rows read from the SQLite file with ``sqlite3`` (``rowid``,
  originator id, version, topic, state) and written with psycopg's ``COPY ... FROM STDIN``
  into a table of the same layout as eventsourcing's (uuid, bigint, text, bytea, the
  notification id given explicitly, the same primary key and unique index), one transaction
  per batch of the same size;
- baseline ``executemany``: the same with ``cursor.executemany(INSERT ...)``.

It prints records/s of each and the ratio of the copy's time to each baseline's (wall time;
the CPU time of this process is printed too, the server's is not in it), and the machine's
one-minute load average at the end of each phase. The ``COPY`` baseline runs first and again
last, so that a change of load on a shared machine during the run shows. After the copy the
target is checked to hold the source's log (``check_prefix``: full comparison, not timed).
Not a test: the figures depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify_bench import _check_templates, generate

from dautu_adapters.copying import DEFAULT_BATCH_RECORDS, check_prefix, copy_store
from dautu_adapters.stores import open_store, stream_id
from dautu_core.record import StoredRecord

POSTGRES_ENV = "DAUTU_BENCH_POSTGRES_URL"


def build_source(path: Path, records: Sequence[StoredRecord]) -> None:
    """A SQLite store holding ``records`` at their positions, in eventsourcing's row layout."""
    open_store(f"sqlite:///{path}").close()  # the store creates its tables
    sids = {code: stream_id(code).hex for code in {r.project_code for r in records}}
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            ((r.position, sids[r.project_code], r.version, r.type_name, r.data) for r in records),
        )
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.max_position() == len(records)
        for at in (0, len(records) // 2, len(records) - 1):
            (read,) = store.read_log(after_position=at, limit=1)
            assert read == records[at], "the store reads the rows back as its own"
    finally:
        store.close()


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_copy(source: Path, target_url: str, batch: int) -> tuple[float, float]:
    src, dst = open_store(f"sqlite:///{source}"), open_store(target_url)
    try:
        timing = _timed(lambda: copy_store(src, dst, batch_records=batch))
        assert check_prefix(src, dst) == src.max_position() == dst.max_position()
        return timing
    finally:
        src.close()
        dst.close()


def _baseline_table(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> sql.Composed:
    table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier("baseline_events"))
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
            "topic text, state bytea, notification_id bigint NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))"
        ).format(table)
    )
    conn.execute(sql.SQL("CREATE UNIQUE INDEX ON {} (notification_id ASC)").format(table))
    conn.commit()
    return table


def _rows(source: Path, batch: int) -> Callable[[], list[tuple[object, ...]]]:
    """Pages of the source's rows, as the copy reads them: by position, ``batch`` at a time."""
    conn = sqlite3.connect(source)
    last = [0]

    def page() -> list[tuple[object, ...]]:
        rows = conn.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last[0], batch),
        ).fetchall()
        if rows:
            last[0] = rows[-1][0]
        return [(uuid.UUID(r[1]), r[2], r[3], r[4], r[0]) for r in rows]

    return page


def bench_baseline(source: Path, server: str, batch: int, how: str) -> tuple[float, float]:
    schema = f"bench_{how}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server) as conn:
        table = _baseline_table(conn, schema)
        columns = sql.SQL("(originator_id, originator_version, topic, state, notification_id)")
        insert = sql.SQL("INSERT INTO {} {} VALUES (%s, %s, %s, %s, %s)").format(table, columns)
        copy = sql.SQL("COPY {} {} FROM STDIN").format(table, columns)
        page = _rows(source, batch)

        def run() -> None:
            while rows := page():
                with conn.transaction(), conn.cursor() as cursor:
                    if how == "executemany":
                        cursor.executemany(insert, rows)
                    else:
                        with cursor.copy(copy) as out:
                            for row in rows:
                                out.write_row(row)

        try:
            return _timed(run)
        finally:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            conn.commit()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", "-n", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_RECORDS)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(POSTGRES_ENV) or os.environ.get("DAUTU_TEST_POSTGRES_URL"),
        metavar="URL",
        help=f"PostgreSQL server (default ${POSTGRES_ENV}, else $DAUTU_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON summary line")
    args = parser.parse_args(argv)
    if not args.postgres:
        parser.error(f"a PostgreSQL server is needed: --postgres URL or ${POSTGRES_ENV}")
    server = args.postgres.partition("?")[0]

    _check_templates()
    began = time.perf_counter()
    records = generate(args.records)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.db"
        build_source(source, records)
        projects = len({r.project_code for r in records})
        del records
        prepared = time.perf_counter() - began
        # The baseline COPY runs before and after the copy: on a machine shared with other
        # work, the load can change during a long run, and the two bracket it.
        phases: dict[str, tuple[float, float, float]] = {}

        def phase(name: str, run: Callable[[], tuple[float, float]]) -> None:
            wall, cpu = run()
            phases[name] = (wall, cpu, os.getloadavg()[0])

        phase("copy_before", lambda: bench_baseline(source, server, args.batch_size, "COPY"))
        phase("executemany", lambda: bench_baseline(source, server, args.batch_size, "executemany"))
        schema = f"bench_copy_{uuid.uuid4().hex[:8]}"
        try:
            phase("dautu_copy", lambda: bench_copy(source, f"{server}?schema={schema}",
                                                   args.batch_size))  # fmt: skip
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(schema)))  # fmt: skip
        phase("copy_after", lambda: bench_baseline(source, server, args.batch_size, "COPY"))
    n = args.records
    mine = phases["dautu_copy"][0]
    summary: dict[str, object] = {
        "records": n,
        "projects": projects,
        "batch_size": args.batch_size,
        "source_prepared_s": round(prepared, 2),
    }
    for name, (wall, cpu, load) in phases.items():
        summary |= {
            f"{name}_wall_s": round(wall, 2),
            f"{name}_cpu_s": round(cpu, 2),
            f"{name}_records_per_s": round(n / wall),
            f"{name}_load_average": round(load, 2),
        }
        if name != "dautu_copy":
            summary[f"ratio_dautu_copy_to_{name}"] = round(mine / wall, 2)
    if args.json:
        print(json.dumps(summary))
        return 0
    print(
        f"records: {n:,} ({projects:,} projects), SQLite source prepared in {prepared:.1f} s; "
        f"batches of {args.batch_size:,} records, one transaction each; {os.cpu_count()} cores"
    )
    labels = {
        "copy_before": "baseline: sqlite3 + psycopg COPY (before)",
        "executemany": "baseline: sqlite3 + psycopg executemany",
        "dautu_copy": "dautu copy (SQLite store -> PostgreSQL store)",
        "copy_after": "baseline: sqlite3 + psycopg COPY (after)",
    }
    print(f"{'':46}{'wall s':>8}{'cpu s':>8}{'records/s':>12}{'load 1 min':>12}")
    for name, (wall, cpu, load) in phases.items():
        print(f"{labels[name]:46}{wall:8.2f}{cpu:8.2f}{round(n / wall):>12,}{load:>12.1f}")
    for name, (wall, _, _) in phases.items():
        if name != "dautu_copy":
            print(f"ratio dautu copy / {labels[name].removeprefix('baseline: ')}: "
                  f"{mine / wall:.2f}x (wall time)")  # fmt: skip
    print("target checked after the copy: it holds the source's log, record for record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
