"""``copy_store``: the target ends with the source's log, record for record, byte for byte;
an interrupted copy resumes; a target that is not a prefix is refused with nothing written."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import attrs
import pytest
from audit.samples import build_log, events_of, project_commands
from copy_samples import append_in_order, large_log, log_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_adapters.copying import CopyRefused, check_prefix, copy_store
from dautu_adapters.stores import Store, generate_cipher_key, open_store
from dautu_core.errors import InvalidValue
from dautu_core.ports import AppendBatch, NewRecord
from dautu_core.record import make_record

STREAMS = {code: events_of(project_commands(code)) for code in ("DA-0001", "DA-0002", "DA-0003")}


class Interrupted(Exception):
    """Stands for a kill between two batches."""


def test_large_log_is_made_of_real_records() -> None:
    records = large_log(2_000, block=400)
    for record in (records[0], records[777], records[-1]):
        events = events_of(project_commands(record.project_code))
        prev = json.loads(record.data)["prev"]
        assert make_record(events[record.version - 1], prev) == record.data


@st.composite
def logs(draw: st.DrawFn) -> list[str]:
    """An interleaving of the three projects' histories (a prefix of each)."""
    lengths = {code: draw(st.integers(1, len(events))) for code, events in STREAMS.items()}
    order = [code for code, n in lengths.items() for _ in range(n)]
    return draw(st.permutations(order))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    order=logs(),
    batch=st.integers(1, 7),
    batch_bytes=st.integers(1, 6_000),
    stop_after=st.integers(0, 5),
)
def test_copy_then_resume_gives_the_source_log_exactly(
    order: list[str], batch: int, batch_bytes: int, stop_after: int
) -> None:
    source, target = open_store("memory://"), open_store("memory://")
    append_in_order(source, build_log(STREAMS, order))
    done = {"batches": 0}

    def kill_after_some(position: int, _top: int) -> None:
        if position > 0:
            done["batches"] += 1
            if done["batches"] == stop_after:
                raise Interrupted

    try:
        copy_store(source, target, batch_records=batch, batch_bytes=batch_bytes,
                   progress=kill_after_some)  # fmt: skip
    except Interrupted:
        assert 0 < target.max_position() <= source.max_position()
        assert check_prefix(source, target) == target.max_position()
    held = target.max_position()
    report = copy_store(source, target, batch_records=batch, batch_bytes=batch_bytes)
    assert log_of(target) == log_of(source)
    assert (report.skipped, report.copied) == (held, source.max_position() - held)
    assert report.prefix_check == ("none" if held == 0 else "full")


