"""Strategies for one project's valid life: commands the rules accept, in order."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.dates import add_months
from dautu_core.decider import decide, event_from_command
from dautu_core.errors import RuleViolation
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebooks
from dautu_core.rules import policy_adjustment_triggers
from dautu_core.state import ProjectState, evolve, extension_months_after
from dautu_core.testing._events import _approved_payload, _envelope
from dautu_core.testing._primitives import (
    _FORM,
    MIN_DATE,
    _enum,
    _ints,
    _list_of,
    _one_of,
    _optional,
    _pick,
    _recorded_after,
    effective_dates,
    project_codes,
    vietnamese_text,
)
from dautu_core.testing._values import (
    _CHANGE_NAMES,
    actors,
    document_refs,
    investors,
    land_areas,
    legal_bases,
    locations,
    money,
)
from dautu_core.testing._values import authorities as all_authorities
from dautu_core.values import (
    Authority,
    Money,
    Schedule,
)
from dautu_core.vocab import (
    AuthorityLevel,
    CorrectionAction,
    ExtensionGround,
    ProjectStatus,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

# --- valid lives of one project ---------------------------------------------------------------

_RETRACTABLE = (
    ev.MilestoneMet,
    ev.DelayRecorded,
    ev.ScheduleExtended,
    ev.ViolationSanctioned,
    ev.ViolationRemedied,
    ev.AdjustmentRequested,
    ev.ReviewDecided,
)
"""Events whose retraction never invalidates what was recorded after them."""
_AMENDABLE_TEXT = {
    ev.ProjectApproved: "project_name",
    ev.ViolationFound: "description",
    ev.DelayRecorded: "reason",
    ev.ReviewDecided: "notes",
}
"""Events amended by rewording one text field, which no rule depends on."""


_FINES = _ints(1, 300).map(lambda millions: Money(millions * 1_000_000))
"""Fines in millions of đồng, within Decree 122/2021/ND-CP's 300 million maximum."""


def _correction_targets(state: ProjectState) -> list[tuple[int, ev.ProjectEvent]]:
    return [
        (version, event)
        for version, event in state.events()
        if version not in state.corrected_versions
        and (isinstance(event, _RETRACTABLE) or type(event) in _AMENDABLE_TEXT)
    ]


def _authorities_on(day: date, rulebooks: Rulebooks) -> st.SearchStrategy[Authority]:
    """Authorities that can act on ``day`` (no district-level body once the tier is gone:
    rule ``authority_exists``)."""
    ends = rulebooks.in_force(day).district_tier_ends
    return all_authorities(districts=ends is None or day < ends)


_REVIEW_KINDS = ("violation", "request", "remedy", "delay", "met", "sanction")
"""What the review rules read most: drawn half of the time in a life shaped for the review."""


def _district_bodies(day: date, rulebooks: Rulebooks) -> st.SearchStrategy[Authority] | None:
    ends = rulebooks.in_force(day).district_tier_ends
    if ends is not None and day >= ends:
        return None
    return st.builds(
        Authority,
        name=_one_of(("UBND huyện Gia Lộc", "UBND huyện Thanh Hà", "UBND TP Chí Linh")),
        level=st.just(AuthorityLevel.DISTRICT),
    )


