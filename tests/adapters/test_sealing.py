"""Encryption at rest and compression, checked on the bytes the database really holds."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.conftest import project_records
from dautu_adapters.stores import RecordSealer, StorageError, Store, generate_cipher_key
from dautu_adapters.stores.sealing import cipher_environment
from dautu_core.ports import AppendBatch
from dautu_core.record import record_hash

Opener = Callable[..., Store]


def stored_states(db: Path) -> list[bytes]:
    """The ``state`` column of eventsourcing's events table, read with plain sqlite3."""
    with sqlite3.connect(db) as conn:
        return [bytes(row[0]) for row in conn.execute("SELECT state FROM stored_events")]


def test_encrypted_records_are_not_plaintext_on_disk(tmp_path: Path, opened: Opener) -> None:
    db = tmp_path / "secret.db"
    key = generate_cipher_key()
    records = project_records("2165432100")
    store = opened(f"sqlite:///{db}", cipher_key=key)
    store.append([AppendBatch("2165432100", 0, records)])
    store.save_checkpoint("board", 4, b'{"investor": "Cong ty May Dong A"}')
    store.close()

    states = stored_states(db)
    assert len(states) == 4
    for state, record in zip(states, records, strict=True):
        assert state != record.data
        assert not state.startswith(b"{")
        assert b"2165432100" not in state
    raw = db.read_bytes() + (tmp_path / "secret.db-wal").read_bytes()
    assert "Gia Lộc".encode() not in raw
    assert b"May Dong A" not in raw

    again = opened(f"sqlite:///{db}", cipher_key=key)
    stream = again.read_stream("2165432100")
    assert [r.data for r in stream] == [r.data for r in records]
    assert [r.hash for r in stream] == [record_hash(r.data) for r in records]
    assert again.project_codes() == ["2165432100"]
    assert again.load_projection("board") == (4, b'{"investor": "Cong ty May Dong A"}')


def test_the_key_can_come_from_the_environment(
    tmp_path: Path, opened: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAUTU_CIPHER_KEY", generate_cipher_key(16))
    store = opened(f"sqlite:///{tmp_path / 'env.db'}")
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert not stored_states(tmp_path / "env.db")[0].startswith(b"{")
    assert len(store.read_stream("A")) == 4


def test_a_wrong_or_missing_key_is_a_clear_error(tmp_path: Path, opened: Opener) -> None:
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    writer = opened(url, cipher_key=generate_cipher_key())
    writer.append([AppendBatch("A", 0, project_records("A"))])
    writer.save_checkpoint("board", 4, b"state")

    wrong = opened(url, cipher_key=generate_cipher_key())
    with pytest.raises(StorageError) as caught:
        wrong.read_stream("A")
    assert caught.value.rule_id == "record_unreadable"
    assert caught.value.project_code == "A"
    assert "wrong encryption key" in str(caught.value)
    with pytest.raises(StorageError, match="wrong encryption key"):
        wrong.load_projection("board")

    missing = opened(url)
    with pytest.raises(StorageError) as caught:
        missing.read_log()
    assert "DAUTU_CIPHER_KEY" in str(caught.value)


def test_a_key_on_a_plain_store_is_refused(tmp_path: Path, opened: Opener) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    opened(url).append([AppendBatch("A", 0, project_records("A"))])
    with pytest.raises(StorageError, match="not encrypted"):
        opened(url, cipher_key=generate_cipher_key()).read_stream("A")


@pytest.mark.parametrize("key", ["not base64!", "c2hvcnQ="])
def test_an_invalid_key_is_refused_at_open(key: str) -> None:
    with pytest.raises(StorageError) as caught:
        cipher_environment(key, compress=False)
    assert caught.value.rule_id == "store_options"


def test_compressed_records_are_zlib_on_disk_and_read_back(tmp_path: Path, opened: Opener) -> None:
    db = tmp_path / "small.db"
    records = project_records("A", violations=5)
    store = opened(f"sqlite:///{db}?compress=1")
    store.append([AppendBatch("A", 0, records)])

    states = stored_states(db)
    assert [zlib.decompress(s) for s in states] == [r.data for r in records]
    assert sum(map(len, states)) < sum(len(r.data) for r in records)
    assert [r.data for r in store.read_stream("A")] == [r.data for r in records]


def test_compression_can_be_switched_without_rewriting(tmp_path: Path, opened: Opener) -> None:
    url = f"sqlite:///{tmp_path / 'mixed.db'}"
    records = project_records("A", violations=3)
    opened(url, compress=True).append([AppendBatch("A", 0, records[:2])])
    plain = opened(url, compress=False)
    plain.append([AppendBatch("A", 2, records[2:])])

    states = stored_states(tmp_path / "mixed.db")
    assert [s.startswith(b"{") for s in states] == [False, False, True, True, True]
    assert [r.data for r in plain.read_stream("A")] == [r.data for r in records]


def test_encryption_and_compression_together(tmp_path: Path, opened: Opener) -> None:
    key = generate_cipher_key()
    url = f"sqlite:///{tmp_path / 'both.db'}"
    records = project_records("A")
    opened(url, cipher_key=key, compress=True).append([AppendBatch("A", 0, records)])
    assert [r.data for r in opened(url, cipher_key=key).read_stream("A")] == [
        r.data for r in records
    ]


SEALERS = [
    RecordSealer(),
    RecordSealer.from_environment_settings(cipher_environment(None, compress=True)),
    RecordSealer.from_environment_settings(cipher_environment(generate_cipher_key(), False)),
    RecordSealer.from_environment_settings(cipher_environment(generate_cipher_key(24), True)),
]


@settings(max_examples=60, deadline=None)
@given(
    sealer=st.sampled_from(SEALERS),
    payload=st.dictionaries(st.text(), st.text() | st.integers(), max_size=5),
)
def test_sealing_round_trips_any_record(sealer: RecordSealer, payload: dict[str, object]) -> None:
    import json

    record = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    sealed = sealer.seal(record)
    assert sealer.open(sealed, project_code="A", version=1) == record
    if sealer.encrypted:
        assert sealer.seal(record) != sealed  # a fresh nonce each time


@settings(max_examples=60, deadline=None)
@given(sealer=st.sampled_from(SEALERS), blob=st.binary(max_size=300))
def test_sealing_round_trips_any_projection_state(sealer: RecordSealer, blob: bytes) -> None:
    assert sealer.open_blob(sealer.seal_blob(blob), name="p") == blob
