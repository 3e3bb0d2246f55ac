"""The public strategies generate what they promise (adapter authors rely on them)."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings

from dautu_core import EVENT_TYPES, Command, Investor, ProjectEvent, decide, evolve, fold, run
from dautu_core.decider import event_from_command
from dautu_core.state import ProjectState
from dautu_core.testing import strategies as s

GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Events and project lives take milliseconds each to build: no deadline, no speed check
(the suite also runs on busy machines)."""


def test_there_is_one_event_strategy_per_event_type() -> None:
    assert set(s.EVENT_STRATEGIES) == set(EVENT_TYPES.values())
    assert {c.EVENT for c in s.COMMAND_STRATEGIES} == set(EVENT_TYPES.values())


@pytest.mark.parametrize("cls", list(s.EVENT_STRATEGIES), ids=lambda c: c.__name__)
def test_each_event_strategy_builds_its_own_type(cls: type[ProjectEvent]) -> None:
    @settings(GENERATED, max_examples=15)
    @given(s.EVENT_STRATEGIES[cls](project_code="DA-0001"))
    def check(event: ProjectEvent) -> None:
        assert type(event) is cls
        assert event.project_code == "DA-0001"

    check()


@pytest.mark.parametrize("cls", list(s.COMMAND_STRATEGIES), ids=lambda c: c.__name__)
def test_each_command_strategy_builds_the_command_of_its_event(cls: type[Command]) -> None:
    @settings(GENERATED, max_examples=15)
    @given(s.COMMAND_STRATEGIES[cls]())
    def check(command: Command) -> None:
        assert type(command) is cls
        assert type(event_from_command(command)) is cls.EVENT

    check()


@settings(max_examples=200)
@given(s.vietnamese_text())
def test_text_comes_in_both_normal_forms_and_builds_nfc_values(text: str) -> None:
    investor = Investor(name=text)
    assert investor.name == unicodedata.normalize("NFC", text).strip()


def test_text_strategy_really_produces_nfd_and_diacritics() -> None:
    seen: set[str] = set()

    @settings(max_examples=150, database=None)
    @given(s.vietnamese_text())
    def collect(text: str) -> None:
        if unicodedata.normalize("NFC", text) != text:
            seen.add("nfd")
        if any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)):
            seen.add("diacritics")

    collect()
    assert seen == {"nfd", "diacritics"}


@settings(max_examples=100)
@given(s.aware_datetimes())
def test_datetimes_are_aware(moment: datetime) -> None:
    assert moment.utcoffset() is not None


@settings(GENERATED, max_examples=60)
@given(s.command_sequences(max_size=15))
def test_command_sequences_are_accepted_in_order(commands: list[Command]) -> None:
    state = ProjectState()
    approved_on = commands[0].effective_date
    for command in commands:
        assert command.effective_date >= approved_on
        for event in decide(command, state):
            state = evolve(state, event)
    assert state.version == len(commands)
    assert len({c.project_code for c in commands}) == 1


@settings(GENERATED, max_examples=30)
@given(s.histories(max_size=10))
def test_histories_are_the_events_of_a_valid_life(events: list[ProjectEvent]) -> None:
    assert type(events[0]).__name__ == "ProjectApproved"
    assert fold(events).version == len(events)


@settings(GENERATED, max_examples=40)
@given(s.events())
def test_nfd_variant_of_an_event_is_equal(event: ProjectEvent) -> None:
    assert s.nfd_variant(event) == event


def test_run_accepts_a_generated_sequence_whole() -> None:
    @settings(GENERATED, max_examples=20, database=None)
    @given(s.command_sequences(min_size=5, max_size=8))
    def check(commands: list[Command]) -> None:
        state, produced = run(commands)
        assert state == fold(produced)

    check()
