"""A Merkle tree over the global log, hashed as in Certificate Transparency (RFC 6962 / 9162).

Why this tree and not an ad-hoc one: RFC 6962 fixes every detail an independent auditor needs to
re-implement the check (leaf and node prefixes, the shape of trees whose size is not a power of
two, the audit path and consistency proof algorithms), and its proofs are logarithmic: an
auditor holding one project's records and a signed root checks them without the rest of the log.

- ``leaf_hash(entry) = SHA-256(0x00 || entry)``; in dautu the entry is the 32-byte SHA-256 of a
  stored record (see :func:`record_leaf`), so the tree commits to the exact stored bytes.
- ``node_hash(left, right) = SHA-256(0x01 || left || right)``.
- The root of ``n`` leaves splits at the largest power of two ``k < n`` (RFC 9162 §2.1.1).
  Building the tree level by level and promoting an unpaired last node unchanged gives exactly
  that shape, which is what :class:`MerkleTree` and :class:`RootBuilder` do.

Everything here is pure and works on raw 32-byte digests; hex is for files and people.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "MerkleTree",
    "RootBuilder",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "record_leaf",
    "verify_consistency",
    "verify_inclusion",
]

_sha256 = hashlib.sha256
_LEAF = b"\x00"
_NODE = b"\x01"

EMPTY_ROOT = _sha256(b"").digest()
"""The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1)."""


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)``: the hash of one leaf."""
    return _sha256(_LEAF + entry).digest()


def record_leaf(record_bytes: bytes) -> bytes:
    """The leaf of a stored record: ``SHA-256(0x00 || SHA-256(record bytes))``.

    The entry is the record *hash* rather than the record itself so that the chain and the tree
    share one hash per record, and a proof about a record only needs its hash.
    """
    return leaf_hash(_sha256(record_bytes).digest())


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return _sha256(_NODE + left + right).digest()


def _next_level(level: Sequence[bytes]) -> list[bytes]:
    """Pair neighbours; an unpaired last node is promoted unchanged (RFC 6962 tree shape)."""
    # Each node hash starts from a copy of one already fed the prefix: cheaper than a new
    # hash of a concatenation, the same digest.
    start = _sha256(_NODE)
    paired: list[bytes] = []
    append = paired.append
    for a, b in zip(level[0::2], level[1::2], strict=False):
        node = start.copy()
        node.update(a)
        node.update(b)
        append(node.digest())
    if len(level) % 2:
        paired.append(level[-1])
    return paired


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (MTH) of ``leaves`` (already leaf-hashed)."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def _largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


class RootBuilder:
    """Computes the root of a very long sequence of leaves in bounded memory.

    Leaves are gathered in chunks of ``2**chunk_bits``; each full chunk is a perfect subtree
    whose root joins a stack of perfect subtrees of decreasing size (a *compact range*, as in
    Certificate Transparency). The root of everything seen so far is the right fold of that
    stack with the root of the partial chunk, which is also the RFC 6962 root. So the root of
    any prefix can be taken on the way (:meth:`root`) at the cost of one small fold.
    """

    def __init__(self, chunk_bits: int = 14) -> None:
        self._chunk_size = 1 << chunk_bits
        self._chunk: list[bytes] = []
        # (size, root) of perfect subtrees, strictly decreasing sizes, left to right.
        self._stack: list[tuple[int, bytes]] = []
        self.size = 0

    def add(self, leaf: bytes) -> None:
        self._chunk.append(leaf)
        self.size += 1
        if len(self._chunk) == self._chunk_size:
            self._flush()

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add many leaves; cheaper than :meth:`add` in a loop (whole chunks at a time)."""
        items = leaves if isinstance(leaves, list) else list(leaves)
        start = 0
        while start < len(items):
            room = self._chunk_size - len(self._chunk)
            part = items[start : start + room]
            self._chunk.extend(part)
            self.size += len(part)
            start += len(part)
            if len(self._chunk) == self._chunk_size:
                self._flush()

    def _flush(self) -> None:
        size, root = len(self._chunk), merkle_root(self._chunk)
        self._chunk = []
        while self._stack and self._stack[-1][0] == size:
            left_size, left = self._stack.pop()
            size, root = left_size + size, node_hash(left, root)
        self._stack.append((size, root))

    def root(self) -> bytes:
        """The root of every leaf added so far."""
        parts = [root for _, root in self._stack]
        if self._chunk:
            parts.append(merkle_root(self._chunk))
        if not parts:
            return EMPTY_ROOT
        result = parts[-1]
        for left in reversed(parts[:-1]):
            result = node_hash(left, result)
        return result


class MerkleTree:
    """Every level of the tree over ``leaves``, for proofs (memory: about twice the leaves).

    ``levels[0]`` are the leaves; ``levels[j + 1][i]`` is the parent of ``levels[j][2i]`` and
    ``levels[j][2i + 1]`` (or ``levels[j][2i]`` itself when it has no right sibling).
    """

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaves)]
        while len(self.levels[-1]) > 1:
            self.levels.append(_next_level(self.levels[-1]))

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def root(self, size: int | None = None) -> bytes:
        """The root of the first ``size`` leaves (all of them by default)."""
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} outside 0..{self.size}")
        if size == 0:
            return EMPTY_ROOT
        return self._subtree(0, size)

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH of leaves ``[start, end)`` where ``start`` is a multiple of a power of two at
        least ``end - start``'s split (true for every range the RFC algorithms ask for)."""
        n = end - start
        if n & (n - 1) == 0 and start % n == 0:
            level = n.bit_length() - 1
            return self.levels[level][start >> level]
        k = _largest_power_of_two_below(n)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ValueError(f"leaf {index} not in a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        # RFC 9162 §2.1.3.1: PATH(m, D[n]), bottom-up.
        n = end - start
        if n == 1:
            return []
        k = _largest_power_of_two_below(n)
        if m < k:
            return [*self._path(m, start, start + k), self._subtree(start + k, end)]
        return [*self._path(m - k, start + k, end), self._subtree(start, start + k)]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``old_size`` leaves is a prefix of ``new_size`` leaves."""
        new_size = self.size if new_size is None else new_size
        if not 0 < old_size <= new_size <= self.size:
            raise ValueError(f"no consistency proof from {old_size} to {new_size}")
        if old_size == new_size:
            return []
        return self._subproof(old_size, 0, new_size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        # RFC 9162 §2.1.4.1: SUBPROOF(m, D[n], b).
        n = end - start
        if m == n:
            return [] if complete else [self._subtree(start, end)]
        k = _largest_power_of_two_below(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self._subtree(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self._subtree(start, start + k)]


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int | None = None) -> list[bytes]:
    """Convenience: the audit path of ``index`` over ``leaves`` (builds the tree once)."""
    return MerkleTree(leaves).inclusion_proof(index, size)


def consistency_proof(leaves: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """Convenience: the consistency proof between two prefixes of ``leaves``."""
    return MerkleTree(leaves).consistency_proof(old_size, new_size)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf`` at ``index`` in the tree with ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show the old tree is a prefix of the new one?"""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
