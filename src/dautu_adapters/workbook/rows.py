"""A row of the workbook and a command of the core, in both directions.

Why by field name: every command shares its payload class with its event
(:mod:`dautu_core.events`), so one table says which column feeds which payload field, and the
same table turns a recorded event back into a row for the exporter. A field is required in a
row exactly when the payload field has no default, so the template and the core cannot
disagree about what must be filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_adapters.workbook import parsing as p
from dautu_adapters.workbook.schema import COLUMNS, COMMANDS_BY_TYPE, Column
from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.errors import DautuError, InvalidValue
from dautu_core.review.tracks import Track
from dautu_core.text import nfc
from dautu_core.values import Actor, Authority, DocumentRef, LandArea, Location, Money, Schedule
from dautu_core.vocab import CorrectionAction, Labelled

__all__ = [
    "CellError",
    "build_command",
    "event_to_row",
    "parse_cell",
    "parse_event_kind",
]

_ENVELOPE = frozenset(f.name for f in attrs.fields(ev.ProjectEvent))


class CellError(Exception):
    """A refusal tied to one column of a row (``column`` is a key of :data:`COLUMNS`)."""

    def __init__(self, column: str | None, error: DautuError) -> None:
        super().__init__(str(error))
        self.column = column
        self.error = error


_KIND_INDEX: dict[str, str] = {}
for _type, (_vi, _en) in EVENT_LABELS.items():
    for _name in (_type, _type.removeprefix("dautu."), _vi, _en):
        _KIND_INDEX[" ".join(nfc(_name).casefold().split())] = _type


def parse_event_kind(value: object) -> str | None:
    """An event kind by its Vietnamese label (the drop-down), English label or type name."""
    text = p.parse_text(value)
    if text is None:
        return None
    found = _KIND_INDEX.get(" ".join(text.casefold().split()))
    if found is None:
        choices = ", ".join(vi for vi, _en in EVENT_LABELS.values())
        raise InvalidValue(
            f"loại sự kiện {text!r} không có trong danh sách; chọn một trong: {choices}",
            f"event kind {text!r} is not in the list; choose one of: {choices}",
            rule_id="event_kind",
        )
    return found


def _vocab(column: Column) -> Callable[[object], Any]:
    vocabulary = column.vocabulary
    assert vocabulary is not None
    return lambda value: p.parse_vocab(value, vocabulary)


_PARSERS: Mapping[str, Callable[[object], Any]] = {
    "text": p.parse_text,
    "date": p.parse_date_cell,
    "money": p.parse_money,
    "area": p.parse_area,
    "int": p.parse_int,
    "bool": p.parse_bool,
    "investors": p.parse_investors,
    "documents": p.parse_documents,
    "document": p.parse_document,
    "citations": p.parse_citations,
    "schedule": p.parse_schedule,
    "milestones": p.parse_milestone_keys,
    "event_kind": parse_event_kind,
}


def parse_cell(key: str, value: object) -> Any:
    """The value of one cell of column ``key``, or ``None`` when blank."""
    column = COLUMNS[key]
    parser = _vocab(column) if column.kind == "vocab" else _PARSERS[column.kind]
    return parser(value)


# --- row -> command ----------------------------------------------------------------------------


class _Row:
    """The parsed cells of one row, asked for by the builders below."""

    def __init__(self, values: Mapping[str, Any], kind_vi: str) -> None:
        self.values = values
        self.kind_vi = kind_vi
        self.used: set[str] = set()

    def get(self, key: str) -> Any:
        self.used.add(key)
        return self.values.get(key)

    def need(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            column = COLUMNS[key]
            raise CellError(
                key,
                InvalidValue(
                    f"cột '{column.vi}' bắt buộc với loại sự kiện '{self.kind_vi}'",
                    f"column '{column.en}' is required for the event kind '{self.kind_vi}'",
                    field=key,
                    rule_id="column_required",
                ),
            )
        return value


def _location(row: _Row, required: bool) -> Location | None:
    province = row.need("province") if required else row.get("province")
    district, commune = row.get("district"), row.get("commune")
    zone = row.get("industrial_zone")
    if province is None:
        if district is not None or commune is not None or zone is not None:
            row.need("province")
        return None
    return Location(province, district, commune, bool(zone))


def _authority(row: _Row, required: bool) -> Authority | None:
    name = row.need("authority") if required else row.get("authority")
    level = row.get("authority_level")
    if name is None:
        if level is not None:
            row.need("authority")
        return None
    return Authority(name, level)


def _changes(row: _Row, _required: bool) -> ev.ProjectChanges:
    values = {
        "capital": row.get("capital"),
        "schedule": row.get("schedule"),
        "land_area": row.get("land_area"),
        "location": _location(row, False),
        "objectives": row.get("objectives"),
        "investors": row.get("investors"),
        "duration_years": row.get("duration"),
    }
    try:
        return ev.ProjectChanges(**values)
    except InvalidValue as err:
        raise CellError("capital", err) from None


def _single_milestone(row: _Row, required: bool) -> str | None:
    keys = row.need("milestone") if required else row.get("milestone")
    if keys is None:
        return None
    if len(keys) != 1:
        raise CellError(
            "milestone",
            InvalidValue(
                "chỉ ghi một mốc tiến độ cho loại sự kiện này",
                "give exactly one milestone for this event kind",
                field="milestone",
                rule_id="cell_parts",
            ),
        )
    return str(keys[0])


def _track(row: _Row, required: bool) -> str | None:
    track = row.need("track") if required else row.get("track")
    return None if track is None else str(track.value)


_Builder = Callable[[_Row, bool], Any]


def _column(key: str) -> _Builder:
    return lambda row, required: row.need(key) if required else row.get(key)


_FIELDS: Mapping[str, _Builder] = {
    "project_name": _column("project_name"),
    "objectives": _column("objectives"),
    "investors": _column("investors"),
    "location": _location,
    "capital": _column("capital"),
    "land_area": _column("land_area"),
    "sector": _column("sector"),
    "is_mineral_exploitation": _column("mineral"),
    "schedule": _column("schedule"),
    "duration_years": _column("duration"),
    "authority": _authority,
    "found_by": _authority,
    "sanctioning_authority": _authority,
    "regime": _column("regime"),
    "milestone": _single_milestone,
    "reason": _column("text"),
    "description": _column("text"),
    "notes": _column("text"),
    "months": _column("months"),
    "milestones": _column("milestone"),
    "violation_id": _column("violation_id"),
    "category": _column("violation_category"),
    "decision": _column("sanction_decision"),
    "fine": _column("fine"),
    "changes": _changes,
    "policy_adjusted": _column("policy_adjusted"),
    "until": _column("until"),
    "partial": _column("partial"),
    "scope": _column("scope"),
    "track": _track,
    "review_round": _column("review_round"),
    "corrects_version": _column("corrects_version"),
    "action": _column("correction_action"),
}
_SPECIFIC_COLUMNS: Mapping[tuple[type, str], str] = {
    (cmd.ExtendSchedule, "ground"): "extension_ground",
    (cmd.SuspendProject, "ground"): "suspension_ground",
    (cmd.TerminateProject, "ground"): "termination_ground",
    (cmd.CorrectEvent, "reason"): "correction_reason",
}
"""Fields whose column depends on the kind (three grounds, two reasons)."""
_BY_CLASS: Mapping[tuple[type, str], _Builder] = {
    key: _column(column) for key, column in _SPECIFIC_COLUMNS.items()
}


def _payload(cls: type, row: _Row, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        name = field.name
        if name in _ENVELOPE or name in skip:
            continue
        builder = _BY_CLASS.get((_command_class(cls), name)) or _FIELDS[name]
        value = builder(row, field.default is attrs.NOTHING)
        if value is not None:
            values[name] = value
    return values


def _command_class(cls: type) -> type:
    if issubclass(cls, cmd.Command):
        return cls
    return COMMANDS_BY_TYPE[cls.TYPE_NAME]  # type: ignore[attr-defined]


def build_command(
    values: Mapping[str, Any],
    type_name: str,
    *,
    actor: Actor,
    recorded_at: datetime,
) -> tuple[cmd.Command, frozenset[str]]:
    """The command a row asks for, and the columns it read (the others are unused by its kind).

    Raises :class:`CellError` naming the column at fault.
    """
    cls = COMMANDS_BY_TYPE[type_name]
    row = _Row(values, EVENT_LABELS[type_name][0])
    envelope = {
        "project_code": row.need("code"),
        "effective_date": row.need("effective_date"),
        "recorded_at": recorded_at,
        "actor": actor,
        "legal_basis": row.get("legal_basis") or (),
        "documents": row.get("documents") or (),
    }
    payload = _payload(cls, row, skip=frozenset({"replacement"}))
    if cls is cmd.CorrectEvent and payload.get("action") is CorrectionAction.AMEND:
        payload["replacement"] = _replacement(row, envelope)
    try:
        command = cls(**envelope, **payload)
    except InvalidValue as err:
        raise CellError(_column_of(err.field), err) from None
    return command, frozenset(row.used)


def _replacement(row: _Row, envelope: Mapping[str, Any]) -> ev.ProjectEvent:
    """An amendment's replacement: its kind and date from their own columns, its content from
    the row's columns of that kind (the correction's own reason has its own column)."""
    type_name = row.need("replacement_kind")
    cls = ev.EVENT_TYPES[type_name]
    if cls is ev.EventCorrected:
        raise CellError(
            "replacement_kind",
            InvalidValue(
                "không thể thay một sự kiện bằng một đính chính",
                "an event cannot be replaced by a correction",
                field="replacement_kind",
                rule_id="correction_shape",
            ),
        )
    inner = _Row(row.values, EVENT_LABELS[type_name][0])
    payload = _payload(cls, inner, skip=frozenset({"policy_adjustment_required", "triggers"}))
    row.used |= inner.used | {"replacement_date"}
    fields = {**envelope, "effective_date": row.need("replacement_date")}
    try:
        return cls(**fields, **payload)
    except InvalidValue as err:
        raise CellError(_column_of(err.field), err) from None


_FIELD_TO_COLUMN = {
    "project_code": "code",
    "effective_date": "effective_date",
    "duration_years": "duration",
    "is_mineral_exploitation": "mineral",
    "category": "violation_category",
    "decision": "sanction_decision",
    "action": "correction_action",
}


def _column_of(field: str | None) -> str | None:
    if field is None:
        return None
    head = field.split(".")[0]
    head = _FIELD_TO_COLUMN.get(head, head)
    return head if head in COLUMNS else None


# --- event -> row ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A value as the workbook shows it (dates stay dates: the writer formats them)."""
    if isinstance(value, bool):
        return p.format_bool(value)
    if isinstance(value, Labelled):
        return value.label_vi
    if isinstance(value, StrEnum):
        return value.value
    return value


