"""The invariants: small pure checks of one proposed event against the project's state.

Why check events rather than commands: a correction rewrites history, and the corrected history
must obey the same rules as the original. Checking events lets the decider re-judge a corrected
history with the very functions that judged it the first time.

Each check raises :class:`~dautu_core.errors.RuleViolation` naming the project code, the field,
the rule id and the citation taken from the rulebook in force at the event's effective date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from dautu_core import events as ev
from dautu_core.dates import add_months, full_months_between
from dautu_core.errors import RuleViolation
from dautu_core.rulebook import Rulebook
from dautu_core.state import ProjectState, extension_months_after
from dautu_core.values import Authority
from dautu_core.vocab import AuthorityLevel, ProjectStatus

__all__ = [
    "BASIS_NOT_REQUIRED",
    "CHECKS",
    "ENTRY_CHECKS",
    "ONLY_FOR",
    "RECORDED_AT_TOLERANCE",
    "authority_exists",
    "check_event",
    "check_new_event",
    "legal_basis_required",
    "policy_adjustment_triggers",
    "recorded_not_in_future",
]

Check = Callable[[ProjectState, ev.ProjectEvent, Rulebook], None]


def _refuse(
    event: ev.ProjectEvent, book: Rulebook, rule_id: str, field: str, vi: str, en: str
) -> RuleViolation:
    return RuleViolation(
        vi,
        en,
        project_code=event.project_code,
        field=field,
        rule_id=rule_id,
        citation=book.cite(rule_id).cite(),
    )


def approval_first(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """A project's record starts with its approval, and is approved once."""
    if isinstance(event, ev.ProjectApproved):
        if state.is_approved:
            raise _refuse(
                event,
                book,
                "approval_first",
                "type",
                "Dự án đã được chấp thuận; thay đổi nội dung phải ghi bằng điều chỉnh hoặc đính chính",
                "the project is already approved; record changes as an adjustment or a correction",
            )
    elif not state.is_approved:
        raise _refuse(
            event,
            book,
            "approval_first",
            "type",
            "Dự án chưa có quyết định chấp thuận chủ trương hoặc giấy chứng nhận đăng ký đầu tư",
            "the project has no recorded approval or investment registration certificate yet",
        )


