"""LogitReflection: the logit is σ reflected in y = x, and the round trip recovers x.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own axes: the pixel where the maths puts a point
must show the colour of what should be drawn there. The geometry (square axes,
the reflection) and the table's numbers are checked on the mobjects themselves.
"""

from __future__ import annotations

import doctest
from typing import Any

import numpy as np
import pytest
from manim import DL, UR, DecimalNumber, Mobject, config

import scenes.logit_reflection as module
from lecture.numerics import logit, sigmoid
from scenes.logit_reflection import (
    AXIS_LIMIT,
    ROUND_TRIP_XS,
    TABLE_PLACES,
    LogitReflection,
    decimal_point,
    logit_samples,
    mirror_samples,
    round_trip,
)
from tests.framecheck import (
    check_caption_pace,
    check_narration,
    colour_near,
    last_frame,
    only_background_near,
    rgb,
    run_scene,
    to_pixel,
)

THEMES = ("dark", "light")


class SkippingLogitReflection(LogitReflection):
    """The scene with its animations really skipped.

    ManimCE 0.22 takes ``skip_animations`` from the Scene's constructor, not
    from ``config``, so without this every frame of the minute-long scene is
    drawn (about 15 s a theme instead of 3). The final state is the same: each
    skipped animation still finishes.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("skip_animations", True)
        super().__init__(**kwargs)


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[LogitReflection, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(SkippingLogitReflection, request.param)


def data_coords(scene: LogitReflection, mob: Any) -> np.ndarray:
    """The data coordinates (n, 2) of a curve's anchor points, through the scene's axes."""
    return np.array([scene.axes.p2c(point) for point in mob.get_anchors()])


def tinted_towards(
    frame: np.ndarray, point: np.ndarray, colour: str, background: str, *, radius: int = 1, share: float = 0.3
) -> bool:
    """Whether a pixel near ``point`` is ``colour`` blended over the background, at least ``share`` of it.

    A 2-pixel guide is under a pixel wide at 480x270, so its pixels are
    anti-aliased blends, never the pure colour: test the blend instead.
    """
    row, col = to_pixel(point, frame)
    patch = frame[row - radius : row + radius + 1, col - radius : col + radius + 1, :3].reshape(-1, 3)
    towards = rgb(colour) - rgb(background)
    offsets = patch.astype(float) - rgb(background)
    shares = offsets @ towards / (towards @ towards)
    residual = np.linalg.norm(offsets - np.outer(shares, towards), axis=-1)
    return bool(np.any((shares >= share) & (residual <= 20)))


# --- pure helpers ----------------------------------------------------------------


def test_module_doctests() -> None:
    # pytest collects doctests from lecture/ and tests/ only; the scene's helpers carry examples too
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0


def test_logit_samples_are_clipped_to_the_axes_and_dense_at_the_asymptotes() -> None:
    p, y = logit_samples(AXIS_LIMIT, 200)
    assert np.all((p > 0) & (p < 1))
    assert np.all(np.diff(p) > 0)
    np.testing.assert_allclose(y, logit(p), rtol=0, atol=0)
    assert y.min() == pytest.approx(-AXIS_LIMIT, abs=1e-12)
    assert y.max() == pytest.approx(AXIS_LIMIT, abs=1e-12)
    # The steep ends, within 0.05 of the asymptotes, hold more samples than the middle fifth
    near_ends = np.sum((p < p[0] + 0.05) | (p > p[-1] - 0.05))
    middle = np.sum(np.abs(p - 0.5) < 0.1)
    assert near_ends > middle


def test_mirror_pairs_are_reflections_in_y_equals_x() -> None:
    on_sigma, mirrored = mirror_samples([-2.0, -1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(on_sigma[:, 1], sigmoid(on_sigma[:, 0]))
    np.testing.assert_array_equal(mirrored, on_sigma[:, ::-1])
    # Each segment is perpendicular to y = x and its midpoint lies on it
    step = mirrored - on_sigma
    assert np.allclose(step @ np.array([1.0, 1.0]), 0)
    middle = (mirrored + on_sigma) / 2
    assert np.allclose(middle[:, 0], middle[:, 1])


def test_round_trip_rows_lie_inside_the_axes_and_recover_x() -> None:
    x, p, back = round_trip(ROUND_TRIP_XS)
    np.testing.assert_array_equal(x, [-2, -1, 0, 1, 2])
    assert np.all(np.abs(x) <= AXIS_LIMIT), "every row lights its point on the plot"
    # σ(x).round(4) as the chapter prints it: 0.1192, 0.2689, 0.5, 0.7311, 0.8808
    np.testing.assert_array_equal(np.round(p, 4), [0.1192, 0.2689, 0.5, 0.7311, 0.8808])
    np.testing.assert_allclose(back, x, rtol=0, atol=1e-12)


# --- construction ----------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_construct_runs(theme: str) -> None:
    scene = run_scene(SkippingLogitReflection, theme)
    assert scene.theme.name == theme
    assert scene.logit_curve in scene.mobjects
    assert scene.sigma_curve in scene.mobjects


def test_the_theme_is_applied(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))
    assert scene.logit_curve.get_stroke_color().to_hex().lower() == scene.theme.logit.lower()
    assert scene.sigma_curve.get_stroke_color().to_hex().lower() == scene.theme.sigma.lower()


def test_axes_have_equal_units(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    c2p = scene.axes.c2p
    across = np.linalg.norm(c2p(1, 0) - c2p(0, 0))
    up = np.linalg.norm(c2p(0, 1) - c2p(0, 0))
    assert across == pytest.approx(up, rel=1e-12)
    # ... everywhere, not just at the origin: the whole range spans the same length both ways
    width = np.linalg.norm(c2p(AXIS_LIMIT, 0) - c2p(-AXIS_LIMIT, 0))
    height = np.linalg.norm(c2p(0, AXIS_LIMIT) - c2p(0, -AXIS_LIMIT))
    assert width == pytest.approx(height, rel=1e-12)
    # and y = x points at 45° on screen
    diagonal = c2p(1, 1) - c2p(0, 0)
    assert diagonal[0] == pytest.approx(diagonal[1], rel=1e-12)


def test_logit_curve_is_numerics_logit_clipped_to_the_axes(
    rendered: tuple[LogitReflection, np.ndarray],
) -> None:
    scene, _ = rendered
    p, y = data_coords(scene, scene.logit_curve).T
    np.testing.assert_allclose(y, logit(p), rtol=0, atol=1e-9)
    assert np.all((p > 0) & (p < 1))
    assert np.all(np.abs(y) <= AXIS_LIMIT + 1e-9)
    assert y.min() == pytest.approx(-AXIS_LIMIT, abs=1e-9)
    assert y.max() == pytest.approx(AXIS_LIMIT, abs=1e-9)


def test_sigma_reflected_on_screen_lands_on_the_logit(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    origin = scene.axes.c2p(0, 0)
    along = scene.axes.c2p(1, 1) - origin
    along = along / np.linalg.norm(along)
    # Reflect σ's screen points in the screen line y = x: a geometric mirror, no swapping of data
    points = scene.sigma_curve.get_anchors() - origin
    reflected = origin + 2 * np.outer(points @ along, along) - points
    u, v = np.array([scene.axes.p2c(q) for q in reflected]).T
    np.testing.assert_allclose(v, logit(u), rtol=0, atol=1e-7)


# --- the last frame ------------------------------------------------------------


@pytest.mark.parametrize("x", [2.0, -1.0, 1.5, -2.5])
def test_logit_curve_drawn_where_the_maths_puts_it(
    rendered: tuple[LogitReflection, np.ndarray], x: float
) -> None:
    scene, frame = rendered
    point = scene.axes.c2p(float(sigmoid(x)), x)
    assert colour_near(frame, point, scene.theme.logit, tol=45)


@pytest.mark.parametrize("x", [2.0, -1.0, -2.5])
def test_sigma_curve_drawn_where_the_maths_puts_it(
    rendered: tuple[LogitReflection, np.ndarray], x: float
) -> None:
    scene, frame = rendered
    point = scene.axes.c2p(x, float(sigmoid(x)))
    assert colour_near(frame, point, scene.theme.sigma, tol=45)


def test_mirror_line_is_y_equals_x(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, frame = rendered
    start, end = scene.mirror_line.get_start(), scene.mirror_line.get_end()
    np.testing.assert_allclose(scene.axes.p2c(start), [-AXIS_LIMIT, -AXIS_LIMIT], atol=1e-9)
    np.testing.assert_allclose(scene.axes.p2c(end), [AXIS_LIMIT, AXIS_LIMIT], atol=1e-9)
    # Dashed, so count hits along the stretches clear of curves, asymptotes and labels
    ts = np.concatenate([np.linspace(-2.9, -1.8, 12), np.linspace(1.2, 2.9, 18)])
    theme = scene.theme
    hits = [tinted_towards(frame, scene.axes.c2p(t, t), theme.muted, theme.background) for t in ts]
    assert np.mean(hits) >= 0.4
    # and nothing muted just off the line, above its lower stretch (the label sits below it)
    beside = [scene.axes.c2p(t - 0.4, t + 0.4) for t in np.linspace(-2.5, -1.8, 8)]
    assert not any(tinted_towards(frame, q, theme.muted, theme.background) for q in beside)


@pytest.mark.parametrize(("x", "y"), [(-2.0, 2.0), (2.0, -2.0), (-1.5, -0.5), (2.5, 0.5)])
def test_off_the_curves_is_background(
    rendered: tuple[LogitReflection, np.ndarray], x: float, y: float
) -> None:
    scene, frame = rendered
    assert only_background_near(frame, scene.axes.c2p(x, y), scene.theme.background)


def test_round_trip_demo_is_cleared(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    # The highlighted walk for x = 2 is gone: its corner (2, 0) on the axis is not highlighted
    scene, frame = rendered
    x, p = 2.0, float(sigmoid(2.0))
    for point in [(x, p / 2), (0.5 * (x + p), 0.5 * (x + p) + 0.3)]:
        assert not colour_near(frame, scene.axes.c2p(*point), scene.theme.highlight, radius=1, tol=30)


def test_sigma_of_2_is_marked_on_the_p_axis(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    # The caption says σ takes 2 up to 0.8808: the value is written where it lands on each axis
    scene, _ = rendered
    p = float(sigmoid(2.0))
    for mark, (start, end) in ((scene.y_mark, ((2, p), (0, p))), (scene.p_mark, ((p, 2), (p, 0)))):
        guide, value = mark[:2]
        np.testing.assert_allclose(scene.axes.p2c(guide.get_start())[:2], start, atol=1e-9)
        np.testing.assert_allclose(scene.axes.p2c(guide.get_end())[:2], end, atol=1e-9)
        assert value.tex_string == f"{p:.4f}" == "0.8808"
    # on the p axis: below it, right of the asymptote p = 1 (the logit runs under the axis left of it),
    # with a pointer that ends at the mark (p, 0); on the y axis: left of it, between σ and y = 1
    value, pointer = scene.p_mark[1], scene.p_mark[2]
    assert value.get_top()[1] < scene.axes.c2p(p, 0)[1]
    assert value.get_left()[0] > scene.axes.c2p(1, 0)[0]
    np.testing.assert_allclose(scene.axes.p2c(pointer.get_end())[:2], (p, 0), atol=1e-9)
    value = scene.y_mark[1]
    assert value.get_right()[0] < scene.axes.c2p(0, 0)[0]
    top, bottom = scene.axes.p2c(value.get_top())[1], scene.axes.p2c(value.get_bottom())[1]
    assert top < 1 and bottom > float(sigmoid(-0.1))


def test_axes_are_named_and_the_horizontal_one_is_p_too(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.p_name.tex_string == "p"
    assert scene.p_name.get_left()[0] > scene.axes.c2p(AXIS_LIMIT, 0)[0]  # at the axis's right end
    assert scene.p_name in scene.get_mobject_family_members()


def test_asymptotes_stay_clear_of_the_tick_numbers(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    numbers = [*scene.axes.x_axis.numbers, *scene.axes.y_axis.numbers]
    assert numbers
    for line in scene.asymptotes:
        (x0, y0), (_, y1) = (scene.axes.p2c(q)[:2] for q in (line.get_start(), line.get_end()))
        for number in numbers:
            (left, bottom), (right, top) = (
                scene.axes.p2c(c)[:2] for c in (number.get_corner(DL), number.get_corner(UR))
            )
            if abs(y0 - y1) < 1e-6:  # horizontal: y = 0 or y = 1
                assert not (bottom <= y0 <= top), number.get_value()
            else:  # vertical: p = 0 or p = 1
                assert not (left <= x0 <= right), number.get_value()


# --- the round-trip table ----------------------------------------------------------


def test_table_holds_numerics_values(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    assert len(scene.table_values) == len(ROUND_TRIP_XS)
    for (x_cell, p_cell, back_cell), x in zip(scene.table_values, ROUND_TRIP_XS, strict=True):
        assert x_cell.get_value() == x
        assert p_cell.get_value() == float(sigmoid(x))
        assert back_cell.get_value() == float(logit(sigmoid(x)))
        assert p_cell.num_decimal_places == back_cell.num_decimal_places == TABLE_PLACES
        assert round(back_cell.get_value(), TABLE_PLACES) == x


def test_table_is_on_screen_in_order(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    scene, _ = rendered
    on_screen = {id(m) for m in scene.get_mobject_family_members()}
    cells = [cell for row in scene.table_values for cell in row]
    assert all(isinstance(c, DecimalNumber) and id(c) in on_screen for c in cells)
    heights = [row[0].get_y() for row in scene.table_values]
    assert heights == sorted(heights, reverse=True)
    # Decimal points line up down each decimal column
    for column in (1, 2):
        points = [decimal_point(row[column]).get_x() for row in scene.table_values]
        assert np.ptp(points) < 1e-9


def test_text_stays_clear_of_the_axes_and_inside_the_frame(
    rendered: tuple[LogitReflection, np.ndarray],
) -> None:
    scene, _ = rendered
    right_of_axes = scene.axes.c2p(AXIS_LIMIT, 0)[0]
    cells = [cell for row in scene.table_values for cell in row]
    assert min(c.get_left()[0] for c in cells) > right_of_axes + 0.3
    for mob in scene.mobjects:
        assert_inside_frame(mob)


def assert_inside_frame(mob: Mobject, margin: float = 0.05) -> None:
    if not mob.has_points() and not mob.submobjects:
        return
    left, right = mob.get_left()[0], mob.get_right()[0]
    bottom, top = mob.get_bottom()[1], mob.get_top()[1]
    assert -config.frame_x_radius + margin <= left and right <= config.frame_x_radius - margin, mob
    assert -config.frame_y_radius + margin <= bottom and top <= config.frame_y_radius - margin, mob


# --- narration --------------------------------------------------------------------


def test_narration_covers_the_scene_at_a_speaking_pace(rendered: tuple[LogitReflection, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=10)
    check_caption_pace(rendered[0])


def test_row_captions_read_the_tables_numbers() -> None:
    lines = LogitReflection.row_captions()
    assert len(lines) == len(ROUND_TRIP_XS)
    assert "0.1192" in lines[0] and "−2" in lines[0]
    assert lines[4] == "2 goes to 0.8808, and back."  # a sentence, not bare numbers
