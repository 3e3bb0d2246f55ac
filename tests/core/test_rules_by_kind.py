"""``check_event`` tries only the checks an event's kind can meet (``rules.ONLY_FOR``), and
judges exactly as trying every check of ``rules.CHECKS`` in order does: same acceptance, same
first refusal (rule, field, message, citation)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import events as ev
from dautu_core import rules
from dautu_core.decider import run
from dautu_core.errors import RuleViolation
from dautu_core.rulebook import BUILTIN_RULEBOOKS
from dautu_core.state import ProjectState, evolve
from dautu_core.testing import strategies as s
from dautu_core.testing.samples import sample_approval

GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)


def _every_check(state: ProjectState, event: ev.ProjectEvent) -> RuleViolation | None:
    """The verdict of every check of :data:`rules.CHECKS`, in order (the reference)."""
    book = BUILTIN_RULEBOOKS.in_force(event.effective_date, event.project_code)
    try:
        for check in rules.CHECKS:
            check(state, event, book)
    except RuleViolation as refusal:
        return refusal
    return None


def _verdict(state: ProjectState, event: ev.ProjectEvent) -> RuleViolation | None:
    book = BUILTIN_RULEBOOKS.in_force(event.effective_date, event.project_code)
    try:
        rules.check_event(state, event, book)
    except RuleViolation as refusal:
        return refusal
    return None


def _same(fast: RuleViolation | None, plain: RuleViolation | None) -> None:
    if plain is None:
        assert fast is None
        return
    assert fast is not None, plain.rule_id
    assert (fast.rule_id, fast.field, fast.citation) == (plain.rule_id, plain.field, plain.citation)
    assert (fast.message_vi, fast.message_en) == (plain.message_vi, plain.message_en)


LIVES = st.one_of(s.histories(max_size=12), s.histories(max_size=12, for_review=True))


@GENERATED
@given(history=LIVES, data=st.data())
def test_check_event_judges_as_every_check_does(
    history: list[ev.ProjectEvent], data: st.DataObject
) -> None:
    states = [ProjectState()]
    for event in history:
        states.append(evolve(states[-1], event))
    at = data.draw(st.integers(0, len(history)))
    code = history[0].project_code
    # Events of the life met again after themselves (a second finding of one violation, a
    # second sanction...) or anywhere in it (a sanction before the finding...), and any
    # event of any kind.
    choices = [st.sampled_from(history), s.events(code)]
    if at:
        choices.insert(0, st.sampled_from(history[:at]))
    event = data.draw(st.one_of(choices))
    _same(_verdict(states[at], event), _every_check(states[at], event))


class _SubclassedSanction(ev.ViolationSanctioned):
    """An event class the table has not met, deriving from a kind some checks concern."""


def test_a_subclass_is_judged_by_the_checks_of_its_kind() -> None:
    chosen = rules._checks_for(_SubclassedSanction)
    assert rules.violation_must_be_found in chosen
    assert rules.violation_id_unique not in chosen
    assert list(chosen) == [c for c in rules.CHECKS if c in chosen]  # the order is kept


def test_a_replaced_checks_tuple_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    refused: list[str] = []

    def refuse_all(state: ProjectState, event: ev.ProjectEvent, book: object) -> None:
        refused.append(event.TYPE_NAME)
        raise RuleViolation("từ chối", "refused", rule_id="approval_first")

    _, (approval,) = run([sample_approval("0500000001", date(2022, 1, 1))])
    assert _verdict(ProjectState(), approval) is None
    monkeypatch.setattr(rules, "CHECKS", (refuse_all,))
    assert _verdict(ProjectState(), approval) is not None
    assert refused == [approval.TYPE_NAME]
