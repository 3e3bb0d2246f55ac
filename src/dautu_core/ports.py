"""Ports: the interfaces the core needs from the world, as ``typing.Protocol``s.

Why protocols: the core must not know whether records live in memory, SQLite, PostgreSQL or a
JSON-lines file of a third-party package. Anything with these methods is a store; the
conformance kit (``dautu_adapters.conformance``) tells an adapter author when theirs is right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import attrs

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


@attrs.frozen
class AppendBatch:
    """Records for one project's stream, appended after ``expected_version``.

    ``expected_version`` is the version the writer read (0 for a new project); the store
    refuses the batch if the stream has moved on.
    """

    project_code: str = attrs.field(converter=_normal_code)
    expected_version: int
    records: tuple[NewRecord, ...] = attrs.field(converter=_records)


@runtime_checkable
class EventStore(Protocol):
    """An append-only store of project streams with a gap-free global order."""

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        """Append every batch in one transaction: all or nothing.

        Returns the global positions given to the new records, in order. Raises
        :class:`~dautu_core.errors.ConcurrencyConflict` if any stream's version is not the
        batch's ``expected_version`` (then nothing is written).
        """
        ...

    def read_stream(
        self, project_code: str, *, after_version: int = 0, up_to_version: int | None = None
    ) -> list[StoredRecord]:
        """The project's records with ``after_version < version <= up_to_version``, in order."""
        ...

    def read_log(self, *, after_position: int = 0, limit: int | None = None) -> list[StoredRecord]:
        """Records of every project after a global position, in global order."""
        ...

    def max_position(self) -> int:
        """The highest global position written (0 when empty)."""
        ...

    def project_codes(self) -> list[str]:
        """Every project code with at least one record, sorted."""
        ...

    def close(self) -> None:
        """Release connections and files."""
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
