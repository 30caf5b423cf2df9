"""Frames that repeat cost nothing: a frame equal to the one before is neither drawn nor converted again.

In the narrated scenes about half of all frames repeat the one before them:
the holds while the voice finishes a line, waits, animations whose moving
parts are at rest, updaters that redraw an unchanged picture. ManimCE pays for
each such frame in full: Cairo draws the moving mobjects again (unless the
play is a frozen wait), PyAV copies the RGBA array into a new frame and
converts it to YUV 4:2:0, and x264 encodes it. While :func:`reusing_frames`
is active:

- **Not drawn.** Before the renderer draws a frame of a play, it computes the
  *drawn state*: an exact digest of what the Cairo camera would draw (every
  mobject it would display, in its drawing order, each by its class and the
  exact bytes of every attribute: points, colours, widths, z-index, joint and
  cap style...), the background it draws them on (the play's static image, by
  identity: ManimCE makes a new array for each play and never writes into it)
  and the camera's own settings. If the drawn state equals the previous
  frame's, the previous frame's pixel array is handed to the encoder again;
  Cairo is not called. Nothing is rounded: the digest is of the exact bytes
  (unlike the render cache's fingerprint, :mod:`lecture.render.segments`, which
  rounds floats to 2⁻²⁰ so that two paths to one state share a key). A
  mobject with an attribute the digest cannot take exactly (an object it does
  not know) makes the frame undecided, and it is drawn.
- **Same pixels.** A frame that was drawn (its state differed) but whose pixels
  equal the previous frame's, byte for byte, is replaced by the previous
  frame's array too.
- **Not converted.** The segment encoder converts an RGBA array to the
  stream's pixel format once, with the conversion PyAV's encoder would make
  itself (same reformatter, sizes, format and thread count), and encodes the
  converted frame again for every repeat: ManimCE's own repeats (a frozen
  wait's ``repeat=N``) and the array identical to the last one (the two cases
  above). x264 gets the same pictures it would have got, and a repeated
  frame is a tiny P-frame.

So a video rendered with reuse decodes to exactly the frames of one rendered
without it (a test compares both, frame by frame, on a small scene and on a
real scene, with x264 on one thread: with its default threads x264 is not
repeatable from one encode to the next, reuse or not, by up to 2 levels).
``LECTURE_FRAME_REUSE=0`` turns it off, for that comparison and for
benchmarks. :class:`FrameCounts` counts each kind; the render logs them.
"""

from __future__ import annotations

import contextlib
import enum
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import PurePath
from typing import Any

__all__ = ["ENV", "FrameCounts", "drawn_state", "enabled", "reusing_frames"]

#: ``0`` (or ``off``, ``no``, ``false``) renders every frame afresh, as plain ManimCE does.
ENV = "LECTURE_FRAME_REUSE"

#: Attributes the camera does not draw from: the family (each member is in the drawn list on its own),
#: the updaters (they run before drawing; what they change is in the other attributes), names, and an
#: SVG path's parsed source (``SVGPathMobject.path_obj``: read only to generate the points, which are in).
_NOT_DRAWN = frozenset(
    {"submobjects", "updaters", "name", "original_id", "target", "saved_state", "path_obj"}
)
#: How deep into lists, dicts and helper objects an attribute is followed before it counts as undecided.
_DEPTH = 4
#: Plain values whose ``repr`` is exact (``repr`` of a float round-trips).
_PLAIN = (str, int, float, bool, complex, type(None), bytes)


def enabled() -> bool:
    """Whether frame reuse is on: unless :data:`ENV` says ``0``, ``off``, ``no`` or ``false``."""
    return os.environ.get(ENV, "1").strip().lower() not in {"0", "off", "no", "false"}


