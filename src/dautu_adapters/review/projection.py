"""Run the portfolio projection against a store: catch up from the stored checkpoint.

The fold itself is pure (:mod:`dautu_core.projections.portfolio`); this module reads the global
log page by page after the checkpoint, folds, and saves the new position and state together
(``save_checkpoint`` is atomic). A checkpoint that cannot be used (another format, a position
the log does not reach, a state that disagrees with its position) is not trusted: the
projection is rebuilt from zero, which gives the same result by construction.

The stored checkpoint is *anchored* to the log: next to the folded state it keeps the hash of
the record at the checkpoint position, the size of the log when it was saved and a SHA-256
digest of the state's bytes. On load the record at that position is read again and compared,
and the digest recomputed; any difference (a rewritten record, a truncated log, a state edited
in place) means the checkpoint is not used and the projection is rebuilt from the log. An
unkeyed digest stops accidental or naive edits, not someone able to rewrite the blob and its
digest together: :func:`check_projection` (``dautu verify``) rebuilds the projection from the
log in memory and compares, and ``dautu review --rebuild`` ignores stored projections.

Why one process: reading the log and parsing each record's JSON take about as long each, but
handing pages to a helper process costs as much as the parsing it saves (measured with
``benchmarks/review_bench.py``), so the fold stays simple.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

import attrs

from dautu_adapters.collector import collector_paused
from dautu_core.codec import NO_UPCASTERS, Upcasters, canonical_bytes
from dautu_core.ports import CheckpointStore, EventStore
from dautu_core.projections import Portfolio, PortfolioProjection, ProjectionGap

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "CatchUp",
    "ProjectionStore",
    "catch_up",
    "check_projection",
    "rebuild",
]

DEFAULT_PAGE_SIZE = 5_000


class ProjectionStore(EventStore, CheckpointStore, Protocol):
    """A store that keeps events and projection checkpoints (every builtin store does)."""


@attrs.frozen
class CatchUp:
    """The portfolio after catching up, and what it took."""

    portfolio: Portfolio
    start_position: int
    records_read: int
    rebuilt: bool


ANCHOR_FORMAT = 1
"""Version of the anchor header written before the projection's own bytes."""


def _record_hash_at(store: EventStore, position: int) -> str | None:
    """The hash of the record at ``position`` (``None`` for position 0 or a missing record)."""
    if position <= 0:
        return None
    page = store.read_log(after_position=position - 1, limit=1)
    if not page or page[0].position != position:
        return None
    return page[0].hash


def _seal(state_bytes: bytes, position: int, record_hash: str | None, log_size: int) -> bytes:
    header = canonical_bytes(
        {
            "anchor": ANCHOR_FORMAT,
            "position": position,
            "record_hash": record_hash,
            "log_size": log_size,
            "digest": hashlib.sha256(state_bytes).hexdigest(),
        }
    )
    return header + b"\n" + state_bytes


def _unseal(blob: bytes) -> tuple[dict[str, Any], int]:
    """The anchor header of a stored checkpoint and where the projection's bytes start in it
    (they are not copied out: a portfolio's are about 30 MB).

    Raises ``ValueError`` when the blob has no anchor (an older or foreign checkpoint).
    """
    end = blob.find(b"\n")
    if end < 0:
        raise ValueError("checkpoint without an anchor")
    header = json.loads(blob[:end])
    if not isinstance(header, dict) or header.get("anchor") != ANCHOR_FORMAT:
        raise ValueError("checkpoint with an unknown anchor")
    return header, end + 1


def _anchor_problem(
    store: EventStore, header: dict[str, Any], body: bytes | memoryview, position: int
) -> str:
    """Why the anchored checkpoint cannot be trusted ("" when it can)."""
    if header.get("position") != position:
        return f"the anchor names position {header.get('position')!r}, the checkpoint {position}"
    if hashlib.sha256(body).hexdigest() != header.get("digest"):
        return "the stored state does not match its digest (edited after it was saved)"
    top = store.max_position()
    log_size = header.get("log_size")
    if position > top or not isinstance(log_size, int) or log_size > top or log_size < position:
        return f"the log has {top} records, the checkpoint was saved at {log_size!r}"
    if _record_hash_at(store, position) != header.get("record_hash"):
        return f"the record at position {position} is not the one the checkpoint was folded over"
    return ""


def _load(
    store: EventStore, projection: PortfolioProjection
) -> tuple[Portfolio | None, str | None]:
    """The stored portfolio if it can be trusted, else ``None`` and why (``None`` when there is
    no stored checkpoint at all)."""
    if not isinstance(store, CheckpointStore):
        return None, None
    position, blob = store.load_projection(projection.name)
    if blob is None:
        return None, None
    try:
        header, start = _unseal(blob)
        state = projection.decode(blob, start)
    except (ProjectionGap, ValueError, KeyError, TypeError) as error:
        return None, f"the stored projection cannot be read ({error})"
    if state.position != position:
        return None, f"the stored state is at position {state.position}, its checkpoint {position}"
    problem = _anchor_problem(store, header, memoryview(blob)[start:], position)
    if problem:
        return None, problem
    return state, None


