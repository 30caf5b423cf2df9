"""The chapter in four points, and the three places it leads.

Storyboard: two columns under one title, and seven empty cards waiting. On
the left, "What we learned": four rows, each a small card that redraws its
scene from the same numerics beside a one-line statement. σ(x) = 1/(1+e^−x)
with its asymptotes 0 and 1 and the point (0, ½); σ′ = σ(1−σ) as the bump
peaking at ¼; the logit as σ mirrored in y = x; σ(kx) closing in on the
dashed Heaviside step as k grows. On the right, "Where it leads": three rows
in the same style. Activation functions (σ, tanh and the hard sigmoid on one
card); logistic regression (two small classes and the fitted boundary
σ(wᵀx + b) = ½); vanishing gradients (bars of σ′(0)ⁿ = 4⁻ⁿ on a log scale,
and beside them the far shorter σ′(2)ⁿ of saturated units). The scene closes
by lighting up the four statements in turn.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/chapter_summary.py ChapterSummary
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    Indicate,
    LaggedStart,
    Line,
    Polygon,
    RoundedRectangle,
    Square,
    Tex,
    VGroup,
    VMobject,
    Write,
)

from lecture.numerics import (
    fit_logistic_regression,
    hard_sigmoid,
    heaviside,
    logit,
    make_two_blobs,
    sigmoid,
    sigmoid_chain_gradient,
    sigmoid_derivative,
    tanh_via_sigmoid,
)
from scenes.common import LectureScene

__all__ = ["ChapterSummary", "line_in_box"]

# --- layout (scene units) ----------------------------------------------------
COLUMN_LEFTS = (-6.85, 0.25)
COLUMN_TOP = 2.55
#: Card sizes: four short rows on the left, three taller ones on the right.
LEFT_CARD = (2.2, 1.3)
RIGHT_CARD = (2.2, 1.7)
ROW_GAPS = (0.3, 0.4)
CARD_PAD = 0.14
TEXT_GAP = 0.3
#: A row's text stops short of the next column (left) or the frame's edge (right).
TEXT_RIGHTS = (0.0, 6.95)
#: Samples per card curve: plenty for a plot 2 units wide.
CURVE_SAMPLES = 121

# --- what the cards show ------------------------------------------------------
#: The steepness card: k = 1 faint, k = 5 bright, against the step.
STEEP_KS = (1.0, 5.0)
#: The vanishing-gradient card: σ′(0)ⁿ for these depths, on a log axis down to 10^LOG_FLOOR.
LAYERS = (1, 2, 3, 4, 5)
LOG_FLOOR = -4.0
#: Saturated units sit here: σ′(2) ≈ 0.105, so about a decade is lost per layer.
SATURATED_X = 2.0
#: The logistic-regression card's data and fit (small: it is a thumbnail).
BLOB_N, BLOB_SEED = 12, 1
BLOB_CENTERS = ((0.0, 0.6), (2.8, 2.6))
BLOB_SPREAD = 0.8
FIT_RATE, FIT_EPOCHS, FIT_SEED = 0.6, 100, 2
PLANE_X, PLANE_Y = (-2.0, 5.0), (-1.5, 4.5)


def line_in_box(
    w: Sequence[float], b: float, x_range: Sequence[float], y_range: Sequence[float]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The two ends of the segment of ``w·x + b = 0`` inside a box, or ``None`` if it misses.

    Examples
    --------
    >>> a, c = line_in_box([1.0, -1.0], 0.0, (0, 1), (0, 2))
    >>> a.tolist(), c.tolist()
    ([0.0, 0.0], [1.0, 1.0])
    >>> line_in_box([1.0, 0.0], -5.0, (0, 1), (0, 1)) is None
    True
    """
    w1, w2 = float(w[0]), float(w[1])
    (x0, x1), (y0, y1) = x_range[:2], y_range[:2]
    hits = []
    if abs(w2) > 1e-12:
        hits += [np.array([x, -(w1 * x + b) / w2]) for x in (x0, x1)]
    if abs(w1) > 1e-12:
        hits += [np.array([-(w2 * y + b) / w1, y]) for y in (y0, y1)]
    eps = 1e-9
    inside = [p for p in hits if x0 - eps <= p[0] <= x1 + eps and y0 - eps <= p[1] <= y1 + eps]
    if len(inside) < 2:
        return None
    ends = sorted(inside, key=lambda p: (p[0], p[1]))
    return (ends[0], ends[-1]) if np.linalg.norm(ends[-1] - ends[0]) > eps else None


