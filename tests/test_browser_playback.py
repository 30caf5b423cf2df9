"""The MP4 plays in a real browser, from the first bytes, and its narration decodes: headless Chromium.

"Web-ready" is a claim about browsers, so a browser checks it. The page
reports what the ``<video>`` element saw (metadata, readiness, caption cues)
into the DOM, which Chromium dumps. The faststart check serves only the
file's head, everything before the first frame's data, as a slow connection
would deliver it first: with the index (``moov``) in front the browser already
knows the duration and size; ManimCE's own layout (index at the end) gives it
nothing to go on.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from lecture.render.pipeline import render_scene
from tests.chromium import HEADLESS_FLAGS
from tests.chromium import chromium_path as chromium
from tests.test_render_e2e import CAPTIONS, tiny_job

CHROMIUM_FLAGS = [
    *HEADLESS_FLAGS,
    "--virtual-time-budget=8000",
    "--dump-dom",
]

PAGE = """<!doctype html><html><body>
<video id="v" src="{src}" muted preload="auto">
<track kind="captions" src="{vtt}" srclang="en" default></video>
<pre id="out">no event</pre>
<script>
const v = document.getElementById("v"), out = document.getElementById("out");
v.addEventListener("loadedmetadata", () => {{
  out.textContent = `metadata duration=${{v.duration.toFixed(3)}} size=${{v.videoWidth}}x${{v.videoHeight}}`;
}});
v.addEventListener("canplay", () => {{
  const cues = v.textTracks[0].cues;
  out.textContent += ` canplay cues=${{cues ? cues.length : 0}}`;
}});
v.addEventListener("error", () => {{ out.textContent = `error ${{v.error.code}}`; }});
</script></body></html>
"""


#: Chromium's own decoder reads the narrated MP4's audio track (Web Audio's decodeAudioData) and
#: reports its length and level; a missing or undecodable track reports an error instead.
#: Decoding runs off the page's thread, so headless Chromium's virtual time would run out (and the
#: page be dumped) before it ends; virtual time stands still while a fetch is pending, so the page
#: keeps one open (``/wait`` answers after 0.2 s) until the decoder is done, for 60 s at most.
AUDIO_PAGE = """<!doctype html><html><body><pre id="out">no event</pre>
<script>
const out = document.getElementById("out");
let done = false;
fetch("{src}").then(r => r.arrayBuffer())
  .then(b => new OfflineAudioContext(1, 48000, 48000).decodeAudioData(b))
  .then(a => {{
    const d = a.getChannelData(0); let energy = 0;
    for (const x of d) energy += x * x;
    const rms = Math.sqrt(energy / d.length);
    out.textContent = `audio duration=${{a.duration.toFixed(2)}} rms=${{rms.toFixed(4)}}`;
  }}).catch(e => {{ out.textContent = `error ${{e}}`; }}).finally(() => {{ done = true; }});
(async () => {{ for (let i = 0; i < 300 && !done; i++) await fetch(`wait?${{i}}`); }})();
</script></body></html>
"""


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 (a free port), and its base URL."""
    with tempfile.TemporaryDirectory() as folder:
        handler = functools.partial(_QuietHandler, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Path(folder), f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/wait"):  # answers after a moment: see AUDIO_PAGE
            time.sleep(0.2)
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny scene's web-ready MP4 folder, rendered through the real pipeline at -q l."""
    output = tmp_path_factory.mktemp("browser")
    result = render_scene(tiny_job(output))
    assert result.ok, result.error
    return output / "480p15"


def what_the_browser_saw(
    site: tuple[Path, str], video: str, vtt: str = "captions.vtt", template: str = PAGE
) -> str:
    folder, base = site
    page = folder / f"{video}.html"
    page.write_text(template.format(src=video, vtt=vtt), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"{base}/{page.name}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    found = re.search(r'<pre id="out">([^<]*)</pre>', done.stdout)
    assert found, f"no page in Chromium's output: {done.stdout[-500:]} {done.stderr[-1500:]}"
    return found.group(1)


def head_before_frames(mp4: Path) -> bytes:
    """The file's bytes up to the first byte of ``mdat`` (the coded frames)."""
    data = mp4.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"mdat":
            return data[:offset]
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        offset += size
    raise AssertionError(f"{mp4} has no mdat box")


def index_last_copy(mp4: Path, target: Path) -> None:
    """Remux ``mp4`` packet for packet the way ManimCE writes it: index (moov) after the frames."""
    with av.open(str(mp4)) as source, av.open(str(target), "w") as out:
        stream = out.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)


@pytest.mark.slow
def test_chromium_plays_the_mp4_with_its_captions(site: tuple[Path, str], rendered: Path) -> None:
    folder, _ = site
    shutil.copy(rendered / "TinyScene.mp4", folder / "full.mp4")
    shutil.copy(rendered / "TinyScene.vtt", folder / "captions.vtt")
    with av.open(str(rendered / "TinyScene.mp4")) as container:
        stream = container.streams.video[0]
        duration = float(stream.duration * stream.time_base)

    saw = what_the_browser_saw(site, "full.mp4")

    assert saw == f"metadata duration={duration:.3f} size=854x480 canplay cues={len(CAPTIONS)}"


@pytest.mark.slow
def test_chromium_knows_the_video_from_its_head_alone_only_with_faststart(
    site: tuple[Path, str], rendered: Path
) -> None:
    folder, _ = site
    ours = rendered / "TinyScene.mp4"
    head = head_before_frames(ours)
    (folder / "head.mp4").write_bytes(head)
    index_last_copy(ours, folder / "index_last.mp4")
    # The same number of bytes from the front of ManimCE's layout: frames, no index.
    (folder / "index_last_head.mp4").write_bytes((folder / "index_last.mp4").read_bytes()[: len(head)])

    with av.open(str(ours)) as container:
        stream = container.streams.video[0]
        duration = float(stream.duration * stream.time_base)

    assert what_the_browser_saw(site, "head.mp4").startswith(f"metadata duration={duration:.3f} size=854x480")
    assert not what_the_browser_saw(site, "index_last_head.mp4").startswith("metadata")


@pytest.mark.slow
def test_chromium_decodes_the_narration_of_a_narrated_mp4(
    site: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    output = tmp_path_factory.mktemp("narrated")
    job = tiny_job(output, scene="NarratedScene", module="tests.narrated_scene")
    result = render_scene(job)
    assert result.ok, result.detail or result.error
    folder, _ = site
    shutil.copy(output / "480p15" / "NarratedScene.mp4", folder / "narrated.mp4")

    saw = what_the_browser_saw(site, "narrated.mp4", template=AUDIO_PAGE)

    found = re.fullmatch(r"audio duration=([\d.]+) rms=([\d.]+)", saw)
    assert found, saw
    assert float(found[1]) == pytest.approx(result.duration_s, abs=0.1)
    assert float(found[2]) > 0.01, "the browser decoded silence"
