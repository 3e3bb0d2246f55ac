"""The fast first pass of verification: one read of the log in bounded memory.

:class:`LogScanner` reads the log once in global order, keeping one small entry per project and
a Merkle compact range. Per record it hashes the stored bytes once, reads ``prev``/``type``/
project code from fixed places (:mod:`dautu_core.audit.parsing`), checks that the record
continues its project's stream (next version, ``prev`` = hash of the previous record,
:data:`~dautu_core.record.GENESIS` for version 1) and adds its leaf to the tree. It notes which
projects look wrong and which global positions are missing or out of order; working out what
happened is :mod:`dautu_core.audit.diagnosis`'s job, run only when something looked wrong.
"""

from __future__ import annotations

import binascii
import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

import attrs

from dautu_core.audit.checkpoint import Checkpoint, Head, heads_tree
from dautu_core.audit.merkle import RootBuilder
from dautu_core.audit.parsing import CODE_KEY, PREV_MARK, RECORD_START, json_string
from dautu_core.record import GENESIS, RecordRow, StoredRecord, record_row

__all__ = ["LogScan", "LogScanner", "checkpoint_from_scan", "stream_head"]


@attrs.frozen(kw_only=True)
class LogScan:
    """What one pass over the log computed and noticed."""

    size: int
    root: bytes
    heads: Mapping[str, Head]
    suspects: frozenset[str]
    gaps: tuple[tuple[int, int], ...]
    """Missing global positions, as inclusive ``(first, last)`` ranges."""
    gap_next: tuple[tuple[str, int], ...] = ()
    """Per gap (same order as ``gaps``), ``(project code, version)`` of the record after it."""
    out_of_order: tuple[tuple[int, str, int], ...]
    """``(position, project code, version)`` of records whose position did not increase."""
    checkpoint_size: int | None
    checkpoint_root: bytes | None
    """Root of the first ``checkpoint_size`` records (``None`` if the log is shorter)."""
    checkpoint_heads: Mapping[str, Head] | None
    checkpoint_position: int | None
    """Global position of the ``checkpoint_size``-th record (``None``: no checkpoint, or the
    log is shorter than it). Positions may have gaps, so this is not ``checkpoint_size``."""
    last_position: int
    """The highest global position seen (0 for an empty log)."""
    first_uncovered: tuple[str, int, int] | None
    """``(project code, version, position)`` of the first record after the checkpoint."""

    @property
    def root_hash(self) -> str:
        return self.root.hex()

    @property
    def uncovered(self) -> int:
        if self.checkpoint_size is None:
            return 0
        return max(0, self.size - self.checkpoint_size)

    def codes_to_diagnose(self, checkpoint: Checkpoint | None) -> frozenset[str]:
        """Projects whose records :func:`finish_audit` needs: the suspects, plus those whose
        head no longer matches the checkpoint's."""
        codes = set(self.suspects)
        if checkpoint is not None and checkpoint.heads:
            found = self.checkpoint_heads if self.checkpoint_heads is not None else self.heads
            for head in checkpoint.heads:
                if found.get(head.project_code) != head:
                    codes.add(head.project_code)
            if self.checkpoint_heads is not None:
                signed = {h.project_code for h in checkpoint.heads}
                codes.update(c for c in self.checkpoint_heads if c not in signed)
        return frozenset(codes)


_SCHEMA_MARK = b'","schema_version":'
_START_LEN = len(RECORD_START)
_CODE_LEN = len(CODE_KEY)
_HEX_END = len(PREV_MARK) + 64
"""Offset, from the top-level ``,"prev":"``, of the end of the previous record's hash."""


def _type_tail(type_name: str) -> bytes:
    """How a canonical record of type ``type_name`` ends."""
    return b',"type":"' + json_string(type_name) + b'"}'


def _chained(data: bytes, tail: bytes, last_hex: bytes, code_value: bytes) -> int:
    """Where the top-level ``,"prev":"`` of ``data`` is if ``data`` has the canonical shape
    (:mod:`dautu_core.audit.parsing`), ends with ``tail`` (its stored type), names
    ``last_hex`` as ``prev`` and ``code_value`` as its project code; else ``-1``.

    The one full fixed-place check of a record; the scan's hot loop first tries a shortcut
    that implies it (see :meth:`LogScanner.feed_rows`)."""
    mark = data.rfind(PREV_MARK)
    if (
        mark > _START_LEN
        and data.endswith(tail)
        and data.startswith(last_hex, mark + 9)
        and data.startswith(_SCHEMA_MARK, mark + _HEX_END)
        and data[mark + _HEX_END + len(_SCHEMA_MARK) : -len(tail)].isdigit()
        and data.startswith(RECORD_START)
        and (key := data.find(CODE_KEY, _START_LEN, mark)) > 0
        and data.startswith(code_value, key + _CODE_LEN)
    ):
        return mark
    return -1


