"""Real renders, small and quick: a two-second scene at -q l, checked the way a browser would.

The end-to-end test goes through the real CLI and worker processes; the
others call :func:`lecture.render.pipeline.render_scene` in-process (no process
start-up) or run ``render.py`` in a subprocess to interrupt it. All use
``tests.tiny_scene``, so they do not depend on the lecture's big scenes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import render
import scenes
from lecture.publish.outputs import Staging, captions_to_vtt, mp4_top_level_boxes, probe_video, sha256_file
from lecture.publish.storyboard import Caption
from lecture.publish.transaction import (
    MANIFEST_NAME,
    ManifestEntry,
    Publication,
    check_manifest,
    manifest_lock,
    read_manifest,
    sweep_stale,
)
from lecture.render import manim_run, pipeline
from lecture.render.freshness import source_hash
from lecture.render.pipeline import RenderJob, render_many, render_scene
from lecture.settings.render_config import load_render_settings, quality
from tests.tiny_scene import registry_entries

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_render_settings()
CAPTIONS = ["Here are the axes.", "A line rises across them.", "And its equation."]


@pytest.fixture
def tiny_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    for info in registry_entries():
        monkeypatch.setitem(scenes.SCENES, info.name, info)


def tiny_job(output_dir: Path, **changes: Any) -> RenderJob:
    fields: dict[str, Any] = {
        "scene": "TinyScene",
        "module": "tests.tiny_scene",
        "quality": quality("l"),
        "format": "mp4",
        "theme": "dark",
        "output_dir": output_dir,
        "mode": "video",
        "verbosity": "ERROR",
        "gif": SETTINGS.gif,
        "storyboard": SETTINGS.storyboard,
    }
    return RenderJob(**(fields | changes))


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """A strict little WebVTT reader: header, then numbered cues ``hh:mm:ss.mmm --> hh:mm:ss.mmm``."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    stamp = r"(\d\d):(\d\d):(\d\d)\.(\d\d\d)"
    cues = []
    for number, block in enumerate(blocks[1:], start=1):
        index, timing, *lines = block.split("\n")
        assert index == str(number)
        match = re.fullmatch(f"{stamp} --> {stamp}", timing)
        assert match, timing
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start, end = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000, h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        cues.append((start, end, "\n".join(lines)))
    return cues


def leftovers(output_dir: Path) -> list[Path]:
    """Temporary files and working folders a render should not leave behind."""
    temps = [p for p in output_dir.rglob(".*.tmp")]
    work = list((output_dir / "cache").glob("work-*")) if (output_dir / "cache").exists() else []
    return temps + work


def decoded_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


