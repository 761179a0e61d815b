"""Headless Chromium driven through the DevTools protocol on a pipe (no network, no port).

Not a test module: :func:`open_page` loads a local file and returns what a person's browser
would show — the rendered DOM, a PNG screenshot, the page's height and how long it took to
reach its load event — and what it complained about: console
errors, uncaught exceptions, failed resource loads (``Runtime`` and ``Log`` domains).
Chromium's own start-up noise on stderr (dbus, GPU) is never read.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--remote-debugging-pipe")
TIMEOUT = 60.0


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Page:
    dom: str
    png: bytes
    problems: list[str] = field(default_factory=list)
    height: int = 0              # document.body.scrollHeight, CSS pixels
    load_seconds: float = 0.0    # from navigating to the load event


class _Pipe:
    """JSON messages separated by NUL bytes, as Chromium's --remote-debugging-pipe speaks."""

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self.out, self.inp, self.buffer, self.next_id, self.events = to_browser, from_browser, b"", 0, []

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            if not select.select([self.inp], [], [], TIMEOUT)[0]:
                raise TimeoutError(f"chromium did not answer within {TIMEOUT:g} s")
            chunk = os.read(self.inp, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while (reply := self._read()).get("id") != self.next_id:
            self.events.append(reply)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})  # type: ignore[no-any-return]

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read())


def _problems(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for e in events:
        params = e.get("params", {})
        if e.get("method") == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif e.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
        elif e.get("method") == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
    return found


def _session(pipe: _Pipe, path: Path, width: int, height: int) -> Page:
    target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
    session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
        pipe.call(domain, session)
    pipe.call("Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=1,
              mobile=False)
    start = time.perf_counter()
    pipe.call("Page.navigate", session, url=path.resolve().as_uri())
    pipe.wait_for("Page.loadEventFired")
    load_seconds = time.perf_counter() - start
    dom = pipe.call("Runtime.evaluate", session, expression="document.documentElement.outerHTML")["result"]["value"]
    height = pipe.call("Runtime.evaluate", session, expression="document.body.scrollHeight")["result"]["value"]
    png = base64.b64decode(pipe.call("Page.captureScreenshot", session, format="png")["data"])
    return Page(dom, png, _problems(pipe.events), int(height), load_seconds)


def open_page(path: Path, width: int = 1280, height: int = 2400) -> Page:
    """Load ``path`` in a fresh headless Chromium; its DOM, a screenshot and its errors."""
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    to_read, to_browser = os.pipe()
    from_browser, to_write = os.pipe()
    with tempfile.TemporaryDirectory(prefix="ictgraph-chromium-") as profile:
        process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   pass_fds=(3, 4, to_read, to_write), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL,
                                   preexec_fn=lambda: (os.dup2(to_read, 3), os.dup2(to_write, 4)))
        os.close(to_read)
        os.close(to_write)
        pipe = _Pipe(to_browser, from_browser)
        try:
            return _session(pipe, path, width, height)
        finally:
            try:
                pipe.call("Browser.close")
            except (EOFError, OSError, RuntimeError):
                pass
            os.close(to_browser)
            os.close(from_browser)
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
