"""The stored form of events: canonical JSON, stable type names, versioned schemas, upcasters.

Why our own codec rather than pickling or a storage library's transcoder: the record must still
read in ten years, after classes move, in any language. So an event is stored as
``(type_name, schema_version, payload)`` where the payload is plain JSON (dates ISO 8601,
datetimes with their offset, money as integer đồng, areas as decimal strings, enums by value)
and its bytes are *canonical* (sorted keys, no spaces, UTF-8 NFC): the same event always gives
the same bytes, which is what the hash chain of the audit trail commits to.

Old schema versions are read through upcasters (pure functions ``dict -> dict``) registered per
``(type_name, from_version)``; stored bytes are never rewritten.
"""

from __future__ import annotations

import json
import json.encoder
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core._fenced.json_c_encoder import acyclic_encoder
from dautu_core.canonical_text import payload_text
from dautu_core.errors import InvalidValue

__all__ = [
    "NO_UPCASTERS",
    "Upcasters",
    "canonical_bytes",
    "decode_event",
    "encode_event",
    "event_from_data",
    "event_to_data",
    "field_decoder",
    "hint_decoder",
    "value_to_data",
]

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@attrs.frozen
class Upcasters:
    """Upcasters by ``(type_name, from_version)``; each returns the payload at version + 1."""

    by_key: Mapping[tuple[str, int], Upcaster] = attrs.field(factory=dict)

    def with_upcaster(self, type_name: str, from_version: int, upcaster: Upcaster) -> Upcasters:
        return Upcasters({**self.by_key, (type_name, from_version): upcaster})

    def upcast(
        self, type_name: str, version: int, data: dict[str, Any], target: int
    ) -> dict[str, Any]:
        while version < target:
            step = self.by_key.get((type_name, version))
            if step is None:
                raise InvalidValue(
                    f"Không có bộ chuyển đổi cho {type_name} phiên bản {version}",
                    f"no upcaster for {type_name} from schema version {version}",
                    field="schema_version",
                    rule_id="upcaster_missing",
                )
            data = step(data)
            version += 1
        if version > target:
            raise InvalidValue(
                f"{type_name} phiên bản {version} mới hơn phiên bản phần mềm hiểu ({target})",
                f"{type_name} schema version {version} is newer than this software reads ({target})",
                field="schema_version",
                rule_id="schema_too_new",
            )
        return data


NO_UPCASTERS = Upcasters()


