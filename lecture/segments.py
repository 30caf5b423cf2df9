"""The render cache: ManimCE's per-animation video segments, kept between renders.

ManimCE names each animation's segment by a hash of everything on screen
and the animation itself, and skips an animation whose segment exists. Its
cache lives in the working folder, which a render throws away; here it is
kept under ``<output-dir>/cache/segments/<Scene>/<theme>/<label>/``:

- before a render, :func:`link_in` hard-links the folder's segments into the
  render's private working folder (no copy; a copy where links fail);
- after a successful render, :func:`keep` adds the new segments, each
  renamed into place whole (so a render killed half-way leaves no truncated
  segment to be mistaken for a good one, and two renders of one scene at
  once can only ever put identical, complete files at one name), and marks
  the reused ones as used;
- :func:`prune` then deletes the least recently used segments until the
  whole cache fits in :data:`MAX_BYTES`.

Editing one beat changes that beat's hash; the other beats' segments are
found and only the edited one is rendered. For that to hold, a skipped
(cached) animation must advance the scene's clock exactly as rendering it
would: :func:`cache_friendly` sees to it (ManimCE adds the exact run time
when it skips, but whole frames when it renders, so the timing of narrated
beats, and with it every later hash, would differ between a cold render and
a warm one), and makes the keys cheap to compute.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lecture.jobs import RenderJob
from lecture.outputs import link_or_copy, place_whole
from lecture.publish import pid_alive

__all__ = [
    "MAX_BYTES",
    "cache_dir",
    "cache_friendly",
    "fingerprint",
    "has_segments",
    "keep",
    "link_in",
    "prune",
]

#: The whole segment cache of an output folder is pruned to this size (least recently used first).
MAX_BYTES = int(os.environ.get("LECTURE_SEGMENT_CACHE_MB", "2048")) * 1024 * 1024
SEGMENTS = "segments"
_SEGMENT = re.compile(r"^[0-9a-f]{16,}\.(mp4|webm|mov)$")
_TEMP = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp$")


def cache_dir(job: RenderJob) -> Path:
    """Where ``job``'s segments are kept: per scene, theme and quality."""
    return job.output_dir / "cache" / SEGMENTS / job.scene / job.theme / job.quality.label


def _segments(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if _SEGMENT.match(p.name) and p.is_file() and not p.is_symlink()]


def has_segments(job: RenderJob) -> bool:
    """Whether any segment of ``job``'s scene, theme and quality is kept."""
    return bool(_segments(cache_dir(job)))


def link_in(cache: Path, work: Path) -> int:
    """Make the kept segments visible in a render's working folder; return how many."""
    work.mkdir(parents=True, exist_ok=True)
    count = 0
    for segment in _segments(cache):
        with contextlib.suppress(OSError):
            link_or_copy(segment, work / segment.name)
            count += 1
    return count


def keep(work: Path, cache: Path, used: Iterable[str]) -> int:
    """Add the working folder's new segments to the cache; mark ``used`` ones as just used.

    Returns how many were added. Best effort: a full disk costs the cache,
    never the render.
    """
    cache.mkdir(parents=True, exist_ok=True)
    added = 0
    for segment in _segments(work):
        final = cache / segment.name
        if final.exists():
            continue
        with contextlib.suppress(OSError):
            place_whole(segment, final)
            added += 1
    now = time.time()
    for name in used:
        with contextlib.suppress(OSError):
            os.utime(cache / Path(name).name, (now, now))
    return added


def prune(output_dir: Path, max_bytes: int = MAX_BYTES) -> list[Path]:
    """Delete least recently used segments until the output folder's cache fits in ``max_bytes``.

    Temporaries of processes that are gone are deleted too, and folders left
    empty. Returns what was deleted.
    """
    root = output_dir / "cache" / SEGMENTS
    if not root.is_dir() or root.is_symlink():
        return []
    deleted: list[Path] = []
    segments: list[tuple[float, int, Path]] = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            temporary = _TEMP.match(name)
            try:
                if temporary and not pid_alive(int(temporary[1])):
                    path.unlink()
                    deleted.append(path)
                elif _SEGMENT.match(name):
                    stat = path.stat()
                    segments.append((stat.st_mtime, stat.st_size, path))
            except OSError:
                continue
    total = sum(size for _, size, _ in segments)
    for _, size, path in sorted(segments):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            deleted.append(path)
            total -= size
    for folder, _dirs, _names in sorted(os.walk(root), key=lambda w: -len(w[0])):
        if Path(folder) != root:
            with contextlib.suppress(OSError):
                Path(folder).rmdir()  # only if empty
    return deleted


