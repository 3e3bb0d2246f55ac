"""Folding a project's stored records as plain rows, checking their hash chain on the way.

Why a module of its own: a rebuild (:meth:`dautu_adapters.service.ProjectService.load`, a cold
command) reads a project's records as rows and decodes the ones the hash chain vouches for
without re-validating them; how a record is read at fixed places and which decode it gets is
this module's one concern, apart from the service's commands and caches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from dautu_adapters.stores.errors import StreamCorrupted
from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS, Upcasters, trusted_decoder, trusted_event_from_data
from dautu_core.errors import DautuError
from dautu_core.record import RecordRow, StoredRecord
from dautu_core.state import ProjectState, evolve_all

__all__ = ["fold_chained_rows", "stream_corrupted"]


def stream_corrupted(code: str, expected: int, found: int) -> StreamCorrupted:
    """The error of a stream whose versions do not follow on (one definition for every fold
    of stored records)."""
    return StreamCorrupted(
        f"Hồ sơ của dự án {code} bị hỏng: sau phiên bản {expected - 1} lẽ ra là phiên bản "
        f"{expected}, nhưng kho trả về phiên bản {found}; thử lại không giúp được, hãy kiểm "
        "tra kho lưu trữ (dautu verify)",
        f"the record of project {code} is damaged: version {expected - 1} should be followed "
        f"by version {expected}, but the store returned version {found}; retrying will not "
        "help, check the store (dautu verify)",
        project_code=code,
        field="version",
        rule_id="stream_contiguous",
    )


_RAW_DECODE = json.JSONDecoder().raw_decode
_DATA_START = '{"data":'
_PREV_MARK = ',"prev":"'
_HASH_END = len(_PREV_MARK) + 64

_Plan = tuple[str, Callable[[Any, Upcasters], Any]] | None
_PLANS: dict[str, _Plan] = {}


def _plan(type_name: str) -> _Plan:
    """How a canonical record of ``type_name`` at its current schema version ends after
    its ``prev`` hash, and the trusted decoder of its payload (``None``: not a type the
    trusted path knows, such records are parsed whole)."""
    found = _PLANS.get(type_name, False)
    if found is not False:
        return found  # type: ignore[return-value]
    cls = ev.EVENT_TYPES.get(type_name)
    decoder = trusted_decoder(type_name, cls.SCHEMA_VERSION) if cls is not None else None
    plan: _Plan = None
    if cls is not None and decoder is not None:
        tail = f'","schema_version":{cls.SCHEMA_VERSION},"type":' + json.dumps(
            type_name, ensure_ascii=False
        )
        plan = (tail + "}", decoder)
    _PLANS[type_name] = plan
    return plan


def _read_record(text: str, type_name: str) -> tuple[str, Any, Any] | None:
    """``(prev, payload, trusted decoder or None)`` of a record's text, or ``None`` when it
    is not one JSON object holding a record.

    A record of a known type at its current schema version is read at fixed places (the
    canonical layout, see :mod:`dautu_core.record`): its stored type, schema version and
    ``prev`` are compared, only its payload is parsed. Anything else is parsed whole.
    """
    plan = _PLANS.get(type_name, False)
    if plan is False:
        plan = _plan(type_name)
    if plan is not None:
        tail, decoder = plan  # type: ignore[misc]
        mark = len(text) - len(tail) - _HASH_END
        if (
            text.endswith(tail)
            and text.startswith(_PREV_MARK, mark)
            and text.startswith(_DATA_START)
        ):
            try:
                payload, end = _RAW_DECODE(text, len(_DATA_START))
            except ValueError:
                return None
            if end == mark and payload.__class__ is dict:
                return text[mark + len(_PREV_MARK) : mark + _HASH_END], payload, decoder
    try:
        value, end = _RAW_DECODE(text)
    except ValueError:
        return None
    if end != len(text) or value.__class__ is not dict:
        return None
    try:
        return value["prev"], value["data"], (value["type"], value["schema_version"])
    except KeyError:
        return None


def fold_chained_rows(
    state: ProjectState,
    last_hash: str,
    code: str,
    rows: Sequence[RecordRow],
    upcasters: Upcasters = NO_UPCASTERS,
) -> tuple[ProjectState, str]:
    """``state`` with ``rows`` (the next records of project ``code``'s stream, after the
    record whose hash is ``last_hash``) folded in, checking their hash chain on the way; and
    the hash of the last record.

    Why: the records of a project were validated when they were decided, and their bytes
    chain: each names the SHA-256 of its predecessor (``prev``). A record whose ``prev``
    continues the chain from ``start`` and whose successor's ``prev`` is its own hash is the
    record that was written; it is decoded without re-validating
    (:func:`~dautu_core.codec.trusted_event_from_data`, proven equal to the validating decode
    by a property test over every event type). Every other record (the last one read, one
    that breaks the chain, one that does not parse as a record) is decoded the validating
    way, with its errors. A version out of place is :func:`stream_corrupted`.
    """
    expected = state.version + 1
    sha256 = hashlib.sha256
    # The record read before this one and what was read of it if it continued the chain
    # (else ``None``): decoded once this record's prev says whether it is the record that
    # was written.
    pending: RecordRow | None = None
    pending_read: tuple[str, Any, Any] | None = None
    events: list[ev.ProjectEvent] = []
    for row in rows:
        version = row[1]
        if version != expected:
            raise stream_corrupted(code, expected, version)
        expected += 1
        data = row[4]
        try:
            read = _read_record(data.decode(), row[3])
        except UnicodeDecodeError:
            read = None
        linked = read is not None and read[0] == last_hash
        if pending is not None:
            events.append(_event(pending, pending_read if linked else None, upcasters))
        pending, pending_read = row, read if linked else None
        last_hash = sha256(data).hexdigest()
    if pending is not None:
        events.append(StoredRecord(*pending).event(upcasters))
    return evolve_all(state, events), last_hash  # one private draft between corrections


def _event(row: RecordRow, read: tuple[str, Any, Any] | None, upcasters: Upcasters) -> Any:
    """The event of a record: decoded the trusted way when ``read`` (its successor names its
    hash), else, or when the trusted decode refuses it, the validating way, with its errors."""
    if read is not None:
        _, payload, how = read
        try:
            if how.__class__ is tuple:
                return trusted_event_from_data(how[0], how[1], payload, upcasters)
            return how(payload, upcasters)
        except (DautuError, KeyError, TypeError, ValueError, AttributeError):
            pass  # the validating decode below raises it with the record's version
    return StoredRecord(*row).event(upcasters)
