"""One attrs ``field_transformer`` for every value, event and command: the boundary checks.

Why one transformer: a value that enters the core must be checked however it arrives (a
constructor call, ``attrs.evolve``, the codec reading an old record). Applying
:func:`checked_fields` to every class means that

- text fields (``str``, ``str | None``, ``tuple[str, ...]``) are normalised to NFC and refused
  when empty or legacy-encoded (:mod:`dautu_core.text`), or when they hold a control
  character other than tab and newline, or a lone surrogate (:func:`plain_text`); a
  ``project_code`` holds no control character at all and at most
  :data:`MAX_PROJECT_CODE_LENGTH` characters (:func:`code_text`);
- a ``Money`` field also accepts whole đồng as an ``int`` (``capital=5_000_000_000``);
- every field is checked against its annotation (a ``date`` that is not a ``datetime``, an
  ``int`` that is not a ``bool``, a ``tuple[Investor, ...]`` of investors, not of characters),
  so a wrongly typed value is refused when it is made instead of poisoning a stored stream
  that can then never be folded again;
- a converter that fails (an unknown enum value, a malformed number) raises
  :class:`~dautu_core.errors.InvalidValue` naming the field and the accepted values, never a
  bare ``ValueError``.

Annotations are resolved lazily, on first use per class, because classes may refer to classes
defined after them.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from dautu_core.errors import DautuError, InvalidValue
from dautu_core.text import nfc, optional_text, required_text

__all__ = [
    "MAX_PROJECT_CODE_LENGTH",
    "checked_fields",
    "code_text",
    "compiled_check",
    "plain_text",
    "type_matches",
]

MAX_PROJECT_CODE_LENGTH = 64
"""Characters a project code may have. The codes of the National Investment Information System
are ten digits and old certificate numbers a few dozen characters; 64 leaves room for both and
keeps a code readable on one line of a report or a terminal."""

_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (Unicode Cc) other than tab and newline, and lone surrogates (Cs, which
no UTF-8 record can hold): refused in free text. Why: a NUL cuts the text short in many
programs, and an ESC sequence stored in a record would drive the terminal of whoever prints it
(the auditor's included); tab and newline are how people lay out a long reason."""
_CONTROL_IN_CODE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""In a project code not even tab or newline: a code is one token on one line."""


def _no_control(text: str, field: str, pattern: re.Pattern[str], allowed_en: str) -> str:
    found = pattern.search(text)
    if found is None:
        return text
    point = f"U+{ord(found.group()):04X}"
    where = found.start() + 1
    raise InvalidValue(
        f"Văn bản chứa ký tự điều khiển hoặc ký tự không hợp lệ {point} ở vị trí {where}"
        + ("" if allowed_en == "none" else " (chỉ cho phép tab và xuống dòng)"),
        f"the text holds the control or invalid character {point} at position {where}"
        + ("" if allowed_en == "none" else f" (only {allowed_en} are allowed)"),
        field=field,
        rule_id="text_no_control",
    )


def plain_text(value: object, field: str = "text") -> str:
    """:func:`~dautu_core.text.required_text`, and no control character but tab and newline
    (nor a lone surrogate): what every text field of a value, event or command accepts."""
    if isinstance(value, str):  # first, so that the reason given is the control character
        _no_control(nfc(value).strip(), field, _CONTROL_IN_TEXT, "tab and newline")
    return required_text(value, field)


def code_text(value: object, field: str = "project_code") -> str:
    """A project code: :func:`plain_text` without tab or newline, at most
    :data:`MAX_PROJECT_CODE_LENGTH` characters."""
    if isinstance(value, str):
        _no_control(nfc(value).strip(), field, _CONTROL_IN_CODE, "none")
    text = required_text(value, field)
    if len(text) > MAX_PROJECT_CODE_LENGTH:
        raise InvalidValue(
            f"Mã dự án dài {len(text)} ký tự, vượt quá {MAX_PROJECT_CODE_LENGTH} ký tự",
            f"the project code is {len(text)} characters long, over the limit of "
            f"{MAX_PROJECT_CODE_LENGTH}",
            field=field,
            rule_id="project_code_length",
        )
    return text


def _checker(name: str) -> Callable[[object, str], str]:
    return code_text if name == "project_code" else plain_text


_HINTS: dict[type, dict[str, Any]] = {}


def _hint(cls: type, name: str) -> Any:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints.get(name, Any)


def type_matches(value: object, hint: Any) -> bool:
    """Whether ``value`` fits the annotation ``hint`` (the subset of typing the core uses)."""
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(type_matches(value, option) for option in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(type_matches(item, args[0]) for item in value)
        return len(args) == len(value) and all(map(type_matches, value, args))
    if origin in (Mapping, dict, typing.Mapping):
        return isinstance(value, Mapping)
    if origin in (frozenset, set):
        return isinstance(value, frozenset | set)
    if origin is not None:
        return True
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


Check = Callable[[object], bool]
"""A compiled :func:`type_matches` for one hint: ``check(value) == type_matches(value, hint)``."""

_CHECKS: dict[Any, Check] = {}


def _always(_value: object) -> bool:
    return True


def _is_none(value: object) -> bool:
    return value is None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


def _is_set(value: object) -> bool:
    return isinstance(value, frozenset | set)


def compiled_check(hint: Any) -> Check:
    """The check of ``hint``, built once: the same answers as :func:`type_matches`.

    Why: every field of every value, event and command is checked against its annotation when
    it is made, and interpreting ``typing`` hints on each call was the largest share of building
    and of reading events. The decision "what does this hint ask for" is taken once per hint.
    """
    try:
        return _CHECKS[hint]
    except KeyError:
        check = _CHECKS[hint] = _compile(hint)
        return check
    except TypeError:  # an unhashable hint: compiled every time (none in the core)
        return _compile(hint)


def _compile(hint: Any) -> Check:
    if hint is Any:
        return _always
    if hint is None or hint is type(None):
        return _is_none
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [compiled_check(option) for option in typing.get_args(hint)]
        if _always in options:
            return _always
        others = [check for check in options if check is not _is_none]
        if len(others) == 1:
            (only,) = others
            if len(options) == 1:
                return only
            return lambda value: value is None or only(value)
        return lambda value: any(check(value) for check in options)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = compiled_check(args[0])
            if item is _always:
                return lambda value: isinstance(value, tuple)
            return lambda value: isinstance(value, tuple) and all(map(item, value))
        items = [compiled_check(arg) for arg in args]
        size = len(items)

        def fixed(value: object) -> bool:
            return (
                isinstance(value, tuple)
                and len(value) == size
                and all(check(item) for check, item in zip(items, value, strict=True))
            )

        return fixed
    if origin in (Mapping, dict, typing.Mapping):
        return _is_mapping
    if origin in (frozenset, set):
        return _is_set
    if origin is not None:
        return _always
    if hint is bool:
        return _is_bool
    if hint is int:
        return _is_int
    if hint is date:
        return _is_plain_date
    if isinstance(hint, type):
        # ``isinstance(value, hint)`` without a Python frame: the metaclass method isinstance
        # itself calls, bound to ``hint``.
        instance_check: Check = type(hint).__instancecheck__.__get__(hint)
        return instance_check
    return _always


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(_describe(a) for a in typing.get_args(hint))
    if origin is tuple:
        return f"tuple[{_describe(typing.get_args(hint)[0])}, ...]"
    if hint is type(None):
        return "None"
    return getattr(hint, "__name__", str(hint))


def _project_of(inst: object) -> str | None:
    code = getattr(inst, "project_code", None)
    return code if isinstance(code, str) else None


def _typed(existing: Any) -> Any:
    checks: dict[type, Check] = {}  # by instance class: a subclass may resolve hints anew

    def check_for(inst: object, attribute: attrs.Attribute[Any]) -> Check:
        check = checks[type(inst)] = compiled_check(_hint(type(inst), attribute.name))
        return check

    if existing is None:

        def validate_type(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
            try:
                check = checks[type(inst)]
            except KeyError:
                check = check_for(inst, attribute)
            if not check(value):
                raise _wrong_type(inst, attribute, value)

        return validate_type

    def validate(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        # The field's own validator speaks more precisely ("must be a non-negative whole
        # number"); the annotation check catches what it does not look at.
        failure: Exception | None = None
        try:
            existing(inst, attribute, value)
        except DautuError as exc:
            if exc.project_code is None and _project_of(inst) is not None:
                raise exc.with_context(project_code=_project_of(inst)) from exc
            raise
        except (TypeError, AttributeError, ValueError) as exc:
            failure = exc
        try:
            check = checks[type(inst)]
        except KeyError:
            check = check_for(inst, attribute)
        if not check(value):
            raise _wrong_type(inst, attribute, value)
        if failure is not None:
            raise InvalidValue(
                f"Giá trị không hợp lệ {value!r:.60}",
                f"invalid value {value!r:.60}",
                project_code=_project_of(inst),
                field=attribute.name,
                rule_id="field_value",
            ) from failure

    return validate


def _wrong_type(inst: object, attribute: attrs.Attribute[Any], value: object) -> InvalidValue:
    hint = _hint(type(inst), attribute.name)
    return InvalidValue(
        f"Sai kiểu dữ liệu: cần {_describe(hint)}, nhận được {type(value).__name__} {value!r:.60}",
        f"wrong type: expected {_describe(hint)}, got {type(value).__name__} {value!r:.60}",
        project_code=_project_of(inst),
        field=attribute.name,
        rule_id="field_type",
    )


def _guarded(name: str, converter: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Make a converter's failures clear: ``InvalidValue`` naming the field (and, for enums,
    the accepted values) instead of a bare ``ValueError``."""

    def convert(value: Any) -> Any:
        try:
            return converter(value)
        except DautuError:
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:
            accepted = ""
            if isinstance(converter, type) and issubclass(converter, Enum):
                accepted = ", ".join(str(member.value) for member in converter)
            raise InvalidValue(
                f"Giá trị không hợp lệ {value!r:.60}"
                + (f"; các giá trị được chấp nhận: {accepted}" if accepted else ""),
                f"invalid value {value!r:.60}"
                + (f"; accepted values: {accepted}" if accepted else ""),
                field=name,
                rule_id="field_value",
            ) from exc

    return convert


