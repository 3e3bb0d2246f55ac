"""A writer process for the large-write tests: one ``execute_batch`` into a PostgreSQL store.

    python postgres_large_writer.py URL KIND

``KIND`` is ``50mb`` (eight approvals carrying 7 MB of objectives each, one batch) or
``100k`` (1,000 projects: an approval and 99 delays each, 100,000 events in one batch). It
prints one JSON line: the number of records written, a digest of what was written (see
:func:`digest`) and the seconds the ``execute_batch`` took.

Why a process: a write that hangs (the bug these tests guard against) cannot be interrupted
from a thread; a child process can be killed, which closes its connections, so the server
rolls its transaction back and the test's schema can still be dropped.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from adapters.samples import approve, delay
from dautu_adapters.service import ProjectService
from dautu_core import commands as cmd
from dautu_core.record import StoredRecord

MB = 1_000_000


def objectives(i: int) -> str:
    """The 7 MB objectives of approval ``i`` of the ``50mb`` batch (normalised already: no
    space at either end)."""
    return f"Mục tiêu {i}: " + "dau tu " * (MB + i) + "xong"


def commands(kind: str) -> list[cmd.Command]:
    if kind == "50mb":
        return [attrs.evolve(approve(f"LON-{i}"), objectives=objectives(i)) for i in range(8)]
    if kind == "100k":
        out: list[cmd.Command] = []
        for p in range(1000):
            code = f"NHIEU-{p:04d}"
            out.append(approve(code))
            out += [delay(code, n=k) for k in range(1, 100)]
        return out
    raise SystemExit(f"unknown kind {kind!r}")


def digest(records: Iterable[StoredRecord]) -> str:
    """SHA-256 over every record's project code, version, position, type and bytes."""
    h = hashlib.sha256()
    for r in records:
        h.update(f"{r.project_code}|{r.version}|{r.position}|{r.type_name}|".encode())
        h.update(hashlib.sha256(r.data).digest())
    return h.hexdigest()


def main(url: str, kind: str) -> None:
    batch = commands(kind)
    with ProjectService.open(url) as service:
        started = time.perf_counter()
        written = service.execute_batch(batch)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "count": len(written),
                "bytes": sum(len(r.data) for r in written),
                "positions": [written[0].position, written[-1].position],
                "digest": digest(written),
                "seconds": round(seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
