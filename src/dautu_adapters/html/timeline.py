"""``dautu export timeline``: one project's life on one page, for an auditor.

What the page shows, and where each part comes from (nothing is derived twice):

- the planned milestones against what happened, as a chart and a table: the schedule of the
  approval, each extension or adjustment that moved it, met or late. The schedule after each
  event is the core's own fold (:func:`dautu_core.state.evolve` over
  :func:`dautu_core.replay.effective_events`), lateness is
  :meth:`~dautu_core.state.ProjectState.months_behind`; violations, sanctions, suspensions and
  termination are the fold's too;
- the state explained (:func:`dautu_core.audit.explain`), each line with its versions;
- every event (:func:`dautu_core.replay.history`) worded by
  :func:`dautu_adapters.audit.render.describe_event`, as ``dautu history`` words it, with its
  corrections beside it;
- the verification of the log (:func:`dautu_adapters.audit.trail.audit_store`, summarised by
  :func:`dautu_adapters.audit.render.audit_text` as ``dautu verify`` prints it), with the
  project's head hash and, if a checkpoint is given, what it covers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from dautu_adapters.audit.keys import load_public_key
from dautu_adapters.audit.render import EVENT_LABELS, audit_text, describe_event
from dautu_adapters.audit.trail import audit_store, read_checkpoint
from dautu_adapters.exporters.options import ExporterOption, required_project
from dautu_adapters.html.chart import DateScale, Tick
from dautu_adapters.html.page import bilingual_date, bilingual_time, both, render_page, write_page
from dautu_adapters.plugins import get_plugin_manager, rulebook_registry
from dautu_adapters.workbook.places import location_now, location_text
from dautu_core import events as ev
from dautu_core.audit import Checkpoint, explain
from dautu_core.codec import NO_UPCASTERS
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore
from dautu_core.replay import EntryStatus, HistoryEntry, Recorded, effective_events, from_records
from dautu_core.replay import history as replay_history
from dautu_core.review.rules import milestone_label
from dautu_core.state import ProjectState, evolve
from dautu_core.text import nfc
from dautu_core.values import Location

__all__ = [
    "TIMELINE_OPTIONS",
    "export_timeline",
    "milestone_plans",
    "read_project",
    "timeline_page",
    "verify_project",
]

Text = dict[str, str]
"""A wording in both languages: ``{"vi": ..., "en": ...}``."""

CHART_WIDTH = 1000.0
PLOT_LEFT = 250.0
PLOT_RIGHT = 980.0
ROW_HEIGHT = 30.0
CHART_TOP = 34.0


def read_project(store: EventStore, code: str) -> list[Recorded]:
    """One project's records decoded, in version order; an unknown code is refused."""
    code = nfc(code).strip()
    records = store.read_stream(code)
    if not records:
        raise UnknownProject(
            f"Không có dự án {code} trong kho",
            f"there is no project {code} in the store",
            project_code=code,
        )
    return from_records(records, getattr(store, "upcasters", NO_UPCASTERS))


# --- the chart ---------------------------------------------------------------------------------


@attrs.frozen
class Mark:
    """A point on the chart (drawn by its ``kind``), with the tooltip in both languages."""

    x: float
    kind: str
    title: Text


@attrs.frozen
class Span:
    x: float
    width: float
    kind: str
    title: Text


@attrs.frozen
class ChartRow:
    y: float
    label: Text
    marks: tuple[Mark, ...] = ()
    spans: tuple[Span, ...] = ()


@attrs.frozen
class Chart:
    width: float
    height: float
    left: float
    right: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]
    as_of_x: float


@attrs.frozen
class MilestoneChange:
    """A milestone moved: by which version and kind of event, effective when, to which date."""

    version: int
    event: Text
    effective: Text
    due: Text


@attrs.frozen
class MilestonePlan:
    """One milestone, planned against what happened."""

    key: str
    label: Text
    planned: Text | None
    changes: tuple[MilestoneChange, ...]
    due: Text | None
    met: Text | None
    months_late: int
    outcome: Text
    late: bool


Step = tuple[int, ev.ProjectEvent, ProjectState, ProjectState]
"""``(version, event, state before, state after)``: one step of the fold."""


def _steps(recorded: Sequence[Recorded], as_of: date, known_at: datetime | None) -> Iterator[Step]:
    """``(version, event, state before, state after)`` along the core's fold, in the order
    :func:`dautu_core.replay.state_at` folds (corrections applied)."""
    state = ProjectState()
    for version, event in effective_events(recorded, as_of=as_of, known_at=known_at):
        before = attrs.evolve(state, version=version - 1)
        state = evolve(before, event)
        yield version, event, before, state


