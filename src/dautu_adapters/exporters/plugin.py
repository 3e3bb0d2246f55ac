"""The builtin open-data plugin (entry point ``exporters = "dautu_adapters.exporters.plugin"``):
``dautu export oc4ids`` and ``dautu export events``, registered through the same hook a
third-party exporter uses."""

from __future__ import annotations

from dautu_adapters.exporters.events import EVENTS_OPTIONS, export_events
from dautu_adapters.exporters.oc4ids import OC4IDS_OPTIONS, export_oc4ids
from dautu_adapters.hookspecs import RegisterExporter, hookimpl

__all__ = ["dautu_register_exporters"]


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "oc4ids",
        export_oc4ids,
        "Dữ liệu mở theo chuẩn OC4IDS 0.9 (JSON) / open data, an OC4IDS 0.9 project package",
        options=OC4IDS_OPTIONS,
    )
    register(
        "events",
        export_events,
        "Mọi bản ghi đã lưu, mỗi dòng một bản ghi (JSON Lines) / every stored record, one per "
        "line (JSON Lines)",
        options=EVENTS_OPTIONS,
    )
