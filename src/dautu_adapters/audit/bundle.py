"""Auditor bundles: one project's records with the proofs to check them without a database.

A bundle is a folder an inspector can take away (see ``ALGORITHM.md`` inside it)::

    manifest.json      what the bundle is: format, project, counts, file names
    records.jsonl      one line per record: version, position, type, hash and the exact
                       stored bytes as text ("record")
    checkpoint.json    the checkpoint the proofs refer to (signed, or unsigned if none given)
    proofs.jsonl       per record inside the checkpoint: its RFC 6962 inclusion proof
    head_proof.json    the project's head at the checkpoint and its inclusion proof in the
                       heads tree: proves the bundle holds the *whole* history up to then
    public_key.pem     the signer's public key, when known (compare its id with the one the
                       authority publishes: a key shipped inside the bundle proves nothing)
    README.md, ALGORITHM.md

Why the head proof: inclusion proofs show that each record given is in the log, not that none
was left out. The head proof shows which version the project had reached at the checkpoint
and the hash of that record, so a bundle missing the latest records (a termination, say) fails.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dautu_adapters.audit.algorithm import ALGORITHM_MD, bundle_readme
from dautu_adapters.audit.keys import key_id, load_public_key, public_pem, signature_finding
from dautu_adapters.audit.trail import (
    DEFAULT_ORIGIN,
    PAGE_SIZE,
    AuditFailed,
    audit_store,
    read_checkpoint,
    write_checkpoint,
)
from dautu_core.audit import (
    Checkpoint,
    Finding,
    FindingKind,
    Head,
    MerkleTree,
    checkpoint_from_scan,
    diagnose_stream,
    head_leaf,
    record_leaf,
    sorted_heads,
    verify_inclusion,
)
from dautu_core.errors import InvalidValue, UnknownProject
from dautu_core.ports import EventStore
from dautu_core.record import StoredRecord, record_hash
from dautu_core.text import nfc

__all__ = [
    "BUNDLE_FORMAT",
    "BundleReport",
    "verify_bundle",
    "write_bundle",
]

BUNDLE_FORMAT = "dautu-audit-bundle/1"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_bundle(
    store: EventStore,
    project_code: str,
    out: Path,
    *,
    issued_at: datetime,
    checkpoint: Checkpoint | None = None,
    public_key: Ed25519PublicKey | None = None,
    origin: str = DEFAULT_ORIGIN,
    page: int = PAGE_SIZE,
) -> list[Path]:
    """Write the bundle of ``project_code`` into the folder ``out``; returns the files written.

    The whole log is verified first (against ``checkpoint`` if given, whose signature is
    checked when ``public_key`` is given); a log that does not verify is refused with
    :class:`~dautu_adapters.audit.trail.AuditFailed`. Without a checkpoint a fresh unsigned one
    is made at ``issued_at``. Records after the checkpoint are included, marked uncovered.
    """
    code = nfc(project_code)
    audited = audit_store(store, checkpoint, public_key, keep_leaves=True, project=code, page=page)
    if not audited.report.ok:
        raise AuditFailed(audited.report, "xuất bộ hồ sơ kiểm toán", "export an audit bundle")
    ranked = audited.project_records
    records = [r for _, r in ranked]
    if not records:
        raise UnknownProject(
            f"Không có dự án {code} trong kho",
            f"there is no project {code} in the store",
            project_code=code,
        )
    scan, leaves = audited.scan, audited.leaves or []
    if checkpoint is None:
        fresh = checkpoint_from_scan(scan, origin=origin, issued_at=issued_at)
        checkpoint = attrs.evolve(fresh, heads=())
    heads_at = scan.checkpoint_heads if scan.checkpoint_heads is not None else scan.heads
    log_tree = MerkleTree(leaves[: checkpoint.log_size])
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _write_records(out / "records.jsonl", records),
        _write_proofs(out / "proofs.jsonl", ranked, log_tree, checkpoint.log_size),
        write_checkpoint(
            out / "checkpoint.json", attrs.evolve(checkpoint, heads=()), with_heads=False
        ),
    ]
    head = heads_at.get(code)
    if head is not None:
        written.append(_write_head_proof(out / "head_proof.json", head, list(heads_at.values())))
    if public_key is not None:
        (out / "public_key.pem").write_bytes(public_pem(public_key))
        written.append(out / "public_key.pem")
    covered = sum(1 for r in records if r.position <= checkpoint.last_position)
    manifest = {
        "format": BUNDLE_FORMAT,
        "project_code": code,
        "records": len(records),
        "covered": covered,
        "checkpoint": checkpoint.signed_data() | {"signature": checkpoint.signature},
        "files": sorted(p.name for p in written),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out / "ALGORITHM.md").write_text(ALGORITHM_MD, encoding="utf-8")
    (out / "README.md").write_text(
        bundle_readme(code, len(records), covered, checkpoint), encoding="utf-8"
    )
    return [*written, out / "manifest.json", out / "ALGORITHM.md", out / "README.md"]


def _write_records(path: Path, records: list[StoredRecord]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for rec in records:
            line = {
                "version": rec.version,
                "position": rec.position,
                "type": rec.type_name,
                "hash": rec.hash,
                "record": rec.data.decode("utf-8"),
            }
            handle.write(_dump(line) + "\n")
    return path


def _write_proofs(
    path: Path, ranked: list[tuple[int, StoredRecord]], tree: MerkleTree, size: int
) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for rank, rec in ranked:
            if rank >= size:
                continue
            line = {
                "version": rec.version,
                "position": rec.position,
                "leaf_index": rank,
                "tree_size": size,
                "path": [p.hex() for p in tree.inclusion_proof(rank, size)],
            }
            handle.write(_dump(line) + "\n")
    return path


def _write_head_proof(path: Path, head: Head, heads: list[Head]) -> Path:
    ordered = sorted_heads(heads)
    index = next(i for i, h in enumerate(ordered) if h.project_code == head.project_code)
    tree = MerkleTree([head_leaf(h) for h in ordered])
    data = {
        "head": head.to_data(),
        "leaf_index": index,
        "tree_size": tree.size,
        "path": [p.hex() for p in tree.inclusion_proof(index)],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


@attrs.frozen(kw_only=True)
class BundleReport:
    """The outcome of checking a bundle; ``ok`` when there is no finding."""

    project_code: str | None
    records: int
    covered: int
    checkpoint: Checkpoint | None
    key_id: str | None
    key_source: str | None
    findings: tuple[Finding, ...]
    warnings: tuple[Finding, ...] = ()
    """What limits the proof without being wrong: an unsigned checkpoint, an unchecked
    signature, a public key taken from the bundle itself."""

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "project_code": self.project_code,
            "records": self.records,
            "covered": self.covered,
            "checkpoint": self.checkpoint.label if self.checkpoint else None,
            "key_id": self.key_id,
            "key_source": self.key_source,
            "findings": [f.as_dict() for f in self.findings],
            "warnings": [f.as_dict() for f in self.warnings],
        }


class _Broken(Exception):
    """A bundle file that cannot be read at all."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail_en)
        self.finding = finding


