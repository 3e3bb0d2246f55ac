"""Errors raised by the storage adapters, in dautu's own hierarchy.

The classes are defined in :mod:`dautu_core.errors` (every error of dautu is importable from
there) and exported here too; this module builds the messages.

Why a class of its own: a database that went away or a record that cannot be decrypted is
neither a bad value nor a refused rule; callers (the CLI, an embedding portal) want to tell
"try again later" from "the command is wrong". Every message about a failed write says what
happened to it: a clerk must know whether the command was recorded.
"""

from __future__ import annotations

from dautu_core.errors import MissingDependency, SealingMismatch, StorageError, StreamCorrupted

__all__ = [
    "MissingDependency",
    "SealingMismatch",
    "StorageError",
    "StreamCorrupted",
    "import_error_in",
    "is_known_dependency",
    "missing_dependency",
    "write_failed",
]


# Modules whose absence a pip extra of dautu cures, and other well-known drivers.
_EXTRAS = {
    "psycopg": "dautu[postgres]",
    "psycopg_pool": "dautu[postgres]",
    "psycopg_binary": "dautu[postgres]",
    "eventsourcing_sqlalchemy": "dautu[sqlalchemy]",
    "sqlalchemy": "dautu[sqlalchemy]",
    "sqlalchemy_utils": "dautu[sqlalchemy]",
}
_DRIVERS = {
    "psycopg2": "psycopg2-binary",
    "pymysql": "pymysql",
    "MySQLdb": "mysqlclient",
    "cx_Oracle": "cx_Oracle",
    "oracledb": "oracledb",
    "pyodbc": "pyodbc",
    "asyncpg": "asyncpg",
}


def is_known_dependency(module: str) -> bool:
    """Whether ``module`` (top level) is a driver or a package of a dautu extra."""
    return module in _EXTRAS or module in _DRIVERS


def import_error_in(exc: BaseException) -> ImportError | None:
    """The ``ImportError`` behind ``exc`` (``exc`` itself, or its causes), if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ImportError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def missing_dependency(exc: ImportError, store: str) -> MissingDependency:
    """The error for ``exc`` (a failed import while opening ``store``, already redacted)."""
    module = exc.name or str(exc)
    top = module.partition(".")[0]
    package = _EXTRAS.get(top) or _DRIVERS.get(top) or top.replace("_", "-")
    error = MissingDependency(
        f"Kho lưu trữ {store} cần gói Python '{module}' chưa được cài: pip install \"{package}\"",
        f"the store {store} needs the Python module '{module}', which is not installed: "
        f'pip install "{package}"',
        field="store_url",
        rule_id="store_dependency",
    )
    error.package = package
    return error


_OUTCOMES = {
    False: (
        "giao dịch đã bị huỷ, không có sự kiện nào của lệnh được ghi; có thể thử lại",
        "the transaction was rolled back, nothing of the command was written; it is safe to retry",
    ),
    True: (
        "lệnh đã được ghi trước khi mất kết nối; hãy tải lại hồ sơ, đừng ghi lại",
        "the command was recorded before the connection dropped; reload the project, "
        "do not record it again",
    ),
    None: (
        "chưa kiểm tra được lệnh đã được ghi hay chưa (ghi là tất cả hoặc không); "
        "hãy tải lại hồ sơ trước khi thử lại",
        "could not check whether the command was recorded (writes are all or nothing); "
        "reload the project before retrying",
    ),
}


def write_failed(project_code: str, exc: Exception, written: bool | None) -> StorageError:
    """The error for an append that failed on the way (connection lost, database busy),
    saying what the store was found to hold afterwards (see ``StorageError.written``)."""
    outcome_vi, outcome_en = _OUTCOMES[written]
    error = StorageError(
        f"Ghi vào cơ sở dữ liệu không thành công (mất kết nối hoặc cơ sở dữ liệu bận: "
        f"{exc}); {outcome_vi}",
        f"writing to the database failed (connection lost or database busy: {exc}); {outcome_en}",
        project_code=project_code,
        rule_id="store_connection",
    )
    error.written = written
    return error
