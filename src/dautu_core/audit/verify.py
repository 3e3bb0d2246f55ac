"""Verifying the stored log: hash chains, positions, the Merkle root, and a checkpoint.

Two passes, because the log can hold millions of records and is usually intact:

1. :class:`LogScanner` reads the log once in global order, in bounded memory (one small entry
   per project plus a Merkle compact range). Per record it hashes the stored bytes once, reads
   ``prev``/``type``/project code from fixed places (:mod:`dautu_core.audit.parsing`), checks the
   record continues its project's stream (next version, ``prev`` = hash of the previous record,
   :data:`~dautu_core.record.GENESIS` for version 1) and adds its leaf to the tree. It notes
   which projects look wrong and which global positions are missing or out of order.
2. Only when something looked wrong, :func:`diagnose_stream` re-reads the suspect projects'
   records and works out *what* happened to *which* record (modified, deleted, reordered,
   inserted...) from the chain, the global positions and the checkpoint's per-project heads.

:func:`audit_log` does both over an in-memory sequence; adapters drive the passes themselves
over a store (see ``dautu_adapters.audit``).
"""

from __future__ import annotations

import binascii
import hashlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from dautu_core.audit.checkpoint import Checkpoint, Head, heads_tree
from dautu_core.audit.findings import Finding, FindingKind
from dautu_core.audit.merkle import RootBuilder
from dautu_core.audit.parsing import (
    CODE_KEY,
    PREV_MARK,
    RECORD_START,
    json_string,
    parse_record,
)
from dautu_core.record import GENESIS, StoredRecord, record_hash

__all__ = [
    "AuditReport",
    "LogScan",
    "LogScanner",
    "audit_log",
    "checkpoint_findings",
    "checkpoint_from_scan",
    "compare_stream",
    "diagnose_stream",
    "finish_audit",
    "stream_head",
]

_K = FindingKind


@attrs.frozen(kw_only=True)
class LogScan:
    """What one pass over the log computed and noticed."""

    size: int
    root: bytes
    heads: Mapping[str, Head]
    suspects: frozenset[str]
    gaps: tuple[tuple[int, int], ...]
    """Missing global positions, as inclusive ``(first, last)`` ranges."""
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


def _gap_between(gaps: Sequence[tuple[int, int]], low: int, high: int | None) -> int | None:
    """The first missing position strictly between ``low`` and ``high`` (``None``: no bound)."""
    for first, last in gaps:
        candidate = max(first, low + 1)
        if candidate <= last and (high is None or candidate < high):
            return candidate
    return None


def _finding(
    kind: FindingKind,
    code: str,
    record: StoredRecord | None,
    vi: str,
    en: str,
    *,
    version: int | None = None,
    position: int | None = None,
) -> Finding:
    return Finding(
        kind=kind,
        project_code=code,
        version=version if version is not None else (record.version if record else None),
        position=position if position is not None else (record.position if record else None),
        detail_vi=vi,
        detail_en=en,
    )


