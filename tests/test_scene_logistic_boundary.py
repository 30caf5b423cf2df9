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
from manim import DL, DR, UL, UR

import scenes.logistic_boundary as module
from lecture.numerics import predict_proba
from scenes.logistic_boundary import LogisticBoundary, boundary_segment, interpolate_history
from tests.framecheck import check_caption_pace, check_narration, colour_near, last_frame, rgb, to_pixel

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


def _clear_points(scene: LogisticBoundary) -> np.ndarray:
    """Plane points where only the field is drawn: clear of markers, arrow, labels, line and axes."""
    gx, gy = np.meshgrid(np.linspace(-2.7, 5.7, 85), np.linspace(-1.7, 4.7, 65))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    clear = np.linalg.norm(grid[:, None] - scene.X[None], axis=-1).min(axis=1) > 0.45
    # and away from the arrow, the labels and the line, which are drawn over the field
    for m in (*scene.w_arrow, *scene.side_labels):
        lo, hi = scene.axes.p2c(m.get_corner(DL))[:2], scene.axes.p2c(m.get_corner(UR))[:2]
        clear &= ~np.all((grid > lo - 0.2) & (grid < hi + 0.2), axis=1)
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    clear &= np.abs(grid @ w + b) / np.linalg.norm(w) > 0.25
    clear &= np.all(np.abs(grid) > 0.2, axis=1)  # off the axes and their ticks
    return grid[clear]


def _pixel(scene: LogisticBoundary, frame: np.ndarray, point: np.ndarray) -> np.ndarray:
    row, col = to_pixel(scene.axes.c2p(*point), frame)
    return frame[row, col, :3].astype(float)


@pytest.mark.parametrize("side", [0, 1])
def test_field_is_tinted_towards_the_predicted_class(
    rendered: tuple[LogisticBoundary, np.ndarray], side: int
) -> None:
    scene, frame = rendered
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    clear = _clear_points(scene)
    scores = clear @ w + b
    pick = clear[np.argmax(scores if side else -scores)]
    p = predict_proba(pick[None], w, b)[0]
    assert (p > 0.99) if side else (p < 0.01)
    pixel = _pixel(scene, frame, pick)
    near = rgb(scene.theme.class1 if side else scene.theme.class0)
    far = rgb(scene.theme.class0 if side else scene.theme.class1)
    background = rgb(scene.theme.background)
    assert np.linalg.norm(pixel - near) < np.linalg.norm(pixel - far)
    assert np.linalg.norm(pixel - background) > 30  # tinted, not blank


