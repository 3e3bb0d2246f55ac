"""Persisted project states: a cold :class:`~dautu_adapters.service.ProjectService` reads a
project's state from the store instead of folding its whole history, verified against the chain.

What is persisted: per project, one checkpoint of the store's
:class:`~dautu_core.ports.CheckpointStore` (name ``project-state/<code>``, position = the
project's version), holding an anchor header line and the state's bytes
(:func:`dautu_core.state_codec.encode_state`, without the history). No new table: every
store with checkpoints has snapshots, a store without them (only an
:class:`~dautu_core.ports.EventStore`) simply has none.

How it is verified before use (anything amiss: the snapshot is ignored and the history folded
from the first record, which gives the same state by construction):

- the header's anchor format, the project code and the state format
  (:data:`~dautu_core.state_codec.STATE_FORMAT`, a digest of the layout that follows from the
  code: a changed state layout is never misread);
- the SHA-256 digest of the state's bytes (edited in place);
- the record of the project at the snapshot's version is read (in the same query as the records
  after it) and its hash compared with the one the snapshot was folded up to (a rewritten or
  truncated stream). That record's bytes name their predecessor's hash, so the snapshot stands
  for what the hash chain vouches for; an edit that breaks the chain below it is what
  ``dautu verify`` reports, as for the portfolio checkpoint
  (:mod:`dautu_adapters.review.projection`). The digest is unkeyed: it stops accidental or
  naive edits, not someone able to rewrite the blob and its digest together.

The history of a restored state is :class:`StoredHistory`: it reads and folds the project's
records up to the snapshot only when walked (``state.events()``, a correction's refold).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from dautu_core.codec import canonical_bytes
from dautu_core.errors import DautuError
from dautu_core.state import ProjectState
from dautu_core.state_codec import STATE_FORMAT, decode_state, encode_state

__all__ = [
    "SNAPSHOT_ANCHOR_FORMAT",
    "SNAPSHOT_PREFIX",
    "StoredHistory",
    "seal_state",
    "snapshot_name",
    "unseal_state",
]

SNAPSHOT_PREFIX = "project-state/"
"""Checkpoint names of persisted project states: the prefix, then the project code."""

SNAPSHOT_ANCHOR_FORMAT = 1
"""Version of the header line written before the state's bytes."""


def snapshot_name(code: str) -> str:
    """The checkpoint name of project ``code``'s persisted state."""
    return SNAPSHOT_PREFIX + code


def seal_state(code: str, state: ProjectState, record_hash: str) -> bytes:
    """The checkpoint blob of ``state`` (at ``state.version``, whose record has hash
    ``record_hash``): an anchor header line, then the state's bytes."""
    body = encode_state(state)
    header = canonical_bytes(
        {
            "anchor": SNAPSHOT_ANCHOR_FORMAT,
            "project_code": code,
            "version": state.version,
            "record_hash": record_hash,
            "format": STATE_FORMAT,
            "digest": hashlib.sha256(body).hexdigest(),
        }
    )
    return header + b"\n" + body


def unseal_state(
    code: str, position: int, blob: bytes, history: Callable[[str], Any] | None = None
) -> tuple[ProjectState, str] | None:
    """``(state, hash of the record at its version)`` of a checkpoint blob saved at
    ``position``, its history link being ``history(record hash)`` (``None``: no history), or
    ``None`` when the blob cannot be trusted by itself (another
    anchor or state format, another project or version, bytes that fail their digest or do
    not decode). The record hash is still to be compared with the store's record."""
    end = blob.find(b"\n")
    if end < 0:
        return None
    try:
        header = json.loads(blob[:end])
    except ValueError:
        return None
    if (
        not isinstance(header, dict)
        or header.get("anchor") != SNAPSHOT_ANCHOR_FORMAT
        or header.get("format") != STATE_FORMAT
        or header.get("project_code") != code
        or header.get("version") != position
        or position < 1
    ):
        return None
    record_hash = header.get("record_hash")
    body = memoryview(blob)[end + 1 :]
    if not isinstance(record_hash, str) or hashlib.sha256(body).hexdigest() != header.get("digest"):
        return None
    try:
        state = decode_state(body, None if history is None else history(record_hash))
    except (DautuError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if state.version != position or state.project_code != code:
        return None
    return state, record_hash


class StoredHistory:
    """The history link ``(version, event, tail)`` of a state restored from a snapshot, read
    from the store only when first indexed.

    ``load`` returns the link of the state folded from the project's records up to the
    snapshot's version (and raises when the store no longer holds them as they were). It
    behaves like the tuple link :func:`dautu_core.state.evolve` makes: ``[0]``, ``[1]``,
    ``[2]``, ``len``, iteration.
    """

    __slots__ = ("_link", "_load", "_lock")

    def __init__(self, load: Callable[[], tuple[int, Any, Any]]) -> None:
        self._load: Callable[[], tuple[int, Any, Any]] | None = load
        self._link: tuple[int, Any, Any] | None = None
        self._lock = threading.Lock()

    def _resolved(self) -> tuple[int, Any, Any]:
        link = self._link
        if link is None:
            with self._lock:
                link = self._link
                if link is None:
                    assert self._load is not None
                    link = self._link = self._load()
                    self._load = None
        return link

    def __getitem__(self, index: int) -> Any:
        return self._resolved()[index]

    def __len__(self) -> int:
        return 3

    def __iter__(self) -> Any:
        return iter(self._resolved())

    def __repr__(self) -> str:
        return "<StoredHistory read>" if self._link is not None else "<StoredHistory unread>"
