"""Reading many streams at once (``RecorderStore.read_streams``) gives exactly what reading
them one by one gives, and a service that uses it decides and writes exactly as one that
reads each project alone."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.conftest import project_records
from adapters.samples import approve, delay, violation
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import generate_cipher_key, open_store
from dautu_adapters.stores.recorders import STREAMS_CHUNK
from dautu_adapters.stores.store import RecorderStore
from dautu_core import commands as cmd
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import StoredRecord

CODES = ("A-1", "B-2", "Dự án 3", "D-4", "E-5")
RECORDS = {code: project_records(code, violations=3) for code in CODES}


class OneByOne:
    """A store without ``read_streams``: the service then reads each project alone."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "read_streams":
            raise AttributeError(name)
        return getattr(self._store, name)


def _url(backend: str, folder: Path) -> str:
    return {
        "memory": "memory://",
        "sqlite-memory": "sqlite:///:memory:",
        "sqlite": f"sqlite:///{folder / 'dautu.db'}",
    }[backend]


def _write(store: Any, steps: Sequence[tuple[str, int]]) -> None:
    """Append ``count`` more records of ``code`` for each step, one call per step."""
    done = dict.fromkeys(CODES, 0)
    for code, count in steps:
        part = RECORDS[code][done[code] : done[code] + count]
        if part:
            store.append([AppendBatch(code, done[code], part)])
            done[code] += len(part)


@pytest.mark.parametrize("backend", ["memory", "sqlite-memory", "sqlite"])
@pytest.mark.parametrize("sealed", [False, True])
@settings(max_examples=25, deadline=None)
@given(
    steps=st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 3)), max_size=12),
    asked=st.lists(
        st.sampled_from([*CODES, "never-written", unicodedata.normalize("NFD", "Dự án 3")]),
        max_size=8,
    ),
)
def test_read_streams_equals_read_stream_of_each(
    backend: str, sealed: bool, steps: list[tuple[str, int]], asked: list[str]
) -> None:
    options = {"cipher_key": generate_cipher_key()} if sealed else {}
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(_url(backend, Path(folder)), **options)
        try:
            assert isinstance(store, RecorderStore)
            _write(store, steps)
            got = store.read_streams(asked)
            expected = {
                unicodedata.normalize("NFC", code): store.read_stream(code) for code in asked
            }
            assert got == expected
        finally:
            store.close()


def test_read_streams_of_more_projects_than_one_query_takes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'dautu.db'}")
    try:
        assert isinstance(store, RecorderStore)
        codes = [f"P-{i:05d}" for i in range(2 * STREAMS_CHUNK + 7)]
        first = RECORDS["A-1"][0]
        store.append([AppendBatch(code, 0, [_retyped(first, code)]) for code in codes[::2]])
        got = store.read_streams(codes)
        assert got == {code: store.read_stream(code) for code in codes}
        assert sum(len(v) for v in got.values()) == len(codes[::2])
    finally:
        store.close()


def _retyped(record: NewRecord, code: str) -> NewRecord:
    """``record`` as if of project ``code`` (not chained: only the store reads it)."""
    return NewRecord(record.type_name, record.data.replace(b'"A-1"', f'"{code}"'.encode()))


def _batch(done: dict[str, int], codes: Sequence[str]) -> list[cmd.Command]:
    """The next command of each code: an approval first, then violations and delays."""
    out: list[cmd.Command] = []
    for code in codes:
        n = done.get(code, 0)
        if n == 0:
            out.append(approve(code))
        elif n % 2:
            out.append(violation(code, f"V{n}", n=n))
        else:
            out.append(delay(code, n=n))
        done[code] = n + 1
    return out


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
@settings(max_examples=20, deadline=None)
@given(
    calls=st.lists(st.lists(st.sampled_from(CODES), max_size=6), min_size=1, max_size=5),
    cache_size=st.sampled_from([0, 2, 1024]),
)
def test_a_service_reading_streams_together_writes_what_one_reading_each_writes(
    backend: str, calls: list[list[str]], cache_size: int
) -> None:
    written: list[list[StoredRecord]] = []
    states: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for wrap in (False, True):
            sub = Path(folder) / str(wrap)
            sub.mkdir()
            store = open_store(_url(backend, sub))
            try:
                service = ProjectService(
                    OneByOne(store) if wrap else store,  # type: ignore[arg-type]
                    cache_size=cache_size,
                    recorded_at_tolerance=None,
                )
                done: dict[str, int] = {}
                mine: list[StoredRecord] = []
                for codes in calls:
                    # a fresh service now and then: nothing cached, every project unread
                    if len(mine) % 3 == 0:
                        service = ProjectService(
                            OneByOne(store) if wrap else store,  # type: ignore[arg-type]
                            cache_size=cache_size,
                            recorded_at_tolerance=None,
                        )
                    mine += service.execute_batch(_batch(done, codes))
                written.append(mine)
                states.append([service.load(code) for code in sorted(done)])
            finally:
                store.close()
    assert written[0] == written[1]
    assert states[0] == states[1]
