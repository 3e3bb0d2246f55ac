"""Reading what the chain needs from a stored record without parsing its JSON.

Why: verification hashes every record of the log; fully parsing each one would cost several
times the hashing. The stored record is canonical JSON (:mod:`dautu_core.record`): keys sorted,
no spaces, so it always reads ``{"data":{...},"prev":"<64 hex>","schema_version":N,
"type":"<name>"}`` with ``data`` first and the three short fields at the very end. So:

- ``prev``, ``schema_version`` and ``type`` are read from the tail: the *last* occurrence of
  ``,"prev":"`` is the top-level key (``type`` after it is a JSON string, in which a quote can
  only appear escaped as ``\\"``, so the marker cannot occur there), and the rest of the tail
  must match one strict pattern to the last byte;
- the project code is the first ``"project_code":"`` after ``{"data":{``. An unescaped
  ``"project_code":"`` can only be a key, and no object nested in an event before that key (in
  sorted order: actor, authority, changes, documents, ...) carries a project code; a replacement
  event (key ``replacement``) sorts after it.

A record that does not have this shape is *malformed*: a finding, never an exception.
:func:`parse_record_strict` is the slow, full check used when diagnosing a problem.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

from dautu_core.codec import canonical_bytes

__all__ = [
    "CODE_KEY",
    "RECORD_START",
    "TAIL",
    "ParsedRecord",
    "json_string",
    "parse_record",
    "parse_record_strict",
]

RECORD_START = b'{"data":{'
"""Every canonical record starts with these bytes."""

CODE_KEY = b'"project_code":"'
"""The key whose first occurrence after :data:`RECORD_START` is the record's project code."""

PREV_MARK = b',"prev":"'
TAIL = re.compile(
    rb',"prev":"([0-9a-f]{64})","schema_version":(0|[1-9][0-9]{0,8}),"type":"((?:[^"\\]|\\.)*)"}'
)
"""The fixed tail of a canonical record (matched from the last ``,"prev":"`` to the end)."""
_CODE_VALUE = re.compile(rb'"project_code":"((?:[^"\\]|\\.)*)"')


def json_string(text: str) -> bytes:
    """The bytes of ``text`` inside a canonical JSON string (without the quotes)."""
    return json.dumps(text, ensure_ascii=False).encode()[1:-1]


@attrs.frozen
class ParsedRecord:
    """The fields of a record the chain and the index rely on."""

    prev: str
    schema_version: int
    type_name: str
    project_code: str


def parse_record(data: bytes) -> ParsedRecord | None:
    """Read ``prev``, ``schema_version``, ``type`` and the project code; ``None`` if malformed.

    Fast: no JSON parsing of the payload (see the module docstring for why this is exact).
    """
    if not data.startswith(RECORD_START):
        return None
    start = data.rfind(PREV_MARK)
    if start < len(RECORD_START):
        return None
    tail = TAIL.fullmatch(data, start)
    if tail is None:
        return None
    key = data.find(CODE_KEY, len(RECORD_START), start)
    if key < 0:
        return None
    code_match = _CODE_VALUE.match(data, key)
    if code_match is None:
        return None
    try:
        code = json.loads(b'"' + code_match.group(1) + b'"')
        type_name = json.loads(b'"' + tail.group(3) + b'"')
    except (ValueError, UnicodeDecodeError):
        return None
    return ParsedRecord(
        prev=tail.group(1).decode(),
        schema_version=int(tail.group(2)),
        type_name=type_name,
        project_code=code,
    )


def parse_record_strict(data: bytes) -> ParsedRecord | None:
    """Full check: valid UTF-8 JSON, canonical form, the four keys, a project code in data.

    Used to diagnose a record the fast path flagged, never on the hot path.
    """
    try:
        value: Any = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict) or set(value) != {"data", "prev", "schema_version", "type"}:
        return None
    payload, prev = value["data"], value["prev"]
    schema_version, type_name = value["schema_version"], value["type"]
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("project_code"), str)
        or not isinstance(prev, str)
        or not re.fullmatch(r"[0-9a-f]{64}", prev)
        or not isinstance(schema_version, int)
        or isinstance(schema_version, bool)
        or not isinstance(type_name, str)
    ):
        return None
    if canonical_bytes(value) != data:
        return None
    return ParsedRecord(
        prev=prev,
        schema_version=schema_version,
        type_name=type_name,
        project_code=payload["project_code"],
    )
