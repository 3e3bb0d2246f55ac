"""One given/when/then example per rule of the decider, each naming its citation.

The citation a refusal carries is compared with the one the rulebook in force states, so a
rulebook edit that changes a citation shows up here.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import attrs
import pytest

from dautu_core import (
    AdjustProject,
    Authority,
    CorrectEvent,
    CorrectionAction,
    DocumentRef,
    ExtendSchedule,
    ExtensionGround,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Milestone,
    MilestoneKind,
    Money,
    ProjectApproved,
    ProjectChanges,
    ProjectStatus,
    RecordDelay,
    RecordMilestoneMet,
    RecordViolation,
    Regime,
    RemedyViolation,
    RequestAdjustment,
    ResumeProject,
    Rulebooks,
    RuleViolation,
    SanctionViolation,
    Schedule,
    SuspendProject,
    SuspensionGround,
    TerminateProject,
    TerminationGround,
    ViolationCategory,
    decide,
)
from dautu_core.dates import add_months
from dautu_core.decider import event_from_command
from dautu_core.rulebook import BUILTIN_RULEBOOKS, LAW_61_2020, LAW_143_2025, RULE_IDS
from dautu_core.rules import CHECKS
from dautu_core.state import PendingAdjustment, ProjectState
from dautu_core.testing import DeciderSpec, sample_approval, sample_envelope, sample_schedule

CODE = "DA-0001"
APPROVED_ON = date(2022, 3, 15)
SPEC = DeciderSpec()
APPROVE = sample_approval(CODE, APPROVED_ON)
INSPECTORATE = Authority(name="Thanh tra Sở Kế hoạch và Đầu tư tỉnh Hải Dương")


def cite61(rule_id: str) -> str:
    return LAW_61_2020.cite(rule_id).cite()


def env(day: date) -> dict[str, Any]:
    return sample_envelope(CODE, day)


def violation(day: date, violation_id: str = "12/BB-VPHC") -> RecordViolation:
    return RecordViolation(
        **env(day),
        violation_id=violation_id,
        category=ViolationCategory.INVESTMENT,
        description="Chậm góp vốn so với tiến độ đã đăng ký",
        found_by=INSPECTORATE,
    )


def sanction(day: date, violation_id: str = "12/BB-VPHC") -> SanctionViolation:
    return SanctionViolation(
        **env(day),
        violation_id=violation_id,
        sanctioning_authority=Authority(name="Chủ tịch UBND tỉnh Hải Dương"),
        decision=DocumentRef(number="45/QĐ-XPHC", issued_on=day),
        fine=Money(80_000_000),
    )


def remedy(day: date, violation_id: str = "12/BB-VPHC") -> RemedyViolation:
    return RemedyViolation(**env(day), violation_id=violation_id, description="Đã góp đủ vốn")


def met(day: date, milestone: str = "capital_contribution") -> RecordMilestoneMet:
    return RecordMilestoneMet(**env(day), milestone=milestone)


def extend(day: date, months: int, ground: ExtensionGround | None = None) -> ExtendSchedule:
    return ExtendSchedule(**env(day), months=months, ground=ground)


def suspend(day: date) -> SuspendProject:
    return SuspendProject(**env(day), ground=SuspensionGround.INVESTOR_NOTICE)


def terminate(day: date) -> TerminateProject:
    return TerminateProject(**env(day), ground=TerminationGround.INVESTOR_DECISION)


def request(day: date, changes: ProjectChanges) -> RequestAdjustment:
    return RequestAdjustment(**env(day), changes=changes, description="Đề nghị điều chỉnh")


def adjust(day: date, changes: ProjectChanges, *, policy_adjusted: bool) -> AdjustProject:
    return AdjustProject(
        **env(day),
        changes=changes,
        authority=Authority(name="UBND tỉnh Hải Dương"),
        policy_adjusted=policy_adjusted,
    )


def test_every_rule_is_cited_by_every_builtin_rulebook() -> None:
    """Each rule id of RULE_IDS has a citation in every builtin rulebook (no uncited rule)."""
    for book in BUILTIN_RULEBOOKS.books:
        assert set(RULE_IDS) <= set(book.citations), book.id
    assert {c.__name__ for c in CHECKS} <= set(RULE_IDS)


# --- terminal_after_termination ------------------------------------------------------------


def test_terminated_project_accepts_nothing_but_corrections() -> None:
    """terminal_after_termination — Law 61/2020/QH14, Art. 48."""
    SPEC.given(APPROVE, terminate(date(2024, 1, 10))).when(met(date(2024, 2, 1))).then_raises(
        rule_id="terminal_after_termination",
        field="type",
        citation=cite61("terminal_after_termination"),
    )


def test_terminated_project_still_accepts_a_correction() -> None:
    """terminal_after_termination — Law 61/2020/QH14, Art. 48: corrections stay possible."""
    fix = CorrectEvent(
        **env(date(2024, 2, 1)),
        corrects_version=2,
        action=CorrectionAction.RETRACT,
        reason="Nhập nhầm hồ sơ",
    )
    delay = RecordDelay(**env(date(2023, 5, 1)), milestone="construction_start", reason="Chậm")
    SPEC.given(APPROVE, delay, terminate(date(2024, 1, 10))).when(fix).then(event_from_command(fix))


# --- approval_first ------------------------------------------------------------------------


def test_nothing_is_recorded_before_the_approval() -> None:
    """approval_first — Law 61/2020/QH14, Art. 32 (policy approval Art. 30-32, IRC Art. 37-38)."""
    SPEC.given().when(violation(date(2022, 5, 1))).then_raises(
        rule_id="approval_first", field="type", citation=cite61("approval_first")
    )


def test_a_project_is_approved_only_once() -> None:
    """approval_first — Law 61/2020/QH14, Art. 32: a second approval is an adjustment."""
    SPEC.given(APPROVE).when(sample_approval(CODE, date(2023, 1, 1))).then_raises(
        rule_id="approval_first", field="type", citation=cite61("approval_first")
    )


def test_the_approval_is_recorded_with_its_contents() -> None:
    """approval_first — Law 61/2020/QH14, Art. 32: the first fact of a project is accepted."""
    SPEC.given().when(APPROVE).then_state(
        status=ProjectStatus.APPROVED,
        approved_on=APPROVED_ON,
        has_policy_approval=True,
        original_schedule=sample_schedule(APPROVED_ON),
    )


# --- not_before_approval --------------------------------------------------------------------


def test_no_fact_takes_effect_before_the_approval() -> None:
    """not_before_approval — Law 61/2020/QH14, Art. 32."""
    SPEC.given(APPROVE).when(violation(date(2022, 3, 14))).then_raises(
        rule_id="not_before_approval",
        field="effective_date",
        citation=cite61("not_before_approval"),
        message_contains="2022-03-15",
    )


def test_a_fact_on_the_approval_day_is_accepted() -> None:
    """not_before_approval — Law 61/2020/QH14, Art. 32: the boundary day itself is allowed."""
    command = violation(APPROVED_ON)
    SPEC.given(APPROVE).when(command).then(event_from_command(command))


# --- correction_target_exists -------------------------------------------------------------


def test_a_correction_must_name_a_recorded_event() -> None:
    """correction_target_exists — structural rule of the record (dautu)."""
    fix = CorrectEvent(**env(date(2023, 1, 1)), corrects_version=7, action="retract", reason="Nhầm")
    SPEC.given(APPROVE).when(fix).then_raises(
        rule_id="correction_target_exists",
        field="corrects_version",
        citation=cite61("correction_target_exists"),
    )


def test_the_approval_can_be_amended_but_not_retracted() -> None:
    """correction_target_exists — structural rule of the record (dautu)."""
    fix = CorrectEvent(**env(date(2023, 1, 1)), corrects_version=1, action="retract", reason="Nhầm")
    SPEC.given(APPROVE).when(fix).then_raises(
        rule_id="correction_target_exists",
        field="action",
        citation=cite61("correction_target_exists"),
    )
    renamed = event_from_command(attrs.evolve(APPROVE, project_name="Nhà máy chế biến rau quả"))
    amend = CorrectEvent(
        **env(date(2023, 1, 1)),
        corrects_version=1,
        action="amend",
        reason="Sai tên dự án",
        replacement=renamed,
    )
    SPEC.given(APPROVE).when(amend).then_state(project_name="Nhà máy chế biến rau quả")


def test_a_replacement_must_be_of_the_same_type() -> None:
    """correction_target_exists — structural rule of the record (dautu)."""
    wrong = event_from_command(violation(date(2022, 6, 1)))
    amend = CorrectEvent(
        **env(date(2023, 1, 1)),
        corrects_version=1,
        action="amend",
        reason="Nhầm",
        replacement=wrong,
    )
    SPEC.given(APPROVE).when(amend).then_raises(
        rule_id="correction_target_exists", field="replacement"
    )


def test_a_correction_cannot_correct_a_correction() -> None:
    """correction_target_exists — structural rule of the record (dautu)."""
    first = CorrectEvent(
        **env(date(2023, 1, 1)), corrects_version=2, action="retract", reason="Nhầm"
    )
    second = CorrectEvent(
        **env(date(2023, 1, 2)), corrects_version=3, action="retract", reason="Nhầm lần nữa"
    )
    SPEC.given(APPROVE, violation(date(2022, 6, 1)), first).when(second).then_raises(
        rule_id="correction_target_exists", field="corrects_version"
    )


def test_a_correction_that_breaks_later_facts_is_refused() -> None:
    """violation_must_be_found, re-judged after a correction — Law 15/2012/QH13, Art. 3(1):
    retracting the finding would leave a sanction without a found violation."""
    fix = CorrectEvent(**env(date(2023, 1, 1)), corrects_version=2, action="retract", reason="Nhầm")
    SPEC.given(APPROVE, violation(date(2022, 6, 1)), sanction(date(2022, 7, 1))).when(
        fix
    ).then_raises(
        rule_id="violation_must_be_found",
        field="violation_id",
        citation=cite61("violation_must_be_found"),
    )


def test_an_amended_extension_is_judged_against_the_cap_again() -> None:
    """extension_cap, re-judged after a correction — Law 61/2020/QH14, Art. 41(4)."""
    longer = event_from_command(extend(date(2023, 6, 1), 25))
    fix = CorrectEvent(
        **env(date(2023, 9, 1)),
        corrects_version=2,
        action="amend",
        reason="Sai số tháng",
        replacement=longer,
    )
    SPEC.given(APPROVE, extend(date(2023, 6, 1), 12)).when(fix).then_raises(
        rule_id="extension_cap", field="months", citation=cite61("extension_cap")
    )


# --- milestone_known --------------------------------------------------------------------------


def test_progress_must_name_a_milestone_of_the_schedule() -> None:
    """milestone_known — Law 61/2020/QH14, Art. 40 (the IRC states the schedule)."""
    SPEC.given(APPROVE).when(met(date(2022, 9, 1), "phase:Giai đoạn 2")).then_raises(
        rule_id="milestone_known", field="milestone", citation=cite61("milestone_known")
    )


def test_a_milestone_is_met_only_once() -> None:
    """milestone_known — Law 61/2020/QH14, Art. 40."""
    SPEC.given(APPROVE, met(date(2022, 9, 1))).when(met(date(2022, 10, 1))).then_raises(
        rule_id="milestone_known", field="milestone", message_contains="capital_contribution"
    )


def test_no_delay_is_recorded_for_a_met_milestone() -> None:
    """milestone_known — Law 61/2020/QH14, Art. 40."""
    late = RecordDelay(**env(date(2022, 10, 1)), milestone="capital_contribution", reason="x")
    SPEC.given(APPROVE, met(date(2022, 9, 1))).when(late).then_raises(rule_id="milestone_known")


def test_an_extension_must_name_milestones_of_the_schedule() -> None:
    """milestone_known — Law 61/2020/QH14, Art. 40."""
    command = ExtendSchedule(**env(date(2023, 1, 1)), months=6, milestones=("handover",))
    SPEC.given(APPROVE).when(command).then_raises(rule_id="milestone_known", field="milestone")


def test_a_phase_named_in_nfd_is_the_phase_of_the_schedule() -> None:
    """milestone_known — Law 61/2020/QH14, Art. 40: a key typed in NFD names the NFC milestone."""
    schedule = Schedule((Milestone(MilestoneKind.PHASE, date(2023, 3, 15), "Giai đoạn 1"),))
    approve = sample_approval(CODE, APPROVED_ON, schedule=schedule)
    nfd_key = unicodedata.normalize("NFD", "phase:Giai đoạn 1")
    shift = ExtendSchedule(**env(date(2023, 1, 1)), months=6, milestones=(nfd_key,))
    SPEC.given(approve).when(shift).then_state(
        lambda s: s.schedule is not None and s.schedule.milestones[0].due == date(2023, 9, 15)
    )


# --- suspended_no_progress / resume_only_when_suspended -----------------------------------------


def test_a_suspended_project_records_no_progress() -> None:
    """suspended_no_progress — Law 61/2020/QH14, Art. 47."""
    SPEC.given(APPROVE, suspend(date(2022, 6, 1))).when(met(date(2022, 9, 1))).then_raises(
        rule_id="suspended_no_progress", field="milestone", citation=cite61("suspended_no_progress")
    )


def test_a_suspended_project_is_not_suspended_again() -> None:
    """suspended_no_progress — Law 61/2020/QH14, Art. 47."""
    SPEC.given(APPROVE, suspend(date(2022, 6, 1))).when(suspend(date(2022, 7, 1))).then_raises(
        rule_id="suspended_no_progress", field="type"
    )


def test_progress_is_recorded_again_after_resuming() -> None:
    """suspended_no_progress — Law 61/2020/QH14, Art. 47: resuming lifts the bar."""
    resume = ResumeProject(**env(date(2022, 8, 1)), reason="Đã khắc phục")
    SPEC.given(APPROVE, suspend(date(2022, 6, 1)), resume).when(met(date(2022, 9, 1))).then_state(
        status=ProjectStatus.APPROVED,
        milestones_met={"capital_contribution": date(2022, 9, 1)},
    )


def test_only_a_suspended_project_resumes() -> None:
    """resume_only_when_suspended — Law 61/2020/QH14, Art. 47."""
    resume = ResumeProject(**env(date(2022, 8, 1)))
    SPEC.given(APPROVE).when(resume).then_raises(
        rule_id="resume_only_when_suspended",
        field="type",
        citation=cite61("resume_only_when_suspended"),
    )


# --- extension_cap ----------------------------------------------------------------------------


def test_extensions_beyond_24_months_without_a_ground_are_refused() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4): at most 24 months in total."""
    SPEC.given(APPROVE, extend(date(2023, 1, 1), 18)).when(extend(date(2023, 6, 1), 7)).then_raises(
        rule_id="extension_cap",
        field="months",
        citation=cite61("extension_cap"),
        message_contains="24",
    )


