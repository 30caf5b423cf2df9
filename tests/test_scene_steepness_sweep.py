"""SteepnessSweep: σ(kx) sweeps toward the Heaviside step, leaving the chapter's family behind.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DR, UL, VMobject

from lecture.numerics import logit, sigmoid
from scenes.steepness_sweep import DIAL_SWEEP, FAMILY_KS, K_END, K_START, LATE_KS, SteepnessSweep
from tests.framecheck import (
    check_caption_pace,
    check_narration,
    colour_near,
    last_frame,
    only_background_near,
    rgb,
    to_pixel,
)

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[SteepnessSweep, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(SteepnessSweep, request.param)


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, frame = rendered
    corner = frame[2, 2, :3]
    assert np.array_equal(corner, rgb(scene.theme.background))


def test_sweep_ends_at_the_final_k(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.k == pytest.approx(K_END, rel=1e-12)
    assert K_START < K_END


def test_the_family_holds_the_chapters_values(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, _ = rendered
    assert len(scene.family) == len(FAMILY_KS) == 4
    for copy, k, colour in zip(scene.family, FAMILY_KS, scene.theme.family, strict=False):
        assert copy.get_stroke_color().to_hex().lower() == colour.lower()
        xs, ys = _data_coords(scene, copy)
        np.testing.assert_allclose(ys, sigmoid(xs, k), atol=1e-9)


def _data_coords(scene: SteepnessSweep, mob: VMobject) -> tuple[np.ndarray, np.ndarray]:
    """The data coordinates (x, y) of a curve's anchor points, through the scene's axes."""
    coords = np.array([scene.axes.p2c(p) for p in mob.get_anchors()])
    return coords[:, 0], coords[:, 1]


def test_final_curve_is_sigma_at_the_final_k(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, _ = rendered
    xs, ys = _data_coords(scene, scene.curve)
    np.testing.assert_allclose(ys, sigmoid(xs, K_END), atol=1e-9)
    # Dense near 0, where σ(50x) rises: no jagged step
    assert np.sum(np.abs(xs) < 0.1) >= 20


def test_narration_covers_the_scene_without_gaps(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=8)
    check_caption_pace(rendered[0])


def test_the_dimmer_dial_ends_turned_all_the_way_up(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, _ = rendered
    ring, _, pointer, _ = scene.dial
    direction = pointer.get_end() - ring.get_center()
    angle = np.arctan2(direction[1], direction[0])
    # from lower left at k = 0.5, clockwise through DIAL_SWEEP to lower right at k = 50
    expected = np.pi / 2 + DIAL_SWEEP / 2 - DIAL_SWEEP
    assert angle == pytest.approx(expected, abs=1e-6)


def test_the_sliver_holds_the_rise_from_1_to_99_percent(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    half = rendered[0].sliver_half_width
    assert float(sigmoid(half, K_END)) == pytest.approx(0.99, rel=1e-12)
    assert float(sigmoid(-half, K_END)) == pytest.approx(0.01, rel=1e-9)
    assert half == pytest.approx(0.0919, abs=1e-4)  # the "|x| < 0.09" on screen


# --- the last frame ------------------------------------------------------------


def test_final_curve_sits_on_the_step(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, frame = rendered
    for x, y in [(-2, 0), (2, 1), (-5, 0), (5, 1)]:
        assert colour_near(frame, scene.axes.c2p(x, y), scene.theme.sigma), (x, y)


def test_every_curve_passes_the_pinned_dot(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, frame = rendered
    centre = scene.axes.c2p(0, float(sigmoid(0.0, K_END)))
    assert np.allclose(scene.pin.get_center(), scene.axes.c2p(0, 0.5))
    assert colour_near(frame, centre, scene.theme.highlight, radius=1)


@pytest.mark.parametrize("index", range(len(FAMILY_KS)))
def test_family_copy_drawn_where_the_maths_puts_it(
    rendered: tuple[SteepnessSweep, np.ndarray], index: int
) -> None:
    scene, frame = rendered
    k = FAMILY_KS[index]
    # Where each copy is far from the others and from the step: σ(k·x) = 0.27 on the left
    x = float(logit(0.27)) / k
    point = scene.axes.c2p(x, float(sigmoid(x, k)))
    assert colour_near(frame, point, scene.theme.family[index], tol=45)


def test_k_half_copy_at_x_2(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    scene, frame = rendered
    point = scene.axes.c2p(2, float(sigmoid(2.0, 0.5)))
    assert colour_near(frame, point, scene.theme.family[0], tol=45)


@pytest.mark.parametrize(("x", "y"), [(2, 0.5), (3, 0.6), (-3, 0.5), (-0.5, 0.75)])
def test_off_the_curves_is_background(
    rendered: tuple[SteepnessSweep, np.ndarray], x: float, y: float
) -> None:
    scene, frame = rendered
    assert only_background_near(frame, scene.axes.c2p(x, y), scene.theme.background)


def test_the_late_stops_are_named_in_the_legend(rendered: tuple[SteepnessSweep, np.ndarray]) -> None:
    # k = 10, 20 and 50 are said; the legend's live row names the k reached, and ends on the last
    scene, frame = rendered
    swatch, (_, number) = scene.live_entry
    assert any(scene.live_entry in m.get_family() for m in scene.mobjects)
    assert number.get_value() == round(K_END) == LATE_KS[-1]
    assert colour_near(frame, swatch.get_center(), scene.theme.sigma, radius=1, tol=45)
    # under the family's rows, above the x axis, clear of the live curve there
    assert scene.live_entry.get_top()[1] < min(row.get_bottom()[1] for row in scene.legend)
    assert scene.live_entry.get_bottom()[1] > scene.axes.c2p(0, 0)[1]


class _OpeningFrame(SteepnessSweep):
    """SteepnessSweep that keeps the frame shown when its first animation starts."""

    def play(self, *args: object, **kwargs: object) -> None:
        if not hasattr(self, "opening_frame"):
            self.renderer.camera.reset()
            self.renderer.update_frame(self, ignore_skipping=True)
            self.opening_frame = np.array(self.renderer.get_frame())
        super().play(*args, **kwargs)  # type: ignore[arg-type]


def test_the_opening_frame_shows_the_axes_and_the_formula() -> None:
    # The scene used to open on an empty frame; now the title, the axes and σ(kx)'s formula are there
    scene, _ = last_frame(_OpeningFrame, "dark")
    frame, bg = scene.opening_frame, rgb(scene.theme.background)

    def drawn_share(mob: VMobject) -> float:
        (r0, c0), (r1, c1) = to_pixel(mob.get_corner(UL), frame), to_pixel(mob.get_corner(DR), frame)
        patch = frame[r0 : r1 + 1, c0 : c1 + 1, :3].astype(float)
        return float((np.linalg.norm(patch - bg, axis=-1) > 40).mean())

    title, axes, _, formula = scene.opening
    assert drawn_share(title) > 0.05 and drawn_share(formula) > 0.05
    # the axes' thin strokes (anti-aliased at 480x270): drawn on both, empty between them
    assert not only_background_near(frame, axes.c2p(-6, 0.25), bg, radius=1, tol=40)  # the y axis's spine
    assert not only_background_near(frame, axes.c2p(3, 0), bg, radius=1, tol=40)  # the x axis
    assert only_background_near(frame, axes.c2p(3, 0.6), bg)  # no curve yet
