"""CPython's C JSON encoder called directly, without the circularity check.

Why: every stored record is canonical JSON, and the write path encodes hundreds of thousands of
them. ``json.JSONEncoder.encode`` builds a new C encoder (with a dict of "markers" for the
circularity check) on every call; the data built by the codec is made of fresh dicts and lists
and cannot refer to itself, so one prebuilt encoder without markers gives the same text faster.

Private interface: ``json.encoder.c_make_encoder`` is CPython's ``_json.make_encoder``, called
positionally with the arguments ``JSONEncoder.iterencode`` passes (CPython 3.11 to 3.13). When
it is missing (another interpreter) or its signature changed (``TypeError``), the public
``JSONEncoder.encode`` is used: the same text, slower. ``tests/core/test_fenced.py`` checks
that the fast path is taken on CPython and gives the public encoder's text byte for byte.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any

__all__ = ["acyclic_encoder", "uses_c_encoder"]


def _make(encoder: json.JSONEncoder) -> Callable[[Any], str] | None:
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    if encoder.indent is not None or encoder.ensure_ascii:
        return None  # only the settings mirrored below are supported
    separators = (encoder.item_separator, encoder.key_separator)
    try:
        c_encoder = make(
            None,  # markers: no circularity check
            encoder.default,
            json.encoder.encode_basestring,  # ensure_ascii=False
            None,  # indent
            separators[1],
            separators[0],
            encoder.sort_keys,
            encoder.skipkeys,
            encoder.allow_nan,
        )
    except TypeError:  # another signature: the public encoder
        return None
    return lambda data: "".join(c_encoder(data, 0))  # as JSONEncoder.encode does


def acyclic_encoder(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """A function giving ``encoder.encode(data)`` for acyclic ``data``, through the C encoder
    when this interpreter has the expected one, else through ``encoder.encode`` itself."""
    fast = _make(encoder)
    return encoder.encode if fast is None else fast


def uses_c_encoder(encoder: json.JSONEncoder) -> bool:
    """Whether :func:`acyclic_encoder` takes the private fast path for ``encoder``."""
    return _make(encoder) is not None