def _valid_step(
    draw: st.DrawFn,
    state: ProjectState,
    code: str,
    day: date,
    rulebooks: Rulebooks,
    for_review: bool = False,
) -> cmd.Command | None:
    """Draw one command that the rules accept in ``state`` on ``day``, or ``None`` to stop.

    ``for_review``: half of the time, one of :data:`_REVIEW_KINDS` that is possible; half of
    the violations are investment violations, and half are found by a district body while
    districts exist."""
    assert state.schedule is not None
    terminated = state.status is ProjectStatus.TERMINATED
    suspended = state.status is ProjectStatus.SUSPENDED
    unmet = [k for k in state.schedule.keys if k not in state.milestones_met]
    targets = _correction_targets(state)
    kinds: list[str] = []
    if not terminated:
        kinds += ["extend", "violation", "request", "adjust", "review", "terminate"]
        kinds += ["resume"] if suspended else ["suspend"]
        if unmet:
            kinds.append("delay")
            if not suspended:
                kinds.append("met")
        if any(v.sanctioned_on is None for v in state.violations.values()):
            kinds.append("sanction")
        if state.open_violations():
            kinds.append("remedy")
    if targets:
        kinds.append("correct")
    if not kinds:
        return None
    focused = [k for k in kinds if k in _REVIEW_KINDS]
    if for_review and focused and draw(st.booleans()):
        kinds = focused
    kind = _pick(draw, kinds)
    env: dict[str, Any] = {
        "project_code": unicodedata.normalize(draw(_FORM), code),
        "effective_date": day,
        "recorded_at": _recorded_in_order(draw, day, state),
        "actor": draw(actors()),
        "legal_basis": tuple(draw(_list_of(legal_bases(), min_size=1, max_size=1))),
        "documents": tuple(draw(_list_of(document_refs(), max_size=1))),
    }
    book = rulebooks.in_force(day, code)
    authorities = _authorities_on(day, rulebooks)
    if kind == "met":
        return cmd.RecordMilestoneMet(**env, milestone=_pick(draw, unmet))
    if kind == "delay":
        return cmd.RecordDelay(
            **env,
            milestone=_pick(draw, unmet),
            reason=draw(vietnamese_text()),
            found_by=draw(_optional(authorities)),
        )
    if kind == "extend":
        months = draw(_ints(1, 18))
        shifted = draw(_list_of(_one_of(state.schedule.keys), unique=True, max_size=2))
        probe = cmd.ExtendSchedule(**env, months=months, milestones=shifted)
        after = extension_months_after(state, event_from_command(probe))
        within_cap = after <= book.extension_cap_months or after <= state.extension_months_used
        grounds = _enum(ExtensionGround)
        ground = draw(
            _optional(grounds) if within_cap or not state.has_policy_approval else grounds
        )
        return cmd.ExtendSchedule(**env, months=months, ground=ground, milestones=shifted)
    if kind == "violation":
        finders = authorities
        district = _district_bodies(day, rulebooks) if for_review else None
        if district is not None:
            finders = st.one_of(district, authorities)
        categories = _enum(ViolationCategory)
        if for_review:
            categories = st.one_of(st.just(ViolationCategory.INVESTMENT), categories)
        return cmd.RecordViolation(
            **env,
            violation_id=f"{len(state.violations) + 1}/BB-VPHC",
            category=draw(categories),
            description=draw(vietnamese_text()),
            found_by=draw(finders),
        )
    if kind == "sanction":
        unsanctioned = sorted(k for k, v in state.violations.items() if v.sanctioned_on is None)
        return cmd.SanctionViolation(
            **env,
            violation_id=_pick(draw, unsanctioned),
            sanctioning_authority=draw(authorities),
            decision=draw(document_refs()),
            fine=draw(_optional(_FINES)),
        )
    if kind == "remedy":
        return cmd.RemedyViolation(
            **env,
            violation_id=_pick(draw, sorted(v.violation_id for v in state.open_violations())),
            description=draw(vietnamese_text()),
        )
    if kind in ("request", "adjust"):
        changes = draw(_valid_changes(state))
        if kind == "request":
            return cmd.RequestAdjustment(
                **env, changes=changes, description=draw(vietnamese_text())
            )
        if changes.schedule is not None and state.has_policy_approval:
            adjust = cmd.AdjustProject(**env, changes=changes, authority=draw(authorities))
            after = extension_months_after(state, event_from_command(adjust))
            if after > book.extension_cap_months and after > state.extension_months_used:
                # Past the Art. 41(4) cap: keep the schedule as it is.
                changes = attrs.evolve(changes, schedule=state.schedule)
        needs_policy = bool(policy_adjustment_triggers(state, changes, book)) and (
            state.has_policy_approval
        )
        return cmd.AdjustProject(
            **env,
            changes=changes,
            authority=draw(authorities),
            policy_adjusted=needs_policy or draw(st.booleans()),
        )
    if kind == "suspend":
        return cmd.SuspendProject(
            **env,
            ground=draw(_enum(SuspensionGround)),
            authority=draw(_optional(authorities)),
            until=day + timedelta(days=180) if draw(st.booleans()) else None,
        )
    if kind == "resume":
        return cmd.ResumeProject(**env, reason=draw(_optional(vietnamese_text())))
    if kind == "terminate":
        partial = draw(st.booleans())
        return cmd.TerminateProject(
            **env,
            ground=draw(_enum(TerminationGround)),
            authority=draw(_optional(authorities)),
            partial=partial,
            scope=draw(vietnamese_text()) if partial else None,
        )
    if kind == "review":
        return cmd.RecordReviewDecision(
            **env,
            track=draw(_one_of(("complete_procedures", "resolve_violation_then_adjust"))),
            review_round=draw(_one_of(("2024-1", "2024-2"))),
            authority=draw(authorities),
            notes=draw(_optional(vietnamese_text())),
        )
    version, target = _pick(draw, targets)
    field = _AMENDABLE_TEXT.get(type(target))
    amend = field is not None and (not isinstance(target, _RETRACTABLE) or draw(st.booleans()))
    replacement = None
    if amend and field is not None:
        reworded: dict[str, Any] = {field: draw(vietnamese_text())}
        replacement = attrs.evolve(target, **reworded)
    return cmd.CorrectEvent(
        **env,
        corrects_version=version,
        action=CorrectionAction.AMEND if amend else CorrectionAction.RETRACT,
        reason=draw(vietnamese_text()),
        replacement=replacement,
    )