# --- the whole path, through the CLI --------------------------------------------
@pytest.mark.slow
def test_cli_end_to_end_web_ready_mp4_poster_captions_manifest(tiny_registry: None, tmp_path: Path) -> None:
    # BrokenScene fails mid-way; TinyScene must still be rendered, and the exit code is 1.
    result = CliRunner().invoke(
        render.cli,
        ["--scene", "TinyScene", "--scene", "BrokenScene", "-q", "l", "--output-dir", str(tmp_path)],
    )
    assert result.exit_code == 1, result.output
    assert "1 of 2 scene(s) failed: BrokenScene" in result.stderr
    assert "BrokenScene: RuntimeError: BrokenScene fails on purpose" in result.stderr
    assert re.search(r"TinyScene\s+│\s+2\.1 s\s+│\s+\S+/480p15/TinyScene\.mp4", result.stdout), result.stdout

    folder = tmp_path / "480p15"
    mp4, poster, vtt = folder / "TinyScene.mp4", folder / "TinyScene.png", folder / "TinyScene.vtt"
    assert sorted(p.name for p in folder.iterdir()) == ["TinyScene.mp4", "TinyScene.png", "TinyScene.vtt"]
    assert leftovers(tmp_path) == []

    # Web-ready: H.264, yuv420p, even size, index (moov) before the frames (mdat)
    with av.open(str(mp4)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        duration = float(stream.duration * stream.time_base)
    boxes = mp4_top_level_boxes(mp4)
    assert boxes.index("moov") < boxes.index("mdat")
    frames = decoded_frames(mp4)

    # The manifest describes exactly this file
    entry = json.loads((tmp_path / MANIFEST_NAME).read_text())["entries"]["480p15/TinyScene.mp4"]
    assert entry["file"] == "480p15/TinyScene.mp4"
    assert (entry["scene"], entry["format"], entry["quality"], entry["label"]) == (
        "TinyScene",
        "mp4",
        "low",
        "480p15",
    )
    assert (entry["resolution"], entry["fps"]) == ("854x480", 15.0)
    assert entry["frames"] == len(frames)
    assert entry["duration_s"] == pytest.approx(duration, abs=1e-3)
    assert entry["duration_s"] == pytest.approx(len(frames) / 15, abs=1e-3)
    assert entry["size_bytes"] == mp4.stat().st_size
    assert entry["sha256"] == sha256_file(mp4)
    assert entry["source_hash"] == source_hash("tests.tiny_scene")
    assert entry["poster"] == {
        "file": "480p15/TinyScene.png",
        "size_bytes": poster.stat().st_size,
        "sha256": sha256_file(poster),
    }
    assert entry["captions"] == {
        "file": "480p15/TinyScene.vtt",
        "size_bytes": vtt.stat().st_size,
        "sha256": sha256_file(vtt),
    }
    assert check_manifest(tmp_path) == []

    # The poster decodes and is the last frame (the video's, up to compression)
    with Image.open(poster) as image:
        image.load()
        assert image.size == (854, 480)
        still = np.asarray(image.convert("RGB"), dtype=float)
    assert np.abs(still - frames[-1]).mean() < 4

    # The captions parse, carry the narration, and lie inside the video
    cues = parse_vtt(vtt.read_text(encoding="utf-8"))
    assert [text for _, _, text in cues] == CAPTIONS
    for start, end, _ in cues:
        assert 0 <= start < end <= duration + 1e-3
    assert [c[0] for c in cues] == sorted(c[0] for c in cues)


# --- other outputs, in-process ----------------------------------------------------
@pytest.mark.slow
def test_gif_is_small_scaled_and_palette_optimised(tmp_path: Path) -> None:
    result = render_scene(tiny_job(tmp_path, format="gif"))
    assert result.ok, result.detail
    gif = tmp_path / "480p15" / "TinyScene.gif"
    assert result.files == (gif, tmp_path / "480p15" / "TinyScene.png")
    info = probe_video(gif)
    assert info.codec == "gif"
    assert info.width == 720 and info.height % 2 == 0
    assert info.duration_s == pytest.approx(2.07, abs=0.1)
    with Image.open(gif) as image:
        assert image.mode == "P"  # one tuned palette
        assert image.n_frames == info.frames
    entry = read_manifest(tmp_path)["entries"]["480p15/TinyScene.gif"]
    assert (entry["format"], entry["fps"], entry["resolution"]) == ("gif", 15, f"720x{info.height}")
    assert "captions" not in entry
    assert gif.stat().st_size < 200_000


@pytest.mark.slow
def test_webm_is_vp9_with_poster_and_captions(tmp_path: Path) -> None:
    result = render_scene(tiny_job(tmp_path, format="webm"))
    assert result.ok, result.detail
    folder = tmp_path / "480p15"
    assert result.files == (folder / "TinyScene.webm", folder / "TinyScene.png", folder / "TinyScene.vtt")
    info = probe_video(folder / "TinyScene.webm")
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("vp9", "yuv420p", 854, 480)
    entry = read_manifest(tmp_path)["entries"]["480p15/TinyScene.webm"]
    assert entry["frames"] == info.frames == result.frames
    assert [c[2] for c in parse_vtt((folder / "TinyScene.vtt").read_text())] == CAPTIONS


def test_still_writes_only_the_last_frame(tmp_path: Path) -> None:
    result = render_scene(tiny_job(tmp_path, mode="still", format="png", quality=quality("m")))
    assert result.ok, result.detail
    png = tmp_path / "720p30" / "TinyScene.png"
    assert result.files == (png,)
    assert sorted(p.name for p in (tmp_path / "720p30").iterdir()) == ["TinyScene.png"]
    with Image.open(png) as image:
        assert image.size == (1280, 720)
    entry = read_manifest(tmp_path)["entries"]["720p30/TinyScene.png"]
    assert (entry["kind"], entry["format"], entry["frames"]) == ("still", "png", 1)
    assert result.duration_s == entry["scene_duration_s"] == pytest.approx(2.0, abs=0.1)  # the scene's length


@pytest.mark.slow
def test_storyboard_is_one_contact_sheet(tmp_path: Path) -> None:
    result = render_scene(tiny_job(tmp_path, mode="storyboard"))
    assert result.ok, result.detail
    sheet = tmp_path / "480p15" / "TinyScene.storyboard.png"
    assert result.files == (sheet,)
    assert sorted(p.name for p in (tmp_path / "480p15").iterdir()) == ["TinyScene.storyboard.png"]
    board = SETTINGS.storyboard
    with Image.open(sheet) as image:
        width, height = image.size
    assert width == board.columns * (board.tile_width + 12) + 12
    assert height > (board.frames // board.columns) * board.tile_width * 9 / 16
    entry = read_manifest(tmp_path)["entries"]["480p15/TinyScene.storyboard.png"]
    assert (entry["kind"], entry["frames"]) == ("storyboard", board.frames)


def test_manifest_source_hash_is_taken_before_the_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It was taken after: a scene edited during a long render was recorded as rendered.
    real_run_manim = pipeline.run_manim

    def edit_during_render(*args: Any, **kwargs: Any) -> Any:
        scene = real_run_manim(*args, **kwargs)
        monkeypatch.setattr(manim_run, "source_hash", lambda module: "edited during the render")
        return scene

    monkeypatch.setattr(pipeline, "run_manim", edit_during_render)
    expected = source_hash("tests.tiny_scene")
    assert render_scene(tiny_job(tmp_path, mode="still", format="png")).ok
    assert read_manifest(tmp_path)["entries"]["480p15/TinyScene.png"]["source_hash"] == expected


def test_ctrl_c_while_publishing_the_svg_cache_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The working folder and the SVG's temporary copy were left for the next render's sweep.
    real_publish, real_copyfile = pipeline.publish_svgs, shutil.copyfile

    def copy_then_ctrl_c(source: Path, target: Path) -> None:
        real_copyfile(source, target)
        raise KeyboardInterrupt

    def publish_interrupted(source: Path, target: Path) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(shutil, "copyfile", copy_then_ctrl_c)
            real_publish(source, target)

    monkeypatch.setattr(pipeline, "publish_svgs", publish_interrupted)
    result = render_scene(tiny_job(tmp_path, mode="still", format="png"))
    assert result.interrupted
    assert leftovers(tmp_path) == []


def test_dry_run_runs_the_scene_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "media"
    result = render_scene(tiny_job(target, mode="dry-run"))
    assert result.ok, result.detail
    assert result.files == ()
    assert result.plays == 3
    assert result.duration_s == pytest.approx(2.07, abs=0.01)
    assert not target.exists()


def test_failed_render_leaves_the_previous_files_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render_scene(tiny_job(tmp_path)).ok
    folder = tmp_path / "480p15"
    before = {p.name: sha256_file(p) for p in folder.iterdir()}
    manifest_before = (tmp_path / MANIFEST_NAME).read_text()
    monkeypatch.setenv("TINY_SCENE_FAIL", "1")
    result = render_scene(tiny_job(tmp_path))
    assert not result.ok
    assert result.error == "RuntimeError: TinyScene fails on request (TINY_SCENE_FAIL)"
    assert "Traceback" in result.detail
    assert {p.name: sha256_file(p) for p in folder.iterdir()} == before
    assert (tmp_path / MANIFEST_NAME).read_text() == manifest_before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_two_renders_of_the_same_scene_at_once(tmp_path: Path) -> None:
    results = render_many([tiny_job(tmp_path), tiny_job(tmp_path)], n_jobs=2)
    assert [r.ok for r in results] == [True, True], [r.detail for r in results]
    mp4 = tmp_path / "480p15" / "TinyScene.mp4"
    assert probe_video(mp4).frames == 31
    entry = read_manifest(tmp_path)["entries"]["480p15/TinyScene.mp4"]
    assert entry["sha256"] == sha256_file(mp4)
    assert leftovers(tmp_path) == []


# --- interruption: a real render.py, stopped mid-way -------------------------------
DRIVER = (
    "import scenes, render; from scenes import SceneInfo; "
    "scenes.SCENES['TinyScene'] = SceneInfo('TinyScene', 'tests.tiny_scene', 'tiny', 2); render.main()"
)


def start_long_render(output_dir: Path) -> subprocess.Popen[str]:
    """``render.py --scene TinyScene`` stretched to 60 s, in its own process group, once it is rendering."""
    env = os.environ | {"TINY_SCENE_SECONDS": "60"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DRIVER,
            "--scene",
            "TinyScene",
            "-q",
            "l",
            "--output-dir",
            str(output_dir),
            "--force",
        ],  # the same inputs as the render before it, but a long render is wanted
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list((output_dir / "cache").glob("work-*/partial/*.mp4")):  # frames are being encoded
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the render never started"
        time.sleep(0.1)
    return process


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_interrupted_render_keeps_the_previous_file(tmp_path: Path, how: str) -> None:
    assert render_scene(tiny_job(tmp_path)).ok
    folder = tmp_path / "480p15"
    before = {p.name: sha256_file(p) for p in folder.iterdir()}

    process = start_long_render(tmp_path)
    os.killpg(process.pid, getattr(signal, how))  # the whole group, as Ctrl-C or `kill -9` of a job does
    output, _ = process.communicate(timeout=60)

    assert {p.name: sha256_file(p) for p in folder.iterdir()} == before
    assert probe_video(folder / "TinyScene.mp4").frames == 31
    if how == "SIGINT":
        assert process.returncode == 130, output
        assert "Interrupted: no finished file was replaced by a partial one." in output
        assert "Traceback" not in output
        assert leftovers(tmp_path) == []
    else:
        # Nothing can clean up after SIGKILL; the next render sweeps the dead processes' leftovers.
        assert process.returncode == -signal.SIGKILL
        stale = leftovers(tmp_path)
        assert stale, "the worker died mid-render, so its working folder is still there"
        removed: list[Path] = []
        deadline = time.monotonic() + 10  # the killed worker may take a moment to be gone
        while len(removed) < len(stale) and time.monotonic() < deadline:
            removed += sweep_stale(tmp_path)
            time.sleep(0.1)
        assert sorted(removed) == sorted(stale)
        assert leftovers(tmp_path) == []


# --- building blocks ----------------------------------------------------------------
@pytest.mark.slow
def test_plain_manim_cli_still_works_with_config_manim_cfg(tmp_path: Path) -> None:
    """``manim -ql -c config/manim.cfg <scene file> <Scene>`` keeps working, offline (no version check)."""
    manim = Path(sys.executable).parent / "manim"
    command = [
        str(manim),
        "-ql",
        "-s",
        "-c",
        "config/manim.cfg",
        "--media_dir",
        str(tmp_path),
        "tests/tiny_scene.py",
        "TinyScene",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.glob("images/tiny_scene/TinyScene*.png"))
    assert "notify_outdated_version = False" in (ROOT / "config" / "manim.cfg").read_text()


def test_captions_to_vtt_clips_sorts_and_escapes() -> None:
    cues = [
        Caption(1.0, 3.0, "σ(x) < 1 & --> more"),
        Caption(0.0, 1.0, "first"),
        Caption(2.5, 4.0, "too late"),
    ]
    assert parse_vtt(captions_to_vtt(cues, duration_s=2.0)) == [
        (0.0, 1.0, "first"),
        (1.0, 2.0, "σ(x) &lt; 1 &amp; --&gt; more"),
    ]
    assert parse_vtt(captions_to_vtt([], 1.0)) == []


def stage_output(publication: Publication, final: Path, data: bytes, scene: str = "A") -> ManifestEntry:
    """Stage ``data`` at ``final`` and return a minimal entry describing it."""
    publication.stage(final).write_bytes(data)
    return ManifestEntry(
        file=publication.record(final),
        scene=scene,
        kind="still",
        format="png",
        quality="low",
        label="480p15",
        theme="dark",
        source_hash="",
        width=1,
        height=1,
        fps=0,
        duration_s=0.0,
        frames=1,
        scene_duration_s=0.0,
        rendered_at="",
    )


def test_manifest_updates_from_many_writers_are_all_kept(tmp_path: Path) -> None:
    def write(i: int) -> None:
        with Publication(tmp_path) as publication:
            publication.add(stage_output(publication, tmp_path / "480p15" / f"Scene{i}.png", b"%d" % i))
            publication.commit()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = json.loads((tmp_path / MANIFEST_NAME).read_text())["entries"]
    assert sorted(entries) == sorted(f"480p15/Scene{i}.png" for i in range(24))
    assert check_manifest(tmp_path) == []
    assert leftovers(tmp_path) == []


def test_two_renders_at_once_cannot_leave_one_video_with_the_others_manifest_entry(tmp_path: Path) -> None:
    # Files were committed before the manifest lock was taken: renders A and B of one scene could end
    # with B's video and A's entry (whose sha256 is not the file's). Now the commit waits for the lock.
    final = tmp_path / "480p15" / "A.png"
    publication = Publication(tmp_path)
    publication.add(stage_output(publication, final, b"new"))
    with manifest_lock(tmp_path):  # another render is merging its entry
        thread = threading.Thread(target=publication.commit)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and not final.exists()
    thread.join()
    assert final.read_bytes() == b"new"
    assert list(read_manifest(tmp_path)["entries"]) == ["480p15/A.png"]
    assert check_manifest(tmp_path) == []


def test_staging_commits_together_or_not_at_all(tmp_path: Path) -> None:
    final = tmp_path / "A.mp4"
    final.write_bytes(b"good")
    with pytest.raises(RuntimeError), Staging() as staging:
        staging.stage(final).write_bytes(b"trunc")
        raise RuntimeError("render died")
    assert final.read_bytes() == b"good"
    assert list(tmp_path.iterdir()) == [final]
    with Staging() as staging:
        staging.stage(final).write_bytes(b"new")
        staging.stage(tmp_path / "A.png").write_bytes(b"png")
        staging.commit()
    assert final.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.mp4", "A.png"]


def test_sweep_removes_only_leftovers_of_dead_processes(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid, live_pid = int(dead.stdout), os.getpid()
    folder = tmp_path / "480p15"
    folder.mkdir()
    stale = folder / f".A.mp4.{dead_pid}-0badf00d.tmp"
    live = folder / f".A.mp4.{live_pid}-0badf00d.tmp"
    stale_work = tmp_path / "cache" / f"work-{dead_pid}-0badf00d"
    live_work = tmp_path / "cache" / f"work-{live_pid}-0badf00d"
    for path in (stale_work, live_work):
        path.mkdir(parents=True)
    for path in (stale, live):
        path.write_bytes(b"")
    assert sorted(sweep_stale(tmp_path)) == sorted([stale, stale_work])
    assert live.exists() and live_work.exists()


def test_the_narration_is_encoded_with_aacs_fast_coder_and_stays_close(tmp_path: Path) -> None:
    """``_fast_aac`` swaps ManimCE's AAC conversion for the fast coder only while it lasts, and the
    encoded sound is close to what went in (a 220 Hz voice-like tone with overtones, modulated)."""
    import wave

    from manim.scene import scene_file_writer

    rate = 48_000
    t = np.arange(2 * rate) / rate
    signal_ = (
        0.3
        * (1 + np.sin(2 * np.pi * 3 * t))
        / 2
        * sum(np.sin(2 * np.pi * 220 * k * t) / k for k in (1, 2, 3, 5))
    )
    wav, m4a = tmp_path / "in.wav", tmp_path / "out.m4a"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((signal_ * 32767).astype("<i2").tobytes())
    original = scene_file_writer.convert_audio
    with manim_run._fast_aac():
        assert scene_file_writer.convert_audio is not original
        scene_file_writer.convert_audio(wav, m4a, "aac")
    assert scene_file_writer.convert_audio is original, "ManimCE's own conversion is back"
    with av.open(str(m4a)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        decoded = np.concatenate(
            [f.to_ndarray()[0] for frame in container.decode(audio=0) for f in resampler.resample(frame)]
        )
    n = min(len(decoded), len(signal_))
    error = decoded[:n] - signal_[:n]
    snr_db = 10 * np.log10(np.sum(signal_[:n] ** 2) / np.sum(error**2))
    # Measured: 58.9 dB with the fast coder, 36.1 dB with this FFmpeg's default (twoloop).
    assert snr_db > 45, f"{snr_db:.1f} dB: not the fast coder?"
