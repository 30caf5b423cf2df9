"""StableSigmoid: why ``1/(1+np.exp(-x))`` overflows at x = −1000, and the two-branch fix.

Storyboard
----------
1. The formula typed as written, ``1 / (1 + np.exp(-x))``, at x = −1000.
2. A number line of exponents y: e^y is a finite float64 only up to
   ln(largest float) ≈ 709.78; a dot runs out to y = −x = 1000, past it: inf.
3. The warning numpy really prints (recorded as the formula runs):
   ``RuntimeWarning: overflow encountered in exp``.
4. The answer is 0.0, right only by luck: 1/(1 + inf) = 0, and the true
   σ(−1000) ≈ 5.1 × 10⁻⁴³⁵ happens to round to 0.0 too.
5. The other form, eˣ/(1+eˣ), at x = +1000: inf/inf = nan, with its two warnings.
6. The fix: 1/(1+e^−x) for x ≥ 0 and eˣ/(1+eˣ) for x < 0.
7. Why each is safe on its side: exp only ever sees −|x| ≤ 0 (the dot runs
   back to the safe side of the number line), so 0 ≤ e^(−|x|) ≤ 1.
8. In code: e = np.exp(−|x|) once, then 1/(1+e) or e/(1+e).
9. The relative error of each form against the true σ (computed in 40-digit
   decimal arithmetic by the numerics), on a log scale, for x from −750 to −700.
10. The naive form: as good as float64 gets (≈ 10⁻¹⁶) until −709.78, then 0: 100 % wrong.
11. The stable form: it loses digits only as σ(x) itself sinks below float64's
    smallest normal number, and reaches 100 % only at −745.13, where σ(x) rounds to 0.
12. The bridge: σ(x) = eˣ/(eˣ + e⁰), and both branches subtract the larger
    exponent m = max(x, 0) before exponentiating.
13. Softmax does the same for K scores: the next scene's max shift.

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/stable_sigmoid.py StableSigmoid
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    NumberLine,
    Rectangle,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
)

from lecture.numerics import (
    exp_overflow_threshold,
    exp_underflow_threshold,
    log_sigmoid,
    naive_sigmoid,
    naive_sigmoid_warnings,
    sigmoid,
    sigmoid_relative_error,
)
from scenes.common import LectureScene

__all__ = [
    "NAIVE_CODE",
    "RATIO_CODE",
    "STABLE_CODE",
    "StableSigmoid",
    "log10_relative_error",
    "scientific",
    "tail_grid",
]

# --- the numbers -------------------------------------------------------------
#: The chapter's input, and its mirror for the eˣ/(1+eˣ) form.
X_NAIVE, X_RATIO = -1000.0, 1000.0
#: e^y is finite for y up to this (≈ 709.78) and rounds to 0 below the other (≈ −745.13).
OVERFLOW = exp_overflow_threshold()
UNDERFLOW = exp_underflow_threshold()
#: The code on screen, as typed (the tests run it and compare with the numerics).
NAIVE_CODE = "1 / (1 + np.exp(-x))"
RATIO_CODE = "np.exp(x) / (1 + np.exp(x))"
STABLE_CODE = ("e = np.exp(-np.abs(x))", "np.where(x >= 0, 1 / (1 + e), e / (1 + e))")
#: The error plot's window, where the naive form breaks, sampled every 0.1.
TAIL_MIN, TAIL_MAX = -750.0, -700.0
#: Relative errors below 10^FLOOR (exact results included) are drawn on the plot's floor.
ERROR_FLOOR = -17.0
ERROR_TOP = 1.0

# --- layout (scene units) -------------------------------------------------------
LINE_Y = 0.1
LINE_LENGTH = 12.0
CODE_LEFT = -6.3
PLOT_LEFT, PLOT_BOTTOM = -6.2, -3.05
PLOT_WIDTH, PLOT_HEIGHT = 7.4, 4.9
PANEL_LEFT = 2.0
#: Typewriter glyphs are narrower and lighter than the maths font: code is set this much larger.
CODE_SCALE = 1.3


def scientific(log10_value: float) -> tuple[float, int]:
    """A positive number given by its base-10 logarithm, as (mantissa, exponent) for m × 10^e.

    Examples
    --------
    >>> scientific(-434.2944819)
    (5.076, -435)
    """
    exponent = int(np.floor(log10_value))
    return round(float(10 ** (log10_value - exponent)), 3), exponent


def tail_grid() -> np.ndarray:
    """x from −750 to −700 every 0.1, plus the overflow edge −709.78 and the float just below it.

    With both sides of the edge sampled, the naive form's jump is drawn where it happens.
    """
    grid = np.linspace(TAIL_MIN, TAIL_MAX, round((TAIL_MAX - TAIL_MIN) * 10) + 1)
    edge = np.array([-OVERFLOW, np.nextafter(-OVERFLOW, -np.inf)])
    return np.unique(np.concatenate([grid, edge]))


def log10_relative_error(values: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """log₁₀ of the relative error of ``values`` against the true σ(xs), raised to the plot's floor."""
    error = np.asarray(sigmoid_relative_error(values, xs), dtype=float)
    return np.log10(np.maximum(error, 10.0**ERROR_FLOOR))


