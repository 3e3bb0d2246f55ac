"""``decide(command, state) -> events``: the only way new facts enter the record.

Pure: no clock, no ids, no I/O. The command carries its effective date, recorded time and actor;
the rulebook in force at the command's *effective date* judges it (not the one in force today),
because a decision dated 2024 was taken under Law 61/2020 even when typed in in 2026.
"""

from __future__ import annotations

import keyword
import typing
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.errors import RuleViolation
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebook, Rulebooks
from dautu_core.rules import check_event, check_new_event, policy_adjustment_triggers
from dautu_core.state import ProjectState, _apply, effective_history, evolve

__all__ = ["decide", "event_from_command", "run"]


def event_from_command(command: cmd.Command, **extra: object) -> ev.ProjectEvent:
    """The event a command proposes: same envelope and payload, plus ``extra`` fields.

    Why not simply ``command.EVENT(**values)``: the command's values were converted and checked
    when the command was made, by the very converters and validators the event's fields use
    (command and event share their payload class), and re-running them was most of the cost of
    deciding a command. A field is copied unchecked only when the two classes declare it with
    the same converter, validator and annotation; every other field (the ``extra`` fields the
    decider adds, defaults) is converted and validated as the constructor would, and the
    event's ``__attrs_post_init__`` still runs. Anything unusual takes the constructor, and so
    does every call made while attrs validators are disabled. A command is trusted to have been
    made by its constructor with validators on (commands are frozen, so its values stay checked).
    """
    if not extra:  # the usual case, looked up first
        build = _BUILDERS.get((command.__class__, ()))
        if build is not None and not attrs.validators.get_disabled():
            return build(command, extra)
    plan = _plan(type(command))
    if plan is None or not plan.names.issuperset(extra) or attrs.validators.get_disabled():
        return _constructed(command, extra)
    key = (command.__class__, tuple(extra))
    try:
        build = _BUILDERS[key]
    except KeyError:
        build = _BUILDERS[key] = _builder(plan, key[1])
    return build(command, extra)


Builder = Callable[[cmd.Command, dict[str, object]], ev.ProjectEvent]
"""Builds the event of a command of one class, given ``extra`` values for some fields."""

_BUILDERS: dict[tuple[type, tuple[str, ...]], Builder] = {}


def _builder(plan: _Plan, extra: tuple[str, ...]) -> Builder:
    """The function following ``plan`` for one set of ``extra`` field names, compiled.

    Why generated: walking the plan field by field (is it given, copied, defaulted?) asked
    the same questions for every command; the answers depend only on the classes and on
    which fields are given, so they are taken once, and building an event is then one
    function of plain assignments. Values are set, converted and validated in the order and
    by the functions :func:`event_from_command` describes.
    """
    names: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__}
    names["_event_class"] = plan.event
    lines = ["def build(command, extra):", "    event = _new(_event_class)"]
    checked = []
    for index, field in enumerate(plan.fields):
        name = field.name
        if name not in extra and field.copied:
            lines.append(f"    _set(event, {name!r}, command.{name})")
            continue
        if name in extra:
            lines.append(f"    v = extra[{name!r}]")
        elif name in plan.command_names:
            lines.append(f"    v = command.{name}")
        else:
            names[f"_default{index}"] = field.default
            lines.append(f"    v = _default{index}()")
        if field.converter is not None:
            names[f"_convert{index}"] = field.converter
            lines.append(f"    v = _convert{index}(v)")
        lines.append(f"    _set(event, {name!r}, v)")
        checked.append((index, field))
    for index, field in checked:
        if field.validator is not None:
            names[f"_validate{index}"] = field.validator
            names[f"_attribute{index}"] = field.attribute
            lines.append(f"    _validate{index}(event, _attribute{index}, event.{field.name})")
    if plan.post_init is not None:
        names["_post_init"] = plan.post_init
        lines.append("    _post_init(event)")
    lines.append("    return event")
    exec(  # our own source, built above from the plan's field names
        compile("\n".join(lines), f"<dautu event builder {plan.event.__qualname__}>", "exec"),
        names,
    )
    build: Builder = names["build"]
    return build