@dataclass
class FrameCounts:
    """Frames of one render by what they cost.

    ``frames`` were encoded; ``not_converted`` of them from a picture already
    converted for the frame before (the reused frames: each cost only x264's
    work on a repeated picture). Of those, ``not_drawn`` had the previous
    frame's drawn state, so Cairo was skipped, and ``same_pixels`` were drawn
    but came out equal to the previous frame; the rest repeat a frozen frame
    (ManimCE draws a static wait once). ``undecided`` frames had a mobject
    whose state could not be taken exactly, so they were drawn.
    """

    frames: int = 0
    not_converted: int = 0
    not_drawn: int = 0
    same_pixels: int = 0
    undecided: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        """Add to the counts (the encoder runs in its own thread)."""
        with self._lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def describe(self) -> str:
        """One line for the render's log."""
        frozen = self.not_converted - self.not_drawn - self.same_pixels
        return (
            f"{self.frames} frames, {self.not_converted} reused: {self.not_drawn} not drawn (same state), "
            f"{self.same_pixels} drawn to the same pixels, {frozen} repeats of a frozen frame; "
            f"{self.undecided} undecided"
        )


class _Undecided(Exception):
    """An attribute whose value the drawn state cannot take exactly."""


def _update_with(state: list[Any], name: str, value: Any, depth: int = 0) -> None:
    """Append one attribute to ``state`` exactly (as text and bytes), or raise :class:`_Undecided`."""
    import numpy as np
    from manim.mobject.mobject import Mobject

    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise _Undecided(name)
        state.append(f"{name}:{value.dtype.str}{value.shape};")
        state.append(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (*_PLAIN, enum.Enum, PurePath, np.generic)):  # numpy scalars' repr is exact too
        state.append(f"{name}={value!r};")
    elif type(value).__name__ == "ManimColor":
        state.append(f"{name}:c;")
        state.append(np.ascontiguousarray(value._internal_value).tobytes())
    elif isinstance(value, Mobject) or callable(value):
        # Another mobject is drawn (and digested) in its own right if it is on screen; a function
        # draws nothing itself.
        state.append(f"{name}:{type(value).__qualname__};")
    elif isinstance(value, list | tuple):
        state.append(f"{name}:{type(value).__name__}{len(value)}[")
        for index, item in enumerate(value):
            _update_with(state, str(index), item, depth + 1)
        state.append(b"]")
    elif isinstance(value, dict):
        state.append(f"{name}:dict{len(value)}{{")
        for key, item in value.items():
            if not isinstance(key, _PLAIN):
                raise _Undecided(name)
            _update_with(state, repr(key), item, depth + 1)
        state.append(b"}")
    elif depth < _DEPTH and hasattr(value, "__dict__") and not isinstance(value, type):
        # A small helper object (an axis's ``scaling``, say): its own attributes, as exactly.
        state.append(f"{name}:<{type(value).__module__}.{type(value).__qualname__}>{{")
        for key, item in vars(value).items():
            _update_with(state, key, item, depth + 1)
        state.append("}")
    else:
        raise _Undecided(f"{name}: {type(value).__qualname__}")


def _member_state(state: list[Any], member: Any) -> None:
    state.append(f"<{type(member).__module__}.{type(member).__qualname__}>")
    for name, value in vars(member).items():
        if name not in _NOT_DRAWN:
            _update_with(state, name, value)


def drawn_state(renderer: Any, scene: Any, moving_mobjects: Any) -> list[Any] | None:
    """What ``renderer.update_frame(scene, moving_mobjects)`` would draw, exactly, or ``None``.

    A list of text and bytes: the camera's settings, then every mobject the
    camera would display (as it lists them: the families of
    ``moving_mobjects``, or of everything on screen when there are none, those
    with points, in z order), each member by its class and
    the exact bytes of its own attributes. Two states are the same frame when
    the lists are equal; no hash, no rounding. ``None`` when some attribute
    cannot be taken exactly: then the frame must be drawn. The background the
    mobjects are drawn on is not in it: see :func:`background_of`.
    """
    from manim.utils.iterables import list_update

    camera = renderer.camera
    mobjects = moving_mobjects or list_update(scene.mobjects, scene.foreground_mobjects)
    state: list[Any] = []
    try:
        for name, value in vars(camera).items():
            if name not in _CAMERA_NOT_DRAWN:
                _update_with(state, name, value)
        for member in camera.get_mobjects_to_display(mobjects):
            _member_state(state, member)
    except _Undecided:
        return None
    return state


