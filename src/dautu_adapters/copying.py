"""Move a record to another store: every record, in global order, bytes unchanged.

Why through the stores' own ``append``: a copy must give the target the same proof as the
source, and everything that proof rests on is already in what ``read_log`` returns. The hash
chain is inside each record's bytes (``prev``); a checkpoint signs the Merkle root of the first
``log_size`` records *in global order* and the position of the last of them. So the copy
appends each record's bytes unchanged (``NewRecord(type_name, data)``), under its project and
version (``expected_version = version - 1``, so the target refuses a record out of its
stream's order), in the source's global order. The builtin stores hand out gap-free positions
(SQLite's row ids, PostgreSQL's rewound sequence), so a record copied into a target holding
positions ``1..k`` lands at ``k + 1``: the same position as in the source, as long as the
source has no hole. The copy checks that before each batch (a source with a hole is refused at
the hole: its prefix before it is copied and the error says where) and checks the positions
the target returns after each batch. ``dautu verify --checkpoint`` on the target then holds
against a checkpoint signed on the source. Sealing is each store's own: records are opened
with the source's key (or none) and sealed with the target's; the canonical bytes, which the
chain hashes, are the same.

Resuming: each batch is one ``append`` call, so one transaction (all or nothing); a copy that
is killed leaves the target holding exactly the first ``k`` records of the source. Run again,
the copy reads the target's ``max_position()`` and, before writing anything, checks that the
target holds exactly the source's first ``k`` records (:func:`check_prefix`): by default every
one of them, compared field by field and byte by byte (``full``: both prefixes are read once,
in pages); ``sample`` compares the last record and up to ``samples`` records evenly spread
over the prefix (cheaper for a very large prefix, and weaker: a difference elsewhere would go
unnoticed). A target that is not a prefix of the source is refused with nothing written.

Projections are not copied: the review projection and its checkpoint (``dautu_projections``)
are derived from the log and sealed with the source's key, and the target rebuilds them from
the copied log the first time ``dautu review`` runs (the same portfolio, by construction). The
store's metadata (``dautu_metadata``: the sealing mode) is the target's own, recorded at its
first write. A target that already holds a projection checkpoint over a prefix keeps it: its
anchor (position, record hash) is the same in source and target.

Writing to the target while it is being copied into is not supported: a record someone else
appends takes a position the copy expected, which the copy detects after its batch (the
target then no longer mirrors the source) and reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import attrs

from dautu_core.errors import ConcurrencyConflict, CopyRefused, InvalidValue
from dautu_core.ports import AppendBatch, EventStore, NewRecord
from dautu_core.record import StoredRecord

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_RECORDS",
    "DEFAULT_SAMPLES",
    "PREFIX_CHECKS",
    "CopyRefused",
    "CopyReport",
    "Progress",
    "check_prefix",
    "copy_store",
]

DEFAULT_BATCH_RECORDS = 5_000
"""Records per batch (one transaction on the target)."""
DEFAULT_BATCH_BYTES = 16 * 1024 * 1024
"""Bytes of records per batch at most (a single larger record still goes, alone): bounds the
memory of a batch and the size of PostgreSQL's one insert parameter."""
DEFAULT_SAMPLES = 1_000
"""Records compared, besides the last one, by the ``sample`` prefix check."""
PREFIX_CHECKS = ("full", "sample")
_PAGE = 5_000

Progress = Callable[[int, int], None]
"""Called after each batch with (records now in the target, records to reach)."""


@attrs.frozen
class CopyReport:
    """What a copy did."""

    copied: int
    """Records written to the target by this run."""
    skipped: int
    """Records the target already held (its prefix, checked), not written again."""
    batches: int
    source_size: int
    """The source's highest position when the copy began (records after it are left for the
    next run)."""
    prefix_check: str
    """``"none"`` (the target was empty), ``"full"`` or ``"sample"``."""
    compared: int
    """Records of the target compared with the source by the prefix check."""
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return attrs.asdict(self)


def _same(a: StoredRecord, b: StoredRecord) -> bool:
    return (
        a.position == b.position
        and a.project_code == b.project_code
        and a.version == b.version
        and a.type_name == b.type_name
        and a.data == b.data
    )