def _constructed(command: cmd.Command, extra: dict[str, object]) -> ev.ProjectEvent:
    """The event built by its constructor: every value converted and validated again."""
    values = {f.name: getattr(command, f.name) for f in attrs.fields(type(command))}
    values.update(extra)
    return command.EVENT(**values)


@attrs.frozen
class _Field:
    """One field of the event, as :func:`event_from_command` fills it."""

    name: str
    attribute: attrs.Attribute[Any]
    copied: bool
    """Copied unchecked from the command (same converter, validator and annotation)."""
    converter: Callable[[Any], Any] | None
    validator: Callable[[Any, attrs.Attribute[Any], Any], Any] | None
    default: Callable[[], Any]


@attrs.frozen
class _Plan:
    """How to build ``event`` from a command of one class (see :func:`event_from_command`)."""

    event: type[ev.ProjectEvent]
    fields: tuple[_Field, ...]
    names: frozenset[str]
    command_names: frozenset[str]
    post_init: Callable[[Any], None] | None


_PLANS: dict[type, _Plan | None] = {}


def _plan(command_class: type[cmd.Command]) -> _Plan | None:
    try:
        return _PLANS[command_class]
    except KeyError:
        plan = _PLANS[command_class] = _make_plan(command_class)
        return plan


def _make_plan(command_class: type[cmd.Command]) -> _Plan | None:
    """The plan for ``command_class``, or ``None`` when only the constructor is safe."""
    event_class = command_class.EVENT
    classes: tuple[type, ...] = (command_class, event_class)
    if not all(attrs.has(cls) for cls in classes):
        return None
    if not _generated_init(event_class) or hasattr(event_class, "__attrs_pre_init__"):
        return None
    if hasattr(event_class, "_attrs_cached_hash"):
        return None
    event_fields: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(event_class))
    by_name = {f.name: f for f in attrs.fields(command_class)}
    names = frozenset(f.name for f in event_fields)
    if not names.issuperset(by_name):
        return None
    command_hints = typing.get_type_hints(command_class)
    event_hints = typing.get_type_hints(event_class)
    fields = []
    for field in event_fields:
        if not field.init or field.alias != field.name or not _plain_name(field.name):
            return None
        converter: Any = field.converter
        if isinstance(converter, attrs.Converter):
            return None
        mine = by_name.get(field.name)
        default = _default_of(field, provided=mine is not None)
        if default is None:
            return None
        copied = (
            mine is not None
            and mine.converter is field.converter
            and mine.validator is field.validator
            and command_hints.get(field.name) == event_hints.get(field.name)
        )
        fields.append(_Field(field.name, field, copied, converter, field.validator, default))
    return _Plan(
        event=event_class,
        fields=tuple(fields),
        names=names,
        command_names=frozenset(by_name),
        post_init=getattr(event_class, "__attrs_post_init__", None),
    )


def _plain_name(name: str) -> bool:
    """Whether ``name`` can be written as an attribute in generated source."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _default_of(field: attrs.Attribute[Any], *, provided: bool) -> Callable[[], Any] | None:
    """What the constructor puts in ``field`` when no value is given; ``None`` when that is
    not a plain value or factory (the plan then gives way to the constructor)."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return None
        factory: Callable[[], Any] = default.factory
        return factory
    if default is attrs.NOTHING:
        return _no_default if provided else None
    return lambda: default


def _no_default() -> Any:  # never called: the command always gives this field
    raise TypeError("no default")


def _generated_init(cls: type) -> bool:
    code = getattr(cls.__dict__.get("__init__"), "__code__", None)
    return code is not None and code.co_filename.startswith("<attrs generated")


