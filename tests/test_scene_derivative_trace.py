"""DerivativeTrace: σ′ traced out under σ, its peak, and the area under it equal to σ.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR, VMobject

from lecture.numerics import sigmoid, sigmoid_derivative
from scenes.derivative_trace import (
    AREA_OPACITY,
    TAIL_X,
    X_END,
    X_MAX,
    X_MIN,
    ZOOM,
    DerivativeTrace,
    area_under_derivative,
)
from tests.framecheck import (
    check_caption_pace,
    check_narration,
    colour_near,
    last_frame,
    only_background_near,
    rgb,
)

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[DerivativeTrace, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(DerivativeTrace, request.param)


def data_coords(axes: object, mob: VMobject) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) data coordinates of a polyline's anchors (or its dashes' anchors) on ``axes``."""
    anchors = np.vstack([m.get_anchors() for m in mob.family_members_with_points()])
    coords = np.array([axes.p2c(p) for p in anchors])  # type: ignore[attr-defined]
    return coords[:, 0], coords[:, 1]


# --- the helper ----------------------------------------------------------------


@pytest.mark.parametrize("x", [-6.0, -2.5, 0.0, 1.0, 3.0, 6.0])
def test_area_under_the_derivative_is_sigma(x: float) -> None:
    # Trapezoids over σ′ alone reproduce σ (the fundamental theorem, numerically)
    assert area_under_derivative(x) == pytest.approx(float(sigmoid(x)), abs=1e-6)


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert scene.x_tracker.get_value() == pytest.approx(X_END)


