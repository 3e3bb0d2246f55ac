"""Text and JSON of "what changed in what we knew" between two points (``dautu diff``).

Why a separate view: an inspector asking "what did the department learn about this project
between the February review and the June inspection" wants the records learned in between,
the facts that appeared, disappeared (retracted) or were amended, and the state's fields that
moved, each with the version of the record responsible. Fields are named by their Vietnamese
(or English) label and values shown as officials write them (places, areas in hectares,
schedules as milestone and date, tracks by the article's wording), never as Python reprs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from dautu_adapters.audit.render import describe_event, milestone_text, show_date, show_time
from dautu_adapters.workbook.places import location_text
from dautu_core.codec import event_to_data
from dautu_core.replay import HistoryDiff, Point, Recorded
from dautu_core.review import Track
from dautu_core.text import format_count
from dautu_core.values import Authority, Investor, LandArea, Location, Milestone, Schedule

__all__ = ["STATE_FIELD_LABELS", "diff_json", "diff_text", "field_label"]

STATE_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "project_code": ("Mã dự án", "Project code"),
    "version": ("Phiên bản hồ sơ", "Record version"),
    "status": ("Tình trạng", "Status"),
    "approved_on": ("Ngày chấp thuận", "Approved on"),
    "project_name": ("Tên dự án", "Project name"),
    "objectives": ("Mục tiêu", "Objectives"),
    "investors": ("Nhà đầu tư", "Investors"),
    "location": ("Địa điểm", "Location"),
    "capital": ("Vốn đầu tư", "Investment capital"),
    "land_area": ("Diện tích đất", "Land area"),
    "sector": ("Lĩnh vực", "Sector"),
    "is_mineral_exploitation": ("Khai thác khoáng sản", "Mineral exploitation"),
    "schedule": ("Tiến độ", "Schedule"),
    "original_schedule": ("Tiến độ chấp thuận lần đầu", "Schedule first approved"),
    "duration_years": ("Thời hạn (năm)", "Duration (years)"),
    "authority": ("Cơ quan chấp thuận", "Approving authority"),
    "regime": ("Hình thức chấp thuận", "Approval regime"),
    "approved_version": ("Phiên bản chấp thuận", "Version of the approval"),
    "milestones_met": ("Mốc đã hoàn thành", "Milestones met"),
    "met_versions": ("Phiên bản ghi nhận hoàn thành mốc", "Versions recording milestones met"),
    "delays_recorded": ("Chậm tiến độ đã ghi nhận", "Delays recorded"),
    "delay_versions": ("Phiên bản ghi nhận chậm tiến độ", "Versions recording delays"),
    "extensions": ("Các lần giãn tiến độ", "Schedule extensions"),
    "extension_months_used": ("Số tháng đã giãn", "Extension months used"),
    "extension_months_exempt": ("Số tháng giãn theo ngoại lệ", "Extension months exempt"),
    "base_due": ("Hạn các mốc trước khi giãn", "Milestone due dates before extensions"),
    "extended_months": ("Số tháng đã giãn theo mốc", "Months extended per milestone"),
    "rescheduled": ("Lần thay đổi tiến độ gần nhất theo mốc", "Last rescheduling per milestone"),
    "last_investor_action": (
        "Hoạt động gần nhất của nhà đầu tư",
        "Last recorded action of the investor",
    ),
    "violations": ("Vi phạm", "Violations"),
    "pending_adjustment": ("Đề nghị điều chỉnh đang chờ", "Pending adjustment"),
    "adjustments": ("Các lần điều chỉnh", "Adjustments"),
    "suspended_on": ("Ngừng hoạt động từ", "Suspended on"),
    "suspended_until": ("Thời hạn khắc phục khi ngừng", "Suspension remedy deadline"),
    "suspension_ground": ("Căn cứ ngừng hoạt động", "Suspension ground"),
    "suspension_version": ("Phiên bản quyết định ngừng", "Version of the suspension"),
    "suspension_authority_level": (
        "Cấp cơ quan quyết định ngừng",
        "Level of the suspending authority",
    ),
    "terminated_on": ("Chấm dứt hoạt động ngày", "Terminated on"),
    "termination_ground": ("Căn cứ chấm dứt", "Termination ground"),
    "termination_version": ("Phiên bản quyết định chấm dứt", "Version of the termination"),
    "partial_terminations": ("Chấm dứt một phần", "Partial terminations"),
    "review_decisions": ("Quyết định sau rà soát", "Review decisions"),
    "corrected_versions": ("Phiên bản đã đính chính", "Corrected versions"),
}
"""The label of each field of :class:`dautu_core.state.ProjectState`, Vietnamese and English."""


_BY_MILESTONE = frozenset(
    {"milestones_met", "delays_recorded", "base_due", "extended_months", "rescheduled"}
)
"""State fields keyed by milestone (shown by the milestone's name)."""
_DATED_VERSION = frozenset({"last_investor_action", "rescheduled", "adjustments"})
"""State fields whose values are ``(effective date, version)`` pairs."""


def field_label(name: str, lang: str = "vi") -> str:
    """A state field's label; an unknown field (a plugin's) keeps its name."""
    labels = STATE_FIELD_LABELS.get(name)
    return labels[0 if lang == "vi" else 1] if labels else name


def _point(point: Point, lang: str) -> str:
    vi = lang == "vi"
    as_of = show_date(point.as_of, lang) if point.as_of else ("nay" if vi else "now")
    known = show_time(point.known_at, lang) if point.known_at else ("nay" if vi else "now")
    if vi:
        return f"tính đến ngày {as_of}, theo hiểu biết lúc {known}"
    return f"as of {as_of}, as known at {known}"


def _track(value: str, lang: str) -> str:
    try:
        return Track(value).label(lang)
    except ValueError:
        return value


def _record(value: Any, lang: str) -> str | None:
    """Values the record holds, as officials write them; ``None`` for other kinds."""
    vi = lang == "vi"
    if isinstance(value, Location):
        return location_text(value)
    if isinstance(value, LandArea):
        hectares = f"{value.hectares.normalize():f}"
        hectares = hectares.replace(".", ",") if vi else hectares
        square = (
            format_count(int(value.square_metres), lang)
            if value.square_metres % 1 == 0
            else (str(value.square_metres))
        )
        return f"{hectares} ha ({square} m²)"
    if isinstance(value, Milestone):
        return f"{milestone_text(value.key, lang)} {show_date(value.due, lang)}"
    if isinstance(value, Schedule):
        return "; ".join(_record(m, lang) or "" for m in value.milestones)
    if isinstance(value, Investor | Authority):
        return value.name
    violation_id = getattr(value, "violation_id", None)
    if isinstance(violation_id, str) and hasattr(value, "category"):
        open_vi, open_en = (
            ("chưa khắc phục", "open") if value.is_open else ("đã khắc phục", "remedied")
        )
        found = show_date(value.found_on, lang)
        category = value.category.label(lang)
        state = open_vi if vi else open_en
        return f"{violation_id} ({category}, {'phát hiện' if vi else 'found'} {found}, {state})"
    return None


def _value(value: Any, lang: str, field: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return str(label(lang)) if callable(label) else str(value.value)
    if isinstance(value, datetime):
        return show_time(value, lang)
    if isinstance(value, date):
        return show_date(value, lang)
    if isinstance(value, int):
        return format_count(value, lang)
    if field in _DATED_VERSION and isinstance(value, tuple) and len(value) == 2:
        on, version = value  # (effective date, the record's version)
        return f"{_value(on, lang)} ({'phiên bản' if lang == 'vi' else 'version'} {version})"
    if field == "review_decisions" and isinstance(value, tuple | list):
        return (
            "; ".join(
                f"{d.review_round}: {_track(d.track, lang)} ({_value(d.on, lang)})" for d in value
            )
            or "—"
        )
    if field == "extensions" and isinstance(value, tuple | list):
        months = "tháng" if lang == "vi" else "months"
        return "; ".join(f"{e.months} {months} ({_value(e.on, lang)})" for e in value) or "—"
    if isinstance(value, Mapping):
        if field == "violations":  # keyed by their own id, which the value shows
            return "; ".join(_value(v, lang) for v in value.values()) or "—"
        milestones = field in _BY_MILESTONE
        inner = field if field in _DATED_VERSION else ""
        return (
            "; ".join(
                f"{milestone_text(str(k), lang) if milestones else k}: {_value(v, lang, inner)}"
                for k, v in value.items()
            )
            or "—"
        )
    if isinstance(value, tuple | list | frozenset):
        items = sorted(value) if isinstance(value, frozenset) else value
        inner = field if field in _DATED_VERSION else ""
        return "; ".join(_value(v, lang, inner) for v in items) or "—"
    shown = _record(value, lang)
    if shown is not None:
        return shown
    format_vi = getattr(value, "format_vi", None)
    if callable(format_vi):
        return str(format_vi())
    if attrs.has(type(value)):
        parts = [
            f"{field_label(f.name, lang)}: {_value(getattr(value, f.name), lang, f.name)}"
            for f in attrs.fields(type(value))
            if getattr(value, f.name) not in (None, (), {})
        ]
        return "; ".join(parts)
    return str(value)


def diff_text(
    code: str, change: HistoryDiff, recorded: Sequence[Recorded], lang: str = "vi"
) -> str:
    vi = lang == "vi"
    by_version = {r.version: r for r in recorded}
    lines = [
        f"{'Thay đổi hiểu biết về dự án' if vi else 'What changed in what we knew about'} {code}",
        f"  {'từ' if vi else 'from'}: {_point(change.before, lang)}",
        f"  {'đến' if vi else 'to'}:  {_point(change.after, lang)}",
        "",
    ]
    if change.is_empty and not change.learned:
        lines.append("Không có thay đổi." if vi else "Nothing changed.")
        return "\n".join(lines)

    def listed(title_vi: str, title_en: str, versions: tuple[int, ...]) -> None:
        if not versions:
            return
        lines.append(f"{title_vi if vi else title_en} ({format_count(len(versions), lang)}):")
        for version in versions:
            entry = by_version.get(version)
            text = describe_event(entry.event, lang) if entry else "?"
            lines.append(f"  [{version}] {text}")

    listed("Bản ghi được ghi nhận trong khoảng này", "Records learned in between", change.learned)
    listed("Sự kiện mới có hiệu lực", "Facts that appeared", change.appeared)
    listed("Sự kiện không còn hiệu lực (huỷ bỏ)", "Facts that disappeared", change.disappeared)
    listed("Sự kiện được sửa đổi", "Facts amended", change.amended)
    if change.changes:
        lines.append("Trường thay đổi:" if vi else "Fields that changed:")
        for field in change.changes:
            before = _value(field.before, lang, field.field)
            after = _value(field.after, lang, field.field)
            lines.append(f"  {field_label(field.field, lang)}: {before} -> {after}")
    return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset):
        return [_jsonable(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return str(value)


def diff_json(code: str, change: HistoryDiff, recorded: Sequence[Recorded]) -> dict[str, Any]:
    by_version = {r.version: r for r in recorded}

    def events(versions: tuple[int, ...]) -> list[dict[str, Any]]:
        return [
            {
                "version": v,
                "type": by_version[v].event.TYPE_NAME,
                "data": event_to_data(by_version[v].event),
            }
            for v in versions
            if v in by_version
        ]

    def point(p: Point) -> dict[str, Any]:
        return {
            "as_of": p.as_of.isoformat() if p.as_of else None,
            "known_at": p.known_at.isoformat() if p.known_at else None,
        }

    return {
        "project_code": code,
        "from": point(change.before),
        "to": point(change.after),
        "learned": events(change.learned),
        "appeared": list(change.appeared),
        "disappeared": list(change.disappeared),
        "amended": list(change.amended),
        "changes": [
            {"field": c.field, "before": _jsonable(c.before), "after": _jsonable(c.after)}
            for c in change.changes
        ],
    }
