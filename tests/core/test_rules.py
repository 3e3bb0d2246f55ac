"""One given/when/then example per invariant of the decider, each naming its citation.

The citation a refusal carries is compared with a literal pinned in rule_helpers.py (never
read back from the rulebook), so a wrong article fails here. Policy adjustment and the choice of
rulebook by date are in test_rules_adjustment.py.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_core import (
    AdjustProject,
    CorrectEvent,
    CorrectionAction,
    ExtendSchedule,
    ExtensionGround,
    Milestone,
    MilestoneKind,
    Money,
    ProjectChanges,
    ProjectStatus,
    RecordDelay,
    RecordMilestoneMet,
    RecordReviewDecision,
    RecordViolation,
    Regime,
    RequestAdjustment,
    ResumeProject,
    Schedule,
    SuspendProject,
    SuspensionGround,
    ViolationCategory,
)
from dautu_core.dates import add_months
from dautu_core.decider import event_from_command
from dautu_core.errors import RuleViolation
from dautu_core.events import AdjustmentRequested, EventCorrected
from dautu_core.rulebook import BUILTIN_RULEBOOKS, LAW_61_2020, LAW_143_2025, RULE_IDS
from dautu_core.rules import (
    BASIS_NOT_REQUIRED,
    CHECKS,
    RECORDED_AT_TOLERANCE,
    recorded_not_in_future,
)
from dautu_core.state import ProjectState
from dautu_core.testing import sample_approval, sample_envelope, sample_schedule
from dautu_core.values import Authority, LegalBasis
from dautu_core.vocab import AuthorityLevel

from .rule_helpers import (
    APPROVE,
    APPROVED_ON,
    CODE,
    INSPECTORATE,
    LAW_61_CITATIONS,
    LAW_143_CITATIONS,
    SPEC,
    cite61,
    env,
    extend,
    met,
    remedy,
    sanction,
    suspend,
    terminate,
    violation,
)


def test_every_rule_is_cited_by_every_builtin_rulebook() -> None:
    """Each rule id of RULE_IDS has a citation in every builtin rulebook (no uncited rule)."""
    for book in BUILTIN_RULEBOOKS.books:
        assert set(RULE_IDS) <= set(book.citations), book.id
    assert {c.__name__ for c in CHECKS} <= set(RULE_IDS)


def test_every_citation_of_the_invariant_rulebooks_is_the_pinned_one() -> None:
    """The rulebooks cite exactly the pinned literals (a changed citation is a visible edit)."""
    for book, pinned in ((LAW_61_2020, LAW_61_CITATIONS), (LAW_143_2025, LAW_143_CITATIONS)):
        assert set(pinned) == set(RULE_IDS), book.id
        assert {rule: book.cite(rule).cite() for rule in RULE_IDS} == pinned, book.id


# --- legal_basis_required and authority_exists: what enters the record now -----------------


@pytest.mark.parametrize(
    "command",
    [
        lambda day, **e: RecordViolation(
            **(env(day) | e),
            violation_id="1/BB",
            category=ViolationCategory.LAND,
            description="Sử dụng đất sai mục đích",
            found_by=INSPECTORATE,
        ),
        lambda day, **e: RecordMilestoneMet(**(env(day) | e), milestone="capital_contribution"),
        lambda day, **e: ExtendSchedule(**(env(day) | e), months=6),
        lambda day, **e: SuspendProject(**(env(day) | e), ground=SuspensionGround.INVESTOR_NOTICE),
        lambda day, **e: RecordReviewDecision(
            **(env(day) | e),
            track="complete_procedures",
            review_round="2024-02",
            authority=INSPECTORATE,
        ),
    ],
    ids=["violation", "milestone", "extension", "suspension", "review_decision"],
)
def test_a_decision_or_finding_without_legal_basis_is_refused(command: Any) -> None:
    """legal_basis_required — dautu's record rule (the review of 21 Feb 2024: handling rests
    on the law): a decision or a finding with an empty legal basis is refused, naming the
    rule, the field and why."""
    day = date(2023, 1, 5)
    bare = command(day, legal_basis=(), documents=())
    refusal = (
        SPEC.given(APPROVE)
        .when(bare)
        .then_raises(
            rule_id="legal_basis_required",
            field="legal_basis",
            citation=LAW_61_CITATIONS["legal_basis_required"],
            message_contains=bare.EVENT.TYPE_NAME,
        )
    )
    assert "căn cứ pháp lý" in refusal.message_vi and "legal basis" in refusal.message_en
    with_basis = command(day, legal_basis=(LegalBasis(instrument="61/2020/QH14", article="47"),))
    SPEC.given(APPROVE).when(with_basis).then(event_from_command(with_basis))


def test_an_approval_without_legal_basis_is_refused() -> None:
    """legal_basis_required — the approval itself is a decision (Art. 30-32, 37-38)."""
    bare = attrs.evolve(APPROVE, legal_basis=())
    SPEC.given().when(bare).then_raises(rule_id="legal_basis_required", field="legal_basis")


def test_a_request_and_a_retraction_need_no_basis_but_a_replacement_does() -> None:
    """legal_basis_required — exempt kinds: the investor's request (not a decision; the
    adjustment that answers it is) and a correction of the record (its replacement is judged
    as the event it replaces)."""
    assert set(BASIS_NOT_REQUIRED) == {AdjustmentRequested, EventCorrected}
    req = RequestAdjustment(
        **sample_envelope(CODE, date(2023, 1, 5), legal_basis=()),
        changes=ProjectChanges(duration_years=40),
        description="Đề nghị giảm thời hạn",
    )
    SPEC.given(APPROVE).when(req).then_state(policy_adjustment_pending=True)
    milestone = met(date(2022, 9, 1))
    retract = CorrectEvent(
        **sample_envelope(CODE, date(2022, 10, 1), legal_basis=()),
        corrects_version=2,
        action=CorrectionAction.RETRACT,
        reason="Ghi nhầm",
    )
    SPEC.given(APPROVE, milestone).when(retract).then_state(milestones_met={})
    replaced = attrs.evolve(event_from_command(milestone), legal_basis=())
    amend = attrs.evolve(retract, action=CorrectionAction.AMEND, replacement=replaced)
    SPEC.given(APPROVE, milestone).when(amend).then_raises(
        rule_id="legal_basis_required", field="replacement.legal_basis"
    )


def test_no_district_level_authority_acts_from_1_july_2025() -> None:
    """authority_exists — district-level government was abolished on 1 Jul 2025 (DOMAIN [V];
    the abolishing instrument is cited as not verified)."""
    district = Authority(name="UBND huyện Gia Lộc", level=AuthorityLevel.DISTRICT)
    commune = Authority(name="UBND xã Gia Lộc", level=AuthorityLevel.COMMUNE)

    def found_by(day: date, who: Authority) -> RecordViolation:
        return RecordViolation(
            **env(day),
            violation_id="2/BB",
            category=ViolationCategory.INVESTMENT,
            description="Chậm tiến độ",
            found_by=who,
        )

    last_day = found_by(date(2025, 6, 30), district)
    SPEC.given(APPROVE).when(last_day).then(event_from_command(last_day))
    SPEC.given(APPROVE).when(found_by(date(2025, 7, 1), district)).then_raises(
        rule_id="authority_exists",
        field="found_by",
        citation=LAW_61_CITATIONS["authority_exists"],
        message_contains="UBND huyện Gia Lộc",
    )
    SPEC.given(APPROVE).when(found_by(date(2026, 3, 1), district)).then_raises(
        rule_id="authority_exists", citation=LAW_143_CITATIONS["authority_exists"]
    )
    after = found_by(date(2025, 7, 1), commune)
    SPEC.given(APPROVE).when(after).then(event_from_command(after))


def test_the_chairperson_approver_under_law_143_is_a_documented_parameter() -> None:
    """Law 143/2025/QH15: the provincial chairperson approves investment policy for 13
    categories (verified; the list is not): documented, not checked."""
    assert LAW_61_2020.provincial_policy_approver is None
    assert LAW_143_2025.provincial_policy_approver == (
        "Chủ tịch UBND cấp tỉnh / chairperson of the provincial People's Committee"
    )
    assert any("chairperson" in a and "13 categories" in a for a in LAW_143_2025.assumptions)


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
    """approval_first — Law 61/2020/QH14, Art. 30-32 (policy approval) and 37-38 (IRC)."""
    SPEC.given().when(violation(date(2022, 5, 1))).then_raises(
        rule_id="approval_first", field="type", citation=cite61("approval_first")
    )


def test_a_project_is_approved_only_once() -> None:
    """approval_first — Law 61/2020/QH14, Art. 30-32, 37-38: a second approval is an adjustment."""
    SPEC.given(APPROVE).when(sample_approval(CODE, date(2023, 1, 1))).then_raises(
        rule_id="approval_first", field="type", citation=cite61("approval_first")
    )


def test_the_approval_is_recorded_with_its_contents() -> None:
    """approval_first — Law 61/2020/QH14, Art. 30-32, 37-38: the first fact of a project is accepted."""
    SPEC.given().when(APPROVE).then_state(
        status=ProjectStatus.APPROVED,
        approved_on=APPROVED_ON,
        has_policy_approval=True,
        original_schedule=sample_schedule(APPROVED_ON),
    )


# --- not_before_approval --------------------------------------------------------------------


def test_no_fact_takes_effect_before_the_approval() -> None:
    """not_before_approval — Law 61/2020/QH14, Art. 30-32, 37-38."""
    SPEC.given(APPROVE).when(violation(date(2022, 3, 14))).then_raises(
        rule_id="not_before_approval",
        field="effective_date",
        citation=cite61("not_before_approval"),
        message_contains="2022-03-15",
    )


def test_a_fact_on_the_approval_day_is_accepted() -> None:
    """not_before_approval — Law 61/2020/QH14, Art. 30-32, 37-38: the boundary day itself is allowed."""
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
    """violation_must_be_found, re-judged after a correction — Law 15/2012/QH13 (not verified):
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