def test_extensions_up_to_exactly_24_months_are_accepted() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4): the cap itself is allowed."""
    SPEC.given(APPROVE, extend(date(2023, 1, 1), 18)).when(extend(date(2023, 6, 1), 6)).then_state(
        lambda s: s.extension_months_left(LAW_61_2020.extension_cap_months) == 0,
        extension_months_used=24,
    )


def test_an_exception_ground_allows_more_and_is_not_counted() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4): force majeure, land handover delay...
    are exceptions; their months do not count towards the cap."""
    SPEC.given(APPROVE, extend(date(2023, 1, 1), 24)).when(
        extend(date(2023, 6, 1), 12, ExtensionGround.LAND_HANDOVER_DELAY)
    ).then_state(extension_months_used=24, extension_months_exempt=12)


def test_the_cap_applies_only_to_projects_with_a_policy_approval() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4) applies to policy-approved projects only."""
    irc_only = sample_approval(CODE, APPROVED_ON, regime=Regime.IRC)
    SPEC.given(irc_only, extend(date(2023, 1, 1), 24)).when(extend(date(2023, 6, 1), 6)).then_state(
        has_policy_approval=False
    )


def test_an_extension_shifts_the_unmet_milestones() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4): an extension moves what is not yet met."""

    def only_unmet_moved(state: ProjectState) -> bool:
        assert state.schedule is not None
        due = {m.key: m.due for m in state.schedule.milestones}
        return due == {
            "capital_contribution": date(2022, 9, 15),
            "construction_start": date(2023, 9, 15),
            "operation_start": date(2024, 9, 15),
        }

    SPEC.given(APPROVE, met(date(2022, 9, 1))).when(extend(date(2023, 1, 1), 6)).then_state(
        only_unmet_moved
    )