def _unreadable(name: str, why: str) -> _Broken:
    return _Broken(
        Finding(
            kind=FindingKind.MALFORMED,
            detail_vi=f"không đọc được tệp {name} của bộ hồ sơ: {why}",
            detail_en=f"cannot read the bundle's {name}: {why}",
        )
    )


def _lines(path: Path) -> list[Mapping[str, Any]]:
    if not path.exists():
        return []
    out: list[Mapping[str, Any]] = []
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise ValueError(f"line {number} is not an object")
                out.append(value)
    except (OSError, ValueError) as exc:
        raise _unreadable(path.name, str(exc)) from exc
    return out


def verify_bundle(
    folder: Path,
    public_key: Ed25519PublicKey | None = None,
    *,
    require_signature: bool = False,
) -> BundleReport:
    """Check a bundle with no database: chain, head, inclusion proofs, checkpoint signature.

    ``public_key`` is the signer's key as the authority publishes it; without it the bundle's
    own ``public_key.pem`` is used and the report says so (``key_source``, a warning). An
    unsigned checkpoint, or one whose signature cannot be checked, is a warning, or a finding
    with ``require_signature``.
    """
    try:
        return _verify_bundle(folder, public_key, require_signature)
    except _Broken as broken:
        return BundleReport(
            project_code=None,
            records=0,
            covered=0,
            checkpoint=None,
            key_id=None,
            key_source=None,
            findings=(broken.finding,),
        )


def _verify_bundle(
    folder: Path, public_key: Ed25519PublicKey | None, require_signature: bool
) -> BundleReport:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        code = manifest["project_code"]
        if manifest.get("format") != BUNDLE_FORMAT or not isinstance(code, str):
            raise ValueError(f"not a {BUNDLE_FORMAT} manifest")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable("manifest.json", str(exc)) from exc
    try:
        checkpoint = read_checkpoint(folder / "checkpoint.json")
    except InvalidValue as exc:
        raise _unreadable("checkpoint.json", exc.message_en) from exc
    findings: list[Finding] = []
    warnings: list[Finding] = []
    source = "argument"
    if public_key is None and (folder / "public_key.pem").exists():
        try:
            public_key, source = load_public_key(folder / "public_key.pem"), "bundle"
        except InvalidValue as exc:
            raise _unreadable("public_key.pem", exc.message_en) from exc
    elif public_key is None:
        source = "none"
    problem = signature_finding(checkpoint, public_key)
    limited = checkpoint.signature is None or public_key is None
    if problem is not None:
        (warnings if limited and not require_signature else findings).append(problem)
    elif source == "bundle":
        warnings.append(
            Finding(
                kind=FindingKind.SIGNATURE_INVALID,
                checkpoint=checkpoint.label,
                detail_vi=f"chữ ký hợp lệ với khoá công khai đi kèm bộ hồ sơ (mã khoá "
                f"{key_id(public_key) if public_key else '?'}); hãy đối chiếu mã khoá với mã "
                "do cơ quan công bố",
                detail_en=f"the signature holds for the public key shipped in the bundle (key id "
                f"{key_id(public_key) if public_key else '?'}); compare that id with the one "
                "the authority publishes",
            )
        )
    records = _bundle_records(folder / "records.jsonl", code, findings)
    head = _check_head(folder / "head_proof.json", code, checkpoint, findings)
    findings += _check_proofs(folder / "proofs.jsonl", code, records, checkpoint)
    chain = diagnose_stream(
        code,
        records,
        head=head,
        covered=checkpoint.last_position,
        heads_known=True,
    )
    if chain is not None:
        findings.append(chain)
    findings.sort(key=lambda f: f.sort_key)
    return BundleReport(
        project_code=code,
        records=len(records),
        covered=sum(1 for r in records if r.position <= checkpoint.last_position),
        checkpoint=checkpoint,
        key_id=key_id(public_key) if public_key is not None else None,
        key_source=source,
        findings=tuple(findings),
        warnings=tuple(warnings),
    )


