"""The fence around the administrative-units dataset: its data files are read directly (the
package's own functions call a web geocoder), so this test fails loudly when an upgrade of
``vietnamadminunits`` changes the layout or the facts the import relies on."""

from __future__ import annotations

from datetime import date

import pytest

from dautu_adapters.workbook.places import REORGANISED_ON, gazetteer, name_now
from dautu_core.values import Location

BEFORE = date(2021, 3, 15)
AFTER = date(2025, 8, 1)


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    found = gazetteer()
    assert found is not None, "the places extra (vietnamadminunits) must be installed in dev/CI"
    return found


def test_the_dataset_has_63_provinces_before_and_34_after(book) -> None:  # type: ignore[no-untyped-def]
    assert len(book.old_names) == 63
    assert len(book.new_names) == 34
    assert date(2025, 7, 1) == REORGANISED_ON


def test_hai_duong_is_now_part_of_hai_phong(book) -> None:  # type: ignore[no-untyped-def]
    check = book.check(Location("Hải Dương", "huyện Gia Lộc", "xã Gia Tân"), BEFORE)
    assert check.unknown == ()
    assert check.now is not None and check.now.endswith("Thành phố Hải Phòng")
    assert check.now.startswith("Xã ")


def test_names_it_does_not_know_are_reported(book) -> None:  # type: ignore[no-untyped-def]
    assert book.check(Location("Hải Dươngg"), BEFORE).unknown == ("Hải Dươngg",)
    check = book.check(Location("Hải Dương", "Gia Lộc", "Xã Không Tồn Tại"), BEFORE)
    assert check.unknown == ("Xã Không Tồn Tại",)
    # after the reorganisation Hải Dương is no longer a province
    assert book.check(Location("Hải Dương"), AFTER).unknown == ("Hải Dương",)


def test_after_july_2025_a_district_is_flagged(book) -> None:  # type: ignore[no-untyped-def]
    check = book.check(Location("Hải Phòng", "Gia Lộc", "Gia Lộc"), AFTER)
    assert check.district_after and check.unknown == ()
    assert check.now is None  # named as it is now already


def test_name_now_for_the_export(book) -> None:  # type: ignore[no-untyped-def]
    now = name_now(Location("Hải Dương", "Thanh Hà", "Thanh Sơn"), BEFORE)
    assert now is not None and "Hải Phòng" in now
