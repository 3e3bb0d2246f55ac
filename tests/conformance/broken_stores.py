"""A catalogue of stores, each broken in one way an adapter author has really broken one.

``CatalogueStore`` keeps the whole contract in Python lists; every other class breaks exactly
one promise of it. ``broken_kits.py`` runs the kit against each, and ``test_catalogue.py``
checks that the kit fails each one and that every failure names what the store did wrong.
The file-based ones (``ReversedJsonlStore``, ``ExclusiveJsonlStore``) can be opened by other
processes, for the process checks. ``CountingStore`` counts calls into a file, to measure
how much work the kit does before its first verdict.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dautu_jsonl import JsonlStore

from dautu_adapters.hookspecs import RegisterStore, hookimpl
from dautu_adapters.stores import StorageError, parse_store_url
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import StoredRecord

__all__ = [
    "CatalogueStore",
    "CountingReencodingStore",
    "DroppedLastRecordStore",
    "ExclusiveJsonlStore",
    "HalfWrittenStore",
    "NoConcurrencyCheckStore",
    "ReencodingStore",
    "ReversedJsonlStore",
    "ReversedReadsStore",
]


class CatalogueStore:
    """The whole contract in lists, thread-safe, refusing calls after ``close()``."""

    def __init__(self) -> None:
        self._log: list[StoredRecord] = []
        self._streams: dict[str, list[StoredRecord]] = {}
        self._checkpoints: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.RLock()
        self._closed = False

    def _open(self) -> None:
        if self._closed:
            raise StorageError("Kho đã đóng", "the store is closed", rule_id="store_closed")

    def _keep(self, record: NewRecord) -> bytes:
        """The bytes stored for ``record`` (the broken stores change this)."""
        return record.data

    def _check(self, code: str, expected: int, actual: int) -> None:
        if actual != expected:
            raise ConcurrencyConflict(code, expected, actual)

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        with self._lock:
            self._open()
            new, _ = self._plan(batches)
            self._write(new)
            return [record.position for record in new]

    def _plan(self, batches: Sequence[AppendBatch]) -> tuple[list[StoredRecord], dict[str, int]]:
        new: list[StoredRecord] = []
        versions: dict[str, int] = {}
        for batch in batches:
            code = batch.project_code
            version = versions.get(code, len(self._streams.get(code, [])))
            self._check(code, batch.expected_version, version)
            for record in batch.records:
                version += 1
                position = len(self._log) + len(new) + 1
                data = self._keep(record)
                new.append(StoredRecord(code, version, position, record.type_name, data))
            versions[code] = version
        return new, versions

    def _write(self, new: list[StoredRecord]) -> None:
        for record in new:
            self._log.append(record)
            self._streams.setdefault(record.project_code, []).append(record)

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        with self._lock:
            self._open()
            stream = self._streams.get(project_code, [])
            end = len(stream) if up_to_version is None else max(up_to_version, 0)
            return stream[max(after_version, 0) : end]

    def read_log(self, *, after_position: int = 0, limit: int | None = None) -> list[StoredRecord]:
        with self._lock:
            self._open()
            start = max(after_position, 0)
            end = len(self._log) if limit is None else start + max(limit, 0)
            return self._log[start:end]

    def max_position(self) -> int:
        with self._lock:
            self._open()
            return len(self._log)

    def project_codes(self) -> list[str]:
        with self._lock:
            self._open()
            return sorted(self._streams)

    def close(self) -> None:
        self._closed = True

    def get_checkpoint(self, name: str) -> int:
        return self.load_projection(name)[0]

    def save_checkpoint(self, name: str, position: int, state: bytes) -> None:
        with self._lock:
            self._open()
            self._checkpoints[name] = (position, state)

    def load_projection(self, name: str) -> tuple[int, bytes | None]:
        with self._lock:
            self._open()
            position, state = self._checkpoints.get(name, (0, None))
            return position, state


class ReversedReadsStore(CatalogueStore):
    """``read_stream`` returns the newest record first (a ``DESC`` left in the query)."""

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        window = super().read_stream(
            project_code, after_version=after_version, up_to_version=up_to_version
        )
        return window[::-1]


class DroppedLastRecordStore(CatalogueStore):
    """``read_stream`` loses the newest record (``<`` where ``<=`` was meant)."""

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        return super().read_stream(
            project_code, after_version=after_version, up_to_version=up_to_version
        )[:-1]


class ReencodingStore(CatalogueStore):
    """Stores ``data`` as JSON it parsed and dumped again (a JSON column that re-serialises)."""

    def _keep(self, record: NewRecord) -> bytes:
        return json.dumps(json.loads(record.data)).encode()


class NoConcurrencyCheckStore(CatalogueStore):
    """Never compares versions: every append goes on top of whatever is there."""

    def _check(self, code: str, expected: int, actual: int) -> None:
        return None


class HalfWrittenStore(CatalogueStore):
    """Commits each batch on its own; the second batch of a call fails with ``OSError``
    (a per-project transaction and a full disk)."""

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        with self._lock:
            self._open()
            positions: list[int] = []
            for index, batch in enumerate(batches):
                if index == 1 and batch.records:
                    raise OSError(28, "No space left on device")
                new, _ = self._plan([batch])
                self._write(new)
                positions += [record.position for record in new]
            return positions


class CountingReencodingStore(ReencodingStore):
    """The re-encoding store, every call counted: one byte appended to ``counter`` per call,
    to measure the work the kit does before its verdict (at ~25 ms a call, time = calls/40)."""

    def __init__(self, counter: Path) -> None:
        super().__init__()
        self._counter = counter

    def __getattribute__(self, name: str) -> Any:
        if name in _PORT_METHODS:
            with open(object.__getattribute__(self, "_counter"), "ab") as counter:
                counter.write(b".")
        return object.__getattribute__(self, name)


_PORT_METHODS = frozenset(
    {
        "append",
        "read_stream",
        "read_log",
        "max_position",
        "project_codes",
        "get_checkpoint",
        "save_checkpoint",
        "load_projection",
    }
)


class ReversedJsonlStore(JsonlStore):
    """The example's JSON-lines store, shared by processes, with reversed stream reads."""

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        window = super().read_stream(
            project_code, after_version=after_version, up_to_version=up_to_version
        )
        return window[::-1]


