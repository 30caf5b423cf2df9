"""lecture.numerics against high-precision references, scipy, and its own invariants.

References are computed here with mpmath at 50 significant digits from the
exact binary value of each input, then rounded once to the dtype under test.
Accuracy is measured in ulps of the reference. The suite runs with warnings
as errors (pyproject), so any RuntimeWarning from numpy fails a test.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given
from hypothesis import strategies as st
from mpmath import mp, mpf

from lecture import numerics as nx

mp.dps = 50

#: Bound on the error of every elementwise function where the result is a normal float.
MAX_ULP = 4

ELEMENTWISE = [
    nx.sigmoid,
    nx.sigmoid_derivative,
    nx.logit,
    nx.log_sigmoid,
    nx.heaviside,
    nx.hard_sigmoid,
    nx.hard_sigmoid_derivative,
    nx.tanh_via_sigmoid,
    nx.odds,
]


# --- references, computed with mpmath at 50 digits ---------------------------------


def mp_sigmoid(x: mpf) -> mpf:
    return 1 / (1 + mp.exp(-x))


def mp_sigmoid_derivative(x: mpf) -> mpf:
    return mp_sigmoid(x) * mp_sigmoid(-x)


def mp_logit(p: mpf) -> mpf:
    return mp.log(p / (1 - p))


def mp_log_sigmoid(x: mpf) -> mpf:
    return -mp.log1p(mp.exp(-x))


def mp_bce(x: mpf, y: mpf) -> mpf:
    # Through log_sigmoid: log(sigma(100)) = log(1 - 3.7e-44) would need 60 digits to keep 16.
    return -(y * mp_log_sigmoid(x) + (1 - y) * mp_log_sigmoid(-x))


def mp_odds(p: mpf) -> mpf:
    return p / (1 - p)


def reference(fn, xs: np.ndarray, dtype=np.float64) -> np.ndarray:
    """``fn`` at 50 digits on each exact input value, rounded once to ``dtype``."""
    return np.array([float(fn(mpf(float(x)))) for x in xs]).astype(dtype)


def ulp_error(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """|got - want| in units of the last place of ``want``."""
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    return np.abs(got.astype(np.float64) - want.astype(np.float64)) / np.spacing(np.abs(want)).astype(
        np.float64
    )


def assert_within_ulp(got, want, max_ulp: int = MAX_ULP) -> None:
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    normal = np.abs(want) >= np.finfo(got.dtype).tiny
    err = ulp_error(got[normal], want[normal])
    worst = int(np.argmax(err)) if err.size else 0
    assert err.size == 0 or err.max() <= max_ulp, (
        f"{err.max():.1f} ulp at {got[normal][worst]!r} vs {want[normal][worst]!r}"
    )


def signed_grid(*magnitudes: float) -> np.ndarray:
    m = np.array(magnitudes, dtype=np.float64)
    return np.concatenate([-m[::-1], [0.0], m])


# Across the float64 range: tiny, moderate, the exp overflow edge (709.78) and past it.
X_GRID = signed_grid(
    1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 18.0, 20.0, 36.0, 37.0,
    40.0, 100.0, 300.0, 700.0, 708.0, 709.5, 709.8, 710.0, 720.0,
)  # fmt: skip
RNG_X = np.random.default_rng(20261127).normal(scale=30, size=400)
P_GRID = np.array(
    [5e-324, 1e-320, 1e-310, 2.3e-308, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.1, 0.2, 0.2499999, 0.25,
     0.3, 0.4, 0.49, 0.5 - 1e-12, 0.5 - 2**-54, 0.5, 0.5 + 2**-53, 0.5 + 1e-12, 0.51, 0.6, 0.75,
     0.9, 0.999, 1 - 1e-8, 1 - 1e-15, 1 - 2**-53]
)  # fmt: skip
RNG_P = np.random.default_rng(7).uniform(size=400)


# --- accuracy against mpmath, float64 ---------------------------------------------


@pytest.mark.parametrize("xs", [X_GRID, RNG_X], ids=["grid", "random"])
def test_sigmoid_within_4_ulp_of_mpmath(xs):
    assert_within_ulp(nx.sigmoid(xs), reference(mp_sigmoid, xs))


@pytest.mark.parametrize("k", [0.5, 2.0, 5.0, 50.0])
def test_sigmoid_with_steepness_is_sigmoid_of_the_rounded_product(k):
    # sigma(kx) is taken at z = fl(k * x); the product's rounding is the input's, not ours.
    xs = np.linspace(-30, 30, 241)
    assert_within_ulp(nx.sigmoid(xs, k), reference(mp_sigmoid, xs * k))


def test_sigmoid_far_left_tail_is_not_flushed_to_zero():
    # sigma(-700) ~ 9.86e-305: the chapter's version and naive 1/(1+e^700) give 0.
    assert float(nx.sigmoid(-700.0)) == pytest.approx(9.859676543759770e-305, rel=4e-16)
    # sigma(-745) is the smallest subnormal, 4.94e-324; it must keep that value.
    assert float(nx.sigmoid(-745.0)) == float(mp_sigmoid(mpf(-745)))
    assert float(nx.sigmoid(-745.0)) == 5e-324


@pytest.mark.parametrize("xs", [X_GRID, RNG_X], ids=["grid", "random"])
def test_sigmoid_derivative_within_4_ulp_of_mpmath(xs):
    assert_within_ulp(nx.sigmoid_derivative(xs), reference(mp_sigmoid_derivative, xs))


def test_sigmoid_derivative_with_steepness_scales_by_k():
    xs = np.linspace(-10, 10, 81)
    for k in (0.5, 2.0, 5.0):
        want = np.array([float(k * mp_sigmoid_derivative(mpf(float(z)))) for z in xs * k])
        assert_within_ulp(nx.sigmoid_derivative(xs, k), want)


def test_sigmoid_derivative_keeps_relative_accuracy_where_chapter_formula_collapses():
    # sigma(40) rounds to 1.0, so the chapter's s * (1 - s) is exactly 0 there.
    s = nx.sigmoid(40.0)
    assert s * (1 - s) == 0.0
    assert float(nx.sigmoid_derivative(40.0)) == pytest.approx(
        float(mp_sigmoid_derivative(mpf(40))), rel=1e-15
    )


@pytest.mark.parametrize("ps", [P_GRID, RNG_P], ids=["grid", "random"])
def test_logit_within_4_ulp_of_mpmath(ps):
    assert_within_ulp(nx.logit(ps), reference(mp_logit, ps))


def test_logit_is_accurate_near_one_half_where_naive_log_ratio_cancels():
    p = 0.5 + 2.0**-40
    want = float(mp_logit(mpf(p)))
    naive = np.log(p / (1 - p))
    assert float(nx.logit(p)) == pytest.approx(want, rel=2e-16)
    assert abs(naive - want) / want > 1e-13  # the naive form loses thousands of ulp here


def test_logit_edges_without_warnings():
    got = nx.logit([0.0, 1.0, -0.5, 1.5, np.nan, -np.inf, np.inf, -0.0])
    assert got[0] == -np.inf and got[1] == np.inf and got[7] == -np.inf
    assert np.isnan(got[2:7]).all()


@pytest.mark.parametrize("ps", [P_GRID, RNG_P], ids=["grid", "random"])
def test_odds_within_4_ulp_of_mpmath(ps):
    assert_within_ulp(nx.odds(ps), reference(mp_odds, ps))


def test_odds_edges_and_their_log_is_the_logit():
    assert nx.odds([0.0, 1.0]).tolist() == [0.0, np.inf]
    assert np.isnan(nx.odds([-0.1, 1.1, np.inf, np.nan])).all()
    inner = P_GRID[(P_GRID > 1e-300) & (P_GRID < 1 - 1e-8)]
    np.testing.assert_allclose(np.log(nx.odds(inner)), nx.logit(inner), rtol=1e-13, atol=1e-15)
    # Complementary events have reciprocal odds (for p whose 1 - p is exact)
    p = np.array([0.125, 0.25, 0.375, 0.5])
    np.testing.assert_allclose(nx.odds(p) * nx.odds(1 - p), 1.0, rtol=1e-15)


@pytest.mark.filterwarnings("error")  # the poles at 0 and 1 give inf, never a RuntimeWarning
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_odds_and_logit_share_their_domain_over_many_blocks(dtype):
    # One validation for both: nan exactly outside [0, 1] (and for nan), the same in every block.
    rng = np.random.default_rng(7)
    p = rng.uniform(-1.0, 2.0, size=2 * nx.BLOCK + 5).astype(dtype)
    p[::97] = np.nan
    p[1::101], p[2::103], p[3::107] = 0.0, 1.0, np.inf
    outside = ~((p >= 0) & (p <= 1))
    for f in (nx.odds, nx.logit):
        got = f(p)
        assert got.dtype == dtype and got.shape == p.shape
        np.testing.assert_array_equal(np.isnan(got), outside)
    np.testing.assert_array_equal(nx.logit(p)[p == 1.0], np.inf)
    np.testing.assert_array_equal(nx.odds(p)[p == 0.0], 0.0)


def mp_chain_gradient(zs, ws):
    """g_j = prod_{i > j} w_i sigma'(z_i), at 50 digits."""
    g = [mpf(1)]
    for z, w in zip(reversed(zs), reversed(ws), strict=True):
        g.append(g[-1] * mpf(float(w)) * mp_sigmoid_derivative(mpf(float(z))))
    return np.array([float(v) for v in reversed(g)])


