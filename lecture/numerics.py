"""The mathematics of the lecture, in one place.

Every value a scene draws comes from this module: the logistic sigmoid and its
relatives (derivative, logit, log-sigmoid, Heaviside step, hard sigmoid, tanh,
softmax), the binary cross-entropy and its gradient, and a small logistic
regression fitted by gradient descent.

Pure numpy; never imports manim.

Contracts shared by every elementwise function:

* accepts Python scalars, lists and arrays; a scalar in gives a numpy scalar
  out (``np.float64`` is a ``float``), an array in gives the same shape;
* float32 stays float32 (and float16 stays float16); integers and booleans
  become float64. Narrow floats are evaluated in float64 and rounded once;
* ``nan`` propagates and ``±inf`` give their limits;
* no ``RuntimeWarning`` for any input: every formula is chosen so that it
  cannot overflow, and the exact zeros and infinities it may produce on
  purpose (``logit(0) = -inf``) are made without a floating-point warning;
* relative error within a few ulp of a high-precision reference wherever the
  result is a normal float, tails included.
"""

from __future__ import annotations

import decimal
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "FitHistory",
    "bce_gradient",
    "bce_with_logits",
    "fit_logistic_regression",
    "hard_sigmoid",
    "hard_sigmoid_derivative",
    "heaviside",
    "log_sigmoid",
    "logit",
    "make_two_blobs",
    "odds",
    "predict_proba",
    "sigmoid",
    "sigmoid_chain_gradient",
    "sigmoid_derivative",
    "softmax",
    "softmax_terms",
    "tanh_via_sigmoid",
]

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.floating]

#: Elements per block in the blocked kernels: a handful of scratch arrays of
#: this length stay in a 1 MiB L2 cache, so each pass reads cached memory.
BLOCK = 8192


# --- dtype plumbing -----------------------------------------------------------


def _as_float_array(x: ArrayLike) -> tuple[FloatArray, np.dtype[np.floating]]:
    """Return ``x`` as a float array to compute in, and the dtype to return.

    Integers and booleans become float64; float16/32 are computed in float64
    and rounded once at the end; float64 and longdouble compute as themselves.
    """
    arr = np.asarray(x)
    if arr.dtype.kind == "c":
        raise TypeError("complex input is not supported")
    if arr.dtype.kind == "f":
        result_dtype: np.dtype[np.floating] = arr.dtype
    elif arr.dtype.kind in "biu":
        result_dtype = np.dtype(np.float64)
    else:
        raise TypeError(f"expected real numbers, got dtype {arr.dtype}")
    work_dtype = result_dtype if result_dtype.itemsize >= 8 else np.dtype(np.float64)
    return arr.astype(work_dtype, copy=False), result_dtype


def _finish(result: FloatArray, result_dtype: np.dtype[np.floating]) -> FloatArray:
    """Round to the caller's dtype; a 0-d result becomes a numpy scalar."""
    result = result.astype(result_dtype, copy=False)
    return result[()] if result.ndim == 0 else result


def _blocked(kernel: Callable[[FloatArray, FloatArray], None], x: FloatArray) -> FloatArray:
    """Apply ``kernel(x_block, out_block)`` block by block over a flat copy.

    Working in cache-sized blocks keeps each of the kernel's passes in L2
    instead of streaming whole temporaries through main memory.
    """
    flat = x.reshape(-1)  # 1-d even for a 0-d input, so kernels always get arrays
    if flat.size <= BLOCK:  # small input: one pass, no copies
        small = np.empty_like(flat)
        kernel(flat, small)
        return small.reshape(x.shape)
    flat = np.ascontiguousarray(flat)
    out = np.empty_like(flat)
    for start in range(0, flat.size, BLOCK):
        kernel(flat[start : start + BLOCK], out[start : start + BLOCK])
    return out.reshape(x.shape)


def _of_probabilities(kernel: Callable[[FloatArray, FloatArray], None], p: ArrayLike) -> FloatArray:
    """Apply ``kernel(p_block, out_block)`` to probabilities: what :func:`odds` and :func:`logit` share.

    Validates and converts ``p`` as every function here does, silences the divide/invalid/overflow
    warnings the poles at 0 and 1 raise (their ``±inf`` is the answer), and makes every result
    outside :math:`[0, 1]` (and for ``nan`` input) ``nan``.
    """
    q, dtype = _as_float_array(p)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = _blocked(kernel, q)
    np.copyto(result, np.nan, where=~((q >= 0.0) & (q <= 1.0)))
    return _finish(result, dtype)


# --- the sigmoid family -------------------------------------------------------


def _sigmoid_kernel(z: FloatArray, out: FloatArray) -> None:
    # e = exp(-|z|) lies in [0, 1]: it cannot overflow, whatever z is.
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)
    d = e + 1.0
    # Numerator 1 where z >= 0 and e where z < 0: since e <= 1 that is
    # max(e, [z >= 0]), which is far cheaper than a masked divide.
    np.maximum(e, z >= 0, out=e)
    np.divide(e, d, out=out)


