"""σ′ = σ(1−σ), traced out under the curve by the tangent's slope.

Storyboard: σ sits on the top axes and σ′ gets empty axes of its own below,
with the same x scale so every x lines up vertically, and at first the same y
scale too (0 to 1), so the student sees how small σ′ is. A tangent line rides
along σ from x = −6, moving from the first moment, while a point below, joined
to it by a dashed connector, climbs to the tangent's slope and leaves σ′
behind. At x = 0: σ = ½ above, the peak ¼ below; past 0 the slope falls away
again. At σ's scale σ′ never gets above the ¼ line, so the lower axes are then
zoomed ×4 (labelled "y × 4" for the rest of the scene). Then why: σ′ = σ(1−σ)
is shown, not asserted: 1 − σ is drawn on the top axes, and their product,
swept from left to right with live numbers for σ, 1 − σ and the product, lands
exactly on σ′ (at x = 0, ½ · ½ = ¼). The flat tails |x| > 4 are marked: there
the slope is nearly 0, so learning through σ stalls. Finally the area under σ′
is shaded as x moves right; a bar on the top plot, as tall as that area, rides
exactly up to σ: the area under σ′ up to x is σ(x).

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
    Animation,
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
    ReplacementTransform,
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
from scenes.common import LectureScene, LiveNumber, StackedPlot, sampled_points

__all__ = ["DerivativeTrace", "area_under_derivative"]

#: Both plots share this x range and width, so a given x sits at the same screen column.
X_MIN, X_MAX = -6.0, 6.0
PLOT_WIDTH = 8.2
PLOT_HEIGHT = 2.3
#: Scene x of the plots' left edge; the right-hand column holds formula and readouts.
PLOT_LEFT = -6.05
PANEL_LEFT = 2.55
#: σ′ is first drawn at σ's scale (0..1 over the same height), where it never gets above ¼;
#: then the lower axes zoom ×4 and show 0..0.3 over 1.2 times that height.
TOP_Y_MAX = 1.0
BOTTOM_Y_MAX = 0.3
ZOOM = 4.0
#: Where the "y × 4" tag sits on the zoomed axes: above σ′ (0.10 at x = −2.2), left of its
#: peak and inside the tails' labels (|x| > 4).
ZOOM_TAG_AT = (-2.4, 0.26)
#: Scene y of the lower plot's x axis, the same before and after the zoom.
BOTTOM_ORIGIN_Y = -3.2
#: Samples per unit of x for curves and the shaded area; plenty at 854x480.
SAMPLES_PER_UNIT = 30
#: Where the tails start being "flat": σ′(4) ≈ 0.018, under a tenth of the peak.
TAIL_X = 4.0
#: Where the tangent's ride starts moving from, and where the first beat leaves it.
X_RIDE_FIRST = -2.5
#: Where the area sweep stops: the closing frame reads area = σ(1) = 0.731.
X_END = 1.0
#: Length of the tangent segment, in scene units.
TANGENT_LENGTH = 2.6
#: Parts the dashed connector always has; at its longest (both plots' full height, about 5.5
#: units) it draws about 35 dashes of 0.08, and the rest are unseen.
CONNECTOR_DASHES = 48
#: The area under σ′ and the bar as tall as it share a colour, neither σ's nor σ′'s, so
#: "this height is that area" reads at a glance: the theme's third curve colour (the
#: logit's; a warm fill at this opacity turns brown on the dark background).
AREA_OPACITY = 0.35
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


class DerivativeTrace(LectureScene):
    """The tangent's slope along σ, drawn out as σ′ on aligned axes below."""

    def construct(self) -> None:
        t = self.theme

        # Title, and σ on the top axes
        title = self.title("The slope of σ, traced out")
        self.top_axes, self.bottom_axes = self.get_stacked_axes_pair()
        self.sigma_graph = self.get_graph(self.top_axes, sigmoid, X_MIN, X_MAX, t.sigma)
        self.sigma_graph.set_z_index(2)  # the area bar later stops exactly on it
        sigma_label = self.math(r"\sigma(x)", color=t.sigma).move_to(self.top_axes.c2p(-4.3, 0.78))
        x_name = self.axis_labels(self.top_axes, "x")
        with self.narrate("Here is the sigmoid, σ(x).", say="Here is the sigmoid, sigma of x."):
            self.play(Write(title), Create(self.top_axes), run_time=1.5)
            self.play(Create(self.sigma_graph), FadeIn(sigma_label, x_name), run_time=2)

        # Empty axes below at the same scale, x and y, waiting for σ′
        self.zoomed_axes = self.bottom_axes
        self.bottom_axes = self.true_scale_axes = self.get_true_scale_axes()
        bottom_x_name = self.axis_labels(self.bottom_axes, "x")
        with self.narrate("Below it, at the same scale: its slope."):
            self.play(FadeIn(self.bottom_axes, bottom_x_name, shift=0.3 * UP), run_time=2)

        # A tangent rides on σ from the first moment; a point below sits at the height of its slope
        self.x_tracker = ValueTracker(X_MIN)
        top_dot, bottom_dot, connector = self.get_riders()
        tangent = self.get_riding_tangent()
        x_readout = self.get_readout(r"x =", lambda: self.x_tracker.get_value(), t.text, places=2)
        slope_readout = self.get_readout(
            r"\text{slope} =", lambda: float(sigmoid_derivative(self.x_tracker.get_value())), t.derivative
        )
        readouts = VGroup(x_readout, slope_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        readouts.move_to([PANEL_LEFT, 2.2, 0], aligned_edge=LEFT)
        self.derivative_trace = self.get_trace()
        self.add(connector, self.derivative_trace)
        with self.narrate("A tangent rides along the curve; far out left it is almost flat.") as beat:
            self.play(
                Create(tangent), FadeIn(top_dot, bottom_dot), FadeIn(readouts), run_time=0.15 * beat.duration
            )
            self.play(
                self.x_tracker.animate.set_value(X_RIDE_FIRST), run_time=beat.remaining(), rate_func=linear
            )

        # On to x = 0: the slope grows and σ′ is drawn out
        with self.narrate("As it climbs, the point below plots its slope as a height.") as beat:
            self.play(self.x_tracker.animate.set_value(0), run_time=beat.duration, rate_func=linear)

        # The peak: σ = ½ above, σ′ = ¼ below, joined at x = 0
        peak_marks = self.get_peak_marks()
        with self.narrate(
            "At x = 0 it is steepest: σ is ½, and the slope peaks at ¼.",
            say="At zero it is steepest: sigma is a half, and the slope peaks at a quarter.",
        ) as beat:
            self.play(Flash(bottom_dot, color=t.highlight), FadeIn(peak_marks), run_time=0.5 * beat.duration)
            self.play(Indicate(slope_readout[1], color=t.highlight), run_time=beat.remaining())

        # On to x = 6: the slope falls away again, the mirror image
        deriv_label = self.math(r"\sigma'(x)", color=t.derivative)
        deriv_label.move_to(self.bottom_axes.c2p(2.6, 0.5))
        with self.narrate("Past the middle the slope falls away again: a mirror image.") as beat:
            self.play(self.x_tracker.animate.set_value(X_MAX), run_time=0.8 * beat.duration, rate_func=linear)
            self.derivative_trace.clear_updaters()
            self.play(
                FadeOut(tangent),
                FadeOut(connector),
                FadeOut(peak_marks),
                FadeIn(deriv_label),
                run_time=beat.remaining(),
            )

        # At σ's scale σ′ stays under the ¼ line: zoom the lower axes ×4 to see its shape
        quarter = self.get_quarter_line()
        with self.narrate(
            "At σ's scale, σ′ never gets above a quarter.",
            say="At sigma's scale, sigma prime never gets above a quarter.",
        ) as beat:
            self.play(Create(quarter), run_time=0.5 * beat.duration)
            self.play(Indicate(quarter, color=t.highlight, scale_factor=1), run_time=beat.remaining())
        zoomed_trace = self.get_graph(self.zoomed_axes, sigmoid_derivative, X_MIN, X_MAX, t.derivative)
        self.zoom_tag = self.get_zoom_tag()
        with self.narrate(
            "To see its shape, zoom the lower axes: y times 4.",
            say="To see its shape, we zoom the lower axes: y, times four.",
        ) as beat:
            self.play(
                ReplacementTransform(self.true_scale_axes, self.zoomed_axes),
                FadeOut(quarter),
                self.derivative_trace.animate.become(zoomed_trace),
                deriv_label.animate.move_to(self.zoomed_axes.c2p(2.9, 0.19)),
                bottom_x_name.animate.next_to(self.zoomed_axes.c2p(X_MAX, 0), RIGHT, buff=0.15),
                run_time=0.6 * beat.duration,
            )
            self.bottom_axes = self.zoomed_axes
            self.play(FadeIn(self.zoom_tag, scale=1.3), run_time=beat.remaining())

        # Why: the slope is σ times 1 − σ; draw 1 − σ beside σ
        formula = self.math(r"\sigma'", r"=", r"\sigma", r"\,(1-", r"\sigma", r")")
        formula[0].set_color(t.derivative)
        formula[2].set_color(t.sigma)
        formula[4].set_color(t.sigma)
        formula.move_to([PANEL_LEFT, -0.2, 0], aligned_edge=LEFT)
        self.complement = self.get_complement()
        complement_label = self.math(r"1 - \sigma(x)", color=t.muted, size="small")
        complement_label.move_to(self.top_axes.c2p(4.4, 0.3))
        with self.narrate(
            "Why? The slope is σ(1 − σ). Here is 1 − σ.",
            say="Why? The slope is sigma times one minus sigma. Here is one minus sigma.",
        ) as beat:
            self.play(Write(formula), self.x_tracker.animate.set_value(X_MIN), run_time=0.5 * beat.duration)
            self.play(Create(self.complement), FadeIn(complement_label), run_time=beat.remaining())

        # Multiply them point by point: the product lands exactly on σ′
        complement_dot = self.get_complement_dot()
        self.product_trace = self.get_product_trace()
        product_rows = self.get_product_readouts()
        product_rows.next_to(formula, DOWN, buff=0.35, aligned_edge=LEFT)
        self.add(self.product_trace)
        with self.narrate(
            "Multiply the two heights at each x: the product lands exactly on σ′.",
            say="Multiply the two heights at each x: the product lands exactly on sigma prime.",
        ) as beat:
            self.play(FadeIn(complement_dot), FadeIn(product_rows), run_time=0.15 * beat.duration)
            self.play(self.x_tracker.animate.set_value(0), run_time=beat.remaining(), rate_func=linear)
        with self.narrate(
            "At x = 0 that is ½ · ½ = ¼.",
            say="At x equals zero that is a half times a half: a quarter.",
        ) as beat:
            self.play(Indicate(product_rows[2][1], color=t.highlight), run_time=0.4 * beat.duration)
            self.play(self.x_tracker.animate.set_value(X_MAX), run_time=beat.remaining(), rate_func=linear)
        self.product_trace.clear_updaters()

        # The flat tails: the slope nearly vanishes, so learning through σ stalls
        tails = self.get_tail_marks()
        with self.narrate(
            "In the tails the slope is nearly 0, so learning through σ stalls.",
            say="In the tails the slope is nearly zero, so learning through sigma stalls.",
        ) as beat:
            self.play(
                FadeOut(self.complement, complement_label, complement_dot, self.product_trace),
                FadeIn(tails),
                # σ′ joins the moving layer, so the fading bands are drawn under it, not over
                Animation(self.derivative_trace),
                run_time=0.5 * beat.duration,
            )
            self.play(
                *(Indicate(label, color=t.highlight) for label in tails.labels), run_time=beat.remaining()
            )

        # Rewind, then shade the area under σ′ as x moves right
        area_readout = self.get_readout(
            r"\int_{-\infty}^{x} \sigma'(t)\,dt =",
            lambda: area_under_derivative(self.x_tracker.get_value()),
            t.logit,
        )
        sigma_readout = self.get_readout(
            r"\sigma(x) =", lambda: float(sigmoid(self.x_tracker.get_value())), t.sigma
        )
        area_rows = VGroup(area_readout, sigma_readout).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        area_rows.move_to([PANEL_LEFT, -1.0, 0], aligned_edge=LEFT)
        shading, self.area_bar = self.get_area_shading(), self.get_area_bar()
        with self.narrate(
            "Shade the area under σ′, and a bar as tall as it rides exactly on σ.",
            say="Shade the area under sigma prime, and a bar as tall as it rides exactly on sigma.",
        ) as beat:
            self.play(
                FadeOut(tails, product_rows, formula),
                self.x_tracker.animate.set_value(X_MIN),
                run_time=0.15 * beat.duration,
            )
            self.add(shading, self.area_bar, bottom_dot, top_dot)
            self.play(FadeIn(area_rows), run_time=0.1 * beat.duration)
            self.play(
                self.x_tracker.animate.set_value(X_END),
                Animation(self.derivative_trace),  # drawn over the growing shading, as in the last frame
                run_time=beat.remaining(),
                rate_func=smooth,
            )
        self.area_value = area_under_derivative(self.x_tracker.get_value())

        # Closing: integrate the slope and you get the curve back
        with self.narrate(
            "The area under σ′ up to x is σ(x): integrate the slope, get the curve back.",
            say="The area under sigma prime up to x is sigma of x: integrate the slope, get the curve back.",
        ) as beat:
            self.play(
                Indicate(area_readout[1], color=t.highlight),
                Indicate(sigma_readout[1], color=t.highlight),
                run_time=0.35 * beat.duration,
            )
            box = SurroundingRectangle(area_rows, color=t.highlight, buff=0.15, stroke_width=t.guide_width)
            self.play(Create(box), run_time=0.25 * beat.duration)
            self.play(Indicate(shading, color=t.highlight, scale_factor=1), run_time=beat.remaining())

    # --- axes -------------------------------------------------------------
    def get_stacked_axes_pair(self) -> tuple[Axes, Axes]:
        """σ's axes (0..1 up) and σ′'s zoomed ones below (0..0.3 at 4 times σ's y scale), same x scale."""
        return self.get_stacked_axes(
            (X_MIN, X_MAX, 1),
            x_length=PLOT_WIDTH,
            left=PLOT_LEFT,
            top=StackedPlot((0, TOP_Y_MAX, 0.5), (0, 0.5, 1), PLOT_HEIGHT, 0.45),
            bottom=StackedPlot(
                (0, BOTTOM_Y_MAX, 0.05),
                (0, 0.25),
                ZOOM * BOTTOM_Y_MAX / TOP_Y_MAX * PLOT_HEIGHT,
                BOTTOM_ORIGIN_Y,
                range(-6, 7, 2),
            ),
        )

    def get_true_scale_axes(self) -> Axes:
        """σ′'s axes at σ's own scale: 0..1 over σ's height, ticks at ¼, ½ and 1, same columns."""
        plot = StackedPlot(
            (0, TOP_Y_MAX, 0.25), (0, 0.25, 0.5, 1), PLOT_HEIGHT, BOTTOM_ORIGIN_Y, range(-6, 7, 2)
        )
        _, axes = self.get_stacked_axes(
            (X_MIN, X_MAX, 1), x_length=PLOT_WIDTH, left=PLOT_LEFT, top=plot, bottom=plot
        )
        return axes

    # --- curves -----------------------------------------------------------
    def get_graph(self, axes: Axes, func: Callable, x0: float, x1: float, color: str) -> VMobject:
        """``func`` on [x0, x1] as a polyline through numerics samples."""
        graph = VMobject().set_points_as_corners(
            sampled_points(axes, func, x0, x1, per_unit=SAMPLES_PER_UNIT)
        )
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

    def get_complement(self) -> DashedVMobject:
        """1 − σ on the top axes, dashed in the muted colour: σ's mirror image about x = 0."""
        graph = self.get_graph(self.top_axes, lambda x: 1 - sigmoid(x), X_MIN, X_MAX, self.theme.muted)
        return DashedVMobject(graph.set_stroke(width=self.theme.curve_width * 0.6), num_dashes=60)

    def get_product_trace(self) -> VMobject:
        """σ · (1 − σ), multiplied out of the two top curves, from the left edge to the tracker's x."""

        def product(x: np.ndarray) -> np.ndarray:
            return np.asarray(sigmoid(x) * (1 - sigmoid(x)))

        def build() -> VMobject:
            x = max(self.x_tracker.get_value(), X_MIN + 1e-3)
            graph = self.get_graph(self.bottom_axes, product, X_MIN, x, self.theme.highlight)
            return graph.set_stroke(width=self.theme.curve_width * 0.5).set_z_index(2.5)

        return always_redraw(build)

    def get_complement_dot(self) -> Dot:
        """A point riding 1 − σ at the tracker's x."""

        def at() -> np.ndarray:
            x = self.x_tracker.get_value()
            return self.top_axes.c2p(x, 1 - float(sigmoid(x)))

        dot = Dot(at(), radius=0.06, color=self.theme.muted).set_z_index(3)
        return dot.add_updater(lambda d: d.move_to(at()))

    def get_product_readouts(self) -> VGroup:
        """Live σ, 1 − σ and their product at the tracker's x, the product in the slope's colour."""
        t = self.theme

        def s() -> float:
            return float(sigmoid(self.x_tracker.get_value()))

        rows = VGroup(
            self.get_readout(r"\sigma =", s, t.sigma),
            self.get_readout(r"1 - \sigma =", lambda: 1 - s(), t.muted),
            self.get_readout(r"\sigma\,(1 - \sigma) =", lambda: s() * (1 - s()), t.derivative),
        )
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)

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

        def connector_now() -> DashedLine:
            line = DashedLine(top_point(), bottom_point(), dash_length=0.08)
            line.set_stroke(t.muted, t.guide_width)
            # Always CONNECTOR_DASHES parts, the spare ones unseen: with a count that changed with
            # the length, ManimCE's become() would pad it with hidden copies whose state depends on
            # the path taken, and a cached animation's key would differ from a rendered one's.
            unseen = line.submobjects[-1].copy().set_stroke(opacity=0)
            line.add(*(unseen.copy() for _ in range(CONNECTOR_DASHES - len(line.submobjects))))
            return line

        connector = always_redraw(connector_now)
        return top_dot, bottom_dot, connector

    def get_riding_tangent(self) -> VMobject:
        """σ's tangent at the tracker's x, a fixed screen length, clipped to the plot."""

        def at() -> tuple[float, float, float]:
            x = self.x_tracker.get_value()
            return x, float(sigmoid(x)), float(sigmoid_derivative(x))

        return self.get_tangent(self.top_axes, at, length=TANGENT_LENGTH, z_index=2.5)

    def get_readout(self, label_tex: str, value: Callable[[], float], color: str, places: int = 3) -> VGroup:
        """``label`` followed by a live number, left-aligned; the LaTeX is built once."""
        label = self.math(label_tex, color=color)
        number = LiveNumber(value(), num_decimal_places=places, font_size=label.font_size, color=color)
        number.next_to(label, RIGHT, buff=0.15)
        number.add_updater(lambda m: m.set_value(value()))
        return VGroup(label, number)

    # --- annotations --------------------------------------------------------
    def get_quarter_line(self) -> Line:
        """The level ¼ across σ′'s true-scale plot, in the highlight colour: the ceiling σ′ touches once."""
        axes = self.true_scale_axes
        line = Line(axes.c2p(X_MIN, 0.25), axes.c2p(X_MAX, 0.25))
        return line.set_stroke(self.theme.highlight, self.theme.guide_width * 1.5).set_z_index(1)

    def get_zoom_tag(self) -> VGroup:
        """'y × 4' boxed in the zoomed plot's empty upper left, clear of σ′ and of the tails' labels."""
        t = self.theme
        label = self.math(r"y \times 4", color=t.highlight)
        box = SurroundingRectangle(label, buff=0.1, color=t.highlight, stroke_width=t.guide_width * 1.5)
        tag = VGroup(box, label)
        return tag.move_to(self.zoomed_axes.c2p(*ZOOM_TAG_AT))

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
            band.set_fill(t.grid, opacity=0.7).set_stroke(width=0).set_z_index(-1)  # under the curve
            label = self.math(r"\text{slope} \approx 0", size="small", color=t.highlight)
            # flush with the band's outer edge, so neither label leaves the plot's columns
            label.next_to(band, UP, buff=0.12, aligned_edge=LEFT if x0 == X_MIN else RIGHT)
            marks.add(band, label)
            labels.add(label)
        marks.labels = labels
        return marks

    def get_area_shading(self) -> VMobject:
        """The area under σ′ from the left edge to the tracker's x, in the area's own colour."""
        t = self.theme
        axes = self.bottom_axes

        def build() -> Polygon:
            x = max(self.x_tracker.get_value(), X_MIN + 1e-3)
            rim = sampled_points(axes, sigmoid_derivative, X_MIN, x, per_unit=SAMPLES_PER_UNIT)
            region = Polygon(*rim, axes.c2p(x, 0), axes.c2p(X_MIN, 0))
            return region.set_fill(t.logit, opacity=AREA_OPACITY).set_stroke(width=0).set_z_index(-1)

        return always_redraw(build)

    def get_area_bar(self) -> VMobject:
        """A bar on σ's plot at the tracker's x, as tall as the shaded area below and in its colour."""
        t = self.theme
        axes = self.top_axes

        def build() -> Line:
            x = self.x_tracker.get_value()
            bar = Line(axes.c2p(x, 0), axes.c2p(x, area_under_derivative(x)))
            return bar.set_stroke(t.logit, t.curve_width * 1.6, opacity=0.8)

        return always_redraw(build)
