"""A project's timeline: one dated entry per stored event, for reviews and read models.

An entry keeps, per stored version, the event's type, its two dates and the fields the fold
reads of it (:data:`~dautu_core.event_view.FOLD_FIELDS`), as stored. Why not keep typed
events: a provincial review reads the whole global log (200,000 events for 10,000 projects),
and building typed, validated events is the dominant cost there (tens of microseconds per
event, against a few for parsing the JSON). The entries fold through the core's own handlers
(:meth:`TimelineEntry.view`, :func:`dautu_core.replay.state_of`), so the review's facts are a
view of :class:`~dautu_core.state.ProjectState`, not a second fold.

A timeline keeps every entry, corrections included, so the state *as of any date* and *as known
at any time* can be recomputed from it without reading the store again.
"""

from __future__ import annotations

import hashlib
import json
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from dautu_core import event_view
from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS, Upcasters, event_to_data
from dautu_core.errors import InvalidValue
from dautu_core.event_view import FOLD_FIELDS, EventView, fold_data, view_from_data
from dautu_core.record import StoredRecord

__all__ = [
    "EXTRACTION_VERSION",
    "ProjectTimeline",
    "TimelineEntry",
    "code_fingerprint",
    "entries_from_json",
    "entry_from_data",
    "entry_from_event",
    "entry_from_record",
    "extraction_digest",
    "timeline_from_events",
]


@attrs.frozen
class TimelineEntry:
    """One stored event, reduced to what reviews and read models use.

    ``effective`` is the ISO date (ISO dates compare correctly as text), ``recorded`` the ISO
    recorded time, ``data`` a small JSON-ready mapping whose keys depend on ``type_name``.
    """

    version: int
    type_name: str
    effective: str
    recorded: str
    data: Mapping[str, Any]

    def to_json(self) -> list[Any]:
        return [self.version, self.type_name, self.effective, self.recorded, self.data]

    @classmethod
    def from_json(cls, value: Sequence[Any]) -> TimelineEntry:
        """Inverse of :meth:`to_json` (the value comes from our own canonical JSON)."""
        version, type_name, effective, recorded, data = value
        return cls(version, type_name, effective, recorded, data)

    def view(self, upcasters: Upcasters = NO_UPCASTERS) -> EventView:
        """The event as the fold reads it (:mod:`dautu_core.event_view`)."""
        return view_from_data(self.type_name, self.data, self.effective, self.recorded, upcasters)


_SHARED: dict[Any, Any] = {}
_SHARED_SIZE = 1 << 17


def _sharing() -> Callable[[Any, Any], Any]:
    """The look-up that gives one object for equal texts or payloads of entries.

    Why: a portfolio holds 200,000 entries, and parsing a record or a checkpoint gives every
    text and payload its own object although most repeat (14 type names, a few thousand days,
    the same milestone delayed again). One object per value is invisible (texts are immutable,
    payloads never changed in place) and saves most of their memory. Recorded times are not
    shared: most are distinct, so the look-up would cost more than it saves. The table is
    bounded: it is emptied when full, checked once per call of this function.
    """
    if len(_SHARED) >= _SHARED_SIZE:
        _SHARED.clear()
    return _SHARED.setdefault


def _data(
    type_name: str, data: Mapping[str, Any], share: Callable[[Any, Any], Any]
) -> Mapping[str, Any]:
    """``data`` or an equal payload of the same event type already seen, for payloads of
    texts, numbers, booleans and nulls (a milestone met or delayed, a violation remedied: most
    entries). The key holds each value's type, so that ``true`` and ``1`` are never shared."""
    if len(data) == 1:  # most payloads: one text (a milestone, a violation id)
        ((name, value),) = data.items()
        if value.__class__ is str:
            one: Mapping[str, Any] = share((type_name, name, value), data)
            return one
    try:
        key = (type_name, tuple(data.items()), tuple(map(type, data.values())))
        shared: Mapping[str, Any] = share(key, data)
        return shared
    except TypeError:  # a list or an object inside: not hashable, kept as it is
        return data


def entries_from_json(values: Iterable[Sequence[Any]]) -> tuple[TimelineEntry, ...]:
    """:meth:`TimelineEntry.from_json` of each value, sharing equal type names, dates and
    payloads as :func:`entry_from_data` does."""
    share = _sharing()
    out = []
    for version, type_name, effective, recorded, data in values:
        type_name = share(type_name, type_name)
        out.append(
            TimelineEntry(
                version,
                type_name,
                share(effective, effective),
                recorded,
                _data(type_name, data, share),
            )
        )
    return tuple(out)


@attrs.frozen
class ProjectTimeline:
    """Every entry of one project, in stream order (versions 1, 2, 3... without gaps)."""

    project_code: str
    entries: tuple[TimelineEntry, ...] = ()

    @property
    def last_version(self) -> int:
        return self.entries[-1].version if self.entries else 0

    def extended(self, entries: Iterable[TimelineEntry]) -> ProjectTimeline:
        """A new timeline with ``entries`` appended; refuses a gap or a repeat in versions."""
        added = tuple(entries)
        expected = self.last_version + 1
        for entry in added:
            if entry.version != expected:
                raise InvalidValue(
                    f"Thiếu hoặc trùng sự kiện: chờ phiên bản {expected}, nhận {entry.version}",
                    f"missing or repeated event: expected version {expected}, got {entry.version}",
                    project_code=self.project_code,
                    field="version",
                    rule_id="stream_contiguous",
                )
            expected += 1
        return ProjectTimeline(self.project_code, self.entries + added)


