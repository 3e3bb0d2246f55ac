"""The provincial review: propose a handling track for every project, on a legal basis.

The department reviews projects outside industrial zones that are behind schedule or not
compliant and proposes how to handle each (Hải Dương, 21 Feb 2024: 78 projects in six tracks).
Here that is :func:`review_project`: dated review rulebooks (data plus small pure rules, each
with an id, a citation and a validity) applied to a project's record as of a date. Pure: no
I/O, no clock.
"""

from dautu_core.review.builtin import (
    BUILTIN_REVIEW_RULEBOOKS,
    DISTRICTS_ABOLISHED,
    REVIEW_LAW_61_2020,
    REVIEW_LAW_61_2020_BEFORE_2022,
    REVIEW_LAW_61_2020_LAND_2024,
    REVIEW_LAW_61_2020_NO_DISTRICTS,
    REVIEW_LAW_143_2025,
)
from dautu_core.review.engine import (
    EventRef,
    PortfolioReview,
    ProjectReview,
    Reason,
    ReviewSubject,
    judge,
    review_portfolio,
    review_project,
)
from dautu_core.review.facts import Decision, ProjectFacts, facts_as_of, facts_of
from dautu_core.review.rulebook import (
    ReviewParameters,
    ReviewRule,
    ReviewRulebook,
    ReviewRulebooks,
    RuleCheck,
    RuleMatch,
    _deprecated_name,
)
from dautu_core.review.timeline import (
    ProjectTimeline,
    TimelineEntry,
    entry_from_data,
    entry_from_event,
    entry_from_record,
    timeline_from_events,
)
from dautu_core.review.tracks import DEFAULT_PRECEDENCE, HANDLING_TRACKS, Track

__all__ = [
    "BUILTIN_REVIEW_RULEBOOKS",
    "DEFAULT_PRECEDENCE",
    "DISTRICTS_ABOLISHED",
    "HANDLING_TRACKS",
    "REVIEW_LAW_61_2020",
    "REVIEW_LAW_61_2020_BEFORE_2022",
    "REVIEW_LAW_61_2020_LAND_2024",
    "REVIEW_LAW_61_2020_NO_DISTRICTS",
    "REVIEW_LAW_143_2025",
    "Decision",
    "EventRef",
    "PortfolioReview",
    "ProjectFacts",
    "ProjectReview",
    "ProjectTimeline",
    "Reason",
    "ReviewParameters",
    "ReviewRule",
    "ReviewRulebook",
    "ReviewRulebooks",
    "ReviewSubject",
    "RuleCheck",
    "RuleMatch",
    "TimelineEntry",
    "Track",
    "entry_from_data",
    "entry_from_event",
    "entry_from_record",
    "facts_as_of",
    "facts_of",
    "judge",
    "review_portfolio",
    "review_project",
    "timeline_from_events",
]


def __getattr__(name: str) -> object:
    """``Finding``, the former name of :class:`RuleMatch`, still imports (with a warning)."""
    return _deprecated_name(__name__, name)
