"""CrossEntropyGradient: the loss's tangent slope is σ(x) − y, checked by finite differences.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DR, RIGHT, UL, VGroup, VMobject

from lecture.numerics import bce_gradient, bce_with_logits, sigmoid
from scenes.cross_entropy_gradient import (
    CHECKS,
    RIDE_END,
    TABLE_PLACES,
    X_MAX,
    X_MIN,
    CrossEntropyGradient,
    finite_difference_slope,
)
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb, to_pixel

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[CrossEntropyGradient, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(CrossEntropyGradient, request.param)


def data_coords(axes: object, mob: VMobject) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) data coordinates of a polyline's anchors on ``axes``."""
    coords = np.array([axes.p2c(p) for p in mob.get_anchors()])  # type: ignore[attr-defined]
    return coords[:, 0], coords[:, 1]


# --- the helper ----------------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("x", [-3.5, -1.0, 0.0, 0.7, 3.0])
def test_finite_difference_matches_the_derivative(x: float, y: float) -> None:
    # The chapter's Hard exercise: dL/dx = σ(x) − y, here from the loss alone
    assert finite_difference_slope(x, y) == pytest.approx(float(sigmoid(x)) - y, abs=1e-8)


def test_finite_difference_is_a_real_difference_quotient() -> None:
    # Not the formula in disguise: a coarse step shows the O(h²) error of a central difference
    coarse = finite_difference_slope(1.0, 1.0, h=0.5)
    assert abs(coarse - float(bce_gradient(1.0, 1.0))) > 1e-3


# --- construction --------------------------------------------------------------


def test_construct_runs_and_ends_on_label_zero(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert scene.label_tracker.get_value() == 0.0
    assert scene.x_tracker.get_value() == pytest.approx(RIDE_END)


@pytest.mark.parametrize("label", [1.0, 0.0])
def test_loss_curves_are_the_loss(rendered: tuple[CrossEntropyGradient, np.ndarray], label: float) -> None:
    scene, _ = rendered
    curve = scene.loss_curves[0 if label == 1.0 else 1]
    xs, ys = data_coords(scene.top_axes, curve)
    np.testing.assert_allclose(ys, bce_with_logits(xs, label), atol=1e-9)
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)


def test_the_tangent_touches_the_loss_with_slope_sigma_minus_y(
    rendered: tuple[CrossEntropyGradient, np.ndarray],
) -> None:
    scene, _ = rendered
    axes = scene.top_axes
    (x0, l0), (x1, l1) = (axes.p2c(p) for p in (scene.tangent.get_start(), scene.tangent.get_end()))
    slope = (l1 - l0) / (x1 - x0)
    assert slope == pytest.approx(float(sigmoid(RIDE_END)) - 0.0, abs=1e-6)
    # the line passes through the loss at x = RIDE_END
    at_end = l0 + slope * (RIDE_END - x0)
    assert at_end == pytest.approx(float(bce_with_logits(RIDE_END, 0.0)), abs=1e-6)


