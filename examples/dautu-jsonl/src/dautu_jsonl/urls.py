"""``jsonl://`` URLs, written like SQLite's: three slashes then a relative folder, four for an
absolute one.

    jsonl:///dautu-data            ./dautu-data
    jsonl:////var/lib/dautu        /var/lib/dautu
    jsonl:///dautu-data?fsync=0    no fsync (tests, throwaway data)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote

from dautu_core.errors import InvalidValue
from dautu_jsonl.store import JsonlStore

__all__ = ["SCHEME", "jsonl_url", "open_jsonl_store", "parse_jsonl_url"]

SCHEME = "jsonl"
_PREFIX = f"{SCHEME}:///"
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


def _refuse(url: str, why_vi: str, why_en: str) -> InvalidValue:
    return InvalidValue(
        f"Địa chỉ kho JSONL không hợp lệ {url!r}: {why_vi} (ví dụ: jsonl:///du-lieu)",
        f"bad jsonl store URL {url!r}: {why_en} (for example jsonl:///dautu-data)",
        field="store_url",
        rule_id="jsonl_url",
    )


def parse_jsonl_url(url: str) -> tuple[str, dict[str, str]]:
    """``(folder, options)`` of a ``jsonl:///folder?option=value`` URL."""
    if not url.startswith(_PREFIX):
        raise _refuse(url, "phải bắt đầu bằng jsonl:///", "it must start with jsonl:///")
    location, _, query = url[len(_PREFIX) :].partition("?")
    folder = unquote(location)
    if not folder:
        raise _refuse(url, "thiếu thư mục", "no folder given")
    return folder, dict(parse_qsl(query, keep_blank_values=True))


def jsonl_url(folder: str) -> str:
    """The URL of a folder (absolute folders get the fourth slash by themselves)."""
    return f"{_PREFIX}{folder}"


def _flag(url: str, name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES or text in _NO:
        return text in _YES
    raise _refuse(url, f"{name} phải là 0 hoặc 1", f"{name} must be 0 or 1")


def open_jsonl_store(url: str, options: Mapping[str, Any]) -> JsonlStore:
    """The store factory registered for ``jsonl://`` (see :class:`dautu_adapters.hookspecs.StoreFactory`).

    Options: ``fsync`` (default on). Encryption and compression are not offered: asking for
    them is refused rather than silently writing plain text.
    """
    folder, query = parse_jsonl_url(url)
    settings: dict[str, Any] = {**query, **options}
    for unsupported in ("cipher_key", "compress"):
        if settings.get(unsupported) not in (None, False, "", "0"):
            raise _refuse(
                url,
                f"kho JSONL không hỗ trợ tuỳ chọn {unsupported}",
                f"the jsonl store does not support {unsupported}",
            )
    fsync = _flag(url, "fsync", settings.get("fsync", True))
    return JsonlStore(folder, fsync=fsync)