def _usable(store: EventStore, projection: PortfolioProjection) -> Portfolio | None:
    return _load(store, projection)[0]


def _gap(position: int, top: int) -> ProjectionGap:
    return ProjectionGap(
        f"Nhật ký dừng ở vị trí {position}, thấp hơn vị trí cao nhất {top}",
        f"the log stops at position {position}, below its highest position {top}",
        field="position",
        rule_id="projection_contiguous",
    )


def catch_up(
    store: EventStore,
    projection: PortfolioProjection | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    save: bool = True,
    from_zero: bool = False,
) -> CatchUp:
    """Fold every record after the projection's checkpoint and (``save``) store the result.

    A store without checkpoints (only :class:`~dautu_core.ports.EventStore`) is folded from
    zero every time; a store opened read-only (``store.read_only``) uses its stored
    checkpoint but is never written to. Raises :class:`~dautu_core.projections.ProjectionGap` if the log skips a
    position or a project's version: the projection never folds over a hole.
    """
    projection = projection or PortfolioProjection()
    with collector_paused():
        state = None if from_zero else _usable(store, projection)
        rebuilt = state is None
        if state is None:
            state = projection.initial()
        start = state.position
        top = store.max_position()
        last_hash: str | None = None
        while state.position < top:
            page = store.read_log(after_position=state.position, limit=page_size)
            if not page:
                raise _gap(state.position, top)
            state = projection.apply(state, page)
            last_hash = page[-1].hash
        read_only = getattr(store, "read_only", False)
        if (
            save
            and isinstance(store, CheckpointStore)
            and not read_only
            and (state.position != start or rebuilt)
        ):
            if last_hash is None:
                last_hash = _record_hash_at(store, state.position)
            # The state's bytes are not kept beside the sealed blob (about 30 MB each).
            blob = _seal(projection.encode(state), state.position, last_hash, top)
            store.save_checkpoint(projection.name, state.position, blob)
            del blob
    return CatchUp(state, start, state.position - start, rebuilt)


def rebuild(
    store: EventStore,
    projection: PortfolioProjection | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    save: bool = True,
) -> CatchUp:
    """Fold the whole log from position 0, ignoring (and then replacing) the checkpoint."""
    return catch_up(store, projection, page_size=page_size, save=save, from_zero=True)


def check_projection(
    store: EventStore,
    projection: PortfolioProjection | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    limit: int = 20,
) -> list[str]:
    """Rebuild the portfolio projection from the log in memory and compare it with the stored
    one; return what differs, in English, one finding a line (empty: consistent, or nothing
    stored). Nothing is written.

    The stored checkpoint is compared at its own position (the log may have grown since): its
    anchor (record hash, log size, digest) and every project's timeline. At most ``limit``
    projects are named.
    """
    upcasters: Upcasters = getattr(store, "upcasters", NO_UPCASTERS)
    projection = projection or PortfolioProjection(upcasters=upcasters)
    if not isinstance(store, CheckpointStore):
        return []
    position, blob = store.load_projection(projection.name)
    if blob is None:
        return []
    findings: list[str] = []
    name = projection.name
    try:
        header, start = _unseal(blob)
        stored = projection.decode(blob, start)
    except (ProjectionGap, ValueError, KeyError, TypeError) as error:
        return [f"projection {name}: the stored projection cannot be read ({error})"]
    if stored.position != position:
        findings.append(
            f"projection {name}: the stored state is at position {stored.position}, its "
            f"checkpoint at {position}"
        )
    problem = _anchor_problem(store, header, memoryview(blob)[start:], position)
    if problem:
        findings.append(f"projection {name}: {problem}")
    top = min(position, store.max_position())
    with collector_paused():
        state = projection.initial()
        while state.position < top:
            page = store.read_log(after_position=state.position, limit=page_size)
            page = [r for r in page if r.position <= top]
            if not page:
                findings.append(f"projection {name}: {_gap(state.position, top).message_en}")
                return findings
            try:
                state = projection.apply(state, page)
            except ProjectionGap as gap:
                findings.append(f"projection {name}: {gap.message_en}")
                return findings
    codes = sorted(set(stored.timelines) | set(state.timelines))
    differing = [c for c in codes if stored.timelines.get(c) != state.timelines.get(c)]
    for code in differing[:limit]:
        if code not in state.timelines:
            what = "is in the stored projection but has no record in the log"
        elif code not in stored.timelines:
            what = "is in the log but missing from the stored projection"
        else:
            what = "differs from its rebuild from the log"
        findings.append(f"projection {name}: project {code} {what} (position {top})")
    if len(differing) > limit:
        findings.append(f"projection {name}: {len(differing) - limit} more projects differ")
    return findings
