"""The plugin: offers ``dautu export geojson`` to dautu.

Published through the ``dautu`` entry-point group in this package's ``pyproject.toml``::

    [project.entry-points.dautu]
    geojson = "dautu_geojson.plugin"

The exporter declares its options when it registers; dautu refuses any other (``--option
asof=…``), converts the text to the declared types, fills the defaults and lists them in
``dautu export geojson --help`` and ``dautu plugins``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dautu_adapters.hookspecs import ExporterOption, RegisterExporter, hookimpl
from dautu_core.dates import VIETNAM_TIME
from dautu_core.ports import EventStore
from dautu_geojson.layer import feature_collection, read_places

__all__ = ["OPTIONS", "dautu_register_exporters", "export_geojson"]

OPTIONS = (
    ExporterOption("project", str, "chỉ dự án này / only this project"),
    ExporterOption("as_of", date, "trạng thái tính đến ngày / state as of (default today)"),
    ExporterOption(
        "places",
        Path,
        "toạ độ theo địa danh (CSV: province,district,commune,longitude,latitude) / "
        "coordinates by place name (CSV)",
    ),
)


def export_geojson(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Write ``out`` (a ``.geojson`` file; a folder gets ``du-an.geojson``)."""
    now = options.get("now")
    today = now.date() if isinstance(now, datetime) else datetime.now(VIETNAM_TIME).date()
    places = options.get("places")
    layer = feature_collection(
        store,
        as_of=options.get("as_of") or today,
        project=options.get("project"),
        places=read_places(Path(places)) if places else None,
    )
    path = Path(out) / "du-an.geojson" if Path(out).is_dir() else Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(layer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [path]


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "geojson",
        export_geojson,
        "Vị trí các dự án, GeoJSON / the projects' locations, GeoJSON",
        options=OPTIONS,
    )
