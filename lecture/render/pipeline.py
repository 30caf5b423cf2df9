"""Render one scene and publish its files; render many, one worker process each.

:func:`render_scene` runs ManimCE on a job in a private working folder
(:mod:`lecture.render.manim_run`), hands what it made to the output kind's
finisher (:mod:`lecture.publish.finishers`) and publishes the files and their
manifest entry as one transaction (:mod:`lecture.publish.transaction`).
:func:`render_many` skips the scenes that are up to date
(:mod:`lecture.render.freshness`) and runs the others in parallel, each in a
fresh spawned process (:mod:`lecture.render.workers`), reporting progress as
they go. The checks the CLI makes first are :mod:`lecture.render.preflight`'s.

Nothing here imports manim at module level: the CLI imports this module before
any rendering starts, and stays fast.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import shutil
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from lecture.jobs import Mode, RenderJob, RenderResult
from lecture.publish.finishers import Finisher, finisher_for
from lecture.publish.outputs import SVG_CACHES
from lecture.publish.transaction import Publication, StepHook, sweep_stale
from lecture.render import segments, split
from lecture.render.freshness import up_to_date
from lecture.render.manim_run import run_manim, sweep_dry_runs, work_dir
from lecture.render.svg_cache import link_svgs, publish_svgs
from lecture.render.workers import (
    ProgressSink,
    Spares,
    Watch,
    WorkerContext,
    oom_kills,
    process_end,
    run_in_processes,
    watching,
)

__all__ = [
    "PROJECT_ROOT",
    "Mode",
    "ProgressSink",
    "RenderJob",
    "RenderResult",
    "render_many",
    "render_scene",
    "spare_workers",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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


def _render(job: RenderJob, context: WorkerContext, watch: Watch, on_step: StepHook | None) -> RenderResult:
    started = time.monotonic()
    shared = job.output_dir / "cache"
    work = work_dir(job)
    try:
        for name in SVG_CACHES:
            link_svgs(shared / name, work / name)
        finisher = finisher_for(job) if job.mode != "dry-run" else None
        notes = _heal_segments(job, finisher)
        try:
            rendered = run_manim(job, finisher, work, watch, processes=job.processes)
        except split.HelperLost:
            # A helper crashed or was killed: what it finished is lost, the render is not.
            logging.getLogger("manim").warning("a helper process was lost; rendering %s alone", job.scene)
            rendered = run_manim(job, finisher, work, watch, processes=1)
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
            warnings=(*notes, *publication.notes),
        )
    finally:
        try:
            if job.mode != "dry-run":
                for name in SVG_CACHES:
                    publish_svgs(work / name, shared / name)
        finally:  # even when Ctrl-C arrives while publishing
            shutil.rmtree(work, ignore_errors=True)


def _heal_segments(job: RenderJob, finisher: Finisher | None) -> tuple[str, ...]:
    """Delete the damaged segments the render would reuse (:func:`lecture.render.segments.heal`); say so."""
    if finisher is None or finisher.manim_format == "png" or job.force:  # nothing kept is read
        return ()
    cache = segments.cache_dir(job)
    damaged = segments.heal(cache)
    if not damaged:
        return ()
    where = cache.relative_to(job.output_dir).as_posix() if cache.is_relative_to(job.output_dir) else cache
    return (
        f"{job.scene}: {len(damaged)} kept segment(s) in {where} did not match their recorded size and "
        f"SHA-256 (e.g. {damaged[0].name}); deleted and rendered again",
    )


# --- many scenes -------------------------------------------------------------------
#: What every render imports that no edit to the project changes, and a spare worker imports while it
#: waits for its job. ManimCE first (it quiets pydub's warning about a missing ffmpeg binary).
WORKER_PRELOAD = ("manim", "onnxruntime", "piper")


def spare_workers() -> Spares:
    """One worker process kept ready between renders, with :data:`WORKER_PRELOAD` imported (``--watch``).

    A render after a save then skips about 0.6 s of imports. ``close()`` it when done.
    """
    return Spares(WORKER_PRELOAD, PROJECT_ROOT)


def _lost(job: RenderJob, exit_code: int | None, *, oom_kills_before: int | None = None) -> RenderResult:
    """The result of a worker that ended without sending one (killed, or crashed)."""
    if exit_code is None:
        return RenderResult(job.scene, ok=False, error="interrupted", interrupted=True)
    return RenderResult(job.scene, ok=False, error=process_end(exit_code, oom_kills_before, oom_kills()))


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
            lost=functools.partial(_lost, oom_kills_before=oom_kills()),
            on_progress=on_progress,
            on_result=on_result,
            spares=spares,
        )
        if todo
        else []
    )
    return [fresh[i] if i in fresh else next(rendered) for i in range(len(jobs))]
