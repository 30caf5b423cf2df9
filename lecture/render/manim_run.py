"""Running ManimCE on one job in this process: its config, environment and patches, and what it made.

:func:`run_manim` runs ``SceneCls().render()`` inside ``manim.tempconfig``
in a private working folder, with the render cache's fixes
(:mod:`lecture.render.segments`), the fast AAC coder and, for a split render,
helper processes (:mod:`lecture.render.split`); it returns what ManimCE made
as plain data (:class:`~lecture.publish.finishers.Rendered`). Working folders
live under ``<output-dir>/cache`` (dry runs: under ``$TMPDIR``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lecture.jobs import RenderJob
from lecture.publish.finishers import Finisher, Rendered, finisher_for
from lecture.publish.outputs import SVG_CACHES
from lecture.publish.storyboard import Caption
from lecture.publish.transaction import pid_alive
from lecture.render import frame_reuse, segments, split
from lecture.render.freshness import inputs_hash, source_hash
from lecture.render.svg_cache import link_svgs
from lecture.render.workers import STOP_SIGNALS, Interrupts, Watch, WorkerContext, watching
from lecture.settings.theme import THEME_ENV
from lecture.voice.speech import VOICE_CACHE_ENV, VOICE_ENV

__all__ = ["AAC_OPTIONS", "run_manim", "sweep_dry_runs", "work_dir"]

#: Dry runs work in ``$TMPDIR/lecture-dry-run-<pid>-<random>`` (they write nothing under the output folder).
_DRY_RUN_PREFIX = "lecture-dry-run-"
_DRY_RUN = re.compile(r"^lecture-dry-run-(\d+)-")


@contextlib.contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


class _QuietWebmWarning(logging.Filter):
    """ManimCE warns that WebM is slow every time it is chosen; the user chose it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "webm" not in record.getMessage()


class _QuietMuxOptions(logging.Filter):
    """PyAV warns that ManimCE's muxer options ``shortest`` and ``metadata`` went unused every time
    ManimCE adds the narration to a video: ManimCE's quirk, nothing the user can act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "options were not used" not in record.getMessage()


#: FFmpeg's native AAC encoder's "fast" coder, for the narration track. Its default in this build
#: ("twoloop") took 1.4 s to encode SteepnessSweep's 52 s track, "fast" 0.37 s, and "fast" came out
#: closer to the track (43.9 dB SNR against 26.4 dB; the same bit rate). FFmpeg's maintainers made it
#: the default in 2018 because twoloop "at higher bitrates ... sounds worse than the fast coder and
#: needs quite a lot more CPU" (commit fcb681ac3e); 128 kb/s, ManimCE's rate, is such a rate.
AAC_OPTIONS = {"aac_coder": "fast"}


@contextlib.contextmanager
def _fast_aac() -> Iterator[None]:
    """While in the block, ManimCE encodes a video's sound to AAC with :data:`AAC_OPTIONS`."""
    import av
    from manim.scene import scene_file_writer

    original = scene_file_writer.convert_audio

    def convert_audio(input_path: Any, output_path: Any, codec_name: str) -> None:
        if codec_name != "aac":
            original(input_path, output_path, codec_name)
            return
        with av.open(input_path) as source, av.open(output_path, "w") as target:
            stream = target.add_stream("aac", options=AAC_OPTIONS)
            for frame in source.decode(source.streams.audio[0]):
                for packet in stream.encode(frame):
                    target.mux(packet)
            for packet in stream.encode():
                target.mux(packet)

    scene_file_writer.convert_audio = convert_audio
    try:
        yield
    finally:
        scene_file_writer.convert_audio = original


def _voice_environ(job: RenderJob, work: Path) -> dict[str, str]:
    """The narrator's settings for the scene (read by ``scenes.common``): which voice, and its cache.

    Speech is cached under ``<output-dir>/cache/voice`` (kept between
    renders, unlike the working folder); a dry run, which writes nothing
    under the output folder, reuses that cache only if it already exists.
    """
    cache = job.output_dir / "cache" / "voice"
    if job.mode == "dry-run" and not cache.is_dir():
        cache = work / "voice"
    env = {VOICE_CACHE_ENV: str(cache)}
    if job.voice:
        env[VOICE_ENV] = job.voice
    return env


def work_dir(job: RenderJob) -> Path:
    if job.mode == "dry-run":  # writes nothing under the output folder, not even the cache
        return Path(tempfile.mkdtemp(prefix=f"{_DRY_RUN_PREFIX}{os.getpid()}-"))
    work = job.output_dir / "cache" / f"work-{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir(parents=True)
    return work


