"""The plugin hooks of dautu (pluggy project and entry-point group ``dautu``).

A plugin is a module with ``@hookimpl`` functions, published under the ``dautu`` entry-point
group of its distribution::

    [project.entry-points.dautu]
    jsonl = "dautu_jsonl.plugin"

Hooks are registry-style: dautu calls each hook once with a ``register`` callback, and the
plugin calls ``register`` for every backend, exporter or rulebook it offers. One plugin can thus
offer several things, and dautu knows which plugin offered what (``dautu plugins``).

The builtins (memory, SQLite, PostgreSQL stores; the builtin rulebooks; the builtin exporters)
are plugins registered exactly the same way, through this distribution's own entry points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pluggy

from dautu_adapters.exporters.options import ExporterOption
from dautu_core.ports import EventStore
from dautu_core.rulebook import Rulebook

__all__ = [
    "PROJECT_NAME",
    "Exporter",
    "ExporterOption",
    "RegisterExporter",
    "RegisterReviewRulebook",
    "RegisterRulebook",
    "RegisterStore",
    "StoreFactory",
    "dautu_register_exporters",
    "dautu_register_review_rulebooks",
    "dautu_register_rulebooks",
    "dautu_register_stores",
    "exporter_requires",
    "hookimpl",
    "hookspec",
    "requires",
]

PROJECT_NAME = "dautu"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class StoreFactory(Protocol):
    """Opens a store for a URL whose scheme the factory was registered for.

    ``options`` are the keyword arguments of ``open_store`` (``cipher_key``, ``compress``,
    ``upcasters``, ``env``; the ``dautu`` command passes none). A factory refuses an option
    it does not support rather than ignoring it: see ``docs/writing-an-adapter.md``.
    """

    def __call__(self, url: str, options: Mapping[str, Any]) -> EventStore: ...


class Exporter(Protocol):
    """Writes an export of the records in ``store`` to ``out`` (a file or a folder).

    ``options`` holds the options the exporter declared when it registered, converted to their
    types and with their defaults filled (``dautu export`` refuses any other), plus ``lang``
    (``vi`` or ``en``) and ``now`` (the time of the export, Vietnam time). A Python caller may
    pass text where a type was declared; an exporter that cares converts it the same way
    (:meth:`ExporterOption.convert`). Returns the paths written.
    """

    def __call__(self, store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]: ...


class RegisterExporter(Protocol):
    """``register(name, exporter, description, options=[ExporterOption(...), ...])``."""

    def __call__(
        self,
        name: str,
        exporter: Exporter,
        description: str = "",
        options: Sequence[ExporterOption] = (),
    ) -> None: ...


_REQUIRES = "dautu_requires"

_E = TypeVar("_E")


def requires(*modules: str, install: str | None = None) -> Callable[[_E], _E]:
    """Declare the Python modules an exporter needs and what to ``pip install`` for them
    (``@requires("openpyxl", install="dautu[excel]")``), so that ``dautu plugins`` can mark it
    unavailable when one is missing, before anyone runs it.

    The exporter still raises its own clear error when run without them; this only lets the
    listing tell the truth. Nothing is imported here, so ``dautu plugins`` stays fast.
    """
    hint = install or " ".join(m.partition(".")[0].replace("_", "-") for m in modules)

    def mark(exporter: _E) -> _E:
        setattr(exporter, _REQUIRES, (tuple(modules), hint))
        return exporter

    return mark


def exporter_requires(exporter: object) -> tuple[tuple[str, ...], str]:
    """``(modules, what to pip install)`` as ``exporter`` declared them with :func:`requires`
    (``((), "")`` when it declared none)."""
    modules, hint = getattr(exporter, _REQUIRES, ((), ""))
    return tuple(str(m) for m in modules), str(hint)


RegisterStore = Callable[[str, StoreFactory, str], None]
"""``register(scheme, factory, description)``."""
RegisterRulebook = Callable[[Rulebook], None]
"""``register(rulebook)``."""
RegisterReviewRulebook = Callable[[Any], None]
"""``register(review_rulebook)`` (a :class:`dautu_core.review.ReviewRulebook`)."""


@hookspec
def dautu_register_stores(register: RegisterStore) -> None:
    """Offer storage backends, one ``register(scheme, factory, description)`` call each.

    ``scheme`` is the URL scheme users pick the backend with (``"sqlite"`` for
    ``sqlite:///dautu.db``). A later registration of the same scheme is refused with a warning
    naming both plugins: builtins cannot be silently replaced.
    """


@hookspec
def dautu_register_exporters(register: RegisterExporter) -> None:
    """Offer exporters, one ``register(name, exporter, description, options=[...])`` call each.

    ``name`` is what users type after ``dautu export`` (``"audit-bundle"``, ``"oc4ids"``).
    ``options`` declares every option the exporter reads (:class:`ExporterOption`: name, type,
    help, default); ``dautu export`` refuses any other, and ``--project``/``--as-of`` are
    accepted only by an exporter that declares ``project``/``as_of``. A later registration of
    the same name is refused with a warning naming both plugins; so is one whose options are
    malformed.
    """


@hookspec
def dautu_register_rulebooks(register: RegisterRulebook) -> None:
    """Offer dated rulebooks (:class:`dautu_core.rulebook.Rulebook`) for the invariants.

    A province's rulebook replaces a builtin one with the same ``id``; rulebooks in force on
    overlapping dates are refused.
    """


@hookspec
def dautu_register_review_rulebooks(register: RegisterReviewRulebook) -> None:
    """Offer review rulebooks: the dated rules that propose a handling track per project.

    Registered by their ``id``. One with the id of a builtin review rulebook replaces it (a
    province's own reading); two third-party plugins offering the same id: the first is kept,
    with a warning naming both.
    """
