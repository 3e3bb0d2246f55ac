"""Text and JSON of "what changed in what we knew" between two points (``dautu diff``).

Why a separate view: an inspector asking "what did the department learn about this project
between the February review and the June inspection" wants the records learned in between,
the facts that appeared, disappeared (retracted) or were amended, and the state's fields that
moved, each with the version of the record responsible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from dautu_adapters.audit.render import describe_event, show_date, show_time
from dautu_core.codec import event_to_data
from dautu_core.replay import HistoryDiff, Point, Recorded

__all__ = ["diff_json", "diff_text"]


def _point(point: Point, lang: str) -> str:
    vi = lang == "vi"
    as_of = show_date(point.as_of, lang) if point.as_of else ("nay" if vi else "now")
    known = show_time(point.known_at, lang) if point.known_at else ("nay" if vi else "now")
    if vi:
        return f"tính đến ngày {as_of}, theo hiểu biết lúc {known}"
    return f"as of {as_of}, as known at {known}"


def _value(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return str(label(lang)) if callable(label) else str(value.value)
    if isinstance(value, datetime):
        return show_time(value, lang)
    if isinstance(value, date):
        return show_date(value, lang)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_value(v, lang)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list | frozenset):
        return "[" + ", ".join(_value(v, lang) for v in value) + "]"
    format_vi = getattr(value, "format_vi", None)
    if callable(format_vi):
        return str(format_vi())
    if attrs.has(type(value)):
        name = getattr(value, "name", None) or getattr(value, "violation_id", None)
        return str(name) if name else repr(value)
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
        lines.append(f"{title_vi if vi else title_en} ({len(versions)}):")
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
            before, after = _value(field.before, lang), _value(field.after, lang)
            lines.append(f"  {field.field}: {before} -> {after}")
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
