"""``render.py --watch``: the preview server's state and files, the save detection, and the real loop.

The last test is the whole thing as an author meets it: the CLI watching a
temporary copy of the project, headless Chromium showing the preview page,
a scene file edited on disk; the page must show the new frame by itself,
then a render's error while keeping the last good frame, and Ctrl-C must end
it cleanly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from lecture.preview.watch import Preview, PreviewServer, _Changes, watched_folders
from tests.chromium import Browser
from tests.framecheck import seed_caches

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class FakeJob:
    scene: str
    mode: str = "still"
    module: str = "scenes.steepness_sweep"


@dataclass
class FakeResult:
    scene: str
    ok: bool
    files: tuple[Path, ...] = ()
    error: str = ""
    detail: str = ""
    render_s: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Preview, str]]:
    preview = Preview([FakeJob("A"), FakeJob("B", mode="video")], tmp_path)
    server = PreviewServer(0, preview, long_poll_s=0.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield preview, server.url
    finally:
        server.shutdown()
        server.server_close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_status_reports_results_and_a_failure_keeps_the_last_good_files(
    served: tuple[Preview, str], tmp_path: Path
) -> None:
    preview, url = served
    (tmp_path / "480p15").mkdir()
    still = tmp_path / "480p15" / "A.png"
    still.write_bytes(b"png")
    video = [tmp_path / "480p15" / f"B.{ext}" for ext in ("mp4", "png", "vtt")]
    preview.finished([FakeResult("A", True, (still,)), FakeResult("B", True, tuple(video))], wall_s=2.5)
    status = json.loads(get(url + "status.json?after=-1")[1])
    a, b = status["scenes"]
    assert a["state"] == "ok" and a["files"] == {"still": "/out/480p15/A.png"} and a["render_s"] == 2.5
    assert b["files"] == {
        "video": "/out/480p15/B.mp4",
        "poster": "/out/480p15/B.png",
        "captions": "/out/480p15/B.vtt",
    }
    good = a["good_generation"]

    preview.finished(
        [FakeResult("A", False, error="NameError: name 'x' is not defined", detail="Traceback…")], wall_s=1.0
    )
    status = json.loads(get(url + f"status.json?after={status['generation']}")[1])
    a = status["scenes"][0]
    assert a["state"] == "error" and a["error"].startswith("NameError")
    assert a["files"] == {"still": "/out/480p15/A.png"} and a["good_generation"] == good
    assert get(url + "out/480p15/A.png") == (200, b"png")


def test_status_waits_for_a_newer_result_and_answers_when_it_lands(served: tuple[Preview, str]) -> None:
    preview, url = served
    now = json.loads(get(url + "status.json?after=-1")[1])["generation"]
    # Nothing new: after the long-poll window the same generation comes back.
    assert json.loads(get(url + f"status.json?after={now}")[1])["generation"] == now
    threading.Timer(0.1, preview.rendering).start()
    assert json.loads(get(url + f"status.json?after={now}")[1])["generation"] == now + 1


def test_only_the_output_folder_is_served(served: tuple[Preview, str], tmp_path: Path) -> None:
    _, url = served
    (tmp_path.parent / "secret.txt").write_text("no")
    assert get(url + "out/../secret.txt")[0] == 404
    assert get(url + "out/%2e%2e/secret.txt")[0] == 404
    assert get(url + "nothing-here")[0] == 404
    status, page = get(url)
    assert status == 200 and b"/status.json" in page


def request(url: str, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """``GET path`` from the server at ``url`` with ``Host: host`` (default: the URL's own), as sent."""
    import http.client

    split = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host if host is not None else split.netloc)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_page_from_another_host_is_refused_dns_rebinding(
    served: tuple[Preview, str], tmp_path: Path
) -> None:
    """A page whose domain was rebound to 127.0.0.1 sends its own Host: it is refused, and no CORS
    header lets any other page read an answer."""
    preview, url = served
    port = urllib.parse.urlsplit(url).port
    (tmp_path / "clip.mp4").write_bytes(b"video")
    preview.finished([FakeResult("A", False, error="E", detail="Traceback: /home/author/secret.py")], 1.0)
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", ""):
        for path in ("/", "/status.json", "/out/clip.mp4"):
            status, headers, body = request(url, path, host)
            assert status == 403, (host, path)
            assert b"secret.py" not in body and b"video" != body
            assert "access-control-allow-origin" not in headers
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        status, headers, body = request(url, "/out/clip.mp4", host)
        assert (status, body) == (200, b"video"), host
        assert "access-control-allow-origin" not in headers
    status, headers, body = request(url, "/status.json")
    assert status == 200 and b"secret.py" in body and "access-control-allow-origin" not in headers


@pytest.mark.parametrize("path", ["/out/a%00b", "/out/%00", "/out/" + "n" * 5000, "/out/" + "n" * 300 + "/x"])
def test_a_nul_byte_or_an_overlong_name_is_a_4xx_without_a_traceback(
    served: tuple[Preview, str], capfd: pytest.CaptureFixture[str], path: str
) -> None:
    _, url = served
    status, _, _ = request(url, path)
    assert 400 <= status < 500
    assert request(url, "/")[0] == 200, "the server still answers"
    assert "Traceback" not in capfd.readouterr().err