def _event_label(event: ev.ProjectEvent) -> Text:
    vi, en = EVENT_LABELS.get(event.TYPE_NAME, (event.TYPE_NAME, event.TYPE_NAME))
    return {"vi": vi, "en": en}


def _titled(head: Text, day: date) -> Text:
    shown = bilingual_date(day)
    assert shown is not None
    return {lang: f"{head[lang]}: {shown[lang]}" for lang in head}


def _outcome(due: date | None, met: date | None, late: int, as_of: date) -> Text:
    if met is not None:
        on = bilingual_date(met)
        assert on is not None
        if late == 0:
            return {"vi": f"hoàn thành đúng hạn ({on['vi']})", "en": f"met on time ({on['en']})"}
        return {
            "vi": f"hoàn thành chậm {late} tháng ({on['vi']})",
            "en": f"met {late} months late ({on['en']})",
        }
    if due is None or due > as_of:
        return {"vi": "chưa đến hạn", "en": "not yet due"}
    if late == 0:
        return {"vi": "quá hạn, chưa hoàn thành", "en": "overdue, not met"}
    return {
        "vi": f"chưa hoàn thành, chậm {late} tháng",
        "en": f"not met, {late} months late",
    }


def milestone_plans(
    recorded: Sequence[Recorded], as_of: date, known_at: datetime | None = None
) -> tuple[list[MilestonePlan], ProjectState, list[Step]]:
    """Each milestone as planned, as moved, met or late; the final state; and the steps
    (:data:`Step`) the chart reads suspensions from."""
    changes: dict[str, list[MilestoneChange]] = {}
    steps: list[Step] = []
    state = ProjectState()
    for version, event, before, after in _steps(recorded, as_of, known_at):
        steps.append((version, event, before, after))
        state = after
        if before.schedule is None or after.schedule is None or before.schedule == after.schedule:
            continue
        for milestone in after.schedule.milestones:
            old = before.schedule.get(milestone.key)
            if old is None or old.due != milestone.due:
                effective = bilingual_date(event.effective_date)
                moved_to = bilingual_date(milestone.due)
                assert effective is not None and moved_to is not None
                changes.setdefault(milestone.key, []).append(
                    MilestoneChange(version, _event_label(event), effective, moved_to)
                )
    original = state.original_schedule.milestones if state.original_schedule else ()
    current = state.schedule.milestones if state.schedule else ()
    keys = [m.key for m in original] + [
        m.key for m in current if m.key not in {o.key for o in original}
    ]
    behind = state.months_behind(as_of)
    plans = []
    for key in keys:
        planned = next((m.due for m in original if m.key == key), None)
        due = next((m.due for m in current if m.key == key), None)
        met = state.milestones_met.get(key)
        late = behind.get(key, 0)
        plans.append(
            MilestonePlan(
                key=key,
                label=both(functools.partial(milestone_label, key)),
                planned=bilingual_date(planned),
                changes=tuple(changes.get(key, ())),
                due=bilingual_date(due),
                met=bilingual_date(met),
                months_late=late,
                outcome=_outcome(due, met, late, as_of),
                late=late > 0 or (met is None and due is not None and due < as_of),
            )
        )
    return plans, state, steps


_ROW_LABELS = {
    "approval": {"vi": "Chấp thuận", "en": "Approval"},
    "changes": {"vi": "Giãn / điều chỉnh", "en": "Extended / adjusted"},
    "halt": {"vi": "Ngừng / chấm dứt", "en": "Suspended / terminated"},
}