def diagnose_stream(
    code: str,
    records: Sequence[StoredRecord],
    *,
    head: Head | None = None,
    covered: int | None = None,
    gaps: Sequence[tuple[int, int]] = (),
    heads_known: bool = False,
) -> Finding | None:
    """What happened to project ``code``'s stream, or ``None`` if it is intact.

    ``records`` are the project's records in the order the store gives them (global order);
    ``head`` is the checkpoint's head for the project, ``covered`` the global position of the
    last record the checkpoint covers (records after it are not covered; ``None``: all are),
    ``gaps`` the missing global positions;
    ``heads_known`` says the checkpoint lists every project's head, so a project without one
    must have no record inside the checkpoint's range.
    The reasoning, for the first record that does not continue the chain:

    - it points (``prev``) to a record stored *after* it: reordered;
    - it points to an earlier record than its predecessor: the records between were inserted;
    - its successor points past it to its predecessor: it was inserted;
    - its successor confirms it: its predecessor was modified (or records were deleted before
      it and the later ones renumbered, when positions are missing between them);
    - its successor does not confirm it either: it was modified;
    - it is the last record: the checkpoint's head decides which of the two was altered.
    """
    recs = list(records)
    hashes = [record_hash(r.data) for r in recs]
    parsed = [parse_record(r.data) for r in recs]
    index_of = {h: i for i, h in reversed(list(enumerate(hashes)))}
    for i, rec in enumerate(recs):
        p = parsed[i]
        if p is None:
            return _finding(
                _K.MALFORMED,
                code,
                rec,
                "các byte đã lưu không còn là một bản ghi chuẩn (JSON chuẩn tắc)",
                "the stored bytes are no longer a canonical record",
            )
        if p.project_code != code:
            return _finding(
                _K.MISFILED,
                code,
                rec,
                f"bản ghi ghi mã dự án {p.project_code}, nhưng được lưu trong hồ sơ dự án {code}",
                f"the record says project {p.project_code} but is filed under project {code}",
            )
        # A record whose type differs from the type the store filed it under may have been
        # moved here from elsewhere in the chain: let the chain say so first.
        wrong_type = p.type_name != rec.type_name
        previous = recs[i - 1] if i else None
        if previous is not None and rec.position <= previous.position:
            return _finding(
                _K.REORDERED,
                code,
                rec,
                f"vị trí {rec.position} đứng sau vị trí {previous.position} của cùng dự án",
                f"position {rec.position} comes after position {previous.position} of the "
                "same project",
            )
        if previous is not None and rec.version <= previous.version:
            kind = _K.INSERTED if rec.version == previous.version else _K.REORDERED
            return _finding(
                kind,
                code,
                rec,
                f"phiên bản {rec.version} xuất hiện sau phiên bản {previous.version}",
                f"version {rec.version} appears after version {previous.version}",
            )
        expected_prev = hashes[i - 1] if i else GENESIS
        expected_version = previous.version + 1 if previous is not None else 1
        if rec.version != expected_version:
            if p.prev == expected_prev:
                return _finding(
                    _K.MODIFIED,
                    code,
                    rec,
                    f"số phiên bản lưu kèm bị đổi từ {expected_version} thành {rec.version}",
                    f"the stored version number was changed from {expected_version} to "
                    f"{rec.version}",
                )
            low = previous.position if previous is not None else 0
            missing = (
                f"{expected_version}"
                if rec.version == expected_version + 1
                else f"{expected_version}–{rec.version - 1}"
            )
            return _finding(
                _K.DELETED,
                code,
                None,
                f"thiếu phiên bản {missing}: sau phiên bản {expected_version - 1} là phiên bản "
                f"{rec.version}",
                f"version {missing} is missing: version {expected_version - 1} is followed by "
                f"version {rec.version}",
                version=expected_version,
                position=_gap_between(gaps, low, rec.position),
            )
        if p.prev != expected_prev:
            return _chain_break(code, recs, hashes, index_of, i, head, gaps)
        if wrong_type:
            return _finding(
                _K.MODIFIED,
                code,
                rec,
                f"loại sự kiện lưu kèm ({rec.type_name}) khác loại trong bản ghi ({p.type_name})",
                f"the stored type ({rec.type_name}) differs from the record's ({p.type_name})",
            )
    if head is not None:
        return _against_head(code, recs, hashes, head, covered, gaps)
    if heads_known and recs and covered is not None and recs[0].position <= covered:
        return _finding(
            _K.INSERTED,
            code,
            recs[0],
            "nằm trong phạm vi điểm kiểm tra nhưng điểm kiểm tra không ký bản ghi nào của dự án này",
            "inside the checkpoint's range, but the checkpoint signed no record of this project",
        )
    return None


