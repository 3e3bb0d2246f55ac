"""Declared exporter options: what ``dautu export NAME`` accepts, checked before it runs.

Why declared rather than passed through: a mistyped ``--option asof=2024-02-21`` used to reach
the review exporter as an unknown key, which ignored it and silently exported today's review.
Each exporter now registers the options it reads (name, type, help, default); the command
refuses an unknown or malformed one with the list of accepted ones, converts the text to the
declared type, fills the defaults, and lists them in ``dautu export NAME --help`` and
``dautu plugins``.

The shared flags ``--project``, ``--as-of``, ``--checkpoint`` and ``--public-key`` are
shorthand for the options ``project``, ``as_of``, ``checkpoint`` and ``public_key``: an
exporter honours one by declaring that option, and the command refuses the flag for an
exporter that does not (``--project`` given to an exporter that always writes every project is
an error, not a silent no-op).

``lang`` and ``now`` are context, not options: every exporter receives the display language
(``--lang``) and the time of the export (Vietnam time, read at the edge).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from dautu_core import dates
from dautu_core.errors import DautuError, InvalidValue

__all__ = [
    "CONTEXT_KEYS",
    "SHARED_FLAGS",
    "ExporterOption",
    "OptionType",
    "check_declared",
    "option_key",
    "parse_bool",
    "required_project",
    "resolve_options",
]

OptionType = Callable[[str], Any] | type[Any]
"""How an option's text becomes a value: ``str``, ``int``, ``float``, ``bool``,
``datetime.date``, ``pathlib.Path``, or any callable of one string that raises ``ValueError``
(or a :class:`~dautu_core.errors.DautuError`) on bad text."""

SHARED_FLAGS: dict[str, str] = {
    "project": "--project",
    "as_of": "--as-of",
    "checkpoint": "--checkpoint",
    "public_key": "--public-key",
}
"""Options that ``dautu export`` also accepts as flags of their own."""

_SHARED_METAVARS = {"project": "CODE", "as_of": "DATE", "checkpoint": "FILE", "public_key": "FILE"}

CONTEXT_KEYS: tuple[str, ...] = ("lang", "now")
"""Keys every exporter receives and none may declare."""

_TRUE = frozenset({"1", "true", "yes", "on", "có", "co", "đúng"})
_FALSE = frozenset({"0", "false", "no", "off", "không", "khong", "sai"})

_TYPE_NAMES: dict[Any, tuple[str, str]] = {
    str: ("văn bản", "text"),
    int: ("số nguyên", "integer"),
    float: ("số", "number"),
    bool: ("true/false", "true/false"),
    date: ("ngày dd/mm/yyyy", "date dd/mm/yyyy or yyyy-mm-dd"),
    Path: ("đường dẫn", "path"),
}


def option_key(text: str) -> str:
    """The key of an option as typed (``as-of``, `` as_of ``, ``AS_OF``): NFC, stripped, lower
    case, hyphens as underscores."""
    return unicodedata.normalize("NFC", text).strip().lower().replace("-", "_")


def required_project(options: Mapping[str, Any]) -> str:
    """The ``project`` option of an exporter that writes one project, refused when empty
    with the flag to give (``--project``), in the same words for every such exporter."""
    project = options.get("project")
    if not project:
        raise InvalidValue(
            "Cần chọn dự án: --project MÃ_DỰ_ÁN",
            "choose a project: --project CODE",
            field="project",
            rule_id="export_option",
        )
    return str(project)


def parse_bool(text: str) -> bool:
    """``true``/``false`` in the usual spellings, Vietnamese included (``có``/``không``)."""
    value = option_key(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {text!r}")


def _parse_date(text: str) -> date:
    return dates.parse_date(text)


_CONVERTERS: dict[Any, Callable[[str], Any]] = {
    bool: parse_bool,
    date: _parse_date,
    str: lambda text: unicodedata.normalize("NFC", text),
}


@attrs.frozen
class ExporterOption:
    """One option an exporter reads from its ``options`` mapping.

    ``name`` is the key (a Python identifier, ``as_of``; users may type ``as-of``). ``type``
    turns the command line's text into the value (see :data:`OptionType`); a value that is
    already of the type (a ``date`` passed by ``--as-of``, or by a Python caller) is kept.
    ``help`` is shown by ``dautu export NAME --help`` and ``dautu plugins`` (Vietnamese first,
    ``vi / en``). ``default`` is what the exporter receives when the option is not given
    (``None``: the key is absent). ``required`` options have no default. ``choices`` limits the
    accepted texts.
    """

    name: str
    type: OptionType = str
    help: str = ""
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"an exporter option name must be an identifier, got {self.name!r}")
        if self.name != option_key(self.name):
            raise ValueError(f"an exporter option name is lower case, got {self.name!r}")
        if self.name in CONTEXT_KEYS:
            raise ValueError(f"{self.name!r} is given to every exporter and cannot be declared")
        if not callable(self.type):
            raise ValueError(f"option {self.name!r}: type must be callable, got {self.type!r}")
        if self.required and self.default is not None:
            raise ValueError(f"option {self.name!r}: a required option has no default")

    @property
    def flag(self) -> str:
        """How to give it: ``--project CODE`` for a shared flag, else ``--option name=VALUE``."""
        if self.name in SHARED_FLAGS:
            return f"{SHARED_FLAGS[self.name]} {_SHARED_METAVARS[self.name]}"
        return f"--option {self.name}=VALUE"

    def type_name(self, lang: str = "vi") -> str:
        if self.choices:
            return "|".join(self.choices)
        names = _TYPE_NAMES.get(self.type)
        if names is None:
            return str(getattr(self.type, "__name__", "value"))
        return names[0] if lang == "vi" else names[1]

    def convert(self, value: object, exporter: str) -> Any:
        """``value`` as the declared type, or an error naming the exporter, option and type."""
        kind = self.type
        if isinstance(kind, type) and isinstance(value, kind) and not isinstance(value, str):
            if kind is date and isinstance(value, datetime):
                value = value.date()
            return value
        text = str(value) if isinstance(value, Path) else value
        if not isinstance(text, str):
            raise self._malformed(exporter, value, "")
        if self.choices and text.strip() not in self.choices:
            raise self._malformed(exporter, value, "")
        convert = _CONVERTERS.get(kind, kind)
        try:
            return convert(text.strip() if kind is not str else text)
        except DautuError as exc:
            why = f" ({exc.message_vi} / {exc.message_en})"
            raise self._malformed(exporter, value, why) from None
        except (ValueError, TypeError) as exc:
            raise self._malformed(exporter, value, f" ({exc})") from None

    def _malformed(self, exporter: str, value: object, why: str) -> InvalidValue:
        return InvalidValue(
            f"Trình xuất '{exporter}': tuỳ chọn {self.name} phải là {self.type_name('vi')}, "
            f"nhận được {value!r}{why}",
            f"exporter '{exporter}': option {self.name} must be {self.type_name('en')}, "
            f"got {value!r}{why}",
            field=self.name,
            rule_id="export_option_type",
        )

    def describe(self, lang: str = "vi") -> str:
        """One line for help texts: flag, type, default, help."""
        extra = []
        if self.required:
            extra.append("bắt buộc" if lang == "vi" else "required")
        elif self.default is not None:
            shown = _shown(self.default)
            extra.append(f"{'mặc định' if lang == 'vi' else 'default'} {shown}")
        tail = f"; {', '.join(extra)}" if extra else ""
        help_text = f" — {self.help}" if self.help else ""
        return f"{self.flag} ({self.type_name(lang)}{tail}){help_text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "flag": self.flag,
            "type": self.type_name("en"),
            "type_vi": self.type_name("vi"),
            "help": self.help,
            "default": None if self.default is None else _shown(self.default),
            "required": self.required,
            "choices": list(self.choices),
        }


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def check_declared(options: Iterable[object]) -> tuple[ExporterOption, ...]:
    """The declared options as a tuple; ``ValueError`` if one is not an
    :class:`ExporterOption` or a name is declared twice (the registration is then refused)."""
    declared: list[ExporterOption] = []
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, ExporterOption):
            raise ValueError(f"{option!r} is not a dautu ExporterOption")
        if option.name in seen:
            raise ValueError(f"option {option.name!r} is declared twice")
        seen.add(option.name)
        declared.append(option)
    return tuple(declared)


def _accepted(declared: Sequence[ExporterOption]) -> tuple[str, str]:
    if not declared:
        return "không có tuỳ chọn nào", "it takes no options"
    names = ", ".join(SHARED_FLAGS.get(o.name) or o.name for o in declared)
    return f"các tuỳ chọn được nhận: {names}", f"accepted options: {names}"


def resolve_options(
    exporter: str,
    declared: Sequence[ExporterOption],
    given: Mapping[str, object] | Iterable[tuple[str, object]],
) -> dict[str, Any]:
    """The options ``exporter`` receives: ``given`` (keys as typed, values as text or already
    typed; a mapping or pairs in command-line order) checked against ``declared``, converted,
    with defaults filled.

    Refused with the accepted options listed: an unknown key (a shared flag the exporter does
    not honour included), a key given twice under two spellings, a malformed value, a missing
    required option.
    """
    by_name = {o.name: o for o in declared}
    resolved: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    pairs = given.items() if isinstance(given, Mapping) else given
    for raw_key, value in pairs:
        key = option_key(raw_key)
        option = by_name.get(key)
        if option is None:
            vi, en = _accepted(declared)
            shown = SHARED_FLAGS.get(key) or key
            raise InvalidValue(
                f"Trình xuất '{exporter}' không nhận tuỳ chọn {shown}; {vi} "
                f"(xem: dautu export {exporter} --help)",
                f"exporter '{exporter}' does not take option {shown}; {en} "
                f"(see: dautu export {exporter} --help)",
                field=key,
                rule_id="export_option_known",
            )
        if key in spelled:
            raise InvalidValue(
                f"Trình xuất '{exporter}': tuỳ chọn {key} được cho hai lần "
                f"({spelled[key]!r} và {raw_key!r})",
                f"exporter '{exporter}': option {key} is given twice "
                f"({spelled[key]!r} and {raw_key!r})",
                field=key,
                rule_id="export_option_once",
            )
        spelled[key] = raw_key
        resolved[key] = option.convert(value, exporter)
    for option in declared:
        if option.name in resolved:
            continue
        if option.required:
            raise InvalidValue(
                f"Trình xuất '{exporter}' cần tuỳ chọn {option.flag}",
                f"exporter '{exporter}' needs option {option.flag}",
                field=option.name,
                rule_id="export_option_required",
            )
        if option.default is not None:
            resolved[option.name] = option.default
    return resolved
