"""``jsonl://`` URLs, written like SQLite's: three slashes then a relative folder, four for an
absolute one.

    jsonl:///dautu-data            ./dautu-data
    jsonl:////var/lib/dautu        /var/lib/dautu
    jsonl:///dautu-data?fsync=0    no fsync (tests, throwaway data)

The URL is split by dautu's own :func:`~dautu_adapters.stores.parse_store_url` (scheme,
location, query; NFC text) and yes/no values read by :func:`~dautu_adapters.stores.urls.truthy`:
an adapter parses only what is its own, the location.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from dautu_adapters.stores import CIPHER_KEY_ENV, COMPRESS_ENV, parse_store_url
from dautu_adapters.stores.urls import truthy
from dautu_core.errors import InvalidValue
from dautu_jsonl.store import JsonlStore

__all__ = ["SCHEME", "jsonl_url", "open_jsonl_store", "parse_jsonl_url"]

SCHEME = "jsonl"
_OPTIONS = ("fsync", "cipher_key", "compress", "upcasters", "env")


def _refuse(url: str, why_vi: str, why_en: str) -> InvalidValue:
    return InvalidValue(
        f"Địa chỉ kho JSONL không hợp lệ {url!r}: {why_vi} (ví dụ: jsonl:///du-lieu)",
        f"bad jsonl store URL {url!r}: {why_en} (for example jsonl:///dautu-data)",
        field="store_url",
        rule_id="jsonl_url",
    )


def parse_jsonl_url(url: str) -> tuple[str, dict[str, str]]:
    """``(folder, options)`` of a ``jsonl:///folder?option=value`` URL."""
    parsed = parse_store_url(url)
    if parsed.scheme != SCHEME or not parsed.location.startswith("/"):
        raise _refuse(url, "phải bắt đầu bằng jsonl:///", "it must start with jsonl:///")
    folder = unquote(parsed.location[1:])
    if not folder:
        raise _refuse(url, "thiếu thư mục", "no folder given")
    return folder, parsed.query


def jsonl_url(folder: str) -> str:
    """The URL of a folder (absolute folders get the fourth slash by themselves)."""
    return f"{SCHEME}:///{folder}"


def open_jsonl_store(url: str, options: Mapping[str, Any]) -> JsonlStore:
    """The store factory registered for ``jsonl://`` (see :class:`dautu_adapters.hookspecs.StoreFactory`).

    Options: ``fsync`` (default on; also ``?fsync=0`` in the URL). Encryption and compression
    are not offered: asking for them (options, the URL's ``?compress=1``, or
    ``$DAUTU_CIPHER_KEY`` / ``$DAUTU_COMPRESS``, which is how the ``dautu`` command asks) is
    refused rather than silently writing plain text.
    ``upcasters`` is accepted and left to whoever decodes (the service takes its own), ``env``
    (eventsourcing settings) means nothing here and is refused, as is any unknown option.
    """
    folder, query = parse_jsonl_url(url)
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise _refuse(url, f"tuỳ chọn không biết {unknown}", f"unknown options {unknown}")
    environment = {"cipher_key": os.environ.get(CIPHER_KEY_ENV, "").strip()}
    environment["compress"] = os.environ.get(COMPRESS_ENV, "").strip()
    settings: dict[str, Any] = {**environment, **query, **options}
    for unsupported in ("cipher_key", "compress", "env"):
        if settings.get(unsupported) not in (None, False, "", "0", {}):
            raise _refuse(
                url,
                f"kho JSONL không hỗ trợ tuỳ chọn {unsupported}",
                f"the jsonl store does not support {unsupported}",
            )
    try:
        fsync = truthy(settings.get("fsync", True))
    except InvalidValue as exc:
        raise _refuse(url, "fsync phải là 0 hoặc 1", "fsync must be 0 or 1") from exc
    return JsonlStore(folder, fsync=fsync)