def sigmoid(x: ArrayLike, k: float = 1.0) -> FloatArray:
    r"""Logistic sigmoid with steepness ``k``.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    k : float, optional
        Steepness; ``k = 1`` is the standard logistic function.

    Returns
    -------
    ndarray or scalar
        :math:`\sigma(kx)`, in :math:`[0, 1]`.

    Notes
    -----
    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad z = kx

    With :math:`e = e^{-|z|} \in [0, 1]`, evaluate :math:`1/(1+e)` for
    :math:`z \ge 0` and :math:`e/(1+e)` for :math:`z < 0`. The exponential
    never overflows, and the left tail keeps full relative accuracy down to
    the subnormals (:math:`\sigma(-745) \approx 4.9 \times 10^{-324}`, not 0).
    The chapter's ``np.where`` version evaluates both branches everywhere and
    overflows; this one computes only the safe branch. ``z = kx`` is rounded
    once before the sigmoid is applied.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> x = np.array([-5.0, -2.0, 0.0, 2.0, 5.0])
    >>> bool(np.allclose(sigmoid(-x), 1 - sigmoid(x)))
    True
    >>> float(sigmoid(-700.0)) > 0
    True
    """
    z, dtype = _as_float_array(x)
    if k != 1.0:
        with np.errstate(invalid="ignore", over="ignore"):
            z = z * z.dtype.type(k)
    return _finish(_blocked(_sigmoid_kernel, z), dtype)


def sigmoid_derivative(x: ArrayLike, k: float = 1.0) -> FloatArray:
    r"""Derivative of :math:`\sigma(kx)` with respect to ``x``.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    k : float, optional
        Steepness of the sigmoid being differentiated.

    Returns
    -------
    ndarray or scalar
        :math:`\frac{d}{dx}\sigma(kx) = k\,\sigma(kx)\,\sigma(-kx)`.

    Notes
    -----
    The chapter's identity :math:`\sigma' = \sigma(1-\sigma)` collapses to 0
    in the right tail, where :math:`1-\sigma` rounds to 0. Writing
    :math:`1 - \sigma(z) = \sigma(-z)` and :math:`e = e^{-|z|}`,

    .. math:: \sigma(z)\,\sigma(-z) = \frac{e}{(1+e)^2},

    which is symmetric in :math:`z`, never overflows and keeps full relative
    accuracy in both tails. The maximum is :math:`k/4` at :math:`x = 0`.

    Examples
    --------
    >>> float(sigmoid_derivative(0.0))
    0.25
    >>> float(sigmoid_derivative(0.0, k=2.0))
    0.5
    >>> float(sigmoid_derivative(40.0)) > 0
    True
    """
    z, dtype = _as_float_array(x)
    with np.errstate(invalid="ignore", over="ignore"):
        if k != 1.0:
            z = z * z.dtype.type(k)
        e = np.exp(-np.abs(z))
        # The exact value never exceeds 1/4; near z = 0 the rounding of e can
        # push the quotient one ulp above it, so clamp to keep the peak exact.
        result = np.minimum(e / np.square(1.0 + e), 0.25)
        if k != 1.0:
            result *= z.dtype.type(k)
    return _finish(result, dtype)


def _logit_kernel(p: FloatArray, out: FloatArray) -> None:
    one_minus_p = 1.0 - p
    # Small p: p / (1 - p) keeps p's digits, even subnormal ones.
    np.divide(p, one_minus_p, out=out)
    np.log(out, out=out)
    # Near and above 1/2: 2p - 1 and 1 - p are exact (Sterbenz), and log1p of
    # the small ratio avoids the cancellation of log(p) - log(1 - p).
    u = 2.0 * p - 1.0
    np.divide(u, one_minus_p, out=u)
    np.log1p(u, out=u)
    np.copyto(out, u, where=p >= 0.25)


def logit(p: ArrayLike) -> FloatArray:
    r"""Log-odds, the inverse of the sigmoid.

    Parameters
    ----------
    p : array_like
        Probabilities.

    Returns
    -------
    ndarray or scalar
        :math:`\ln\frac{p}{1-p}`; ``-inf`` at 0, ``+inf`` at 1 and ``nan``
        outside :math:`[0, 1]`, all without a warning.

    Notes
    -----
    For :math:`p < 1/4` evaluate :math:`\ln(p/(1-p))`, where the ratio keeps
    every digit of a tiny (even subnormal) :math:`p`. For :math:`p \ge 1/4`
    evaluate

    .. math:: \operatorname{logit}(p) = \operatorname{log1p}\!\left(\frac{2p-1}{1-p}\right),

    where :math:`2p - 1` is exact, so the result stays accurate near
    :math:`p = 1/2` where :math:`\ln p - \ln(1-p)` cancels.

    Examples
    --------
    >>> float(logit(0.5))
    0.0
    >>> x = np.array([-5.0, -2.0, 0.0, 2.0, 5.0])
    >>> bool(np.allclose(logit(sigmoid(x)), x))
    True
    >>> float(logit(0.0)), float(logit(1.0)), bool(np.isnan(logit(1.5)))
    (-inf, inf, True)
    """
    return _of_probabilities(_logit_kernel, p)


