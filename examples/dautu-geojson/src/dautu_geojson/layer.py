"""The projects of a dautu store as a GeoJSON FeatureCollection (RFC 7946).

Why coordinates come from a file the user gives: dautu records where a project is by the names
of the province, district and commune, not by coordinates. A province that wants its projects
on a map has its own gazetteer (the centroids of its districts and communes, or the plots'
coordinates); ``--option places=FILE.csv`` names it, with the columns ``province``,
``district``, ``commune``, ``longitude``, ``latitude`` (district and commune may be empty). A
project is placed at the most precise row that matches its recorded location; one that no
row matches keeps a ``null`` geometry (allowed by RFC 7946), so that it is still listed.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from dautu_core.codec import NO_UPCASTERS
from dautu_core.errors import InvalidValue, UnknownProject
from dautu_core.ports import EventStore
from dautu_core.replay import from_records, state_at

__all__ = ["Places", "feature_collection", "read_places"]

Places = Mapping[tuple[str, str, str], tuple[float, float]]
"""(province, district, commune), folded, to (longitude, latitude)."""


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip().casefold()


def read_places(path: Path) -> dict[tuple[str, str, str], tuple[float, float]]:
    """The gazetteer CSV (UTF-8, with or without a BOM); a bad row is refused naming it."""
    places: dict[tuple[str, str, str], tuple[float, float]] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                longitude, latitude = float(row["longitude"]), float(row["latitude"])
            except (KeyError, TypeError, ValueError):
                raise InvalidValue(
                    f"{path.name}, dòng {number}: cần cột longitude và latitude là số",
                    f"{path.name}, line {number}: longitude and latitude must be numbers",
                    field="places",
                    rule_id="geojson_places",
                ) from None
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                raise InvalidValue(
                    f"{path.name}, dòng {number}: toạ độ ngoài phạm vi",
                    f"{path.name}, line {number}: coordinates out of range",
                    field="places",
                    rule_id="geojson_places",
                )
            key = (
                _fold(row.get("province")),
                _fold(row.get("district")),
                _fold(row.get("commune")),
            )
            places[key] = (longitude, latitude)
    return places


def _point(places: Places, province: str, district: str | None, commune: str | None) -> Any:
    p, d, c = _fold(province), _fold(district), _fold(commune)
    for key in ((p, d, c), (p, d, ""), (p, "", "")):
        if key in places:
            longitude, latitude = places[key]
            return {"type": "Point", "coordinates": [longitude, latitude]}
    return None


def feature_collection(
    store: EventStore,
    *,
    as_of: date,
    project: str | None = None,
    places: Places | None = None,
) -> dict[str, Any]:
    """One feature per project approved on ``as_of`` (or ``project`` alone)."""
    codes: Iterable[str] = store.project_codes()
    if project is not None:
        if project not in codes:
            raise UnknownProject.not_in_store(project)
        codes = [project]
    upcasters = getattr(store, "upcasters", NO_UPCASTERS)
    features = []
    for code in codes:
        state = state_at(from_records(store.read_stream(code), upcasters), as_of=as_of)
        if state.location is None or state.status is None:
            continue
        where = state.location
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": _point(places or {}, where.province, where.district, where.commune),
                "properties": {
                    "code": code,
                    "name": state.project_name,
                    "status": state.status.value,
                    "status_vi": state.status.label_vi,
                    "province": where.province,
                    "district": where.district,
                    "commune": where.commune,
                    "capital_dong": state.capital.dong if state.capital else None,
                    "investors": [i.name for i in state.investors],
                    "as_of": as_of.isoformat(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
