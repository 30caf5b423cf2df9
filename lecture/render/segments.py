"""The render cache: ManimCE's per-animation video segments, kept between renders.

ManimCE names each animation's segment by a hash of everything on screen
and the animation itself, and skips an animation whose segment exists. Its
cache lives in the working folder, which a render throws away; here it is
kept under ``<output-dir>/cache/segments/<Scene>/<theme>/<label>/<encoding>/``
(:func:`cache_dir`: the encoder settings are not in ManimCE's key, and a
storyboard's lossless segments must never end up in a video):

- after a successful render, :func:`keep` adds the new segments, each
  renamed into place whole (so a render killed half-way leaves no truncated
  segment to be mistaken for a good one, and two renders of one scene at
  once can only ever put identical, complete files at one name), records
  each one's size and SHA-256 beside it (``<segment>.sha256``), and marks
  the reused ones as used;
- before a render, :func:`heal` checks every kept segment against its record
  and deletes those that do not match (cut off, overwritten, or without a
  record), so they are rendered again instead of breaking the render; then
  :func:`link_in` hard-links the recorded segments into the render's private
  working folder (no copy; a copy where links fail);
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
from lecture.publish.finishers import Finisher, finisher_for
from lecture.publish.outputs import link_or_copy, place_whole, sha256_file, temp_name
from lecture.publish.transaction import pid_alive

__all__ = [
    "MAX_BYTES",
    "cache_dir",
    "cache_friendly",
    "encoder_options",
    "fingerprint",
    "has_segments",
    "heal",
    "keep",
    "link_in",
    "prune",
]

#: The whole segment cache of an output folder is pruned to this size (least recently used first).
MAX_BYTES = int(os.environ.get("LECTURE_SEGMENT_CACHE_MB", "2048")) * 1024 * 1024
SEGMENTS = "segments"
_SEGMENT = re.compile(r"^[0-9a-f]{16,}\.(mp4|webm|mov)$")
#: A kept segment's record: ``<size> <sha256>`` of the segment whose name it extends.
_RECORD = re.compile(r"^([0-9a-f]{16,}\.(?:mp4|webm|mov))\.sha256$")
_TEMP = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp$")


def encoder_options(finisher: Finisher | None) -> dict[str, str]:
    """ManimCE's ``video_encoder_options`` for ``finisher``: lossless when its video is an intermediate.

    A storyboard's or a GIF's frames are read back from ManimCE's video, so
    it is encoded losslessly (``crf`` 0); a video keeps ManimCE's defaults.
    """
    return {"crf": "0"} if finisher is not None and finisher.lossless_intermediate else {}


def _encoding(options: dict[str, str]) -> str:
    """A folder name for encoder ``options``: ``default``, or e.g. ``crf0``."""
    return "-".join(f"{key}{value}" for key, value in sorted(options.items())) or "default"


def cache_dir(job: RenderJob) -> Path:
    """Where ``job``'s segments are kept: per scene, theme, quality and encoder settings."""
    encoding = _encoding(encoder_options(finisher_for(job)))
    return job.output_dir / "cache" / SEGMENTS / job.scene / job.theme / job.quality.label / encoding


def _segments(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if _SEGMENT.match(p.name) and p.is_file() and not p.is_symlink()]


def _record(segment: Path) -> Path:
    return segment.with_name(f"{segment.name}.sha256")


def _recorded(segment: Path) -> tuple[int, str] | None:
    """The size and SHA-256 recorded for a kept segment when it was placed, or None."""
    try:
        size, sha = _record(segment).read_text(encoding="ascii").split()
        return int(size), sha
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _is_whole(segment: Path) -> bool:
    """Whether ``segment`` is the file its record describes: same size, same SHA-256."""
    recorded = _recorded(segment)
    try:
        return (
            recorded is not None
            and segment.is_file()
            and not segment.is_symlink()
            and segment.stat().st_size == recorded[0]
            and sha256_file(segment) == recorded[1]
        )
    except OSError:
        return False


def _kept(folder: Path) -> list[Path]:
    """The segments of a cache folder that have a record of their size (checked whole by :func:`heal`)."""
    kept = []
    for segment in _segments(folder):
        recorded = _recorded(segment)
        with contextlib.suppress(OSError):
            if recorded is not None and segment.stat().st_size == recorded[0]:
                kept.append(segment)
    return kept


