"""A writer process for the crash tests: bulk appends into a store, announcing its progress.

    python bulk_writer.py URL APPENDS PROJECTS_PER_APPEND EVENTS_PER_PROJECT

Append ``k`` (1-based) writes one batch per project ``K{k}-P{i}``, each batch being one
command's worth of events (an approval and violations), all in one ``append`` call. With an
SQLite URL the writer prints ``inside k`` from *within* the open transaction, after a tenth of
the rows are inserted, so that a test can kill it there; it prints ``done k`` after the commit.
"""

from __future__ import annotations

import sys
from typing import Any

import attrs

from dautu_adapters.stores import RecorderStore, open_store
from dautu_adapters.stores.recorders import EXPECTED_VERSIONS, PositionedSQLiteRecorder
from dautu_core.decider import run
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import GENESIS, make_record, record_hash

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
from adapters.samples import approve, violation

_append_number = 0


class AnnouncingSQLiteRecorder(PositionedSQLiteRecorder):
    """eventsourcing's SQLite recorder that says when it is half-way into a transaction."""

    def _insert_events(self, c: Any, stored_events: Any, **kwargs: Any) -> Any:
        tenth = max(1, len(stored_events) // 10)
        ids = list(super()._insert_events(c, stored_events[:tenth], **kwargs))
        print(f"inside {_append_number}", flush=True)
        rest = {k: v for k, v in kwargs.items() if k != EXPECTED_VERSIONS}  # checked already
        ids += super()._insert_events(c, stored_events[tenth:], **rest)
        return ids


def command_records(code: str, template: list[Any]) -> tuple[NewRecord, ...]:
    records, prev = [], GENESIS
    for event in template:
        data = make_record(attrs.evolve(event, project_code=code), prev)
        prev = record_hash(data)
        records.append(NewRecord(event.TYPE_NAME, data))
    return tuple(records)


def main() -> None:
    global _append_number
    url, appends, projects, events = sys.argv[1], *map(int, sys.argv[2:5])
    _, template = run([approve("T"), *(violation("T", f"V{i}", n=i) for i in range(1, events))])
    plan = [
        [
            AppendBatch(f"K{k}-P{i:04d}", 0, command_records(f"K{k}-P{i:04d}", template))
            for i in range(projects)
        ]
        for k in range(1, appends + 1)
    ]
    store = open_store(url)
    assert isinstance(store, RecorderStore)
    if isinstance(store.recorder, PositionedSQLiteRecorder):
        store.recorder.__class__ = AnnouncingSQLiteRecorder
    print("ready", flush=True)
    for k, batches in enumerate(plan, start=1):
        _append_number = k
        store.append(batches)
        print(f"done {k}", flush=True)


if __name__ == "__main__":
    main()
