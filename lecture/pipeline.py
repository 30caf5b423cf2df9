"""Render scenes to web-ready files: one worker process per scene, results renamed into place.

:func:`render_scene` renders one scene (``SceneCls().render()`` inside
``manim.tempconfig``) in a private working folder under
``<output-dir>/cache``, then post-processes what ManimCE wrote (faststart
MP4, GIF, poster, WebVTT captions, storyboard) and renames the finished files
into ``<output-dir>/<label>/`` together, then records them in the manifest.
:func:`render_many` runs several scenes in parallel, each in a fresh
spawned process, and reports progress as they go.

Nothing here imports manim at module level: the CLI imports this module to
check requirements before any rendering starts, and stays fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import logging
import multiprocessing
import os
import queue
import secrets
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from lecture.outputs import (
    SVG_CACHES,
    Staging,
    VideoInfo,
    faststart_mp4,
    make_gif,
    mp4_top_level_boxes,
    probe_video,
    publish,
    sha256_file,
    srt_to_vtt,
    sweep_stale,
    temp_name,
)
from lecture.settings import QUALITIES, GifSettings, Quality, StoryboardSettings
from lecture.theme import THEME_ENV

__all__ = [
    "PROJECT_ROOT",
    "RenderJob",
    "RenderResult",
    "check_output_dir",
    "missing_requirements",
    "render_many",
    "render_scene",
    "source_hash",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
Mode = Literal["video", "still", "storyboard", "dry-run"]
#: ``(scene, phase, seconds of scene rendered)``; phase is start, time or finish.
ProgressSink = Callable[[str, str, float], None]

#: Files besides the scene's own module that decide what a scene looks like.
_SHARED_SOURCES = ("scenes/common.py", "lecture/numerics.py", "lecture/theme.py", "config/themes.toml")


# --- jobs and results --------------------------------------------------------
@dataclass(frozen=True)
class RenderJob:
    """Everything a worker process needs to render one scene (picklable)."""

    scene: str
    module: str
    quality: Quality
    format: str
    theme: str
    output_dir: Path
    mode: Mode = "video"
    verbosity: str = "WARNING"
    gif: GifSettings = field(default_factory=lambda: GifSettings(quality=QUALITIES["m"], width=720, fps=15))
    storyboard: StoryboardSettings | None = None


@dataclass(frozen=True)
class RenderResult:
    """How one scene's render went; ``files`` are final paths, poster and captions included."""

    scene: str
    ok: bool
    files: tuple[Path, ...] = ()
    duration_s: float = 0.0
    frames: int = 0
    size_bytes: int = 0
    render_s: float = 0.0
    plays: int = 0
    error: str = ""
    detail: str = ""
    interrupted: bool = False


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


# --- the worker --------------------------------------------------------------
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


def _link_svgs(source: Path, target: Path) -> None:
    """Make the shared LaTeX/Text SVG cache visible in a working folder (hard links, else copies)."""
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for svg in source.glob("*.svg"):
        with contextlib.suppress(OSError):
            try:
                os.link(svg, target / svg.name)
            except OSError:
                shutil.copyfile(svg, target / svg.name)


def _publish_svgs(source: Path, target: Path) -> None:
    """Add new SVGs from a working folder to the shared cache, each renamed in whole (best effort)."""
    if not source.is_dir():
        return
    for svg in source.glob("*.svg"):
        final = target / svg.name
        if final.exists():
            continue
        with contextlib.suppress(OSError), Staging() as staging:
            shutil.copyfile(svg, staging.stage(final))
            staging.commit()


