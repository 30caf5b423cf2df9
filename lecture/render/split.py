"""One scene rendered by several processes at once: helpers render some of its animations.

ManimCE renders a scene's animations in turn, each into a video segment named
by the animation's hash, and skips an animation whose segment already exists
(its cache) while still running it to its end state. A split render builds on
that. The scene runs in ``n`` processes at once, each from its first
animation to its last. Before rendering an animation a process *claims* its
segment (a file created exclusively in a shared folder, :func:`claim`); an
animation that another process has claimed is taken as cached and skipped
through. So every animation is rendered once, by whichever process reached
it first, and the processes share the work out by themselves as they go: a
long animation keeps one process busy while the others take the next ones.
No plan of ranges is needed, which ManimCE's ``from_animation_number`` /
``upto_animation_number`` would need (the count and length of a scene's
animations are only known by running it, and its beats are very uneven).

The main process is an ordinary render from a warm cache: it places the
narration and the captions and joins the segments in order without
re-encoding (ManimCE's own ``combine_to_movie``), so the video is the same,
frame for frame, as a render in one process (tested). Before it joins them it
waits for the helpers to hand over the segments they rendered (:func:`take_over`).
A helper hands over only whole segments, each renamed into the shared folder
after its encoder has finished. If a helper ends without handing over a segment
it claimed, the main process raises :class:`HelperLost`, and the pipeline
renders the scene again in one process.

The folder shared by one split render (``<work>/split``) holds ``claims/``
and ``segments/``; it goes when the render's working folder goes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecture.publish.outputs import link_or_copy, place_whole
from lecture.render.workers import stop_processes

__all__ = ["HelperLost", "Share", "claim", "sharing", "take_over"]

#: How often the main process looks for the segments it waits for.
POLL_SECONDS = 0.05


class HelperLost(RuntimeError):
    """A helper process ended without handing over a segment it had claimed."""


@dataclass
class Share:
    """What one process of a split render knows of the others.

    ``folder`` is shared by all of them; ``borrowed`` maps each animation
    hash this process skipped because another one claimed it to where the
    segment must be in this process's own partial-movie folder;
    ``rendered`` lists the hashes this process claimed.
    """

    folder: Path
    main: bool
    borrowed: dict[str, Path] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)

    @property
    def claims(self) -> Path:
        return self.folder / "claims"

    @property
    def segments(self) -> Path:
        return self.folder / "segments"

    def prepare(self) -> None:
        """Make the shared folders (the main process does, before starting its helpers)."""
        self.claims.mkdir(parents=True, exist_ok=True)
        self.segments.mkdir(parents=True, exist_ok=True)


def claim(share: Share, animation_hash: str) -> bool:
    """Claim the animation ``animation_hash`` for this process; ``False`` if another one has it.

    The claim is a file created with ``O_EXCL``, which exactly one process
    can do; it holds the claimant's process id (for the error message if it
    is lost).
    """
    try:
        descriptor = os.open(share.claims / animation_hash, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as claim_file:
        claim_file.write(str(os.getpid()))
    share.rendered.append(animation_hash)
    return True


def hand_over(share: Share, partial_dir: Path) -> int:
    """Put this helper's rendered segments in the shared folder, each renamed in whole; return how many.

    Call after the scene has rendered (every encoder finished). A hard link
    where possible (the working folders are on one file system), else a copy.
    """
    count = 0
    for animation_hash in share.rendered:
        found = list(partial_dir.glob(f"{animation_hash}.*"))
        if not found:
            continue
        place_whole(found[0], share.segments / found[0].name)
        count += 1
    return count


def take_over(share: Share, alive: Callable[[], bool], poll_s: float = POLL_SECONDS) -> int:
    """Wait for every borrowed segment and link it into this process's partial-movie folder.

    ``alive`` tells whether any helper is still running: once none is and a
    borrowed segment is still missing, :class:`HelperLost` is raised. Returns
    how many segments were taken over.
    """
    waiting = dict(share.borrowed)
    while waiting:
        for animation_hash, target in list(waiting.items()):
            source = share.segments / target.name
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    link_or_copy(source, target)
                del waiting[animation_hash]
        if not waiting:
            break
        if not alive():
            # One last look: a helper may have handed over and exited between the two checks.
            if all((share.segments / t.name).exists() for t in waiting.values()):
                continue
            missing = ", ".join(sorted(waiting)[:3])
            raise HelperLost(f"a helper process ended without the segment(s) it claimed: {missing}")
        time.sleep(poll_s)
    return len(share.borrowed)


@contextlib.contextmanager
def sharing(share: Share, alive: Callable[[], bool] = lambda: False) -> Iterator[Share]:
    """While in the block, ManimCE renders only the animations this process claims.

    - ``SceneFileWriter.is_already_cached``: a segment that exists is cached
      as before; otherwise the animation is claimed, or, if another process
      has it, recorded as borrowed and taken as cached.
    - The main process's ``combine_to_movie`` first takes the borrowed
      segments over (waiting for them, see :func:`take_over`).
    - A helper neither mixes sound nor joins the segments: its movie is never
      used, only its segments.
    """
    from manim.scene.scene_file_writer import SceneFileWriter

    original_cached = SceneFileWriter.is_already_cached
    original_combine = SceneFileWriter.combine_to_movie
    original_sound = SceneFileWriter.add_sound
    original_subcaptions = SceneFileWriter.write_subcaption_file

    def is_already_cached(self: Any, animation_hash: str) -> bool:
        if original_cached(self, animation_hash):
            return True
        if animation_hash in share.rendered or claim(share, animation_hash):
            return False
        share.borrowed[animation_hash] = Path(self.output_plan.segment_path(animation_hash))
        return True

    def combine_to_movie(self: Any) -> None:
        take_over(share, alive)
        original_combine(self)

    def nothing(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    SceneFileWriter.is_already_cached = is_already_cached  # type: ignore[method-assign,assignment]
    if share.main:
        SceneFileWriter.combine_to_movie = combine_to_movie  # type: ignore[method-assign]
    else:
        SceneFileWriter.combine_to_movie = nothing  # type: ignore[method-assign]
        SceneFileWriter.add_sound = nothing  # type: ignore[method-assign]
        SceneFileWriter.write_subcaption_file = nothing  # type: ignore[method-assign]
    try:
        yield share
    finally:
        SceneFileWriter.is_already_cached = original_cached  # type: ignore[method-assign]
        SceneFileWriter.combine_to_movie = original_combine  # type: ignore[method-assign]
        SceneFileWriter.add_sound = original_sound  # type: ignore[method-assign]
        SceneFileWriter.write_subcaption_file = original_subcaptions  # type: ignore[method-assign]


# --- the helper processes ---------------------------------------------------------
@dataclass
class Helpers:
    """The helper processes of one split render."""

    processes: Sequence[Any]

    def alive(self) -> bool:
        return any(p.is_alive() for p in self.processes)

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM the ones still running (they clean up), then SIGKILL what is left."""
        stop_processes(self.processes, grace_s=grace_s)


def start_helpers(target: Callable[..., None], args: Sequence[tuple[Any, ...]]) -> Helpers:
    """Start one spawned process per ``args``, running ``target(*args[i])``.

    They start with SIGINT ignored: a Ctrl-C reaches the whole process group,
    and the main process stops its helpers itself, so they print nothing.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # manim's global config is not fork-safe
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    processes = []
    try:
        for arguments in args:
            process = context.Process(target=target, args=arguments, name="render-helper", daemon=True)
            process.start()
            processes.append(process)
    finally:
        signal.signal(signal.SIGINT, previous)
    return Helpers(processes)
