"""Ports: the interfaces the core needs from the world, as ``typing.Protocol``s.

Why protocols: the core must not know whether records live in memory, SQLite, PostgreSQL or a
JSON-lines file of a third-party package. Anything with these methods is a store; the
conformance kit (``dautu_adapters.conformance``) tells an adapter author when theirs is right.

What every store promises besides each method's own contract (the kit checks each):

- **Bytes as given.** ``NewRecord.data`` comes back byte for byte: never parsed, re-encoded,
  normalised or re-ordered.
- **Closed means closed.** After ``close()`` every other method raises ``StorageError``
  (``dautu_adapters.stores.StorageError``, rule ``store_closed``); ``close()`` again does
  nothing.
- **Threads.** One store object may be used by several threads at once.
- **Errors.** A version conflict is :class:`~dautu_core.errors.ConcurrencyConflict`; a failure
  of the backend (connection lost, disk full, driver error) is raised as ``StorageError``,
  never as the driver's own exception, and an append that fails leaves nothing written.
- **No display attribute.** Nothing but these methods is required; the command line shows the
  URL it opened, not an attribute of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from dautu_core.errors import InvalidValue
from dautu_core.record import StoredRecord
from dautu_core.values import project_code as _normal_code

__all__ = ["AppendBatch", "CheckpointStore", "EventStore", "NewRecord"]


@attrs.frozen
class NewRecord:
    """A record to append: its type name (for indexing) and its canonical bytes."""

    type_name: str
    data: bytes


def _records(records: Iterable[NewRecord]) -> tuple[NewRecord, ...]:
    """Typed ``tuple`` converter (``converter=tuple`` leaves mypy an unsolved type variable)."""
    return tuple(records)


def _code(value: str) -> str:
    """The project code, normalised (NFC, no surrounding blanks, not empty).

    A converter of its own so that ``AppendBatch``'s signature says ``project_code: str``
    (attrs copies the converter's parameter type; the core's normaliser takes any object).
    """
    return _normal_code(value)


def _non_negative(_batch: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(
            f"Phiên bản mong đợi phải là số nguyên không âm, nhận được {value!r}",
            f"expected_version must be a non-negative whole number, got {value!r}",
            field="expected_version",
            rule_id="non_negative_integer",
        )


@attrs.frozen
class AppendBatch:
    """Records for one project's stream, appended after ``expected_version``.

    ``expected_version`` is the version the writer read (0 for a new project); the store
    refuses the batch if the stream has moved on. A batch with no records still has its
    expected version checked: it asserts that a stream the decision depended on has not moved.
    """

    project_code: str = attrs.field(converter=_code)
    expected_version: int = attrs.field(validator=_non_negative)
    records: tuple[NewRecord, ...] = attrs.field(converter=_records)


@runtime_checkable
class EventStore(Protocol):
    """An append-only store of project streams with a gap-free global order."""

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        """Append every batch in one transaction: all or nothing.

        Returns the global positions given to the new records, in order (``[]`` for
        ``append([])`` or batches without records). Raises
        :class:`~dautu_core.errors.ConcurrencyConflict` naming the project if any stream's
        version is not the batch's ``expected_version``, also for a batch without records
        (then nothing is written). Several batches of one project follow on from each other.
        """
        ...

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        """The project's records with ``after_version < version <= up_to_version``, in
        ascending version order.

        Out-of-range windows are not errors: a negative ``after_version`` reads from the
        start, an ``up_to_version`` past the head reads to the head, an empty window
        (``up_to_version <= after_version``, or negative) and an unknown project give ``[]``.
        """
        ...

    def read_log(self, *, after_position: int = 0, limit: int | None = None) -> list[StoredRecord]:
        """Records of every project after a global position, in global order, at most
        ``limit`` of them (``None``: all).

        A negative ``after_position`` reads from the start; ``limit <= 0`` and a position past
        the end give ``[]``. Pages (``after_position`` = the last position read) add up to
        one read.
        """
        ...

    def max_position(self) -> int:
        """The highest global position written (0 when empty)."""
        ...

    def project_codes(self) -> list[str]:
        """Every project code with at least one record, sorted."""
        ...

    def close(self) -> None:
        """Release connections and files; calling it again does nothing. Every other method
        of a closed store raises ``StorageError``."""
        ...


@runtime_checkable
class CheckpointStore(Protocol):
    """Where projections keep how far into the global log they have read."""

    def get_checkpoint(self, name: str) -> int:
        """Last global position processed by projection ``name`` (0 if none)."""
        ...

    def save_checkpoint(self, name: str, position: int, state: bytes) -> None:
        """Store the projection's position and its serialised state atomically."""
        ...

    def load_projection(self, name: str) -> tuple[int, bytes | None]:
        """The saved ``(position, state)`` of projection ``name`` (``(0, None)`` if none)."""
        ...