def _odds_kernel(p: FloatArray, out: FloatArray) -> None:
    np.divide(p, 1.0 - p, out=out)


def odds(p: ArrayLike) -> FloatArray:
    r"""Odds of a probability: how many times likelier it is to happen than not.

    Parameters
    ----------
    p : array_like
        Probabilities.

    Returns
    -------
    ndarray or scalar
        :math:`\frac{p}{1-p}`, in :math:`[0, \infty]`; ``+inf`` at 1 and
        ``nan`` outside :math:`[0, 1]`, without a warning.

    Notes
    -----
    .. math:: \operatorname{odds}(p) = \frac{p}{1 - p}, \qquad
              \ln \operatorname{odds}(p) = \operatorname{logit}(p)

    Evaluated as written: :math:`1 - p` is exact for :math:`p \ge 1/2`
    (Sterbenz) and off by at most half an ulp below, so the quotient is
    within an ulp or two of the exact odds. Odds of :math:`p` and
    :math:`1 - p` are reciprocals: the log-odds of complementary events are
    negatives of each other.

    Examples
    --------
    >>> odds([0.1, 0.5, 0.75]).round(6).tolist()
    [0.111111, 1.0, 3.0]
    >>> float(odds(0.0)), float(odds(1.0)), bool(np.isnan(odds(1.5)))
    (0.0, inf, True)
    """
    return _of_probabilities(_odds_kernel, p)


def sigmoid_chain_gradient(pre_activations: ArrayLike, weights: ArrayLike = 1.0) -> FloatArray:
    r"""Gradient of a chain of sigmoid units' output with respect to each unit's input.

    Parameters
    ----------
    pre_activations : array_like, shape (n,)
        :math:`z_1, \dots, z_n`, the inputs of the chain's units, first layer first.
    weights : array_like, optional
        :math:`w_1, \dots, w_n`, the weight into each unit (broadcast to
        shape (n,)); 1 by default, so only the sigmoids shrink the gradient.

    Returns
    -------
    ndarray, shape (n + 1,)
        :math:`g_j = \partial a_n / \partial a_j` for :math:`j = 0, \dots, n`:
        ``g[n] = 1`` at the output and ``g[0]`` at the chain's input.

    Notes
    -----
    The chain computes :math:`a_i = \sigma(z_i)`, :math:`z_i = w_i a_{i-1} + b_i`.
    By the chain rule, passing back through layer :math:`i` multiplies the
    gradient by :math:`w_i \sigma'(z_i)`:

    .. math:: g_j = \prod_{i=j+1}^{n} w_i\, \sigma'(z_i).

    Since :math:`\sigma' \le 1/4` with equality only at :math:`z = 0`, with
    unit weights :math:`|g_j| \le 4^{-(n-j)}`: the gradient vanishes
    geometrically with depth, and faster still where units saturate. The
    factors come from :func:`sigmoid_derivative`, accurate in both tails,
    and are multiplied from the output down.

    Examples
    --------
    >>> sigmoid_chain_gradient(np.zeros(3)).tolist()
    [0.015625, 0.0625, 0.25, 1.0]
    >>> g = sigmoid_chain_gradient([3.0, -3.0])
    >>> bool(np.isclose(g[0], float(sigmoid_derivative(3.0)) ** 2))
    True
    """
    z = np.asarray(pre_activations, dtype=np.float64)
    if z.ndim != 1:
        raise ValueError(f"pre_activations must have shape (n,), got shape {z.shape}")
    w = np.broadcast_to(np.asarray(weights, dtype=np.float64), z.shape)
    factors = w * sigmoid_derivative(z)
    # g_j multiplies the factors of the layers above j, so accumulate from the output down.
    g = np.ones(z.size + 1)
    g[:-1] = np.cumprod(factors[::-1])[::-1]
    return g


def _log_sigmoid_kernel(x: FloatArray, out: FloatArray) -> None:
    e = np.abs(x)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=out)  # softplus(-|x|) = log(1 + e^-|x|)
    np.subtract(out, np.minimum(x, 0.0), out=out)
    np.negative(out, out=out)


def log_sigmoid(x: ArrayLike) -> FloatArray:
    r"""Natural logarithm of the sigmoid.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.

    Returns
    -------
    ndarray or scalar
        :math:`\ln\sigma(x) = -\ln(1 + e^{-x})`, finite for every finite x.

    Notes
    -----
    .. math:: \ln\sigma(x) = -\left(\operatorname{log1p}(e^{-|x|}) - \min(x, 0)\right)

    Both terms have the same sign, so nothing cancels; the exponential cannot
    overflow; and the right tail is ``-0.0`` rather than ``+0.0`` since
    :math:`\ln\sigma(x) < 0` always.

    Examples
    --------
    >>> float(log_sigmoid(-1000.0)), float(log_sigmoid(1000.0))
    (-1000.0, -0.0)
    >>> bool(np.isclose(log_sigmoid(0.0), -np.log(2)))
    True
    """
    z, dtype = _as_float_array(x)
    return _finish(_blocked(_log_sigmoid_kernel, z), dtype)


