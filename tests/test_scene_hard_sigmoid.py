"""HardSigmoid: h(x) = max(0, min(1, x/4 + ½)) against σ, their slopes, and the largest gap.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import VMobject

from lecture.numerics import hard_sigmoid, hard_sigmoid_derivative, sigmoid, sigmoid_derivative
from scenes.hard_sigmoid import KINK_X, PROBE_X, X_MAX, X_MIN, HardSigmoid, largest_gap
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[HardSigmoid, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(HardSigmoid, request.param)


def data_coords(axes: object, mob: VMobject) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) data coordinates of a polyline's anchors on ``axes``."""
    coords = np.array([axes.p2c(p) for p in mob.get_anchors()])  # type: ignore[attr-defined]
    return coords[:, 0], coords[:, 1]


# --- the helper ----------------------------------------------------------------


def test_largest_gap_is_one_minus_sigma_two() -> None:
    # On |x| ≤ 2 the gap |σ − (x/4 + ½)| grows with |x| (σ′ < ¼ off 0); beyond, |σ − 1| shrinks
    x, gap = largest_gap()
    assert x == KINK_X
    assert gap == pytest.approx(1 - float(sigmoid(2.0)), rel=1e-15)
    # a finer, independent scan finds nothing larger
    xs = np.linspace(-10, 10, 200_001)
    assert np.abs(sigmoid(xs) - hard_sigmoid(xs)).max() <= gap + 1e-15


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))


def test_both_plots_share_the_x_scale(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, _ = rendered
    top, bottom = scene.top_axes, scene.bottom_axes
    for x in (X_MIN, 0.0, X_MAX):
        assert top.c2p(x, 0)[0] == pytest.approx(bottom.c2p(x, 0)[0], abs=1e-9), x
    assert bottom.c2p(0, bottom.y_range[1])[1] < top.c2p(0, 0)[1] - 0.5


@pytest.mark.parametrize(
    ("name", "plot", "func"),
    [
        ("sigma_curve", "top", sigmoid),
        ("hard_curve", "top", hard_sigmoid),
        ("sigma_slope", "bottom", sigmoid_derivative),
    ],
)
def test_each_curve_is_its_function_across_the_plot(
    rendered: tuple[HardSigmoid, np.ndarray], name: str, plot: str, func: object
) -> None:
    scene, _ = rendered
    axes = scene.top_axes if plot == "top" else scene.bottom_axes
    xs, ys = data_coords(axes, getattr(scene, name))
    np.testing.assert_allclose(ys, func(xs), atol=1e-9)  # type: ignore[operator]
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)
    # the kinks at ±2 are samples, so h's corners are drawn sharp
    assert np.isclose(xs, KINK_X).any() and np.isclose(xs, -KINK_X).any()


def test_h_prime_is_three_pieces_that_stop_short_of_the_kinks(
    rendered: tuple[HardSigmoid, np.ndarray],
) -> None:
    # h′ does not exist at ±2: each piece is h′ on its open interval, and none reaches a kink
    scene, _ = rendered
    spans = []
    for piece in scene.hard_slope.pieces:
        xs, ys = data_coords(scene.bottom_axes, piece)
        np.testing.assert_allclose(ys, hard_sigmoid_derivative(xs), atol=1e-9)
        assert np.ptp(ys) < 1e-12  # flat: no vertical side inside a piece
        spans.append((xs.min(), xs.max()))
    (a0, a1), (b0, b1), (c0, c1) = spans
    assert a0 == pytest.approx(X_MIN) and c1 == pytest.approx(X_MAX)
    assert a1 < -KINK_X < b0 and b1 < KINK_X < c0
    assert a1 == pytest.approx(-KINK_X) and c0 == pytest.approx(KINK_X)  # only just short


