"""The auditor's trail, pure part: hash chains, Merkle proofs, checkpoints, verification.

Why in the core: what makes the record trustworthy must be checkable from the stored bytes
alone, by anyone, with no database and no clock. Adapters (``dautu_adapters.audit``) add what
touches the world: reading stores, Ed25519 keys and signatures, files, the command line.

- :mod:`~dautu_core.audit.merkle`: RFC 6962/9162 tree, inclusion and consistency proofs;
- :mod:`~dautu_core.audit.checkpoint`: the checkpoint (tree head + per-project heads);
- :mod:`~dautu_core.audit.scan`, :mod:`~dautu_core.audit.diagnosis`,
  :mod:`~dautu_core.audit.verify`: verifying a log, locating the first altered record;
- :mod:`~dautu_core.audit.findings`: what verification reports;
- :mod:`~dautu_core.audit.explain`: why a project is in its state (events and rules).
"""

from dautu_core.audit.checkpoint import (
    CHECKPOINT_FORMAT,
    Checkpoint,
    Head,
    head_leaf,
    heads_tree,
    sorted_heads,
)
from dautu_core.audit.diagnosis import compare_stream, diagnose_stream
from dautu_core.audit.explain import Explanation, ExplanationLine, explain
from dautu_core.audit.findings import Finding, FindingKind
from dautu_core.audit.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    RootBuilder,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    record_leaf,
    verify_consistency,
    verify_inclusion,
)
from dautu_core.audit.parsing import ParsedRecord, parse_record, parse_record_strict
from dautu_core.audit.scan import LogScan, LogScanner, checkpoint_from_scan, stream_head
from dautu_core.audit.verify import AuditReport, audit_log, checkpoint_findings, finish_audit

__all__ = [
    "CHECKPOINT_FORMAT",
    "EMPTY_ROOT",
    "AuditReport",
    "Checkpoint",
    "Explanation",
    "ExplanationLine",
    "Finding",
    "FindingKind",
    "Head",
    "LogScan",
    "LogScanner",
    "MerkleTree",
    "ParsedRecord",
    "RootBuilder",
    "audit_log",
    "checkpoint_findings",
    "checkpoint_from_scan",
    "compare_stream",
    "consistency_proof",
    "diagnose_stream",
    "explain",
    "finish_audit",
    "head_leaf",
    "heads_tree",
    "inclusion_proof",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "parse_record",
    "parse_record_strict",
    "record_leaf",
    "sorted_heads",
    "stream_head",
    "verify_consistency",
    "verify_inclusion",
]
