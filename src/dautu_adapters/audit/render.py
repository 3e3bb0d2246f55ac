"""What officials read: events, histories, explanations and audit results as text or JSON.

Vietnamese by default, English with ``lang="en"``; dates ``dd/mm/yyyy`` in Vietnamese text and
ISO 8601 in English text and in JSON; money as ``1.234.567.890 ₫``. JSON keeps the stable ids
(type names, enum values) so scripts do not depend on the wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from dautu_adapters.audit.verdict import Outcome, Verdict
from dautu_adapters.workbook.places import location_now, location_text
from dautu_core import events as ev
from dautu_core.audit import AuditReport, Explanation, Finding
from dautu_core.codec import event_to_data
from dautu_core.dates import VIETNAM_TIME, format_vi_date
from dautu_core.replay import HistoryEntry
from dautu_core.review import Track
from dautu_core.values import LegalBasis, Location
from dautu_core.vocab import CorrectionAction, MilestoneKind

__all__ = [
    "EVENT_LABELS",
    "audit_text",
    "describe_event",
    "explanation_json",
    "explanation_text",
    "finding_lines",
    "history_json",
    "history_text",
    "milestone_text",
    "show_date",
    "show_time",
]

EVENT_LABELS: dict[str, tuple[str, str]] = {
    "dautu.ProjectApproved": ("Chấp thuận dự án", "Project approved"),
    "dautu.MilestoneMet": ("Hoàn thành mốc tiến độ", "Milestone met"),
    "dautu.DelayRecorded": ("Ghi nhận chậm tiến độ", "Delay recorded"),
    "dautu.ScheduleExtended": ("Giãn tiến độ", "Schedule extended"),
    "dautu.ViolationFound": ("Phát hiện vi phạm", "Violation found"),
    "dautu.ViolationSanctioned": ("Xử phạt vi phạm", "Violation sanctioned"),
    "dautu.ViolationRemedied": ("Khắc phục vi phạm", "Violation remedied"),
    "dautu.AdjustmentRequested": ("Đề nghị điều chỉnh", "Adjustment requested"),
    "dautu.ProjectAdjusted": ("Điều chỉnh dự án", "Project adjusted"),
    "dautu.ProjectSuspended": ("Ngừng hoạt động", "Project suspended"),
    "dautu.ProjectResumed": ("Tiếp tục hoạt động", "Project resumed"),
    "dautu.ProjectTerminated": ("Chấm dứt hoạt động", "Project terminated"),
    "dautu.ReviewDecided": ("Quyết định xử lý sau rà soát", "Review decision"),
    "dautu.EventCorrected": ("Đính chính", "Correction"),
}


def show_date(day: date, lang: str) -> str:
    return format_vi_date(day) if lang == "vi" else day.isoformat()


def show_time(moment: datetime, lang: str) -> str:
    """A moment in Vietnam time, the offset stated (a naive moment is taken as Vietnam time).

    The last seven hours of year 9999 (UTC) have no Vietnam time in Python's calendar: such a
    moment (a typo kept in an old record) is shown in UTC rather than crash the listing.
    """
    try:
        local = (
            moment.astimezone(VIETNAM_TIME)
            if moment.tzinfo is not None
            else moment.replace(tzinfo=VIETNAM_TIME)
        )
    except OverflowError:
        if lang == "vi":
            return f"{format_vi_date(moment.date())} {moment:%H:%M} (giờ UTC)"
        return f"{moment.date().isoformat()} {moment:%H:%M} (UTC)"
    if lang == "vi":
        return f"{format_vi_date(local.date())} {local:%H:%M} (giờ Việt Nam, UTC+07:00)"
    return f"{local.date().isoformat()} {local:%H:%M} (ICT, UTC+07:00)"


def milestone_text(key: str, lang: str = "vi") -> str:
    """A milestone key (``construction_start``, ``phase:2``) as its label (``Khởi công xây
    dựng``, ``Giai đoạn (2)``); an unknown kind stays as written."""
    kind, _, label = key.partition(":")
    try:
        text = MilestoneKind(kind).label(lang)
    except ValueError:
        return key
    return f"{text} ({label})" if label else text


def _track(value: str, lang: str) -> str:
    """A handling track by the article's wording; a track a plugin added keeps its id."""
    try:
        return Track(value).label(lang)
    except ValueError:
        return value


