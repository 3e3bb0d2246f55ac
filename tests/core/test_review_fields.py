"""Given/when/then for the state fields the review's termination and delay rules read.

They live in the core's state (one fold): the review's facts must say the same
(``tests/review/test_properties.py`` checks it for generated histories). Each example names the
rule that reads the field and that rule's citation as the builtin review rulebook gives it.
"""

from __future__ import annotations

from datetime import date

from dautu_core import ProjectChanges, Schedule, SuspendProject, SuspensionGround
from dautu_core.dates import add_months
from dautu_core.values import Milestone

from .rule_helpers import APPROVE, APPROVED_ON, SPEC, env, extend, met, remedy, violation

FIRST = APPROVE.schedule.milestones[0]
LAST = APPROVE.schedule.milestones[-1]


def test_an_authority_suspension_keeps_its_remedy_deadline() -> None:
    """terminate_suspension_not_remedied — Law 61/2020/QH14 Art. 48(2) (with Art. 47): reads
    the deadline the suspension set (``suspended_until``); a resumption clears it."""
    until = date(2023, 6, 30)
    suspend = SuspendProject(
        **env(date(2023, 1, 10)), ground=SuspensionGround.ENVIRONMENT_BREACH, until=until
    )
    SPEC.given(APPROVE).when(suspend).then_state(
        suspended_on=date(2023, 1, 10), suspended_until=until
    )


def test_investor_actions_are_dated_and_versioned() -> None:
    """terminate_investor_unreachable — Law 61/2020/QH14 Art. 48(2): reads the last event only
    the investor's own action produces (``last_investor_action``: date, version)."""
    day = date(2022, 9, 1)
    SPEC.given(APPROVE).when(met(day, FIRST.key)).then_state(last_investor_action=(day, 2))
    SPEC.given(APPROVE, violation(date(2022, 5, 1))).when(remedy(day)).then_state(
        last_investor_action=(day, 3)
    )


def test_a_finding_is_not_an_investor_action() -> None:
    """terminate_investor_unreachable — Law 61/2020/QH14 Art. 48(2): an inspection's finding
    says nothing about whether the investor can be reached."""
    SPEC.given(APPROVE).when(violation(date(2022, 5, 1))).then_state(last_investor_action=None)


def test_an_extension_moves_the_due_dates_but_not_the_base_due_dates() -> None:
    """terminate_land_not_used — Land Law 2024 Art. 81(8) and Law 61/2020/QH14 Art. 48(2):
    months are counted from ``base_due`` (as approved), and the extension's months
    (``extended_months``) are added once; ``rescheduled`` says which change moved each date."""
    day = date(2022, 6, 1)
    base = {m.key: m.due for m in APPROVE.schedule.milestones}
    state = SPEC.given(APPROVE).when(extend(day, 6)).then_state(base_due=base)
    assert state.schedule is not None
    assert state.extended_months == {m.key: 6 for m in APPROVE.schedule.milestones}
    assert state.rescheduled == {m.key: (day, 2) for m in APPROVE.schedule.milestones}
    assert state.schedule.get(LAST.key) == Milestone(LAST.kind, add_months(LAST.due, 6))


def test_an_adjusted_schedule_is_the_new_base_and_clears_the_extended_months() -> None:
    """terminate_land_not_used — Land Law 2024 Art. 81(8): an adjustment sets new approved
    due dates (``base_due``), so earlier extensions no longer add months; behind_schedule reads
    ``rescheduled`` (only the moved milestone)."""
    from dautu_core import fold

    from .rule_helpers import adjust

    extension = extend(date(2022, 6, 1), 2)
    extended = SPEC.given(APPROVE).when(extension).then_state()
    assert extended.schedule is not None
    kept = extended.schedule.milestones[:-1]
    moved = Milestone(LAST.kind, add_months(LAST.due, 5))
    schedule = Schedule((*kept, moved))
    day = date(2022, 12, 1)
    state = (
        SPEC.given(APPROVE, extension)
        .when(adjust(day, ProjectChanges(schedule=schedule), policy_adjusted=False))
        .then_state(base_due={m.key: m.due for m in schedule.milestones}, extended_months={})
    )
    assert state.rescheduled[LAST.key] == (day, 3), "moved by the adjustment"
    assert state.rescheduled[FIRST.key] == (date(2022, 6, 1), 2), "kept: last moved earlier"
    assert fold([]).rescheduled == {}
    assert day > APPROVED_ON
