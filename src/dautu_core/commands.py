"""Commands: what a user asks the record to say, before the rules have judged it.

Each command shares its payload class with the event it produces (see :mod:`dautu_core.events`),
so ``RecordViolation`` asks for exactly what ``ViolationFound`` will say. The decider fills in
what only the rules can decide (for example whether an adjustment needs a policy adjustment).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from dautu_core import events as ev
from dautu_core.fields import checked_fields

__all__ = [
    "AdjustProject",
    "ApproveProject",
    "Command",
    "CorrectEvent",
    "ExtendSchedule",
    "RecordDelay",
    "RecordMilestoneMet",
    "RecordReviewDecision",
    "RecordViolation",
    "RemedyViolation",
    "RequestAdjustment",
    "ResumeProject",
    "SanctionViolation",
    "SuspendProject",
    "TerminateProject",
]


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class Command(ev.Envelope):
    """Base class of every command. ``EVENT`` is the event class it produces when accepted."""

    EVENT: ClassVar[type[ev.ProjectEvent]]


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ApproveProject(Command, ev.ProjectApprovedFields):
    EVENT = ev.ProjectApproved


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordMilestoneMet(Command, ev.MilestoneMetFields):
    EVENT = ev.MilestoneMet


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordDelay(Command, ev.DelayRecordedFields):
    EVENT = ev.DelayRecorded


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ExtendSchedule(Command, ev.ScheduleExtendedFields):
    EVENT = ev.ScheduleExtended


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordViolation(Command, ev.ViolationFoundFields):
    EVENT = ev.ViolationFound


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class SanctionViolation(Command, ev.ViolationSanctionedFields):
    EVENT = ev.ViolationSanctioned


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RemedyViolation(Command, ev.ViolationRemediedFields):
    EVENT = ev.ViolationRemedied


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RequestAdjustment(Command, ev.AdjustmentRequestedFields):
    EVENT = ev.AdjustmentRequested


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class AdjustProject(Command, ev.ProjectAdjustedFields):
    EVENT = ev.ProjectAdjusted


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class SuspendProject(Command, ev.ProjectSuspendedFields):
    EVENT = ev.ProjectSuspended


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ResumeProject(Command, ev.ProjectResumedFields):
    EVENT = ev.ProjectResumed


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class TerminateProject(Command, ev.ProjectTerminatedFields):
    EVENT = ev.ProjectTerminated


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordReviewDecision(Command, ev.ReviewDecidedFields):
    EVENT = ev.ReviewDecided


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class CorrectEvent(Command, ev.EventCorrectedFields):
    EVENT = ev.EventCorrected
