"""ChapterSummary: every card is its scene's maths, redrawn small, and the page is tidy.

Each theme's scene is built once (animations skipped). Its last frame is read
through each card's own axes: the pixel where lecture.numerics puts σ(2) on
the σ card is σ's colour, the vanishing-gradient bars end at log₁₀ 4⁻ⁿ, and so
on. The layout checks say the rows neither overlap nor leave the frame.
"""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
from manim import config

import scenes.chapter_summary as module
from lecture.numerics import (
    hard_sigmoid,
    logit,
    predict_proba,
    sigmoid,
    sigmoid_derivative,
    tanh_via_sigmoid,
)
from scenes.chapter_summary import LAYERS, SATURATED_X, STEEP_KS, ChapterSummary
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb, to_pixel

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[ChapterSummary, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(ChapterSummary, request.param)


def anchors_in_data(axes: object, mob: object) -> np.ndarray:
    """A polyline's anchors as (x, y) data coordinates on ``axes``."""
    return np.array([axes.p2c(p)[:2] for p in mob.get_anchors()])  # type: ignore[attr-defined]


# --- the module ------------------------------------------------------------------


def test_module_doctests_pass() -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    assert scene.theme.name in THEMES
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert set(scene.cards) == {
        "sigma",
        "derivative",
        "logit",
        "steep",
        "activations",
        "regression",
        "vanishing",
    }


def test_beats_are_captioned_at_a_speaking_pace_without_gaps(
    rendered: tuple[ChapterSummary, np.ndarray],
) -> None:
    check_narration(rendered[0], min_captions=9)


# --- layout ------------------------------------------------------------------------


def test_rows_neither_overlap_nor_leave_the_frame(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    boxes = []
    for row in scene.rows:
        for part in (row.card[0], row.text):
            left, bottom = part.get_corner(np.array([-1, -1, 0]))[:2]
            right, top = part.get_corner(np.array([1, 1, 0]))[:2]
            assert -half_w < left and right < half_w and -half_h < bottom and top < half_h
            boxes.append((left, right, bottom, top))
    for a, b in itertools.combinations(boxes, 2):
        apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
        assert apart, (a, b)


def test_every_drawing_stays_inside_its_card(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    for row in scene.rows:
        frame_box, _, drawing = row.card
        for corner in (np.array([-1, -1, 0]), np.array([1, 1, 0])):
            inner = drawing.get_corner(corner)[:2]
            outer = frame_box.get_corner(corner)[:2]
            assert np.all(corner[:2] * (outer - inner) >= -1e-9), row.text[0]


def test_texts_are_set_at_full_size(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    # The safety net that shrinks a row's text to fit must not have been needed: 480p legibility.
    scene, _ = rendered
    sizes = {round(line.font_size, 6) for row in scene.rows for line in row.text}
    assert sizes == {round(scene.theme.small_size * 1.25, 6)}


# --- the cards, through their own axes ------------------------------------------------


def test_sigma_card(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["sigma"], scene.theme
    for x in (-2.0, 2.0):
        assert colour_near(frame, axes.c2p(x, float(sigmoid(x))), t.sigma)
        off = float(sigmoid(x)) + (0.3 if x < 0 else -0.3)  # towards the middle, clear of the asymptotes
        assert only_background_near(frame, axes.c2p(x, off), t.background)
    assert colour_near(frame, axes.c2p(0, float(sigmoid(0.0))), t.highlight, radius=1)
    # A thumbnail is too small for pixels to tell σ(x) from σ(1.4x): the curve's points must be σ's.
    points = anchors_in_data(axes, scene.rows[0].card[2][1])
    np.testing.assert_allclose(points[:, 1], sigmoid(points[:, 0]), atol=1e-9)
    assert points[0, 0] == pytest.approx(-6) and points[-1, 0] == pytest.approx(6)


def test_derivative_card_peaks_at_a_quarter(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["derivative"], scene.theme
    assert float(sigmoid_derivative(0.0)) == 0.25
    assert colour_near(frame, axes.c2p(0, 0.25), t.highlight, radius=1)
    for x in (-2.0, 2.0):
        assert colour_near(frame, axes.c2p(x, float(sigmoid_derivative(x))), t.derivative)
    points = anchors_in_data(axes, scene.rows[1].card[2][0])
    np.testing.assert_allclose(points[:, 1], sigmoid_derivative(points[:, 0]), atol=1e-9)


def test_logit_card_is_sigma_mirrored(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["logit"], scene.theme
    assert axes.x_length == pytest.approx(axes.y_length)  # equal units: y = x is a true mirror
    p = 0.85
    assert colour_near(frame, axes.c2p(p, float(logit(p))), t.logit)
    assert colour_near(frame, axes.c2p(-2.0, float(sigmoid(-2.0))), t.sigma)
    logit_curve = scene.rows[2].card[2][2]
    points = anchors_in_data(axes, logit_curve)
    # Each point (p, logit p) swapped is a point (x, σ(x)) of the σ card's curve.
    np.testing.assert_allclose(sigmoid(points[:, 1]), points[:, 0], atol=1e-9)


def test_steepness_card(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["steep"], scene.theme
    gentle, steep = STEEP_KS
    assert colour_near(frame, axes.c2p(-2.0, float(sigmoid(-2.0, gentle))), t.family[1], tol=30)
    assert colour_near(frame, axes.c2p(0.3, float(sigmoid(0.3, steep))), t.family[3], tol=30)
    _, gentle_curve, steep_curve = scene.rows[3].card[2]
    for curve, k in ((gentle_curve, gentle), (steep_curve, steep)):
        points = anchors_in_data(axes, curve)
        np.testing.assert_allclose(points[:, 1], sigmoid(points[:, 0], k), atol=1e-9)


def test_activations_card(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["activations"], scene.theme
    assert colour_near(frame, axes.c2p(-2.0, float(tanh_via_sigmoid(-2.0))), t.step)
    assert colour_near(frame, axes.c2p(2.5, float(sigmoid(2.5))), t.sigma)
    hard, tanh, sig = scene.rows[4].card[2]
    for curve, func in ((hard, hard_sigmoid), (tanh, tanh_via_sigmoid), (sig, sigmoid)):
        points = anchors_in_data(axes, curve)
        np.testing.assert_allclose(points[:, 1], func(points[:, 0]), atol=1e-9)


def test_regression_card_shows_the_fitted_boundary(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    axes, t = scene.cards["regression"], scene.theme
    X, y = scene.blobs
    w, b = scene.fit.weights[-1], float(scene.fit.bias[-1])
    assert scene.fit.accuracy[-1] >= 0.9
    boundary = scene.rows[5].card[2][1]
    ends = [axes.p2c(p)[:2] for p in (boundary.get_start(), boundary.get_end())]
    for end in ends:
        assert predict_proba(np.array([end]), w, b)[0] == pytest.approx(0.5, abs=1e-6)
    middle = boundary.get_center()
    assert colour_near(frame, middle, t.text, radius=1, tol=40)
    # Each class's loneliest marker shows its class colour.
    for label, color in ((0, t.class0), (1, t.class1)):
        own = X[y == label]
        gaps = np.linalg.norm(own[:, None] - X[None], axis=-1)
        gaps[gaps == 0] = np.inf
        point = own[gaps.min(axis=1).argmax()]
        assert colour_near(frame, axes.c2p(*point), color, radius=1, tol=40)


@pytest.mark.parametrize("saturated", [False, True])
def test_vanishing_bars_end_at_the_product_of_slopes(
    rendered: tuple[ChapterSummary, np.ndarray], saturated: bool
) -> None:
    scene, frame = rendered
    axes, t = scene.cards["vanishing"], scene.theme
    x, dx, color = (SATURATED_X, 0.17, t.step) if saturated else (0.0, -0.17, t.derivative)
    target = rgb(color)
    unit = axes.c2p(0, 1)[1] - axes.c2p(0, 0)[1]  # scene units per decade
    row_height = config.frame_height / frame.shape[0]
    for n in LAYERS:
        want = n * np.log10(float(sigmoid_derivative(x)))
        if not saturated:
            assert want == pytest.approx(-n * np.log10(4))  # the best case, 4^-n
        if want < axes.y_range[0] + 0.3:  # off the bottom of the card: no bar to read
            continue
        row, col = to_pixel(axes.c2p(n + dx, axes.y_range[0] + 0.1), frame)
        assert np.linalg.norm(frame[row, col, :3] - target) <= 45, n
        while np.linalg.norm(frame[row - 1, col, :3] - target) <= 45:
            row -= 1
        top_y = (0.5 - (row + 0.5) / frame.shape[0]) * config.frame_height
        drawn = (top_y - axes.c2p(0, 0)[1]) / unit
        assert drawn == pytest.approx(want, abs=2 * row_height / unit), n
