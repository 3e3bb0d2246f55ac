"""Encryption at rest and compression of stored bytes, through eventsourcing's own classes.

Why eventsourcing's cipher and compressor: they are the ones its recorders and users already
know (``eventsourcing.cryptography:AESCipher``, AES-GCM; ``eventsourcing.compressor:
ZlibCompressor``), and a store written by dautu stays readable with eventsourcing's documented
settings. The order is eventsourcing's: compress, then encrypt.

The record itself is not changed by sealing: the hash chain commits to the plaintext canonical
bytes, and a store returns exactly those bytes after opening the seal.

Compression is detected on read (a record is a JSON object, ``{...}``, and ``{`` is never a
zlib header), so compression can be switched on or off for new records without rewriting old ones.
Encryption cannot be detected safely, so a store is either encrypted or not: its
:class:`SealingMode` (encrypted or not, and which key, by fingerprint) is recorded in the store
at the first write, and a store opened with another mode refuses to open (see
:class:`~dautu_adapters.stores.store.RecorderStore`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
from base64 import b64decode
from binascii import Error as Base64Error
from typing import Any

import attrs
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import Cipher, Compressor
from eventsourcing.utils import Environment

from dautu_adapters.stores.errors import SealingMismatch, StorageError

__all__ = [
    "AES_CIPHER_TOPIC",
    "ZLIB_COMPRESSOR_TOPIC",
    "RecordSealer",
    "SealingMode",
    "cipher_environment",
    "generate_cipher_key",
    "key_fingerprint",
    "sealing_mismatch",
]

AES_CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
ZLIB_COMPRESSOR_TOPIC = "eventsourcing.compressor:ZlibCompressor"

_PLAIN = b"\x00"
_ZLIB = b"\x01"
_FINGERPRINT_LABEL = b"dautu store key fingerprint v1"


def generate_cipher_key(num_bytes: int = 32) -> str:
    """A new random AES key, base64-encoded, for ``DAUTU_CIPHER_KEY`` (keep it safe)."""
    from eventsourcing.cryptography import AESCipher

    return AESCipher.create_key(num_bytes)


def cipher_environment(cipher_key: str | None, compress: bool) -> dict[str, str]:
    """The eventsourcing environment settings that ask for AES encryption and zlib."""
    env: dict[str, str] = {}
    if cipher_key:
        try:
            key = b64decode(cipher_key.encode(), validate=True)
        except ValueError as exc:
            raise _bad_key("not valid base64") from exc
        if len(key) not in (16, 24, 32):
            raise _bad_key(f"{len(key)} bytes, expected 16, 24 or 32")
        env["CIPHER_TOPIC"] = AES_CIPHER_TOPIC
        env["CIPHER_KEY"] = cipher_key
    if compress:
        env["COMPRESSOR_TOPIC"] = ZLIB_COMPRESSOR_TOPIC
    return env


def key_fingerprint(cipher_key: str) -> str:
    """16 hex digits that tell encryption keys apart without revealing them.

    HMAC-SHA256 keyed with the key's bytes over a fixed label, truncated: it identifies the
    key (to say "opened with another key") and gives nothing towards finding it.
    """
    try:
        secret = b64decode(cipher_key.encode(), validate=True)
    except (Base64Error, ValueError):
        secret = cipher_key.encode()
    return hmac.new(secret, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


@attrs.frozen
class SealingMode:
    """How a store's records are sealed: encrypted or not, and the key's fingerprint.

    Compression is not part of it: it is recognised record by record.
    """

    encrypted: bool = False
    key_fingerprint: str | None = None

    def to_text(self) -> str:
        return json.dumps(attrs.asdict(self), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> SealingMode:
        data: dict[str, Any] = json.loads(text)
        return cls(bool(data.get("encrypted")), data.get("key_fingerprint"))


def sealing_mismatch(
    store: str, recorded: SealingMode | None, given: SealingMode
) -> SealingMismatch:
    """The error for a store (``store``: its URL, redacted) written in the ``recorded`` mode
    (``None``: not recorded, but its records do not open) and opened in the ``given`` one."""
    if given.encrypted:
        with_vi = f"với khoá đã cho (dấu vân tay {given.key_fingerprint})"
        with_en = f"with the key given (fingerprint {given.key_fingerprint})"
    else:
        with_vi, with_en = "không có khoá", "without a key"
    was = recorded.key_fingerprint if recorded is not None else None
    if recorded is None:
        what_vi = f"có bản ghi không đọc được khi mở {with_vi}"
        what_en = f"holds records that cannot be read {with_en}"
    elif recorded.encrypted and given.encrypted:
        what_vi = f"được mã hoá bằng một khoá khác (dấu vân tay {was}), không mở được {with_vi}"
        what_en = f"is encrypted with another key (fingerprint {was}), not {with_en}"
    elif recorded.encrypted:
        what_vi = f"được mã hoá (dấu vân tay khoá {was}) nhưng được mở {with_vi}"
        what_en = f"is encrypted (key fingerprint {was}) but was opened {with_en}"
    else:
        what_vi = f"không được mã hoá nhưng được mở {with_vi}"
        what_en = f"is not encrypted but was opened {with_en}"
    return SealingMismatch(
        f"Kho lưu trữ {store} {what_vi}; một kho hoặc được mã hoá bằng một khoá, hoặc không: "
        "hãy dùng đúng khoá (DAUTU_CIPHER_KEY) hoặc bỏ khoá. Không có gì được ghi",
        f"the store {store} {what_en}; a store is either encrypted with one key or not "
        "encrypted: give the right key (DAUTU_CIPHER_KEY) or none. Nothing was written",
        field="cipher_key",
        rule_id="store_sealing",
    )


def _bad_key(why: str) -> StorageError:
    return StorageError(
        f"Khoá mã hoá không hợp lệ ({why}); cần chuỗi base64 của 16, 24 hoặc 32 byte",
        f"invalid encryption key ({why}); expected base64 of 16, 24 or 32 bytes",
        field="cipher_key",
        rule_id="store_options",
    )


@attrs.frozen
class RecordSealer:
    """Seals bytes for storage and opens them again (see the module docstring)."""

    cipher: Cipher | None = None
    compressor: Compressor | None = None
    key_fingerprint: str | None = None

    @classmethod
    def from_environment_settings(cls, settings: dict[str, str]) -> RecordSealer:
        """Build from a plain mapping of eventsourcing settings."""
        return cls.from_environment(Environment(env=settings))

    @classmethod
    def from_environment(cls, env: Environment) -> RecordSealer:
        """Build from eventsourcing settings (``CIPHER_TOPIC``/``CIPHER_KEY``, ``COMPRESSOR_TOPIC``).

        Uses an eventsourcing infrastructure factory's own ``cipher()`` and ``compressor()``
        so that any cipher or compressor eventsourcing accepts is accepted here.
        """
        from eventsourcing.popo import POPOFactory

        return cls.for_factory(POPOFactory(env))

    @classmethod
    def for_factory(cls, factory: Any) -> RecordSealer:
        """The cipher and compressor of an eventsourcing infrastructure factory, and the
        fingerprint of the ``CIPHER_KEY`` setting it read."""
        cipher = factory.cipher()
        key = factory.env.get("CIPHER_KEY") if cipher is not None else None
        return cls(
            cipher=cipher,
            compressor=factory.compressor(),
            key_fingerprint=key_fingerprint(key) if key else None,
        )

    @property
    def encrypted(self) -> bool:
        return self.cipher is not None

    @property
    def mode(self) -> SealingMode:
        """What the store records at its first write, and checks at every open."""
        return SealingMode(self.encrypted, self.key_fingerprint if self.encrypted else None)

    @property
    def compressed(self) -> bool:
        return self.compressor is not None

    # --- records (canonical JSON) ------------------------------------------------------------

    def seal(self, record: bytes) -> bytes:
        """Compress (if asked) then encrypt (if a key was given) one record."""
        data = record
        if self.compressor is not None:
            data = self.compressor.compress(data)
        if self.cipher is not None:
            data = self.cipher.encrypt(data)
        return data

    def open(self, stored: bytes, *, project_code: str | None, version: int) -> bytes:
        """The record's canonical bytes from what the recorder holds."""
        data = self._decrypt(stored, project_code=project_code, version=version)
        if data[:1] == b"{" and data[-1:] == b"}":  # a JSON object: not compressed
            return data
        compressor = self.compressor or _ZLIB_COMPRESSOR
        try:
            return compressor.decompress(data)
        except (zlib.error, ValueError) as exc:
            if self.cipher is None:
                raise StorageError(
                    f"Bản ghi phiên bản {version} không đọc được: có thể kho đã được mã hoá "
                    "mà chưa có khoá (DAUTU_CIPHER_KEY), hoặc dữ liệu bị hỏng",
                    f"record at version {version} is unreadable: the store may be encrypted "
                    "and no key was given (DAUTU_CIPHER_KEY), or the data is damaged",
                    project_code=project_code,
                    field="cipher_key",
                    rule_id="record_unreadable",
                ) from exc
            raise StorageError(
                f"Bản ghi phiên bản {version} giải mã được nhưng không giải nén được: dữ liệu hỏng",
                f"record at version {version} decrypts but does not decompress: damaged data",
                project_code=project_code,
                field="data",
                rule_id="record_unreadable",
            ) from exc

    # --- opaque payloads (projection states) -------------------------------------------------

    def seal_blob(self, blob: bytes) -> bytes:
        """Like :meth:`seal` for bytes of any shape: a flag byte records the compression."""
        data = _PLAIN + blob
        if self.compressor is not None:
            data = _ZLIB + self.compressor.compress(blob)
        if self.cipher is not None:
            data = self.cipher.encrypt(data)
        return data

    def open_blob(self, stored: bytes, *, name: str) -> bytes:
        data = self._decrypt(stored, project_code=None, version=None, name=name)
        flag, body = data[:1], data[1:]
        if flag == _PLAIN:
            return body
        if flag == _ZLIB:
            try:
                return (self.compressor or _ZLIB_COMPRESSOR).decompress(body)
            except (zlib.error, ValueError):
                pass
        raise StorageError(
            f"Trạng thái đã lưu của '{name}' không đọc được: sai khoá mã hoá hoặc dữ liệu hỏng",
            f"saved state of {name!r} is unreadable: wrong encryption key or damaged data",
            field="cipher_key",
            rule_id="record_unreadable",
        )

    def _decrypt(
        self,
        stored: bytes,
        *,
        project_code: str | None,
        version: int | None,
        name: str | None = None,
    ) -> bytes:
        if self.cipher is None:
            return stored
        try:
            return self.cipher.decrypt(stored)
        except (ValueError, TypeError) as exc:
            what_vi = f"Bản ghi phiên bản {version}" if name is None else f"Trạng thái '{name}'"
            what_en = f"record at version {version}" if name is None else f"state of {name!r}"
            raise StorageError(
                f"{what_vi} không giải mã được: sai khoá mã hoá (DAUTU_CIPHER_KEY), kho không "
                "được mã hoá, hoặc dữ liệu bị hỏng",
                f"{what_en} cannot be decrypted: wrong encryption key (DAUTU_CIPHER_KEY), the "
                "store is not encrypted, or the data is damaged",
                project_code=project_code,
                field="cipher_key",
                rule_id="record_unreadable",
            ) from exc


_ZLIB_COMPRESSOR = ZlibCompressor()
