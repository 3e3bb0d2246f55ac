"""What a store did wrong, in words: the kit's failure messages.

Why a module of its own: "lists differ" sends an adapter author hunting, and a check that reads
the store's answer back as its own reference (the stream read, then compared with itself)
passes a store that reverses or drops records. Every check here compares what a store returned
with what the kit *appended*, and names the fault it sees: records in reverse order, the last
record missing, the same JSON re-encoded, text Unicode-normalised, records of another project,
an append that failed half-way and left records behind.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Sequence

from dautu_core.errors import ConcurrencyConflict
from dautu_core.ports import AppendBatch, EventStore, NewRecord
from dautu_core.record import StoredRecord

__all__ = ["append_or_explain", "bytes_problem", "chain_problem", "check_stream", "stream_problem"]


def bytes_problem(got: bytes, want: bytes, what: str) -> str | None:
    """Why ``got`` is not ``want`` (the bytes the kit appended), or ``None`` if they are equal."""
    if got == want:
        return None
    if not isinstance(got, bytes):
        return f"{what} came back as {type(got).__name__}, not bytes"
    try:
        same_json = json.loads(got) == json.loads(want)
    except ValueError:
        same_json = False
    if same_json:
        return (
            f"{what} came back re-encoded: the same JSON written with other bytes; store "
            "`data` exactly as given, never parse, re-encode or normalise it"
        )
    try:
        text, wanted = got.decode("utf-8"), want.decode("utf-8")
    except UnicodeDecodeError:
        text = wanted = ""
    if text and unicodedata.normalize("NFC", text) == unicodedata.normalize("NFC", wanted):
        return (
            f"{what} came back with its text Unicode-normalised (NFC/NFD); store `data` "
            "exactly as given"
        )
    at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None)
    if at is None:
        return f"{what} came back cut or extended: {len(got)} bytes, {len(want)} were appended"
    return f"{what} came back changed (first difference at byte {at} of {len(want)})"


def stream_problem(
    got: Sequence[StoredRecord],
    code: str,
    appended: Sequence[NewRecord],
    *,
    first_version: int = 1,
    call: str = "read_stream",
) -> str | None:
    """Why ``got`` is not the records ``appended`` to ``code``'s stream, numbered from
    ``first_version`` and in ascending order; ``None`` if it is exactly them."""
    want = list(range(first_version, first_version + len(appended)))
    versions = [getattr(r, "version", None) for r in got]
    others = sorted({str(r.project_code) for r in got if r.project_code != code})
    if others:
        return f"{call} returned records of other projects ({others}) for project {code!r}"
    if len(got) == len(want) > 1 and versions == want[::-1]:
        return (
            f"{call} returned the records in reverse order (versions {versions}); records "
            "must come in ascending version order"
        )
    ordered = sorted(v for v in versions if v is not None)
    if len(got) == len(want) and ordered == want and versions != want:
        return (
            f"{call} returned the records out of order (versions {versions}); records must "
            "come in ascending version order"
        )
    if len(got) < len(want):
        missing = [v for v in want if v not in versions]
        last = " (the last record was dropped)" if versions == want[:-1] else ""
        return (
            f"{call} returned {len(got)} of the {len(want)} records appended: version(s) "
            f"{missing} missing{last}"
        )
    if len(got) > len(want):
        return f"{call} returned {len(got)} records (versions {versions}); {len(want)} expected"
    if versions != want:
        return f"{call} numbered the records {versions}; they were appended as versions {want}"
    for record, new in zip(got, appended, strict=True):
        if record.type_name != new.type_name:
            return (
                f"{call}: version {record.version} came back with type_name "
                f"{record.type_name!r}, appended as {new.type_name!r}"
            )
        problem = bytes_problem(
            record.data, new.data, f"{call}: the data of version {record.version}"
        )
        if problem:
            return problem
    return None


def check_stream(
    got: Sequence[StoredRecord],
    code: str,
    appended: Sequence[NewRecord],
    *,
    first_version: int = 1,
    call: str = "read_stream",
) -> None:
    """Raise ``AssertionError`` with :func:`stream_problem`'s words if there is a problem."""
    problem = stream_problem(got, code, appended, first_version=first_version, call=call)
    if problem:
        raise AssertionError(problem)


def append_or_explain(store: EventStore, batches: Sequence[AppendBatch]) -> list[int]:
    """``store.append(batches)`` for an append that must succeed.

    If it raises, the streams are read back to say whether the failed append left some of its
    records behind (half-written: an append is all or nothing, also when it fails), and the
    failure names the exception the store raised either way.
    """
    try:
        return store.append(batches)
    except Exception as exc:
        count = sum(len(batch.records) for batch in batches)
        what = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ConcurrencyConflict):
            reason = "every stream was at the batch's expected version"
        else:
            reason = "nothing was wrong with it"
        left = _records_left(store, batches)
        if left:
            raise AssertionError(
                f"append raised {what!r} and left {left} of its {count} records written: "
                "records were left half-written; an append writes all of its batches or "
                "none of them, also when it fails"
            ) from exc
        raise AssertionError(
            f"append of {count} records in {len(batches)} batch(es) raised {what!r} though "
            f"{reason}; a store's own failures must be raised as "
            "dautu_adapters.stores.StorageError"
        ) from exc


def _records_left(store: EventStore, batches: Sequence[AppendBatch]) -> int:
    """How many records of a failed append the store holds (0 if it cannot be read)."""
    expected: dict[str, int] = {}
    for batch in batches:
        expected.setdefault(batch.project_code, batch.expected_version)
    left = 0
    for code, version in expected.items():
        try:
            left += max(0, len(store.read_stream(code)) - version)
        except Exception:  # the store is too broken to tell; the caller says what it raised
            return 0
    return left


def chain_problem(stream: Sequence[StoredRecord]) -> str | None:
    """Why the hash chain of ``stream`` (read in version order) is broken, or ``None``.

    Names the first broken link and, when its ``prev`` is the hash of another record of the
    stream, which one: a writer that built on version ``u`` was given a stream ending at ``u``
    (by a read that returned records out of order or missed the newest) and its append at that
    expected version was accepted.
    """
    version_of = {r.hash: r.version for r in stream}
    for before, record in itertools.pairwise(stream):
        if record.prev == before.hash:
            continue
        on = version_of.get(record.prev)
        if on is None:
            return (
                f"the hash chain breaks at version {record.version}: it points back to no "
                f"record of the stream, so the bytes of version {before.version} are not the "
                "ones its writer read (changed or re-encoded by the store)"
            )
        return (
            f"the hash chain breaks at version {record.version}: it was written on top of "
            f"version {on}, not version {before.version}. Its writer read the stream up to "
            f"version {on}: either read_stream returned records out of order or without the "
            "newest, or the store accepted an append at a stale expected version (optimistic "
            "concurrency missing)"
        )
    return None