def test_batches_are_bounded_by_records_and_by_bytes() -> None:
    source = open_store("memory://")
    records = large_log(1_000, block=100)
    append_in_order(source, records)
    size = max(len(r.data) for r in records)
    by_count = copy_store(source, open_store("memory://"), batch_records=64)
    assert by_count.batches == -(-1_000 // 64)
    limit = size * 3
    ends: list[int] = []
    copy_store(source, open_store("memory://"), batch_bytes=limit,
               progress=lambda position, _top: ends.append(position))  # fmt: skip
    sizes = [len(r.data) for r in records]
    for start, end in itertools.pairwise(ends):
        assert sum(sizes[start:end]) <= limit, "a batch holds at most the bound"
        if end < len(sizes):
            assert sum(sizes[start : end + 1]) > limit, "and is not cut shorter than needed"
    assert ends[-1] == 1_000
    tiny = copy_store(source, open_store("memory://"), batch_bytes=1)
    assert tiny.batches == 1_000, "a record larger than the bound still goes, alone"


def _mirror_with_one_change(position: int) -> tuple[Store, Store]:
    """A source, and a target holding its first 60 records with the bytes of the record at
    ``position`` altered (one character of the actor's user id)."""
    source, target = open_store("memory://"), open_store("memory://")
    records = large_log(100, block=20)
    append_in_order(source, records)
    changed = [
        attrs.evolve(r, data=r.data.replace(b"chuyenvien01", b"chuyenvien02", 1))
        if r.position == position
        else r
        for r in records[:60]
    ]
    assert changed != records[:60]
    append_in_order(target, changed)
    return source, target


def test_a_target_that_differs_in_the_middle_is_refused_and_nothing_is_written() -> None:
    source, target = _mirror_with_one_change(17)
    before = log_of(target)
    with pytest.raises(CopyRefused) as refused:
        copy_store(source, target)
    assert refused.value.rule_id == "copy_target_not_prefix"
    assert "position 17" in refused.value.message_en
    assert log_of(target) == before
    # The sampled check compares the last record and a spread of others: with no sample but
    # the last, this difference is not seen (which is why ``full`` is the default).
    assert check_prefix(source, target, mode="sample", samples=0) == 1


def test_a_target_whose_last_record_differs_is_refused_by_both_checks() -> None:
    source, target = _mirror_with_one_change(60)
    for mode in ("full", "sample"):
        with pytest.raises(CopyRefused, match="position 60"):
            check_prefix(source, target, mode=mode)


def test_a_target_longer_than_the_source_or_of_another_record_is_refused() -> None:
    source, longer = open_store("memory://"), open_store("memory://")
    records = large_log(50, block=10)
    append_in_order(source, records[:30])
    append_in_order(longer, records)
    with pytest.raises(CopyRefused, match="only reaches position 30"):
        copy_store(source, longer)
    other = open_store("memory://")
    append_in_order(other, build_log(STREAMS, ["DA-0003", "DA-0001"]))
    with pytest.raises(CopyRefused, match="differs from the source's"):
        copy_store(source, other)
    assert other.max_position() == 2 and longer.max_position() == 50


def test_the_target_seals_with_its_own_key_and_keeps_the_canonical_bytes(tmp_path: Path) -> None:
    key = generate_cipher_key()
    source = open_store(f"sqlite:///{tmp_path / 'secret.db'}", cipher_key=key, compress=True)
    append_in_order(source, large_log(300, block=30))
    target = open_store(f"sqlite:///{tmp_path / 'plain.db'}", cipher_key=None, compress=False)
    copy_store(source, target, batch_records=100)
    assert log_of(target) == log_of(source)
    target.close()
    source.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "plain.db") as conn:
        states = [row[0] for row in conn.execute("SELECT state FROM stored_events LIMIT 5")]
    assert all(state.startswith(b'{"data":') for state in states), "stored as plain records"


def test_a_new_record_in_the_source_is_copied_by_the_next_run() -> None:
    source, target = open_store("memory://"), open_store("memory://")
    records = large_log(40, block=8)
    append_in_order(source, records[:25])
    assert copy_store(source, target).copied == 25
    append_in_order(source, records[25:])
    again = copy_store(source, target, prefix_check="sample")
    assert (again.skipped, again.copied, again.prefix_check) == (25, 15, "sample")
    assert log_of(target) == log_of(source)


def test_bad_options_are_refused_before_anything_is_read() -> None:
    source, target = open_store("memory://"), open_store("memory://")
    with pytest.raises(InvalidValue, match="batch_size"):
        copy_store(source, target, batch_records=0)
    append_in_order(target, large_log(3))
    append_in_order(source, large_log(3))
    with pytest.raises(InvalidValue, match="rule copy_options"):
        check_prefix(source, target, mode="quick")


def test_a_concurrent_write_to_the_target_is_reported() -> None:
    source, target = open_store("memory://"), open_store("memory://")
    append_in_order(source, large_log(30, block=30))
    intruder = build_log(STREAMS, ["DA-0001"])[0]
    written = {"done": False}

    def someone_writes(position: int, _top: int) -> None:
        if position > 0 and not written["done"]:
            written["done"] = True
            target.append(
                [AppendBatch("DA-0001", 0, [NewRecord(intruder.type_name, intruder.data)])]
            )

    with pytest.raises(CopyRefused) as moved:
        copy_store(source, target, batch_records=10, progress=someone_writes)
    assert moved.value.rule_id == "copy_target_moved"
    assert moved.value.target_size == 10
