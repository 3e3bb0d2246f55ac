"""The application service: the main Python API for embedders.

    with ProjectService.open("sqlite:///dautu.db") as service:
        service.execute(command)        # load, decide, append atomically (retries on conflict)
        state = service.load("2165432100")

Why a thin service (Percival & Gregory's "service layer"): the core decides, the store keeps
records, and something must glue them with the two rules that make the record trustworthy:

- **Optimistic concurrency.** A command is decided against the state the writer read and is
  appended with that state's version; if someone else wrote in between, the store refuses it and
  the service re-reads and re-decides (the rules may now say something else), at most
  ``max_retries`` times, then raises :class:`~dautu_core.errors.ConcurrencyConflict` naming the
  project and both versions.
- **All or nothing.** Every event of a command, and every command of :meth:`execute_batch`,
  goes to the store in one ``append`` call (one transaction). Nothing is written if any command
  is refused.

Records are chained as they are built (``make_record(event, prev)``, ``prev`` = hash of the
project's previous record), so the audit trail's hash chain is complete from the first write.
Recorded times: commands carry their own ``recorded_at``, unless the service is given a clock
(``clock=``). Then it stamps each command's ``recorded_at`` with the clock when deciding it
(again at each retry), so that the recorded time is when the record was appended. The core
refuses a record whose recorded time is earlier than its project's last one (rule
``recorded_in_order``: replay "as known at" depends on it); two clerks writing one project
at once therefore need a clock-stamping service, or their own times in commit order. The
service refuses a recorded time more than ``recorded_at_tolerance`` (default
:data:`~dautu_core.rules.RECORDED_AT_TOLERANCE`, 5 minutes) after its clock (``clock=``, else
the machine's UTC time), rule ``recorded_not_in_future``: one record typed with year 2204
would otherwise refuse every later record of its project. A record stored before that rule
is corrected with an ordinary ``CorrectEvent`` recorded now (see
:func:`dautu_core.rules.recorded_in_order`).

The law: unless given explicit ``rulebooks``, a service judges by the rulebooks of the plugin
registry (:func:`~dautu_adapters.plugins.rulebook_registry`: the builtin ones, replaced or
extended by installed plugins), exactly as the ``dautu`` command line does, so that an
embedding portal and the CLI never judge one store by different law.

States are cached per project (bounded, least recently used first out) and brought up to date
by reading only the records after the cached version: streams only grow, so a cached state is
never wrong, only possibly behind, and the expected-version check catches that.

A project missing from the cache starts from its persisted state if the store keeps one
(:mod:`dautu_adapters.project_snapshots`: a checkpoint per project, verified against the
record at its version, else ignored) and folds only the records after it. A command whose
project's state was folded over ``snapshot_every`` records or more past the persisted one
(default :data:`SNAPSHOT_EVERY`) saves its resulting state after its append, as a second
commit (one in ``snapshot_every`` commands at most); a read-only store, a batch of many
unread projects and a query never save one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from dautu_adapters.chained_rows import fold_chained_rows, stream_corrupted
from dautu_adapters.collector import collector_paused
from dautu_adapters.project_snapshots import StoredHistory, seal_state, snapshot_name, unseal_state
from dautu_adapters.stores.errors import StreamCorrupted
from dautu_core import commands as cmd
from dautu_core.codec import (
    NO_UPCASTERS,
    Upcasters,
)
from dautu_core.decider import decide
from dautu_core.errors import ConcurrencyConflict, DautuError, InvalidValue, UnknownProject
from dautu_core.ports import AppendBatch, CheckpointStore, EventStore, NewRecord
from dautu_core.record import GENESIS, RecordRow, StoredRecord, make_record, record_hash
from dautu_core.rulebook import Rulebooks
from dautu_core.rules import RECORDED_AT_TOLERANCE, recorded_not_in_future
from dautu_core.state import ProjectState, evolve
from dautu_core.values import project_code as checked_code

if TYPE_CHECKING:
    from types import TracebackType

    from dautu_adapters.plugins import DautuPluginManager

__all__ = ["SNAPSHOT_EVERY", "ProjectService", "ProjectSnapshot"]

SNAPSHOT_EVERY = 16
"""Records folded past a project's persisted state after which a command saves a new one.