def _yes(value: bool, lang: str) -> str:
    return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")


def describe_event(event: ev.ProjectEvent, lang: str = "vi") -> str:
    """One line saying what the event records."""
    vi = lang == "vi"
    label = EVENT_LABELS.get(event.TYPE_NAME, (event.TYPE_NAME, event.TYPE_NAME))[0 if vi else 1]
    detail = ""
    match event:
        case ev.ProjectApproved():
            detail = (
                f"«{event.project_name}», {'vốn' if vi else 'capital'} "
                f"{event.capital.format_vi()}, {event.regime.label(lang)}, {event.authority.name}"
            )
        case ev.MilestoneMet():
            detail = milestone_text(event.milestone, lang)
        case ev.DelayRecorded():
            detail = f"{milestone_text(event.milestone, lang)}: {event.reason}"
        case ev.ScheduleExtended():
            detail = f"{event.months} {'tháng' if vi else 'months'}"
            if event.ground is not None:
                detail += f" ({event.ground.label(lang)})"
        case ev.ViolationFound():
            detail = f"{event.violation_id} ({event.category.label(lang)}): {event.description}"
        case ev.ViolationSanctioned():
            detail = f"{event.violation_id}: {event.decision.number}"
            if event.fine is not None:
                detail += f", {'phạt' if vi else 'fine'} {event.fine.format_vi()}"
        case ev.ViolationRemedied():
            detail = f"{event.violation_id}: {event.description}"
        case ev.AdjustmentRequested():
            kinds = ", ".join(k.label(lang) for k in event.changes.kinds)
            policy = _yes(event.policy_adjustment_required, lang)
            detail = (
                f"{kinds}; {'phải điều chỉnh chủ trương' if vi else 'policy adjustment required'}"
                f": {policy}"
            )
            if event.triggers:
                detail += f" ({', '.join(event.triggers)})"
        case ev.ProjectAdjusted():
            kinds = ", ".join(k.label(lang) for k in event.changes.kinds)
            detail = f"{kinds}; {event.authority.name}"
        case ev.ProjectSuspended() | ev.ProjectTerminated():
            detail = event.ground.label(lang)
            if isinstance(event, ev.ProjectTerminated) and event.partial:
                detail += f" ({'một phần' if vi else 'partial'}: {event.scope or '—'})"
        case ev.ProjectResumed():
            detail = event.reason or ""
        case ev.ReviewDecided():
            detail = f"{event.review_round}: {_track(event.track, lang)}"
        case ev.EventCorrected():
            action = event.action.label(lang)
            detail = (
                f"{'phiên bản' if vi else 'version'} {event.corrects_version} — {action}; "
                f"{'lý do' if vi else 'reason'}: {event.reason}"
            )
    return f"{label}: {detail}" if detail else label


def _cite(basis: LegalBasis, lang: str) -> str:
    return basis.cite_vi() if lang == "vi" else basis.cite()


_HISTORY_LABELS = {
    "vi": {
        "title": "Lịch sử dự án {code}",
        "point": "Tính đến ngày {as_of}, theo hiểu biết lúc {known}",
        "now": "nay",
        "effective": "hiệu lực",
        "recorded": "ghi lúc",
        "by": "người ghi",
        "basis": "căn cứ",
        "documents": "văn bản",
        "place": "địa điểm (tên lúc ghi)",
        "place_now": "nay là",
        "corrected_by": "bị đính chính bởi phiên bản",
        "now_says": "nay ghi",
        "not_in_effect": "(không có hiệu lực tại thời điểm này)",
        "record": "bản ghi",
        "none": "Không có sự kiện nào tại thời điểm này",
    },
    "en": {
        "title": "History of project {code}",
        "point": "As of {as_of}, as known at {known}",
        "now": "now",
        "effective": "effective",
        "recorded": "recorded",
        "by": "by",
        "basis": "legal basis",
        "documents": "documents",
        "place": "location (as named then)",
        "place_now": "now",
        "corrected_by": "corrected by version",
        "now_says": "now says",
        "not_in_effect": "(not in effect at this point)",
        "record": "record",
        "none": "No event at this point",
    },
}


def _location(event: ev.ProjectEvent) -> Location | None:
    """The location an event records (an approval, or an adjustment that moves the project)."""
    if isinstance(event, ev.ProjectApproved):
        return event.location
    if isinstance(event, ev.ProjectAdjusted | ev.AdjustmentRequested):
        return event.changes.location
    return None