def run_manim(
    job: RenderJob,
    finisher: Finisher | None,
    work: Path,
    watch: Watch,
    *,
    processes: int = 1,
    share: split.Share | None = None,
) -> Rendered:
    """``SceneCls().render()`` with this job's settings; returns what it made, as plain data.

    With ``processes`` > 1, that many minus one helper processes render some
    of the animations meanwhile (:mod:`lecture.render.split`); a helper runs this
    function with its ``share``.
    """
    caching = finisher is not None and finisher.manim_format != "png"
    helpers: split.Helpers | None = None
    if caching and processes > 1 and share is None:
        # Started first, so the helpers import ManimCE and build the scene while this process does too.
        share = split.Share(work / "split", main=True)
        share.prepare()
        helpers = split.start_helpers(_help, [(job, share.folder, os.getpid())] * (processes - 1))
    try:
        rendered = _run_scene(job, finisher, work, watch, share, helpers)
    finally:
        if helpers is not None:
            helpers.stop()
    if helpers is not None and share is not None:
        logging.getLogger("manim").info(
            "%s: %d of %d animations rendered by %d helper process(es)",
            job.scene,
            len(share.borrowed),
            rendered.plays,
            processes - 1,
        )
    return rendered


def _help(job: RenderJob, folder: Path, parent: int) -> None:
    """A helper process of a split render: render the animations it claims, hand them over, exit.

    SIGTERM (the main process stopping it) and the main process's death end
    it cleanly: its working folder is removed.
    """
    import threading

    from tqdm import tqdm  # type: ignore[import-untyped]

    # ManimCE's progress bar (tqdm) would make a multiprocessing lock, a semaphore that a process ending
    # with os._exit leaves behind for the resource tracker to warn about; a thread lock does here.
    tqdm.set_lock(threading.RLock())
    interrupts = Interrupts()
    interrupts.install(STOP_SIGNALS)
    exit_code = 0
    try:
        with watching(f"{job.scene}-helper", WorkerContext(parent=parent)) as watch:
            work = work_dir(job)
            try:
                for name in SVG_CACHES:
                    link_svgs(job.output_dir / "cache" / name, work / name)
                share = split.Share(folder, main=False)
                run_manim(job, finisher_for(job), work, watch, share=share)
                split.hand_over(share, work / "partial")
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except BaseException:  # stopped, or the scene's own error, which the main process meets and reports
        exit_code = 1
    # Now, not after the interpreter's shut-down: an encoder thread stopped half-way would keep it waiting.
    os._exit(exit_code)


