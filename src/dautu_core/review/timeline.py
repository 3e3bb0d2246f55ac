"""A project's timeline: one compact, dated entry per stored event, for reviews and read models.

Why not decode every event and fold :class:`~dautu_core.state.ProjectState`: a provincial
review reads the whole global log (200,000 events for 10,000 projects), and building typed,
validated events is the dominant cost there (tens of microseconds per event, against a few for
parsing the JSON). Records were validated when they were written, so a review can read the
fields it needs straight from the stored JSON. A timeline keeps, per stored version, only those
fields; :func:`dautu_core.review.facts.facts_as_of` folds it into the facts the review rules read.
The same code path serves typed events (through :func:`~dautu_core.codec.event_to_data`), and a
property test checks that the facts agree with the core's own fold.

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

from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS, Upcasters, event_to_data
from dautu_core.errors import InvalidValue
from dautu_core.record import StoredRecord
from dautu_core.vocab import AdjustmentKind

__all__ = [
    "EXTRACTION_VERSION",
    "EXTRACTORS",
    "ProjectTimeline",
    "TimelineEntry",
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


def _milestone_key(milestone: Mapping[str, Any]) -> str:
    label = milestone.get("label")
    kind = str(milestone["kind"])
    return kind if label is None else f"{kind}:{label}"


def _schedule(schedule: Mapping[str, Any] | None) -> list[list[str]] | None:
    if schedule is None:
        return None
    return [[_milestone_key(m), str(m["due"])] for m in schedule["milestones"]]


def _location(location: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "province": location.get("province"),
        "district": location.get("district"),
        "iz": bool(location.get("inside_industrial_zone", False)),
    }


def _level(authority: Mapping[str, Any] | None) -> str | None:
    return None if authority is None else authority.get("level")


def _name(authority: Mapping[str, Any] | None) -> str | None:
    return None if authority is None else authority.get("name")


def _investors(investors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "investors": [i["name"] for i in investors],
        "foreign": any(i.get("nationality", "VN") != "VN" for i in investors),
    }


def _approved(d: Mapping[str, Any]) -> dict[str, Any]:
    land = d.get("land_area")
    return {
        "name": d["project_name"],
        **_investors(d["investors"]),
        "objectives": d.get("objectives"),
        "duration": d.get("duration_years"),
        **_location(d["location"]),
        "sector": d["sector"],
        "mineral": bool(d.get("is_mineral_exploitation", False)),
        "land": None if land is None else str(land["square_metres"]),
        "capital": d["capital"]["dong"],
        "schedule": _schedule(d["schedule"]),
        "authority": _name(d["authority"]),
        "level": _level(d["authority"]),
        "regime": d["regime"],
    }


def _adjusted(d: Mapping[str, Any]) -> dict[str, Any]:
    changes = d["changes"]
    out: dict[str, Any] = {"policy": bool(d.get("policy_adjusted", False))}
    if changes.get("schedule") is not None:
        out["schedule"] = _schedule(changes["schedule"])
    if changes.get("location") is not None:
        out["location"] = _location(changes["location"])
    if changes.get("land_area") is not None:
        out["land"] = str(changes["land_area"]["square_metres"])
    if changes.get("capital") is not None:
        out["capital"] = changes["capital"]["dong"]
    if changes.get("investors") is not None:
        out.update(_investors(changes["investors"]))
    if changes.get("objectives") is not None:
        out["objectives"] = changes["objectives"]
    if changes.get("duration_years") is not None:
        out["duration"] = changes["duration_years"]
    return out


_CHANGE_KINDS = {
    "capital": AdjustmentKind.CAPITAL.value,
    "schedule": AdjustmentKind.SCHEDULE.value,
    "land_area": AdjustmentKind.LAND.value,
    "location": AdjustmentKind.LOCATION.value,
    "objectives": AdjustmentKind.OBJECTIVES.value,
    "investors": AdjustmentKind.INVESTOR.value,
    "duration_years": AdjustmentKind.DURATION.value,
}
"""Field of :class:`~dautu_core.events.ProjectChanges` -> its :class:`AdjustmentKind` id."""


def _requested(d: Mapping[str, Any]) -> dict[str, Any]:
    changes = d["changes"]
    return {
        "policy": bool(d.get("policy_adjustment_required", False)),
        "triggers": list(d.get("triggers", ())),
        "kinds": sorted(_CHANGE_KINDS.get(k, k) for k, v in changes.items() if v is not None),
    }


EXTRACTORS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "dautu.ProjectApproved": _approved,
    "dautu.MilestoneMet": lambda d: {"m": d["milestone"]},
    "dautu.DelayRecorded": lambda d: {"m": d["milestone"]},
    "dautu.ScheduleExtended": lambda d: {
        "months": d["months"],
        "ground": d.get("ground"),
        "ms": list(d.get("milestones", ())),
    },
    "dautu.ViolationFound": lambda d: {
        "id": d["violation_id"],
        "cat": d["category"],
        "by": _name(d.get("found_by")),
        "level": _level(d.get("found_by")),
    },
    "dautu.ViolationSanctioned": lambda d: {
        "id": d["violation_id"],
        "fine": None if d.get("fine") is None else d["fine"]["dong"],
        "level": _level(d.get("sanctioning_authority")),
    },
    "dautu.ViolationRemedied": lambda d: {"id": d["violation_id"]},
    "dautu.AdjustmentRequested": _requested,
    "dautu.ProjectAdjusted": _adjusted,
    "dautu.ProjectSuspended": lambda d: {
        "ground": d["ground"],
        "until": d.get("until"),
        "level": _level(d.get("authority")),
    },
    "dautu.ProjectResumed": lambda d: {},
    "dautu.ProjectTerminated": lambda d: {
        "ground": d["ground"],
        "partial": bool(d.get("partial", False)),
    },
    "dautu.ReviewDecided": lambda d: {
        "track": d["track"],
        "round": d["review_round"],
        "by": _name(d.get("authority")),
    },
}
"""What an entry keeps of each event type's stored JSON, by stable type name (every type of
:data:`~dautu_core.events.EVENT_TYPES` but ``dautu.EventCorrected``, which
``_entry_of_correction`` compacts). A test fails when a type has no entry here."""


def _stable_repr(value: object) -> str:
    """``repr`` that is the same in every process: a set's order depends on string hashing,
    which is randomised per process, so sets are written sorted."""
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_stable_repr(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_stable_repr(v) for v in value) + ")"
    return repr(value)


def _fingerprint(code: types.CodeType, namespace: Mapping[str, Any], seen: set[str]) -> bytes:
    """The bytes that say what ``code`` does: its bytecode, constants (nested code included) and
    names, followed by the fingerprints of this module's functions it calls by name."""
    parts = [code.co_code, repr(code.co_names).encode()]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            parts.append(_fingerprint(const, namespace, seen))
        else:
            parts.append(_stable_repr(const).encode())
    for name in code.co_names:
        called = namespace.get(name)
        own = isinstance(called, types.FunctionType) and called.__module__ == __name__
        if own and name not in seen and isinstance(called, types.FunctionType):
            seen.add(name)
            parts.append(name.encode() + _fingerprint(called.__code__, namespace, seen))
    return b"\0".join(parts)


