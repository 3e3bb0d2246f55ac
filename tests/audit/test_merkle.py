"""The Merkle tree against RFC 6962/9162: a literal reference implementation, known vectors,
and proofs that must verify (and fail when anything about them is changed)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dautu_core.audit.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    RootBuilder,
    leaf_hash,
    merkle_root,
    node_hash,
    record_leaf,
    verify_consistency,
    verify_inclusion,
)

# --- a literal transcription of RFC 9162 §2.1.1, 2.1.3.1 and 2.1.4.1 (slow, obviously right) --


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(entries: list[bytes]) -> bytes:
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + ref_mth(entries[:k]) + ref_mth(entries[k:])).digest()


def ref_path(m: int, entries: list[bytes]) -> list[bytes]:
    n = len(entries)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, entries[:k]), ref_mth(entries[k:])]
    return [*ref_path(m - k, entries[k:]), ref_mth(entries[:k])]


def ref_subproof(m: int, entries: list[bytes], b: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if b else [ref_mth(entries)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, entries[:k], b), ref_mth(entries[k:])]
    return [*ref_subproof(m - k, entries[k:], False), ref_mth(entries[:k])]


def ref_proof(m: int, entries: list[bytes]) -> list[bytes]:
    return ref_subproof(m, entries, True)


def entries_of(n: int) -> list[bytes]:
    return [i.to_bytes(4, "big") * (i % 3 + 1) for i in range(n)]


# --- the Certificate Transparency test vectors (certificate-transparency merkle_tree_test) ----

CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle_root([]) == EMPTY_ROOT
    assert RootBuilder().root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_certificate_transparency_vectors(size: int) -> None:
    leaves = [leaf_hash(e) for e in CT_LEAVES[:size]]
    assert merkle_root(leaves).hex() == CT_ROOTS[size - 1]
    assert MerkleTree([leaf_hash(e) for e in CT_LEAVES]).root(size).hex() == CT_ROOTS[size - 1]


def test_record_leaf_is_the_leaf_of_the_record_hash() -> None:
    record = b'{"data":{},"prev":"00","schema_version":1,"type":"t"}'
    expected = hashlib.sha256(b"\x00" + hashlib.sha256(record).digest()).digest()
    assert record_leaf(record) == expected
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=140), st.integers(min_value=0, max_value=4))
def test_roots_match_the_rfc_definition(n: int, chunk_bits: int) -> None:
    entries = entries_of(n)
    leaves = [leaf_hash(e) for e in entries]
    expected = ref_mth(entries)
    assert merkle_root(leaves) == expected
    builder = RootBuilder(chunk_bits=chunk_bits)
    builder.extend(leaves[: n // 2])
    for leaf in leaves[n // 2 :]:
        builder.add(leaf)
    assert builder.root() == expected
    tree = MerkleTree(leaves)
    for size in range(n + 1):
        assert tree.root(size) == ref_mth(entries[:size])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_inclusion_proofs_match_the_rfc_and_verify(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=1, max_value=70), label="size")
    m = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    entries = entries_of(n)
    tree = MerkleTree([leaf_hash(e) for e in entries])
    proof = tree.inclusion_proof(m)
    assert proof == ref_path(m, entries)
    root = ref_mth(entries)
    assert verify_inclusion(leaf_hash(entries[m]), m, n, proof, root)
    # Any change to the leaf, index, path or root makes it fail. (The tree size alone is not
    # bound by the path, which is why the checkpoint signs it.)
    assert not verify_inclusion(leaf_hash(b"forged"), m, n, proof, root)
    if n > 1:
        assert not verify_inclusion(leaf_hash(entries[m]), (m + 1) % n, n, proof, root)
        damaged = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
        assert not verify_inclusion(leaf_hash(entries[m]), m, n, damaged, root)
        assert not verify_inclusion(leaf_hash(entries[m]), m, n, proof[:-1], root)
    assert not verify_inclusion(leaf_hash(entries[m]), m, n, proof, node_hash(root, root))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_consistency_proofs_match_the_rfc_and_verify(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=1, max_value=70), label="new size")
    m = data.draw(st.integers(min_value=1, max_value=n), label="old size")
    entries = entries_of(n)
    tree = MerkleTree([leaf_hash(e) for e in entries])
    proof = tree.consistency_proof(m, n)
    assert proof == (ref_proof(m, entries) if m < n else [])
    old, new = ref_mth(entries[:m]), ref_mth(entries)
    assert verify_consistency(m, n, old, new, proof)
    rewritten = entries_of(m)
    rewritten[m - 1] = b"rewritten"
    assert not verify_consistency(m, n, ref_mth(rewritten), new, proof)
    if proof:
        damaged = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
        assert not verify_consistency(m, n, old, new, damaged)
    if m < n:
        assert not verify_consistency(m, n, old, node_hash(new, new), proof)


def test_proof_arguments_out_of_range_are_refused() -> None:
    tree = MerkleTree([leaf_hash(b"a"), leaf_hash(b"b")])
    with pytest.raises(ValueError):
        tree.inclusion_proof(2)
    with pytest.raises(ValueError):
        tree.consistency_proof(0, 2)
    with pytest.raises(ValueError):
        tree.root(3)
    assert not verify_inclusion(leaf_hash(b"a"), 0, 0, [], EMPTY_ROOT)
    assert not verify_consistency(0, 2, EMPTY_ROOT, tree.root(), [])
    assert not verify_consistency(2, 2, tree.root(), tree.root(), [tree.root()])
