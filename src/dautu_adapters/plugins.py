"""The plugin manager and the registries built from the plugin hooks.

Why this shape:

- The manager is built by :func:`get_plugin_manager`, never at import time: importing dautu
  must not import every installed plugin (an embedder may only want the core).
- Builtins are ordinary plugins: dautu's own distribution declares them under the ``dautu``
  entry-point group exactly like a third-party package does, and they are loaded the same way
  (first, so that a third-party plugin cannot silently take over a builtin URL scheme).
- A plugin that fails to import, or whose hook raises, costs a warning naming its distribution
  and entry point, not every command: a clerk's ``dautu`` must keep working when an optional
  add-on is broken. ``DAUTU_STRICT_PLUGINS=1`` (or ``strict=True``) turns that into an error,
  for CI and for adapter authors.
- Registries remember which plugin (name, distribution, version) registered what, so that
  ``dautu plugins`` can say where a backend comes from.
"""

from __future__ import annotations

import functools
import importlib
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

import attrs
import pluggy

from dautu_adapters import hookspecs
from dautu_adapters.exporters.options import ExporterOption, check_declared
from dautu_adapters.hookspecs import PROJECT_NAME, Exporter, StoreFactory
from dautu_core import __version__
from dautu_core.errors import PluginError
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebook, Rulebooks

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "STRICT_ENV",
    "DautuPluginManager",
    "LoadFailure",
    "PluginError",
    "PluginInfo",
    "PluginWarning",
    "Registration",
    "Registry",
    "RulebookRegistry",
    "default_plugin_manager",
    "exporter_registry",
    "get_plugin_manager",
    "review_rulebook_registry",
    "rulebook_registry",
    "store_registry",
]

ENTRY_POINT_GROUP = PROJECT_NAME
STRICT_ENV = "DAUTU_STRICT_PLUGINS"
DISTRIBUTION = "dautu"

BUILTIN_PLUGINS: dict[str, str] = {
    "stores": "dautu_adapters.stores.plugin",
    "review": "dautu_adapters.review.plugin",
    "audit": "dautu_adapters.audit.plugin",
    "workbook": "dautu_adapters.workbook.plugin",
    "exporters": "dautu_adapters.exporters.plugin",
    "html": "dautu_adapters.html.plugin",
}
"""dautu's own plugins, as declared in its ``pyproject.toml``; used when dautu runs from a
source tree without installed metadata."""

T = TypeVar("T")


class PluginWarning(UserWarning):
    """A plugin could not be loaded or misbehaved; it was skipped."""


@attrs.frozen
class PluginInfo:
    """Where a plugin comes from."""

    name: str
    distribution: str | None = None
    version: str | None = None
    module: str | None = None
    entry_point: str | None = None

    @property
    def is_builtin(self) -> bool:
        return self.distribution == DISTRIBUTION

    def describe(self) -> str:
        dist = f"{self.distribution} {self.version or ''}".strip() if self.distribution else "?"
        return f"{self.name!r} ({dist})"


BUILTIN_CORE = PluginInfo(
    name="dautu_core", distribution=DISTRIBUTION, version=__version__, module="dautu_core"
)
"""Stands for the core itself, which offers the builtin rulebooks without a hook."""


@attrs.frozen
class LoadFailure:
    """A problem with a plugin, and at which stage: ``import`` or ``register`` (the plugin is
    not in use at all), ``hook`` (one of its hooks raised) or ``registration`` (something it
    registered was refused)."""

    plugin: PluginInfo
    error: str
    stage: str = "import"

    @property
    def disabled(self) -> bool:
        return self.stage in ("import", "register")


