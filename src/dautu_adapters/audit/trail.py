"""Verifying a store and signing checkpoints of it.

The pure algorithms live in :mod:`dautu_core.audit`; this module reads the store page by page,
turns what the store cannot even read into findings (a record that no longer decrypts or
decompresses is damaged, not a reason to crash), cross-checks each project's stream as the
store indexes it against the global log, checks checkpoint signatures and reads and writes
checkpoint files. The clock is read by callers (the CLI), never here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dautu_adapters.audit.keys import sign_checkpoint, signature_finding
from dautu_adapters.audit.verdict import Authentication, Verdict, authenticate, store_checks
from dautu_core.audit import (
    AuditReport,
    Checkpoint,
    Finding,
    FindingKind,
    Head,
    LogScan,
    LogScanner,
    checkpoint_from_scan,
    compare_stream,
    diagnose_stream,
    finish_audit,
    stream_head,
)
from dautu_core.errors import AuditFailed, DautuError, InvalidValue
from dautu_core.ports import EventStore
from dautu_core.record import RecordRow, StoredRecord, record_row

__all__ = [
    "DEFAULT_ORIGIN",
    "PAGE_SIZE",
    "AuditFailed",
    "Audited",
    "audit_store",
    "make_checkpoint",
    "read_checkpoint",
    "write_checkpoint",
]

PAGE_SIZE = 10_000
DEFAULT_ORIGIN = "dautu"
_MAX_UNREADABLE_RUN = 1000


def _read_rows(store: EventStore, start: int, limit: int) -> list[RecordRow]:
    """One page of the log as rows: ``read_log_rows`` where the store has it (the builtin
    stores: no object per record), else ``read_log``'s records as rows."""
    read_rows = getattr(store, "read_log_rows", None)
    if read_rows is not None:
        rows: list[RecordRow] = read_rows(after_position=start, limit=limit)
        return rows
    return list(map(record_row, store.read_log(after_position=start, limit=limit)))


def _pages(store: EventStore, page: int) -> Iterator[tuple[list[RecordRow], list[int]]]:
    """The log in pages of rows (:data:`~dautu_core.record.RecordRow`), with the positions
    of records the store could not read."""
    start = 0
    top: int | None = None
    while True:
        try:
            rows = _read_rows(store, start, page)
        except DautuError:
            top = store.max_position() if top is None else top
            rows, unreadable = _salvage(store, start, page, top)
            if not rows and not unreadable:
                return
            yield rows, unreadable
            start = max([start, *unreadable, *(r[2] for r in rows[-1:])])
            continue
        if not rows:
            return
        yield rows, []
        start = rows[-1][2]
        if len(rows) < page:
            return


def _salvage(
    store: EventStore, start: int, page: int, top: int
) -> tuple[list[RecordRow], list[int]]:
    """Read one record at a time past the unreadable ones (each costs one query)."""
    rows: list[RecordRow] = []
    unreadable: list[int] = []
    position = start
    run = 0
    while len(rows) < page and position < top:
        try:
            found = _read_rows(store, position, 1)
        except DautuError:
            run += 1
            if run > _MAX_UNREADABLE_RUN:
                raise
            position += 1
            unreadable.append(position)
            continue
        run = 0
        if not found:
            break
        rows.extend(found)
        position = found[-1][2]
    return rows, unreadable


@attrs.frozen(kw_only=True)
class Audited:
    """A verified store: the report, the scan (roots, heads) and, if asked, the leaves and
    the records of one project gathered on the way."""

    report: AuditReport
    scan: LogScan
    leaves: list[bytes] | None = None
    project_records: list[tuple[int, StoredRecord]] = attrs.field(factory=list)
    """``(leaf index, record)``: the index is the record's rank in the log, not its position
    (positions may have gaps)."""
    authentication: Authentication = attrs.field(factory=lambda: Authentication(False))
    """Whether the checkpoint's signature holds for the given key, or why it was not checked."""
    streams_checked: str = "full"
    """How each project's stream as the store indexes it was compared with the log:
    ``"full"`` record by record, ``"heads"`` its last record only, ``"none"``."""

    def verdict(
        self,
        report: AuditReport | None = None,
        *,
        checkpoint: bool,
        strict: bool = False,
        allow_gaps: bool = False,
        projection: bool = False,
        accept_unsigned: bool = False,
    ) -> Verdict:
        """The one verdict of this verification, with what was and was not checked, as
        ``dautu verify`` gives it (``report`` when findings were added to :attr:`report`,
        a stored projection's say)."""
        report = self.report if report is None else report
        checked, not_checked = store_checks(
            projects=report.projects,
            checkpoint=checkpoint,
            strict=strict,
            allow_gaps=allow_gaps,
            streams=self.streams_checked,
            authentication=self.authentication,
            projection=projection,
        )
        return Verdict.of(
            findings=len(report.findings),
            empty=report.size == 0,
            authentication=self.authentication,
            checked=checked,
            not_checked=not_checked,
            accept_unsigned=accept_unsigned,
        )


