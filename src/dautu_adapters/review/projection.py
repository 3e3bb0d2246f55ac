"""Run the portfolio projection against a store: catch up from the stored checkpoint.

The fold itself is pure (:mod:`dautu_core.projections.portfolio`); this module reads the global
log page by page after the checkpoint, folds, and saves the new position and state together
(``save_checkpoint`` is atomic). A checkpoint that cannot be used (another format, a position
the log does not reach, a state that disagrees with its position) is not trusted: the
projection is rebuilt from zero, which gives the same result by construction.

Why one process: reading the log and parsing each record's JSON take about as long each, but
handing pages to a helper process costs as much as the parsing it saves (measured with
``benchmarks/review_bench.py``), so the fold stays simple.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Protocol

import attrs

from dautu_core.ports import CheckpointStore, EventStore
from dautu_core.projections import Portfolio, PortfolioProjection, ProjectionGap

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "CatchUp",
    "ProjectionStore",
    "catch_up",
    "collector_paused",
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
    zero every time. Raises :class:`~dautu_core.projections.ProjectionGap` if the log skips a
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
        while state.position < top:
            page = store.read_log(after_position=state.position, limit=page_size)
            if not page:
                raise _gap(state.position, top)
            state = projection.apply(state, page)
        if save and isinstance(store, CheckpointStore) and (state.position != start or rebuilt):
            store.save_checkpoint(projection.name, state.position, projection.encode(state))
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
