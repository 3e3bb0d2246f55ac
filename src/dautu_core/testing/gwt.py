"""Given / when / then for the decider: a rule stated the way a clerk would explain it.

Why a helper: every rule of the law is best shown as "given this history, when this is asked,
then these facts are recorded (or this refusal, citing that article)". Embedders use it to test
their own province rulebooks; dautu uses it for every builtin rule. Failures show which field
of which event differs, or what the refusal said instead::

    spec = DeciderSpec()
    spec.given(approved).when(extend_by_30_months).then_raises(
        RuleViolation, rule_id="extension_cap", field="months"
    )

``given`` takes events (folded as recorded, not judged) and commands (decided first, so the
setup itself obeys the rules). ``when`` is lazy: nothing runs until a ``then``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from dautu_core.codec import event_to_data
from dautu_core.commands import Command
from dautu_core.decider import decide
from dautu_core.errors import DautuError, RuleViolation
from dautu_core.events import ProjectEvent
from dautu_core.rulebook import BUILTIN_RULEBOOKS, Rulebooks
from dautu_core.state import ProjectState, evolve

__all__ = ["DeciderSpec", "Given", "SpecFailure", "When"]


class SpecFailure(AssertionError):
    """A given/when/then expectation that did not hold (pytest shows the message)."""


_MISSING = object()


@attrs.frozen
class DeciderSpec:
    """Entry point: ``DeciderSpec(rulebooks=...).given(...).when(...).then(...)``."""

    rulebooks: Rulebooks = BUILTIN_RULEBOOKS

    def given(self, *history: ProjectEvent | Command) -> Given:
        """Start from the state these events (and accepted commands) lead to."""
        state = ProjectState()
        for step, item in enumerate(history, start=1):
            if isinstance(item, Command):
                try:
                    produced = decide(item, state, self.rulebooks)
                except DautuError as err:
                    raise SpecFailure(
                        f"given: command {step} ({type(item).__name__}) was refused, so the "
                        f"setup is not a valid history:\n  {err}"
                    ) from err
            else:
                produced = [item]
            for event in produced:
                state = evolve(state, event)
        return Given(self, state)


@attrs.frozen
class Given:
    """A state built by :meth:`DeciderSpec.given`; ``state`` is public for extra checks."""

    spec: DeciderSpec
    state: ProjectState

    def when(self, command: Command) -> When:
        return When(self, command)


@attrs.frozen
class When:
    """A command about to be judged; call one of the ``then`` methods."""

    given: Given
    command: Command

    def _decide(self) -> list[ProjectEvent]:
        return decide(self.command, self.given.state, self.given.spec.rulebooks)

    def _accepted(self) -> list[ProjectEvent]:
        try:
            return self._decide()
        except DautuError as err:
            raise SpecFailure(
                f"expected {type(self.command).__name__} to be accepted, but it was refused "
                f"({type(err).__name__}):\n  {err}"
            ) from err

    def then(self, *expected: ProjectEvent) -> list[ProjectEvent]:
        """The command is accepted and produces exactly ``expected``, in order."""
        produced = self._accepted()
        problems = _diff_events(list(expected), produced)
        if problems:
            raise SpecFailure(
                f"{type(self.command).__name__} produced other events than expected:\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        return produced

    def then_raises(
        self,
        error: type[DautuError] = RuleViolation,
        *,
        rule_id: str | None = None,
        field: str | None = None,
        citation: str | bool = True,
        message_contains: str | None = None,
    ) -> DautuError:
        """The command is refused with ``error`` naming the project, field, rule and citation.

        The error must name the command's project code and carry messages in both languages.
        ``rule_id`` and ``field``, when given, must match exactly. ``citation=True`` requires a
        citation; a string requires that exact citation; ``False`` skips the check.
        ``message_contains`` is looked for in the Vietnamese and the English message.
        """
        try:
            produced = self._decide()
        except DautuError as err:
            raised = err
        else:
            raise SpecFailure(
                f"expected {error.__name__}"
                + (f"(rule_id={rule_id!r})" if rule_id else "")
                + f", but {type(self.command).__name__} was accepted and produced:\n"
                + "\n".join(f"  {_show(e)}" for e in produced)
            )
        problems = []
        if not isinstance(raised, error):
            problems.append(f"error type: expected {error.__name__}, got {type(raised).__name__}")
        if raised.project_code != self.command.project_code:
            problems.append(
                f"project_code: expected {self.command.project_code!r}, got {raised.project_code!r}"
            )
        if rule_id is not None and raised.rule_id != rule_id:
            problems.append(f"rule_id: expected {rule_id!r}, got {raised.rule_id!r}")
        if field is not None and raised.field != field:
            problems.append(f"field: expected {field!r}, got {raised.field!r}")
        if citation is True and not raised.citation:
            problems.append("citation: expected one, got none")
        elif isinstance(citation, str) and raised.citation != citation:
            problems.append(f"citation: expected {citation!r}, got {raised.citation!r}")
        if not raised.message_vi.strip() or not raised.message_en.strip():
            problems.append("message: expected both a Vietnamese and an English message")
        if message_contains is not None and not any(
            message_contains in m for m in (raised.message_vi, raised.message_en)
        ):
            problems.append(f"message: expected it to contain {message_contains!r}")
        if problems:
            raise SpecFailure(
                f"{type(self.command).__name__} was refused, but not as expected:\n"
                + "\n".join(f"  {p}" for p in problems)
                + f"\n  the error was: {raised}"
            ) from raised
        return raised

    def then_state(
        self, predicate: Callable[[ProjectState], bool] | None = None, /, **fields: Any
    ) -> ProjectState:
        """The command is accepted and the state after its events satisfies the expectations.

        ``fields`` compare attributes or properties of :class:`ProjectState` by equality
        (``status=ProjectStatus.SUSPENDED``, ``policy_adjustment_pending=True``); ``predicate``
        covers the rest (``lambda s: s.months_behind(day)["operation_start"] == 3``).
        """
        state = self.given.state
        for event in self._accepted():
            state = evolve(state, event)
        problems = []
        for name, expected in fields.items():
            actual = getattr(state, name, _MISSING)
            if actual is _MISSING:
                problems.append(f"{name}: ProjectState has no such field")
            elif callable(actual):
                problems.append(f"{name}: is a method; check it with a predicate")
            elif actual != expected:
                problems.append(f"{name}: expected {expected!r}, got {actual!r}")
        if predicate is not None and not predicate(state):
            name = getattr(predicate, "__name__", "predicate")
            problems.append(f"{name} does not hold for the state:\n    {state!r}")
        if problems:
            raise SpecFailure(
                f"after {type(self.command).__name__}, the state is not as expected:\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        return state


def _show(event: ProjectEvent, limit: int = 300) -> str:
    text = f"{event.TYPE_NAME} {json.dumps(event_to_data(event), ensure_ascii=False)}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out or {prefix: {}}
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out or {prefix: []}
    return {prefix: value}


def _diff_events(expected: list[ProjectEvent], produced: list[ProjectEvent]) -> list[str]:
    """Readable differences: count, types, then every differing field path."""
    problems = []
    if len(expected) != len(produced):
        problems.append(f"number of events: expected {len(expected)}, got {len(produced)}")
    for index, (want, got) in enumerate(zip(expected, produced, strict=False)):
        if type(want) is not type(got):
            problems.append(f"event {index}: expected {want.TYPE_NAME}, got {got.TYPE_NAME}")
            continue
        if want == got:
            continue
        want_fields, got_fields = _flatten(event_to_data(want)), _flatten(event_to_data(got))
        for path in sorted(set(want_fields) | set(got_fields)):
            a, b = want_fields.get(path, _MISSING), got_fields.get(path, _MISSING)
            if a != b:
                problems.append(
                    f"event {index} ({want.TYPE_NAME}) {path}: expected {_plain(a)}, "
                    f"got {_plain(b)}"
                )
    problems += [f"unexpected extra event: {_show(e)}" for e in produced[len(expected) :]]
    problems += [f"missing event: {_show(e)}" for e in expected[len(produced) :]]
    return problems


def _plain(value: Any) -> str:
    return "(absent)" if value is _MISSING else repr(value)