def _chain_break(
    code: str,
    recs: Sequence[StoredRecord],
    hashes: Sequence[str],
    index_of: Mapping[str, int],
    i: int,
    head: Head | None,
    gaps: Sequence[tuple[int, int]],
) -> Finding:
    rec = recs[i]
    p = parse_record(rec.data)
    assert p is not None  # checked by the caller
    expected_prev = hashes[i - 1] if i else GENESIS
    j = index_of.get(p.prev)
    if j is not None and j > i:
        return _finding(
            _K.REORDERED,
            code,
            rec,
            f"bản ghi trỏ tới phiên bản {recs[j].version} vốn được lưu sau nó",
            f"the record points to version {recs[j].version}, which is stored after it",
        )
    has_next = i + 1 < len(recs)
    nxt = parse_record(recs[i + 1].data) if has_next else None
    # The last record of the stream: the checkpoint's head says which side was altered.
    if not has_next and head is not None and head.version == rec.version:
        if head.hash == hashes[i] and i > 0:
            return _modified_predecessor(code, recs[i - 1], rec)
        return _finding(
            _K.MODIFIED,
            code,
            rec,
            "bản ghi cuối khác với bản ghi đã ký trong điểm kiểm tra",
            "the last record differs from the one signed in the checkpoint",
        )
    if not has_next and head is not None and i > 0 and head.version == recs[i - 1].version:
        if head.hash == hashes[i - 1]:
            return _finding(
                _K.INSERTED,
                code,
                rec,
                "bản ghi được thêm sau điểm kiểm tra nhưng không nối vào bản ghi đã ký",
                "added after the checkpoint but does not chain onto the signed record",
            )
        return _modified_predecessor(code, recs[i - 1], rec)
    if j is not None and j < i - 1:
        return _finding(
            _K.INSERTED,
            code,
            recs[j + 1],
            f"phiên bản {rec.version} trỏ về phiên bản {recs[j].version}: các phiên bản "
            f"{recs[j + 1].version}–{recs[i - 1].version} không thuộc chuỗi",
            f"version {rec.version} points back to version {recs[j].version}: versions "
            f"{recs[j + 1].version}–{recs[i - 1].version} are not on the chain",
        )
    if p.prev == GENESIS and i > 0:
        return _finding(
            _K.INSERTED,
            code,
            recs[0],
            f"phiên bản {rec.version} mở đầu một chuỗi mới: các phiên bản trước nó không thuộc chuỗi",
            f"version {rec.version} starts a new chain: the versions before it are not on it",
        )
    if nxt is not None and nxt.prev == expected_prev:
        return _finding(
            _K.INSERTED,
            code,
            rec,
            "bản ghi kế tiếp bỏ qua bản ghi này và nối thẳng vào bản ghi trước nó",
            "the next record skips this one and points to the record before it",
        )
    if nxt is not None and nxt.prev == hashes[i]:
        low = recs[i - 1].position if i else 0
        gap = _gap_between(gaps, low, rec.position)
        renumbered = head is not None and any(
            h == head.hash and r.version < head.version for r, h in zip(recs, hashes, strict=True)
        )
        if gap is not None or i == 0 or renumbered:
            return _finding(
                _K.DELETED,
                code,
                None,
                f"bản ghi trước phiên bản {rec.version} đã bị xoá và các phiên bản sau bị đánh số lại",
                f"a record before version {rec.version} was deleted and later versions renumbered",
                version=rec.version,
                position=gap,
            )
        return _modified_predecessor(code, recs[i - 1], rec)
    if has_next:
        return _finding(
            _K.MODIFIED,
            code,
            rec,
            "trường prev của bản ghi không khớp bản ghi trước, và bản ghi sau không trỏ tới nó",
            "its prev does not match the previous record and the next record does not point to it",
        )
    return _finding(
        _K.BROKEN_LINK,
        code,
        rec,
        f"phiên bản {rec.version} không nối tiếp phiên bản {recs[i - 1].version if i else 0}: "
        "một trong hai đã bị sửa, hoặc phiên bản này bị giả mạo (cần điểm kiểm tra đã ký để "
        "xác định)",
        f"version {rec.version} does not follow version {recs[i - 1].version if i else 0}: "
        "one of them was altered, or this one forged (a signed checkpoint tells which)",
    )


def _modified_predecessor(code: str, previous: StoredRecord, rec: StoredRecord) -> Finding:
    return _finding(
        _K.MODIFIED,
        code,
        previous,
        f"mã băm của bản ghi không còn khớp trường prev của phiên bản {rec.version}",
        f"its hash no longer matches the prev of version {rec.version}",
    )


def _against_head(
    code: str,
    recs: Sequence[StoredRecord],
    hashes: Sequence[str],
    head: Head,
    covered: int | None,
    gaps: Sequence[tuple[int, int]],
) -> Finding | None:
    """An intact chain compared with the checkpoint's head of the project."""
    inside = [
        (r, h)
        for r, h in zip(recs, hashes, strict=True)
        if covered is None or r.position <= covered
    ]
    last_version = inside[-1][0].version if inside else 0
    if head.version > last_version and any(
        r.version == head.version and h == head.hash for r, h in zip(recs, hashes, strict=True)
    ):
        # The signed head is intact but now lies after the checkpoint's size: records were
        # inserted before it somewhere in the log (found there, and by the root).
        return None
    if head.version > last_version:
        low = inside[-1][0].position if inside else 0
        missing = (
            f"{last_version + 1}"
            if head.version == last_version + 1
            else f"{last_version + 1}–{head.version}"
        )
        return _finding(
            _K.DELETED,
            code,
            None,
            f"điểm kiểm tra đã ký dự án đến phiên bản {head.version}; thiếu phiên bản {missing}",
            f"the checkpoint signed the project up to version {head.version}; version "
            f"{missing} is missing",
            version=last_version + 1,
            position=_gap_between(gaps, low, covered + 1 if covered is not None else None),
        )
    if head.version < last_version:
        extra = next(r for r, _ in inside if r.version == head.version + 1)
        return _finding(
            _K.INSERTED,
            code,
            extra,
            f"nằm trong phạm vi điểm kiểm tra nhưng điểm kiểm tra chỉ ký đến phiên bản {head.version}",
            f"inside the checkpoint's range, but the checkpoint signed only up to version "
            f"{head.version}",
        )
    last, last_hash = inside[-1]
    if last_hash != head.hash:
        return _finding(
            _K.MODIFIED,
            code,
            last,
            "bản ghi khác với bản ghi cuối đã ký trong điểm kiểm tra",
            "the record differs from the last record signed in the checkpoint",
        )
    return None


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


