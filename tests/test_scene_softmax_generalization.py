"""SoftmaxGeneralization: the bars are lecture.numerics' softmax, and two classes land on σ.

Each theme's scene is built once with animations skipped. The three-panel act
is checked on the last frame of a variant that stops before the two-class act
(``two_classes = False``): every bar's top, found by scanning its column of
pixels, sits where the scene's own axes put the value from
:mod:`lecture.numerics`, and the stacked probability bar reaches 1. The full
scene's last frame is checked the same way for the two-class act: p₁'s bar,
the σ curve, and the dot at (a − b, σ(a − b)).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import scenes.softmax_generalization as module
from lecture.numerics import sigmoid, softmax, softmax_terms
from scenes.softmax_generalization import (
    A_SCORE,
    B_END,
    BAR_WIDTH,
    BIG_SCORES,
    SCORES,
    SLOTS,
    SUM_SLOT,
    SoftmaxGeneralization,
)
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb, to_pixel

THEMES = ("dark", "light")


class ThreeClasses(SoftmaxGeneralization):
    """The scene up to the end of the three-panel act."""

    two_classes = False


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[SoftmaxGeneralization, np.ndarray]:
    """The whole scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(SoftmaxGeneralization, request.param)


@pytest.fixture(scope="module", params=THEMES)
def panels(request: pytest.FixtureRequest) -> tuple[SoftmaxGeneralization, np.ndarray]:
    """The scene stopped on its three panels, and that frame, once per theme."""
    return last_frame(ThreeClasses, request.param)


def bar_end(
    frame: np.ndarray, axes: object, slot: float, value: float, color: str, *, tol: float = 45
) -> float:
    """Where a bar drawn from 0 towards ``value`` stops, in data units, read off the frame.

    Starts in the bar's middle and walks its pixel column away from 0 while
    the pixels keep the bar's colour (within ``tol``); returns the data y of
    the last such pixel.
    """
    direction = 1 if value >= 0 else -1
    row, col = to_pixel(axes.c2p(slot, value / 2), frame)  # type: ignore[attr-defined]
    target = rgb(color)
    assert np.linalg.norm(frame[row, col, :3] - target) <= tol, "the bar's middle is not its colour"
    while 0 < row < frame.shape[0] - 1 and np.linalg.norm(frame[row - direction, col, :3] - target) <= tol:
        row -= direction
    return data_y(axes, frame, row)


def data_y(axes: object, frame: np.ndarray, row: int) -> float:
    """The data y that a pixel row shows on ``axes``."""
    from manim import config

    scene_y = (0.5 - (row + 0.5) / frame.shape[0]) * config.frame_height
    origin = axes.c2p(0, 0)  # type: ignore[attr-defined]
    unit = axes.c2p(0, 1)[1] - origin[1]  # type: ignore[attr-defined]
    return float((scene_y - origin[1]) / unit)


def pixel_height(axes: object, frame: np.ndarray) -> float:
    """One pixel row, in ``axes``' data units."""
    return abs(data_y(axes, frame, 10) - data_y(axes, frame, 11))


# --- the module ------------------------------------------------------------------


def test_module_doctests_pass() -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_big_scores_shift_to_the_same_bars_as_the_small_ones() -> None:
    # The scene's punchline: the shifted 1000s are the bars already on screen.
    assert np.array_equal(np.subtract(BIG_SCORES, max(BIG_SCORES)), np.subtract(SCORES, max(SCORES)))
    np.testing.assert_allclose(softmax(BIG_SCORES), softmax(SCORES), rtol=1e-12)


# --- the three-panel act ------------------------------------------------------------


def test_the_scores_end_shifted_by_their_max(panels: tuple[SoftmaxGeneralization, np.ndarray]) -> None:
    scene, _ = panels
    assert scene.shift.get_value() == max(SCORES)
    np.testing.assert_array_equal(scene.scores(), np.subtract(SCORES, max(SCORES)))


@pytest.mark.parametrize("panel", ["score", "exp", "prob"])
def test_bar_tops_are_the_numerics_values(
    panels: tuple[SoftmaxGeneralization, np.ndarray], panel: str
) -> None:
    scene, frame = panels
    axes = getattr(scene, f"{panel}_axes")
    bars = getattr(scene, f"{panel}_bars")
    want = {
        "score": np.subtract(SCORES, max(SCORES)),
        "exp": softmax_terms(SCORES),  # e^(z - max z): the shifted exponentials
        "prob": softmax(SCORES),
    }[panel]
    for i, value in enumerate(want):
        # The number written past the bar's end is its value, rounded as shown.
        assert bars[i][1].get_value() == pytest.approx(value)
        end = bars[i][0].get_top() if value >= 0 else bars[i][0].get_bottom()
        assert axes.p2c(end)[1] == pytest.approx(value, abs=1e-9)
        if abs(value) < 4 * pixel_height(axes, frame):  # e.g. e^-3 on a 0-12 scale: under a pixel tall
            continue
        color = scene.class_colors[i]
        drawn = bar_end(frame, axes, SLOTS[i], float(value), color)
        assert drawn == pytest.approx(value, abs=2 * pixel_height(axes, frame)), (panel, i)


