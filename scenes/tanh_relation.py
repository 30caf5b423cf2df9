"""tanh x = 2σ(2x) − 1: tanh is σ squeezed, stretched and shifted.

Storyboard
----------
1. σ on axes that run from −1 to 2, so every stage fits; then, dashed, the
   destination tanh x, rising from −1 to 1.
2. Squeeze x by 2: the live curve σ(cx) goes from c = 1 to c = 2. A marked
   point shows the move: (2, σ(2)) slides across to (1, σ(2)).
3. Stretch y by 2: 2σ(2x) runs from 0 to 2; the point doubles its height.
4. Shift down by 1: 2σ(2x) − 1, and the curve lands exactly on the dashed
   tanh; each step is written in the right-hand column as it happens.
5. The chapter's check (Easy 2) at x = −2, −1, 0, 1, 2: a table of
   2σ(2x) − 1 beside tanh x, each row lighting its point on the curve.
6. Slopes: both stretches multiply the slope by 2, so tanh′(0) = 2 · 2 · σ′(0)
   = 1, shown as the tangent at the origin.

The live curve is sampled from ``numerics.sigmoid`` with the transformation
applied; the dashed target and the table's tanh column come from
``numerics.tanh_via_sigmoid`` (tanh to within a few ulp of mpmath), so the
landing is a check, not a redraw.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/tanh_relation.py TanhRelation
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    LEFT,
    Arrow,
    Axes,
    Create,
    DashedLine,
    DashedVMobject,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

from lecture.numerics import sigmoid, sigmoid_derivative, tanh_via_sigmoid
from scenes.common import LectureScene, TableLayout

__all__ = ["TanhRelation", "tanh_checks", "transformed_sigmoid"]

X_MIN, X_MAX = -4.0, 4.0
#: 2σ(2x) reaches almost 2 before the shift, so the plot runs up to 2.
Y_MIN, Y_MAX = -1.0, 2.0
PLOT_WIDTH, PLOT_HEIGHT = 7.2, 5.2
#: Scene point of the data origin: the plot on the left, a column for the algebra on the right.
ORIGIN_AT = np.array([-3.0, -1.05, 0.0])
PANEL_LEFT, PANEL_RIGHT = 1.55, 6.6
#: Samples across the plot; σ(2x) bends within |x| < 2, 40 per unit is smooth at 1080p.
CURVE_SAMPLES = 321
#: The marked point ends at x = 1, so it starts at x = 2 before the squeeze.
MARKED_X = 1.0
#: The chapter's exercise (Easy 2) and the places shown in its table.
CHECK_XS = (-2.0, -1.0, 0.0, 1.0, 2.0)
TABLE_PLACES = 4
TABLE_LAYOUT = TableLayout(
    column_x=(-1.75, -0.05, 1.6), first_row=0.62, row_gap=0.45, rule_y=0.3, rule_overhang=0.2, align="right"
)
#: Half-length of the tangent drawn at the origin, in data units of x.
TANGENT_HALF = 0.8


def transformed_sigmoid(
    x: npt.ArrayLike, squeeze: float = 1.0, stretch: float = 1.0, shift: float = 0.0
) -> np.ndarray:
    r"""σ after the scene's three moves: ``stretch · σ(squeeze · x) + shift``.

    With ``squeeze = 2, stretch = 2, shift = -1`` this is :math:`2\sigma(2x) - 1`.

    Examples
    --------
    >>> xs = np.array([-1.0, 0.0, 1.0])
    >>> bool(np.allclose(transformed_sigmoid(xs, 2, 2, -1), np.tanh(xs)))
    True
    """
    return stretch * np.asarray(sigmoid(squeeze * np.asarray(x, dtype=float))) + shift


def tanh_checks(xs: npt.ArrayLike = CHECK_XS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chapter's check: ``(x, 2σ(2x) − 1, tanh x)`` for each x.

    Examples
    --------
    >>> x, via_sigma, tanh = tanh_checks()
    >>> via_sigma.round(4).tolist()
    [-0.964, -0.7616, 0.0, 0.7616, 0.964]
    >>> float(np.max(np.abs(via_sigma - tanh))) < 1e-15
    True
    """
    x = np.asarray(xs, dtype=float)
    return x, transformed_sigmoid(x, 2.0, 2.0, -1.0), np.asarray(tanh_via_sigmoid(x))


