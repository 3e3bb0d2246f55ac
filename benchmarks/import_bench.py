#!/usr/bin/env python3
"""Import benchmark: ``dautu import`` of a large workbook against ``execute_batch`` of the same
commands, in one run on the same data.

    python benchmarks/import_bench.py                       # 10,000 projects, 50,000 event rows
    python benchmarks/import_bench.py --projects 2000 --json

The script records ``--projects`` projects of ``--events`` facts each (an approval, then delays
and a violation found, sanctioned and remedied: the mix of the provincial review) into a
memory store, writes them as the import template's workbook (``dautu export workbook``), then
in two fresh child processes, so that each one's peak memory is its own:

* ``import``: the ``dautu import`` command itself on that workbook, into an empty SQLite file
  (read, parse, judge by the rulebooks, write in one transaction);
* ``batch``: ``ProjectService.execute_batch`` of the same commands into an empty SQLite file,
  in one call as the import makes it (decide, encode, hash, append), the baseline.

It prints rows/s and peak resident memory (``ru_maxrss``) of each child, and the ratio of the
import's time to the baseline's. Targets: the import under 30 s and under 300 MB. Not a test:
timings depend on the machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs

from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_adapters.workbook.export import export_workbook
from dautu_core import commands as cmd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from storage_bench import project_commands  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_MB = 300.0


def commands(projects: int, events: int) -> list[cmd.Command]:
    """The commands of ``projects`` projects of ``events`` facts each."""
    template = project_commands("TEMPLATE", events, violation_every=5)
    out: list[cmd.Command] = []
    for i in range(projects):
        code = f"DA-BENCH-{i:05d}"
        out += [_own(attrs.evolve(c, project_code=code), i) for c in template]
    return out


def _own(command: cmd.Command, i: int) -> cmd.Command:
    """The command with text of its own project (a name, a reason, a finding), so that the
    workbook's cells are not all the same as in a copied template: a department's rows repeat
    authorities, kinds and dates, not names and findings."""
    if isinstance(command, cmd.ApproveProject):
        return attrs.evolve(command, project_name=f"{command.project_name} số {i}")
    if isinstance(command, cmd.RecordDelay):
        return attrs.evolve(command, reason=f"{command.reason} (dự án số {i})")
    if isinstance(command, cmd.RecordViolation):
        return attrs.evolve(command, description=f"{command.description}, dự án số {i}")
    return command


def peak_mb() -> float:
    """This process's peak resident set, in MB: ``VmHWM`` on Linux (``ru_maxrss`` would count
    the parent's memory at the fork), else ``ru_maxrss`` (kB on Linux, bytes on macOS)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(kind: str, workbook: Path, db: Path, projects: int, events: int) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    if kind == "import":
        from dautu_adapters.cli.main import main

        start = time.perf_counter()
        code = main(
            [
                "--store", f"sqlite:///{db}", "import", str(workbook),
                "--actor", "bench|Người đo|Sở Tài chính", "--json",
            ]
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if code != 0:
            raise SystemExit(f"dautu import failed with exit code {code}")
    else:
        todo = commands(projects, events)
        with ProjectService(open_store(f"sqlite:///{db}")) as service:
            start = time.perf_counter()
            service.execute_batch(todo)
            elapsed = time.perf_counter() - start
    with ProjectService(open_store(f"sqlite:///{db}")) as service:
        stored = service.store.max_position()
    return {"seconds": elapsed, "peak_mb": peak_mb(), "records": stored}


def run_child(kind: str, workbook: Path, db: Path, projects: int, events: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", kind, str(workbook), str(db)]
    args += ["--projects", str(projects), "--events", str(events)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=5, help="facts per project (approval incl.)")
    parser.add_argument("--json", action="store_true", help="end with a one-line JSON summary")
    parser.add_argument(
        "--child", nargs=3, metavar=("KIND", "WORKBOOK", "DB"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        kind, workbook, db = args.child
        print(json.dumps(child(kind, Path(workbook), Path(db), args.projects, args.events)))
        return

    rows = args.projects * args.events
    with tempfile.TemporaryDirectory(prefix="dautu-import-bench-") as tmp:
        folder = Path(tmp)
        workbook = folder / "ho-so.xlsx"
        start = time.perf_counter()
        with ProjectService(open_store("memory://")) as source:
            source.execute_batch(commands(args.projects, args.events))
            export_workbook(source.store, workbook, {})
        prepare = time.perf_counter() - start
        size_mb = workbook.stat().st_size / 1e6
        print(
            f"workbook: {args.projects:,} projects, {rows:,} rows "
            f"({args.projects:,} on the projects sheet, {rows - args.projects:,} on the events "
            f"sheet), {size_mb:.1f} MB, written in {prepare:.1f} s"
        )
        imported = run_child("import", workbook, folder / "imported.db", args.projects, args.events)
        batch = run_child("batch", workbook, folder / "batch.db", args.projects, args.events)
    if imported["records"] != rows or batch["records"] != rows:
        raise SystemExit(f"expected {rows} records, got {imported['records']} / {batch['records']}")
    ratio = imported["seconds"] / batch["seconds"]
    print(
        f"dautu import:        {imported['seconds']:6.1f} s  {rows / imported['seconds']:9,.0f} "
        f"rows/s  peak {imported['peak_mb']:5.0f} MB   (target < {TARGET_SECONDS:.0f} s, "
        f"< {TARGET_MB:.0f} MB: "
        f"{'met' if imported['seconds'] < TARGET_SECONDS and imported['peak_mb'] < TARGET_MB else 'NOT met'})"
    )
    print(
        f"execute_batch:       {batch['seconds']:6.1f} s  {rows / batch['seconds']:9,.0f} "
        f"rows/s  peak {batch['peak_mb']:5.0f} MB"
    )
    print(f"import / execute_batch time: {ratio:.2f}x   (load: {os.getloadavg()[0]:.2f})")
    if args.json:
        summary = {"rows": rows, "projects": args.projects, "workbook_mb": size_mb}
        summary |= {f"import_{k}": v for k, v in imported.items()}
        summary |= {f"batch_{k}": v for k, v in batch.items()}
        summary["ratio"] = ratio
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