def has_segments(job: RenderJob) -> bool:
    """Whether any segment of ``job``'s scene, theme, quality and encoding is kept."""
    return bool(_kept(cache_dir(job)))


def heal(cache: Path) -> list[Path]:
    """Delete the kept segments that do not match their record (or have none); return them.

    A segment cut off by a full disk, overwritten, or put there by hand
    would make ManimCE's concatenation fail for every later render; deleted,
    it is simply rendered again.
    """
    damaged = []
    for segment in _segments(cache):
        if not _is_whole(segment):
            with contextlib.suppress(OSError):
                segment.unlink()
                damaged.append(segment)
            with contextlib.suppress(OSError):
                _record(segment).unlink()
    return damaged


def link_in(cache: Path, work: Path) -> int:
    """Make the kept (recorded) segments visible in a render's working folder; return how many."""
    work.mkdir(parents=True, exist_ok=True)
    count = 0
    for segment in _kept(cache):
        with contextlib.suppress(OSError):
            link_or_copy(segment, work / segment.name)
            count += 1
    return count


def _write_record(segment: Path, size: int, sha: str) -> None:
    temporary = temp_name(_record(segment))
    try:
        temporary.write_text(f"{size} {sha}\n", encoding="ascii")
        os.replace(temporary, _record(segment))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def keep(work: Path, cache: Path, used: Iterable[str]) -> int:
    """Add the working folder's new segments to the cache, with records; mark ``used`` ones as just used.

    A segment already kept under the same name stays if it matches its
    record, and is replaced otherwise (``--force`` renders every segment,
    and so heals every damaged one). Returns how many were added. Best
    effort: a full disk costs the cache, never the render.
    """
    cache.mkdir(parents=True, exist_ok=True)
    added = 0
    for segment in _segments(work):
        final = cache / segment.name
        with contextlib.suppress(OSError):
            if final.exists() and (os.path.samefile(segment, final) or _is_whole(final)):
                continue  # linked in from the cache (checked by heal), or placed by another render
        with contextlib.suppress(OSError):
            size, sha = segment.stat().st_size, sha256_file(segment)
            place_whole(segment, final)
            _write_record(final, size, sha)
            added += 1
    now = time.time()
    for name in used:
        with contextlib.suppress(OSError):
            os.utime(cache / Path(name).name, (now, now))
    return added