def test_a_milestone_met_before_the_suspension_may_be_typed_in_late() -> None:
    """suspended_no_progress — Law 61/2020/QH14, Art. 47: the bar starts on the suspension date."""
    typed_in_late = attrs.evolve(
        met(date(2022, 5, 20)), recorded_at=env(date(2022, 7, 1))["recorded_at"]
    )
    SPEC.given(APPROVE, suspend(date(2022, 6, 1))).when(typed_in_late).then_state(
        status=ProjectStatus.SUSPENDED,
        milestones_met={"capital_contribution": date(2022, 5, 20)},
    )


def test_a_resumption_cannot_predate_its_suspension() -> None:
    """resume_only_when_suspended — Law 61/2020/QH14, Art. 47."""
    resume = ResumeProject(**env(date(2022, 5, 1)))
    SPEC.given(APPROVE, suspend(date(2022, 6, 1))).when(resume).then_raises(
        rule_id="resume_only_when_suspended",
        field="effective_date",
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
    """violation_must_be_found — Law 15/2012/QH13 (number and article not verified)."""
    SPEC.given(APPROVE).when(sanction(date(2022, 7, 1))).then_raises(
        rule_id="violation_must_be_found",
        field="violation_id",
        citation=cite61("violation_must_be_found"),
    )


def test_only_a_found_violation_is_remedied() -> None:
    """violation_must_be_found — Law 15/2012/QH13 (number and article not verified)."""
    SPEC.given(APPROVE).when(remedy(date(2022, 7, 1))).then_raises(
        rule_id="violation_must_be_found", field="violation_id"
    )


def test_no_sanction_is_dated_before_the_finding() -> None:
    """violation_must_be_found — Law 15/2012/QH13 (number and article not verified)."""
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(sanction(date(2022, 5, 31))).then_raises(
        rule_id="violation_must_be_found", field="effective_date"
    )


def test_a_violation_is_sanctioned_once_and_remedied_once() -> None:
    """violation_must_be_found — Law 15/2012/QH13 (number and article not verified)."""
    found = violation(date(2022, 6, 1))
    SPEC.given(APPROVE, found, sanction(date(2022, 7, 1))).when(
        sanction(date(2022, 8, 1))
    ).then_raises(rule_id="violation_must_be_found", message_contains="sanctioned")
    SPEC.given(APPROVE, found, remedy(date(2022, 7, 1))).when(remedy(date(2022, 8, 1))).then_raises(
        rule_id="violation_must_be_found", message_contains="remedied"
    )


def test_a_sanction_alone_leaves_the_violation_open() -> None:
    """violation_must_be_found — Law 15/2012/QH13 (not verified): open until remedied."""
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(sanction(date(2022, 7, 1))).then_state(
        lambda s: (
            s.open_violations_by_category() == {ViolationCategory.INVESTMENT: 1}
            and s.violations["12/BB-VPHC"].fine == Money(80_000_000)
        )
    )
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(remedy(date(2022, 7, 1))).then_state(
        lambda s: s.open_violations_by_category() == {}
    )


def test_an_adjusted_schedule_counts_against_the_extension_cap() -> None:
    """extension_cap — Law 61/2020/QH14, Art. 41(4): the 24 months are measured against the
    first approval's schedule, so moving the schedule by an adjustment counts like an
    extension and cannot be used to bypass the cap."""
    assert APPROVE.schedule is not None
    moved = attrs.evolve(
        APPROVE.schedule,
        milestones=tuple(
            attrs.evolve(m, due=add_months(m.due, 12)) for m in APPROVE.schedule.milestones
        ),
    )
    adjusted = AdjustProject(
        **env(date(2022, 6, 1)),
        changes=ProjectChanges(schedule=moved),
        authority=INSPECTORATE,
        policy_adjusted=True,
    )
    SPEC.given(APPROVE, adjusted).when(extend(date(2023, 1, 1), 13)).then_raises(
        rule_id="extension_cap", field="months", citation=cite61("extension_cap")
    )
    SPEC.given(APPROVE, adjusted).when(extend(date(2023, 1, 1), 12)).then_state(
        extension_months_used=24
    )


def test_a_record_cannot_claim_to_be_known_before_the_last_one() -> None:
    """recorded_in_order — structural rule of the record: replay "as known at" relies on
    recorded times that never go back along a project's stream."""
    backdated = attrs.evolve(
        met(date(2022, 9, 1)), recorded_at=env(date(2022, 5, 1))["recorded_at"]
    )
    SPEC.given(APPROVE, violation(date(2022, 6, 1))).when(backdated).then_raises(
        rule_id="recorded_in_order", field="recorded_at", citation=cite61("recorded_in_order")
    )


@given(seconds=st.integers(min_value=-(10**9), max_value=10**9))
def test_a_recorded_time_is_accepted_up_to_the_tolerance_after_the_clock(seconds: int) -> None:
    now = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    command = attrs.evolve(sample_approval(), recorded_at=now + timedelta(seconds=seconds))
    book = BUILTIN_RULEBOOKS.in_force(command.effective_date, command.project_code)
    try:
        recorded_not_in_future(command, now, book)
        accepted = True
    except RuleViolation as refused:
        assert refused.rule_id == "recorded_not_in_future" and refused.field == "recorded_at"
        assert refused.citation  # cited as the structural rule it protects
        accepted = False
    assert accepted == (seconds <= RECORDED_AT_TOLERANCE.total_seconds())
