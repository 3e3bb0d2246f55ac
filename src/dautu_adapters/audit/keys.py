"""Ed25519 keys and checkpoint signatures (``cryptography``).

Why Ed25519: small keys and signatures, deterministic signing (no randomness needed at sign
time, so the same checkpoint always gets the same signature), and implementations in every
language an auditor might use. Keys are ordinary PEM files: the private key PKCS#8 (optionally
protected by a passphrase), the public key SubjectPublicKeyInfo next to it (``FILE.pub``).

A key is named by its *key id*: the first 16 hex digits of SHA-256 over the raw 32-byte public
key. The id is part of the signed bytes, so a signature cannot be passed off as another key's.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dautu_core.audit import Checkpoint, Finding, FindingKind
from dautu_core.errors import InvalidValue

__all__ = [
    "KeyPair",
    "generate_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "public_key_path",
    "public_pem",
    "sign_checkpoint",
    "signature_finding",
]


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 of the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_path(private_path: Path) -> Path:
    """Where the public key of ``private_path`` is written: the same name plus ``.pub``."""
    return private_path.with_name(private_path.name + ".pub")


@attrs.frozen
class KeyPair:
    """The files of a generated key and its id."""

    private_path: Path
    public_path: Path
    key_id: str


def _key_error(path: Path, why: str) -> InvalidValue:
    return InvalidValue(
        f"Không đọc được khoá {path}: {why}",
        f"cannot read the key {path}: {why}",
        field="key",
        rule_id="key_file",
    )


def generate_key(out: Path, *, passphrase: bytes | None = None, overwrite: bool = False) -> KeyPair:
    """Write a new Ed25519 private key to ``out`` (mode 0600) and its public key alongside.

    Refuses to overwrite an existing key unless asked: losing a signing key means old
    checkpoints can no longer be extended by the same signer.
    """
    public = public_key_path(out)
    for path in (out, public):
        if path.exists() and not overwrite:
            raise InvalidValue(
                f"Tệp {path} đã tồn tại; không ghi đè khoá",
                f"{path} already exists; a key is never overwritten",
                field="out",
                rule_id="key_exists",
            )
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public.write_bytes(public_pem(key.public_key()))
    return KeyPair(out, public, key_id(key.public_key()))


def load_private_key(path: Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
    except (OSError, ValueError, TypeError) as exc:
        raise _key_error(path, str(exc)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise _key_error(path, "not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file; a private key file is accepted too (its public half)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _key_error(path, str(exc)) from exc
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise _key_error(path, str(exc)) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise _key_error(path, "not an Ed25519 public key")
    return key


def sign_checkpoint(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> Checkpoint:
    """The checkpoint with ``key_id`` set and signed over :meth:`Checkpoint.signed_bytes`."""
    named = attrs.evolve(checkpoint, key_id=key_id(key.public_key()), signature=None)
    return attrs.evolve(named, signature=key.sign(named.signed_bytes()).hex())


def signature_finding(
    checkpoint: Checkpoint, public_key: Ed25519PublicKey | None
) -> Finding | None:
    """``None`` if the checkpoint is signed by ``public_key`` and the signature holds.

    Without a public key the signature cannot be checked: that is a finding too, because an
    unsigned or unchecked checkpoint proves consistency, not who vouched for it.
    """
    label = checkpoint.label

    def bad(vi: str, en: str) -> Finding:
        return Finding(
            kind=FindingKind.SIGNATURE_INVALID, checkpoint=label, detail_vi=vi, detail_en=en
        )

    if checkpoint.signature is None or checkpoint.key_id is None:
        return bad("điểm kiểm tra chưa được ký", "the checkpoint is not signed")
    if public_key is None:
        return bad(
            "không có khoá công khai để kiểm tra chữ ký (--public-key)",
            "no public key to check the signature with (--public-key)",
        )
    expected = key_id(public_key)
    if checkpoint.key_id != expected:
        return bad(
            f"điểm kiểm tra được ký bằng khoá {checkpoint.key_id}, không phải khoá {expected}",
            f"the checkpoint was signed by key {checkpoint.key_id}, not by key {expected}",
        )
    try:
        public_key.verify(bytes.fromhex(checkpoint.signature), checkpoint.signed_bytes())
    except InvalidSignature:
        return bad(
            "chữ ký không khớp nội dung điểm kiểm tra (nội dung hoặc chữ ký đã bị sửa)",
            "the signature does not match the checkpoint's contents (contents or signature "
            "were altered)",
        )
    return None