def decide(
    command: cmd.Command,
    state: ProjectState,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
) -> list[ev.ProjectEvent]:
    """Judge ``command`` against ``state`` and return the events it produces.

    Raises :class:`~dautu_core.errors.RuleViolation` (naming project, field, rule and
    citation) when a rule refuses it. Nothing is produced in that case.
    """
    book = rulebooks.in_force(command.effective_date, command.project_code)
    if isinstance(command, cmd.RequestAdjustment):
        triggers = policy_adjustment_triggers(state, command.changes, book)
        needs_policy = bool(triggers) and state.has_policy_approval
        event = event_from_command(
            command, policy_adjustment_required=needs_policy, triggers=triggers
        )
    else:
        event = event_from_command(command)
    check_new_event(event, book)
    if isinstance(event, ev.ProjectAdjusted):  # the only kind _check_policy_adjusted judges
        _check_policy_adjusted(state, event, book)
    check_event(state, event, book)
    if isinstance(event, ev.EventCorrected):
        _rejudge_corrected_history(state, event, rulebooks)
    return [event]


def _check_policy_adjusted(state: ProjectState, event: ev.ProjectEvent, book: Rulebook) -> None:
    """An adjustment that meets an Art. 41(3) condition must come with a policy adjustment.

    Checked on the event, like the rules of :mod:`dautu_core.rules`, so that a correction of an
    earlier event (say, the approval's regime) re-judges the adjustments recorded after it.
    """
    if not isinstance(event, ev.ProjectAdjusted) or event.policy_adjusted:
        return
    triggers = policy_adjustment_triggers(state, event.changes, book)
    if triggers and state.has_policy_approval:
        raise RuleViolation(
            "Nội dung điều chỉnh thuộc trường hợp phải điều chỉnh chủ trương đầu tư "
            f"({', '.join(triggers)}); cần quyết định chấp thuận điều chỉnh chủ trương",
            "this adjustment requires an adjustment of the investment policy "
            f"({', '.join(triggers)}); record it with policy_adjusted=True",
            project_code=event.project_code,
            field="policy_adjusted",
            rule_id="policy_adjustment_triggers",
            citation=book.cite("policy_adjustment_triggers").cite(),
        )


def _rejudge_corrected_history(
    state: ProjectState, correction: ev.EventCorrected, rulebooks: Rulebooks
) -> None:
    """A correction must leave a history every rule still accepts; re-judge it whole."""
    recorded = [*state.events(), (state.version + 1, correction)]
    rebuilt = ProjectState()
    for version, event in effective_history(recorded):
        book = rulebooks.in_force(event.effective_date, event.project_code)
        try:
            _check_policy_adjusted(rebuilt, event, book)
            check_event(rebuilt, event, book)
        except RuleViolation as refusal:
            raise RuleViolation(
                f"Đính chính phiên bản {correction.corrects_version} làm sự kiện phiên bản "
                f"{version} không còn hợp lệ: {refusal.message_vi}",
                f"correcting version {correction.corrects_version} would make the event at "
                f"version {version} invalid: {refusal.message_en}",
                project_code=correction.project_code,
                field=refusal.field,
                rule_id=refusal.rule_id,
                citation=refusal.citation,
            ) from refusal
        rebuilt = attrs.evolve(_apply(rebuilt, event, version), version=version)


def run(
    commands: Sequence[cmd.Command],
    state: ProjectState | None = None,
    rulebooks: Rulebooks = BUILTIN_RULEBOOKS,
) -> tuple[ProjectState, list[ev.ProjectEvent]]:
    """Decide and evolve a sequence of commands in memory; all or nothing.

    Handy for tests and for validating a whole import before writing any of it.
    """
    current = state if state is not None else ProjectState()
    produced: list[ev.ProjectEvent] = []
    for command in commands:
        for event in decide(command, current, rulebooks):
            current = evolve(current, event)
            produced.append(event)
    return current, produced
