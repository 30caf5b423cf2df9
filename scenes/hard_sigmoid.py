"""The hard sigmoid max(0, min(1, x/4 + ½)) against σ: alike in the middle, unlike at the ends.

Storyboard
----------
1. σ on the top axes; then the hard sigmoid h, three straight pieces, with
   its formula in the right-hand column (the chapter's Experiment 2).
2. Where they agree: at 0 both are ½ (a dot), and both climb at slope ¼:
   σ's tangent at 0 lies on h's middle piece.
3. Where they differ: beyond |x| ≥ 2, h is exactly 0 or exactly 1 (shaded
   bands); σ only creeps toward 0 and 1.
4. Their slopes on aligned axes below: σ′, a smooth bump, and h′, ¼ on
   (−2, 2) and 0 outside it: three flat pieces with open ends at x = ±2, where
   h has a corner and h′ does not exist (no vertical sides are drawn there).
5. A probe at x = 3: σ′(3) ≈ 0.045 is small but not zero; h′(3) = 0, so a
   saturated hard-sigmoid unit gets no gradient at all.
6. The largest gap between the curves, 1 − σ(2) ≈ 0.119, at x = ±2 where h
   saturates, found by scanning the numerics on a fine grid.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/hard_sigmoid.py HardSigmoid
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    Axes,
    Circle,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    Line,
    Rectangle,
    VGroup,
    VMobject,
    Write,
)

from lecture.numerics import hard_sigmoid, hard_sigmoid_derivative, sigmoid, sigmoid_derivative
from scenes.common import LectureScene, StackedPlot, decimal_places, sampled_points

__all__ = ["HardSigmoid", "largest_gap"]

#: Both plots share this x range and width, so a given x sits at the same screen column.
X_MIN, X_MAX = -6.0, 6.0
PLOT_WIDTH = 7.7
TOP_HEIGHT, BOTTOM_HEIGHT = 2.6, 1.9
#: Scene x of the plots' left edge; the right-hand column holds formulas and readouts.
PLOT_LEFT = -6.3
PANEL_LEFT = 2.0
TOP_ORIGIN_Y, BOTTOM_ORIGIN_Y = 0.2, -3.25
#: σ′ ≤ ¼, so the slope plot runs 0..0.3.
BOTTOM_Y_MAX = 0.3
#: Where h saturates: x/4 + ½ reaches 0 and 1 at ∓2.
KINK_X = 2.0
#: The hollow dots that end h′'s pieces at the kinks, in scene units (about 8 px across at 480p).
OPEN_END_RADIUS = 0.075
#: The probe where σ′ is small but h′ is zero.
PROBE_X = 3.0
#: Samples per unit of x; h's kinks at ±2 are sample points (40 per unit, starting at −6).
SAMPLES_PER_UNIT = 40
#: The gap is scanned on x = k/1000 over [−8, 8], which holds ±2 exactly.
_GAP_GRID = np.arange(-8000, 8001) / 1000


def largest_gap() -> tuple[float, float]:
    """Where |σ(x) − h(x)| is largest, and how large, scanned on a grid of step 0.001.

    Returns
    -------
    (float, float)
        The largest x ≥ 0 where the gap peaks (the gap is symmetric:
        σ(−x) − h(−x) = −(σ(x) − h(x))), and the gap there.

    Examples
    --------
    >>> x, gap = largest_gap()
    >>> x, round(gap, 4)
    (2.0, 0.1192)
    """
    gap = np.abs(np.asarray(sigmoid(_GAP_GRID)) - np.asarray(hard_sigmoid(_GAP_GRID)))
    i = int(np.flatnonzero(gap == gap.max())[-1])
    return float(_GAP_GRID[i]), float(gap[i])


class HardSigmoid(LectureScene):
    """σ against its piecewise-linear imitation: values, slopes and the largest gap.

    Attributes set by ``construct`` (the tests read them): ``top_axes``,
    ``bottom_axes``, the four curves ``sigma_curve``, ``hard_curve``,
    ``sigma_slope``, ``hard_slope``, and ``gap`` (x, size) with its readout.
    """

    def construct(self) -> None:
        t = self.theme

        # σ on the top axes
        title = self.title("The hard sigmoid")
        self.top_axes, self.bottom_axes = self.get_stacked_axes_pair()
        self.sigma_curve = self.get_curve(self.top_axes, sigmoid, t.sigma)
        sigma_label = self.math(r"\sigma(x)", color=t.sigma).move_to(self.top_axes.c2p(-4.2, 0.45))
        with self.narrate("Here is σ again, the smooth S.") as beat:
            self.play(FadeIn(title, shift=0.2 * DOWN), Create(self.top_axes), run_time=0.4 * beat.duration)
            self.play(Create(self.sigma_curve), FadeIn(sigma_label), run_time=beat.remaining())

        # The hard sigmoid: three straight pieces, and its formula
        self.hard_curve = self.get_curve(self.top_axes, hard_sigmoid, t.step).set_z_index(1)
        hard_label = self.math("h(x)", color=t.step).move_to(self.top_axes.c2p(4.2, 0.6))
        formula = self.math(r"h(x) = \max\!\big(0,\ \min(1,\ \tfrac{x}{4} + \tfrac12)\big)", size="small")
        formula.set_color(t.step).move_to([PANEL_LEFT, 2.55, 0], aligned_edge=LEFT)
        with self.narrate("And a cheap imitation made of straight lines: the hard sigmoid.") as beat:
            self.play(Create(self.hard_curve), FadeIn(hard_label), run_time=0.55 * beat.duration)
            self.play(Write(formula), run_time=beat.remaining())

        # Where they agree: the value ½ at 0 …
        centre = Dot(self.top_axes.c2p(0, float(sigmoid(0.0))), radius=0.08, color=t.highlight).set_z_index(3)
        agree_value = self.math(r"\sigma(0) = h(0) = \tfrac12", size="small")
        agree_value.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.35)
        with self.narrate("In the middle they agree: at 0, both are one half.") as beat:
            self.play(
                FadeIn(centre, scale=0.5), Flash(centre, color=t.highlight), run_time=0.5 * beat.duration
            )
            self.play(FadeIn(agree_value), run_time=beat.remaining())

        # … and the slope ¼: σ's tangent at 0 is h's middle piece
        tangent = self.get_tangent_at_zero()
        agree_slope = self.math(r"\sigma'(0) = h'(0) = \tfrac14", size="small")
        agree_slope.next_to(agree_value, DOWN, aligned_edge=LEFT, buff=0.25)
        with self.narrate(
            "They climb at the same slope, a quarter: h's middle piece is σ's tangent at 0."
        ) as beat:
            self.play(Create(tangent), run_time=0.45 * beat.duration)
            self.play(
                FadeIn(agree_slope),
                Indicate(tangent, color=t.highlight, scale_factor=1),
                run_time=beat.remaining(),
            )

        # Where they differ: beyond ±2 h is exactly 0 or 1
        bands = self.get_saturation_bands()
        with self.narrate(
            "Past ±2 they part: h is exactly 0 or exactly 1, while σ only creeps closer."
        ) as beat:
            self.play(FadeOut(tangent), FadeIn(bands), run_time=0.5 * beat.duration)
            self.play(Indicate(self.hard_curve, color=t.highlight, scale_factor=1), run_time=beat.remaining())

        # Their slopes below, on the same x scale
        self.sigma_slope = self.get_curve(self.bottom_axes, sigmoid_derivative, t.sigma)
        self.hard_slope = self.get_hard_slope()
        slope_labels = VGroup(
            self.math(r"\sigma'", color=t.sigma, size="small").move_to(self.bottom_axes.c2p(-1.3, 0.12)),
            self.math(r"h'", color=t.step, size="small").next_to(
                self.bottom_axes.c2p(-KINK_X, 0.25), UL, buff=0.1
            ),
        )
        with self.narrate(
            "Their slopes below: σ′ a smooth bump; h′ is ¼ inside ±2, 0 outside, and undefined at the kinks."
        ) as beat:
            self.play(FadeIn(self.bottom_axes, shift=0.2 * UP), run_time=0.3 * beat.duration)
            self.play(
                Create(self.sigma_slope),
                Create(self.hard_slope),
                FadeIn(slope_labels),
                run_time=beat.remaining(),
            )

        # The probe at x = 3: a small gradient against none at all
        probe = self.get_probe(PROBE_X)
        self.probe_readouts = readouts = self.get_probe_readouts(PROBE_X).next_to(
            agree_slope, DOWN, aligned_edge=LEFT, buff=0.45
        )
        with self.narrate("At x = 3, σ still passes back a small gradient.") as beat:
            self.play(Create(probe[0]), FadeIn(probe[1]), run_time=0.5 * beat.duration)
            self.play(FadeIn(readouts[0]), run_time=beat.remaining())
        with self.narrate("h passes back exactly zero: a saturated unit stops learning.") as beat:
            self.play(FadeIn(probe[2], scale=0.5), FadeIn(readouts[1]), run_time=0.5 * beat.duration)
            self.play(Indicate(readouts[1], color=t.highlight), run_time=beat.remaining())

        # The largest gap: at ±2, where h saturates
        self.gap = largest_gap()
        gap_marks = self.get_gap_marks(*self.gap)
        self.gap_readout = self.get_gap_readout(*self.gap).next_to(
            readouts, DOWN, aligned_edge=LEFT, buff=0.45
        )
        with self.narrate("They are furthest apart at ±2, where h hits its limit.") as beat:
            self.play(FadeOut(probe[0]), Create(gap_marks), run_time=0.5 * beat.duration)
            self.play(FadeIn(self.gap_readout), run_time=beat.remaining())
        with self.narrate("Cheap, and close to σ, but with no gradient once it saturates.") as beat:
            self.play(
                Indicate(self.gap_readout, color=t.highlight),
                Indicate(readouts[1], color=t.highlight),
                run_time=beat.duration,
            )

    # --- axes -------------------------------------------------------------
    def get_stacked_axes_pair(self) -> tuple[Axes, Axes]:
        """σ and h above (0..1 up); σ′ and h′ below on the same x scale (0..0.3 up, ¼ labelled)."""
        x_numbers = range(-6, 7, 2)
        return self.get_stacked_axes(
            (X_MIN, X_MAX, 1),
            x_length=PLOT_WIDTH,
            left=PLOT_LEFT,
            top=StackedPlot((0, 1.0, 0.5), (0, 0.5, 1), TOP_HEIGHT, TOP_ORIGIN_Y, x_numbers),
            bottom=StackedPlot((0, BOTTOM_Y_MAX, 0.05), (0, 0.25), BOTTOM_HEIGHT, BOTTOM_ORIGIN_Y, x_numbers),
        )

    # --- curves -----------------------------------------------------------
    def get_curve(self, axes: Axes, func: Callable[[np.ndarray], np.ndarray], color: str) -> VMobject:
        """``func`` over the whole plot as a polyline through numerics samples."""
        curve = VMobject().set_points_as_corners(
            sampled_points(axes, func, X_MIN, X_MAX, per_unit=SAMPLES_PER_UNIT)
        )
        return curve.set_stroke(color, self.theme.curve_width)

    def get_hard_slope(self) -> VGroup:
        """h′ on the slope plot: 0, ¼ and 0 on the three open intervals between the kinks, with open ends.

        At x = ±2 h has a corner and h′ does not exist, so no vertical side is
        drawn there: each piece stops short of the kink, sampled from the
        numerics on its open interval, and hollow dots at (±2, 0) and (±2, ¼)
        mark the ends the pieces approach but do not reach. The pieces are
        ``pieces``, the dots ``open_ends``.
        """
        t = self.theme
        axes = self.bottom_axes
        eps = 1e-9  # inside the open interval: hard_sigmoid_derivative(±2) itself is 0
        bounds = (X_MIN, -KINK_X, KINK_X, X_MAX)
        pieces = VGroup()
        for x0, x1 in itertools.pairwise(bounds):
            lo, hi = (x0 + eps if x0 != X_MIN else x0), (x1 - eps if x1 != X_MAX else x1)
            points = sampled_points(axes, hard_sigmoid_derivative, lo, hi, per_unit=SAMPLES_PER_UNIT)
            pieces.add(VMobject().set_points_as_corners(points).set_stroke(t.step, t.curve_width))
        open_ends = VGroup()
        for kink in (-KINK_X, KINK_X):
            for side in (-eps, eps):
                height = float(hard_sigmoid_derivative(kink + side))
                end = Circle(radius=OPEN_END_RADIUS).move_to(axes.c2p(kink, height))
                open_ends.add(end.set_fill(t.background, opacity=1).set_stroke(t.step, t.curve_width * 0.7))
        slope = VGroup(pieces.set_z_index(1), open_ends.set_z_index(2))
        slope.pieces, slope.open_ends = pieces, open_ends
        return slope

    def get_tangent_at_zero(self) -> VMobject:
        """σ's tangent at 0, slope σ′(0), a thin bright line a little longer than h's middle piece.

        Drawn over the piece in the highlight colour (σ′'s own red is too close
        to h's orange to tell apart), and overshooting its ends (x = ±2.4), so it
        reads as a line of its own that happens to lie on the piece.
        """
        s0, slope = float(sigmoid(0.0)), float(sigmoid_derivative(0.0))
        reach = KINK_X * 1.2
        start, end = (self.top_axes.c2p(x, s0 + slope * x) for x in (-reach, reach))
        length = float(np.linalg.norm(end - start))  # on screen, from x = −2.4 to 2.4
        return self.get_tangent(
            self.top_axes, (0.0, s0, slope), length=length, color=self.theme.highlight, width=0.5
        )

    # --- annotations --------------------------------------------------------
    def get_saturation_bands(self) -> VGroup:
        """Soft bands over |x| ≥ 2 on the top plot, labelled with h's exact value there."""
        t = self.theme
        axes = self.top_axes
        bands = VGroup()
        for x0, x1, value in ((X_MIN, -KINK_X, "h = 0"), (KINK_X, X_MAX, "h = 1")):
            corner0, corner1 = axes.c2p(x0, 0), axes.c2p(x1, 1)
            band = Rectangle(width=corner1[0] - corner0[0], height=corner1[1] - corner0[1])
            band.move_to((corner0 + corner1) / 2).set_fill(t.step, opacity=0.1).set_stroke(width=0)
            label = self.math(r"\text{exactly } " + value, size="small", color=t.step)
            # inside the band, on the side away from the curve
            label.move_to(axes.c2p((x0 + x1) / 2, 0.85 if x0 < 0 else 0.15))
            bands.add(band, label)
        return bands

    def get_probe(self, x: float) -> VGroup:
        """A dashed line down both plots at ``x``, with a dot on σ′ and one on h′ there."""
        t = self.theme
        top, bottom = self.top_axes, self.bottom_axes
        line = DashedLine(top.c2p(x, 1), bottom.c2p(x, 0), dash_length=0.08).set_stroke(
            t.muted, t.guide_width
        )
        sigma_dot = Dot(bottom.c2p(x, float(sigmoid_derivative(x))), radius=0.07, color=t.highlight)
        hard_dot = Dot(bottom.c2p(x, float(hard_sigmoid_derivative(x))), radius=0.07, color=t.highlight)
        return VGroup(line, sigma_dot.set_z_index(3), hard_dot.set_z_index(3))

    def get_probe_readouts(self, x: float) -> VGroup:
        """σ′(x) and h′(x) written out, each in its curve's colour."""
        t = self.theme
        rows = VGroup()
        for tex, value, places, color in (
            (rf"\sigma'({x:g}) =", float(sigmoid_derivative(x)), 3, t.sigma),
            # h′ is exactly 0 there: written as 0, not 0.000, which would read as rounded
            (
                rf"h'({x:g}) =",
                float(hard_sigmoid_derivative(x)),
                decimal_places(float(hard_sigmoid_derivative(x))),
                t.step,
            ),
        ):
            label = self.math(tex, size="small", color=color)
            number = DecimalNumber(value, num_decimal_places=places, font_size=label.font_size, color=color)
            rows.add(VGroup(label, number.next_to(label, RIGHT, buff=0.15)))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.25)

    def get_gap_marks(self, x: float, gap: float) -> VGroup:
        """Vertical segments between σ and h at ±x, the largest gap."""
        t = self.theme
        marks = VGroup()
        for at in (-x, x):
            line = Line(
                self.top_axes.c2p(at, float(sigmoid(at))), self.top_axes.c2p(at, float(hard_sigmoid(at)))
            )
            marks.add(line.set_stroke(t.highlight, t.curve_width * 1.2).set_z_index(2))
        size = DecimalNumber(gap, num_decimal_places=3, font_size=self.tick_font_size, color=t.highlight)
        # below and right of the mark at +x: clear of σ, h = 1 and the band's label
        marks.add(size.next_to(marks[-1], DR, buff=0.08))
        return marks

    def get_gap_readout(self, x: float, gap: float) -> VGroup:
        """The largest gap as a number, |σ − h| at x = ±2, under a one-line heading."""
        t = self.theme
        heading = self.text(f"largest gap, at x = ±{x:g}", size="small", color=t.highlight)
        label = self.math(rf"|\sigma({x:g}) - h({x:g})| =", size="small", color=t.highlight)
        number = DecimalNumber(gap, num_decimal_places=3, font_size=label.font_size, color=t.highlight)
        row = VGroup(label, number.next_to(label, RIGHT, buff=0.15))
        return VGroup(heading, row).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
