"""σ′ = σ(1−σ), traced out under the curve by the tangent's slope.

Storyboard: σ sits on the top axes and σ′ gets empty axes of its own below,
with the same x scale so every x lines up vertically. A tangent line rides
along σ from x = −6 to 6 while a point below, joined to it by a dashed
connector, climbs to the tangent's slope and leaves σ′ behind. At x = 0 the
ride pauses: σ = ½ above, the peak ¼ below, and σ′ = σ(1−σ) explains why
(½ · ½ = ¼). The flat tails |x| > 4 are marked as the vanishing-gradient
regions. Finally the point rewinds and the area under σ′ is shaded as x moves
right; a bar on the top plot, as tall as that area, rides exactly up to σ:
the area under σ′ up to x is σ(x).

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/derivative_trace.py DerivativeTrace
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Axes,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    Line,
    Polygon,
    Rectangle,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
    smooth,
)

from lecture.numerics import sigmoid, sigmoid_derivative
from scenes.common import LectureScene, LiveNumber

__all__ = ["DerivativeTrace", "area_under_derivative"]

#: Both plots share this x range and width, so a given x sits at the same screen column.
X_MIN, X_MAX = -6.0, 6.0
PLOT_WIDTH = 8.2
PLOT_HEIGHT = 2.3
#: Scene x of the plots' left edge; the right-hand column holds formula and readouts.
PLOT_LEFT = -6.05
PANEL_LEFT = 2.75
#: σ′ ≤ ¼, so its axes stretch 0..0.3 over the same height σ's 0..1 gets.
TOP_Y_MAX = 1.0
BOTTOM_Y_MAX = 0.3
#: Samples per unit of x for curves and the shaded area; plenty at 854x480.
SAMPLES_PER_UNIT = 30
#: Where the tails start being "flat": σ′(4) ≈ 0.018, under a tenth of the peak.
TAIL_X = 4.0
#: Where the area sweep stops: the closing frame reads area = σ(1) = 0.731.
X_END = 1.0
#: Length of the tangent segment, in scene units.
TANGENT_LENGTH = 2.2
#: The quadrature below starts here; σ(−40) ≈ 4e−18 is the tail it leaves out.
_FAR_LEFT = -40.0
_QUAD_SAMPLES = 8001


def area_under_derivative(x: float) -> float:
    r"""Area under :math:`\sigma'` to the left of ``x``, by the trapezoid rule.

    Parameters
    ----------
    x : float
        Right end of the integral.

    Returns
    -------
    float
        :math:`\int_{-\infty}^{x} \sigma'(t)\,dt`, computed from
        :func:`lecture.numerics.sigmoid_derivative` samples alone (never from
        :math:`\sigma`), so that showing it equals :math:`\sigma(x)` is a check,
        not a tautology.

    Notes
    -----
    The integral starts at :math:`-40`, where :math:`\sigma` is about
    :math:`4 \cdot 10^{-18}`; 8001 trapezoids over the interval keep the
    error near :math:`10^{-7}`, far below the three decimals on screen.

    Examples
    --------
    >>> from lecture.numerics import sigmoid
    >>> abs(area_under_derivative(1.0) - float(sigmoid(1.0))) < 1e-6
    True
    """
    ts = np.linspace(_FAR_LEFT, x, _QUAD_SAMPLES)
    return float(np.trapezoid(sigmoid_derivative(ts), ts))


def sampled_points(axes: Axes, func: Callable[[np.ndarray], np.ndarray], x0: float, x1: float) -> np.ndarray:
    """Scene points of ``func`` sampled on [x0, x1] (at least two samples)."""
    n = max(2, int(abs(x1 - x0) * SAMPLES_PER_UNIT) + 1)
    xs = np.linspace(x0, x1, n)
    ys = np.asarray(func(xs), dtype=float)
    return np.array([axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])


class DerivativeTrace(LectureScene):
    """The tangent's slope along σ, drawn out as σ′ on aligned axes below."""

    def construct(self) -> None:
        t = self.theme

        # Title, and σ on the top axes
        title = self.title("The slope of σ, traced out")
        self.top_axes = self.get_top_axes()
        self.sigma_graph = self.get_graph(self.top_axes, sigmoid, X_MIN, X_MAX, t.sigma)
        self.sigma_graph.set_z_index(2)  # the area bar later stops exactly on it
        sigma_label = self.math(r"\sigma(x)", color=t.sigma).move_to(self.top_axes.c2p(-4.3, 0.78))
        with self.narrate("Here is the sigmoid, σ of x."):
            self.play(Write(title), Create(self.top_axes), run_time=1.5)
            self.play(Create(self.sigma_graph), FadeIn(sigma_label), run_time=2)

        # Empty axes below with the same x scale, waiting for σ′
        self.bottom_axes = self.get_bottom_axes()
        with self.narrate("Below it, on the same x axis: its slope."):
            self.play(FadeIn(self.bottom_axes, shift=0.3 * UP), run_time=2)

        # A tangent rides on σ; a point below sits at the height of its slope
        self.x_tracker = ValueTracker(X_MIN)
        top_dot, bottom_dot, connector = self.get_riders()
        tangent = self.get_tangent()
        x_readout = self.get_readout(r"x =", lambda: self.x_tracker.get_value(), t.text, places=2)
        slope_readout = self.get_readout(
            r"\text{slope} =", lambda: float(sigmoid_derivative(self.x_tracker.get_value())), t.derivative
        )
        readouts = VGroup(x_readout, slope_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        readouts.move_to([PANEL_LEFT, 2.2, 0], aligned_edge=LEFT)
        self.add(connector)
        with self.narrate("A tangent line rides on the curve; out here it is almost flat."):
            self.play(Create(tangent), FadeIn(top_dot, bottom_dot), FadeIn(readouts), run_time=2)

        # Slide right to x = 0: the slope grows and σ′ is drawn out
        self.derivative_trace = self.get_trace()
        self.add(self.derivative_trace, bottom_dot)
        with self.narrate("Slide right: the slope grows, and the point below plots it as a height."):
            self.play(self.x_tracker.animate.set_value(0), run_time=6, rate_func=linear)

        # The peak: σ = ½ above, σ′ = ¼ below, joined at x = 0
        peak_marks = self.get_peak_marks()
        with self.narrate("At x = 0 the curve is steepest: σ is a half, the slope a quarter."):
            self.play(Flash(bottom_dot, color=t.highlight), FadeIn(peak_marks), run_time=2)
            self.play(Indicate(slope_readout[1], color=t.highlight), run_time=1.5)

        # Why ¼: the slope is built from σ itself
        formula = self.math(r"\sigma'(x)", r"=", r"\sigma(x)", r"\,(1-", r"\sigma(x)", r")")
        formula[0].set_color(t.derivative)
        formula[2].set_color(t.sigma)
        formula[4].set_color(t.sigma)
        at_zero = self.math(r"\sigma'(0) = \tfrac12 \cdot \tfrac12 = \tfrac14", color=t.muted)
        VGroup(formula, at_zero).arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(
            [PANEL_LEFT, -0.1, 0], aligned_edge=LEFT
        )
        with self.narrate("No accident: the slope is σ times one minus σ."):
            self.play(Write(formula), run_time=2.5)
        with self.narrate("One half times one half: a quarter."):
            self.play(FadeIn(at_zero, shift=0.2 * DOWN), run_time=1.5)

        # On to x = 6: the slope falls away again, the mirror image
        deriv_label = self.math(r"\sigma'(x)", color=t.derivative)
        deriv_label.next_to(self.bottom_axes.c2p(X_MAX, 0), UR, buff=0.15)
        with self.narrate("Past the middle the slope falls away again, mirroring the climb."):
            self.play(self.x_tracker.animate.set_value(X_MAX), run_time=4, rate_func=linear)
            self.derivative_trace.clear_updaters()
            self.play(FadeOut(tangent), FadeOut(connector), FadeIn(deriv_label), run_time=1)

        # The flat tails: vanishing gradients
        tails = self.get_tail_marks()
        with self.narrate("In the tails σ is flat, so its gradient nearly vanishes."):
            self.play(FadeIn(tails), run_time=1.5)
        with self.narrate("That is the vanishing-gradient problem of deep networks."):
            self.play(*(Indicate(label, color=t.highlight) for label in tails.labels), run_time=1.5)

        # Rewind, then shade the area under σ′ as x moves right
        area_readout = self.get_readout(
            r"\int_{-\infty}^{x} \sigma'(t)\,dt =",
            lambda: area_under_derivative(self.x_tracker.get_value()),
            t.derivative,
        )
        sigma_readout = self.get_readout(
            r"\sigma(x) =", lambda: float(sigmoid(self.x_tracker.get_value())), t.sigma
        )
        area_rows = VGroup(area_readout, sigma_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        area_rows.move_to([PANEL_LEFT, -1.25, 0], aligned_edge=LEFT)
        shading, self.area_bar = self.get_area_shading(), self.get_area_bar()
        with self.narrate("Now run it again and shade the area under σ′."):
            self.play(FadeOut(tails), FadeOut(at_zero), self.x_tracker.animate.set_value(X_MIN), run_time=2)
            self.add(shading, self.area_bar, bottom_dot, top_dot)
            self.play(FadeIn(area_rows), run_time=1.5)
        with self.narrate("The area piles up into σ: the bar, as tall as the area, rides on the curve."):
            self.play(self.x_tracker.animate.set_value(X_END), run_time=6.5, rate_func=smooth)
        self.area_value = area_under_derivative(self.x_tracker.get_value())

        # Closing: integrate the slope and you get the curve back
        with self.narrate("The area under σ′ up to x is σ of x: integrating the slope gives the curve back."):
            self.play(
                Indicate(area_readout[1], color=t.highlight),
                Indicate(sigma_readout[1], color=t.highlight),
                run_time=1.5,
            )
            box = SurroundingRectangle(area_rows, color=t.highlight, buff=0.15, stroke_width=t.guide_width)
            self.play(Create(box), run_time=1)
            self.play(Indicate(shading, color=t.highlight, scale_factor=1), run_time=1.5)

    # --- axes -------------------------------------------------------------
    def get_top_axes(self) -> Axes:
        """σ's axes: 0..1 up, ticks on x, labels on a y axis at the left edge."""
        return self.get_plot_axes(TOP_Y_MAX, 0.5, (0, 0.5, 1), origin=(PLOT_LEFT, 0.45))

    def get_bottom_axes(self) -> Axes:
        """σ′'s axes: same x as the top, numbered, 0..0.3 up with the peak ¼ labelled."""
        return self.get_plot_axes(
            BOTTOM_Y_MAX, 0.05, (0, 0.25), origin=(PLOT_LEFT, -3.1), x_numbers=range(-6, 7, 2)
        )

    def get_plot_axes(
        self,
        y_max: float,
        y_step: float,
        y_labels: tuple[float, ...],
        *,
        origin: tuple[float, float],
        x_numbers: range | tuple[float, ...] = (),
    ) -> Axes:
        """Axes over x ∈ [−6, 6] with (−6, 0) at the scene point ``origin``, y labelled at the left edge.

        Placing by a data point, not by the bounding box, keeps both plots'
        columns identical whatever labels hang off either of them.
        """
        axes = self.make_axes(
            (X_MIN, X_MAX, 1),
            (0, y_max, y_step),
            x_length=PLOT_WIDTH,
            y_length=PLOT_HEIGHT,
            x_numbers=x_numbers,
        )
        axes.shift(np.array([*origin, 0.0]) - axes.c2p(X_MIN, 0))
        # x = 0 is where the guide between the plots runs; the y axis lives at the left edge instead
        self.left_y_axis(axes, y_labels, gridlines=True)
        return axes

    # --- curves -----------------------------------------------------------
    def get_graph(self, axes: Axes, func: Callable, x0: float, x1: float, color: str) -> VMobject:
        """``func`` on [x0, x1] as a polyline through numerics samples."""
        graph = VMobject().set_points_as_corners(sampled_points(axes, func, x0, x1))
        return graph.set_stroke(color, self.theme.curve_width)

    def get_trace(self) -> VMobject:
        """σ′ from the left edge up to the tracker's x: the path the lower point leaves."""
        return always_redraw(
            lambda: self.get_graph(
                self.bottom_axes,
                sigmoid_derivative,
                X_MIN,
                max(self.x_tracker.get_value(), X_MIN + 1e-3),
                self.theme.derivative,
            )
        )

    # --- the moving parts -------------------------------------------------
    def get_riders(self) -> tuple[Dot, Dot, VMobject]:
        """The point on σ, the point at height σ′ below it, and the dashed line joining them."""
        t = self.theme

        def top_point() -> np.ndarray:
            x = self.x_tracker.get_value()
            return self.top_axes.c2p(x, float(sigmoid(x)))

        def bottom_point() -> np.ndarray:
            x = self.x_tracker.get_value()
            return self.bottom_axes.c2p(x, float(sigmoid_derivative(x)))

        top_dot = Dot(top_point(), radius=0.07, color=t.highlight).set_z_index(3)
        top_dot.add_updater(lambda d: d.move_to(top_point()))
        bottom_dot = Dot(bottom_point(), radius=0.07, color=t.highlight).set_z_index(3)
        bottom_dot.add_updater(lambda d: d.move_to(bottom_point()))
        connector = always_redraw(
            lambda: DashedLine(top_point(), bottom_point(), dash_length=0.08).set_stroke(
                t.muted, t.guide_width
            )
        )
        return top_dot, bottom_dot, connector

    def get_tangent(self) -> VMobject:
        """σ's tangent at the tracker's x, a fixed screen length, clipped to the plot."""
        axes = self.top_axes
        left, right = axes.c2p(X_MIN, 0)[0], axes.c2p(X_MAX, 0)[0]

        def build() -> Line:
            x = self.x_tracker.get_value()
            p = axes.c2p(x, float(sigmoid(x)))
            direction = axes.c2p(x + 1, float(sigmoid(x) + sigmoid_derivative(x))) - p
            direction /= np.linalg.norm(direction)
            half = TANGENT_LENGTH / 2
            back = min(half, (p[0] - left) / direction[0])
            ahead = min(half, (right - p[0]) / direction[0])
            line = Line(p - back * direction, p + ahead * direction)
            return line.set_stroke(self.theme.derivative, self.theme.curve_width * 0.7).set_z_index(2.5)

        return always_redraw(build)

    def get_readout(self, label_tex: str, value: Callable[[], float], color: str, places: int = 3) -> VGroup:
        """``label`` followed by a live number, left-aligned; the LaTeX is built once."""
        label = self.math(label_tex, color=color)
        number = LiveNumber(value(), num_decimal_places=places, font_size=label.font_size, color=color)
        number.next_to(label, RIGHT, buff=0.15)
        number.add_updater(lambda m: m.set_value(value()))
        return VGroup(label, number)

    # --- annotations --------------------------------------------------------
    def get_peak_marks(self) -> VGroup:
        """σ(0) = ½ on top joined by a dashed guide to the peak σ′(0) = ¼ below."""
        t = self.theme
        top, bottom = self.top_axes, self.bottom_axes
        half_point = top.c2p(0, float(sigmoid(0.0)))
        peak_point = bottom.c2p(0, float(sigmoid_derivative(0.0)))
        guide = DashedVMobject(Line(half_point, peak_point), num_dashes=24).set_stroke(
            t.highlight, t.guide_width
        )
        half_dot = Dot(half_point, radius=0.06, color=t.sigma).set_z_index(2)
        peak_dot = Dot(peak_point, radius=0.06, color=t.derivative).set_z_index(2)
        half_label = self.math(r"\sigma = \tfrac12", color=t.sigma, size="small")
        half_label.next_to(half_point, UL, buff=0.15)
        peak_label = self.math(r"\max\ \sigma' = \tfrac14", color=t.derivative, size="small")
        peak_label.next_to(peak_point, UL, buff=0.12)
        return VGroup(guide, half_dot, peak_dot, half_label, peak_label)

    def get_tail_marks(self) -> VGroup:
        """Soft bands over |x| > 4 on σ′'s plot, each labelled "gradient ≈ 0"."""
        t = self.theme
        axes = self.bottom_axes
        marks, labels = VGroup(), VGroup()
        for x0, x1 in ((X_MIN, -TAIL_X), (TAIL_X, X_MAX)):
            corner0, corner1 = axes.c2p(x0, 0), axes.c2p(x1, BOTTOM_Y_MAX)
            band = Rectangle(width=corner1[0] - corner0[0], height=corner1[1] - corner0[1])
            band.move_to((corner0 + corner1) / 2)
            band.set_fill(t.highlight, opacity=0.12).set_stroke(width=0)
            label = self.text("gradient ≈ 0", size="small", color=t.highlight)
            # flush with the band's outer edge, so neither label leaves the plot's columns
            label.next_to(band, UP, buff=0.12, aligned_edge=LEFT if x0 == X_MIN else RIGHT)
            marks.add(band, label)
            labels.add(label)
        marks.labels = labels
        return marks

    def get_area_shading(self) -> VMobject:
        """The area under σ′ from the left edge to the tracker's x."""
        t = self.theme
        axes = self.bottom_axes

        def build() -> Polygon:
            x = max(self.x_tracker.get_value(), X_MIN + 1e-3)
            rim = sampled_points(axes, sigmoid_derivative, X_MIN, x)
            region = Polygon(*rim, axes.c2p(x, 0), axes.c2p(X_MIN, 0))
            return region.set_fill(t.derivative, opacity=0.35).set_stroke(width=0)

        return always_redraw(build)

    def get_area_bar(self) -> VMobject:
        """A bar on σ's plot at the tracker's x, as tall as the shaded area below."""
        t = self.theme
        axes = self.top_axes

        def build() -> Line:
            x = self.x_tracker.get_value()
            bar = Line(axes.c2p(x, 0), axes.c2p(x, area_under_derivative(x)))
            return bar.set_stroke(t.derivative, t.curve_width * 1.6, opacity=0.8)

        return always_redraw(build)