def history_text(
    code: str,
    entries: Sequence[HistoryEntry],
    *,
    as_of: date | None,
    known_at: datetime | None,
    lang: str = "vi",
) -> str:
    """The history as an indented listing: one block per event, corrections beside originals."""
    t = _HISTORY_LABELS["vi" if lang == "vi" else "en"]
    lines = [
        t["title"].format(code=code),
        t["point"].format(
            as_of=show_date(as_of, lang) if as_of else t["now"],
            known=show_time(known_at, lang) if known_at else t["now"],
        ),
        "",
    ]
    if not entries:
        lines.append(t["none"])
    for entry in entries:
        event = entry.event
        status = entry.status.label(lang)
        lines.append(f"[{entry.version}] {describe_event(event, lang)}  ({status})")
        lines.append(
            f"    {t['effective']} {show_date(event.effective_date, lang)}; "
            f"{t['recorded']} {show_time(event.recorded_at, lang)}; "
            f"{t['by']} {event.actor.name} ({event.actor.unit})"
        )
        if event.legal_basis:
            cites = "; ".join(_cite(b, lang) for b in event.legal_basis)
            lines.append(f"    {t['basis']}: {cites}")
        if event.documents:
            docs = "; ".join(
                f"{d.number} ({show_date(d.issued_on, lang)})" for d in event.documents
            )
            lines.append(f"    {t['documents']}: {docs}")
        location = _location(event)
        if location is not None:
            place = location_text(location)
            now = location_now(location, event.effective_date)
            if now is not None:
                place += f"; {t['place_now']}: {now}"
            lines.append(f"    {t['place']}: {place}")
        if entry.corrected_by:
            lines.append(f"    {t['corrected_by']} {', '.join(map(str, entry.corrected_by))}")
        if entry.replacement is not None:
            lines.append(f"    {t['now_says']}: {describe_event(entry.replacement, lang)}")
        if not entry.in_effect and entry.status.value != "correction":
            lines.append(f"    {t['not_in_effect']}")
        if entry.recorded.record_hash:
            where = f"#{entry.recorded.position} " if entry.recorded.position else ""
            lines.append(f"    {t['record']} {where}{entry.recorded.record_hash[:16]}…")
    return "\n".join(lines)


def _basis_json(basis: LegalBasis) -> dict[str, Any]:
    return {
        "instrument": basis.instrument,
        "article": basis.article,
        "clause": basis.clause,
        "point": basis.point,
        "note": basis.note,
        "cite": basis.cite(),
        "cite_vi": basis.cite_vi(),
    }


def history_json(code: str, entries: Sequence[HistoryEntry], lang: str = "vi") -> dict[str, Any]:
    items = []
    for entry in entries:
        event = entry.event
        item: dict[str, Any] = {
            "version": entry.version,
            "position": entry.recorded.position,
            "record_hash": entry.recorded.record_hash,
            "type": event.TYPE_NAME,
            "summary": describe_event(event, lang),
            "effective_date": event.effective_date.isoformat(),
            "recorded_at": event.recorded_at.isoformat(),
            "actor": {
                "user_id": event.actor.user_id,
                "name": event.actor.name,
                "unit": event.actor.unit,
            },
            "legal_basis": [_basis_json(b) for b in event.legal_basis],
            "documents": [
                {
                    "number": d.number,
                    "issued_on": d.issued_on.isoformat(),
                    "issuer": d.issuer,
                    "title": d.title,
                }
                for d in event.documents
            ],
            "status": entry.status.value,
            "in_effect": entry.in_effect,
            "corrected_by": list(entry.corrected_by),
            "data": event_to_data(event),
        }
        location = _location(event)
        if location is not None:
            item["location"] = {
                "recorded": location_text(location),
                "now": location_now(location, event.effective_date),
            }
        if entry.replacement is not None:
            item["replacement"] = event_to_data(entry.replacement)
        if isinstance(event, ev.EventCorrected):
            item["corrects"] = event.corrects_version
            item["action"] = event.action.value
            item["reason"] = event.reason
            item["retracts"] = event.action is CorrectionAction.RETRACT
        items.append(item)
    return {"project_code": code, "events": items}