def background_of(renderer: Any) -> Any:
    """The array ``renderer.update_frame`` starts a frame from: the play's static image, or the camera's
    background. Compared by identity: ManimCE makes a new array for each play's static image and never
    writes into either."""
    return renderer.static_image if renderer.static_image is not None else renderer.camera.background


#: What a camera holds that is not a setting: the frame being drawn, its background (by identity above)
#: and caches it fills as it draws.
_CAMERA_NOT_DRAWN = frozenset(
    {
        "pixel_array",
        "background",
        "display_funcs",
        "background_colored_vmobject_displayer",
        "pixel_array_to_cairo_context",
        "canvas",
    }
)


@dataclass
class _Previous:
    """The frame the renderer last handed to the encoder in the current play, and its drawn state."""

    state: list[Any] | None = None
    frame: Any = None
    background: Any = None


def _frames_equal(a: Any, b: Any) -> bool:
    """Whether two pixel arrays hold the same bytes.

    Compared as 64-bit words: 0.66 ms for a 1080p RGBA frame here, against
    1.3 ms byte by byte and 7.7 ms as memoryviews.
    """
    import numpy as np

    if a.shape != b.shape or a.dtype != b.dtype or a.nbytes % 8:
        return bool(a.shape == b.shape and np.array_equal(a, b))
    return bool(np.array_equal(a.reshape(-1).view(np.uint64), b.reshape(-1).view(np.uint64)))


@contextlib.contextmanager
def reusing_frames(counts: FrameCounts | None = None) -> Iterator[FrameCounts]:
    """While in the block, ManimCE reuses every frame equal to the one before (see the module's notes).

    Yields the :class:`FrameCounts` it adds to. ManimCE is put back as it
    was when the block ends.
    """
    import av
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    counts = counts if counts is not None else FrameCounts()
    original_render = CairoRenderer.render
    original_play = CairoRenderer.play
    original_write = VideoSegmentEncoder.write_frame
    previous = _Previous()

    def play(self: Any, scene: Any, *args: Any, **kwargs: Any) -> None:
        # Between plays the camera draws other things (the next play's static image, a frozen frame):
        # each play starts afresh.
        previous.state = previous.frame = previous.background = None
        try:
            original_play(self, scene, *args, **kwargs)
        finally:
            previous.state = previous.frame = previous.background = None

    def render(self: Any, scene: Any, time: float, moving_mobjects: Any = None) -> None:
        if self.skip_animations:  # nothing is written: ManimCE's own path
            original_render(self, scene, time, moving_mobjects)
            return
        state = drawn_state(self, scene, moving_mobjects)
        background = background_of(self)
        if state is None:
            counts.add(undecided=1)
        elif previous.frame is not None and background is previous.background and state == previous.state:
            counts.add(not_drawn=1)
            self.add_frame(previous.frame)
            return
        self.update_frame(scene, moving_mobjects)
        frame = self.get_frame()
        if previous.frame is not None and _frames_equal(frame, previous.frame):
            counts.add(same_pixels=1)
            frame = previous.frame
        previous.state, previous.frame, previous.background = state, frame, background
        self.add_frame(frame)

    def write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        stream = self._stream
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            if getattr(self, "_lecture_pixels", None) is pixels:
                picture = self._lecture_picture
                reused = repeat
            else:
                context = stream.codec_context
                # What PyAV's encoder does to a frame of another format (VideoCodecContext's
                # _prepare_frames_for_encode), done once here instead of once per repeat.
                picture = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
                    context.width, context.height, context.format.name, threads=context.thread_count
                )
                self._lecture_pixels, self._lecture_picture = pixels, picture
                reused = repeat - 1
            for _ in range(repeat):
                picture.pts = self._next_pts
                picture.time_base = time_base
                self._next_pts += 1
                for packet in stream.encode(picture):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        counts.add(frames=repeat, not_converted=reused)

    CairoRenderer.render = render  # type: ignore[method-assign]
    CairoRenderer.play = play  # type: ignore[method-assign]
    VideoSegmentEncoder.write_frame = write_frame  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        CairoRenderer.render = original_render  # type: ignore[method-assign]
        CairoRenderer.play = original_play  # type: ignore[method-assign]
        VideoSegmentEncoder.write_frame = original_write  # type: ignore[method-assign]
