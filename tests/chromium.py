"""Drive headless Chromium from a test: one page, JavaScript evaluated in it, over a pipe.

``--dump-dom`` shows a page once; a page that changes by itself (the
``--watch`` preview) needs a browser that stays open while the test edits a
file. Chromium speaks the DevTools protocol over file descriptors 3 and 4 with
``--remote-debugging-pipe`` (JSON messages ending in a NUL byte), so the
standard library is enough: no websocket client, no driver.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

#: Headless, and quiet on this machine's closed network (without the background-networking flags
#: Chromium's own connections are refused, many at a time).
HEADLESS_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FLAGS = [*HEADLESS_FLAGS, "--remote-debugging-pipe"]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make setup` installs it")
        pytest.skip("no chromium here (make setup installs it on Debian/Ubuntu)")
    return found


def _above_nine(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Browser:
    """Headless Chromium with one page open at ``url``; :meth:`evaluate` runs JavaScript in it."""

    def __init__(self, url: str, *, flags: tuple[str, ...] = ()) -> None:
        self._profile = tempfile.TemporaryDirectory()
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Chromium's ends above 9, so moving them to 3 and 4 cannot close one of them.
        to_browser_r, from_browser_w = (_above_nine(fd) for fd in (to_browser_r, from_browser_w))
        # Chromium reads commands on fd 3 and writes replies on fd 4: move the pipe ends there
        # (bash, not sh: dash's redirections take only one-digit descriptors).
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        self.process = subprocess.Popen(
            [
                "bash",
                "-c",
                script,
                chromium_path(),
                *FLAGS,
                *flags,
                f"--user-data-dir={self._profile.name}",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._replies: queue.Queue[dict[str, Any]] = queue.Queue()
        #: Every event the browser has sent, in order.
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        target = self._call("Target.createTarget", {"url": url})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                reply = json.loads(message)
                if "method" in reply:  # an event (e.g. Network.requestWillBeSent, once Network is enabled)
                    self.events.append(reply)
                self._replies.put(reply)

    def _call(self, method: str, params: dict[str, Any], session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            reply = self._replies.get(timeout=30)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]  # type: ignore[no-any-return]
        raise TimeoutError(method)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        result = self._call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self._session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A DevTools command for the page (e.g. ``Network.enable``, ``Page.navigate``)."""
        return self._call(method, params or {}, self._session)

    def press(self, key: str, code: str, key_code: int) -> None:
        """Press and release a key as the user would (a trusted event: it may start playback)."""
        for kind in ("keyDown", "keyUp"):
            params: dict[str, Any] = {"type": kind, "key": key, "code": code}
            params["windowsVirtualKeyCode"] = key_code
            if kind == "keyDown" and len(key) == 1:
                params["text"] = key
            self._call("Input.dispatchKeyEvent", params, self._session)

    def click(self, selector: str) -> None:
        """Click the centre of the first element ``selector`` matches with the mouse (a trusted click)."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView();"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            event = {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}
            self._call("Input.dispatchMouseEvent", event, self._session)

    def screenshot(self, path: str, width: int = 1280, height: int = 800) -> None:
        """Save a PNG of the page at ``width`` x ``height`` CSS pixels."""
        import base64

        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self._call("Emulation.setDeviceMetricsOverride", metrics, self._session)
        data = self._call("Page.captureScreenshot", {"format": "png"}, self._session)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def wait_for(self, expression: str, until: Callable[[Any], bool], timeout: float) -> Any:
        """Evaluate ``expression`` every 0.2 s until ``until(value)``; the last value either way."""
        deadline = time.monotonic() + timeout
        value = self.evaluate(expression)
        while not until(value) and time.monotonic() < deadline:
            time.sleep(0.2)
            value = self.evaluate(expression)
        return value

    def close(self) -> None:
        try:
            self._call("Browser.close", {})
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        self._reader.join(timeout=5)  # it ends when Chromium's end of the pipe closes
        os.close(self._from_browser)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