def test_both_plots_share_the_x_scale(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, _ = rendered
    top, bottom = scene.top_axes, scene.bottom_axes
    for x in (X_MIN, 0.0, X_MAX):
        assert top.c2p(x, 0)[0] == pytest.approx(bottom.c2p(x, 0)[0], abs=1e-9), x
    # Stacked: the whole σ′ plot lies below σ's x axis
    assert bottom.c2p(0, bottom.y_range[1])[1] < top.c2p(0, 0)[1]


def test_sigma_prime_is_first_drawn_at_sigmas_scale(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    # The true-scale axes give a unit of y the same height as σ's do: σ′'s ¼ is a quarter of σ's 1
    # (built afresh: the ones shown were transformed into the zoomed axes)
    scene, _ = rendered
    top, true = scene.top_axes, scene.get_true_scale_axes()
    unit = top.c2p(0, 1)[1] - top.c2p(0, 0)[1]
    assert true.c2p(0, 1)[1] - true.c2p(0, 0)[1] == pytest.approx(unit, rel=1e-9)
    assert true.y_range[1] == 1.0
    for x in (X_MIN, 0.0, X_MAX):
        assert true.c2p(x, 0)[0] == pytest.approx(top.c2p(x, 0)[0], abs=1e-9)


def test_the_lower_axes_end_zoomed_four_times_and_say_so(
    rendered: tuple[DerivativeTrace, np.ndarray],
) -> None:
    scene, frame = rendered
    top, bottom = scene.top_axes, scene.bottom_axes
    assert bottom is scene.zoomed_axes
    unit = top.c2p(0, 1)[1] - top.c2p(0, 0)[1]
    assert bottom.c2p(0, 0.25)[1] - bottom.c2p(0, 0)[1] == pytest.approx(ZOOM * 0.25 * unit, rel=1e-9)
    assert ZOOM == 4
    # the zoom tag is on screen, in the highlight colour, and inside the zoomed plot's columns
    assert any(scene.zoom_tag in m.get_family() for m in scene.mobjects)
    assert scene.zoom_tag.get_left()[0] > bottom.c2p(X_MIN, 0)[0]
    # (its thin strokes are anti-aliased at 480x270 and never reach the full colour: hence the
    # wide tolerance; the background is about 300 away from the highlight)
    assert colour_near(frame, scene.zoom_tag.get_center(), scene.theme.highlight, radius=20, tol=100)


def test_the_trace_is_sigma_prime_across_the_plot(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, _ = rendered
    xs, ys = data_coords(scene.bottom_axes, scene.derivative_trace)
    np.testing.assert_allclose(ys, sigmoid_derivative(xs), atol=1e-9)
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)


def test_the_product_sigma_times_one_minus_sigma_lands_on_sigma_prime(
    rendered: tuple[DerivativeTrace, np.ndarray],
) -> None:
    # The product curve is multiplied out of σ and 1 − σ; through σ′'s axes it is σ′ everywhere
    scene, _ = rendered
    xs, ys = data_coords(scene.bottom_axes, scene.product_trace)
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)
    np.testing.assert_allclose(ys, sigmoid_derivative(xs), atol=1e-9)


def test_one_minus_sigma_is_drawn_on_sigmas_axes(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, _ = rendered
    xs, ys = data_coords(scene.top_axes, scene.complement)
    assert xs.min() < -5 and xs.max() > 5
    np.testing.assert_allclose(ys, 1 - sigmoid(xs), atol=1e-3)  # dashes' ends lie on the curve


def test_narration_covers_the_scene_without_gaps(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=10)
    check_caption_pace(rendered[0])


# --- the last frame ------------------------------------------------------------


def test_peak_quarter_drawn_at_zero(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, frame = rendered
    assert float(sigmoid_derivative(0.0)) == 0.25
    assert colour_near(frame, scene.bottom_axes.c2p(0, 0.25), scene.theme.derivative)


@pytest.mark.parametrize("x", [-2.0, 2.0, -4.5, 4.5])
def test_sigma_prime_drawn_where_the_maths_puts_it(
    rendered: tuple[DerivativeTrace, np.ndarray], x: float
) -> None:
    scene, frame = rendered
    point = scene.bottom_axes.c2p(x, float(sigmoid_derivative(x)))
    assert colour_near(frame, point, scene.theme.derivative)


@pytest.mark.parametrize("x", [-3.0, -1.0, 2.0, 4.0])
def test_sigma_drawn_on_top(rendered: tuple[DerivativeTrace, np.ndarray], x: float) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.top_axes.c2p(x, float(sigmoid(x))), scene.theme.sigma)


def test_the_point_rides_sigma_at_the_end(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, frame = rendered
    point = scene.top_axes.c2p(X_END, float(sigmoid(X_END)))
    assert colour_near(frame, point, scene.theme.highlight, radius=1)


def test_final_area_equals_sigma(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.area_value == pytest.approx(float(sigmoid(X_END)), abs=1e-6)
    # The bar on σ's plot is as tall as the area, so its tip lands on σ
    tip = scene.area_bar.get_end()
    np.testing.assert_allclose(tip, scene.top_axes.c2p(X_END, float(sigmoid(X_END))), atol=1e-5)


def test_shading_stops_at_the_final_x(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    scene, frame = rendered
    t = scene.theme
    # The area's colour over the background, under the curve left of X_END only
    tint = AREA_OPACITY * rgb(t.logit) + (1 - AREA_OPACITY) * rgb(t.background)
    shaded = scene.bottom_axes.c2p(X_END - 0.5, 0.05)
    assert colour_near(frame, shaded, "#{:02X}{:02X}{:02X}".format(*np.round(tint).astype(int)), tol=25)
    assert only_background_near(frame, scene.bottom_axes.c2p(X_END + 1.0, 0.05), t.background)


@pytest.mark.parametrize(
    ("plot", "x", "y"), [("top", -3, 0.35), ("top", 3, 0.6), ("bottom", 3, 0.12), ("bottom", -3, 0.2)]
)
def test_off_the_curves_is_background(
    rendered: tuple[DerivativeTrace, np.ndarray], plot: str, x: float, y: float
) -> None:
    scene, frame = rendered
    axes = scene.top_axes if plot == "top" else scene.bottom_axes
    assert only_background_near(frame, axes.c2p(x, y), scene.theme.background)


def test_the_connector_keeps_its_part_count_wherever_the_riders_are(
    rendered: tuple[DerivativeTrace, np.ndarray],
) -> None:
    """A fixed count keeps ManimCE's become() from padding it with path-dependent copies (render cache)."""
    from scenes.derivative_trace import CONNECTOR_DASHES

    scene, _ = rendered
    _, _, connector = scene.get_riders()
    start = scene.x_tracker.get_value()
    try:
        for x in np.linspace(X_MIN, X_MAX, 25):
            scene.x_tracker.set_value(x)
            connector.update()
            seen = [d for d in connector.submobjects if d.get_stroke_opacity() > 0]
            assert len(connector.submobjects) == CONNECTOR_DASHES, x
            assert 2 <= len(seen) < CONNECTOR_DASHES, x
            top, bottom = seen[0].get_start(), seen[-1].get_end()
            assert top[1] > bottom[1], "the dashes run from σ down to σ′"
    finally:
        scene.x_tracker.set_value(start)


def test_the_zoom_tag_sits_clear_of_sigma_prime(rendered: tuple[DerivativeTrace, np.ndarray]) -> None:
    # No point of σ′ (on the zoomed axes) inside the tag's box, nor of the tails' bands (|x| > 4)
    scene, _ = rendered
    lo, hi = scene.zoom_tag.get_corner(DL)[:2], scene.zoom_tag.get_corner(UR)[:2]
    xs = np.linspace(X_MIN, X_MAX, 601)
    curve = np.array([scene.bottom_axes.c2p(x, float(sigmoid_derivative(x)))[:2] for x in xs])
    assert not np.all((curve >= lo) & (curve <= hi), axis=1).any()
    left, right = (scene.bottom_axes.c2p(x, 0)[0] for x in (-TAIL_X, TAIL_X))
    assert left < lo[0] and hi[0] < right
