"""Running the kit against a store named by a URL (what ``dautu check-adapter`` does).

Why pytest in a child process: the kit is a pytest suite, and running it in a fresh interpreter
keeps the caller's imports, warnings filters and hypothesis state out of it (and lets the CLI
be tested by its own pytest run). The URL travels in an environment variable rather than in
generated source, so a password in it is never written to disk.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from dautu_adapters.conformance.kit import EventStoreConformance
from dautu_core.ports import EventStore

__all__ = [
    "CAPABILITIES",
    "URL_ENV",
    "Capabilities",
    "UrlStoreConformance",
    "default_capabilities",
    "run_conformance",
]

URL_ENV = "DAUTU_CHECK_URL"
"""Environment variable the generated test module reads the store URL from."""

CAPABILITIES = ("reopen", "processes", "checkpoints")
"""Names of the optional parts of the kit, as ``dautu check-adapter --without`` takes them."""

_IN_MEMORY = ("memory://", "sqlite:///:memory:")


@attrs.frozen
class Capabilities:
    """Which optional parts of the kit to run (see :class:`EventStoreConformance`)."""

    reopen: bool = True
    processes: bool = True
    checkpoints: bool = True

    def without(self, names: Sequence[str]) -> Capabilities:
        unknown = sorted(set(names) - set(CAPABILITIES))
        if unknown:
            raise ValueError(f"unknown capabilities {unknown}; known: {list(CAPABILITIES)}")
        return attrs.evolve(self, **{name: False for name in names})


def default_capabilities(url: str) -> Capabilities:
    """Everything, except reopening and other processes for in-memory URLs, whose storage
    lives and dies with one store object."""
    if url.strip().lower().startswith(_IN_MEMORY):
        return Capabilities(reopen=False, processes=False)
    return Capabilities()


def _open(url: str, options: Mapping[str, Any]) -> EventStore:
    from dautu_adapters.stores import open_store

    return open_store(url, **options)


class UrlStoreConformance(EventStoreConformance):
    """The kit for a store opened with :func:`dautu_adapters.stores.open_store`.

    Set ``url`` (or override the ``store_url`` fixture, e.g. to build a URL in ``tmp_path``)
    and the capability flags; ``open_options`` go to ``open_store``. The store is opened
    through the plugin registry, so third-party schemes are checked the way users reach them.
    """

    url: ClassVar[str] = ""
    open_options: ClassVar[Mapping[str, Any]] = {}
    _store_url: str

    @pytest.fixture
    def store_url(self) -> str:
        """The URL of the store under test; override to make a fresh one per test."""
        if not self.url:
            raise NotImplementedError(f"{type(self).__qualname__} must set url or store_url")
        return self.url

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[EventStore]:
        self._store_url = store_url
        store = _open(store_url, self.open_options)
        yield store
        store.close()

    def opener(self, store: EventStore) -> Callable[[], EventStore]:
        return functools.partial(_open, self._store_url, dict(self.open_options))


_MODULE = '''\
"""The dautu conformance kit bound to the store named by {url_env} (generated)."""

import os

from hypothesis import settings

from dautu_adapters.conformance.runner import UrlStoreConformance

settings.register_profile("dautu-check-adapter", database=None)
settings.load_profile("dautu-check-adapter")


class TestStoreAtUrl(UrlStoreConformance):
    url = os.environ[{url_env!r}]
    supports_reopen = {reopen!r}
    supports_concurrent_processes = {processes!r}
    supports_checkpoints = {checkpoints!r}
    max_examples = {max_examples!r}
'''


def run_conformance(
    url: str,
    *,
    pytest_args: Sequence[str] = (),
    capabilities: Capabilities | None = None,
    max_examples: int = EventStoreConformance.max_examples,
) -> int:
    """Run the kit against the store at ``url``; return pytest's exit code (0: all passed).

    ``capabilities`` defaults to :func:`default_capabilities`. The kit writes test records
    under project codes of its own: point it at a scratch store, never at a real record.
    ``pytest_args`` are passed on (``-x``, ``-k reopen``, ``-v``...).
    """
    caps = capabilities if capabilities is not None else default_capabilities(url)
    with tempfile.TemporaryDirectory(prefix="dautu-check-adapter-") as folder:
        module = Path(folder) / "test_dautu_store_at_url.py"
        module.write_text(
            _MODULE.format(
                url_env=URL_ENV,
                reopen=caps.reopen,
                processes=caps.processes,
                checkpoints=caps.checkpoints,
                max_examples=max_examples,
            ),
            encoding="utf-8",
        )
        ini = Path(folder) / "pytest.ini"
        ini.write_text("[pytest]\naddopts = -ra\n", encoding="utf-8")
        env = dict(os.environ)
        env[URL_ENV] = url
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ini),
            "--rootdir",
            folder,
            str(module),
            *pytest_args,
        ]
        return subprocess.call(command, env=env)
