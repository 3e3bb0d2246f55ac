"""Stores for the copy tests: real records of real commands, and a large log made fast.

``large_log(n)`` repeats the records of one sample project under other project codes: the
bytes of each are the sample's with the code and ``prev`` replaced, which is exactly what
``make_record`` gives for the same event of that project (checked on a sample by
``test_large_log_is_made_of_real_records``), at a fraction of the cost of deciding every
command (a few seconds for 20,000 records otherwise).

``tests/copy`` has no ``__init__.py`` on purpose: as a package it would be named ``copy`` and
shadow the standard library's module; its files are imported by their own (unique) names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from audit.samples import events_of, project_commands

from dautu_core.ports import AppendBatch, EventStore, NewRecord
from dautu_core.record import GENESIS, StoredRecord, make_record

__all__ = ["append_in_order", "large_log", "log_of"]

_CODE = "DA-ZZZZZZZ"
_PREV = "f" * 64


def _templates() -> list[tuple[str, bytes, bytes, bytes]]:
    out = []
    for event in events_of(project_commands(_CODE)):
        data = make_record(event, _PREV)
        assert data.count(_CODE.encode()) == 1 and data.count(_PREV.encode()) == 1
        head, rest = data.split(_CODE.encode())
        middle, tail = rest.split(_PREV.encode())
        out.append((event.TYPE_NAME, head, middle, tail))
    return out


def large_log(n: int, block: int = 500) -> list[StoredRecord]:
    """``n`` chained records of five-event projects, ``block`` projects interleaved at a time."""
    templates = _templates()
    records: list[StoredRecord] = []
    project = 0
    while len(records) < n:
        codes = [f"DA-{project + i:07d}" for i in range(block)]
        project += block
        prevs = [GENESIS] * block
        for version, (type_name, head, middle, tail) in enumerate(templates, start=1):
            for i, code in enumerate(codes):
                if len(records) == n:
                    return records
                data = head + code.encode() + middle + prevs[i].encode() + tail
                prevs[i] = hashlib.sha256(data).hexdigest()
                records.append(StoredRecord(code, version, len(records) + 1, type_name, data))
    return records


def append_in_order(store: EventStore, records: Sequence[StoredRecord], page: int = 5000) -> None:
    """Append ``records`` keeping their global order (one batch per record, pages of calls)."""
    for start in range(0, len(records), page):
        store.append(
            [
                AppendBatch(r.project_code, r.version - 1, [NewRecord(r.type_name, r.data)])
                for r in records[start : start + page]
            ]
        )


def log_of(store: EventStore) -> list[tuple[int, str, int, str, bytes]]:
    """Every record of the store as plain tuples (position, project, version, type, bytes)."""
    return [(r.position, r.project_code, r.version, r.type_name, r.data) for r in store.read_log()]


def project_code_of(data: bytes) -> str:
    code: str = json.loads(data)["data"]["project_code"]
    return code
