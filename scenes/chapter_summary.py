"""ChapterSummary: the chapter recalled on one σ curve, each idea lighting up in turn.

Storyboard
----------
One σ curve on large axes (x from −6 to 6, y from 0 to 1) stays on screen;
beside it one idea at a time, in large type, while the curve shows it:

1. σ(x) = 1/(1+e^−x): the curve draws itself between its asymptotes 0 and 1.
2. Symmetric about (0, ½): a point at x = 2 and its mirror at x = −2, joined
   through the centre, σ(−x) = 1 − σ(x).
3. σ′ = σ(1−σ), drawn on the same axes, peaks at ¼ at x = 0.
4. Steepness: σ(5x) beside the dashed Heaviside step, σ(kx) → step.
5. The logit reads σ backwards: from p = 0.8 across to the curve and down to
   x = logit(0.8) ≈ 1.39.
6. Relatives: the hard sigmoid on the same axes; tanh x = 2σ(2x) − 1.
7. Logistic regression: class-0 points at 0, class-1 points at 1, and the
   boundary where σ = ½.
8. Cross-entropy: at x = 1.5 with label y = 1, the gap σ(x) − y is the gradient.
9. The stable form: the left half computed as eˣ/(1+eˣ), the right as 1/(1+e^−x).
10. Softmax: σ(a − b) is two-class softmax, one point on the curve.
11. Where it leads: the saturated tails (σ′ < 0.01) shaded, where gradients
    vanish in deep networks; activation functions; logistic regression.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/chapter_summary.py ChapterSummary
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Line,
    Polygon,
    VGroup,
    VMobject,
)

from lecture.numerics import (
    hard_sigmoid,
    heaviside,
    logit,
    sigmoid,
    sigmoid_derivative,
    softmax,
)
from scenes.common import LectureScene, sampled_points

__all__ = ["ChapterSummary", "saturated_from"]

# --- the numbers -------------------------------------------------------------
X_MIN, X_MAX = -6.0, 6.0
#: The symmetry pair, the steep k, the logit's p, the cross-entropy probe, the softmax scores.
MIRROR_X = 2.0
STEEP_K = 5.0
LOGIT_P = 0.8
PROBE_X, PROBE_LABEL = 1.5, 1.0
SCORES = (1.0, 0.0)
#: Where the tails count as saturated: σ′ below this.
SATURATED_SLOPE = 0.01
#: The data points of the logistic-regression beat: class 0 left of 0, class 1 right.
CLASS0_X = (-4.5, -3.2, -2.4, -1.1)
CLASS1_X = (0.9, 2.1, 3.3, 4.6)

# --- layout (scene units) ----------------------------------------------------
PLOT_LEFT, PLOT_BOTTOM = -6.5, -3.2
PLOT_WIDTH, PLOT_HEIGHT = 8.0, 5.2
PANEL_LEFT, PANEL_TOP = 2.0, 2.2
#: The panel's lines fit between its left edge and the frame's right margin.
PANEL_WIDTH = 4.9
SAMPLES_PER_UNIT = 20


def saturated_from(threshold: float = SATURATED_SLOPE) -> float:
    """The x beyond which σ′(x) < ``threshold`` (the tails where gradients vanish), from the numerics.

    Examples
    --------
    >>> round(saturated_from(0.01), 2)
    4.58
    """
    xs = np.linspace(0.0, 20.0, 200_001)
    return float(xs[np.argmax(np.asarray(sigmoid_derivative(xs)) < threshold)])


class ChapterSummary(LectureScene):
    """The chapter's ideas, one at a time, on one σ curve.

    Attributes set by ``construct`` (the tests read them): ``axes``,
    ``curve`` (σ), ``panels`` (the text of each idea, in order), and the
    overlays ``mirror``, ``slope_curve``, ``steep_curve``, ``logit_path``,
    ``hard_curve``, ``data``, ``gap``, ``halves``, ``softmax_dot``, ``tails``.
    """

    def construct(self) -> None:
        t = self.theme
        self.panels: list[VGroup] = []

        # σ(x) = 1/(1+e^−x), drawn at once between its asymptotes
        title = self.title("The sigmoid, in summary")
        self.axes = self.get_axes()
        asymptotes = self.get_asymptotes()
        self.curve = self.get_curve(sigmoid, t.sigma)
        self.add(title, self.axes, asymptotes)
        panel = self.show_panel("The logistic sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}")
        with self.narrate("The logistic sigmoid: a smooth S, always between 0 and 1.") as beat:
            self.play(Create(self.curve), FadeIn(panel), run_time=0.6 * beat.duration)
            self.play(Flash(asymptotes, color=t.highlight), run_time=beat.remaining())

        # Symmetric about (0, ½): σ(−x) = 1 − σ(x)
        self.mirror = self.get_mirror()
        with self.narrate(
            "Symmetric about its centre: σ(−x) = 1 − σ(x).",
            say="Symmetric about its centre: sigma of minus x is one minus sigma of x.",
        ) as beat:
            self.swap_panel("Symmetric", r"\sigma(-x) = 1 - \sigma(x)")
            self.play(Create(self.mirror), run_time=beat.remaining())

        # σ′ = σ(1 − σ), on the same axes, at most ¼
        self.slope_curve = self.get_curve(sigmoid_derivative, t.derivative)
        with self.narrate("Its slope, σ(1 − σ), on the same scale: at most a quarter.") as beat:
            self.play(FadeOut(self.mirror), run_time=0.2 * beat.duration)
            self.swap_panel("Its slope", r"\sigma' = \sigma(1 - \sigma) \le \tfrac14")
            self.play(Create(self.slope_curve), run_time=beat.remaining())

        # Steepness: σ(kx) → the step
        self.steep_curve = self.get_curve(lambda x: sigmoid(x, STEEP_K), t.family[-1])
        step = self.get_step()
        with self.narrate("Turn up k, and σ(kx) closes in on the step.") as beat:
            self.play(FadeOut(self.slope_curve), run_time=0.2 * beat.duration)
            self.swap_panel("Steepness", r"\sigma(kx) \to \text{step}")
            self.play(Create(step), Create(self.steep_curve), run_time=beat.remaining())

        # The logit: σ read backwards
        self.logit_path = self.get_logit_path(LOGIT_P)
        with self.narrate("The logit reads it backwards: from a probability to log-odds.") as beat:
            self.play(FadeOut(self.steep_curve), FadeOut(step), run_time=0.2 * beat.duration)
            self.swap_panel("The logit, its inverse", r"\operatorname{logit} p = \ln\frac{p}{1-p}")
            self.play(Create(self.logit_path), run_time=beat.remaining())

        # Relatives: the hard sigmoid, and tanh
        self.hard_curve = self.get_curve(hard_sigmoid, t.step)
        with self.narrate(
            "Its relatives: the hard sigmoid, and tanh x = 2σ(2x) − 1.",
            say="Its relatives: the hard sigmoid, and tanh, which is two sigma of two x, minus one.",
        ) as beat:
            self.play(FadeOut(self.logit_path), run_time=0.2 * beat.duration)
            self.swap_panel("Relatives", r"\text{hard sigmoid } h(x)", r"\tanh x = 2\sigma(2x) - 1")
            self.play(Create(self.hard_curve), run_time=beat.remaining())

        # Logistic regression: the boundary where σ = ½
        self.data, boundary = self.get_data(), self.get_boundary()
        with self.narrate(
            "Logistic regression: class 0 below, class 1 above, the boundary at σ = ½."
        ) as beat:
            self.play(FadeOut(self.hard_curve), run_time=0.2 * beat.duration)
            self.swap_panel("Logistic regression", r"\sigma(w^\top x + b) = \tfrac12")
            self.play(FadeIn(self.data), Create(boundary), run_time=beat.remaining())

        # Cross-entropy: the gradient is the gap σ − y
        self.gap = self.get_gap(PROBE_X, PROBE_LABEL)
        with self.narrate(
            "Its cross-entropy slope is just the gap σ − y.",
            say="Its cross-entropy slope is just the gap, sigma minus y.",
        ) as beat:
            self.play(FadeOut(boundary), run_time=0.2 * beat.duration)
            self.swap_panel("Cross-entropy", r"\frac{\partial L}{\partial x} = \sigma(x) - y")
            self.play(Create(self.gap), run_time=beat.remaining())

        # The stable form: each half computed its own safe way
        self.halves = self.get_halves()
        with self.narrate(
            "Computed safely: eˣ/(1 + eˣ) on the left, 1/(1 + e^−x) on the right.",
            say="Computed safely: e to the x over one plus e to the x on the left, "
            "one over one plus e to the minus x on the right.",
        ) as beat:
            self.play(FadeOut(self.data), FadeOut(self.gap), run_time=0.2 * beat.duration)
            self.swap_panel(
                "Computed safely", r"x < 0:\ \frac{e^{x}}{1+e^{x}}", r"x \ge 0:\ \frac{1}{1+e^{-x}}"
            )
            self.play(Create(self.halves), run_time=beat.remaining())

        # Softmax: σ of the score gap is two-class softmax
        self.softmax_dot = self.get_softmax_dot()
        with self.narrate("With K classes it becomes softmax; for two, σ of the score gap.") as beat:
            self.play(FadeOut(self.halves), run_time=0.2 * beat.duration)
            self.swap_panel("Softmax", r"\operatorname{softmax}(a, b)_1 = \sigma(a - b)")
            self.play(FadeIn(self.softmax_dot, scale=0.5), run_time=beat.remaining())

        # Where it leads: the saturated tails, where deep networks' gradients vanish
        self.tails = self.get_tails()
        with self.narrate(
            "Next: activation functions, and why these flat tails make deep gradients vanish."
        ) as beat:
            self.play(FadeOut(self.softmax_dot), run_time=0.2 * beat.duration)
            self.swap_panel(
                "Where it leads",
                r"\text{activation functions}",
                r"\text{logistic regression}",
                r"\text{deep nets: } \sigma' \approx 0",
            )
            self.play(FadeIn(self.tails), run_time=beat.remaining())

    # --- the panel ------------------------------------------------------------------
    def get_panel(self, heading: str, *lines: str) -> VGroup:
        """One idea: its name in large type, and its formula lines under it, right of the plot.

        ``panel[0]`` is the name, ``panel[1]`` the lines (LaTeX, label size).
        """
        t = self.theme
        name = self.text(heading, color=t.highlight)
        body = VGroup(*(self.math(line) for line in lines)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        if body.width > PANEL_WIDTH:  # never shrunk below full size by more than this fit needs
            body.scale_to_fit_width(PANEL_WIDTH)
        panel = VGroup(name, body).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        return panel.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UP + LEFT)

    def show_panel(self, heading: str, *lines: str) -> VGroup:
        """The first idea's panel (kept in ``panels``)."""
        panel = self.get_panel(heading, *lines)
        self.panels.append(panel)
        return panel

    def swap_panel(self, heading: str, *lines: str) -> None:
        """The previous idea's panel out, this one's in."""
        panel = self.get_panel(heading, *lines)
        self.play(FadeOut(self.panels[-1], shift=0.2 * UP), FadeIn(panel, shift=0.2 * UP), run_time=0.8)
        self.panels.append(panel)

    # --- the plot -------------------------------------------------------------------
    def get_axes(self) -> Axes:
        """x from −6 to 6, y from 0 to 1, the y axis at the left edge."""
        axes = self.make_axes(
            (X_MIN, X_MAX, 1), (0, 1, 0.25), x_length=PLOT_WIDTH, y_length=PLOT_HEIGHT, x_numbers=(-4, 0, 4)
        )
        axes.move_to([PLOT_LEFT, PLOT_BOTTOM, 0], aligned_edge=DOWN + LEFT)
        self.left_y_axis(axes, (0, 0.25, 0.5, 1))
        return axes

    def get_asymptotes(self) -> VGroup:
        """Faint dashed lines at y = 0 and y = 1."""
        t = self.theme
        return VGroup(
            *(
                DashedLine(self.axes.c2p(X_MIN, y), self.axes.c2p(X_MAX, y), dash_length=0.1).set_stroke(
                    t.muted, t.guide_width
                )
                for y in (0.0, 1.0)
            )
        )

    def get_curve(self, func: Callable[[np.ndarray], np.ndarray], color: str) -> VMobject:
        """``func`` across the plot, sampled from the numerics."""
        points = sampled_points(self.axes, func, X_MIN, X_MAX, per_unit=SAMPLES_PER_UNIT)
        return VMobject().set_points_as_corners(points).set_stroke(color, self.theme.curve_width)

    def point(self, x: float) -> np.ndarray:
        """Where (x, σ(x)) is on screen."""
        return self.axes.c2p(x, float(sigmoid(x)))

    def get_mirror(self) -> VGroup:
        """Points at ±2 on σ joined through the centre (0, ½)."""
        t = self.theme
        a, b = self.point(-MIRROR_X), self.point(MIRROR_X)
        line = Line(a, b).set_stroke(t.highlight, t.guide_width * 1.5)
        dots = VGroup(*(Dot(p, radius=0.1, color=t.highlight) for p in (a, self.point(0.0), b)))
        return VGroup(line, dots.set_z_index(3))

    def get_step(self) -> VGroup:
        """The Heaviside step, dashed."""
        t = self.theme
        left = DashedLine(self.axes.c2p(X_MIN, 0), self.axes.c2p(0, 0), dash_length=0.12)
        rise = DashedLine(self.axes.c2p(0, 0), self.axes.c2p(0, 1), dash_length=0.12)
        right = DashedLine(self.axes.c2p(0, float(heaviside(1.0))), self.axes.c2p(X_MAX, 1), dash_length=0.12)
        return VGroup(left, rise, right).set_stroke(t.step, t.curve_width * 0.6)

    def get_logit_path(self, p: float) -> VGroup:
        """From p on the y axis across to σ, then down to x = logit(p), with both values written."""
        t = self.theme
        x = float(logit(p))
        across = Line(self.axes.c2p(X_MIN, p), self.axes.c2p(x, p))
        down = Line(self.axes.c2p(x, p), self.axes.c2p(x, 0))
        path = VGroup(across, down).set_stroke(t.logit, t.curve_width * 0.7)
        x_label = self.math(rf"x \approx {x:.2f}", size="small", color=t.logit)
        x_label.next_to(self.axes.c2p(x, 0.12), RIGHT, buff=0.15)
        p_label = self.math(rf"p = {p:g}", size="small", color=t.logit)
        p_label.next_to(self.axes.c2p(-4.0, p), UP, buff=0.12)
        return VGroup(path, x_label, p_label, Dot(self.axes.c2p(x, p), radius=0.09, color=t.logit))

    def get_data(self) -> VGroup:
        """Class-0 points on y = 0 left of the centre, class-1 points on y = 1 right of it."""
        t = self.theme
        dots = VGroup()
        for xs, y, color in ((CLASS0_X, 0.0, t.class0), (CLASS1_X, 1.0, t.class1)):
            dots.add(*(Dot(self.axes.c2p(x, y), radius=0.12, color=color) for x in xs))
        return dots.set_z_index(3)

    def get_boundary(self) -> VGroup:
        """The boundary: σ = ½ across, and x = 0 up, dashed in the highlight colour."""
        t = self.theme
        across = DashedLine(self.axes.c2p(X_MIN, 0.5), self.axes.c2p(X_MAX, 0.5), dash_length=0.1)
        up = DashedLine(self.axes.c2p(0, 0), self.axes.c2p(0, 1), dash_length=0.1)
        return VGroup(across, up).set_stroke(t.highlight, t.guide_width * 1.5)

    def get_gap(self, x: float, y: float) -> VGroup:
        """The segment from σ(x) to the label y at ``x``, and its length σ(x) − y written beside it."""
        t = self.theme
        seg = Line(self.point(x), self.axes.c2p(x, y)).set_stroke(t.highlight, t.curve_width)
        value = float(sigmoid(x)) - y
        label = self.math(rf"\sigma - y = {value:.2f}", size="small", color=t.highlight)
        label.next_to(self.axes.c2p(x, (float(sigmoid(x)) + y) / 2), LEFT, buff=0.2).shift(0.1 * DOWN)
        return VGroup(seg, label, Dot(self.point(x), radius=0.09, color=t.highlight).set_z_index(3))

    def get_halves(self) -> VGroup:
        """σ's left half (x < 0) and right half (x ≥ 0) retraced in two colours, with their forms."""
        t = self.theme
        left = VMobject().set_points_as_corners(
            sampled_points(self.axes, sigmoid, X_MIN, 0.0, per_unit=SAMPLES_PER_UNIT)
        )
        right = VMobject().set_points_as_corners(
            sampled_points(self.axes, sigmoid, 0.0, X_MAX, per_unit=SAMPLES_PER_UNIT)
        )
        left.set_stroke(t.logit, t.curve_width * 1.3)
        right.set_stroke(t.step, t.curve_width * 1.3)
        left_label = self.math(r"\frac{e^{x}}{1+e^{x}}", size="small", color=t.logit)
        left_label.move_to(self.axes.c2p(-3.5, 0.45))
        right_label = self.math(r"\frac{1}{1+e^{-x}}", size="small", color=t.step)
        right_label.move_to(self.axes.c2p(3.5, 0.55))
        return VGroup(left, right, left_label, right_label)

    def get_softmax_dot(self) -> VGroup:
        """softmax(a, b)₁ at the gap a − b, on the σ curve."""
        t = self.theme
        gap = SCORES[0] - SCORES[1]
        p = float(softmax(np.array(SCORES))[0])
        dot = Dot(self.axes.c2p(gap, p), radius=0.12, color=t.highlight).set_z_index(3)
        label = self.math(rf"a - b = {gap:g}:\ p_1 = {p:.3f}", size="small", color=t.highlight)
        label.next_to(dot, RIGHT, buff=0.2).shift(0.35 * DOWN)
        return VGroup(dot, label)

    def get_tails(self) -> VGroup:
        """Both tails where σ′ < 0.01 shaded, labelled σ′ ≈ 0."""
        t = self.theme
        edge = saturated_from()
        tails = VGroup()
        for x0, x1 in ((X_MIN, -edge), (edge, X_MAX)):
            corners = [self.axes.c2p(x0, 0), self.axes.c2p(x1, 0), self.axes.c2p(x1, 1), self.axes.c2p(x0, 1)]
            tails.add(Polygon(*corners).set_stroke(width=0).set_fill(t.derivative, opacity=0.15))
        label = self.math(r"\sigma' < 0.01", size="small", color=t.derivative)
        tails.add(label.move_to(self.axes.c2p(-(X_MAX + edge) / 2, 0.62)))
        tails.add(label.copy().move_to(self.axes.c2p((X_MAX + edge) / 2, 0.38)))
        return tails.set_z_index(-1)
