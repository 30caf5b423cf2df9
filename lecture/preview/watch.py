"""``render.py --watch``: re-render on save and show the latest result on a local preview page.

:func:`watch` renders the jobs, then waits for a file under the watched
folders (``scenes/``, ``lecture/``, ``config/`` and each scene module's own
folder) to be saved; once the saves stop for :data:`DEBOUNCE_S` it renders
again. Each render runs in fresh worker processes (one per scene), so
edited code is always the code that runs; render.py keeps one spare worker
ready with ManimCE imported (:func:`lecture.render.pipeline.spare_workers`), used
unless a project file it had loaded was saved since.

A small HTTP server on ``127.0.0.1`` serves the page (``preview.html``, next
to this module), ``/status.json`` and the output folder under ``/out/``, and
only to requests addressed to it by a loopback name (:func:`loopback_hosts`):
a web page whose domain was rebound to 127.0.0.1 (DNS rebinding) sends its
own domain as ``Host`` and is refused, so it cannot read the output folder or
the tracebacks in ``/status.json``. No CORS header is sent either. The
page long-polls ``/status.json?after=<generation>``: the server answers as
soon as a newer result lands (or after :data:`LONG_POLL_S` with the same
one), so the page updates itself within a moment of a render finishing. A
failed render shows its error and keeps the last good result: the pipeline
replaces a scene's files only when its render succeeds.

Nothing here imports manim; the rendering is the ``render`` callable passed in.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import mimetypes
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

__all__ = [
    "DEBOUNCE_S",
    "LONG_POLL_S",
    "Preview",
    "PreviewServer",
    "loopback_hosts",
    "watch",
    "watched_folders",
]

#: Saves closer together than this are one change (editors write a file in several steps).
DEBOUNCE_S = 0.3
#: How long ``/status.json?after=N`` waits for a newer result before answering with the same one.
LONG_POLL_S = 20.0
#: Files whose saving triggers a render; the rest (caches, editor swap files) are ignored.
WATCHED_SUFFIXES = (".py", ".toml", ".cfg", ".tex", ".html")
PAGE = Path(__file__).with_name("preview.html")

#: ``render(jobs) -> results``; a result has scene, ok, files, error, detail and render_s.
Render = Callable[[Sequence[Any]], Sequence[Any]]


# --- what the page shows -----------------------------------------------------
@dataclass
class SceneStatus:
    """One scene's latest render, and its last good result."""

    scene: str
    mode: str
    state: str = "waiting"  # waiting, rendering, ok, error
    error: str = ""
    detail: str = ""
    render_s: float = 0.0
    finished_at: str = ""
    files: dict[str, str] = field(default_factory=dict)  # still/storyboard/video/captions/poster -> URL path
    good_generation: int = 0  # generation of the files shown, for cache-busting their URLs


