"""Canonical JSON text of events, written by a function compiled once per class.

Why: every record the service appends is an event turned into canonical JSON
(:mod:`dautu_core.codec`), and doing it the generic way (build a dict of JSON values for the
event and each of its values, then let the JSON encoder sort and write them) was the largest
share of the write path. The fields of a class, their sorted order and the declared type of
each are known once the class is; so the text of a class's instance is written by one
generated function: the field names already quoted and in order, each value written by the
quickest way its declared type allows.

The text is the generic encoder's text, byte for byte (the hash chain commits to it): every
quick way is taken only after checking the value's exact class, and anything else goes
through :func:`value_text`, which takes, class by class, the branch the generic encoder
takes. ``tests/core/test_canonical_text.py`` compares the two on random events of every type.

Values of :mod:`dautu_core.values` (frozen, validated, built only of text, numbers, dates and
other such values) are remembered by identity with their text: the same actor, authority or
legal basis object comes back in most records of an import. An entry holds its object, so an
identity is never reused while its entry lives; a value with a part of an unexpected class
is not remembered.
"""

from __future__ import annotations

import json.encoder
import keyword
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from dautu_core import events as ev

__all__ = ["payload_text", "record_text", "value_text"]

Text = Callable[[Any], str]
"""Turns one value into its canonical JSON text."""

_escape: Callable[[str], str] = json.encoder.encode_basestring
"""The JSON string of a text, as the canonical (``ensure_ascii=False``) encoder writes it."""

_TEXTS: dict[type, Text] = {}
"""The text function of each class of value met so far."""

_PAYLOADS: dict[type, Text] = {}
"""The function writing the payload (the fields object) of each event class met so far."""

_MEMO: dict[int, tuple[object, str]] = {}
"""Remembered texts of immutable values, by identity; each entry keeps its object alive."""

_MEMO_SIZE = 4096

_UNEXPECTED = [0]
"""How many values were met whose class was not the declared one; a value whose encoding
met one is not remembered (checked by comparing this count before and after)."""

_REMEMBERED_MODULE = "dautu_core.values"


def value_text(value: Any) -> str:
    """The canonical JSON text of ``value``, as :func:`dautu_core.codec.canonical_bytes` of
    its JSON value writes it (raises ``TypeError`` for a value the codec cannot encode)."""
    cls = value.__class__
    try:
        text = _TEXTS[cls]
    except KeyError:
        text = _TEXTS[cls] = _text_for(cls)
    return text(value)


def payload_text(event: ev.ProjectEvent) -> str:
    """The canonical JSON text of :func:`dautu_core.codec.event_to_data` of ``event``."""
    cls = event.__class__
    try:
        text = _PAYLOADS[cls]
    except KeyError:
        text = _PAYLOADS[cls] = _compiled(cls, remembered=False)
    return text(event)


_RECORDS: dict[type, Callable[[ev.ProjectEvent, str], str]] = {}
"""The function writing the stored record of each event class met so far."""


def record_text(event: ev.ProjectEvent, prev: str) -> str:
    """The canonical JSON text of the stored record of ``event`` chained after ``prev``
    (:func:`dautu_core.record.make_record`)."""
    cls = event.__class__
    try:
        text = _RECORDS[cls]
    except KeyError:
        text = _RECORDS[cls] = _record_function(cls)
    return text(event, prev)


def _record_function(cls: type[ev.ProjectEvent]) -> Callable[[ev.ProjectEvent, str], str]:
    payload = _PAYLOADS.get(cls) or _PAYLOADS.setdefault(cls, _compiled(cls, remembered=False))
    # Class constants: the same for every instance (frozen, slotted classes), written once.
    tail = (
        ',"schema_version":'
        + value_text(cls.SCHEMA_VERSION)
        + ',"type":'
        + value_text(cls.TYPE_NAME)
        + "}"
    )

    def text(event: ev.ProjectEvent, prev: str) -> str:
        return (
            '{"data":'
            + payload(event)
            + ',"prev":'
            + (_escape(prev) if prev.__class__ is str else value_text(prev))
            + tail
        )

    return text


def _text_function(cls: type) -> Text:
    try:
        return _TEXTS[cls]
    except KeyError:
        text = _TEXTS[cls] = _text_for(cls)
        return text


def _unexpected(value: Any) -> str:
    _UNEXPECTED[0] += 1
    return value_text(value)


