"""Frame reuse (lecture/render/frame_reuse.py): the "unchanged" decision, and the same video with or without.

The decision first, on mobjects built here: the drawn state is equal for
equal drawings and differs for any change the camera would draw, down to one
bit of one coordinate (finer than the render cache's fingerprint, which
rounds); an attribute it cannot take exactly leaves the frame undecided.
Then the promise: a render with frame reuse decodes to exactly the frames of
one without it (``LECTURE_FRAME_REUSE=0``), same count and every pixel, on a
small scene made of the cases it reuses (a frozen wait, a wait whose updater
redraws the same picture, an animation whose mobject is at rest) and on a real
scene at ``-q l``. Each render runs in a fresh process: two renders in one
process are not always bit-identical (see tests/test_split.py), and this
comparison is exact.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import av
import numpy as np
import pytest
from manim import LEFT, RIGHT, Circle, Create, Dot, FadeIn, Square, ValueTracker, tempconfig

from lecture.render import frame_reuse, pipeline, segments
from scenes.common import LectureScene, LiveNumber
from tests.framecheck import LOW_RES, seed_caches


class ReuseScene(LectureScene):
    """The frames frame reuse is for, and frames around them that change."""

    def construct(self) -> None:
        square = Square(color=self.theme.sigma).shift(LEFT * 2)
        self.play(Create(square), run_time=0.5)
        # A frozen wait: ManimCE draws it once and repeats it.
        self.wait(0.5)
        # A wait with a time-based updater that changes nothing drawn: drawn every frame by ManimCE.
        circle = Circle(color=self.theme.highlight).shift(RIGHT * 2)
        self.add(circle)
        circle.add_updater(lambda m, dt: m)
        self.wait(0.5)
        circle.clear_updaters()
        # A live number: its text changes only every few frames while its tracker moves.
        tracker = ValueTracker(0)
        number = LiveNumber(0, num_decimal_places=1)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        self.add(number)
        self.play(tracker.animate.set_value(0.3), run_time=1.0)
        # An animation at rest: the dot's fade-in is done in the first half, the square turns throughout.
        dot = Dot(color=self.theme.highlight)
        self.play(FadeIn(dot, run_time=0.3), square.animate.rotate(0.5), run_time=0.6)


# --- the decision --------------------------------------------------------------------
def _state(*mobjects: Any) -> list[Any] | None:
    from manim.camera.camera import Camera

    renderer = SimpleNamespace(camera=Camera(), static_image=None)
    scene = SimpleNamespace(mobjects=list(mobjects), foreground_mobjects=[])
    return frame_reuse.drawn_state(renderer, scene, list(mobjects))


def test_the_drawn_state_is_equal_for_equal_drawings_and_differs_for_any_drawn_change() -> None:
    with tempconfig(LOW_RES):
        square, copy = Square(), Square()
        assert _state(square) == _state(copy) is not None
        assert _state(square, Circle()) != _state(square)
        for change in (
            lambda m: m.shift(RIGHT * 1e-3),
            lambda m: m.set_stroke(width=5),
            lambda m: m.set_fill(opacity=0.5),
            lambda m: m.set_color("#FF0000"),
            lambda m: m.set_z_index(2),
        ):
            changed = Square()
            change(changed)
            assert _state(changed) != _state(square)


def test_the_drawn_state_is_exact_where_the_render_caches_fingerprint_rounds() -> None:
    with tempconfig(LOW_RES):
        square, nudged = Square(), Square()
        nudged.points[0, 0] = np.nextafter(nudged.points[0, 0], np.inf)  # one bit of one coordinate
        assert segments.fingerprint(square)["state"] == segments.fingerprint(nudged)["state"]
        assert _state(square) != _state(nudged)


def test_a_mobject_the_state_cannot_take_exactly_is_drawn() -> None:
    with tempconfig(LOW_RES):
        square = Square()
        square.opaque = object()  # an object without attributes to compare
        assert _state(square) is None
        square.opaque = SimpleNamespace(scale=2.0)  # a small helper object is compared by its attributes
        assert _state(square) is not None


def test_frames_are_compared_byte_for_byte() -> None:
    frame = np.zeros((48, 64, 4), dtype=np.uint8)
    other = frame.copy()
    assert frame_reuse._frames_equal(frame, other)
    other[47, 63, 3] = 1
    assert not frame_reuse._frames_equal(frame, other)
    assert not frame_reuse._frames_equal(frame, frame[:, :32].copy())


@pytest.mark.parametrize(
    ("value", "on"), [(None, True), ("1", True), ("0", False), ("off", False), ("No", False)]
)
def test_the_environment_turns_it_off(monkeypatch: pytest.MonkeyPatch, value: str | None, on: bool) -> None:
    if value is None:
        monkeypatch.delenv(frame_reuse.ENV, raising=False)
    else:
        monkeypatch.setenv(frame_reuse.ENV, value)
    assert frame_reuse.enabled() is on


def test_reusing_frames_puts_manim_back() -> None:
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    before = (CairoRenderer.render, CairoRenderer.play, VideoSegmentEncoder.write_frame)
    with frame_reuse.reusing_frames():
        assert CairoRenderer.render is not before[0]
    assert (CairoRenderer.render, CairoRenderer.play, VideoSegmentEncoder.write_frame) == before


# --- the same video ---------------------------------------------------------------------
def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def assert_identical_frames(ours: list[np.ndarray], theirs: list[np.ndarray]) -> None:
    assert len(ours) == len(theirs) > 0
    differing = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if not np.array_equal(a, b)]
    assert not differing, f"{len(differing)} frames differ, the first: {differing[:5]}"


#: Renders one scene in this fresh process, x264 on one thread: with its default threads x264 itself is not
#: repeatable (the same 9 RGBA frames encoded 8 times in one process by ManimCE's own segment encoder
#: decoded to 3 different videos, up to 2 levels apart; with threads=1, 8 identical ones), and this
#: comparison is of what frame reuse changes, exactly.
_RENDER = """
import dataclasses, sys
from pathlib import Path
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from lecture.render import pipeline
from lecture.settings.render_config import quality
from tests.test_render_e2e import tiny_job