def test_open_ends_sit_at_both_limits_of_each_kink(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, _ = rendered
    ends = scene.hard_slope.open_ends
    centres = sorted(tuple(np.round(scene.bottom_axes.p2c(end.get_center())[:2], 9)) for end in ends)
    assert centres == [(-KINK_X, 0.0), (-KINK_X, 0.25), (KINK_X, 0.0), (KINK_X, 0.25)]


def test_readouts_show_a_small_gradient_against_none(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, _ = rendered
    sigma_row, hard_row = scene.probe_readouts
    assert sigma_row[1].get_value() == float(sigmoid_derivative(PROBE_X)) > 0.04
    assert hard_row[1].get_value() == float(hard_sigmoid_derivative(PROBE_X)) == 0.0
    assert hard_row[1].num_decimal_places == 0  # "0", not a rounded "0.000"
    assert scene.gap_readout[1][1].get_value() == scene.gap[1]


def test_narration_covers_the_scene_without_gaps(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=9)


# --- the last frame ------------------------------------------------------------


@pytest.mark.parametrize("x", [-3.0, -2.5, 1.0, 3.0])
def test_sigma_drawn_where_the_maths_puts_it(rendered: tuple[HardSigmoid, np.ndarray], x: float) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.top_axes.c2p(x, float(sigmoid(x))), scene.theme.sigma)


@pytest.mark.parametrize("x", [-4.0, -1.5, 1.5, 4.5])
def test_hard_sigmoid_drawn_where_the_maths_puts_it(
    rendered: tuple[HardSigmoid, np.ndarray], x: float
) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.top_axes.c2p(x, float(hard_sigmoid(x))), scene.theme.step)


@pytest.mark.parametrize("x", [-1.0, 1.0])
def test_the_box_of_height_a_quarter_is_drawn(rendered: tuple[HardSigmoid, np.ndarray], x: float) -> None:
    scene, frame = rendered
    t = scene.theme
    assert colour_near(frame, scene.bottom_axes.c2p(x, float(hard_sigmoid_derivative(x))), t.step)
    assert colour_near(frame, scene.bottom_axes.c2p(x, float(sigmoid_derivative(x))), t.sigma)


@pytest.mark.parametrize("x", [-KINK_X, KINK_X])
def test_no_vertical_side_at_the_kinks_but_open_ends(
    rendered: tuple[HardSigmoid, np.ndarray], x: float
) -> None:
    # Half-way up the jump, where a box would have its side, is empty; the hollow dots are rings
    scene, frame = rendered
    t, axes = scene.theme, scene.bottom_axes
    assert only_background_near(frame, axes.c2p(x, 0.15), t.background, radius=1)
    ring = axes.c2p(x, 0.25)
    assert only_background_near(frame, ring, t.background, radius=0)  # hollow
    assert colour_near(frame, ring + np.array([0.075, 0, 0]), t.step, radius=1)


def test_probe_dots_sit_on_both_slopes(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, frame = rendered
    t = scene.theme
    for func in (sigmoid_derivative, hard_sigmoid_derivative):
        point = scene.bottom_axes.c2p(PROBE_X, float(func(PROBE_X)))
        assert colour_near(frame, point, t.highlight, radius=1), func.__name__


@pytest.mark.parametrize("sign", [-1, 1])
def test_largest_gap_marked_between_the_curves(rendered: tuple[HardSigmoid, np.ndarray], sign: int) -> None:
    scene, frame = rendered
    x = sign * KINK_X
    middle = (float(sigmoid(x)) + float(hard_sigmoid(x))) / 2
    assert colour_near(frame, scene.top_axes.c2p(x, middle), scene.theme.highlight, radius=1)


def test_off_the_curves_is_background(rendered: tuple[HardSigmoid, np.ndarray]) -> None:
    scene, frame = rendered
    bg = scene.theme.background
    assert only_background_near(frame, scene.top_axes.c2p(1.0, 0.2), bg)
    assert only_background_near(frame, scene.top_axes.c2p(-1.0, 0.8), bg)
    assert only_background_near(frame, scene.bottom_axes.c2p(-4.0, 0.15), bg)