def _bundle_records(path: Path, code: str, findings: list[Finding]) -> list[StoredRecord]:
    out = []
    for line in _lines(path):
        try:
            version, position = int(line["version"]), int(line["position"])
            data = str(line["record"]).encode("utf-8")
            type_name, stated = str(line["type"]), str(line["hash"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _unreadable(path.name, f"bad line {line!r}: {exc}") from exc
        if record_hash(data) != stated:
            findings.append(
                Finding(
                    kind=FindingKind.MODIFIED,
                    project_code=code,
                    version=version,
                    position=position,
                    detail_vi="mã băm ghi kèm không khớp nội dung bản ghi",
                    detail_en="the stated hash does not match the record's bytes",
                )
            )
        out.append(StoredRecord(code, version, position, type_name, data))
    if not out:
        raise _unreadable(path.name, "no records")
    return out


def _check_head(
    path: Path, code: str, checkpoint: Checkpoint, findings: list[Finding]
) -> Head | None:
    """The project's head, if its proof holds; a wrong proof is a finding."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        head = Head.from_data(data["head"])
        index, size = int(data["leaf_index"]), int(data["tree_size"])
        proof = [bytes.fromhex(p) for p in data["path"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable(path.name, str(exc)) from exc
    valid = (
        head.project_code == code
        and size == checkpoint.heads_size
        and verify_inclusion(
            head_leaf(head), index, size, proof, bytes.fromhex(checkpoint.heads_root)
        )
    )
    if valid:
        return head
    findings.append(
        Finding(
            kind=FindingKind.PROOF_INVALID,
            project_code=code,
            version=head.version,
            checkpoint=checkpoint.label,
            detail_vi="đầu chuỗi của dự án không được chứng minh thuộc gốc heads_root đã ký",
            detail_en="the project's head is not proven to be in the signed heads_root",
        )
    )
    return None


def _check_proofs(
    path: Path, code: str, records: list[StoredRecord], checkpoint: Checkpoint
) -> list[Finding]:
    """Every record inside the checkpoint (position up to ``last_position``) needs a proof
    that holds, at a leaf index that grows with the versions; no other record may have one."""
    proofs = {}
    for line in _lines(path):
        try:
            proofs[int(line["version"])] = (
                int(line["leaf_index"]),
                int(line["tree_size"]),
                [bytes.fromhex(p) for p in line["path"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _unreadable(path.name, f"bad line {line!r}: {exc}") from exc
    root = bytes.fromhex(checkpoint.root_hash)
    problems: list[Finding] = []
    last_index = -1

    def bad(rec: StoredRecord | None, version: int, vi: str, en: str) -> Finding:
        return Finding(
            kind=FindingKind.PROOF_INVALID,
            project_code=code,
            version=version,
            position=rec.position if rec is not None else None,
            checkpoint=checkpoint.label,
            detail_vi=vi,
            detail_en=en,
        )

    for rec in records:
        proof = proofs.pop(rec.version, None)
        inside = rec.position <= checkpoint.last_position
        if proof is None:
            if inside:
                problems.append(
                    bad(
                        rec,
                        rec.version,
                        "bản ghi nằm trong điểm kiểm tra nhưng thiếu bằng chứng Merkle",
                        "the record is inside the checkpoint but has no Merkle proof",
                    )
                )
            continue
        index, size, path_hashes = proof
        valid = (
            inside
            and size == checkpoint.log_size
            and last_index < index < size
            and verify_inclusion(record_leaf(rec.data), index, size, path_hashes, root)
        )
        if valid:
            last_index = index
            continue
        problems.append(
            bad(
                rec,
                rec.version,
                "bản ghi không được chứng minh thuộc gốc Merkle đã ký",
                "the record is not proven to be in the signed Merkle root",
            )
        )
    for version in sorted(proofs):
        problems.append(
            bad(
                None,
                version,
                "có bằng chứng cho một phiên bản không có trong bộ hồ sơ",
                "a proof is given for a version the bundle does not hold",
            )
        )
    return problems
