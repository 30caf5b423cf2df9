"""σ(kx) steepens toward the Heaviside step as the steepness k grows.

Storyboard: the dashed Heaviside step appears first as the destination; a
live σ(kx) sweeps k geometrically from 0.5 to 50 with a k readout; at the
chapter's values k = 0.5, 1, 2, 5 a faint copy is left behind in the graded
family palette; a dot pinned at (0, ½) shows every curve passes through it;
the scene closes on the curve lying on the step: σ(kx) → H(x) for x ≠ 0.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/steepness_sweep.py SteepnessSweep
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    UP,
    Axes,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    GrowFromCenter,
    Line,
    ReplacementTransform,
    ShowPassingFlash,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from lecture.numerics import heaviside, sigmoid
from scenes.common import LectureScene, LiveNumber

__all__ = ["SteepnessSweep", "dense_near_zero_grid"]

X_RANGE = (-6, 6, 2)
Y_RANGE = (0, 1, 0.5)
#: The sweep's ends; k moves geometrically between them (log k is interpolated).
K_START = 0.5
K_END = 50.0
#: The chapter's figure: these curves stay behind as a graded family.
FAMILY_KS = (0.5, 1.0, 2.0, 5.0)
#: Samples per curve. The grid is dense near 0, where σ(50x) rises within |x| < 0.1.
CURVE_SAMPLES = 301
#: Seconds of sweep per unit of ln k (one e-fold of steepness), with a floor per stretch.
SECONDS_PER_EFOLD = 1.4
MIN_STRETCH_SECONDS = 1.6
#: Family copies are drawn thinner than the live curve, as a fraction of its width.
FAMILY_WIDTH = 0.6


def dense_near_zero_grid(x_max: float, n: int, *, focus: float = 5.0) -> np.ndarray:
    r"""Sample points on :math:`[-x_{max}, x_{max}]`, packed close together near 0.

    Parameters
    ----------
    x_max : float
        Half-width of the interval.
    n : int
        Number of points (odd ``n`` includes 0 itself).
    focus : float, optional
        How strongly points gather at 0; 0 would be a uniform grid.

    Returns
    -------
    ndarray
        Increasing points, symmetric about 0, from ``-x_max`` to ``x_max``.

    Notes
    -----
    :math:`x = x_{max} \sinh(a t) / \sinh(a)` for uniform :math:`t \in [-1, 1]`:
    the spacing at 0 is :math:`\cosh(a)` times finer than at the ends, so one
    grid draws both a gentle σ(x/2) and a near-vertical σ(50x) cleanly.

    Examples
    --------
    >>> g = dense_near_zero_grid(6.0, 301)
    >>> float(g[0]), float(g[150]), float(g[-1])
    (-6.0, 0.0, 6.0)
    >>> bool(g[151] - g[150] < 0.01 < g[-1] - g[-2])
    True
    """
    t = np.linspace(-1.0, 1.0, n)
    return x_max * np.sinh(focus * t) / np.sinh(focus)


def k_of(k_tracker: ValueTracker) -> float:
    """The steepness a tracker stands for: it holds ln k, so that k sweeps geometrically."""
    return float(np.exp(k_tracker.get_value()))


def k_label(k: float) -> str:
    """The chapter's way of writing a steepness: ``k = 0.5``, ``k = 1``.

    Examples
    --------
    >>> k_label(0.5), k_label(5.0)
    ('k = 0.5', 'k = 5')
    """
    return f"k = {k:g}"


class SteepnessSweep(LectureScene):
    """Turn the steepness k of σ(kx) up from 0.5 to 50 and watch it become a step.

    After ``construct()``: ``self.axes`` maps data to the screen, ``self.curve``
    is the live σ(kx) and ``self.k`` its final steepness (``K_END``);
    ``self.family`` holds the copies left at ``FAMILY_KS`` and ``self.pin``
    the dot at (0, ½).
    """

    family_ks = FAMILY_KS
    k_start = K_START
    k_end = K_END

    def construct(self) -> None:
        t = self.theme

        # Axes, and the destination: the dashed Heaviside step
        title = self.title("Turning up the steepness k")
        self.axes = axes = self.get_axes()
        self.step = step = self.get_step(axes)
        step_label = self.math("H(x)", size="small", color=t.step)
        step_label.next_to(axes.c2p(X_RANGE[1], 1), UP, buff=0.15).align_to(axes.c2p(X_RANGE[1], 0), RIGHT)
        with self.narrate("Let's give the sigmoid a steepness knob, k."):
            self.play(FadeIn(title), Create(axes, lag_ratio=0.1), run_time=2.2)
        with self.narrate("First, the destination: the Heaviside step. Off for negative x, on for positive."):
            self.play(Create(step), run_time=2.5)
            self.play(FadeIn(step_label, shift=0.2 * DOWN), run_time=1.0)

        # The formula with its knob, and the live curve at the gentlest k
        formula = self.math(r"\sigma(kx) = \frac{1}{1 + e^{-kx}}")
        formula.next_to(axes.c2p(X_RANGE[0], 1), DR, buff=0.25).shift(0.25 * RIGHT)
        self.k_tracker = k_tracker = ValueTracker(np.log(self.k_start))
        readout = self.get_k_readout(k_tracker)
        readout.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.3)
        self.curve = curve = self.get_live_curve(axes, k_tracker)
        legend = self.get_legend(axes)
        self.family = VGroup()
        with self.narrate("Here's the sigmoid, with k multiplying x inside."):
            self.play(Write(formula), run_time=2.2)
        with self.narrate("We start gentle, at k equals one half, and keep a faint copy of it."):
            self.play(Create(curve), FadeIn(readout), run_time=2.5)
            self.leave_copy(axes, 0, legend)

        # Sweep k geometrically, leaving the chapter's family behind at k = 1, 2, 5
        captions = (
            "Turn k up to 1: the standard sigmoid.",
            "At 2, the middle gets steeper and the tails flatten out.",
            "At 5, the rise is already close to vertical.",
        )
        for i, caption in enumerate(captions, start=1):
            with self.narrate(caption):
                self.sweep_to(self.family_ks[i])
                self.leave_copy(axes, i, legend)

        # One point never moves: σ(k·0) = ½ for every k; swing k to prove it
        self.pin = pin = self.get_pin(axes, k_tracker)
        pin_label = self.math(r"\sigma(k \cdot 0) = \tfrac{1}{2}", size="small", color=t.highlight)
        pin_label.next_to(pin, DR, buff=0.12).shift(0.15 * DOWN + 0.15 * RIGHT)
        with self.narrate("One point never moves: at x equals 0, every curve gives exactly one half."):
            self.play(GrowFromCenter(pin), FadeIn(pin_label, shift=0.1 * UP), run_time=1.2)
            self.sweep_to(self.family_ks[1], run_time=1.5)
            self.sweep_to(self.family_ks[-1], run_time=1.5)

        # Keep turning: k = 5 → 50, and the curve lands on the step
        with self.narrate("Now keep turning: 10, 20, 50. The whole rise squeezes into a sliver around zero."):
            self.sweep_to(self.k_end, run_time=4.5)

        # Close: the limit, and the dimmer switch becoming an on/off switch
        limit = self.math(
            r"\sigma(kx) \;\longrightarrow\; H(x)",
            r"\quad \text{for } x \neq 0 \text{ as } k \to \infty",
        )
        limit.to_edge(DOWN, buff=0.3)
        new_title = self.title("A dimmer becomes an on/off switch")
        with self.narrate("The curve now lies on the step: for every x except 0, σ of kx tends to H of x."):
            self.play(Write(limit), run_time=2.5)
            self.play(self.trace_flash(curve), run_time=2.0)
        with self.narrate("The dimmer switch has become an on/off switch."):
            self.play(ReplacementTransform(title, new_title), run_time=1.5)

    # --- the sweep ---------------------------------------------------------------
    @property
    def k(self) -> float:
        """The live curve's steepness."""
        return k_of(self.k_tracker)

    def sweep_to(self, k: float, *, run_time: float | None = None) -> None:
        """Turn k to ``k`` geometrically: ln k moves, so every doubling takes as long."""
        efolds = abs(np.log(k) - self.k_tracker.get_value())
        if run_time is None:
            run_time = max(MIN_STRETCH_SECONDS, SECONDS_PER_EFOLD * efolds)
        self.play(self.k_tracker.animate.set_value(np.log(k)), run_time=run_time, rate_func=smooth)

    def leave_copy(self, axes: Axes, i: int, legend: VGroup) -> None:
        """Leave a static copy of σ(kx) at ``family_ks[i]``, fading to its family colour."""
        copy = self.get_sigma_graph(axes, self.family_ks[i])
        self.family.add(copy)
        # Behind the live curve but above the axes and the step it is heading for
        self.bring_to_back(copy)
        self.bring_to_back(self.step)
        self.bring_to_back(self.axes)
        self.play(
            copy.animate.set_stroke(self.theme.family[i], width=self.theme.curve_width * FAMILY_WIDTH),
            FadeIn(legend[i], shift=0.15 * LEFT),
            run_time=1.0,
        )

    def trace_flash(self, curve: VMobject) -> ShowPassingFlash:
        """A highlight running along the curve, left to right."""
        glint = curve.copy().clear_updaters().set_stroke(self.theme.highlight, width=self.theme.curve_width)
        return ShowPassingFlash(glint, time_width=0.3)

    # --- builders --------------------------------------------------------------
    def get_axes(self) -> Axes:
        """x ∈ [−6, 6], y ∈ [0, 1], with the y-axis at the left edge.

        The y-axis would sit at x = 0, right where the curves rise and its
        labels would collide with them, so it stands at x = −6 instead; x = 0
        keeps its label, for the step rises there.
        """
        axes = self.make_axes(X_RANGE, Y_RANGE, x_length=10.5, y_length=4.7, x_numbers=range(-6, 7, 2))
        axes.shift(0.15 * DOWN + 0.2 * RIGHT)
        self.left_y_axis(axes, (0, 0.5, 1))
        return axes

    def get_step(self, axes: Axes) -> DashedVMobject:
        """The dashed Heaviside step, with its riser at x = 0."""
        x0, x1 = X_RANGE[:2]
        off, on = float(heaviside(x0)), float(heaviside(x1))
        corners = axes.c2p(np.array([[x0, off], [0.0, off], [0.0, on], [x1, on]]))
        path = VMobject().set_points_as_corners(corners)
        step = DashedVMobject(path, num_dashes=70, dashed_ratio=0.55)
        step.set_stroke(self.theme.step, width=self.theme.guide_width * 1.5)
        return step

    def get_sigma_graph(self, axes: Axes, k: float) -> VMobject:
        """σ(kx) on the dense-near-zero grid, in the live curve's style."""
        graph = VMobject().set_stroke(self.theme.sigma, width=self.theme.curve_width)
        return self.set_sigma_points(graph, axes, k)

    @staticmethod
    def set_sigma_points(graph: VMobject, axes: Axes, k: float) -> VMobject:
        """Make ``graph`` trace σ(kx) (values from :mod:`lecture.numerics`)."""
        xs = dense_near_zero_grid(X_RANGE[1], CURVE_SAMPLES)
        ys = sigmoid(xs, k)
        return graph.set_points_as_corners(axes.c2p(np.column_stack([xs, ys])))

    def get_live_curve(self, axes: Axes, k_tracker: ValueTracker) -> VMobject:
        """σ(kx) that follows the tracker (which holds ln k)."""
        curve = self.get_sigma_graph(axes, k_of(k_tracker))
        curve.add_updater(lambda m: self.set_sigma_points(m, axes, k_of(k_tracker)))
        return curve

    def get_k_readout(self, k_tracker: ValueTracker) -> VGroup:
        """``k = 0.5`` with a live number; the number keeps its left edge."""
        t = self.theme
        label = self.math("k =")
        number = LiveNumber(
            k_of(k_tracker),
            num_decimal_places=1,
            font_size=t.label_size * 1.25,
            color=t.sigma,
        )
        number.next_to(label, RIGHT, buff=0.15)
        number.add_updater(lambda m: m.set_value(k_of(k_tracker)).next_to(label, RIGHT, buff=0.15))
        return VGroup(label, number)

    def get_pin(self, axes: Axes, k_tracker: ValueTracker) -> Dot:
        """A dot at (0, σ(k·0)): it stays put because σ(0) = ½ for every k."""
        pin = Dot(radius=0.09, color=self.theme.highlight)
        pin.add_updater(lambda m: m.move_to(axes.c2p(0.0, float(sigmoid(0.0, k_of(k_tracker))))))
        pin.update()
        return pin

    def get_legend(self, axes: Axes) -> VGroup:
        """One entry per family curve (swatch and ``k = …``), stacked in the empty lower right."""
        t = self.theme
        entries = VGroup()
        for k, color in zip(self.family_ks, t.family, strict=False):
            swatch = Line(ORIGIN, 0.5 * RIGHT).set_stroke(color, width=t.curve_width)
            text = self.math(k_label(k), size="small", color=t.muted)
            entries.add(VGroup(swatch, text).arrange(RIGHT, buff=0.15))
        entries.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        entries.next_to(axes.c2p(X_RANGE[1], Y_RANGE[0]), UL, buff=0.3)
        return entries
