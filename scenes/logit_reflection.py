"""LogitReflection: the logit is σ seen in the mirror y = x.

Storyboard
----------
1. Square axes, x across and y up (one data unit is the same length both
   ways, so a reflection on screen is a true reflection), and the dashed
   mirror y = x.
2. σ, its formula and its asymptotes y = 0 and y = 1, labelled on the lines.
3. Sample points (a, σ(a)) cross the mirror to (σ(a), a), perpendicular to
   it, while the swap rule (a, σ(a)) ↦ (σ(a), a) is written beside the graph.
4. The plane, a faintly tinted page, folds over its hinge y = x with a copy
   of σ on it, and the copy lands on the logit, drawn from
   ``numerics.logit``; σ's asymptotes become the logit's, p = 0 and p = 1,
   and the horizontal axis is named p as well as x.
5. The formula logit(p) = ln(p / (1 − p)).
6. The round trip on the graph for x = 2, written out beside it as
   2 → 0.8808 → 2: up to σ(2) = 0.8808, marked on the y axis; across the
   mirror, where the mark lands at p = 0.8808 on the p axis; and left to 2.
7. The check, row by row for x = −2 … 2 (all inside the axes, so each row
   lights its point on σ and its mirror image on the logit), each row read
   as a sentence: x → σ(x) → logit(σ(x)) recovers x.

Render with ``manim -ql -c config/manim.cfg scenes/logit_reflection.py LogitReflection``.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
from manim import *

from lecture.numerics import logit, sigmoid
from scenes.common import LectureScene, TableLayout, decimal_point

__all__ = ["LogitReflection", "decimal_point", "logit_samples", "mirror_samples", "round_trip"]

#: Both axes span [-AXIS_LIMIT, AXIS_LIMIT] and have the same length on screen.
AXIS_LIMIT = 3
AXIS_LENGTH = 6.6
#: Where the axes' origin sits: the left of the frame, leaving a column for text and,
#: above, room for the title centred as in every other scene.
AXES_CENTER = np.array([-3.3, -0.45, 0.0])
#: Points of σ sent across the mirror one by one.
MIRRORED_XS = (-2.0, -1.0, 0.0, 1.0, 2.0)
#: The round trip checked row by row: every x inside the axes, so each row lights its two points
#: (the chapter's ±5 would lie off the plot, which stops at ±3).
ROUND_TRIP_XS = (-2.0, -1.0, 0.0, 1.0, 2.0)
#: The round trip traced on the graph.
DEMO_X = 2.0
#: Samples of the logit curve; enough for a smooth curve at 1080p.
LOGIT_SAMPLES = 240
#: Swapping x and y: the reflection in y = x (a true one only on square axes).
SWAP_XY = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
#: The mirror's direction on screen; the flip is a half turn about it.
MIRROR_AXIS = np.array([1.0, 1.0, 0.0])
#: Decimal places of σ(x) and logit(σ(x)) in the table, as in the chapter.
TABLE_PLACES = 4
#: The table's column centres, from the text column's centre.
TABLE_COLUMNS = np.array([-1.75, -0.25, 1.55])

FloatArray = npt.NDArray[np.float64]


# --- numbers drawn on screen, all from lecture.numerics -------------------------


def logit_samples(y_limit: float, n: int = LOGIT_SAMPLES) -> tuple[FloatArray, FloatArray]:
    """Points ``(p, logit(p))`` of the logit with ``|logit(p)| <= y_limit``.

    Parameters
    ----------
    y_limit : float
        Half the height of the axes: the logit is clipped where it leaves them,
        at ``p = σ(±y_limit)``.
    n : int, optional
        Number of samples.

    Returns
    -------
    p, y : ndarray
        Probabilities, increasing, and their log-odds.

    Notes
    -----
    ``p`` follows a Chebyshev (cosine) grid, so the steep ends near the
    asymptotes ``p = 0`` and ``p = 1`` get most of the samples.

    Examples
    --------
    >>> p, y = logit_samples(3.0, 50)
    >>> bool(np.all(np.diff(p) > 0)), bool(np.all(np.abs(y) <= 3.0 + 1e-12))
    (True, True)
    >>> round(float(y[0]), 12), round(float(y[-1]), 12)
    (-3.0, 3.0)
    """
    p_lo, p_hi = float(sigmoid(-y_limit)), float(sigmoid(y_limit))
    s = (1.0 - np.cos(np.linspace(0.0, np.pi, n))) / 2.0
    p = p_lo + (p_hi - p_lo) * s
    p[0], p[-1] = p_lo, p_hi
    return p, np.asarray(logit(p))


def mirror_samples(xs: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Points ``(a, σ(a))`` of σ and their mirror images ``(σ(a), a)`` in y = x.

    Examples
    --------
    >>> on_sigma, mirrored = mirror_samples([0.0])
    >>> on_sigma.tolist(), mirrored.tolist()
    ([[0.0, 0.5]], [[0.5, 0.0]])
    """
    a = np.asarray(xs, dtype=float)
    s = np.asarray(sigmoid(a))
    return np.column_stack([a, s]), np.column_stack([s, a])