def sigma_of_tiny(x: float) -> tuple[float, int]:
    """σ(x) for x far below −745, too small for any float, as (mantissa, exponent), from log σ."""
    return scientific(float(log_sigmoid(x)) / np.log(10.0))


def _tex_escape(code: str) -> str:
    return code.replace("_", r"\_").replace("{", r"\{").replace("}", r"\}")


class StableSigmoid(LectureScene):
    """The naive formula overflows; the two branches never do; the same trick as softmax.

    Attributes set by ``construct`` (the tests read them): ``exponent_line`` (the
    number line of exponents), ``exponent_dot``, ``warning_lines`` (numpy's
    warnings, as recorded), ``branches`` (the two-branch formula), ``error_axes``
    (x across, log₁₀ of the relative error up), ``naive_curve``,
    ``stable_curve``, ``bridge`` (the max-shift formulas).
    """

    def construct(self) -> None:
        t = self.theme

        # The formula as written, at x = −1000
        title = self.title("A sigmoid that never overflows")
        code = self.get_code(["x = -1000", NAIVE_CODE])
        with self.narrate(
            "Type σ as written, and try x = −1000.",
            say="Type sigma as written, and try x equals minus 1000.",
        ) as beat:
            self.play(FadeIn(title, shift=0.2 * DOWN), run_time=0.3 * beat.duration)
            self.play(Write(code), run_time=beat.remaining())

        # The number line of exponents: floats run out at 709.78
        self.exponent_line = self.get_exponent_line()
        zones = self.get_zones()
        self.y = ValueTracker(0.0)
        self.exponent_dot = self.get_exponent_dot()
        overflow_label = self.math(r"e^{1000} = \infty", size="small", color=t.derivative)
        overflow_label.next_to(self.exponent_line.n2p(1000), UP, buff=1.05).shift(0.3 * LEFT)
        with self.narrate(
            "Then −x = 1000, but floats stop at e^709.78: e^1000 overflows to ∞.",
            say="Then minus x is 1000, but floats stop at e to the 709.78: e to the 1000 overflows.",
        ) as beat:
            self.play(Create(self.exponent_line), FadeIn(zones), run_time=0.35 * beat.duration)
            self.add(self.exponent_dot)
            self.play(self.y.animate.set_value(-X_NAIVE), run_time=0.4 * beat.duration)
            self.play(FadeIn(overflow_label), run_time=beat.remaining())

        # The warning numpy prints, recorded from numpy itself
        self.warning_lines = self.get_warning_lines(naive_sigmoid_warnings(X_NAIVE))
        self.warning_lines.move_to([CODE_LEFT, -1.45, 0], aligned_edge=LEFT)
        with self.narrate(
            "numpy warns: overflow encountered in exp.",
            say="Numpy warns: overflow encountered in exp.",
        ) as beat:
            self.play(FadeIn(self.warning_lines, shift=0.2 * UP), run_time=0.5 * beat.duration)

        # The answer is still 0.0, by luck
        naive = float(naive_sigmoid(X_NAIVE))
        mantissa, exponent = sigma_of_tiny(X_NAIVE)
        result = self.get_result_lines(
            rf"1 / (1 + inf) = {naive}",
            rf"\text{{true }}\sigma(-1000) \approx {mantissa:.1f}\times 10^{{{exponent}}}"
            r"\text{, nearest float: } 0.0",
        )
        with self.narrate(
            "Yet 1/(1 + ∞) is 0.0: right, but only by luck.",
            say="Yet one over one plus infinity is zero: right, but only by luck.",
        ) as beat:
            self.play(FadeIn(result[0]), run_time=0.4 * beat.duration)
            self.play(FadeIn(result[1]), run_time=beat.remaining())

        # The other form at x = +1000: ∞/∞ = nan
        ratio_code = self.get_code(["x = 1000", RATIO_CODE]).align_to(code, UL)
        ratio_warnings = self.get_warning_lines(naive_sigmoid_warnings(X_RATIO, "ratio"))
        ratio_warnings.move_to([CODE_LEFT, -1.45, 0], aligned_edge=LEFT)
        ratio_value = float(naive_sigmoid(X_RATIO, "ratio"))
        ratio_result = self.get_result_lines(rf"inf / (1 + inf) = inf / inf = {ratio_value}")
        ratio_label = self.math(r"e^{1000} = \infty", size="small", color=t.derivative).move_to(
            overflow_label
        )
        with self.narrate(
            "The other form, eˣ/(1 + eˣ), at x = +1000 gives ∞/∞: nan.",
            say="The other form, at x equals plus 1000, gives infinity over infinity: not a number.",
        ) as beat:
            self.play(
                ReplacementTransform(code, ratio_code),
                ReplacementTransform(self.warning_lines, ratio_warnings),
                FadeOut(result),
                ReplacementTransform(overflow_label, ratio_label),
                run_time=0.45 * beat.duration,
            )
            self.play(FadeIn(ratio_result), run_time=beat.remaining())
        self.warning_lines = ratio_warnings

        # The fix: one form for each sign of x
        self.branches = self.get_branches()
        with self.narrate("The fix: pick the form by the sign of x.") as beat:
            self.play(
                FadeOut(ratio_code),
                FadeOut(ratio_warnings),
                FadeOut(ratio_result),
                run_time=0.3 * beat.duration,
            )
            self.play(Write(self.branches), run_time=beat.remaining())

        # Why each is safe: exp only sees −|x| ≤ 0
        safe = self.get_safe_side()
        bound = self.math(r"0 \le e^{-|x|} \le 1", color=t.logit)
        bound.next_to(self.exponent_line.n2p(-500), UP, buff=0.75)
        with self.narrate(
            "Now exp only sees −|x| ≤ 0, so e^(−|x|) ≤ 1: no overflow.",
            say="Now exp only sees minus the size of x, at most zero: no overflow.",
        ) as beat:
            self.play(FadeIn(safe), FadeOut(ratio_label), run_time=0.3 * beat.duration)
            self.play(self.y.animate.set_value(-abs(X_RATIO)), run_time=0.4 * beat.duration)
            self.play(FadeIn(bound), run_time=beat.remaining())

        # In code: e^(−|x|) once, then one division or the other
        stable_code = self.get_code(list(STABLE_CODE), size="small").move_to([0, -2.2, 0])
        with self.narrate(
            "In code: e = exp(−|x|) once, then 1/(1 + e) or e/(1 + e).",
            say="In code: e is exp of minus the size of x, then one over one plus e, or e over one plus e.",
        ) as beat:
            self.play(Write(stable_code), run_time=0.7 * beat.duration)

        # How wrong is each form? Relative error against the true σ, log scale
        stage = [m for m in self.mobjects if m is not title]
        self.error_axes = self.get_error_axes()
        error_labels = self.get_error_labels()
        with self.narrate(
            "Their error against the true σ, for x from −750 to −700.",
            say="Their error against the true sigma, for x from minus 750 to minus 700.",
        ) as beat:
            self.play(*(FadeOut(m) for m in stage), run_time=0.3 * beat.duration)
            self.play(Create(self.error_axes), FadeIn(error_labels), run_time=beat.remaining())

        # The naive form: float64's best until −709.78, then 0, all digits lost
        xs = tail_grid()
        self.naive_curve = self.get_error_curve(xs, naive_sigmoid(xs), t.derivative)
        naive_guide = self.get_guide(-OVERFLOW, r"-709.78", t.derivative)
        naive_key = self.get_key(NAIVE_CODE, t.derivative).move_to([PANEL_LEFT, 1.7, 0], aligned_edge=LEFT)
        with self.narrate(
            "The naive form is exact until −709.78, then returns 0: 100 % wrong.",
            say="The naive form is exact until minus 709.78, then returns zero: 100 percent wrong.",
        ) as beat:
            self.play(FadeIn(naive_key), Create(self.naive_curve), run_time=0.6 * beat.duration)
            self.play(Create(naive_guide), run_time=beat.remaining())

        # The stable form: it loses digits only as σ itself gets too small for float64
        self.stable_curve = self.get_error_curve(xs, sigmoid(xs), t.sigma)
        stable_guide = self.get_guide(UNDERFLOW, r"-745.13", t.sigma, inside=True)
        stable_key = self.get_key("two branches", t.sigma, code=False)
        stable_key.next_to(naive_key, DOWN, aligned_edge=LEFT, buff=0.3)
        with self.narrate(
            "The stable form loses digits only as σ gets too small for float64 itself.",
            say="The stable form loses digits only as sigma gets too small for float 64 itself.",
        ) as beat:
            self.play(FadeIn(stable_key), Create(self.stable_curve), run_time=0.6 * beat.duration)
            self.play(Create(stable_guide), run_time=beat.remaining())

        # The bridge: both branches subtract the larger exponent, m = max(x, 0)
        self.bridge = self.get_bridge().next_to(stable_key, DOWN, aligned_edge=LEFT, buff=0.5)
        with self.narrate(
            "One trick: σ(x) = eˣ/(eˣ + e⁰); subtract the larger exponent, m = max(x, 0).",
            say="One trick: sigma is e to the x over e to the x plus e to the zero; "
            "subtract the larger exponent.",
        ) as beat:
            self.play(FadeIn(self.bridge[0]), run_time=0.4 * beat.duration)
            self.play(FadeIn(self.bridge[1]), run_time=beat.remaining())

        # Softmax does the same for K scores: the next scene
        with self.narrate(
            "Softmax does the same: subtract the largest score first.",
        ) as beat:
            self.play(FadeIn(self.bridge[2], shift=0.2 * UP), run_time=0.5 * beat.duration)
            self.play(
                Indicate(self.bridge[2], color=t.highlight, scale_factor=1.05), run_time=beat.remaining()
            )

    # --- text ---------------------------------------------------------------------
    def get_code(self, lines: list[str], *, size: str = "label", color: str | None = None) -> VGroup:
        """Lines of Python in typewriter type, left-aligned, under the title at the left margin."""
        group = VGroup(
            *(
                self.math(rf"\texttt{{{_tex_escape(line)}}}", size=size, color=color).scale(CODE_SCALE)
                for line in lines
            )
        )
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        return group.move_to([CODE_LEFT, 2.1, 0], aligned_edge=LEFT)

    def get_warning_lines(self, warnings: tuple[str, ...]) -> VGroup:
        """numpy's warnings, as recorded, in typewriter type and the alarm colour."""
        return self.get_code(list(warnings), size="small", color=self.theme.derivative)

    def get_result_lines(self, code: str, truth: str | None = None) -> VGroup:
        """What the formula returns (typewriter), and optionally the true value (maths) under it."""
        lines = VGroup(self.math(rf"\texttt{{= {_tex_escape(code)}}}", size="small").scale(CODE_SCALE))
        if truth is not None:
            lines.add(self.math(truth, size="small", color=self.theme.muted))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        return lines.move_to([CODE_LEFT, -2.65, 0], aligned_edge=LEFT)

    # --- the number line of exponents -----------------------------------------------
    def get_exponent_line(self) -> NumberLine:
        """Exponents y from −1000 to 1000, labelled every 500, with y named at its right end."""
        t = self.theme
        line = NumberLine(
            x_range=[-1000, 1000, 250],
            length=LINE_LENGTH,
            color=t.muted,
            stroke_width=t.axis_width,
            include_numbers=False,
            font_size=self.tick_font_size,
        ).move_to([0, LINE_Y, 0])
        line.add_numbers([-1000, -500, 0, 500, 1000], font_size=self.tick_font_size, color=t.muted)
        name = MathTex("y", font_size=self.tick_font_size * 1.15, color=t.muted)
        line.add(name.next_to(line.n2p(1000), RIGHT, buff=0.15))
        return line

    def get_zones(self) -> VGroup:
        """Bands above the line: e^y a finite float up to 709.78, ∞ past it, 0 below −745.13."""
        t = self.theme
        zones = VGroup()
        for y0, y1, color, tex in (
            (-1000, UNDERFLOW, t.muted, r"e^y \to 0"),
            (UNDERFLOW, OVERFLOW, t.sigma, r"e^y\ \text{a finite float}"),
            (OVERFLOW, 1000, t.derivative, None),
        ):
            left, right = self.exponent_line.n2p(y0), self.exponent_line.n2p(y1)
            band = Rectangle(width=right[0] - left[0], height=0.32).set_stroke(width=0)
            band.set_fill(color, opacity=0.35).move_to((left + right) / 2 + 0.28 * UP)
            zone = VGroup(band)
            if tex is not None:
                zone.add(self.math(tex, size="small", color=color).next_to(band, UP, buff=0.1))
            zones.add(zone)
        edge = self.math(f"{OVERFLOW:.2f}", size="small", color=t.derivative)
        edge.next_to(self.exponent_line.n2p(OVERFLOW), DOWN, buff=0.5)
        tick = Line(
            self.exponent_line.n2p(OVERFLOW) + 0.45 * UP, self.exponent_line.n2p(OVERFLOW) + 0.3 * DOWN
        )
        zones.add(tick.set_stroke(t.derivative, t.guide_width), edge)
        return zones

    def get_exponent_dot(self) -> Dot:
        """The exponent exp is asked for, riding the line with the tracker ``y``."""
        dot = Dot(self.exponent_line.n2p(self.y.get_value()), radius=0.11, color=self.theme.highlight)
        dot.add_updater(lambda d: d.move_to(self.exponent_line.n2p(self.y.get_value())))
        return dot.set_z_index(3)

    def get_safe_side(self) -> VGroup:
        """The half y ≤ 0 of the line, outlined in the safe colour: where −|x| always falls."""
        t = self.theme
        left, right = self.exponent_line.n2p(-1000), self.exponent_line.n2p(0)
        band = Rectangle(width=right[0] - left[0], height=0.5).move_to((left + right) / 2)
        return VGroup(band.set_stroke(t.logit, t.curve_width * 0.8).set_fill(opacity=0))

    def get_branches(self) -> MathTex:
        """σ(x) = 1/(1+e^−x) for x ≥ 0 and eˣ/(1+eˣ) for x < 0."""
        return self.math(
            r"\sigma(x) = \begin{cases} \dfrac{1}{1 + e^{-x}} & x \ge 0 \\[6pt]"
            r" \dfrac{e^{x}}{1 + e^{x}} & x < 0 \end{cases}",
        ).move_to([0, 2.05, 0])

    # --- the error plot ----------------------------------------------------------------
    def get_error_axes(self) -> VGroup:
        """x from −750 to −700; log₁₀ of the relative error up, 10⁻¹⁷ to 10¹, labelled as powers of ten."""
        t = self.theme
        axes = self.make_axes(
            (TAIL_MIN, TAIL_MAX, 10),
            (0, ERROR_TOP - ERROR_FLOOR, 1),
            x_length=PLOT_WIDTH,
            y_length=PLOT_HEIGHT,
            x_numbers=(-750, -740, -730, -720, -710, -700),
        )
        axes.move_to([PLOT_LEFT, PLOT_BOTTOM, 0], aligned_edge=DOWN + LEFT)
        self.left_y_axis(axes, ())
        for k in (-16, -12, -8, -4, 0):
            at = axes.c2p(TAIL_MIN, k - ERROR_FLOOR)
            label = MathTex(f"10^{{{k}}}", font_size=self.tick_font_size, color=t.muted)
            tick = Line(at + 0.06 * LEFT, at + 0.06 * RIGHT)
            axes.add(tick.set_stroke(t.muted, t.axis_width), label.next_to(at, LEFT, buff=0.12))
        return axes

    def get_error_labels(self) -> VGroup:
        """The axes' names: x, and the relative error above the y axis."""
        return self.axis_labels(self.error_axes, "x", r"\text{relative error}", y_axis_at=TAIL_MIN)

    def get_error_curve(self, xs: np.ndarray, values: np.ndarray, color: str) -> VMobject:
        """A form's relative error over the window, on the plot's log scale."""
        ys = log10_relative_error(values, xs)
        points = [self.error_point(x, y) for x, y in zip(xs, ys, strict=True)]
        return VMobject().set_points_as_corners(points).set_stroke(color, self.theme.curve_width * 0.6)

    def error_point(self, x: float, log10_error: float) -> np.ndarray:
        """Where (x, relative error 10^log10_error) is on screen: the plot's y is log₁₀ above its floor."""
        return self.error_axes.c2p(x, log10_error - ERROR_FLOOR)

    def get_guide(self, x: float, tex: str, color: str, *, inside: bool = False) -> VGroup:
        """A dashed vertical at ``x`` across the plot, its value written at the top (or low inside it)."""
        line = DashedLine(self.error_point(x, ERROR_FLOOR), self.error_point(x, ERROR_TOP), dash_length=0.08)
        label = self.math(tex, size="small", color=color)
        if inside:
            label.next_to(self.error_point(x, -14.0), RIGHT, buff=0.12)
        else:
            label.next_to(line, UP, buff=0.1)
        return VGroup(line.set_stroke(color, self.theme.guide_width), label)

    def get_key(self, name: str, color: str, *, code: bool = True) -> VGroup:
        """A legend row: a short stroke in the curve's colour and its name."""
        swatch = Line(ORIGIN, ORIGIN + 0.5 * RIGHT).set_stroke(color, self.theme.curve_width)
        text = self.math(rf"\texttt{{{_tex_escape(name)}}}" if code else rf"\text{{{name}}}", size="small")
        return VGroup(swatch, text.set_color(color)).arrange(RIGHT, buff=0.2)

    def get_bridge(self) -> VGroup:
        """σ as a two-score softmax; the shift by m = max(x, 0); softmax's own max shift."""
        t = self.theme
        rows = VGroup(
            self.math(r"\sigma(x) = \frac{e^{x}}{e^{x} + e^{0}}", size="small"),
            self.math(r"= \frac{e^{x-m}}{e^{x-m} + e^{0-m}},\ m = \max(x, 0)", size="small", color=t.logit),
            self.math(
                r"\operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}",
                size="small",
                color=t.highlight,
            ),
        )
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