# --- violation_id_unique / violation_must_be_found -----------------------------------------------


def test_a_violation_id_is_recorded_once() -> None:
    """violation_id_unique — structural rule of the record (dautu)."""
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(violation(date(2022, 7, 1))).then_raises(
        rule_id="violation_id_unique", field="violation_id", citation=cite61("violation_id_unique")
    )


def test_only_a_found_violation_is_sanctioned() -> None:
    """violation_must_be_found — Law 15/2012/QH13, Art. 3(1) (recollection)."""
    SPEC.given(APPROVE).when(sanction(date(2022, 7, 1))).then_raises(
        rule_id="violation_must_be_found",
        field="violation_id",
        citation=cite61("violation_must_be_found"),
    )


def test_only_a_found_violation_is_remedied() -> None:
    """violation_must_be_found — Law 15/2012/QH13, Art. 3(1) (recollection)."""
    SPEC.given(APPROVE).when(remedy(date(2022, 7, 1))).then_raises(
        rule_id="violation_must_be_found", field="violation_id"
    )


def test_no_sanction_is_dated_before_the_finding() -> None:
    """violation_must_be_found — Law 15/2012/QH13, Art. 3(1) (recollection)."""
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(sanction(date(2022, 5, 31))).then_raises(
        rule_id="violation_must_be_found", field="effective_date"
    )