def explanation_text(explanation: Explanation, lang: str = "vi") -> str:
    vi = lang == "vi"
    head = (
        f"Dự án {explanation.project_code} — tình trạng tính đến ngày "
        f"{show_date(explanation.as_of, lang)} (bộ quy tắc {explanation.rulebook_id})"
        if vi
        else f"Project {explanation.project_code} — state as of "
        f"{show_date(explanation.as_of, lang)} (rulebook {explanation.rulebook_id})"
    )
    lines = [head, ""]
    for line in explanation.lines:
        versions = ", ".join(map(str, line.versions))
        source = f"  [{'phiên bản' if vi else 'versions'} {versions}]" if versions else ""
        lines.append(f"- {line.text(lang)}{source}")
        for basis in line.citations:
            lines.append(f"    {'căn cứ' if vi else 'basis'}: {_cite(basis, lang)}")
    return "\n".join(lines)


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    return {
        "project_code": explanation.project_code,
        "as_of": explanation.as_of.isoformat(),
        "known_at": explanation.known_at.isoformat() if explanation.known_at else None,
        "rulebook": explanation.rulebook_id,
        "status": explanation.state.status.value if explanation.state.status else None,
        "lines": [
            {
                "topic": line.topic,
                "text_vi": line.text_vi,
                "text_en": line.text_en,
                "versions": list(line.versions),
                "citations": [_basis_json(b) for b in line.citations],
            }
            for line in explanation.lines
        ],
    }


def finding_lines(findings: Sequence[Finding], lang: str, limit: int = 20) -> list[str]:
    lines = [f"  - {f.message(lang)}" for f in findings[:limit]]
    if len(findings) > limit:
        more = len(findings) - limit
        lines.append(f"  … {more} {'phát hiện khác' if lang == 'vi' else 'more findings'}")
    return lines


def audit_text(report: AuditReport, verdict: Verdict, lang: str = "vi") -> str:
    """The summary ``dautu verify`` prints: the log, the checkpoint, what was checked and what
    was not, then one verdict (the same as the exit code, see
    :mod:`dautu_adapters.audit.verdict`)."""
    vi = lang == "vi"
    lines = [
        (
            f"Nhật ký: {report.size} bản ghi, {report.projects} dự án, gốc Merkle "
            f"{report.root_hash}"
            if vi
            else f"Log: {report.size} records, {report.projects} projects, Merkle root "
            f"{report.root_hash}"
        )
    ]
    cp = report.checkpoint
    if cp is not None:
        signer = cp.key_id or ("chưa ký" if vi else "unsigned")
        lines.append(
            f"Điểm kiểm tra: {cp.log_size} bản ghi, {show_time(cp.issued_at, lang)}, khoá {signer}"
            if vi
            else f"Checkpoint: {cp.log_size} records, {show_time(cp.issued_at, lang)}, key {signer}"
        )
        if report.uncovered:
            lines.append(
                f"  {report.uncovered} bản ghi sau điểm kiểm tra chưa được ký"
                if vi
                else f"  {report.uncovered} records after the checkpoint are not signed yet"
            )
    for note in report.notes[:5]:
        lines.append(f"{'Lưu ý' if vi else 'Note'}: {note.message(lang)}")
    if len(report.notes) > 5:
        more = len(report.notes) - 5
        lines.append(f"  … {more} {'lưu ý khác' if vi else 'more notes'}")
    if verdict.outcome is Outcome.EMPTY:
        lines.append(verdict.headline(lang))
        return "\n".join(lines)
    if report.ok:
        lines += verdict.lines(lang)
        if cp is None:
            lines.append(
                f"Bảo đảm hạn chế: không có điểm kiểm tra, nên bản ghi cuối của mỗi dự án "
                f"({report.projects} bản ghi) không được bảo vệ: sửa hoặc xoá nó không để lại "
                "dấu vết trong chuỗi băm (hãy kiểm tra với --checkpoint)"
                if vi
                else f"Limited assurance: no checkpoint, so the last record of each project "
                f"({report.projects} records) is unprotected: altering or deleting it leaves no "
                "trace in the hash chain (verify with --checkpoint)"
            )
        lines.append(verdict.headline(lang))
        return "\n".join(lines)
    lines.append(verdict.headline(lang))
    first = report.findings[0]
    lines.append(f"{'Đầu tiên' if vi else 'First'}: {first.message(lang)}")
    lines += finding_lines(report.findings, lang)
    return "\n".join(lines)
