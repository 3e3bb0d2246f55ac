"""The given/when/then helper fails loudly and precisely (embedders rely on its messages)."""

from __future__ import annotations

from datetime import date

import pytest

from dautu_core import ExtendSchedule, ProjectStatus, RuleViolation
from dautu_core.decider import event_from_command
from dautu_core.testing import DeciderSpec, SpecFailure, sample_approval, sample_envelope

SPEC = DeciderSpec()
APPROVE = sample_approval()


def extend(months: int) -> ExtendSchedule:
    return ExtendSchedule(**sample_envelope(on=date(2023, 1, 1)), months=months)


def test_then_returns_the_produced_events() -> None:
    command = extend(6)
    produced = SPEC.given(APPROVE).when(command).then(event_from_command(command))
    assert [type(e).__name__ for e in produced] == ["ScheduleExtended"]


def test_then_names_the_differing_field() -> None:
    with pytest.raises(SpecFailure) as caught:
        SPEC.given(APPROVE).when(extend(6)).then(event_from_command(extend(7)))
    assert "event 0 (dautu.ScheduleExtended) months: expected 7, got 6" in str(caught.value)


def test_then_reports_missing_and_extra_events() -> None:
    command = extend(6)
    with pytest.raises(SpecFailure, match="number of events: expected 2, got 1"):
        SPEC.given(APPROVE).when(command).then(
            event_from_command(command), event_from_command(command)
        )
    with pytest.raises(SpecFailure, match=r"unexpected extra event: dautu\.ScheduleExtended"):
        SPEC.given(APPROVE).when(command).then()


def test_then_on_a_refused_command_shows_the_refusal() -> None:
    with pytest.raises(SpecFailure, match="extension_cap"):
        SPEC.given(APPROVE).when(extend(25)).then(event_from_command(extend(25)))


def test_then_raises_on_an_accepted_command_fails() -> None:
    with pytest.raises(SpecFailure, match="was accepted and produced"):
        SPEC.given(APPROVE).when(extend(6)).then_raises(RuleViolation, rule_id="extension_cap")


def test_then_raises_lists_every_mismatch() -> None:
    with pytest.raises(SpecFailure) as caught:
        SPEC.given(APPROVE).when(extend(25)).then_raises(
            rule_id="milestone_known", field="milestone", citation="Law 1/2000"
        )
    message = str(caught.value)
    assert "rule_id: expected 'milestone_known', got 'extension_cap'" in message
    assert "field: expected 'milestone', got 'months'" in message
    assert "citation: expected 'Law 1/2000', got '61/2020/QH14, Art. 41(4)'" in message


def test_then_raises_returns_the_error_for_further_checks() -> None:
    error = SPEC.given(APPROVE).when(extend(25)).then_raises(rule_id="extension_cap")
    assert error.project_code == APPROVE.project_code
    assert "24" in error.message_vi and "24" in error.message_en


def test_then_state_compares_fields_and_predicates() -> None:
    state = (
        SPEC.given(APPROVE)
        .when(extend(6))
        .then_state(
            lambda s: s.extension_months_left(24) == 18,
            status=ProjectStatus.APPROVED,
            extension_months_used=6,
        )
    )
    assert state.version == 2
    with pytest.raises(SpecFailure, match="extension_months_used: expected 7, got 6"):
        SPEC.given(APPROVE).when(extend(6)).then_state(extension_months_used=7)
    with pytest.raises(SpecFailure, match="no such field"):
        SPEC.given(APPROVE).when(extend(6)).then_state(extension_used=6)
    with pytest.raises(SpecFailure, match="is a method"):
        SPEC.given(APPROVE).when(extend(6)).then_state(open_violations=())

    def nothing_left(s: object) -> bool:
        return False

    with pytest.raises(SpecFailure, match="nothing_left does not hold"):
        SPEC.given(APPROVE).when(extend(6)).then_state(nothing_left)


def test_given_refuses_a_setup_the_rules_refuse() -> None:
    with pytest.raises(SpecFailure, match="command 1 \\(ExtendSchedule\\) was refused"):
        SPEC.given(extend(6))


def test_given_folds_events_without_judging_them() -> None:
    # Events are the record as it is: given() folds them even if today's rules would refuse.
    state = SPEC.given(event_from_command(extend(6))).state
    assert state.version == 1 and state.status is None and state.schedule is None
