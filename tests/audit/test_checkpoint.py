"""Checkpoints: the exact signed bytes, Ed25519 keys and signatures, checkpoint files, and
refusing to sign (or to accept) a log that does not verify."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.samples import project_commands
from audit.test_verify import checkpoint_of
from dautu_adapters.audit import (
    AuditFailed,
    audit_store,
    generate_key,
    key_id,
    load_private_key,
    load_public_key,
    make_checkpoint,
    read_checkpoint,
    sign_checkpoint,
    signature_finding,
    write_checkpoint,
)
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.audit import CHECKPOINT_FORMAT, Checkpoint, FindingKind, Head
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import InvalidValue
from dautu_core.record import StoredRecord


def sample_checkpoint() -> Checkpoint:
    return Checkpoint(
        origin="Sở Tài chính tỉnh Hải Dương",
        log_size=3,
        last_position=4,
        root_hash="ab" * 32,
        heads_size=1,
        heads_root="cd" * 32,
        issued_at=datetime(2024, 2, 21, 17, 30, tzinfo=VIETNAM_TIME),
    )


def test_the_signed_bytes_are_exactly_the_documented_canonical_json() -> None:
    checkpoint = attrs.evolve(sample_checkpoint(), key_id="0123456789abcdef")
    expected = (
        '{"format":"dautu-checkpoint/1","heads_root":"' + "cd" * 32 + '","heads_size":1,'
        '"issued_at":"2024-02-21T17:30:00+07:00","key_id":"0123456789abcdef","last_position":4,'
        '"log_size":3,"origin":"Sở Tài chính tỉnh Hải Dương","root_hash":"' + "ab" * 32 + '"}'
    ).encode()
    assert checkpoint.signed_bytes() == expected
    assert CHECKPOINT_FORMAT == "dautu-checkpoint/1"


def test_signing_binds_every_field_and_the_key() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_checkpoint(sample_checkpoint(), key)
    assert signed.key_id == key_id(key.public_key()) and signed.signature is not None
    assert sign_checkpoint(sample_checkpoint(), key) == signed  # Ed25519 is deterministic
    assert signature_finding(signed, key.public_key()) is None
    for change in (
        {"log_size": 4},
        {"last_position": 5},
        {"root_hash": "ac" * 32},
        {"heads_root": "ce" * 32},
        {"issued_at": datetime(2024, 2, 22, tzinfo=VIETNAM_TIME)},
        {"origin": "Sở Tài chính tỉnh Hải Phòng"},
    ):
        finding = signature_finding(attrs.evolve(signed, **change), key.public_key())
        assert finding is not None and finding.kind is FindingKind.SIGNATURE_INVALID
    other = Ed25519PrivateKey.generate().public_key()
    wrong_key = signature_finding(signed, other)
    assert wrong_key is not None and key_id(other) in wrong_key.detail_en
    assert signature_finding(sample_checkpoint(), key.public_key()) is not None
    assert signature_finding(signed, None) is not None


def test_checkpoint_files_round_trip_and_refuse_what_is_not_one(tmp_path: Path) -> None:
    heads = (Head(project_code="DA-0001", version=5, hash="ef" * 32),)
    checkpoint = sign_checkpoint(
        attrs.evolve(sample_checkpoint(), heads=heads), Ed25519PrivateKey.generate()
    )
    path = write_checkpoint(tmp_path / "cp.json", checkpoint)
    again = read_checkpoint(path)
    assert again == checkpoint and again.heads == heads
    assert again.signed_bytes() == checkpoint.signed_bytes()
    data = json.loads(path.read_text(encoding="utf-8"))
    for broken in (
        data | {"format": "other/1"},
        data | {"root_hash": "XYZ"},
        data | {"issued_at": "2024-02-21T17:30:00"},
        data | {"log_size": -1},
        {k: v for k, v in data.items() if k != "heads_root"},
    ):
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(InvalidValue):
            read_checkpoint(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(InvalidValue):
        read_checkpoint(path)


def test_keys_are_pem_files_with_the_public_key_alongside(tmp_path: Path) -> None:
    pair = generate_key(tmp_path / "keys" / "signer.pem")
    assert pair.public_path == tmp_path / "keys" / "signer.pem.pub"
    assert stat.S_IMODE(pair.private_path.stat().st_mode) == 0o600
    private = load_private_key(pair.private_path)
    assert key_id(load_public_key(pair.public_path)) == pair.key_id == key_id(private.public_key())
    assert key_id(load_public_key(pair.private_path)) == pair.key_id
    with pytest.raises(InvalidValue):
        generate_key(pair.private_path)
    protected = generate_key(tmp_path / "locked.pem", passphrase=b"mat-khau")
    assert key_id(load_private_key(protected.private_path, b"mat-khau").public_key()) == (
        protected.key_id
    )
    with pytest.raises(InvalidValue):
        load_private_key(protected.private_path)
    with pytest.raises(InvalidValue):
        load_public_key(tmp_path / "missing.pem")


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    store = open_store(url)
    service = ProjectService(store)
    for code in ("DA-0001", "DA-0002"):
        service.execute_batch(project_commands(code))
    store.close()
    return url


def test_make_checkpoint_signs_what_verify_then_accepts(store_url: str) -> None:
    key = Ed25519PrivateKey.generate()
    store = open_store(store_url)
    try:
        checkpoint = make_checkpoint(store, issued_at=datetime(2024, 3, 1, tzinfo=UTC), key=key)
        log: list[StoredRecord] = store.read_log()
        assert checkpoint.log_size == len(log) == 10
        assert checkpoint.root_hash == checkpoint_of(log).root_hash
        assert {h.project_code: h.version for h in checkpoint.heads} == {
            "DA-0001": 5,
            "DA-0002": 5,
        }
        assert checkpoint.heads_match_root()
        assert audit_store(store, checkpoint, key.public_key(), strict=True).report.ok
        forged_heads = (attrs.evolve(checkpoint.heads[0], version=4), *checkpoint.heads[1:])
        report = audit_store(store, attrs.evolve(checkpoint, heads=forged_heads)).report
        assert report.first is not None
        assert report.first.kind is FindingKind.CHECKPOINT_MISMATCH
    finally:
        store.close()


def test_a_tampered_log_is_never_signed(store_url: str) -> None:
    import sqlite3

    path = store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        state = bytes(con.execute("SELECT state FROM stored_events WHERE rowid=2").fetchone()[0])
        changed = state.replace("giải phóng".encode(), "giai phóng".encode())
        assert changed != state
        con.execute("UPDATE stored_events SET state=? WHERE rowid=2", (changed,))
    con.close()
    store = open_store(store_url)
    try:
        with pytest.raises(AuditFailed) as refused:
            make_checkpoint(store, issued_at=datetime(2024, 3, 1, tzinfo=UTC))
        assert refused.value.project_code == "DA-0001"
        assert "DA-0001" in str(refused.value)
    finally:
        store.close()


def test_a_new_checkpoint_must_extend_the_previous_one(store_url: str) -> None:
    store = open_store(store_url)
    try:
        first = make_checkpoint(store, issued_at=datetime(2024, 3, 1, tzinfo=UTC))
        other = attrs.evolve(first, root_hash="00" * 32)
        with pytest.raises(AuditFailed):
            make_checkpoint(store, issued_at=datetime(2024, 3, 2, tzinfo=UTC), previous=other)
        second = make_checkpoint(store, issued_at=datetime(2024, 3, 2, tzinfo=UTC), previous=first)
        assert second.root_hash == first.root_hash
    finally:
        store.close()
