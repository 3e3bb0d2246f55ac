"""A dautu event store on any eventsourcing ``ApplicationRecorder``.

How dautu records map onto eventsourcing's ``StoredEvent``:

=====================  =====================================================================
``originator_id``      ``uuid5(PROJECT_NAMESPACE, project_code)`` (NFC), see :func:`stream_id`
``originator_version`` the record's version in the project's stream (1, 2, 3...)
``topic``              the record's stable type name (``"dautu.ViolationFound"``), never a
                       module path: eventsourcing never resolves it, dautu reads it as a name
``state``              the record's canonical bytes, compressed and/or encrypted with
                       eventsourcing's compressor and cipher when asked
notification id        the record's global position (gap-free, in commit order)
=====================  =====================================================================

The project code is not recoverable from a UUID, so it is read from the record itself
(``data.project_code``) the first time a stream id is met in the global log, then remembered.

Atomicity: :meth:`RecorderStore.append` writes every batch of a call with **one**
``insert_events`` call, which eventsourcing runs in one transaction. Optimistic concurrency
relies on the recorders' unique ``(originator_id, originator_version)`` constraint plus one
check: the stream of a batch that expects version ``n`` must be at version ``n``. dautu's own
recorders (memory, SQLite, PostgreSQL; ``checks_expected_versions``) make that check inside
the insert's transaction and report the version they read there. With other recorders the
store reads each head expecting ``n > 0`` first; streams only grow, so once version ``n``
exists it exists for ever, and the unique constraint on ``n + 1`` (inside the insert's
transaction) rejects anyone who got there first. Either way a stale ``expected_version`` is
refused in both directions without gaps.

Sealing: a store is encrypted or not, with one key. The mode (encrypted or not, and the key's
fingerprint, never the key) is recorded in the store's metadata at the first write; opening
the store with another mode raises :class:`~dautu_adapters.stores.errors.SealingMismatch`, and
so does a first write into a store written before the mode was recorded whose records the
given key (or no key) cannot open.

Read-only: a store built with ``read_only=True`` (``open_store(url, read_only=True)``, what the
read commands use) refuses :meth:`RecorderStore.append` and
:meth:`RecorderStore.save_checkpoint` with a :class:`StorageError` (rule ``store_read_only``)
before touching the database; readers of derived data (the review's stored projection) look
at :attr:`RecorderStore.read_only` and simply do not save.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TypeVar
from uuid import UUID, uuid5

from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    Notification,
    OperationalError,
    PersistenceError,
    RecordConflictError,
    StoredEvent,
)

from dautu_adapters.stores.checkpoints import CheckpointBackend, MemoryCheckpoints
from dautu_adapters.stores.errors import StorageError, write_failed
from dautu_adapters.stores.recorders import (
    EXPECTED_VERSIONS,
    LogRow,
    StreamHeadMoved,
    StreamsRow,
)
from dautu_adapters.stores.sealing import RecordSealer, SealingMode, sealing_mismatch
from dautu_core.codec import NO_UPCASTERS, Upcasters
from dautu_core.errors import ConcurrencyConflict, InvalidValue
from dautu_core.ports import AppendBatch
from dautu_core.record import RecordRow, StoredRecord, record_row
from dautu_core.text import nfc

__all__ = ["PROJECT_NAMESPACE", "RecorderStore", "stream_id"]

PROJECT_NAMESPACE = UUID("7e1ff107-5c89-458b-8e69-fadf2760a816")
"""Fixed namespace of project stream ids. Changing it would orphan every stored record."""

_LOG_PAGE = 1000
_SEALING = "sealing"
_T = TypeVar("_T")


def stream_id(project_code: str) -> UUID:
    """The eventsourcing ``originator_id`` of a project's stream."""
    if isinstance(project_code, str):
        return _stream_id(project_code)
    return uuid5(PROJECT_NAMESPACE, nfc(project_code))  # nfc says what is wrong


@functools.lru_cache(maxsize=65_536)
def _stream_id(project_code: str) -> UUID:
    """:func:`stream_id`, remembered: it is a pure function of the code, and every append
    and read asks it again for the same projects (a UUID5 costs a SHA-1 and an object)."""
    return uuid5(PROJECT_NAMESPACE, nfc(project_code))