def compare_stream(
    code: str, stream: Sequence[StoredRecord], log_records: Sequence[StoredRecord]
) -> Finding | None:
    """Does the stream the store returns for ``code`` hold exactly the log's records of it?

    A store indexes streams separately from the log (eventsourcing: by originator id); an
    index edited to move a record into another project would not show in the log.
    """
    for index in range(max(len(stream), len(log_records))):
        got = stream[index] if index < len(stream) else None
        want = log_records[index] if index < len(log_records) else None
        if got is not None and want is not None and got.data == want.data:
            continue
        record = got or want
        assert record is not None
        return _finding(
            _K.MISFILED,
            code,
            record,
            "hồ sơ dự án do kho trả về khác với nhật ký chung ở phiên bản này "
            f"({'thừa' if want is None else 'thiếu' if got is None else 'khác nội dung'})",
            "the project's stream as the store returns it differs from the global log at this "
            f"version ({'extra' if want is None else 'missing' if got is None else 'different'})",
        )
    return None


def checkpoint_findings(
    scan: LogScan, checkpoint: Checkpoint, *, located: bool, strict: bool = False
) -> list[Finding]:
    """Findings about the log as a whole against ``checkpoint`` (size, roots, coverage)."""
    label = checkpoint.label
    out: list[Finding] = []
    if scan.size < checkpoint.log_size:
        out.append(
            Finding(
                kind=_K.TRUNCATED,
                checkpoint=label,
                detail_vi=f"điểm kiểm tra đã ký {checkpoint.log_size} bản ghi, nhật ký chỉ còn "
                f"{scan.size} (thiếu {checkpoint.log_size - scan.size} bản ghi)",
                detail_en=f"the checkpoint signed {checkpoint.log_size} records, the log now "
                f"holds {scan.size} ({checkpoint.log_size - scan.size} missing)",
            )
        )
        return out
    if scan.checkpoint_root is not None and scan.checkpoint_root.hex() != checkpoint.root_hash:
        out.append(
            Finding(
                kind=_K.CHECKPOINT_MISMATCH,
                checkpoint=label,
                detail_vi=f"{checkpoint.log_size} bản ghi đầu tiên có gốc Merkle "
                f"{scan.checkpoint_root.hex()[:16]}…, điểm kiểm tra đã ký "
                f"{checkpoint.root_hash[:16]}…",
                detail_en=f"the first {checkpoint.log_size} records hash to "
                f"{scan.checkpoint_root.hex()[:16]}…, the checkpoint signed "
                f"{checkpoint.root_hash[:16]}…",
            )
        )
    if (
        scan.checkpoint_position is not None
        and scan.checkpoint_position != checkpoint.last_position
    ):
        out.append(
            Finding(
                kind=_K.CHECKPOINT_MISMATCH,
                checkpoint=label,
                detail_vi=f"bản ghi thứ {checkpoint.log_size} nằm ở vị trí "
                f"{scan.checkpoint_position}, điểm kiểm tra đã ký vị trí "
                f"{checkpoint.last_position}",
                detail_en=f"record number {checkpoint.log_size} is at position "
                f"{scan.checkpoint_position}, the checkpoint signed position "
                f"{checkpoint.last_position}",
            )
        )
    heads = scan.checkpoint_heads
    if heads is not None and not out and not located:
        tree = heads_tree(heads.values())
        if tree.root().hex() != checkpoint.heads_root or tree.size != checkpoint.heads_size:
            out.append(
                Finding(
                    kind=_K.CHECKPOINT_MISMATCH,
                    checkpoint=label,
                    detail_vi="đầu chuỗi của các dự án không khớp gốc heads_root đã ký",
                    detail_en="the projects' stream heads do not match the signed heads_root",
                )
            )
    if strict and scan.first_uncovered is not None:
        code, version, position = scan.first_uncovered
        out.append(
            Finding(
                kind=_K.NOT_IN_CHECKPOINT,
                project_code=code,
                version=version,
                position=position,
                detail_vi=f"{scan.uncovered} bản ghi từ vị trí {position} chưa được ký",
                detail_en=f"{scan.uncovered} records from position {position} are not signed",
            )
        )
    return out