def test_a_violation_is_sanctioned_once_and_remedied_once() -> None:
    """violation_must_be_found — Law 15/2012/QH13, Art. 3(1) (recollection)."""
    found = violation(date(2022, 6, 1))
    SPEC.given(APPROVE, found, sanction(date(2022, 7, 1))).when(
        sanction(date(2022, 8, 1))
    ).then_raises(rule_id="violation_must_be_found", message_contains="sanctioned")
    SPEC.given(APPROVE, found, remedy(date(2022, 7, 1))).when(remedy(date(2022, 8, 1))).then_raises(
        rule_id="violation_must_be_found", message_contains="remedied"
    )


def test_a_sanction_alone_leaves_the_violation_open() -> None:
    """violation_must_be_found — Law 15/2012/QH13, Art. 3(1): open until remedied."""
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(sanction(date(2022, 7, 1))).then_state(
        lambda s: (
            s.open_violations_by_category() == {ViolationCategory.INVESTMENT: 1}
            and s.violations["12/BB-VPHC"].fine == Money(80_000_000)
        )
    )
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(remedy(date(2022, 7, 1))).then_state(
        lambda s: s.open_violations_by_category() == {}
    )


# --- policy_adjustment_triggers (Art. 41(3)) and the refusal in decide ----------------------------

