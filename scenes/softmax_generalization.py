"""Softmax: the sigmoid generalised to K classes.

Storyboard: three panels of bars side by side. Three scores z = (2, 1, −1),
one per class, one of them negative; exponentiating turns them into three
positive bars e^z, and a fourth, stacked bar beside them is their sum;
dividing by that sum gives three probabilities, and their stacked bar reaches
exactly 1. The formula softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ sums it up. Then the
largest score m = 2 is subtracted from every score: the score bars slide down,
the exponential bars shrink (the largest to exactly 1), and the probability
bars stay put, because e^−m cancels top and bottom. Why bother: scores near
1000 make e^z overflow to ∞ and the naive answer ∞/∞ is nan, while the shifted
scores are the very bars on screen, with the same finite probabilities.
Finally two classes: the first probability of softmax(a, b) is σ(a − b); the
top of its bar, carried across at the same height, lands on the σ curve at the
score gap a − b, and as b changes the point runs along the sigmoid.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/softmax_generalization.py SoftmaxGeneralization
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    GrowFromEdge,
    Indicate,
    Line,
    Polygon,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

from lecture.numerics import sigmoid, softmax, softmax_terms
from scenes.common import LectureScene, LiveNumber

__all__ = ["SoftmaxGeneralization", "number_tex"]

# --- the numbers -------------------------------------------------------------
#: Three classes' scores: one negative, so exponentiation visibly makes it positive.
SCORES = (2.0, 1.0, -1.0)
#: The same gaps shifted up by 998: e^z overflows float64 (past about e^709.78).
BIG_SCORES = (1000.0, 999.0, 997.0)
#: The overflow table (naive and shifted scores, above the panels): gaps between its rows and columns.
OVERFLOW_ROW_GAP = 0.35
OVERFLOW_COLUMN_GAP = 0.45
#: How long the bars are held once the max shift has settled, inside its beat.
SETTLE_SECONDS = 0.8
#: Two classes: a stays, b moves from B_START to B_END, so the gap a − b runs −1 → 2.
A_SCORE = 1.0
B_START, B_END = 2.0, -1.0

# --- the three-panel layout (scene units) ------------------------------------
PANEL_WIDTH = 3.0
PANEL_HEIGHT = 3.8
PANEL_BOTTOM = -2.75
PANEL_CENTERS = (-4.75, 0.0, 4.75)
#: Bars sit at x = 1, 2, 3 of each panel; the stacked sum at SUM_SLOT.
SLOTS = (1.0, 2.0, 3.0)
#: The arrows between panels run at this fraction of their height, clear of the tick labels.
ARROW_HEIGHT = 0.3
SUM_SLOT = 4.4
BAR_WIDTH = 0.62  # in slot units
SCORE_Y = (-4.0, 3.0, 1.0)
EXP_Y = (0.0, 12.0, 2.0)
PROB_Y = (0.0, 1.0, 0.25)
#: Headroom above 1 in the probability panels, for the stacked bar's total.
PROB_PANEL_Y = (0.0, 1.15, 0.25)
#: The σ plot of the two-class act: the score gap a − b across, probability up.
GAP_X = (-5, 5, 1)
SIGMA_LEFT, SIGMA_WIDTH = 0.2, 6.3


def number_tex(value: float, places: int = 2) -> str:
    """A value as LaTeX: ∞ and nan spelled out, as the naive computation produces them.

    Examples
    --------
    >>> number_tex(7.389056), number_tex(float("inf")), number_tex(float("nan")), number_tex(-1.0, 0)
    ('7.39', '\\\\infty', '\\\\text{nan}', '-1')
    """
    if np.isnan(value):
        return r"\text{nan}"
    if np.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    return f"{value:.{places}f}"


def tuple_tex(values: Sequence[float], places: int = 2) -> str:
    """``(a, b, c)`` in LaTeX, each through :func:`number_tex`."""
    return "(" + ",\\ ".join(number_tex(float(v), places) for v in values) + ")"


class SoftmaxGeneralization(LectureScene):
    """Scores → exponentials → probabilities; the max shift; two classes give σ.

    Attributes set by ``construct`` (for tests): ``score_axes``, ``exp_axes``,
    ``prob_axes`` (the three panels), ``score_bars``, ``exp_bars``,
    ``prob_bars``, ``exp_sum_bar``, ``prob_sum_bar`` (the live bars),
    ``shift`` (how much has been subtracted from the scores), ``overflow``
    (the naive terms and probabilities for ``BIG_SCORES``), ``pair_axes``,
    ``pair_bars``, ``pair_prob_axes``, ``pair_prob_bars``, ``sigma_axes``,
    ``gap_dot`` and ``b`` (the two-class act).
    """

    #: False ends the scene on the three panels, before the two-class act (the tests' view of them).
    two_classes: ClassVar[bool] = True

    def construct(self) -> None:
        t = self.theme
        self.class_colors = (t.class0, t.class1, t.logit)
        self.shift = ValueTracker(0.0)

        # Three classes, three scores
        title = self.title("Softmax: the sigmoid for K classes")
        self.score_axes, self.exp_axes, self.prob_axes = self.get_panels()
        self.score_bars = self.get_bars(self.score_axes, self.scores, places=1)
        score_head = self.panel_heading(self.score_axes, r"\text{scores } z_i")
        self.add(title)
        with self.narrate("Three classes, three scores: any real numbers, even negative."):
            self.play(FadeIn(self.score_axes), FadeIn(score_head), run_time=1.2)
            self.play(*self.grow(self.score_bars), run_time=2)

        # Exponentiate: every bar turns positive
        self.exp_bars = self.get_bars(self.exp_axes, self.exponentials)
        self.exp_sum_bar = self.get_sum_bar(self.exp_axes, self.exponentials)
        exp_head = self.panel_heading(self.exp_axes, r"\text{exponentials } e^{z_i}")
        exp_arrow = self.panel_arrow(0, r"e^{z}")
        with self.narrate("Exponentiate each one: every result is positive.") as beat:
            self.play(FadeIn(self.exp_axes), FadeIn(exp_head), Create(exp_arrow), run_time=1.2)
            self.play(*self.grow(self.exp_bars, source=self.score_bars), run_time=beat.remaining())

        # Divide by the sum: probabilities that stack up to exactly 1
        self.prob_bars = self.get_bars(self.prob_axes, self.probabilities)
        self.prob_sum_bar = self.get_sum_bar(self.prob_axes, self.probabilities)
        prob_head = self.panel_heading(self.prob_axes, r"\text{probabilities } p_i")
        prob_arrow = self.panel_arrow(1, r"\div \Sigma")
        with self.narrate("Divide each by their sum: probabilities that add up to exactly 1.") as beat:
            self.play(*self.grow([self.exp_sum_bar]), run_time=1.5)
            self.play(FadeIn(self.prob_axes), FadeIn(prob_head), Create(prob_arrow), run_time=1)
            self.play(*self.grow(self.prob_bars, source=self.exp_bars), run_time=1.5)
            self.play(*self.grow([self.prob_sum_bar]), run_time=max(beat.remaining(), 1.2))

        # The formula
        formula = self.math(r"\operatorname{softmax}(z)_i", r"=", r"\frac{e^{z_i}}{\sum_j e^{z_j}}").next_to(
            title, DOWN, buff=0.3
        )
        with self.narrate("That's softmax: e to each score, over the sum of them all."):
            self.play(Write(formula), run_time=2.5)

        # Subtract the largest score: scores slide, exponentials shrink, probabilities stay
        m = float(np.max(SCORES))
        shifted_formula = self.math(
            r"\operatorname{softmax}(z)_i",
            r"=",
            r"\frac{e^{z_i - m}}{\sum_j e^{z_j - m}}",
            r",\quad m = \max_j z_j",
        ).move_to(formula)
        with self.narrate("Now subtract the largest score from every score.") as beat:
            self.play(FadeTransform(formula, shifted_formula), run_time=1)
            self.play(self.shift.animate.set_value(m), run_time=beat.remaining(at_least=2), rate_func=smooth)
            # Held on the settled bars (1.00 and their sum 1.42) before the caption ends: an animation's
            # last frame is drawn one step before its end, so without a hold the beat ends mid-slide.
            self.wait(SETTLE_SECONDS)
        with self.narrate(
            "The exponentials shrink, but the probabilities stay put: the shift cancels out.",
        ):
            self.play(
                *(Indicate(bar, color=t.highlight, scale_factor=1.05) for bar in self.prob_bars), run_time=2
            )
            self.play(Indicate(shifted_formula[2], color=t.highlight), run_time=1.5)

        # Why bother: scores near 1000 overflow; shifted, they are the bars on screen
        self.overflow = self.naive_overflow()
        naive_line = self.math(
            rf"z = {tuple_tex(BIG_SCORES, 0)}",
            rf"\;\Rightarrow\; e^{{z}} = {tuple_tex(self.overflow[0])}",
            rf"p = {tuple_tex(self.overflow[1])}",
            size="small",
        )
        naive_line[1:].set_color(t.derivative)
        big_shifted = softmax_terms(BIG_SCORES)
        safe_line = self.math(
            rf"z - m = {tuple_tex(np.asarray(BIG_SCORES) - np.max(BIG_SCORES), 0)}",
            rf"\;\Rightarrow\; e^{{z-m}} = {tuple_tex(big_shifted)}",
            rf"p = {tuple_tex(softmax(BIG_SCORES))}",
            size="small",
        )
        # Naive above shifted, as a table (scores | exponentials | probabilities, each column aligned),
        # centred in the band between the title and the panel headings
        band_top = title.get_bottom()[1]
        band_bottom = max(head.get_top()[1] for head in (score_head, exp_head, prob_head))
        self.table_rows(
            (naive_line, safe_line), center_y=(band_top + band_bottom) / 2, row_gap=OVERFLOW_ROW_GAP
        )
        with self.narrate(
            "Why bother? Near 1000, exponentials overflow, and ∞ over ∞ is not a number.",
            say="Why bother? Near a thousand, exponentials overflow, "
            "and infinity over infinity is not a number.",
        ):
            self.play(FadeOut(shifted_formula, shift=0.3 * UP), run_time=0.6)
            self.play(FadeIn(naive_line, shift=0.3 * UP), run_time=1.2)
        with self.narrate("Subtract the max first: every term is at most 1, and all is finite.") as beat:
            self.play(FadeIn(safe_line, shift=0.2 * DOWN), run_time=1.5)
            self.play(
                *(
                    Indicate(bar, color=t.highlight, scale_factor=1.05)
                    for bar in [*self.score_bars, *self.prob_bars]
                ),
                run_time=beat.remaining(at_least=1.5),
            )

        if not self.two_classes:
            return

        # Two classes: the first probability is σ of the score gap
        self.b = ValueTracker(B_START)
        self.pair_axes, self.pair_prob_axes, self.sigma_axes = self.get_pair_panels()
        self.pair_bars = self.get_bars(self.pair_axes, self.pair_scores, places=1, labels=("a", "b"))
        self.pair_prob_bars = self.get_bars(
            self.pair_prob_axes, self.pair_probabilities, labels=("p_1", "p_2")
        )
        pair_heads = VGroup(
            self.panel_heading(self.pair_axes, r"\text{two scores}"),
            self.panel_heading(self.pair_prob_axes, r"\text{softmax}"),
        )
        old = [m for m in self.mobjects if isinstance(m, VMobject) and m is not title]
        with self.narrate("With two classes, softmax only sees the gap between the scores."):
            self.play(*(FadeOut(m) for m in old), run_time=1)
            self.play(FadeIn(self.pair_axes, self.pair_prob_axes, pair_heads), run_time=1)
            self.play(*self.grow(self.pair_bars), *self.grow(self.pair_prob_bars), run_time=1.5)

        sigma_graph = self.sigma_axes.plot(
            lambda d: float(sigmoid(d)), x_range=GAP_X[:2], color=t.sigma, stroke_width=t.curve_width
        )
        sigma_label = self.math(r"\sigma(a - b)", size="small", color=t.sigma)
        # Right of where the dashed guides end up (a − b = 2), under the curve's top
        sigma_label.move_to(self.sigma_axes.c2p(2.5, 0.62), aligned_edge=LEFT)
        gap_label = self.get_gap_readout()
        identity = self.math(
            r"\frac{e^{a}}{e^{a} + e^{b}}", r"=", r"\frac{1}{1 + e^{-(a-b)}}", r"=", r"\sigma(a - b)"
        ).next_to(title, DOWN, buff=0.3)
        identity[4].set_color(t.sigma)
        self.gap_dot, guide = self.get_gap_marker(self.pair_prob_axes)
        with self.narrate(
            "Its first probability is σ(a − b), right on the sigmoid.",
            say="Its first probability is sigma of a minus b, right on the sigmoid.",
        ):
            self.play(Write(identity), FadeIn(self.sigma_axes, gap_label), run_time=1.5)
            self.play(Create(sigma_graph), FadeIn(sigma_label), run_time=1.2)
            self.play(Create(guide), FadeIn(self.gap_dot, scale=0.5), run_time=1.2)

        # Change b: the point runs along σ
        with self.narrate("Change b, and the point runs along the curve.") as beat:
            self.play(self.b.animate.set_value(B_END), run_time=beat.remaining(at_least=3), rate_func=smooth)

        # Close
        with self.narrate("Softmax is the sigmoid, generalised to K classes."):
            self.play(Indicate(identity[4], color=t.highlight), Indicate(self.gap_dot), run_time=2)

    # --- the numbers shown, all from lecture.numerics ----------------------------
    def scores(self) -> np.ndarray:
        """The scores as shown: minus whatever has been subtracted so far."""
        return np.asarray(SCORES) - self.shift.get_value()

    def exponentials(self) -> np.ndarray:
        """e^z of the scores as shown (shift=False: the shift so far is already in them)."""
        return softmax_terms(self.scores(), shift=False)

    def probabilities(self) -> np.ndarray:
        return softmax(self.scores())

    def pair_scores(self) -> np.ndarray:
        return np.array([A_SCORE, self.b.get_value()])

    def pair_probabilities(self) -> np.ndarray:
        return softmax(self.pair_scores())

    def naive_overflow(self) -> tuple[np.ndarray, np.ndarray]:
        """e^z and e^z / Σ e^z for ``BIG_SCORES`` computed naively: ∞ and ∞/∞ = nan."""
        terms = softmax_terms(BIG_SCORES, shift=False)
        with np.errstate(invalid="ignore"):  # the nan is the point being shown
            return terms, terms / terms.sum()

    # --- layout ------------------------------------------------------------------
    @staticmethod
    def table_rows(rows: Sequence[VMobject], *, center_y: float, row_gap: float) -> None:
        """Place rows of equally many parts as a table centred at (0, ``center_y``): parts in columns,
        each column left-aligned, ``OVERFLOW_COLUMN_GAP`` between columns, ``row_gap`` between rows."""
        columns = len(rows[0])
        widths = [max(row[c].width for row in rows) for c in range(columns)]
        lefts = np.cumsum([0.0, *(w + OVERFLOW_COLUMN_GAP for w in widths[:-1])])
        lefts -= (lefts[-1] + widths[-1]) / 2
        height = max(row.height for row in rows)
        for r, row in enumerate(rows):
            y = center_y + (len(rows) - 1) / 2 * (height + row_gap) - r * (height + row_gap)
            for c in range(columns):  # across only: the parts keep their common baseline
                row[c].shift((lefts[c] - row[c].get_left()[0]) * RIGHT)
            row.set_y(y)

    # --- panels ------------------------------------------------------------------
    def get_panels(self) -> tuple[Axes, Axes, Axes]:
        """Scores, exponentials and probabilities, side by side, bottoms aligned."""
        score = self.panel(SCORE_Y, (0.0, 4.0), PANEL_CENTERS[0], y_numbers=(-3, 0, 2))
        exp = self.panel(EXP_Y, (0.0, 5.0), PANEL_CENTERS[1], y_numbers=(4, 8, 12))
        prob = self.panel(PROB_PANEL_Y, (0.0, 5.0), PANEL_CENTERS[2], y_numbers=(0.5, 1))
        return score, exp, prob

    def get_pair_panels(self) -> tuple[Axes, Axes, Axes]:
        """Two scores, their two probabilities, and σ against the gap on the same height scale."""
        t = self.theme
        pair = self.panel(SCORE_Y, (0.0, 3.0), -5.3, width=2.1, y_numbers=(-3, 0, 2))
        probs = self.panel(PROB_Y, (0.0, 3.0), -2.2, width=2.1, y_numbers=(0.5, 1))
        sigma_axes = self.make_axes(
            GAP_X, PROB_Y, x_length=SIGMA_WIDTH, y_length=PANEL_HEIGHT, x_numbers=(-4, -2, 2, 4)
        )
        sigma_axes.shift(np.array([SIGMA_LEFT, PANEL_BOTTOM, 0]) - sigma_axes.c2p(GAP_X[0], 0))
        self.left_y_axis(sigma_axes, (0.5, 1), gridlines=True)
        sigma_axes.x_axis.set_color(t.muted)
        return pair, probs, sigma_axes

    def panel(
        self,
        y_range: Sequence[float],
        x_range: Sequence[float],
        center_x: float,
        *,
        width: float = PANEL_WIDTH,
        y_numbers: Sequence[float] = (),
    ) -> Axes:
        """Bar-chart axes, ``width`` wide, bottom at PANEL_BOTTOM, y axis on the left edge."""
        axes = self.make_axes((*x_range, 1.0), y_range, x_length=width, y_length=PANEL_HEIGHT)
        self.left_y_axis(axes, y_numbers)
        axes.x_axis.set_stroke(opacity=0)  # the bars' baseline is drawn at y = 0 instead
        baseline = Line(axes.c2p(x_range[0], 0), axes.c2p(x_range[1], 0))
        axes.add(baseline.set_stroke(self.theme.muted, self.theme.axis_width))
        left = axes.c2p(x_range[0], y_range[0])
        axes.shift(np.array([center_x - width / 2, PANEL_BOTTOM, 0]) - left)
        return axes

    def panel_heading(self, axes: Axes, content: str) -> VMobject:
        """A panel's name (LaTeX maths; words in ``\\text``), centred above it."""
        top = axes.c2p(np.mean(axes.x_range[:2]), axes.y_range[1])
        return self.math(content, size="small", color=self.theme.muted).next_to(top, UP, buff=0.25)

    def panel_arrow(self, gap: int, label: str) -> VGroup:
        """An arrow from panel ``gap`` to the next, labelled with what it does."""
        left = PANEL_CENTERS[gap] + PANEL_WIDTH / 2 + 0.15
        right = PANEL_CENTERS[gap + 1] - PANEL_WIDTH / 2 - 0.45
        y = PANEL_BOTTOM + ARROW_HEIGHT * PANEL_HEIGHT
        arrow = Arrow([left, y, 0], [right, y, 0], buff=0, stroke_width=self.theme.axis_width * 1.5)
        arrow.set_color(self.theme.muted)
        text = self.math(label, size="small", color=self.theme.muted).next_to(arrow, UP, buff=0.1)
        return VGroup(arrow, text)

    # --- bars --------------------------------------------------------------------
    def bar(self, axes: Axes, slot: float, low: float, high: float, color: str) -> Polygon:
        """A bar from ``low`` to ``high`` on ``axes`` at ``slot``."""
        x0, x1 = slot - BAR_WIDTH / 2, slot + BAR_WIDTH / 2
        corners = [axes.c2p(x0, low), axes.c2p(x1, low), axes.c2p(x1, high), axes.c2p(x0, high)]
        return Polygon(*corners).set_fill(color, opacity=0.9).set_stroke(width=0)

    def get_bars(
        self,
        axes: Axes,
        values: Callable[[], np.ndarray],
        *,
        places: int = 2,
        labels: Sequence[str] = ("1", "2", "3"),
    ) -> VGroup:
        """One live bar per class, its value written past its end, its class named below the panel."""
        t = self.theme
        bars = VGroup()
        y_bottom = axes.y_range[0]
        for i, label in enumerate(labels):
            slot, color = SLOTS[i], self.class_colors[i]

            def build(i: int = i, slot: float = slot, color: str = color) -> Polygon:
                return self.bar(axes, slot, 0.0, float(values()[i]), color)

            body = always_redraw(build)
            number = LiveNumber(float(values()[i]), num_decimal_places=places, font_size=self.tick_font_size)
            number.set_color(t.text)

            def place(m: LiveNumber, i: int = i, slot: float = slot) -> None:
                v = float(values()[i])
                m.set_value(v)
                m.next_to(axes.c2p(slot, v), UP if v >= 0 else DOWN, buff=0.1)

            place(number)
            number.add_updater(place)
            name = self.math(label, size="small", color=color)
            name.next_to(axes.c2p(slot, y_bottom), DOWN, buff=0.15)
            bars.add(VGroup(body, number, name))
        return bars

    def get_sum_bar(self, axes: Axes, values: Callable[[], np.ndarray]) -> VGroup:
        """The bars stacked into one, in their colours, with the total above and Σ below."""

        def build() -> VGroup:
            tops = np.cumsum(values())
            lows = np.concatenate([[0.0], tops[:-1]])
            return VGroup(
                *(
                    self.bar(axes, SUM_SLOT, low, high, color)
                    for low, high, color in zip(lows, tops, self.class_colors, strict=True)
                )
            )

        body = always_redraw(build)
        total = LiveNumber(float(values().sum()), num_decimal_places=2, font_size=self.tick_font_size)
        total.set_color(self.theme.text)

        def place(m: LiveNumber) -> None:
            v = float(values().sum())
            m.set_value(v)
            m.next_to(axes.c2p(SUM_SLOT, v), UP, buff=0.1)

        place(total)
        total.add_updater(place)
        name = self.math(r"\Sigma", size="small", color=self.theme.muted)
        name.next_to(axes.c2p(SUM_SLOT, axes.y_range[0]), DOWN, buff=0.15)
        return VGroup(body, total, name)

    def grow(self, bars: Sequence[VGroup], source: Sequence[VGroup] | None = None) -> list:
        """Animations that bring bars in: grown from the baseline, or carried over from ``source``."""
        anims: list = []
        for i, (body, number, name) in enumerate(bars):
            if source is None:
                anims.append(GrowFromEdge(body, DOWN))
            else:
                anims.append(TransformFromCopy(source[i][0], body))
            anims += [FadeIn(number), FadeIn(name)]
        return anims

    # --- the two-class act -----------------------------------------------------------
    def get_gap_marker(self, prob_axes: Axes) -> tuple[Dot, VMobject]:
        """A dot at (a − b, p₁) on the σ plot and a dashed guide to it from the top of p₁'s bar."""
        t = self.theme

        def at() -> np.ndarray:
            a, b = self.pair_scores()
            return self.sigma_axes.c2p(a - b, float(self.pair_probabilities()[0]))

        dot = Dot(at(), radius=0.08, color=t.highlight).set_z_index(3)
        dot.add_updater(lambda d: d.move_to(at()))

        def guide() -> DashedLine:
            start = prob_axes.c2p(SLOTS[0] + BAR_WIDTH / 2, float(self.pair_probabilities()[0]))
            across = DashedLine(start, at(), dash_length=0.1).set_stroke(t.highlight, t.guide_width)
            foot = self.sigma_axes.c2p(self.sigma_axes.p2c(at())[0], 0)
            down = DashedLine(at(), foot, dash_length=0.1).set_stroke(t.muted, t.guide_width)
            return VGroup(across, down)

        return dot, always_redraw(guide)

    def get_gap_readout(self) -> VGroup:
        """A live "a − b = …" under the σ plot's right end."""
        t = self.theme
        label = self.math(r"a - b =", size="small", color=t.muted)
        number = LiveNumber(0.0, num_decimal_places=1, font_size=label.font_size, color=t.text)

        def read(m: LiveNumber) -> None:
            a, b = self.pair_scores()
            m.set_value(a - b)

        read(number)
        number.add_updater(read)
        number.next_to(label, RIGHT, buff=0.15)
        readout = VGroup(label, number)
        return readout.next_to(self.sigma_axes.x_axis, DOWN, buff=0.42).align_to(self.sigma_axes, RIGHT)