class ChapterSummary(LectureScene):
    """Four summary points and three forward connections, each with a card redrawn from numerics.

    Attributes set by ``construct`` (for tests): ``cards``, a dict from a
    card's name (``sigma``, ``derivative``, ``logit``, ``steep``,
    ``activations``, ``regression``, ``vanishing``) to its axes; ``rows``,
    each row (card and text) in the order shown; ``statements`` (the four
    left-hand texts); ``fit`` (the regression card's fit history) and
    ``blobs`` (its data, X and y).
    """

    def construct(self) -> None:
        t = self.theme
        self.cards: dict[str, Axes] = {}
        self.card_columns: dict[str, int] = {}
        self.rows: list[VGroup] = []
        self.statements: list[VMobject] = []

        # The page: title, two columns, seven cards waiting to be filled
        title = self.title("The sigmoid, in summary").to_edge(UP, buff=0.2)
        headings = VGroup(
            self.text("What we learned", color=t.muted).move_to([COLUMN_LEFTS[0], 3.0, 0], aligned_edge=LEFT),
            self.text("Where it leads", color=t.muted).move_to([COLUMN_LEFTS[1], 3.0, 0], aligned_edge=LEFT),
        )
        sigma_row = self.add_row(
            "sigma", self.sigma_card(), r"$\sigma(x) = \dfrac{1}{1+e^{-x}}$", r"smooth, bounded in $(0, 1)$"
        )
        derivative_row = self.add_row(
            "derivative",
            self.derivative_card(),
            r"$\sigma'(x) = \sigma(x)\,(1-\sigma(x))$",
            r"its own slope, at most $\tfrac14$",
        )
        logit_row = self.add_row(
            "logit",
            self.logit_card(),
            r"$\operatorname{logit}(p) = \ln\dfrac{p}{1-p}$",
            r"the inverse: $p$ to log-odds",
        )
        steep_row = self.add_row(
            "steep", self.steep_card(), r"$\sigma(kx) \to H(x)$ as $k \to \infty$", r"a smooth step"
        )
        activations_row = self.add_row(
            "activations",
            self.activations_card(),
            r"Activation functions",
            r"$\sigma$, $\tanh$, hard sigmoid (ch065)",
        )
        regression_row = self.add_row(
            "regression",
            self.regression_card(),
            r"Logistic regression",
            r"predicts $\sigma(w^\top x + b)$ (ch229)",
        )
        vanishing_row = self.add_row(
            "vanishing",
            self.vanishing_card(),
            r"Vanishing gradients",
            r"$\le 4^{-n}$ after $n$ layers (ch216)",
        )
        frames = [row.card[0] for row in self.rows]  # type: ignore[attr-defined]
        with self.narrate("To sum up: four things we learned, and three places they lead."):
            self.play(FadeIn(title), run_time=1)
            self.play(FadeIn(headings, shift=0.2 * DOWN), run_time=1)
            self.play(LaggedStart(*(FadeIn(f) for f in frames), lag_ratio=0.2), run_time=1.5)

        # 1. The logistic sigmoid: smooth, bounded in (0, 1)
        self.play_row("The logistic sigmoid: smooth, and bounded between 0 and 1.", sigma_row)

        # 2. Its derivative, from its own value
        self.play_row(
            "Its slope is σ(1 − σ), built from its own value, and never more than a quarter.",
            derivative_row,
            say="Its slope is sigma times one minus sigma, built from its own value, "
            "and never more than a quarter.",
        )

        # 3. The logit undoes it
        self.play_row("The logit undoes it, turning a probability back into log-odds.", logit_row)

        # 4. Steeper and steeper: the step
        self.play_row(
            "And as the steepness k grows, σ(kx) becomes the step function.",
            steep_row,
            say="And as the steepness k grows, sigma of k x becomes the step function.",
        )

        # Where it leads: activation functions
        self.play_row(
            "Next, the whole family of activation functions, tanh and the hard sigmoid among them.",
            activations_row,
        )

        # Where it leads: logistic regression
        self.play_row(
            "Logistic regression, where σ(w·x + b) turns a score into a probability.",
            regression_row,
            say="Logistic regression, where sigma of w x plus b turns a score into a probability.",
        )

        # Where it leads: vanishing gradients
        self.play_row(
            "And vanishing gradients: a quarter at most per sigmoid layer, far less when saturated.",
            vanishing_row,
        )

        # Close: the four statements, lit in turn
        with self.narrate("Smooth, bounded, easy to differentiate: that is the sigmoid."):
            for statement in self.statements:
                self.play(Indicate(statement, color=t.highlight, scale_factor=1.08), run_time=0.8)

    # --- rows ------------------------------------------------------------------
    def add_row(self, name: str, card: VGroup, headline: str, detail: str) -> VGroup:
        """A card and its two lines of text, placed under the previous row of the card's column."""
        t = self.theme
        column = self.card_columns[name]
        size = LEFT_CARD if column == 0 else RIGHT_CARD
        above = [r for r in self.rows if r.column == column]  # type: ignore[attr-defined]
        top = above[-1].card.get_bottom()[1] - ROW_GAPS[column] if above else COLUMN_TOP
        card.move_to([COLUMN_LEFTS[column] + size[0] / 2, top - size[1] / 2, 0])
        head = self.words(headline)
        body = self.words(detail, color=t.muted)
        text = VGroup(head, body).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        text.next_to(card, RIGHT, buff=TEXT_GAP)
        room = TEXT_RIGHTS[column] - text.get_left()[0]
        if text.width > room:  # a safety net; the wording is chosen to fit at full size
            text.scale_to_fit_width(room).next_to(card, RIGHT, buff=TEXT_GAP)
        row = VGroup(card, text)
        row.column = column  # type: ignore[attr-defined]
        row.card, row.text = card, text  # type: ignore[attr-defined]
        self.rows.append(row)
        if column == 0:
            self.statements.append(head)
        return row

    def words(self, content: str, *, color: str | None = None) -> Tex:
        """A line of words with inline maths (``$...$``), at the theme's small size."""
        return Tex(content, font_size=self.theme.small_size * 1.25, color=color or self.theme.text)

    def play_row(self, caption: str, row: VGroup, *, say: str | None = None) -> None:
        """One beat: the card's axes, its drawing, then its text (the card's frame is already up)."""
        _, axes, drawing = row.card  # type: ignore[attr-defined]
        with self.narrate(caption, say=say) as beat:
            self.play(FadeIn(axes), run_time=0.6)
            self.play(Create(drawing), run_time=1.4)
            self.play(Write(row.text), run_time=beat.remaining(at_least=1.0))  # type: ignore[attr-defined]

    # --- cards -----------------------------------------------------------------
    def card(
        self,
        name: str,
        x_range: Sequence[float],
        y_range: Sequence[float],
        *,
        column: int,
        square: bool = False,
    ) -> tuple[RoundedRectangle, Axes]:
        """A framed card with small unlabelled axes inside, registered as ``name``."""
        t = self.theme
        width, height = LEFT_CARD if column == 0 else RIGHT_CARD
        frame = RoundedRectangle(width=width, height=height, corner_radius=0.1)
        frame.set_stroke(t.grid, t.guide_width).set_fill(opacity=0)
        plot_w, plot_h = width - 2 * CARD_PAD, height - 2 * CARD_PAD
        if square:  # equal units, so a mirror in y = x is a true mirror
            plot_w = plot_h = min(plot_w, plot_h)
        axes = Axes(
            x_range=[*x_range[:2], 1],
            y_range=[*y_range[:2], 1],
            x_length=plot_w,
            y_length=plot_h,
            tips=False,
            axis_config={"color": t.grid, "stroke_width": t.guide_width, "include_ticks": False},
        )
        axes.move_to(frame)
        self.cards[name] = axes
        self.card_columns[name] = column
        return frame, axes

    def curve(
        self, axes: Axes, func: Callable[[np.ndarray], np.ndarray], x0: float, x1: float, color: str
    ) -> VMobject:
        """``func`` on [x0, x1] through numerics samples, clipped to the axes' y range."""
        xs = np.linspace(x0, x1, CURVE_SAMPLES)
        ys = np.asarray(func(xs), dtype=float)
        y0, y1 = axes.y_range[:2]
        keep = (ys >= y0) & (ys <= y1)
        points = [axes.c2p(x, y) for x, y in zip(xs[keep], ys[keep], strict=True)]
        return VMobject().set_points_as_corners(points).set_stroke(color, self.theme.curve_width * 0.6)

    def sigma_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("sigma", (-6, 6), (-0.1, 1.1), column=0)
        bounds = VGroup(
            *(
                DashedLine(axes.c2p(-6, y), axes.c2p(6, y), dash_length=0.06).set_stroke(
                    t.muted, t.guide_width
                )
                for y in (0.0, 1.0)
            )
        )
        curve = self.curve(axes, sigmoid, -6, 6, t.sigma)
        half = Dot(axes.c2p(0, float(sigmoid(0.0))), radius=0.05, color=t.highlight)
        return VGroup(frame, axes, VGroup(bounds, curve, half))

    def derivative_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("derivative", (-6, 6), (0, 0.3), column=0)
        curve = self.curve(axes, sigmoid_derivative, -6, 6, t.derivative)
        peak = Dot(axes.c2p(0, float(sigmoid_derivative(0.0))), radius=0.05, color=t.highlight)
        return VGroup(frame, axes, VGroup(curve, peak))

    def logit_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("logit", (-2.5, 2.5), (-2.5, 2.5), column=0, square=True)
        mirror = DashedLine(axes.c2p(-2.5, -2.5), axes.c2p(2.5, 2.5), dash_length=0.06)
        mirror.set_stroke(t.muted, t.guide_width)
        sigma_curve = self.curve(axes, sigmoid, -2.5, 2.5, t.sigma)
        # logit on (0, 1), sampled in p; drawn as the points (p, logit p)
        ps = np.linspace(0.0, 1.0, CURVE_SAMPLES)[1:-1]
        ls = logit(ps)
        keep = np.abs(ls) <= 2.5
        logit_curve = VMobject().set_points_as_corners(
            [axes.c2p(p, v) for p, v in zip(ps[keep], ls[keep], strict=True)]
        )
        logit_curve.set_stroke(t.logit, t.curve_width * 0.6)
        return VGroup(frame, axes, VGroup(mirror, sigma_curve, logit_curve))

    def steep_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("steep", (-6, 6), (-0.1, 1.1), column=0)
        step_points = [axes.c2p(x, float(heaviside(x))) for x in (-6, -1e-9, 1e-9, 6)]
        step = DashedVMobject(VMobject().set_points_as_corners(step_points), num_dashes=22)
        step.set_stroke(t.step, t.guide_width)
        gentle = self.curve(axes, lambda x: sigmoid(x, STEEP_KS[0]), -6, 6, t.family[1])
        steep = self.curve(axes, lambda x: sigmoid(x, STEEP_KS[1]), -6, 6, t.family[3])
        return VGroup(frame, axes, VGroup(step, gentle, steep))

    def activations_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("activations", (-4, 4), (-1.1, 1.1), column=1)
        curves = VGroup(
            self.curve(axes, hard_sigmoid, -4, 4, t.muted),
            self.curve(axes, tanh_via_sigmoid, -4, 4, t.step),
            self.curve(axes, sigmoid, -4, 4, t.sigma),
        )
        return VGroup(frame, axes, curves)

    def regression_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("regression", PLANE_X, PLANE_Y, column=1, square=True)
        X, y = make_two_blobs(BLOB_N, seed=BLOB_SEED, centers=BLOB_CENTERS, spread=BLOB_SPREAD)
        self.blobs = (X, y)
        self.fit = fit_logistic_regression(X, y, learning_rate=FIT_RATE, epochs=FIT_EPOCHS, seed=FIT_SEED)
        markers = VGroup()
        for point, label in zip(X, y, strict=True):
            if label < 0.5:
                marker: VMobject = Circle(radius=0.04).set_fill(t.class0, 1)
            else:
                marker = Square(side_length=0.075).set_fill(t.class1, 1)
            markers.add(marker.set_stroke(width=0).move_to(axes.c2p(*point)))
        ends = line_in_box(self.fit.weights[-1], float(self.fit.bias[-1]), PLANE_X, PLANE_Y)
        assert ends is not None, "the fitted boundary crosses the card"
        boundary = Line(axes.c2p(*ends[0]), axes.c2p(*ends[1])).set_stroke(t.text, t.guide_width * 1.2)
        return VGroup(frame, axes, VGroup(markers, boundary))

    def vanishing_card(self) -> VGroup:
        t = self.theme
        frame, axes = self.card("vanishing", (0, len(LAYERS) + 1), (LOG_FLOOR, 0), column=1)
        decades = VGroup(
            *(
                DashedLine(axes.c2p(0, d), axes.c2p(len(LAYERS) + 1, d), dash_length=0.05).set_stroke(
                    t.grid, t.guide_width * 0.75
                )
                for d in range(int(LOG_FLOOR) + 1, 0)
            )
        )
        # Per layer: the best case (units at x = 0), then saturated units; VanishingGradient's colours
        bars, saturated = VGroup(), VGroup()
        for n in LAYERS:
            for group, x, dx, color in (
                (bars, 0.0, -0.17, t.derivative),
                (saturated, SATURATED_X, 0.17, t.step),
            ):
                top = max(float(np.log10(self.layer_gradient(n, x))), LOG_FLOOR)
                corners = [
                    axes.c2p(n + dx + w, y)
                    for w, y in ((-0.15, LOG_FLOOR), (0.15, LOG_FLOOR), (0.15, top), (-0.15, top))
                ]
                group.add(Polygon(*corners).set_fill(color, 0.9).set_stroke(width=0))
        return VGroup(frame, axes, VGroup(decades, bars, saturated))

    @staticmethod
    def layer_gradient(n: int, x: float = 0.0) -> float:
        """The gradient left at the input of ``n`` sigmoid layers whose units all sit at ``x``.

        By the chain rule σ′(x) is multiplied in once per layer; at x = 0 that
        is the most that can survive, 4⁻ⁿ.
        """
        return float(sigmoid_chain_gradient(np.full(n, x))[0])
