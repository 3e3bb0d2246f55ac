"""ProjectService: load, decide, append atomically, and re-decide on concurrent writes."""

from __future__ import annotations

import gc
import itertools
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from adapters.samples import approve, delay, envelope, violation
from dautu_adapters.plugins import default_plugin_manager, get_plugin_manager, rulebook_registry
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import (
    RecorderStore,
    SealingMismatch,
    StorageError,
    Store,
    StreamCorrupted,
    generate_cipher_key,
    open_store,
)
from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.codec import Upcasters, canonical_bytes, event_to_data
from dautu_core.decider import run
from dautu_core.errors import ConcurrencyConflict, InvalidValue, RuleViolation, UnknownProject
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import GENESIS, make_record, record_hash
from dautu_core.rulebook import BUILTIN_RULEBOOKS
from dautu_core.testing.strategies import command_sequences
from dautu_core.values import LegalBasis

Opener = Callable[..., Store]


@pytest.fixture(params=["memory", "sqlite"])
def service_store(request: pytest.FixtureRequest, opened: Opener, tmp_path: Any) -> Store:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'svc.db'}"
    return opened(url)


def test_a_command_is_decided_and_its_records_chained(service_store: Store) -> None:
    service = ProjectService(service_store)
    first = service.execute(approve("2165432100"))
    second = service.execute(violation("2165432100", "BB-01/2024"))

    assert [(r.version, r.position) for r in first + second] == [(1, 1), (2, 2)]
    assert first[0].prev == GENESIS
    assert second[0].prev == first[0].hash
    assert service.history("2165432100") == first + second
    state = service.load("2165432100")
    assert state.version == 2
    assert [v.violation_id for v in state.open_violations()] == ["BB-01/2024"]
    assert service.load("2165432100", up_to_version=1).open_violations() == ()
    assert service.project_codes() == ["2165432100"]


def test_a_refused_command_writes_nothing(service_store: Store) -> None:
    service = ProjectService(service_store)
    service.execute(approve("A"))
    service.execute(violation("A", "V1"))

    with pytest.raises(RuleViolation) as caught:
        service.execute(violation("A", "V1"))
    assert (caught.value.project_code, caught.value.rule_id) == ("A", "violation_id_unique")
    assert service_store.max_position() == 2


def test_unknown_projects_are_reported(service_store: Store) -> None:
    service = ProjectService(service_store)
    with pytest.raises(UnknownProject) as caught:
        service.load("KHONG-CO")
    assert caught.value.project_code == "KHONG-CO"
    with pytest.raises(UnknownProject):
        service.history("KHONG-CO")
    with pytest.raises(RuleViolation) as refused:
        service.execute(violation("KHONG-CO", "V1"))
    assert refused.value.rule_id == "approval_first"


def test_a_batch_of_many_projects_is_one_transaction(service_store: Store) -> None:
    service = ProjectService(service_store)
    records = service.execute_batch(
        [approve("A"), approve("B", n=1), violation("A", "V1", n=2), delay("B", n=3)]
    )
    assert [(r.project_code, r.version, r.position) for r in records] == [
        ("A", 1, 1),
        ("A", 2, 2),
        ("B", 1, 3),
        ("B", 2, 4),
    ]
    assert records[1].prev == records[0].hash
    assert records[3].prev == records[2].hash


def test_one_refused_command_in_a_batch_writes_nothing(service_store: Store) -> None:
    service = ProjectService(service_store)
    service.execute(approve("A"))
    with pytest.raises(RuleViolation) as caught:
        service.execute_batch(
            [approve("B"), violation("A", "V1"), violation("C", "V1"), approve("D")]
        )
    assert caught.value.project_code == "C"
    assert service_store.max_position() == 1
    assert service.project_codes() == ["A"]
    assert service.load("A").version == 1


def test_nfd_project_codes_find_the_nfc_record(service_store: Store) -> None:
    service = ProjectService(service_store)
    service.execute(approve("Dự án Gia Lộc"))
    assert service.load(unicodedata.normalize("NFD", "Dự án Gia Lộc")).version == 1