_CAPITAL_100 = APPROVE.capital


@pytest.mark.parametrize(
    ("changes", "trigger"),
    [
        (ProjectChanges(objectives="Sản xuất bao bì"), "objectives_change"),
        (
            ProjectChanges(location=Location(province="Hải Dương", district="huyện Tứ Kỳ")),
            "location_change",
        ),
        (ProjectChanges(investors=(Investor(name="Công ty Khác (hư cấu)"),)), "investor_change"),
        (ProjectChanges(duration_years=30), "duration_change"),
        (ProjectChanges(land_area=LandArea.from_hectares("5.5")), "land_change:10.0%,0.50ha"),
        (ProjectChanges(capital=Money.from_billion(120)), "capital_change:20%"),
        (
            ProjectChanges(schedule=sample_schedule(add_months(APPROVED_ON, 13))),
            "schedule_beyond_first:13m",
        ),
    ],
)
def test_each_policy_adjustment_trigger(changes: ProjectChanges, trigger: str) -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3) (clause number recollected):
    objectives, location, investor, duration, land >=10% or >30 ha, capital >=20%, schedule
    more than 12 months beyond the first approval."""
    command = request(date(2023, 1, 1), changes)
    SPEC.given(APPROVE).when(command).then(
        event_from_command(command, policy_adjustment_required=True, triggers=(trigger,))
    )


@pytest.mark.parametrize(
    "changes",
    [
        ProjectChanges(land_area=LandArea.from_hectares("5.49")),
        ProjectChanges(capital=Money.from_billion("119.9")),
        ProjectChanges(schedule=sample_schedule(add_months(APPROVED_ON, 12))),
        ProjectChanges(objectives=APPROVE.objectives),
    ],
)
def test_changes_under_the_thresholds_need_no_policy_adjustment(changes: ProjectChanges) -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3): below 10% of land, 20% of
    capital, 12 months of schedule (and an unchanged objective) the IRC alone is adjusted."""
    SPEC.given(APPROVE).when(request(date(2023, 1, 1), changes)).then_state(
        policy_adjustment_pending=False,
        pending_adjustment=_pending(changes, required=False, triggers=()),
    )


