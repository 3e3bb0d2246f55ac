"""Place names across the 2025 reorganisation, checked against a maintained dataset.

On 1 Jul 2025 districts were abolished and 63 provinces became 34 (Hải Dương is now part of Hải
Phòng). A record keeps a location as named at the time; this module says whether a name was a
real unit at that time and what the place is called now, so the import report and the exported
workbook can show both.

Why ``vietnamadminunits`` (PyPI, MIT, the ``places`` extra): of the maintained packages it is
the one that ships *both* datasets, the 63-province one with districts and communes and the
34-province one, *and* the official mapping from the first to the second, which is what "what
is it called now" needs. ``vietnam-provinces``, the longer-established package, now ships only
the units after July 2025, so it cannot check a 2021 decision's "huyện Gia Lộc".

The fence: the package's own functions import a geocoder and call a web service for street
addresses, so this module reads its data files directly, without importing the package. That
layout is not a public API, so everything that touches it is here, and
``tests/workbook/test_places.py`` fails loudly when an upgrade changes it. Without the package
the check is skipped and the report says so; a name the dataset does not know is a warning,
never an error (the dataset may lag a decree, and the record keeps what the decision says).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from dautu_core.values import Location

__all__ = [
    "REORGANISED_ON",
    "Gazetteer",
    "PlaceCheck",
    "check_locations",
    "gazetteer",
    "location_now",
    "location_text",
    "name_now",
    "place_now",
]

REORGANISED_ON = date(2025, 7, 1)
"""Districts abolished, 63 provinces merged into 34 (Resolution 202/2025/QH15 on provinces; the
commune-level arrangement resolutions of the Standing Committee of the National Assembly)."""

DATASET = "vietnamadminunits"


def fold(text: object) -> str:
    """Compare names as the dataset keys them: without accents, đ as d, letters and digits."""
    if not isinstance(text, str):
        return ""  # the dataset has a few missing (NaN) keywords
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


@attrs.frozen
class PlaceCheck:
    """What the dataset says of one location: the parts it does not know, and the name now."""

    unknown: tuple[str, ...]
    now: str | None
    note: str | None = None
    district_after: bool = False
    """A district named for a date when districts no longer existed."""


class Gazetteer:
    """The two datasets and the mapping, indexed by folded names."""

    def __init__(self, folder: Path, version: str) -> None:
        self.version = version
        legacy = json.loads((folder / "parser_legacy.json").read_text("utf-8"))
        current = json.loads((folder / "parser_from_2025.json").read_text("utf-8"))
        mapping = json.loads((folder / "converter_2025.json").read_text("utf-8"))
        self.old_provinces = self._provinces(legacy["DICT_PROVINCE"])
        self.new_provinces = self._provinces(current["DICT_PROVINCE"])
        self.old_names = {k: v["province"] for k, v in legacy["DICT_PROVINCE"].items()}
        self.new_names = {k: v["province"] for k, v in current["DICT_PROVINCE"].items()}
        self.districts: dict[str, dict[str, str]] = {}
        for province, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
            index = self.districts.setdefault(province, {})
            for key, entry in districts.items():
                for word in [key, *entry.get("districtKeywords", ())]:
                    index.setdefault(fold(word), key)
        self.old_wards: dict[tuple[str, str], dict[str, str]] = {}
        for table in (
            "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED",
            "DICT_PROVINCE_DISTRICT_WARD_ACCENTED",
            "DICT_PROVINCE_DISTRICT_WARD_SHORT_ACCENTED",
        ):
            for province, districts in legacy[table].items():
                for district, wards in districts.items():
                    index = self.old_wards.setdefault((province, district), {})
                    for key, entry in wards.items():
                        for word in [key, *entry.get("wardKeywords", ()), entry.get("ward", "")]:
                            index.setdefault(fold(word), fold(key))
        self.new_wards: dict[str, dict[str, str]] = {}
        self.new_ward_names: dict[tuple[str, str], str] = {}
        for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED"):
            for province, wards in current[table].items():
                index = self.new_wards.setdefault(province, {})
                for key, entry in wards.items():
                    for word in [key, *entry.get("wardKeywords", ()), entry.get("ward", "")]:
                        index.setdefault(fold(word), fold(key))
                    self.new_ward_names.setdefault((province, fold(key)), entry["ward"])
        self.province_now = {
            old: new for new, olds in mapping["DICT_PROVINCE"].items() for old in olds
        }
        self.ward_now: dict[str, tuple[str, list[str]]] = {}
        for new_province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_ward, olds in wards.items():
                for old in olds:
                    self.ward_now[old] = (new_province, [fold(new_ward)])
        for new_province, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, choices in olds.items():
                ordered = sorted(choices, key=lambda c: not c.get("isDefaultNewWard"))
                self.ward_now[old] = (new_province, [fold(c["newWardKey"]) for c in ordered])

    @staticmethod
    def _provinces(table: dict[str, Any]) -> dict[str, str]:
        index: dict[str, str] = {}
        for key, entry in table.items():
            for word in [key, *entry.get("provinceKeywords", ()), entry.get("province", "")]:
                index.setdefault(fold(word), key)
        return index

    def check(self, location: Location, on: date) -> PlaceCheck:
        """Is ``location`` a real unit on ``on``, and what is it called now?"""
        if on >= REORGANISED_ON:
            return self._check_current(location)
        unknown: list[str] = []
        province = self.old_provinces.get(fold(location.province))
        if province is None:
            return PlaceCheck((location.province,), None)
        district = None
        if location.district is not None:
            district = self.districts.get(province, {}).get(fold(location.district))
            if district is None:
                unknown.append(location.district)
        ward = None
        if location.commune is not None and district is not None:
            ward = self.old_wards.get((province, district), {}).get(fold(location.commune))
            if ward is None:
                unknown.append(location.commune)
        new_province = self.province_now.get(province)
        if new_province is None:
            return PlaceCheck(tuple(unknown), None)
        now = self.new_names[new_province]
        note = None
        if ward is not None and district is not None:
            found = self.ward_now.get(f"{province}_{district}_{ward}")
            if found is not None:
                names = [
                    self.new_ward_names[(found[0], w)]
                    for w in found[1]
                    if (found[0], w) in self.new_ward_names
                ]
                if names:
                    now = f"{names[0]}, {now}"
                    if len(names) > 1:
                        note = "; ".join(names[1:])
        return PlaceCheck(tuple(unknown), now, note)

    def _check_current(self, location: Location) -> PlaceCheck:
        province = self.new_provinces.get(fold(location.province))
        if province is None:
            return PlaceCheck((location.province,), None)
        unknown: list[str] = []
        if location.commune is not None and fold(location.commune) not in self.new_wards.get(
            province, {}
        ):
            unknown.append(location.commune)
        return PlaceCheck(tuple(unknown), None, district_after=location.district is not None)


@functools.cache
def gazetteer() -> Gazetteer | None:
    """The dataset if the ``places`` extra is installed, else ``None``."""
    spec = importlib.util.find_spec(DATASET)  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return Gazetteer(folder, importlib.metadata.version(DATASET))


def check_locations(report: Any, items: Iterable[Any]) -> None:
    """Warn about place names the dataset does not know, note what they are called now.

    ``report`` is an :class:`~dautu_adapters.workbook.importing.ImportReport`; ``items`` its
    parsed rows (anything with ``.row`` and ``.command``).
    """
    from dautu_adapters.workbook.importing import Problem
    from dautu_adapters.workbook.schema import COLUMNS

    book = None
    for item in items:
        command = item.command
        location = getattr(command, "location", None)
        changes = getattr(command, "changes", None)
        if location is None and changes is not None:
            location = changes.location
        if not isinstance(location, Location):
            continue
        if book is None:
            book = gazetteer()
            if book is None:
                report.problems.append(
                    Problem(
                        None, None, None, None,
                        "không kiểm tra địa danh: chưa cài bộ dữ liệu đơn vị hành chính "
                        "(pip install 'dautu[places]')",
                        "place names not checked: the administrative-units dataset is not "
                        "installed (pip install 'dautu[places]')",
                        rule_id="places_unchecked", warning=True,
                    )
                )  # fmt: skip
                return
        result = book.check(location, command.effective_date)
        for name in result.unknown:
            column = next(
                (k for k in ("province", "district", "commune")
                 if getattr(location, k) == name), "province",
            )  # fmt: skip
            report.problems.append(
                Problem(
                    item.row.sheet, item.row.row, COLUMNS[column].vi, name,
                    f"địa danh không có trong danh mục đơn vị hành chính tại ngày "
                    f"{command.effective_date:%d/%m/%Y} ({DATASET} {book.version}); kiểm tra "
                    "lại chính tả (vẫn ghi như đã nhập)",
                    f"the place name is not in the list of administrative units on "
                    f"{command.effective_date:%d/%m/%Y} ({DATASET} {book.version}); check the "
                    "spelling (recorded as typed)",
                    project_code=command.project_code, rule_id="place_unknown", warning=True,
                )
            )  # fmt: skip
        if result.district_after:
            report.problems.append(
                Problem(
                    item.row.sheet, item.row.row, COLUMNS["district"].vi, location.district,
                    "cấp huyện không còn từ 01/07/2025; địa danh sau ngày này chỉ gồm tỉnh và xã",
                    "districts were abolished on 1 Jul 2025; later places name only the "
                    "province and the commune",
                    project_code=command.project_code, rule_id="place_district", warning=True,
                )
            )  # fmt: skip
        if result.now is not None:
            now = result.now if result.note is None else f"{result.now} (hoặc/or {result.note})"
            report.locations.append((item.row, location, now))


def name_now(location: Location, on: date) -> str | None:
    """What ``location`` (as named on ``on``) is called now, if the dataset knows it."""
    book = gazetteer()
    if book is None:
        return None
    result = book.check(location, on)
    if result.now is None:
        return None
    return result.now if result.note is None else f"{result.now} (hoặc/or {result.note})"


def location_text(location: Location) -> str:
    """The location as recorded: commune, district, province (the names of the time)."""
    return ", ".join(p for p in (location.commune, location.district, location.province) if p)


def location_now(location: Location, on: date) -> str | None:
    """What ``location`` (as named on ``on``) is called now, only when that differs from the
    recorded name (``None`` when unknown, unchanged or the dataset is not installed)."""
    now = name_now(location, on)
    if now is None and on >= REORGANISED_ON:
        # a name recorded before the reorganisation and still in the record after it (the
        # record keeps names as they were): read it as a name of before 1 Jul 2025
        now = name_now(location, REORGANISED_ON - timedelta(days=1))
    if now is None or _bare(now) == _bare(location_text(location)):
        return None
    return now


def place_now(province: str | None, district: str | None, on: date) -> str | None:
    """:func:`location_now` of the place the review knows (district and province as of ``on``)."""
    if not province:
        return None
    return location_now(Location(province=province, district=district or None), on)


_UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "phường", "huyện", "quận", "tỉnh", "xã", "tp.")


def _bare(names: str) -> tuple[str, ...]:
    """The parts of a place name without their unit words, folded: "Thành phố Hà Nội" and
    "Hà Nội" are the same place, so nothing is shown as its name now."""
    parts = []
    for part in names.split(","):
        text = part.strip().lower()
        for word in _UNIT_WORDS:
            if text.startswith(word + " "):
                text = text.removeprefix(word).strip()
                break
        parts.append(fold(text))
    return tuple(parts)
