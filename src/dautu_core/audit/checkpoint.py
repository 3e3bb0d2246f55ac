"""Checkpoints: a signed statement of what the log held at one moment.

A checkpoint says "the first ``log_size`` records of the log, the last of them at global
position ``last_position``, hash to ``root_hash``" (the RFC 6962 tree head, as Certificate
Transparency signs it; the position is there because positions may have gaps, so a record's
position alone does not say whether a checkpoint covers it) and also "at that size, each
project's stream ended at this version with this record hash" (``heads_root``: the root of a
second RFC 6962 tree over one leaf per project, sorted by project code).

Why the heads as well as the log root: the log root proves that nothing inside the signed prefix
changed, but not *which* record changed; and a per-project hash chain cannot notice that its
last records were cut off or that its last record was altered (nothing comes after them to
disagree). The heads close both gaps: verification names the project and version, and an
auditor bundle proves that it holds a project's *whole* history up to the checkpoint.

The signature (Ed25519, made by an adapter: the core holds no keys) is over
:meth:`Checkpoint.signed_bytes`; the time is passed in, the core has no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from dautu_core.audit.merkle import MerkleTree, leaf_hash
from dautu_core.codec import canonical_bytes
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import InvalidValue

__all__ = [
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "Head",
    "head_leaf",
    "heads_tree",
    "sorted_heads",
]

CHECKPOINT_FORMAT = "dautu-checkpoint/1"
"""Format id, part of the signed bytes so a signature cannot be replayed on another format."""

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _bad(field: str, value: object) -> InvalidValue:
    return InvalidValue(
        f"Điểm kiểm tra không hợp lệ: trường {field} = {value!r}",
        f"invalid checkpoint: field {field} = {value!r}",
        field=field,
        rule_id="checkpoint_format",
    )


def _hex64(field: str) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not _HEX64.fullmatch(value):
            raise _bad(field, value)

    return check


def _count(field: str) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _bad(field, value)

    return check


def _text(field: str) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value:
            raise _bad(field, value)

    return check


@attrs.frozen(kw_only=True)
class Head:
    """Where one project's stream ended at a given log size: its last version and record hash."""

    project_code: str = attrs.field(validator=_text("project_code"))
    version: int = attrs.field(validator=_count("version"))
    hash: str = attrs.field(validator=_hex64("hash"))

    def to_data(self) -> dict[str, Any]:
        return {"project_code": self.project_code, "version": self.version, "hash": self.hash}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Head:
        try:
            return cls(
                project_code=data["project_code"], version=data["version"], hash=data["hash"]
            )
        except (KeyError, TypeError) as exc:
            raise _bad("heads", data) from exc


def head_leaf(head: Head) -> bytes:
    """``SHA-256(0x00 || canonical JSON {"hash","project_code","version"})``."""
    return leaf_hash(canonical_bytes(head.to_data()))


def sorted_heads(heads: Iterable[Head]) -> list[Head]:
    """Heads in tree order: by the UTF-8 bytes of the project code (= code point order)."""
    return sorted(heads, key=lambda h: h.project_code.encode())


def heads_tree(heads: Iterable[Head]) -> MerkleTree:
    """The RFC 6962 tree over :func:`head_leaf` of every head, in :func:`sorted_heads` order."""
    return MerkleTree([head_leaf(h) for h in sorted_heads(heads)])


def _aware(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise _bad("issued_at", value)


def _optional_hex(field: str, length: int) -> Any:
    pattern = re.compile(f"[0-9a-f]{{{length}}}")

    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (not isinstance(value, str) or not pattern.fullmatch(value)):
            raise _bad(field, value)

    return check


def _heads(value: Iterable[Head]) -> tuple[Head, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A tree head of the log, with the per-project heads root, optionally signed.

    ``key_id`` is the first 16 hex digits of SHA-256 of the signer's raw 32-byte Ed25519 public
    key; ``signature`` the 64-byte Ed25519 signature in hex. ``heads`` (optional, not signed:
    they are committed to by ``heads_root``) let verification name the project and version that
    no longer match; a bundle carries only its own project's head and proof.
    """

    origin: str
    log_size: int = attrs.field(validator=_count("log_size"))
    last_position: int = attrs.field(validator=_count("last_position"))
    root_hash: str = attrs.field(validator=_hex64("root_hash"))
    heads_size: int = attrs.field(validator=_count("heads_size"))
    heads_root: str = attrs.field(validator=_hex64("heads_root"))
    issued_at: datetime = attrs.field(validator=_aware)
    key_id: str | None = attrs.field(default=None, validator=_optional_hex("key_id", 16))
    signature: str | None = attrs.field(default=None, validator=_optional_hex("signature", 128))
    heads: tuple[Head, ...] = attrs.field(default=(), converter=_heads, eq=False)

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def label(self) -> str:
        """How findings name this checkpoint: size, root prefix and time."""
        # in Vietnam time; the signed bytes keep the offset it was issued with
        shown = self.issued_at.astimezone(VIETNAM_TIME).isoformat(timespec="seconds")
        return f"{self.log_size}@{self.root_hash[:12]} ({shown})"

    def signed_data(self) -> dict[str, Any]:
        """The fields the signature covers."""
        return {
            "format": CHECKPOINT_FORMAT,
            "origin": self.origin,
            "log_size": self.log_size,
            "last_position": self.last_position,
            "root_hash": self.root_hash,
            "heads_size": self.heads_size,
            "heads_root": self.heads_root,
            "issued_at": self.issued_at.isoformat(),
            "key_id": self.key_id,
        }

    def signed_bytes(self) -> bytes:
        """Exactly what is signed: canonical JSON (sorted keys, no spaces, UTF-8) of
        :meth:`signed_data`."""
        return canonical_bytes(self.signed_data())

    def heads_match_root(self) -> bool:
        """Whether the attached ``heads`` are the ones ``heads_root`` commits to."""
        tree = heads_tree(self.heads)
        return tree.size == self.heads_size and tree.root().hex() == self.heads_root

    def to_data(self, *, with_heads: bool = True) -> dict[str, Any]:
        data = self.signed_data() | {"signature": self.signature}
        if with_heads:
            data["heads"] = [h.to_data() for h in sorted_heads(self.heads)]
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Read a checkpoint file's JSON; refuses another format or malformed fields."""
        if not isinstance(data, Mapping) or data.get("format") != CHECKPOINT_FORMAT:
            raise _bad("format", data.get("format") if isinstance(data, Mapping) else data)
        try:
            if not isinstance(data["issued_at"], str):
                raise _bad("issued_at", data["issued_at"])
            issued_at = datetime.fromisoformat(data["issued_at"])
            origin = data["origin"]
            if not isinstance(origin, str):
                raise _bad("origin", origin)
            return cls(
                origin=origin,
                log_size=data["log_size"],
                last_position=data["last_position"],
                root_hash=data["root_hash"],
                heads_size=data["heads_size"],
                heads_root=data["heads_root"],
                issued_at=issued_at,
                key_id=data.get("key_id"),
                signature=data.get("signature"),
                heads=tuple(Head.from_data(h) for h in data.get("heads") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, InvalidValue):
                raise
            raise _bad(str(exc.args[0]) if exc.args else "?", data) from exc
