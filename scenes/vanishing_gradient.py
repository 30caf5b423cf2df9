"""Why gradients vanish in a deep chain of sigmoids: every layer multiplies by σ′ ≤ ¼.

Storyboard: eight sigmoid units in a row, the input x on the left and the
loss L on the right. A pulse runs back along the chain, from L towards x: the
gradient of training. The chain rule is written out with the weights,
∂a₈/∂a₀ = w₈σ′(z₈)⋯w₁σ′(z₁), with σ′ ≤ σ′(0) = ¼ beside it. Below, a bar
chart on a log scale gets one bar per node of the chain, standing under it:
how big the gradient still is after passing back n layers. Best case first,
all weights 1 and every unit at z = 0: "×¼" appears under each unit as the
pulse passes it and the bars step down evenly, a straight line on the log
scale, the bound 4⁻ⁿ, ending at 4⁻⁸ ≈ 1.5·10⁻⁵. Could bigger weights make up
for the quarter? A layer fed a = ½ has z = w/2: its factor w·σ′(w/2) is 0.24
at w = 1, 0.42 at w = 4, but only 0.07 at w = 10, because a large weight
pushes z out where σ is flat. So the units saturate (their inputs z, about
±3, are written above them): a second row of bars drops far faster, to
about 4·10⁻¹¹. The first layers, which would need the gradient most, are
marked: they barely learn.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/vanishing_gradient.py VanishingGradient
"""

from __future__ import annotations

import itertools

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    Line,
    MathTex,
    MoveAlongPath,
    Rectangle,
    RoundedRectangle,
    Succession,
    SurroundingRectangle,
    VGroup,
    Write,
    linear,
)

from lecture.numerics import sigmoid_chain_gradient, sigmoid_derivative
from scenes.common import LectureScene

__all__ = ["BEST_Z", "LAYERS", "SATURATED_Z", "VanishingGradient", "log_heights", "scientific"]

#: Units in the chain.
LAYERS = 8
#: Best case: every unit sits at its steepest point, where σ′ = ¼.
BEST_Z = (0.0,) * LAYERS
#: Saturated units: inputs out near ±3, where σ is nearly flat (σ′ between 0.03 and 0.1).
SATURATED_Z = (2.5, -3.0, 3.5, -2.0, 3.0, -3.5, 2.5, -3.0)
#: Screen columns: node j of the chain (a_j, between unit j and unit j + 1) stands at NODE_X0 + j·SPACING.
NODE_X0 = -5.0
SPACING = 1.3
#: The chart's log scale runs from 10^LOG_MIN up to 10^LOG_MAX; above 10^0 is headroom for the legend.
LOG_MIN = -12
LOG_MAX = 1.5
CHART_TOP = 0.0
CHART_BOTTOM = -3.0
FORMULA_Y = 0.85
#: Each node gets two bars side by side: best case on the left, saturated on the right.
BAR_WIDTH = 0.36
BAR_GAP = 0.06
CHAIN_Y = 2.2
#: The weights' beat: one layer fed a = ½ (σ(0)), its factor w·σ′(w·a) for growing w.
WEIGHT_DEMO_A = 0.5
WEIGHTS_SHOWN = (1.0, 4.0, 10.0)


def weight_factor(w: float, a: float = WEIGHT_DEMO_A) -> float:
    """One layer's factor w·σ′(z) when its input is ``a`` and z = w·a, from :func:`sigmoid_chain_gradient`.

    Examples
    --------
    >>> round(weight_factor(1.0), 4), round(weight_factor(4.0), 4), round(weight_factor(10.0), 4)
    (0.235, 0.42, 0.0665)
    """
    return float(sigmoid_chain_gradient(np.array([w * a]), np.array([w]))[0])


def log_heights(pre_activations: tuple[float, ...]) -> np.ndarray:
    """log₁₀ of the gradient reaching each node a₀ … a₈, from :func:`sigmoid_chain_gradient`.

    Examples
    --------
    >>> log_heights((0.0, 0.0)).round(3).tolist()
    [-1.204, -0.602, 0.0]
    """
    return np.log10(sigmoid_chain_gradient(np.asarray(pre_activations)))


