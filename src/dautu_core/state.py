"""The state of a project: a left fold of its events (``evolve``).

Why a fold and nothing else: the record is the list of events; the state is only a view of it,
recomputed at will, so "the state as of a date, as known at a time" is the same fold over a
filtered list (see :mod:`dautu_core.replay`).

Corrections: an :class:`~dautu_core.events.EventCorrected` retracts or amends an earlier event.
The state keeps its history as an immutable linked list (O(1) to extend, shared between
states) so that a correction can refold the corrected history without editing anything.
"""

from __future__ import annotations

import operator
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core.dates import add_months, full_months_between, months_started_between
from dautu_core.values import Authority, Investor, LandArea, Location, Money, Schedule
from dautu_core.vocab import (
    AuthorityLevel,
    CorrectionAction,
    ExtensionGround,
    ProjectStatus,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

__all__ = [
    "CORRECTION_TYPE",
    "HANDLERS",
    "Extension",
    "PendingAdjustment",
    "ProjectState",
    "ReviewDecision",
    "Violation",
    "adjustment_kinds",
    "effective_history",
    "evolve",
    "evolve_all",
    "evolve_at",
    "extension_months_after",
    "fold",
    "fold_drafted",
]

CORRECTION_TYPE = ev.EventCorrected.TYPE_NAME
"""The type name of a correction: the fold recognises a correction by its type name, so that it
reads typed events and the fold's views of stored events (:mod:`dautu_core.event_view`) alike."""

# (version, event, previous link) or None: an immutable singly linked list, newest first.
_History = tuple[int, ev.ProjectEvent, Any] | None


@attrs.frozen(kw_only=True)
class Violation:
    """A violation as the record knows it: found, possibly sanctioned and remedied."""

    violation_id: str
    category: ViolationCategory
    description: str
    found_on: date
    found_version: int
    found_by: Authority | None = None
    sanctioned_on: date | None = None
    sanctioned_version: int | None = None
    fine: Money | None = None
    remedied_on: date | None = None
    remedied_version: int | None = None

    @property
    def is_open(self) -> bool:
        """Open until remedied: a sanction alone does not close a violation."""
        return self.remedied_on is None


@attrs.frozen(kw_only=True)
class PendingAdjustment:
    """An adjustment request (:class:`~dautu_core.events.AdjustmentRequested`) not yet decided.

    One concept for the decider and the review: ``kinds`` are the ids of what the request
    changes (:class:`~dautu_core.vocab.AdjustmentKind` values, sorted) and are all the review
    reads of the changes; ``changes`` are the typed changes themselves, ``None`` when the
    request was read from a compact timeline entry (:mod:`dautu_core.review.timeline`) rather
    than from a typed event.
    """

    requested_on: date
    version: int
    policy_adjustment_required: bool
    triggers: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    changes: ev.ProjectChanges | None = None

    @classmethod
    def of(cls, event: ev.AdjustmentRequested, version: int) -> PendingAdjustment:
        """The pending adjustment a request recorded at ``version`` leaves."""
        return cls(
            requested_on=event.effective_date,
            version=version,
            policy_adjustment_required=event.policy_adjustment_required,
            triggers=event.triggers,
            kinds=adjustment_kinds(event.changes),
            changes=event.changes,
        )


@attrs.frozen
class Extension:
    """A recorded schedule extension (:class:`~dautu_core.events.ScheduleExtended`)."""

    on: date
    version: int
    months: int
    ground: ExtensionGround | None


@attrs.frozen(kw_only=True)
class ReviewDecision:
    """A recorded review decision (:class:`~dautu_core.events.ReviewDecided`); ``authority``
    is the deciding authority's name."""

    on: date
    version: int
    track: str
    review_round: str
    authority: str | None


def adjustment_kinds(changes: ev.ProjectChanges) -> tuple[str, ...]:
    """The sorted :class:`~dautu_core.vocab.AdjustmentKind` ids of what ``changes`` change."""
    return tuple(sorted(kind.value for kind in changes.kinds))


@attrs.frozen(kw_only=True, slots=False)
class ProjectState:
    """What the record says about one project after a sequence of events.

    Not slotted on purpose: the fold makes one new state per event, and copying an instance
    dict (see ``_replace``) is several times faster than setting 29 slots one by one.
    """

    project_code: str | None = None
    version: int = 0
    status: ProjectStatus | None = None
    approved_on: date | None = None
    project_name: str | None = None
    objectives: str | None = None
    investors: tuple[Investor, ...] = ()
    location: Location | None = None
    capital: Money | None = None
    land_area: LandArea | None = None
    sector: str | None = None
    is_mineral_exploitation: bool = False
    schedule: Schedule | None = None
    original_schedule: Schedule | None = None
    duration_years: int | None = None
    authority: Authority | None = None
    regime: Regime | None = None
    approved_version: int | None = attrs.field(default=None, eq=False)
    """The version of the approval in effect. This and the other ``*_version(s)`` fields say
    which event established a fact (the review's reasons name them); they are provenance, not
    facts about the project, so they take no part in comparing states (nor in ``dautu diff``)."""
    milestones_met: Mapping[str, date] = attrs.field(factory=dict)
    met_versions: Mapping[str, int] = attrs.field(factory=dict, eq=False)
    """Per milestone met, the version of the event that recorded it."""
    delays_recorded: Mapping[str, date] = attrs.field(factory=dict)
    delay_versions: Mapping[str, int] = attrs.field(factory=dict, eq=False)
    """Per milestone, the version of the last delay recorded against it."""
    extensions: tuple[Extension, ...] = ()
    extension_months_used: int = 0
    extension_months_exempt: int = 0
    base_due: Mapping[str, date] = attrs.field(factory=dict)
    """Per milestone, its due date as last approved or adjusted, before schedule extensions
    (the land-recovery rule counts its months from it, so an extension counts once)."""
    extended_months: Mapping[str, int] = attrs.field(factory=dict)
    """Per milestone, the months recorded extensions moved it by since :attr:`base_due`."""
    rescheduled: Mapping[str, tuple[date, int]] = attrs.field(factory=dict)
    """Per milestone, ``(effective date, version)`` of the last schedule change (extension or
    adjustment) that moved its due date: a delay recorded before it was answered by it."""
    last_investor_action: tuple[date, int] | None = None
    """``(effective date, version)`` of the last event only the investor's own action
    produces (milestone met, violation remedied, adjustment requested, resumption): the
    record's sign that the investor is reachable."""
    violations: Mapping[str, Violation] = attrs.field(factory=dict)
    pending_adjustment: PendingAdjustment | None = None
    adjustments: tuple[tuple[date, int], ...] = ()
    """``(effective date, version)`` of each adjustment recorded, oldest first."""
    suspended_on: date | None = None
    suspended_until: date | None = None
    """The remedy deadline the suspension set, if any (read by the review's Art. 48(2) rule
    on suspension causes not remedied)."""
    suspension_ground: SuspensionGround | None = None
    suspension_version: int | None = attrs.field(default=None, eq=False)
    suspension_authority_level: AuthorityLevel | None = None
    """The level of the authority that suspended the project, when it was named."""
    terminated_on: date | None = None
    termination_ground: TerminationGround | None = None
    termination_version: int | None = attrs.field(default=None, eq=False)
    partial_terminations: tuple[tuple[date, TerminationGround, str | None], ...] = ()
    review_decisions: tuple[ReviewDecision, ...] = ()
    corrected_versions: frozenset[int] = frozenset()
    # Bookkeeping for the recorded_in_order rule, not a fact about the project: two folds
    # that say the same about it are equal whatever the recorded times of the corrections.
    last_recorded_at: datetime | None = attrs.field(default=None, eq=False)
    history: _History = attrs.field(default=None, eq=False, repr=False)

    # --- questions auditors and reviewers ask first -------------------------------------------

    @property
    def is_approved(self) -> bool:
        return self.status is not None

    @property
    def has_policy_approval(self) -> bool:
        return self.regime is not None and self.regime.has_policy_approval

    @property
    def policy_adjustment_pending(self) -> bool:
        return self.pending_adjustment is not None and (
            self.pending_adjustment.policy_adjustment_required
        )

    def months_behind(self, as_of: date) -> dict[str, int]:
        """Whole months each milestone is late as of ``as_of`` (0 when on time).

        A met milestone is late by the months between its due date and the day it was met; an
        unmet one by the months between its due date and ``as_of``.
        """
        if self.schedule is None:
            return {}
        result = {}
        for milestone in self.schedule.milestones:
            met = self.milestones_met.get(milestone.key)
            end = met if met is not None and met <= as_of else as_of
            result[milestone.key] = full_months_between(milestone.due, end)
        return result

    def extension_months_left(self, cap_months: int) -> int:
        """Months of extension still allowed under a cap (Law 61/2020 Art. 41(4): 24)."""
        return max(0, cap_months - self.extension_months_used)

    def open_violations(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations.values() if v.is_open)

    def open_violations_by_category(self) -> dict[ViolationCategory, int]:
        counts: dict[ViolationCategory, int] = {}
        for violation in self.open_violations():
            counts[violation.category] = counts.get(violation.category, 0) + 1
        return counts

    def events(self) -> list[tuple[int, ev.ProjectEvent]]:
        """Every recorded (version, event), oldest first, corrections included."""
        out: list[tuple[int, ev.ProjectEvent]] = []
        link = self.history
        while link is not None:
            out.append((link[0], link[1]))
            link = link[2]
        out.reverse()
        return out


_STATE_FIELDS = attrs.fields(ProjectState)
_STATE_NAMES = tuple(a.name for a in _STATE_FIELDS)
_STATE_INIT_NAMES = tuple(str(a.alias) for a in _STATE_FIELDS)
_state_values = operator.attrgetter(*_STATE_NAMES)
_STATE_IS_PLAIN = (
    "__slots__" not in vars(ProjectState)
    and not hasattr(ProjectState, "__attrs_post_init__")
    and all(a.init and a.converter is None and a.validator is None for a in _STATE_FIELDS)
)
"""True while ProjectState keeps its fields in an instance dict and none of them converts or
validates: :func:`_replace` may then copy the dict instead of calling ``__init__`` (which
would do nothing more)."""
_NOTHING: Mapping[str, Any] = {}
_E = typing.TypeVar("_E")
_new = object.__new__
_EMPTY = ProjectState()
"""The empty state drafts start from; its mappings are shared, never changed in place (every
handler makes new ones)."""


def effective_history(recorded: Iterable[tuple[int, _E]]) -> list[tuple[int, _E]]:
    """Apply corrections: drop retracted events, swap amended ones, drop the corrections.

    The latest correction of a version wins. Versions are kept, so a state built from the
    effective history still refers to the events as stored. ``recorded`` holds typed events or
    the fold's views of stored events (:mod:`dautu_core.event_view`): both are read by type
    name and by the same attribute names.
    """
    items: list[tuple[int, Any]] = list(recorded)
    latest: dict[int, Any] = {}
    for _, event in items:
        if event.TYPE_NAME == CORRECTION_TYPE:
            latest[event.corrects_version] = event
    if not latest:
        return items
    out = []
    for version, event in items:
        if event.TYPE_NAME == CORRECTION_TYPE:
            continue
        correction = latest.get(version)
        if correction is None:
            out.append((version, event))
        elif correction.action is CorrectionAction.AMEND and correction.replacement is not None:
            out.append((version, correction.replacement))
    return out


def evolve(state: ProjectState, event: ev.ProjectEvent) -> ProjectState:
    """Fold one event into the state. Total: never raises for a well-formed event.

    The decider has already judged the event against the rules; ``evolve`` only records.
    """
    version = state.version + 1
    history: _History = (version, event, state.history)
    if isinstance(event, ev.EventCorrected):
        corrected = frozenset(state.corrected_versions | {event.corrects_version})
        recorded = [*state.events(), (version, event)]
        rebuilt = ProjectState()
        for item_version, item in effective_history(recorded):
            rebuilt = _apply(rebuilt, item, item_version)
        return attrs.evolve(
            rebuilt,
            version=version,
            corrected_versions=corrected,
            history=history,
            last_recorded_at=event.recorded_at,
        )
    also = {"version": version, "history": history, "last_recorded_at": event.recorded_at}
    return _apply(state, event, version, also)


def evolve_at(state: ProjectState, event: Any, version: int) -> ProjectState:
    """Fold one event that is not a correction, recorded at ``version``, into ``state``.

    Used by :mod:`dautu_core.replay`, which applies corrections before folding and keeps each
    event's own version. ``event`` is a typed event or a view of a stored event
    (:mod:`dautu_core.event_view`): the same handlers read both.
    """
    also = {
        "version": version,
        "history": (version, event, state.history),
        "last_recorded_at": event.recorded_at,
    }
    return _apply(state, event, version, also)


def fold(events: Iterable[ev.ProjectEvent]) -> ProjectState:
    """The state after ``events``, in order, from nothing."""
    return evolve_all(ProjectState(), events)


def evolve_all(state: ProjectState, events: Iterable[ev.ProjectEvent]) -> ProjectState:
    """``state`` with ``events`` folded in, in order: what :func:`evolve` gives applied to each.

    Why: rebuilding a project (a load, a cold command) folds its whole stream; copying the
    ~50 fields of a state for every event was the largest share of the fold. Between two
    corrections the events go through the same handlers into one private draft changed in
    place (:class:`_Draft`, as :func:`fold_drafted` does); a correction refolds through
    :func:`evolve` as always. ``state`` itself is never changed.
    """
    if not _STATE_IS_PLAIN:
        for event in events:
            state = evolve(state, event)
        return state
    draft: ProjectState | None = None
    for event in events:
        if isinstance(event, ev.EventCorrected):
            if draft is not None:
                state, draft = _freeze(draft), None
            state = evolve(state, event)
            continue
        if draft is None:
            draft = _new(_Draft)
            draft.__dict__.update(state.__dict__)
        version = draft.version + 1
        also = {
            "version": version,
            "history": (version, event, draft.history),
            "last_recorded_at": event.recorded_at,
        }
        draft = _apply(draft, event, version, also)
    return state if draft is None else _freeze(draft)


def _shift(
    schedule: Schedule, months: int, keys: tuple[str, ...], met: Mapping[str, date]
) -> Schedule:
    shifted = []
    for milestone in schedule.milestones:
        chosen = milestone.key in keys if keys else milestone.key not in met
        if chosen:
            milestone = attrs.evolve(milestone, due=add_months(milestone.due, months))
        shifted.append(milestone)
    return Schedule(tuple(shifted))


def _months_used(original: Schedule | None, current: Schedule | None, exempt: int) -> int:
    """Months of extension counted against the Art. 41(4) cap.

    Measured, not summed: how far the current schedule runs past the schedule of the first
    approval (the largest shift of a milestone present in both, or of the last due date),
    minus the months granted on an exception ground. Measuring means a schedule moved by an
    adjustment counts exactly like one moved by an extension, so the cap cannot be bypassed
    by adjusting instead of extending.
    """
    if original is None or current is None:
        return 0
    slip = 0
    for milestone in original.milestones:
        now = current.get(milestone.key)
        if now is not None:
            slip = max(slip, months_started_between(milestone.due, now.due))
    first_end, current_end = original.last_due, current.last_due
    if first_end is not None and current_end is not None:
        slip = max(slip, months_started_between(first_end, current_end))
    return max(0, slip - exempt)


def extension_months_after(state: ProjectState, event: ev.ProjectEvent) -> int:
    """The months counted against the extension cap once ``event`` is applied to ``state``."""
    return _apply(state, event, state.version + 1).extension_months_used


class _Draft(ProjectState):
    """A state under construction, private to one fold (:func:`fold_drafted`).

    Why: a handler answers an event with a new state, and copying the ~50 fields of a state
    for every event was the largest share of folding a portfolio. A fold that owns its state
    from start to end (nobody else can hold it) may instead change that one instance in place,
    through the same handlers: :func:`_replace` updates a draft where it copies a state. The
    draft never leaves the fold; :func:`_freeze` turns it into a plain :class:`ProjectState`.
    """


def _draft() -> ProjectState:
    """A new, empty draft (see :class:`_Draft`)."""
    draft = _new(_Draft)
    draft.__dict__.update(_EMPTY.__dict__)
    return draft


def _freeze(state: ProjectState, **changes: Any) -> ProjectState:
    """The plain state a fold's draft stands for, with ``changes`` made (see :class:`_Draft`)."""
    if state.__class__ is not _Draft:
        return _replace(state, **changes)
    new = _new(ProjectState)
    fields = new.__dict__
    fields.update(state.__dict__)
    fields.update(changes)
    return new


def fold_drafted(items: Iterable[tuple[int, Any]], **changes: Any) -> ProjectState:
    """The state after folding ``(version, event)`` pairs (no corrections among them) in order
    with :func:`evolve_at`, then making ``changes``: the same state as that fold of plain
    states gives, made by changing one private draft in place (see :class:`_Draft`).

    The bookkeeping :func:`evolve_at` sets at every step (``version``, ``history``,
    ``last_recorded_at``) is set once at the end: no handler reads it, and the last step's
    values are the ones a fold of plain states keeps.
    """
    if not _STATE_IS_PLAIN:
        state = ProjectState()
        for version, event in items:
            state = evolve_at(state, event, version)
        return _replace(state, **changes)
    state = _draft()
    history: _History = None
    last: Any = None
    version = 0
    by_class = _HANDLERS_BY_CLASS
    for version, event in items:
        history = (version, event, history)
        last = event
        handler = by_class.get(event.__class__)
        if handler is None:
            handler = HANDLERS.get(event.TYPE_NAME)
            if handler is None:
                continue
            by_class[event.__class__] = handler
        state = handler(state, event, version, _NOTHING)
    if last is not None:
        state.__dict__.update(version=version, history=history, last_recorded_at=last.recorded_at)
    return _freeze(state, **changes)


def _replace(state: ProjectState, **changes: Any) -> ProjectState:
    """``attrs.evolve`` for :class:`ProjectState` without its per-call introspection.

    Why: the fold runs this once per event; ``attrs.evolve`` looked up the class's fields
    and their init aliases on every call and dominated the time of rebuilding a project. A
    fold's private draft (:class:`_Draft`) is changed in place instead of copied.
    """
    if state.__class__ is _Draft:
        state.__dict__.update(changes)
        return state
    if not _STATE_IS_PLAIN:
        values = dict(zip(_STATE_INIT_NAMES, _state_values(state), strict=True))
        values.update(changes)
        return ProjectState(**values)
    new = _new(ProjectState)
    fields = new.__dict__
    fields.update(state.__dict__)
    fields.update(changes)
    return new


_Handler = Callable[[ProjectState, Any, int, Mapping[str, Any]], ProjectState]

_VIOLATION_NAMES = tuple(a.name for a in attrs.fields(Violation))
_violation_values = operator.attrgetter(*_VIOLATION_NAMES)
_VIOLATION_IS_PLAIN = all(a.init and a.alias == a.name for a in attrs.fields(Violation))


def _violation_with(found: Violation, **changes: Any) -> Violation:
    """``attrs.evolve(found, **changes)`` without its per-call look at the class's fields
    (a sanction and a remedy each make one; ``attrs.evolve`` was most of their fold step).
    Every field of :class:`Violation` is an init argument of its own name, so the values
    copied by name are the constructor's arguments; validators and converters still run."""
    if not _VIOLATION_IS_PLAIN:
        return attrs.evolve(found, **changes)
    values = dict(zip(_VIOLATION_NAMES, _violation_values(found), strict=True))
    values.update(changes)
    return Violation(**values)


def _approved(
    state: ProjectState, event: ev.ProjectApproved, version: int, also: Mapping[str, Any]
) -> ProjectState:
    return _replace(
        state,
        **also,
        project_code=event.project_code,
        status=ProjectStatus.APPROVED,
        approved_on=event.effective_date,
        approved_version=version,
        project_name=event.project_name,
        objectives=event.objectives,
        investors=event.investors,
        location=event.location,
        capital=event.capital,
        land_area=event.land_area,
        sector=event.sector,
        is_mineral_exploitation=event.is_mineral_exploitation,
        schedule=event.schedule,
        original_schedule=event.schedule,
        base_due={m.key: m.due for m in event.schedule.milestones},
        extended_months={},
        duration_years=event.duration_years,
        authority=event.authority,
        regime=event.regime,
    )


def _milestone_met(
    state: ProjectState, event: ev.MilestoneMet, version: int, also: Mapping[str, Any]
) -> ProjectState:
    met = {**state.milestones_met, event.milestone: event.effective_date}
    versions = {**state.met_versions, event.milestone: version}
    acted = (event.effective_date, version)
    return _replace(
        state, **also, milestones_met=met, met_versions=versions, last_investor_action=acted
    )


def _delay_recorded(
    state: ProjectState, event: ev.DelayRecorded, version: int, also: Mapping[str, Any]
) -> ProjectState:
    delays = {**state.delays_recorded, event.milestone: event.effective_date}
    versions = {**state.delay_versions, event.milestone: version}
    return _replace(state, **also, delays_recorded=delays, delay_versions=versions)


def _schedule_extended(
    state: ProjectState, event: ev.ScheduleExtended, version: int, also: Mapping[str, Any]
) -> ProjectState:
    before = state.schedule
    schedule = before
    extended, rescheduled = state.extended_months, state.rescheduled
    if before is not None:
        schedule = _shift(before, event.months, event.milestones, state.milestones_met)
        moved = _moved(before, schedule)
        if moved:
            when = (event.effective_date, version)
            rescheduled = {**rescheduled, **dict.fromkeys(moved, when)}
            extended = {**extended, **{k: extended.get(k, 0) + event.months for k in moved}}
    exempt = state.extension_months_exempt + (event.months if event.ground else 0)
    extension = Extension(event.effective_date, version, event.months, event.ground)
    return _replace(
        state,
        **also,
        schedule=schedule,
        extensions=(*state.extensions, extension),
        extended_months=extended,
        rescheduled=rescheduled,
        extension_months_exempt=exempt,
        extension_months_used=_months_used(state.original_schedule, schedule, exempt),
    )


def _moved(before: Schedule | None, after: Schedule) -> tuple[str, ...]:
    """The keys of the milestones of ``after`` whose due date differs from (or is absent in)
    ``before``."""
    old = {} if before is None else {m.key: m.due for m in before.milestones}
    return tuple(m.key for m in after.milestones if old.get(m.key) != m.due)


def _violation_found(
    state: ProjectState, event: ev.ViolationFound, version: int, also: Mapping[str, Any]
) -> ProjectState:
    violation = Violation(
        violation_id=event.violation_id,
        category=event.category,
        description=event.description,
        found_on=event.effective_date,
        found_version=version,
        found_by=event.found_by,
    )
    violations = {**state.violations, event.violation_id: violation}
    return _replace(state, **also, violations=violations)


def _violation_sanctioned(
    state: ProjectState, event: ev.ViolationSanctioned, version: int, also: Mapping[str, Any]
) -> ProjectState:
    found = state.violations.get(event.violation_id)
    if found is None:
        return _replace(state, **also) if also else state
    updated = _violation_with(
        found, sanctioned_on=event.effective_date, sanctioned_version=version, fine=event.fine
    )
    violations = {**state.violations, event.violation_id: updated}
    return _replace(state, **also, violations=violations)


def _violation_remedied(
    state: ProjectState, event: ev.ViolationRemedied, version: int, also: Mapping[str, Any]
) -> ProjectState:
    acted = (event.effective_date, version)
    found = state.violations.get(event.violation_id)
    if found is None:
        return _replace(state, **also, last_investor_action=acted)
    updated = _violation_with(found, remedied_on=event.effective_date, remedied_version=version)
    violations = {**state.violations, event.violation_id: updated}
    return _replace(state, **also, violations=violations, last_investor_action=acted)


def _adjustment_requested(
    state: ProjectState, event: ev.AdjustmentRequested, version: int, also: Mapping[str, Any]
) -> ProjectState:
    return _replace(
        state,
        **also,
        pending_adjustment=PendingAdjustment.of(event, version),
        last_investor_action=(event.effective_date, version),
    )


def _suspended(
    state: ProjectState, event: ev.ProjectSuspended, version: int, also: Mapping[str, Any]
) -> ProjectState:
    return _replace(
        state,
        **also,
        status=ProjectStatus.SUSPENDED,
        suspended_on=event.effective_date,
        suspended_until=event.until,
        suspension_ground=event.ground,
        suspension_version=version,
        suspension_authority_level=None if event.authority is None else event.authority.level,
    )


def _resumed(
    state: ProjectState, event: ev.ProjectResumed, version: int, also: Mapping[str, Any]
) -> ProjectState:
    return _replace(
        state,
        **also,
        status=ProjectStatus.APPROVED,
        suspended_on=None,
        suspended_until=None,
        suspension_ground=None,
        suspension_version=None,
        suspension_authority_level=None,
        last_investor_action=(event.effective_date, version),
    )


def _terminated(
    state: ProjectState, event: ev.ProjectTerminated, version: int, also: Mapping[str, Any]
) -> ProjectState:
    day = event.effective_date
    if event.partial:
        part = (day, event.ground, event.scope)
        return _replace(state, **also, partial_terminations=(*state.partial_terminations, part))
    return _replace(
        state,
        **also,
        status=ProjectStatus.TERMINATED,
        terminated_on=day,
        termination_ground=event.ground,
        termination_version=version,
    )


def _review_decided(
    state: ProjectState, event: ev.ReviewDecided, version: int, also: Mapping[str, Any]
) -> ProjectState:
    decision = ReviewDecision(
        on=event.effective_date,
        version=version,
        track=event.track,
        review_round=event.review_round,
        authority=event.authority.name,
    )
    return _replace(state, **also, review_decisions=(*state.review_decisions, decision))


def _apply(
    state: ProjectState,
    event: ev.ProjectEvent,
    version: int,
    also: Mapping[str, Any] = _NOTHING,
) -> ProjectState:
    """Fold ``event`` (stored at ``version``) into ``state``; ``also`` are further field
    changes made in the same step (the fold passes the new ``version`` and ``history``).

    Dispatch is one dictionary look-up by class (:data:`HANDLERS`), not a chain of
    ``isinstance`` tests: the fold runs this once per event of every project reviewed. A view
    class of :mod:`dautu_core.event_view` is found by its type name the first time, then by
    class.
    """
    handler = _HANDLERS_BY_CLASS.get(type(event))
    if handler is None:
        handler = HANDLERS.get(event.TYPE_NAME)
        if handler is None:
            return _replace(state, **also) if also else state
        _HANDLERS_BY_CLASS[type(event)] = handler
    return handler(state, event, version, also)


def _adjust(
    state: ProjectState, event: ev.ProjectAdjusted, version: int, also: Mapping[str, Any]
) -> ProjectState:
    changes = event.changes
    if changes.schedule is not None:
        used = _months_used(
            state.original_schedule, changes.schedule, state.extension_months_exempt
        )
        when = (event.effective_date, version)
        moved = dict.fromkeys(_moved(state.schedule, changes.schedule), when)
        also = {
            **also,
            "extension_months_used": used,
            "base_due": {m.key: m.due for m in changes.schedule.milestones},
            "extended_months": {},
            "rescheduled": {**state.rescheduled, **moved},
        }
    return _replace(
        state,
        **also,
        capital=changes.capital if changes.capital is not None else state.capital,
        schedule=changes.schedule if changes.schedule is not None else state.schedule,
        land_area=changes.land_area if changes.land_area is not None else state.land_area,
        location=changes.location if changes.location is not None else state.location,
        objectives=changes.objectives if changes.objectives is not None else state.objectives,
        investors=changes.investors if changes.investors is not None else state.investors,
        duration_years=(
            changes.duration_years if changes.duration_years is not None else state.duration_years
        ),
        pending_adjustment=None,
        adjustments=(*state.adjustments, (event.effective_date, version)),
    )


HANDLERS: Mapping[str, _Handler] = {
    ev.ProjectApproved.TYPE_NAME: _approved,
    ev.MilestoneMet.TYPE_NAME: _milestone_met,
    ev.DelayRecorded.TYPE_NAME: _delay_recorded,
    ev.ScheduleExtended.TYPE_NAME: _schedule_extended,
    ev.ViolationFound.TYPE_NAME: _violation_found,
    ev.ViolationSanctioned.TYPE_NAME: _violation_sanctioned,
    ev.ViolationRemedied.TYPE_NAME: _violation_remedied,
    ev.AdjustmentRequested.TYPE_NAME: _adjustment_requested,
    ev.ProjectAdjusted.TYPE_NAME: _adjust,
    ev.ProjectSuspended.TYPE_NAME: _suspended,
    ev.ProjectResumed.TYPE_NAME: _resumed,
    ev.ProjectTerminated.TYPE_NAME: _terminated,
    ev.ReviewDecided.TYPE_NAME: _review_decided,
}
"""What each event type does to a project's state, by stable type name: the one place an
event's effect is written. :class:`~dautu_core.events.EventCorrected` is absent on purpose:
:func:`evolve` answers it by refolding the corrected history through these same handlers.
A test fails when a type of :data:`~dautu_core.events.EVENT_TYPES` has no entry here."""

_HANDLERS_BY_CLASS: dict[type, _Handler] = {
    ev.EVENT_TYPES[name]: handler for name, handler in HANDLERS.items()
}
