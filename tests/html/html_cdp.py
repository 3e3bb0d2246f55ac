"""A small Chrome DevTools Protocol client for the HTML tests: a real headless chromium.

Why CDP and not ``--dump-dom``: the tests must see what the page did while loading (console
messages, exceptions, every network request), click its buttons, and take a screenshot, all
in one browser session. Every wait is bounded: starting the browser, each command's answer
and each awaited event have a deadline, and the browser is killed at the end whatever happens.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import websocket

TIMEOUT = 30.0
"""Seconds allowed for the browser to start, for a command's answer, for an awaited event."""


class BrowserError(AssertionError):
    pass


def find_chromium() -> str | None:
    """``$DAUTU_CHROMIUM``, else ``chromium`` (Debian) or ``chromium-browser`` on PATH."""
    explicit = os.environ.get("DAUTU_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _args(binary: str, profile: Path) -> list[str]:
    args = [
        binary,
        "--headless=new",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--remote-debugging-port=0",
        "--remote-allow-origins=*",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "about:blank",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # chromium refuses to run as root with its sandbox
    return args


class Page:
    """One tab, attached with a flat session; events are kept in ``self.events``."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session)

    def wait_for(self, method: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.browser.wait_for(self, method, timeout)

    def evaluate(self, expression: str) -> Any:
        answer = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression!r} raised {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def open(self, path: Path) -> str:
        """Load a file and wait for its load event; returns its URL."""
        url = path.resolve().as_uri()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        return url

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and browser log errors seen."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "warning",
                "assert",
            ):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url')}")
        return found

    def requests(self) -> list[str]:
        """Every URL the page asked for (``Network.requestWillBeSent``)."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]


class Browser:
    """A headless chromium driven over its DevTools websocket."""

    def __init__(self, socket: websocket.WebSocket) -> None:
        self.socket = socket
        self.next_id = 0
        self.pages: dict[str, Page] = {}

    def _receive(self, deadline: float) -> dict[str, Any]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError("the browser did not answer in time")
        self.socket.settimeout(left)
        try:
            message: dict[str, Any] = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            raise BrowserError("the browser did not answer in time") from None
        session = message.get("sessionId")
        if "method" in message and session in self.pages:
            self.pages[session].events.append(message)
        return message

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        message: dict[str, Any] = {"id": wanted, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == wanted:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def wait_for(self, page: Page, method: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next ``method`` event of ``page`` (one already received counts)."""
        seen = len(page.events)
        for event in page.events:
            if event["method"] == method and event.get("_taken") is None:
                event["_taken"] = True
                return event
        deadline = time.monotonic() + timeout
        while True:
            self._receive(deadline)
            for event in page.events[seen:]:
                if event["method"] == method and event.get("_taken") is None:
                    event["_taken"] = True
                    return event
            seen = len(page.events)

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        self.pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        return page

    def close_page(self, page: Page) -> None:
        self.pages.pop(page.session, None)


def _endpoint(process: subprocess.Popen[str], deadline: float) -> str:
    """The ``ws://`` URL chromium prints on stderr once it listens (read by a thread, so the
    wait is bounded even if chromium prints nothing)."""
    lines: queue.Queue[str | None] = queue.Queue()
    stderr = process.stderr
    assert stderr is not None

    def pump() -> None:
        for line in stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError(f"chromium did not start in time: {''.join(seen[-20:])}")
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            continue
        if line is None:
            raise BrowserError(f"chromium exited: {''.join(seen[-20:])}")
        seen.append(line)
        if "DevTools listening on " in line:
            return line.split("DevTools listening on ", 1)[1].strip()


@contextmanager
def chromium(binary: str, profile: Path) -> Iterator[Browser]:
    """A headless chromium for the duration of the block; killed afterwards."""
    process = subprocess.Popen(
        _args(binary, profile),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    socket = None
    try:
        url = _endpoint(process, time.monotonic() + TIMEOUT)
        socket = websocket.create_connection(url, timeout=TIMEOUT, suppress_origin=True)
        yield Browser(socket)
    finally:
        if socket is not None:
            socket.close()
        # The browser's helpers (renderer, zygote) share its process group: end them all.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