def _put_location(row: dict[str, Any], location: Location) -> None:
    row["province"] = location.province
    row["district"] = location.district
    row["commune"] = location.commune
    row["industrial_zone"] = p.format_bool(location.inside_industrial_zone)


def _put_authority(row: dict[str, Any], authority: Authority) -> None:
    row["authority"] = authority.name
    row["authority_level"] = _cell(authority.level) if authority.level else None


def _put_payload(row: dict[str, Any], event: Any, cls: type) -> None:
    command_cls = _command_class(cls)
    for field in attrs.fields(cls):
        name = field.name
        if name in _ENVELOPE or name in ("policy_adjustment_required", "triggers"):
            continue
        value = getattr(event, name)
        if value is None or name == "replacement":
            continue
        if name == "location":
            _put_location(row, value)
        elif name in ("authority", "found_by", "sanctioning_authority"):
            _put_authority(row, value)
        elif name == "changes":
            _put_changes(row, value)
        elif name == "milestone":
            row["milestone"] = p.format_milestone_key(value)
        elif name == "milestones":
            if value:
                row["milestone"] = "; ".join(p.format_milestone_key(k) for k in value)
        elif name == "track":
            row["track"] = Track(value).label_vi if value in Track._value2member_map_ else value
        else:
            builder_column = _source_column(command_cls, name)
            row[builder_column] = _format(value)


