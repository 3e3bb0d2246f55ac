"""The stored form of a project's state: canonical JSON of its fields, and a format digest.

Why: a command on a project must know its state, and folding a long history again for each
new process is most of a cold command's time. A state persisted next to the records (see
:mod:`dautu_adapters.project_snapshots`) is only a cache of that fold: it is written and read
here, pure, with the codec of the events (:func:`~dautu_core.codec.value_to_data`,
:func:`~dautu_core.codec.hint_decoder`, :func:`~dautu_core.codec.canonical_bytes`), so every
value is validated by its constructor on the way back as an event's would be.

What is encoded: every field of :class:`~dautu_core.state.ProjectState` but ``history`` (the
events themselves are in the store; whoever restores a state gives it a history). Mappings are
written as ``[key, value]`` pairs in their order (a state's dicts keep the order the events
made them in, and the review lists violations in that order); frozensets as sorted lists;
tuples of fixed length item by item.

:data:`STATE_FORMAT` is a digest of the layout this code reads and writes: the names and type
hints of the state's fields and of every attrs class and enum they hold, and
:data:`STATE_CODEC_VERSION`. A stored state of another format is not read (never misread):
changing a field of the state, or of a value it holds, changes the digest by itself.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

import attrs

from dautu_core.codec import NO_UPCASTERS, canonical_bytes, hint_decoder, value_to_data
from dautu_core.state import ProjectState

__all__ = ["STATE_CODEC_VERSION", "STATE_FORMAT", "decode_state", "encode_state"]

STATE_CODEC_VERSION = 1
"""The version of the rules of this module (bump it when they change without the layout)."""

_SKIPPED = frozenset({"history"})
"""Fields not encoded: the history is the store's records, restored by the reader."""

_Encode = Callable[[Any], Any]
_Decode = Callable[[Any], Any]


def _codec_of(hint: Any) -> tuple[_Encode, _Decode]:
    """The ``(encode, decode)`` pair of a value of type ``hint``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot encode the union {hint!r}")
        inner_encode, inner_decode = _codec_of(options[0])
        return (
            lambda value: None if value is None else inner_encode(value),
            lambda data: None if data is None else inner_decode(data),
        )
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item_encode, item_decode = _codec_of(args[0])
        return (
            lambda value: [item_encode(item) for item in value],
            lambda data: tuple([item_decode(item) for item in _list(data)]),
        )
    if origin is tuple:
        pairs = [_codec_of(a) for a in args]
        size = len(pairs)

        def encode_fixed(value: Any) -> Any:
            return [encode(item) for (encode, _), item in zip(pairs, value, strict=True)]

        def decode_fixed(data: Any) -> Any:
            items = _list(data)
            if len(items) != size:
                raise ValueError(f"expected {size} items, got {len(items)}")
            return tuple([decode(item) for (_, decode), item in zip(pairs, items, strict=True)])

        return encode_fixed, decode_fixed
    if origin in (frozenset, set):
        item_encode, item_decode = _codec_of(args[0])
        return (
            lambda value: sorted(item_encode(item) for item in value),
            lambda data: frozenset([item_decode(item) for item in _list(data)]),
        )
    if origin in (Mapping, dict):
        key_encode, key_decode = _codec_of(args[0])
        value_encode, value_decode = _codec_of(args[1])
        return (
            lambda value: [[key_encode(k), value_encode(v)] for k, v in value.items()],
            lambda data: {key_decode(k): value_decode(v) for k, v in map(_pair, _list(data))},
        )
    decoder = hint_decoder(hint)
    plain = hint in (str, int, bool)

    def decode_leaf(data: Any) -> Any:
        if plain and data.__class__ is not hint:
            raise ValueError(f"expected {hint.__name__}, got {type(data).__name__}")
        return data if decoder is None else decoder(data, NO_UPCASTERS)

    return value_to_data, decode_leaf


def _list(data: Any) -> Any:
    if data.__class__ is not list:
        raise ValueError(f"expected a list, got {type(data).__name__}")
    return data


def _pair(data: Any) -> tuple[Any, Any]:
    items = _list(data)
    if len(items) != 2:
        raise ValueError("expected a [key, value] pair")
    return items[0], items[1]


_HINTS = typing.get_type_hints(ProjectState)
_FIELDS: tuple[tuple[str, str, _Encode, _Decode], ...] = tuple(
    (f.name, str(f.alias), *_codec_of(_HINTS[f.name]))
    for f in attrs.fields(ProjectState)
    if f.name not in _SKIPPED
)


def encode_state(state: ProjectState) -> bytes:
    """The canonical bytes of ``state`` without its history (see the module's docstring)."""
    return canonical_bytes({name: encode(getattr(state, name)) for name, _, encode, _ in _FIELDS})


def decode_state(data: bytes | memoryview, history: Any = None) -> ProjectState:
    """The state :func:`encode_state` wrote, with ``history`` as its history link.

    Raises ``ValueError`` (or the value types' own :class:`~dautu_core.errors.DautuError`,
    ``KeyError``, ``TypeError``) for bytes that do not hold a state of :data:`STATE_FORMAT`.
    """
    fields = json.loads(bytes(data))
    if not isinstance(fields, dict) or len(fields) != len(_FIELDS):
        raise ValueError("not a project state of this format")
    values = {alias: decode(fields[name]) for name, alias, _, decode in _FIELDS}
    return ProjectState(**values, history=history)


def _layout() -> str:
    """The description of the layout :data:`STATE_FORMAT` digests."""
    lines = [f"state codec {STATE_CODEC_VERSION}"]
    seen: set[Any] = set()

    def describe(hint: Any) -> None:
        for arg in typing.get_args(hint):
            describe(arg)
        if not isinstance(hint, type) or hint in seen:
            return
        seen.add(hint)
        if issubclass(hint, Enum):
            values = sorted(repr(m.value) for m in hint)
            lines.append(f"enum {hint.__module__}.{hint.__qualname__}: {', '.join(values)}")
        elif attrs.has(hint):
            hints = typing.get_type_hints(hint)
            fields = [
                f for f in attrs.fields(hint) if hint is not ProjectState or f.name not in _SKIPPED
            ]
            lines.append(
                f"class {hint.__module__}.{hint.__qualname__}: "
                + ", ".join(f"{f.name}: {hints[f.name]}" for f in fields)
            )
            for f in fields:
                describe(hints[f.name])

    describe(ProjectState)
    return "\n".join(lines)


STATE_FORMAT = hashlib.sha256(_layout().encode()).hexdigest()
"""The digest of the state layout of this code (see the module's docstring)."""