def _pending(
    changes: ProjectChanges, *, required: bool, triggers: tuple[str, ...]
) -> PendingAdjustment:
    return PendingAdjustment(
        requested_on=date(2023, 1, 1),
        version=2,
        changes=changes,
        policy_adjustment_required=required,
        triggers=triggers,
    )


def test_more_than_30_hectares_triggers_even_under_10_percent() -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3): >30 ha whatever the share."""
    big = sample_approval(CODE, APPROVED_ON, land_area=LandArea.from_hectares(400))
    command = request(date(2023, 1, 1), ProjectChanges(land_area=LandArea.from_hectares(431)))
    SPEC.given(big).when(command).then(
        event_from_command(
            command, policy_adjustment_required=True, triggers=("land_change:7.8%,31.00ha",)
        )
    )


def test_a_project_without_policy_approval_needs_no_policy_adjustment() -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3) concerns projects whose policy
    was approved; for an IRC-only project the trigger is recorded but nothing is required."""
    irc_only = sample_approval(CODE, APPROVED_ON, regime=Regime.IRC)
    command = request(date(2023, 1, 1), ProjectChanges(objectives="Sản xuất bao bì"))
    SPEC.given(irc_only).when(command).then(
        event_from_command(
            command, policy_adjustment_required=False, triggers=("objectives_change",)
        )
    )


def test_an_adjustment_that_needs_a_policy_adjustment_must_say_it_had_one() -> None:
    """policy_adjustment_triggers (refusal in decide) — Law 61/2020/QH14, Art. 41(3)."""
    changes = ProjectChanges(capital=Money.from_billion(150))
    SPEC.given(APPROVE).when(adjust(date(2023, 3, 1), changes, policy_adjusted=False)).then_raises(
        rule_id="policy_adjustment_triggers",
        field="policy_adjusted",
        citation=cite61("policy_adjustment_triggers"),
        message_contains="capital_change:50%",
    )
    SPEC.given(APPROVE, request(date(2023, 1, 1), changes)).when(
        adjust(date(2023, 3, 1), changes, policy_adjusted=True)
    ).then_state(capital=Money.from_billion(150), pending_adjustment=None, adjustments=1)


def test_a_request_leaves_a_pending_policy_adjustment() -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3): reviewers see it pending."""
    changes = ProjectChanges(capital=Money.from_billion(130))
    SPEC.given(APPROVE).when(request(date(2023, 1, 1), changes)).then_state(
        policy_adjustment_pending=True
    )


# --- the rulebook in force at the effective date ---------------------------------------------------


def test_a_capital_change_is_judged_by_the_law_in_force_on_its_date() -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3) until 28 Feb 2026; Law
    143/2025/QH15 from 1 Mar 2026 removed capital-change triggers (parameter
    capital_change_triggers)."""
    changes = ProjectChanges(capital=Money.from_billion(150))
    before = adjust(date(2026, 2, 28), changes, policy_adjusted=False)
    after = adjust(date(2026, 3, 1), changes, policy_adjusted=False)
    SPEC.given(APPROVE).when(before).then_raises(
        rule_id="policy_adjustment_triggers",
        citation=LAW_61_2020.cite("policy_adjustment_triggers").cite(),
    )
    SPEC.given(APPROVE).when(after).then(event_from_command(after))
    on_last_day = request(date(2026, 2, 28), changes)
    on_first_day = request(date(2026, 3, 1), changes)
    SPEC.given(APPROVE).when(on_last_day).then(
        event_from_command(
            on_last_day, policy_adjustment_required=True, triggers=("capital_change:50%",)
        )
    )
    SPEC.given(APPROVE).when(on_first_day).then(
        event_from_command(on_first_day, policy_adjustment_required=False, triggers=())
    )


