"""What the fold reads of a stored event: a light view with the fields the state handlers use.

Why views: the state of a project is one fold (:data:`dautu_core.state.HANDLERS`), and a
provincial review folds every event of every project (200,000 for 10,000 projects). Building a
typed, validated event for each costs tens of microseconds (its actor, legal basis, documents
and texts are checked again), while the handlers read a few fields of it. A view carries those
fields, decoded exactly as the typed event decodes them (:func:`dautu_core.codec.field_decoder`),
and the same handlers fold it: there is one definition of what each event does, and two ways
to hand it an event.

:data:`FOLD_FIELDS` lists, per event type, the fields the handlers read besides
``effective_date`` and ``recorded_at`` (every view has both). It is checked, not trusted: a
property test folds generated histories as typed events and as views and requires equal
states, so a handler that starts reading another field fails it (the view has no such
attribute) until the field is listed here. Records were validated when they were written, and
their bytes are checked by the audit trail; a view is for reading them, never for deciding.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar

import attrs

from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS, Upcasters, field_decoder
from dautu_core.errors import DautuError
from dautu_core.values import Investor, Milestone, Schedule
from dautu_core.vocab import MilestoneKind

__all__ = [
    "FOLD_FIELDS",
    "EventView",
    "fold_data",
    "view_from_data",
    "view_reader",
    "view_type",
]

FOLD_FIELDS: Mapping[str, tuple[str, ...]] = {
    ev.ProjectApproved.TYPE_NAME: (
        "project_code",
        "project_name",
        "objectives",
        "investors",
        "location",
        "capital",
        "land_area",
        "sector",
        "is_mineral_exploitation",
        "schedule",
        "duration_years",
        "authority",
        "regime",
    ),
    ev.MilestoneMet.TYPE_NAME: ("milestone",),
    ev.DelayRecorded.TYPE_NAME: ("milestone",),
    ev.ScheduleExtended.TYPE_NAME: ("months", "ground", "milestones"),
    ev.ViolationFound.TYPE_NAME: ("violation_id", "category", "description", "found_by"),
    ev.ViolationSanctioned.TYPE_NAME: ("violation_id", "fine"),
    ev.ViolationRemedied.TYPE_NAME: ("violation_id",),
    ev.AdjustmentRequested.TYPE_NAME: ("changes", "policy_adjustment_required", "triggers"),
    ev.ProjectAdjusted.TYPE_NAME: ("changes",),
    ev.ProjectSuspended.TYPE_NAME: ("ground", "until", "authority"),
    ev.ProjectResumed.TYPE_NAME: (),
    ev.ProjectTerminated.TYPE_NAME: ("ground", "partial", "scope"),
    ev.ReviewDecided.TYPE_NAME: ("track", "review_round", "authority"),
    ev.EventCorrected.TYPE_NAME: ("corrects_version", "action", "replacement"),
}
"""Per event type name, the fields the fold reads besides the two dates (see the module
docstring). A test fails when a type of :data:`~dautu_core.events.EVENT_TYPES` is missing."""

_CORRECTION = ev.EventCorrected.TYPE_NAME


class EventView:
    """Base of the view classes (one per event type, see :func:`view_type`)."""

    __slots__ = ("effective_date", "recorded_at")
    TYPE_NAME: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()
    effective_date: date
    recorded_at: datetime

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in ("effective_date", *self.FIELDS)
        )
        return f"<view {self.TYPE_NAME} {shown}>"


_Reader = Callable[[Mapping[str, Any], str, str, Upcasters], EventView]
_READERS: dict[str, _Reader] = {}
_VIEW_TYPES: dict[str, type[EventView]] = {}


def view_type(type_name: str) -> type[EventView]:
    """The view class of an event type (made once, with a slot per field it carries)."""
    cls = _VIEW_TYPES.get(type_name)
    if cls is None:
        event_cls = ev.EVENT_TYPES[type_name]
        fields = FOLD_FIELDS[type_name]
        namespace = {"__slots__": fields, "TYPE_NAME": type_name, "FIELDS": fields}
        cls = _VIEW_TYPES[type_name] = type(f"{event_cls.__name__}View", (EventView,), namespace)
    return cls


def _reader(type_name: str) -> _Reader:
    """The function that builds a view of ``type_name`` from its stored JSON fields.

    Each field is decoded by the decoder the typed event uses for it; an absent field takes
    the typed event's default (a record written before the field existed, once upcast).
    """
    cls = view_type(type_name)
    event_cls = ev.EVENT_TYPES[type_name]
    by_name = {a.name: a for a in attrs.fields(event_cls)}
    plan: list[tuple[str, Callable[[Any, Upcasters], Any] | None, Callable[[], Any] | None]] = []
    for name in FOLD_FIELDS[type_name]:
        if name == "replacement":
            plan.append((name, _replacement, None))
            continue
        decode = _fast_decoder(event_cls, name) or field_decoder(event_cls, name)
        plan.append((name, decode, _default(by_name[name])))
    new = object.__new__
    set_ = object.__setattr__
    from_date, from_time = date.fromisoformat, datetime.fromisoformat
    if len(plan) == 1 and plan[0][1] is None and plan[0][2] is None:
        # One plain, required field (a milestone met or delayed, a violation remedied): most
        # of a portfolio's events, so read without the general loop.
        (only, _, _) = plan[0]

        def read_one(
            data: Mapping[str, Any], effective: str, recorded: str, upcasters: Upcasters
        ) -> EventView:
            view = new(cls)
            view.effective_date = from_date(effective)
            view.recorded_at = from_time(recorded)
            set_(view, only, data[only])
            return view

        return read_one

    def read(
        data: Mapping[str, Any], effective: str, recorded: str, upcasters: Upcasters
    ) -> EventView:
        view = new(cls)
        view.effective_date = from_date(effective)
        view.recorded_at = from_time(recorded)
        for name, decode, default in plan:
            if name in data:
                value = data[name]
                if decode is not None and value is not None:
                    value = decode(value, upcasters)
            elif default is None:
                raise KeyError(name)
            else:
                value = default()
            set_(view, name, value)
        return view

    return read


_Decoder = Callable[[Any, Upcasters], Any]


def _fast_decoder(event_cls: type, name: str) -> _Decoder | None:
    """A faster decoder than the codec's for a field whose values are made anew for nearly
    every project (a schedule, the investors), giving the same values; ``None`` for the other
    fields (the codec's decoder remembers values that repeat, such as authorities)."""
    hints = typing.get_type_hints(event_cls)
    hint = hints.get(name)
    if hint in (Schedule, Schedule | None) and _SCHEDULE_PLAIN:
        return _fast_schedule(field_decoder(event_cls, name))
    if hint == tuple[Investor, ...]:
        return _investors
    return None


_MILESTONE_FIELDS = ("kind", "due", "label")
_SCHEDULE_PLAIN = tuple(a.name for a in attrs.fields(Milestone)) == _MILESTONE_FIELDS and tuple(
    a.name for a in attrs.fields(Schedule)
) == ("milestones",)
"""True while a milestone is its kind, due date and label and a schedule its milestones: what
:func:`_fast_schedule` sets."""
_label_converter: Callable[[Any], Any] = typing.cast(
    "Callable[[Any], Any]", attrs.fields(Milestone).label.converter
)


def _fast_schedule(codec: _Decoder | None) -> _Decoder:
    """The decoder of a stored schedule that sets each milestone's three fields directly.

    Why: constructing and validating the milestones was the largest share of reading an
    approval. A stored schedule was validated when it was written, so its milestones are set
    as the constructors would set them (the kind converted, the date parsed). Whatever the
    constructors might change or refuse goes to them instead (``codec``): a label not as its
    converter would write it, a phase without a label, a repeated milestone, another field.
    """
    assert codec is not None
    new, set_, from_date = object.__new__, object.__setattr__, date.fromisoformat
    phase = MilestoneKind.PHASE

    def decode(value: Any, upcasters: Upcasters) -> Any:
        try:
            milestones = []
            for item in value["milestones"]:
                kind, label = MilestoneKind(item["kind"]), item["label"]
                if len(item) != 3 or (label is None and kind is phase):
                    return codec(value, upcasters)
                if label is not None and _label_converter(label) != label:
                    return codec(value, upcasters)
                milestone = new(Milestone)
                set_(milestone, "kind", kind)
                set_(milestone, "due", from_date(item["due"]))
                set_(milestone, "label", label)
                milestones.append(milestone)
            if len(value) != 1 or len({m.key for m in milestones}) != len(milestones):
                return codec(value, upcasters)
        except (KeyError, TypeError, ValueError, DautuError):
            return codec(value, upcasters)
        schedule = new(Schedule)
        set_(schedule, "milestones", tuple(milestones))
        return schedule

    return decode


def _investors(value: Any, _upcasters: Upcasters) -> tuple[Investor, ...]:
    """The investors of a stored event, through :class:`~dautu_core.values.Investor`'s
    constructor, as the codec decodes them but without its look-up of values seen before
    (investors are one project's own)."""
    return tuple([Investor(**item) for item in value])


def _current(value: Mapping[str, Any], upcasters: Upcasters) -> tuple[str, Mapping[str, Any]]:
    """The type name and JSON fields of a nested event, upcast to the current schema."""
    type_name = str(value["type"])
    data = value["data"]
    target = ev.EVENT_TYPES[type_name].SCHEMA_VERSION
    if value["schema_version"] != target:
        data = upcasters.upcast(type_name, value["schema_version"], dict(data), target)
    return type_name, data


def _default(field: attrs.Attribute[Any]) -> Callable[[], Any] | None:
    """What makes an absent field's value, as the typed event's constructor would."""
    default: Any = field.default
    if default is attrs.NOTHING:
        return None
    factory: Callable[[], Any] | None = getattr(default, "factory", None)
    if factory is not None:
        return factory
    return lambda: default


def _replacement(value: Mapping[str, Any], upcasters: Upcasters) -> EventView:
    """The view of a correction's replacement (stored as a nested event)."""
    type_name, data = _current(value, upcasters)
    return view_from_data(
        type_name, data, str(data["effective_date"]), str(data["recorded_at"]), upcasters
    )


def view_from_data(
    type_name: str,
    data: Mapping[str, Any],
    effective: str,
    recorded: str,
    upcasters: Upcasters = NO_UPCASTERS,
) -> EventView:
    """The view of an event of ``type_name`` from its JSON fields at the current schema
    version (all of them, or only :func:`fold_data`'s), its ISO effective date and recorded
    time."""
    return view_reader(type_name)(data, effective, recorded, upcasters)


def view_reader(type_name: str) -> _Reader:
    """The function :func:`view_from_data` calls for ``type_name`` (made once): for a caller
    that reads many events and looks it up once per type."""
    read = _READERS.get(type_name)
    if read is None:
        read = _READERS[type_name] = _reader(type_name)
    return read


def fold_data(
    type_name: str, data: Mapping[str, Any], upcasters: Upcasters = NO_UPCASTERS
) -> dict[str, Any]:
    """The JSON fields of an event (at the current schema version) that its view carries, as
    stored; a correction's replacement keeps its type, its dates and its own fields, upcast to
    the current schema version."""
    kept = {name: data[name] for name in FOLD_FIELDS[type_name] if name in data}
    replacement = kept.get("replacement") if type_name == _CORRECTION else None
    if replacement is not None:
        inner_type, inner = _current(replacement, upcasters)
        kept["replacement"] = {
            "type": inner_type,
            "schema_version": ev.EVENT_TYPES[inner_type].SCHEMA_VERSION,
            "data": {
                "effective_date": inner["effective_date"],
                "recorded_at": inner["recorded_at"],
                **fold_data(inner_type, inner, upcasters),
            },
        }
    return kept