def test_saves_of_code_and_config_count_and_caches_do_not(tmp_path: Path) -> None:
    from watchdog.events import FileModifiedEvent

    changes = _Changes()
    for ignored in ("scenes/__pycache__/x.cpython-311.pyc", "scenes/.x.py.swp", "media/out.mp4"):
        changes.on_any_event(FileModifiedEvent(str(tmp_path / ignored)))
    assert not changes.event.is_set()
    changes.on_any_event(FileModifiedEvent(str(tmp_path / "scenes" / "steepness_sweep.py")))
    changes.on_any_event(FileModifiedEvent(str(tmp_path / "config" / "themes.toml")))
    assert changes.wait_quiet(0.05) == [str(tmp_path / "config" / "themes.toml")]
    assert not changes.event.is_set()


def test_watched_folders_are_the_projects_and_the_scene_modules() -> None:
    folders = watched_folders(ROOT, ["tests.tiny_scene", "scenes.steepness_sweep"])
    assert folders == [ROOT / "scenes", ROOT / "lecture", ROOT / "config", ROOT / "tests"]


# --- the command line ------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--watch", "--dry-run"],
            "Error: --watch shows what was rendered; it cannot be combined with --dry-run.",
        ),
        (["--port", "9000"], "Error: --port is the --watch preview page's port; add --watch."),
    ],
)
def test_watch_option_misuse_exits_2(args: list[str], message: str) -> None:
    import render

    result = CliRunner().invoke(render.cli, ["--scene", "SteepnessSweep", "--still", *args])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if line.startswith("Error:")] == [message]


def test_a_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    import render

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            render.cli,
            [
                "--scene",
                "SteepnessSweep",
                "--still",
                "--watch",
                "--port",
                str(port),
                "--output-dir",
                str(tmp_path),
            ],
        )
    assert result.exit_code == 1, result.output
    assert f"cannot serve the preview on 127.0.0.1:{port}" in result.output
    assert "try another --port" in result.output and "Traceback" not in result.output


# --- the real loop, in a browser -----------------------------------------------
SHOWN = """(() => {
  const img = document.querySelector("#scene-TinyScene .result img");
  const error = document.querySelector("#scene-TinyScene .error");
  const state = document.querySelector("#scene-TinyScene .state");
  if (!img || !img.complete || !img.naturalWidth) {
    return {state: state && state.className, error: error && error.textContent};
  }
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += data[i] + 2 * data[i + 1] + 3 * data[i + 2];
  return {src: img.getAttribute("src"), sum: sum, size: [canvas.width, canvas.height],
          state: state.className, error: error.textContent};
})()"""


def pixel_sum(png: Path) -> int:
    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=np.int64)
    return int((rgb[..., 0] + 2 * rgb[..., 1] + 3 * rgb[..., 2]).sum())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project to edit: the CLI, the library, the scenes, the config and the tiny scene."""
    copy = tmp_path / "project"
    copy.mkdir()
    for part in ("render.py", "scenes", "lecture", "config"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / part)
    (copy / "tests").mkdir()
    for name in ("__init__.py", "tiny_scene.py"):
        shutil.copy2(ROOT / "tests" / name, copy / "tests" / name)
    # The tests' LaTeX, text and speech caches, so the copy does not run LaTeX or the voice again.
    seed_caches(copy / "out")
    return copy


@pytest.mark.slow
def test_the_preview_page_follows_edits_errors_and_stops_on_ctrl_c(project: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.tiny_scene",
            "--scene",
            "TinyScene",
            "--still",
            "-q",
            "l",
            "--output-dir",
            "out",
            "--watch",
            "--port",
            "0",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None
        first_line = watcher.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", first_line)
        assert found, first_line + (watcher.stderr.read() if watcher.poll() is not None else "")  # type: ignore[union-attr]
        url = found.group(0)
        still = project / "out" / "480p15" / "TinyScene.png"
        with Browser(url) as browser:
            before = browser.wait_for(SHOWN, lambda v: bool(v and v.get("sum")), timeout=120)
            assert before.get("sum") == pixel_sum(still), before
            assert "ok" in before["state"]

            # Edit the scene: its last frame's equation changes.
            scene_file = project / "tests" / "tiny_scene.py"
            source = scene_file.read_text()
            edited = source.replace(r"y = \tfrac{1}{2} + \tfrac{x}{8}", r"y = x^2 - 1")
            assert edited != source
            saved_at = time.monotonic()
            scene_file.write_text(edited)
            after = browser.wait_for(
                SHOWN, lambda v: bool(v and v.get("sum") and v["src"] != before["src"]), timeout=120
            )
            seconds = time.monotonic() - saved_at
            print(f"the page showed the edited frame {seconds:.1f} s after the save")
            assert after["sum"] != before["sum"], "the page still shows the old frame"
            assert after["sum"] == pixel_sum(still), "the page does not show the file on disk"
            assert "ok" in after["state"] and after["error"] == ""

            # Break it: the page shows the error and keeps the last good frame.
            scene_file.write_text(
                edited.replace(
                    "        seconds = float(", "        undefined_name()\n        seconds = float(", 1
                )
            )
            broken = browser.wait_for(
                SHOWN, lambda v: bool(v and "error" in (v.get("state") or "")), timeout=120
            )
            assert "NameError" in broken["error"] and "undefined_name" in broken["error"], broken
            assert broken["sum"] == after["sum"] and broken["src"] == after["src"]
            assert browser.evaluate('document.querySelector("#scene-TinyScene .kept").textContent')
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.communicate()
    assert watcher.returncode == 130, err
    assert "Traceback" not in err and "Stopped watching" in err
    assert "TinyScene: ok" in out and "failed: NameError" in out