def _not_prefix(target_size: int, vi: str, en: str, record: StoredRecord | None) -> CopyRefused:
    error = CopyRefused(
        f"Kho đích đã có {target_size} bản ghi nhưng không phải đúng {target_size} bản ghi đầu "
        f"tiên của kho nguồn: {vi}. Không có gì được ghi; hãy chép vào một kho trống",
        f"the target already holds {target_size} records but they are not exactly the "
        f"source's first {target_size}: {en}. Nothing was written; copy into an empty store",
        project_code=record.project_code if record is not None else None,
        field="to",
        rule_id="copy_target_not_prefix",
    )
    error.target_size = target_size
    return error


def _differs(target_size: int, mine: StoredRecord, theirs: StoredRecord | None) -> CopyRefused:
    where = f"{mine.position} ({mine.project_code} v{mine.version})"
    if theirs is None:
        return _not_prefix(
            target_size,
            f"kho nguồn không có bản ghi ở vị trí {where}",
            f"the source has no record at position {where}",
            mine,
        )
    return _not_prefix(
        target_size,
        f"bản ghi ở vị trí {where} khác với bản ghi của kho nguồn ở vị trí {theirs.position} "
        f"({theirs.project_code} v{theirs.version})",
        f"the record at position {where} differs from the source's at position "
        f"{theirs.position} ({theirs.project_code} v{theirs.version})",
        mine,
    )


def check_prefix(
    source: EventStore,
    target: EventStore,
    *,
    mode: str = "full",
    samples: int = DEFAULT_SAMPLES,
    page_size: int = _PAGE,
) -> int:
    """Check that ``target`` holds exactly the first records of ``source``; return how many
    records were compared. Raises :class:`CopyRefused` (``copy_target_not_prefix``) if not.

    ``full`` compares every record of the target with the source's at the same position
    (position, project, version, type and bytes); ``sample`` the last one and ``samples``
    spread evenly over the prefix. Reads only.
    """
    if mode not in PREFIX_CHECKS:
        raise InvalidValue(
            f"Cách kiểm tra kho đích phải là một trong {', '.join(PREFIX_CHECKS)}, nhận được "
            f"{mode!r}",
            f"the prefix check must be one of {', '.join(PREFIX_CHECKS)}, got {mode!r}",
            field="check",
            rule_id="copy_options",
        )
    size = target.max_position()
    if size == 0:
        return 0
    top = source.max_position()
    if size > top:
        raise _not_prefix(
            size,
            f"kho nguồn chỉ có đến vị trí {top}",
            f"the source only reaches position {top}",
            None,
        )
    last = target.read_log(after_position=size - 1, limit=1)
    theirs = source.read_log(after_position=size - 1, limit=1)
    if not last or not theirs or not _same(last[0], theirs[0]):
        if not last:
            raise _not_prefix(
                size,
                f"kho đích không có bản ghi ở vị trí {size}",
                f"the target has no record at position {size}",
                None,
            )
        raise _differs(size, last[0], theirs[0] if theirs else None)
    if mode == "sample":
        return 1 + _compare_sample(source, target, size, samples)
    return _compare_all(source, target, size, page_size)


def _compare_all(source: EventStore, target: EventStore, size: int, page_size: int) -> int:
    position = compared = 0
    while position < size:
        mine = target.read_log(after_position=position, limit=min(page_size, size - position))
        if not mine:
            break
        theirs = source.read_log(after_position=position, limit=len(mine))
        for i, record in enumerate(mine):
            other = theirs[i] if i < len(theirs) else None
            if other is None or not _same(record, other):
                raise _differs(size, record, other)
        compared += len(mine)
        position = mine[-1].position
    return compared