def _chart(
    recorded: Sequence[Recorded],
    plans: Sequence[MilestonePlan],
    state: ProjectState,
    steps: Sequence[Step],
    as_of: date,
) -> Chart:
    original = {
        m.key: m.due
        for m in (state.original_schedule.milestones if state.original_schedule else ())
    }
    current = {m.key: m.due for m in (state.schedule.milestones if state.schedule else ())}
    days = [as_of, *original.values(), *current.values(), *state.milestones_met.values()]
    days += [e.effective_date for _, e, _, _ in steps]
    scale = DateScale.covering(days, PLOT_LEFT, PLOT_RIGHT)
    rows: list[ChartRow] = []

    def y() -> float:
        return CHART_TOP + len(rows) * ROW_HEIGHT + ROW_HEIGHT / 2

    if state.approved_on is not None:
        rows.append(
            ChartRow(
                y(),
                _ROW_LABELS["approval"],
                (
                    Mark(
                        scale.x(state.approved_on),
                        "approval",
                        _titled(_ROW_LABELS["approval"], state.approved_on),
                    ),
                ),
            )
        )
    planned_t = {"vi": "Hạn theo kế hoạch ban đầu", "en": "Due as first planned"}
    current_t = {"vi": "Hạn hiện nay", "en": "Due now"}
    met_t = {"vi": "Hoàn thành", "en": "Met"}
    late_t = {"vi": "Chậm", "en": "Late"}
    for plan in plans:
        marks: list[Mark] = []
        spans: list[Span] = []
        first, now = original.get(plan.key), current.get(plan.key)
        met = state.milestones_met.get(plan.key)
        if first is not None:
            marks.append(Mark(scale.x(first), "planned", _titled(planned_t, first)))
        if now is not None and first is not None and now != first:
            spans.append(
                Span(
                    scale.x(min(first, now)),
                    scale.width(min(first, now), max(first, now)),
                    "shift",
                    _titled(current_t, now),
                )
            )
        if now is not None and now != first:
            marks.append(Mark(scale.x(now), "current", _titled(current_t, now)))
        end = met if met is not None else as_of
        if now is not None and end > now and plan.late:
            spans.append(
                Span(
                    scale.x(now),
                    scale.width(now, end),
                    "late",
                    {lang: f"{late_t[lang]}: {plan.outcome[lang]}" for lang in late_t},
                )
            )
        if met is not None:
            marks.append(
                Mark(scale.x(met), "met-late" if plan.months_late else "met", _titled(met_t, met))
            )
        rows.append(ChartRow(y(), plan.label, tuple(marks), tuple(spans)))
    moves = [
        (v, e) for v, e, _, _ in steps if isinstance(e, ev.ScheduleExtended | ev.ProjectAdjusted)
    ]
    if moves:
        rows.append(
            ChartRow(
                y(),
                _ROW_LABELS["changes"],
                tuple(
                    Mark(
                        scale.x(e.effective_date),
                        "extended",
                        _titled(both(functools.partial(describe_event, e)), e.effective_date),
                    )
                    for _, e in moves
                ),
            )
        )
    for violation in state.violations.values():
        marks = [
            Mark(
                scale.x(violation.found_on),
                "found",
                _titled({"vi": "Phát hiện", "en": "Found"}, violation.found_on),
            )
        ]
        if violation.sanctioned_on is not None:
            marks.append(
                Mark(
                    scale.x(violation.sanctioned_on),
                    "sanctioned",
                    _titled({"vi": "Xử phạt", "en": "Sanctioned"}, violation.sanctioned_on),
                )
            )
        if violation.remedied_on is not None:
            marks.append(
                Mark(
                    scale.x(violation.remedied_on),
                    "remedied",
                    _titled({"vi": "Khắc phục", "en": "Remedied"}, violation.remedied_on),
                )
            )
        end = violation.remedied_on or as_of
        kind = "violation-open" if violation.is_open else "violation"
        category = both(violation.category.label)
        label = {lang: f"{violation.violation_id} ({category[lang]})" for lang in category}
        rows.append(
            ChartRow(
                y(),
                {"vi": f"Vi phạm {label['vi']}", "en": f"Violation {label['en']}"},
                tuple(marks),
                (
                    Span(
                        scale.x(violation.found_on),
                        scale.width(violation.found_on, end),
                        kind,
                        {lang: violation.description for lang in label},
                    ),
                ),
            )
        )
    halts = _halts(steps, state, as_of, scale)
    if halts[0] or halts[1]:
        rows.append(ChartRow(y(), _ROW_LABELS["halt"], halts[1], halts[0]))
    height = CHART_TOP + len(rows) * ROW_HEIGHT + 16
    return Chart(
        CHART_WIDTH,
        height,
        PLOT_LEFT,
        PLOT_RIGHT,
        tuple(rows),
        tuple(scale.year_ticks()),
        scale.x(as_of),
    )


def _halts(
    steps: Sequence[Step],
    state: ProjectState,
    as_of: date,
    scale: DateScale,
) -> tuple[tuple[Span, ...], tuple[Mark, ...]]:
    """Suspension periods (from the fold's ``suspended_on``) and terminations."""
    spans: list[Span] = []
    marks: list[Mark] = []
    suspended_t = {"vi": "Ngừng hoạt động", "en": "Suspended"}
    for _, event, before, after in steps:
        if before.suspended_on is not None and after.suspended_on is None:
            start, end = before.suspended_on, event.effective_date
            spans.append(
                Span(
                    scale.x(start),
                    scale.width(start, end),
                    "suspended",
                    _titled(suspended_t, start),
                )
            )
    if state.suspended_on is not None:
        end = state.terminated_on or as_of
        spans.append(
            Span(
                scale.x(state.suspended_on),
                scale.width(state.suspended_on, end),
                "suspended",
                _titled(suspended_t, state.suspended_on),
            )
        )
    for day, ground, scope in state.partial_terminations:
        title = {lang: f"{ground.label(lang)} ({scope or '—'})" for lang in ("vi", "en")}
        marks.append(Mark(scale.x(day), "terminated-partial", _titled(title, day)))
    if state.terminated_on is not None and state.termination_ground is not None:
        ground = state.termination_ground
        marks.append(
            Mark(
                scale.x(state.terminated_on),
                "terminated",
                _titled(both(ground.label), state.terminated_on),
            )
        )
    return tuple(spans), tuple(marks)