class _QuietWebmWarning(logging.Filter):
    """ManimCE warns that WebM is slow every time it is chosen; the user chose it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "webm" not in record.getMessage()


# Set in a worker process by _child; stay unset when rendering in-process (tests).
_worker_events: Any = None
_worker_parent = 0


class _Watcher(threading.Thread):
    """Reports how far the scene has got; stops the render if the parent process dies."""

    def __init__(self, scene_name: str, sink: ProgressSink | None, parent: int) -> None:
        super().__init__(daemon=True, name=f"watch-{scene_name}")
        self.scene_name, self.sink, self.parent = scene_name, sink, parent
        self.scene: Any = None
        self.done = threading.Event()

    def run(self) -> None:
        import _thread

        while not self.done.wait(0.25):
            if self.sink is not None and self.scene is not None:
                with contextlib.suppress(Exception):
                    self.sink(self.scene_name, "time", float(self.scene.renderer.time))
            if self.parent and os.getppid() != self.parent:
                # Orphaned (the CLI was killed): stop as if terminated, so nothing is published.
                _thread.interrupt_main(signal.SIGTERM)
                if not self.done.wait(20):
                    os._exit(130)
                return


def render_scene(job: RenderJob, sink: ProgressSink | None = None) -> RenderResult:
    """Render one scene and return how it went; never raises for a scene's own failure.

    A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM in a worker) stops the render:
    the working folder and every temporary file are removed and the final
    paths are left as they were; the result has ``interrupted=True``.
    """
    sink = sink if sink is not None else _worker_sink if _worker_events is not None else None
    start = time.monotonic()
    watcher = _Watcher(job.scene, sink, _worker_parent)
    watcher.start()
    try:
        if sink is not None:
            sink(job.scene, "start", 0.0)
        result = _render(job, watcher)
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
    finally:
        watcher.done.set()


def _worker_sink(scene: str, phase: str, seconds: float) -> None:
    with contextlib.suppress(Exception):
        _worker_events.put_nowait(("progress", scene, phase, seconds))


_stopping = False


def _raise_interrupt(signum: int, frame: Any) -> None:
    """Stop the render once; a second signal (Ctrl-C, then the parent's SIGTERM) must not cut the clean-up.

    The handler stays installed and just returns from then on: switching to
    SIG_IGN instead races with a signal already on its way (Python then
    raises ``OSError: Signal 15 ignored due to race condition``).
    """
    global _stopping
    if _stopping:
        return
    _stopping = True
    raise KeyboardInterrupt


def _child(index: int, job: RenderJob, events: Any, interruptible: bool) -> None:
    """A worker process: render one scene, send back its result, exit.

    SIGTERM (the parent cancelling) always stops the render cleanly; Ctrl-C
    does too unless the CLI was started with SIGINT ignored (``nohup``, ``&``).
    """
    global _worker_events, _worker_parent, _stopping
    _worker_events, _worker_parent = events, os.getppid()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt if interruptible else signal.SIG_IGN)
    try:
        result = render_scene(job)
    except KeyboardInterrupt:
        result = RenderResult(job.scene, ok=False, error="interrupted", interrupted=True)
    _stopping = True  # from here on, signals are no-ops: the result must reach the parent
    events.put(("result", index, result))


def _work_dir(job: RenderJob) -> Path:
    if job.mode == "dry-run":  # writes nothing under the output folder, not even the cache
        return Path(tempfile.mkdtemp(prefix="lecture-dry-run-"))
    work = job.output_dir / "cache" / f"work-{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir(parents=True)
    return work


def _render(job: RenderJob, watcher: _Watcher) -> RenderResult:
    started = time.monotonic()
    shared = job.output_dir / "cache"
    work = _work_dir(job)
    try:
        for name in SVG_CACHES:
            _link_svgs(shared / name, work / name)
        rendered_source = source_hash(job.module)  # before: an edit saved during the render is not this
        scene = _run_manim(job, work, watcher)
        if job.mode == "dry-run":
            return RenderResult(job.scene, ok=True, duration_s=round(float(scene.renderer.time), 3),
                                plays=int(scene.renderer.num_plays), render_s=time.monotonic() - started)
        if watcher.sink is not None:
            watcher.sink(job.scene, "encode", float(scene.renderer.time))
        with Staging() as staging:
            entry = _finish(job, scene, staging, rendered_source)
            files = publish(staging, job.output_dir, [entry])
        return RenderResult(
            job.scene, ok=True, files=tuple(files), frames=entry["frames"],
            duration_s=entry["duration_s"] if entry["kind"] != "still" else entry["scene_duration_s"],
            size_bytes=entry["size_bytes"], plays=int(scene.renderer.num_plays),
            render_s=time.monotonic() - started,
        )
    finally:
        try:
            if job.mode != "dry-run":
                for name in SVG_CACHES:
                    _publish_svgs(work / name, shared / name)
        finally:  # even when Ctrl-C arrives while publishing
            shutil.rmtree(work, ignore_errors=True)


def _run_manim(job: RenderJob, work: Path, watcher: _Watcher) -> Any:
    """``SceneCls().render()`` with this job's settings; returns the rendered scene."""
    from manim import config, logger, tempconfig

    quality = job.quality
    manim_format = {"video": "mp4" if job.format == "gif" else job.format, "still": "png",
                    "storyboard": "mp4", "dry-run": "auto"}[job.mode]
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
        "format": manim_format,
        "dry_run": job.mode == "dry-run",
        "disable_caching": True,  # the working folder is thrown away, so its cache would be too
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
    if job.mode == "storyboard" or (job.mode == "video" and job.format == "gif"):
        # Only an intermediate: lossless, so compression noise does not become GIF dither and bloat
        # (SteepnessSweep at -q l: a 3.1 MB GIF from the default crf 23, 1.3 MB from lossless).
        options["video_encoder_options"] = {"crf": "0"}
    unknown = sorted(k for k in options if k not in config)
    if unknown:
        raise KeyError(f"ManimCE has no config option(s) {', '.join(unknown)}")
    scene_cls = getattr(importlib.import_module(job.module), job.scene)
    webm_filter = _QuietWebmWarning()
    logger.addFilter(webm_filter)
    try:
        with tempconfig(options), _environ(THEME_ENV, job.theme):
            scene = scene_cls()
            watcher.scene = scene
            scene.render()
    finally:
        logger.removeFilter(webm_filter)
    return scene


def _last_frame_png(scene: Any, target: Path) -> None:
    """Save the scene's final frame, as rendered (no video compression), as an RGB PNG."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(scene.renderer.get_frame())
    Image.fromarray(pixels[:, :, :3]).save(target, format="PNG", optimize=True)


def _finish(job: RenderJob, scene: Any, staging: Staging, rendered_source: str) -> dict[str, Any]:
    """Write this job's final files as staged temporaries; return the manifest entry.

    ``rendered_source`` is the :func:`source_hash` taken when the render started.
    """
    from PIL import Image

    quality = job.quality
    writer = scene.renderer.file_writer
    base = job.output_dir / quality.label / job.scene
    entry: dict[str, Any] = {
        "scene": job.scene,
        "quality": quality.word,
        "label": quality.label,
        "theme": job.theme,
        "source_hash": rendered_source,
        "scene_duration_s": round(float(scene.renderer.time), 3),
        "rendered_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if job.mode == "still":
        target = base.with_suffix(".png")
        shutil.copyfile(writer.image_file_path, staging.stage(target))
        with Image.open(staging.stage_path(target)) as image:
            width, height = image.size
        entry |= {"kind": "still", "format": "png", "fps": 0, "duration_s": 0.0, "frames": 1}
        return _describe(entry, job.output_dir, target, staging, width, height)

    movie = Path(writer.movie_file_path)
    if not movie.exists():
        raise RuntimeError(f"{job.scene} played no animations, so there is no video; try --still")
    captions = _read_captions(writer)
    if job.mode == "storyboard":
        return _storyboard(job, movie, captions, staging, entry)

    target = base.with_suffix(f".{job.format}")
    staged = staging.stage(target)
    if job.format == "mp4":
        faststart_mp4(movie, staged, title=job.scene)
    elif job.format == "gif":
        make_gif(movie, staged, width=job.gif.width, fps=job.gif.fps)
    else:
        shutil.copyfile(movie, staged)
    info = probe_video(staged)
    if job.format == "mp4":
        _check_web_ready(staged, info)
    poster, vtt = base.with_suffix(".png"), base.with_suffix(".vtt")
    _last_frame_png(scene, staging.stage(poster))
    entry |= {"poster": _relative(poster, job.output_dir)}
    if job.format != "gif":  # a GIF cannot carry a caption track
        staging.stage(vtt).write_text(srt_to_vtt(captions, info.duration_s), encoding="utf-8")
        entry |= {"captions": _relative(vtt, job.output_dir)}
    fps = job.gif.fps if job.format == "gif" else info.fps
    entry |= {"kind": "video", "format": job.format, "codec": info.codec, "pix_fmt": info.pix_fmt,
              "fps": fps, "duration_s": info.duration_s, "frames": info.frames}
    return _describe(entry, job.output_dir, target, staging, info.width, info.height)


def _storyboard(
    job: RenderJob, movie: Path, captions: str, staging: Staging, entry: dict[str, Any]
) -> dict[str, Any]:
    import srt  # type: ignore[import-untyped]

    from lecture.storyboard import Caption, contact_sheet, grab_keyframes

    assert job.storyboard is not None
    board = job.storyboard
    info = probe_video(movie)
    cues = [Caption(c.start.total_seconds(), c.end.total_seconds(), " ".join(c.content.split()))
            for c in srt.parse(captions)]
    keyframes = grab_keyframes(movie, board.frames, frame_count=info.frames)
    title = f"{job.scene}  ·  {info.duration_s:.1f} s  ·  {job.theme} theme  ·  {len(keyframes)} keyframes"
    sheet = contact_sheet(keyframes, title=title, columns=board.columns, tile_width=board.tile_width,
                          captions=cues)
    target = (job.output_dir / job.quality.label / job.scene).with_suffix(".storyboard.png")
    sheet.save(staging.stage(target), format="PNG", optimize=True)
    entry |= {"kind": "storyboard", "format": "png", "fps": info.fps, "duration_s": info.duration_s,
              "frames": len(keyframes)}
    return _describe(entry, job.output_dir, target, staging, *sheet.size)


def _read_captions(writer: Any) -> str:
    path = writer.output_plan.subcaption_file
    return Path(path).read_text(encoding="utf-8") if path is not None and Path(path).exists() else ""


def _check_web_ready(mp4: Path, info: VideoInfo) -> None:
    """Refuse to publish an MP4 a browser would not start playing at once (``info``: its probe)."""
    boxes = mp4_top_level_boxes(mp4)
    problems = []
    if info.codec != "h264" or info.pix_fmt != "yuv420p":
        problems.append(f"{info.codec}/{info.pix_fmt}, not h264/yuv420p")
    if info.width % 2 or info.height % 2:
        problems.append(f"odd size {info.width}x{info.height}")
    if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
        problems.append(f"index not before the frames ({' '.join(boxes)})")
    if problems:
        raise RuntimeError(f"the MP4 is not web-ready: {'; '.join(problems)}")


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _describe(
    entry: dict[str, Any], root: Path, target: Path, staging: Staging, width: int, height: int
) -> dict[str, Any]:
    staged = staging.stage_path(target)
    return {
        "file": _relative(target, root),
        **entry,
        "resolution": f"{width}x{height}",
        "width": width,
        "height": height,
        "size_bytes": staged.stat().st_size,
        "sha256": sha256_file(staged),
    }


# --- many scenes -------------------------------------------------------------
def render_many(
    jobs: Sequence[RenderJob],
    *,
    n_jobs: int,
    on_progress: ProgressSink | None = None,
    on_result: Callable[[RenderResult], None] | None = None,
) -> list[RenderResult]:
    """Render ``jobs``, up to ``n_jobs`` at a time, each in its own fresh (spawned) process.

    One scene's failure, even a crashed process, does not stop the others.
    Results come back in job order. On ``KeyboardInterrupt`` (Ctrl-C) the
    running scenes are terminated cleanly (they leave every final file
    untouched), the waiting ones never start, and the interrupt is re-raised.
    """
    for output_dir in {job.output_dir for job in jobs if job.mode != "dry-run"}:
        sweep_stale(output_dir)
    context = multiprocessing.get_context("spawn")  # manim's global config is not fork-safe
    events = context.Queue()
    interruptible = signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    waiting = list(enumerate(jobs))
    running: dict[int, Any] = {}
    results: dict[int, RenderResult] = {}

    def handle(message: tuple[Any, ...]) -> None:
        if message[0] == "progress" and on_progress is not None:
            on_progress(*message[1:])
        elif message[0] == "result":
            results[message[1]] = message[2]
            if on_result is not None:
                on_result(message[2])

    try:
        while waiting or running:
            while waiting and len(running) < max(1, n_jobs):
                index, job = waiting.pop(0)
                running[index] = _start_child(context, index, job, events, interruptible)
            with contextlib.suppress(queue.Empty):
                handle(events.get(timeout=0.2))
            for index, process in list(running.items()):
                if process.is_alive():
                    continue
                process.join()
                while index not in results and _drain_one(events, handle):
                    pass
                if index not in results:
                    results[index] = RenderResult(
                        jobs[index].scene, ok=False,
                        error=f"the worker process died (exit code {process.exitcode}; out of memory?)",
                    )
                    if on_result is not None:
                        on_result(results[index])
                del running[index]
        while _drain_one(events, handle):
            pass
    except KeyboardInterrupt:
        _stop_children(list(running.values()))
        raise
    return [results[i] for i in range(len(jobs))]


def _start_child(context: Any, index: int, job: RenderJob, events: Any, interruptible: bool) -> Any:
    process = context.Process(
        target=_child, args=(index, job, events, interruptible), name=f"render-{job.scene}"
    )
    # Started with SIGINT ignored, so a Ctrl-C while it imports prints no traceback; _child sets it up.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, previous)
    return process


def _drain_one(events: Any, handle: Callable[[tuple[Any, ...]], None]) -> bool:
    try:
        handle(events.get(timeout=0.05))
    except queue.Empty:
        return False
    return True


def _stop_children(processes: Sequence[Any], grace_s: float = 15.0) -> None:
    """SIGTERM each (a clean stop: temporaries removed), then SIGKILL any still running."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + grace_s
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


