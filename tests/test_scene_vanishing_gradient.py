"""VanishingGradient: the gradient shrinking back through a chain of sigmoid units, on a log scale.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the chart's own axes: a bar's top must stand at log₁₀ of the
gradient lecture.numerics gives for that node, in the bar's colour, with
background just above it.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import VMobject, config

from lecture.numerics import sigmoid_chain_gradient, sigmoid_derivative
from scenes.vanishing_gradient import (
    BAR_GAP,
    BAR_WIDTH,
    BEST_Z,
    LAYERS,
    LOG_MIN,
    SATURATED_Z,
    VanishingGradient,
    log_heights,
)
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb

THEMES = ("dark", "light")
#: Bars are offset from their node's column by half a bar and half the gap: best left, saturated right.
OFFSET = (BAR_WIDTH + BAR_GAP) / 2


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[VanishingGradient, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(VanishingGradient, request.param)


# --- the numbers ------------------------------------------------------------------


def test_best_case_is_exactly_four_to_the_minus_n() -> None:
    heights = log_heights(BEST_Z)
    n = np.arange(LAYERS, -1, -1)
    np.testing.assert_allclose(heights, -n * np.log10(4), rtol=0, atol=1e-12)


def test_saturated_case_is_far_below_the_bound_and_on_the_chart() -> None:
    heights = log_heights(SATURATED_Z)
    best = log_heights(BEST_Z)
    assert np.all(heights[:-1] < best[:-1] - 0.5), "saturated units lose at least 3x more per layer"
    assert heights.min() > LOG_MIN, "the deepest bar must still stand on the chart"
    assert np.all(np.abs(SATURATED_Z) >= 2)


def test_caption_claim_each_saturated_layer_keeps_3_to_10_percent() -> None:
    kept = 100 * sigmoid_derivative(np.asarray(SATURATED_Z))
    assert round(kept.min()) == 3 and round(kept.max()) == 10


# --- construction ------------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[VanishingGradient, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert len(scene.units) == LAYERS
    assert len(scene.best_bars) == len(scene.saturated_bars) == LAYERS + 1


@pytest.mark.parametrize(("bars", "zs"), [("best_bars", BEST_Z), ("saturated_bars", SATURATED_Z)])
def test_bars_are_numerics_gradients(
    rendered: tuple[VanishingGradient, np.ndarray], bars: str, zs: tuple
) -> None:
    scene, _ = rendered
    gradient = sigmoid_chain_gradient(np.asarray(zs))
    for j, bar in enumerate(getattr(scene, bars)):
        floor = scene.chart.p2c(bar.get_bottom())
        top = scene.chart.p2c(bar.get_top())
        assert floor[1] == pytest.approx(LOG_MIN, abs=1e-9)
        assert 10 ** top[1] == pytest.approx(gradient[j], rel=1e-9)
        assert scene.chart.p2c(bar.get_center())[0] == pytest.approx(j, abs=0.5)


def test_bars_stand_under_their_node_of_the_chain(rendered: tuple[VanishingGradient, np.ndarray]) -> None:
    # Unit i sits between nodes i - 1 and i: its box is centred over the gap between their bar pairs
    scene, _ = rendered
    for i, unit in enumerate(scene.units, start=1):
        between = (scene.chart.c2p(i - 1, 0)[0] + scene.chart.c2p(i, 0)[0]) / 2
        assert unit.get_x() == pytest.approx(between, abs=1e-9)


def test_bound_runs_through_the_best_bars(rendered: tuple[VanishingGradient, np.ndarray]) -> None:
    scene, _ = rendered
    best = log_heights(BEST_Z)
    ends = [scene.chart.p2c(scene.bound.get_start()), scene.chart.p2c(scene.bound.get_end())]
    assert ends[0][1] == pytest.approx(best[0], abs=1e-9)
    assert ends[1][1] == pytest.approx(best[-1], abs=1e-9)


def test_everything_inside_the_frame(rendered: tuple[VanishingGradient, np.ndarray]) -> None:
    scene, _ = rendered
    for mob in scene.mobjects:
        if isinstance(mob, VMobject) and (mob.has_points() or mob.submobjects):
            assert -config.frame_x_radius < mob.get_left()[0] and mob.get_right()[0] < config.frame_x_radius
            assert -config.frame_y_radius < mob.get_bottom()[1] and mob.get_top()[1] < config.frame_y_radius


def test_narration_covers_the_scene_at_a_speaking_pace(
    rendered: tuple[VanishingGradient, np.ndarray],
) -> None:
    check_narration(rendered[0], min_captions=9)


# --- the last frame ----------------------------------------------------------------


@pytest.mark.parametrize(("which", "zs", "side"), [("best", BEST_Z, -1), ("saturated", SATURATED_Z, 1)])
@pytest.mark.parametrize("j", [0, 2, 5, 7])
def test_bar_tops_drawn_where_the_maths_puts_them(
    rendered: tuple[VanishingGradient, np.ndarray], which: str, zs: tuple, side: int, j: int
) -> None:
    scene, frame = rendered
    t = scene.theme
    colour = t.derivative if which == "best" else t.step
    height = float(np.log10(sigmoid_chain_gradient(np.asarray(zs))[j]))
    shift = np.array([side * OFFSET, 0, 0])
    # A quarter decade (2 px) under the top is bar; half a decade (4 px) over it is not
    inside = scene.chart.c2p(j, height - 0.25) + shift
    assert colour_near(frame, inside, colour, radius=1, tol=50), (which, j)
    above = scene.chart.c2p(j, height + 0.5) + shift
    assert not colour_near(frame, above, colour, radius=1, tol=50), (which, j)


@pytest.mark.parametrize("j", [0, 1, 2])
def test_deep_saturated_bars_leave_background_above_them(
    rendered: tuple[VanishingGradient, np.ndarray], j: int
) -> None:
    scene, frame = rendered
    height = float(np.log10(sigmoid_chain_gradient(np.asarray(SATURATED_Z))[j]))
    # Between the bar's top and the 10^-6 guide there is nothing: the gradient really is that small
    point = scene.chart.c2p(j, (height - 6) / 2) + np.array([OFFSET, 0, 0])
    assert only_background_near(frame, point, scene.theme.background)