def round_trip(xs: npt.ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The chapter's check: ``x``, ``p = σ(x)`` and ``logit(p)``, which recovers ``x``.

    Examples
    --------
    >>> x, p, back = round_trip([-2.0, 0.0, 2.0])
    >>> np.round(p, 4).tolist()
    [0.1192, 0.5, 0.8808]
    >>> bool(np.allclose(back, x))
    True
    """
    x = np.asarray(xs, dtype=float)
    p = np.asarray(sigmoid(x))
    return x, p, np.asarray(logit(p))


def _spoken(value: float) -> str:
    """``value`` to the table's places, without trailing zeros, with a true minus sign.

    >>> _spoken(-5.000000000000001), _spoken(0.5), _spoken(0.8807970779778823)
    ('−5', '0.5', '0.8808')
    """
    text = f"{value:.{TABLE_PLACES}f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


# --- the scene ----------------------------------------------------------------


class LogitReflection(LectureScene):
    """The logit as σ reflected in y = x, ending on the chapter's round trip.

    Attributes set by ``construct`` (the tests read them): ``axes``,
    ``sigma_curve``, ``logit_curve``, ``mirror_line``, ``asymptotes``
    (y = 0, 1 then p = 0, 1), ``y_mark`` and ``p_mark`` (σ(2) marked on the
    y axis and on the p axis: guide, value), ``p_name`` (the horizontal axis's
    second name) and ``table_values``, a list of ``(x, σ(x), logit(σ(x)))``
    DecimalNumber rows.
    """

    def construct(self) -> None:
        t = self.theme

        # Square axes and the mirror y = x
        self.axes = self.get_axes()
        self.mirror_line = self.get_mirror_line()
        title = self.title("Logit: σ in a mirror")
        axis_names = self.axis_labels(self.axes, "x", "y")
        mirror_label = self.label_on_line(self.math("y = x", size="small", color=t.muted), -2.2)
        self.play_narrated(
            "Equal units both ways make the line y = x a true mirror.",
            FadeIn(title, shift=0.2 * DOWN),
            Succession(
                AnimationGroup(Create(self.axes), FadeIn(axis_names)),
                AnimationGroup(Create(self.mirror_line), FadeIn(mirror_label)),
            ),
            run_time=4,
        )

        # σ, its formula and its asymptotes y = 0 and y = 1
        self.sigma_curve = self.get_sigma_curve()
        sigma_label = self.math(r"\sigma(x)", color=t.sigma).move_to(self.axes.c2p(2.35, 1.55))
        sigma_formula = self.math(r"\sigma(x) = \frac{1}{1 + e^{-x}}", color=t.sigma)
        sigma_formula.move_to([self.text_column_x(), 2.35, 0])
        sigma_asymptotes = self.get_asymptotes(horizontal=True, color=t.sigma)
        top_label = self.math("y = 1", size="small", color=t.sigma)
        top_label.next_to(self.axes.c2p(-AXIS_LIMIT, 1), UR, buff=0.1).shift(0.1 * RIGHT)
        self.play_narrated(
            "Here is σ: it squeezes every number between its asymptotes, 0 and 1.",
            AnimationGroup(Create(self.sigma_curve), FadeIn(sigma_label), Write(sigma_formula)),
            AnimationGroup(Create(sigma_asymptotes), FadeIn(top_label)),
            lag_ratio=0.6,
            run_time=5,
        )

        # Points of σ cross the mirror to (σ(a), a), at right angles to it
        on_sigma, mirrored = mirror_samples(MIRRORED_XS)
        sigma_dots = VGroup(*(self.dot(x, y, t.sigma) for x, y in on_sigma))
        mirror_dots = VGroup(*(self.dot(x, y, t.logit) for x, y in mirrored))
        crossings = VGroup(*(self.segment(a, b) for a, b in zip(on_sigma, mirrored, strict=True)))
        right_angle = self.get_right_angle(crossings[-1])
        swap_rule = self.math(r"(a,\ ", r"\sigma(a)", r")", r"\ \mapsto\ ", r"(", r"\sigma(a)", r",\ a)")
        for i in (1, 5):
            swap_rule[i].set_color(t.sigma)
        swap_rule.move_to([self.text_column_x(), 0.2, 0])
        self.play_narrated(
            "Swap each point's coordinates: (a, σ(a)) lands on (σ(a), a),",
            AnimationGroup(
                LaggedStartMap(GrowFromCenter, sigma_dots, lag_ratio=0.15), Write(swap_rule), run_time=1
            ),
            LaggedStart(
                *(
                    AnimationGroup(Create(line), TransformFromCopy(start, end))
                    for line, start, end in zip(crossings, sigma_dots, mirror_dots, strict=True)
                ),
                lag_ratio=0.35,
            ),
            lag_ratio=1,
            run_time=4.5,
            say="Swap each point's coordinates: a, sigma of a, lands on sigma of a, a,",
        )
        self.play_narrated(
            "straight across the mirror, at a right angle.",
            Create(right_angle),
            Indicate(crossings[-1], color=t.highlight, scale_factor=1),
            run_time=3,
        )

        # The whole curve flips over the mirror and lands on the logit
        self.logit_curve = self.get_logit_curve()
        flipping = VGroup(self.sigma_curve.copy(), sigma_asymptotes.copy())
        logit_asymptotes = self.get_asymptotes(horizontal=False, color=t.logit)
        self.asymptotes = VGroup(*sigma_asymptotes, *logit_asymptotes)
        # The plane is a page turned over about its hinge, the mirror: a tinted sheet and the curve on it
        # fold over together, squashing onto the line and opening out on the other side
        sheet = self.get_sheet()
        with self.narrate("Fold the page over the mirror, and σ lands on its inverse: the logit.") as beat:
            self.play(
                FadeIn(sheet),
                Indicate(self.mirror_line, color=t.highlight, scale_factor=1),
                run_time=0.25 * beat.duration,
            )
            self.play(self.flip(VGroup(sheet, *flipping), t.logit), run_time=0.55 * beat.duration)
            self.play(FadeOut(sheet), run_time=beat.remaining())
        # The flipped copy lies exactly on the logit drawn from numerics; swap them
        self.remove(flipping)
        self.add(logit_asymptotes, self.logit_curve)
        logit_label = self.math(r"\operatorname{logit}(p)", color=t.logit)
        logit_label.move_to(self.axes.c2p(1.8, 2.78))
        # The horizontal axis is p for the logit, as it is x for σ
        self.p_name = p_name = self.axis_labels(self.axes, "p", color=t.logit)[0].next_to(
            axis_names[0], DOWN, buff=0.12
        )
        self.play_narrated(
            "Its asymptotes are p = 0 and p = 1: certainty is infinitely far off.",
            FadeOut(crossings, sigma_dots, mirror_dots, right_angle, swap_rule),
            FadeIn(logit_label, p_name),
            FadeIn(self.get_asymptote_labels()),
            Indicate(logit_asymptotes, color=t.highlight, scale_factor=1),
            run_time=4,
        )

        # The formula: the log of the odds
        logit_formula = self.math(r"\operatorname{logit}(p) = \ln\frac{p}{1 - p}", color=t.logit)
        logit_formula.next_to(sigma_formula, DOWN, buff=0.3)
        self.play_narrated("In symbols: the log of the odds.", Write(logit_formula), run_time=3)

        # The round trip on the graph: x = 2 up to σ(2), marked on the y axis; across the mirror,
        # where the mark lands on the p axis; back to 2. Written out beside the graph as it goes.
        demo = self.get_round_trip_path(DEMO_X)
        walker = self.dot(DEMO_X, 0.0, t.highlight)
        _, (p_demo,), (back_demo,) = round_trip([DEMO_X])
        chain = self.get_round_trip_chain(DEMO_X, p_demo, back_demo)
        chain.move_to([self.text_column_x(), -0.6, 0])
        self.y_mark, self.p_mark = self.get_value_marks(DEMO_X, p_demo)
        with self.narrate(
            f"Round trip: σ takes 2 up to {_spoken(p_demo)},",
            say=f"Round trip: sigma takes 2 up to {_spoken(p_demo)},",
        ) as beat:
            self.play(FadeIn(walker, scale=0.5), FadeIn(chain[0]), run_time=0.15 * beat.duration)
            up = (Create(demo[0]), MoveAlongPath(walker, demo[0]), FadeIn(chain[1:3]))
            self.play(*up, run_time=0.5 * beat.duration)
            self.play(Create(self.y_mark), run_time=beat.remaining())
        with self.narrate(f"across the mirror, to p = {_spoken(p_demo)} on the p axis,") as beat:
            self.play(Create(demo[1]), MoveAlongPath(walker, demo[1]), run_time=0.5 * beat.duration)
            # The guide and value carry over from the y axis; the pointer to the mark is drawn after them
            guide_and_value, pointer = VGroup(*self.p_mark[:2]), self.p_mark[2]
            self.play(TransformFromCopy(self.y_mark, guide_and_value), run_time=0.7 * beat.remaining())
            self.play(Create(pointer), run_time=beat.remaining())
        with self.narrate(f"and the logit reads back {_spoken(back_demo)}.") as beat:
            back = (Create(demo[2]), MoveAlongPath(walker, demo[2]), FadeIn(chain[3:]))
            self.play(*back, run_time=beat.duration)

        # The check, row by row; each row lights up its two points, mirror images
        table, self.table_values = self.get_round_trip_table(logit_formula)
        header, rule, rows = table
        # The first row's beat also clears the round trip and brings in the header
        shown: VGroup = VGroup(demo, walker, chain, self.y_mark, self.p_mark)
        x, p, _ = round_trip(ROUND_TRIP_XS)
        for row, xi, pi, caption in zip(rows, x, p, self.row_captions(), strict=True):
            pair = VGroup(self.dot(xi, pi, t.sigma), self.dot(pi, xi, t.logit))
            self.play_narrated(
                caption,
                FadeOut(shown),
                FadeIn(header),
                Create(rule),
                FadeIn(row, shift=0.15 * DOWN),
                FadeIn(pair, scale=0.5),
                run_time=1.6,
            )
            shown = pair
        self.play_narrated(
            "The logit undoes σ: mirror images in y = x.",
            FadeOut(shown),
            Indicate(VGroup(*(r[2] for r in rows)), color=t.highlight, scale_factor=1.08),
            Indicate(self.mirror_line, color=t.highlight, scale_factor=1),
            run_time=4,
        )

    # --- builders -------------------------------------------------------------

    @staticmethod
    def row_captions() -> list[str]:
        """One spoken line per table row, with the row's own numbers."""
        x, p, back = round_trip(ROUND_TRIP_XS)
        lines = [f"{_spoken(xi)} goes to {_spoken(pi)}, and back." for xi, pi in zip(x, p, strict=True)]
        first = f"x = {_spoken(x[0])} goes to {_spoken(p[0])}, and back to {_spoken(back[0])}."
        lines[0] = f"Row by row: {first}"
        return lines

    def get_axes(self) -> Axes:
        """Square axes: one data unit has the same on-screen length along x and y."""
        # Not 1: the asymptotes y = 1 and p = 1 run there and are labelled themselves
        ticks = [v for v in range(-AXIS_LIMIT, AXIS_LIMIT + 1) if v not in (0, 1)]
        axes = self.make_axes(
            x_range=[-AXIS_LIMIT, AXIS_LIMIT, 1],
            y_range=[-AXIS_LIMIT, AXIS_LIMIT, 1],
            x_length=AXIS_LENGTH,
            y_length=AXIS_LENGTH,
            # Not 3 across: the axis is named x and p at its end, and the names would sit on it
            x_numbers=[v for v in ticks if v != AXIS_LIMIT],
            y_numbers=ticks,
        )
        return axes.shift(AXES_CENTER - axes.c2p(0, 0))

    def text_column_x(self) -> float:
        """Centre of the free column right of the axes."""
        right_of_axes = AXES_CENTER[0] + AXIS_LENGTH / 2
        return float((right_of_axes + config.frame_x_radius) / 2)

    def get_mirror_line(self) -> DashedLine:
        t = self.theme
        return DashedLine(
            self.axes.c2p(-AXIS_LIMIT, -AXIS_LIMIT),
            self.axes.c2p(AXIS_LIMIT, AXIS_LIMIT),
            dash_length=0.12,
            color=t.muted,
            stroke_width=t.guide_width,
        )

    def label_on_line(self, label: Mobject, at: float) -> Mobject:
        """Put ``label`` below-right of the point (at, at) of y = x, clear of the line."""
        return label.next_to(self.axes.c2p(at, at), DR, buff=0.15)

    def get_sigma_curve(self) -> VMobject:
        t = self.theme
        curve = self.axes.plot(
            lambda x: float(sigmoid(x)), x_range=[-AXIS_LIMIT, AXIS_LIMIT, 0.05], color=t.sigma
        )
        return curve.set_stroke(width=t.curve_width).set_z_index(2)

    def get_logit_curve(self) -> VMobject:
        """The logit over p in (0, 1), from ``numerics.logit``, clipped to the axes."""
        t = self.theme
        p, y = logit_samples(AXIS_LIMIT)
        curve = VMobject().set_points_smoothly(self.axes.c2p(p, y).T)
        return curve.set_stroke(color=t.logit, width=t.curve_width).set_z_index(2)

    def get_asymptotes(self, *, horizontal: bool, color: str) -> VGroup:
        """Dashed lines at 0 and 1: y = 0, 1 for σ (horizontal), p = 0, 1 for the logit."""
        lines = VGroup()
        for level in (0, 1):
            ends = [(-AXIS_LIMIT, level), (AXIS_LIMIT, level)]
            if not horizontal:
                ends = [(x, y) for y, x in ends]
            lines.add(
                DashedLine(
                    self.axes.c2p(*ends[0]),
                    self.axes.c2p(*ends[1]),
                    dash_length=0.1,
                    color=color,
                    stroke_width=self.theme.guide_width,
                    stroke_opacity=0.8,
                ).set_z_index(1)
            )
        return lines

    def get_asymptote_labels(self) -> VGroup:
        """``p = 0`` and ``p = 1`` in the empty quarter, below right of where they stand."""
        t = self.theme
        labels = VGroup(
            self.math("p = 0", size="small", color=t.logit),
            self.math("p = 1", size="small", color=t.logit),
        )
        labels[0].next_to(self.axes.c2p(0, -2.5), LEFT, buff=0.12)
        labels[1].next_to(self.axes.c2p(1, -2.5), RIGHT, buff=0.12)
        return labels

    def dot(self, x: float, y: float, color: str) -> Dot:
        return Dot(self.axes.c2p(x, y), radius=0.07, color=color).set_z_index(3)

    def segment(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Line:
        t = self.theme
        return Line(
            self.axes.c2p(*start), self.axes.c2p(*end), color=t.text, stroke_width=t.guide_width
        ).set_z_index(1)

    def get_right_angle(self, crossing: Line) -> RightAngle:
        """The square corner where ``crossing`` meets the mirror."""
        mirror = Line(self.axes.c2p(-AXIS_LIMIT, -AXIS_LIMIT), self.axes.c2p(AXIS_LIMIT, AXIS_LIMIT))
        return RightAngle(
            mirror, crossing, length=0.22, quadrant=(1, -1), color=self.theme.text, stroke_width=2
        ).set_z_index(1)

    def get_sheet(self) -> Polygon:
        """The axes' square as a faintly tinted page, to be turned over about y = x with the curve."""
        t = self.theme
        a = AXIS_LIMIT
        sheet = Polygon(*(self.axes.c2p(x, y) for x, y in ((-a, -a), (a, -a), (a, a), (-a, a))))
        sheet.set_fill(t.sigma, opacity=0.12).set_stroke(t.sigma, t.guide_width, opacity=0.5)
        return sheet.set_z_index(0)

    def flip(self, mob: Mobject, color: str) -> Transform:
        """A half turn of ``mob`` about y = x: the reflection, seen as a page turning over."""
        target = mob.copy().apply_matrix(SWAP_XY, about_point=self.axes.c2p(0, 0)).set_color(color)
        return Transform(mob, target, path_arc=PI, path_arc_axis=MIRROR_AXIS)

    def get_round_trip_path(self, x: float) -> VGroup:
        """Three legs: (x, 0) up to σ, across the mirror to the logit, left to the y-axis."""
        t = self.theme
        _, (p,), _ = round_trip([x])
        c2p = self.axes.c2p
        corners = [c2p(x, 0), c2p(x, p), c2p(p, x), c2p(0, x)]
        return VGroup(
            *(
                Line(a, b, color=t.highlight, stroke_width=t.guide_width + 1).set_z_index(1)
                for a, b in itertools.pairwise(corners)
            )
        )

    def get_round_trip_chain(self, x: float, p: float, back: float) -> MathTex:
        """``x →σ→ p →logit→ back`` with the chapter's four decimals, built once."""
        t = self.theme
        chain = self.math(
            _spoken(x),
            r"\xrightarrow{\ \sigma\ }",
            _spoken(p),
            r"\xrightarrow{\ \operatorname{logit}\ }",
            _spoken(back),
        )
        chain[1].set_color(t.sigma)
        chain[2].set_color(t.highlight)
        chain[3].set_color(t.logit)
        return chain

    def get_value_marks(self, x: float, p: float) -> tuple[VGroup, VGroup]:
        """σ(x) = p marked twice: on the y axis (dashed from (x, p)), and its mirror image on the p axis.

        Each is a dashed guide from the point to the axis and the value written beyond the axis,
        in the highlight colour.
        """
        t = self.theme
        c2p = self.axes.c2p

        def mark(start: np.ndarray, end: np.ndarray) -> VGroup:
            guide = DashedLine(start, end, dash_length=0.08).set_stroke(t.highlight, t.guide_width)
            value = self.math(_spoken(p), size="small", color=t.highlight)
            # A rim of background keeps the digits readable where a curve passes behind them
            value.set_stroke(t.background, width=4, background=True)
            return VGroup(guide, value).set_z_index(4)

        on_y, on_p = mark(c2p(x, p), c2p(0, p)), mark(c2p(p, x), c2p(p, 0))
        # Below left of the mark on the y axis: under the asymptote y = 1, above σ, off the axis
        on_y[1].next_to(c2p(0, p), DL, buff=0.1)
        # The logit runs under the p axis left of p = 1: the value goes in the empty quarter right of
        # p = 1, below the tick numbers, with a pointer to the mark
        on_p[1].next_to(c2p(1, 0), DR, buff=0.12).shift(0.5 * DOWN + 0.05 * RIGHT)
        pointer = Line(on_p[1].get_corner(UL) + 0.04 * (LEFT + UP), c2p(p, 0))
        on_p.add(pointer.set_stroke(t.highlight, t.guide_width).set_z_index(4))
        return on_y, on_p

    def get_round_trip_table(self, above: Mobject) -> tuple[VGroup, list[tuple[DecimalNumber, ...]]]:
        """The chapter's round trip as a table under ``above``: header, rule, one row per x."""
        t = self.theme
        header = (
            self.math("x", size="small"),
            self.math(r"\sigma(x)", size="small", color=t.sigma),
            self.math(r"\operatorname{logit}(\sigma(x))", size="small", color=t.logit),
        )
        layout = TableLayout(
            column_x=tuple(TABLE_COLUMNS + self.text_column_x()),
            first_row=0.75,
            row_gap=0.52,
            rule_y=0.35,
            rule_overhang=0.3,
        )
        table, values = self.get_value_table(
            header, round_trip(ROUND_TRIP_XS), (t.text, t.sigma, t.logit), places=TABLE_PLACES, layout=layout
        )
        # Headers centred, integers right-aligned, decimal points in line; the header 0.55 under ``above``
        return table.shift((above.get_bottom()[1] - 0.55) * UP), values
