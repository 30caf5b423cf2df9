"""ChapterSummary: the chapter recalled on one σ curve, checked through the scene's own axes.

Each theme's scene is built once (animations skipped). Every overlay drawn on
the way is checked against lecture.numerics through the axes; the last frame
(σ with its saturated tails shaded) is checked pixel by pixel.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import scenes.chapter_summary as module
from lecture.numerics import hard_sigmoid, logit, sigmoid, sigmoid_derivative, softmax
from scenes.chapter_summary import (
    LOGIT_P,
    MIRROR_X,
    PROBE_LABEL,
    PROBE_X,
    STEEP_K,
    X_MAX,
    X_MIN,
    ChapterSummary,
    saturated_from,
)
from tests.framecheck import check_caption_pace, check_narration, colour_near, last_frame, rgb, to_pixel

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
    assert result.attempted > 0 and result.failed == 0


def test_saturated_tails_start_where_the_slope_drops_below_a_hundredth() -> None:
    edge = saturated_from(0.01)
    assert sigmoid_derivative(edge) < 0.01 <= sigmoid_derivative(edge - 1e-3)


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))


def test_the_narration_is_a_recall_at_a_speaking_pace(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    check_narration(scene, min_captions=11)
    check_caption_pace(scene)
    assert len(scene.panels) == len(scene.beats)  # one idea per beat


def test_the_first_frame_is_not_empty(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    # The axes and asymptotes are added before the first beat plays: nothing waits empty
    scene, _ = rendered
    assert scene.axes in scene.mobjects


def test_panels_are_large_and_inside_the_frame(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    for panel in scene.panels:
        heading, body = panel
        assert heading.font_size == pytest.approx(scene.theme.label_size)
        for line in body:  # full label size, or shrunk at most a little to fit the panel
            assert line.font_size >= 0.8 * scene.theme.label_size * 1.25, line.tex_string
        assert panel.get_right()[0] <= 7.1 and panel.get_left()[0] >= scene.axes.get_right()[0]


@pytest.mark.parametrize(
    ("name", "func"),
    [
        ("curve", sigmoid),
        ("slope_curve", sigmoid_derivative),
        ("steep_curve", lambda x: sigmoid(x, STEEP_K)),
        ("hard_curve", hard_sigmoid),
    ],
)
def test_each_curve_is_its_function_on_the_same_axes(
    rendered: tuple[ChapterSummary, np.ndarray], name: str, func: object
) -> None:
    scene, _ = rendered
    points = anchors_in_data(scene.axes, getattr(scene, name))
    np.testing.assert_allclose(points[:, 1], func(points[:, 0]), atol=1e-9)  # type: ignore[operator]
    assert points[:, 0].min() == pytest.approx(X_MIN) and points[:, 0].max() == pytest.approx(X_MAX)


def test_the_slope_peaks_at_a_quarter_on_sigmas_own_scale(
    rendered: tuple[ChapterSummary, np.ndarray],
) -> None:
    scene, _ = rendered
    points = anchors_in_data(scene.axes, scene.slope_curve)
    assert points[:, 1].max() == pytest.approx(0.25)
    assert points[np.argmax(points[:, 1]), 0] == pytest.approx(0.0)


def test_mirror_points_are_symmetric_about_the_centre(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    a, centre, b = (scene.axes.p2c(d.get_center())[:2] for d in scene.mirror[1])
    np.testing.assert_allclose(centre, (0.0, 0.5), atol=1e-9)
    np.testing.assert_allclose(a, (-MIRROR_X, sigmoid(-MIRROR_X)), atol=1e-9)
    np.testing.assert_allclose(a + b, (0.0, 1.0), atol=1e-9)


def test_logit_path_lands_at_logit_p(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    across, down = scene.logit_path[0]
    end = scene.axes.p2c(down.get_end())[:2]
    np.testing.assert_allclose(end, (logit(LOGIT_P), 0.0), atol=1e-9)
    corner = scene.axes.p2c(across.get_end())[:2]
    assert sigmoid(corner[0]) == pytest.approx(LOGIT_P)


def test_gap_runs_from_sigma_to_the_label(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    seg = scene.gap[0]
    start, end = (scene.axes.p2c(p)[:2] for p in (seg.get_start(), seg.get_end()))
    np.testing.assert_allclose(start, (PROBE_X, sigmoid(PROBE_X)), atol=1e-9)
    np.testing.assert_allclose(end, (PROBE_X, PROBE_LABEL), atol=1e-9)


def test_softmax_dot_is_on_sigma(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, _ = rendered
    x, y = scene.axes.p2c(scene.softmax_dot[0].get_center())[:2]
    assert y == pytest.approx(float(softmax(np.array([1.0, 0.0]))[0])) == pytest.approx(float(sigmoid(x)))


def test_data_sit_on_their_labels_either_side_of_the_boundary(
    rendered: tuple[ChapterSummary, np.ndarray],
) -> None:
    scene, _ = rendered
    for dot in scene.data:
        x, y = scene.axes.p2c(dot.get_center())[:2]
        assert (y == pytest.approx(0.0) and x < 0) or (y == pytest.approx(1.0) and x > 0)


# --- the last frame ------------------------------------------------------------


def test_last_frame_shows_sigma_and_its_shaded_tails(rendered: tuple[ChapterSummary, np.ndarray]) -> None:
    scene, frame = rendered
    t, axes = scene.theme, scene.axes
    for x in (-3.0, -1.0, 0.0, 1.0, 3.0):
        assert colour_near(frame, axes.c2p(x, float(sigmoid(x))), t.sigma), x
    # the tails are tinted: not the background, over empty plot area
    edge = saturated_from()
    for x, y in (((X_MIN - edge) / 2, 0.3), ((X_MAX + edge) / 2, 0.7)):
        r, c = to_pixel(axes.c2p(x, y), frame)
        assert not np.array_equal(frame[r, c, :3], rgb(t.background)), (x, y)
    # the middle, where σ′ is large, is not
    r, c = to_pixel(axes.c2p(2.5, 0.3), frame)
    assert np.linalg.norm(frame[r, c, :3].astype(float) - rgb(t.background)) < 12