@pytest.mark.parametrize(
    ("zs", "ws"),
    [
        (np.zeros(8), np.ones(8)),
        (np.array([2.5, -3.0, 3.5, -2.0, 3.0, -3.5, 2.5, -3.0]), np.ones(8)),
        (np.array([0.3, -40.0, 12.0]), np.array([2.0, -0.5, 1.5])),
    ],
    ids=["steepest", "saturated", "weighted"],
)
def test_sigmoid_chain_gradient_within_a_few_ulp_of_mpmath(zs, ws):
    got = nx.sigmoid_chain_gradient(zs, ws)
    assert got.shape == (zs.size + 1,) and got[-1] == 1.0
    # n rounded products, each within 4 ulp: the error grows at most linearly with depth
    assert_within_ulp(got, mp_chain_gradient(zs, ws), max_ulp=4 * zs.size)


@given(st.lists(st.floats(-30, 30), min_size=1, max_size=12))
def test_sigmoid_chain_gradient_is_at_most_four_to_the_minus_depth(zs):
    g = nx.sigmoid_chain_gradient(zs)
    depth = np.arange(len(zs), -1, -1)
    assert np.all(g <= 4.0**-depth)
    assert np.all(np.diff(g) >= 0), "each layer back can only shrink it"


def test_sigmoid_chain_gradient_refuses_a_matrix():
    with pytest.raises(ValueError, match=r"shape \(n,\)"):
        nx.sigmoid_chain_gradient(np.zeros((2, 2)))


