"""Render one scene with ManimCE and publish its files; render many, one worker process each.

:func:`render_scene` renders one scene (``SceneCls().render()`` inside
``manim.tempconfig``) in a private working folder under
``<output-dir>/cache``, hands what ManimCE made to the output kind's
finisher (:mod:`lecture.publish.finishers`) and publishes the files and their
manifest entry as one transaction (:mod:`lecture.publish.transaction`).
:func:`render_many` runs several scenes in parallel, each in a fresh
spawned process (:mod:`lecture.render.workers`), and reports progress as they go.

Nothing here imports manim at module level: the CLI imports this module to
check requirements before any rendering starts, and stays fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import importlib
import importlib.util
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lecture.publish.finishers import Finisher, Rendered, finisher_for
from lecture.publish.outputs import SVG_CACHES, Staging, link_or_copy, temp_name
from lecture.publish.storyboard import Caption
from lecture.publish.transaction import Publication, StepHook, sweep_stale
from lecture.render import segments, split
from lecture.render.freshness import inputs_hash, up_to_date
from lecture.render.jobs import Mode, RenderJob, RenderResult
from lecture.render.workers import (
    STOP_SIGNALS,
    Interrupts,
    ProgressSink,
    Spares,
    Watch,
    WorkerContext,
    run_in_processes,
    watching,
)
from lecture.settings.theme import THEME_ENV, THEMES_FILE, Theme
from lecture.voice.speech import VOICE_CACHE_ENV, VOICE_ENV

__all__ = [
    "PROJECT_ROOT",
    "Mode",
    "ProgressSink",
    "RenderJob",
    "RenderResult",
    "check_output_dir",
    "missing_font",
    "missing_requirements",
    "render_many",
    "render_scene",
    "source_hash",
    "spare_workers",
    "sweep_dry_runs",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Files besides the scene's own module that decide what a scene looks like.
_SHARED_SOURCES = (
    "scenes/common.py",
    "lecture/numerics.py",
    "lecture/settings/theme.py",
    "config/themes.toml",
    # What the narrator says and how it sounds (the voice itself is recorded in the manifest).
    "lecture/voice/speech.py",
    "lecture/voice/pronunciation.py",
    "config/pronunciation.toml",
)
#: Dry runs work in ``$TMPDIR/lecture-dry-run-<pid>-<random>`` (they write nothing under the output folder).
_DRY_RUN_PREFIX = "lecture-dry-run-"
_DRY_RUN = re.compile(r"^lecture-dry-run-(\d+)-")


# --- before rendering --------------------------------------------------------
def _importable(module: str) -> str:
    """Empty if ``module`` imports, else why it does not."""
    try:
        importlib.import_module(module)
    except Exception as exc:  # an ImportError, or OSError from a missing shared library
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return ""


def missing_requirements(
    which: Callable[[str], str | None] = shutil.which,
    importable: Callable[[str], str] = _importable,
) -> list[str]:
    """What ManimCE needs that this machine lacks: LaTeX, dvisvgm, Cairo, Pango.

    Empty when everything is there. ``which`` and ``importable`` are the
    lookups (parameters so tests can fake a bare machine).
    """
    missing = []
    if which("latex") is None:
        missing.append("LaTeX (no `latex` on PATH)")
    if which("dvisvgm") is None:
        missing.append("dvisvgm (no `dvisvgm` on PATH)")
    for module, library in (("cairo", "Cairo"), ("manimpango", "Pango")):
        reason = importable(module)
        if reason:
            missing.append(f"{library} (`import {module}` failed: {reason})")
    return missing


def missing_font(theme: Theme, installed: Callable[[], Sequence[str]] | None = None) -> str:
    """Empty if ``theme``'s font is installed, else a one-line reason naming the closest installed ones.

    Without it Pango silently substitutes another font and ManimCE prints a
    multi-line warning for every text. ``installed`` lists the font families
    (default: Pango's, through ManimPango).
    """
    if installed is None:
        import manimpango  # type: ignore[import-untyped]

        installed = manimpango.list_fonts
    fonts = list(installed())
    if theme.font in fonts:
        return ""
    by_lower = {font.lower(): font for font in fonts}
    close = [by_lower[f] for f in difflib.get_close_matches(theme.font.lower(), by_lower, n=3, cutoff=0.3)]
    hint = f"; closest installed: {', '.join(close)}" if close else ""
    return (
        f"theme {theme.name!r} uses the font {theme.font!r}, which is not installed{hint}. "
        f"Install it, or change [{theme.name}.font] in {THEMES_FILE.name}."
    )


def check_output_dir(output_dir: Path) -> str:
    """Empty if files can be written in ``output_dir`` (created if need be), else why not."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        probe = temp_name(output_dir / "write-test")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def source_hash(module: str) -> str:
    """SHA-256 of the scene's module and the shared code and config it draws with."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {module!r}")
    digest = hashlib.sha256()
    for path in (Path(spec.origin), *(PROJECT_ROOT / p for p in _SHARED_SOURCES)):
        name = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


# --- the shared LaTeX/Text SVG cache ---------------------------------------------
def _valid_svg(path: Path) -> bool:
    """Whether ``path`` is a whole SVG: not empty, and ending with its closing tag.

    A disk that fills up while LaTeX or Pango writes leaves an empty or
    truncated file, which ManimCE then fails to parse on every later render.
    """
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64))
            tail = f.read()
    except OSError:
        return False
    return size > 0 and tail.rstrip().endswith(b"</svg>")


def _link_svgs(source: Path, target: Path) -> None:
    """Make the shared cache's valid SVGs visible in a working folder (hard links, else copies).

    An invalid one is left out, so ManimCE makes it again (and
    :func:`_publish_svgs` then replaces the bad copy).
    """
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir() or source.is_symlink():
        return
    for svg in source.glob("*.svg"):
        if svg.is_symlink() or not _valid_svg(svg):
            continue
        with contextlib.suppress(OSError):
            link_or_copy(svg, target / svg.name)


def _publish_svgs(source: Path, target: Path) -> None:
    """Add a working folder's new, valid SVGs to the shared cache, each renamed in whole (best effort)."""
    if not source.is_dir():
        return
    for svg in source.glob("*.svg"):
        final = target / svg.name
        if (final.exists() and _valid_svg(final)) or not _valid_svg(svg):
            continue
        with contextlib.suppress(OSError), Staging() as staging:
            shutil.copyfile(svg, staging.stage(final))
            if _valid_svg(staging.stage_path(final)):  # a disk that filled up while copying
                staging.commit()


# --- one scene ---------------------------------------------------------------------
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


def render_scene(
    job: RenderJob, context: WorkerContext | None = None, *, on_commit_step: StepHook | None = None
) -> RenderResult:
    """Render one scene and return how it went; never raises for a scene's own failure.

    A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM/SIGHUP in a worker) stops
    the render: the working folder and every temporary file are removed and
    the final paths and the manifest are left as they were (or, if the
    publishing had already reached its commit point, both are the new ones);
    the result has ``interrupted=True``.

    Parameters
    ----------
    job
        The scene and how to render it.
    context
        Progress sink, parent to watch and interrupt hold, from
        :mod:`lecture.render.workers`; the default runs plainly in this process.
    on_commit_step
        Called after each step of publishing (see
        :meth:`lecture.publish.transaction.Publication.commit`), for fault injection.
    """
    context = context if context is not None else WorkerContext()
    sink = context.sink
    start = time.monotonic()
    with watching(job.scene, context) as watch:
        try:
            if sink is not None:
                sink(job.scene, "start", 0.0)
            result = _render(job, context, watch, on_commit_step)
            if sink is not None:
                sink(job.scene, "finish", result.duration_s)
            return result
        except KeyboardInterrupt:
            return RenderResult(
                job.scene, ok=False, error="interrupted", interrupted=True, render_s=time.monotonic() - start
            )
        except BaseException as exc:  # the scene's bug, a codec error: report it, let the others go on
            message = str(exc).strip().splitlines()
            return RenderResult(
                job.scene,
                ok=False,
                error=f"{type(exc).__name__}: {message[0] if message else ''}".rstrip(": "),
                detail=traceback.format_exc(),
                render_s=time.monotonic() - start,
            )


def _work_dir(job: RenderJob) -> Path:
    if job.mode == "dry-run":  # writes nothing under the output folder, not even the cache
        return Path(tempfile.mkdtemp(prefix=f"{_DRY_RUN_PREFIX}{os.getpid()}-"))
    work = job.output_dir / "cache" / f"work-{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir(parents=True)
    return work


def _render(job: RenderJob, context: WorkerContext, watch: Watch, on_step: StepHook | None) -> RenderResult:
    started = time.monotonic()
    shared = job.output_dir / "cache"
    work = _work_dir(job)
    try:
        for name in SVG_CACHES:
            _link_svgs(shared / name, work / name)
        finisher = finisher_for(job) if job.mode != "dry-run" else None
        try:
            rendered = _run_manim(job, finisher, work, watch, processes=job.processes)
        except split.HelperLost:
            # A helper crashed (out of memory?): what it finished is lost, the render is not.
            logging.getLogger("manim").warning("a helper process was lost; rendering %s alone", job.scene)
            rendered = _run_manim(job, finisher, work, watch, processes=1)
        if finisher is None:
            return RenderResult(
                job.scene,
                ok=True,
                duration_s=round(rendered.scene_duration_s, 3),
                plays=rendered.plays,
                render_s=time.monotonic() - started,
            )
        if context.sink is not None:
            context.sink(job.scene, "encode", rendered.scene_duration_s)
        with Publication(job.output_dir, on_step=on_step) as publication:
            entry = finisher.finish(job, rendered, publication)
            publication.add(entry)
            with context.hold():  # a commit, once begun, finishes or rolls back whole
                files = publication.commit()
        return RenderResult(
            job.scene,
            ok=True,
            files=tuple(files),
            frames=entry.frames,
            duration_s=entry.duration_s if entry.kind != "still" else entry.scene_duration_s,
            size_bytes=entry.file.size_bytes,
            plays=rendered.plays,
            render_s=time.monotonic() - started,
            warnings=tuple(publication.notes),
        )
    finally:
        try:
            if job.mode != "dry-run":
                for name in SVG_CACHES:
                    _publish_svgs(work / name, shared / name)
        finally:  # even when Ctrl-C arrives while publishing
            shutil.rmtree(work, ignore_errors=True)


def _run_manim(
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
            work = _work_dir(job)
            try:
                for name in SVG_CACHES:
                    _link_svgs(job.output_dir / "cache" / name, work / name)
                share = split.Share(folder, main=False)
                _run_manim(job, finisher_for(job), work, watch, share=share)
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
    if finisher is not None and finisher.lossless_intermediate:
        options["video_encoder_options"] = {"crf": "0"}
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
            scene = scene_cls()
            watch.clock = lambda: float(scene.renderer.time)
            scene.render()
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
    )


def _narrator(scene: Any) -> dict[str, Any]:
    """The voice that spoke the scene's lines, for the manifest; name "none" if nothing was spoken
    (no voice, or a scene captioned with ManimCE's own ``subcaption=`` rather than ``narrate()``)."""
    voice = getattr(scene, "voice", None)
    spoken = any(beat.speech is not None for beat in getattr(scene, "beats", ()))
    return voice.describe() if voice is not None and spoken else {"name": "none"}


# --- many scenes -------------------------------------------------------------------
#: What every render imports that no edit to the project changes, and a spare worker imports while it
#: waits for its job. ManimCE first (it quiets pydub's warning about a missing ffmpeg binary).
WORKER_PRELOAD = ("manim", "onnxruntime", "piper")


def spare_workers() -> Spares:
    """One worker process kept ready between renders, with :data:`WORKER_PRELOAD` imported (``--watch``).

    A render after a save then skips about 0.6 s of imports. ``close()`` it when done.
    """
    return Spares(WORKER_PRELOAD, PROJECT_ROOT)


def _lost(job: RenderJob, exit_code: int | None) -> RenderResult:
    """The result of a worker that ended without sending one."""
    if exit_code is None:
        return RenderResult(job.scene, ok=False, error="interrupted", interrupted=True)
    return RenderResult(
        job.scene, ok=False, error=f"the worker process died (exit code {exit_code}; out of memory?)"
    )


def sweep_dry_runs(temp_dir: Path | None = None) -> list[Path]:
    """Delete the working folders of dry runs whose process is gone (killed before it could clean up).

    Only real folders (not symlinks) named by this tool and owned by this
    user are touched. Returns what was removed.
    """
    from lecture.publish.transaction import pid_alive

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


def render_many(
    jobs: Sequence[RenderJob],
    *,
    n_jobs: int,
    on_progress: ProgressSink | None = None,
    on_result: Callable[[RenderResult], None] | None = None,
    force: bool = False,
    spares: Spares | None = None,
) -> list[RenderResult]:
    """Render ``jobs``, up to ``n_jobs`` at a time, each in its own fresh (spawned) process.

    First finishes what killed renders left (:func:`lecture.publish.transaction.sweep_stale`,
    :func:`sweep_dry_runs`). One scene's failure, even a crashed process,
    does not stop the others. Results come back in job order. On
    ``KeyboardInterrupt`` the running scenes are stopped cleanly (each
    leaves its files and the manifest consistent), the waiting ones never
    start, and the interrupt is re-raised.

    A scene whose published files are up to date (:func:`lecture.render.freshness.up_to_date`)
    is not rendered: its result, with ``up_to_date=True``, comes at once.
    ``force`` renders every scene anyway. ``spares`` (``--watch``: see
    :func:`spare_workers`) are processes started ahead, ManimCE imported.
    """
    for output_dir in {job.output_dir for job in jobs if job.mode != "dry-run"}:
        sweep_stale(output_dir)
    if any(job.mode == "dry-run" for job in jobs):
        sweep_dry_runs()
    if force:
        jobs = [dataclasses.replace(job, force=True) for job in jobs]
    fresh = {i: r for i, job in enumerate(jobs) if not job.force and (r := up_to_date(job)) is not None}
    for result in fresh.values():
        if on_result is not None:
            on_result(result)
    todo = [job for i, job in enumerate(jobs) if i not in fresh]
    # Fewer scenes than processes: each scene's animations are shared out among the spare ones, unless
    # the scene has kept segments (an edit: most animations are reused, and a helper would spend a core
    # running the whole scene to find that out; SteepnessSweep -q l, one caption edited: 4.8 s with one).
    share_out = max(1, n_jobs // len(todo)) if todo else 1
    todo = [
        dataclasses.replace(job, processes=share_out)
        if job.processes == 1 and (job.force or not segments.has_segments(job))
        else job
        for job in todo
    ]
    rendered = iter(
        run_in_processes(
            render_scene,
            todo,
            n_jobs=n_jobs,
            name=lambda job: job.scene,
            lost=_lost,
            on_progress=on_progress,
            on_result=on_result,
            spares=spares,
        )
        if todo
        else []
    )
    return [fresh[i] if i in fresh else next(rendered) for i in range(len(jobs))]
