"""SigmoidShape: the logistic curve, the marks of a sigmoid, its half-turn symmetry and the hand values.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there. Geometry (the half turn,
the symmetry's two gaps) and the table's numbers are checked on the mobjects.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from manim import DecimalNumber, VMobject, config

from lecture.numerics import sigmoid
from scenes.sigmoid_shape import (
    HAND_XS,
    KNOB_X,
    SYMMETRY_X,
    TURN_X,
    X_MAX,
    X_MIN,
    SigmoidShape,
    hand_values,
)
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[SigmoidShape, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(SigmoidShape, request.param)


def data_coords(scene: SigmoidShape, mob: Any) -> np.ndarray:
    """The data coordinates (n, 2) of a mobject's anchor points, through the scene's axes."""
    return np.array([scene.axes.p2c(p) for p in mob.get_anchors()])


# --- pure helpers -------------------------------------------------------------------


def test_hand_values_are_the_chapters_easy_1() -> None:
    rows = hand_values()
    assert [x for x, _, _ in rows] == [0.0, 1.0, -1.0, 10.0, -10.0]
    # The chapter expects 0.5, 0.731, 0.269, ≈1, ≈0
    shown = [round(s, places) for _, s, places in rows]
    assert shown[:3] == [0.5, 0.731, 0.269]
    # ±10 are shown with enough digits not to read exactly 1 or 0
    assert 0.99 < shown[3] < 1 and 0 < shown[4] < 0.01
    # The caption: "within 0.00005 of 1 and of 0"
    assert 0 < 1 - rows[3][1] < 5e-5 and 0 < rows[4][1] < 5e-5


# --- construction -------------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert scene.curve.get_stroke_color().to_hex().lower() == scene.theme.sigma.lower()


def test_curve_is_numerics_sigma_over_the_whole_axis(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    scene, _ = rendered
    xs, ys = data_coords(scene, scene.curve).T
    np.testing.assert_allclose(ys, sigmoid(xs), rtol=0, atol=1e-9)
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)


def test_half_turn_about_the_centre_maps_the_curve_onto_itself(
    rendered: tuple[SigmoidShape, np.ndarray],
) -> None:
    # On screen, not in data: turn the drawn points by π about (0, ½) and read them back
    scene, _ = rendered
    centre = scene.axes.c2p(0, 0.5)
    turned = 2 * centre - scene.curve.get_anchors()
    xs, ys = np.array([scene.axes.p2c(p) for p in turned]).T
    np.testing.assert_allclose(ys, sigmoid(xs), rtol=0, atol=1e-9)


def test_the_turned_copy_landed_on_the_curve(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    # The copy that was turned half a turn on screen: its points read back as points of σ
    scene, _ = rendered
    xs, ys = data_coords(scene, scene.turned).T
    np.testing.assert_allclose(ys, sigmoid(xs), rtol=0, atol=1e-9)
    assert xs[0] == pytest.approx(TURN_X) and xs[-1] == pytest.approx(-TURN_X), "turned: its ends swapped"


def test_symmetry_gaps_stand_at_plus_minus_two_and_are_equal(
    rendered: tuple[SigmoidShape, np.ndarray],
) -> None:
    scene, _ = rendered
    under, over = (gap[0] for gap in scene.gaps)
    a = SYMMETRY_X
    np.testing.assert_allclose(scene.axes.p2c(under.get_start()), [-a, 0.0], atol=1e-9)
    np.testing.assert_allclose(scene.axes.p2c(under.get_end()), [-a, float(sigmoid(-a))], atol=1e-9)
    np.testing.assert_allclose(scene.axes.p2c(over.get_start()), [a, float(sigmoid(a))], atol=1e-9)
    np.testing.assert_allclose(scene.axes.p2c(over.get_end()), [a, 1.0], atol=1e-9)
    assert under.get_length() == pytest.approx(over.get_length(), rel=1e-9)


def test_the_dimmer_ends_fully_on(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.knob.get_value() == pytest.approx(KNOB_X)
    assert scene.lamp.get_fill_opacity() == pytest.approx(float(sigmoid(KNOB_X)))


def test_table_holds_numerics_values(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    scene, _ = rendered
    on_screen = {id(m) for m in scene.get_mobject_family_members()}
    assert len(scene.table_values) == len(HAND_XS)
    for (x_cell, s_cell), (x, s, places) in zip(scene.table_values, hand_values(), strict=True):
        assert isinstance(s_cell, DecimalNumber) and id(s_cell) in on_screen
        assert x_cell.get_value() == x
        assert s_cell.get_value() == s == float(sigmoid(x))
        assert s_cell.num_decimal_places == places
    # Every value reads "0.…": with the decimal points in line, the column's left edge is straight
    assert np.ptp([s_cell.get_left()[0] for _, s_cell in scene.table_values]) < 0.02


def test_text_stays_right_of_the_plot_and_inside_the_frame(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    scene, _ = rendered
    plot_right = scene.axes.c2p(X_MAX, 0)[0]
    cells = [cell for row in scene.table_values for cell in row]
    assert min(c.get_left()[0] for c in cells) > plot_right + 0.3
    for mob in scene.mobjects:
        # A ValueTracker keeps its value as a point: it is not drawn
        if isinstance(mob, VMobject) and (mob.has_points() or mob.submobjects):
            assert -config.frame_x_radius < mob.get_left()[0] and mob.get_right()[0] < config.frame_x_radius
            assert -config.frame_y_radius < mob.get_bottom()[1] and mob.get_top()[1] < config.frame_y_radius


def test_narration_covers_the_scene_at_a_speaking_pace(rendered: tuple[SigmoidShape, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=12)


# --- the last frame ------------------------------------------------------------------


@pytest.mark.parametrize("x", [-6.0, -3.0, -1.8, 1.6, 3.0, 6.0])
def test_curve_drawn_where_the_maths_puts_it(rendered: tuple[SigmoidShape, np.ndarray], x: float) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.axes.c2p(x, float(sigmoid(x))), scene.theme.sigma, tol=45)


@pytest.mark.parametrize("x", HAND_XS)
def test_hand_value_dots_sit_on_the_curve(rendered: tuple[SigmoidShape, np.ndarray], x: float) -> None:
    scene, frame = rendered
    point = scene.axes.c2p(x, float(sigmoid(x)))
    assert colour_near(frame, point, scene.theme.highlight, radius=1, tol=45)
    np.testing.assert_allclose(
        [dot.get_center() for dot in scene.hand_dots if np.allclose(dot.get_center(), point)], [point]
    )


@pytest.mark.parametrize(("x", "y"), [(-6.0, 0.6), (5.0, 0.4), (-2.0, 0.7), (2.0, 0.3), (0.0, 0.9)])
def test_off_the_curve_is_background(rendered: tuple[SigmoidShape, np.ndarray], x: float, y: float) -> None:
    scene, frame = rendered
    assert only_background_near(frame, scene.axes.c2p(x, y), scene.theme.background)
