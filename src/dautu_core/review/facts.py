"""What the review rules read: the facts of one project as of a date, folded from its timeline.

``facts_as_of(timeline, as_of, known_at=None)`` answers "what did the record say about this
project on ``as_of``, as known at ``known_at``": entries recorded after ``known_at`` are left
out, corrections are applied (the latest correction of a version wins, as in
:func:`dautu_core.state.effective_history`), then entries whose effective date is after
``as_of`` are left out, in stream order. The fold mirrors :func:`dautu_core.state.evolve`
handler for handler (:data:`FACT_HANDLERS` against :data:`dautu_core.state.HANDLERS`, one
function per event type in each) for the fields the review needs, and keeps, for each fact, the
version of the event that established it, so every reason can name its events.

Why it still reads compact timeline entries instead of folding typed events through the core:
decoding typed events costs tens of microseconds each, and a provincial review reads 200,000 of
them. Every field a review rule reads (``rescheduled``, ``base_due``, ``extended_months``,
``last_investor_action``, ``suspension.until`` included) is also kept by the core's state, and a
property test checks, for generated histories and any point in the two times, that these facts
are the view of :func:`dautu_core.replay.state_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from dautu_core.dates import add_months, full_months_between, months_started_between
from dautu_core.review.timeline import ProjectTimeline, TimelineEntry
from dautu_core.state import PendingAdjustment
from dautu_core.vocab import (
    AuthorityLevel,
    ExtensionGround,
    ProjectStatus,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

__all__ = [
    "FACT_HANDLERS",
    "Decision",
    "Extension",
    "ProjectFacts",
    "ScheduledMilestone",
    "Suspension",
    "Termination",
    "ViolationFacts",
    "effective_entries",
    "facts_as_of",
]

Dated = tuple[date, int]
"""``(effective date, version)`` of the event that established a fact."""


@attrs.frozen
class ScheduledMilestone:
    key: str
    due: date


@attrs.frozen
class Extension:
    on: date
    version: int
    months: int
    ground: ExtensionGround | None


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


@attrs.frozen(kw_only=True)
class Decision:
    """A recorded review decision (:class:`~dautu_core.events.ReviewDecided`)."""

    on: date
    version: int
    track: str
    review_round: str
    authority: str | None


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


def effective_entries(
    timeline: ProjectTimeline, known_at: datetime | None = None
) -> list[TimelineEntry]:
    """Entries as known at ``known_at`` (all when ``None``), corrections applied and dropped."""
    items: Iterable[TimelineEntry] = timeline.entries
    if known_at is not None:
        items = [e for e in items if datetime.fromisoformat(e.recorded) <= known_at]
    items = list(items)
    latest: dict[int, TimelineEntry] = {}
    for entry in items:
        if entry.type_name == "dautu.EventCorrected":
            latest[int(entry.data["target"])] = entry
    if not latest:
        return items
    out = []
    for entry in items:
        if entry.type_name == "dautu.EventCorrected":
            continue
        correction = latest.get(entry.version)
        if correction is None:
            out.append(entry)
        elif correction.data["action"] == "amend" and correction.data["replacement"] is not None:
            out.append(TimelineEntry.from_json(correction.data["replacement"]))
    return out


def _schedule(value: list[list[str]]) -> tuple[ScheduledMilestone, ...]:
    return tuple(ScheduledMilestone(key, date.fromisoformat(due)) for key, due in value)


def _months_used(
    original: tuple[ScheduledMilestone, ...], current: tuple[ScheduledMilestone, ...], exempt: int
) -> int:
    """Months counted against the Art. 41(4) cap, measured as the core measures them
    (:func:`dautu_core.state._months_used`): how far the current schedule runs past the first
    approved one (largest shift of a milestone, or of the last due date), less exempt months."""
    if not original or not current:
        return 0
    now = {m.key: m.due for m in current}
    slip = 0
    for milestone in original:
        due = now.get(milestone.key)
        if due is not None:
            slip = max(slip, months_started_between(milestone.due, due))
    first_end = max(m.due for m in original)
    current_end = max(m.due for m in current)
    slip = max(slip, months_started_between(first_end, current_end))
    return max(0, slip - exempt)


def _moved(
    before: tuple[ScheduledMilestone, ...],
    after: tuple[ScheduledMilestone, ...],
    when: Dated,
    rescheduled: dict[str, Dated],
) -> None:
    """Note ``when`` against every milestone whose due date the change moved (or set)."""
    old = {m.key: m.due for m in before}
    for milestone in after:
        if old.get(milestone.key) != milestone.due:
            rescheduled[milestone.key] = when


def _level(value: str | None) -> AuthorityLevel | None:
    return None if value is None else AuthorityLevel(value)


class _Fold:
    """The facts being folded: mutable while one timeline is folded, then frozen into
    :class:`ProjectFacts`. One handler per event type (:data:`FACT_HANDLERS`)."""

    __slots__ = (
        "adjustments",
        "base_due",
        "decisions",
        "delays",
        "exempt",
        "extended_months",
        "extensions",
        "f",
        "met",
        "original",
        "rescheduled",
        "schedule",
        "used",
        "violations",
    )

    def __init__(self) -> None:
        self.f: dict[str, Any] = {}
        self.met: dict[str, Dated] = {}
        self.delays: dict[str, Dated] = {}
        self.rescheduled: dict[str, Dated] = {}
        self.base_due: dict[str, date] = {}
        self.extended_months: dict[str, int] = {}
        self.violations: dict[str, ViolationFacts] = {}
        self.extensions: list[Extension] = []
        self.adjustments: list[Dated] = []
        self.decisions: list[Decision] = []
        self.schedule: tuple[ScheduledMilestone, ...] = ()
        self.original: tuple[ScheduledMilestone, ...] = ()
        self.used = 0
        self.exempt = 0


_FactHandler = Callable[[_Fold, Mapping[str, Any], date, int], None]


def _approved(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    s.schedule = s.original = _schedule(d["schedule"])
    s.base_due = {m.key: m.due for m in s.schedule}
    s.extended_months = {}
    s.f.update(
        status=ProjectStatus.APPROVED,
        approved=(day, version),
        project_name=d["name"],
        objectives=d["objectives"],
        duration_years=d["duration"],
        investors=tuple(d["investors"]),
        has_foreign_investor=d["foreign"],
        province=d["province"],
        district=d["district"],
        inside_industrial_zone=d["iz"],
        sector=d["sector"],
        is_mineral_exploitation=d["mineral"],
        land_square_metres=None if d["land"] is None else Decimal(d["land"]),
        capital_dong=d["capital"],
        authority=d["authority"],
        authority_level=_level(d["level"]),
        regime=Regime(d["regime"]),
        original_last_due=max((m.due for m in s.schedule), default=None),
    )


def _investor_acted(s: _Fold, day: date, version: int) -> None:
    """An event only the investor's own action produces: the record's sign that they are
    reachable (read by :func:`~dautu_core.review.rules.terminate_investor_unreachable`)."""
    s.f["last_investor_action"] = (day, version)


def _milestone_met(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    _investor_acted(s, day, version)
    s.met[d["m"]] = (day, version)


def _delay_recorded(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    s.delays[d["m"]] = (day, version)


def _schedule_extended(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    months, keys, met = int(d["months"]), d["ms"], s.met
    before = s.schedule
    s.schedule = tuple(
        ScheduledMilestone(m.key, add_months(m.due, months))
        if (m.key in keys if keys else m.key not in met)
        else m
        for m in before
    )
    _moved(before, s.schedule, (day, version), s.rescheduled)
    for old, new in zip(before, s.schedule, strict=True):
        if old.due != new.due:
            s.extended_months[new.key] = s.extended_months.get(new.key, 0) + months
    ground = None if d["ground"] is None else ExtensionGround(d["ground"])
    s.extensions.append(Extension(day, version, months, ground))
    if ground is not None:
        s.exempt += months
    s.used = _months_used(s.original, s.schedule, s.exempt)


def _violation_found(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    s.violations[d["id"]] = ViolationFacts(
        violation_id=d["id"],
        category=ViolationCategory(d["cat"]),
        found_on=day,
        found_version=version,
        found_by=d["by"],
        found_by_level=_level(d["level"]),
    )


def _violation_sanctioned(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    found = s.violations.get(d["id"])
    if found is not None:
        s.violations[d["id"]] = attrs.evolve(found, sanctioned=(day, version), fine_dong=d["fine"])


def _violation_remedied(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    _investor_acted(s, day, version)
    found = s.violations.get(d["id"])
    if found is not None:
        s.violations[d["id"]] = attrs.evolve(found, remedied=(day, version))


def _adjustment_requested(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    _investor_acted(s, day, version)
    s.f["pending_adjustment"] = PendingAdjustment(
        requested_on=day,
        version=version,
        policy_adjustment_required=d["policy"],
        triggers=tuple(d["triggers"]),
        kinds=tuple(d["kinds"]),
    )


def _adjusted(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    f = s.f
    if "schedule" in d:
        before = s.schedule
        s.schedule = _schedule(d["schedule"])
        _moved(before, s.schedule, (day, version), s.rescheduled)
        s.base_due = {m.key: m.due for m in s.schedule}
        s.extended_months = {}
        s.used = _months_used(s.original, s.schedule, s.exempt)
    if "location" in d:
        loc = d["location"]
        f.update(
            province=loc["province"], district=loc["district"], inside_industrial_zone=loc["iz"]
        )
    if "land" in d:
        f["land_square_metres"] = Decimal(d["land"])
    if "capital" in d:
        f["capital_dong"] = d["capital"]
    if "investors" in d:
        f.update(investors=tuple(d["investors"]), has_foreign_investor=d["foreign"])
    if "objectives" in d:
        f["objectives"] = d["objectives"]
    if "duration" in d:
        f["duration_years"] = d["duration"]
    f["pending_adjustment"] = None
    s.adjustments.append((day, version))


def _suspended(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    s.f["status"] = ProjectStatus.SUSPENDED
    s.f["suspension"] = Suspension(
        on=day,
        version=version,
        ground=SuspensionGround(d["ground"]),
        until=None if d["until"] is None else date.fromisoformat(d["until"]),
        authority_level=_level(d["level"]),
    )


def _resumed(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    _investor_acted(s, day, version)
    s.f["status"] = ProjectStatus.APPROVED
    s.f["suspension"] = None


def _terminated(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    if not d["partial"]:
        s.f["status"] = ProjectStatus.TERMINATED
        s.f["termination"] = Termination(
            on=day, version=version, ground=TerminationGround(d["ground"])
        )


def _review_decided(s: _Fold, d: Mapping[str, Any], day: date, version: int) -> None:
    s.decisions.append(
        Decision(
            on=day, version=version, track=d["track"], review_round=d["round"], authority=d["by"]
        )
    )


FACT_HANDLERS: Mapping[str, _FactHandler] = {
    "dautu.ProjectApproved": _approved,
    "dautu.MilestoneMet": _milestone_met,
    "dautu.DelayRecorded": _delay_recorded,
    "dautu.ScheduleExtended": _schedule_extended,
    "dautu.ViolationFound": _violation_found,
    "dautu.ViolationSanctioned": _violation_sanctioned,
    "dautu.ViolationRemedied": _violation_remedied,
    "dautu.AdjustmentRequested": _adjustment_requested,
    "dautu.ProjectAdjusted": _adjusted,
    "dautu.ProjectSuspended": _suspended,
    "dautu.ProjectResumed": _resumed,
    "dautu.ProjectTerminated": _terminated,
    "dautu.ReviewDecided": _review_decided,
}
"""What each event type does to the review's facts, by stable type name, mirroring
:data:`dautu_core.state.HANDLERS` (a property test checks they agree; a test fails when a type
of :data:`~dautu_core.events.EVENT_TYPES` has no entry in either). ``dautu.EventCorrected`` is
absent on purpose: :func:`effective_entries` applies corrections before the fold."""


def facts_as_of(
    timeline: ProjectTimeline, as_of: date, known_at: datetime | None = None
) -> ProjectFacts:
    """Fold ``timeline`` into :class:`ProjectFacts` as of ``as_of`` (see the module docstring)."""
    cutoff = as_of.isoformat()
    s = _Fold()
    version = 0
    handlers = FACT_HANDLERS
    for entry in effective_entries(timeline, known_at):
        if entry.effective > cutoff:
            continue
        version = max(version, entry.version)
        handler = handlers.get(entry.type_name)
        if handler is not None:
            handler(s, entry.data, date.fromisoformat(entry.effective), entry.version)
    late = {}
    for milestone in s.schedule:
        if milestone.key not in s.met and milestone.due < as_of:
            months = full_months_between(milestone.due, as_of)
            if months > 0:
                late[milestone.key] = months
    return ProjectFacts(
        project_code=timeline.project_code,
        as_of=as_of,
        late=late,
        version=version,
        schedule=s.schedule,
        milestones_met=s.met,
        delays=s.delays,
        rescheduled=s.rescheduled,
        extensions=tuple(s.extensions),
        base_due=s.base_due,
        extended_months=s.extended_months,
        extension_months_used=s.used,
        extension_months_exempt=s.exempt,
        violations=tuple(s.violations.values()),
        adjustments=tuple(s.adjustments),
        decisions=tuple(s.decisions),
        **s.f,
    )