class RivalWrites:
    """A real store where a rival service records one command just before each of our appends,
    for as long as it has commands: the interleaving a busy department produces by chance."""

    def __init__(self, store: Store, rival_commands: Sequence[cmd.Command]) -> None:
        self.store = store
        self.rival = ProjectService(store)
        self.pending = list(rival_commands)
        self.appends = 0

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        self.appends += 1
        if self.pending:
            self.rival.execute(self.pending.pop(0))
        return self.store.append(batches)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_lost_race_is_re_decided_on_the_new_state(service_store: Store) -> None:
    ProjectService(service_store).execute(approve("A"))
    store = RivalWrites(service_store, [violation("A", "V1")])
    service = ProjectService(store, max_retries=3)  # type: ignore[arg-type]

    records = service.execute(delay("A", n=5))

    assert store.appends == 2
    history = service.history("A")
    assert [r.type_name for r in history] == [
        "dautu.ProjectApproved",
        "dautu.ViolationFound",
        "dautu.DelayRecorded",
    ]
    assert records == history[2:]
    assert records[0].prev == history[1].hash


def test_re_deciding_can_turn_into_a_refusal(service_store: Store) -> None:
    ProjectService(service_store).execute(approve("A"))
    store = RivalWrites(service_store, [violation("A", "V1")])
    service = ProjectService(store)  # type: ignore[arg-type]

    with pytest.raises(RuleViolation) as caught:
        service.execute(violation("A", "V1", n=7))
    assert caught.value.rule_id == "violation_id_unique"
    assert service_store.max_position() == 2


def test_conflicts_beyond_max_retries_name_both_versions(service_store: Store) -> None:
    ProjectService(service_store).execute(approve("A"))
    rivals = [violation("A", f"R{i}", n=i + 1) for i in range(5)]
    store = RivalWrites(service_store, rivals)
    service = ProjectService(store, max_retries=2)  # type: ignore[arg-type]

    with pytest.raises(ConcurrencyConflict) as caught:
        service.execute(delay("A", n=9))

    assert store.appends == 3
    conflict = caught.value
    assert conflict.project_code == "A"
    assert (conflict.expected_version, conflict.actual_version) == (3, 4)
    assert "expected version 3, found 4" in str(conflict)
    assert [r.type_name for r in service.history("A")].count("dautu.DelayRecorded") == 0


