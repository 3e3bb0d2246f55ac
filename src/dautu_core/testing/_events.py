"""Strategies for events (one per type) and for the commands that ask for them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs
from hypothesis import strategies as st

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.testing._primitives import (
    _choice,
    _enum,
    _ints,
    _list_of,
    _one_of,
    _optional,
    _recorded_after,
    effective_dates,
    project_codes,
    vietnamese_text,
)
from dautu_core.testing._values import (
    _PHASE_LABELS,
    actors,
    authorities,
    document_refs,
    investors,
    land_areas,
    legal_bases,
    locations,
    money,
    project_changes,
    schedules,
)
from dautu_core.values import Authority
from dautu_core.vocab import (
    CorrectionAction,
    ExtensionGround,
    MilestoneKind,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

# --- events ---------------------------------------------------------------------------------


def _envelope(
    draw: st.DrawFn, project_code: str | None, dates: st.SearchStrategy[date] | None
) -> dict[str, Any]:
    code = project_code if project_code is not None else draw(project_codes())
    day = draw(dates if dates is not None else effective_dates())
    return {
        "project_code": code,
        "effective_date": day,
        "recorded_at": _recorded_after(draw, day),
        "actor": draw(actors()),
        # Every decision or finding names its basis (rule legal_basis_required).
        "legal_basis": tuple(draw(_list_of(legal_bases(), min_size=1, max_size=2))),
        "documents": tuple(draw(_list_of(document_refs(), max_size=2))),
    }


EventStrategy = Callable[..., st.SearchStrategy[ev.ProjectEvent]]


def _event_strategy(
    cls: type[ev.ProjectEvent], payload: Callable[[st.DrawFn], dict[str, Any]]
) -> EventStrategy:
    @st.composite
    def strategy(
        draw: st.DrawFn,
        project_code: str | None = None,
        effective_dates: st.SearchStrategy[date] | None = None,
    ) -> ev.ProjectEvent:
        return cls(**_envelope(draw, project_code, effective_dates), **payload(draw))

    strategy.__name__ = cls.__name__
    strategy.__doc__ = f"Any well-formed ``{cls.TYPE_NAME}`` event (not judged by the rules)."
    return strategy


_MILESTONE_KEYS = (
    *(k.value for k in MilestoneKind if k is not MilestoneKind.PHASE),
    *(f"phase:{label}" for label in _PHASE_LABELS),
)
_violation_ids = st.one_of(
    st.builds(lambda n: f"{n}/BB-VPHC", _ints(1, 999)), vietnamese_text(max_words=2)
)


def _approved_payload(
    draw: st.DrawFn,
    due_dates: st.SearchStrategy[date] | None = None,
    approvers: st.SearchStrategy[Authority] | None = None,
) -> dict[str, Any]:
    return {
        "project_name": draw(vietnamese_text()),
        "objectives": draw(vietnamese_text()),
        "investors": tuple(draw(_list_of(investors(), min_size=1, max_size=3))),
        "location": draw(locations()),
        "capital": draw(money()),
        "land_area": draw(_optional(land_areas())),
        "sector": draw(vietnamese_text(max_words=3)),
        "is_mineral_exploitation": draw(st.booleans()),
        "schedule": draw(schedules(due_dates)),
        "duration_years": draw(_optional(_ints(1, 70))),
        "authority": draw(approvers if approvers is not None else authorities()),
        "regime": draw(_enum(Regime)),
    }


def _corrected_payload(draw: st.DrawFn) -> dict[str, Any]:
    action = draw(_enum(CorrectionAction))
    replacement = None
    if action is CorrectionAction.AMEND:
        replacement = draw(_replacements())
    return {
        "corrects_version": draw(_ints(1, 10_000)),
        "action": action,
        "reason": draw(vietnamese_text()),
        "replacement": replacement,
    }


project_approved = _event_strategy(ev.ProjectApproved, _approved_payload)
milestone_met = _event_strategy(
    ev.MilestoneMet, lambda d: {"milestone": d(_choice(_MILESTONE_KEYS))}
)
delay_recorded = _event_strategy(
    ev.DelayRecorded,
    lambda d: {
        "milestone": d(_choice(_MILESTONE_KEYS)),
        "reason": d(vietnamese_text()),
        "found_by": d(_optional(authorities())),
    },
)
schedule_extended = _event_strategy(
    ev.ScheduleExtended,
    lambda d: {
        "months": d(_ints(1, 36)),
        "ground": d(_optional(_enum(ExtensionGround))),
        "milestones": tuple(d(_list_of(_choice(_MILESTONE_KEYS), max_size=2, unique=True))),
    },
)
violation_found = _event_strategy(
    ev.ViolationFound,
    lambda d: {
        "violation_id": d(_violation_ids),
        "category": d(_enum(ViolationCategory)),
        "description": d(vietnamese_text()),
        "found_by": d(authorities()),
    },
)
violation_sanctioned = _event_strategy(
    ev.ViolationSanctioned,
    lambda d: {
        "violation_id": d(_violation_ids),
        "sanctioning_authority": d(authorities()),
        "decision": d(document_refs()),
        "fine": d(_optional(money())),
    },
)
violation_remedied = _event_strategy(
    ev.ViolationRemedied,
    lambda d: {"violation_id": d(_violation_ids), "description": d(vietnamese_text())},
)
adjustment_requested = _event_strategy(
    ev.AdjustmentRequested,
    lambda d: {
        "changes": d(project_changes()),
        "description": d(vietnamese_text()),
        "policy_adjustment_required": d(st.booleans()),
        "triggers": tuple(
            d(_list_of(_one_of(("capital_change:25%", "objectives_change")), unique=True))
        ),
    },
)
project_adjusted = _event_strategy(
    ev.ProjectAdjusted,
    lambda d: {
        "changes": d(project_changes()),
        "authority": d(authorities()),
        "policy_adjusted": d(st.booleans()),
    },
)
project_suspended = _event_strategy(
    ev.ProjectSuspended,
    lambda d: {
        "ground": d(_enum(SuspensionGround)),
        "authority": d(_optional(authorities())),
        "until": d(_optional(effective_dates())),
    },
)
project_resumed = _event_strategy(
    ev.ProjectResumed, lambda d: {"reason": d(_optional(vietnamese_text()))}
)
project_terminated = _event_strategy(
    ev.ProjectTerminated,
    lambda d: {
        "ground": d(_enum(TerminationGround)),
        "authority": d(_optional(authorities())),
        "partial": d(st.booleans()),
        "scope": d(_optional(vietnamese_text())),
    },
)
review_decided = _event_strategy(
    ev.ReviewDecided,
    lambda d: {
        "track": d(
            _one_of(
                (
                    "terminate",
                    "resolve_violation_then_adjust",
                    "complete_procedures",
                    "land_environment_violation",
                    "mineral_rights_auction",
                    "district_authority",
                )
            )
        ),
        "review_round": d(_one_of(("2024-1", "2024-2", "2025-1"))),
        "authority": d(authorities()),
        "notes": d(_optional(vietnamese_text())),
    },
)

_SIMPLE_EVENT_STRATEGIES: dict[type[ev.ProjectEvent], EventStrategy] = {
    ev.ProjectApproved: project_approved,
    ev.MilestoneMet: milestone_met,
    ev.DelayRecorded: delay_recorded,
    ev.ScheduleExtended: schedule_extended,
    ev.ViolationFound: violation_found,
    ev.ViolationSanctioned: violation_sanctioned,
    ev.ViolationRemedied: violation_remedied,
    ev.AdjustmentRequested: adjustment_requested,
    ev.ProjectAdjusted: project_adjusted,
    ev.ProjectSuspended: project_suspended,
    ev.ProjectResumed: project_resumed,
    ev.ProjectTerminated: project_terminated,
    ev.ReviewDecided: review_decided,
}


@functools.cache
def _replacements() -> st.SearchStrategy[ev.ProjectEvent]:
    return st.one_of(*(s() for s in _SIMPLE_EVENT_STRATEGIES.values()))


event_corrected = _event_strategy(ev.EventCorrected, _corrected_payload)

EVENT_STRATEGIES: Mapping[type[ev.ProjectEvent], EventStrategy] = {
    **_SIMPLE_EVENT_STRATEGIES,
    ev.EventCorrected: event_corrected,
}
"""One strategy per event class; covers every class of :data:`dautu_core.EVENT_TYPES`."""


def events(
    project_code: str | None = None, effective_dates: st.SearchStrategy[date] | None = None
) -> st.SearchStrategy[ev.ProjectEvent]:
    """Any well-formed event of any of the 14 types (not judged by the rules)."""
    return st.one_of(*(s(project_code, effective_dates) for s in EVENT_STRATEGIES.values()))


# --- commands -------------------------------------------------------------------------------

_COMMAND_FOR_EVENT: dict[type[ev.ProjectEvent], type[cmd.Command]] = {
    c.EVENT: c for c in (getattr(cmd, name) for name in cmd.__all__) if c is not cmd.Command
}


def command_from_event(event: ev.ProjectEvent) -> cmd.Command:
    """The command that asks for what ``event`` says (the inverse of the decider's step).

    Fields only the rules decide (``policy_adjustment_required``, ``triggers``) are dropped.
    """
    command_cls = _COMMAND_FOR_EVENT[type(event)]
    return command_cls(**{f.name: getattr(event, f.name) for f in attrs.fields(command_cls)})


CommandStrategy = Callable[..., st.SearchStrategy[cmd.Command]]


def _command_strategy(event_strategy: EventStrategy, command_cls: type[cmd.Command]) -> Any:
    def strategy(
        project_code: str | None = None, effective_dates: st.SearchStrategy[date] | None = None
    ) -> st.SearchStrategy[cmd.Command]:
        return event_strategy(project_code, effective_dates).map(command_from_event)

    strategy.__name__ = _snake(command_cls.__name__)
    strategy.__doc__ = (
        f"Any well-formed ``{command_cls.__name__}`` command, valid or not for a given state."
    )
    return strategy


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


approve_project: CommandStrategy = _command_strategy(project_approved, cmd.ApproveProject)
record_milestone_met: CommandStrategy = _command_strategy(milestone_met, cmd.RecordMilestoneMet)
record_delay: CommandStrategy = _command_strategy(delay_recorded, cmd.RecordDelay)
extend_schedule: CommandStrategy = _command_strategy(schedule_extended, cmd.ExtendSchedule)
record_violation: CommandStrategy = _command_strategy(violation_found, cmd.RecordViolation)
sanction_violation: CommandStrategy = _command_strategy(violation_sanctioned, cmd.SanctionViolation)
remedy_violation: CommandStrategy = _command_strategy(violation_remedied, cmd.RemedyViolation)
request_adjustment: CommandStrategy = _command_strategy(adjustment_requested, cmd.RequestAdjustment)
adjust_project: CommandStrategy = _command_strategy(project_adjusted, cmd.AdjustProject)
suspend_project: CommandStrategy = _command_strategy(project_suspended, cmd.SuspendProject)
resume_project: CommandStrategy = _command_strategy(project_resumed, cmd.ResumeProject)
terminate_project: CommandStrategy = _command_strategy(project_terminated, cmd.TerminateProject)
record_review_decision: CommandStrategy = _command_strategy(
    review_decided, cmd.RecordReviewDecision
)
correct_event: CommandStrategy = _command_strategy(event_corrected, cmd.CorrectEvent)

COMMAND_STRATEGIES: Mapping[type[cmd.Command], CommandStrategy] = {
    cmd.ApproveProject: approve_project,
    cmd.RecordMilestoneMet: record_milestone_met,
    cmd.RecordDelay: record_delay,
    cmd.ExtendSchedule: extend_schedule,
    cmd.RecordViolation: record_violation,
    cmd.SanctionViolation: sanction_violation,
    cmd.RemedyViolation: remedy_violation,
    cmd.RequestAdjustment: request_adjustment,
    cmd.AdjustProject: adjust_project,
    cmd.SuspendProject: suspend_project,
    cmd.ResumeProject: resume_project,
    cmd.TerminateProject: terminate_project,
    cmd.RecordReviewDecision: record_review_decision,
    cmd.CorrectEvent: correct_event,
}
"""One strategy per command class."""


def commands(
    project_code: str | None = None, effective_dates: st.SearchStrategy[date] | None = None
) -> st.SearchStrategy[cmd.Command]:
    """Any well-formed command, valid or not for a given state (rules not applied)."""
    return st.one_of(*(s(project_code, effective_dates) for s in COMMAND_STRATEGIES.values()))
