"""What the review rules read: the facts of one project as of a date, a view of its state.

``facts_as_of(timeline, as_of, known_at=None)`` answers "what did the record say about this
project on ``as_of``, as known at ``known_at``". There is one fold: the timeline's entries are
handed to the core's handlers (:data:`dautu_core.state.HANDLERS`) as views of the stored events
(:mod:`dautu_core.event_view`), through the core's bitemporal rule
(:func:`dautu_core.replay.state_of`: corrections, ``known_at``, ``as_of``), and
:func:`facts_of` only regroups the resulting :class:`~dautu_core.state.ProjectState` under the
names the rules use, with, for each fact, the version of the event that established it, so
every reason can name its events. Adding an event type means a handler in the core and its
fields in :data:`~dautu_core.event_view.FOLD_FIELDS`, nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

import attrs

from dautu_core.codec import NO_UPCASTERS, Upcasters
from dautu_core.dates import full_months_between
from dautu_core.event_view import EventView, view_reader
from dautu_core.replay import state_of
from dautu_core.review.timeline import ProjectTimeline
from dautu_core.state import Extension, PendingAdjustment, ProjectState, ReviewDecision, Violation
from dautu_core.vocab import (
    AuthorityLevel,
    ProjectStatus,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

__all__ = [
    "Decision",
    "Extension",
    "ProjectFacts",
    "ScheduledMilestone",
    "Suspension",
    "Termination",
    "ViolationFacts",
    "facts_as_of",
    "facts_of",
    "state_of_timeline",
]

Dated = tuple[date, int]
"""``(effective date, version)`` of the event that established a fact."""


@attrs.frozen
class ScheduledMilestone:
    key: str
    due: date


@attrs.frozen(kw_only=True)
class ViolationFacts:
    violation_id: str
    category: ViolationCategory
    found_on: date
    found_version: int
    found_by: str | None
    found_by_level: AuthorityLevel | None
    sanctioned: Dated | None = None
    fine_dong: int | None = None
    remedied: Dated | None = None

    @property
    def is_open(self) -> bool:
        """Open until remedied: a sanction alone does not close a violation."""
        return self.remedied is None


@attrs.frozen(kw_only=True)
class Suspension:
    on: date
    version: int
    ground: SuspensionGround
    until: date | None
    authority_level: AuthorityLevel | None


@attrs.frozen(kw_only=True)
class Termination:
    on: date
    version: int
    ground: TerminationGround


Decision = ReviewDecision
"""A recorded review decision, as the core's state keeps it."""


@attrs.frozen(kw_only=True)
class ProjectFacts:
    """The facts of one project as of a date; see the module docstring."""

    project_code: str
    as_of: date
    version: int = 0
    status: ProjectStatus | None = None
    approved: Dated | None = None
    project_name: str | None = None
    objectives: str | None = None
    duration_years: int | None = None
    investors: tuple[str, ...] = ()
    has_foreign_investor: bool = False
    province: str | None = None
    district: str | None = None
    inside_industrial_zone: bool = False
    sector: str | None = None
    is_mineral_exploitation: bool = False
    land_square_metres: Decimal | None = None
    capital_dong: int | None = None
    authority: str | None = None
    authority_level: AuthorityLevel | None = None
    regime: Regime | None = None
    schedule: tuple[ScheduledMilestone, ...] = ()
    original_last_due: date | None = None
    milestones_met: Mapping[str, Dated] = attrs.field(factory=dict)
    delays: Mapping[str, Dated] = attrs.field(factory=dict)
    rescheduled: Mapping[str, Dated] = attrs.field(factory=dict)
    """Per milestone, the last schedule change (extension or adjustment) that moved its due
    date: a delay recorded before it was answered by the new date."""
    extensions: tuple[Extension, ...] = ()
    base_due: Mapping[str, date] = attrs.field(factory=dict)
    """Per milestone, its due date as last approved or adjusted, before schedule extensions."""
    extended_months: Mapping[str, int] = attrs.field(factory=dict)
    """Per milestone, the months recorded extensions moved it by since :attr:`base_due`."""
    extension_months_used: int = 0
    extension_months_exempt: int = 0
    violations: tuple[ViolationFacts, ...] = ()
    pending_adjustment: PendingAdjustment | None = None
    adjustments: tuple[Dated, ...] = ()
    suspension: Suspension | None = None
    termination: Termination | None = None
    last_investor_action: Dated | None = None
    decisions: tuple[Decision, ...] = ()
    late: Mapping[str, int] = attrs.field(factory=dict)
    """Whole months late of each unmet milestone past due on :attr:`as_of` (computed once by
    :func:`facts_as_of`: most rules ask)."""

    @property
    def is_approved(self) -> bool:
        return self.status is not None

    @property
    def has_policy_approval(self) -> bool:
        return self.regime is not None and self.regime.has_policy_approval

    def months_behind(self) -> dict[str, int]:
        """Whole months each milestone is late as of :attr:`as_of` (0 when on time), as
        :meth:`dautu_core.state.ProjectState.months_behind` counts them."""
        out = {}
        for milestone in self.schedule:
            met = self.milestones_met.get(milestone.key)
            end = met[0] if met is not None else self.as_of
            out[milestone.key] = full_months_between(milestone.due, end)
        return out

    def unmet_late(self) -> dict[str, int]:
        """Months late of the milestones not met yet that are past due."""
        return dict(self.late)

    def open_violations(
        self, categories: Iterable[ViolationCategory] | None = None
    ) -> tuple[ViolationFacts, ...]:
        wanted = None if categories is None else frozenset(categories)
        return tuple(
            v for v in self.violations if v.is_open and (wanted is None or v.category in wanted)
        )

    def open_violations_by_category(self) -> dict[ViolationCategory, int]:
        counts: dict[ViolationCategory, int] = {}
        for violation in self.open_violations():
            counts[violation.category] = counts.get(violation.category, 0) + 1
        return counts

    def latest_decision(self, review_round: str | None = None) -> Decision | None:
        for decision in reversed(self.decisions):
            if review_round is None or decision.review_round == review_round:
                return decision
        return None


