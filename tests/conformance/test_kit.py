"""The kit's own contract: what it asks of a subclass and how capabilities are chosen."""

from __future__ import annotations

from collections.abc import Iterator

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