def audit_store(
    store: EventStore,
    checkpoint: Checkpoint | None = None,
    public_key: Ed25519PublicKey | None = None,
    *,
    strict: bool = False,
    allow_gaps: bool = False,
    check_streams: bool = True,
    check_stream_heads: bool = True,
    require_signature: bool = False,
    keep_leaves: bool = False,
    project: str | None = None,
    page: int = PAGE_SIZE,
) -> Audited:
    """Verify everything the store holds (see ``docs/audit.md``, "Verification").

    With a ``checkpoint``: its roots and heads against the log; its signature against
    ``public_key`` when one is given: a signature that does not hold is a finding, a missing
    key or signature is not (``Audited.authentication`` says why nothing was authenticated),
    unless ``require_signature``. ``strict`` makes records after the checkpoint a finding.
    ``check_streams`` reads every project's stream as the store indexes it and compares it
    with the log record by record; otherwise ``check_stream_heads`` reads only each stream's
    last record (one short query per project) and compares it with the log's, which catches
    a project moved to another stream id (eventsourcing ``originator_id``) and a moved last
    record, not a record moved from the middle of a stream.
    """
    scanner = LogScanner(
        checkpoint.log_size if checkpoint is not None else None, keep_leaves=keep_leaves
    )
    unreadable: list[int] = []
    gathered: list[tuple[int, StoredRecord]] = []
    rank = 0
    for rows, bad in _pages(store, page):
        scanner.feed_rows(rows)
        unreadable += bad
        if project is not None:
            gathered += [
                (rank + i, StoredRecord(*r)) for i, r in enumerate(rows) if r[0] == project
            ]
        rank += len(rows)
    scan = scanner.result()
    wanted = scan.codes_to_diagnose(checkpoint)
    streams = _collect(store, wanted, page) if wanted else {}
    extra: list[Finding] = []
    authentication = authenticate(checkpoint, public_key)
    if checkpoint is not None:
        if authentication.finding is not None:
            extra.append(authentication.finding)
        elif require_signature and not authentication.authenticated:
            problem = signature_finding(checkpoint, public_key)
            if problem is not None:
                extra.append(problem)
        if checkpoint.heads and not checkpoint.heads_match_root():
            extra.append(
                Finding(
                    kind=FindingKind.CHECKPOINT_MISMATCH,
                    checkpoint=checkpoint.label,
                    detail_vi="danh sách đầu chuỗi trong tệp không khớp gốc heads_root đã ký",
                    detail_en="the heads listed in the file do not match the signed heads_root",
                )
            )
            checkpoint = attrs.evolve(checkpoint, heads=())
    report = finish_audit(
        scan, streams, checkpoint, strict=strict, allow_gaps=allow_gaps, extra=extra
    )
    findings = _merge_unreadable(list(report.findings), unreadable)
    mode = "full" if check_streams else "heads" if check_stream_heads else "none"
    if mode != "none":
        findings += _check_streams(store, scan, findings, streams, page, full=mode == "full")
    findings.sort(key=lambda f: f.sort_key)
    report = attrs.evolve(report, findings=tuple(findings))
    return Audited(
        report=report,
        scan=scan,
        leaves=scanner.leaves,
        project_records=gathered,
        authentication=authentication,
        streams_checked=mode,
    )


def _collect(store: EventStore, codes: frozenset[str], page: int) -> dict[str, list[StoredRecord]]:
    """The records of ``codes`` in log order (second pass, only when something is wrong)."""
    out: dict[str, list[StoredRecord]] = {code: [] for code in codes}
    for rows, _ in _pages(store, page):
        for row in rows:
            if row[0] in out:
                out[row[0]].append(StoredRecord(*row))
    return out


def _merge_unreadable(findings: list[Finding], unreadable: Sequence[int]) -> list[Finding]:
    """A record the store could not read leaves a hole: say *unreadable*, not *deleted*."""
    if not unreadable:
        return findings
    holes = set(unreadable)
    merged: list[Finding] = []
    used: set[int] = set()
    for finding in findings:
        if finding.kind is FindingKind.DELETED and finding.position in holes:
            assert finding.position is not None
            used.add(finding.position)
            merged.append(_unreadable(finding.position, finding.project_code, finding.version))
        else:
            merged.append(finding)
    merged += [_unreadable(p, None, None) for p in sorted(holes - used)]
    return merged