class RecorderStore:
    """:class:`~dautu_core.ports.EventStore` and ``CheckpointStore`` over eventsourcing.

    Built by the store factories (:func:`dautu_adapters.stores.open_store`); embedders rarely
    construct it directly. ``url`` is for display only: give it without secrets
    (:func:`~dautu_adapters.stores.urls.redact_url`). ``upcasters`` are offered to callers
    that decode records (``ProjectService`` uses them unless given its own). Raises
    :class:`~dautu_adapters.stores.errors.SealingMismatch` (after closing) when the store
    records another sealing mode than ``sealer``'s. ``read_only``: every write is refused (see
    the module docstring).
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        *,
        url: str,
        sealer: RecordSealer | None = None,
        checkpoints: CheckpointBackend | None = None,
        upcasters: Upcasters = NO_UPCASTERS,
        on_close: Iterable[Callable[[], None]] = (),
        log_page_size: int = _LOG_PAGE,
        read_only: bool = False,
    ) -> None:
        self.recorder = recorder
        self.read_only = read_only
        self.url = url
        self.sealer = sealer or RecordSealer()
        self.upcasters = upcasters
        self._checkpoints = checkpoints or MemoryCheckpoints()
        self._on_close = list(on_close)
        self._page = log_page_size
        self._codes: dict[UUID, str] = {}
        self._raw_codes: dict[UUID | str, str] = {}
        self._scanned = 0
        self._lock = threading.Lock()
        self._positions: dict[tuple[UUID, int], int] = {}
        self._indexed = 0
        self._sealing_confirmed = False
        self.closed = False
        try:
            recorded = self._checkpoints.metadata(_SEALING)
            if recorded is not None:
                self._confirm_sealing(SealingMode.from_text(recorded))
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    def __enter__(self) -> RecorderStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------------

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        """Append every batch in one eventsourcing transaction; see the module docstring."""
        self._check_writable(next((nfc(b.project_code) for b in batches), None))
        heads, empty = self._plan(batches)
        seal = self.sealer.seal
        stored: list[StoredEvent] = []
        for batch in batches:
            code = nfc(batch.project_code)
            sid = heads[code][0]
            version = batch.expected_version
            for record in batch.records:
                version += 1
                stored.append(StoredEvent(sid, version, record.type_name, seal(record.data)))
        in_transaction = bool(stored) and getattr(self.recorder, "checks_expected_versions", False)
        if not in_transaction:
            for code, (sid, expected) in heads.items():
                if expected > 0 or code in empty:
                    actual = self._head(sid)
                    if actual != expected:
                        raise ConcurrencyConflict(code, expected, actual)
        if not stored:
            return []
        checks: dict[str, object] = {}
        if in_transaction:
            checks[EXPECTED_VERSIONS] = {sid: expected for sid, expected in heads.values()}
        try:
            self._claim_sealing()
            ids = self.recorder.insert_events(stored, **checks)
        except StreamHeadMoved as exc:
            code = next(c for c, (sid, _) in heads.items() if sid == exc.originator_id)
            raise ConcurrencyConflict(code, exc.expected, exc.actual) from exc
        except RecordConflictError as exc:  # eventsourcing's IntegrityError and its legacy base
            raise self._conflict(heads) from exc
        except (OperationalError, InterfaceError) as exc:
            if _read_only_file(exc):
                raise self._read_only_file(next(iter(heads))) from exc
            raise self._lost(heads, batches, exc) from exc
        except PersistenceError as exc:
            raise StorageError(
                f"Cơ sở dữ liệu từ chối ghi ({exc}); không có bản ghi nào được ghi",
                f"the database refused the write ({exc}); nothing was written",
                project_code=next(iter(heads)),
                rule_id="store_write",
            ) from exc
        if ids is None or len(ids) != len(stored):
            raise StorageError(
                "Bộ ghi eventsourcing không trả về vị trí của các bản ghi",
                "the eventsourcing recorder did not return the records' positions",
                rule_id="store_options",
            )
        for code, (sid, _) in heads.items():
            self._codes[sid] = code
        return list(ids)

    def _plan(self, batches: Sequence[AppendBatch]) -> tuple[dict[str, tuple[UUID, int]], set[str]]:
        """First expected version per project (later batches of a project must follow on),
        and the projects whose batches bring no record (their version is checked anyway)."""
        heads: dict[str, tuple[UUID, int]] = {}
        following: dict[str, int] = {}
        empty: set[str] = set()
        for batch in batches:
            code = nfc(batch.project_code)
            if batch.expected_version < 0:
                raise InvalidValue(
                    f"Phiên bản mong đợi phải không âm, nhận được {batch.expected_version}",
                    f"expected version must not be negative, got {batch.expected_version}",
                    project_code=code,
                    field="expected_version",
                    rule_id="non_negative_integer",
                )
            if code in following and following[code] != batch.expected_version:
                raise ConcurrencyConflict(code, batch.expected_version, following[code])
            heads.setdefault(code, (stream_id(code), batch.expected_version))
            following[code] = batch.expected_version + len(batch.records)
            if not batch.records:
                empty.add(code)
        return heads, empty

    def _head(self, sid: UUID) -> int:
        last = self.recorder.select_events(sid, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def _conflict(self, heads: dict[str, tuple[UUID, int]]) -> ConcurrencyConflict:
        """The project whose stream moved, with the version it is at now.

        The unique key refused the insert, so someone else's record is committed and a read
        sees it; only when that read fails is the version unknown (shown as ``?``).
        """
        unread: tuple[str, int] | None = None
        for code, (sid, expected) in heads.items():
            try:
                actual = self._head(sid)
            except PersistenceError:
                unread = unread or (code, expected)
                continue
            if actual != expected:
                return ConcurrencyConflict(code, expected, actual)
        code, expected = unread or next((c, e) for c, (_, e) in heads.items())
        return ConcurrencyConflict(code, expected, None)

    def _lost(
        self,
        heads: dict[str, tuple[UUID, int]],
        batches: Sequence[AppendBatch],
        exc: Exception,
    ) -> StorageError:
        """Say what the database holds after a failed write, if it can be checked."""
        code = next(iter(heads))
        written: bool | None
        try:
            after = {c: self._head(sid) for c, (sid, _) in heads.items()}
        except PersistenceError:
            written = None
        else:
            final = {c: e for c, (_, e) in heads.items()}
            for batch in batches:
                final[nfc(batch.project_code)] += len(batch.records)
            if all(after[c] == heads[c][1] for c in heads):
                written = False
            elif all(after[c] >= final[c] for c in heads):
                written = True
            else:
                written = None
        return write_failed(code, exc, written)

    # --- sealing mode ------------------------------------------------------------------------

    def _claim_sealing(self) -> None:
        """Before the first write: record this store's sealing mode, or check the recorded one.

        A store written before modes were recorded holds no mode: its first record must open
        with this store's key (or without one) before the mode is recorded.
        """
        if self._sealing_confirmed:
            return
        mine = self.sealer.mode
        if self._checkpoints.metadata(_SEALING) is None:
            first = self._read(
                partial(self.recorder.select_notifications, 0, 1, inclusive_of_start=False)
            )
            if first:
                try:
                    self.sealer.open(
                        first[0].state, project_code=None, version=first[0].originator_version
                    )
                except StorageError as exc:
                    raise sealing_mismatch(self.url, None, self.sealer.mode) from exc
        recorded = self._checkpoints.claim_metadata(_SEALING, mine.to_text())
        self._confirm_sealing(SealingMode.from_text(recorded))

    def _confirm_sealing(self, recorded: SealingMode) -> None:
        if recorded != self.sealer.mode:
            raise sealing_mismatch(self.url, recorded, self.sealer.mode)
        self._sealing_confirmed = True

    # --- reading -----------------------------------------------------------------------------

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        if not isinstance(project_code, str):
            raise InvalidValue(
                f"Mã dự án phải là chuỗi văn bản, nhận được {type(project_code).__name__}",
                f"a project code must be text, got {type(project_code).__name__}",
                field="project_code",
                rule_id="text_required",
            )
        code = nfc(project_code)
        sid = stream_id(code)
        rows = self._read(
            lambda: self.recorder.select_events(
                sid, gt=after_version if after_version > 0 else None, lte=up_to_version
            )
        )
        if rows and not isinstance(rows[0], Notification):
            return self._with_positions(code, sid, rows)
        unseal = self.sealer.open
        return [
            StoredRecord(
                code,
                row.originator_version,
                row.id,  # type: ignore[attr-defined]
                row.topic,
                unseal(row.state, project_code=code, version=row.originator_version),
            )
            for row in rows
        ]

    def read_stream_rows(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[RecordRow]:
        """:meth:`read_stream` as plain :data:`~dautu_core.record.RecordRow` tuples: the same
        records, in the same order, with the same errors.

        Why: rebuilding a project reads every record of its stream once and keeps none of
        them (``ProjectService`` folds them); a ``Notification`` and a :class:`StoredRecord`
        per row cost about as much as reading the rows.
        """
        rows_of = getattr(self.recorder, "select_stream_rows", None)
        if rows_of is None or not isinstance(project_code, str):
            records = self.read_stream(
                project_code, after_version=after_version, up_to_version=up_to_version
            )
            return list(map(record_row, records))
        code = nfc(project_code)
        sid = stream_id(code)
        gt = after_version if after_version > 0 else None
        rows: list[tuple[int, str, bytes, int]] = self._read(
            lambda: rows_of(sid, gt, up_to_version)
        )
        unseal = self.sealer.open
        plain = self.sealer.cipher is None
        out: list[RecordRow] = []
        append = out.append
        for version, topic, state, position in rows:
            if plain and state.__class__ is bytes and state[:1] == b"{" and state[-1:] == b"}":
                append((code, version, position, topic, state))
            else:
                append(
                    (
                        code,
                        version,
                        position,
                        topic,
                        unseal(state, project_code=code, version=version),
                    )
                )
        return out

    def read_streams(self, project_codes: Iterable[str]) -> dict[str, list[StoredRecord]]:
        """Every record of each project (``read_stream(code)`` for each code), read in as
        few queries as the recorder allows.

        Why: a batch of commands (an import) on a thousand projects not read yet asked the
        database a thousand times before deciding anything. Recorders with
        ``select_streams_rows`` (SQLite) answer for hundreds of streams per query; with the
        others this is ``read_stream`` in a loop. Projects without records map to ``[]``.
        """
        given = list(project_codes)
        if not all(isinstance(code, str) for code in given):
            return {code: self.read_stream(code) for code in given}  # it says what is wrong
        codes = [nfc(code) for code in given]
        rows_of = getattr(self.recorder, "select_streams_rows", None)
        if rows_of is None:
            return {code: self.read_stream(code) for code in codes}
        by_hex = {stream_id(code).hex: code for code in codes}
        sids = [UUID(hex=h) for h in by_hex]
        rows: list[StreamsRow] = self._read(lambda: rows_of(sids))
        out: dict[str, list[StoredRecord]] = {code: [] for code in codes}
        unseal = self.sealer.open
        for raw_id, version, topic, state, position in rows:
            code = by_hex[raw_id]
            opened = unseal(state, project_code=code, version=version)
            out[code].append(StoredRecord(code, version, position, topic, opened))
        return out

    def _with_positions(
        self, code: str, sid: UUID, rows: Sequence[StoredEvent]
    ) -> list[StoredRecord]:
        """Positions for recorders whose stream reads do not carry them: index the log."""
        with self._lock:
            top = self.max_position()
            while self._indexed < top:
                page = self.recorder.select_notifications(
                    self._indexed, self._page, inclusive_of_start=False
                )
                if not page:
                    break
                for item in page:
                    self._positions[(_as_uuid(item.originator_id), item.originator_version)] = (
                        item.id
                    )
                self._indexed = page[-1].id
            positions = self._positions
        return [
            StoredRecord(
                code,
                row.originator_version,
                positions[(sid, row.originator_version)],
                row.topic,
                self.sealer.open(row.state, project_code=code, version=row.originator_version),
            )
            for row in rows
        ]

    def read_log(self, *, after_position: int = 0, limit: int | None = None) -> list[StoredRecord]:
        rows_of = getattr(self.recorder, "select_log_rows", None)
        if rows_of is not None:
            rows = self._read_log_rows(rows_of, max(after_position, 0), limit)
            return list(itertools.starmap(StoredRecord, rows))
        out: list[StoredRecord] = []
        start = max(after_position, 0)
        while limit is None or len(out) < limit:
            want = self._page if limit is None else min(self._page, limit - len(out))
            page = self._read(
                partial(self.recorder.select_notifications, start, want, inclusive_of_start=False)
            )
            for item in page:
                out.append(self._record(item))
            if len(page) < want:
                break
            start = page[-1].id
        return out

    def read_log_rows(
        self, *, after_position: int = 0, limit: int | None = None
    ) -> list[RecordRow]:
        """:meth:`read_log` as plain :data:`~dautu_core.record.RecordRow` tuples: the same
        records, in the same order, with the same errors.

        Why: verification reads the whole log once and keeps no record; building a
        :class:`StoredRecord` per row cost about as much as reading the row.
        """
        rows_of = getattr(self.recorder, "select_log_rows", None)
        if rows_of is not None:
            return self._read_log_rows(rows_of, max(after_position, 0), limit)
        return list(map(record_row, self.read_log(after_position=after_position, limit=limit)))

    def _read_log_rows(
        self, rows_of: Callable[[int, int], list[LogRow]], start: int, limit: int | None
    ) -> list[RecordRow]:
        """The log from a recorder's plain log rows (see
        :data:`~dautu_adapters.stores.recorders.LogRow`), without building a
        ``Notification`` and a ``UUID`` per row."""
        out: list[RecordRow] = []
        append = out.append
        codes = self._raw_codes
        unseal = self.sealer.open
        # Without a key, a stored JSON object is its own record (what ``open`` returns for
        # it): the call is skipped for it; anything else (compressed) still goes through.
        plain = self.sealer.cipher is None
        page_size = self._page
        while limit is None or len(out) < limit:
            want = page_size if limit is None else min(page_size, limit - len(out))
            rows = self._read(partial(rows_of, start, want))
            for position, raw_id, version, topic, state in rows:
                code = codes.get(raw_id)
                if code is None:
                    code, data = self._first_row_of_stream(raw_id, position, version, state)
                elif (
                    plain and state.__class__ is bytes and state[:1] == b"{" and state[-1:] == b"}"
                ):
                    data = state
                else:
                    data = unseal(state, project_code=code, version=version)
                append((code, version, position, topic, data))
            if len(rows) < want:
                break
            start = rows[-1][0]
        return out

    def _first_row_of_stream(
        self, raw_id: UUID | str, position: int, version: int, state: bytes
    ) -> tuple[str, bytes]:
        """Project code and opened bytes of a row whose raw originator id is not cached yet
        (as :meth:`_record` does), then cache the code under that raw id."""
        sid = _as_uuid(raw_id)
        code = self._codes.get(sid)
        data = self.sealer.open(state, project_code=code, version=version)
        if code is None:
            code = self._codes[sid] = _project_code_of(data, position)
        self._raw_codes[raw_id] = code
        return code, data

    def _record(self, item: Notification) -> StoredRecord:
        sid = _as_uuid(item.originator_id)
        code = self._codes.get(sid)
        data = self.sealer.open(item.state, project_code=code, version=item.originator_version)
        if code is None:
            code = self._codes[sid] = _project_code_of(data, item.id)
        return StoredRecord(code, item.originator_version, item.id, item.topic, data)

    def max_position(self) -> int:
        return self._read(self.recorder.max_notification_id) or 0

    def project_codes(self) -> list[str]:
        """Every project with a record: the global log is scanned once, then incrementally."""
        with self._lock:
            top = self.max_position()
            while self._scanned < top:
                page = self._read(
                    partial(
                        self.recorder.select_notifications,
                        self._scanned,
                        self._page,
                        inclusive_of_start=False,
                    )
                )
                if not page:
                    break
                for item in page:
                    sid = _as_uuid(item.originator_id)
                    if sid not in self._codes:
                        self._record(item)
                self._scanned = page[-1].id
            return sorted(set(self._codes.values()))

    def _check_open(self) -> None:
        """A closed store refuses every call (the storage contract of ``dautu_core.ports``)."""
        if self.closed:
            raise StorageError(
                f"Kho lưu trữ {self.url} đã đóng",
                f"the store {self.url} is closed",
                rule_id="store_closed",
            )

    def _check_writable(self, project_code: str | None) -> None:
        """Open, and not opened read-only: the refusal comes before any database call."""
        self._check_open()
        if self.read_only:
            raise StorageError(
                f"Kho lưu trữ {self.url} được mở chỉ để đọc; không có gì được ghi",
                f"the store {self.url} is open for reading only; nothing was written",
                project_code=project_code,
                rule_id="store_read_only",
            )

    def _read_only_file(self, project_code: str | None) -> StorageError:
        return StorageError(
            f"Không ghi được vào kho lưu trữ {self.url}: tệp hoặc thư mục chứa nó chỉ cho phép "
            "đọc; không có gì được ghi",
            f"cannot write to the store {self.url}: the file or its folder is read-only; "
            "nothing was written",
            project_code=project_code,
            rule_id="store_read_only",
        )

    def _read(self, query: Callable[[], _T]) -> _T:
        self._check_open()
        try:
            return query()
        except (OperationalError, InterfaceError) as exc:
            raise StorageError(
                f"Không đọc được cơ sở dữ liệu ({exc})",
                f"cannot read from the database ({exc})",
                rule_id="store_connection",
            ) from exc

    # --- checkpoints -------------------------------------------------------------------------

    def get_checkpoint(self, name: str) -> int:
        return self.load_projection(name)[0]

    def save_checkpoint(self, name: str, position: int, state: bytes) -> None:
        self._check_writable(None)
        try:
            self._claim_sealing()
            self._checkpoints.save(nfc(name), position, self.sealer.seal_blob(state))
        except (OperationalError, InterfaceError) as exc:
            if _read_only_file(exc):
                raise self._read_only_file(None) from exc
            raise StorageError(
                f"Không ghi được bảng tổng hợp {name} ({exc})",
                f"cannot save the projection {name} ({exc})",
                rule_id="store_connection",
            ) from exc

    def load_projection(self, name: str) -> tuple[int, bytes | None]:
        self._check_open()
        key = nfc(name)
        position, sealed = self._checkpoints.load(key)
        if sealed is None:
            return position, None
        return position, self.sealer.open_blob(sealed, name=key)

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the recorder's connections (idempotent)."""
        if self.closed:
            return
        self.closed = True
        for close in self._on_close:
            close()


def _read_only_file(exc: BaseException) -> bool:
    """Whether the database refused a write because its file (or folder) is read-only."""
    return "readonly database" in str(exc).lower()  # SQLite: attempt to write a readonly database


def _as_uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _project_code_of(data: bytes, position: int) -> str:
    try:
        code = json.loads(data)["data"]["project_code"]
    except ValueError as exc:
        raise StorageError(
            f"Bản ghi ở vị trí {position} không đọc được: có thể kho đã được mã hoá mà chưa có "
            "khoá (DAUTU_CIPHER_KEY), hoặc dữ liệu bị hỏng",
            f"the record at position {position} is unreadable: the store may be encrypted and "
            "no key was given (DAUTU_CIPHER_KEY), or the data is damaged",
            field="cipher_key",
            rule_id="record_unreadable",
        ) from exc
    except (KeyError, TypeError) as exc:
        raise StorageError(
            f"Bản ghi ở vị trí {position} không nêu mã dự án",
            f"the record at position {position} does not name its project",
            field="project_code",
            rule_id="record_unreadable",
        ) from exc
    return nfc(str(code))