def _text_for(cls: type) -> Text:
    """The text function of ``cls``, in the order of the codec's generic encoder."""
    if cls is type(None):
        return _null
    if cls is bool:
        return _boolean
    if issubclass(cls, int):
        return int.__repr__  # what the JSON encoder writes for any int, subclasses included
    if issubclass(cls, str):
        return _escape
    if issubclass(cls, Enum):
        return _enum_text
    if issubclass(cls, datetime | date):
        isoformat = cls.isoformat
        return lambda value: _escape(isoformat(value))
    if issubclass(cls, Decimal):
        return lambda value: _escape(str(value))
    if issubclass(cls, ev.ProjectEvent):
        return _nested_event
    if attrs.has(cls):
        return _compiled(cls, remembered=_rememberable(cls))
    if issubclass(cls, tuple | list):
        return _array
    if issubclass(cls, Mapping):
        return _object
    name = cls.__name__

    def refused(_value: Any) -> str:
        raise TypeError(f"cannot encode {name}")

    return refused


def _null(_value: None) -> str:
    return "null"


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _enum_text(value: Enum) -> str:
    return value_text(value.value)


def _array(value: Any) -> str:
    return "[" + ",".join([value_text(item) for item in value]) + "]"


def _object(value: Mapping[Any, Any]) -> str:
    texts = {str(key): value_text(item) for key, item in value.items()}
    return "{" + ",".join([_escape(key) + ":" + texts[key] for key in sorted(texts)]) + "}"


def _nested_event(value: ev.ProjectEvent) -> str:
    return (
        '{"data":'
        + payload_text(value)
        + ',"schema_version":'
        + value_text(value.SCHEMA_VERSION)
        + ',"type":'
        + value_text(value.TYPE_NAME)
        + "}"
    )


# --- compiled functions --------------------------------------------------------------------


def _rememberable(cls: type) -> bool:
    """Whether instances of ``cls`` may be remembered: a value class of the core (frozen,
    validated) whose every field is declared of an immutable type."""
    if cls.__module__ != _REMEMBERED_MODULE:
        return False
    hints = _hints(cls)
    return all(_immutable(hints.get(f.name)) for f in attrs.fields(cls))


