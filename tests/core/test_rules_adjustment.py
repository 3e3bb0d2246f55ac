"""Given/when/then for Art. 41(3) policy adjustment and for the rulebook chosen by date.

Each test names its citation; refusals are checked against the rulebook in force.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from dautu_core import (
    CorrectEvent,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Money,
    ProjectApproved,
    ProjectChanges,
    RecordViolation,
    Regime,
    Rulebooks,
    RuleViolation,
    ViolationCategory,
    decide,
)
from dautu_core.dates import add_months
from dautu_core.decider import event_from_command
from dautu_core.rulebook import BUILTIN_RULEBOOKS, LAW_61_2020
from dautu_core.state import PendingAdjustment, adjustment_kinds
from dautu_core.testing import DeciderSpec, sample_approval, sample_envelope, sample_schedule

from .rule_helpers import (
    APPROVE,
    APPROVED_ON,
    CODE,
    INSPECTORATE,
    LAW_143_CITATIONS,
    SPEC,
    adjust,
    cite61,
    env,
    extend,
    request,
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
        kinds=adjustment_kinds(changes),
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
    ).then_state(
        capital=Money.from_billion(150),
        pending_adjustment=None,
        adjustments=((date(2023, 3, 1), 3),),
    )


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
        citation=cite61("policy_adjustment_triggers"),
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
        rule_id="extension_cap", citation=LAW_143_CITATIONS["extension_cap"]
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


def test_land_given_to_a_project_approved_without_land_is_a_full_change() -> None:
    """policy_adjustment_triggers — Law 61/2020/QH14, Art. 41(3): land where there was none
    is a change of 100% of the land area, whatever its size."""
    without_land = attrs.evolve(APPROVE, land_area=None)
    command = request(date(2023, 1, 1), ProjectChanges(land_area=LandArea.from_hectares("2")))
    SPEC.given(without_land).when(command).then(
        event_from_command(
            command, policy_adjustment_required=True, triggers=("land_change:100.0%,2.00ha",)
        )
    )
