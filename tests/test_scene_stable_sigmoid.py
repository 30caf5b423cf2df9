"""StableSigmoid: the naive formula's overflow, the two-branch fix and their errors, checked.

The code on screen is run and compared with the numerics; the error curves
are checked against mpmath at 50 digits; each theme's scene is built once
(animations skipped) and its last frame is checked through the scene's own
error axes: the pixel where the maths puts a form's error shows its colour.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from mpmath import mp, mpf

from lecture.numerics import naive_sigmoid, naive_sigmoid_warnings, sigmoid, softmax
from scenes.stable_sigmoid import (
    ERROR_FLOOR,
    NAIVE_CODE,
    OVERFLOW,
    RATIO_CODE,
    STABLE_CODE,
    TAIL_MAX,
    TAIL_MIN,
    UNDERFLOW,
    StableSigmoid,
    log10_relative_error,
    scientific,
    sigma_of_tiny,
    tail_grid,
)
from tests.framecheck import check_caption_pace, check_narration, colour_near, last_frame, rgb

mp.dps = 50
THEMES = ("dark", "light")


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[StableSigmoid, np.ndarray]:
    """The scene after ``construct()`` and its last frame, once per theme."""
    return last_frame(StableSigmoid, request.param)


def run_code(lines: tuple[str, ...] | str, x: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Run the code shown on screen with numpy, as a student would type it; its value and warnings."""
    lines = (lines,) if isinstance(lines, str) else lines
    env = {"np": np, "x": x}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for line in lines[:-1]:
            exec(line, env)
        value = eval(lines[-1], env)
    return np.asarray(value), [f"{w.category.__name__}: {w.message}" for w in caught]


# --- the code on screen and the numbers the scene shows ----------------------------


def test_the_naive_code_on_screen_is_what_the_numerics_evaluate() -> None:
    x = np.array([-1000.0, -5.0, 0.0, 5.0, 1000.0])
    for code, form in ((NAIVE_CODE, "reciprocal"), (RATIO_CODE, "ratio")):
        value, printed = run_code(code, x)
        np.testing.assert_array_equal(value, naive_sigmoid(x, form))
        assert tuple(dict.fromkeys(printed)) == naive_sigmoid_warnings(x, form)


def test_the_stable_code_on_screen_is_sigma_and_never_warns() -> None:
    x = np.concatenate([np.linspace(-1000, 1000, 2001), [-1e308, 1e308, -745.2, 709.9]])
    value, printed = run_code(STABLE_CODE, x)
    assert printed == []
    np.testing.assert_allclose(value, sigmoid(x), rtol=4e-16, atol=0)


def test_the_warning_shown_at_minus_1000_is_numpys_overflow() -> None:
    assert naive_sigmoid_warnings(-1000.0) == ("RuntimeWarning: overflow encountered in exp",)
    assert float(naive_sigmoid(-1000.0)) == 0.0
    assert np.isnan(naive_sigmoid(1000.0, "ratio"))


def test_the_true_sigma_of_minus_1000_is_as_written() -> None:
    # mpmath at 50 digits: σ(−1000) = 5.0759588975494567...e-435
    mantissa, exponent = sigma_of_tiny(-1000.0)
    want = 1 / (1 + mp.exp(1000))
    assert exponent == int(mp.floor(mp.log10(want)))
    assert mantissa == pytest.approx(float(want / mpf(10) ** exponent), abs=1e-3)
    assert scientific(2.0) == (1.0, 2)


def test_the_limits_on_the_number_line() -> None:
    assert round(OVERFLOW, 2) == 709.78 and round(UNDERFLOW, 2) == -745.13


def test_error_curves_match_mpmath() -> None:
    # Reference: |v/σ(x) − 1| with σ from mpmath at 50 digits, then the plot's log₁₀ and floor
    xs = tail_grid()
    assert xs.min() == TAIL_MIN and xs.max() == TAIL_MAX and -OVERFLOW in xs
    for values in (naive_sigmoid(xs), sigmoid(xs)):
        pairs = zip(values, xs, strict=True)
        exact = np.array([float(abs(mpf(float(v)) * (1 + mp.exp(-mpf(float(x)))) - 1)) for v, x in pairs])
        want = np.log10(np.maximum(exact, 10.0**ERROR_FLOOR))
        np.testing.assert_allclose(log10_relative_error(values, xs), want, atol=1e-9)