def _stable_repr(value: object) -> str:
    """``repr`` that is the same in every process: a set's order depends on string hashing,
    which is randomised per process, so sets are written sorted."""
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_stable_repr(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_stable_repr(v) for v in value) + ")"
    return repr(value)


def code_fingerprint(
    code: types.CodeType, namespace: Mapping[str, Any], seen: set[str], module: str = __name__
) -> bytes:
    """The bytes that say what ``code`` does: its bytecode, constants (nested code included) and
    names, followed by the fingerprints of the functions of ``module`` it calls by name."""
    parts = [code.co_code, repr(code.co_names).encode()]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            parts.append(code_fingerprint(const, namespace, seen, module))
        else:
            parts.append(_stable_repr(const).encode())
    for name in code.co_names:
        called = namespace.get(name)
        key = f"{module}.{name}"
        own = isinstance(called, types.FunctionType) and called.__module__ == module
        if own and key not in seen and isinstance(called, types.FunctionType):
            seen.add(key)
            parts.append(name.encode() + code_fingerprint(called.__code__, namespace, seen, module))
    return b"\0".join(parts)


def extraction_digest(
    fields: Mapping[str, tuple[str, ...]] | None = None,
    namespace: Mapping[str, Any] | None = None,
) -> str:
    """A short digest of what a timeline entry keeps of each event type, computed from the code.

    Why computed and not a hand-bumped number: the stored portfolio projection is made of
    entries, so its format must change whenever what an entry keeps changes, and a number raised
    by hand is forgotten. The digest covers the shape of an entry, the fields kept of each type
    (:data:`~dautu_core.event_view.FOLD_FIELDS`) and the code that keeps them
    (:func:`entry_from_data`, :func:`~dautu_core.event_view.fold_data` and the helpers of their
    modules they call: bytecode, constants, names). A new Python version may compile the same
    source differently; the projection is then rebuilt once, which is slower but never wrong.
    """
    table = FOLD_FIELDS if fields is None else fields
    digest = hashlib.sha256()
    digest.update(repr([a.name for a in attrs.fields(TimelineEntry)]).encode())
    seen: set[str] = set()
    digest.update(code_fingerprint(entry_from_data.__code__, globals(), seen))
    scope = vars(event_view) if namespace is None else namespace
    digest.update(code_fingerprint(event_view.fold_data.__code__, scope, seen, event_view.__name__))
    for type_name in sorted(table):
        digest.update(f"{type_name}:{','.join(table[type_name])};".encode())
    return digest.hexdigest()[:12]


def entry_from_data(
    version: int,
    type_name: str,
    schema_version: int,
    data: Mapping[str, Any],
    upcasters: Upcasters = NO_UPCASTERS,
) -> TimelineEntry:
    """The entry of a stored event from its type name, schema version and JSON payload."""
    cls = ev.EVENT_TYPES.get(type_name)
    if cls is None:
        raise InvalidValue(
            f"Loại sự kiện không xác định: {type_name}",
            f"unknown event type: {type_name}",
            project_code=data.get("project_code"),
            field="type",
            rule_id="event_type_known",
        )
    if schema_version != cls.SCHEMA_VERSION:
        data = upcasters.upcast(type_name, schema_version, dict(data), cls.SCHEMA_VERSION)
    share = _sharing()
    effective = str(data["effective_date"])
    type_name = share(type_name, type_name)
    return TimelineEntry(
        version,
        type_name,
        share(effective, effective),
        str(data["recorded_at"]),
        _data(type_name, fold_data(type_name, data, upcasters), share),
    )


_DECODE = json.JSONDecoder().raw_decode


def entry_from_record(record: StoredRecord, upcasters: Upcasters = NO_UPCASTERS) -> TimelineEntry:
    """The entry of a record as a store returns it (its bytes are parsed, never changed).

    Records are canonical UTF-8 JSON without surrounding space, so the text is decoded and
    parsed directly (``json.loads`` would first sniff the encoding of every record).
    """
    value = _DECODE(record.data.decode("utf-8"))[0]
    return entry_from_data(
        record.version, value["type"], value["schema_version"], value["data"], upcasters
    )


def entry_from_event(version: int, event: ev.ProjectEvent) -> TimelineEntry:
    """The entry of a typed event recorded at ``version``."""
    return entry_from_data(version, event.TYPE_NAME, event.SCHEMA_VERSION, event_to_data(event))


def timeline_from_events(
    recorded: Iterable[tuple[int, ev.ProjectEvent]], project_code: str | None = None
) -> ProjectTimeline:
    """The timeline of ``(version, event)`` pairs as :meth:`ProjectState.events` returns them."""
    items = list(recorded)
    code = project_code if project_code is not None else (items[0][1].project_code if items else "")
    return ProjectTimeline(code).extended(entry_from_event(v, e) for v, e in items)


EXTRACTION_VERSION = extraction_digest()
"""Version of what an entry keeps of each event, :func:`extraction_digest` of the code at
import: the portfolio projection's format is derived from it, so stored projections folded by
another extraction are rebuilt rather than read with missing or stale fields."""
