"""LogisticBoundary: the fit is good, and what is on screen is the fit.

Cheap layers: the pure helpers and the module's doctests; then the scene built
with animations skipped, its final state checked through its own axes (the
boundary line against the fitted w and b, the accuracy shown against the
history); then the last frame's pixels (markers in their class colours, the
field tinted by σ on each side).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import scenes.logistic_boundary as module
from lecture.numerics import predict_proba
from scenes.logistic_boundary import LogisticBoundary, boundary_segment, interpolate_history
from tests.framecheck import check_narration, colour_near, last_frame, rgb, to_pixel

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[LogisticBoundary, np.ndarray]:
    """The scene after construct() and its last frame, once per theme."""
    return last_frame(LogisticBoundary, request.param)


# --- pure helpers -----------------------------------------------------------------


def test_module_doctests_pass() -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_boundary_segment_ends_on_the_box_and_on_the_line() -> None:
    w, b = np.array([0.7, -1.3]), 0.4
    ends = boundary_segment(w, b, (-3, 6), (-2, 5))
    assert ends is not None
    for end in ends:
        assert end @ w + b == pytest.approx(0, abs=1e-12)
        on_edge = np.isclose(end[0], (-3, 6)).any() or np.isclose(end[1], (-2, 5)).any()
        assert on_edge


def test_boundary_segment_through_a_corner_is_the_diagonal() -> None:
    # x - y = 0 crosses the unit box's corners, where two edge crossings coincide.
    ends = boundary_segment([1.0, -1.0], 0.0, (0, 1), (0, 1))
    assert ends is not None
    assert sorted(tuple(e) for e in ends) == [(0.0, 0.0), (1.0, 1.0)]


def test_boundary_segment_without_weights_is_none() -> None:
    assert boundary_segment([0.0, 0.0], 1.0, (0, 1), (0, 1)) is None


def test_interpolate_history_hits_the_recorded_epochs(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    h = rendered[0].history
    for epoch in (0, 1, 37, h.epochs):
        w, b, loss = interpolate_history(h, epoch)
        assert np.allclose(w, h.weights[epoch])
        assert b == pytest.approx(h.bias[epoch])
        assert loss == pytest.approx(h.loss[epoch])


# --- the scene's final state ----------------------------------------------------


def test_construct_runs_in_each_theme(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    # The fixture ran construct() once per theme; a dry run is the same call without the frame.
    scene, frame = rendered
    assert scene.theme.name in THEMES
    assert frame.shape == (270, 480, 4)
    assert scene.renderer.num_plays > 10


def test_the_fit_starts_wrong_and_ends_right(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    h = scene.history
    assert h.accuracy[0] < 0.5  # the replay starts visibly wrong
    assert h.loss[-1] < h.loss[0] / 5
    assert scene.accuracy == h.accuracy[-1]
    assert scene.accuracy >= 0.95


def test_accuracy_on_screen_is_the_histories(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.accuracy_number.get_value() == pytest.approx(100 * scene.history.accuracy[-1])
    assert any(scene.accuracy_number in m.get_family() for m in scene.mobjects)


def test_counter_shows_the_last_epoch(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.epoch_number.get_value() == scene.history.epochs


def test_boundary_line_is_the_fitted_line(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    ends = [np.array(scene.axes.p2c(p)[:2]) for p in (scene.boundary.get_start(), scene.boundary.get_end())]
    assert np.linalg.norm(ends[0] - ends[1]) > 3  # a real segment across the plane, not a stub
    for end in ends:
        # Distance (in data units) from the fitted line w·x + b = 0.
        assert abs(end @ w + b) / np.linalg.norm(w) < 0.01


# --- the last frame's pixels ------------------------------------------------------


def _loneliest(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The point of ``points`` farthest from its nearest neighbour in ``others``."""
    gaps = np.linalg.norm(points[:, None] - others[None], axis=-1)
    gaps[gaps == 0] = np.inf
    return points[gaps.min(axis=1).argmax()]


@pytest.mark.parametrize("label", [0, 1])
def test_markers_show_their_class_colour(rendered: tuple[LogisticBoundary, np.ndarray], label: int) -> None:
    scene, frame = rendered
    point = _loneliest(scene.X[scene.y == label], scene.X)
    colour = scene.theme.class1 if label else scene.theme.class0
    assert colour_near(frame, scene.axes.c2p(*point), colour, radius=1, tol=30)


def _field_pixel(scene: LogisticBoundary, frame: np.ndarray, side: int) -> np.ndarray:
    """The frame's colour at the field cell deepest on one side, away from every marker."""
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    centres = scene.cell_centers
    clear = np.linalg.norm(centres[:, None] - scene.X[None], axis=-1).min(axis=1) > 0.4
    scores = centres @ w + b
    pick = centres[clear][np.argmax(scores[clear] if side else -scores[clear])]
    p = predict_proba(pick[None], w, b)[0]
    assert (p > 0.99) if side else (p < 0.01)
    row, col = to_pixel(scene.axes.c2p(*pick), frame)
    return frame[row, col, :3].astype(float)


@pytest.mark.parametrize("side", [0, 1])
def test_field_is_tinted_towards_the_predicted_class(
    rendered: tuple[LogisticBoundary, np.ndarray], side: int
) -> None:
    scene, frame = rendered
    pixel = _field_pixel(scene, frame, side)
    near = rgb(scene.theme.class1 if side else scene.theme.class0)
    far = rgb(scene.theme.class0 if side else scene.theme.class1)
    background = rgb(scene.theme.background)
    assert np.linalg.norm(pixel - near) < np.linalg.norm(pixel - far)
    assert np.linalg.norm(pixel - background) > 30  # tinted, not blank


def test_field_is_blank_on_the_boundary(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    # Where σ is one half the cell fades into the background; deep on a side it is tinted.
    scene, _ = rendered
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    scores = np.abs(scene.cell_centers @ w + b)
    background = rgb(scene.theme.background)

    def fill(i: int) -> np.ndarray:
        return rgb(scene.field[int(i)].get_fill_color())

    on_line, deepest = np.argmin(scores), np.argmax(scores)
    assert np.linalg.norm(fill(on_line) - background) < 0.2 * np.linalg.norm(fill(deepest) - background)


# --- narration --------------------------------------------------------------------


def test_beats_are_captioned_at_a_speaking_pace_without_gaps(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    # Only the closing second on the verdict goes unsaid.
    check_narration(rendered[0], min_captions=8, unsaid_tail=1.0)
