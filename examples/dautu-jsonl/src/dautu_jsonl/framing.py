"""The file format of ``events.jsonl``: record lines closed by a commit line.

One call to ``append`` writes, in a single ``write`` followed by ``fsync``::

    {"position":12,"project_code":"2165432100","record":"{...}","type":"dautu.X","version":3}
    {"position":13,...}
    {"commit":{"count":2,"first":12,"sha256":"<hex of the two record lines' bytes>"}}

Why a commit line with a checksum: a crash (or a full disk) in the middle of a write leaves the
beginning of it in the file. Records count only once their commit line is read and its checksum
matches, so a torn last write is ignored on read and cut off by the next writer, and a call to
``append`` is all or nothing.

A write is torn when no whole commit line follows the damage: ``write`` + ``fsync`` make a
finished append durable as a whole, so a complete commit line after a broken part means the
file was damaged or edited after the fact, and :class:`JsonlCorrupted` is raised instead of
dropping records silently.

This module is pure: it turns bytes into lines and lines into bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import attrs

from dautu_core.errors import DautuError
from dautu_core.record import StoredRecord

__all__ = ["JsonlCorrupted", "Scan", "encode_group", "scan"]


class JsonlCorrupted(DautuError):
    """The file holds committed records after a damaged part: it was altered, not torn."""


@attrs.frozen
class Scan:
    """What :func:`scan` found: whole committed records, and where the committed part ends.

    ``end`` is the offset just after the last commit line; bytes after it (``torn`` is then
    true) are an interrupted write that readers ignore and the next writer cuts off.
    """

    records: tuple[StoredRecord, ...]
    end: int
    torn: bool


def _line(obj: dict[str, Any]) -> bytes:
    return (
        json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    )


def encode_group(records: Iterable[StoredRecord]) -> bytes:
    """The bytes of one append: a line per record, then the commit line."""
    lines = []
    first = None
    for record in records:
        first = record.position if first is None else first
        entry: dict[str, Any] = {
            "position": record.position,
            "project_code": record.project_code,
            "version": record.version,
            "type": record.type_name,
        }
        try:
            entry["record"] = record.data.decode("utf-8")
        except UnicodeDecodeError:
            entry["record_base64"] = base64.b64encode(record.data).decode("ascii")
        lines.append(_line(entry))
    body = b"".join(lines)
    commit = {"count": len(lines), "first": first, "sha256": hashlib.sha256(body).hexdigest()}
    return body + _line({"commit": commit})


def _record(entry: Any) -> StoredRecord:
    if "record" in entry:
        data = str(entry["record"]).encode("utf-8")
    else:
        data = base64.b64decode(entry["record_base64"], validate=True)
    return StoredRecord(
        project_code=str(entry["project_code"]),
        version=int(entry["version"]),
        position=int(entry["position"]),
        type_name=str(entry["type"]),
        data=data,
    )


def scan(buffer: bytes, *, next_position: int, base_offset: int = 0) -> Scan:
    """Parse ``buffer`` (the file from a commit boundary on); ``next_position`` is the first
    global position expected in it. ``base_offset`` only improves error messages."""
    committed: list[StoredRecord] = []
    pending: list[StoredRecord] = []
    group_start = end = 0
    offset = 0
    broken_at: int | None = None
    while broken_at is None:
        newline = buffer.find(b"\n", offset)
        if newline < 0:
            broken_at = offset if offset < len(buffer) else None
            break
        try:
            entry = json.loads(buffer[offset:newline])
            commit = entry.get("commit") if isinstance(entry, dict) else None
            if commit is None:
                pending.append(_record(entry))
            elif (
                commit["count"] == len(pending)
                and commit["sha256"] == hashlib.sha256(buffer[group_start:offset]).hexdigest()
                and [r.position for r in pending]
                == list(range(next_position, next_position + len(pending)))
            ):
                committed += pending
                next_position += len(pending)
                pending = []
                group_start = end = newline + 1
            else:
                broken_at = offset
        except (ValueError, KeyError, TypeError, AttributeError):
            broken_at = offset
        offset = newline + 1
    if broken_at is not None and _has_commit_line(buffer[broken_at:]):
        raise JsonlCorrupted(
            f"Tệp nhật ký bị hỏng tại byte {base_offset + broken_at}, trước các bản ghi đã xác nhận",
            f"the log file is damaged at byte {base_offset + broken_at}, before committed records",
            field="events.jsonl",
            rule_id="jsonl_integrity",
        )
    return Scan(records=tuple(committed), end=end, torn=end < len(buffer))


def _has_commit_line(rest: bytes) -> bool:
    """Whether ``rest`` holds a whole commit line: then the write was finished and was later
    damaged or altered, which must be reported, not dropped as a torn write."""
    for raw in rest.split(b"\n")[:-1]:
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict) and "commit" in entry:
            return True
    return False