@attrs.frozen(kw_only=True)
class AuditReport:
    """The outcome of verifying a log: its size and root, and every finding, first first."""

    size: int
    root_hash: str
    projects: int
    findings: tuple[Finding, ...]
    checkpoint: Checkpoint | None = None
    uncovered: int = 0
    notes: tuple[Finding, ...] = ()
    """Worth knowing but not evidence of tampering (missing positions no chain misses)."""

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "size": self.size,
            "root_hash": self.root_hash,
            "projects": self.projects,
            "checkpoint": self.checkpoint.label if self.checkpoint else None,
            "uncovered": self.uncovered,
            "findings": [f.as_dict() for f in self.findings],
            "notes": [f.as_dict() for f in self.notes],
        }


def finish_audit(
    scan: LogScan,
    streams: Mapping[str, Sequence[StoredRecord]],
    checkpoint: Checkpoint | None = None,
    *,
    strict: bool = False,
    extra: Iterable[Finding] = (),
) -> AuditReport:
    """Second pass: diagnose the projects of :meth:`LogScan.codes_to_diagnose` from their
    records in ``streams`` (log order), then add log-wide and checkpoint findings."""
    heads = {h.project_code: h for h in checkpoint.heads} if checkpoint is not None else {}
    # Records at positions up to the signed last position are inside the checkpoint.
    covered = checkpoint.last_position if checkpoint is not None else None
    findings: list[Finding] = list(extra)
    for code in sorted(scan.codes_to_diagnose(checkpoint)):
        finding = diagnose_stream(
            code,
            streams.get(code, ()),
            head=heads.get(code),
            covered=covered,
            gaps=scan.gaps,
            heads_known=bool(heads),
        )
        if finding is not None:
            findings.append(finding)
    located = {(f.project_code, f.version) for f in findings}
    for position, code, version in scan.out_of_order:
        if (code, version) not in located and not any(f.project_code == code for f in findings):
            findings.append(
                _finding(
                    _K.REORDERED,
                    code,
                    None,
                    f"vị trí {position} xuất hiện sau một vị trí lớn hơn trong nhật ký chung",
                    f"position {position} appears after a later position in the global log",
                    version=version,
                    position=position,
                )
            )
    # A missing position that no project's chain or head misses is not evidence of deletion:
    # PostgreSQL's sequence skips a number when an insert is refused. It is noted; with
    # ``strict``, one after the checkpoint fails (nobody signed what was there).
    explained = {f.position for f in findings if f.kind is _K.DELETED}
    notes: list[Finding] = []
    for first, last in scan.gaps:
        if any(p is not None and first <= p <= last for p in explained):
            continue
        span = f"{first}" if first == last else f"{first}–{last}"
        gap = Finding(
            kind=_K.GAP,
            position=first,
            detail_vi=f"nhật ký chung không có vị trí {span}; không chuỗi băm nào của dự án "
            "thiếu bản ghi (PostgreSQL bỏ qua số thứ tự khi một lần ghi bị từ chối)",
            detail_en=f"the global log has no position {span}; no project's hash chain misses "
            "a record (PostgreSQL skips a number when an insert is refused)",
        )
        after = checkpoint is not None and first > checkpoint.last_position
        unsigned = checkpoint is None or after
        (findings if strict and unsigned else notes).append(gap)
    if checkpoint is not None:
        findings += checkpoint_findings(
            scan, checkpoint, located=any(f.project_code for f in findings), strict=strict
        )
    findings.sort(key=lambda f: f.sort_key)
    return AuditReport(
        size=scan.size,
        root_hash=scan.root_hash,
        projects=len(scan.heads),
        findings=tuple(findings),
        checkpoint=checkpoint,
        uncovered=scan.uncovered,
        notes=tuple(notes),
    )


def audit_log(
    records: Sequence[StoredRecord],
    checkpoint: Checkpoint | None = None,
    *,
    strict: bool = False,
) -> AuditReport:
    """Verify an in-memory log (global order) and, if given, a checkpoint's roots and heads.

    The checkpoint's *signature* is checked by an adapter (the core holds no crypto keys);
    pass its finding in through :func:`finish_audit`'s ``extra`` when driving the passes.
    """
    scanner = LogScanner(checkpoint.log_size if checkpoint is not None else None)
    scanner.feed(records)
    scan = scanner.result()
    wanted = scan.codes_to_diagnose(checkpoint)
    streams: dict[str, list[StoredRecord]] = {code: [] for code in wanted}
    if wanted:
        for rec in records:
            if rec.project_code in streams:
                streams[rec.project_code].append(rec)
    return finish_audit(scan, streams, checkpoint, strict=strict)
