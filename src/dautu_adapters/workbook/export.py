"""``dautu export workbook``: the store written back in the import template's layout.

Why the same layout: an official who exports, corrects a cell and imports again must find the
columns where the template put them; importing an export into an empty store gives the same
projects, states and review (``tests/workbook/test_round_trip.py``). Each row also shows what
its location is called now, next to the name recorded at the time (a column the importer does
not read).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dautu_adapters.exporters.options import ExporterOption
from dautu_adapters.workbook.places import name_now
from dautu_adapters.workbook.rows import event_to_row
from dautu_adapters.workbook.schema import EVENT_SHEET, PROJECT_SHEET
from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore

__all__ = ["WORKBOOK_OPTIONS", "export_workbook", "store_rows"]

WORKBOOK_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption(
        "project", str, "chỉ hồ sơ của dự án này / only this project's record (default all)"
    ),
)


def store_rows(store: EventStore, project: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every record of ``store`` (or of ``project`` only) as rows by sheet: approvals on the
    projects sheet, the rest on the events sheet in each project's order."""
    upcasters = getattr(store, "upcasters", NO_UPCASTERS)
    projects: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    codes = list(store.project_codes())
    if project is not None:
        if project not in codes:
            raise UnknownProject.not_in_store(project)
        codes = [project]
    for code in codes:
        for record in store.read_stream(code):
            event = record.event(upcasters)
            row = event_to_row(event, record.version)
            location = getattr(event, "location", None)
            if isinstance(event, ev.ProjectAdjusted | ev.AdjustmentRequested):
                location = event.changes.location
            if location is not None:
                now = name_now(location, event.effective_date)
                if now is not None:
                    row["location_now"] = now
            if isinstance(event, ev.ProjectApproved):
                projects.append(row)
            else:
                events.append(row)
    return {PROJECT_SHEET: projects, EVENT_SHEET: events}


def export_workbook(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Write ``out`` (``.xlsx``; ``.csv`` writes one CSV file per sheet)."""
    from dautu_adapters.workbook.writing import workbook_bytes, write_csv

    out = Path(out)
    if out.is_dir():
        out = out / "ho-so-du-an.xlsx"
    project = options.get("project")
    data = store_rows(store, None if project is None else str(project))
    if out.suffix.lower() == ".csv":
        return write_csv(out, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(workbook_bytes(data))
    return [out]