def test_field_is_smooth_and_shows_sigma_everywhere(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    # Every clear pixel shows the colour of σ(w·x + b) at its point (to within the 48 levels'
    # banding and the pixel grid): no tiles, no gaps of background between them.
    scene, frame = rendered
    clear = _clear_points(scene)
    assert len(clear) > 1000
    errors = np.array([np.linalg.norm(_pixel(scene, frame, q) - scene.field_value_at(q)) for q in clear])
    assert np.percentile(errors, 99) < 12, errors.max()


def test_field_is_blank_on_the_boundary(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    # Where σ is one half the field fades into the background; deep on a side it is tinted.
    scene, _ = rendered
    background = rgb(scene.theme.background)
    on_line = scene.field_color(np.array([0.5])) * 255
    deep = scene.field_color(np.array([0.999])) * 255
    assert np.linalg.norm(on_line - background) < 1
    assert np.linalg.norm(deep - background) > 30


def test_w_arrow_stands_on_the_boundary_normal_to_it_towards_class_1(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    scene, frame = rendered
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    arrow = scene.w_arrow[0]
    foot, tip = (np.array(scene.axes.p2c(p)[:2]) for p in (arrow.get_start(), arrow.get_end()))
    assert abs(foot @ w + b) / np.linalg.norm(w) < 0.01  # starts on the line
    direction = (tip - foot) / np.linalg.norm(tip - foot)
    assert direction @ (w / np.linalg.norm(w)) > 0.9999  # along w: normal to the line
    assert predict_proba(tip[None], w, b)[0] > 0.5  # into the class-1 side
    # and it is drawn: the highlight colour at its middle
    assert colour_near(frame, scene.axes.c2p(*(foot + tip) / 2), scene.theme.highlight, radius=1)


def test_half_planes_are_labelled_on_their_own_sides(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    w, b = scene.history.weights[-1], scene.history.bias[-1]
    for label, cls in zip(scene.side_labels, (0, 1), strict=True):
        corners = [scene.axes.p2c(label.get_corner(c))[:2] for c in (UL, UR, DL, DR)]
        scores = np.array([c @ w + b for c in corners])
        assert np.all(scores > 0) if cls else np.all(scores < 0), cls  # wholly on its side
        for c in corners:
            assert -3 <= c[0] <= 6 and -2 <= c[1] <= 5  # inside the plane


def _label_boxes(scene: LogisticBoundary, margin: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each side label's box in scene units (lower-left, upper-right), grown by ``margin``."""
    return [
        (label.get_corner(DL)[:2] - margin, label.get_corner(UR)[:2] + margin) for label in scene.side_labels
    ]


def _in_box(points: np.ndarray, box: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return np.all((points >= box[0]) & (points <= box[1]), axis=1)


#: Every epoch the replay shows, at a tenth of an epoch: the labels stay put while the line moves.
SHOWN_EPOCHS = np.linspace(0, module.EPOCHS, 10 * module.EPOCHS + 1)


def test_side_labels_cover_no_data_point(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    # A marker is a circle of MARKER_RADIUS (a square of 1.8 of it): no marker may reach into a box.
    scene, _ = rendered
    markers = np.array([scene.axes.c2p(*x)[:2] for x in scene.X])
    for box in _label_boxes(scene, margin=module.MARKER_RADIUS):
        assert not _in_box(markers, box).any()


def test_side_labels_stay_off_the_line_and_the_arrow_at_every_epoch(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    # Wherever a label is drawn at all: "predicts class 0" fades out while the first swing passes.
    scene, _ = rendered
    boxes = _label_boxes(scene, margin=0.05)  # half the line's width, at least
    hidden = 0
    for epoch in SHOWN_EPOCHS:
        w, b, _ = interpolate_history(scene.history, epoch)
        ends = boundary_segment(w, b, module.PLANE_X, module.PLANE_Y)
        assert ends is not None
        line = np.array([scene.axes.c2p(*p)[:2] for p in np.linspace(ends[0], ends[1], 400)])
        norm = np.linalg.norm(w)
        foot = scene.arrow_foot(w, b)
        tip = foot + (module.ARROW_MIN + module.ARROW_PER_W * norm) * w / norm
        arrow = np.array([scene.axes.c2p(*p)[:2] for p in np.linspace(foot, tip, 100)])
        shown = (module.class0_label_opacity(epoch) > 0, True)
        hidden += not shown[0]
        for box, drawn in zip(boxes, shown, strict=True):
            if drawn:
                assert not _in_box(line, box).any(), epoch
                assert not _in_box(arrow, box).any(), epoch
    assert hidden < 15  # hidden for about one epoch of the hundred, not for the replay


def test_class0_label_is_shown_in_full_before_and_after_the_swing(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    scene, frame = rendered
    assert module.class0_label_opacity(0) == 1 and module.class0_label_opacity(module.EPOCHS) == 1
    plate, words = scene.side_labels[0]
    assert words.get_fill_opacity() == 1
    assert plate.get_fill_opacity() == pytest.approx(module.SIDE_LABEL_PLATE_OPACITY)
    # and its words are drawn in the last frame, in class 0's colour
    letters = [m for m in words.family_members_with_points()]
    assert any(colour_near(frame, m.get_center(), scene.theme.class0, radius=2, tol=40) for m in letters)


def test_side_labels_are_on_their_own_sides_at_every_epoch(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    # Fixed spots are only honest if the line never crosses them: each label's corners score
    # on its class's side from the first (wrong) weights to the last.
    scene, _ = rendered
    corners = [
        np.array([scene.axes.p2c(label.get_corner(c))[:2] for c in (UL, UR, DL, DR)])
        for label in scene.side_labels
    ]
    for epoch in SHOWN_EPOCHS:
        w, b, _ = interpolate_history(scene.history, epoch)
        assert np.all(corners[0] @ w + b < 0), epoch
        assert np.all(corners[1] @ w + b > 0), epoch


def test_the_loss_is_marked_at_ln_2_where_it_starts(rendered: tuple[LogisticBoundary, np.ndarray]) -> None:
    scene, _ = rendered
    assert module.LN2 == pytest.approx(np.log(2), rel=1e-15)
    assert scene.history.loss[0] == pytest.approx(module.LN2, abs=0.02)  # w, b ≈ 0: every p ≈ ½
    level = scene.ln2_mark[0]
    for end in (level.get_start(), level.get_end()):
        assert scene.loss_axes.p2c(end)[1] == pytest.approx(module.LN2, abs=1e-6)


# --- narration --------------------------------------------------------------------


def test_beats_are_captioned_at_a_speaking_pace_without_gaps(
    rendered: tuple[LogisticBoundary, np.ndarray],
) -> None:
    # The verdict's caption stays up to the last frame.
    check_narration(rendered[0], min_captions=10, unsaid_tail=0.0)
    check_caption_pace(rendered[0])
