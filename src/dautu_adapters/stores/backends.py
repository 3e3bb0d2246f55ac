"""The builtin store factories, one per URL scheme, all on eventsourcing recorders.

Each factory turns a URL and options into eventsourcing *environment settings* (the same
``PERSISTENCE_MODULE``, ``SQLITE_DBNAME``, ``POSTGRES_*``, ``CIPHER_KEY``, ``COMPRESSOR_TOPIC``
keys eventsourcing applications read), builds eventsourcing's infrastructure factory from them
and wraps its application recorder in a :class:`~dautu_adapters.stores.store.RecorderStore`.
So whatever eventsourcing documents for a persistence module applies to dautu too.

Options understood by every builtin factory (keyword arguments of ``open_store``):

``cipher_key``  base64 AES key (16, 24 or 32 bytes): encrypt records and projection states at
                rest with eventsourcing's AES-GCM cipher. Default ``$DAUTU_CIPHER_KEY``.
``compress``    compress new records with zlib. Default: the URL's ``?compress=1``, else
                ``$DAUTU_COMPRESS``. Reading detects compression by itself.
``upcasters``   :class:`dautu_core.codec.Upcasters` offered to whoever decodes the records.
``env``         extra eventsourcing settings (mapping of str to str), merged last.

A store keeps its URL for display with every secret hidden (``RecorderStore.url``).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import SplitResult, unquote, urlsplit
from uuid import uuid4

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    InfrastructureFactoryError,
    PersistenceError,
)
from eventsourcing.utils import Environment

from dautu_adapters.stores.checkpoints import (
    CheckpointBackend,
    MemoryCheckpoints,
    PostgresCheckpoints,
    RecorderCheckpoints,
    SQLiteCheckpoints,
)
from dautu_adapters.stores.errors import (
    StorageError,
    import_error_in,
    is_known_dependency,
    missing_dependency,
)
from dautu_adapters.stores.recorders import PositionedPOPORecorder, use_sqlite_pragmas
from dautu_adapters.stores.sealing import RecordSealer, cipher_environment
from dautu_adapters.stores.store import RecorderStore
from dautu_adapters.stores.urls import (
    CIPHER_KEY_ENV,
    COMPRESS_ENV,
    StoreURL,
    parse_store_url,
    truthy,
)
from dautu_core.codec import NO_UPCASTERS, Upcasters
from dautu_core.errors import InvalidValue

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "WRITE_TIMEOUT_SETTING",
    "open_eventsourcing_store",
    "open_memory_store",
    "open_postgres_store",
    "open_sqlite_store",
    "sqlite_database_name",
]

_SQLITE_RECORDER = "dautu_adapters.stores.recorders:PositionedSQLiteRecorder"
_POSTGRES_RECORDER = "dautu_adapters.stores.postgres_recorder:PositionedPostgresRecorder"
DEFAULT_CONNECT_TIMEOUT = "5"
"""Seconds to wait for a PostgreSQL connection (eventsourcing's own default is 30), unless the
URL says ``?connect_timeout=N`` (or the setting ``POSTGRES_CONNECT_TIMEOUT``). It bounds both
eventsourcing's wait for a pooled connection and each connection attempt (libpq's
``connect_timeout``), so that a server that never answers costs that long, not minutes."""
WRITE_TIMEOUT_SETTING = "POSTGRES_WRITE_TIMEOUT"
"""dautu's own setting (URL ``?write_timeout=SECONDS``): how long one PostgreSQL insert
transaction may take before it is cancelled and rolled back, see
:mod:`dautu_adapters.stores.postgres_recorder` (default 60)."""
_POSTGRES_QUERY = {
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
    "write_timeout": WRITE_TIMEOUT_SETTING,
    "lock_timeout": "POSTGRES_LOCK_TIMEOUT",
    "pool_size": "POSTGRES_POOL_SIZE",
    "max_overflow": "POSTGRES_MAX_OVERFLOW",
    "pre_ping": "POSTGRES_PRE_PING",
    "idle_in_transaction_session_timeout": "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT",
}


def _common(url: StoreURL, options: Mapping[str, Any]) -> tuple[dict[str, str], Upcasters]:
    """Cipher and compression settings, and the upcasters, from options, URL and env."""
    cipher_key = options.get("cipher_key") or os.environ.get(CIPHER_KEY_ENV, "").strip() or None
    if options.get("compress") is not None:
        compress = truthy(options["compress"])
    else:
        compress = truthy(url.query.get("compress", os.environ.get(COMPRESS_ENV, "")))
    upcasters = options.get("upcasters") or NO_UPCASTERS
    if not isinstance(upcasters, Upcasters):
        raise InvalidValue(
            "Tuỳ chọn upcasters phải là dautu_core.codec.Upcasters",
            "the upcasters option must be a dautu_core.codec.Upcasters",
            field="upcasters",
            rule_id="store_options",
        )
    return cipher_environment(cipher_key, compress), upcasters


def _extra_env(options: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(options.get("env") or {}).items()}


def _cannot_open(url: StoreURL, exc: Exception) -> StorageError:
    return StorageError(
        f"Không mở được kho lưu trữ {url.redacted}: {exc}",
        f"cannot open the store {url.redacted}: {exc}",
        field="store_url",
        rule_id="store_connection",
    )


_Factory = TypeVar("_Factory", bound=InfrastructureFactory[Any])


def _recorder_store(
    url: StoreURL,
    upcasters: Upcasters,
    make_factory: Callable[[], _Factory],
    parts: Callable[[_Factory], tuple[ApplicationRecorder, CheckpointBackend]],
) -> RecorderStore:
    """The one way every builtin backend builds its store.

    ``make_factory()`` gives the eventsourcing infrastructure factory, ``parts(factory)`` the
    application recorder and the checkpoint backend. The store is sealed with the factory's
    cipher and compressor, shows ``url`` redacted, and closes the factory with it. A database
    that cannot be reached is a :class:`StorageError`; the factory is closed on any failure.
    """
    factory: _Factory | None = None
    try:
        factory = make_factory()
        recorder, checkpoints = parts(factory)
        return RecorderStore(
            recorder,
            url=url.redacted,
            sealer=RecordSealer.for_factory(factory),
            checkpoints=checkpoints,
            upcasters=upcasters,
            on_close=[factory.close],
        )
    except (PersistenceError, OSError) as exc:
        if factory is not None:
            factory.close()
        raise _cannot_open(url, exc) from exc
    except BaseException:
        if factory is not None:
            factory.close()
        raise


def open_memory_store(url: str, options: Mapping[str, Any]) -> RecorderStore:
    """``memory://``: eventsourcing's in-memory (POPO) recorder; gone when the process ends."""
    from eventsourcing.popo import POPOFactory

    parsed = parse_store_url(url)
    env, upcasters = _common(parsed, options)
    return _recorder_store(
        parsed,
        upcasters,
        lambda: POPOFactory(Environment(env=env)),
        lambda _: (PositionedPOPORecorder(), MemoryCheckpoints()),
    )


