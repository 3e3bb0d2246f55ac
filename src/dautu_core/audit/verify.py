"""Verifying the stored log: hash chains, positions, the Merkle root, and a checkpoint.

Two passes, because the log can hold millions of records and is usually intact:

1. :class:`~dautu_core.audit.scan.LogScanner` reads the whole log once, fast, in bounded
   memory, and notes which projects look wrong (:mod:`dautu_core.audit.scan`);
2. only then, :func:`~dautu_core.audit.diagnosis.diagnose_stream` re-reads the suspect
   projects' records and works out *what* happened to *which* record (modified, deleted,
   reordered, inserted...) from the chain, the global positions and the checkpoint's
   per-project heads (:mod:`dautu_core.audit.diagnosis`).

:func:`finish_audit` adds the log-wide and checkpoint findings and sorts everything;
:func:`audit_log` does both passes over an in-memory sequence. Adapters drive the passes
themselves over a store (see ``dautu_adapters.audit``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from dautu_core.audit.checkpoint import Checkpoint, heads_tree
from dautu_core.audit.diagnosis import diagnose_stream
from dautu_core.audit.findings import Finding, FindingKind
from dautu_core.audit.scan import LogScan, LogScanner
from dautu_core.record import StoredRecord

__all__ = ["AuditReport", "audit_log", "checkpoint_findings", "finish_audit"]

_K = FindingKind


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
    allow_gaps: bool = False,
    extra: Iterable[Finding] = (),
) -> AuditReport:
    """Second pass: diagnose the projects of :meth:`LogScan.codes_to_diagnose` from their
    records in ``streams`` (log order), then add log-wide and checkpoint findings.

    A missing global position no chain explains is a deletion unless ``allow_gaps`` (for
    backends that may leave holes: then a note)."""
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
                Finding(
                    kind=_K.REORDERED,
                    project_code=code,
                    version=version,
                    position=position,
                    detail_vi=f"vị trí {position} xuất hiện sau một vị trí lớn hơn trong nhật ký "
                    "chung",
                    detail_en=f"position {position} appears after a later position in the "
                    "global log",
                )
            )
    # A missing position that no project's chain or head misses: the builtin stores keep
    # positions gap-free, so by default it is a deletion (most likely a project's last record,
    # which no later record of its chain could miss). ``allow_gaps`` is for backends that may
    # leave holes (a sequence keeping the number of a rolled-back insert): the gap is then
    # noted; with ``strict``, one after the checkpoint still fails (nobody signed it).
    explained = {f.position for f in findings if f.kind is _K.DELETED}
    notes: list[Finding] = []
    nexts = scan.gap_next if len(scan.gap_next) == len(scan.gaps) else ((None,) * len(scan.gaps))
    for (first, last), after in zip(scan.gaps, nexts, strict=True):
        if any(p is not None and first <= p <= last for p in explained):
            continue
        span = f"{first}" if first == last else f"{first}–{last}"
        if not allow_gaps:
            where_vi = where_en = ""
            if after is not None:
                where_vi = f"; bản ghi kế tiếp: dự án {after[0]}, phiên bản {after[1]}"
                where_en = f"; the next record: project {after[0]}, version {after[1]}"
            findings.append(
                Finding(
                    kind=_K.DELETED,
                    position=first,
                    detail_vi=f"nhật ký chung không có vị trí {span} (kho giữ vị trí liên tục, "
                    f"nên bản ghi ở đó đã bị xoá, có thể là bản ghi cuối của một dự án)"
                    f"{where_vi}",
                    detail_en=f"the global log has no position {span} (the store keeps "
                    f"positions gap-free, so the record there was deleted, likely a project's "
                    f"last record){where_en}",
                )
            )
            continue
        gap = Finding(
            kind=_K.GAP,
            position=first,
            detail_vi=f"nhật ký chung không có vị trí {span}; không chuỗi băm nào của dự án "
            "thiếu bản ghi (một số cơ sở dữ liệu giữ lại số thứ tự của lần ghi bị huỷ)",
            detail_en=f"the global log has no position {span}; no project's hash chain misses "
            "a record (some databases keep the number of a rolled-back insert)",
        )
        after_cp = checkpoint is not None and first > checkpoint.last_position
        unsigned = checkpoint is None or after_cp
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
    allow_gaps: bool = False,
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
    return finish_audit(scan, streams, checkpoint, strict=strict, allow_gaps=allow_gaps)
