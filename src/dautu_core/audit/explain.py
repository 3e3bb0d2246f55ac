"""Why a project is where it is: the state at a point, each line tied to its events and rules.

An inspector reading "behind schedule, 20 of 24 extension months used" next asks "says who?".
Every line here names the event versions that produced it and, where a rule of the rulebook
in force is involved, that rule's citation; the events' own legal bases are listed too.
Text is bilingual (like the core's errors) so that any front end can show either language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import attrs

from dautu_core import events as ev
from dautu_core.dates import format_vi_date
from dautu_core.replay import Recorded, effective_events, known, state_at
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebooks
from dautu_core.state import ProjectState
from dautu_core.values import LegalBasis
from dautu_core.vocab import CorrectionAction

__all__ = ["Explanation", "ExplanationLine", "explain"]


@attrs.frozen(kw_only=True)
class ExplanationLine:
    """One fact about the state, the versions responsible, and the citations behind it."""

    topic: str
    text_vi: str
    text_en: str
    versions: tuple[int, ...] = ()
    citations: tuple[LegalBasis, ...] = ()

    def text(self, lang: str = "vi") -> str:
        return self.text_vi if lang == "vi" else self.text_en


@attrs.frozen(kw_only=True)
class Explanation:
    """The state of one project at a point and the lines explaining it."""

    project_code: str | None
    as_of: date
    known_at: datetime | None
    rulebook_id: str
    state: ProjectState
    lines: tuple[ExplanationLine, ...]


def _bases(events: Iterable[ev.ProjectEvent]) -> tuple[LegalBasis, ...]:
    out: list[LegalBasis] = []
    for event in events:
        for basis in event.legal_basis:
            if basis not in out:
                out.append(basis)
    return tuple(out)


def _en_date(day: date) -> str:
    return day.isoformat()


def explain(
    recorded: Sequence[Recorded],
    *,
    as_of: date,
    known_at: datetime | None = None,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
) -> Explanation:
    """Explain the project's state as of ``as_of`` (as known at ``known_at``)."""
    state = state_at(recorded, as_of=as_of, known_at=known_at)
    items = effective_events(recorded, as_of=as_of, known_at=known_at)
    book = rulebooks.in_force(as_of, state.project_code)
    lines: list[ExplanationLine] = []
    lines += _status(state, items)
    lines += _schedule(state, items, as_of)
    lines += _extensions(state, items, book.extension_cap_months, book.cite("extension_cap"))
    lines += _violations(state, items)
    lines += _pending(state, items, rulebooks)
    lines += _corrections(known(recorded, known_at))
    return Explanation(
        project_code=state.project_code,
        as_of=as_of,
        known_at=known_at,
        rulebook_id=book.id,
        state=state,
        lines=tuple(lines),
    )


def _status(
    state: ProjectState, items: Sequence[tuple[int, ev.ProjectEvent]]
) -> list[ExplanationLine]:
    if state.status is None:
        return [
            ExplanationLine(
                topic="status",
                text_vi="Chưa có quyết định chấp thuận hoặc giấy chứng nhận đăng ký đầu tư",
                text_en="No approval or investment registration certificate recorded yet",
            )
        ]
    setters = (ev.ProjectApproved, ev.ProjectSuspended, ev.ProjectResumed, ev.ProjectTerminated)
    version, event = next(
        (v, e)
        for v, e in reversed(items)
        if isinstance(e, setters) and not (isinstance(e, ev.ProjectTerminated) and e.partial)
    )
    day = event.effective_date
    extra_vi = extra_en = ""
    if isinstance(event, ev.ProjectSuspended | ev.ProjectTerminated):
        extra_vi = f"; căn cứ: {event.ground.label_vi}"
        extra_en = f"; ground: {event.ground.label_en}"
    return [
        ExplanationLine(
            topic="status",
            text_vi=f"Trạng thái: {state.status.label_vi} từ ngày {format_vi_date(day)}{extra_vi}",
            text_en=f"Status: {state.status.label_en} since {_en_date(day)}{extra_en}",
            versions=(version,),
            citations=_bases([event]),
        )
    ]


