"""Review a whole store as of a date: catch the portfolio projection up, then judge.

This is what ``dautu review``, ``dautu demo`` and the review exporters call. The projection's
checkpoint makes a second review of a large store read only the records written since. Each
function takes a store or the :class:`~dautu_adapters.service.ProjectService` an application
already holds, so that embedding code never needs to reach into ``service.store``::

    service = ProjectService.open("sqlite:///dautu.db")
    review = review_store(service, date(2024, 2, 21))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from dautu_adapters.collector import collector_paused
from dautu_adapters.plugins import DautuPluginManager
from dautu_adapters.review.projection import catch_up
from dautu_adapters.review.rulebooks import installed_review_rulebooks
from dautu_adapters.service import ProjectService
from dautu_core.codec import NO_UPCASTERS, Upcasters
from dautu_core.ports import EventStore
from dautu_core.projections import Portfolio, PortfolioProjection, PortfolioSummary, summarize
from dautu_core.review import (
    PortfolioReview,
    ProjectTimeline,
    ReviewRulebooks,
    review_portfolio,
)

__all__ = ["load_portfolio", "review_store", "summarize_store"]


def _store(source: EventStore | ProjectService) -> EventStore:
    return source.store if isinstance(source, ProjectService) else source


def load_portfolio(
    store: EventStore | ProjectService,
    *,
    save_checkpoint: bool = True,
    from_zero: bool = False,
) -> Portfolio:
    """The portfolio projection of ``store``, brought up to date (and its checkpoint saved).

    ``from_zero`` ignores the stored checkpoint and folds the whole log again.
    """
    store = _store(store)
    upcasters: Upcasters = getattr(store, "upcasters", NO_UPCASTERS)
    projection = PortfolioProjection(upcasters=upcasters)
    return catch_up(store, projection, save=save_checkpoint, from_zero=from_zero).portfolio


def review_store(
    store: EventStore | ProjectService,
    as_of: date,
    *,
    rulebooks: ReviewRulebooks | None = None,
    plugin_manager: DautuPluginManager | None = None,
    known_at: datetime | None = None,
    review_round: str | None = None,
    project_codes: Iterable[str] | None = None,
    save_checkpoint: bool = True,
    from_zero: bool = False,
) -> PortfolioReview:
    """Review every project of ``store`` (a store or a ``ProjectService``; or only
    ``project_codes``) as of ``as_of``.

    ``rulebooks`` default to the installed ones (builtins plus plugins).
    """
    books = rulebooks or installed_review_rulebooks(plugin_manager)
    with collector_paused():
        # One pause for loading and reviewing, the portfolio freed inside it: the collector's
        # first pass after a pause walks every object made during it that is still alive, and
        # between loading and reviewing that was the whole portfolio.
        portfolio = load_portfolio(store, save_checkpoint=save_checkpoint, from_zero=from_zero)
        timelines: Iterable[ProjectTimeline] = portfolio.timelines.values()
        if project_codes is not None:
            wanted = set(project_codes)
            timelines = [t for t in timelines if t.project_code in wanted]
        review = review_portfolio(
            timelines, as_of, books, known_at=known_at, review_round=review_round
        )
        del portfolio, timelines
    return review


def summarize_store(
    store: EventStore | ProjectService,
    as_of: date,
    *,
    rulebooks: ReviewRulebooks | None = None,
    plugin_manager: DautuPluginManager | None = None,
    review_round: str | None = None,
    save_checkpoint: bool = True,
    from_zero: bool = False,
) -> PortfolioSummary:
    """Counts by track, status, district and sector, delays and open violations of ``store``,
    with the full review (``summary.review``). ``from_zero`` ignores the stored checkpoint."""
    books = rulebooks or installed_review_rulebooks(plugin_manager)
    with collector_paused():  # one pause, the portfolio freed inside it (see review_store)
        portfolio = load_portfolio(store, save_checkpoint=save_checkpoint, from_zero=from_zero)
        summary = summarize(portfolio, as_of, books, review_round=review_round)
        del portfolio
    return summary