class Preview:
    """State shared by the render loop and the server threads; every change bumps ``generation``."""

    def __init__(self, jobs: Sequence[Any], output_dir: Path) -> None:
        self.output_dir = output_dir
        self.generation = 0
        self.changed = threading.Condition()
        self.scenes = {job.scene: SceneStatus(job.scene, job.mode) for job in jobs}

    def _bump(self) -> None:
        self.generation += 1
        self.changed.notify_all()

    def rendering(self) -> None:
        with self.changed:
            for status in self.scenes.values():
                status.state = "rendering"
            self._bump()

    def finished(self, results: Iterable[Any], wall_s: float) -> None:
        """Record a render's results; ``wall_s`` is how long the author waited for them."""
        with self.changed:
            self.generation += 1
            for result in results:
                status = self.scenes[result.scene]
                status.render_s = round(wall_s, 2)
                status.finished_at = time.strftime("%H:%M:%S")
                if result.ok:
                    status.state, status.error, status.detail = "ok", "", ""
                    status.files = self._urls(result.files, status.mode)
                    status.good_generation = self.generation
                else:  # keep the last good files: the pipeline did not replace them
                    status.state, status.error, status.detail = "error", result.error, result.detail
            self.changed.notify_all()

    def _urls(self, files: Iterable[Path], mode: str) -> dict[str, str]:
        """URL paths of a result's files by role: still, storyboard, or video with captions and poster."""
        urls: dict[str, str] = {}
        for path in files:
            try:
                relative = Path(path).resolve().relative_to(self.output_dir.resolve()).as_posix()
            except ValueError:
                continue
            if relative.endswith(".vtt"):
                role = "captions"
            elif relative.endswith(".png"):
                role = mode if mode in ("still", "storyboard") else "poster"
            else:
                role = "video"
            urls[role] = "/out/" + urllib.parse.quote(relative)
        return urls

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            return {
                "generation": self.generation,
                "scenes": [vars(status).copy() for status in self.scenes.values()],
            }

    def wait_newer(self, after: int, timeout: float) -> dict[str, Any]:
        """The status once ``generation`` exceeds ``after``, or after ``timeout`` seconds anyway."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation > after, timeout=timeout)
        return self.snapshot()


# --- the server --------------------------------------------------------------
#: The names a browser on this machine uses for the server (``Host`` is compared case-insensitively).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def loopback_hosts(port: int) -> frozenset[str]:
    """The ``Host`` headers the server answers: ``127.0.0.1:<port>``, ``localhost:<port>``, ``[::1]:<port>``.

    Without the port too when it is 80, which a browser leaves out.

    Examples
    --------
    >>> sorted(loopback_hosts(8765))
    ['127.0.0.1:8765', '[::1]:8765', 'localhost:8765']
    """
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    return frozenset(hosts | (set(LOOPBACK_NAMES) if port == 80 else set()))


class PreviewServer(http.server.ThreadingHTTPServer):
    """The page, ``/status.json`` and the output folder, on loopback only, to loopback ``Host`` names only."""

    daemon_threads = True

    def __init__(self, port: int, preview: Preview, long_poll_s: float = LONG_POLL_S) -> None:
        self.preview = preview
        self.long_poll_s = long_poll_s
        super().__init__(("127.0.0.1", port), _Handler)
        self.hosts = loopback_hosts(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on the author's terminal for a request that failed unexpectedly, not a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):  # the page was closed or reloaded mid-answer
            return
        print(f"preview server: a request failed: {type(error).__name__}: {error}", file=sys.stderr)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: Any) -> None:  # the terminal shows renders, not requests
        pass

    def do_GET(self) -> None:
        if (self.headers.get("Host") or "").strip().lower() not in self.server.hosts:
            self.send_error(403, "this preview answers only to 127.0.0.1, localhost and [::1] on its port")
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(PAGE.read_bytes(), "text/html; charset=utf-8")
        elif url.path == "/status.json":
            query = urllib.parse.parse_qs(url.query)
            after = _int(query.get("after", ["-1"])[0], -1)
            status = self.server.preview.wait_newer(after, self.server.long_poll_s)
            self._send(json.dumps(status).encode(), "application/json")
        elif url.path.startswith("/out/"):
            self._send_file(urllib.parse.unquote(url.path[len("/out/") :]))
        else:
            self.send_error(404)

    def _send_file(self, relative: str) -> None:
        if "\0" in relative:  # no file name holds one; the file system calls would raise
            self.send_error(400, "a NUL byte in the path")
            return
        root = self.server.preview.output_dir.resolve()
        try:
            path = (root / relative).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise FileNotFoundError(relative)
            body = path.read_bytes()
        except OSError:  # missing, a name too long, unreadable, or gone meanwhile
            self.send_error(404)
            return
        kind = "text/vtt" if path.suffix == ".vtt" else mimetypes.guess_type(path.name)[0]
        self._send(body, kind or "application/octet-stream")

    def _send(self, body: bytes, content_type: str) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page was closed or reloaded
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


# --- watching files ----------------------------------------------------------
class _Changes(FileSystemEventHandler):
    """Remembers when a watched file was last saved."""

    def __init__(self) -> None:
        self.last = 0.0
        self.paths: list[str] = []
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        relevant = [p for p in paths if p.endswith(WATCHED_SUFFIXES) and "__pycache__" not in p]
        if relevant:
            self.paths = relevant
            self.last = time.monotonic()
            self.event.set()

    def wait_quiet(self, quiet_s: float, poll_s: float = 0.1) -> list[str]:
        """Block until something was saved and then nothing for ``quiet_s``; return what was saved."""
        while not self.event.wait(poll_s):  # a timeout keeps Ctrl-C responsive
            pass
        while time.monotonic() - self.last < quiet_s:
            time.sleep(poll_s / 2)
        self.event.clear()
        return self.paths


def watched_folders(project_root: Path, modules: Iterable[str]) -> list[Path]:
    """``scenes/``, ``lecture/``, ``config/`` and the folder of each scene module, if they exist."""
    import importlib.util

    folders = [project_root / name for name in ("scenes", "lecture", "config")]
    for module in modules:
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    unique: list[Path] = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in unique:
            unique.append(folder.resolve())
    return unique


def watch(
    jobs: Sequence[Any],
    render: Render,
    *,
    output_dir: Path,
    folders: Sequence[Path],
    port: int,
    echo: Callable[[str], None] = print,
    debounce_s: float = DEBOUNCE_S,
) -> None:
    """Render ``jobs``, serve the preview, and render again on every save, until Ctrl-C.

    Raises ``OSError`` if the port cannot be bound, and lets ``KeyboardInterrupt``
    through once everything (server, file watcher) is stopped.
    """
    preview = Preview(jobs, output_dir)
    server = PreviewServer(port, preview)
    serving = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    serving.start()
    changes = _Changes()
    observer = Observer()
    for folder in folders:
        observer.schedule(changes, str(folder), recursive=True)
    observer.start()
    names = ", ".join(job.scene for job in jobs)
    echo(f"Preview of {names}: {server.url}")
    echo(f"Watching {', '.join(_short(f) for f in folders)} for saves; Ctrl-C stops.")
    try:
        saved: list[str] = []
        while True:
            if saved:
                echo(f"{time.strftime('%H:%M:%S')} saved {', '.join(_short(Path(p)) for p in saved)}")
            preview.rendering()
            started = time.monotonic()
            results = render(jobs)
            wall_s = time.monotonic() - started
            preview.finished(results, wall_s)
            for result in results:
                what = "ok" if result.ok else f"failed: {result.error}"
                echo(f"{time.strftime('%H:%M:%S')} {result.scene}: {what} ({wall_s:.1f} s)")
            saved = changes.wait_quiet(debounce_s)
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
        with contextlib.suppress(RuntimeError):
            observer.join(timeout=5)


def _short(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return str(path)
