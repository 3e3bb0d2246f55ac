"""The public API raises dautu's own errors, wrong types included, all from one import."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dautu_adapters
import dautu_core
from adapters.samples import approve
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core import errors
from dautu_core.errors import DautuError, InvalidValue

not_text = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    st.binary(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


def _every_module() -> list[Any]:
    modules = []
    for package in (dautu_core, dautu_adapters):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            try:
                modules.append(importlib.import_module(info.name))
            except ImportError:  # an optional extra that is not installed
                continue
    return modules


def test_every_error_of_the_library_is_importable_from_dautu_core_errors() -> None:
    exported = {
        getattr(errors, name) for name in errors.__all__ if inspect.isclass(getattr(errors, name))
    }
    found = {
        value
        for module in _every_module()
        for _, value in inspect.getmembers(module, inspect.isclass)
        if issubclass(value, DautuError)
    }
    assert found, "no error class found: the walk is broken"
    assert found <= exported, sorted(c.__qualname__ for c in found - exported)
    assert all(issubclass(cls, DautuError) for cls in exported)


def test_the_old_import_paths_give_the_same_classes() -> None:
    from dautu_adapters.audit.trail import AuditFailed
    from dautu_adapters.plugins import PluginError
    from dautu_adapters.stores import MissingDependency, SealingMismatch, StorageError
    from dautu_adapters.stores.errors import StreamCorrupted
    from dautu_core.projections import ProjectionGap

    assert StorageError is errors.StorageError is dautu_core.StorageError
    assert (SealingMismatch, MissingDependency, StreamCorrupted) == (
        errors.SealingMismatch,
        errors.MissingDependency,
        errors.StreamCorrupted,
    )
    assert (ProjectionGap, PluginError, AuditFailed) == (
        errors.ProjectionGap,
        errors.PluginError,
        errors.AuditFailed,
    )


@given(code=not_text)
def test_a_project_code_that_is_not_text_is_an_invalid_value(code: object) -> None:
    with ProjectService.open("memory://") as service:
        for query in (service.load, service.snapshot, service.history):
            with pytest.raises(InvalidValue) as refused:
                query(code)  # type: ignore[arg-type]
            assert refused.value.field == "project_code"
        with pytest.raises(InvalidValue):
            service.store.read_stream(code)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", ["3", 2.0, True])
def test_a_version_that_is_not_a_whole_number_is_an_invalid_value(version: object) -> None:
    with ProjectService.open("memory://") as service:
        service.execute(approve("DA-T-1"))
        with pytest.raises(InvalidValue) as refused:
            service.load("DA-T-1", up_to_version=version)  # type: ignore[arg-type]
        assert refused.value.field == "up_to_version"


@pytest.mark.parametrize(
    "commands",
    ["ApproveProject", b"x", 42, None, [approve("DA-T-2"), "not a command"], [{"code": 1}]],
)
def test_what_is_not_a_list_of_commands_is_refused_and_nothing_is_written(
    commands: object,
) -> None:
    with ProjectService.open("memory://") as service:
        with pytest.raises(InvalidValue) as refused:
            service.execute_batch(commands)  # type: ignore[arg-type]
        assert refused.value.field == "commands"
        with pytest.raises(InvalidValue):
            service.execute(commands)  # type: ignore[arg-type]
        assert service.store.max_position() == 0


def test_a_single_command_given_to_execute_batch_is_refused() -> None:
    with ProjectService.open("memory://") as service, pytest.raises(InvalidValue):
        service.execute_batch(approve("DA-T-3"))  # type: ignore[arg-type]


def test_a_generator_of_commands_is_a_list_of_commands() -> None:
    with ProjectService.open("memory://") as service:
        records = service.execute_batch(approve(code) for code in ("DA-G-1", "DA-G-2"))
        assert [r.project_code for r in records] == ["DA-G-1", "DA-G-2"]


@given(url=not_text.filter(lambda value: value is not None))
def test_a_store_url_that_is_not_text_is_an_invalid_value(url: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        open_store(url)  # type: ignore[arg-type]
    assert refused.value.field == "store_url"
