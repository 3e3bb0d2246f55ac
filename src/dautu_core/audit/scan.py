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
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from dautu_core.audit.checkpoint import Checkpoint, Head, heads_tree
from dautu_core.audit.merkle import RootBuilder
from dautu_core.audit.parsing import CODE_KEY, PREV_MARK, RECORD_START, json_string
from dautu_core.record import GENESIS, StoredRecord

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


class _Stream:
    """Per-project running state of the scan."""

    __slots__ = ("code_value", "last_hex", "version")

    def __init__(self, code: str) -> None:
        self.version = 0
        self.last_hex = GENESIS.encode()
        # The project code as it must follow the key in the record, closing quote included.
        self.code_value = json_string(code) + b'"'


class LogScanner:
    """The fast first pass (see the module docstring). Feed pages in global order."""

    def __init__(self, checkpoint_size: int | None = None, *, keep_leaves: bool = False) -> None:
        self._checkpoint_size = checkpoint_size
        self.leaves: list[bytes] | None = [] if keep_leaves else None
        """Every leaf in log order when ``keep_leaves`` (for proofs), else ``None``."""
        self._streams: dict[str, _Stream] = {}
        self._tails: dict[str, tuple[bytes, int]] = {}
        self._builder = RootBuilder()
        self._count = 0
        self._position = 0
        self._suspects: set[str] = set()
        self._gaps: list[tuple[int, int]] = []
        self._gap_next: list[tuple[str, int]] = []
        self._out_of_order: list[tuple[int, str, int]] = []
        self._checkpoint_root: bytes | None = None
        self._checkpoint_heads: dict[str, Head] | None = None
        self._checkpoint_position: int | None = None
        self._first_uncovered: tuple[str, int, int] | None = None
        if checkpoint_size == 0:
            self._snapshot(0)

    def _snapshot(self, position: int | None = None) -> None:
        self._checkpoint_position = position
        self._checkpoint_root = self._builder.root()
        self._checkpoint_heads = self._heads()

    def _heads(self) -> dict[str, Head]:
        return {
            code: Head(project_code=code, version=s.version, hash=s.last_hex.decode())
            for code, s in self._streams.items()
        }

    def _position_anomaly(self, record: StoredRecord) -> None:
        position = record.position
        if position > self._position + 1:
            self._gaps.append((self._position + 1, position - 1))
            self._gap_next.append((record.project_code, record.version))
        else:
            self._out_of_order.append((position, record.project_code, record.version))
            self._suspects.add(record.project_code)

    def feed(self, records: Iterable[StoredRecord]) -> None:
        """Scan the next records of the log (in global order).

        The hot loop of verification: per record one SHA-256 of the stored bytes, one of the
        leaf, fixed-place byte comparisons instead of JSON parsing (see
        :mod:`dautu_core.audit.parsing`), and about one node hash on average for the tree.
        """
        sha = hashlib.sha256
        hexlify = binascii.hexlify
        start_len = len(RECORD_START)
        code_len = len(CODE_KEY)
        streams, tails, suspects = self._streams, self._tails, self._suspects
        snap_at = sys.maxsize if self._checkpoint_size is None else self._checkpoint_size
        count, position = self._count, self._position
        leaves: list[bytes] = []
        append = leaves.append
        for rec in records:
            pos = rec.position
            if pos != position + 1:
                self._position = position
                self._position_anomaly(rec)
                if pos > position:
                    position = pos
            else:
                position = pos
            data = rec.data
            digest = sha(data).digest()
            code = rec.project_code
            stream = streams.get(code)
            if stream is None:
                stream = streams[code] = _Stream(code)
            known = tails.get(rec.type_name)
            if known is None:
                tail = b',"type":"' + json_string(rec.type_name) + b'"}'
                known = tails[rec.type_name] = (tail, -len(tail))
            tail, before_tail = known
            mark = data.rfind(PREV_MARK)
            if not (
                mark > start_len
                and data.endswith(tail)
                and data.startswith(stream.last_hex, mark + 9)
                and data.startswith(_SCHEMA_MARK, mark + 73)
                and data[mark + 92 : before_tail].isdigit()
                and rec.version == stream.version + 1
                and data.startswith(RECORD_START)
                and (key := data.find(CODE_KEY, start_len, mark)) > 0
                and data.startswith(stream.code_value, key + code_len)
            ):
                suspects.add(code)
            stream.version = rec.version
            stream.last_hex = hexlify(digest)
            append(sha(b"\x00" + digest).digest())
            count += 1
            if count >= snap_at:
                if count == snap_at:
                    self._builder.extend(leaves)
                    self._keep(leaves)
                    leaves = []
                    append = leaves.append
                    self._snapshot(pos)
                elif count == snap_at + 1:
                    self._first_uncovered = (code, rec.version, pos)
        self._builder.extend(leaves)
        self._keep(leaves)
        self._count, self._position = count, position

    def _keep(self, leaves: list[bytes]) -> None:
        if self.leaves is not None:
            self.leaves.extend(leaves)

    def result(self) -> LogScan:
        return LogScan(
            size=self._count,
            root=self._builder.root(),
            heads=self._heads(),
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
    fixed-place byte checks as :meth:`LogScanner.feed`.
    """
    sha = hashlib.sha256
    stream = _Stream(code)
    start_len = len(RECORD_START)
    for rec in records:
        data = rec.data
        tail = b',"type":"' + json_string(rec.type_name) + b'"}'
        mark = data.rfind(PREV_MARK)
        if not (
            mark > start_len
            and data.endswith(tail)
            and data.startswith(stream.last_hex, mark + 9)
            and data.startswith(_SCHEMA_MARK, mark + 73)
            and data[mark + 92 : -len(tail)].isdigit()
            and rec.version == stream.version + 1
            and data.startswith(RECORD_START)
            and (key := data.find(CODE_KEY, start_len, mark)) > 0
            and data.startswith(stream.code_value, key + len(CODE_KEY))
        ):
            return None
        stream.version = rec.version
        stream.last_hex = binascii.hexlify(sha(data).digest())
    if not stream.version:
        return None
    return Head(project_code=code, version=stream.version, hash=stream.last_hex.decode())
