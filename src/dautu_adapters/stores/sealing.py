"""Encryption at rest and compression of stored bytes, through eventsourcing's own classes.

Why eventsourcing's cipher and compressor: they are the ones its recorders and users already
know (``eventsourcing.cryptography:AESCipher``, AES-GCM; ``eventsourcing.compressor:
ZlibCompressor``), and a store written by dautu stays readable with eventsourcing's documented
settings. The order is eventsourcing's: compress, then encrypt.

The record itself is not changed by sealing: the hash chain commits to the plaintext canonical
bytes, and a store returns exactly those bytes after opening the seal.

Compression is detected on read (a record is JSON and starts with ``{``, which is never a zlib
header), so compression can be switched on or off for new records without rewriting old ones.
Encryption cannot be detected safely, so a store is either encrypted or not.
"""

from __future__ import annotations

import zlib
from base64 import b64decode

import attrs
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import Cipher, Compressor
from eventsourcing.utils import Environment

from dautu_adapters.stores.errors import StorageError

__all__ = [
    "AES_CIPHER_TOPIC",
    "ZLIB_COMPRESSOR_TOPIC",
    "RecordSealer",
    "cipher_environment",
    "generate_cipher_key",
]

AES_CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
ZLIB_COMPRESSOR_TOPIC = "eventsourcing.compressor:ZlibCompressor"

_PLAIN = b"\x00"
_ZLIB = b"\x01"


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

        factory = POPOFactory(env)
        return cls(cipher=factory.cipher(), compressor=factory.compressor())

    @property
    def encrypted(self) -> bool:
        return self.cipher is not None

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
        if data[:1] == b"{":
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