def heaviside(x: ArrayLike, at_zero: float = 0.5) -> FloatArray:
    r"""Heaviside step function.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    at_zero : float, optional
        Value at :math:`x = 0`. The default 1/2 makes :math:`H` the pointwise
        limit of :math:`\sigma(kx)` as :math:`k \to \infty`.

    Returns
    -------
    ndarray or scalar
        :math:`H(x) = 0` for :math:`x < 0`, ``at_zero`` at 0, 1 for :math:`x > 0`.

    Examples
    --------
    >>> heaviside([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.5, 1.0]
    >>> float(heaviside(0, at_zero=1.0))
    1.0
    """
    z, dtype = _as_float_array(x)
    return _finish(np.heaviside(z, z.dtype.type(at_zero)), dtype)


def hard_sigmoid(x: ArrayLike) -> FloatArray:
    r"""Piecewise-linear approximation of the sigmoid.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.

    Returns
    -------
    ndarray or scalar
        :math:`\operatorname{clip}(x/4 + 1/2,\ 0,\ 1)`.

    Notes
    -----
    The slope 1/4 matches :math:`\sigma'(0)`, so the two agree to first order
    at the origin; unlike :math:`\sigma` it reaches 0 and 1 at
    :math:`x = \mp 2` and its gradient is exactly zero beyond them.

    Examples
    --------
    >>> hard_sigmoid([-4.0, -1.0, 0.0, 1.0, 4.0]).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    z, dtype = _as_float_array(x)
    return _finish(np.clip(z * 0.25 + 0.5, 0.0, 1.0), dtype)


def hard_sigmoid_derivative(x: ArrayLike) -> FloatArray:
    r"""Slope of :func:`hard_sigmoid`.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.

    Returns
    -------
    ndarray or scalar
        :math:`1/4` for :math:`|x| < 2`, :math:`0` for :math:`|x| \ge 2`.

    Notes
    -----
    At the kinks :math:`x = \pm 2` the derivative does not exist; like
    deep-learning frameworks' hard sigmoids, the flat side's 0 is used
    there, so the gradient is exactly zero wherever the output is saturated
    at 0 or 1. Compare :func:`sigmoid_derivative`, which is small but never
    zero for finite ``x``.

    Examples
    --------
    >>> hard_sigmoid_derivative([-3.0, -2.0, 0.0, 1.99, 2.0]).tolist()
    [0.0, 0.0, 0.25, 0.25, 0.0]
    """
    z, dtype = _as_float_array(x)
    slope = np.where(np.abs(z) < 2.0, 0.25, 0.0)
    return _finish(np.where(np.isnan(z), z, slope), dtype)


def tanh_via_sigmoid(x: ArrayLike) -> FloatArray:
    r"""Hyperbolic tangent as a rescaled sigmoid.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.

    Returns
    -------
    ndarray or scalar
        :math:`\tanh x = 2\sigma(2x) - 1`.

    Notes
    -----
    Evaluated literally, :math:`2\sigma(2x) - 1` cancels near 0 and loses
    all relative accuracy. With :math:`m = \operatorname{expm1}(-2|x|)`,

    .. math:: 2\sigma(2|x|) - 1 = \frac{1 - e^{-2|x|}}{1 + e^{-2|x|}} = \frac{-m}{2 + m},

    and the sign of ``x`` is copied back, so :math:`\tanh(-0) = -0`.

    Examples
    --------
    >>> x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    >>> bool(np.allclose(tanh_via_sigmoid(x), 2 * sigmoid(2 * x) - 1))
    True
    >>> float(tanh_via_sigmoid(1e-300))
    1e-300
    """
    z, dtype = _as_float_array(x)
    # tanh(20) rounds to 1 already; capping |x| keeps -2|x| from overflowing.
    m = np.expm1(-2.0 * np.minimum(np.abs(z), 32.0))
    return _finish(np.copysign(-m / (2.0 + m), z), dtype)


def softmax(x: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Softmax along an axis, the K-class generalisation of the sigmoid.

    Parameters
    ----------
    x : array_like
        Scores (logits).
    axis : int, optional
        Axis along which the probabilities sum to 1.

    Returns
    -------
    ndarray
        :math:`\operatorname{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}`
        with :math:`m = \max_j x_j`.

    Notes
    -----
    Shifting by the maximum changes nothing mathematically (softmax is
    shift-invariant) but makes every exponent :math:`\le 0`, so nothing
    overflows and the largest term is exactly 1. Infinite scores take their
    limits: ``-inf`` gets probability 0; if some scores are ``+inf`` they
    share the mass equally and the rest get 0. A slice that is all ``-inf``,
    or holds a ``nan``, gives ``nan``.

    Examples
    --------
    >>> p = softmax([1.0, 2.0, 3.0])
    >>> p.round(4).tolist(), bool(np.isclose(p.sum(), 1.0))
    ([0.09, 0.2447, 0.6652], True)
    >>> bool(np.allclose(softmax([1001.0, 1002.0, 1003.0]), p))
    True
    >>> softmax([0.0, np.inf, -np.inf]).tolist()
    [0.0, 1.0, 0.0]
    """
    z, dtype = _as_float_array(x)
    if z.ndim == 0:
        raise ValueError("softmax needs at least one axis")
    shift = np.max(z, axis=axis, keepdims=True)
    if np.isfinite(shift).all():
        # Common case: every exponent is <= 0 and the largest is exactly 0,
        # so nothing can overflow and every sum is at least 1.
        shifted = z - shift
        np.exp(shifted, out=shifted)
        shifted /= np.sum(shifted, axis=axis, keepdims=True)
        return np.asarray(shifted, dtype=dtype)
    with np.errstate(invalid="ignore"):
        shifted = z - shift  # nan where the slice is all -inf or holds a nan
        at_pos_inf = np.isposinf(shift)
        if at_pos_inf.any():
            # The limit as the +inf scores grow together: they share the mass.
            hot = np.where(np.isposinf(z), 0.0, -np.inf)
            shifted = np.where(at_pos_inf, hot, shifted)
        np.exp(shifted, out=shifted)
        shifted /= np.sum(shifted, axis=axis, keepdims=True)
    return np.asarray(shifted, dtype=dtype)


