"""Portfolio read models: pure folds of the global log, checkpointed by the adapters.

See :mod:`dautu_core.projections.portfolio`; the runner that reads the log and stores the
checkpoint is ``dautu_adapters.review.projection``.
"""

from dautu_core.projections.portfolio import (
    NOT_APPROVED,
    DelayedProject,
    Portfolio,
    PortfolioProjection,
    PortfolioSummary,
    ProjectionGap,
    apply_records,
    summarize,
)

__all__ = [
    "NOT_APPROVED",
    "DelayedProject",
    "Portfolio",
    "PortfolioProjection",
    "PortfolioSummary",
    "ProjectionGap",
    "apply_records",
    "summarize",
]
