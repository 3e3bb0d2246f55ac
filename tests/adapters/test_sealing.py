"""Encryption at rest and compression, checked on the bytes the database really holds."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.conftest import backend_url, project_records
from dautu_adapters.stores import (
    RecorderStore,
    RecordSealer,
    SealingMismatch,
    SealingMode,
    StorageError,
    Store,
    generate_cipher_key,
)
from dautu_adapters.stores.sealing import cipher_environment, key_fingerprint
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


def forget_sealing_mode(db: Path) -> None:
    """Make ``db`` look like a store written before the sealing mode was recorded."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM dautu_metadata")


def test_a_wrong_or_missing_key_is_refused_at_open(tmp_path: Path, opened: Opener) -> None:
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    key, other = generate_cipher_key(), generate_cipher_key()
    opened(url, cipher_key=key).append([AppendBatch("A", 0, project_records("A"))])

    with pytest.raises(SealingMismatch) as caught:
        opened(url, cipher_key=other)
    message = str(caught.value)
    assert caught.value.rule_id == "store_sealing"
    assert url in message
    assert f"another key (fingerprint {key_fingerprint(key)})" in message
    assert f"the key given (fingerprint {key_fingerprint(other)})" in message
    assert key not in message and other not in message

    with pytest.raises(SealingMismatch, match=r"is encrypted .* but was opened without a key"):
        opened(url)
    assert len(opened(url, cipher_key=key).read_stream("A")) == 4


def test_without_a_recorded_mode_a_wrong_key_fails_on_read(tmp_path: Path, opened: Opener) -> None:
    db = tmp_path / "secret.db"
    url = f"sqlite:///{db}"
    writer = opened(url, cipher_key=generate_cipher_key())
    writer.append([AppendBatch("A", 0, project_records("A"))])
    writer.save_checkpoint("board", 4, b"state")
    forget_sealing_mode(db)

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
    with pytest.raises(StorageError, match="is not encrypted but was opened with the key"):
        opened(url, cipher_key=generate_cipher_key()).read_stream("A")


@pytest.mark.parametrize("recorded", [True, False], ids=["mode-recorded", "older-store"])
def test_encrypted_records_never_go_into_a_plain_store(
    tmp_path: Path, opened: Opener, recorded: bool
) -> None:
    db = tmp_path / "plain.db"
    url = f"sqlite:///{db}"
    records = project_records("A", violations=3)
    opened(url).append([AppendBatch("A", 0, records[:2])])
    if not recorded:
        forget_sealing_mode(db)

    key = generate_cipher_key()
    if recorded:
        with pytest.raises(SealingMismatch):
            opened(url, cipher_key=key)
    else:
        keyed = opened(url, cipher_key=key)
        with pytest.raises(SealingMismatch, match="cannot be read with the key given"):
            keyed.append([AppendBatch("A", 2, records[2:])])
        with pytest.raises(SealingMismatch):
            keyed.save_checkpoint("board", 2, b"state")

    assert stored_states(db) == [r.data for r in records[:2]]
    plain = opened(url)
    assert [r.data for r in plain.read_log()] == [r.data for r in records[:2]]
    plain.append([AppendBatch("A", 2, records[2:])])
    assert [r.data for r in plain.read_stream("A")] == [r.data for r in records]


def test_plain_records_never_go_into_an_encrypted_store(tmp_path: Path, opened: Opener) -> None:
    db = tmp_path / "secret.db"
    url = f"sqlite:///{db}"
    key = generate_cipher_key()
    records = project_records("A")
    opened(url, cipher_key=key).append([AppendBatch("A", 0, records[:2])])
    forget_sealing_mode(db)

    with pytest.raises(SealingMismatch, match="cannot be read without a key"):
        opened(url).append([AppendBatch("A", 2, records[2:])])
    assert len(stored_states(db)) == 2
    assert [r.data for r in opened(url, cipher_key=key).read_log()] == [r.data for r in records[:2]]


def test_the_first_writer_fixes_the_mode_for_stores_opened_before(
    tmp_path: Path, opened: Opener
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    key = generate_cipher_key()
    keyed, plain = opened(url, cipher_key=key), opened(url)  # both on an empty store
    keyed.save_checkpoint("board", 0, b"")

    with pytest.raises(SealingMismatch, match="is encrypted"):
        plain.append([AppendBatch("A", 0, project_records("A"))])
    assert keyed.max_position() == 0
    keyed.append([AppendBatch("A", 0, project_records("A"))])
    assert len(keyed.read_log()) == 4


@pytest.mark.parametrize("backend", ["sqlite", "sqlalchemy", "postgres"])
def test_every_backend_records_the_mode_without_the_key(
    request: pytest.FixtureRequest, tmp_path: Path, opened: Opener, backend: str
) -> None:
    url = backend_url(request, backend, tmp_path)
    key = generate_cipher_key()
    opened(url, cipher_key=key).append([AppendBatch("A", 0, project_records("A"))])

    store = opened(url, cipher_key=key)
    assert isinstance(store, RecorderStore)
    recorded = store._checkpoints.metadata("sealing")
    assert recorded is not None and key not in recorded
    assert SealingMode.from_text(recorded) == SealingMode(True, key_fingerprint(key))
    with pytest.raises(SealingMismatch):
        opened(url)
    with pytest.raises(SealingMismatch):
        opened(url, cipher_key=generate_cipher_key())


def test_a_memory_store_keeps_its_mode_too(opened: Opener) -> None:
    store = opened("memory://", cipher_key=generate_cipher_key())
    store.append([AppendBatch("A", 0, project_records("A"))])
    assert isinstance(store, RecorderStore)
    recorded = store._checkpoints.metadata("sealing")
    assert recorded is not None and SealingMode.from_text(recorded).encrypted


def test_key_fingerprints_tell_keys_apart_and_hide_them() -> None:
    keys = [generate_cipher_key() for _ in range(20)]
    prints = {key_fingerprint(k) for k in keys}
    assert len(prints) == 20
    assert all(len(p) == 16 and int(p, 16) >= 0 for p in prints)
    assert key_fingerprint(keys[0]) == key_fingerprint(keys[0])
    assert all(key_fingerprint(k) not in k for k in keys)


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