def checked_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: NFC text, annotation checks, clear converter errors."""
    out = []
    for field in fields:
        if _is_ours(field.validator):  # inherited, already transformed
            out.append(field)
            continue
        kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
        converter: Any = field.converter
        if kind == "tuple[str, ...]":
            # Milestone keys and trigger ids are text too: a key typed in NFD must still name
            # the NFC milestone of the schedule.
            converter = _text_tuple_converter(field.name, converter)
        elif converter is None and kind == "str":
            converter = _required_converter(field.name)
        elif converter is None and kind in ("str | None", "None | str", "Optional[str]"):
            converter = _optional_converter(field.name)
        elif converter is None and kind in ("Money", "Money | None"):
            converter = _money_converter(field.name)
        elif converter is not None:
            converter = _guarded(field.name, converter)
        out.append(field.evolve(converter=converter, validator=_ours(_typed(field.validator))))
    return out


def _ours(function: Any) -> Any:
    function._dautu_checked = True
    return function


def _is_ours(function: Any) -> bool:
    return bool(getattr(function, "_dautu_checked", False))


_TEXT_CACHE_SIZE = 4096


def _required_converter(name: str) -> Callable[[object], str]:
    # Why remembered: the same milestone, code or name comes back in most records of a
    # project, and normalising and checking it again was a noticeable share of reading them.
    # Only exact ``str`` values are remembered, only successes, and the result depends on the
    # text alone, so a remembered result is the one ``required_text`` would give.
    done: dict[str, str] = {}
    check = _checker(name)

    def convert(value: object) -> str:
        if value.__class__ is not str:
            return check(value, name)
        try:
            return done[value]
        except KeyError:
            pass
        text = check(value, name)
        if len(done) >= _TEXT_CACHE_SIZE:
            done.clear()
        done[value] = text
        return text

    return convert


def _text_tuple_converter(name: str, inner: Any) -> Callable[[Iterable[object]], tuple[str, ...]]:
    def convert(value: Iterable[object]) -> tuple[str, ...]:
        if isinstance(value, str):
            raise InvalidValue(
                "Cần một danh sách, không phải một chuỗi",
                "expected a list of texts, not a single text",
                field=name,
                rule_id="field_type",
            )
        items = inner(value) if inner is not None else value
        return tuple(plain_text(item, name) for item in items)

    return convert


def _optional_converter(name: str) -> Callable[[object], str | None]:
    check = _checker(name)

    def convert(value: object) -> str | None:
        text = optional_text(value, name)
        return None if text is None else check(text, name)

    return convert


def _money_converter(name: str) -> Callable[[object], Any]:
    """Whole đồng given as an ``int`` become ``Money``; a ``Money`` (or ``None`` where the
    field is optional) passes; anything else is left to the annotation check."""

    def convert(value: object) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            from dautu_core.values import Money

            try:
                return Money(value)
            except InvalidValue as exc:
                raise exc.with_context(field_prefix=name) from None
        return value

    return convert