Why 16: a cold command folds at most this many records more than the persisted state
(about 11 µs each), and a long-lived service writing one project pays one more commit in
16 commands for its snapshot."""


@attrs.frozen
class ProjectSnapshot:
    """A project's state and the hash of its last record (the next record's ``prev``)."""

    state: ProjectState = attrs.field(factory=ProjectState)
    last_hash: str = GENESIS

    @property
    def version(self) -> int:
        return self.state.version


_NO_RECORD = ProjectSnapshot()
"""The snapshot of a project without records (frozen: one is shared by all new projects)."""


@attrs.frozen
class _Decided:
    """Records built for one project's batch and the snapshot they lead to."""

    start: ProjectSnapshot
    end: ProjectSnapshot
    records: tuple[NewRecord, ...]


class _Head:
    """A project's running state, last record hash and new records while a batch is decided
    (mutable: updated after each of the project's commands)."""

    __slots__ = ("last_hash", "records", "state")

    def __init__(self, state: ProjectState, last_hash: str) -> None:
        self.state = state
        self.last_hash = last_hash
        self.records: list[NewRecord] = []  # a list: a long batch for one project stays linear


class ProjectService:
    """Load projects, decide commands and append their events atomically.

    ``store`` is any :class:`~dautu_core.ports.EventStore` (see
    :func:`dautu_adapters.stores.open_store`, or open one with :meth:`open`). ``rulebooks``:
    the law commands are judged by; ``None`` (the default) means the rulebooks of the plugin
    registry of ``plugin_manager`` (default: the process-wide manager, the one ``open_store``
    and the command line use), looked up once, at the first command. ``upcasters`` decode
    old schema versions; by default the store's own (``store.upcasters``) if it has some.
    ``cache_size`` bounds how many project states are kept in memory between calls (0
    disables the cache). ``recorded_at_tolerance``: how far after the clock a recorded time
    may be (``None``: not checked, for replaying a history whose times are known good).
    ``snapshot_every``: see the module's docstring (``None``: persisted states are neither
    read nor saved).
    """

    def __init__(
        self,
        store: EventStore,
        *,
        rulebooks: Rulebooks | None = None,
        plugin_manager: DautuPluginManager | None = None,
        max_retries: int = 3,
        upcasters: Upcasters | None = None,
        cache_size: int = 1024,
        clock: Callable[[], datetime] | None = None,
        recorded_at_tolerance: timedelta | None = RECORDED_AT_TOLERANCE,
        snapshot_every: int | None = SNAPSHOT_EVERY,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.store = store
        self._rulebooks = rulebooks
        self._plugin_manager = plugin_manager
        self.max_retries = max_retries
        store_upcasters = getattr(store, "upcasters", NO_UPCASTERS)
        self.upcasters = upcasters if upcasters is not None else store_upcasters
        self._cache_size = cache_size
        self._clock = clock
        self._tolerance = recorded_at_tolerance
        self._cache: OrderedDict[str, ProjectSnapshot] = OrderedDict()
        self._lock = threading.Lock()
        if snapshot_every is not None and snapshot_every < 1:
            raise ValueError("snapshot_every must be >= 1 (or None)")
        self._snapshot_every = snapshot_every
        checkpoints = store if isinstance(store, CheckpointStore) else None
        self._checkpoints = checkpoints if snapshot_every is not None else None
        self._saves_snapshots = not getattr(store, "read_only", False)
        # Per project, the version of its persisted state as last read or saved (0: none).
        self._persisted: OrderedDict[str, int] = OrderedDict()

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        rulebooks: Rulebooks | None = None,
        plugin_manager: DautuPluginManager | None = None,
        max_retries: int = 3,
        cache_size: int = 1024,
        clock: Callable[[], datetime] | None = None,
        recorded_at_tolerance: timedelta | None = RECORDED_AT_TOLERANCE,
        snapshot_every: int | None = SNAPSHOT_EVERY,
        **options: Any,
    ) -> ProjectService:
        """A service on the store at ``url`` (default ``$DAUTU_STORE``, else
        ``sqlite:///dautu.db``), judging by the plugin registry's rulebooks.

        ``options`` go to :func:`~dautu_adapters.stores.open_store` (``cipher_key``,
        ``compress``, ``upcasters``, ``env``...). The service owns the store: close it with
        :meth:`close`, or use the service as a context manager.
        """
        from dautu_adapters.stores import open_store

        store = open_store(url, plugin_manager=plugin_manager, **options)
        return cls(
            store,
            rulebooks=rulebooks,
            plugin_manager=plugin_manager,
            max_retries=max_retries,
            cache_size=cache_size,
            clock=clock,
            recorded_at_tolerance=recorded_at_tolerance,
            snapshot_every=snapshot_every,
        )

    @property
    def rulebooks(self) -> Rulebooks:
        """The rulebooks commands are judged by (the registry's unless given)."""
        if self._rulebooks is None:
            from dautu_adapters.plugins import rulebook_registry

            with self._lock:
                if self._rulebooks is None:
                    self._rulebooks = rulebook_registry(self._plugin_manager).rulebooks
        return self._rulebooks

    def close(self) -> None:
        """Close the store (if it can be closed)."""
        close = getattr(self.store, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> ProjectService:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- queries -----------------------------------------------------------------------------

    def load(self, project_code: str, *, up_to_version: int | None = None) -> ProjectState:
        """The project's state after all its records (or after version ``up_to_version``).

        Raises :class:`~dautu_core.errors.UnknownProject` if the project has no record,
        :class:`~dautu_core.errors.InvalidValue` for a code that is not a project code (not
        text, control characters, too long) or a version that is not a whole number.
        """
        code = _code(project_code)
        if up_to_version is not None and (
            not isinstance(up_to_version, int) or isinstance(up_to_version, bool)
        ):
            raise InvalidValue(
                f"up_to_version phải là số nguyên, nhận được {type(up_to_version).__name__}",
                f"up_to_version must be a whole number, got {type(up_to_version).__name__}",
                project_code=code,
                field="up_to_version",
                rule_id="field_type",
            )
        if up_to_version is None:
            snapshot = self.snapshot(code)
        else:
            snapshot = self._read_and_fold(ProjectSnapshot(), code, up_to_version)
        if snapshot.version == 0:
            raise _unknown(code)
        return snapshot.state

    def snapshot(self, project_code: str) -> ProjectSnapshot:
        """The project's current state and last record hash (an empty state if none).

        A project not in the cache starts from its persisted state when the store keeps one
        that matches its records (see the module's docstring); nothing is ever written."""
        code = _code(project_code)
        with self._lock:
            cached = self._cache.get(code)
        if cached is None:
            snapshot = self._cold(code)
            if snapshot.version:
                self._remember(code, snapshot)
            return snapshot
        snapshot = self._read_and_fold(cached, code, None)
        if snapshot is not cached:
            self._remember(code, snapshot)
        return snapshot

    def _cold(self, code: str) -> ProjectSnapshot:
        """The project's snapshot when it is not cached: from its persisted state and the
        records after it when the store keeps one that can be trusted, else folded from the
        first record (the same snapshot either way)."""
        persisted = self._restore(code) if self._checkpoints is not None else None
        if persisted is None:
            snapshot, base = self._read_and_fold(_NO_RECORD, code, None), 0
        else:
            snapshot, base = persisted
        if self._checkpoints is not None:
            with self._lock:
                self._persisted[code] = base
                self._persisted.move_to_end(code)
                while len(self._persisted) > max(self._cache_size, 64):
                    self._persisted.popitem(last=False)
        return snapshot

    def _restore(self, code: str) -> tuple[ProjectSnapshot, int] | None:
        """The project's persisted state brought up to date and its version, or ``None`` when
        there is none or it cannot be trusted (see :mod:`dautu_adapters.project_snapshots`).

        The record at the persisted version is read in the same query as the records after
        it, and its hash compared with the one the state was folded up to."""
        assert self._checkpoints is not None
        try:
            position, blob = self._checkpoints.load_projection(snapshot_name(code))
        except DautuError:
            return None
        if blob is None:
            return None
        opened = unseal_state(code, position, blob, self._stored_history(code, position))
        if opened is None:
            return None
        state, record_hash = opened
        start = ProjectSnapshot(state, record_hash)
        read_rows = getattr(self.store, "read_stream_rows", None)
        if read_rows is not None:
            rows: list[RecordRow] = read_rows(code, after_version=position - 1)
            if (
                not rows
                or rows[0][1] != position
                or hashlib.sha256(rows[0][4]).hexdigest() != record_hash
            ):
                return None
            return self._fold_rows(start, code, rows[1:]), position
        records = self.store.read_stream(code, after_version=position - 1)
        if not records or records[0].version != position or records[0].hash != record_hash:
            return None
        return self._fold(start, code, records[1:]), position

    def _stored_history(self, code: str, version: int) -> Callable[[str], StoredHistory]:
        """The history link of a state restored at ``version`` whose record has a given
        hash: the project's records up to it, read and folded when first walked, and checked
        to end at that hash."""

        def history(record_hash: str) -> StoredHistory:
            def load() -> tuple[int, Any, Any]:
                full = self._read_and_fold(_NO_RECORD, code, version)
                link = full.state.history
                if full.version != version or link is None or full.last_hash != record_hash:
                    raise _history_changed(code, version)
                return link

            return StoredHistory(load)

        return history

    def _read_and_fold(
        self, start: ProjectSnapshot, code: str, up_to_version: int | None
    ) -> ProjectSnapshot:
        """``start`` brought up to date (or up to ``up_to_version``) from the store; ``start``
        itself when nothing follows it.

        Stores that read plain rows (``read_stream_rows``, the builtin ones) are folded by
        :func:`~dautu_adapters.chained_rows.fold_chained_rows`, which decodes the records
        the hash chain vouches for without re-validating them; other stores' records are
        decoded and validated one by one.
        """
        read_rows = getattr(self.store, "read_stream_rows", None)
        if read_rows is None:
            records = self.store.read_stream(
                code, after_version=start.version, up_to_version=up_to_version
            )
            return self._fold(start, code, records) if records else start
        rows: list[RecordRow] = read_rows(
            code, after_version=start.version, up_to_version=up_to_version
        )
        return self._fold_rows(start, code, rows)

    def _fold_rows(
        self, start: ProjectSnapshot, code: str, rows: Sequence[RecordRow]
    ) -> ProjectSnapshot:
        """``start`` with ``rows`` folded in (see :func:`fold_chained_rows`); ``start``
        itself when there are none."""
        if not rows:
            return start
        state, last_hash = fold_chained_rows(
            start.state, start.last_hash, code, rows, self.upcasters
        )
        return ProjectSnapshot(state, last_hash)

    def history(self, project_code: str) -> list[StoredRecord]:
        """Every record of the project, oldest first, as stored."""
        code = _code(project_code)
        records = self.store.read_stream(code)
        if not records:
            raise _unknown(code)
        return records

    def project_codes(self) -> list[str]:
        """Every project with at least one record, sorted."""
        return self.store.project_codes()

    # --- commands ----------------------------------------------------------------------------

    def execute(self, command: cmd.Command) -> list[StoredRecord]:
        """Decide ``command`` and append its events in one transaction; return the records.

        Raises :class:`~dautu_core.errors.RuleViolation` (nothing written) when the rules
        refuse it, :class:`~dautu_core.errors.ConcurrencyConflict` after ``max_retries``
        re-decisions lost to concurrent writers.
        """
        return self.execute_batch([command])

    def execute_batch(self, commands: Sequence[cmd.Command]) -> list[StoredRecord]:
        """Decide many commands (many projects) and append them all in one transaction.

        Commands of one project are decided in order, each on the state the previous ones
        leave. If any command is refused, its error is raised and nothing at all is written.
        Records are returned in the order they were appended (grouped by project, in order
        of each project's first command). Python's automatic garbage collection is paused
        for the call (see :func:`~dautu_adapters.collector.collector_paused`), unless the program turned it off.
        """
        commands = _commands(commands)
        if not commands:
            return []
        with collector_paused():
            return self._execute_all(commands)

    def _execute_all(self, commands: Sequence[cmd.Command]) -> list[StoredRecord]:
        """:meth:`execute_batch` of commands already checked to be a non-empty sequence."""
        conflict: ConcurrencyConflict | None = None
        for _attempt in range(self.max_retries + 1):
            decided = self._decide_all(commands)
            batches = [
                AppendBatch(code, d.start.version, d.records)
                for code, d in decided.items()
                if d.records
            ]
            try:
                positions = self.store.append(batches) if batches else []
            except ConcurrencyConflict as exc:
                conflict = exc
                self._forget(exc.project_code)
                continue
            for code, d in decided.items():
                self._remember(code, d.end)
            if self._checkpoints is not None and self._saves_snapshots:
                self._persist(decided)
            return _stored(batches, positions)
        assert conflict is not None
        raise conflict

    def _decide_all(self, commands: Sequence[cmd.Command]) -> dict[str, _Decided]:
        """Decide every command and chain its records, each project on the state and last
        hash its previous commands in the batch left.

        Why a running head per project (state, last hash, records) rather than a snapshot
        per command: an import sends many commands of each project in one batch; the state
        and hash are carried from one command to the next, the project's records are read
        (or found cached) once, and one snapshot is built per project, at the end.
        """
        rulebooks = self.rulebooks
        clock = self._clock
        tolerance = self._tolerance
        now = None
        if tolerance is not None:
            now = clock() if clock is not None else datetime.now(UTC)
            if not isinstance(now, datetime) or now.utcoffset() is None:
                raise InvalidValue(
                    f"Đồng hồ của dịch vụ phải trả về thời điểm có múi giờ, nhận được {now!r}",
                    f"the service's clock must return a time with an offset, got {now!r}",
                    field="clock",
                    rule_id="recorded_at_aware",
                )
        # Only a command recorded after this, or one carrying a replacement, can be refused
        # by recorded_not_in_future; the others need neither its rulebook nor the call.
        limit = None if now is None or tolerance is None else now + tolerance
        fresh = self._snapshots_of_unread(commands)
        starts: dict[str, ProjectSnapshot] = {}
        heads: dict[str, _Head] = {}
        for command in commands:
            if clock is not None:
                command = attrs.evolve(command, recorded_at=clock())
            if (
                now is not None
                and tolerance is not None
                and limit is not None
                and (command.recorded_at > limit or hasattr(command, "replacement"))
            ):
                book = rulebooks.in_force(command.effective_date, command.project_code)
                recorded_not_in_future(command, now, book, tolerance)
            code = command.project_code
            head = heads.get(code)
            if head is None:
                start = fresh.get(code)
                if start is None:
                    start = self.snapshot(code)
                starts[code] = start
                head = heads[code] = _Head(start.state, start.last_hash)
            state, prev, made = head.state, head.last_hash, head.records
            for event in decide(command, state, rulebooks):
                data = make_record(event, prev)
                prev = record_hash(data)
                state = evolve(state, event)
                made.append(NewRecord(event.TYPE_NAME, data))
            head.state, head.last_hash = state, prev
        return {
            code: _Decided(
                start,
                ProjectSnapshot(heads[code].state, heads[code].last_hash),
                tuple(heads[code].records),
            )
            for code, start in starts.items()
        }

    # --- internals ---------------------------------------------------------------------------

    def _snapshots_of_unread(self, commands: Sequence[cmd.Command]) -> dict[str, ProjectSnapshot]:
        """The snapshots of the batch's projects that are not cached, read together.

        Why: an import of a thousand new projects otherwise asks the store a thousand times
        (one query and one transaction each) before deciding anything. Only stores that can
        read many streams at once (``read_streams``, see
        :meth:`~dautu_adapters.stores.store.RecorderStore.read_streams`) are asked; the
        snapshots are the same folds :meth:`snapshot` makes.
        """
        read_streams = getattr(self.store, "read_streams", None)
        if read_streams is None:
            return {}
        with self._lock:
            unread = list(
                dict.fromkeys(c.project_code for c in commands if c.project_code not in self._cache)
            )
        if len(unread) < 2:
            return {}
        out: dict[str, ProjectSnapshot] = {}
        for code, records in read_streams(unread).items():
            snapshot = self._fold(_NO_RECORD, code, records) if records else _NO_RECORD
            if records:
                self._remember(code, snapshot)
            out[code] = snapshot
        return out

    def _persist(self, decided: dict[str, _Decided]) -> None:
        """Save the state each project's command led to when its state was folded over
        ``snapshot_every`` records or more past its persisted one (see the module's
        docstring). The records are committed already: a save that fails is not an error of
        the command, the state is saved by a later one."""
        assert self._checkpoints is not None and self._snapshot_every is not None
        for code, d in decided.items():
            with self._lock:
                base = self._persisted.get(code)
            if not d.records or base is None or d.end.version - base < self._snapshot_every:
                continue
            blob = seal_state(code, d.end.state, d.end.last_hash)
            try:
                self._checkpoints.save_checkpoint(snapshot_name(code), d.end.version, blob)
            except DautuError:
                continue
            with self._lock:
                if code in self._persisted:
                    self._persisted[code] = d.end.version

    def _fold(
        self, start: ProjectSnapshot, code: str, records: Sequence[StoredRecord]
    ) -> ProjectSnapshot:
        state = start.state
        upcasters = self.upcasters
        for record in records:
            if record.version != state.version + 1:
                raise stream_corrupted(code, state.version + 1, record.version)
            state = evolve(state, record.event(upcasters))
        return ProjectSnapshot(state, records[-1].hash if records else start.last_hash)

    def _remember(self, code: str, snapshot: ProjectSnapshot) -> None:
        if self._cache_size <= 0:
            return
        with self._lock:
            cached = self._cache.get(code)
            if cached is None or cached.version <= snapshot.version:
                self._cache[code] = snapshot
            self._cache.move_to_end(code)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _forget(self, code: str | None) -> None:
        with self._lock:
            if code is None:
                self._cache.clear()
                self._persisted.clear()
            else:
                self._cache.pop(code, None)
                self._persisted.pop(code, None)


def _stored(batches: Sequence[AppendBatch], positions: Sequence[int]) -> list[StoredRecord]:
    out: list[StoredRecord] = []
    iterator = iter(positions)
    for batch in batches:
        for offset, record in enumerate(batch.records, start=1):
            out.append(
                StoredRecord(
                    batch.project_code,
                    batch.expected_version + offset,
                    next(iterator),
                    record.type_name,
                    record.data,
                )
            )
    return out


def _history_changed(code: str, version: int) -> StreamCorrupted:
    return StreamCorrupted(
        f"Các hồ sơ của dự án {code} đến phiên bản {version} không còn là các hồ sơ mà trạng "
        "thái đã lưu được tổng hợp từ đó; hãy kiểm tra kho lưu trữ (dautu verify)",
        f"the records of project {code} up to version {version} are no longer those its "
        "persisted state was folded over; check the store (dautu verify)",
        project_code=code,
        field="version",
        rule_id="stream_contiguous",
    )


def _code(value: object) -> str:
    """A project code given to a query: text, NFC, checked as commands check it."""
    return checked_code(value)


def _commands(commands: object) -> Sequence[cmd.Command]:
    """The commands of :meth:`ProjectService.execute_batch`, each a dautu command, or the
    :class:`InvalidValue` naming what was given instead (nothing is decided or written)."""
    if isinstance(commands, str | bytes | cmd.Command) or not isinstance(commands, Iterable):
        raise InvalidValue(
            f"Cần một danh sách lệnh, nhận được {type(commands).__name__}",
            f"expected a list of commands, got {type(commands).__name__}",
            field="commands",
            rule_id="field_type",
        )
    commands = list(commands)
    for index, command in enumerate(commands):
        if not isinstance(command, cmd.Command):
            raise InvalidValue(
                f"Lệnh thứ {index + 1} không phải là một lệnh của dautu "
                f"(dautu_core.commands), mà là {type(command).__name__}",
                f"command {index + 1} is not a dautu command (dautu_core.commands) but "
                f"{type(command).__name__}",
                field="commands",
                rule_id="field_type",
            )
    return commands


def _unknown(code: str) -> UnknownProject:
    return UnknownProject(
        f"Chưa có hồ sơ nào của dự án {code}",
        f"there is no record of project {code}",
        project_code=code,
        field="project_code",
        rule_id="project_known",
    )