@st.composite
def _valid_changes(draw: st.DrawFn, state: ProjectState) -> ev.ProjectChanges:
    """Changes that keep the schedule's milestone keys (a schedule change moves due dates)."""
    assert state.schedule is not None
    chosen = draw(_list_of(_one_of(_CHANGE_NAMES), min_size=1, max_size=3, unique=True))
    values: dict[str, Any] = {}
    for name in chosen:
        if name == "capital":
            values[name] = draw(money())
        elif name == "schedule":
            months = draw(_ints(-6, 36))
            values[name] = Schedule(
                tuple(
                    attrs.evolve(m, due=add_months(m.due, months))
                    for m in state.schedule.milestones
                )
            )
        elif name == "land_area":
            values[name] = draw(land_areas())
        elif name == "location":
            values[name] = draw(locations())
        elif name == "objectives":
            values[name] = draw(vietnamese_text())
        elif name == "investors":
            values[name] = tuple(draw(_list_of(investors(), min_size=1, max_size=2)))
        else:
            values[name] = draw(_ints(1, 70))
    return ev.ProjectChanges(**values)


def _recorded_in_order(draw: st.DrawFn, day: date, state: ProjectState) -> datetime:
    """A recorded time on or after the effective date and not before the stream's last one
    (rule ``recorded_in_order``): a project's records are kept in the order they were learned."""
    moment = _recorded_after(draw, day)
    last = state.last_recorded_at
    if last is not None and moment < last:
        moment = last + timedelta(minutes=draw(_ints(0, 600)))
    return moment


@st.composite
def _lives(
    draw: st.DrawFn,
    project_code: str | None,
    min_size: int,
    max_size: int,
    rulebooks: Rulebooks,
    start: date,
    end: date,
    for_review: bool = False,
) -> tuple[list[cmd.Command], list[ev.ProjectEvent]]:
    code = project_code if project_code is not None else draw(project_codes())
    approved_on = draw(effective_dates(start, end))
    due_dates = _ints(1, 72).map(lambda m: add_months(approved_on, m))
    payload = _approved_payload(draw, due_dates, _authorities_on(approved_on, rulebooks))
    if for_review:
        payload["location"] = attrs.evolve(payload["location"], inside_industrial_zone=False)
    approval = cmd.ApproveProject(**_envelope(draw, code, st.just(approved_on)), **payload)
    state = ProjectState()
    commands_out: list[cmd.Command] = []
    events_out: list[ev.ProjectEvent] = []
    steps = draw(_ints(max(min_size, 1), max(max_size, 1)))
    day = approved_on
    command: cmd.Command | None = approval
    attempts = 0
    while command is not None and attempts < 3 * steps:
        attempts += 1
        try:
            decided = decide(command, state, rulebooks)
        except RuleViolation:
            # Only a correction can be refused here: the corrected history is re-judged whole,
            # and rewriting an early event may leave a later one invalid. It is left out.
            if not isinstance(command, cmd.CorrectEvent):
                raise
            decided = []
        for event in decided:
            state = evolve(state, event)
            events_out.append(event)
        if decided:
            commands_out.append(command)
        if len(commands_out) >= steps:
            break
        day = day + timedelta(days=draw(_ints(0, 120)))
        command = _valid_step(draw, state, state.project_code or code, day, rulebooks, for_review)
    return commands_out, events_out


def command_sequences(
    project_code: str | None = None,
    *,
    min_size: int = 1,
    max_size: int = 12,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
    start: date = MIN_DATE,
    end: date = date(2028, 12, 31),
) -> st.SearchStrategy[list[cmd.Command]]:
    """Commands for one project that the rules accept in order, starting with its approval.

    The approval falls between ``start`` and ``end``; later commands are dated on or after it,
    in order. A sequence may be shorter than ``min_size`` when the project is terminated and
    nothing is left to correct.
    """
    return _lives(project_code, min_size, max_size, rulebooks, start, end).map(lambda cv: cv[0])


def histories(
    project_code: str | None = None,
    *,
    min_size: int = 1,
    max_size: int = 12,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
    start: date = MIN_DATE,
    end: date = date(2028, 12, 31),
    for_review: bool = False,
) -> st.SearchStrategy[list[ev.ProjectEvent]]:
    """The events of one project's valid life, as :func:`command_sequences` produces them.

    ``for_review=True`` shapes the life for the review rules: outside industrial zones, with
    violations (half of them investment violations, half found by a district body while
    districts exist), remedies,
    sanctions, delays, milestones and adjustment requests drawn more often.
    """
    return _lives(project_code, min_size, max_size, rulebooks, start, end, for_review).map(
        lambda cv: cv[1]
    )