def test_naive_error_jumps_to_one_at_the_overflow_edge_and_stable_stays_small_until_subnormals() -> None:
    xs = tail_grid()
    naive = log10_relative_error(naive_sigmoid(xs), xs)
    stable = log10_relative_error(sigmoid(xs), xs)
    assert (naive[xs < -OVERFLOW] == 0).all()  # 10⁰: every digit lost
    assert (naive[xs >= -OVERFLOW] < -15).all()
    assert (stable[xs > -708] < -15).all()  # σ(x) a normal float: full precision
    assert (stable[(xs > UNDERFLOW + 1) & (xs < -709)] < -0.5).all()  # fewer digits, never all lost
    assert (stable[xs < UNDERFLOW] == 0).all()  # σ(x) rounds to 0: no float can do better


def test_two_class_softmax_with_its_max_shift_is_the_stable_sigmoid() -> None:
    # The bridge on screen: σ(x) = softmax(x, 0)₁, shifted by m = max(x, 0)
    for x in (-1000.0, -3.0, 0.0, 3.0, 1000.0):
        assert float(softmax([x, 0.0])[0]) == pytest.approx(float(sigmoid(x)), rel=1e-15, abs=1e-300)


# --- construction --------------------------------------------------------------


def test_construct_runs_and_the_theme_is_applied(rendered: tuple[StableSigmoid, np.ndarray]) -> None:
    scene, frame = rendered
    assert np.array_equal(frame[2, 2, :3], rgb(scene.theme.background))


def test_the_warnings_shown_are_the_recorded_ones(rendered: tuple[StableSigmoid, np.ndarray]) -> None:
    scene, _ = rendered
    assert len(scene.warning_lines) == len(naive_sigmoid_warnings(1000.0, "ratio")) == 2


def test_the_dot_ends_on_the_safe_side_of_the_line(rendered: tuple[StableSigmoid, np.ndarray]) -> None:
    scene, _ = rendered
    assert scene.exponent_line.p2n(scene.exponent_dot.get_center()) == pytest.approx(-1000.0)


@pytest.mark.parametrize("name", ["naive_curve", "stable_curve"])
def test_error_curves_are_drawn_through_the_error_axes(
    rendered: tuple[StableSigmoid, np.ndarray], name: str
) -> None:
    scene, _ = rendered
    xs = tail_grid()
    values = naive_sigmoid(xs) if name == "naive_curve" else sigmoid(xs)
    anchors = getattr(scene, name).get_anchors()
    # Anchors come in pairs, each segment's start and end: its starts and the last end are the points
    # in order (two grid points a hair apart at the overflow limit draw its vertical step).
    points = np.vstack([anchors[0::2], anchors[-1:]])
    coords = np.array([scene.error_axes.p2c(p) for p in points])
    np.testing.assert_allclose(coords[:, 0], xs, atol=1e-6)
    want = log10_relative_error(values, xs) - ERROR_FLOOR
    np.testing.assert_allclose(coords[:, 1], want, atol=1e-6)


def test_narration_covers_the_scene_without_gaps(rendered: tuple[StableSigmoid, np.ndarray]) -> None:
    check_narration(rendered[0], min_captions=13)
    check_caption_pace(rendered[0])


# --- the last frame ------------------------------------------------------------


def test_last_frame_shows_each_forms_error_where_the_maths_puts_it(
    rendered: tuple[StableSigmoid, np.ndarray],
) -> None:
    scene, frame = rendered
    t = scene.theme
    # The naive form all wrong (10⁰) at x = −730, where the stable form has lost only a few digits
    x = -730.0
    naive = float(log10_relative_error(naive_sigmoid(x), np.array(x)))
    stable = float(log10_relative_error(sigmoid(x), np.array(x)))
    assert naive == 0 and -8 < stable < -5
    assert colour_near(frame, scene.error_point(x, naive), t.derivative)
    assert colour_near(frame, scene.error_point(x, stable), t.sigma, radius=3)
    # and both near float64's best at x = −702, right of the overflow edge
    assert colour_near(frame, scene.error_point(-702.0, -16.0), t.sigma, radius=4) or colour_near(
        frame, scene.error_point(-702.0, -16.0), t.derivative, radius=4
    )
