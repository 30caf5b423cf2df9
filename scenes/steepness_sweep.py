"""σ(kx) steepens toward the Heaviside step as the steepness k grows.

Storyboard: the first frame already shows the axes, the title and
σ(kx) = 1/(1 + e^(−kx)); k is set up as a dimmer knob (a dial beside the live k readout
turns with ln k); the dashed Heaviside step appears as the destination, its
levels named off and on; a live σ(kx) sweeps k geometrically from 0.5 to 50,
and each caption names the k the readout has just reached; at the chapter's
values k = 0.5, 1, 2, 5 a copy is left behind in the graded family palette; a
dot pinned at (0, ½) shows every curve passes through it; k = 10, 20 and 50
each hold long enough to read, named in the legend as they are reached (a
row for the live curve, under the family's), and the sliver where σ(50x) rises from 1 % to
99 % is marked; the curve lies on the step, σ(kx) → H(x) for x ≠ 0; the knob
is turned down (the rise is gradual again) and back up (it snaps): the dimmer
has become an on/off switch.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/steepness_sweep.py SteepnessSweep
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    UP,
    Axes,
    Circle,
    Circumscribe,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    Line,
    Rectangle,
    ReplacementTransform,
    ShowPassingFlash,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from lecture.numerics import heaviside, logit, sigmoid
from scenes.common import LectureScene, LiveNumber

__all__ = ["SteepnessSweep", "dense_near_zero_grid"]

X_RANGE = (-6, 6, 2)
Y_RANGE = (0, 1, 0.5)
#: The sweep's ends; k moves geometrically between them (log k is interpolated).
K_START = 0.5
K_END = 50.0
#: The chapter's figure: these curves stay behind as a graded family.
FAMILY_KS = (0.5, 1.0, 2.0, 5.0)
#: Samples per curve. The grid is dense near 0, where σ(50x) rises within |x| < 0.1.
CURVE_SAMPLES = 301
#: Seconds of sweep per unit of ln k (one e-fold of steepness), with a floor per stretch.
SECONDS_PER_EFOLD = 1.4
MIN_STRETCH_SECONDS = 1.6
#: Past the family, k stops here one at a time, so each value can be read.
LATE_KS = (10.0, 20.0, K_END)
#: The dial turns through this angle (radians) as ln k goes from K_START to K_END.
DIAL_SWEEP = 1.5 * np.pi
#: The sliver holds the rise from this share to its complement: 1 % to 99 %.
SLIVER_SHARE = 0.01
#: Family copies are drawn thinner than the live curve, as a fraction of its width.
FAMILY_WIDTH = 0.6


def dense_near_zero_grid(x_max: float, n: int, *, focus: float = 5.0) -> np.ndarray:
    r"""Sample points on :math:`[-x_{max}, x_{max}]`, packed close together near 0.

    Parameters
    ----------
    x_max : float
        Half-width of the interval.
    n : int
        Number of points (odd ``n`` includes 0 itself).
    focus : float, optional
        How strongly points gather at 0; 0 would be a uniform grid.

    Returns
    -------
    ndarray
        Increasing points, symmetric about 0, from ``-x_max`` to ``x_max``.

    Notes
    -----
    :math:`x = x_{max} \sinh(a t) / \sinh(a)` for uniform :math:`t \in [-1, 1]`:
    the spacing at 0 is :math:`\cosh(a)` times finer than at the ends, so one
    grid draws both a gentle σ(x/2) and a near-vertical σ(50x) cleanly.

    Examples
    --------
    >>> g = dense_near_zero_grid(6.0, 301)
    >>> float(g[0]), float(g[150]), float(g[-1])
    (-6.0, 0.0, 6.0)
    >>> bool(g[151] - g[150] < 0.01 < g[-1] - g[-2])
    True
    """
    t = np.linspace(-1.0, 1.0, n)
    return x_max * np.sinh(focus * t) / np.sinh(focus)


def k_of(k_tracker: ValueTracker) -> float:
    """The steepness a tracker stands for: it holds ln k, so that k sweeps geometrically."""
    return float(np.exp(k_tracker.get_value()))


def k_label(k: float) -> str:
    """The chapter's way of writing a steepness: ``k = 0.5``, ``k = 1``.

    Examples
    --------
    >>> k_label(0.5), k_label(5.0)
    ('k = 0.5', 'k = 5')
    """
    return f"k = {k:g}"


class SteepnessSweep(LectureScene):
    """Turn the steepness k of σ(kx) up from 0.5 to 50 and watch it become a step.

    After ``construct()``: ``self.axes`` maps data to the screen, ``self.curve``
    is the live σ(kx) and ``self.k`` its final steepness (``K_END``);
    ``self.family`` holds the copies left at ``FAMILY_KS`` and ``self.pin``
    the dot at (0, ½).
    """

    family_ks = FAMILY_KS
    k_start = K_START
    k_end = K_END

    def construct(self) -> None:
        t = self.theme

        # Axes, and a knob on the sigmoid: k, a dimmer
        title = self.title("Turning up the steepness k")
        self.axes = axes = self.get_axes()
        names = self.axis_labels(axes, "x", r"\sigma(kx)", y_axis_at=X_RANGE[0])
        formula = self.math(r"\sigma(kx) = \frac{1}{1 + e^{-kx}}")
        formula.next_to(axes.c2p(X_RANGE[0], 1), DR, buff=0.25).shift(0.25 * RIGHT)
        self.k_tracker = k_tracker = ValueTracker(np.log(self.k_start))
        readout = self.get_k_readout(k_tracker)
        readout.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.3)
        self.dial = dial = self.get_dial(k_tracker).next_to(readout, RIGHT, buff=0.45)
        # (on screen from the first frame: the scene never opens on an empty frame)
        self.opening = VGroup(title, axes, names, formula)
        self.add(self.opening)
        with self.narrate("Let's give the sigmoid a knob, k, like a dimmer switch.") as beat:
            self.play(FadeIn(readout, dial), run_time=0.5 * beat.duration)
            self.play(Indicate(formula, color=t.highlight, scale_factor=1.05), run_time=beat.remaining())

        # The destination: the dashed Heaviside step, off for x < 0 and on for x > 0
        self.step = step = self.get_step(axes)
        step_label = self.math("H(x)", size="small", color=t.step)
        step_label.next_to(axes.c2p(X_RANGE[1], 1), UP, buff=0.15).align_to(axes.c2p(X_RANGE[1], 0), RIGHT)
        levels = self.get_off_on(axes)
        with self.narrate("The destination: the Heaviside step, off for x below 0, on above.") as beat:
            self.play(Create(step), run_time=0.6 * beat.duration)
            self.play(FadeIn(step_label, levels, shift=0.2 * DOWN), run_time=beat.remaining())

        # The live curve at the gentlest k: the light fades on slowly
        self.curve = curve = self.get_live_curve(axes, k_tracker)
        self.legend = legend = self.get_legend(axes)
        self.family = VGroup()
        with self.narrate(
            "Turned low, at k = ½, the light fades on gently. We keep a copy.",
            say="Turned low, at k equals one half, the light fades on gently. We keep a copy.",
        ) as beat:
            self.play(Create(curve), run_time=0.6 * beat.duration)
            self.leave_copy(axes, 0, legend, run_time=beat.remaining())

        # Turn k up through the chapter's values; each caption names the k just reached
        captions = (
            ("Up to k = 1: the standard sigmoid.", "Up to k equals 1: the standard sigmoid."),
            ("At k = 2, the middle steepens and the tails flatten.", None),
            ("At k = 5, the rise is already close to vertical.", None),
        )
        for i, (caption, say) in enumerate(captions, start=1):
            with self.narrate(caption, say=say or caption.replace("k = ", "k equals ")) as beat:
                self.sweep_to(self.family_ks[i], run_time=0.35 * beat.duration)
                self.leave_copy(axes, i, legend, run_time=beat.remaining())

        # One point never moves: σ(k·0) = ½ for every k; swing k to prove it
        self.pin = pin = self.get_pin(axes, k_tracker)
        pin_label = self.math(r"\sigma(k \cdot 0) = \tfrac{1}{2}", size="small", color=t.highlight)
        pin_label.next_to(pin, DR, buff=0.12).shift(0.15 * DOWN + 0.15 * RIGHT)
        with self.narrate(
            "One point never moves: at x = 0, every curve gives exactly ½.",
            say="One point never moves: at x equals zero, every curve gives exactly one half.",
        ) as beat:
            self.play(GrowFromCenter(pin), FadeIn(pin_label, shift=0.1 * UP), run_time=0.3 * beat.duration)
            self.sweep_to(self.family_ks[1], run_time=0.35 * beat.duration)
            self.sweep_to(self.family_ks[-1], run_time=beat.remaining())

        # Keep turning, one stop at a time so each k can be read: 10, 20, 50, named in the legend
        with self.narrate(
            "Keep turning: k = 10, then 20, then 50.", say="Keep turning: k equals 10, then 20, then 50."
        ) as beat:
            for i, k in enumerate(LATE_KS):
                self.sweep_to(k, run_time=0.2 * beat.duration)
                if i == 0:  # built at k = 10, so the fade starts from the number it shows
                    self.live_entry = live_entry = self.get_live_entry(legend, k_tracker)
                    self.play(FadeIn(live_entry, shift=0.15 * LEFT), run_time=0.12 * beat.duration)
                else:
                    ring = Circumscribe(live_entry, color=t.highlight, buff=0.06)
                    self.play(ring, run_time=0.12 * beat.duration)

        # The whole rise, 1 % to 99 %, now fits in a sliver around 0
        sliver = self.get_sliver(axes, self.k_end)
        with self.narrate(
            "The whole rise squeezes into a sliver around x = 0.",
            say="The whole rise squeezes into a sliver around x equals zero.",
        ) as beat:
            self.play(FadeIn(sliver), run_time=0.5 * beat.duration)

        # The limit: the curve lies on the step except at 0
        limit = self.math(
            r"\sigma(kx) \;\longrightarrow\; H(x)",
            r"\quad \text{for } x \neq 0 \text{ as } k \to \infty",
        )
        limit.to_edge(DOWN, buff=0.3)
        with self.narrate(
            "The curve now lies on the step: for every x ≠ 0, σ(kx) tends to H(x).",
            say="The curve now lies on the step: for every x except zero, sigma of k x tends to H of x.",
        ) as beat:
            self.play(FadeOut(sliver), Write(limit), run_time=0.5 * beat.duration)
            self.play(self.trace_flash(curve), run_time=beat.remaining())

        # Dimmer against switch: turned down the rise is gradual again; turned up, it snaps
        new_title = self.title("A dimmer becomes an on/off switch")
        with self.narrate("Turn it down and it dims gently again; turn it up, and it snaps.") as beat:
            self.sweep_to(self.family_ks[1], run_time=0.45 * beat.duration)
            self.sweep_to(self.k_end, run_time=beat.remaining())
        with self.narrate("The dimmer has become an on/off switch.") as beat:
            self.play(ReplacementTransform(title, new_title), run_time=0.5 * beat.duration)
            self.play(Indicate(levels, color=t.highlight), run_time=beat.remaining())

    # --- the sweep ---------------------------------------------------------------
    @property
    def k(self) -> float:
        """The live curve's steepness."""
        return k_of(self.k_tracker)

    def sweep_to(self, k: float, *, run_time: float | None = None) -> None:
        """Turn k to ``k`` geometrically: ln k moves, so every doubling takes as long."""
        efolds = abs(np.log(k) - self.k_tracker.get_value())
        if run_time is None:
            run_time = max(MIN_STRETCH_SECONDS, SECONDS_PER_EFOLD * efolds)
        self.play(self.k_tracker.animate.set_value(np.log(k)), run_time=run_time, rate_func=smooth)

    def leave_copy(self, axes: Axes, i: int, legend: VGroup, *, run_time: float = 1.0) -> None:
        """Leave a static copy of σ(kx) at ``family_ks[i]``, fading to its family colour."""
        copy = self.get_sigma_graph(axes, self.family_ks[i])
        self.family.add(copy)
        # Behind the live curve but above the axes and the step it is heading for
        self.bring_to_back(copy)
        self.bring_to_back(self.step)
        self.bring_to_back(self.axes)
        self.play(
            copy.animate.set_stroke(self.theme.family[i], width=self.theme.curve_width * FAMILY_WIDTH),
            FadeIn(legend[i], shift=0.15 * LEFT),
            run_time=run_time,
        )

    def trace_flash(self, curve: VMobject) -> ShowPassingFlash:
        """A highlight running along the curve, left to right."""
        glint = curve.copy().clear_updaters().set_stroke(self.theme.highlight, width=self.theme.curve_width)
        return ShowPassingFlash(glint, time_width=0.3)

    # --- builders --------------------------------------------------------------
    def get_axes(self) -> Axes:
        """x ∈ [−6, 6], y ∈ [0, 1], with the y-axis at the left edge.

        The y-axis would sit at x = 0, right where the curves rise and its
        labels would collide with them, so it stands at x = −6 instead; x = 0
        keeps its label, for the step rises there.
        """
        axes = self.make_axes(X_RANGE, Y_RANGE, x_length=10.5, y_length=4.7, x_numbers=range(-6, 7, 2))
        axes.shift(0.15 * DOWN + 0.2 * RIGHT)
        self.left_y_axis(axes, (0, 0.5, 1))
        return axes

    def get_step(self, axes: Axes) -> DashedVMobject:
        """The dashed Heaviside step, with its riser at x = 0."""
        x0, x1 = X_RANGE[:2]
        off, on = float(heaviside(x0)), float(heaviside(x1))
        corners = axes.c2p(np.array([[x0, off], [0.0, off], [0.0, on], [x1, on]]))
        path = VMobject().set_points_as_corners(corners)
        step = DashedVMobject(path, num_dashes=70, dashed_ratio=0.55)
        step.set_stroke(self.theme.step, width=self.theme.guide_width * 1.5)
        return step

    def get_sigma_graph(self, axes: Axes, k: float) -> VMobject:
        """σ(kx) on the dense-near-zero grid, in the live curve's style."""
        graph = VMobject().set_stroke(self.theme.sigma, width=self.theme.curve_width)
        return self.set_sigma_points(graph, axes, k)

    @staticmethod
    def set_sigma_points(graph: VMobject, axes: Axes, k: float) -> VMobject:
        """Make ``graph`` trace σ(kx) (values from :mod:`lecture.numerics`)."""
        xs = dense_near_zero_grid(X_RANGE[1], CURVE_SAMPLES)
        ys = sigmoid(xs, k)
        return graph.set_points_as_corners(axes.c2p(np.column_stack([xs, ys])))

    def get_live_curve(self, axes: Axes, k_tracker: ValueTracker) -> VMobject:
        """σ(kx) that follows the tracker (which holds ln k)."""
        curve = self.get_sigma_graph(axes, k_of(k_tracker))
        curve.add_updater(lambda m: self.set_sigma_points(m, axes, k_of(k_tracker)))
        return curve

    def get_k_readout(self, k_tracker: ValueTracker) -> VGroup:
        """``k = 0.5`` with a live number; the number keeps its left edge."""
        t = self.theme
        label = self.math("k =")
        number = LiveNumber(
            k_of(k_tracker),
            num_decimal_places=1,
            font_size=t.label_size * 1.25,
            color=t.sigma,
        )
        number.next_to(label, RIGHT, buff=0.15)
        number.add_updater(lambda m: m.set_value(k_of(k_tracker)).next_to(label, RIGHT, buff=0.15))
        return VGroup(label, number)

    def get_dial(self, k_tracker: ValueTracker) -> VGroup:
        """A dimmer knob: its pointer turns with ln k, from lower left (k = 0.5) to lower right (k = 50)."""
        t = self.theme
        radius = 0.32
        ring = Circle(radius=radius).set_stroke(t.muted, t.axis_width)
        start_angle = np.pi / 2 + DIAL_SWEEP / 2
        span = np.log(self.k_end) - np.log(self.k_start)
        # Tick marks at the family's stops, so the knob's travel reads like a dimmer's scale
        ticks = VGroup(
            *(
                Line(0.78 * radius * RIGHT, 1.0 * radius * RIGHT)
                .rotate(
                    start_angle - DIAL_SWEEP * (np.log(k) - np.log(self.k_start)) / span, about_point=ORIGIN
                )
                .set_stroke(t.muted, t.axis_width)
                for k in (*self.family_ks, *LATE_KS)
            )
        )
        pointer = Line(ORIGIN, 0.85 * radius * RIGHT).set_stroke(t.highlight, t.curve_width * 0.8)
        hub = Dot(radius=0.05, color=t.highlight)
        dial = VGroup(ring, ticks, pointer, hub)

        def turn(m: Line) -> None:
            angle = start_angle - DIAL_SWEEP * (k_tracker.get_value() - np.log(self.k_start)) / span
            centre = ring.get_center()
            # Set from the angle alone, not turned from where it was (put_start_and_end_on): the
            # pointer's points then do not depend on how many frames led here, and neither does
            # the render cache's key of every later animation (bench/edit_locality.py).
            m.set_points_by_ends(centre, centre + 0.85 * radius * np.array([np.cos(angle), np.sin(angle), 0]))

        pointer.add_updater(turn)
        pointer.update()
        return dial

    def get_off_on(self, axes: Axes) -> VGroup:
        """'off' and 'on' beside the y axis's 0 and 1, in the step's colour: the switch's two states."""
        t = self.theme
        labels = VGroup()
        for y, word in ((0.0, "off"), (1.0, "on")):
            label = self.text(word, size="small", color=t.step)
            label.next_to(axes.c2p(X_RANGE[0], y), LEFT, buff=0.55)
            labels.add(label)
        return labels

    def get_sliver(self, axes: Axes, k: float) -> VGroup:
        """A band around x = 0 where σ(kx) climbs from 1 % to 99 %, its width from the logit."""
        t = self.theme
        half = float(logit(1 - SLIVER_SHARE)) / k
        lo, hi = axes.c2p(-half, 0), axes.c2p(half, 1)
        band = Rectangle(width=hi[0] - lo[0], height=hi[1] - lo[1]).move_to((lo + hi) / 2)
        band.set_fill(t.highlight, opacity=0.25).set_stroke(t.highlight, t.guide_width)
        label = self.math(rf"|x| < {half:.2f}", size="small", color=t.highlight)
        # Low on the right, where every curve is already above ½
        label.next_to(band, RIGHT, buff=0.15).set_y(axes.c2p(0, 0.12)[1])
        self.sliver_half_width = half
        return VGroup(band, label)

    def get_pin(self, axes: Axes, k_tracker: ValueTracker) -> Dot:
        """A dot at (0, σ(k·0)): it stays put because σ(0) = ½ for every k."""
        pin = Dot(radius=0.09, color=self.theme.highlight)
        pin.add_updater(lambda m: m.move_to(axes.c2p(0.0, float(sigmoid(0.0, k_of(k_tracker))))))
        pin.update()
        return pin

    def get_live_entry(self, legend: VGroup, k_tracker: ValueTracker) -> VGroup:
        """The legend's row for the live curve, under the family's: its swatch and ``k = …``, live.

        Whole numbers: the row names the stops 10, 20 and 50 as they are reached (the live
        readout above keeps the decimal).
        """
        t = self.theme
        swatch = Line(ORIGIN, 0.5 * RIGHT).set_stroke(t.sigma, width=t.curve_width)
        label = self.math("k =", size="small", color=t.text)
        number = LiveNumber(k_of(k_tracker), num_decimal_places=0, font_size=label.font_size, color=t.text)
        entry = VGroup(swatch, VGroup(label, number))
        label.next_to(swatch, RIGHT, buff=0.15)
        number.next_to(label, RIGHT, buff=0.12)
        entry.next_to(legend, DOWN, aligned_edge=LEFT, buff=0.12)
        number.add_updater(lambda m: m.set_value(round(k_of(k_tracker))).next_to(label, RIGHT, buff=0.12))
        return entry

    def get_legend(self, axes: Axes) -> VGroup:
        """One entry per family curve (swatch and ``k = …``), stacked in the empty lower right."""
        t = self.theme
        entries = VGroup()
        for k, color in zip(self.family_ks, t.family, strict=False):
            swatch = Line(ORIGIN, 0.5 * RIGHT).set_stroke(color, width=t.curve_width)
            text = self.math(k_label(k), size="small", color=t.muted)
            entries.add(VGroup(swatch, text).arrange(RIGHT, buff=0.15))
        entries.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        entries.next_to(axes.c2p(X_RANGE[1], Y_RANGE[0]), UL, buff=0.3)
        # one row's room below, for the live curve's row (get_live_entry)
        return entries.shift((entries[0].height + 0.12) * UP)