@contextlib.contextmanager
def cache_friendly() -> Iterator[None]:
    """While in the block, ManimCE's per-animation cache is fast and gives the same keys cold or warm.

    - A skipped or cached animation advances the scene clock by whole frames,
      as rendering it would. Rendering an animation of run time ``T`` at
      ``dt`` per frame writes ``len(arange(0, T, dt))`` frames (``int(T / dt)``
      for a still wait) and adds ``dt`` per frame to the clock; skipping it
      adds ``T``. Here the skipping path adds what the rendering path would
      have, in the same steps, so the clock reads the same bit for bit.
    - A mobject enters an animation's cache key as :func:`fingerprint`
      instead of ManimCE's recursive JSON of all its attributes, which cost
      about 0.4 s per animation in these scenes (an axis with its numbers is
      1.5 MB of JSON) and so ate the cache's gain at ``-q l``.
    """
    import numpy as np
    from manim import config
    from manim.mobject.mobject import Mobject
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.utils import hashing

    original_play = CairoRenderer.play
    original_default = hashing._CustomEncoder.default

    def play(self: Any, scene: Any, *args: Any, **kwargs: Any) -> None:
        start = self.time
        original_play(self, scene, *args, **kwargs)
        if not self.skip_animations:  # rendered: the clock already counted its frames
            return
        dt = 1 / self.camera.frame_rate
        self.time = start
        if scene.is_current_animation_frozen_frame():
            self.time += int(scene.duration / dt) * dt
        else:
            for _ in np.arange(0, scene.duration, 1 / config["frame_rate"]):  # Scene.get_time_progression
                self.time += 1 * dt

    def default(self: Any, obj: Any) -> Any:
        if isinstance(obj, Mobject):
            return self._cleaned_iterable(fingerprint(obj))
        return original_default(self, obj)

    CairoRenderer.play = play  # type: ignore[method-assign]
    hashing._CustomEncoder.default = default  # type: ignore[method-assign]
    try:
        yield
    finally:
        CairoRenderer.play = original_play  # type: ignore[method-assign]
        hashing._CustomEncoder.default = original_default  # type: ignore[method-assign]


#: Decimals a fingerprint keeps of a float: a millionth of a scene unit is a thousandth of a pixel at 4K.
DECIMALS = 6


def _settled(value: Any) -> Any:
    """``value`` rounded to :data:`DECIMALS` places (floats only), with -0.0 made 0.0.

    The same state reached by two paths differs in the last bits: an
    updater that moves a mobject relative to where it is (``next_to``,
    ``put_start_and_end_on``) ends a skipped animation after one step and a
    rendered one after one step per frame. Exact bytes would then give the
    two a different key, and every later animation too, so a warm render, or
    a helper process of a split one (:mod:`lecture.split`), would render
    everything after the first such step again.
    """
    import numpy as np

    if value.dtype.kind != "f":
        return value
    return np.round(value, DECIMALS) + 0.0


#: Attribute values a fingerprint takes as they are (besides arrays).
_SCALARS = (str, int, float, bool, type(None))


def fingerprint(mobject: Any) -> dict[str, Any]:
    """What a mobject draws and how it will move, compactly: the key ManimCE hashes in its place.

    One SHA-256 over every member of its family (class, and every attribute
    that is an array, a number, a string, a colour or a flat list of those:
    points, colours, widths, z-index, a tracker's value, a number's decimals),
    plus its members' updaters, which ManimCE's encoder turns into their code
    and the values they close over (mobjects among those by their own
    fingerprint). Nested containers of mobjects are covered by the family and
    the updaters; what is left out is what ManimCE's JSON would also have
    needed a mobject for.
    """
    import numpy as np

    digest = hashlib.sha256()
    updaters: list[Any] = []
    for member in mobject.get_family():
        digest.update(f"<{type(member).__qualname__}>".encode())
        for name, value in sorted(vars(member).items()):
            if name in ("submobjects", "updaters", "original_id", "name"):
                continue
            if isinstance(value, np.ndarray) and not value.dtype.hasobject:
                digest.update(f"{name}:{value.dtype}{value.shape}".encode())
                digest.update(np.ascontiguousarray(_settled(value)).tobytes())
            elif isinstance(value, float):
                digest.update(f"{name}={_settled(np.float64(value))!r};".encode())
            elif isinstance(value, _SCALARS) or type(value).__name__ == "ManimColor":
                digest.update(f"{name}={value!r};".encode())
            elif isinstance(value, list | tuple) and all(isinstance(v, _SCALARS) for v in value):
                digest.update(f"{name}={value!r};".encode())
        updaters.extend(getattr(member, "updaters", ()))
    return {"mobject": type(mobject).__qualname__, "state": digest.hexdigest(), "updaters": updaters}