# --- the events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EventView:
    """One event as the page lists it; ``corrections`` are the events that correct it."""

    version: int
    position: int | None
    record_hash: str | None
    type_name: str
    label: Text
    summary: Text
    status: EntryStatus
    status_label: Text
    in_effect: bool
    effective: Text
    effective_iso: str
    recorded: Text
    recorded_iso: str
    actor: str
    unit: str
    user_id: str
    bases: tuple[Text, ...]
    documents: tuple[Text, ...]
    place: Text | None
    replacement: Text | None
    corrects: int | None
    corrections: tuple[EventView, ...] = ()


def _place(event: ev.ProjectEvent) -> Text | None:
    location: Location | None
    if isinstance(event, ev.ProjectApproved):
        location = event.location
    elif isinstance(event, ev.ProjectAdjusted | ev.AdjustmentRequested):
        location = event.changes.location
    else:
        return None
    if location is None:
        return None
    text = location_text(location)
    now = location_now(location, event.effective_date)
    if now is None:
        return {"vi": text, "en": text}
    return {"vi": f"{text}; nay là: {now}", "en": f"{text}; now: {now}"}


def _event_view(entry: HistoryEntry, corrections: Sequence[EventView] = ()) -> EventView:
    event = entry.event
    effective, recorded = bilingual_date(event.effective_date), bilingual_time(event.recorded_at)
    assert effective is not None and recorded is not None
    replacement = entry.replacement
    return EventView(
        version=entry.version,
        position=entry.recorded.position,
        record_hash=entry.recorded.record_hash,
        type_name=event.TYPE_NAME,
        label=_event_label(event),
        summary=both(lambda lang: describe_event(event, lang)),
        status=entry.status,
        status_label=both(entry.status.label),
        in_effect=entry.in_effect,
        effective=effective,
        effective_iso=event.effective_date.isoformat(),
        recorded=recorded,
        recorded_iso=event.recorded_at.isoformat(),
        actor=event.actor.name,
        unit=event.actor.unit,
        user_id=event.actor.user_id,
        bases=tuple({"vi": b.cite_vi(), "en": b.cite()} for b in event.legal_basis),
        documents=tuple(_document(d) for d in event.documents),
        place=_place(event),
        replacement=None
        if replacement is None
        else both(lambda lang: describe_event(replacement, lang)),
        corrects=entry.corrects,
        corrections=tuple(corrections),
    )


def _document(document: Any) -> Text:
    issued = bilingual_date(document.issued_on)
    assert issued is not None
    extra = ", ".join(x for x in (document.issuer, document.title) if x)
    return {
        lang: f"{document.number} ({issued[lang]}){f' — {extra}' if extra else ''}"
        for lang in issued
    }


def event_views(entries: Sequence[HistoryEntry]) -> list[EventView]:
    """The history's entries with each correction placed under the event it corrects."""
    by_target: dict[int, list[EventView]] = {}
    for entry in entries:
        if entry.corrects is not None:
            by_target.setdefault(entry.corrects, []).append(_event_view(entry))
    return [
        _event_view(entry, by_target.get(entry.version, ()))
        for entry in entries
        if entry.corrects is None
    ]


# --- the verification --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Verification:
    ok: bool
    summary: Text
    head_version: int | None
    head_hash: str | None
    findings: tuple[Text, ...]
    checkpoint: str | None
    checkpoint_time: Text | None
    key_id: str | None
    signature_checked: bool
    checkpoint_head_hash: str | None
    covered: int
    uncovered: int


