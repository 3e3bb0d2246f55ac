"""Store URLs: one string picks the backend, as embedders expect.

``memory://``, ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``sqlite:///:memory:``,
``postgresql://user:pass@host:5432/db`` and ``eventsourcing://?PERSISTENCE_MODULE=...`` for any
eventsourcing persistence module. The scheme chooses a factory from the store registry (plugins
may add schemes); the rest of the URL is the factory's business.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlsplit

import attrs

from dautu_core.errors import InvalidValue
from dautu_core.text import nfc

__all__ = [
    "CIPHER_KEY_ENV",
    "COMPRESS_ENV",
    "DEFAULT_STORE_URL",
    "STORE_ENV",
    "StoreURL",
    "default_store_url",
    "parse_store_url",
    "truthy",
]

STORE_ENV = "DAUTU_STORE"
"""Environment variable holding the default store URL."""
CIPHER_KEY_ENV = "DAUTU_CIPHER_KEY"
"""Environment variable holding the AES key (base64 of 16, 24 or 32 bytes) for encryption."""
COMPRESS_ENV = "DAUTU_COMPRESS"
"""Environment variable: ``1`` compresses new records with zlib."""
DEFAULT_STORE_URL = "sqlite:///dautu.db"


def default_store_url() -> str:
    """``$DAUTU_STORE`` if set and not blank, else ``sqlite:///dautu.db``."""
    return os.environ.get(STORE_ENV, "").strip() or DEFAULT_STORE_URL


def truthy(value: object) -> bool:
    """Read a yes/no option given as text (URL query, environment) or as a bool."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "y", "t"):
        return True
    if text in ("", "0", "false", "no", "off", "n", "f"):
        return False
    raise InvalidValue(
        f"Giá trị có/không không hợp lệ: {value!r}",
        f"not a yes/no value: {value!r}",
        field="store_url",
        rule_id="store_option_boolean",
    )


@attrs.frozen
class StoreURL:
    """A parsed store URL. ``location`` is everything between ``scheme://`` and ``?``."""

    raw: str
    scheme: str
    location: str
    query: dict[str, str] = attrs.field(factory=dict)

    @property
    def redacted(self) -> str:
        """The URL with any password replaced by ``***`` (for messages and logs)."""
        parts = urlsplit(self.raw)
        if parts.password:
            return self.raw.replace(f":{parts.password}@", ":***@", 1)
        return self.raw


def parse_store_url(url: str) -> StoreURL:
    """Split ``scheme://location?query``; the scheme is lower-cased, text NFC-normalised."""
    text = nfc(url.strip())
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        raise InvalidValue(
            f"Địa chỉ kho lưu trữ không hợp lệ: {url!r} (ví dụ: sqlite:///dautu.db)",
            f"not a store URL: {url!r} (for example sqlite:///dautu.db)",
            field="store_url",
            rule_id="store_url_format",
        )
    location, _, query = rest.partition("?")
    return StoreURL(
        raw=text,
        scheme=scheme.lower(),
        location=location,
        query=dict(parse_qsl(query, keep_blank_values=True)),
    )