def not_before_approval(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """No fact about a project can take effect before the project legally existed."""
    if state.approved_on is not None and event.effective_date < state.approved_on:
        raise _refuse(
            event,
            book,
            "not_before_approval",
            "effective_date",
            f"Ngày hiệu lực {event.effective_date.isoformat()} trước ngày chấp thuận dự án "
            f"{state.approved_on.isoformat()}",
            f"effective date {event.effective_date.isoformat()} is before the project's approval "
            f"on {state.approved_on.isoformat()}",
        )


def terminal_after_termination(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """After termination, only corrections of the record are accepted."""
    if state.status is ProjectStatus.TERMINATED and not isinstance(event, ev.EventCorrected):
        raise _refuse(
            event,
            book,
            "terminal_after_termination",
            "type",
            "Dự án đã chấm dứt hoạt động; chỉ được đính chính hồ sơ",
            "the project is terminated; only corrections of the record are accepted",
        )


def extension_cap(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """Total extension at most the cap against the first policy approval, unless a ground.

    Applies to extensions without an exception ground and to adjustments that move the
    schedule: both are measured by how far the schedule then runs past the first approval.
    """
    # The event's kind first: most events are neither, and need no look at the regime.
    if isinstance(event, ev.ScheduleExtended):
        if event.ground is not None:
            return
        field = "months"
    elif isinstance(event, ev.ProjectAdjusted) and event.changes.schedule is not None:
        field = "changes.schedule"
    else:
        return
    if not state.has_policy_approval:
        return
    cap = book.extension_cap_months
    before = state.extension_months_used
    after = extension_months_after(state, event)
    if after > cap and after > before:
        raise _refuse(
            event,
            book,
            "extension_cap",
            field,
            f"Tổng thời gian giãn tiến độ so với tiến độ chấp thuận lần đầu sẽ là {after} tháng "
            f"(đã dùng {before}), vượt quá {cap} tháng mà không có căn cứ ngoại lệ",
            f"total schedule extension against the first approval would be {after} months "
            f"({before} used so far), more than {cap} months, without an exception ground",
        )


def milestone_known(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """Progress and delays refer to milestones of the current schedule; met only once."""
    keys: tuple[str, ...] = ()
    if isinstance(event, ev.MilestoneMet | ev.DelayRecorded):
        keys = (event.milestone,)
    elif isinstance(event, ev.ScheduleExtended):
        keys = event.milestones
    known = state.schedule.keys if state.schedule is not None else ()
    for key in keys:
        if key not in known:
            raise _refuse(
                event,
                book,
                "milestone_known",
                "milestone",
                f"Mốc tiến độ '{key}' không có trong tiến độ của dự án ({', '.join(known)})",
                f"milestone '{key}' is not in the project's schedule ({', '.join(known)})",
            )
    if isinstance(event, ev.MilestoneMet | ev.DelayRecorded) and event.milestone in (
        state.milestones_met
    ):
        raise _refuse(
            event,
            book,
            "milestone_known",
            "milestone",
            f"Mốc tiến độ '{event.milestone}' đã hoàn thành",
            f"milestone '{event.milestone}' was already met",
        )


def suspended_no_progress(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """A suspended project records no progress until resumed; suspension needs an active one."""
    suspended = state.status is ProjectStatus.SUSPENDED
    # A milestone reached before the suspension took effect may still be typed in late.
    during = state.suspended_on is not None and event.effective_date >= state.suspended_on
    if suspended and during and isinstance(event, ev.MilestoneMet):
        raise _refuse(
            event,
            book,
            "suspended_no_progress",
            "milestone",
            "Dự án đang ngừng hoạt động; không ghi nhận tiến độ cho đến khi tiếp tục hoạt động",
            "the project is suspended; no progress can be recorded until it resumes",
        )
    if suspended and isinstance(event, ev.ProjectSuspended):
        raise _refuse(
            event,
            book,
            "suspended_no_progress",
            "type",
            "Dự án đã đang ngừng hoạt động",
            "the project is already suspended",
        )


def resume_only_when_suspended(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    if isinstance(event, ev.ProjectResumed) and state.status is not ProjectStatus.SUSPENDED:
        raise _refuse(
            event,
            book,
            "resume_only_when_suspended",
            "type",
            "Chỉ dự án đang ngừng hoạt động mới có thể tiếp tục hoạt động",
            "only a suspended project can resume",
        )
    if (
        isinstance(event, ev.ProjectResumed)
        and state.suspended_on is not None
        and event.effective_date < state.suspended_on
    ):
        raise _refuse(
            event,
            book,
            "resume_only_when_suspended",
            "effective_date",
            f"Ngày tiếp tục hoạt động {event.effective_date.isoformat()} trước ngày ngừng hoạt "
            f"động {state.suspended_on.isoformat()}",
            f"resumption on {event.effective_date.isoformat()} is before the suspension on "
            f"{state.suspended_on.isoformat()}",
        )


def violation_id_unique(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    if isinstance(event, ev.ViolationFound) and event.violation_id in state.violations:
        raise _refuse(
            event,
            book,
            "violation_id_unique",
            "violation_id",
            f"Mã vi phạm '{event.violation_id}' đã được ghi nhận",
            f"violation id '{event.violation_id}' is already recorded",
        )


def violation_must_be_found(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """A violation is sanctioned or remedied only once found, and remedied once."""
    if not isinstance(event, ev.ViolationSanctioned | ev.ViolationRemedied):
        return
    found = state.violations.get(event.violation_id)
    if found is None:
        raise _refuse(
            event,
            book,
            "violation_must_be_found",
            "violation_id",
            f"Chưa có vi phạm '{event.violation_id}' được phát hiện để xử lý",
            f"no violation '{event.violation_id}' has been found to act on",
        )
    if event.effective_date < found.found_on:
        raise _refuse(
            event,
            book,
            "violation_must_be_found",
            "effective_date",
            f"Ngày {event.effective_date.isoformat()} trước ngày phát hiện vi phạm "
            f"{found.found_on.isoformat()}",
            f"date {event.effective_date.isoformat()} is before the violation was found on "
            f"{found.found_on.isoformat()}",
        )
    if isinstance(event, ev.ViolationSanctioned) and found.sanctioned_on is not None:
        raise _refuse(
            event,
            book,
            "violation_must_be_found",
            "violation_id",
            f"Vi phạm '{event.violation_id}' đã bị xử phạt",
            f"violation '{event.violation_id}' was already sanctioned",
        )
    if isinstance(event, ev.ViolationRemedied) and found.remedied_on is not None:
        raise _refuse(
            event,
            book,
            "violation_must_be_found",
            "violation_id",
            f"Vi phạm '{event.violation_id}' đã được khắc phục",
            f"violation '{event.violation_id}' was already remedied",
        )


def correction_target_exists(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """A correction refers to an earlier, non-correction event; the approval may be amended
    but not retracted (retracting it would leave events about a project that never was)."""
    if not isinstance(event, ev.EventCorrected):
        return
    recorded = dict(state.events())
    target = recorded.get(event.corrects_version)
    if target is None or isinstance(target, ev.EventCorrected):
        raise _refuse(
            event,
            book,
            "correction_target_exists",
            "corrects_version",
            f"Không có sự kiện phiên bản {event.corrects_version} để đính chính",
            f"there is no event at version {event.corrects_version} to correct",
        )
    if isinstance(target, ev.ProjectApproved) and event.replacement is None:
        raise _refuse(
            event,
            book,
            "correction_target_exists",
            "action",
            "Không thể huỷ bỏ quyết định chấp thuận; hãy sửa đổi nội dung",
            "an approval cannot be retracted, only amended",
        )
    replacement = event.replacement
    if replacement is not None and (
        type(replacement) is not type(target) or replacement.project_code != event.project_code
    ):
        raise _refuse(
            event,
            book,
            "correction_target_exists",
            "replacement",
            f"Sự kiện thay thế phải cùng loại ({target.TYPE_NAME}) và cùng dự án",
            f"the replacement must be of the same type ({target.TYPE_NAME}) and project",
        )


def recorded_in_order(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """A project's records are kept in the order they were learned: a recorded time earlier
    than the last one of the stream is refused. Replay "as known at T" relies on it (a record
    cannot claim to have been known before what was recorded ahead of it).

    One exception, the way out of a recorded time typed wrong (year 2204 for 2024, stored
    before :func:`recorded_not_in_future` existed): a *correction* of a record whose recorded
    time is later than the correction's own. That time is wrong by construction (the record
    was there to be corrected before it was "recorded"), so it cannot hold back the record
    that fixes it; replay counts the corrected record as known from its correction on
    (:func:`dautu_core.replay.known`). Without this exception every later record of the
    project, its correction included, would be refused for ever.
    """
    last = state.last_recorded_at
    if last is None or event.recorded_at >= last or _corrects_a_later_record(state, event):
        return
    raise _refuse(
        event,
        book,
        "recorded_in_order",
        "recorded_at",
        f"Thời điểm ghi nhận {event.recorded_at.isoformat()} sớm hơn bản ghi trước đó của dự "
        f"án ({last.isoformat()})",
        f"recorded time {event.recorded_at.isoformat()} is earlier than the project's "
        f"previous record ({last.isoformat()})",
    )


def _corrects_a_later_record(state: ProjectState, event: ev.ProjectEvent) -> bool:
    if not isinstance(event, ev.EventCorrected):
        return False
    target = dict(state.events()).get(event.corrects_version)
    return target is not None and target.recorded_at > event.recorded_at


RECORDED_AT_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the recording service's clock a recorded time may be.

Why a bound at all: a record is learned when it is recorded, so a recorded time in the future
is a typo (2204 for 2024) or a wrong clock, and because records must be recorded in order
(:func:`recorded_in_order`) one such record would refuse every later record of its project.
Why five minutes: the clocks of the machines clerks type on drift by seconds to minutes from
the server's, and a command may be prepared a little before it is sent; five minutes admits
that and nothing a person would type by mistake."""


def recorded_not_in_future(
    event: ev.Envelope,
    now: datetime,
    book: Rulebook,
    tolerance: timedelta = RECORDED_AT_TOLERANCE,
) -> None:
    """Refuse a command or event (and a correction's replacement) recorded later than ``now``
    plus ``tolerance`` (:data:`RECORDED_AT_TOLERANCE`).

    Not one of :data:`CHECKS`: the core has no clock, so whoever records (the service, with
    its clock) passes ``now``; the stored history is never re-judged by it. Cited as
    ``recorded_in_order``, the structural rule it protects.
    """
    limit = now + tolerance
    targets: list[tuple[ev.Envelope, str]] = [(event, "recorded_at")]
    replacement = getattr(event, "replacement", None)
    if isinstance(replacement, ev.Envelope):
        targets.append((replacement, "replacement.recorded_at"))
    for target, field in targets:
        if target.recorded_at <= limit:
            continue
        minutes = int(tolerance.total_seconds() // 60)
        raise RuleViolation(
            f"Thời điểm ghi nhận {target.recorded_at.isoformat()} ở tương lai: muộn hơn đồng hồ "
            f"của hệ thống ({now.isoformat()}) quá {minutes} phút; hãy kiểm tra năm, ngày, giờ",
            f"recorded time {target.recorded_at.isoformat()} is in the future: more than "
            f"{minutes} minutes after the system's clock ({now.isoformat()}); check the year, "
            "date and time",
            project_code=event.project_code,
            field=field,
            rule_id="recorded_not_in_future",
            citation=book.cite("recorded_in_order").cite(),
        )


def policy_adjustment_triggers(
    state: ProjectState, changes: ev.ProjectChanges, book: Rulebook
) -> tuple[str, ...]:
    """Which Art. 41(3) conditions an adjustment meets; empty means no policy adjustment.

    Returned strings are stable ids with the figures, e.g. ``"capital_change:25%"``.
    """
    t = book.thresholds
    triggers = []
    if changes.objectives is not None and changes.objectives != state.objectives:
        triggers.append("objectives_change")
    if changes.location is not None and changes.location != state.location:
        triggers.append("location_change")
    if changes.investors is not None and changes.investors != state.investors:
        triggers.append("investor_change")
    if changes.duration_years is not None and changes.duration_years != state.duration_years:
        triggers.append("duration_change")
    if changes.land_area is not None:
        # A project approved without land that now asks for land changes its land by 100%.
        before = state.land_area.square_metres if state.land_area is not None else Decimal(0)
        delta = abs(changes.land_area.square_metres - before)
        hectares = delta / 10_000
        percent = (delta * 100 / before) if before else Decimal(100 if delta else 0)
        if hectares > t.land_change_hectares or percent >= t.land_change_percent:
            triggers.append(f"land_change:{percent:.1f}%,{hectares:.2f}ha")
    if t.capital_change_triggers and changes.capital is not None and state.capital is not None:
        before_dong = state.capital.dong
        delta_dong = abs(changes.capital.dong - before_dong)
        if before_dong and delta_dong * 100 >= t.capital_change_percent * before_dong:
            triggers.append(f"capital_change:{delta_dong * 100 // before_dong}%")
    if changes.schedule is not None and state.original_schedule is not None:
        first, new = state.original_schedule.last_due, changes.schedule.last_due
        if first is not None and new is not None and new > add_months(first, t.schedule_months):
            triggers.append(f"schedule_beyond_first:{full_months_between(first, new)}m")
    return tuple(triggers)


CHECKS: tuple[Check, ...] = (
    terminal_after_termination,
    approval_first,
    not_before_approval,
    correction_target_exists,
    milestone_known,
    suspended_no_progress,
    resume_only_when_suspended,
    extension_cap,
    violation_id_unique,
    violation_must_be_found,
    recorded_in_order,
)
"""Every invariant, in the order they are tried (the first refusal is reported)."""

ONLY_FOR: dict[Check, tuple[type[ev.ProjectEvent], ...]] = {
    correction_target_exists: (ev.EventCorrected,),
    milestone_known: (ev.MilestoneMet, ev.DelayRecorded, ev.ScheduleExtended),
    suspended_no_progress: (ev.MilestoneMet, ev.ProjectSuspended),
    resume_only_when_suspended: (ev.ProjectResumed,),
    extension_cap: (ev.ScheduleExtended, ev.ProjectAdjusted),
    violation_id_unique: (ev.ViolationFound,),
    violation_must_be_found: (ev.ViolationSanctioned, ev.ViolationRemedied),
}
"""The checks of :data:`CHECKS` that can refuse only events of some kinds (or of their
subclasses), and those kinds; every other check concerns every event.

Why: deciding or re-judging an event tried all eleven checks, and most of them return at
once for most kinds (a delay is never a sanction); :func:`check_event` skips the checks an
event's class cannot meet. Each check keeps its own test of the kind, so a check called
directly judges as before; ``tests/core/test_rules_by_kind.py`` compares :func:`check_event`
with trying every check on generated states and events."""

_BY_CLASS: dict[type, tuple[Check, ...]] = {}
_BY_CLASS_OF: list[tuple[Check, ...]] = [CHECKS]
"""The checks of :data:`CHECKS` each event class can meet, in order, and the :data:`CHECKS`
they were chosen from (a different tuple, set by a test or a plugin, is chosen from anew)."""


def _checks_for(cls: type) -> tuple[Check, ...]:
    checks = CHECKS
    if _BY_CLASS_OF[0] is not checks:
        _BY_CLASS.clear()
        _BY_CLASS_OF[0] = checks
    try:
        return _BY_CLASS[cls]
    except KeyError:
        chosen = _BY_CLASS[cls] = tuple(
            c for c in checks if c not in ONLY_FOR or issubclass(cls, ONLY_FOR[c])
        )
        return chosen


BASIS_NOT_REQUIRED: dict[type[ev.ProjectEvent], tuple[str, str]] = {
    ev.AdjustmentRequested: (
        "đề nghị của nhà đầu tư, không phải quyết định hay kết luận; quyết định điều chỉnh "
        "trả lời đề nghị mới ghi căn cứ pháp lý",
        "the investor's request is neither a decision nor a finding; the adjustment that answers "
        "it carries the legal basis",
    ),
    ev.EventCorrected: (
        "đính chính hồ sơ, không phải quyết định về dự án; sự kiện thay thế phải có căn cứ "
        "pháp lý như mọi sự kiện cùng loại, lý do đính chính là bắt buộc",
        "a correction of the record, not a decision about the project; its replacement must "
        "carry a basis like any event of its kind, and its reason is required",
    ),
}
"""The kinds of event that need no legal basis, and why (Vietnamese, English).

Every other kind records a decision (approval, extension, sanction, adjustment, suspension,
resumption, termination, review decision) or a finding (a milestone met or a delay found on
the investor's report, a violation established or remedied), and must name its basis."""


def legal_basis_required(event: ev.ProjectEvent, book: Rulebook) -> None:
    """A decision or a finding enters the record only with its legal basis.

    The review of 21 Feb 2024 asked that every handling proposal rest on the law; an auditor
    can only check a fact whose basis is recorded. A correction's replacement is judged as the
    event it replaces.
    """
    targets: list[tuple[ev.ProjectEvent, str]] = [(event, "legal_basis")]
    if isinstance(event, ev.EventCorrected) and event.replacement is not None:
        targets.append((event.replacement, "replacement.legal_basis"))
    for target, field in targets:
        if type(target) in BASIS_NOT_REQUIRED or target.legal_basis:
            continue
        raise _refuse(
            event,
            book,
            "legal_basis_required",
            field,
            f"Sự kiện {target.TYPE_NAME} ghi nhận một quyết định hoặc kết luận nên phải có căn "
            "cứ pháp lý (số hiệu văn bản, điều, khoản)",
            f"a {target.TYPE_NAME} event records a decision or a finding and must name its "
            "legal basis (instrument, article, clause)",
        )


def _authorities(event: ev.ProjectEvent) -> list[tuple[str, Authority]]:
    """The authorities an event names, with their field names."""
    named = []
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if isinstance(value, Authority):
            named.append((field.name, value))
    return named


def authority_exists(event: ev.ProjectEvent, book: Rulebook) -> None:
    """An authority acts only while its tier of government exists: from the day district-level
    government was abolished (1 Jul 2025), no district-level body decides or finds anything."""
    ends = book.district_tier_ends
    if ends is None or event.effective_date < ends:
        return
    events = [event]
    if isinstance(event, ev.EventCorrected) and event.replacement is not None:
        events.append(event.replacement)
    for target in events:
        for field, authority in _authorities(target):
            if authority.level is not AuthorityLevel.DISTRICT:
                continue
            raise _refuse(
                event,
                book,
                "authority_exists",
                field,
                f"Ngày hiệu lực {target.effective_date.isoformat()}: cấp huyện đã không còn từ "
                f"{ends.isoformat()}, '{authority.name}' không thể là cơ quan cấp huyện",
                f"effective {target.effective_date.isoformat()}: district-level government no "
                f"longer exists from {ends.isoformat()}, so '{authority.name}' cannot be a "
                "district-level authority",
            )


ENTRY_CHECKS = (legal_basis_required, authority_exists)
"""Checks of what enters the record now (the new event, and a correction's replacement).

Why apart from :data:`CHECKS`: a correction re-judges the whole corrected history with
:data:`CHECKS`; a history recorded before these checks existed would otherwise block every
correction of its project, including the one that fixes it."""


def check_new_event(event: ev.ProjectEvent, book: Rulebook) -> None:
    """Raise the first :class:`RuleViolation` of :data:`ENTRY_CHECKS` ``event`` meets."""
    for check in ENTRY_CHECKS:
        check(event, book)


def check_event(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """Raise the first :class:`RuleViolation` ``event`` meets in ``state``, if any."""
    if state.project_code is not None and event.project_code != state.project_code:
        raise RuleViolation(
            f"Sự kiện thuộc dự án {event.project_code}, không phải {state.project_code}",
            f"event belongs to project {event.project_code}, not {state.project_code}",
            project_code=state.project_code,
            field="project_code",
            rule_id="same_project",
        )
    checks = _BY_CLASS.get(event.__class__) if _BY_CLASS_OF[0] is CHECKS else None
    for check in checks if checks is not None else _checks_for(event.__class__):
        check(state, event, book)
