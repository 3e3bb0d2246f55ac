"""Storage: pick a backend with one URL; every builtin backend is an eventsourcing recorder.

    from dautu_adapters.stores import open_store

    store = open_store("sqlite:///dautu.db")      # or memory://, postgresql://..., eventsourcing://...

The URL's scheme selects a factory from the store registry, which plugins fill (see
:mod:`dautu_adapters.plugins`); the builtins register ``memory``, ``sqlite``, ``postgresql``
(alias ``postgres``) and ``eventsourcing``. What each factory understands is documented in
:mod:`dautu_adapters.stores.backends` and in ``docs/storage.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from dautu_adapters.stores.errors import (
    MissingDependency,
    SealingMismatch,
    StorageError,
    StreamCorrupted,
    missing_dependency,
)
from dautu_adapters.stores.sealing import RecordSealer, SealingMode, generate_cipher_key
from dautu_adapters.stores.store import PROJECT_NAMESPACE, RecorderStore, stream_id
from dautu_adapters.stores.urls import (
    CIPHER_KEY_ENV,
    COMPRESS_ENV,
    DEFAULT_STORE_URL,
    STORE_ENV,
    StoreURL,
    default_store_url,
    parse_store_url,
    redact_url,
)
from dautu_core.errors import InvalidValue
from dautu_core.ports import AppendBatch, CheckpointStore, EventStore

if TYPE_CHECKING:
    from dautu_adapters.plugins import DautuPluginManager

__all__ = [
    "CIPHER_KEY_ENV",
    "COMPRESS_ENV",
    "DEFAULT_STORE_URL",
    "PROJECT_NAMESPACE",
    "STORE_ENV",
    "MissingDependency",
    "ReadOnlyStore",
    "RecordSealer",
    "RecorderStore",
    "SealingMismatch",
    "SealingMode",
    "StorageError",
    "Store",
    "StoreURL",
    "StreamCorrupted",
    "default_store_url",
    "generate_cipher_key",
    "installed_schemes",
    "open_store",
    "parse_store_url",
    "redact_url",
    "stream_id",
]


class Store(EventStore, CheckpointStore, Protocol):
    """What :func:`open_store` returns for the builtin backends: an event store that also
    keeps projection checkpoints."""


def installed_schemes(plugin_manager: DautuPluginManager | None = None) -> list[str]:
    """URL schemes of every installed store backend, sorted."""
    from dautu_adapters.plugins import store_registry

    return sorted(store_registry(plugin_manager).names())


def open_store(
    url: str | None = None,
    *,
    plugin_manager: DautuPluginManager | None = None,
    read_only: bool = False,
    **options: Any,
) -> Store:
    """Open the store at ``url`` (default ``$DAUTU_STORE``, else ``sqlite:///dautu.db``).

    ``options`` go to the backend's factory; the builtins understand ``cipher_key``,
    ``compress``, ``upcasters`` and ``env`` (see :mod:`dautu_adapters.stores.backends`).
    Raises :class:`~dautu_core.errors.InvalidValue` naming the installed schemes when no
    installed backend handles the URL's scheme, :class:`MissingDependency` naming what to
    ``pip install`` when the backend needs a package (a database driver) that is missing,
    :class:`SealingMismatch` when the store was written with another encryption setting.

    ``read_only=True`` opens an existing store for reading: nothing is created or written
    (see :mod:`dautu_adapters.stores.backends`), a store that is not there is a
    :class:`StorageError` (rule ``store_missing``) naming the URL, and every write is refused
    (rule ``store_read_only``). Builtin backends get the option ``read_only``; a backend of
    another plugin is opened as it opens and handed back behind :class:`ReadOnlyStore`, which
    refuses dautu's writes.
    """
    from dautu_adapters.plugins import store_registry

    parsed = parse_store_url(url if url is not None else default_store_url())
    registry = store_registry(plugin_manager)
    entry = registry.get(parsed.scheme)
    if entry is None:
        schemes = ", ".join(f"{s}://" for s in sorted(registry.names())) or "-"
        raise InvalidValue(
            f"Không có kho lưu trữ nào cho '{parsed.scheme}://'; các loại đã cài: {schemes}",
            f"no store backend handles '{parsed.scheme}://'; installed: {schemes}",
            field="store_url",
            rule_id="store_scheme_known",
        )
    builtin = entry.plugin.is_builtin
    if read_only and builtin:
        options["read_only"] = True
    try:
        store = cast(Store, entry.value(parsed.raw, options))
    except ImportError as exc:
        raise missing_dependency(exc, parsed.redacted) from exc
    if read_only and not builtin:
        return cast(Store, ReadOnlyStore(store))
    return store


class ReadOnlyStore:
    """Another backend's store seen for reading only: writes refused, the rest delegated."""

    read_only = True

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def __repr__(self) -> str:
        return f"<ReadOnlyStore {self._store!r}>"

    def _refuse(self, project_code: str | None) -> StorageError:
        where = getattr(self._store, "url", None) or type(self._store).__name__
        return StorageError(
            f"Kho lưu trữ {where} được mở chỉ để đọc; không có gì được ghi",
            f"the store {where} is open for reading only; nothing was written",
            project_code=project_code,
            rule_id="store_read_only",
        )

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        raise self._refuse(next((b.project_code for b in batches), None))

    def save_checkpoint(self, name: str, position: int, state: bytes) -> None:
        raise self._refuse(None)