def _immutable(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return all(_immutable(arg) for arg in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        return len(args) == 2 and args[1] is Ellipsis and _immutable(args[0])
    if not isinstance(hint, type):
        return False
    if hint in (type(None), bool, int, str, date, datetime, Decimal) or issubclass(hint, Enum):
        return True
    return attrs.has(hint) and not issubclass(hint, ev.ProjectEvent) and _rememberable(hint)


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # an unresolvable annotation: no quick ways, every value checked
        return {}


class _Source:
    """The namespace and the helper functions of one generated function."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {
            "_escape": _escape,
            "_int": int.__repr__,
            "_text": value_text,
            "_unexpected": _unexpected,
            "_date": date,
            "_datetime": datetime,
            "_memo_get": _MEMO.get,
            "_id": id,
            "_count": _UNEXPECTED,
            "_remember": _remember,
        }

    def bind(self, value: Any) -> str:
        name = f"_k{len(self.names)}"
        self.names[name] = value
        return name

    def expression(self, hint: Any, var: str, depth: int = 0) -> str:
        """An expression giving the text of ``var``, quick when its class is ``hint``'s."""
        origin = typing.get_origin(hint)
        if origin is typing.Union or origin is types.UnionType:
            options = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(options) == 1 and len(typing.get_args(hint)) == 2:
                inner = self.expression(options[0], var, depth)
                return f"('null' if {var} is None else ({inner}))"
            return f"_text({var})"
        if origin is tuple:
            args = typing.get_args(hint)
            if len(args) == 2 and args[1] is Ellipsis and depth < 2:
                if _immutable(hint):
                    array = self.bind(_tuple_function(args[0]))
                    return self.recalled(
                        var, f"({array}({var}) if {var}.__class__ is tuple else _unexpected({var}))"
                    )
                item = f"_i{depth}"
                each = self.expression(args[0], item, depth + 1)
                return (
                    f"('[' + ','.join([{each} for {item} in {var}]) + ']' "
                    f"if {var}.__class__ is tuple else _unexpected({var}))"
                )
            return f"_text({var})"
        if not isinstance(hint, type):
            return f"_text({var})"
        quick = None
        if hint is str:
            quick = f"_escape({var})"
        elif hint is int:
            quick = f"_int({var})"
        elif hint is bool:
            quick = f"('true' if {var} else 'false')"
        elif hint is date or hint is datetime:
            # The ISO text of an exact date or datetime is digits, '-', ':', '+', '.' and
            # 'T': nothing JSON escapes, so it is quoted as it is (one call fewer).
            quick = f"('\"' + {var}.isoformat() + '\"')"
        elif issubclass(hint, Enum) and issubclass(hint, str):
            quick = f"_escape({var})"
        elif attrs.has(hint) and not issubclass(hint, ev.ProjectEvent):
            if hint in _BUILDING:  # a class within itself: found by class when called
                quick = f"_text({var})"
            else:
                quick = f"{self.bind(_text_function(hint))}({var})"
        if quick is None:
            return f"_text({var})"
        cls = "str" if hint is str else self.bind(hint)
        expression = f"({quick} if {var}.__class__ is {cls} else _unexpected({var}))"
        return self.recalled(var, expression) if _rememberable_class(hint) else expression

    def recalled(self, var: str, expression: str) -> str:
        """``expression``, unless the text of ``var`` is remembered (saves a call)."""
        return (
            f"(_e[1] if (_e := _memo_get(_id({var}))) is not None and _e[0] is {var} "
            f"else {expression})"
        )


def _rememberable_class(hint: type) -> bool:
    return attrs.has(hint) and not issubclass(hint, ev.ProjectEvent) and _rememberable(hint)


_TUPLES: dict[Any, Text] = {}
"""The function writing a tuple of each item type met so far (see :func:`_tuple_function`)."""


def _tuple_function(item_hint: Any) -> Text:
    """The text function of a tuple (exact class) of immutable ``item_hint`` values, which
    remembers the tuple's text: the same legal basis tuple comes back in most records."""
    try:
        return _TUPLES[item_hint]
    except KeyError:
        pass
    source = _Source()
    each = source.expression(item_hint, "_i9", 1)
    lines = [
        "def text(value):",
        "    unexpected = _count[0]",
        f"    out = '[' + ','.join([{each} for _i9 in value]) + ']'",
        "    if _count[0] == unexpected:",
        "        _remember(value, out)",
        "    return out",
    ]
    function = _TUPLES[item_hint] = _exec(lines, source, f"tuple[{item_hint!r}, ...]")
    return function


_BUILDING: set[type] = set()
"""The classes whose function is being compiled (a class may hold values of itself)."""


def _compiled(cls: type, *, remembered: bool) -> Text:
    """The text function of the attrs class ``cls``: its fields as a JSON object."""
    _BUILDING.add(cls)
    try:
        return _compile(cls, remembered=remembered)
    finally:
        _BUILDING.discard(cls)


def _compile(cls: type, *, remembered: bool) -> Text:
    hints = _hints(cls)
    source = _Source()
    lines = ["def text(value):"]
    if remembered:
        lines += [
            "    entry = _memo_get(_id(value))",
            "    if entry is not None and entry[0] is value:",
            "        return entry[1]",
            "    unexpected = _count[0]",
        ]
    template = []
    for index, field in enumerate(sorted(attrs.fields(cls), key=lambda f: f.name)):
        name = field.name
        if name.isidentifier() and not keyword.iskeyword(name):
            lines.append(f"    v = value.{name}")
        else:
            lines.append(f"    v = getattr(value, {name!r})")
        lines.append(f"    t{index} = {source.expression(hints.get(name, Any), 'v')}")
        key = _escape(name).replace("{", "{{").replace("}", "}}")
        template.append(key + ":{t" + str(index) + "}")
    lines.append("    out = f" + repr("{{" + ",".join(template) + "}}"))
    if remembered:
        lines += [
            "    if _count[0] == unexpected:",
            "        _remember(value, out)",
        ]
    lines.append("    return out")
    return _exec(lines, source, cls.__qualname__)


def _exec(lines: list[str], source: _Source, label: str) -> Text:
    namespace = dict(source.names)
    exec(  # our own source, built from field names and classes
        compile("\n".join(lines), f"<dautu canonical text {label}>", "exec"),
        namespace,
    )
    function: Text = namespace["text"]
    return function


def _remember(value: object, text: str) -> None:
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[id(value)] = (value, text)