class DautuPluginManager(pluggy.PluginManager):
    """A pluggy manager for project ``dautu`` that knows where each plugin comes from."""

    def __init__(self, *, strict: bool = False) -> None:
        super().__init__(PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.strict = strict
        self.plugin_info: dict[str, PluginInfo] = {}
        self.attempted: list[PluginInfo] = []
        self.failures: list[LoadFailure] = []

    def register_plugin(self, plugin: object, info: PluginInfo) -> str | None:
        """Register ``plugin`` under ``info.name`` (made unique); a failure is reported."""
        name = info.name
        if self.has_plugin(name) or self.is_blocked(name):
            name = f"{info.distribution}:{info.name}"
            info = attrs.evolve(info, name=name)
        try:
            registered = self.register(plugin, name=name)
        except Exception as exc:
            self.attempted.append(info)
            self.report(info, f"cannot register: {type(exc).__name__}: {exc}", exc, "register")
            return None
        if registered is not None:
            self.plugin_info[registered] = info
            self.attempted.append(info)
        return registered

    def info(self, plugin_name: str) -> PluginInfo:
        return self.plugin_info.get(plugin_name) or PluginInfo(name=plugin_name)

    def report(
        self,
        info: PluginInfo,
        problem: str,
        exc: BaseException | None = None,
        stage: str = "registration",
    ) -> None:
        """Warn about a misbehaving plugin (or raise in strict mode)."""
        self.failures.append(LoadFailure(info, problem, stage))
        where = info.describe()
        if info.entry_point:
            where += f", entry point '{info.entry_point}'"
        if self.strict:
            raise PluginError(
                f"Plugin dautu {where} bị lỗi ({STRICT_ENV}=1): {problem}",
                f"dautu plugin {where} failed ({STRICT_ENV}=1): {problem}",
                field="plugin",
                rule_id="plugin_load",
            ) from exc
        warnings.warn(
            f"dautu plugin {where} is ignored: {problem} "
            f"(set {STRICT_ENV}=1 to make this an error)",
            PluginWarning,
            stacklevel=3,
        )


def _strict_from_env() -> bool:
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _sorted_entry_points() -> list[EntryPoint]:
    found = list(entry_points(group=ENTRY_POINT_GROUP))

    def key(ep: EntryPoint) -> tuple[int, str, str]:
        dist = ep.dist.name if ep.dist is not None else ""
        return (0 if _norm(dist) == DISTRIBUTION else 1, _norm(dist), ep.name)

    return sorted(found, key=key)


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _load(pm: DautuPluginManager, info: PluginInfo, load: Callable[[], object]) -> None:
    try:
        plugin = load()
    except Exception as exc:
        pm.attempted.append(info)
        pm.report(info, f"import failed: {type(exc).__name__}: {exc}", exc, "import")
        return
    pm.register_plugin(plugin, info)


def get_plugin_manager(
    *, strict: bool | None = None, load_entrypoints: bool = True
) -> DautuPluginManager:
    """A new plugin manager with dautu's hooks and every installed plugin registered.

    ``load_entrypoints=False`` registers only dautu's builtin plugins (no third-party code
    runs). ``strict=None`` reads ``$DAUTU_STRICT_PLUGINS``.
    """
    pm = DautuPluginManager(strict=_strict_from_env() if strict is None else strict)
    found: list[PluginInfo] = []
    loaders: list[Callable[[], object]] = []
    for ep in _sorted_entry_points() if load_entrypoints else []:
        dist = ep.dist
        found.append(
            PluginInfo(
                name=ep.name,
                distribution=dist.name if dist is not None else None,
                version=dist.version if dist is not None else None,
                module=ep.module,
                entry_point=f"{ep.name} = {ep.value}",
            )
        )
        loaders.append(ep.load)
    declared = {info.module for info in found if info.is_builtin}
    # A builtin the installed metadata does not declare (no metadata at all, or an editable
    # install older than the source tree) is loaded from the source, still before any
    # third-party plugin: dautu's own plugins are always there.
    missing: list[tuple[PluginInfo, Callable[[], object]]] = [
        (
            PluginInfo(
                name=name,
                distribution=DISTRIBUTION,
                version=__version__,
                module=module,
                entry_point=f"{name} = {module}",
            ),
            functools.partial(importlib.import_module, module),
        )
        for name, module in BUILTIN_PLUGINS.items()
        if module not in declared
    ]
    builtins = [(i, f) for i, f in zip(found, loaders, strict=True) if i.is_builtin]
    others = [(i, f) for i, f in zip(found, loaders, strict=True) if not i.is_builtin]
    for info, load in [*builtins, *missing, *others]:
        _load(pm, info, load)
    return pm


@functools.cache
def default_plugin_manager() -> DautuPluginManager:
    """The process-wide manager used when none is passed (built on first use, then kept)."""
    return get_plugin_manager()


# --- registries -------------------------------------------------------------------------------


@attrs.frozen
class Registration(Generic[T]):
    """One thing a plugin registered: its key, the object, a description, the plugin, and the
    options it declared (exporters)."""

    name: str
    value: T
    description: str
    plugin: PluginInfo
    options: tuple[ExporterOption, ...] = ()


class Registry(Generic[T]):
    """Registrations by key, in registration order; the first registration of a key wins."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Registration[T]] = {}

    def get(self, name: str) -> Registration[T] | None:
        return self._entries.get(name)

    def names(self) -> list[str]:
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Registration[T]]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, pm: DautuPluginManager, registration: Registration[T], *, replace: bool) -> None:
        existing = self._entries.get(registration.name)
        if existing is None or (replace and existing.plugin.is_builtin):
            self._entries[registration.name] = registration
            return
        pm.report(
            registration.plugin,
            f"{self.kind} {registration.name!r} is already registered by plugin "
            f"{existing.plugin.describe()}; the first registration is kept",
        )


def _call_hooks(
    pm: DautuPluginManager, hook_name: str, make_register: Callable[[PluginInfo], Any]
) -> None:
    """Call one registry hook plugin by plugin (registration order), to know who registered."""
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():
        info = pm.info(impl.plugin_name)
        kwargs = {"register": make_register(info)}
        try:
            impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except PluginError:
            raise
        except Exception as exc:
            pm.report(info, f"hook {hook_name} failed: {type(exc).__name__}: {exc}", exc, "hook")


def store_registry(pm: DautuPluginManager | None = None) -> Registry[StoreFactory]:
    """Store factories by URL scheme (lower case). A duplicate scheme warns; the first stays."""
    pm = pm or default_plugin_manager()
    registry: Registry[StoreFactory] = Registry("store scheme")

    def make_register(info: PluginInfo) -> Callable[[str, StoreFactory, str], None]:
        def register(scheme: str, factory: StoreFactory, description: str = "") -> None:
            key = scheme.lower().removesuffix("://")
            registry.add(pm, Registration(key, factory, description, info), replace=False)

        return register

    _call_hooks(pm, "dautu_register_stores", make_register)
    return registry


def exporter_registry(pm: DautuPluginManager | None = None) -> Registry[Exporter]:
    """Exporters by name, with their declared options. A duplicate name warns, the first stays;
    an exporter whose options are malformed (not :class:`ExporterOption`, a name twice) is
    refused with a warning."""
    pm = pm or default_plugin_manager()
    registry: Registry[Exporter] = Registry("exporter")

    def make_register(info: PluginInfo) -> Callable[..., None]:
        def register(
            name: str,
            exporter: Exporter,
            description: str = "",
            options: Sequence[ExporterOption] = (),
        ) -> None:
            try:
                declared = check_declared(options)
            except ValueError as exc:
                pm.report(info, f"exporter {name!r} is refused: {exc}")
                return
            registration = Registration(name, exporter, description, info, declared)
            registry.add(pm, registration, replace=False)

        return register

    _call_hooks(pm, "dautu_register_exporters", make_register)
    return registry


@attrs.frozen
class RulebookRegistry:
    """The rulebooks in force (builtins replaced or extended by plugins) and their origins."""

    rulebooks: Rulebooks
    registrations: tuple[Registration[Rulebook], ...]

    def origin(self, rulebook_id: str) -> PluginInfo | None:
        for registration in self.registrations:
            if registration.name == rulebook_id:
                return registration.plugin
        return None


def rulebook_registry(pm: DautuPluginManager | None = None) -> RulebookRegistry:
    """``BUILTIN_RULEBOOKS`` with plugin rulebooks applied.

    A plugin rulebook with the id of a builtin one replaces it (a province's reading of the
    law); one with a new id is added. A rulebook whose validity overlaps another's, or a second
    third-party rulebook with an id already taken, is skipped with a warning.
    """
    pm = pm or default_plugin_manager()
    entries: dict[str, Registration[Rulebook]] = {
        book.id: Registration(book.id, book, book.title_en, BUILTIN_CORE)
        for book in BUILTIN_RULEBOOKS.books
    }

    def make_register(info: PluginInfo) -> Callable[[Rulebook], None]:
        def register(rulebook: Rulebook) -> None:
            if not isinstance(rulebook, Rulebook):
                pm.report(info, f"registered {rulebook!r}, which is not a dautu Rulebook")
                return
            existing = entries.get(rulebook.id)
            if existing is not None and not existing.plugin.is_builtin:
                pm.report(
                    info,
                    f"rulebook {rulebook.id!r} is already registered by plugin "
                    f"{existing.plugin.describe()}; the first registration is kept",
                )
                return
            candidate = {**entries, rulebook.id: Registration(rulebook.id, rulebook, "", info)}
            try:
                Rulebooks(tuple(r.value for r in candidate.values()))
            except ValueError as exc:
                pm.report(info, f"rulebook {rulebook.id!r} is refused: {exc}")
                return
            entries[rulebook.id] = Registration(rulebook.id, rulebook, rulebook.title_en, info)

        return register

    _call_hooks(pm, "dautu_register_rulebooks", make_register)
    books = Rulebooks(tuple(r.value for r in entries.values()))
    return RulebookRegistry(books, tuple(entries.values()))


def review_rulebook_registry(pm: DautuPluginManager | None = None) -> Registry[Any]:
    """Review rulebooks by their ``id``; a third-party one may replace a builtin one."""
    pm = pm or default_plugin_manager()
    registry: Registry[Any] = Registry("review rulebook")

    def make_register(info: PluginInfo) -> Callable[[Any], None]:
        def register(review_rulebook: Any) -> None:
            key = str(getattr(review_rulebook, "id", None) or repr(review_rulebook))
            description = str(getattr(review_rulebook, "title_en", "") or "")
            registry.add(pm, Registration(key, review_rulebook, description, info), replace=True)

        return register

    _call_hooks(pm, "dautu_register_review_rulebooks", make_register)
    return registry
