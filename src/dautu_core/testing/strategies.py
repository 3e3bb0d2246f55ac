"""Hypothesis strategies for dautu's values, events and commands.

Adapter authors reuse these to prove a store or exporter keeps every event intact, whatever it
says; embedders reuse them to fuzz their own code around the core. Needs ``hypothesis``:
``pip install dautu[testing]``.

Why these shapes:

* Text mixes Vietnamese letters with every tone mark and arrives in NFC *or* NFD (as typed on
  macOS), because a store that compares or hashes text must not care which; it never contains
  the legacy TCVN3/VNI byte patterns the core refuses.
* Recorded times carry many UTC offsets (+07:00, UTC, odd ones like +05:45) and microseconds;
  land areas are exact ``Decimal``; money goes well past 2**64 đồng.
* Effective dates span 2015-2030, so events fall under each builtin rulebook.
* Strategies build values directly rather than filtering, so they stay fast.

:func:`command_sequences` and :func:`histories` generate one project's *valid* life (approval
first, nothing dated before it, sanctions after findings, progress only while active,
extensions within the cap...): every command they yield is accepted by
:func:`dautu_core.decide` under the rulebooks given.
"""

from __future__ import annotations

from dautu_core.testing._events import (
    COMMAND_STRATEGIES,
    EVENT_STRATEGIES,
    adjust_project,
    adjustment_requested,
    approve_project,
    command_from_event,
    commands,
    correct_event,
    delay_recorded,
    event_corrected,
    events,
    extend_schedule,
    milestone_met,
    project_adjusted,
    project_approved,
    project_resumed,
    project_suspended,
    project_terminated,
    record_delay,
    record_milestone_met,
    record_review_decision,
    record_violation,
    remedy_violation,
    request_adjustment,
    resume_project,
    review_decided,
    sanction_violation,
    schedule_extended,
    suspend_project,
    terminate_project,
    violation_found,
    violation_remedied,
    violation_sanctioned,
)
from dautu_core.testing._lives import (
    command_sequences,
    histories,
)
from dautu_core.testing._primitives import (
    MAX_DATE,
    MIN_DATE,
    VIETNAMESE_LETTERS,
    aware_datetimes,
    effective_dates,
    nfd_variant,
    project_codes,
    utc_offsets,
    vietnamese_text,
)
from dautu_core.testing._values import (
    actors,
    authorities,
    document_refs,
    enterprise_codes,
    investors,
    land_areas,
    legal_bases,
    locations,
    milestones,
    money,
    project_changes,
    schedules,
)

__all__ = [
    "COMMAND_STRATEGIES",
    "EVENT_STRATEGIES",
    "MAX_DATE",
    "MIN_DATE",
    "VIETNAMESE_LETTERS",
    "actors",
    "adjust_project",
    "adjustment_requested",
    "approve_project",
    "authorities",
    "aware_datetimes",
    "command_from_event",
    "command_sequences",
    "commands",
    "correct_event",
    "delay_recorded",
    "document_refs",
    "effective_dates",
    "enterprise_codes",
    "event_corrected",
    "events",
    "extend_schedule",
    "histories",
    "investors",
    "land_areas",
    "legal_bases",
    "locations",
    "milestone_met",
    "milestones",
    "money",
    "nfd_variant",
    "project_adjusted",
    "project_approved",
    "project_changes",
    "project_codes",
    "project_resumed",
    "project_suspended",
    "project_terminated",
    "record_delay",
    "record_milestone_met",
    "record_review_decision",
    "record_violation",
    "remedy_violation",
    "request_adjustment",
    "resume_project",
    "review_decided",
    "sanction_violation",
    "schedule_extended",
    "schedules",
    "suspend_project",
    "terminate_project",
    "utc_offsets",
    "vietnamese_text",
    "violation_found",
    "violation_remedied",
    "violation_sanctioned",
]
