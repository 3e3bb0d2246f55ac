"""The builtin workbook plugin (entry point ``workbook = "dautu_adapters.workbook.plugin"``):
registers ``dautu export workbook`` through the same hook a province's plugin uses."""

from __future__ import annotations

from dautu_adapters.hookspecs import RegisterExporter, hookimpl
from dautu_adapters.workbook.export import WORKBOOK_OPTIONS, export_workbook

__all__ = ["dautu_register_exporters"]


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "workbook",
        export_workbook,
        "Hồ sơ theo mẫu nhập liệu (.xlsx, hoặc .csv mỗi trang một tệp) / the record in the "
        "import template's layout (.xlsx, or one .csv per sheet)",
        options=WORKBOOK_OPTIONS,
    )
