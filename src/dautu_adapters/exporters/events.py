"""``dautu export events --out FILE.jsonl [--project CODE]``: every stored record, as stored.

Why: the open record of a province is its log, not only the states derived from it. Someone
who wants to check or re-derive everything (an auditor, a researcher, a second system) needs
each record's exact bytes, which the chain hashes commit to; any re-encoding would break them.
One JSON object per line, in global order (or in the project's order with ``--project``)::

    {"position": 7, "project_code": "DA-HD-012", "version": 3, "type": "dautu.DelayRecorded",
     "schema_version": 1, "prev": "<64 hex>", "hash": "<64 hex>", "record": "{\\"data\\":…}"}

``record`` is the stored bytes as UTF-8 text: ``sha256(record.encode("utf-8")) == hash``, and a
project's ``prev`` is the ``hash`` of its previous line (``0`` × 64 for the first). The log is
read in pages, so memory stays bounded whatever the store's size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dautu_adapters.exporters.files import export_target, whole_file
from dautu_adapters.exporters.options import ExporterOption
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore
from dautu_core.record import StoredRecord

__all__ = ["EVENTS_OPTIONS", "PAGE_SIZE", "event_line", "export_events", "stored_records"]

PAGE_SIZE = 2_000
"""Records read from the store at a time."""

EVENTS_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption(
        "project",
        str,
        "chỉ các bản ghi của dự án này / only this project's records (default every record)",
    ),
)


def stored_records(store: EventStore, project: str | None = None) -> Iterator[StoredRecord]:
    """Every record of the global log in position order, or ``project``'s stream (an unknown
    project is refused here, before anything is written)."""
    if project is None:
        return _log(store)
    records = store.read_stream(project)
    if not records:
        raise UnknownProject.not_in_store(project)
    return iter(records)


def _log(store: EventStore) -> Iterator[StoredRecord]:
    after = 0
    while True:
        page = store.read_log(after_position=after, limit=PAGE_SIZE)
        if not page:
            return
        yield from page
        after = page[-1].position


def event_line(record: StoredRecord) -> dict[str, Any]:
    """One line of the export: where the record is, what it is, its chain and its bytes."""
    parsed = record.parsed()
    return {
        "position": record.position,
        "project_code": record.project_code,
        "version": record.version,
        "type": record.type_name,
        "schema_version": parsed.get("schema_version"),
        "prev": parsed.get("prev"),
        "hash": record.hash,
        "record": record.data.decode("utf-8"),
    }


def export_events(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Write the records to ``out`` (a ``.jsonl`` file; a folder gets ``events.jsonl``)."""
    project = options.get("project")
    path = export_target(Path(out), "events.jsonl")
    records = stored_records(store, None if project is None else str(project))
    with whole_file(path) as handle:
        for record in records:
            line = json.dumps(event_line(record), ensure_ascii=False, separators=(",", ":"))
            handle.write(line + "\n")
    return [path]
