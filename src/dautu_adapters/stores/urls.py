"""Store URLs: one string picks the backend, as embedders expect.

``memory://``, ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``sqlite:///:memory:``,
``postgresql://user:pass@host:5432/db`` and ``eventsourcing://?PERSISTENCE_MODULE=...`` for any
eventsourcing persistence module. The scheme chooses a factory from the store registry (plugins
may add schemes); the rest of the URL is the factory's business.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, unquote

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
    "redact_url",
    "truthy",
]

STORE_ENV = "DAUTU_STORE"
"""Environment variable holding the default store URL."""
CIPHER_KEY_ENV = "DAUTU_CIPHER_KEY"
"""Environment variable holding the AES key (base64 of 16, 24 or 32 bytes) for encryption."""
COMPRESS_ENV = "DAUTU_COMPRESS"
"""Environment variable: ``1`` compresses new records with zlib."""
DEFAULT_STORE_URL = "sqlite:///dautu.db"

_SECRET_KEY = re.compile(r"PASSWORD|PASSWD|SECRET|KEY|TOKEN", re.IGNORECASE)
"""Query keys whose values are never shown (``POSTGRES_PASSWORD``, ``CIPHER_KEY``...)."""
_HIDDEN = "***"
_USERINFO = re.compile(r"(^|/)([^/@:]*):[^/@]*@")


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


@attrs.frozen(repr=False)
class StoreURL:
    """A parsed store URL. ``location`` is everything between ``scheme://`` and ``?``.

    ``raw`` and ``query`` may hold passwords: show :attr:`redacted` (``repr`` does).
    """

    raw: str
    scheme: str
    location: str
    query: dict[str, str] = attrs.field(factory=dict)

    @property
    def redacted(self) -> str:
        """The URL without its secrets, for messages, logs and ``repr``: see :func:`redact_url`."""
        return redact_url(self.raw)

    def __repr__(self) -> str:
        return f"StoreURL({self.redacted!r})"


def redact_url(url: str) -> str:
    """``url`` with every secret replaced by ``***``, for display only.

    Hidden: the password of ``user:password@`` (also in URLs nested in query values, such as
    ``SQLALCHEMY_URL=postgresql://user:password@host/db``, percent-encoded or not) and the
    value of every query key containing ``PASSWORD``, ``SECRET``, ``KEY`` or ``TOKEN`` in any
    case (``POSTGRES_PASSWORD``, ``CIPHER_KEY``, ``api_token``). Everything else is left as
    written, so the result still says which store is meant.
    """
    base, sep, query = url.partition("?")
    base = _redact_userinfo(base)
    if not sep:
        return base
    fields = []
    for field in query.split("&"):
        key, eq, value = field.partition("=")
        if eq and _SECRET_KEY.search(unquote(key)):
            value = _HIDDEN
        elif eq and "@" in unquote(value):
            value = _redact_userinfo(unquote(value))
        fields.append(f"{key}{eq}{value}")
    return f"{base}?{'&'.join(fields)}"


def _redact_userinfo(url: str) -> str:
    """Hide the password of ``scheme://user:password@host...`` (the user name stays); also
    in text that is not quite a URL (``postgresql:/user:password@host``)."""
    return _USERINFO.sub(rf"\1\2:{_HIDDEN}@", url, count=1)


def parse_store_url(url: str) -> StoreURL:
    """Split ``scheme://location?query``; the scheme is lower-cased, text NFC-normalised.

    Anything but text (``open_store(123)``) is an :class:`InvalidValue`, as a malformed URL is.
    """
    if not isinstance(url, str):
        raise InvalidValue(
            f"Địa chỉ kho lưu trữ phải là một chuỗi (ví dụ sqlite:///dautu.db), nhận được "
            f"{type(url).__name__}",
            f"a store URL must be text (for example sqlite:///dautu.db), got {type(url).__name__}",
            field="store_url",
            rule_id="store_url_format",
        )
    text = nfc(url.strip())
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        raise InvalidValue(
            f"Địa chỉ kho lưu trữ không hợp lệ: {redact_url(url)!r} (ví dụ: sqlite:///dautu.db)",
            f"not a store URL: {redact_url(url)!r} (for example sqlite:///dautu.db)",
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