class TanhRelation(LectureScene):
    """σ squeezed, stretched and shifted onto tanh, then the chapter's numerical check.

    Attributes set by ``construct`` (the tests read them): ``axes``, ``curve``
    (the transformed σ, frozen at the end), ``target`` (dashed tanh),
    ``tangent`` and ``table_values`` (rows of DecimalNumbers).
    """

    def construct(self) -> None:
        t = self.theme

        # σ on axes tall enough for every stage
        title = self.title("tanh is a rescaled sigmoid")
        self.axes = self.get_axes()
        self.squeeze, self.stretch, self.shift = ValueTracker(1.0), ValueTracker(1.0), ValueTracker(0.0)
        self.curve = self.get_live_curve()
        steps = self.get_steps()
        with self.narrate("Here is σ of x, rising from 0 to 1.") as beat:
            self.play(FadeIn(title, shift=0.2 * DOWN), Create(self.axes), run_time=0.4 * beat.duration)
            self.play(Create(self.curve), FadeIn(steps[0]), run_time=beat.remaining())

        # The destination, dashed: tanh, from −1 to 1
        self.target = self.get_target()
        # below the curves' right-hand end, where no stage of the transformation passes
        target_label = self.math(r"\tanh x", color=t.step).move_to(self.axes.c2p(2.7, 0.55))
        range_guides = self.get_range_guides()
        with self.narrate("Dashed, where we want to go: tanh x, rising from −1 to 1.") as beat:
            self.play(Create(self.target), FadeIn(target_label), run_time=0.6 * beat.duration)
            self.play(Create(range_guides), run_time=beat.remaining())

        # Squeeze x by 2: the marked point slides from x = 2 to x = 1
        marker = self.get_marker()
        self.play_narrated("Follow one point of σ, at x = 2.", FadeIn(marker, scale=0.5), run_time=1.5)
        with self.narrate("First squeeze x by 2: σ of 2x climbs twice as fast.") as beat:
            self.transform_step(self.squeeze, 2.0, steps[1], beat.duration)

        # Stretch y by 2: from 0 up to 2
        with self.narrate("Then stretch it up by 2: now it runs from 0 to 2.") as beat:
            self.transform_step(self.stretch, 2.0, steps[2], beat.duration)

        # Shift down by 1: it lands on tanh
        with self.narrate("Last, shift it down by 1.") as beat:
            self.transform_step(self.shift, -1.0, steps[3], beat.duration)
        self.curve.clear_updaters()  # frozen where it landed: the tests read its points
        marker.clear_updaters()
        box = SurroundingRectangle(steps[3][0], color=t.highlight, buff=0.12, stroke_width=t.guide_width)
        with self.narrate("It lands exactly on tanh: tanh x is 2σ(2x) minus 1.") as beat:
            self.play(
                Indicate(self.curve, color=t.highlight, scale_factor=1),
                FadeOut(marker, self.previous_ghost),
                Create(box),
                run_time=beat.duration,
            )

        # The chapter's check at x = −2 … 2, row by row
        identity = VGroup(steps[3][0], box)
        table, self.table_values = self.get_check_table()
        header, rule, rows = table
        with self.narrate("Check it at five points, from −2 to 2.") as beat:
            self.play(
                FadeOut(steps[:3], steps[3][1]),
                identity.animate.next_to(title, DOWN, buff=0.5).set_x(self.panel_center_x()),
                run_time=0.5 * beat.duration,
            )
            table.next_to(identity, DOWN, buff=0.45)
            self.play(FadeIn(header), Create(rule), run_time=beat.remaining())
        x, via_sigma, _ = tanh_checks()
        dots = VGroup(
            *(
                Dot(self.axes.c2p(xi, yi), radius=0.07, color=t.highlight)
                for xi, yi in zip(x, via_sigma, strict=True)
            )
        )
        dots.set_z_index(3)
        with self.narrate("Both columns agree in every digit: the identity holds.") as beat:
            for row, dot in zip(rows, dots, strict=True):
                self.play(
                    FadeIn(row, shift=0.1 * DOWN),
                    FadeIn(dot, scale=0.5),
                    run_time=0.7 * beat.duration / len(rows),
                )
            self.play(
                Indicate(VGroup(*(r[1:] for r in rows)), color=t.highlight, scale_factor=1.05),
                run_time=beat.remaining(),
            )

        # Slopes: the two stretches multiply σ′(0) = ¼ by 4
        self.tangent = self.get_tangent()
        slope = self.math(
            r"\tanh'(0) = 2 \cdot 2 \cdot \sigma'(0) = 1", color=t.derivative, size="small"
        ).next_to(table, DOWN, buff=0.45)
        with self.narrate(
            "Both stretches double the slope: four times σ′(0) = ¼ gives tanh′(0) = 1."
        ) as beat:
            self.play(FadeOut(dots), Create(self.tangent), run_time=0.4 * beat.duration)
            self.play(Write(slope), run_time=beat.remaining())

    # --- the transformation ------------------------------------------------------
    def transform_step(self, tracker: ValueTracker, value: float, step: VGroup, duration: float) -> None:
        """Move one of the three knobs to ``value``, leaving a faint copy of the curve before it.

        An arrow shows where the marked point goes, and the step's line of
        algebra is written alongside.
        """
        t = self.theme
        ghost = self.curve.copy().clear_updaters().set_stroke(opacity=0.35, width=t.curve_width * 0.6)
        start = self.marked_point()
        old_value = tracker.get_value()
        tracker.set_value(value)
        end = self.marked_point()
        tracker.set_value(old_value)
        arrow = Arrow(start, end, buff=0.1, color=t.highlight, stroke_width=t.guide_width + 1)
        arrow.set_z_index(2)
        previous = [m for m in self.mobjects if getattr(m, "is_ghost", False)]
        ghost.is_ghost = True
        self.add(ghost, self.curve)
        fades = [FadeOut(m) for m in previous]
        self.play(*fades, FadeIn(step, shift=0.15 * DOWN), run_time=0.25 * duration)
        self.play(tracker.animate.set_value(value), Create(arrow), run_time=0.55 * duration, rate_func=smooth)
        self.play(FadeOut(arrow), run_time=0.2 * duration)
        self.previous_ghost = ghost

    def marked_point(self) -> np.ndarray:
        """Where the marked point is now: the point of σ that ends at x = 1, moved with the curve."""
        squeeze = self.squeeze.get_value()
        x = MARKED_X * 2.0 / squeeze  # starts at x = 2, the squeeze brings it to 1
        y = float(transformed_sigmoid(x, squeeze, self.stretch.get_value(), self.shift.get_value()))
        return self.axes.c2p(x, y)

    # --- builders ----------------------------------------------------------------
    def get_axes(self) -> Axes:
        """x ∈ [−4, 4], y ∈ [−1, 2]; y labelled at the left edge, out of the curves' way at x = 0."""
        axes = self.make_axes(
            (X_MIN, X_MAX, 1),
            (Y_MIN, Y_MAX, 0.5),
            x_length=PLOT_WIDTH,
            y_length=PLOT_HEIGHT,
            x_numbers=(-3, -2, -1, 1, 2, 3, 4),
        )
        axes.shift(ORIGIN_AT - axes.c2p(0, 0))
        self.left_y_axis(axes, (-1, 0, 1, 2))
        return axes

    def get_live_curve(self) -> VMobject:
        """stretch · σ(squeeze · x) + shift across the plot, redrawn from the trackers."""

        def build() -> VMobject:
            xs = np.linspace(X_MIN, X_MAX, CURVE_SAMPLES)
            ys = transformed_sigmoid(
                xs, self.squeeze.get_value(), self.stretch.get_value(), self.shift.get_value()
            )
            curve = VMobject().set_points_as_corners(
                [self.axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)]
            )
            return curve.set_stroke(self.theme.sigma, self.theme.curve_width).set_z_index(1)

        return always_redraw(build)

    def get_target(self) -> DashedVMobject:
        """tanh x, dashed, from ``numerics.tanh_via_sigmoid``."""
        xs = np.linspace(X_MIN, X_MAX, CURVE_SAMPLES)
        ys = np.asarray(tanh_via_sigmoid(xs))
        path = VMobject().set_points_as_corners([self.axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])
        target = DashedVMobject(path, num_dashes=60, dashed_ratio=0.55)
        return target.set_stroke(self.theme.step, self.theme.curve_width * 0.8)

    def get_range_guides(self) -> VGroup:
        """Faint dashed lines at y = −1 and y = 1, tanh's asymptotes."""
        t = self.theme
        return VGroup(
            *(
                DashedLine(self.axes.c2p(X_MIN, y), self.axes.c2p(X_MAX, y), dash_length=0.08).set_stroke(
                    t.muted, t.guide_width, opacity=0.6
                )
                for y in (-1.0, 1.0)
            )
        )

    def get_marker(self) -> Dot:
        """The marked point, riding the transformation."""
        dot = Dot(self.marked_point(), radius=0.08, color=self.theme.highlight).set_z_index(3)
        dot.add_updater(lambda d: d.move_to(self.marked_point()))
        return dot

    def panel_center_x(self) -> float:
        """Centre of the right-hand column."""
        return (PANEL_LEFT + PANEL_RIGHT) / 2

    def get_steps(self) -> VGroup:
        """The algebra, one line per move: the formula so far and, muted, the move that made it."""
        t = self.theme
        lines = (
            ((r"\sigma(x)",), "the start"),
            ((r"\sigma(2x)",), "squeeze x by 2"),
            ((r"2\,\sigma(2x)",), "stretch y by 2"),
            ((r"2\,\sigma(2x) - 1", r"= \tanh x"), "shift down 1"),
        )
        rows = VGroup()
        for tex, move in lines:
            formula = self.math(*tex, color=t.sigma)
            note = self.text(move, size="small", color=t.muted)
            rows.add(VGroup(formula, note))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.42)
        for formula, note in rows:
            note.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.1)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        rows.move_to([PANEL_LEFT, 0.6, 0], aligned_edge=LEFT)
        rows[3][0][1].set_color(t.step)  # "= tanh x" in the destination's colour
        return rows

    def get_check_table(self) -> tuple[VGroup, list[tuple[DecimalNumber, ...]]]:
        """x, 2σ(2x) − 1 and tanh x for the chapter's five x, right-aligned (equal places, points in line)."""
        t = self.theme
        header = (
            self.math("x", size="small"),
            self.math(r"2\sigma(2x) - 1", size="small", color=t.sigma),
            self.math(r"\tanh x", size="small", color=t.step),
        )
        return self.get_value_table(
            header, tanh_checks(), (t.text, t.sigma, t.step), places=TABLE_PLACES, layout=TABLE_LAYOUT
        )

    def get_tangent(self) -> Line:
        """The tangent to tanh at 0, slope 4σ′(0) from numerics."""
        slope = 4.0 * float(sigmoid_derivative(0.0))
        line = Line(
            self.axes.c2p(-TANGENT_HALF, -slope * TANGENT_HALF),
            self.axes.c2p(TANGENT_HALF, slope * TANGENT_HALF),
        )
        return line.set_stroke(self.theme.derivative, self.theme.curve_width * 0.7).set_z_index(2)