def test_probability_bars_did_not_move_when_the_max_was_subtracted(
    panels: tuple[SoftmaxGeneralization, np.ndarray],
) -> None:
    scene, _ = panels
    tops = [scene.prob_axes.p2c(bar[0].get_top())[1] for bar in scene.prob_bars]
    np.testing.assert_allclose(tops, softmax(SCORES), atol=1e-9)
    scene.shift.set_value(0.0)  # before the shift
    scene.update_mobjects(0)
    before = [scene.prob_axes.p2c(bar[0].get_top())[1] for bar in scene.prob_bars]
    np.testing.assert_allclose(before, tops, atol=1e-12)
    # ...while the exponentials were the naive e^z, e^2 times taller than they end.
    exp_tops = [scene.exp_axes.p2c(bar[0].get_top())[1] for bar in scene.exp_bars]
    np.testing.assert_allclose(exp_tops, softmax_terms(SCORES, shift=False), atol=1e-9)
    scene.shift.set_value(max(SCORES))
    scene.update_mobjects(0)


def test_the_largest_shifted_exponential_is_exactly_one(
    panels: tuple[SoftmaxGeneralization, np.ndarray],
) -> None:
    scene, frame = panels
    assert scene.exponentials().max() == 1.0
    drawn = bar_end(frame, scene.exp_axes, SLOTS[0], 1.0, scene.class_colors[0])
    assert drawn == pytest.approx(1.0, abs=2 * pixel_height(scene.exp_axes, frame))


def test_stacked_probabilities_reach_exactly_one(panels: tuple[SoftmaxGeneralization, np.ndarray]) -> None:
    scene, frame = panels
    axes, p = scene.prob_axes, softmax(SCORES)
    tops = np.cumsum(p)
    assert tops[-1] == pytest.approx(1.0, abs=1e-15)
    # Each class's segment of the stacked bar ends where the running sum says.
    slot = SUM_SLOT
    for i, (low, high) in enumerate(zip(np.concatenate([[0.0], tops[:-1]]), tops, strict=True)):
        row, col = to_pixel(axes.c2p(slot, (low + high) / 2), frame)
        target = rgb(scene.class_colors[i])
        assert np.linalg.norm(frame[row, col, :3] - target) <= 45, i
        while np.linalg.norm(frame[row - 1, col, :3] - target) <= 45:
            row -= 1
        assert data_y(axes, frame, row) == pytest.approx(high, abs=2 * pixel_height(axes, frame)), i
    above = axes.c2p(slot - BAR_WIDTH / 2 - 0.25, 1.05)
    assert only_background_near(frame, above, scene.theme.background)
    assert scene.prob_sum_bar[1].get_value() == pytest.approx(1.0)


def test_the_naive_big_scores_overflow(panels: tuple[SoftmaxGeneralization, np.ndarray]) -> None:
    scene, _ = panels
    terms, probabilities = scene.overflow
    assert np.isposinf(terms).all()
    assert np.isnan(probabilities).all()


# --- the two-class act, on the scene's last frame -------------------------------------


def test_the_two_class_probability_is_sigma_of_the_gap(
    rendered: tuple[SoftmaxGeneralization, np.ndarray],
) -> None:
    scene, frame = rendered
    a, b = scene.pair_scores()
    assert (a, b) == (A_SCORE, B_END)
    p1 = float(scene.pair_probabilities()[0])
    assert p1 == pytest.approx(float(sigmoid(a - b)), rel=1e-15)
    axes = scene.pair_prob_axes
    drawn = bar_end(frame, axes, SLOTS[0], p1, scene.class_colors[0])
    assert drawn == pytest.approx(p1, abs=2 * pixel_height(axes, frame))


def test_the_dot_sits_on_sigma_at_the_score_gap(rendered: tuple[SoftmaxGeneralization, np.ndarray]) -> None:
    scene, frame = rendered
    gap = A_SCORE - B_END
    point = scene.sigma_axes.c2p(gap, float(sigmoid(gap)))
    np.testing.assert_allclose(scene.gap_dot.get_center(), point, atol=1e-9)
    assert colour_near(frame, point, scene.theme.highlight, radius=1, tol=40)


def test_the_bar_and_the_sigma_plot_share_a_height_scale(
    rendered: tuple[SoftmaxGeneralization, np.ndarray],
) -> None:
    # So the dashed guide from the top of p1's bar to the dot is level.
    scene, _ = rendered
    for y in (0.0, 0.5, 1.0):
        assert scene.pair_prob_axes.c2p(0, y)[1] == pytest.approx(scene.sigma_axes.c2p(0, y)[1], abs=1e-9)


@pytest.mark.parametrize("gap", [-3.5, -1.0, 0.0, 3.5])
def test_sigma_is_drawn_where_the_maths_puts_it(
    rendered: tuple[SoftmaxGeneralization, np.ndarray], gap: float
) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.sigma_axes.c2p(gap, float(sigmoid(gap))), scene.theme.sigma)
    # Off the curve (clear of the grid lines at ½ and 1, and of the guides at the final gap): nothing.
    y = float(sigmoid(gap))
    off = y + 0.12 if y < 0.7 else y - 0.15
    assert only_background_near(frame, scene.sigma_axes.c2p(gap, off), scene.theme.background)


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[SoftmaxGeneralization, np.ndarray]) -> None:
    scene, frame = rendered
    assert scene.theme.name in THEMES
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))


def test_beats_are_captioned_at_a_speaking_pace_without_gaps(
    rendered: tuple[SoftmaxGeneralization, np.ndarray],
) -> None:
    check_narration(rendered[0], min_captions=12)
