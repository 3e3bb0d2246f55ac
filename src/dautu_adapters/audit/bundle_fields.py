"""Reading a bundle's JSON fields strictly: the type the format states, or a clear refusal.

Why strict: a bundle is evidence handed to someone else. ``int("4")`` would quietly accept a
version written as a string and ``int(4.7)`` would truncate one; a checker that repairs what
it reads is not checking it. Every field has one JSON type (an integer is a JSON number
without fraction, never a string or a boolean; hashes are 64 lowercase hex digits), and a
field of another type is refused naming the file, the line, the field, what was expected and
what was found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["FieldError", "hex64", "hex64_list", "integer", "text"]

_HEX64 = re.compile(r"[0-9a-f]{64}")


class FieldError(ValueError):
    """A field missing or of the wrong type; ``vi`` and ``en`` say which and why."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en


def _found(value: object) -> tuple[str, str]:
    if isinstance(value, bool):
        return f"giá trị logic {value!r}", f"the boolean {value!r}"
    if isinstance(value, str):
        return f"chuỗi {value[:40]!r}", f"the string {value[:40]!r}"
    if isinstance(value, float):
        return f"số thập phân {value!r}", f"the number {value!r}"
    if isinstance(value, int):
        return f"số {value}", f"the number {value}"
    if value is None:
        return "null", "null"
    if isinstance(value, list):
        return "một danh sách", "a list"
    return "một đối tượng", "an object"


def _get(data: object, key: str, where: str) -> Any:
    if not isinstance(data, Mapping):
        vi, en = _found(data)
        raise FieldError(
            f"{where}: phải là một đối tượng JSON, gặp {vi}",
            f"{where}: must be a JSON object, found {en}",
        )
    if key not in data:
        raise FieldError(f"{where}: thiếu trường {key}", f"{where}: the field {key} is missing")
    return data[key]


def _wrong(where: str, key: str, want_vi: str, want_en: str, value: object) -> FieldError:
    vi, en = _found(value)
    return FieldError(
        f"{where}: trường {key} phải là {want_vi}, gặp {vi}",
        f"{where}: field {key} must be {want_en}, found {en}",
    )


def integer(data: object, key: str, where: str, *, minimum: int = 0) -> int:
    """A JSON integer (not a string, a boolean or a fraction) at least ``minimum``."""
    value = _get(data, key, where)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _wrong(
            where,
            key,
            f"một số nguyên ≥ {minimum}",
            f"an integer ≥ {minimum}",
            value,
        )
    return value


def text(data: object, key: str, where: str) -> str:
    value = _get(data, key, where)
    if not isinstance(value, str):
        raise _wrong(where, key, "một chuỗi", "a string", value)
    return value


def hex64(data: object, key: str, where: str) -> str:
    value = _get(data, key, where)
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise _wrong(where, key, "64 chữ số hex viết thường", "64 lowercase hex digits", value)
    return value


def hex64_list(data: object, key: str, where: str) -> list[bytes]:
    """A list of 64-hex-digit hashes, as bytes (a Merkle audit path)."""
    value = _get(data, key, where)
    if not isinstance(value, list) or not all(
        isinstance(item, str) and _HEX64.fullmatch(item) for item in value
    ):
        raise _wrong(
            where,
            key,
            "một danh sách mã băm 64 chữ số hex",
            "a list of 64-hex-digit hashes",
            value,
        )
    return [bytes.fromhex(item) for item in value]