def _run_scene(
    job: RenderJob,
    finisher: Finisher | None,
    work: Path,
    watch: Watch,
    share: split.Share | None,
    helpers: split.Helpers | None,
) -> Rendered:
    from manim import config, logger, tempconfig

    quality = job.quality
    caching = finisher is not None and finisher.manim_format != "png"
    segment_cache = segments.cache_dir(job)
    if caching and not job.force:
        segments.link_in(segment_cache, work / "partial")
    options: dict[str, Any] = {
        "media_dir": str(work),
        "video_dir": str(work / "videos"),
        "images_dir": str(work / "images"),
        "partial_movie_dir": str(work / "partial"),
        "tex_dir": str(work / "Tex"),
        "text_dir": str(work / "texts"),
        "log_to_file": False,
        "pixel_width": quality.pixel_width,
        "pixel_height": quality.pixel_height,
        "frame_rate": quality.frame_rate,
        "format": finisher.manim_format if finisher is not None else "auto",
        "dry_run": finisher is None,
        # ManimCE's per-animation cache, in the working folder; the segments it can reuse are linked in
        # from the output folder's render cache (lecture.render.segments) and the new ones kept there after.
        "disable_caching": not caching,
        "max_files_cached": -1,  # lecture.render.segments prunes the kept ones, by size
        # One segment encoded at a time (ManimCE's default). With 2 (one animation's segment encoded while
        # the next renders; 0.81x the wall time at -q m) ManimCE 0.22 drew frames differently from one
        # render to the next far more often: every one of 3 repeat renders of a small scene in one process
        # had mid-animation frames off by up to 241 levels in small regions; with 1, rarely (see
        # tests/test_split.py). Renders in fresh processes, as render.py makes them, were byte-identical.
        "max_inflight_encoders": 1,
        "notify_outdated_version": False,  # never call PyPI at render time
        "progress_bar": "none",
        "verbosity": job.verbosity,
        "preview": False,
        "save_sections": False,
        "output_file": "",
        "from_animation_number": 0,
        "upto_animation_number": -1,
        "background_opacity": 1.0,
    }
    if encoder := segments.encoder_options(finisher):  # part of the segment cache's folder, too
        options["video_encoder_options"] = encoder
    unknown = sorted(k for k in options if k not in config)
    if unknown:
        raise KeyError(f"ManimCE has no config option(s) {', '.join(unknown)}")
    rendered_source = source_hash(job.module)  # before: an edit saved during the render is not this
    rendered_inputs = inputs_hash(job)
    scene_cls = getattr(importlib.import_module(job.module), job.scene)
    webm_filter, mux_filter = _QuietWebmWarning(), _QuietMuxOptions()
    av_logger = logging.getLogger("av.container.output")
    logger.addFilter(webm_filter)
    av_logger.addFilter(mux_filter)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(tempconfig(options))
            for name, value in {THEME_ENV: job.theme, **_voice_environ(job, work)}.items():
                stack.enter_context(_environ(name, value))
            stack.enter_context(segments.cache_friendly())
            stack.enter_context(_fast_aac())
            if share is not None:
                alive = helpers.alive if helpers is not None else lambda: False
                stack.enter_context(split.sharing(share, alive))
            reused = stack.enter_context(frame_reuse.reusing_frames()) if frame_reuse.enabled() else None
            scene = scene_cls()
            watch.clock = lambda: float(scene.renderer.time)
            scene.render()
        if reused is not None and reused.frames:
            logger.info("%s: %s", job.scene, reused.describe())
    finally:
        logger.removeFilter(webm_filter)
        av_logger.removeFilter(mux_filter)
    renderer = scene.renderer
    writer = renderer.file_writer
    if share is not None and not share.main:
        return Rendered(
            movie=None,
            image=None,
            last_frame=None,
            captions=(),
            scene_duration_s=0.0,
            plays=0,
            source_hash="",
            inputs_hash="",
            voice={},
        )
    if caching:
        segments.keep(work / "partial", segment_cache, used=[p for p in writer.partial_movie_files if p])
        segments.prune(job.output_dir)
    movie = getattr(writer, "movie_file_path", None)
    image = getattr(writer, "image_file_path", None)
    return Rendered(
        movie=Path(movie) if movie and finisher is not None and finisher.manim_format != "png" else None,
        image=Path(image) if image and finisher is not None and finisher.manim_format == "png" else None,
        last_frame=segments.last_frame(scene) if finisher is not None else None,
        # ManimCE keeps the subcaptions in memory (srt.Subtitle); no need to read its .srt back.
        captions=tuple(
            Caption(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in writer.subcaptions
        ),
        scene_duration_s=float(renderer.time),
        plays=int(renderer.num_plays),
        source_hash=rendered_source,
        inputs_hash=rendered_inputs,
        voice=_narrator(scene),
        beats=_beats(scene),
    )


def _narrator(scene: Any) -> dict[str, Any]:
    """The voice that spoke the scene's lines, for the manifest; name "none" if nothing was spoken
    (no voice, or a scene captioned with ManimCE's own ``subcaption=`` rather than ``narrate()``)."""
    voice = getattr(scene, "voice", None)
    spoken = any(beat.speech is not None for beat in getattr(scene, "beats", ()))
    return voice.describe() if voice is not None and spoken else {"name": "none"}


def _beats(scene: Any) -> tuple[Caption, ...]:
    """The narrated beats (``LectureScene.narrate``) as (start, end, caption), in scene seconds."""
    return tuple(
        Caption(float(beat.start), float(beat.end), beat.caption)
        for beat in getattr(scene, "beats", ())
        if getattr(beat, "end", None) is not None
    )


def sweep_dry_runs(temp_dir: Path | None = None) -> list[Path]:
    """Delete the working folders of dry runs whose process is gone (killed before it could clean up).

    Only real folders (not symlinks) named by this tool and owned by this
    user are touched. Returns what was removed.
    """
    folder = Path(temp_dir if temp_dir is not None else tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            match = _DRY_RUN.match(path.name)
            if not match or path.is_symlink() or not path.is_dir() or pid_alive(int(match[1])):
                continue
            if path.lstat().st_uid == os.getuid():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