def _to_data(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, ev.ProjectEvent):
        return {
            "type": value.TYPE_NAME,
            "schema_version": value.SCHEMA_VERSION,
            "data": event_to_data(value),
        }
    if attrs.has(type(value)):
        return {f.name: _to_data(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_to_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _to_data(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__}")


Encoder = Callable[[Any], Any]
"""Turns one Python value into its JSON value (what :func:`_to_data` gives for it)."""

_ENCODERS: dict[type, Encoder | None] = {}
"""The encoder of each class met so far; ``None`` means "the value is its own JSON value"."""


def _encode(value: Any) -> Any:
    """:func:`_to_data` through an encoder compiled once per class of value.

    Why: encoding every record asked the same ``isinstance`` questions and listed the same
    attrs fields for every value of every event. :func:`_to_data` decides by the value's class
    alone, so the decision is taken once per class and encoding is then plain calls.
    """
    cls = value.__class__
    try:
        encoder = _ENCODERS[cls]
    except KeyError:
        encoder = _ENCODERS[cls] = _encoder_for(cls)
    return value if encoder is None else encoder(value)


def _encoder_for(cls: type) -> Encoder | None:
    """The encoder of ``cls``, taking the branch :func:`_to_data` takes for its instances."""
    if cls is type(None) or issubclass(cls, bool | int | str):
        return None
    if issubclass(cls, Enum):
        return _enum_value
    if issubclass(cls, datetime | date):
        isoformat: Encoder = cls.isoformat  # the class's own method: one call, not two
        return isoformat
    if issubclass(cls, Decimal):
        return str
    if issubclass(cls, ev.ProjectEvent):
        return _nested_event
    if attrs.has(cls):
        names = tuple(f.name for f in attrs.fields(cls))
        return lambda value: {
            name: item if (item := getattr(value, name)).__class__ in _PLAIN else _encode(item)
            for name in names
        }
    if issubclass(cls, tuple | list):
        return lambda value: [item if item.__class__ in _PLAIN else _encode(item) for item in value]
    if issubclass(cls, Mapping):
        return lambda value: {str(k): _encode(v) for k, v in value.items()}
    return _to_data  # raises TypeError naming the class, as before


def _enum_value(value: Enum) -> Any:
    return value.value


def _nested_event(value: ev.ProjectEvent) -> dict[str, Any]:
    return {
        "type": value.TYPE_NAME,
        "schema_version": value.SCHEMA_VERSION,
        "data": event_to_data(value),
    }


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}

_PLAIN = frozenset({str, int, bool, type(None)})
"""Classes whose values are their own JSON value: checked inline by the encoders, which
skips a call per text, number and ``None`` (most of the values of a record)."""


def event_to_data(event: ev.ProjectEvent) -> dict[str, Any]:
    """The JSON-ready payload of ``event`` (without its type name and schema version)."""
    cls = event.__class__
    try:
        names = _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in attrs.fields(cls))
    return {
        name: value if (value := getattr(event, name)).__class__ in _PLAIN else _encode(value)
        for name in names
    }


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(data: Any) -> bytes:
    """Canonical JSON: sorted keys, no insignificant space, UTF-8. Equal data, equal bytes."""
    return _CANONICAL.encode(data).encode()


_canonical_text = acyclic_encoder(_CANONICAL)


def canonical_event_bytes(data: dict[str, Any]) -> bytes:
    """:func:`canonical_bytes` of a dict built by :func:`event_to_data` (optionally wrapped
    in an envelope dict of plain values). Internal to the core: the same bytes, faster."""
    return _canonical_text(data).encode()


def encode_event(event: ev.ProjectEvent) -> tuple[str, int, bytes]:
    """``(type_name, schema_version, canonical payload bytes)`` of ``event``.

    The bytes are :func:`canonical_bytes` of :func:`event_to_data`, written directly by
    :mod:`dautu_core.canonical_text` (one function compiled per event class)."""
    return event.TYPE_NAME, event.SCHEMA_VERSION, payload_text(event).encode()


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


Decoder = Callable[[Any, Upcasters], Any]
"""Turns the JSON value of one field back into its Python value."""

_DECODERS: dict[Any, Decoder] = {}
_EVENT_DECODERS: dict[type, Decoder] = {}


def _identity(data: Any, _upcasters: Upcasters) -> Any:
    return data


def _decoder(hint: Any) -> Decoder:
    """The decoder of a type hint, built once and cached.

    Why compiled decoders: reading a project folds every one of its records, and inspecting
    ``typing`` hints for every field of every record dominated the time of a rebuild. The
    decision "what does this hint need" is taken once per hint; decoding is then plain calls.
    Constructors still run, so every value is validated and normalised as when it was made.
    """
    try:
        return _DECODERS[hint]
    except KeyError:
        decoder = _DECODERS[hint] = _build_decoder(hint)
        return decoder
    except TypeError:  # an unhashable hint: build it every time (none in the core)
        return _build_decoder(hint)