class ExclusiveJsonlStore(JsonlStore):
    """A JSON-lines store that one process at a time may open, as DuckDB allows: an
    exclusive lock on ``owner`` for the store's life; a second process is refused at once."""

    def __init__(self, directory: str | os.PathLike[str], *, refuse: bool = True) -> None:
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        self._owner = os.open(folder / "owner", os.O_RDWR | os.O_CREAT, 0o644)
        if refuse:
            try:
                fcntl.flock(self._owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                os.close(self._owner)
                raise StorageError(
                    f"Kho {folder} đang được một tiến trình khác mở",
                    f"the store {folder} is open in another process",
                    rule_id="store_busy",
                ) from exc
        super().__init__(folder, fsync=False)

    def close(self) -> None:
        super().close()
        if self._owner >= 0:
            os.close(self._owner)
            self._owner = -1


def _counting_store(url: str, options: Mapping[str, Any]) -> CountingReencodingStore:
    """``counting:///path/to/counter``: a fresh re-encoding store whose calls are counted."""
    return CountingReencodingStore(Path(parse_store_url(url).location))


@hookimpl
def dautu_register_stores(register: RegisterStore) -> None:
    register("counting", _counting_store, "broken on purpose: re-encodes JSON, counts calls")


def _hanging_store(url: str, options: Mapping[str, Any]) -> CatalogueStore:
    """``hanging:///path/to/fifo``: inside the kit's test process, opening waits for ever on a
    named pipe nobody writes to (a database that never answers); elsewhere a sound store."""
    if os.environ.get("DAUTU_CHECK_URL"):
        Path(parse_store_url(url).location).read_bytes()
    return CatalogueStore()


@hookimpl(specname="dautu_register_stores")
def register_hanging_store(register: RegisterStore) -> None:
    register("hanging", _hanging_store, "broken on purpose: never answers inside the kit")