def facts_of(state: ProjectState, as_of: date) -> ProjectFacts:
    """The facts the review rules read, as a view of the core's ``state`` on ``as_of``.

    ``state`` is what :func:`dautu_core.replay.state_of` gives for the same point in the two
    times; this function only renames and regroups its fields (and counts the months late on
    ``as_of``), it applies no event.
    """
    schedule: tuple[ScheduledMilestone, ...] = ()
    if state.schedule is not None:
        schedule = tuple(ScheduledMilestone(m.key, m.due) for m in state.schedule.milestones)
    met = {k: (day, state.met_versions[k]) for k, day in state.milestones_met.items()}
    late = {}
    for milestone in schedule:
        if milestone.key not in met and milestone.due < as_of:
            months = full_months_between(milestone.due, as_of)
            if months > 0:
                late[milestone.key] = months
    location, authority, land = state.location, state.authority, state.land_area
    original = state.original_schedule
    suspension = None
    if state.suspended_on is not None and state.suspension_ground is not None:
        suspension = Suspension(
            on=state.suspended_on,
            version=state.suspension_version or 0,
            ground=state.suspension_ground,
            until=state.suspended_until,
            authority_level=state.suspension_authority_level,
        )
    termination = None
    if state.terminated_on is not None and state.termination_ground is not None:
        termination = Termination(
            on=state.terminated_on,
            version=state.termination_version or 0,
            ground=state.termination_ground,
        )
    return ProjectFacts(
        project_code=state.project_code or "",
        as_of=as_of,
        version=state.version,
        status=state.status,
        approved=(
            None
            if state.approved_on is None or state.approved_version is None
            else (state.approved_on, state.approved_version)
        ),
        project_name=state.project_name,
        objectives=state.objectives,
        duration_years=state.duration_years,
        investors=tuple(i.name for i in state.investors),
        has_foreign_investor=any(i.is_foreign for i in state.investors),
        province=None if location is None else location.province,
        district=None if location is None else location.district,
        inside_industrial_zone=False if location is None else location.inside_industrial_zone,
        sector=state.sector,
        is_mineral_exploitation=state.is_mineral_exploitation,
        land_square_metres=None if land is None else land.square_metres,
        capital_dong=None if state.capital is None else state.capital.dong,
        authority=None if authority is None else authority.name,
        authority_level=None if authority is None else authority.level,
        regime=state.regime,
        schedule=schedule,
        original_last_due=None if original is None else original.last_due,
        milestones_met=met,
        delays={k: (day, state.delay_versions[k]) for k, day in state.delays_recorded.items()},
        rescheduled=state.rescheduled,
        extensions=state.extensions,
        base_due=state.base_due,
        extended_months=state.extended_months,
        extension_months_used=state.extension_months_used,
        extension_months_exempt=state.extension_months_exempt,
        violations=tuple(_violation(v) for v in state.violations.values()),
        pending_adjustment=state.pending_adjustment,
        adjustments=state.adjustments,
        suspension=suspension,
        termination=termination,
        last_investor_action=state.last_investor_action,
        decisions=state.review_decisions,
        late=late,
    )


def _violation(v: Violation) -> ViolationFacts:
    return ViolationFacts(
        violation_id=v.violation_id,
        category=v.category,
        found_on=v.found_on,
        found_version=v.found_version,
        found_by=None if v.found_by is None else v.found_by.name,
        found_by_level=None if v.found_by is None else v.found_by.level,
        sanctioned=(
            None
            if v.sanctioned_on is None or v.sanctioned_version is None
            else (v.sanctioned_on, v.sanctioned_version)
        ),
        fine_dong=None if v.fine is None else v.fine.dong,
        remedied=(
            None
            if v.remedied_on is None or v.remedied_version is None
            else (v.remedied_on, v.remedied_version)
        ),
    )


def state_of_timeline(
    timeline: ProjectTimeline,
    as_of: date | None = None,
    known_at: datetime | None = None,
    upcasters: Upcasters = NO_UPCASTERS,
) -> ProjectState:
    """The core's state of the project as of ``as_of``, as known at ``known_at``, folded from
    its timeline through the core's handlers (:func:`dautu_core.replay.state_of`)."""
    readers = _READERS
    entries = timeline.entries
    try:
        recorded = [
            (e.version, readers[e.type_name](e.data, e.effective, e.recorded, upcasters))
            for e in entries
        ]
    except KeyError:  # a type not read before (or an unknown one, which view_reader refuses)
        for entry in entries:
            if entry.type_name not in readers:
                readers[entry.type_name] = view_reader(entry.type_name)
        recorded = [
            (e.version, readers[e.type_name](e.data, e.effective, e.recorded, upcasters))
            for e in entries
        ]
    return state_of(recorded, as_of=as_of, known_at=known_at)


_READERS: dict[str, Callable[..., EventView]] = {}
"""The view readers by type name (:func:`dautu_core.event_view.view_reader`), looked up once
per entry without the two calls of :meth:`TimelineEntry.view`, which gives the same view."""


def facts_as_of(
    timeline: ProjectTimeline, as_of: date, known_at: datetime | None = None
) -> ProjectFacts:
    """The facts of ``timeline`` as of ``as_of``, as known at ``known_at`` (see the module
    docstring): the core's fold, then :func:`facts_of`."""
    return facts_of(state_of_timeline(timeline, as_of, known_at), as_of)
