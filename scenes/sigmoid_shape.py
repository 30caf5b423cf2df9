"""What a sigmoid is, and the logistic function σ(x) = 1/(1 + e^(−x)).

Storyboard: empty axes over x ∈ [−10, 10], y ∈ [0, 1]; the logistic curve is
drawn and its formula written in the column on the right. The three marks of
a sigmoid are shown one by one and ticked off in a list: a dot rides up the
curve (increasing); dashed lines at 0 and 1 fence it in, with the limits
written at the two ends (bounded, range (0, 1)); a dot at (0, ½) marks the one
inflection point, and σ(0) = 1/(1 + e⁰) = ½ is worked out. A copy of the
curve turns half a turn about (0, ½) and lands back on the curve; two
brackets at x = ±2, the gap under σ(−2) and the gap over σ(2), show the
symmetry σ(−x) = 1 − σ(x). A dimmer switch: a knob x slides left to right, a
dot rides the curve and a lamp glows with brightness σ(x), off at the left
and fully on at the right; the curve briefly sharpens to σ(2x) and back, the
steepness knob that SteepnessSweep turns. The scene closes on the chapter's
hand values (Easy 1), σ(0), σ(±1), σ(±10), as dots on the curve and a table.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/sigmoid_shape.py SigmoidShape
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    PI,
    RIGHT,
    Axes,
    Circle,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    Line,
    Rotate,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
    there_and_back_with_pause,
)

from lecture.numerics import sigmoid
from scenes.common import LectureScene, LiveNumber

__all__ = ["HAND_XS", "SigmoidShape", "hand_value_places", "hand_values"]

#: A unit beyond the chapter's ±10, so the dots at σ(±10) stand clear of the plot's edges.
X_MIN, X_MAX = -11.0, 11.0
#: Scene x of the plot's left edge and size; the column right of it holds the text.
PLOT_LEFT = -6.55
PLOT_WIDTH = 7.9
PLOT_HEIGHT = 4.6
PLOT_BOTTOM = -2.75
#: Centre of the text column right of the plot.
COLUMN_X = 4.25
#: The curve is sampled every 0.05, symmetrically about 0, so the half-turned copy lands on the samples.
SAMPLE_STEP = 0.05
#: The half turn shows the rise, |x| ≤ 4 (σ(4) ≈ 0.982); the flat tails would sweep the frame.
TURN_X = 4.0
#: The symmetry's witness: the gaps under σ(−a) and over σ(a).
SYMMETRY_X = 2.0
#: The chapter's Easy 1, in the order it lists them.
HAND_XS = (0.0, 1.0, -1.0, 10.0, -10.0)
#: The dimmer's knob travels this far each way.
KNOB_X = 8.0
#: The steepness teased at the end of the dimmer, paid off by SteepnessSweep.
PREVIEW_K = 2.0


def hand_value_places(x: float) -> int:
    """Decimals a hand value is shown with: enough that σ(±10) is not printed as 1 or 0.

    Examples
    --------
    >>> [hand_value_places(x) for x in HAND_XS]
    [1, 3, 3, 5, 5]
    """
    if x == 0:
        return 1
    return 3 if abs(x) < 5 else 5


def hand_values() -> list[tuple[float, float, int]]:
    """The chapter's Easy 1: ``(x, σ(x), decimals shown)`` for x = 0, 1, −1, 10, −10.

    Examples
    --------
    >>> [(x, round(s, places)) for x, s, places in hand_values()]
    [(0.0, 0.5), (1.0, 0.731), (-1.0, 0.269), (10.0, 0.99995), (-10.0, 5e-05)]
    """
    return [(x, float(sigmoid(x)), hand_value_places(x)) for x in HAND_XS]


class SigmoidShape(LectureScene):
    """The logistic function, the three marks of a sigmoid, its symmetry, the dimmer and Easy 1.

    After ``construct()``: ``self.axes`` maps data to the screen, ``self.curve``
    is σ, ``self.gaps`` the two brackets at x = ±2, ``self.hand_dots`` the
    dots at the hand values and ``self.table_values`` their ``(x, σ(x))``
    DecimalNumber rows; ``self.lamp`` is the dimmer's bulb, which ends fully on.
    """

    def construct(self) -> None:
        t = self.theme

        # Empty axes: the question
        title = self.title("What makes a sigmoid?")
        self.axes = axes = self.get_axes()
        names = self.axis_labels(axes, "x", r"\sigma(x)", y_axis_at=X_MIN)
        with self.narrate("A sigmoid is any function shaped like the letter S.") as beat:
            self.play(FadeIn(title), Create(axes, lag_ratio=0.1), FadeIn(names), run_time=beat.duration)

        # The logistic function and its formula
        self.curve = curve = self.get_curve(axes)
        formula = self.math(r"\sigma(x) = \frac{1}{1 + e^{-x}}", color=t.sigma)
        formula.move_to([COLUMN_X, 2.3, 0])
        with self.narrate(
            "The most common is the logistic function, σ(x) = 1/(1 + e^(−x)).",
            say="The most common is the logistic function: "
            "sigma of x equals one over one plus e to the minus x.",
        ) as beat:
            self.play(Create(curve), run_time=0.5 * beat.duration, rate_func=linear)
            self.play(Write(formula), run_time=beat.remaining())

        # Mark one: increasing. A dot rides up the curve and the list gets its first tick
        marks = self.get_marks_list()
        marks.next_to(formula, DOWN, buff=0.5).set_x(COLUMN_X)
        rider = self.get_rider(axes, -6.0)
        with self.narrate("Three marks make it a sigmoid. First, it only ever goes up.") as beat:
            self.play(FadeIn(marks[0]), GrowFromCenter(rider.dot), run_time=0.3 * beat.duration)
            self.play(rider.tracker.animate.set_value(6.0), run_time=beat.remaining(), rate_func=smooth)

        # Mark two: bounded between 0 and 1, with the limits at either end
        fences = self.get_fences(axes)
        limits = self.get_limit_labels(axes)
        with self.narrate("Second, it is bounded: it never reaches 0 or 1.") as beat:
            self.play(FadeOut(rider.dot), run_time=0.1 * beat.duration)
            self.play(Create(fences), FadeIn(marks[1]), run_time=0.5 * beat.duration)
        with self.narrate("Far right, it tends to 1; far left, it tends to 0.") as beat:
            self.play(FadeIn(limits[0], shift=0.2 * LEFT), run_time=0.45 * beat.duration)
            self.play(FadeIn(limits[1], shift=0.2 * RIGHT), run_time=beat.remaining())

        # Mark three: one inflection point, at (0, ½), and why σ(0) = ½
        centre = axes.c2p(0, float(sigmoid(0.0)))
        self.centre_dot = centre_dot = Dot(centre, radius=0.08, color=t.highlight).set_z_index(3)
        bend_label = self.text("inflection point", size="small", color=t.highlight)
        bend_label.next_to(centre, RIGHT, buff=0.25).shift(0.3 * DOWN)
        with self.narrate("Third, it bends just once: one inflection point, in the middle.") as beat:
            self.play(GrowFromCenter(centre_dot), FadeIn(marks[2]), run_time=0.5 * beat.duration)
            self.play(FadeIn(bend_label), run_time=beat.remaining())
        at_zero = self.math(r"\sigma(0) = \frac{1}{1 + e^{0}} = \frac{1}{2}")
        at_zero.next_to(marks, DOWN, buff=0.5).set_x(COLUMN_X)
        with self.narrate(
            "That point is σ(0): e to the 0 is 1, so σ(0) is one half.",
            say="That point is sigma of 0: e to the 0 is 1, so sigma of 0 is one half.",
        ) as beat:
            self.play(Write(at_zero), run_time=0.7 * beat.duration)

        # The symmetry: half a turn about (0, ½) puts the curve back on itself
        # Only the rise turns: the whole width would swing through the text column and off the frame
        self.turned = turned = self.get_curve(axes, x_max=TURN_X)
        turned.set_stroke(t.highlight, width=t.curve_width * 0.7)
        with self.narrate("Turn the curve half a turn about that point, and it lands on itself.") as beat:
            # The fence at 0 lies on the x axis; the one at 1 stays, as a quiet guide
            self.play(
                FadeOut(bend_label),
                FadeOut(limits),
                FadeOut(fences[0]),
                fences[1].animate.set_stroke(t.muted),
                run_time=0.15 * beat.duration,
            )
            self.play(Rotate(turned, angle=PI, about_point=centre), run_time=0.6 * beat.duration)
            self.play(FadeOut(turned), run_time=beat.remaining())
        self.gaps = gaps = self.get_gaps(axes, SYMMETRY_X)
        symmetry = self.math(r"\sigma(-x) = 1 - \sigma(x)")
        symmetry.move_to(at_zero)
        with self.narrate(
            "So σ(−x) = 1 − σ(x): the gap under σ(−2) matches the gap over σ(2).",
            say="So sigma of minus x is one minus sigma of x: the gap under sigma of minus 2 "
            "matches the gap over sigma of 2.",
        ) as beat:
            self.play(FadeOut(at_zero), FadeIn(symmetry), run_time=0.3 * beat.duration)
            self.play(Create(gaps[0]), run_time=0.3 * beat.duration)
            self.play(Create(gaps[1]), run_time=beat.remaining())

        # The dimmer switch: the knob is x, the brightness σ(x)
        self.knob = knob = ValueTracker(-KNOB_X)
        dimmer = self.get_dimmer(knob)
        dimmer.move_to([COLUMN_X, -1.55, 0])
        self.lamp = dimmer.lamp
        knob_dot = self.get_rider(axes, -KNOB_X, tracker=knob).dot
        with self.narrate("Think of a dimmer switch: x turns the knob, σ(x) is the brightness.") as beat:
            self.play(
                FadeOut(marks),
                FadeOut(gaps),
                symmetry.animate.next_to(formula, DOWN, buff=0.4),
                run_time=0.3 * beat.duration,
            )
            self.play(FadeIn(dimmer), GrowFromCenter(knob_dot), run_time=beat.remaining())
        with self.narrate(
            "Fully off far to the left, fully on far to the right, and a smooth fade between."
        ) as beat:
            self.play(knob.animate.set_value(KNOB_X), run_time=beat.duration, rate_func=linear)
        with self.narrate(
            "How quickly it fades in is a knob of its own, the steepness, turned next."
        ) as beat:
            sharper = self.get_curve(axes, k=PREVIEW_K)
            self.play(
                Transform(curve, sharper, rate_func=there_and_back_with_pause),
                run_time=beat.duration,
            )
        # The curve is back on σ(x), sampled exactly as it was drawn
        self.curve.become(self.get_curve(axes))

        # The chapter's hand values, on the curve and in a table
        table, self.table_values = self.get_hand_table()
        table.next_to(symmetry, DOWN, buff=0.45).set_x(COLUMN_X)
        self.hand_dots = hand_dots = VGroup(
            *(
                Dot(axes.c2p(x, s), radius=0.075, color=t.highlight).set_z_index(3)
                for x, s, _ in hand_values()
            )
        )
        header, rows = table
        with self.narrate("Now the chapter's hand values. σ(0) is exactly one half.") as beat:
            self.play(FadeOut(dimmer), FadeOut(knob_dot), FadeOut(centre_dot), run_time=0.25 * beat.duration)
            self.play(
                FadeIn(header), FadeIn(rows[0]), GrowFromCenter(hand_dots[0]), run_time=beat.remaining()
            )
        with self.narrate(
            "σ(1) is about 0.731 and σ(−1) about 0.269: together, 1.",
            say="Sigma of 1 is about 0.731, and sigma of minus 1 about 0.269: together, one.",
        ) as beat:
            self.play(FadeIn(rows[1]), GrowFromCenter(hand_dots[1]), run_time=0.4 * beat.duration)
            self.play(FadeIn(rows[2]), GrowFromCenter(hand_dots[2]), run_time=0.4 * beat.duration)
        with self.narrate(
            "At ±10 the curve is all but flat: within 0.00005 of 1 and of 0.",
            say="At plus and minus 10 the curve is all but flat: within 0.00005 of one, and of zero.",
        ) as beat:
            self.play(FadeIn(rows[3]), GrowFromCenter(hand_dots[3]), run_time=0.35 * beat.duration)
            self.play(FadeIn(rows[4]), GrowFromCenter(hand_dots[4]), run_time=0.35 * beat.duration)
            self.play(Indicate(VGroup(rows[3][1], rows[4][1]), color=t.highlight), run_time=beat.remaining())

    # --- builders -----------------------------------------------------------------
    def get_axes(self) -> Axes:
        """x ∈ [−10, 10], y ∈ [0, 1]; the y axis stands at the left edge, out of the curve's way."""
        axes = self.make_axes(
            (X_MIN, X_MAX, 1),
            (0, 1, 0.5),
            x_length=PLOT_WIDTH,
            y_length=PLOT_HEIGHT,
            x_numbers=(-10, -5, 0, 5, 10),
        )
        axes.shift(np.array([PLOT_LEFT, PLOT_BOTTOM, 0.0]) - axes.c2p(X_MIN, 0))
        self.left_y_axis(axes, (0, 0.5, 1))
        return axes

    def get_curve(self, axes: Axes, k: float = 1.0, x_max: float = X_MAX) -> VMobject:
        """σ(kx) on [−x_max, x_max] as a polyline through numerics samples, every 0.05, symmetric about 0."""
        xs = np.linspace(-x_max, x_max, round(2 * x_max / SAMPLE_STEP) + 1)
        points = axes.c2p(np.column_stack([xs, sigmoid(xs, k)]))
        curve = VMobject().set_points_as_corners(points)
        return curve.set_stroke(self.theme.sigma, width=self.theme.curve_width).set_z_index(2)

    def get_marks_list(self) -> VGroup:
        """The three marks of a sigmoid, each a tick and a line of text."""
        t = self.theme
        rows = VGroup()
        for words, maths in (
            ("increasing", None),
            ("bounded, in", r"(0,\,1)"),
            ("one inflection point", None),
        ):
            tick = self.math(r"\checkmark", color=t.highlight)
            row = VGroup(tick, self.text(words))
            if maths:
                row.add(self.math(maths))
            rows.add(row.arrange(RIGHT, buff=0.2))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    def get_rider(self, axes: Axes, x: float, tracker: ValueTracker | None = None) -> VGroup:
        """A dot on σ at the tracker's x; ``.dot`` and ``.tracker`` name the parts."""
        tracker = tracker or ValueTracker(x)
        dot = Dot(radius=0.08, color=self.theme.highlight).set_z_index(3)
        dot.add_updater(
            lambda d: d.move_to(axes.c2p(tracker.get_value(), float(sigmoid(tracker.get_value()))))
        )
        dot.update()
        rider = VGroup(dot)
        rider.dot, rider.tracker = dot, tracker
        return rider

    def get_fences(self, axes: Axes) -> VGroup:
        """Dashed lines at y = 0 and y = 1: the bounds σ approaches but never touches."""
        t = self.theme
        return VGroup(
            *(
                DashedLine(axes.c2p(X_MIN, y), axes.c2p(X_MAX, y), dash_length=0.12).set_stroke(
                    t.highlight, t.guide_width
                )
                for y in (0.0, 1.0)
            )
        )

    def get_limit_labels(self, axes: Axes) -> VGroup:
        """The two limits, in the empty corners: lower right under 1, upper left over 0."""
        t = self.theme
        right = self.math(r"\sigma(x) \to 1 \text{ as } x \to \infty", size="small", color=t.sigma)
        right.next_to(axes.c2p(X_MAX, 0.78), LEFT, buff=0.1)
        left = self.math(r"\sigma(x) \to 0 \text{ as } x \to -\infty", size="small", color=t.sigma)
        left.next_to(axes.c2p(X_MIN, 0.22), RIGHT, buff=0.3)
        return VGroup(right, left)

    def get_gaps(self, axes: Axes, a: float) -> VGroup:
        """The gap from 0 up to σ(−a) and from σ(a) up to 1: equal, by the symmetry."""
        t = self.theme
        low, high = float(sigmoid(-a)), float(sigmoid(a))
        under = Line(axes.c2p(-a, 0), axes.c2p(-a, low))
        over = Line(axes.c2p(a, high), axes.c2p(a, 1))
        gaps = VGroup()
        for line, end in ((under, axes.c2p(-a, low)), (over, axes.c2p(a, high))):
            line.set_stroke(t.highlight, t.curve_width * 0.8)
            gaps.add(VGroup(line, Dot(end, radius=0.06, color=t.highlight)).set_z_index(3))
        # Each label in the open space beside its gap: above the left tail, below the right one
        label = self.math(r"\sigma(-2)", size="small", color=t.highlight)
        label.next_to(axes.c2p(-a - 0.2, 0.3), LEFT, buff=0)
        gaps[0].add(label)
        other = self.math(r"1 - \sigma(2)", size="small", color=t.highlight)
        other.next_to(axes.c2p(a + 0.2, 0.7), RIGHT, buff=0)
        gaps[1].add(other)
        return gaps

    def get_dimmer(self, knob: ValueTracker) -> VGroup:
        """A lamp lit to brightness σ(x), with the knob's x and the brightness as live numbers."""
        t = self.theme
        lamp = Circle(radius=0.5).set_stroke(t.muted, t.axis_width)
        lamp.add_updater(lambda m: m.set_fill(t.highlight, opacity=float(sigmoid(knob.get_value()))))
        lamp.update()
        size = t.label_size * 1.25
        knob_row = VGroup(
            self.math("x ="),
            LiveNumber(knob.get_value(), num_decimal_places=1, font_size=size, color=t.text),
        )
        light_row = VGroup(
            self.math(r"\sigma(x) =", color=t.sigma),
            LiveNumber(
                float(sigmoid(knob.get_value())), num_decimal_places=4, font_size=size, color=t.sigma
            ),
        )
        for row in (knob_row, light_row):
            row.arrange(RIGHT, buff=0.15)
        knob_row[1].add_updater(lambda m: m.set_value(knob.get_value()))
        light_row[1].add_updater(lambda m: m.set_value(float(sigmoid(knob.get_value()))))
        readouts = VGroup(knob_row, light_row).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        dimmer = VGroup(lamp, readouts).arrange(RIGHT, buff=0.45)
        dimmer.lamp = lamp
        return dimmer

    def get_hand_table(self) -> tuple[VGroup, list[tuple[DecimalNumber, DecimalNumber]]]:
        """Header and one row per hand value; the σ(x) column lines up on its decimal points."""
        t = self.theme
        size = t.label_size * 1.25
        header = VGroup(self.math("x"), self.math(r"\sigma(x)", color=t.sigma))
        values = [
            (
                DecimalNumber(x, num_decimal_places=0, font_size=size, color=t.text),
                DecimalNumber(s, num_decimal_places=places, font_size=size, color=t.sigma),
            )
            for x, s, places in hand_values()
        ]
        rows = VGroup(*(VGroup(*row) for row in values))
        header[0].move_to([-1.0, 0, 0])
        header[1].move_to([0.75, 0, 0])
        for i, (x_cell, s_cell) in enumerate(values):
            y = -0.6 - 0.5 * i
            x_cell.move_to([0, y, 0]).align_to([-0.7, 0, 0], RIGHT)
            s_cell.move_to([0, y, 0])
            s_cell.shift((0.2 - decimal_point(s_cell).get_x()) * RIGHT)
        return VGroup(header, rows), values


def decimal_point(number: DecimalNumber) -> VMobject:
    """The glyph of ``number``'s decimal point, to line a column up on."""
    text = f"{number.get_value():.{number.num_decimal_places}f}"
    return number[text.index(".")]