def prune(output_dir: Path, max_bytes: int = MAX_BYTES) -> list[Path]:
    """Delete least recently used segments until the output folder's cache fits in ``max_bytes``.

    A segment's record goes with it. Temporaries of processes that are gone
    and records whose segment is gone are deleted too, and folders left
    empty. Returns what was deleted (records with their segments aside).
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
            record = _RECORD.match(name)
            try:
                if temporary and not pid_alive(int(temporary[1])):
                    path.unlink()
                    deleted.append(path)
                elif record and record[1] not in names:  # its segment is gone
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
            _record(path).unlink(missing_ok=True)
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
    - A skipped (cached) animation draws nothing: ManimCE draws its static
      background and its end state although it writes no frame of it. The
      renderer's frame is then out of date: :func:`last_frame` draws the
      scene's last one afresh. The camera fills a table of draw functions on
      its first drawing, which would then come later on a warm render than on
      a cold one; it is left out of the keys.
    - A scene reached through an updater's closure enters a key as
      :func:`scene_state`, without its bookkeeping of the play in progress
      (ManimCE otherwise encodes all of it, time steps and renderer clock
      included, so every play after an edited beat got a new key).
    - A mobject enters an animation's cache key as :func:`fingerprint`
      instead of ManimCE's recursive JSON of all its attributes, which cost
      about 0.4 s per animation in these scenes (an axis with its numbers is
      1.5 MB of JSON) and so ate the cache's gain at ``-q l``.
    """
    import numpy as np
    from manim import config
    from manim.camera.camera import Camera
    from manim.mobject.mobject import Mobject
    from manim.renderer import cairo_renderer
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene import Scene
    from manim.utils import hashing

    original_play = CairoRenderer.play
    original_update_frame = CairoRenderer.update_frame
    original_default = hashing._CustomEncoder.default
    original_get_hash = cairo_renderer.get_hash_from_play_call  # type: ignore[attr-defined]

    def play(self: Any, scene: Any, *args: Any, **kwargs: Any) -> None:
        start = self.time
        self.lecture_in_play = True
        try:
            original_play(self, scene, *args, **kwargs)
        finally:
            self.lecture_in_play = False
        if not self.skip_animations:  # rendered: the clock already counted its frames
            return
        dt = 1 / self.camera.frame_rate
        self.time = start
        if scene.is_current_animation_frozen_frame():
            self.time += int(scene.duration / dt) * dt
        else:
            for _ in np.arange(0, scene.duration, 1 / config["frame_rate"]):  # Scene.get_time_progression
                self.time += 1 * dt

    def update_frame(self: Any, scene: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "lecture_in_play", False) and self.skip_animations:
            return  # a skipped animation writes no frame: drawing its background and its end is waste
        original_update_frame(self, scene, *args, **kwargs)

    def default(self: Any, obj: Any) -> Any:
        if isinstance(obj, Mobject):
            return self._cleaned_iterable(fingerprint(obj))
        if isinstance(obj, Camera):  # less the table of draw functions it builds on its first drawing
            return self._cleaned_iterable({k: v for k, v in vars(obj).items() if k not in _CAMERA_CACHES})
        if isinstance(obj, Scene):  # reached through an updater that closes over ``self``
            return self._cleaned_iterable(scene_state(obj))
        return original_default(self, obj)

    CairoRenderer.play = play  # type: ignore[method-assign]
    CairoRenderer.update_frame = update_frame  # type: ignore[method-assign]
    hashing._CustomEncoder.default = default  # type: ignore[method-assign]
    cairo_renderer.get_hash_from_play_call = _one_key(original_get_hash)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        CairoRenderer.play = original_play  # type: ignore[method-assign]
        CairoRenderer.update_frame = original_update_frame  # type: ignore[method-assign]
        hashing._CustomEncoder.default = original_default  # type: ignore[method-assign]
        cairo_renderer.get_hash_from_play_call = original_get_hash  # type: ignore[attr-defined]


def last_frame(scene: Any) -> Any:
    """The scene's last frame, everything on screen drawn afresh (as ManimCE draws a still).

    Drawn whether or not the last animation was skipped (:func:`cache_friendly`),
    so a poster does not depend on which animations came from the cache.
    """
    renderer = scene.renderer
    renderer.static_image = None
    renderer.update_frame(scene)
    return renderer.get_frame()


#: What a camera builds for itself when it first draws: not part of what it draws.
_CAMERA_CACHES = frozenset({"display_funcs"})
#: A ManimCE scene's bookkeeping (ManimCE 0.22): the play in progress (its animations, their
#: time steps, which mobjects move), the renderer and its clock, event handlers, the mobjects on
#: screen (in the key already, each by its fingerprint). None of it is what an updater draws from,
#: and most of it differs between a rendered and a skipped animation or moves with an earlier
#: beat's length.
SCENE_BOOKKEEPING = frozenset(
    {
        "always_update_mobjects", "animations", "camera_class", "camera_target", "dearpygui_imported",
        "duration", "file_writer_settings", "foreground_mobjects", "interactive_mode",
        "key_to_function_map", "last_t", "manager", "meshes", "mobjects", "mouse_press_callbacks",
        "moving_mobjects", "output_plan", "queue", "random_seed", "renderer", "session_spec",
        "skip_animation_preview", "skip_animations", "static_mobjects", "stop_condition",
        "time_progression", "widgets", "_log_file_path",
    }
)  # fmt: skip


def scene_state(scene: Any) -> dict[str, Any]:
    """What of a scene enters a render-cache key: its attributes less its bookkeeping.

    An updater that closes over the scene (``self.history``, ``self.epoch``
    in a method's inner function) draws from the scene's own attributes, so
    they stay in the key; ManimCE's :data:`SCENE_BOOKKEEPING` and whatever
    the scene class names in its ``RENDER_KEY_EXEMPT`` (the narrator's beats
    and their times, say) do not.
    """
    left_out = SCENE_BOOKKEEPING | frozenset(getattr(type(scene), "RENDER_KEY_EXEMPT", ()))
    return {"scene": type(scene).__qualname__} | {k: v for k, v in vars(scene).items() if k not in left_out}