original_init = VideoSegmentEncoder.__init__
def one_thread(self, *, target, spec):
    spec = dataclasses.replace(spec, options=(*spec.options, ("threads", "1")))
    original_init(self, target=target, spec=spec)
VideoSegmentEncoder.__init__ = one_thread
output_dir, scene, module = sys.argv[1:4]
job = tiny_job(Path(output_dir), scene=scene, module=module, quality=quality("l"), force=True,
               verbosity="INFO")
result = pipeline.render_scene(job)
assert result.ok, result.detail
print(result.files[0])
"""


def _render(output_dir: Path, scene: str, module: str, reuse: bool) -> tuple[Path, str]:
    """Render ``scene`` at ``-q l`` in a fresh process, with or without frame reuse; its video and log."""
    seed_caches(output_dir)
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, str(output_dir), scene, module],
        cwd=pipeline.PROJECT_ROOT,
        env=os.environ | {frame_reuse.ENV: "1" if reuse else "0", "COLUMNS": "400"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Path(done.stdout.strip().splitlines()[-1]), done.stdout + done.stderr


def _reused(log: str) -> dict[str, int]:
    match = re.search(
        r"(\d+) frames, (\d+) reused: (\d+) not drawn \(same state\), (\d+) drawn to the same pixels", log
    )
    assert match, log[-2000:]
    return dict(zip(("frames", "reused", "not_drawn", "same_pixels"), map(int, match.groups()), strict=True))


@pytest.mark.slow
def test_a_small_scene_with_reused_frames_decodes_to_the_frames_rendered_afresh(tmp_path: Path) -> None:
    with_reuse, log = _render(tmp_path / "on", "ReuseScene", "tests.test_frame_reuse", reuse=True)
    without, log_off = _render(tmp_path / "off", "ReuseScene", "tests.test_frame_reuse", reuse=False)
    assert " reused: " not in log_off
    counts = _reused(log)
    ours = frames(with_reuse)
    assert counts["frames"] == len(ours)
    # Every kind happens: a wait redrawn to the same state (0.5 s at 15 fps, less its first frame), a
    # number whose text holds while its tracker moves, the frozen wait's repeats.
    assert counts["not_drawn"] >= 7
    assert counts["same_pixels"] >= 1
    assert counts["reused"] - counts["not_drawn"] - counts["same_pixels"] >= 6
    assert_identical_frames(ours, frames(without))


@pytest.mark.slow
def test_a_real_scene_with_reused_frames_decodes_to_the_frames_rendered_afresh(tmp_path: Path) -> None:
    with_reuse, log = _render(tmp_path / "on", "TanhRelation", "scenes.tanh_relation", reuse=True)
    without, _ = _render(tmp_path / "off", "TanhRelation", "scenes.tanh_relation", reuse=False)
    counts = _reused(log)
    assert counts["reused"] > 0
    ours = frames(with_reuse)
    assert counts["frames"] == len(ours)
    assert_identical_frames(ours, frames(without))
