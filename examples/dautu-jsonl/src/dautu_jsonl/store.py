"""``JsonlStore``: a dautu event store in a folder of plain files, without eventsourcing.

The folder holds three files:

``events.jsonl``
    The append-only log (see :mod:`dautu_jsonl.framing`): every record, in global order.
``checkpoints.json``
    Projection checkpoints, replaced as a whole (temporary file, ``fsync``, ``os.replace``).
``lock``
    An empty file; writers hold an exclusive ``fcntl.flock`` on it, readers a shared one.

Why this design: it shows that the storage contract of dautu (optimistic concurrency per
project, atomic multi-project appends, a gap-free global order, checkpoints) can be met with
nothing but POSIX files. The lock makes "read the versions, check them, write" one step across
processes; one ``write`` plus ``fsync`` per call, closed by a commit line, makes every call all or
nothing even if the process is killed half-way.

Each store object keeps an index of the records it has read and, before answering, reads what
other processes appended since (the file only grows), so reads cost nothing when nothing
changed. The whole log is held in memory: fine for a province's few hundred thousand records,
not for a national archive.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dautu_adapters.stores import StorageError
from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch
from dautu_core.record import StoredRecord
from dautu_jsonl.framing import JsonlCorrupted, encode_group, scan

__all__ = ["JsonlStore"]

LOG_FILE = "events.jsonl"
CHECKPOINT_FILE = "checkpoints.json"
LOCK_FILE = "lock"


def _fsync_directory(path: Path) -> None:
    """Make a created or replaced file's directory entry durable too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JsonlStore:
    """An :class:`~dautu_core.ports.EventStore` and :class:`~dautu_core.ports.CheckpointStore`
    kept in ``directory`` (created if missing).

    ``fsync=False`` skips the flushes to disk: faster, but a power cut may lose the last
    appends (never half of one). Safe to share between threads and between processes.
    """

    def __init__(self, directory: str | os.PathLike[str], *, fsync: bool = True) -> None:
        self.directory = Path(directory)
        self.fsync = fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        self._log_path = self.directory / LOG_FILE
        self._checkpoint_path = self.directory / CHECKPOINT_FILE
        created = not self._log_path.exists()
        self._lock_fd = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        self._log_fd = os.open(self._log_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        if created and fsync:
            _fsync_directory(self.directory)
        self._mutex = threading.RLock()
        self._log: list[StoredRecord] = []
        self._streams: dict[str, list[StoredRecord]] = {}
        self._offset = 0
        self._closed = False

    def __repr__(self) -> str:
        return f"JsonlStore({str(self.directory)!r})"

    # --- locking and catching up with other writers ----------------------------------------

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        with self._mutex:
            if self._closed:
                raise StorageError(
                    f"Kho lưu trữ {self.directory} đã đóng",
                    f"the store {self.directory} is closed",
                    rule_id="store_closed",
                )
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _catch_up(self) -> bool:
        """Index records other writers committed since we last looked; True if torn bytes
        follow the last commit. Call with the lock held."""
        size = os.fstat(self._log_fd).st_size
        if size < self._offset:
            raise JsonlCorrupted(
                f"Tệp nhật ký {self._log_path} bị cắt ngắn: các bản ghi đã xác nhận bị mất",
                f"the log file {self._log_path} was truncated: committed records are missing",
                field=LOG_FILE,
                rule_id="jsonl_integrity",
            )
        if size == self._offset:
            return False
        found = scan(
            os.pread(self._log_fd, size - self._offset, self._offset),
            next_position=len(self._log) + 1,
            base_offset=self._offset,
        )
        for record in found.records:
            stream = self._streams.setdefault(record.project_code, [])
            if record.version != len(stream) + 1:
                raise JsonlCorrupted(
                    f"Phiên bản {record.version} của dự án không liền mạch",
                    f"version {record.version} does not follow version {len(stream)}",
                    project_code=record.project_code,
                    field=LOG_FILE,
                    rule_id="jsonl_integrity",
                )
            stream.append(record)
            self._log.append(record)
        self._offset += found.end
        return found.torn

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._log_fd, view)
            view = view[written:]
        if self.fsync:
            os.fsync(self._log_fd)

    # --- EventStore ---------------------------------------------------------------------

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        """Append all batches in one write, or none of them (see :class:`EventStore`).

        A batch without records still has its expected version checked."""
        if not batches:
            return []
        with self._locked(exclusive=True):
            torn = self._catch_up()
            versions: dict[str, int] = {}
            new: list[StoredRecord] = []
            for batch in batches:
                actual = versions.get(batch.project_code)
                if actual is None:
                    actual = len(self._streams.get(batch.project_code, ()))
                if actual != batch.expected_version:
                    raise ConcurrencyConflict(batch.project_code, batch.expected_version, actual)
                for record in batch.records:
                    actual += 1
                    new.append(
                        StoredRecord(
                            project_code=batch.project_code,
                            version=actual,
                            position=len(self._log) + len(new) + 1,
                            type_name=record.type_name,
                            data=record.data,
                        )
                    )
                versions[batch.project_code] = actual
            if not new:
                return []
            if torn:
                # A writer died half-way through its write: cut its bytes off before ours.
                os.ftruncate(self._log_fd, self._offset)
            try:
                self._write(encode_group(new))
            except BaseException:
                os.ftruncate(self._log_fd, self._offset)
                raise
            self._catch_up()
            return [record.position for record in new]

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        with self._locked(exclusive=False):
            self._catch_up()
            stream = self._streams.get(project_code, [])
            end = len(stream) if up_to_version is None else max(0, up_to_version)
            return stream[max(0, after_version) : end]

    def read_log(self, *, after_position: int = 0, limit: int | None = None) -> list[StoredRecord]:
        with self._locked(exclusive=False):
            self._catch_up()
            start = max(0, after_position)
            end = len(self._log) if limit is None else start + max(0, limit)
            return self._log[start:end]

    def max_position(self) -> int:
        with self._locked(exclusive=False):
            self._catch_up()
            return len(self._log)

    def project_codes(self) -> list[str]:
        with self._locked(exclusive=False):
            self._catch_up()
            return sorted(self._streams)

    def close(self) -> None:
        """Release the files; later calls raise. Closing twice is harmless."""
        with self._mutex:
            if not self._closed:
                self._closed = True
                os.close(self._log_fd)
                os.close(self._lock_fd)

    # --- CheckpointStore ------------------------------------------------------------------

    def _read_checkpoints(self) -> dict[str, dict[str, object]]:
        try:
            raw = self._checkpoint_path.read_bytes()
        except FileNotFoundError:
            return {}
        saved = json.loads(raw)
        if not isinstance(saved, dict):
            raise JsonlCorrupted(
                f"Tệp {self._checkpoint_path} không đúng cấu trúc",
                f"{self._checkpoint_path} is malformed",
                field=CHECKPOINT_FILE,
                rule_id="jsonl_integrity",
            )
        return saved

    def get_checkpoint(self, name: str) -> int:
        return self.load_projection(name)[0]

    def load_projection(self, name: str) -> tuple[int, bytes | None]:
        with self._locked(exclusive=False):
            entry = self._read_checkpoints().get(name)
        if entry is None:
            return 0, None
        return int(str(entry["position"])), base64.b64decode(str(entry["state"]))

    def save_checkpoint(self, name: str, position: int, state: bytes) -> None:
        """Replace projection ``name``'s checkpoint; the latest save wins (a projection
        rebuilt from scratch starts again at 0)."""
        with self._locked(exclusive=True):
            saved = self._read_checkpoints()
            saved[name] = {"position": position, "state": base64.b64encode(state).decode("ascii")}
            temporary = self._checkpoint_path.with_name(f"{CHECKPOINT_FILE}.{os.getpid()}.tmp")
            with open(temporary, "wb") as out:
                out.write(json.dumps(saved, ensure_ascii=False, sort_keys=True, indent=1).encode())
                out.flush()
                if self.fsync:
                    os.fsync(out.fileno())
            os.replace(temporary, self._checkpoint_path)
            if self.fsync:
                _fsync_directory(self.directory)
