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
``read_only``   open for reading only (default: the URL's ``?read_only=1``, else no): no table,
                file or database is created, every write is refused with a
                :class:`StorageError` (rule ``store_read_only``), and a store that does not
                exist is a :class:`StorageError` (rule ``store_missing``) naming the URL rather
                than a new empty store. What the read commands of ``dautu`` use; see
                :func:`open_sqlite_store` for what it means for a SQLite file.

A store keeps its URL for display with every secret hidden (``RecorderStore.url``).
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import SplitResult, quote, unquote, urlsplit
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


def _read_only(url: StoreURL, options: Mapping[str, Any]) -> bool:
    """The ``read_only`` option, else the URL's ``?read_only=``, else no."""
    if options.get("read_only") is not None:
        return truthy(options["read_only"])
    return truthy(url.query.get("read_only", ""))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


_SQLITE_REASONS = {
    "file is not a database": (
        "tệp này không phải là cơ sở dữ liệu SQLite",
        "the file is not an SQLite database",
        "store_not_database",
    ),
    "attempt to write a readonly database": (
        "tệp hoặc thư mục chứa nó chỉ cho phép đọc (hãy dùng một lệnh đọc, hoặc cấp quyền ghi)",
        "the file or its folder is read-only (use a read command, or make it writable)",
        "store_read_only",
    ),
    "unable to open database file": (
        "không mở được tệp (thư mục không tồn tại, không có quyền, hoặc thư mục chỉ cho phép đọc)",
        "the file cannot be opened (missing folder, no permission, or a read-only folder)",
        "store_connection",
    ),
}
"""SQLite's own words for the usual reasons a file store will not open, and what to say."""


def _cannot_open(url: StoreURL, exc: BaseException) -> StorageError:
    """One line naming the store and why it would not open (SQLite's usual reasons spelt out
    in both languages, see :data:`_SQLITE_REASONS`)."""
    reason = _one_line(exc)
    for words, (vi, en, rule) in _SQLITE_REASONS.items():
        if words in reason.lower():
            return StorageError(
                f"Không mở được kho lưu trữ {url.redacted}: {vi}",
                f"cannot open the store {url.redacted}: {en}",
                field="store_url",
                rule_id=rule,
            )
    return StorageError(
        f"Không mở được kho lưu trữ {url.redacted}: {reason}",
        f"cannot open the store {url.redacted}: {reason}",
        field="store_url",
        rule_id="store_connection",
    )


def _missing(url: StoreURL, what_vi: str, what_en: str) -> StorageError:
    """The error for a read-only open of a store that is not there: never a new empty one."""
    return StorageError(
        f"Không có kho lưu trữ {url.redacted}: {what_vi}; lệnh đọc không tạo kho mới",
        f"there is no store at {url.redacted}: {what_en}; read commands never create a store",
        field="store_url",
        rule_id="store_missing",
    )


_Factory = TypeVar("_Factory", bound=InfrastructureFactory[Any])


def _recorder_store(
    url: StoreURL,
    upcasters: Upcasters,
    make_factory: Callable[[], _Factory],
    parts: Callable[[_Factory], tuple[ApplicationRecorder, CheckpointBackend]],
    *,
    read_only: bool = False,
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
            read_only=read_only,
        )
    except (PersistenceError, OSError, sqlite3.Error) as exc:
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
        read_only=_read_only(parsed, options),
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
    never leaves half of one), ``read_only=1``.

    Read-only (see :func:`_read_only_sqlite_name`): the file must exist and hold dautu's
    tables; it is opened with SQLite's ``mode=ro``, so nothing is written to it, and no
    ``-wal``/``-shm`` file is created beside it (a copy handed to an auditor stays as it was).
    """
    from eventsourcing.sqlite import SQLiteFactory

    parsed = parse_store_url(url)
    env, upcasters = _common(parsed, options)
    read_only = _read_only(parsed, options)
    name = sqlite_database_name(parsed)
    if read_only and "mode=memory" not in name:
        name = _read_only_sqlite_name(parsed, name)
    env |= {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": name,
        "APPLICATION_RECORDER_TOPIC": _SQLITE_RECORDER,
    }
    if read_only:
        env["CREATE_TABLE"] = "no"
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
        if synchronous and not read_only:
            use_sqlite_pragmas(factory.datastore, [f"PRAGMA synchronous={synchronous}"])
        if read_only:
            # eventsourcing switches a file to WAL mode on its first connection: a write.
            factory.datastore.pool.is_journal_mode_wal = True
            _require_sqlite_tables(factory, parsed)
        recorder = factory.application_recorder()
        return recorder, SQLiteCheckpoints(factory.datastore, read_only=read_only)

    return _recorder_store(
        parsed,
        upcasters,
        lambda: SQLiteFactory(Environment(env=env)),
        parts,
        read_only=read_only,
    )


def _read_only_sqlite_name(url: StoreURL, path: str) -> str:
    """The SQLite URI that opens ``path`` for reading only, or the error if it is no file.

    ``mode=ro`` alone still creates the ``-wal`` and ``-shm`` files of a WAL database when
    the folder is writable (and fails when it is not). So when no ``-wal`` file lies beside
    the database, which means no connection has it open (the last one to close removes it)
    and the file holds every committed record, it is opened ``immutable=1`` as well: SQLite
    then reads the file alone, with no lock and no side file. When a ``-wal`` file is there (a
    writer has the store open, or one was killed), plain ``mode=ro`` reads it too, so nothing
    committed is missed. Caveat, documented in ``docs/storage.md``: a writer that opens the
    store *during* an immutable read is not seen by that read.
    """
    if path == "" or path.endswith("/"):
        raise _missing(url, "đường dẫn trống", "the path is empty")
    if not os.path.exists(path):
        raise _missing(url, f"tệp {path} không tồn tại", f"the file {path} does not exist")
    if not os.path.isfile(path):
        raise _missing(url, f"{path} không phải là một tệp", f"{path} is not a file")
    absolute = os.path.abspath(path)
    flags = "mode=ro" if os.path.exists(f"{absolute}-wal") else "mode=ro&immutable=1"
    return f"file:{quote(absolute)}?{flags}"


def _require_sqlite_tables(factory: Any, url: StoreURL) -> None:
    """A read-only open of a file without dautu's event table: say so instead of failing on
    the first read (a zero-byte file reads as an SQLite database with no table)."""
    with factory.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'stored_events'"
        )
        found = int(cursor.fetchone()[0])
    if not found:
        raise _missing(
            url,
            "tệp không chứa bảng sự kiện của dautu (stored_events)",
            "the file holds no dautu event table (stored_events)",
        )


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

    Read-only (``read_only=1``): no schema or table is created, every session is opened with
    ``default_transaction_read_only=on`` (the server itself refuses writes), and a schema
    without dautu's event table is a :class:`StorageError` (rule ``store_missing``).
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
    read_only = _read_only(parsed, options)
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
    if read_only:
        env["CREATE_TABLE"] = "no"
    for key, setting in _POSTGRES_QUERY.items():
        if parsed.query.get(key):
            env[setting] = parsed.query[key]
    env |= _extra_env(options)

    def parts(factory: PostgresFactory) -> tuple[ApplicationRecorder, CheckpointBackend]:
        if read_only:
            kwargs = factory.datastore.pool.kwargs
            assert isinstance(kwargs, dict)  # eventsourcing builds the pool with a dict
            kwargs["options"] = "-c default_transaction_read_only=on"
        _prepare_postgres(factory, parsed)
        if read_only:
            _require_postgres_tables(factory, parsed, schema)
            recorder = _bound_writes(factory, factory.application_recorder())
            return recorder, PostgresCheckpoints(factory.datastore, schema, read_only=True)
        if schema != "public":
            with factory.datastore.transaction(commit=True) as cursor:
                cursor.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
        recorder = _bound_writes(factory, factory.application_recorder())
        return recorder, PostgresCheckpoints(factory.datastore, schema)

    return _recorder_store(
        parsed,
        upcasters,
        lambda: PostgresFactory(Environment(env=env)),
        parts,
        read_only=read_only,
    )


def _require_postgres_tables(factory: Any, url: StoreURL, schema: str) -> None:
    """A read-only open of a schema without dautu's event table is an error naming it."""
    with factory.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT count(*) AS n FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'stored_events'",
            (schema,),
        )
        found = int(cursor.fetchone()["n"])
    if not found:
        raise _missing(
            url,
            f"lược đồ {schema} không chứa bảng sự kiện của dautu (stored_events)",
            f"the schema {schema} holds no dautu event table (stored_events)",
        )


def open_eventsourcing_store(url: str, options: Mapping[str, Any]) -> RecorderStore:
    """``eventsourcing://?PERSISTENCE_MODULE=module&KEY=value...``: any eventsourcing module.

    Every query parameter except ``compress`` is an eventsourcing environment setting, passed
    as is (values URL-encoded), for example
    ``eventsourcing://?PERSISTENCE_MODULE=eventsourcing_sqlalchemy&SQLALCHEMY_URL=sqlite:///x.db``.
    Projection checkpoints go to the module's aggregate recorder (table
    ``stored_dautu_projections`` for SQL modules), one row per save. Read-only
    (``read_only=1``) sets eventsourcing's ``CREATE_TABLE=no`` and refuses dautu's writes;
    whether the module's database itself can be opened without writing is the module's
    business.
    """
    parsed = parse_store_url(url)
    env, upcasters = _common(parsed, options)
    read_only = _read_only(parsed, options)
    env |= {k: v for k, v in parsed.query.items() if k not in ("compress", "read_only")}
    if read_only:
        env["CREATE_TABLE"] = "no"
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

    return _recorder_store(parsed, upcasters, make_factory, parts, read_only=read_only)


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
