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
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dautu_adapters.audit.algorithm import ALGORITHM_MD, bundle_readme
from dautu_adapters.audit.keys import public_pem
from dautu_adapters.audit.trail import (
    DEFAULT_ORIGIN,
    PAGE_SIZE,
    AuditFailed,
    audit_store,
    write_checkpoint,
)
from dautu_core.audit import (
    Checkpoint,
    Head,
    MerkleTree,
    checkpoint_from_scan,
    head_leaf,
    sorted_heads,
)
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore
from dautu_core.record import StoredRecord
from dautu_core.text import nfc

__all__ = ["BUNDLE_FORMAT", "write_bundle"]

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
    allow_gaps: bool = False,
) -> list[Path]:
    """Write the bundle of ``project_code`` into the folder ``out``; returns the files written.

    The whole log is verified first (against ``checkpoint`` if given, whose signature is
    checked when ``public_key`` is given); a log that does not verify is refused with
    :class:`~dautu_adapters.audit.trail.AuditFailed`. Without a checkpoint a fresh unsigned one
    is made at ``issued_at``. Records after the checkpoint are included, marked uncovered.
    """
    code = nfc(project_code)
    audited = audit_store(
        store,
        checkpoint,
        public_key,
        keep_leaves=True,
        project=code,
        page=page,
        allow_gaps=allow_gaps,
    )
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