@pytest.mark.parametrize("xs", [X_GRID, RNG_X], ids=["grid", "random"])
def test_log_sigmoid_within_4_ulp_of_mpmath(xs):
    assert_within_ulp(nx.log_sigmoid(xs), reference(mp_log_sigmoid, xs))


def test_log_sigmoid_is_finite_far_out_with_signed_zero():
    assert float(nx.log_sigmoid(-1000.0)) == -1000.0
    right = float(nx.log_sigmoid(1000.0))
    assert right == 0.0 and np.signbit(right)
    assert float(nx.log_sigmoid(-1e308)) == -1e308


def test_tanh_via_sigmoid_within_4_ulp_of_mpmath():
    xs = np.concatenate([X_GRID, RNG_X / 10])
    assert_within_ulp(nx.tanh_via_sigmoid(xs), reference(mp.tanh, xs))


def test_bce_with_logits_within_4_ulp_of_mpmath():
    xs = np.concatenate([X_GRID, RNG_X])
    for y in (0.0, 1.0, 0.3):
        want = np.array([float(mp_bce(mpf(float(x)), mpf(y))) for x in xs])
        assert_within_ulp(nx.bce_with_logits(xs, y), want)


def test_bce_with_logits_is_finite_for_every_finite_logit():
    xs = np.array([-1e308, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e308])
    for y in (0.0, 1.0, 0.5):
        assert np.isfinite(nx.bce_with_logits(xs, y)).all()
    assert float(nx.bce_with_logits(-1000.0, 1.0)) == 1000.0
    assert float(nx.bce_with_logits(1000.0, 0.0)) == 1000.0


def test_softmax_matches_mpmath():
    rows = np.array([[1.0, 2.0, 3.0], [-1000.0, 0.0, 1000.0], [700.0, 710.0, 720.0], [1e-10, 0.0, -1e-10]])
    got = nx.softmax(rows)
    for row, out in zip(rows, got, strict=True):
        exps = [mp.exp(mpf(float(v))) for v in row]
        want = np.array([float(e / mp.fsum(exps)) for e in exps])
        assert_within_ulp(out, want)


