"""LogOdds: probabilities carried down to odds and log-odds on three number lines, and σ carrying them back.

Each theme's scene is built once (animations skipped) and its last frame is
checked through the scene's own number lines: the pixel where ``n2p`` puts a
probability, its odds and its log-odds (from lecture.numerics) must show that
line's dot colour, and the stretch between dots must be empty.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import VMobject, config

from lecture.numerics import logit, odds, sigmoid
from scenes.log_odds import EXAMPLE_P, PROBABILITIES, LogOdds, ladder
from tests.framecheck import check_narration, colour_near, last_frame, only_background_near, rgb

THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[LogOdds, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(LogOdds, request.param)


# --- the numbers ------------------------------------------------------------------


def test_ladder_is_odds_then_their_log() -> None:
    p, o, x = ladder()
    np.testing.assert_allclose(o, p / (1 - p), rtol=1e-15)
    np.testing.assert_allclose(x, np.log(p) - np.log(1 - p), rtol=1e-14, atol=1e-15)
    # Complements: odds are reciprocal, log-odds opposite
    assert o[PROBABILITIES.index(0.25)] * o[PROBABILITIES.index(0.75)] == pytest.approx(1.0, rel=1e-15)
    assert x[PROBABILITIES.index(0.25)] == pytest.approx(-x[PROBABILITIES.index(0.75)], rel=1e-15)
    assert float(odds(EXAMPLE_P)) == 3.0


def test_everything_fits_on_its_line() -> None:
    _, o, x = ladder()
    assert o.max() <= 10 and np.abs(x).max() <= 3


# --- construction ------------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[LogOdds, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))


@pytest.mark.parametrize(
    ("line", "dots", "value"),
    [
        ("p_line", "p_dots", lambda p: p),
        ("odds_line", "odds_dots", odds),
        ("log_odds_line", "log_odds_dots", logit),
    ],
    ids=["p", "odds", "log-odds"],
)
def test_dots_sit_at_numerics_values(
    rendered: tuple[LogOdds, np.ndarray], line: str, dots: str, value
) -> None:
    scene, _ = rendered
    number_line = getattr(scene, line)
    for dot, p in zip(getattr(scene, dots), PROBABILITIES, strict=True):
        assert number_line.p2n(dot.get_center()) == pytest.approx(float(value(p)), abs=1e-9)
        assert dot.get_y() == pytest.approx(number_line.n2p(0)[1], abs=1e-9)


def test_sigma_takes_the_log_odds_back_to_p(rendered: tuple[LogOdds, np.ndarray]) -> None:
    scene, _ = rendered
    np.testing.assert_allclose(scene.returned, sigmoid(logit(np.array(PROBABILITIES))), rtol=0, atol=0)
    np.testing.assert_allclose(scene.returned, PROBABILITIES, rtol=1e-15)


def test_everything_inside_the_frame(rendered: tuple[LogOdds, np.ndarray]) -> None:
    scene, _ = rendered
    for mob in scene.mobjects:
        if isinstance(mob, VMobject) and (mob.has_points() or mob.submobjects):
            assert -config.frame_x_radius < mob.get_left()[0] and mob.get_right()[0] < config.frame_x_radius
            assert -config.frame_y_radius < mob.get_bottom()[1] and mob.get_top()[1] < config.frame_y_radius


def test_narration_covers_the_scene_at_a_speaking_pace(rendered: tuple[LogOdds, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=9)


# --- the last frame ----------------------------------------------------------------


@pytest.mark.parametrize("p", PROBABILITIES)
def test_each_probability_drawn_on_all_three_lines(rendered: tuple[LogOdds, np.ndarray], p: float) -> None:
    scene, frame = rendered
    t = scene.theme
    for line, value, colour in (
        (scene.p_line, p, t.sigma),
        (scene.odds_line, float(odds(p)), t.highlight),
        (scene.log_odds_line, float(logit(p)), t.logit),
    ):
        assert colour_near(frame, line.n2p(value), colour, radius=1, tol=45), (p, value)


@pytest.mark.parametrize(
    ("line", "value"), [("log_odds_line", -0.55), ("log_odds_line", 1.65), ("p_line", 0.62)]
)
def test_between_the_dots_no_dot(rendered: tuple[LogOdds, np.ndarray], line: str, value: float) -> None:
    scene, frame = rendered
    t = scene.theme
    point = getattr(scene, line).n2p(value)
    for colour in (t.sigma, t.logit, t.highlight):
        assert not colour_near(frame, point, colour, radius=1, tol=45)


def test_the_space_under_the_lines_is_empty(rendered: tuple[LogOdds, np.ndarray]) -> None:
    scene, frame = rendered
    # Between the log-odds line's numbers and the formulas
    assert only_background_near(
        frame, scene.log_odds_line.n2p(0.5) + np.array([0, -0.75, 0]), scene.theme.background
    )