#: The grid a fingerprint rounds floats to: 2⁻²⁰ scene units (about a millionth; a thousandth of a
#: pixel at 4K). A binary grid, not a decimal one: SVG glyph coordinates are binary fractions such as
#: 3.6953125 (= 473/128), which sit exactly half-way between two millionths, so two paths that end
#: 4e-16 apart rounded to different decimals; on this grid such values are grid points.
GRID = 2.0**-20
#: Attribute values a fingerprint takes as they are (besides arrays).
_SCALARS = (str, int, float, bool, type(None))
#: Attributes a fingerprint leaves out: the family and the updaters are covered on their own; the rest
#: names a mobject, and draws nothing.
_LEFT_OUT = frozenset({"submobjects", "updaters", "original_id", "name"})
#: While one animation's key is computed, each family member's digest by ``id`` (see :func:`_one_key`):
#: a member reached twice (a group, and one of its parts that an animation moves) is hashed once.
_digests: dict[int, bytes] | None = None


def _settled(values: Any) -> Any:
    """Float ``values`` (an array) rounded to the nearest multiple of :data:`GRID`, with -0.0 made 0.0.

    The same state reached by two paths differs in the last bits: an
    updater that moves a mobject relative to where it is (``next_to``,
    ``put_start_and_end_on``) ends a skipped animation after one step and a
    rendered one after one step per frame. Exact bytes would then give the
    two a different key, and every later animation too, so a warm render, or
    a helper process of a split one (:mod:`lecture.render.split`), would render
    everything after the first such step again.
    """
    import numpy as np

    return np.rint(values / GRID) * GRID + 0.0  # exact: GRID is a power of two


def _member_digest(member: Any) -> bytes:
    """SHA-256 of one mobject's own drawing state (its family members each have their own).

    Names, types and shapes go in as text; all float values of the member
    (arrays and plain floats) are rounded together by one :func:`_settled`
    call, which is most of the cost, so one call per member instead of one
    per attribute.
    """
    import numpy as np

    if _digests is not None and (known := _digests.get(id(member))) is not None:
        return known
    text = [f"<{type(member).__qualname__}>"]
    floats: list[Any] = []
    exact: list[bytes] = []
    for name, value in sorted(vars(member).items()):
        if name in _LEFT_OUT:
            continue
        if isinstance(value, np.ndarray) and not value.dtype.hasobject:
            text.append(f"{name}:{value.dtype}{value.shape};")
            if value.dtype.kind == "f":
                floats.append(value.ravel())
            else:
                exact.append(np.ascontiguousarray(value).tobytes())
        elif isinstance(value, float):
            text.append(f"{name}:f;")
            floats.append(np.array([value]))
        elif isinstance(value, _SCALARS) or type(value).__name__ == "ManimColor":
            text.append(f"{name}={value!r};")
        elif isinstance(value, list | tuple) and all(isinstance(v, _SCALARS) for v in value):
            text.append(f"{name}={value!r};")
    digest = hashlib.sha256("".join(text).encode())
    if floats:
        digest.update(_settled(np.concatenate(floats, dtype=np.float64)).tobytes())
    for chunk in exact:
        digest.update(chunk)
    result = digest.digest()
    if _digests is not None:
        _digests[id(member)] = result
    return result


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
    digest = hashlib.sha256()
    updaters: list[Any] = []
    for member in mobject.get_family():
        digest.update(_member_digest(member))
        updaters.extend(getattr(member, "updaters", ()))
    return {"mobject": type(mobject).__qualname__, "state": digest.hexdigest(), "updaters": updaters}


def _one_key(get_hash: Any) -> Any:
    """``get_hash`` (ManimCE's key of one play call), with each family member hashed once per key.

    Nothing on screen changes while a key is computed, so a digest by
    ``id`` is the member's for that long, and no longer.
    """

    def keyed(*args: Any, **kwargs: Any) -> Any:
        global _digests
        _digests = {}
        try:
            return get_hash(*args, **kwargs)
        finally:
            _digests = None

    return keyed