def _unreadable(position: int, code: str | None, version: int | None) -> Finding:
    return Finding(
        kind=FindingKind.MALFORMED,
        project_code=code,
        version=version,
        position=position,
        detail_vi="kho không đọc được bản ghi (không giải mã/giải nén được hoặc không nêu mã dự án)",
        detail_en="the store cannot read the record (it does not decrypt, decompress or name "
        "its project)",
    )


def _check_streams(
    store: EventStore,
    scan: LogScan,
    findings: Sequence[Finding],
    known: Mapping[str, list[StoredRecord]],
    page: int,
    *,
    full: bool = True,
) -> list[Finding]:
    """Each project's stream, read by project, must be exactly its records in the log.

    ``known`` holds the log's records of projects already collected for diagnosis; others are
    collected only if their stream's head disagrees with the log's. Not ``full``: only each
    stream's last record is read (projects already found wrong are skipped), and a stream is
    read whole and compared only when that record is not the log's last one of the project.
    """
    flagged = {f.project_code for f in findings if f.project_code is not None}
    codes = set(scan.heads) | set(store.project_codes()) | flagged if full else set(scan.heads)
    seen = {(f.project_code, f.version) for f in findings}
    out: list[Finding] = []
    log_records: dict[str, list[StoredRecord]] = dict(known)
    for code in sorted(codes):
        if not full and (code in flagged or _stream_ends_at(store, code, scan.heads[code])):
            continue
        try:
            stream = store.read_stream(code)
        except DautuError as err:
            out.append(
                Finding(
                    kind=FindingKind.MALFORMED,
                    project_code=code,
                    detail_vi=f"kho không đọc được hồ sơ dự án: {err.message_vi}",
                    detail_en=f"the store cannot read the project's stream: {err.message_en}",
                )
            )
            continue
        if code not in flagged:
            head = stream_head(code, stream)
            if head == scan.heads.get(code):
                continue
        if code not in log_records:
            log_records.update(_collect(store, frozenset(codes - set(log_records)), page))
        expected = log_records.get(code, [])
        if [(r.version, r.data) for r in stream] == [(r.version, r.data) for r in expected]:
            continue
        finding = diagnose_stream(code, stream) or compare_stream(code, stream, expected)
        if finding is not None and (finding.project_code, finding.version) not in seen:
            out.append(finding)
    return out


def _stream_ends_at(store: EventStore, code: str, head: Head) -> bool:
    """Whether the stream the store returns for ``code`` ends at ``head`` (the log's last
    record of the project); a store error says no, and the full read reports it."""
    try:
        tail = store.read_stream(code, after_version=head.version - 1)
    except DautuError:
        return False
    return len(tail) == 1 and tail[0].version == head.version and tail[0].hash == head.hash


def make_checkpoint(
    store: EventStore,
    *,
    issued_at: datetime,
    origin: str = DEFAULT_ORIGIN,
    key: Ed25519PrivateKey | None = None,
    previous: Checkpoint | None = None,
    page: int = PAGE_SIZE,
    allow_gaps: bool = False,
) -> Checkpoint:
    """A checkpoint of the whole log as it is now, signed with ``key`` if given.

    The log is verified first (against ``previous``'s roots and heads too, if given): signing
    a tampered log would vouch for the tampering. Raises :class:`AuditFailed` naming the first
    finding.
    """
    audited = audit_store(store, previous, page=page, allow_gaps=allow_gaps)
    if not audited.report.ok:
        raise AuditFailed(audited.report, "ký điểm kiểm tra", "sign a checkpoint")
    checkpoint = checkpoint_from_scan(audited.scan, origin=origin, issued_at=issued_at)
    return sign_checkpoint(checkpoint, key) if key is not None else checkpoint


def write_checkpoint(path: Path, checkpoint: Checkpoint, *, with_heads: bool = True) -> Path:
    """Write the checkpoint as indented JSON (UTF-8); the signed bytes are rebuilt on read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(checkpoint.to_data(with_heads=with_heads), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        data: Mapping[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidValue(
            f"Không đọc được tệp điểm kiểm tra {path}: {exc}",
            f"cannot read the checkpoint file {path}: {exc}",
            field="checkpoint",
            rule_id="checkpoint_format",
        ) from exc
    return Checkpoint.from_data(data)