def test_refusals_under_law_143_2025_cite_that_law() -> None:
    """extension_cap — Law 143/2025/QH15 (article not verified: parameter of the rulebook)."""
    SPEC.given(APPROVE, extend(date(2026, 1, 1), 20)).when(extend(date(2026, 3, 1), 5)).then_raises(
        rule_id="extension_cap", citation=LAW_143_2025.cite("extension_cap").cite()
    )


def test_a_province_rulebook_replaces_the_builtin_one() -> None:
    """extension_cap — a province's own reading (here a fictional 12-month cap with its own
    citation) replaces the builtin book through Rulebooks.replace."""
    local = LegalBasis(instrument="99/2022/QĐ-UBND", note="fictional provincial rule")
    province_book = attrs.evolve(
        LAW_61_2020,
        extension_cap_months=12,
        citations={**LAW_61_2020.citations, "extension_cap": local},
    )
    spec = DeciderSpec(rulebooks=BUILTIN_RULEBOOKS.replace([province_book]))
    spec.given(APPROVE).when(extend(date(2023, 1, 1), 13)).then_raises(
        rule_id="extension_cap", field="months", citation=local.cite()
    )
    SPEC.given(APPROVE).when(extend(date(2023, 1, 1), 13)).then_state(extension_months_used=13)


def test_no_rulebook_in_force_is_a_refusal() -> None:
    """rulebook_in_force — a date no rulebook covers is refused, not judged by a guess."""
    only_61 = DeciderSpec(rulebooks=Rulebooks((LAW_61_2020,)))
    only_61.given().when(sample_approval(CODE, date(2019, 5, 1))).then_raises(
        rule_id="rulebook_in_force", field="effective_date", citation=False
    )


def test_an_event_of_another_project_is_refused() -> None:
    """same_project — structural rule: a project's state only takes its own project's events."""
    other = RecordViolation(
        **sample_envelope("DA-0002", date(2022, 6, 1)),
        violation_id="1",
        category=ViolationCategory.LAND,
        description="Sử dụng đất sai mục đích",
        found_by=INSPECTORATE,
    )
    state = SPEC.given(APPROVE).state
    with pytest.raises(RuleViolation) as caught:
        decide(other, state)
    assert (caught.value.rule_id, caught.value.field) == ("same_project", "project_code")
    assert "DA-0002" in caught.value.message_en and "DA-0001" in caught.value.message_en


def test_a_correction_that_makes_an_adjustment_need_a_policy_adjustment_is_refused() -> None:
    """policy_adjustment_triggers, re-judged after a correction — Law 61/2020/QH14, Art. 41(3):
    amending an IRC-only approval into a policy approval makes an earlier change of objectives
    one that needed a policy adjustment."""
    irc_only = sample_approval(CODE, APPROVED_ON, regime=Regime.IRC)
    new_objectives = adjust(
        date(2023, 1, 1), ProjectChanges(objectives="Sản xuất bao bì"), policy_adjusted=False
    )
    approved = event_from_command(irc_only)
    assert isinstance(approved, ProjectApproved)
    as_policy = attrs.evolve(approved, regime=Regime.POLICY_APPROVAL_AND_IRC)
    fix = CorrectEvent(
        **env(date(2023, 6, 1)),
        corrects_version=1,
        action="amend",
        reason="Sai hình thức",
        replacement=as_policy,
    )
    SPEC.given(irc_only, new_objectives).when(fix).then_raises(
        rule_id="policy_adjustment_triggers",
        field="policy_adjusted",
        citation=cite61("policy_adjustment_triggers"),
        message_contains="objectives_change",
    )
