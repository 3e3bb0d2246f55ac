"""The plugin manager: builtins through entry points, broken plugins as warnings, registries.

Third-party plugins here are real distributions: a ``*.dist-info`` folder with ``METADATA`` and
``entry_points.txt`` and a module, put on ``sys.path`` exactly as pip would install them.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import date

import pytest

from dautu_adapters.plugins import (
    PluginError,
    PluginWarning,
    exporter_registry,
    get_plugin_manager,
    review_rulebook_registry,
    rulebook_registry,
    store_registry,
)
from dautu_adapters.stores import open_store
from dautu_core.rulebook import BUILTIN_RULEBOOKS


def test_builtin_stores_come_through_dautu_entry_points() -> None:
    pm = get_plugin_manager()
    registry = store_registry(pm)
    for scheme in ("memory", "sqlite", "postgresql", "postgres", "eventsourcing"):
        registration = registry.get(scheme)
        assert registration is not None, scheme
        assert registration.plugin.name == "stores"
        assert registration.plugin.distribution == "dautu"
        assert registration.plugin.entry_point == "stores = dautu_adapters.stores.plugin"


def test_without_entry_points_only_builtins_are_registered(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-extra-store",
        """
        from dautu_adapters.hookspecs import hookimpl
        @hookimpl
        def dautu_register_stores(register):
            register("extra", lambda url, options: None, "extra")
        """,
    )
    assert "extra" in store_registry(get_plugin_manager())
    builtins_only = store_registry(get_plugin_manager(load_entrypoints=False))
    assert "extra" not in builtins_only
    assert "sqlite" in builtins_only


def test_a_plugin_that_fails_to_import_is_a_warning_naming_it(install) -> None:  # type: ignore[no-untyped-def]
    install("dautu-broken-province", "raise ImportError('needs numpy 1.x')", entry="broken")

    with pytest.warns(PluginWarning) as warned:
        pm = get_plugin_manager(strict=False)
    messages = [str(w.message) for w in warned]
    (message,) = [m for m in messages if "dautu-broken-province" in m]
    assert "1.2.3" in message
    assert "broken = dautu_broken_province_plugin" in message
    assert "needs numpy 1.x" in message
    assert any(f.plugin.distribution == "dautu-broken-province" for f in pm.failures)

    store = open_store("memory://", plugin_manager=pm)  # everything else still works
    assert store.max_position() == 0


def test_strict_mode_makes_a_broken_plugin_an_error(
    install,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install("dautu-broken-province", "raise ImportError('needs numpy 1.x')", entry="broken")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        lenient = get_plugin_manager(strict=False)
    failing = [f.plugin for f in lenient.failures]
    assert "dautu-broken-province" in {p.distribution for p in failing}

    monkeypatch.setenv("DAUTU_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError) as caught:
        get_plugin_manager()
    # The first failure in load order stops everything (builtins load first).
    assert f"entry point '{failing[0].entry_point}'" in str(caught.value)
    with pytest.raises(PluginError):
        get_plugin_manager(strict=True)
    monkeypatch.setenv("DAUTU_STRICT_PLUGINS", "0")
    with pytest.warns(PluginWarning):
        get_plugin_manager()


def test_a_duplicate_scheme_warns_naming_both_plugins(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-sqlite-fork",
        """
        from dautu_adapters.hookspecs import hookimpl
        def factory(url, options):
            raise AssertionError("the builtin must stay in charge of sqlite://")
        @hookimpl
        def dautu_register_stores(register):
            register("sqlite", factory, "a fork")
            register("sqlfork", factory, "its own scheme")
        """,
        entry="sqlitefork",
    )
    pm = get_plugin_manager()
    with pytest.warns(PluginWarning) as warned:
        registry = store_registry(pm)
    (message,) = [str(w.message) for w in warned if "sqlite" in str(w.message)]
    assert "dautu-sqlite-fork" in message
    assert "'stores' (dautu" in message
    sqlite = registry.get("sqlite")
    sqlfork = registry.get("sqlfork")
    assert sqlite is not None and sqlite.plugin.distribution == "dautu"
    assert sqlfork is not None and sqlfork.plugin.distribution == "dautu-sqlite-fork"


def test_a_hook_that_raises_costs_only_its_own_registrations(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-flaky",
        """
        from dautu_adapters.hookspecs import hookimpl
        @hookimpl
        def dautu_register_stores(register):
            raise RuntimeError("config file missing")
        """,
    )
    pm = get_plugin_manager()
    with pytest.warns(PluginWarning, match="config file missing"):
        registry = store_registry(pm)
    assert "sqlite" in registry


def test_a_province_rulebook_replaces_the_builtin_with_its_id(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-hai-duong",
        """
        import attrs
        from dautu_adapters.hookspecs import hookimpl
        from dautu_core.rulebook import LAW_61_2020
        @hookimpl
        def dautu_register_rulebooks(register):
            register(attrs.evolve(LAW_61_2020, extension_cap_months=36))
        """,
    )
    registry = rulebook_registry(get_plugin_manager())
    book = registry.rulebooks.in_force(date(2024, 2, 21))
    assert (book.id, book.extension_cap_months) == ("vn.law-61-2020", 36)
    origin = registry.origin("vn.law-61-2020")
    assert origin is not None and origin.distribution == "dautu-hai-duong"
    assert registry.rulebooks.in_force(date(2027, 1, 1)) == BUILTIN_RULEBOOKS.in_force(
        date(2027, 1, 1)
    )


def test_an_overlapping_rulebook_is_refused_with_a_warning(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-overlap",
        """
        import attrs
        from datetime import date
        from dautu_adapters.hookspecs import hookimpl
        from dautu_core.rulebook import LAW_61_2020
        @hookimpl
        def dautu_register_rulebooks(register):
            register(attrs.evolve(LAW_61_2020, id="vn.overlap", valid_from=date(2024, 1, 1)))
        """,
    )
    pm = get_plugin_manager()
    with pytest.warns(PluginWarning, match="vn.overlap"):
        registry = rulebook_registry(pm)
    assert registry.rulebooks == BUILTIN_RULEBOOKS


def test_exporters_and_review_rulebooks_are_registered_with_their_plugin(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-open-data",
        """
        import types
        from dautu_adapters.hookspecs import hookimpl
        def csv_exporter(store, out, options):
            return []
        @hookimpl
        def dautu_register_exporters(register):
            register("csv-vi", csv_exporter, "CSV UTF-8 BOM")
        @hookimpl
        def dautu_register_review_rulebooks(register):
            register(types.SimpleNamespace(id="hd.review-2024", title_en="Hai Duong 2024"))
        """,
    )
    pm = get_plugin_manager()
    exporter = exporter_registry(pm).get("csv-vi")
    assert exporter is not None and exporter.plugin.distribution == "dautu-open-data"
    assert exporter.description == "CSV UTF-8 BOM"
    review = review_rulebook_registry(pm).get("hd.review-2024")
    assert review is not None and review.plugin.version == "1.2.3"


def test_importing_dautu_loads_no_plugin() -> None:
    code = (
        "import sys, dautu_adapters.plugins, dautu_adapters.stores, dautu_adapters.service;"
        "print(sorted(m for m in sys.modules if m.endswith('.plugin')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
