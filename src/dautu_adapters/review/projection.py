"""Run the portfolio projection against a store: catch up from the stored checkpoint.

The fold itself is pure (:mod:`dautu_core.projections.portfolio`); this module reads the global
log page by page after the checkpoint, folds, and saves the new position and state together
(``save_checkpoint`` is atomic). A checkpoint that cannot be used (another format, a position
the log does not reach, a state that disagrees with its position) is not trusted: the
projection is rebuilt from zero, which gives the same result by construction.

Why a second process on large backlogs: reading the log (the store's work) and parsing each
record's JSON (ours) each take about as long; with a backlog of tens of thousands of records a
helper process parses page *n* while this one reads page *n + 1*. Pages are folded in order
and checked for gaps exactly as without the helper; only the parsing moves. Anything the
helper cannot do (it failed to start, a record it could not parse) is redone here, so errors
are the same as in a plain fold. The helper is forked (Linux, single-threaded caller only; see
``_helper``); elsewhere the fold runs in one process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

import attrs

from dautu_core.codec import Upcasters
from dautu_core.ports import CheckpointStore, EventStore
from dautu_core.projections import Portfolio, PortfolioProjection, ProjectionGap
from dautu_core.record import StoredRecord
from dautu_core.review.timeline import TimelineEntry, entries_from_records

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "PARALLEL_BACKLOG",
    "CatchUp",
    "ProjectionStore",
    "catch_up",
    "collector_paused",
    "rebuild",
]

DEFAULT_PAGE_SIZE = 5_000
PARALLEL_BACKLOG = 40_000
"""Backlog (records) from which a helper process parses pages while this one reads."""


class ProjectionStore(EventStore, CheckpointStore, Protocol):
    """A store that keeps events and projection checkpoints (every builtin store does)."""


@attrs.frozen
class CatchUp:
    """The portfolio after catching up, and what it took."""

    portfolio: Portfolio
    start_position: int
    records_read: int
    rebuilt: bool
    parallel: bool = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the log is read and folded.

    Folding creates many small, long-lived containers and no reference cycles; the collector's
    repeated passes over them cost more than the fold itself on large logs. Reference counting
    still frees everything; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _usable(store: EventStore, projection: PortfolioProjection) -> Portfolio | None:
    if not isinstance(store, CheckpointStore):
        return None
    position, blob = store.load_projection(projection.name)
    if blob is None:
        return None
    try:
        state = projection.decode(blob)
    except (ProjectionGap, ValueError, KeyError, TypeError):
        return None
    if state.position != position or position > store.max_position():
        return None
    return state


def _gap(position: int, top: int) -> ProjectionGap:
    return ProjectionGap(
        f"Nhật ký dừng ở vị trí {position}, thấp hơn vị trí cao nhất {top}",
        f"the log stops at position {position}, below its highest position {top}",
        field="position",
        rule_id="projection_contiguous",
    )


def _parse_page(items: list[tuple[int, bytes]], upcasters: Upcasters) -> list[TimelineEntry]:
    """Run in the helper process: parse one page with the collector paused."""
    gc.disable()
    return entries_from_records(items, upcasters)


def _helper(upcasters: Upcasters) -> ProcessPoolExecutor | None:
    """A one-process pool for parsing, or ``None`` when one cannot help or cannot be had.

    The helper is *forked*, and only on Linux from a process running no other thread: a
    spawned helper would import the caller's main module again (a library must not re-run
    its user's script), and a fork copies the locks other threads may hold. Elsewhere, or
    when it is not safe, the fold simply runs in this process.
    """
    if (os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"):
        return None
    if threading.active_count() > 1:
        return None
    try:
        pickle.dumps(upcasters)
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    except (pickle.PicklingError, AttributeError, TypeError, OSError, ValueError):
        return None


def _fold_parallel(
    store: EventStore,
    projection: PortfolioProjection,
    state: Portfolio,
    top: int,
    page_size: int,
    pool: ProcessPoolExecutor,
) -> Portfolio:
    pending: deque[tuple[Sequence[StoredRecord], Future[list[TimelineEntry]] | None]] = deque()
    position = state.position
    upcasters = projection.upcasters
    while position < top or pending:
        while position < top and len(pending) < 3:
            page: Sequence[StoredRecord] = store.read_log(after_position=position, limit=page_size)
            if not page:
                raise _gap(position, top)
            try:
                future = pool.submit(_parse_page, [(r.version, r.data) for r in page], upcasters)
            except RuntimeError:  # the pool is broken: parse here instead
                future = None
            pending.append((page, future))
            position = page[-1].position
        page, future = pending.popleft()
        entries = None
        if future is not None:
            with contextlib.suppress(Exception):
                entries = future.result()
        state = projection.apply(state, page, entries)
    return state


def catch_up(
    store: EventStore,
    projection: PortfolioProjection | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    save: bool = True,
    from_zero: bool = False,
    parallel: bool | None = None,
) -> CatchUp:
    """Fold every record after the projection's checkpoint and (``save``) store the result.

    A store without checkpoints (only :class:`~dautu_core.ports.EventStore`) is folded from
    zero every time. ``parallel`` uses a helper process to parse records (``None``: when the
    backlog is at least :data:`PARALLEL_BACKLOG` records and there are two CPUs or more).
    Raises :class:`~dautu_core.projections.ProjectionGap` if the log skips a position or a
    project's version: the projection never folds over a hole.
    """
    projection = projection or PortfolioProjection()
    with collector_paused():
        state = None if from_zero else _usable(store, projection)
    rebuilt = state is None
    if state is None:
        state = projection.initial()
    start = state.position
    top = store.max_position()
    if parallel is None:
        parallel = top - start >= PARALLEL_BACKLOG
    pool = _helper(projection.upcasters) if parallel and top > start else None
    with collector_paused():
        if pool is not None:
            with pool:
                state = _fold_parallel(store, projection, state, top, page_size, pool)
        else:
            while state.position < top:
                page = store.read_log(after_position=state.position, limit=page_size)
                if not page:
                    raise _gap(state.position, top)
                state = projection.apply(state, page)
        if save and isinstance(store, CheckpointStore) and (state.position != start or rebuilt):
            store.save_checkpoint(projection.name, state.position, projection.encode(state))
    return CatchUp(state, start, state.position - start, rebuilt, pool is not None)


def rebuild(
    store: EventStore,
    projection: PortfolioProjection | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    save: bool = True,
    parallel: bool | None = None,
) -> CatchUp:
    """Fold the whole log from position 0, ignoring (and then replacing) the checkpoint."""
    return catch_up(
        store, projection, page_size=page_size, save=save, from_zero=True, parallel=parallel
    )