def _schedule(
    state: ProjectState, items: Sequence[tuple[int, ev.ProjectEvent]], as_of: date
) -> list[ExplanationLine]:
    if state.schedule is None:
        return []
    behind = state.months_behind(as_of)
    lines = []
    for milestone in state.schedule.milestones:
        key = milestone.key
        versions: list[int] = []
        sources: list[ev.ProjectEvent] = []
        met_before = False
        for version, event in items:
            touches = (
                isinstance(event, ev.ProjectApproved)
                or (isinstance(event, ev.ScheduleExtended) and _shifts(event, key, met_before))
                or (isinstance(event, ev.ProjectAdjusted) and event.changes.schedule is not None)
                or (
                    isinstance(event, ev.MilestoneMet | ev.DelayRecorded) and event.milestone == key
                )
            )
            if touches:
                versions.append(version)
                sources.append(event)
            if isinstance(event, ev.MilestoneMet) and event.milestone == key:
                met_before = True
        met = state.milestones_met.get(key)
        months = behind.get(key, 0)
        label_vi = milestone.kind.label_vi + (f" ({milestone.label})" if milestone.label else "")
        label_en = milestone.kind.label_en + (f" ({milestone.label})" if milestone.label else "")
        if met is not None:
            done_vi, done_en = f"hoàn thành ngày {format_vi_date(met)}", f"met on {_en_date(met)}"
        else:
            done_vi, done_en = "chưa hoàn thành", "not met"
        lines.append(
            ExplanationLine(
                topic=f"milestone:{key}",
                text_vi=f"Mốc {label_vi}: hạn {format_vi_date(milestone.due)}, {done_vi}, "
                f"chậm {months} tháng",
                text_en=f"Milestone {label_en}: due {_en_date(milestone.due)}, {done_en}, "
                f"{months} months behind",
                versions=tuple(versions),
                citations=_bases(sources),
            )
        )
    return lines


def _shifts(event: ev.ScheduleExtended, key: str, met_before: bool) -> bool:
    """An extension naming no milestone shifts every milestone not yet met (as the fold does:
    met means met by an earlier version)."""
    return key in event.milestones if event.milestones else not met_before


def _extensions(
    state: ProjectState,
    items: Sequence[tuple[int, ev.ProjectEvent]],
    cap: int,
    citation: LegalBasis,
) -> list[ExplanationLine]:
    extensions = [(v, e) for v, e in items if isinstance(e, ev.ScheduleExtended)]
    counted = [v for v, e in extensions if e.ground is None]
    exempt = [(v, e) for v, e in extensions if e.ground is not None]
    if state.has_policy_approval:
        left = state.extension_months_left(cap)
        text_vi = (
            f"Giãn tiến độ: đã dùng {state.extension_months_used}/{cap} tháng, còn {left} tháng"
        )
        text_en = (
            f"Schedule extension: {state.extension_months_used} of {cap} months used, {left} left"
        )
    else:
        text_vi = (
            f"Giãn tiến độ: {state.extension_months_used} tháng; giới hạn {cap} tháng chỉ áp "
            "dụng cho dự án có chấp thuận chủ trương đầu tư"
        )
        text_en = (
            f"Schedule extension: {state.extension_months_used} months; the {cap}-month cap "
            "applies only to projects with an investment policy approval"
        )
    lines = [
        ExplanationLine(
            topic="extension",
            text_vi=text_vi,
            text_en=text_en,
            versions=tuple(counted),
            citations=(citation,),
        )
    ]
    if exempt:
        grounds_vi = ", ".join(
            f"{e.months} tháng ({e.ground.label_vi})" for _, e in exempt if e.ground
        )
        grounds_en = ", ".join(
            f"{e.months} months ({e.ground.label_en})" for _, e in exempt if e.ground
        )
        lines.append(
            ExplanationLine(
                topic="extension_exempt",
                text_vi=f"Không tính vào giới hạn (có căn cứ ngoại lệ): {grounds_vi}",
                text_en=f"Not counted towards the cap (exception ground): {grounds_en}",
                versions=tuple(v for v, _ in exempt),
                citations=(citation, *_bases(e for _, e in exempt)),
            )
        )
    return lines