def sqlite_database_name(url: StoreURL) -> str:
    """The SQLite file of ``sqlite:///relative.db``, ``sqlite:////absolute.db``, or a private
    shared-cache memory database for ``sqlite:///:memory:``."""
    if not url.location.startswith("/") or url.location == "/":
        raise InvalidValue(
            f"Địa chỉ SQLite phải có dạng sqlite:///tệp.db hoặc sqlite:////đường/dẫn/tệp.db, "
            f"nhận được {url.redacted!r}",
            f"an SQLite URL looks like sqlite:///file.db or sqlite:////absolute/file.db, "
            f"got {url.redacted!r}",
            field="store_url",
            rule_id="store_url_format",
        )
    path = unquote(url.location[1:])
    if path == ":memory:":
        # A plain ":memory:" would give every pooled connection its own empty database.
        return f"file:dautu-{uuid4().hex}?mode=memory&cache=shared"
    return path


def open_sqlite_store(url: str, options: Mapping[str, Any]) -> RecorderStore:
    """``sqlite:///file.db``: eventsourcing's SQLite recorder (WAL mode), one file per store.

    URL query: ``compress=1``, ``lock_timeout=SECONDS`` (how long a writer waits for another),
    ``synchronous=full|normal`` (SQLite's ``PRAGMA synchronous``; default ``full``: every
    command is on disk when ``append`` returns. ``normal`` skips the flush to disk at each
    commit: a crash of the program loses nothing, a power cut may lose the last commands but
    never leaves half of one).
    """
    from eventsourcing.sqlite import SQLiteFactory

    parsed = parse_store_url(url)
    env, upcasters = _common(parsed, options)
    env |= {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": sqlite_database_name(parsed),
        "APPLICATION_RECORDER_TOPIC": _SQLITE_RECORDER,
    }
    if parsed.query.get("lock_timeout"):
        env["SQLITE_LOCK_TIMEOUT"] = parsed.query["lock_timeout"]
    env |= _extra_env(options)
    synchronous = parsed.query.get("synchronous", "").strip().lower()
    if synchronous not in ("", "full", "normal", "extra"):
        raise InvalidValue(
            f"synchronous phải là full, normal hoặc extra, nhận được {synchronous!r}",
            f"synchronous must be full, normal or extra, got {synchronous!r}",
            field="synchronous",
            rule_id="store_options",
        )

    def parts(factory: SQLiteFactory) -> tuple[ApplicationRecorder, CheckpointBackend]:
        if synchronous:
            use_sqlite_pragmas(factory.datastore, [f"PRAGMA synchronous={synchronous}"])
        return factory.application_recorder(), SQLiteCheckpoints(factory.datastore)

    return _recorder_store(parsed, upcasters, lambda: SQLiteFactory(Environment(env=env)), parts)