def test_two_services_writing_one_project_from_two_threads(opened: Opener, tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    ProjectService(opened(url)).execute(approve("A"))
    # Each service stamps recorded_at when it decides (again on a retry), so recorded times
    # follow the order of the commits, as the core's recorded_in_order rule requires.
    services = [
        ProjectService(opened(url), max_retries=200, clock=lambda: datetime.now(UTC))
        for _ in range(2)
    ]
    errors: list[BaseException] = []

    def clerk(index: int) -> None:
        try:
            for i in range(15):
                services[index].execute(violation("A", f"T{index}-{i}", n=i + 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    history = services[0].history("A")
    assert [r.version for r in history] == list(range(1, 32))
    assert all(r.prev == p.hash for p, r in itertools.pairwise(history))
    found = sorted(v.violation_id for v in services[1].load("A").open_violations())
    assert found == sorted(f"T{t}-{i}" for t in range(2) for i in range(15))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=command_sequences("DA-01", max_size=8))
def test_the_service_records_what_the_decider_decides(commands: list[cmd.Command]) -> None:
    expected_state, expected_events = run(commands)
    store = open_store("memory://")
    # generated histories run to 2100: recorded times are not checked against today's clock
    service = ProjectService(store, recorded_at_tolerance=None)
    for command in commands:
        service.execute(command)

    assert service.load("DA-01") == expected_state
    assert [r.event() for r in service.history("DA-01")] == expected_events
    assert ProjectService(store).load("DA-01") == expected_state  # without the cache


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=command_sequences("DA-01", max_size=6),
    second=command_sequences("DA-02", max_size=6),
)
def test_a_batch_writes_the_records_its_commands_write_one_by_one(
    first: list[cmd.Command], second: list[cmd.Command]
) -> None:
    # The two projects' commands interleaved in one batch: each project is decided on the
    # state and last hash its own previous commands in the batch left.
    interleaved = [c for pair in itertools.zip_longest(first, second) for c in pair if c]
    one_by_one = ProjectService(open_store("memory://"), recorded_at_tolerance=None)
    for command in interleaved:
        one_by_one.execute(command)
    batched_store = open_store("memory://")
    batched = ProjectService(batched_store, recorded_at_tolerance=None)
    written = batched.execute_batch(interleaved)

    for code, commands in (("DA-01", first), ("DA-02", second)):
        expected = list(enumerate(_chained(run(commands)[1]), start=1))
        assert [(r.version, r.data) for r in one_by_one.history(code)] == expected
        assert [(r.version, r.data) for r in batched.history(code)] == expected
        assert [(r.version, r.data) for r in written if r.project_code == code] == expected
        assert batched.load(code) == one_by_one.load(code)
        assert ProjectService(batched_store).load(code) == one_by_one.load(code)


def _chained(events: list[ev.ProjectEvent]) -> list[bytes]:
    """The records of ``events``, chained from the genesis hash."""
    records, prev = [], GENESIS
    for event in events:
        records.append(make_record(event, prev))
        prev = record_hash(records[-1])
    return records


def _old_violation_record(prev: str) -> bytes:
    """A ViolationFound as schema version 0 wrote it: ``details`` instead of ``description``."""
    _, events = run([approve("A"), violation("A", "OLD-1")])
    data = event_to_data(events[1])
    data["details"] = data.pop("description")
    return canonical_bytes(
        {"type": "dautu.ViolationFound", "schema_version": 0, "prev": prev, "data": data}
    )


def _rename_details(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["description"] = data.pop("details")
    return data


def test_old_schema_versions_are_upcast_on_load(service_store: Store) -> None:
    (approval,) = ProjectService(service_store).execute(approve("A"))
    service_store.append(
        [
            AppendBatch(
                "A", 1, [NewRecord("dautu.ViolationFound", _old_violation_record(approval.hash))]
            )
        ]
    )
    upcasters = Upcasters().with_upcaster("dautu.ViolationFound", 0, _rename_details)

    with pytest.raises(InvalidValue) as caught:
        ProjectService(service_store).load("A")
    assert caught.value.rule_id == "upcaster_missing"

    state = ProjectService(service_store, upcasters=upcasters).load("A")
    assert state.violations["OLD-1"].description.startswith("Chậm tiến độ")
    records = ProjectService(service_store, upcasters=upcasters).execute(delay("A", n=4))
    assert records[0].version == 3


def test_the_store_upcasters_are_used_by_default(opened: Opener, tmp_path: Any) -> None:
    upcasters = Upcasters().with_upcaster("dautu.ViolationFound", 0, _rename_details)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = opened(url)
    (approval,) = ProjectService(store).execute(approve("A"))
    store.append(
        [
            AppendBatch(
                "A", 1, [NewRecord("dautu.ViolationFound", _old_violation_record(approval.hash))]
            )
        ]
    )
    assert "OLD-1" in ProjectService(opened(url, upcasters=upcasters)).load("A").violations


def test_a_hole_in_a_stream_is_a_damaged_store_not_a_conflict(
    opened: Opener, tmp_path: Path
) -> None:
    db = tmp_path / "holed.db"
    url = f"sqlite:///{db}"
    ProjectService(opened(url)).execute_batch(
        [approve("A"), violation("A", "V1", n=1), delay("A", n=2)]
    )
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM stored_events WHERE originator_version = 2")

    service = ProjectService(opened(url))
    with pytest.raises(StreamCorrupted) as caught:
        service.load("A")
    error = caught.value
    assert isinstance(error, StorageError) and not isinstance(error, ConcurrencyConflict)
    assert (error.project_code, error.rule_id) == ("A", "stream_contiguous")
    assert "version 1 should be followed by version 2, but the store returned version 3" in str(
        error
    )
    with pytest.raises(StreamCorrupted):
        service.execute(delay("A", n=3))


# --- the law a service judges by ----------------------------------------------------------------

PROVINCE_PLUGIN = """
import attrs
from dautu_adapters.hookspecs import hookimpl
from dautu_core.rulebook import LAW_61_2020

@hookimpl
def dautu_register_rulebooks(register):
    register(attrs.evolve(LAW_61_2020, extension_cap_months=36))
"""


def extension(code: str, months: int, *, n: int) -> cmd.ExtendSchedule:
    """Extend the schedule by ``months`` without an exception ground (counts towards the cap)."""
    return cmd.ExtendSchedule(
        **envelope(code, n),
        legal_basis=(LegalBasis(instrument="61/2020/QH14", article="41", clause="4"),),
        months=months,
    )


@pytest.fixture
def province_plugin(install: Callable[..., str]) -> Iterator[None]:
    """A province plugin allowing 36 months of extension instead of 24, installed, with the
    process-wide plugin manager built afresh (and again afterwards)."""
    install("dautu-haiduong", PROVINCE_PLUGIN)
    default_plugin_manager.cache_clear()
    yield
    default_plugin_manager.cache_clear()


def test_by_default_a_service_judges_by_the_plugin_rulebooks(
    province_plugin: None, service_store: Store
) -> None:
    builtin = ProjectService(service_store, rulebooks=BUILTIN_RULEBOOKS)
    builtin.execute(approve("A"))
    with pytest.raises(RuleViolation) as refused:
        builtin.execute(extension("A", 30, n=1))
    assert refused.value.rule_id == "extension_cap"

    service = ProjectService(service_store)
    (record,) = service.execute(extension("A", 30, n=1))
    assert record.type_name == "dautu.ScheduleExtended"
    assert service.load("A").extension_months_used == 30
    assert service.rulebooks is service.rulebooks  # looked up once per service
    assert service.rulebooks == rulebook_registry().rulebooks  # what the command line uses


def test_a_service_can_use_a_given_plugin_manager(province_plugin: None, opened: Opener) -> None:
    pm = get_plugin_manager(load_entrypoints=False)  # the builtins only: no province plugin
    service = ProjectService(opened("memory://"), plugin_manager=pm)
    assert service.rulebooks == BUILTIN_RULEBOOKS
    service.execute(approve("A"))
    with pytest.raises(RuleViolation):
        service.execute(extension("A", 30, n=1))


def test_open_gives_a_service_on_a_url_that_owns_its_store(
    province_plugin: None, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'opened.db'}"
    key = generate_cipher_key()
    with ProjectService.open(url, cipher_key=key, max_retries=5) as service:
        service.execute_batch([approve("A"), extension("A", 30, n=1)])  # the province's law
        assert service.max_retries == 5
        store = service.store
    assert isinstance(store, RecorderStore) and store.closed

    with pytest.raises(SealingMismatch):  # cipher_key reached open_store
        ProjectService.open(url)
    with ProjectService.open(url, cipher_key=key) as again:
        assert again.load("A").version == 2


def test_without_a_clock_a_command_stamped_before_the_last_record_is_refused(
    opened: Opener, tmp_path: Any
) -> None:
    url = f"sqlite:///{tmp_path / 'order.db'}"
    service = ProjectService(opened(url))
    service.execute(approve("A"))
    service.execute(violation("A", "V-2", n=5))
    with pytest.raises(RuleViolation) as refused:
        service.execute(violation("A", "V-1", n=1))
    assert refused.value.rule_id == "recorded_in_order"
    assert [r.version for r in service.history("A")] == [1, 2]


def test_a_batch_pauses_automatic_collection_and_restores_it(service_store: Store) -> None:
    """Collection is off while the batch is decided (the store sees it off), on again after
    it, whether the batch is written or refused; a program that turned it off keeps it off."""
    seen: list[bool] = []
    append = service_store.append

    def watched(batches: Sequence[AppendBatch]) -> list[int]:
        seen.append(gc.isenabled())
        return append(batches)

    service = ProjectService(service_store)
    service_store.append = watched  # type: ignore[method-assign]
    assert gc.isenabled()
    service.execute(approve("A"))
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(RuleViolation):
        service.execute_batch([violation("A", "V1"), violation("A", "V1")])
    assert gc.isenabled()
    gc.disable()
    try:
        service.execute(violation("A", "V2"))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False]