def softmax_terms(x: ArrayLike, axis: int = -1, *, shift: bool = True) -> FloatArray:
    r"""The exponentials that softmax normalises, with or without the max subtracted.

    Parameters
    ----------
    x : array_like
        Scores (logits).
    axis : int, optional
        Axis along which the maximum is taken.
    shift : bool, optional
        Subtract the maximum along ``axis`` first (what :func:`softmax` does).
        With ``False`` the terms are the naive :math:`e^{x_i}`.

    Returns
    -------
    ndarray
        :math:`e^{x_i - m}` with :math:`m = \max_j x_j` (``shift=True``) or
        :math:`m = 0` (``shift=False``); dividing by their sum along ``axis``
        gives :func:`softmax` either way, as long as the terms are finite.

    Notes
    -----
    This is for showing the computation, step by step. Unshifted,
    :math:`e^{x_i}` overflows to ``inf`` in float64 once :math:`x_i` exceeds
    about 709.78 (the log of the largest float), and the quotient of two
    infinities is ``nan``; the overflow is returned as ``inf`` without a
    warning. Shifted, every exponent is :math:`\le 0`, so each term lies in
    (0, 1] and the largest is exactly 1.

    Examples
    --------
    >>> softmax_terms([2.0, 1.0, -1.0]).round(4).tolist()
    [1.0, 0.3679, 0.0498]
    >>> softmax_terms([2.0, 1.0, -1.0], shift=False).round(4).tolist()
    [7.3891, 2.7183, 0.3679]
    >>> softmax_terms([1000.0, 999.0], shift=False).tolist()
    [inf, inf]
    >>> t = softmax_terms([1000.0, 999.0, 997.0])
    >>> bool(np.allclose(t / t.sum(), softmax([2.0, 1.0, -1.0])))
    True
    """
    z, dtype = _as_float_array(x)
    if z.ndim == 0:
        raise ValueError("softmax_terms needs at least one axis")
    if shift:
        with np.errstate(invalid="ignore"):  # inf - inf is nan, as in softmax
            z = z - np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):
        return np.asarray(np.exp(z), dtype=dtype)


# --- logistic regression ------------------------------------------------------


def bce_with_logits(x: ArrayLike, y: ArrayLike) -> FloatArray:
    r"""Binary cross-entropy of a label given a logit, elementwise.

    Parameters
    ----------
    x : array_like
        Logits :math:`x`, so the predicted probability is :math:`\sigma(x)`.
    y : array_like
        Targets in :math:`[0, 1]` (usually 0 or 1); broadcast against ``x``.

    Returns
    -------
    ndarray or scalar
        :math:`L = -[y\ln\sigma(x) + (1-y)\ln(1-\sigma(x))] = (1-y)x - \ln\sigma(x)`.

    Notes
    -----
    Using :math:`1 - \sigma(x) = \sigma(-x)`, evaluate

    .. math:: L = -(1-y)\ln\sigma(-x) - y\ln\sigma(x),

    a sum of two non-negative terms, so nothing cancels (the literal
    :math:`(1-y)x - \ln\sigma(x)` loses every digit when
    :math:`x \ll 0, y = 0`) and the loss is finite for every finite ``x``.

    Examples
    --------
    >>> float(bce_with_logits(0.0, 1.0)) == float(np.log(2))
    True
    >>> float(bce_with_logits(-1000.0, 1.0))
    1000.0
    """
    z, dtype = _as_float_array(x)
    t, t_dtype = _as_float_array(y)
    loss = -(1.0 - t) * log_sigmoid(-z) - t * log_sigmoid(z)
    return _finish(np.asarray(loss), np.result_type(dtype, t_dtype))