def open_postgres_store(url: str, options: Mapping[str, Any]) -> RecorderStore:
    """``postgresql://user:pass@host:port/db``: eventsourcing's PostgreSQL recorder.

    Needs the ``dautu[postgres]`` extra (psycopg 3). URL query: ``schema=NAME`` (created if
    missing; default ``public``), ``compress=1``, ``write_timeout`` (seconds one write may
    take; default 60), and eventsourcing's pool settings ``connect_timeout`` (seconds to wait
    for a connection; default 5), ``lock_timeout``, ``pool_size``, ``max_overflow``,
    ``pre_ping``, ``idle_in_transaction_session_timeout``.

    A port that is not a number from 1 to 65535 is a :class:`StorageError` before anything
    is tried; so is a server that refuses the connection, with the server's reason (a
    database that does not exist is named as such), see :func:`_probe_postgres`.
    """
    parsed = parse_store_url(url)
    if importlib.util.find_spec("psycopg") is None:
        raise missing_dependency(ModuleNotFoundError(name="psycopg"), parsed.redacted)
    from eventsourcing.postgres import PostgresFactory
    from psycopg.sql import SQL, Identifier

    server = urlsplit(parsed.raw)
    dbname = unquote(server.path.lstrip("/"))
    if not dbname:
        raise InvalidValue(
            "Địa chỉ PostgreSQL phải nêu tên cơ sở dữ liệu: postgresql://user:pass@host:5432/db",
            "a PostgreSQL URL must name the database: postgresql://user:pass@host:5432/db",
            field="store_url",
            rule_id="store_url_format",
        )
    port = _postgres_port(parsed, server)
    schema = parsed.query.get("schema", "").strip() or "public"
    env, upcasters = _common(parsed, options)
    env |= {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": server.hostname or "localhost",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(server.username or ""),
        "POSTGRES_PASSWORD": unquote(server.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": DEFAULT_CONNECT_TIMEOUT,
        "APPLICATION_RECORDER_TOPIC": _POSTGRES_RECORDER,
    }
    for key, setting in _POSTGRES_QUERY.items():
        if parsed.query.get(key):
            env[setting] = parsed.query[key]
    env |= _extra_env(options)

    def parts(factory: PostgresFactory) -> tuple[ApplicationRecorder, CheckpointBackend]:
        _prepare_postgres(factory, parsed)
        if schema != "public":
            with factory.datastore.transaction(commit=True) as cursor:
                cursor.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
        recorder = _bound_writes(factory, factory.application_recorder())
        return recorder, PostgresCheckpoints(factory.datastore, schema)

    return _recorder_store(parsed, upcasters, lambda: PostgresFactory(Environment(env=env)), parts)


def open_eventsourcing_store(url: str, options: Mapping[str, Any]) -> RecorderStore:
    """``eventsourcing://?PERSISTENCE_MODULE=module&KEY=value...``: any eventsourcing module.

    Every query parameter except ``compress`` is an eventsourcing environment setting, passed
    as is (values URL-encoded), for example
    ``eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy&SQLALCHEMY_URL=sqlite:///x.db``.
    Projection checkpoints go to the module's aggregate recorder (table
    ``stored_dautu_projections`` for SQL modules), one row per save.
    """
    parsed = parse_store_url(url)
    env, upcasters = _common(parsed, options)
    env |= {k: v for k, v in parsed.query.items() if k != "compress"}
    env |= _extra_env(options)
    module = env.get("PERSISTENCE_MODULE", "").strip()
    if not module:
        raise InvalidValue(
            "Địa chỉ eventsourcing:// phải nêu PERSISTENCE_MODULE, ví dụ "
            "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy&SQLALCHEMY_URL=...",
            "an eventsourcing:// URL must name PERSISTENCE_MODULE, for example "
            "eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy&SQLALCHEMY_URL=...",
            field="store_url",
            rule_id="store_url_format",
        )
    if module == "eventsourcing.sqlite":
        env.setdefault("APPLICATION_RECORDER_TOPIC", _SQLITE_RECORDER)
    elif module == "eventsourcing.postgres":
        env.setdefault("APPLICATION_RECORDER_TOPIC", _POSTGRES_RECORDER)
        env.setdefault("POSTGRES_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)

    def make_factory() -> InfrastructureFactory[Any]:
        try:
            return InfrastructureFactory.construct(Environment(env=env))
        except InfrastructureFactoryError as exc:
            missing = import_error_in(exc)
            if missing is not None and not _names_module(missing, module):
                raise missing_dependency(missing, parsed.redacted) from exc
            raise InvalidValue(
                f"Không dùng được mô-đun lưu trữ eventsourcing {module!r}: {exc}",
                f"cannot use the eventsourcing persistence module {module!r}: {exc}",
                field="PERSISTENCE_MODULE",
                rule_id="store_options",
            ) from exc

    def parts(factory: Any) -> tuple[ApplicationRecorder, CheckpointBackend]:
        if module == "eventsourcing.postgres":
            _prepare_postgres(factory, parsed)
        checkpoints = RecorderCheckpoints(factory.aggregate_recorder("dautu_projections"))
        recorder = _application_recorder(module, factory)
        if module == "eventsourcing.postgres":
            recorder = _bound_writes(factory, recorder)
        return recorder, checkpoints

    return _recorder_store(parsed, upcasters, make_factory, parts)


def _postgres_port(url: StoreURL, server: SplitResult) -> int:
    """The URL's port (5432 if none); one that is not a number from 1 to 65535 is refused."""
    try:
        port = server.port
    except ValueError:
        port = -1
    if port is None:
        return 5432
    if not 1 <= port <= 65535:
        raise StorageError(
            f"Cổng trong địa chỉ kho lưu trữ {url.redacted} không hợp lệ: phải là một số "
            "từ 1 đến 65535 (mặc định 5432)",
            f"the port in the store URL {url.redacted} is not valid: it must be a number "
            "from 1 to 65535 (default 5432)",
            field="store_url",
            rule_id="store_url_format",
        )
    return port


def _prepare_postgres(factory: Any, url: StoreURL) -> None:
    """Bound the pool's connection attempts, then try the server once, directly."""
    _bound_connection_attempts(factory)
    _probe_postgres(factory, url)


def _probe_postgres(factory: Any, url: StoreURL) -> None:
    """Connect once, outside the pool, and raise the server's reason if that fails.

    Why: eventsourcing's pool retries in the background and, after ``connect_timeout``,
    says only "couldn't get a connection"; the reason (no such database, authentication
    refused, connection refused) is in the pool's log, not in the error. One direct attempt
    (bounded by libpq's ``connect_timeout``) costs a few milliseconds and answers at once.
    """
    import psycopg

    kwargs = {k: v for k, v in factory.datastore.pool.kwargs.items() if k != "row_factory"}
    try:
        psycopg.connect(**kwargs).close()
    except psycopg.OperationalError as exc:
        raise _refused(url, str(kwargs.get("dbname", "")), exc) from exc


def _refused(url: StoreURL, dbname: str, exc: Exception) -> StorageError:
    """The error for a PostgreSQL server that would not give a connection: its reason on
    one line, libpq's ``connection failed: connection to server at ... failed:`` prefix
    and its ``FATAL:`` marker left out."""
    reason = "; ".join(" ".join(line.split()) for line in str(exc).splitlines() if line.strip())
    reason = reason.rpartition(" failed: ")[2] or reason
    reason = reason.removeprefix("FATAL: ").strip()
    if reason == f'database "{dbname}" does not exist':
        return StorageError(
            f'Không mở được kho lưu trữ {url.redacted}: cơ sở dữ liệu "{dbname}" không tồn '
            f"tại trên máy chủ PostgreSQL (hãy tạo nó trước, ví dụ: createdb {dbname})",
            f'cannot open the store {url.redacted}: database "{dbname}" does not exist on '
            f"the PostgreSQL server (create it first, for example: createdb {dbname})",
            field="store_url",
            rule_id="store_connection",
        )
    return StorageError(
        f"Không mở được kho lưu trữ {url.redacted}: máy chủ PostgreSQL không cho kết nối "
        f"({reason})",
        f"cannot open the store {url.redacted}: the PostgreSQL server gave no connection "
        f"({reason})",
        field="store_url",
        rule_id="store_connection",
    )


def _bound_writes(factory: Any, recorder: ApplicationRecorder) -> ApplicationRecorder:
    """Give dautu's PostgreSQL recorder the store's ``write_timeout`` (seconds, > 0)."""
    from dautu_adapters.stores.postgres_recorder import PositionedPostgresRecorder

    text = (factory.env.get(WRITE_TIMEOUT_SETTING) or "").strip()
    if not text or not isinstance(recorder, PositionedPostgresRecorder):
        return recorder
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 10**6:
        raise InvalidValue(
            f"write_timeout phải là số giây lớn hơn 0, nhận được {text!r}",
            f"write_timeout must be a number of seconds greater than 0, got {text!r}",
            field="write_timeout",
            rule_id="store_options",
        )
    recorder.write_timeout = seconds
    return recorder


def _bound_connection_attempts(factory: Any) -> None:
    """Give each PostgreSQL connection attempt of the (not yet opened) pool libpq's
    ``connect_timeout``: without it a worker waits on a silent server for ever, and closing
    the pool waits for the workers."""
    seconds = factory.env.get("POSTGRES_CONNECT_TIMEOUT") or DEFAULT_CONNECT_TIMEOUT
    factory.datastore.pool.kwargs.setdefault("connect_timeout", max(2, int(float(seconds))))


def _names_module(error: ImportError, module: str) -> bool:
    """Whether ``error`` is about ``module`` itself (a typo?) rather than one of its needs,
    unless installing a dautu extra provides it."""
    name = (error.name or "").partition(".")[0]
    return name == module.partition(".")[0] and not is_known_dependency(name)


def _application_recorder(module: str, factory: Any) -> ApplicationRecorder:
    if module == "eventsourcing.popo":
        return PositionedPOPORecorder()
    if module == "eventsourcing_sqlalchemy":
        from dautu_adapters.stores.sqlalchemy_recorder import application_recorder

        return application_recorder(factory)
    recorder: ApplicationRecorder = factory.application_recorder()
    return recorder