def _container_decoder(hint: Any, inner: Callable[[Any], Decoder]) -> Decoder | None:
    """The decoder of an optional, a variadic tuple or a mapping, its parts decoded by the
    decoders ``inner`` gives for their hints; ``None`` for any other hint. One definition for
    the validating decoders and the trusted ones, which differ only in ``inner``."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        part = inner(options[0])
        if part is _identity:
            return _identity
        return lambda data, upcasters: None if data is None else part(data, upcasters)
    if origin is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        item = inner(item_hint)
        if item is _identity:
            return lambda data, _upcasters: tuple(data)
        return lambda data, upcasters: tuple([item(value, upcasters) for value in data])
    if origin is not None and origin in (Mapping, dict, typing.Mapping):
        _, value_hint = typing.get_args(hint)
        value_decoder = inner(value_hint)
        return lambda data, upcasters: {k: value_decoder(v, upcasters) for k, v in data.items()}
    return None


def _build_decoder(hint: Any) -> Decoder:
    container = _container_decoder(hint, _decoder)
    if container is not None:
        return container
    if hint is Any or hint in (bool, int, str):
        return _identity
    if isinstance(hint, type):
        if issubclass(hint, ev.ProjectEvent):
            return lambda data, upcasters: event_from_data(
                data["type"], data["schema_version"], data["data"], upcasters
            )
        if issubclass(hint, Enum):
            return lambda data, _upcasters: hint(data)
        if hint is datetime:
            return lambda data, _upcasters: datetime.fromisoformat(data)
        if hint is date:
            return lambda data, _upcasters: date.fromisoformat(data)
        if hint is Decimal:
            return lambda data, _upcasters: Decimal(data)
        if attrs.has(hint):
            return _value_decoder(hint)

    def undecodable(_data: Any, _upcasters: Upcasters) -> Any:
        raise TypeError(f"cannot decode {hint!r}")

    return undecodable


def _attrs_decoder(cls: type) -> Decoder:
    """Decode a JSON object into ``cls`` (an attrs class) through its constructor.

    An unknown field raises ``KeyError`` (reported by :func:`event_from_data`). Field decoders
    are looked up lazily so that classes may refer to themselves.
    """
    fields: dict[str, Decoder | None] = {}

    def field_decoder(name: str) -> Decoder | None:
        hint = _hints(cls)[name]  # KeyError: unknown field
        decoder: Decoder | None = _decoder(hint)
        if decoder is _identity:
            decoder = None
        fields[name] = decoder
        return decoder

    def decode(data: Any, upcasters: Upcasters) -> Any:
        kwargs = {}
        for name, value in data.items():
            try:
                decoder = fields[name]
            except KeyError:
                decoder = field_decoder(name)
            kwargs[name] = value if decoder is None else decoder(value, upcasters)
        return cls(**kwargs)

    return decode


_VALUE_CACHE_SIZE = 4096


def _value_decoder(cls: type) -> Decoder:
    """Like :func:`_attrs_decoder`, remembering values already decoded.

    Why: the same actor, authority, legal basis or location appears in most records of a
    project, and validating their text (NFC, legacy-encoding check) again for each record was a
    large share of a rebuild. Values are frozen, so one validated instance can be shared.
    Objects holding lists or objects are not remembered (their parts are). The key records
    each value's type, so that ``true`` and ``1`` never share an entry.
    """
    decode = _attrs_decoder(cls)
    cache: dict[tuple[tuple[str, type, Any], ...], Any] = {}

    def cached(data: Any, upcasters: Upcasters) -> Any:
        key = tuple([(name, value.__class__, value) for name, value in data.items()])
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # a list or an object inside: not hashable, not remembered
            return decode(data, upcasters)
        value = decode(data, upcasters)
        if len(cache) >= _VALUE_CACHE_SIZE:
            cache.clear()
        cache[key] = value
        return value

    return cached


def event_from_data(
    type_name: str,
    schema_version: int,
    data: dict[str, Any],
    upcasters: Upcasters = NO_UPCASTERS,
) -> ev.ProjectEvent:
    """Rebuild an event from its stored type name, schema version and JSON payload."""
    cls = ev.EVENT_TYPES.get(type_name)
    if cls is None:
        raise InvalidValue(
            f"Loại sự kiện không xác định: {type_name}",
            f"unknown event type: {type_name}",
            project_code=data.get("project_code") if isinstance(data, dict) else None,
            field="type",
            rule_id="event_type_known",
        )
    if schema_version != cls.SCHEMA_VERSION:
        data = upcasters.upcast(type_name, schema_version, dict(data), cls.SCHEMA_VERSION)
    decode = _EVENT_DECODERS.get(cls)
    if decode is None:
        decode = _EVENT_DECODERS[cls] = _attrs_decoder(cls)
    try:
        event: ev.ProjectEvent = decode(data, upcasters)
        return event
    except InvalidValue as exc:
        raise exc.with_context(project_code=_code_in(data)) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidValue(
            f"Không đọc được {type_name} phiên bản {schema_version}: {exc}",
            f"cannot read {type_name} schema version {schema_version}: {exc}",
            project_code=_code_in(data),
            field="data",
            rule_id="event_schema",
        ) from exc
    except KeyError as exc:
        raise InvalidValue(
            f"Trường không xác định {exc.args[0]!r} trong {type_name} phiên bản {schema_version}",
            f"unknown field {exc.args[0]!r} in {type_name} schema version {schema_version}",
            project_code=_code_in(data),
            field=str(exc.args[0]),
            rule_id="event_schema",
        ) from exc


def _code_in(data: object) -> str | None:
    code = data.get("project_code") if isinstance(data, dict) else None
    return code if isinstance(code, str) else None


def decode_event(
    type_name: str,
    schema_version: int,
    payload: bytes,
    upcasters: Upcasters = NO_UPCASTERS,
) -> ev.ProjectEvent:
    """Inverse of :func:`encode_event`."""
    return event_from_data(type_name, schema_version, json.loads(payload), upcasters)


def field_decoder(cls: type, name: str) -> Decoder | None:
    """The decoder of one field of the attrs class ``cls`` (``None``: the JSON value is the
    value), as :func:`event_from_data` decodes that field.

    For readers that need only some fields of a stored event, decoded as the event would be
    (:mod:`dautu_core.event_view`). Raises ``KeyError`` for a field ``cls`` does not have.
    """
    decoder = _decoder(_hints(cls)[name])
    return None if decoder is _identity else decoder


def hint_decoder(hint: Any) -> Decoder | None:
    """The decoder of a value of type ``hint`` (``None``: the JSON value is the value), as
    :func:`event_from_data` decodes a field of that type: values are validated by their
    constructors. For readers of other stored values made of the event value types (the
    persisted project state, :mod:`dautu_core.state_codec`)."""
    decoder = _decoder(hint)
    return None if decoder is _identity else decoder


def value_to_data(value: Any) -> Any:
    """The JSON value of one value of an event's field (what :func:`event_to_data` writes
    for it): for writers of other stored values made of the event value types."""
    return value if value.__class__ in _PLAIN else _encode(value)


# --- trusted decoding: records read back from the store that wrote them ------------------------


def trusted_event_from_data(
    type_name: str,
    schema_version: int,
    data: dict[str, Any],
    upcasters: Upcasters = NO_UPCASTERS,
) -> ev.ProjectEvent:
    """:func:`event_from_data` without re-validating: for a record dautu itself wrote.

    Why: rebuilding a project decodes every record it ever had, and the constructors' checks
    (text normalisation and control characters, annotation checks, shape checks) were most of
    the time of a rebuild, though each value passed them when the record was written and the
    record's bytes are canonical (``make_record``). Only for payloads read back from a store
    whose hash chain the caller has checked (``ProjectService`` does, see its ``snapshot``):
    anything from outside goes through :func:`event_from_data`, which says what is wrong.

    The event is built as the validating path builds it (the same field decoders, the class
    converters that change a value's form, such as enums and UTC times), without validators or
    text checks. A payload of another schema version, or whose fields are not exactly the
    class's, takes the validating path. A property test over every event type
    (``tests/core/test_trusted_decode.py``) requires the result to equal
    :func:`event_from_data`'s, field by field and type by type.
    """
    cls = ev.EVENT_TYPES.get(type_name)
    if cls is None or schema_version != cls.SCHEMA_VERSION:
        return event_from_data(type_name, schema_version, data, upcasters)
    build = _TRUSTED_EVENTS.get(cls)
    if build is None:
        build = _TRUSTED_EVENTS[cls] = _trusted_builder(cls)
    try:
        event: ev.ProjectEvent = build(data, upcasters)
        return event
    except (KeyError, TypeError, ValueError, AttributeError):
        return event_from_data(type_name, schema_version, data, upcasters)


_TrustedBuilder = Callable[[Any, Upcasters], Any]
_TRUSTED_EVENTS: dict[type, _TrustedBuilder] = {}
_TRUSTED_VALUES: dict[type, _TrustedBuilder] = {}


class _Untrusted(KeyError):
    """A payload whose fields are not exactly its class's: decode it the validating way."""


def _trusted_builder(cls: type) -> _TrustedBuilder:
    """A function building ``cls`` from a payload dict without running its ``__init__``.

    Generated once per class (plain Python source, compiled): the object is allocated, each
    field is decoded and stored (slot descriptor or instance dict, as attrs would store it),
    nothing is checked. ``__attrs_post_init__`` is not run: in the core it only checks. A
    class whose ``__init__`` attrs did not generate, with ``__attrs_pre_init__``, a cached
    hash, a field with ``init=False`` or an alias is not handled: it is built through its
    constructor, with its decoded fields.
    """
    fields = attrs.fields(cls)
    names = frozenset(f.name for f in fields)
    if (
        any(not f.init or f.alias != f.name for f in fields)
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "_attrs_cached_hash")
        or not _attrs_generated_init(cls)
    ):
        decode = _attrs_decoder(cls)
        return lambda data, upcasters: decode(data, upcasters)
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, "names": names}
    namespace["Untrusted"] = _Untrusted
    lines = [
        "def build(data, upcasters):",
        "    if data.keys() != names:",
        "        raise Untrusted(cls)",
        "    self = new(cls)",
    ]
    uses_dict = False
    for index, field in enumerate(fields):
        value = _trusted_field_code(cls, field, f"data[{field.name!r}]", namespace, f"_{index}")
        slot = _slot_of(cls, field.name)
        if slot is not None:
            namespace[f"s{index}"] = slot.__set__
            lines.append(f"    s{index}(self, {value})")
        else:
            uses_dict = True
            lines.append(f"    d[{field.name!r}] = {value}")
    if uses_dict:
        lines.insert(4, "    d = self.__dict__")
    lines.append("    return self")
    exec(compile("\n".join(lines), f"<trusted {cls.__qualname__}>", "exec"), namespace)
    build: _TrustedBuilder = namespace["build"]
    return build


