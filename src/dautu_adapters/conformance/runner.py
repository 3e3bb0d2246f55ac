"""Running the kit against a store named by a URL (what ``dautu check-adapter`` does).

Why pytest in a child process: the kit is a pytest suite, and running it in a fresh interpreter
keeps the caller's imports, warnings filters and hypothesis state out of it (and lets the CLI
be tested by its own pytest run). The URL travels in an environment variable rather than in
generated source, so a password in it is never written to disk.

Why a quick profile by default: on a store that costs ~25 ms a call, a broken adapter's full
run (every test, every failing round trip shrunk by hypothesis) took over twenty minutes. The
quick profile stops at the first failing test and reports a failing example as found; the
whole run works within a time budget, after which the child is stopped. ``full=True`` runs
every test and shrinks, for the complete list. A signal (Ctrl-C, ``kill``) stops the child and
still removes the scratch folder.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from dautu_adapters.conformance.kit import EventStoreConformance
from dautu_core.ports import EventStore

__all__ = [
    "BUDGET_EXCEEDED",
    "CAPABILITIES",
    "DEFAULT_BUDGET_SECONDS",
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

DEFAULT_BUDGET_SECONDS = 600.0
"""How long a run may take before the kit stops it (``dautu check-adapter --budget``)."""
BUDGET_EXCEEDED = 124
"""Exit code of a run stopped at the end of its time budget (as ``timeout(1)`` exits)."""
_STOP_GRACE_SECONDS = 10.0
_POLL_SECONDS = 0.5
_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@attrs.frozen
class Capabilities:
    """Which optional parts of the kit to run (see :class:`EventStoreConformance`)."""

    reopen: bool = True
    processes: bool = True
    checkpoints: bool = True
    one_process: bool = False
    """The backend lets one process at a time open the storage: check that instead of the
    two-process race (see ``EventStoreConformance.one_process_at_a_time``)."""

    def without(self, names: Sequence[str]) -> Capabilities:
        unknown = sorted(set(names) - set(CAPABILITIES))
        if unknown:
            raise ValueError(f"unknown capabilities {unknown}; known: {list(CAPABILITIES)}")
        return attrs.evolve(self, **{name: False for name in names})

    def one_process_at_a_time(self) -> Capabilities:
        """These capabilities for a backend that one process at a time may open."""
        return attrs.evolve(self, processes=False, one_process=True)


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
    one_process_at_a_time = {one_process!r}
    supports_checkpoints = {checkpoints!r}
    max_examples = {max_examples!r}
    shrink = {shrink!r}
'''


def run_conformance(
    url: str,
    *,
    pytest_args: Sequence[str] = (),
    capabilities: Capabilities | None = None,
    max_examples: int = EventStoreConformance.max_examples,
    full: bool = False,
    budget_seconds: float | None = DEFAULT_BUDGET_SECONDS,
    on_start: Callable[[Path], None] | None = None,
) -> int:
    """Run the kit against the store at ``url``; return pytest's exit code (0: all passed).

    ``capabilities`` defaults to :func:`default_capabilities`. The kit writes test records
    under project codes of its own: point it at a scratch store, never at a real record.
    ``pytest_args`` are passed on (``-v``, ``-k reopen``...), after the kit's own.

    Without ``full`` the run stops at the first failing test and does not shrink failing
    hypothesis examples; with it every test runs and failures are shrunk. ``budget_seconds``
    (``None``: no limit) bounds the run: past it the tests are stopped and
    :data:`BUDGET_EXCEEDED` returned. ``on_start`` is called with the scratch folder (the
    generated test module) once signals are handled: a signal stops the tests, removes the
    folder and gives ``128 + signal number``.
    """
    caps = capabilities if capabilities is not None else default_capabilities(url)
    with tempfile.TemporaryDirectory(prefix="dautu-check-adapter-") as folder:
        module = Path(folder) / "test_dautu_store_at_url.py"
        module.write_text(
            _MODULE.format(
                url_env=URL_ENV,
                reopen=caps.reopen,
                processes=caps.processes,
                one_process=caps.one_process,
                checkpoints=caps.checkpoints,
                max_examples=max_examples,
                shrink=full,
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
            *([] if full else ["--maxfail=1"]),
            str(module),
            *pytest_args,
        ]
        caught: list[int] = []
        with _forwarding_signals(caught) as started:
            if on_start is not None:
                on_start(Path(folder))
            child = subprocess.Popen(command, env=env)
            started.append(child)
            if caught:  # a signal came before the child existed
                child.send_signal(caught[0])
            code = _wait(child, budget_seconds, caught)
        return 128 + caught[0] if caught else code


@contextlib.contextmanager
def _forwarding_signals(caught: list[int]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """While the kit runs, a signal is recorded in ``caught`` and passed on to the child
    (yielded list, filled once started) instead of killing this process: the scratch folder
    is then removed by the ``with`` around us. Only the main thread may handle signals."""
    children: list[subprocess.Popen[bytes]] = []
    if threading.current_thread() is not threading.main_thread():
        yield children
        return

    def forward(signum: int, _frame: object) -> None:
        caught.append(signum)
        for child in children:
            with contextlib.suppress(OSError):
                child.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in _SIGNALS}
    try:
        yield children
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait(child: subprocess.Popen[bytes], budget: float | None, caught: list[int]) -> int:
    """The child's exit code; stopped (and :data:`BUDGET_EXCEEDED`) past ``budget`` seconds,
    killed if it outlives a signal by :data:`_STOP_GRACE_SECONDS`."""
    end = None if budget is None else time.monotonic() + budget
    stop_by: float | None = None
    while True:
        try:
            return child.wait(timeout=_POLL_SECONDS)
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if caught and stop_by is None:
                stop_by = now + _STOP_GRACE_SECONDS
            if stop_by is not None and now > stop_by:
                child.kill()
            if end is not None and now > end:
                _stop(child)
                return BUDGET_EXCEEDED


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Terminate the child, then kill it if it has not gone within the grace period."""
    child.terminate()
    try:
        child.wait(timeout=_STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
