"""The gradient of the cross-entropy loss is σ(x) − y: the slope of the loss is the gap to the label.

Storyboard
----------
1. The loss of a logit x with label y, L = −[y log σ(x) + (1 − y) log(1 − σ(x))],
   in the right-hand column; on the top axes its two curves: for y = 1,
   −log σ(x), falling; for y = 0, −log(1 − σ(x)), its mirror image.
2. On aligned axes below: σ(x) and the label y = 1 as a dashed line.
3. A tangent rides the y = 1 curve from x = −3, where the model is
   confidently wrong and the slope is nearly −1. Its slope is read off
   numerically (a central difference of the loss) and written beside the gap
   σ(x) − y, drawn below as a bar from σ(x) to the label: the two numbers
   are the same all along the ride.
4. Why: the chain rule, derived on screen in two lines,
   ∂L/∂x = (−y/σ + (1−y)/(1−σ)) · σ(1−σ), then = −y(1−σ) + (1−y)σ = σ − y:
   σ′ = σ(1−σ) cancels, so a confidently wrong prediction still gets a
   gradient near −1.
5. The label switches to 0: the dashed line drops to 0, the tangent moves to
   the other curve, the gap is σ itself and the slope positive.
6. The chapter's check: at the tangent's point (x = 1.5, y = 0), one
   highlighted row, the central difference of the loss with h = 10⁻⁴ beside
   σ(x) − y; they agree to six decimals.

Every value comes from ``numerics.bce_with_logits`` (the loss), ``sigmoid``
and ``bce_gradient``; the tangent's slope is a finite difference of the loss,
never the formula it is compared with.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/cross_entropy_gradient.py CrossEntropyGradient
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
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
    smooth,
)

from lecture.numerics import bce_gradient, bce_with_logits, sigmoid
from scenes.common import LectureScene, LiveNumber, StackedPlot, sampled_points

__all__ = ["CHECKS", "CrossEntropyGradient", "finite_difference_slope"]

#: Both plots share this x range and width, so a given x sits at the same screen column.
X_MIN, X_MAX = -4.0, 4.0
#: The loss reaches −log σ(−4) ≈ 4.02 at the plot's edge.
LOSS_MAX = 4.5
PLOT_WIDTH = 7.2
TOP_HEIGHT, BOTTOM_HEIGHT = 2.7, 1.8
PLOT_LEFT = -6.5
TOP_ORIGIN_Y, BOTTOM_ORIGIN_Y = -0.05, -3.2
PANEL_LEFT = 1.3
SAMPLES_PER_UNIT = 30
#: The ride with y = 1 starts confidently wrong and ends right; with y = 0 it comes back to here.
RIDE_START, RIDE_TURN, RIDE_END = -3.0, 2.5, 1.5
#: Central-difference step: its error, h²·L‴/6, is below 10⁻⁹, far under the six decimals shown.
FD_STEP = 1e-4
#: The finite-difference check: one row, (x, y) where the tangent stops, so the row is about
#: the slope on screen (a table of several rows at six decimals was more to read than to see).
CHECKS = ((RIDE_END, 0.0),)
TABLE_PLACES = 6
#: Screen length of the tangent segment.
TANGENT_LENGTH = 2.0


def finite_difference_slope(x: float, y: float, h: float = FD_STEP) -> float:
    """Slope of the loss at ``x`` by a central difference, (L(x + h) − L(x − h)) / 2h.

    Computed from ``numerics.bce_with_logits`` alone, so comparing it with
    σ(x) − y checks the chapter's derivation rather than restating it.

    Examples
    --------
    >>> round(finite_difference_slope(0.0, 1.0), 9)
    -0.5
    >>> abs(finite_difference_slope(2.0, 0.0) - float(sigmoid(2.0))) < 1e-8
    True
    """
    ahead, behind = (float(bce_with_logits(x + d, y)) for d in (h, -h))
    return (ahead - behind) / (2 * h)


class CrossEntropyGradient(LectureScene):
    """The loss's tangent slope equals σ(x) − y, for both labels, checked by finite differences.

    Attributes set by ``construct`` (the tests read them): ``top_axes``,
    ``bottom_axes``, ``loss_curves`` (y = 1, y = 0), ``sigma_curve``,
    ``x_tracker``, ``label_tracker``, ``tangent``, ``gap_bar``,
    ``top_names`` (the loss axes' x and L), ``derivation`` (its two lines),
    ``table_values`` (the check's row of DecimalNumbers) and ``check_box``.
    """

    def construct(self) -> None:
        t = self.theme

        # The loss and its two curves, one per label
        title = self.title("The slope of cross-entropy is σ − y")
        self.top_axes, self.bottom_axes = self.get_stacked_axes_pair()
        self.top_names = top_names = self.axis_labels(self.top_axes, "x", "L", y_axis_at=X_MIN)
        loss = self.math(r"L(x) &= -\,y \log \sigma(x) \\ &\quad - (1-y) \log\big(1-\sigma(x)\big)")
        loss.move_to([PANEL_LEFT, 2.3, 0], aligned_edge=LEFT)
        with self.narrate("The cross-entropy loss of a logit x, when the true label is y.") as beat:
            self.play(
                FadeIn(title, shift=0.2 * DOWN),
                Create(self.top_axes),
                FadeIn(top_names),
                run_time=0.4 * beat.duration,
            )
            self.play(Write(loss), run_time=beat.remaining())
        self.loss_curves = VGroup(
            self.get_curve(self.top_axes, lambda x: bce_with_logits(x, 1.0), t.logit),
            self.get_curve(self.top_axes, lambda x: bce_with_logits(x, 0.0), t.step),
        )
        curve_labels = VGroup(
            self.math("y = 1", color=t.logit, size="small").move_to(self.top_axes.c2p(-1.6, 3.6)),
            self.math("y = 0", color=t.step, size="small").move_to(self.top_axes.c2p(1.6, 3.6)),
        )
        with self.narrate("With label 1 it is minus log σ: huge when x is very negative.") as beat:
            self.play(Create(self.loss_curves[0]), FadeIn(curve_labels[0]), run_time=beat.duration)
        with self.narrate("With label 0, the mirror image: minus log of 1 − σ.") as beat:
            self.play(Create(self.loss_curves[1]), FadeIn(curve_labels[1]), run_time=beat.duration)

        # σ below, and the label as a dashed line
        self.sigma_curve = self.get_curve(self.bottom_axes, sigmoid, t.sigma)
        sigma_label = self.math(r"\sigma(x)", color=t.sigma, size="small")
        sigma_label.move_to(self.bottom_axes.c2p(-2.6, 0.55))
        self.x_tracker, self.label_tracker = ValueTracker(RIDE_START), ValueTracker(1.0)
        label_line = self.get_label_line()
        label_tag = self.get_label_tag()
        with self.narrate("Below: σ of x, and the label y = 1, dashed.") as beat:
            self.play(FadeIn(self.bottom_axes, shift=0.2 * UP), run_time=0.3 * beat.duration)
            self.play(
                Create(self.sigma_curve),
                FadeIn(sigma_label),
                Create(label_line),
                FadeIn(label_tag),
                run_time=beat.remaining(),
            )

        # Confidently wrong at x = −3: the tangent is steep
        self.tangent = self.get_riding_tangent()
        rider = self.get_rider()
        slope_row = self.get_readout(
            r"\text{slope} \approx",
            lambda: finite_difference_slope(self.x_tracker.get_value(), self.label_tracker.get_value()),
            t.derivative,
        )
        gap_row = self.get_readout(
            r"\sigma(x) - y =",
            lambda: float(bce_gradient(self.x_tracker.get_value(), self.label_tracker.get_value())),
            t.derivative,
        )
        VGroup(slope_row, gap_row).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(
            loss, DOWN, aligned_edge=LEFT, buff=0.5
        )
        with self.narrate("At x = −3 the model is confidently wrong, and the loss falls steeply.") as beat:
            self.play(Create(self.tangent), FadeIn(rider), run_time=0.5 * beat.duration)
            self.play(FadeIn(slope_row), run_time=beat.remaining())

        # The gap between σ and the label is the slope
        self.gap_bar = self.get_gap_bar()
        with self.narrate("Its slope is the gap from σ up to the label: σ minus y.") as beat:
            self.play(Create(self.gap_bar), FadeIn(gap_row), run_time=beat.duration)
        with self.narrate("Slide along: the two numbers stay equal, and shrink as σ nears 1.") as beat:
            self.play(self.x_tracker.animate.set_value(RIDE_TURN), run_time=beat.duration, rate_func=smooth)

        # Why: the chain rule, in two lines; σ′ = σ(1 − σ) cancels, leaving σ − y
        chain, cancel = self.get_derivation()
        self.derivation = derivation = VGroup(chain, cancel)
        derivation.next_to(gap_row, DOWN, aligned_edge=LEFT, buff=0.45)
        with self.narrate(
            "Why? Chain rule: the loss's slope in σ, times σ′, which is σ(1 − σ).",
            say="Why? The chain rule: the loss's slope in sigma, times sigma prime, "
            "which is sigma times one minus sigma.",
        ) as beat:
            self.play(Write(chain[:3]), run_time=0.45 * beat.duration)
            self.play(Write(chain[3:]), run_time=beat.remaining())
        gradient = cancel[3]
        with self.narrate(
            "Multiply out and it all cancels to σ − y: no σ′ left, so a wrong guess still gets a big slope.",
            say="Multiply out and it all cancels to sigma minus y: no sigma prime left, "
            "so a wrong guess still gets a big slope.",
        ) as beat:
            self.play(Write(cancel[:3]), run_time=0.4 * beat.duration)
            self.play(Write(cancel[3:]), run_time=0.2 * beat.duration)
            self.play(Indicate(gradient, color=t.highlight), run_time=beat.remaining())

        # Label 0: the gap is σ itself, the slope positive
        with self.narrate("Now make the label 0: the gap is σ itself, and the slope turns positive.") as beat:
            self.play(self.label_tracker.animate.set_value(0.0), run_time=0.5 * beat.duration)
            self.play(self.x_tracker.animate.set_value(RIDE_END), run_time=beat.remaining(), rate_func=linear)

        # The chapter's check: central differences against σ(x) − y
        table, self.table_values = self.get_check_table()
        header, rule, rows = table
        step = self.math(rf"h = 10^{{{round(np.log10(FD_STEP))}}}", color=t.muted)
        with self.narrate(
            "Check it numerically: nudge x by h = 10⁻⁴ either way.",
            say="Check it numerically: nudge x by h, ten to the minus four, either way.",
        ) as beat:
            self.play(FadeOut(slope_row, gap_row), run_time=0.3 * beat.duration)
            self.play(
                derivation.animate.next_to(loss, DOWN, aligned_edge=LEFT, buff=0.4),
                run_time=0.3 * beat.duration,
            )
            table.next_to(derivation, DOWN, aligned_edge=LEFT, buff=0.5)
            step.next_to(table, DOWN, aligned_edge=LEFT, buff=0.35)
            self.play(FadeIn(header, step), Create(rule), run_time=beat.remaining())
        self.check_box = SurroundingRectangle(
            rows, color=t.highlight, buff=0.12, stroke_width=t.guide_width * 1.5
        )
        with self.narrate(
            "At the tangent's point, the difference quotient is σ − y to six decimals.",
            say="At the tangent's point, the difference quotient is sigma minus y, to six decimals.",
        ) as beat:
            self.play(FadeIn(rows, shift=0.1 * DOWN), run_time=0.4 * beat.duration)
            self.play(Create(self.check_box), run_time=0.3 * beat.duration)
            self.play(Indicate(rows[0][2:], color=t.highlight, scale_factor=1.05), run_time=beat.remaining())

    # --- axes -------------------------------------------------------------
    def get_stacked_axes_pair(self) -> tuple[Axes, Axes]:
        """The loss's axes (0..4.5 up) and, below on the same x scale, σ's and the label's (0..1 up)."""
        x_numbers = (-3, -2, -1, 0, 1, 2, 3, 4)
        return self.get_stacked_axes(
            (X_MIN, X_MAX, 1),
            x_length=PLOT_WIDTH,
            left=PLOT_LEFT,
            top=StackedPlot((0, LOSS_MAX, 1.0), (0, 2, 4), TOP_HEIGHT, TOP_ORIGIN_Y, x_numbers),
            bottom=StackedPlot((0, 1.0, 0.5), (0, 0.5, 1), BOTTOM_HEIGHT, BOTTOM_ORIGIN_Y, x_numbers),
        )

    # --- curves and moving parts --------------------------------------------
    def get_curve(self, axes: Axes, func: Callable[[np.ndarray], np.ndarray], color: str) -> VMobject:
        """``func`` across the plot as a polyline through numerics samples."""
        curve = VMobject().set_points_as_corners(
            sampled_points(axes, func, X_MIN, X_MAX, per_unit=SAMPLES_PER_UNIT)
        )
        return curve.set_stroke(color, self.theme.curve_width)

    def loss_point(self) -> np.ndarray:
        """Where the rider is: (x, L(x; y)) on the top axes."""
        x, y = self.x_tracker.get_value(), self.label_tracker.get_value()
        return self.top_axes.c2p(x, float(bce_with_logits(x, y)))

    def get_rider(self) -> Dot:
        """A dot on the loss curve at the tracker's x."""
        dot = Dot(self.loss_point(), radius=0.07, color=self.theme.highlight).set_z_index(3)
        return dot.add_updater(lambda d: d.move_to(self.loss_point()))

    def get_riding_tangent(self) -> VMobject:
        """The loss's tangent at the tracker's x, its slope a finite difference, clipped to the plot."""

        def at() -> tuple[float, float, float]:
            x, y = self.x_tracker.get_value(), self.label_tracker.get_value()
            return x, float(bce_with_logits(x, y)), finite_difference_slope(x, y)

        return self.get_tangent(self.top_axes, at, length=TANGENT_LENGTH, rim=True)

    def get_label_line(self) -> VMobject:
        """The label y as a dashed line across σ's plot, following the label tracker."""
        t = self.theme
        axes = self.bottom_axes

        def build() -> DashedLine:
            y = self.label_tracker.get_value()
            line = DashedLine(axes.c2p(X_MIN, y), axes.c2p(X_MAX, y), dash_length=0.1)
            return line.set_stroke(t.text, t.guide_width + 1)

        return always_redraw(build)

    def get_label_tag(self) -> VMobject:
        """ "y" at the right end of the label line, riding up and down with it."""
        tag = self.math("y", size="small", color=self.theme.text)

        def follow(m: VMobject) -> None:
            m.next_to(self.bottom_axes.c2p(X_MAX, self.label_tracker.get_value()), RIGHT, buff=0.15)

        follow(tag)
        return tag.add_updater(follow)

    def get_gap_bar(self) -> VMobject:
        """A bar from σ(x) to the label at the tracker's x: its signed height is σ(x) − y."""
        t = self.theme
        axes = self.bottom_axes

        def build() -> Line:
            x, y = self.x_tracker.get_value(), self.label_tracker.get_value()
            bar = Line(axes.c2p(x, float(sigmoid(x))), axes.c2p(x, y))
            return bar.set_stroke(t.derivative, t.curve_width * 1.4).set_z_index(2)

        return always_redraw(build)

    def get_readout(self, label_tex: str, value: Callable[[], float], color: str) -> VGroup:
        """``label`` followed by a live number; the LaTeX is built once."""
        label = self.math(label_tex, color=color)
        number = LiveNumber(value(), num_decimal_places=3, font_size=label.font_size, color=color)
        number.next_to(label, RIGHT, buff=0.15)
        number.add_updater(lambda m: m.set_value(value()))
        return VGroup(label, number)

    # --- the derivation and the check ----------------------------------------------
    def get_derivation(self) -> tuple[MathTex, MathTex]:
        """The two lines: ∂L/∂x = (−y/σ + (1−y)/(1−σ)) · σ(1−σ), then = −y(1−σ) + (1−y)σ = σ − y.

        The first line's parts are the derivative of L in σ (in the loss's colours, y = 1's
        term and y = 0's) and σ′ (in the slope's colour); the second ends with σ − y.
        """
        t = self.theme
        chain = self.math(
            r"\frac{\partial L}{\partial x} =",
            r"\Big(-\frac{y}{\sigma} + \frac{1-y}{1-\sigma}\Big)",
            r"\cdot",
            r"\sigma(1-\sigma)",
            size="small",
        )
        chain[1].set_color(t.text)
        chain[3].set_color(t.derivative)
        cancel = self.math(r"= -y(1-\sigma)", r"+ (1-y)\,\sigma", r"=", r"\sigma - y", size="small")
        cancel[3].set_color(t.derivative)
        cancel.next_to(chain, DOWN, buff=0.3).align_to(chain[1], LEFT)
        return chain, cancel

    # --- the check ------------------------------------------------------------
    def get_check_table(self) -> tuple[VGroup, list[tuple[DecimalNumber, ...]]]:
        """x, y, the central difference and σ(x) − y for each of ``CHECKS``."""
        t = self.theme
        size = t.small_size * 1.25
        header = VGroup(
            self.math("x", size="small"),
            self.math("y", size="small"),
            self.math(r"\frac{L(x{+}h) - L(x{-}h)}{2h}", size="small", color=t.derivative),
            self.math(r"\sigma(x) - y", size="small", color=t.derivative),
        )
        values = [
            (
                DecimalNumber(x, num_decimal_places=1, font_size=size, color=t.text),
                DecimalNumber(y, num_decimal_places=0, font_size=size, color=t.text),
                DecimalNumber(
                    finite_difference_slope(x, y),
                    num_decimal_places=TABLE_PLACES,
                    font_size=size,
                    color=t.derivative,
                ),
                DecimalNumber(
                    float(bce_gradient(x, y)),
                    num_decimal_places=TABLE_PLACES,
                    font_size=size,
                    color=t.derivative,
                ),
            )
            for x, y in CHECKS
        ]
        columns = np.array([0.0, 0.75, 2.3, 4.3])
        # right edges of the number columns: each under its header, decimal points in line
        right_edges = {2: 3.05, 3: 4.95}
        for j, cell in enumerate(header):
            cell.move_to([columns[j], 0, 0])
        rule_y = header.get_bottom()[1] - 0.12
        rows = VGroup()
        for i, row in enumerate(values):
            y = rule_y - 0.35 - 0.45 * i
            # right-aligned: equal places put the decimal points in line
            row[0].move_to([0, y, 0]).align_to([columns[0] + 0.3, 0, 0], RIGHT)
            row[1].move_to([columns[1], y, 0])
            for j in (2, 3):
                row[j].move_to([columns[j], y, 0]).align_to([right_edges[j], 0, 0], RIGHT)
            rows.add(VGroup(*row))
        rule = Line([header.get_left()[0] - 0.1, rule_y, 0], [header.get_right()[0] + 0.1, rule_y, 0])
        return VGroup(header, rule.set_stroke(t.muted, t.guide_width), rows), values
