"""The kit's own contract: what it asks of a subclass and how capabilities are chosen."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dautu_adapters.conformance import (
    Capabilities,
    EventStoreConformance,
    default_capabilities,
)
from dautu_adapters.stores import open_store
from dautu_core.ports import EventStore


def test_a_test_class_without_a_store_fixture_is_refused_at_import() -> None:
    with pytest.raises(TypeError, match="must define the 'store' fixture"):

        class TestForgotTheFixture(EventStoreConformance):
            supports_reopen = True


def test_a_base_class_of_ones_own_may_leave_the_fixture_out() -> None:
    class MyStoreKit(EventStoreConformance):
        supports_reopen = True

    class TestMyStore(MyStoreKit):
        @pytest.fixture
        def store(self) -> Iterator[EventStore]:
            store = open_store("memory://")
            yield store
            store.close()

    assert TestMyStore.supports_reopen and not EventStoreConformance.supports_reopen


@pytest.mark.parametrize(
    ("url", "reopen", "processes"),
    [
        ("memory://", False, False),
        ("sqlite:///:memory:", False, False),
        ("SQLITE:///:memory:", False, False),
        ("sqlite:///dautu.db", True, True),
        ("postgresql://dautu@localhost/dautu", True, True),
        ("jsonl:///du-lieu", True, True),
    ],
)
def test_default_capabilities(url: str, reopen: bool, processes: bool) -> None:
    assert default_capabilities(url) == Capabilities(
        reopen=reopen, processes=processes, checkpoints=True
    )


def test_capabilities_can_be_switched_off_by_name_only() -> None:
    assert Capabilities().without(["processes", "checkpoints"]) == Capabilities(
        reopen=True, processes=False, checkpoints=False
    )
    with pytest.raises(ValueError, match="unknown capabilities"):
        Capabilities().without(["speed"])


def test_the_command_line_names_the_same_parts_without_importing_the_kit() -> None:
    from dautu_adapters.cli.kit_commands import PARTS
    from dautu_adapters.conformance import CAPABILITIES

    assert PARTS == CAPABILITIES


def test_the_command_line_knows_the_runners_budget_and_exit_code_without_importing_it() -> None:
    from dautu_adapters.cli import kit_commands
    from dautu_adapters.conformance import runner

    assert kit_commands.DEFAULT_BUDGET_SECONDS == runner.DEFAULT_BUDGET_SECONDS
    assert kit_commands._BUDGET_EXCEEDED == runner.BUDGET_EXCEEDED


def test_a_backend_cannot_be_both_one_process_and_shared_by_processes() -> None:
    with pytest.raises(TypeError, match="exclude each other"):

        class TestBoth(EventStoreConformance):
            supports_concurrent_processes = True
            one_process_at_a_time = True

            @pytest.fixture
            def store(self) -> Iterator[EventStore]:
                yield open_store("memory://")

    assert Capabilities().one_process_at_a_time() == Capabilities(
        reopen=True, processes=False, checkpoints=True, one_process=True
    )


def test_the_quick_profile_does_not_shrink() -> None:
    from hypothesis import Phase

    from dautu_adapters.conformance import kit_settings

    assert Phase.shrink in kit_settings(5).phases
    assert Phase.shrink not in kit_settings(5, shrink=False).phases
    assert Phase.generate in kit_settings(5, shrink=False).phases


def test_an_append_batch_says_its_types_and_refuses_a_negative_version() -> None:
    """The guide shows this signature; ``project_code`` used to read as ``object``."""
    import inspect

    from dautu_core.errors import InvalidValue
    from dautu_core.ports import AppendBatch

    assert str(inspect.signature(AppendBatch)) == (
        "(project_code: 'str', expected_version: 'int', records: 'Iterable[NewRecord]') -> None"
    )
    assert AppendBatch(" DA-01 ", 0, []).project_code == "DA-01"
    with pytest.raises(InvalidValue) as caught:
        AppendBatch("DA-01", -1, [])
    assert caught.value.field == "expected_version"
    assert "không âm" in caught.value.message_vi and "non-negative" in caught.value.message_en


def test_the_demo_names_a_third_party_store_by_the_url_it_was_opened_with(tmp_path: Path) -> None:
    """The command line shows the URL it opened, redacted; a store need not have a ``url``
    (the JSON-lines store has none: the line used to read "into  in one transaction")."""
    url = f"jsonl:///{tmp_path / 'demo'}?fsync=0"
    dautu = Path(sys.executable).with_name("dautu")
    result = subprocess.run(
        [str(dautu), "--lang", "en", "--store", url, "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Recorded 78 fictional projects (" in result.stdout
    assert f"into {url} in one transaction." in result.stdout
