"""The stored form of events: canonical JSON, stable type names, versioned schemas, upcasters.

Why our own codec rather than pickling or a storage library's transcoder: the record must still
read in ten years, after classes move, in any language. So an event is stored as
``(type_name, schema_version, payload)`` where the payload is plain JSON (dates ISO 8601,
datetimes with their offset, money as integer đồng, areas as decimal strings, enums by value)
and its bytes are *canonical* (sorted keys, no spaces, UTF-8 NFC): the same event always gives
the same bytes, which is what the hash chain of the audit trail commits to.

Old schema versions are read through upcasters (pure functions ``dict -> dict``) registered per
``(type_name, from_version)``; stored bytes are never rewritten.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core.errors import InvalidValue

__all__ = [
    "NO_UPCASTERS",
    "Upcasters",
    "canonical_bytes",
    "decode_event",
    "encode_event",
    "event_from_data",
    "event_to_data",
]

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@attrs.frozen
class Upcasters:
    """Upcasters by ``(type_name, from_version)``; each returns the payload at version + 1."""

    by_key: Mapping[tuple[str, int], Upcaster] = attrs.field(factory=dict)

    def with_upcaster(self, type_name: str, from_version: int, upcaster: Upcaster) -> Upcasters:
        return Upcasters({**self.by_key, (type_name, from_version): upcaster})

    def upcast(
        self, type_name: str, version: int, data: dict[str, Any], target: int
    ) -> dict[str, Any]:
        while version < target:
            step = self.by_key.get((type_name, version))
            if step is None:
                raise InvalidValue(
                    f"Không có bộ chuyển đổi cho {type_name} phiên bản {version}",
                    f"no upcaster for {type_name} from schema version {version}",
                    field="schema_version",
                    rule_id="upcaster_missing",
                )
            data = step(data)
            version += 1
        if version > target:
            raise InvalidValue(
                f"{type_name} phiên bản {version} mới hơn phiên bản phần mềm hiểu ({target})",
                f"{type_name} schema version {version} is newer than this software reads ({target})",
                field="schema_version",
                rule_id="schema_too_new",
            )
        return data


NO_UPCASTERS = Upcasters()


def _to_data(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, ev.ProjectEvent):
        return {
            "type": value.TYPE_NAME,
            "schema_version": value.SCHEMA_VERSION,
            "data": event_to_data(value),
        }
    if attrs.has(type(value)):
        return {f.name: _to_data(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_to_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _to_data(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__}")


def event_to_data(event: ev.ProjectEvent) -> dict[str, Any]:
    """The JSON-ready payload of ``event`` (without its type name and schema version)."""
    return {f.name: _to_data(getattr(event, f.name)) for f in attrs.fields(type(event))}


def canonical_bytes(data: Any) -> bytes:
    """Canonical JSON: sorted keys, no insignificant space, UTF-8. Equal data, equal bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def encode_event(event: ev.ProjectEvent) -> tuple[str, int, bytes]:
    """``(type_name, schema_version, canonical payload bytes)`` of ``event``."""
    return event.TYPE_NAME, event.SCHEMA_VERSION, canonical_bytes(event_to_data(event))


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _from_data(hint: Any, data: Any, upcasters: Upcasters) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        if data is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_data(options[0], data, upcasters)
    if origin is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        return tuple(_from_data(item_hint, item, upcasters) for item in data)
    if origin is not None and origin in (Mapping, dict, typing.Mapping):
        _, value_hint = typing.get_args(hint)
        return {k: _from_data(value_hint, v, upcasters) for k, v in data.items()}
    if hint is Any or hint in (bool, int, str):
        return data
    if isinstance(hint, type):
        if issubclass(hint, ev.ProjectEvent):
            return event_from_data(data["type"], data["schema_version"], data["data"], upcasters)
        if issubclass(hint, Enum):
            return hint(data)
        if hint is datetime:
            return datetime.fromisoformat(data)
        if hint is date:
            return date.fromisoformat(data)
        if hint is Decimal:
            return Decimal(data)
        if attrs.has(hint):
            hints = _hints(hint)
            return hint(**{k: _from_data(hints[k], v, upcasters) for k, v in data.items()})
    raise TypeError(f"cannot decode {hint!r}")


def event_from_data(
    type_name: str,
    schema_version: int,
    data: dict[str, Any],
    upcasters: Upcasters = NO_UPCASTERS,
) -> ev.ProjectEvent:
    """Rebuild an event from its stored type name, schema version and JSON payload."""
    cls = ev.EVENT_TYPES.get(type_name)
    if cls is None:
        raise InvalidValue(
            f"Loại sự kiện không xác định: {type_name}",
            f"unknown event type: {type_name}",
            project_code=data.get("project_code") if isinstance(data, dict) else None,
            field="type",
            rule_id="event_type_known",
        )
    if schema_version != cls.SCHEMA_VERSION:
        data = upcasters.upcast(type_name, schema_version, dict(data), cls.SCHEMA_VERSION)
    hints = _hints(cls)
    try:
        return cls(**{k: _from_data(hints[k], v, upcasters) for k, v in data.items()})
    except KeyError as exc:
        raise InvalidValue(
            f"Trường không xác định {exc.args[0]!r} trong {type_name} phiên bản {schema_version}",
            f"unknown field {exc.args[0]!r} in {type_name} schema version {schema_version}",
            project_code=data.get("project_code"),
            field=str(exc.args[0]),
            rule_id="event_schema",
        ) from exc


def decode_event(
    type_name: str,
    schema_version: int,
    payload: bytes,
    upcasters: Upcasters = NO_UPCASTERS,
) -> ev.ProjectEvent:
    """Inverse of :func:`encode_event`."""
    return event_from_data(type_name, schema_version, json.loads(payload), upcasters)
