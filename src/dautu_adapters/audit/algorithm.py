"""The verification algorithm as an auditor reads it, shipped inside every bundle.

Kept next to the code that implements it (``dautu_core.audit``) so the two change together;
``docs/audit.md`` carries the same text.
"""

from __future__ import annotations

from dautu_core.audit import Checkpoint

__all__ = ["ALGORITHM_MD", "bundle_readme"]

ALGORITHM_MD = """\
# How to verify a dautu audit bundle (algorithm)

Everything below uses SHA-256 and lowercase hexadecimal. `H(x)` is SHA-256 of the bytes `x`;
`||` is concatenation; `0x00`, `0x01` are single bytes. No database is needed.

## 0. Types

Every field has one JSON type, and a field of another type makes the bundle fail (it is not
read "leniently"): `version`, `position`, `leaf_index`, `tree_size`, `log_size`,
`last_position`, `heads_size` and the manifest's `records` and `covered` are JSON integers
(a number without fraction or exponent, never a string such as `"4"`, never `true`); `type`,
`record`, `project_code`, `origin`, `issued_at` are strings; `hash`, `root_hash`, `heads_root`
and every element of `path` are 64 lowercase hex digits.

## 1. Records and the per-project hash chain

Each line of `records.jsonl` is a JSON object: `version`, `position`, `type`, `hash` and
`record`. The stored bytes of the record are `record` encoded as UTF-8, exactly. Those bytes are
canonical JSON (keys sorted, no spaces, UTF-8, Unicode NFC):

    {"data":{...the event...},"prev":"<64 hex>","schema_version":N,"type":"dautu.X"}

- record hash: `h = H(record bytes)`, 64 hex digits (equals the line's `hash`);
- `data.project_code` is the bundle's project; `type` equals the line's `type`;
- versions are 1, 2, 3... in order, positions strictly increase;
- chain rule: `prev` of version 1 is 64 zeros (`0000...0000`); `prev` of version `k > 1` is the
  record hash of version `k - 1` of the same project.

## 2. The Merkle tree of the global log (RFC 6962 / RFC 9162, as Certificate Transparency)

The log holds every record of every project in the order of their global `position`
(strictly increasing; a backend may leave holes, which change nothing). Leaf `i` (0-based) is
the `i + 1`-th record of the log:

    leaf(i)       = H(0x00 || raw 32 bytes of the record hash)    # H(0x00 || H(record bytes))
    node(l, r)    = H(0x01 || l || r)
    MTH({})       = H("")
    MTH({d0})     = leaf(d0)
    MTH(D[0:n])   = node(MTH(D[0:k]), MTH(D[k:n]))  with k the largest power of two < n

`proofs.jsonl` gives, per record covered by the checkpoint (version <= the signed head's, §3),
`leaf_index` (its rank in the log; increasing with the versions), `tree_size` (= the
checkpoint's `log_size`) and `path` (hex hashes, leaf level first). Check it with RFC 9162
section 2.1.3.2:

    fn = leaf_index; sn = tree_size - 1; r = leaf
    for p in path:
        if sn == 0: fail
        if fn is odd or fn == sn:
            r = node(p, r)
            if fn is even: while fn is even and fn != 0: fn >>= 1; sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1; sn >>= 1
    succeed iff sn == 0 and r == root_hash

## 3. Project heads

At the checkpoint each project's stream ended at some version. The *heads tree* is a second
RFC 6962 tree with one leaf per project, ordered by the UTF-8 bytes of the project code:

    head leaf = H(0x00 || canonical JSON {"hash":"<record hash>","project_code":"...","version":n})

`head_proof.json` gives the project's `head`, its `leaf_index`, `tree_size` (= `heads_size`)
and `path`; check it with the same algorithm against `heads_root`. `head_proof.json` is
mandatory: without it nothing in the bundle is covered by the checkpoint and the bundle fails.
Coverage is decided by the signed head's version `n`, never by the positions the records state
(positions are not signed): the bundle must hold versions 1..n, chained, each with a proof in
`proofs.jsonl` that holds against `root_hash` (leaf indexes increasing with the versions), each
stating a position <= `last_position`, and version n's record hash must equal the head's
`hash`. This proves nothing was left out or rewritten up to the checkpoint. Records with a
version above n are *not covered by the checkpoint*: only the chain checks them, so they make
the bundle fail unless the verifier is explicitly told to accept uncovered records
(`--allow-uncovered`).

## 4. The checkpoint and its signature

`checkpoint.json` holds `format` ("dautu-checkpoint/1"), `origin`, `log_size` (records
covered), `last_position` (global position of the last of them), `root_hash`, `heads_size`,
`heads_root`, `issued_at` (ISO 8601 with offset), `key_id` and `signature`. The signed bytes are
the canonical JSON (keys sorted, separators "," and ":", UTF-8, no spaces) of exactly these nine
fields:

    {"format":...,"heads_root":...,"heads_size":...,"issued_at":...,"key_id":...,
     "last_position":...,"log_size":...,"origin":...,"root_hash":...}

`signature` is the 64-byte Ed25519 signature (RFC 8032) of those bytes, in hex. `key_id` is the
first 16 hex digits of H(raw 32-byte Ed25519 public key). Obtain the public key from the
authority, not only from the bundle, and compare key ids.

## 5. The verdict

Valid and authenticated only when everything above holds *and* the signature holds for the
authority's public key obtained from the authority. When everything holds but no such key was
given, or the checkpoint is unsigned, the bundle is intact but *not authenticated* (integrity
only): `dautu verify-bundle` exits 3, not 0, and says why. A signature that does not hold for
the given key is a failure (exit 1), like any record or proof that does not hold.

## 6. What a failure means

The first record that does not continue its chain tells what happened: its version is ahead
of the next expected one, which comes later (reordered); its `prev` points to a record stored
after it (reordered); to an earlier record than its predecessor (the records
between were inserted); the next record points past it (it was inserted); the next record
confirms it (its predecessor was modified, or deleted with later versions renumbered); neither
(it was modified). A last record that differs from the signed head was modified; a missing one
was deleted. A proof that does not reach the signed root means the record is not the one the
checkpoint signed.
"""


def bundle_readme(project_code: str, records: int, covered: int, checkpoint: Checkpoint) -> str:
    """The bundle's short README, Vietnamese first."""
    signed = (
        f"đã ký bằng khoá {checkpoint.key_id} / signed by key {checkpoint.key_id}"
        if checkpoint.is_signed
        else "CHƯA KÝ: chỉ chứng minh tính nhất quán / NOT SIGNED: proves consistency only"
    )
    return f"""\
# Bộ hồ sơ kiểm toán dự án {project_code} / Audit bundle of project {project_code}

- Số bản ghi / records: {records} (trong điểm kiểm tra / covered by the checkpoint: {covered})
- Điểm kiểm tra / checkpoint: {checkpoint.log_size} bản ghi / records, gốc / root
  `{checkpoint.root_hash}`, {checkpoint.issued_at.isoformat()}, {signed}

Kiểm tra không cần cơ sở dữ liệu / verify without any database:

    dautu verify-bundle . --public-key <khoá công khai do cơ quan công bố / published key>

Thuật toán để tự kiểm tra / the algorithm, to re-implement the check: ALGORITHM.md.
"""
