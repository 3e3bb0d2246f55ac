"""Persisted project states: a command and a load give the same result with or without them,
and a persisted state that does not match the store is ignored."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.samples import approve, delay, violation
from dautu_adapters import project_snapshots
from dautu_adapters.project_snapshots import StoredHistory, seal_state, snapshot_name
from dautu_adapters.service import SNAPSHOT_EVERY, ProjectService
from dautu_adapters.stores import Store, StreamCorrupted, open_store
from dautu_core import commands as cmd
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.state import ProjectState
from dautu_core.testing.strategies import command_sequences

CODE = "2165432100"


def _fields(state: ProjectState) -> dict[str, Any]:
    """Every field of a state, the provenance ones included, and its events (the history)."""
    fields = {a.name: getattr(state, a.name) for a in attrs.fields(ProjectState)}
    fields["history"] = state.events()
    return fields


def _saved(store: Any, code: str) -> tuple[int, bytes | None]:
    position, blob = store.load_projection(snapshot_name(code))
    return position, blob


def _service(store: Store, every: int | None = 2) -> ProjectService:
    return ProjectService(store, recorded_at_tolerance=None, snapshot_every=every)


TAMPERINGS = ("none", "cold", "edit", "format", "empty", "stale", "other")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=command_sequences("DA-01", max_size=10),
    second=command_sequences("DA-02", max_size=6),
    every=st.integers(1, 4),
    steps=st.lists(st.sampled_from(TAMPERINGS), min_size=16, max_size=16),
)
def test_commands_and_loads_are_the_same_with_and_without_persisted_states(
    first: list[cmd.Command],
    second: list[cmd.Command],
    every: int,
    steps: list[str],
) -> None:
    commands = [c for pair in itertools.zip_longest(first, second) for c in pair if c]
    reference_store = open_store("memory://")
    reference = _service(reference_store, None)
    store = open_store("memory://")
    service = _service(store, every)
    blobs: list[tuple[str, int, bytes]] = []  # every persisted state seen, for "stale"
    for command, step in zip(commands, itertools.cycle(steps), strict=False):
        code = command.project_code
        position, blob = _saved(store, code)
        if blob is not None:
            blobs.append((code, position, blob))
        if step != "none":
            service = _service(store, every)  # a cold service, after the tampering
        if blob is not None and step == "edit":
            store.save_checkpoint(snapshot_name(code), position, blob[:-2] + b"0]")
        elif blob is not None and step == "format":
            store.save_checkpoint(snapshot_name(code), position, blob.replace(b'"f', b'"F', 1))
        elif step == "empty":
            store.save_checkpoint(snapshot_name(code), position, b"")
        elif step == "stale":
            older = [b for b in blobs if b[0] == code]
            if older:
                store.save_checkpoint(snapshot_name(code), older[0][1], older[0][2])
        elif step == "other":  # another project's persisted state under this name
            others = [b for b in blobs if b[0] != code]
            if others:
                store.save_checkpoint(snapshot_name(code), others[-1][1], others[-1][2])
        expected = reference.execute(command)
        written = service.execute(command)
        assert [(r.version, r.data) for r in written] == [(r.version, r.data) for r in expected]
        assert _fields(service.load(code)) == _fields(reference.load(code))
    for code in ("DA-01", "DA-02"):
        assert [r.data for r in store.read_stream(code)] == [
            r.data for r in reference_store.read_stream(code)
        ]
        cold = _service(store, every).load(code)
        assert _fields(cold) == _fields(reference.load(code))


def _project(store: Store, events: int) -> ProjectService:
    """A project of ``events`` records written by a service that persists nothing."""
    service = _service(store, None)
    service.execute(approve(CODE))
    for i in range(events - 1):
        n = i + 1
        service.execute(delay(CODE, n=n) if i % 3 else violation(CODE, f"BB-{i}/2024", n=n))
    return service


def _forged(store: Any, **changes: Any) -> None:
    """Replace the persisted state by one with ``changes``, sealed consistently (its anchor
    still names the record at its version): the store cannot tell it from the real one."""
    position, blob = _saved(store, CODE)
    assert blob is not None
    state = _service(store).load(CODE, up_to_version=position)
    last = store.read_stream(CODE, after_version=position - 1, up_to_version=position)[0]
    forged = seal_state(CODE, attrs.evolve(state, **changes), last.hash)
    store.save_checkpoint(snapshot_name(CODE), position, forged)


@pytest.fixture
def sqlite_store(opened: Any, tmp_path: Path) -> Store:
    store: Store = opened(f"sqlite:///{tmp_path / 'snap.db'}")
    return store


def test_a_command_saves_the_state_once_enough_records_were_folded(sqlite_store: Store) -> None:
    _project(sqlite_store, 5)
    assert _saved(sqlite_store, CODE) == (0, None)
    _service(sqlite_store, 2).load(CODE)  # a query never saves
    assert _saved(sqlite_store, CODE) == (0, None)

    service = _service(sqlite_store, 2)
    service.execute(delay(CODE, n=100))  # folded 5 records past nothing
    position, blob = _saved(sqlite_store, CODE)
    assert position == 6 and blob is not None
    service.execute(delay(CODE, n=101))  # 7 - 6 < 2
    assert _saved(sqlite_store, CODE)[0] == 6
    service.execute(delay(CODE, n=102))  # the same service: 8 - 6 >= 2
    assert _saved(sqlite_store, CODE)[0] == 8
    assert SNAPSHOT_EVERY >= 1


def test_a_persisted_state_is_used_and_each_mismatch_makes_it_ignored(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(sqlite_store, 6)
    _service(sqlite_store, 1).execute(delay(CODE, n=100))
    truth = _service(sqlite_store, None).load(CODE)
    position, blob = _saved(sqlite_store, CODE)
    assert blob is not None and position == truth.version == 7
    assert _fields(_service(sqlite_store).load(CODE)) == _fields(truth)

    # The control: a consistent forgery is read (so the checks below are what ignore it).
    _forged(sqlite_store, project_name="Không phải tên này")
    assert _service(sqlite_store).load(CODE).project_name == "Không phải tên này"
    forged = _saved(sqlite_store, CODE)[1]
    assert forged is not None
    body = forged.index(b"\n") + 1

    edits = {
        "state bytes edited": forged[:body] + forged[body:].replace("tên".encode(), b"ten"),
        "digest edited": forged.replace(b'"digest":"', b'"digest":"0', 1),
        "another project": forged.replace(CODE.encode(), b"2165432199", 1),
        "another version": forged.replace(b'"version":7', b'"version":6', 1),
        "record hash edited": forged.replace(b'"record_hash":"', b'"record_hash":"0', 1),
        "no header": forged[body:],
    }
    for what, edited in edits.items():
        sqlite_store.save_checkpoint(snapshot_name(CODE), position, edited)
        assert _fields(_service(sqlite_store).load(CODE)) == _fields(truth), what
    sqlite_store.save_checkpoint(snapshot_name(CODE), position + 1, forged)
    assert _fields(_service(sqlite_store).load(CODE)) == _fields(truth), "saved at another position"

    sqlite_store.save_checkpoint(snapshot_name(CODE), position, forged)
    monkeypatch.setattr(project_snapshots, "STATE_FORMAT", "0" * 64)  # the layout changed
    assert _fields(_service(sqlite_store).load(CODE)) == _fields(truth), "state format"


def _copy_with(store: Store, target: Store, records: int, *, rewrite: bool) -> None:
    """``records`` of ``store``'s project into ``target``, the last one made by another
    command when ``rewrite`` (a stream rewritten from there on, its chain intact)."""
    rows = store.read_stream(CODE)[:records]
    keep = rows[:-1] if rewrite else rows
    target.append([AppendBatch(CODE, 0, [NewRecord(r.type_name, r.data) for r in keep])])
    if rewrite:
        _service(target, None).execute(violation(CODE, "KHAC-01/2024", n=200))


@pytest.mark.parametrize(
    ("records", "rewrite"), [(7, True), (6, False), (4, False), (8, True)], ids=str
)
def test_a_persisted_state_of_a_rewritten_or_truncated_stream_is_ignored(
    sqlite_store: Store, opened: Any, tmp_path: Path, records: int, rewrite: bool
) -> None:
    _project(sqlite_store, 7)
    _service(sqlite_store, 1).execute(delay(CODE, n=100))  # saved at version 8
    _service(sqlite_store, None).execute(delay(CODE, n=101))
    position, blob = _saved(sqlite_store, CODE)
    assert position == 8 and blob is not None
    target: Store = opened(f"sqlite:///{tmp_path / 'other.db'}")
    _copy_with(sqlite_store, target, records, rewrite=rewrite)
    target.save_checkpoint(snapshot_name(CODE), position, blob)
    truth = _service(target, None).load(CODE)

    cold = _service(target)
    assert _fields(cold.load(CODE)) == _fields(truth)
    written = cold.execute(delay(CODE, n=300))
    assert written[0].version == truth.version + 1
    assert written[0].prev == target.read_stream(CODE)[-2].hash


def test_a_read_only_store_is_read_from_but_never_saved_to(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ro.db'}"
    store = open_store(url)
    try:
        _project(store, 5)
    finally:
        store.close()
    reader = open_store(url, read_only=True)
    try:
        service = _service(reader, 1)
        assert service.load(CODE).version == 5
        assert _saved(reader, CODE) == (0, None)
    finally:
        reader.close()


def test_the_history_of_a_restored_state_is_read_when_walked(sqlite_store: Store) -> None:
    _project(sqlite_store, 6)
    _service(sqlite_store, 1).execute(delay(CODE, n=100))
    truth = _service(sqlite_store, None).load(CODE)
    state = _service(sqlite_store).load(CODE)
    history = state.history
    assert isinstance(history, StoredHistory) and repr(history) == "<StoredHistory unread>"
    assert state.events() == truth.events()
    assert tuple(history) == truth.history and len(history) == 3
    assert (history[0], history[1]) == (7, truth.events()[-1][1])


def test_a_history_that_changed_under_a_restored_state_is_an_error(
    sqlite_store: Store, opened: Any, tmp_path: Path
) -> None:
    _project(sqlite_store, 6)
    _service(sqlite_store, 1).execute(delay(CODE, n=100))
    service = _service(sqlite_store)
    state = service.load(CODE)
    other: Store = opened(f"sqlite:///{tmp_path / 'other.db'}")
    _copy_with(sqlite_store, other, 7, rewrite=True)
    service.store = other  # the records up to the restored version are no longer the same
    with pytest.raises(StreamCorrupted):
        state.events()