def test_the_gap_bar_runs_from_sigma_to_the_label(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, _ = rendered
    start, end = (scene.bottom_axes.p2c(p) for p in (scene.gap_bar.get_start(), scene.gap_bar.get_end()))
    np.testing.assert_allclose(start, [RIDE_END, float(sigmoid(RIDE_END))], atol=1e-9)
    np.testing.assert_allclose(end, [RIDE_END, 0.0], atol=1e-9)


def test_the_table_agrees_to_the_places_shown(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, _ = rendered
    shown = np.array([[cell.get_value() for cell in row] for row in scene.table_values])
    np.testing.assert_array_equal(shown[:, :2], np.array(CHECKS))
    # one row, at the point where the tangent stops: the check is about the slope on screen
    assert CHECKS == ((scene.x_tracker.get_value(), scene.label_tracker.get_value()),)
    np.testing.assert_array_equal(shown[:, 3], bce_gradient(shown[:, 0], shown[:, 1]))
    np.testing.assert_array_equal(np.round(shown[:, 2], TABLE_PLACES), np.round(shown[:, 3], TABLE_PLACES))


def test_narration_covers_the_scene_without_gaps(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=10)


# --- the last frame ------------------------------------------------------------


@pytest.mark.parametrize("x", [-3.0, -1.5, 3.2])
def test_both_loss_curves_drawn(rendered: tuple[CrossEntropyGradient, np.ndarray], x: float) -> None:
    scene, frame = rendered
    t = scene.theme
    assert colour_near(frame, scene.top_axes.c2p(x, float(bce_with_logits(x, 1.0))), t.logit)
    assert colour_near(frame, scene.top_axes.c2p(x, float(bce_with_logits(x, 0.0))), t.step)


@pytest.mark.parametrize("x", [-3.0, -1.0, 0.5, 3.0])
def test_sigma_drawn_below(rendered: tuple[CrossEntropyGradient, np.ndarray], x: float) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.bottom_axes.c2p(x, float(sigmoid(x))), scene.theme.sigma)


def test_tangent_and_gap_drawn_where_the_maths_puts_them(
    rendered: tuple[CrossEntropyGradient, np.ndarray],
) -> None:
    scene, frame = rendered
    t = scene.theme
    x, slope = RIDE_END, float(bce_gradient(RIDE_END, 0.0))
    # half a unit along the tangent, left of the touching point (the loss is convex, so the
    # tangent lies below the curve there)
    on_tangent = scene.top_axes.c2p(x - 0.6, float(bce_with_logits(x, 0.0)) - 0.6 * slope)
    assert colour_near(frame, on_tangent, t.derivative, radius=1)
    mid_gap = scene.bottom_axes.c2p(x, float(sigmoid(x)) / 2)
    assert colour_near(frame, mid_gap, t.derivative, radius=1)


def test_off_the_curves_is_background(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, frame = rendered
    bg = scene.theme.background
    assert only_background_near(frame, scene.top_axes.c2p(-2.5, 1.0), bg)
    assert only_background_near(frame, scene.top_axes.c2p(2.5, 0.6), bg)
    assert only_background_near(frame, scene.bottom_axes.c2p(2.5, 0.4), bg)
    # the ride is over: no gap bar left at its start
    assert only_background_near(frame, scene.bottom_axes.c2p(-3.0, 0.85), bg)


def test_the_two_line_derivation_is_on_screen_and_right(
    rendered: tuple[CrossEntropyGradient, np.ndarray],
) -> None:
    scene, frame = rendered
    chain, cancel = scene.derivation
    assert chain.tex_string.replace(" ", "").startswith(r"\frac{\partialL}{\partialx}=")
    assert cancel[-1].tex_string == r"\sigma - y"
    assert any(scene.derivation in m.get_family() for m in scene.mobjects)
    # its last part, σ − y, is drawn in the slope's colour: thin glyphs at 480x270, so the best pixel
    # in its box is looked for, nearer the slope's colour than the text's
    (r0, c0), (r1, c1) = (to_pixel(cancel[-1].get_corner(c), frame) for c in (UL, DR))
    patch = frame[r0 : r1 + 1, c0 : c1 + 1, :3].astype(float)
    to_slope = np.linalg.norm(patch - rgb(scene.theme.derivative), axis=-1)
    to_text = np.linalg.norm(patch - rgb(scene.theme.text), axis=-1)
    assert (to_slope < 100).any() and (to_slope < to_text).sum() > 5
    # each line, evaluated, is the finite-difference slope of the loss (h = 10⁻⁴)
    for x in (-3.0, -0.5, 1.5, 3.0):
        for y in (0.0, 1.0):
            s = float(sigmoid(x))
            first = (-y / s + (1 - y) / (1 - s)) * s * (1 - s)
            second = -y * (1 - s) + (1 - y) * s
            slope = finite_difference_slope(x, y)
            assert first == pytest.approx(slope, abs=1e-8) and second == pytest.approx(slope, abs=1e-8)


def test_the_loss_axes_name_x_and_l(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, _ = rendered
    x_name, l_name = scene.top_names
    assert x_name.tex_string == "x" and l_name.tex_string == "L"
    end = scene.top_axes.c2p(X_MAX, 0)
    assert 0 < x_name.get_left()[0] - end[0] < 0.4 and abs(x_name.get_y() - end[1]) < 0.2


def test_the_check_is_one_highlighted_row(rendered: tuple[CrossEntropyGradient, np.ndarray]) -> None:
    scene, frame = rendered
    assert len(scene.table_values) == 1
    row = VGroup(*scene.table_values[0])
    box = scene.check_box
    assert box.get_left()[0] < row.get_left()[0] and row.get_right()[0] < box.get_right()[0]
    assert colour_near(frame, box.get_corner(UL) + 0.5 * RIGHT, scene.theme.highlight, radius=2, tol=100)
