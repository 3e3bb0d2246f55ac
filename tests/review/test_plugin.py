"""Review rulebooks and exporters come through the plugin hooks, builtins included."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from dautu_adapters.hookspecs import hookimpl
from dautu_adapters.plugins import (
    PluginInfo,
    PluginWarning,
    exporter_registry,
    get_plugin_manager,
    review_rulebook_registry,
)
from dautu_adapters.review.demo import record_demo
from dautu_adapters.review.rulebooks import installed_review_rulebooks
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, REVIEW_LAW_61_2020, ReviewParameters

PROVINCE = PluginInfo(name="haiduong", distribution="dautu-haiduong", version="1.0")


class _Province:
    """A province's plugin offering the given review rulebooks."""

    def __init__(self, *books: Any) -> None:
        self.books = books

    @hookimpl
    def dautu_register_review_rulebooks(self, register: Any) -> None:
        for book in self.books:
            register(book)


def test_the_builtin_review_rulebooks_come_through_the_hook() -> None:
    pm = get_plugin_manager(load_entrypoints=False)
    registry = review_rulebook_registry(pm)

    assert registry.names() == [b.id for b in BUILTIN_REVIEW_RULEBOOKS.books]
    assert {r.plugin.name for r in registry} == {"review"}
    assert installed_review_rulebooks(pm) == BUILTIN_REVIEW_RULEBOOKS


def test_a_province_replaces_a_builtin_rulebook_by_its_id() -> None:
    stricter = attrs.evolve(
        REVIEW_LAW_61_2020,
        title_en="Hải Dương reading of the 2021 review rules",
        parameters=ReviewParameters(suspension_remedy_months=6),
    )
    pm = get_plugin_manager(load_entrypoints=False)
    pm.register_plugin(_Province(stricter), PROVINCE)

    books = installed_review_rulebooks(pm)

    in_force = books.in_force(date(2024, 2, 21))
    assert in_force.parameters.suspension_remedy_months == 6
    assert in_force.title_en == "Hải Dương reading of the 2021 review rules"
    assert len(books.books) == len(BUILTIN_REVIEW_RULEBOOKS.books)


def test_an_overlapping_or_foreign_registration_is_refused_with_a_warning() -> None:
    overlapping = attrs.evolve(REVIEW_LAW_61_2020, id="vn-hd.review.2024")
    pm = get_plugin_manager(load_entrypoints=False, strict=False)
    pm.register_plugin(_Province(overlapping, "not a rulebook"), PROVINCE)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        books = installed_review_rulebooks(pm)

    messages = [str(w.message) for w in caught if issubclass(w.category, PluginWarning)]
    assert any("vn-hd.review.2024" in m and "overlap" in m for m in messages)
    assert any("not a dautu ReviewRulebook" in m for m in messages)
    assert all("haiduong" in m for m in messages)
    assert books == BUILTIN_REVIEW_RULEBOOKS


@pytest.mark.parametrize(("name", "suffix"), [("review-csv", "csv"), ("review-json", "json")])
def test_the_review_exporters_are_registered_and_write_files(
    name: str, suffix: str, tmp_path: Path
) -> None:
    registration = exporter_registry(get_plugin_manager(load_entrypoints=False)).get(name)
    assert registration is not None and registration.plugin.name == "review"
    store = open_store("memory://")
    record_demo(ProjectService(store))

    (path,) = registration.value(store, tmp_path, {"as_of": "2024-02-21", "lang": "en"})

    assert path == tmp_path / f"review-2024-02-21.{suffix}"
    data = path.read_bytes()
    if suffix == "csv":
        assert data.startswith(b"\xef\xbb\xbfProject code,")
    else:
        assert b'"terminate": 4' in data
