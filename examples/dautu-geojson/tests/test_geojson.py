"""The exporter's own tests, run from this folder against the installed dautu."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from dautu_geojson import feature_collection, read_places
from dautu_geojson.plugin import export_geojson

from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.errors import InvalidValue
from dautu_core.testing.samples import sample_approval


def test_a_project_is_placed_at_the_most_precise_matching_row(tmp_path: Path) -> None:
    service = ProjectService(open_store("memory://"))
    service.execute(sample_approval("DA-0001", date(2022, 3, 15)))
    location = service.load("DA-0001").location
    assert location is not None
    places = tmp_path / "places.csv"
    places.write_text(
        "province,district,commune,longitude,latitude\n"
        f"{location.province},,,106.3,20.9\n"
        f"{location.province},{location.district or ''},,106.1,20.8\n",
        encoding="utf-8",
    )
    layer = feature_collection(service.store, as_of=date(2024, 1, 1), places=read_places(places))
    (feature,) = layer["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.1, 20.8]}
    assert feature["properties"]["status"] == "approved"
    unplaced = feature_collection(service.store, as_of=date(2024, 1, 1))
    assert unplaced["features"][0]["geometry"] is None
    assert feature_collection(service.store, as_of=date(2020, 1, 1))["features"] == []
    out = export_geojson(service.store, tmp_path, {"as_of": date(2024, 1, 1)})
    assert json.loads(out[0].read_text("utf-8"))["type"] == "FeatureCollection"


def test_a_bad_gazetteer_row_is_refused_naming_its_line(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("province,district,commune,longitude,latitude\nX,,,east,20\n", "utf-8")
    with pytest.raises(InvalidValue, match="line 2"):
        read_places(places)