class _Stream:
    """Per-project running state of the scan."""

    __slots__ = ("code_field", "code_span", "code_value", "prev_field", "version")

    def __init__(self, code: str) -> None:
        self.version = 0
        # How the next record must name its predecessor: ``,"prev":"<64 hex>``.
        self.prev_field = PREV_MARK + GENESIS.encode()
        # The project code as it must follow the key in the record, closing quote included.
        self.code_value = json_string(code) + b'"'
        # The key and the code, as the record's first ``"project_code":"`` must read on.
        self.code_field = CODE_KEY + self.code_value
        self.code_span = len(self.code_field)

    @property
    def last_hex(self) -> bytes:
        return self.prev_field[len(PREV_MARK) :]


class LogScanner:
    """The fast first pass (see the module docstring). Feed pages in global order."""

    def __init__(self, checkpoint_size: int | None = None, *, keep_leaves: bool = False) -> None:
        self._checkpoint_size = checkpoint_size
        self.leaves: list[bytes] | None = [] if keep_leaves else None
        """Every leaf in log order when ``keep_leaves`` (for proofs), else ``None``."""
        self._streams: dict[str, _Stream] = {}
        self._tails: dict[str, bytes] = {}
        self._ends: dict[str, tuple[bytes, int]] = {}
        self._builder = RootBuilder()
        self._count = 0
        self._position = 0
        self._last_position = 0
        self._suspects: set[str] = set()
        self._gaps: list[tuple[int, int]] = []
        self._gap_next: list[tuple[str, int]] = []
        self._out_of_order: list[tuple[int, str, int]] = []
        self._checkpoint_root: bytes | None = None
        self._checkpoint_heads: dict[str, Head] | None = None
        self._checkpoint_position: int | None = None
        self._first_uncovered: tuple[str, int, int] | None = None
        self._uncovered_pending = False
        if checkpoint_size == 0:
            self._snapshot(0)

    def _snapshot(self, position: int | None = None) -> None:
        self._checkpoint_position = position
        self._checkpoint_root = self._builder.root()
        self._checkpoint_heads = self._heads()
        self._uncovered_pending = True

    def _heads(self) -> dict[str, Head]:
        return {
            code: Head(project_code=code, version=s.version, hash=s.last_hex.decode())
            for code, s in self._streams.items()
        }

    def _position_anomaly(self, position: int, code: str, version: int) -> None:
        if position > self._position + 1:
            self._gaps.append((self._position + 1, position - 1))
            self._gap_next.append((code, version))
        else:
            self._out_of_order.append((position, code, version))
            self._suspects.add(code)

    def feed(self, records: Iterable[StoredRecord]) -> None:
        """Scan the next records of the log (in global order)."""
        self.feed_rows(map(record_row, records))

    def feed_rows(self, rows: Iterable[RecordRow]) -> None:
        """Scan the next records of the log (in global order), as plain rows.

        Why rows: a store reading the log from a database need not build a
        :class:`~dautu_core.record.StoredRecord` per record just for this pass.
        """
        rows = iter(rows)
        snap_at = self._checkpoint_size
        if snap_at is not None and self._count < snap_at:
            self._scan(itertools.islice(rows, snap_at - self._count))
            if self._count < snap_at:
                return
            self._snapshot(self._last_position)
        if self._uncovered_pending:
            first = next(rows, None)
            if first is None:
                return
            self._uncovered_pending = False
            self._first_uncovered = (first[0], first[1], first[2])
            rows = itertools.chain((first,), rows)
        self._scan(rows)

    def _scan(self, rows: Iterator[RecordRow]) -> None:
        """The hot loop of verification.

        Per record: one SHA-256 of the stored bytes, one of the leaf (from a copy of a hash
        already fed the leaf prefix), fixed-place byte comparisons instead of JSON parsing (see
        :mod:`dautu_core.audit.parsing`), and about one node hash on average for the tree.

        The byte comparisons first try a shortcut: the record ends with exactly the bytes that
        followed the previous hash in the last record of its type that passed :func:`_chained`
        (``","schema_version":N,"type":"..."}``), preceded by ``,"prev":"`` and the expected
        hash. That implies everything :func:`_chained` checks (none of those bytes can begin
        another ``,"prev":"``, so it is the last one), and holds for nearly every record; when
        it does not, :func:`_chained` decides.
        """
        sha = hashlib.sha256
        leaf_start = sha(b"\x00")
        hexlify = binascii.hexlify
        prev_mark, record_start = PREV_MARK, RECORD_START
        start_len = _START_LEN
        streams, tails, ends, suspects = self._streams, self._tails, self._ends, self._suspects
        position = self._position
        pos = self._last_position
        leaves: list[bytes] = []
        append = leaves.append
        for code, version, pos, type_name, data in rows:
            if pos != position + 1:
                self._position = position
                self._position_anomaly(pos, code, version)
                if pos > position:
                    position = pos
            else:
                position = pos
            digest = sha(data).digest()
            stream = streams.get(code)
            if stream is None:
                stream = streams[code] = _Stream(code)
            end = ends.get(type_name)
            if not (
                end is not None
                and data[end[1] :] == stream.prev_field + end[0]
                and version == stream.version + 1
                and data[:start_len] == record_start
                and (key := data.find(CODE_KEY, start_len, len(data) + end[1])) > 0
                and data[key : key + stream.code_span] == stream.code_field
            ):
                tail = tails.get(type_name)
                if tail is None:
                    tail = tails[type_name] = _type_tail(type_name)
                mark = _chained(data, tail, stream.last_hex, stream.code_value)
                if mark < 0 or version != stream.version + 1:
                    suspects.add(code)
                else:
                    ends[type_name] = (data[mark + _HEX_END :], mark - len(data))
            stream.version = version
            stream.prev_field = prev_mark + hexlify(digest)
            leaf = leaf_start.copy()
            leaf.update(digest)
            append(leaf.digest())
        self._builder.extend(leaves)
        self._keep(leaves)
        self._count += len(leaves)
        self._position = position
        self._last_position = pos

    def _keep(self, leaves: list[bytes]) -> None:
        if self.leaves is not None:
            self.leaves.extend(leaves)

    def result(self) -> LogScan:
        heads = self._checkpoint_heads
        if heads is None or self._count != self._checkpoint_size:
            heads = self._heads()  # else nothing came after the checkpoint: the same heads
        return LogScan(
            size=self._count,
            root=self._builder.root(),
            heads=heads,
            suspects=frozenset(self._suspects),
            gaps=tuple(self._gaps),
            gap_next=tuple(self._gap_next),
            out_of_order=tuple(self._out_of_order),
            checkpoint_size=self._checkpoint_size,
            checkpoint_root=self._checkpoint_root,
            checkpoint_heads=self._checkpoint_heads,
            checkpoint_position=self._checkpoint_position,
            last_position=self._position,
            first_uncovered=self._first_uncovered,
        )


