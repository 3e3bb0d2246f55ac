"""Bitemporal replay: a project as of an effective date, as known at a recorded time.

Two clocks run through the record (see :mod:`dautu_core.events`): the *effective date* of a
legal fact and the *recorded time* when the system learned it. Auditors ask both questions at
once: "what was this project's state on 1 Jan 2024, as the department knew it on 15 Feb 2024?"

The rule, in this order:

1. keep the events recorded at or before ``known_at`` (what we knew then; a correction
   recorded later is not honoured);
2. apply the known corrections (:func:`dautu_core.state.effective_history`): retracted events
   drop out, amended ones are replaced, corrections themselves leave;
3. keep the events whose effective date (the replacement's, for an amended event) is at or
   before ``as_of``;
4. fold them in recording (version) order, the order the rules judged them in.

A correction is a change in what we know, not a legal fact of its own: it is filtered by its
recorded time only, never by its effective date. ``None`` for either bound means "no bound",
so ``state_at(h)`` equals the plain fold of the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS, Upcasters
from dautu_core.record import StoredRecord
from dautu_core.state import CORRECTION_TYPE, ProjectState, effective_history, fold_drafted
from dautu_core.vocab import CorrectionAction

__all__ = [
    "EntryStatus",
    "FieldChange",
    "HistoryDiff",
    "HistoryEntry",
    "Point",
    "Recorded",
    "diff",
    "effective_events",
    "from_events",
    "from_records",
    "history",
    "known",
    "state_at",
    "state_of",
]


@attrs.frozen
class Recorded:
    """One event as recorded: its version in the project's stream and, when read from a store,
    its global position and record hash (so a listing can be matched with an audit bundle)."""

    version: int
    event: ev.ProjectEvent
    position: int | None = None
    record_hash: str | None = None


def from_records(
    records: Iterable[StoredRecord], upcasters: Upcasters = NO_UPCASTERS
) -> list[Recorded]:
    """Decode stored records (one project's stream, in version order)."""
    return [Recorded(r.version, r.event(upcasters), r.position, r.hash) for r in records]


def from_events(events: Iterable[ev.ProjectEvent]) -> list[Recorded]:
    """Number events 1, 2, 3... as a stream would (for tests and in-memory use)."""
    return [Recorded(version, event) for version, event in enumerate(events, start=1)]


@attrs.frozen
class Point:
    """A point in the two times: effective date ``as_of`` and recorded time ``known_at``."""

    as_of: date | None = None
    known_at: datetime | None = None

    def describe(self, lang: str = "vi") -> str:
        as_of = self.as_of.isoformat() if self.as_of else ("nay" if lang == "vi" else "now")
        known = self.known_at.isoformat() if self.known_at else ("nay" if lang == "vi" else "now")
        if lang == "vi":
            return f"tính đến ngày {as_of}, theo hiểu biết lúc {known}"
        return f"as of {as_of}, as known at {known}"


def known(recorded: Iterable[Recorded], known_at: datetime | None = None) -> list[Recorded]:
    """The events recorded at or before ``known_at`` (all of them when ``None``).

    A record corrected by a correction known at ``known_at`` is known too, even if its own
    recorded time is later: that time is wrong (a typo such as 2204 for 2024, see rule
    ``recorded_in_order``), since the record was there to be corrected.
    """
    items = list(recorded)
    if known_at is None:
        return items
    corrected = _corrected_by(((r.version, r.event) for r in items), known_at)
    return [r for r in items if r.event.recorded_at <= known_at or r.version in corrected]


def _corrected_by(items: Iterable[tuple[int, Any]], known_at: datetime | None) -> set[int]:
    """The versions corrected by a correction recorded at or before ``known_at``."""
    return {
        event.corrects_version
        for _, event in items
        if event.TYPE_NAME == CORRECTION_TYPE
        and (known_at is None or event.recorded_at <= known_at)
    }


def effective_events(
    recorded: Iterable[Recorded], *, as_of: date | None = None, known_at: datetime | None = None
) -> list[tuple[int, ev.ProjectEvent]]:
    """``(version, event)`` in effect at the point, corrections applied (steps 1-3 above)."""
    knowledge = known(recorded, known_at)
    items = effective_history((r.version, r.event) for r in knowledge)
    if as_of is None:
        return items
    return [(v, e) for v, e in items if e.effective_date <= as_of]


def state_at(
    recorded: Iterable[Recorded], *, as_of: date | None = None, known_at: datetime | None = None
) -> ProjectState:
    """The project's state as of ``as_of``, as known at ``known_at``.

    The state's ``version`` is the last version known at ``known_at`` and
    ``corrected_versions`` the versions corrected by then, whatever ``as_of`` says.
    """
    return state_of([(r.version, r.event) for r in recorded], as_of=as_of, known_at=known_at)


def state_of(
    recorded: Sequence[tuple[int, Any]],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> ProjectState:
    """:func:`state_at` of ``(version, event)`` pairs, in version order.

    The one implementation of the rule above. ``event`` is a typed event or a view of a
    stored event (:mod:`dautu_core.event_view`, what the review folds): both go through the
    same handlers (:data:`dautu_core.state.HANDLERS`), so the review and the history cannot
    disagree on what an event does.
    """
    items: Sequence[tuple[int, Any]] = recorded
    if known_at is None:
        for _, event in items:
            if event.TYPE_NAME == CORRECTION_TYPE:
                break
        else:
            # No correction and no bound on knowledge (a review of what is known today): the
            # same steps as below, without the passes that would find nothing to apply.
            last = max([v for v, _ in items]) if items else 0
            if as_of is not None:
                items = [(v, e) for v, e in items if e.effective_date <= as_of]
            return fold_drafted(items, version=last, corrected_versions=frozenset())
    if known_at is not None:
        corrected = _corrected_by(items, known_at)
        items = [(v, e) for v, e in items if e.recorded_at <= known_at or v in corrected]
    effective = effective_history(items)
    if as_of is not None:
        effective = [(v, e) for v, e in effective if e.effective_date <= as_of]
    return fold_drafted(
        effective,
        version=max((v for v, _ in items), default=0),
        corrected_versions=frozenset(_corrected_by(items, None)),
    )


@attrs.frozen
class FieldChange:
    """One field of the state that differs between two points."""

    field: str
    before: Any
    after: Any


@attrs.frozen(kw_only=True)
class HistoryDiff:
    """What changed in what we knew between two points.

    ``learned``: versions recorded after the first point's ``known_at`` and by the second's;
    ``appeared`` / ``disappeared``: versions in effect at one point only (new facts, facts
    whose date came, retractions); ``amended``: versions in effect at both but saying different
    things (a correction honoured); ``changes``: the state's fields that differ.
    """

    before: Point
    after: Point
    learned: tuple[int, ...]
    appeared: tuple[int, ...]
    disappeared: tuple[int, ...]
    amended: tuple[int, ...]
    changes: tuple[FieldChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.appeared or self.disappeared or self.amended or self.changes)


# The facts about the project: what ``ProjectState`` compares (not its history or bookkeeping).
_COMPARED = tuple(f.name for f in attrs.fields(ProjectState) if f.eq)


def diff(recorded: Sequence[Recorded], before: Point, after: Point) -> HistoryDiff:
    """The difference between the project at ``before`` and at ``after``."""
    old = dict(effective_events(recorded, as_of=before.as_of, known_at=before.known_at))
    new = dict(effective_events(recorded, as_of=after.as_of, known_at=after.known_at))
    old_state = state_at(recorded, as_of=before.as_of, known_at=before.known_at)
    new_state = state_at(recorded, as_of=after.as_of, known_at=after.known_at)
    changes = tuple(
        FieldChange(name, getattr(old_state, name), getattr(new_state, name))
        for name in _COMPARED
        if getattr(old_state, name) != getattr(new_state, name)
    )
    before_known = {r.version for r in known(recorded, before.known_at)}
    after_known = {r.version for r in known(recorded, after.known_at)}
    return HistoryDiff(
        before=before,
        after=after,
        learned=tuple(sorted(after_known - before_known)),
        appeared=tuple(sorted(set(new) - set(old))),
        disappeared=tuple(sorted(set(old) - set(new))),
        amended=tuple(sorted(v for v in set(old) & set(new) if old[v] != new[v])),
        changes=changes,
    )


class EntryStatus(StrEnum):
    """How an event stands in the history at a point."""

    RECORDED = "recorded"
    AMENDED = "amended"
    RETRACTED = "retracted"
    CORRECTION = "correction"

    def label(self, lang: str = "vi") -> str:
        vi, en = _STATUS_LABELS[self]
        return vi if lang == "vi" else en


_STATUS_LABELS = {
    EntryStatus.RECORDED: ("đã ghi", "recorded"),
    EntryStatus.AMENDED: ("đã được sửa đổi", "amended"),
    EntryStatus.RETRACTED: ("đã bị huỷ bỏ", "retracted"),
    EntryStatus.CORRECTION: ("đính chính", "correction"),
}


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One line of a project's history: the event as recorded and how it stands.

    For a corrected event, ``corrected_by`` lists the (known) corrections, latest last, and
    ``replacement`` is what it now says (amended) or ``None`` (retracted). For a correction,
    ``corrects`` is the version it corrects; who made it is its envelope's actor, why its
    ``reason``.
    """

    recorded: Recorded
    status: EntryStatus
    in_effect: bool
    corrected_by: tuple[int, ...] = ()
    replacement: ev.ProjectEvent | None = None
    corrects: int | None = None

    @property
    def version(self) -> int:
        return self.recorded.version

    @property
    def event(self) -> ev.ProjectEvent:
        return self.recorded.event


def history(
    recorded: Iterable[Recorded], *, as_of: date | None = None, known_at: datetime | None = None
) -> list[HistoryEntry]:
    """Every event known at ``known_at`` with its standing; with ``as_of``, the events that
    took effect by then (by the date in force: the replacement's, if amended) and their
    corrections. Originals are always shown next to their corrections: nothing is hidden."""
    knowledge = known(recorded, known_at)
    in_effect = {v for v, _ in effective_events(knowledge, as_of=as_of)}
    corrections: dict[int, list[ev.EventCorrected]] = {}
    correction_versions: dict[int, list[int]] = {}
    for r in knowledge:
        if isinstance(r.event, ev.EventCorrected):
            corrections.setdefault(r.event.corrects_version, []).append(r.event)
            correction_versions.setdefault(r.event.corrects_version, []).append(r.version)
    entries: list[HistoryEntry] = []
    shown: set[int] = set()
    for r in knowledge:
        event = r.event
        if isinstance(event, ev.EventCorrected):
            if event.corrects_version in shown:
                entries.append(
                    HistoryEntry(
                        recorded=r,
                        status=EntryStatus.CORRECTION,
                        in_effect=True,
                        corrects=event.corrects_version,
                    )
                )
            continue
        latest = corrections.get(r.version, [])
        status, replacement = EntryStatus.RECORDED, None
        if latest:
            last = latest[-1]
            if last.action is CorrectionAction.RETRACT:
                status = EntryStatus.RETRACTED
            else:
                status, replacement = EntryStatus.AMENDED, last.replacement
        in_force = replacement if replacement is not None else event
        if as_of is not None and in_force.effective_date > as_of:
            continue
        shown.add(r.version)
        entries.append(
            HistoryEntry(
                recorded=r,
                status=status,
                in_effect=r.version in in_effect,
                corrected_by=tuple(correction_versions.get(r.version, ())),
                replacement=replacement,
            )
        )
    return entries