# --- float32 ------------------------------------------------------------------------


F32_X = np.concatenate(
    [signed_grid(1e-30, 1e-3, 0.5, 1, 2, 5, 10, 17, 20, 50, 80, 87, 88, 89), RNG_X]
).astype(np.float32)


@pytest.mark.parametrize(
    ("fn", "ref", "xs"),
    [
        (nx.sigmoid, mp_sigmoid, F32_X),
        (nx.sigmoid_derivative, mp_sigmoid_derivative, F32_X),
        (nx.log_sigmoid, mp_log_sigmoid, F32_X),
        (nx.tanh_via_sigmoid, mp.tanh, F32_X),
        (nx.logit, mp_logit, P_GRID[(P_GRID > 1e-38) & (P_GRID < 1 - 1e-7)].astype(np.float32)),
    ],
    ids=["sigmoid", "sigmoid_derivative", "log_sigmoid", "tanh_via_sigmoid", "logit"],
)
def test_float32_stays_float32_within_4_ulp(fn, ref, xs):
    got = fn(xs)
    assert got.dtype == np.float32
    assert_within_ulp(got, reference(ref, xs, np.float32))


def test_float32_subnormal_tail_is_kept():
    got = nx.sigmoid(np.float32(-100.0))
    assert isinstance(got, np.float32)
    assert got == np.float32(float(mp_sigmoid(mpf(-100))))
    assert 0 < got < np.finfo(np.float32).tiny