def _attrs_generated_init(cls: type) -> bool:
    """Whether ``cls.__init__`` is the one attrs generated (so skipping it skips only what
    attrs does: converters, validators, ``__attrs_post_init__``)."""
    init = next((k.__dict__["__init__"] for k in cls.__mro__ if "__init__" in k.__dict__), None)
    code = getattr(init, "__code__", None)
    return code is not None and code.co_filename.startswith("<attrs generated")


def _slot_of(cls: type, name: str) -> Any:
    """The slot descriptor holding field ``name`` of ``cls``'s instances, if it is a slot."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None and type(found).__name__ == "member_descriptor":
            return found
    return None


def _trusted_field_code(
    cls: type, field: attrs.Attribute[Any], source: str, namespace: dict[str, Any], tag: str
) -> str:
    """Python source computing ``field``'s value from a trusted payload's JSON value
    (``source``), as the validating path would have it after conversion; the names it uses
    are put in ``namespace`` (suffixed with ``tag``).

    Texts (``str``, optional ``str``, tuples of texts) were normalised and checked when
    written: their JSON value is the value (a tuple for a tuple). Other values are decoded
    from their hint, trusted in turn when they are attrs values or events; a converter the
    class declares is applied after (``_utc`` for recorded times, tuple converters), except
    enums, which the hint's decoder already gave.
    """
    hint = _hints(cls)[field.name]
    code = _trusted_code(hint, source, namespace, tag)
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    converter = field.converter
    if (
        converter is None
        or kind in ("str", "str | None", "None | str", "Optional[str]", "tuple[str, ...]")
        or kind in ("Money", "Money | None")
        or (isinstance(hint, type) and issubclass(hint, Enum))
        or _optional_enum(hint)
    ):
        return code
    namespace[f"c{tag}"] = converter
    if typing.get_origin(hint) is tuple and _keeps_tuples(converter):
        return code
    if hint is datetime and _keeps_utc(converter):
        # A recorded time is converted to UTC (``_utc``): one already in UTC is left as is.
        namespace["UTC"] = _UTC
        return f"(t{tag} if (t{tag} := {code}).tzinfo is UTC else c{tag}(t{tag}))"
    return f"c{tag}({code})"


_UTC = datetime.fromisoformat("2000-01-01T00:00:00+00:00").tzinfo


def _keeps_tuples(converter: Any) -> bool:
    """Whether ``converter`` gives a tuple back as it is (``tuple(value)`` does): then the
    trusted path, which decodes the field into a tuple, skips calling it."""
    probe = (object(),)
    try:
        return converter(probe) is probe
    except Exception:  # a converter that looks at the items is always called
        return False


def _keeps_utc(converter: Any) -> bool:
    """Whether ``converter`` leaves a time in UTC as it is (equal, still in UTC): then the
    trusted path skips calling it for such times."""
    probe = datetime.fromisoformat("2024-02-21T02:03:04.000005+00:00")
    try:
        converted = converter(probe)
    except Exception:  # a converter that refuses the probe is always called
        return False
    return bool(converted == probe and getattr(converted, "tzinfo", None) is _UTC)


def _trusted_code(hint: Any, source: str, namespace: dict[str, Any], tag: str) -> str:
    """Source decoding ``source`` (a JSON value) as :func:`_trusted_decoder` of ``hint``
    would, with the common cases written out (no call per date, per text tuple)."""
    decode = _trusted_decoder(hint)
    if decode is _identity:
        return source
    if hint is date:
        namespace["date_from"] = date.fromisoformat
        return f"date_from({source})"
    if hint is datetime:
        namespace["datetime_from"] = datetime.fromisoformat
        return f"datetime_from({source})"
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        item = _trusted_decoder(item_hint)
        if item is _identity:
            return f"tuple({source})"
        if isinstance(item, _TrustedValue) and item.flat:
            namespace[f"g{tag}"], namespace[f"m{tag}"] = item.cache.get, item.miss
            element = f"(g{tag}(tuple(v{tag}.values())) or m{tag}(v{tag}, upcasters))"
        else:
            namespace[f"i{tag}"] = item
            element = f"i{tag}(v{tag}, upcasters)"
        return f"(tuple([{element} for v{tag} in x{tag}]) if (x{tag} := {source}) else ())"
    if isinstance(decode, _TrustedValue) and decode.flat:
        namespace[f"g{tag}"], namespace[f"m{tag}"] = decode.cache.get, decode.miss
        return f"(g{tag}(tuple((x{tag} := {source}).values())) or m{tag}(x{tag}, upcasters))"
    if isinstance(hint, type) and issubclass(hint, Enum):
        namespace[f"e{tag}"] = hint
        return f"e{tag}({source})"
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            inner = _trusted_code(options[0], f"x{tag}", namespace, f"{tag}_")
            return f"(None if (x{tag} := {source}) is None else {inner})"
    namespace[f"f{tag}"] = decode
    return f"f{tag}({source}, upcasters)"


def _optional_enum(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return len(options) == 1 and isinstance(options[0], type) and issubclass(options[0], Enum)
    return False


_TRUSTED_DECODERS: dict[Any, Decoder] = {}


def _trusted_decoder(hint: Any) -> Decoder:
    """:func:`_decoder` for trusted payloads: attrs values and events are built by
    :func:`_trusted_builder`, values without lists remembered as :func:`_value_decoder`
    remembers them; everything else decodes as :func:`_decoder` decodes it."""
    try:
        return _TRUSTED_DECODERS[hint]
    except KeyError:
        pass
    except TypeError:
        return _decoder(hint)
    decoder = _TRUSTED_DECODERS[hint] = _build_trusted_decoder(hint)
    return decoder


def _build_trusted_decoder(hint: Any) -> Decoder:
    container = _container_decoder(hint, _trusted_decoder)
    if container is not None:
        return container
    if isinstance(hint, type) and issubclass(hint, ev.ProjectEvent):
        return lambda data, upcasters: trusted_event_from_data(
            data["type"], data["schema_version"], data["data"], upcasters
        )
    if isinstance(hint, type) and attrs.has(hint):
        return _trusted_value(hint)
    return _decoder(hint)


_SCALARS = (str, int, bool, date, datetime, Decimal, type(None))


class _TrustedValue:
    """The trusted decoder of an attrs value class, remembering values already built (see
    :func:`_value_decoder`): the same actor or authority comes back in most records.

    The key is the tuple of the payload's values. In a record that passed the constructors
    when it was written, every field is present, in the canonical (sorted) order, and each
    field's JSON type is fixed by its annotation (a ``bool`` field holds booleans, an ``int``
    field integers that are not booleans), so equal keys are equal values. A class is
    ``flat`` when every field is a JSON scalar (texts, numbers, dates, enums): the builders
    of the classes holding it then look its values up inline.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.cache: dict[tuple[Any, ...], Any] = {}
        hints = _hints(cls)
        self.flat = not (hasattr(cls, "__bool__") or hasattr(cls, "__len__")) and all(
            _is_scalar(hints[f.name]) for f in attrs.fields(cls)
        )
        self._build: _TrustedBuilder | None = None

    def miss(self, data: Any, upcasters: Upcasters) -> Any:
        """Build the value (the cache did not have it) and remember it."""
        build = self._build
        if build is None:
            build = self._build = _trusted_builder_for(self.cls)
        value = build(data, upcasters)
        try:
            key = tuple(data.values())
            if len(self.cache) >= _VALUE_CACHE_SIZE:
                self.cache.clear()
            self.cache[key] = value
        except TypeError:  # a list or an object inside: not hashable, not remembered
            pass
        return value

    def __call__(self, data: Any, upcasters: Upcasters) -> Any:
        try:
            found = self.cache.get(tuple(data.values()))
        except TypeError:
            found = None
        return found if found is not None else self.miss(data, upcasters)