def _source_column(command_cls: type, name: str) -> str:
    specific = _SPECIFIC_COLUMNS.get((command_cls, name))
    if specific is not None:
        return specific
    if name in ("reason", "description", "notes"):
        return "text"
    return _FIELD_TO_COLUMN.get(name, name)


def _format(value: Any) -> Any:
    if isinstance(value, Money):
        return p.format_money(value)
    if isinstance(value, LandArea):
        return p.format_area(value)
    if isinstance(value, Schedule):
        return p.format_schedule(value)
    if isinstance(value, DocumentRef):
        return p.format_document(value)
    if isinstance(value, tuple):
        return p.format_investors(value)
    return _cell(value)


def _put_changes(row: dict[str, Any], changes: ev.ProjectChanges) -> None:
    if changes.location is not None:
        _put_location(row, changes.location)
    for name, column in (
        ("capital", "capital"),
        ("schedule", "schedule"),
        ("land_area", "land_area"),
        ("objectives", "objectives"),
        ("investors", "investors"),
        ("duration_years", "duration"),
    ):
        value = getattr(changes, name)
        if value is not None:
            row[column] = _format(value)


def event_to_row(event: ev.ProjectEvent, version: int) -> dict[str, Any]:
    """The row that, imported, asks for ``event`` again (keys of :data:`COLUMNS`)."""
    row: dict[str, Any] = {
        "code": event.project_code,
        "version": version,
        "kind": EVENT_LABELS[event.TYPE_NAME][0],
        "effective_date": event.effective_date,
        "documents": p.format_documents(event.documents) or None,
        "legal_basis": p.format_citations(event.legal_basis) or None,
    }
    _put_payload(row, event, type(event))
    if isinstance(event, ev.EventCorrected) and event.replacement is not None:
        replacement = event.replacement
        row["replacement_kind"] = EVENT_LABELS[replacement.TYPE_NAME][0]
        row["replacement_date"] = replacement.effective_date
        _put_payload(row, replacement, type(replacement))
    return {k: v for k, v in row.items() if v is not None and v != ""}