def bce_gradient(x: ArrayLike, y: ArrayLike) -> FloatArray:
    r"""Gradient of :func:`bce_with_logits` with respect to the logit.

    Parameters
    ----------
    x : array_like
        Logits.
    y : array_like
        Targets, broadcast against ``x``.

    Returns
    -------
    ndarray or scalar
        :math:`\partial L / \partial x = \sigma(x) - y`.

    Notes
    -----
    The chapter's exercise: differentiating
    :math:`L = (1-y)x - \ln\sigma(x)` with :math:`(\ln\sigma)' = 1 - \sigma`
    gives :math:`(1 - y) - (1 - \sigma(x)) = \sigma(x) - y`.

    Examples
    --------
    >>> float(bce_gradient(0.0, 1.0))
    -0.5
    """
    z, dtype = _as_float_array(x)
    t, t_dtype = _as_float_array(y)
    return _finish(np.asarray(sigmoid(z) - t), np.result_type(dtype, t_dtype))


def predict_proba(X: ArrayLike, w: ArrayLike, b: float) -> FloatArray:
    r"""Probabilities of a logistic-regression model.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs, one row per sample.
    w : array_like, shape (d,)
        Weights.
    b : float
        Bias.

    Returns
    -------
    ndarray, shape (n,)
        :math:`\sigma(Xw + b)`, the probability of class 1 for each row.

    Examples
    --------
    >>> predict_proba([[0.0, 0.0], [10.0, 0.0]], [1.0, 0.0], 0.0).round(4).tolist()
    [0.5, 1.0]
    """
    X_arr = np.asarray(X, dtype=np.float64)
    w_arr = np.asarray(w, dtype=np.float64)
    if X_arr.ndim != 2:
        raise ValueError(f"X must have shape (n, d), got shape {X_arr.shape}")
    if w_arr.shape != (X_arr.shape[1],):
        raise ValueError(f"w must have shape ({X_arr.shape[1]},) to match X, got {w_arr.shape}")
    return sigmoid(X_arr @ w_arr + float(b))


@dataclass(frozen=True)
class FitHistory:
    """Every step of a gradient-descent fit, so a scene can replay it.

    Row ``i`` of each array is the state after ``i`` epochs; row 0 is the
    starting point, so each array has ``epochs + 1`` rows.

    Attributes
    ----------
    weights : ndarray, shape (epochs + 1, d)
    bias : ndarray, shape (epochs + 1,)
    loss : ndarray, shape (epochs + 1,)
        Mean binary cross-entropy on the training set.
    accuracy : ndarray, shape (epochs + 1,)
        Fraction of training points on the right side of the boundary.
    """

    weights: FloatArray
    bias: FloatArray
    loss: FloatArray
    accuracy: FloatArray

    @property
    def epochs(self) -> int:
        """Number of gradient steps taken."""
        return len(self.loss) - 1


def fit_logistic_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    learning_rate: float,
    epochs: int,
    seed: int = 0,
) -> FitHistory:
    r"""Fit logistic regression by plain full-batch gradient descent.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs.
    y : array_like, shape (n,)
        Labels, 0 or 1.
    learning_rate : float
        Step size :math:`\eta > 0`.
    epochs : int
        Number of gradient steps (at least 1).
    seed : int, optional
        Seed for the small random starting weights.

    Returns
    -------
    FitHistory
        Weights, bias, mean loss and accuracy after each epoch, with the
        starting point as row 0.

    Notes
    -----
    Minimises the mean of :func:`bce_with_logits` over the data. Since
    :math:`\partial L/\partial x = \sigma(x) - y` (:func:`bce_gradient`),

    .. math::

        w \leftarrow w - \frac{\eta}{n} X^\top(\sigma(Xw + b) - y), \qquad
        b \leftarrow b - \frac{\eta}{n} \sum_i (\sigma(x_i^\top w + b) - y_i).

    Examples
    --------
    >>> X, y = make_two_blobs(50, seed=1)
    >>> history = fit_logistic_regression(X, y, learning_rate=0.5, epochs=50)
    >>> bool(history.loss[-1] < history.loss[0]), bool(history.accuracy[-1] >= 0.95)
    (True, True)
    """
    X_arr = np.asarray(X, dtype=np.float64)
    y_arr = np.asarray(y, dtype=np.float64)
    if X_arr.ndim != 2 or y_arr.shape != (X_arr.shape[0],):
        raise ValueError(
            f"expected X of shape (n, d) and y of shape (n,), got {X_arr.shape} and {y_arr.shape}"
        )
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")

    n, d = X_arr.shape
    rng = np.random.default_rng(seed)
    w: FloatArray = np.asarray(rng.normal(scale=0.1, size=d), dtype=np.float64)
    b = 0.0
    weights, biases, losses, accuracies = [], [], [], []
    for epoch in range(epochs + 1):
        logits = X_arr @ w + b
        weights.append(w.copy())
        biases.append(b)
        losses.append(float(np.mean(bce_with_logits(logits, y_arr))))
        accuracies.append(float(np.mean((logits > 0) == (y_arr > 0.5))))
        if epoch == epochs:
            break
        residual = bce_gradient(logits, y_arr)
        w = w - learning_rate * (X_arr.T @ residual) / n
        b = b - learning_rate * float(np.mean(residual))
    return FitHistory(
        weights=np.array(weights),
        bias=np.array(biases),
        loss=np.array(losses),
        accuracy=np.array(accuracies),
    )


