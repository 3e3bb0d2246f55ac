"""The stored record of one event: canonical bytes that commit to their predecessor.

Why the chain is in the record from the first write: auditors must be able to trust the history
without trusting the database administrator. Each record's bytes contain the SHA-256 of the
previous record of the same project (``prev``), so changing, deleting, reordering or inserting
any record breaks every later link. The global log is then committed to by a Merkle tree over
record hashes (see :mod:`dautu_core.audit`). Storage adapters store these bytes unchanged and
never need to rewrite them.

The record is canonical JSON::

    {"data": {...event payload...}, "prev": "<64 hex>", "schema_version": 1,
     "type": "dautu.ViolationFound"}
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core.canonical_text import record_text
from dautu_core.codec import NO_UPCASTERS, Upcasters, event_from_data
from dautu_core.errors import InvalidValue

__all__ = ["GENESIS", "RecordRow", "StoredRecord", "make_record", "record_hash", "record_row"]

GENESIS = "0" * 64
"""The ``prev`` of a project's first record."""


def record_hash(record_bytes: bytes) -> str:
    """SHA-256 of a record's stored bytes, as lowercase hex."""
    return hashlib.sha256(record_bytes).hexdigest()


def make_record(event: ev.ProjectEvent, prev: str) -> bytes:
    """The canonical stored bytes of ``event`` chained after a record whose hash is ``prev``:
    :func:`~dautu_core.codec.canonical_bytes` of ``{"type", "schema_version", "prev",
    "data": event_to_data(event)}``, written by :mod:`dautu_core.canonical_text`."""
    return record_text(event, prev).encode()


@attrs.frozen
class StoredRecord:
    """One record as a store returns it.

    ``position`` is the record's place in the global log (1, 2, 3... with no gaps); ``version``
    its place in the project's stream (1, 2, 3...). ``data`` are the bytes exactly as stored.
    """

    project_code: str
    version: int
    position: int
    type_name: str
    data: bytes

    @property
    def hash(self) -> str:
        return record_hash(self.data)

    def parsed(self) -> dict[str, Any]:
        try:
            # Records are UTF-8; decoding first skips json's encoding detection, which was
            # a noticeable share of rebuilding a long project.
            try:
                text: str | bytes = self.data.decode()
            except UnicodeDecodeError:
                text = self.data
            value = json.loads(text)
        except ValueError as exc:
            raise InvalidValue(
                f"Bản ghi phiên bản {self.version} không phải JSON hợp lệ",
                f"record at version {self.version} is not valid JSON",
                project_code=self.project_code,
                field="data",
                rule_id="record_json",
            ) from exc
        if not isinstance(value, dict):
            raise InvalidValue(
                f"Bản ghi phiên bản {self.version} không đúng cấu trúc",
                f"record at version {self.version} is malformed",
                project_code=self.project_code,
                field="data",
                rule_id="record_json",
            )
        return value

    @property
    def prev(self) -> str:
        return str(self.parsed().get("prev", ""))

    def event(self, upcasters: Upcasters = NO_UPCASTERS) -> ev.ProjectEvent:
        """Decode the event, upcasting old schema versions; the bytes are untouched."""
        value = self.parsed()
        try:
            type_name, schema_version, data = value["type"], value["schema_version"], value["data"]
        except KeyError as exc:
            raise InvalidValue(
                f"Bản ghi phiên bản {self.version} thiếu trường {exc.args[0]!r}",
                f"record at version {self.version} lacks the field {exc.args[0]!r}",
                project_code=self.project_code,
                field=str(exc.args[0]),
                rule_id="record_json",
            ) from exc
        try:
            return event_from_data(type_name, schema_version, data, upcasters)
        except InvalidValue as exc:
            raise InvalidValue(
                f"Bản ghi phiên bản {self.version}: {exc.message_vi}",
                f"record at version {self.version}: {exc.message_en}",
                project_code=self.project_code,
                field=exc.field,
                rule_id=exc.rule_id,
            ) from exc


RecordRow = tuple[str, int, int, str, bytes]
"""A :class:`StoredRecord`'s fields as a plain tuple, in its order: ``(project code, version,
position, type name, data)``; ``StoredRecord(*row)`` is the record.

Why a tuple as well as the class: verification reads every record of the log once and keeps
none of them; a store that reads rows from a database hands them to
:meth:`dautu_core.audit.LogScanner.feed_rows` as they are, instead of building one object per
record that is dropped right after."""

record_row: Callable[[StoredRecord], RecordRow] = operator.attrgetter(
    "project_code", "version", "position", "type_name", "data"
)
"""The :data:`RecordRow` of a record."""