def verify_project(
    store: EventStore,
    code: str,
    checkpoint: Checkpoint | None = None,
    public_key: Any = None,
) -> Verification:
    """The whole log verified as ``dautu verify`` does, seen from one project."""
    audited = audit_store(store, checkpoint, public_key, project=code)
    report, scan = audited.report, audited.scan
    head = scan.heads.get(code)
    at_checkpoint = None
    covered = 0
    if checkpoint is not None:
        heads = scan.checkpoint_heads if scan.checkpoint_heads is not None else scan.heads
        at_checkpoint = heads.get(code)
        covered = sum(
            1 for _, r in audited.project_records if r.position <= checkpoint.last_position
        )
    mine = [f for f in report.findings if f.project_code in (code, None)]
    verdict = audited.verdict(checkpoint=checkpoint is not None)
    return Verification(
        ok=report.ok,
        summary=both(lambda lang: audit_text(report, verdict, lang)),
        head_version=None if head is None else head.version,
        head_hash=None if head is None else head.hash,
        findings=tuple(both(f.message) for f in mine),
        checkpoint=None if checkpoint is None else checkpoint.label,
        checkpoint_time=None if checkpoint is None else bilingual_time(checkpoint.issued_at),
        key_id=None if checkpoint is None else checkpoint.key_id,
        signature_checked=audited.authentication.authenticated,
        checkpoint_head_hash=None if at_checkpoint is None else at_checkpoint.hash,
        covered=covered,
        uncovered=len(audited.project_records) - covered if checkpoint is not None else 0,
    )


# --- the page ---------------------------------------------------------------------------------


TIMELINE_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption("project", str, "mã dự án / project code", required=True),
    ExporterOption(
        "as_of",
        date,
        "ngày xem xét tiến độ (mặc định hôm nay) / the date lateness is judged on (default today)",
    ),
    ExporterOption(
        "checkpoint",
        Path,
        "điểm kiểm tra để đối chiếu chuỗi băm / a checkpoint to verify the chain against",
    ),
    ExporterOption(
        "public_key",
        Path,
        "khoá công khai (PEM) kiểm tra chữ ký của điểm kiểm tra / public key (PEM) checking "
        "the checkpoint's signature",
    ),
)


def _as_of(options: Mapping[str, Any]) -> date:
    if options.get("as_of") is not None:
        day: date = TIMELINE_OPTIONS[1].convert(options["as_of"], "timeline")
        return day
    now = options.get("now")
    if isinstance(now, datetime):
        return now.astimezone(VIETNAM_TIME).date()
    return datetime.now(VIETNAM_TIME).date()


def timeline_page(
    store: EventStore,
    code: str,
    *,
    as_of: date,
    checkpoint: Checkpoint | None = None,
    public_key: Any = None,
    generated_at: datetime | None = None,
    lang: str = "vi",
) -> str:
    """The timeline page of project ``code`` as of ``as_of`` (HTML text)."""
    recorded = read_project(store, code)
    code = recorded[0].event.project_code
    plans, state, steps = milestone_plans(recorded, as_of)
    books = rulebook_registry(get_plugin_manager()).rulebooks
    explanation = explain(recorded, as_of=as_of, rulebooks=books)
    context = {
        "code": code,
        "name": state.project_name,
        "status": None if state.status is None else both(state.status.label),
        "investors": [i.name for i in state.investors],
        "authority": None if state.authority is None else state.authority.name,
        "as_of": bilingual_date(as_of),
        "as_of_iso": as_of.isoformat(),
        "generated_at": bilingual_time(generated_at),
        "plans": plans,
        "chart": _chart(recorded, plans, state, steps, as_of),
        "explanation": [
            {"vi": line.text_vi, "en": line.text_en, "versions": line.versions}
            for line in explanation.lines
        ],
        "rulebook": explanation.rulebook_id,
        "events": event_views(replay_history(recorded)),
        "event_count": len(recorded),
        "verification": verify_project(store, code, checkpoint, public_key),
    }
    return render_page("timeline.html.j2", context, lang)


def export_timeline(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Exporter ``timeline``, options :data:`TIMELINE_OPTIONS`: ``project`` (required),
    ``as_of`` (default today in Vietnam), ``checkpoint`` (a checkpoint file to verify
    against), ``public_key`` (PEM file checking the checkpoint's signature); ``lang`` is the
    language shown first (both are in the page)."""
    project = required_project(options)
    checkpoint_path = options.get("checkpoint")
    key_path = options.get("public_key")
    now = options.get("now")
    text = timeline_page(
        store,
        str(project),
        as_of=_as_of(options),
        checkpoint=read_checkpoint(Path(checkpoint_path)) if checkpoint_path else None,
        public_key=load_public_key(Path(key_path)) if key_path else None,
        generated_at=now if isinstance(now, datetime) else None,
        lang=str(options.get("lang") or "vi"),
    )
    name = f"timeline-{nfc(str(project)).strip()}.html"
    return [write_page(Path(out), name, text)]
