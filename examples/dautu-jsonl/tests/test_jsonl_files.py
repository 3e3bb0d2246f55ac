"""What the kit cannot know about this backend: torn writes, damage, the URL and the plugin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from dautu_jsonl import JsonlCorrupted, JsonlStore, open_jsonl_store, parse_jsonl_url
from dautu_jsonl.framing import encode_group, scan
from dautu_jsonl.store import LOG_FILE
from hypothesis import given, settings
from hypothesis import strategies as st

from dautu_adapters.conformance import approval, chain, chain_after, unique_code, violation
from dautu_core.errors import InvalidValue
from dautu_core.ports import AppendBatch
from dautu_core.record import StoredRecord


def _fill(directory: Path, appends: int) -> list[StoredRecord]:
    store = JsonlStore(directory)
    try:
        for n in range(appends):
            code = f"DA-{n}"
            store.append([AppendBatch(code, 0, chain([approval(code), violation(code, "V1")]))])
        return store.read_log()
    finally:
        store.close()


def test_a_torn_last_write_is_ignored_then_cut_off(tmp_path: Path) -> None:
    written = _fill(tmp_path, 3)
    log = tmp_path / LOG_FILE
    whole = log.read_bytes()
    last_group = whole[: whole.rstrip(b"\n").rfind(b"\n") + 1]
    # Keep the first two appends and half of the third, as a crash mid-write would.
    second_end = whole.find(b'{"commit"', whole.find(b'{"commit"') + 1)
    second_end = whole.index(b"\n", second_end) + 1
    cut = second_end + (len(last_group) - second_end) // 2
    log.write_bytes(whole[:cut])

    store = JsonlStore(tmp_path)
    try:
        assert store.read_log() == written[:4]
        assert store.project_codes() == ["DA-0", "DA-1"]
        code = "DA-2"
        (position, _) = store.append(
            [AppendBatch(code, 0, chain([approval(code), violation(code, "V1")]))]
        )
        assert position == 5
        assert store.read_log() == written
    finally:
        store.close()
    assert log.read_bytes() == whole, "the next writer must cut the torn bytes off exactly"


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_prefix_of_the_file_reads_as_whole_appends(data: st.DataObject) -> None:
    records = [
        StoredRecord(f"P{g}", v, g * 3 + v, "dautu.X", f"bản ghi {g}.{v}".encode())
        for g in range(3)
        for v in (1, 2, 3)
    ]
    groups = [encode_group(records[g * 3 : g * 3 + 3]) for g in range(3)]
    buffer = b"".join(groups)
    cut = data.draw(st.integers(0, len(buffer)))
    found = scan(buffer[:cut], next_position=1)
    whole_groups = sum(1 for g in range(1, 4) if len(b"".join(groups[:g])) <= cut)
    assert found.records == tuple(records[: whole_groups * 3])
    assert found.end == len(b"".join(groups[:whole_groups]))
    assert found.torn == (cut > found.end)


def test_damage_before_committed_records_is_reported(tmp_path: Path) -> None:
    _fill(tmp_path, 2)
    log = tmp_path / LOG_FILE
    damaged = bytearray(log.read_bytes())
    damaged[40] ^= 0x01
    log.write_bytes(bytes(damaged))
    store = JsonlStore(tmp_path)
    try:
        with pytest.raises(JsonlCorrupted, match="damaged"):
            store.read_log()
    finally:
        store.close()


def test_records_that_are_not_utf8_keep_their_bytes(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path)
    try:
        from dautu_core.ports import NewRecord

        raw = bytes(range(256))
        store.append([AppendBatch("BIN", 0, (NewRecord("dautu.Opaque", raw),))])
        again = JsonlStore(tmp_path)
        try:
            assert again.read_stream("BIN")[0].data == raw
        finally:
            again.close()
    finally:
        store.close()


_KILLED_WRITER = """
import sys
from dautu_adapters.conformance import approval, chain, violation
from dautu_core.ports import AppendBatch
from dautu_jsonl import JsonlStore

store = JsonlStore(sys.argv[1], fsync=False)
n = 0
while True:
    batches = [
        AppendBatch(f"K{n}-{i}", 0, chain([approval(f"K{n}-{i}"), violation(f"K{n}-{i}", "V")]))
        for i in range(20)
    ]
    store.append(batches)
    n += 1
    if n == 3:
        print("ready", flush=True)
"""


def test_a_writer_killed_mid_append_leaves_whole_appends(tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    store = JsonlStore(tmp_path)
    try:
        log = store.read_log()
        assert len(log) % 40 == 0 and len(log) >= 120, "only whole appends may be read back"
        assert [r.position for r in log] == list(range(1, len(log) + 1))
        code = unique_code("after-kill")
        stream = store.read_stream(code)
        store.append([AppendBatch(code, 0, chain_after(stream, [approval(code)]))])
        assert store.max_position() == len(log) + 1
    finally:
        store.close()


def test_urls() -> None:
    assert parse_jsonl_url("jsonl:///du-lieu") == ("du-lieu", {})
    assert parse_jsonl_url("jsonl:////var/lib/dautu?fsync=0") == ("/var/lib/dautu", {"fsync": "0"})
    with pytest.raises(InvalidValue, match="jsonl:///"):
        parse_jsonl_url("jsonl://du-lieu")


def test_the_factory_refuses_encryption_rather_than_writing_plain_text(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="cipher_key"):
        open_jsonl_store(f"jsonl:///{tmp_path}", {"cipher_key": "c2VjcmV0"})
    store = open_jsonl_store(f"jsonl:///{tmp_path}?fsync=0", {})
    try:
        assert store.fsync is False
    finally:
        store.close()


def test_the_plugin_registers_the_scheme(tmp_path: Path) -> None:
    from dautu_adapters.stores import open_store

    store = open_store(f"jsonl:///{tmp_path}/via-plugin")
    try:
        assert isinstance(store, JsonlStore)
        assert store.directory == tmp_path / "via-plugin"
    finally:
        store.close()