def make_two_blobs(
    n_per_class: int,
    *,
    seed: int,
    centers: tuple[tuple[float, float], tuple[float, float]] = ((-1.5, -1.0), (1.5, 1.0)),
    spread: float = 0.8,
) -> tuple[FloatArray, FloatArray]:
    """Two Gaussian blobs in the plane, one per class.

    Parameters
    ----------
    n_per_class : int
        Points in each class.
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives the same data.
    centers : pair of (x, y) pairs, optional
        Centre of class 0, then of class 1.
    spread : float, optional
        Standard deviation of each blob along both axes.

    Returns
    -------
    X : ndarray, shape (2 * n_per_class, 2)
        Points, class 0 first.
    y : ndarray, shape (2 * n_per_class,)
        Labels, 0.0 then 1.0.

    Examples
    --------
    >>> X, y = make_two_blobs(3, seed=0)
    >>> X.shape, y.tolist()
    ((6, 2), [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    """
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be at least 1, got {n_per_class}")
    rng = np.random.default_rng(seed)
    blobs = [rng.normal(loc=c, scale=spread, size=(n_per_class, 2)) for c in centers]
    X = np.vstack(blobs)
    y = np.repeat([0.0, 1.0], n_per_class)
    return X, y


# --- floating point: where exp runs out, and the sigmoid written naively --------

#: The textbook formulas :func:`naive_sigmoid` evaluates as written (the chapter's code).
NAIVE_FORMS = ("reciprocal", "ratio", "where")


def exp_overflow_threshold(dtype: npt.DTypeLike = np.float64) -> float:
    r"""The largest exponent whose exponential is still a finite float.

    Parameters
    ----------
    dtype : dtype, optional
        A floating-point type; float64 by default.

    Returns
    -------
    float
        :math:`\ln(\text{largest finite float})`: :math:`e^y` overflows to
        ``inf`` for every :math:`y` above it (about 709.78 in float64, 88.72 in
        float32).

    Notes
    -----
    .. math:: y_{\max} = \ln\left((2 - 2^{-52})\, 2^{1023}\right) \approx 709.782712893384

    Examples
    --------
    >>> round(exp_overflow_threshold(), 6)
    709.782713
    >>> bool(np.isfinite(np.exp(exp_overflow_threshold())))
    True
    """
    return float(np.log(np.finfo(dtype).max))


def exp_underflow_threshold(dtype: npt.DTypeLike = np.float64) -> float:
    r"""The exponent below which the exponential rounds to 0.

    Parameters
    ----------
    dtype : dtype, optional
        A floating-point type; float64 by default.

    Returns
    -------
    float
        :math:`\ln(s/2)` with :math:`s` the smallest subnormal float: below it
        :math:`e^y` is nearer 0 than :math:`s` and rounds to 0 (about −745.13
        in float64). So does :math:`\sigma(y)`, since there
        :math:`\sigma(y) = e^y/(1 + e^y)` and :math:`e^y` agree to hundreds of digits.

    Notes
    -----
    .. math:: y_{\min} = \ln\left(2^{-1075}\right) = -1075 \ln 2 \approx -745.1332

    Examples
    --------
    >>> round(exp_underflow_threshold(), 4)
    -745.1332
    """
    return float(np.log(np.finfo(dtype).smallest_subnormal) - np.log(2.0))


def naive_sigmoid(x: ArrayLike, form: str = "reciprocal", *, warn: bool = False) -> FloatArray:
    r"""The sigmoid computed exactly as a textbook formula writes it, overflow and all.

    This is what not to do; :func:`sigmoid` is the safe version. It exists so
    that the lecture can show, with real numbers, what the naive formulas give.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    form : {"reciprocal", "ratio", "where"}, optional
        ``"reciprocal"``: ``1 / (1 + np.exp(-x))``; ``"ratio"``:
        ``np.exp(x) / (1 + np.exp(x))``; ``"where"``: the chapter's listing,
        ``np.where(x >= 0, reciprocal, ratio)``, which picks the right form
        but evaluates both everywhere.
    warn : bool, optional
        Let numpy issue its ``RuntimeWarning`` for overflow and invalid values,
        as the code would when typed in. Off by default, as in every function
        of this module.

    Returns
    -------
    ndarray or scalar
        The formula's value in the input's floating-point type (integers: float64),
        computed in that type, so it overflows where that type does.

    Notes
    -----
    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}} = \frac{e^x}{1 + e^x}

    Equal in exact arithmetic, not in floats: :math:`e^{-x}` overflows to
    ``inf`` for :math:`x < -709.78` (see :func:`exp_overflow_threshold`),
    and the reciprocal form gives :math:`1/(1 + \infty) = 0`, which is the
    float nearest :math:`\sigma(x)` only once :math:`x < -745.13`; the ratio
    form gives :math:`\infty/\infty =` ``nan`` for :math:`x > 709.78`.

    Examples
    --------
    >>> float(naive_sigmoid(-1000.0)), float(naive_sigmoid(1000.0, "ratio"))
    (0.0, nan)
    >>> float(naive_sigmoid(-720.0)), float(sigmoid(-720.0)) > 0
    (0.0, True)
    """
    if form not in NAIVE_FORMS:
        raise ValueError(f"form must be one of {', '.join(NAIVE_FORMS)}; got {form!r}")
    _, dtype = _as_float_array(x)
    z = np.asarray(x, dtype=dtype)
    with np.errstate(over="warn", invalid="warn") if warn else np.errstate(over="ignore", invalid="ignore"):
        if form == "reciprocal":
            result = np.divide(1.0, 1.0 + np.exp(-z))
        elif form == "ratio":
            result = np.divide(np.exp(z), 1.0 + np.exp(z))
        else:  # both forms, everywhere, then the right one picked
            result = np.where(z >= 0, np.divide(1.0, 1.0 + np.exp(-z)), np.divide(np.exp(z), 1.0 + np.exp(z)))
    return _finish(np.asarray(result, dtype=dtype), dtype)