def checkpoint_from_scan(scan: LogScan, *, origin: str, issued_at: datetime) -> Checkpoint:
    """The unsigned checkpoint of everything ``scan`` read, with every project's head."""
    tree = heads_tree(scan.heads.values())
    return Checkpoint(
        origin=origin,
        log_size=scan.size,
        last_position=scan.last_position,
        root_hash=scan.root_hash,
        heads_size=tree.size,
        heads_root=tree.root().hex(),
        issued_at=issued_at,
        heads=tuple(scan.heads.values()),
    )


def stream_head(code: str, records: Iterable[StoredRecord]) -> Head | None:
    """The head of ``code``'s stream if it is intact (versions 1, 2, 3... each chained to the
    previous, every record of this project and of its stored type), else ``None``.

    Used to check that the stream a store returns by project matches its global log; the same
    fixed-place byte checks as :meth:`LogScanner.feed` (:func:`_chained`).
    """
    sha = hashlib.sha256
    stream = _Stream(code)
    for rec in records:
        data = rec.data
        if (
            rec.version != stream.version + 1
            or _chained(data, _type_tail(rec.type_name), stream.last_hex, stream.code_value) < 0
        ):
            return None
        stream.version = rec.version
        stream.prev_field = PREV_MARK + binascii.hexlify(sha(data).digest())
    if not stream.version:
        return None
    return Head(project_code=code, version=stream.version, hash=stream.last_hex.decode())
