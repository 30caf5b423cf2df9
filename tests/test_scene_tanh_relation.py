"""TanhRelation: σ squeezed, stretched and shifted lands on tanh; the chapter's check at x = −2 … 2.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import VMobject

from lecture.numerics import sigmoid, tanh_via_sigmoid
from scenes.tanh_relation import CHECK_XS, X_MAX, X_MIN, TanhRelation, tanh_checks, transformed_sigmoid
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[TanhRelation, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(TanhRelation, request.param)


def data_coords(axes: object, mob: VMobject) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) data coordinates of a polyline's anchors on ``axes``."""
    coords = np.array([axes.p2c(p) for p in mob.get_anchors()])  # type: ignore[attr-defined]
    return coords[:, 0], coords[:, 1]


# --- the helpers ---------------------------------------------------------------


def test_each_move_is_the_transformation_it_names() -> None:
    xs = np.linspace(-4, 4, 81)
    np.testing.assert_array_equal(transformed_sigmoid(xs), sigmoid(xs))
    np.testing.assert_array_equal(transformed_sigmoid(xs, squeeze=2), sigmoid(2 * xs))
    np.testing.assert_array_equal(transformed_sigmoid(xs, 2, 2), 2 * sigmoid(2 * xs))
    np.testing.assert_allclose(transformed_sigmoid(xs, 2, 2, -1), np.tanh(xs), atol=1e-15)


def test_the_check_table_is_the_chapters_exercise() -> None:
    x, via_sigma, tanh = tanh_checks()
    assert x.tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]
    # numpy's tanh is an independent reference for both columns
    np.testing.assert_allclose(via_sigma, np.tanh(x), atol=1e-15)
    np.testing.assert_allclose(tanh, np.tanh(x), rtol=1e-15)


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert (scene.squeeze.get_value(), scene.stretch.get_value(), scene.shift.get_value()) == (2, 2, -1)


def test_the_transformed_curve_lands_on_tanh(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    scene, _ = rendered
    xs, ys = data_coords(scene.axes, scene.curve)
    assert xs.min() == pytest.approx(X_MIN) and xs.max() == pytest.approx(X_MAX)
    np.testing.assert_allclose(ys, tanh_via_sigmoid(xs), atol=1e-9)


def test_the_table_shows_the_checks_values(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    scene, _ = rendered
    _, via_sigma, tanh = tanh_checks()
    shown = np.array([[cell.get_value() for cell in row] for row in scene.table_values])
    np.testing.assert_array_equal(shown[:, 0], CHECK_XS)
    np.testing.assert_array_equal(shown[:, 1], via_sigma)
    np.testing.assert_array_equal(shown[:, 2], tanh)
    # and they agree to the four places shown
    assert np.array_equal(np.round(shown[:, 1], 4), np.round(shown[:, 2], 4))


def test_tangent_at_the_origin_has_slope_one(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    scene, _ = rendered
    (x0, y0), (x1, y1) = (scene.axes.p2c(p) for p in (scene.tangent.get_start(), scene.tangent.get_end()))
    assert (y1 - y0) / (x1 - x0) == pytest.approx(1.0, abs=1e-9)
    assert (x0 + x1) / 2 == pytest.approx(0, abs=1e-9) and (y0 + y1) / 2 == pytest.approx(0, abs=1e-9)


def test_narration_covers_the_scene_without_gaps(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=9)


# --- the last frame ------------------------------------------------------------


@pytest.mark.parametrize("x", [-3.0, -1.5, 1.5, 3.0])
def test_the_curve_is_drawn_on_tanh(rendered: tuple[TanhRelation, np.ndarray], x: float) -> None:
    scene, frame = rendered
    assert colour_near(frame, scene.axes.c2p(x, float(tanh_via_sigmoid(x))), scene.theme.sigma)


@pytest.mark.parametrize(("x", "stage"), [(-2.0, 1), (-1.0, 1), (2.5, 1), (-1.0, 2), (-0.5, 2)])
def test_sigma_and_its_intermediate_stages_are_gone(
    rendered: tuple[TanhRelation, np.ndarray], x: float, stage: int
) -> None:
    # Where σ(x) (stage 1) and 2σ(2x) (stage 2) were drawn, only the background is left
    scene, frame = rendered
    y = float(sigmoid(x)) if stage == 1 else 2 * float(sigmoid(2 * x))
    assert only_background_near(frame, scene.axes.c2p(x, y), scene.theme.background)


def test_off_the_curve_is_background(rendered: tuple[TanhRelation, np.ndarray]) -> None:
    scene, frame = rendered
    for x, y in ((-2.5, 0.5), (2.5, -0.5), (-0.5, 1.6)):
        assert only_background_near(frame, scene.axes.c2p(x, y), scene.theme.background), (x, y)