def scientific(value: float) -> str:
    r"""``value`` as LaTeX in the form a·10^b, with one decimal.

    Examples
    --------
    >>> scientific(1.52587890625e-05), scientific(3.85e-11)
    ('1.5 \\cdot 10^{-5}', '3.9 \\cdot 10^{-11}')
    """
    exponent = int(np.floor(np.log10(value)))
    mantissa = value / 10.0**exponent
    return rf"{mantissa:.1f} \cdot 10^{{{exponent}}}"


def unicode_scientific(value: float) -> str:
    """``value`` for a caption, e.g. "3.9 × 10⁻¹¹".

    Examples
    --------
    >>> unicode_scientific(3.85e-11)
    '3.9 × 10⁻¹¹'
    """
    exponent = int(np.floor(np.log10(value)))
    power = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{value / 10.0**exponent:.1f} × 10{power}"


def spoken_scientific(value: float) -> str:
    """``value`` as a narrator reads it, e.g. "1.5 times 10 to the minus 5".

    Examples
    --------
    >>> spoken_scientific(3.85e-11)
    '3.9 times 10 to the minus 11'
    """
    exponent = int(np.floor(np.log10(value)))
    return f"{value / 10.0**exponent:.1f} times 10 to the minus {-exponent}"


class VanishingGradient(LectureScene):
    """A chain of eight sigmoid units and the gradient shrinking back through it, on a log scale.

    After ``construct()``: ``self.chart`` maps (node j, log₁₀ gradient) to the
    screen; ``self.best_bars`` and ``self.saturated_bars`` hold one bar per
    node, ``self.bound`` is the dashed line 4^−(8−j) and ``self.units`` the
    chain's boxes.
    """

    def construct(self) -> None:
        t = self.theme
        best = log_heights(BEST_Z)
        saturated = log_heights(SATURATED_Z)

        # The chain: x through eight sigmoid units to the loss
        title = self.title("Vanishing gradients")
        self.units, arrows, ends = self.get_chain()
        with self.narrate("Stack sigmoid units into a chain, each one feeding the next.") as beat:
            self.play(FadeIn(title), FadeIn(ends[0]), run_time=0.2 * beat.duration)
            self.play(
                Succession(
                    *(AnimationGroup(Create(a), FadeIn(u)) for a, u in zip(arrows, self.units, strict=False)),
                    AnimationGroup(Create(arrows[-1]), FadeIn(ends[1])),
                ),
                run_time=beat.remaining(),
            )

        # Training sends the gradient backwards, from L to x
        # The pulse runs through the units themselves: the gradient passes each one
        path = Line(ends[1].get_center(), ends[0].get_center())
        back_label = self.text("gradient", size="small", color=t.highlight)
        back_label.next_to(ends[1], UP, buff=0.15).align_to(ends[1], RIGHT)
        with self.narrate("Training sends a gradient back through it, from the loss to the input.") as beat:
            self.play(FadeIn(back_label), run_time=0.2 * beat.duration)
            self.play(self.pulse(path), run_time=beat.remaining())

        # The chain rule: one factor w·σ′ per layer, the weight included
        rule = self.math(r"\partial a_8 / \partial a_0 = w_8\,\sigma'(z_8)\cdots w_1\,\sigma'(z_1)")
        cap = self.math(r"\sigma'(z) \le \sigma'(0) = \tfrac14", color=t.derivative)
        # The cap on the left, over the first units: the weights' line and the verdict take its place
        VGroup(cap, rule).arrange(RIGHT, buff=0.9).move_to([0, FORMULA_Y, 0])
        with self.narrate(
            "By the chain rule, each layer multiplies it by its weight times its σ′."
        ) as beat:
            self.play(Write(rule), run_time=0.7 * beat.duration)
        with self.narrate("And σ′ is never more than a quarter, reached only at z = 0.") as beat:
            self.play(FadeIn(cap, shift=0.2 * LEFT), run_time=0.5 * beat.duration)

        # Best case: every unit at z = 0, and the gradient a quarter as big per layer
        self.chart = self.get_chart()
        self.best_bars = self.get_bars(best, t.derivative, side=-1)
        quarters = self.get_factor_labels([r"\times\tfrac14"] * LAYERS, t.derivative)
        with self.narrate(
            "Best case, all weights 1 and every unit at z = 0: each layer cuts the gradient to a quarter."
        ) as beat:
            self.play(FadeIn(self.chart), run_time=0.2 * beat.duration)
            self.play(
                self.pulse(path),
                self.grow_back(self.best_bars, quarters),
                run_time=beat.remaining(),
            )

        # The bound: a straight line on the log scale, 4^-n after n layers
        self.bound = self.get_bound(best)
        n_label = self.math(r"4^{-n}", color=t.derivative).next_to(self.bound.get_end(), UP, buff=0.15)
        legend = self.get_legend(10 ** best[0], 10 ** saturated[0])
        with self.narrate(
            f"After n layers, at most 4 to the minus n: after eight, {10 ** best[0]:.6f}.",
            say=f"After n layers, at most 4 to the minus n: after eight, {spoken_scientific(10 ** best[0])}.",
        ) as beat:
            self.play(Create(self.bound), FadeIn(n_label), run_time=0.5 * beat.duration)
            self.play(FadeIn(legend[0], shift=0.1 * UP), run_time=0.25 * beat.duration)

        # Bigger weights? z = w·a grows with w, and w·σ′(w·a) falls: large weights saturate σ
        weight_head, weight_values = self.get_weight_factors()
        with self.narrate(
            "Could bigger weights make up for the quarter? They push z = w·a away from 0.",
            say="Could bigger weights make up for the quarter? They push z, which is w times a, away from 0.",
        ) as beat:
            # The rule steps right, to make room at the left for the factors
            VGroup(weight_head, weight_values).align_to(ends[0], LEFT).set_y(FORMULA_Y - 0.1)
            self.play(
                FadeOut(cap),
                rule.animate.align_to(ends[1], RIGHT),
                FadeIn(weight_head, shift=0.2 * LEFT),
                run_time=0.4 * beat.duration,
            )
        w4, w10 = (weight_factor(w) for w in (4.0, 10.0))
        with self.narrate(
            f"With a = ½, w = 4 keeps {w4:.2f}, but w = 10 only {w10:.2f}: large weights saturate σ.",
            say=f"With a equal to one half, w equals 4 keeps {w4:.2f}, but w equals 10 only {w10:.2f}: "
            "large weights saturate sigma.",
        ) as beat:
            self.play(Write(weight_values), run_time=0.6 * beat.duration)

        # Saturated units: inputs near ±3, where σ is flat
        z_labels = self.get_z_labels()
        with self.narrate("So let the units saturate: each input z is about ±3, where σ is flat.") as beat:
            self.play(FadeOut(quarters), FadeOut(back_label), run_time=0.2 * beat.duration)
            self.play(FadeIn(z_labels, lag_ratio=0.1), run_time=0.5 * beat.duration)
        self.saturated_bars = self.get_bars(saturated, t.step, side=1)
        factors = self.get_factor_labels(
            [rf"\times{float(f):.2f}" for f in sigmoid_derivative(np.asarray(SATURATED_Z))], t.step
        )
        with self.narrate(
            "Each layer now keeps only 3 to 10 percent: after eight, about "
            f"{unicode_scientific(10 ** saturated[0])}.",
            say=f"Each layer now keeps only 3 to 10 percent: after eight, about "
            f"{spoken_scientific(10 ** saturated[0])}.",
        ) as beat:
            self.play(
                self.pulse(path),
                self.grow_back(self.saturated_bars, factors),
                run_time=0.8 * beat.duration,
            )
            self.play(FadeIn(legend[1], shift=0.1 * UP), run_time=beat.remaining())

        # The vanishing gradient: the first layers barely learn
        # The first three units with their z above and factors below, so the box cuts through no label
        first = VGroup(*self.units[:3], *z_labels[1:4], *factors[:3])
        box = SurroundingRectangle(first, color=t.highlight, buff=0.08, stroke_width=t.guide_width)
        verdict = self.text("the first layers barely learn", size="small", color=t.highlight)
        verdict.move_to(cap).align_to(ends[0], LEFT)
        with self.narrate("That is the vanishing gradient: the first layers barely learn.") as beat:
            self.play(FadeOut(weight_head, weight_values), run_time=0.25 * beat.duration)
            self.play(Create(box), FadeIn(verdict), run_time=0.35 * beat.duration)
            self.play(
                Indicate(VGroup(*self.saturated_bars[:3]), color=t.highlight, scale_factor=1.05),
                run_time=beat.remaining(),
            )

    # --- moving parts --------------------------------------------------------
    def pulse(self, path: Line) -> Succession:
        """A highlight dot running along ``path`` (from the loss back to x), then gone."""
        dot = Dot(path.get_start(), radius=0.09, color=self.theme.highlight).set_z_index(3)
        return Succession(MoveAlongPath(dot, path, rate_func=linear), remover=True)

    def grow_back(self, bars: VGroup, labels: VGroup) -> Succession:
        """Bars rise node by node from the output back to x; each unit's factor shows as it is passed."""
        steps = [GrowFromEdge(bars[LAYERS], DOWN)]
        for j in range(LAYERS - 1, -1, -1):
            steps.append(AnimationGroup(FadeIn(labels[j], shift=0.1 * DOWN), GrowFromEdge(bars[j], DOWN)))
        return Succession(*steps)

    # --- builders --------------------------------------------------------------
    def node_x(self, j: float) -> float:
        """Screen x of node j (a_j); unit i sits halfway between nodes i − 1 and i."""
        return NODE_X0 + j * SPACING

    def get_chain(self) -> tuple[VGroup, VGroup, VGroup]:
        """Units σ (boxes), the arrows between them, and the two ends x and L."""
        t = self.theme
        units = VGroup()
        for i in range(1, LAYERS + 1):
            box = RoundedRectangle(width=0.72, height=0.62, corner_radius=0.1).set_stroke(
                t.sigma, t.axis_width
            )
            label = self.math(r"\sigma", color=t.sigma)
            units.add(VGroup(box, label).move_to([self.node_x(i - 0.5), CHAIN_Y, 0]))
        start = self.math("x").move_to([self.node_x(0) - 0.55, CHAIN_Y, 0])
        end = self.math("L").move_to([self.node_x(LAYERS) + 0.55, CHAIN_Y, 0])
        stops = [start, *units, end]
        arrows = VGroup(
            *(
                Arrow(
                    a.get_right(), b.get_left(), buff=0.06, stroke_width=t.axis_width, tip_length=0.14
                ).set_color(t.muted)
                for a, b in itertools.pairwise(stops)
            )
        )
        return units, arrows, VGroup(start, end)

    def get_chart(self) -> Axes:
        """Nodes 0..8 across (under the chain), log₁₀ of the gradient up, labelled as powers of 10."""
        t = self.theme
        chart = self.make_axes(
            (-0.5, LAYERS + 0.5, 1),
            (LOG_MIN, LOG_MAX, 3),
            x_length=SPACING * (LAYERS + 1),
            y_length=CHART_TOP - CHART_BOTTOM,
        )
        chart.shift(np.array([self.node_x(0), CHART_BOTTOM, 0.0]) - chart.c2p(0, LOG_MIN))
        chart.x_axis.set_stroke(opacity=0)  # the baseline is drawn at the bottom instead
        chart.y_axis.set_stroke(opacity=0)
        left, right = chart.c2p(-0.5, 0)[0], chart.c2p(LAYERS + 0.5, 0)[0]
        top = chart.c2p(0, LOG_MAX)[1]
        marks = VGroup(
            Line([left, CHART_BOTTOM, 0], [right, CHART_BOTTOM, 0]).set_stroke(t.muted, t.axis_width)
        )
        marks.add(Line([left, CHART_BOTTOM, 0], [left, top, 0]).set_stroke(t.muted, t.axis_width))
        for power in range(0, LOG_MIN - 1, -3):
            y = chart.c2p(0, power)[1]
            label = self.math("1" if power == 0 else f"10^{{{power}}}", size="small", color=t.muted)
            marks.add(label.next_to([left, y, 0], LEFT, buff=0.12))
            if power > LOG_MIN:
                marks.add(
                    DashedLine([left, y, 0], [right, y, 0], dash_length=0.08).set_stroke(
                        t.grid, t.guide_width
                    )
                )
        for j in range(LAYERS + 1):
            n = self.math(str(LAYERS - j), size="small", color=t.muted)
            marks.add(n.next_to(chart.c2p(j, LOG_MIN), DOWN, buff=0.12))
        caption = self.text("layers passed back, n", size="small", color=t.muted)
        caption.next_to(chart.c2p(LAYERS / 2, LOG_MIN), DOWN, buff=0.45)
        marks.add(caption)
        chart.add(marks)
        return chart

    def get_bars(self, heights: np.ndarray, color: str, *, side: int) -> VGroup:
        """One bar per node, from the floor up to log₁₀ of its gradient; ``side`` −1 left, +1 right."""
        bars = VGroup()
        for j, h in enumerate(heights):
            floor, top = self.chart.c2p(j, LOG_MIN), self.chart.c2p(j, h)
            bar = Rectangle(width=BAR_WIDTH, height=max(top[1] - floor[1], 1e-3))
            bar.set_fill(color, opacity=0.85).set_stroke(width=0)
            bar.move_to(floor, aligned_edge=DOWN).shift(side * (BAR_WIDTH + BAR_GAP) / 2 * RIGHT)
            bars.add(bar)
        return bars

    def get_bound(self, best: np.ndarray) -> DashedLine:
        """The bound 4^−n through the best case's bar tops: a straight line on a log scale."""
        shift = -(BAR_WIDTH + BAR_GAP) / 2 * RIGHT
        start, end = self.chart.c2p(0, best[0]) + shift, self.chart.c2p(LAYERS, best[-1]) + shift
        return DashedLine(start, end, dash_length=0.1).set_stroke(self.theme.text, self.theme.guide_width)

    def get_legend(self, best_end: float, saturated_end: float) -> VGroup:
        """Two rows, swatch and what is left after eight layers, in the chart's empty top left."""
        t = self.theme
        rows = VGroup()
        for color, tex in (
            (t.derivative, r"\sigma' = 1/4:\ " + scientific(best_end)),
            (t.step, r"\text{saturated}:\ " + scientific(saturated_end)),
        ):
            swatch = Rectangle(width=0.22, height=0.22).set_fill(color, 0.85).set_stroke(width=0)
            rows.add(VGroup(swatch, self.math(tex, size="small", color=color)).arrange(RIGHT, buff=0.15))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        # Above the bound line, which is lowest on the left
        return rows.next_to(self.chart.c2p(-0.4, LOG_MAX), DR, buff=0.05)

    def get_factor_labels(self, tex: list[str], color: str) -> VGroup:
        """Under each unit, the factor it multiplies the gradient by, at label size: readable at 480p."""
        labels = VGroup()
        for unit, factor in zip(self.units, tex, strict=True):
            labels.add(self.math(factor, color=color).next_to(unit, DOWN, buff=0.12))
        return labels

    def get_weight_factors(self) -> tuple[MathTex, MathTex]:
        """One layer's factor w·σ′(w·a) at a = ½ and, shown a beat later, its values for w = 1, 4 and 10."""
        t = self.theme
        head = self.math(r"w\,\sigma'(w/2):", color=t.derivative)
        pairs = [rf"{w:g} \to {weight_factor(w):.2f}" for w in WEIGHTS_SHOWN]
        values = self.math(r"w = " + r",\ ".join(pairs), color=t.derivative)
        # Two lines, the values under the factor: one line would run into the chain rule beside it
        VGroup(head, values).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return head, values

    def get_z_labels(self) -> VGroup:
        """Above each unit, its input z (saturated: out near ±3)."""
        t = self.theme
        labels = VGroup()
        for unit, z in zip(self.units, SATURATED_Z, strict=True):
            labels.add(self.math(f"{z:+g}", size="small", color=t.step).next_to(unit, UP, buff=0.1))
        head = self.math("z:", size="small", color=t.step).next_to(labels[0], LEFT, buff=0.35)
        return VGroup(head, *labels)
