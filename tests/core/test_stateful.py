"""A stateful test: random commands, valid or not, against the rules and the fold.

Whatever sequence of commands is tried, the accepted ones must yield events whose fold is the
live state (also after a trip through the stored form), a terminated project must accept nothing
but corrections, extension months without a ground must stay within the cap of the rulebook in
force for policy-approved projects, a refusal must change nothing, and the same command typed
in NFD must give the very same record as in NFC.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dautu_core import (
    GENESIS,
    AdjustProject,
    Authority,
    CorrectEvent,
    CorrectionAction,
    DelayRecorded,
    DocumentRef,
    EventCorrected,
    ExtendSchedule,
    ExtensionGround,
    LandArea,
    Milestone,
    MilestoneKind,
    Money,
    ProjectApproved,
    ProjectChanges,
    ProjectEvent,
    ProjectStatus,
    RecordDelay,
    RecordMilestoneMet,
    RecordReviewDecision,
    RecordViolation,
    Regime,
    RemedyViolation,
    RequestAdjustment,
    ResumeProject,
    ReviewDecided,
    Rulebooks,
    RuleViolation,
    SanctionViolation,
    Schedule,
    ScheduleExtended,
    StoredRecord,
    SuspendProject,
    SuspensionGround,
    TerminateProject,
    TerminationGround,
    ViolationCategory,
    ViolationFound,
    decide,
    evolve,
    fold,
    make_record,
)
from dautu_core.commands import Command
from dautu_core.dates import add_months
from dautu_core.rulebook import BUILTIN_RULEBOOKS, LAW_143_2025
from dautu_core.state import ProjectState, effective_history
from dautu_core.testing import sample_approval, sample_envelope, sample_schedule
from dautu_core.testing import strategies as s

CODE = "DA-0001"
OFFSETS = st.integers(-5, 30)
"""Commands are dated around the clock: mostly after the approval, sometimes before it."""
TEXT = s.vietnamese_text(max_words=3)
VIOLATION_IDS = st.sampled_from(("1/BB-VPHC", "2/BB-VPHC", "3/BB-VPHC"))
MILESTONES = st.sampled_from(
    (
        "capital_contribution",
        "construction_start",
        "operation_start",
        "phase:Giai đoạn 1",
        "handover",
    )
)
"""The keys of SCHEDULE, and one key that is in no schedule."""
SCHEDULE = Schedule(
    (
        *sample_schedule(date(2025, 6, 1)).milestones,
        Milestone(MilestoneKind.PHASE, date(2027, 6, 1), "Giai đoạn 1"),
    )
)
AUTHORITY = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương")
REWORDABLE = {
    ProjectApproved: "project_name",
    ViolationFound: "description",
    DelayRecorded: "reason",
    ReviewDecided: "track",
}


class ProjectMachine(RuleBasedStateMachine):
    """One project; a clock that moves forward; commands dated around the clock."""

    rulebooks: Rulebooks = BUILTIN_RULEBOOKS

    def __init__(self) -> None:
        super().__init__()
        self.state = ProjectState()
        self.accepted: list[ProjectEvent] = []
        self.clock = date(2025, 6, 1)
        self.refusals = 0

    # --- the submission every rule goes through -------------------------------------------------

    def submit(self, command: Command) -> None:
        before = self.state
        before_events = before.events()
        was_terminated = before.status is ProjectStatus.TERMINATED
        twin = s.nfd_variant(command)
        assert twin == command
        try:
            produced = decide(command, before, self.rulebooks)
        except RuleViolation as refusal:
            self.refusals += 1
            assert refusal.project_code == CODE
            assert refusal.rule_id and refusal.field
            assert refusal.message_vi.strip() and refusal.message_en.strip()
            try:
                decide(twin, before, self.rulebooks)
            except RuleViolation as twin_refusal:
                assert str(twin_refusal) == str(refusal)
            else:
                raise AssertionError("the NFD twin of a refused command was accepted") from None
            assert self.state == before and self.state.events() == before_events
            return
        twin_produced = decide(twin, before, self.rulebooks)
        assert twin_produced == produced
        assert [make_record(e, GENESIS) for e in twin_produced] == [
            make_record(e, GENESIS) for e in produced
        ]
        if was_terminated:
            assert all(isinstance(e, EventCorrected) for e in produced), produced
        for event in produced:
            self.state = evolve(self.state, event)
            self.accepted.append(event)

    def env(self, offset_days: int) -> dict[str, Any]:
        return sample_envelope(CODE, self.clock + timedelta(days=offset_days))

    # --- rules ---------------------------------------------------------------------------------

    @rule(days=st.integers(0, 150))
    def time_passes(self, days: int) -> None:
        self.clock += timedelta(days=days)

    @initialize(skip=st.integers(0, 4), regime=st.sampled_from(list(Regime)))
    def maybe_approve_first(self, skip: int, regime: Regime) -> None:
        if skip < 4:
            self.submit(sample_approval(CODE, self.clock, regime=regime, schedule=SCHEDULE))

    @rule(offset=st.integers(-30, 5), regime=st.sampled_from(list(Regime)))
    def approve(self, offset: int, regime: Regime) -> None:
        day = self.clock + timedelta(days=offset)
        self.submit(sample_approval(CODE, day, regime=regime, schedule=SCHEDULE))

    @rule(offset=OFFSETS, milestone=MILESTONES)
    def milestone_met(self, offset: int, milestone: str) -> None:
        self.submit(RecordMilestoneMet(**self.env(offset), milestone=milestone))

    @rule(offset=OFFSETS, milestone=MILESTONES, reason=TEXT)
    def delay(self, offset: int, milestone: str, reason: str) -> None:
        self.submit(RecordDelay(**self.env(offset), milestone=milestone, reason=reason))

    @rule(
        offset=OFFSETS,
        months=st.integers(1, 30),
        ground=st.sampled_from((None, None, None, *ExtensionGround)),
        milestones=st.lists(MILESTONES, max_size=2, unique=True),
    )
    def extend(
        self, offset: int, months: int, ground: ExtensionGround | None, milestones: list[str]
    ) -> None:
        self.submit(
            ExtendSchedule(**self.env(offset), months=months, ground=ground, milestones=milestones)
        )

    @rule(
        offset=OFFSETS,
        violation_id=VIOLATION_IDS,
        category=st.sampled_from(list(ViolationCategory)),
        description=TEXT,
    )
    def find_violation(
        self, offset: int, violation_id: str, category: ViolationCategory, description: str
    ) -> None:
        self.submit(
            RecordViolation(
                **self.env(offset),
                violation_id=violation_id,
                category=category,
                description=description,
                found_by=AUTHORITY,
            )
        )

    @rule(offset=OFFSETS, violation_id=VIOLATION_IDS, millions=st.integers(1, 300))
    def sanction(self, offset: int, violation_id: str, millions: int) -> None:
        env = self.env(offset)
        self.submit(
            SanctionViolation(
                **env,
                violation_id=violation_id,
                sanctioning_authority=AUTHORITY,
                decision=DocumentRef(number="7/QĐ-XPHC", issued_on=env["effective_date"]),
                fine=Money(millions * 1_000_000),
            )
        )

    @rule(offset=OFFSETS, violation_id=VIOLATION_IDS, description=TEXT)
    def remedy(self, offset: int, violation_id: str, description: str) -> None:
        self.submit(
            RemedyViolation(**self.env(offset), violation_id=violation_id, description=description)
        )

    def _changes(self, data: st.DataObject) -> ProjectChanges:
        kind = data.draw(st.sampled_from(("capital", "land", "schedule", "objectives")))
        if kind == "capital":
            return ProjectChanges(capital=Money.from_billion(data.draw(st.integers(50, 200))))
        if kind == "land":
            return ProjectChanges(land_area=LandArea.from_hectares(data.draw(st.integers(1, 60))))
        if kind == "schedule" and self.state.schedule is not None:
            months = data.draw(st.integers(0, 30))
            moved = [
                attrs.evolve(m, due=add_months(m.due, months))
                for m in self.state.schedule.milestones
            ]
            return ProjectChanges(schedule=attrs.evolve(self.state.schedule, milestones=moved))
        return ProjectChanges(objectives=data.draw(TEXT))

    @rule(offset=OFFSETS, data=st.data())
    def request_adjustment(self, offset: int, data: st.DataObject) -> None:
        changes = self._changes(data)
        self.submit(
            RequestAdjustment(**self.env(offset), changes=changes, description=data.draw(TEXT))
        )

    @rule(offset=OFFSETS, data=st.data(), policy_adjusted=st.booleans())
    def adjust(self, offset: int, data: st.DataObject, policy_adjusted: bool) -> None:
        self.submit(
            AdjustProject(
                **self.env(offset),
                changes=self._changes(data),
                authority=AUTHORITY,
                policy_adjusted=policy_adjusted,
            )
        )

    @rule(offset=OFFSETS, ground=st.sampled_from(list(SuspensionGround)))
    def suspend(self, offset: int, ground: SuspensionGround) -> None:
        self.submit(SuspendProject(**self.env(offset), ground=ground))

    @rule(offset=OFFSETS, reason=st.none() | TEXT)
    def resume(self, offset: int, reason: str | None) -> None:
        self.submit(ResumeProject(**self.env(offset), reason=reason))

    @rule(
        offset=OFFSETS,
        ground=st.sampled_from(list(TerminationGround)),
        partial=st.sampled_from((True,) * 7 + (False,)),
    )
    def terminate(self, offset: int, ground: TerminationGround, partial: bool) -> None:
        # Mostly partial terminations, so that most runs live long enough to be interesting.
        self.submit(TerminateProject(**self.env(offset), ground=ground, partial=partial))

    @rule(offset=OFFSETS, track=st.sampled_from(("terminate", "complete_procedures")))
    def review(self, offset: int, track: str) -> None:
        self.submit(
            RecordReviewDecision(
                **self.env(offset), track=track, review_round="2025-1", authority=AUTHORITY
            )
        )

    @rule(offset=OFFSETS, data=st.data())
    def correct(self, offset: int, data: st.DataObject) -> None:
        recorded = dict(self.state.events())
        version = data.draw(st.integers(1, len(recorded) + 1))
        target = recorded.get(version)
        amend = data.draw(st.booleans())
        replacement: ProjectEvent | None = None
        if amend and target is not None:
            changed: dict[str, Any] = {}
            if isinstance(target, ScheduleExtended):
                changed = {"months": data.draw(st.integers(1, 30))}
            elif type(target) in REWORDABLE:
                changed = {REWORDABLE[type(target)]: data.draw(TEXT)}
            replacement = attrs.evolve(target, **changed)
        elif amend:
            replacement = self.accepted[0] if self.accepted else None
        self.submit(
            CorrectEvent(
                **self.env(offset),
                corrects_version=version,
                action=CorrectionAction.AMEND if replacement else CorrectionAction.RETRACT,
                reason=data.draw(TEXT),
                replacement=replacement,
            )
        )

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def fold_of_accepted_events_is_the_live_state(self) -> None:
        assert fold(self.accepted) == self.state
        stored = [
            StoredRecord(CODE, i, i, e.TYPE_NAME, make_record(e, GENESIS)).event()
            for i, e in enumerate(self.accepted, start=1)
        ]
        assert fold(stored) == self.state

    @invariant()
    def extension_months_are_measured_and_capped(self) -> None:
        # Measured independently of the core: how far the schedule runs past the first
        # approval's (started months), less the months granted on an exception ground.
        effective = [e for _, e in effective_history(self.state.events())]
        extensions = [e for e in effective if isinstance(e, ScheduleExtended)]
        exempt = sum(e.months for e in extensions if e.ground is not None)
        assert self.state.extension_months_exempt == exempt
        approvals = [e for e in effective if isinstance(e, ProjectApproved)]
        if not approvals or self.state.schedule is None:
            assert self.state.extension_months_used == 0
            return
        first, now = approvals[0].schedule, self.state.schedule
        shifts = [_started_months(m.due, now.get(m.key).due) for m in first.milestones]  # type: ignore[union-attr]
        assert first.last_due is not None and now.last_due is not None
        slip = max([0, _started_months(first.last_due, now.last_due), *shifts])
        assert self.state.extension_months_used == max(0, slip - exempt)
        grew = self.state.extension_months_used > getattr(self, "_used_before", 0)
        if grew and self.state.has_policy_approval and self.accepted:
            last = self.accepted[-1]
            cap = self.rulebooks.in_force(last.effective_date, CODE).extension_cap_months
            assert self.state.extension_months_used <= cap
        self._used_before = self.state.extension_months_used

    @invariant()
    def approval_comes_first(self) -> None:
        if self.accepted:
            assert isinstance(self.accepted[0], ProjectApproved)
            approved_on = self.accepted[0].effective_date
            assert all(e.effective_date >= approved_on for e in self.accepted)


ProjectMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestProjectMachine = ProjectMachine.TestCase


class ProvinceBookMachine(ProjectMachine):
    """The same, under a province book that lowers the cap to 18 months from 1 Mar 2026."""

    rulebooks = BUILTIN_RULEBOOKS.replace([attrs.evolve(LAW_143_2025, extension_cap_months=18)])


ProvinceBookMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestProvinceBookMachine = ProvinceBookMachine.TestCase


def _started_months(start: date, end: date) -> int:
    """Months from ``start`` to ``end``, a started month counting as one (by stepping)."""
    months = 0
    while add_months(start, months) < end:
        months += 1
    return months