def extraction_digest(
    extract: Mapping[str, Any] | None = None, namespace: Mapping[str, Any] | None = None
) -> str:
    """A short digest of what a timeline entry keeps of each event type, computed from the code.

    Why computed and not a hand-bumped number: the stored portfolio projection is made of
    entries, so its format must change whenever what an entry keeps changes, and a number raised
    by hand is forgotten. The digest covers the type names, the extraction function of each
    (bytecode, constants, names, and the helpers of this module it calls) and the shape of an
    entry. A new Python version may compile the same source differently; the projection is
    then rebuilt once, which is slower but never wrong.
    """
    table = EXTRACTORS if extract is None else extract
    scope = globals() if namespace is None else namespace
    digest = hashlib.sha256()
    digest.update(repr([a.name for a in attrs.fields(TimelineEntry)]).encode())
    seen: set[str] = set()
    for function in (entry_from_data, _entry_of_correction):
        digest.update(_fingerprint(function.__code__, scope, seen))
    for type_name in sorted(table):
        digest.update(type_name.encode())
        digest.update(_fingerprint(table[type_name].__code__, scope, seen))
    return digest.hexdigest()[:12]


def _entry_of_correction(data: Mapping[str, Any], upcasters: Upcasters) -> dict[str, Any]:
    """What an entry keeps of an :class:`~dautu_core.events.EventCorrected`: the target, the
    action and the replacement as an entry of its own."""
    replacement = data.get("replacement")
    compact: dict[str, Any] = {
        "target": data["corrects_version"],
        "action": data["action"],
        "replacement": None,
    }
    if replacement is not None:
        compact["replacement"] = entry_from_data(
            data["corrects_version"],
            replacement["type"],
            replacement["schema_version"],
            replacement["data"],
            upcasters,
        ).to_json()
    return compact


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
    if type_name == "dautu.EventCorrected":
        compact = _entry_of_correction(data, upcasters)
    else:
        compact = EXTRACTORS[type_name](data)
    return TimelineEntry(
        version, type_name, str(data["effective_date"]), str(data["recorded_at"]), compact
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