# --- contracts shared by the elementwise functions -----------------------------------


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_scalar_in_gives_float_scalar_out(fn):
    out = fn(0.3)
    assert isinstance(out, float) and np.ndim(out) == 0


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_shapes_lists_and_dtypes(fn):
    grid = np.linspace(-0.5, 1.5, 12).reshape(3, 4)
    assert fn(grid).shape == (3, 4)
    assert fn(grid.astype(np.float32)).dtype == np.float32
    assert fn(np.array([0, 1, 2])).dtype == np.float64
    assert np.array_equal(fn([0.1, 0.2]), fn(np.array([0.1, 0.2])))
    assert fn(np.empty((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_no_floating_point_error_for_any_input(fn):
    extremes = np.array([-np.inf, -1e308, -1000.0, -745.5, -710.0, -1.0, -5e-324, -0.0, 0.0, 5e-324,
                         0.5, 1.0, 710.0, 1e308, np.inf, np.nan])  # fmt: skip
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = fn(extremes)
    assert np.isnan(out[-1]), "nan must propagate"
    assert not np.isnan(out[:-1][(extremes[:-1] >= 0) & (extremes[:-1] <= 1)]).any()


def test_infinities_take_their_limits():
    assert nx.sigmoid([-np.inf, np.inf]).tolist() == [0.0, 1.0]
    assert nx.sigmoid_derivative([-np.inf, np.inf]).tolist() == [0.0, 0.0]
    assert nx.log_sigmoid([-np.inf, np.inf]).tolist() == [-np.inf, 0.0]
    assert nx.tanh_via_sigmoid([-np.inf, np.inf]).tolist() == [-1.0, 1.0]
    assert nx.hard_sigmoid([-np.inf, np.inf]).tolist() == [0.0, 1.0]
    assert nx.heaviside([-np.inf, np.inf]).tolist() == [0.0, 1.0]


def test_complex_input_is_refused():
    with pytest.raises(TypeError, match="complex"):
        nx.sigmoid(1j)


def test_sigmoid_regression_chapter_where_version_overflows():
    # The chapter's np.where version evaluates e^1000 for x = -1000 and warns; ours must not.
    assert nx.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


def test_large_arrays_cross_block_boundaries():
    xs = np.random.default_rng(3).normal(scale=20, size=3 * nx.BLOCK + 17)
    assert np.array_equal(nx.sigmoid(xs), np.concatenate([nx.sigmoid(c) for c in np.array_split(xs, 7)]))
    np.testing.assert_allclose(nx.logit(nx.sigmoid(xs / 10)), xs / 10, rtol=1e-12, atol=1e-12)


# --- the chapter's own figures -------------------------------------------------------


def test_chapter_exercise_easy_1_values():
    assert float(nx.sigmoid(0)) == 0.5
    assert round(float(nx.sigmoid(1)), 3) == 0.731
    assert round(float(nx.sigmoid(-1)), 3) == 0.269
    assert float(nx.sigmoid(10)) == pytest.approx(1, abs=5e-5)
    assert float(nx.sigmoid(-10)) == pytest.approx(0, abs=5e-5)


def test_chapter_round_trip_table():
    x = np.array([-5, -2, 0, 2, 5])
    assert nx.sigmoid(x).round(4).tolist() == [0.0067, 0.1192, 0.5, 0.8808, 0.9933]
    # logit amplifies sigma's half-ulp rounding by 1/sigma'(x) (150 at x = 5): 2e-14 is the floor.
    np.testing.assert_allclose(nx.logit(nx.sigmoid(x)), x, rtol=0, atol=5e-14)


def test_chapter_tanh_identity():
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    np.testing.assert_allclose(nx.tanh_via_sigmoid(x), np.tanh(x), rtol=1e-15, atol=0)
    np.testing.assert_allclose(2 * nx.sigmoid(2 * x) - 1, np.tanh(x), rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_chapter_bce_gradient_by_finite_differences(y):
    x = np.linspace(-6, 6, 25)
    h = 1e-6
    numeric = (nx.bce_with_logits(x + h, y) - nx.bce_with_logits(x - h, y)) / (2 * h)
    np.testing.assert_allclose(nx.bce_gradient(x, y), numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(nx.bce_gradient(x, y), nx.sigmoid(x) - y, rtol=0, atol=0)


def test_chapter_hard_sigmoid_matches_slope_at_zero():
    assert nx.hard_sigmoid([-2.0, 0.0, 2.0]).tolist() == [0.0, 0.5, 1.0]
    h = 1e-6
    assert (float(nx.hard_sigmoid(h)) - float(nx.hard_sigmoid(-h))) / (2 * h) == pytest.approx(
        float(nx.sigmoid_derivative(0.0))
    )


def mp_hard_sigmoid(x: mpf) -> mpf:
    return mp.mpf(max(0, min(1, x / 4 + mpf(1) / 2)))


def test_hard_sigmoid_derivative_is_mpmaths_numerical_derivative():
    # Away from the kinks at ±2, mpmath's numerical derivative of the clipped line at 50 digits
    xs = [-7.5, -2.01, -1.99, -0.3, 0.0, 1.0, 1.99, 2.01, 40.0]
    want = [float(mp.diff(mp_hard_sigmoid, mpf(x))) for x in xs]
    assert nx.hard_sigmoid_derivative(xs).tolist() == want


def test_hard_sigmoid_derivative_is_zero_exactly_where_the_output_saturates():
    xs = np.linspace(-6, 6, 1201)
    out = nx.hard_sigmoid(xs)
    slope = nx.hard_sigmoid_derivative(xs)
    np.testing.assert_array_equal(slope == 0, (out == 0) | (out == 1))
    assert nx.hard_sigmoid_derivative([-np.inf, np.inf]).tolist() == [0.0, 0.0]
    # σ′ never is: the small gradient the hard sigmoid lacks
    assert (nx.sigmoid_derivative(xs) > 0).all()


def test_softmax_sums_to_one_and_handles_infinities():
    x = np.random.default_rng(1).normal(scale=50, size=(20, 7))
    np.testing.assert_allclose(nx.softmax(x).sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(nx.softmax(x, axis=0).sum(axis=0), 1.0, rtol=1e-15)
    assert nx.softmax([1.0, -np.inf, 2.0])[1] == 0.0
    assert nx.softmax([np.inf, 0.0, np.inf]).tolist() == [0.5, 0.0, 0.5]
    assert np.isnan(nx.softmax([-np.inf, -np.inf])).all()
    assert np.isnan(nx.softmax([1.0, np.nan])).all()
    assert nx.softmax(np.float32([1, 2])).dtype == np.float32


def test_heaviside_value_at_zero():
    assert nx.heaviside([-1.0, 0.0, 1.0]).tolist() == [0.0, 0.5, 1.0]
    assert float(nx.heaviside(0.0, at_zero=0.0)) == 0.0
    assert np.isnan(nx.heaviside(np.nan))


# --- properties ------------------------------------------------------------------------

finite = st.floats(min_value=-700, max_value=700, allow_nan=False)


@given(finite)
def test_sigmoid_symmetry_and_bounds(x):
    s, s_neg = float(nx.sigmoid(x)), float(nx.sigmoid(-x))
    assert 0.0 <= s <= 1.0
    # Each side is rounded once, so the sum may land one ulp of 1 away.
    assert s + s_neg == pytest.approx(1.0, rel=0, abs=np.spacing(1.0))


@given(finite, finite)
def test_sigmoid_is_monotone(a, b):
    lo, hi = sorted((a, b))
    assert nx.sigmoid(lo) <= nx.sigmoid(hi)


@given(finite)
def test_sigmoid_derivative_peaks_at_one_quarter_at_zero(x):
    assert nx.sigmoid_derivative(x) <= nx.sigmoid_derivative(0.0) == 0.25


@given(st.floats(min_value=-30, max_value=30, allow_nan=False))
def test_logit_inverts_sigmoid(x):
    # Rounding sigma(x) moves it by up to eps/2; logit turns that into eps / (2 sigma'(x)).
    conditioned = np.finfo(float).eps / float(nx.sigmoid_derivative(x))
    assert float(nx.logit(nx.sigmoid(x))) == pytest.approx(x, rel=4e-16, abs=conditioned)


@given(st.floats(min_value=-30, max_value=30), st.floats(min_value=-30, max_value=30))
def test_two_class_softmax_is_sigmoid_of_the_difference(a, b):
    p = nx.softmax([a, b])
    assert float(p[0]) == pytest.approx(float(nx.sigmoid(a - b)), rel=1e-13, abs=1e-300)


@given(st.floats(min_value=0.05, max_value=6) | st.floats(min_value=-6, max_value=-0.05))
def test_large_k_approaches_the_heaviside_step_away_from_zero(x):
    assert float(nx.sigmoid(x, k=1000.0)) == pytest.approx(float(nx.heaviside(x)), abs=1e-20)


def test_every_sigmoid_of_kx_passes_through_one_half():
    assert all(float(nx.sigmoid(0.0, k)) == 0.5 for k in (0.5, 1, 2, 5, 50))


# --- agreement with scipy.special -----------------------------------------------------


def test_agrees_with_scipy_special():
    xs = np.concatenate([X_GRID, RNG_X])
    ps = np.concatenate([P_GRID, RNG_P, [0.0, 1.0]])
    # scipy flushes sigma(x < -708) to 0; compare where both keep normal floats.
    normal = np.abs(xs) < 700
    np.testing.assert_allclose(nx.sigmoid(xs[normal]), sp.expit(xs[normal]), rtol=4e-16, atol=0)
    assert (nx.sigmoid(xs[xs < -709.7]) > 0).all() and (sp.expit(xs[xs < -709.7]) == 0).all()
    np.testing.assert_allclose(nx.log_sigmoid(xs), sp.log_expit(xs), rtol=4e-16, atol=0)
    np.testing.assert_allclose(nx.logit(ps), sp.logit(ps), rtol=1e-12, atol=0)
    rows = RNG_X.reshape(40, 10)
    np.testing.assert_allclose(nx.softmax(rows), sp.softmax(rows, axis=-1), rtol=1e-14, atol=0)


# --- logistic regression --------------------------------------------------------------


def test_make_two_blobs_is_reproducible():
    X1, y1 = nx.make_two_blobs(30, seed=5)
    X2, y2 = nx.make_two_blobs(30, seed=5)
    assert X1.shape == (60, 2) and y1.tolist() == [0.0] * 30 + [1.0] * 30
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, nx.make_two_blobs(30, seed=6)[0])


def test_fit_logistic_regression_learns_two_blobs():
    X, y = nx.make_two_blobs(60, seed=2)
    history = nx.fit_logistic_regression(X, y, learning_rate=0.5, epochs=80, seed=0)
    assert history.epochs == 80
    assert history.weights.shape == (81, 2) and history.bias.shape == (81,)
    assert history.accuracy[-1] >= 0.95
    assert (np.diff(history.loss) <= 0).all(), "full-batch GD at this step size decreases the loss"
    assert history.loss[-1] < 0.5 * history.loss[0]
    # The recorded loss and accuracy are those of the recorded weights.
    logits = X @ history.weights[-1] + history.bias[-1]
    assert history.loss[-1] == pytest.approx(float(np.mean(nx.bce_with_logits(logits, y))))
    np.testing.assert_allclose(nx.predict_proba(X, history.weights[-1], history.bias[-1]), nx.sigmoid(logits))


def test_fit_is_deterministic_for_a_fixed_seed():
    X, y = nx.make_two_blobs(20, seed=2)
    a = nx.fit_logistic_regression(X, y, learning_rate=0.3, epochs=10, seed=4)
    b = nx.fit_logistic_regression(X, y, learning_rate=0.3, epochs=10, seed=4)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.loss, b.loss)


def test_bad_shapes_and_settings_are_refused():
    X, y = nx.make_two_blobs(5, seed=0)
    with pytest.raises(ValueError, match="shape"):
        nx.predict_proba(X, [1.0, 2.0, 3.0], 0.0)
    with pytest.raises(ValueError, match="shape"):
        nx.fit_logistic_regression(X, y[:-1], learning_rate=0.1, epochs=5)
    with pytest.raises(ValueError, match="learning_rate"):
        nx.fit_logistic_regression(X, y, learning_rate=0.0, epochs=5)
    with pytest.raises(ValueError, match="epochs"):
        nx.fit_logistic_regression(X, y, learning_rate=0.1, epochs=0)


def test_softmax_terms_match_mpmath_and_normalise_to_softmax():
    # References: mpmath at 50 digits, e^(x_i - max x) and e^(x_i), rounded once to float64.
    rows = np.array([[2.0, 1.0, -1.0], [1000.0, 999.0, 997.0], [-750.0, -745.0, -740.0], [0.5, 0.5, 0.5]])
    for row in rows:
        m = max(mpf(float(v)) for v in row)
        shifted = nx.softmax_terms(row)
        assert_within_ulp(shifted, np.array([float(mp.exp(mpf(float(v)) - m)) for v in row]))
        assert shifted.max() == 1.0
        np.testing.assert_allclose(shifted / shifted.sum(), nx.softmax(row), rtol=1e-15)
    naive = nx.softmax_terms(rows[0], shift=False)
    assert_within_ulp(naive, np.array([float(mp.exp(mpf(v))) for v in (2.0, 1.0, -1.0)]))


def test_softmax_terms_overflow_to_inf_unshifted_without_a_warning():
    # e^1000 is past float64's largest value (about e^709.78): the naive sum is inf/inf = nan.
    naive = nx.softmax_terms([1000.0, 999.0, 997.0], shift=False)
    assert np.isposinf(naive).all()
    assert nx.softmax_terms(np.float32([100.0, 0.0]), shift=False)[0] == np.inf  # e^100 > float32 max
    assert nx.softmax_terms(np.float32([100.0, 0.0])).dtype == np.float32
    shifted = nx.softmax_terms([[1000.0, 999.0, 997.0]], axis=1)
    np.testing.assert_allclose(shifted, nx.softmax_terms([[2.0, 1.0, -1.0]], axis=1), rtol=1e-15)
    with pytest.raises(ValueError, match="at least one axis"):
        nx.softmax_terms(1.0)


# --- where exp runs out, the naive sigmoid and its relative error -------------------


def test_exp_overflow_threshold_is_the_last_finite_exponent():
    # mpmath at 50 digits: ln of float64's largest finite value
    y = nx.exp_overflow_threshold()
    assert y == pytest.approx(float(mp.log(mpf(np.finfo(np.float64).max))), rel=1e-15)
    assert round(y, 2) == 709.78
    assert np.isfinite(np.exp(y))
    with np.errstate(over="ignore"):
        assert np.exp(np.nextafter(y, np.inf)) == np.inf
    assert nx.exp_overflow_threshold(np.float32) == pytest.approx(88.72, abs=0.01)


def test_exp_underflow_threshold_is_where_exp_and_sigma_round_to_zero():
    y = nx.exp_underflow_threshold()
    assert y == pytest.approx(float(-1075 * mp.log(2)), rel=1e-15)
    assert np.exp(y + 1e-9) > 0 and np.exp(y - 1e-9) == 0
    assert nx.sigmoid(y + 1e-9) > 0 and nx.sigmoid(y - 1e-9) == 0


def test_naive_reciprocal_at_minus_1000_is_zero_by_luck_of_one_over_inf():
    # e^1000 overflows (mpmath: 1.97e434 > 1.8e308); 1/(1 + inf) = 0, the float nearest σ(−1000) ≈ 5e-435
    assert mp.exp(1000) > mpf(np.finfo(np.float64).max)
    assert nx.naive_sigmoid(-1000.0) == 0.0 == float(mp_sigmoid(mpf(-1000)))
    assert nx.naive_sigmoid_warnings(-1000.0) == ("RuntimeWarning: overflow encountered in exp",)


def test_naive_ratio_at_plus_1000_is_inf_over_inf_nan():
    assert np.isnan(nx.naive_sigmoid(1000.0, "ratio"))
    assert nx.naive_sigmoid_warnings(1000.0, "ratio") == (
        "RuntimeWarning: overflow encountered in exp",
        "RuntimeWarning: invalid value encountered in divide",
    )


def test_the_chapters_np_where_listing_is_right_but_still_warns():
    # The chapter's output: [0. 1.] and the three warnings it printed
    x = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(nx.naive_sigmoid(x, "where"), [0.0, 1.0])
    assert nx.naive_sigmoid_warnings(x, "where") == (
        "RuntimeWarning: overflow encountered in exp",
        "RuntimeWarning: invalid value encountered in divide",
    )
    assert nx.naive_sigmoid_warnings(np.array([-5.0, 5.0]), "where") == ()


def test_naive_forms_are_sigma_where_nothing_overflows_and_silent_by_default():
    xs = np.linspace(-700, 700, 1401)
    want = reference(mp_sigmoid, xs)
    for form in nx.NAIVE_FORMS:
        assert_within_ulp(nx.naive_sigmoid(xs, form), want)
        assert nx.naive_sigmoid_warnings(xs, form) == ()
    # off by default: the suite runs with warnings as errors, so a warning here would fail
    nx.naive_sigmoid(np.array([-1000.0, 1000.0]), "ratio")
    in_float32 = nx.naive_sigmoid(np.float32(-100.0))  # e^100 overflows float32 (past e^88.72)
    assert in_float32 == 0 and in_float32.dtype == np.float32
    with pytest.raises(ValueError, match="form must be one of"):
        nx.naive_sigmoid(1.0, "log")


def test_naive_reciprocal_is_zero_exactly_past_the_overflow_threshold():
    # Between −745.13 and −709.78 σ(x) is a positive (subnormal) float; the naive form gives 0 there
    y = nx.exp_overflow_threshold()
    inside = np.linspace(-745.0, -709.79, 200)
    assert (nx.naive_sigmoid(inside) == 0).all()
    assert (reference(mp_sigmoid, inside) > 0).all()
    assert nx.naive_sigmoid(-y) > 0


XS_TAIL = np.linspace(-750, -700, 51)


def test_sigmoid_relative_error_matches_mpmath():
    # Reference: |v/σ(x) − 1| with σ from mpmath at 50 digits, for both forms in the left tail
    for values in (nx.naive_sigmoid(XS_TAIL), nx.sigmoid(XS_TAIL), np.full_like(XS_TAIL, 1e-310)):
        got = nx.sigmoid_relative_error(values, XS_TAIL)
        pairs = zip(values, XS_TAIL, strict=True)
        want = np.array([float(abs(mpf(float(v)) / mp_sigmoid(mpf(float(x))) - 1)) for v, x in pairs])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_sigmoid_relative_error_of_zero_is_one_and_nonfinite_values_propagate():
    assert nx.sigmoid_relative_error(0.0, -1000.0) == 1.0
    assert np.isnan(nx.sigmoid_relative_error(np.nan, 1000.0))
    assert nx.sigmoid_relative_error(np.inf, 1.0) == np.inf
    assert nx.sigmoid_relative_error([0.5, 0.25], 0.0).tolist() == [0.0, 0.5]
    with pytest.raises(ValueError, match="finite x"):
        nx.sigmoid_relative_error(1.0, np.inf)


def test_stable_sigmoid_is_the_nearest_float_in_the_subnormal_tail():
    # Where σ(x) is subnormal, float64 holds fewer digits: the stable form still rounds σ to within an ulp
    got = nx.sigmoid(XS_TAIL)
    want = reference(mp_sigmoid, XS_TAIL)
    assert (np.abs(got - want) <= np.spacing(want)).all()
    # and its relative error grows only as σ falls below the smallest normal float (about x = −708.4)
    err = nx.sigmoid_relative_error(got, XS_TAIL)
    normal = want >= np.finfo(np.float64).tiny
    assert err[normal].max() < 2.3e-16
    assert (nx.sigmoid_relative_error(nx.naive_sigmoid(XS_TAIL), XS_TAIL)[XS_TAIL < -709.79] == 1).all()