def _trusted_builder_for(cls: type) -> _TrustedBuilder:
    make = _TRUSTED_VALUES.get(cls)
    if make is None:
        make = _TRUSTED_VALUES[cls] = _trusted_builder(cls)
    return make


def _is_scalar(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return all(_is_scalar(a) for a in typing.get_args(hint))
    return isinstance(hint, type) and (issubclass(hint, _SCALARS) or issubclass(hint, Enum))


def _trusted_value(cls: type) -> Decoder:
    """A trusted attrs value, remembered by its JSON fields (see :class:`_TrustedValue`)."""
    return _TrustedValue(cls)


def trusted_decoder(type_name: str, schema_version: int) -> Callable[[Any, Upcasters], Any] | None:
    """The function :func:`trusted_event_from_data` applies to payloads of ``type_name`` at
    ``schema_version`` (``None``: such payloads take the validating path), for a reader that
    decodes many records of a few types and looks it up once per type.

    Like :func:`trusted_event_from_data`, only for payloads of records whose hash chain the
    caller has checked. It raises ``KeyError``, ``TypeError`` or ``ValueError`` for a payload
    it does not handle: the caller then decodes that payload the validating way.
    """
    cls = ev.EVENT_TYPES.get(type_name)
    if cls is None or schema_version != cls.SCHEMA_VERSION:
        return None
    build = _TRUSTED_EVENTS.get(cls)
    if build is None:
        build = _TRUSTED_EVENTS[cls] = _trusted_builder(cls)
    return build


__all__ += ["trusted_decoder", "trusted_event_from_data"]