def naive_sigmoid_warnings(x: ArrayLike, form: str = "reciprocal") -> tuple[str, ...]:
    r"""What numpy prints while :func:`naive_sigmoid` evaluates ``form`` at ``x``.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    form : {"reciprocal", "ratio", "where"}, optional
        The formula, as in :func:`naive_sigmoid`.

    Returns
    -------
    tuple of str
        Each distinct warning numpy issued, in the order first issued, as its
        category and message (``"RuntimeWarning: overflow encountered in exp"``);
        empty when the formula runs cleanly. Once each, as Python shows them
        by default for one line of code (the ratio form overflows in both of
        its exponentials but is reported once).

    Notes
    -----
    The text is numpy's own, recorded as the formula runs, so it follows
    whatever numpy version is installed.

    Examples
    --------
    >>> naive_sigmoid_warnings(-1000.0)
    ('RuntimeWarning: overflow encountered in exp',)
    >>> naive_sigmoid_warnings(-5.0)
    ()
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        naive_sigmoid(x, form, warn=True)
    return tuple(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))


def _sigmoid_decimal(x: float, context: decimal.Context) -> decimal.Decimal:
    """σ(x) in decimal arithmetic from the exact binary value of ``x``."""
    one = decimal.Decimal(1)
    return context.divide(one, context.add(one, context.exp(-decimal.Decimal(x))))


def sigmoid_relative_error(values: ArrayLike, x: ArrayLike, *, digits: int = 40) -> FloatArray:
    r"""Relative error of approximations of σ, against σ computed to ``digits`` digits.

    Parameters
    ----------
    values : array_like
        Approximations of :math:`\sigma(x)`, e.g. from :func:`naive_sigmoid`
        or :func:`sigmoid`.
    x : array_like
        The finite points they approximate σ at, broadcastable with ``values``.
    digits : int, optional
        Significant decimal digits of the reference.

    Returns
    -------
    ndarray or scalar
        :math:`|v - \sigma(x)| / \sigma(x)`, float64: 1 for a value 0 (every
        digit lost), ``nan`` for ``nan`` and ``inf`` for ``inf``.

    Notes
    -----
    .. math:: \operatorname{rel}(v, x) = \left|\frac{v}{\sigma(x)} - 1\right|,
              \qquad \sigma(x) = \frac{1}{1 + e^{-x}}

    The reference is computed in Python's ``decimal`` arithmetic from the exact
    binary value of each ``x`` and ``v``, at ``digits`` significant digits and
    with an exponent range that holds :math:`e^{1000}` and
    :math:`\sigma(-1000) \approx 5 \times 10^{-435}`, so neither overflows nor
    rounds in float64's way: it is the true value to far more digits than any
    float holds, and independent of both formulas it judges. Slow (a decimal
    exponential per element); meant for a few hundred points.

    Examples
    --------
    >>> float(sigmoid_relative_error(0.0, -1000.0))
    1.0
    >>> bool(sigmoid_relative_error(sigmoid(-720.0), -720.0) < 1e-11)
    True
    """
    v_arr, x_arr = np.broadcast_arrays(np.asarray(values, dtype=np.float64), np.asarray(x, dtype=np.float64))
    if not np.isfinite(x_arr).all():
        raise ValueError("sigmoid_relative_error needs finite x")
    context = decimal.Context(prec=digits, Emin=-999_999, Emax=999_999)
    out = np.empty(v_arr.shape, dtype=np.float64)
    for index, (v, xi) in enumerate(zip(v_arr.reshape(-1), x_arr.reshape(-1), strict=True)):
        if not np.isfinite(v):
            out.flat[index] = v if np.isnan(v) else np.inf
            continue
        exact = _sigmoid_decimal(float(xi), context)
        out.flat[index] = float(abs(context.divide(decimal.Decimal(float(v)), exact) - 1))
    return out[()] if out.ndim == 0 else out


# Listed here rather than in the list at the top, so this section merges as one block.
__all__ += [
    "NAIVE_FORMS",
    "exp_overflow_threshold",
    "exp_underflow_threshold",
    "naive_sigmoid",
    "naive_sigmoid_warnings",
    "sigmoid_relative_error",
]