def _compare_sample(source: EventStore, target: EventStore, size: int, samples: int) -> int:
    count = max(0, min(samples, size - 1))
    positions = sorted({1 + (i * (size - 1)) // count for i in range(count)} if count else ())
    for position in positions:
        mine = target.read_log(after_position=position - 1, limit=1)
        theirs = source.read_log(after_position=position - 1, limit=1)
        if not mine:
            raise _not_prefix(
                size,
                f"kho đích không có bản ghi ở vị trí {position}",
                f"the target has no record at position {position}",
                None,
            )
        if not theirs or not _same(mine[0], theirs[0]):
            raise _differs(size, mine[0], theirs[0] if theirs else None)
    return len(positions)


def _bounded(page: Sequence[StoredRecord], after: int, limit_bytes: int) -> list[StoredRecord]:
    """The records of ``page`` that follow on from position ``after`` without a hole, up to
    ``limit_bytes`` bytes (at least one record)."""
    out: list[StoredRecord] = []
    total = 0
    expected = after + 1
    for record in page:
        if record.position != expected:
            break
        total += len(record.data)
        if out and total > limit_bytes:
            break
        out.append(record)
        expected += 1
    return out


def _batches(records: Sequence[StoredRecord]) -> list[AppendBatch]:
    """One ``AppendBatch`` per run of consecutive records of one project, in log order."""
    out: list[AppendBatch] = []
    run: list[NewRecord] = []
    code: str | None = None
    first = 0
    for record in records:
        if record.project_code != code:
            if run and code is not None:
                out.append(AppendBatch(code, first - 1, run))
            code, first, run = record.project_code, record.version, []
        run.append(NewRecord(record.type_name, record.data))
    if run and code is not None:
        out.append(AppendBatch(code, first - 1, run))
    return out


def _gap(position: int, top: int) -> CopyRefused:
    error = CopyRefused(
        f"Kho nguồn không có bản ghi ở vị trí {position + 1} (một lỗ trong thứ tự chung, dưới "
        f"vị trí cao nhất {top}); kho đích không thể giữ nguyên vị trí nên điểm kiểm tra của "
        f"kho nguồn sẽ không còn đúng. Kho đích giữ đúng {position} bản ghi đầu tiên",
        f"the source has no record at position {position + 1} (a hole in the global order, "
        f"below its highest position {top}); the target cannot keep the positions, so a "
        f"checkpoint of the source would not hold on it. The target holds exactly the first "
        f"{position} records",
        field="from",
        rule_id="copy_source_gap",
    )
    error.target_size = position
    return error


def _moved(position: int, detail_vi: str, detail_en: str, code: str | None) -> CopyRefused:
    error = CopyRefused(
        f"Kho đích đã được ghi bởi người khác trong khi chép ({detail_vi}); sau vị trí "
        f"{position} nó không còn giống kho nguồn. Đừng ghi vào kho đích khi đang chép",
        f"the target was written to by someone else during the copy ({detail_en}); after "
        f"position {position} it no longer mirrors the source. Do not write to the target "
        "while copying",
        project_code=code,
        field="to",
        rule_id="copy_target_moved",
    )
    error.target_size = position
    return error


def _span(positions: Sequence[int]) -> str:
    return f"{positions[0]}..{positions[-1]}" if positions else "-"


def copy_store(
    source: EventStore,
    target: EventStore,
    *,
    batch_records: int = DEFAULT_BATCH_RECORDS,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    prefix_check: str = "full",
    samples: int = DEFAULT_SAMPLES,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every record of ``source`` that ``target`` does not hold yet, in global order.

    See the module docstring. Raises :class:`CopyRefused` when the target is not a prefix of
    the source (nothing written), when the source has a hole (the records before it are
    copied), or when someone else writes to the target meanwhile.
    """
    if batch_records < 1 or batch_bytes < 1:
        raise InvalidValue(
            f"Kích thước lô phải lớn hơn 0, nhận được {batch_records} bản ghi, {batch_bytes} byte",
            f"the batch size must be greater than 0, got {batch_records} records, "
            f"{batch_bytes} bytes",
            field="batch_size",
            rule_id="copy_options",
        )
    began = time.perf_counter()
    compared = check_prefix(source, target, mode=prefix_check, samples=samples)
    skipped = target.max_position()
    top = source.max_position()
    position = skipped
    batches = 0
    if progress is not None:
        progress(position, top)
    pending: list[StoredRecord] = []  # read, not written yet (a batch cut by its bytes)
    while position < top:
        if not pending:
            pending = source.read_log(
                after_position=position, limit=min(batch_records, top - position)
            )
        records = _bounded(pending, position, batch_bytes)
        if not records:
            raise _gap(position, top)
        pending = pending[len(records) :]
        try:
            positions = target.append(_batches(records))
        except ConcurrencyConflict as exc:
            raise _moved(
                position,
                f"dự án {exc.project_code} không ở phiên bản mong đợi",
                f"project {exc.project_code} is not at the expected version",
                exc.project_code,
            ) from exc
        wanted = [r.position for r in records]
        if positions != wanted:
            got, want = _span(positions), _span(wanted)
            raise _moved(
                position,
                f"các bản ghi nhận vị trí {got} thay vì {want}",
                f"the records were given positions {got} instead of {want}",
                None,
            )
        position = records[-1].position
        batches += 1
        if progress is not None:
            progress(position, top)
    return CopyReport(
        copied=position - skipped,
        skipped=skipped,
        batches=batches,
        source_size=top,
        prefix_check="none" if skipped == 0 else prefix_check,
        compared=compared,
        seconds=time.perf_counter() - began,
    )