def _violations(
    state: ProjectState, items: Sequence[tuple[int, ev.ProjectEvent]]
) -> list[ExplanationLine]:
    lines = []
    by_category = state.open_violations_by_category()
    for category, count in sorted(by_category.items(), key=lambda kv: kv[0].value):
        open_ids = [v.violation_id for v in state.open_violations() if v.category is category]
        related = [
            (version, event)
            for version, event in items
            if isinstance(event, ev.ViolationFound | ev.ViolationSanctioned)
            and event.violation_id in open_ids
        ]
        lines.append(
            ExplanationLine(
                topic=f"violations:{category.value}",
                text_vi=f"Vi phạm chưa khắc phục – {category.label_vi}: {count} "
                f"({', '.join(open_ids)})",
                text_en=f"Open violations – {category.label_en}: {count} ({', '.join(open_ids)})",
                versions=tuple(v for v, _ in related),
                citations=_bases(e for _, e in related),
            )
        )
    if not by_category:
        lines.append(
            ExplanationLine(
                topic="violations",
                text_vi="Không có vi phạm chưa khắc phục",
                text_en="No open violations",
                versions=tuple(v for v, e in items if isinstance(e, ev.ViolationRemedied)),
            )
        )
    return lines


def _pending(
    state: ProjectState, items: Sequence[tuple[int, ev.ProjectEvent]], rulebooks: Rulebooks
) -> list[ExplanationLine]:
    pending = state.pending_adjustment
    if pending is None:
        return []
    book = rulebooks.in_force(pending.requested_on, state.project_code)
    request = dict(items).get(pending.version)
    triggers = ", ".join(pending.triggers) or "—"
    if pending.policy_adjustment_required:
        text_vi = (
            f"Đề nghị điều chỉnh ngày {format_vi_date(pending.requested_on)} phải điều chỉnh "
            f"chủ trương đầu tư (điều kiện: {triggers}; bộ quy tắc {book.id})"
        )
        text_en = (
            f"Adjustment requested on {_en_date(pending.requested_on)} requires an investment "
            f"policy adjustment (triggers: {triggers}; rulebook {book.id})"
        )
    else:
        text_vi = (
            f"Đề nghị điều chỉnh ngày {format_vi_date(pending.requested_on)} đang chờ quyết định; "
            f"không phải điều chỉnh chủ trương (điều kiện: {triggers})"
        )
        text_en = (
            f"Adjustment requested on {_en_date(pending.requested_on)} awaits a decision; no "
            f"policy adjustment required (triggers: {triggers})"
        )
    own = _bases([request]) if request is not None else ()
    return [
        ExplanationLine(
            topic="pending_adjustment",
            text_vi=text_vi,
            text_en=text_en,
            versions=(pending.version,),
            citations=(book.cite("policy_adjustment_triggers"), *own),
        )
    ]


def _corrections(knowledge: Sequence[Recorded]) -> list[ExplanationLine]:
    lines = []
    for r in knowledge:
        event = r.event
        if not isinstance(event, ev.EventCorrected):
            continue
        verb_vi = "huỷ bỏ" if event.action is CorrectionAction.RETRACT else "sửa đổi"
        verb_en = "retracted" if event.action is CorrectionAction.RETRACT else "amended"
        who = f"{event.actor.name} ({event.actor.unit})"
        lines.append(
            ExplanationLine(
                topic=f"correction:{event.corrects_version}",
                text_vi=f"Phiên bản {event.corrects_version} đã bị {verb_vi} bởi phiên bản "
                f"{r.version} ({who}, lý do: {event.reason})",
                text_en=f"Version {event.corrects_version} was {verb_en} by version {r.version} "
                f"({who}, reason: {event.reason})",
                versions=(event.corrects_version, r.version),
                citations=_bases([event]),
            )
        )
    return lines
