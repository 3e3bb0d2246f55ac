"""``decide(command, state) -> events``: the only way new facts enter the record.

Pure: no clock, no ids, no I/O. The command carries its effective date, recorded time and actor;
the rulebook in force at the command's *effective date* judges it (not the one in force today),
because a decision dated 2024 was taken under Law 61/2020 even when typed in in 2026.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.errors import RuleViolation
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebook, Rulebooks
from dautu_core.rules import check_event, policy_adjustment_triggers
from dautu_core.state import ProjectState, _apply, effective_history, evolve

__all__ = ["decide", "event_from_command", "run"]


def event_from_command(command: cmd.Command, **extra: object) -> ev.ProjectEvent:
    """The event a command proposes: same envelope and payload, plus ``extra`` fields."""
    values = {f.name: getattr(command, f.name) for f in attrs.fields(type(command))}
    values.update(extra)
    return command.EVENT(**values)


def decide(
    command: cmd.Command,
    state: ProjectState,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
) -> list[ev.ProjectEvent]:
    """Judge ``command`` against ``state`` and return the events it produces.

    Raises :class:`~dautu_core.errors.RuleViolation` (naming project, field, rule and
    citation) when a rule refuses it. Nothing is produced in that case.
    """
    book = rulebooks.in_force(command.effective_date, command.project_code)
    extra: dict[str, object] = {}
    if isinstance(command, cmd.RequestAdjustment):
        triggers = policy_adjustment_triggers(state, command.changes, book)
        needs_policy = bool(triggers) and state.has_policy_approval
        extra = {"policy_adjustment_required": needs_policy, "triggers": triggers}
    event = event_from_command(command, **extra)
    _check_policy_adjusted(state, event, book)
    check_event(state, event, book)
    if isinstance(event, ev.EventCorrected):
        _rejudge_corrected_history(state, event, rulebooks)
    return [event]


def _check_policy_adjusted(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """An adjustment that meets an Art. 41(3) condition must come with a policy adjustment.

    Checked on the event, like the rules of :mod:`dautu_core.rules`, so that a correction of an
    earlier event (say, the approval's regime) re-judges the adjustments recorded after it.
    """
    if not isinstance(event, ev.ProjectAdjusted) or event.policy_adjusted:
        return
    triggers = policy_adjustment_triggers(state, event.changes, book)
    if triggers and state.has_policy_approval:
        raise RuleViolation(
            "Nội dung điều chỉnh thuộc trường hợp phải điều chỉnh chủ trương đầu tư "
            f"({', '.join(triggers)}); cần quyết định chấp thuận điều chỉnh chủ trương",
            "this adjustment requires an adjustment of the investment policy "
            f"({', '.join(triggers)}); record it with policy_adjusted=True",
            project_code=event.project_code,
            field="policy_adjusted",
            rule_id="policy_adjustment_triggers",
            citation=book.cite("policy_adjustment_triggers").cite(),
        )


def _rejudge_corrected_history(
    state: ProjectState, correction: ev.EventCorrected, rulebooks: Rulebooks
) -> None:
    """A correction must leave a history every rule still accepts; re-judge it whole."""
    recorded = [*state.events(), (state.version + 1, correction)]
    rebuilt = ProjectState()
    for version, event in effective_history(recorded):
        book = rulebooks.in_force(event.effective_date, event.project_code)
        try:
            _check_policy_adjusted(rebuilt, event, book)
            check_event(rebuilt, event, book)
        except RuleViolation as refusal:
            raise RuleViolation(
                f"Đính chính phiên bản {correction.corrects_version} làm sự kiện phiên bản "
                f"{version} không còn hợp lệ: {refusal.message_vi}",
                f"correcting version {correction.corrects_version} would make the event at "
                f"version {version} invalid: {refusal.message_en}",
                project_code=correction.project_code,
                field=refusal.field,
                rule_id=refusal.rule_id,
                citation=refusal.citation,
            ) from refusal
        rebuilt = attrs.evolve(_apply(rebuilt, event, version), version=version)


def run(
    commands: Sequence[cmd.Command],
    state: ProjectState | None = None,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
) -> tuple[ProjectState, list[ev.ProjectEvent]]:
    """Decide and evolve a sequence of commands in memory; all or nothing.

    Handy for tests and for validating a whole import before writing any of it.
    """
    current = state if state is not None else ProjectState()
    produced: list[ev.ProjectEvent] = []
    for command in commands:
        for event in decide(command, current, rulebooks):
            current = evolve(current, event)
            produced.append(event)
    return current, produced
