"""From probability to odds to log-odds, and σ reading log-odds back as a probability.

Storyboard: three number lines, one under the other, each named on the left:
probability p on [0, 1], odds p/(1 − p) on [0, 10] and log-odds
ln(p/(1 − p)) on [−3, 3]. The worked example p = 0.75 drops from the first
line to odds 3 on the second. Four more probabilities (0.1, 0.25, 0.5, 0.9)
follow, and the odds line shows its lopsidedness: everything below p = ½ is
squeezed into [0, 1], marked, while 0.9 runs out to 9. Taking the log spreads
them over the log-odds line, symmetric about 0, and ln(p/(1 − p)) =
ln p − ln(1 − p) is written below. The complementary pair 0.25 and 0.75 lights
up with its log-odds ∓1.1: swapping p and 1 − p flips the sign. Then the
direction reverses: each log-odds x climbs back, labelled σ, and lands on its
p; σ(ln(p/(1 − p))) = 1/(1 + (1 − p)/p) = p is worked out beside the first
formula. The map down is named: the logit, σ's mirror image (LogitReflection).

Render with plain ManimCE::

    manim -ql -c config/manim.cfg scenes/log_odds.py LogOdds
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Brace,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    Line,
    NumberLine,
    Succession,
    TransformFromCopy,
    VGroup,
    Write,
)

from lecture.numerics import logit, odds, sigmoid
from scenes.common import LectureScene

__all__ = ["EXAMPLE_P", "PROBABILITIES", "LogOdds", "ladder"]

#: The five probabilities carried down the lines; 0.25 and 0.75 are complementary.
PROBABILITIES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: The worked example: odds 3 to 1.
EXAMPLE_P = 0.75
#: Where the three lines sit: x span on screen, and each line's height.
LINE_LEFT, LINE_RIGHT = -3.0, 3.9
P_Y, ODDS_Y, LOG_ODDS_Y = 2.0, 0.35, -1.3
FORMULA_Y = -2.85
#: Centre of the name column, left of the lines.
NAME_X = -5.2
#: Odds of up to 10 are drawn (p = 0.9 gives 9).
ODDS_MAX = 10
LOG_ODDS_MAX = 3


def ladder(ps: tuple[float, ...] = PROBABILITIES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each probability, its odds and its log-odds, from :mod:`lecture.numerics`.

    Examples
    --------
    >>> p, o, x = ladder((0.25, 0.5, 0.75))
    >>> o.round(4).tolist(), x.round(4).tolist()
    ([0.3333, 1.0, 3.0], [-1.0986, 0.0, 1.0986])
    """
    p = np.asarray(ps, dtype=float)
    return p, np.asarray(odds(p)), np.asarray(logit(p))


def spoken(value: float, places: int = 2) -> str:
    """``value`` rounded for a caption, trailing zeros dropped, with a true minus sign.

    >>> spoken(-1.0986122886681098, 1), spoken(3.0000000000000004)
    ('−1.1', '3')
    """
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


class LogOdds(LectureScene):
    """Probability → odds → log-odds on three number lines, and σ taking log-odds back to p.

    After ``construct()``: ``self.p_line``, ``self.odds_line`` and
    ``self.log_odds_line`` map numbers to the screen; ``self.p_dots``,
    ``self.odds_dots`` and ``self.log_odds_dots`` hold one dot per
    probability in ``PROBABILITIES``; ``self.returned`` the probabilities σ
    gives back for the log-odds, where the returning dots landed.
    """

    def construct(self) -> None:
        t = self.theme
        p, o, x = ladder()
        example = PROBABILITIES.index(EXAMPLE_P)

        # The probability line, and the worked example p = 0.75
        title = self.title("Probability, odds, log-odds")
        self.p_line = self.get_line(0, 1, 0.25, P_Y, numbers=(0, 0.25, 0.5, 0.75, 1))
        self.odds_line = self.get_line(0, ODDS_MAX, 1, ODDS_Y, numbers=range(0, ODDS_MAX + 1))
        self.log_odds_line = self.get_line(
            -LOG_ODDS_MAX, LOG_ODDS_MAX, 1, LOG_ODDS_Y, numbers=range(-LOG_ODDS_MAX, LOG_ODDS_MAX + 1)
        )
        names = self.get_names()
        self.p_dots = self.get_dots(self.p_line, p, t.sigma)
        self.odds_dots = self.get_dots(self.odds_line, o, t.highlight)
        self.log_odds_dots = self.get_dots(self.log_odds_line, x, t.logit)
        drops = self.get_drops(self.p_dots, self.odds_dots)
        logs = self.get_drops(self.odds_dots, self.log_odds_dots)
        with self.narrate("Start with a probability p, somewhere between 0 and 1. Say p = 0.75.") as beat:
            self.play(FadeIn(title), Create(self.p_line), FadeIn(names[0]), run_time=0.55 * beat.duration)
            self.play(GrowFromCenter(self.p_dots[example]), run_time=beat.remaining())

        # Odds: p against its complement; 0.75 gives 3 to 1
        three = self.math(f"{o[example]:g}", size="small", color=t.highlight)
        three.next_to(self.odds_dots[example], UP, buff=0.12).shift(0.25 * RIGHT)
        with self.narrate(
            "Its odds compare it with its complement, p/(1 − p): for 0.75, that is 3 to 1.",
            say="Its odds compare it with its complement, p over one minus p: for 0.75, that is 3 to 1.",
        ) as beat:
            self.play(Create(self.odds_line), FadeIn(names[1]), run_time=0.4 * beat.duration)
            self.play(
                Create(drops[example]),
                TransformFromCopy(self.p_dots[example], self.odds_dots[example]),
                FadeIn(three),
                run_time=beat.remaining(),
            )

        # The other four, and the odds' lopsidedness: below ½ is squeezed under 1
        others = [i for i in range(len(p)) if i != example]
        squeeze = self.get_squeeze()
        with self.narrate(
            "Odds run from 0 to infinity, lopsided: every p below ½ is squeezed under 1."
        ) as beat:
            self.play(
                FadeOut(three),
                *(GrowFromCenter(self.p_dots[i]) for i in others),
                run_time=0.25 * beat.duration,
            )
            self.play(
                *(Create(drops[i]) for i in others),
                *(TransformFromCopy(self.p_dots[i], self.odds_dots[i]) for i in others),
                run_time=0.4 * beat.duration,
            )
            self.play(FadeIn(squeeze), run_time=beat.remaining())

        # Log-odds: the log spreads them over the whole line, symmetric about 0
        with self.narrate("Take the log: log-odds fill the whole number line, symmetric about 0.") as beat:
            self.play(
                FadeOut(squeeze), Create(self.log_odds_line), FadeIn(names[2]), run_time=0.35 * beat.duration
            )
            self.play(
                *(Create(line) for line in logs),
                *(TransformFromCopy(a, b) for a, b in zip(self.odds_dots, self.log_odds_dots, strict=True)),
                run_time=beat.remaining(),
            )
        difference = self.math(r"\ln\frac{p}{1-p} = \ln p - \ln(1-p)", color=t.logit)
        difference.move_to([-3.6, FORMULA_Y, 0])
        with self.narrate(
            "The log of a ratio is a difference: ln p minus ln(1 − p).",
            say="The log of a ratio is a difference: log p minus log of one minus p.",
        ) as beat:
            self.play(Write(difference), run_time=0.7 * beat.duration)

        # Complements: 0.25 and 0.75 have log-odds of opposite sign
        low, high = PROBABILITIES.index(0.25), PROBABILITIES.index(0.75)
        pair_labels = VGroup(
            *(
                self.math(f"{x[i]:+.2f}", size="small", color=t.logit).next_to(
                    self.log_odds_dots[i], UP, buff=0.15
                )
                for i in (low, high)
            )
        )
        for label, i in zip(pair_labels, (low, high), strict=True):
            label.shift(0.3 * (RIGHT if i == high else LEFT))
        with self.narrate(
            f"Swap p and 1 − p, 0.75 for 0.25, and the log-odds just flip sign: {spoken(x[high], 1)} "
            f"becomes {spoken(x[low], 1)}.",
            say=f"Swap p and one minus p, 0.75 for 0.25, and the log-odds just flip sign: "
            f"{spoken(x[high], 1)} becomes minus {spoken(-x[low], 1)}.",
        ) as beat:
            pair = VGroup(*(m for i in (low, high) for m in (self.p_dots[i], self.log_odds_dots[i])))
            self.play(FadeIn(pair_labels), Indicate(pair, color=t.highlight), run_time=0.6 * beat.duration)

        # Backwards: read x as log-odds, and σ(x) is the probability
        self.returned = np.asarray(sigmoid(x))
        climbs = VGroup(
            *(
                Line(self.log_odds_line.n2p(xi), self.p_line.n2p(pi))
                for xi, pi in zip(x, self.returned, strict=True)
            )
        )
        climbs.set_stroke(t.sigma, t.guide_width, opacity=0.7)
        back_arrow, logit_arrow = self.get_side_arrows()
        inverse = self.math(
            r"\sigma\!\left(\ln\frac{p}{1-p}\right) = \frac{1}{1 + \frac{1-p}{p}} = p", color=t.sigma
        )
        inverse.move_to([3.4, FORMULA_Y, 0])
        with self.narrate(
            "Now read it backwards: take x as the log-odds, and σ(x) is the probability.",
            say="Now read it backwards: take x as the log-odds, and sigma of x is the probability.",
        ) as beat:
            self.play(FadeOut(pair_labels), GrowArrow(back_arrow), run_time=0.25 * beat.duration)
            # Each p pulses as its climb arrives; in its own colour, for the highlight is the odds' here
            self.play(
                LaggedStart(
                    *(
                        Succession(Create(c), Indicate(d, color=t.sigma, scale_factor=1.8))
                        for c, d in zip(climbs, self.p_dots, strict=True)
                    ),
                    lag_ratio=0.3,
                ),
                run_time=beat.remaining(),
            )
        with self.narrate(
            "e to the minus x is (1 − p)/p, so σ(x) = 1/(1 + (1 − p)/p) = p.",
            say="e to the minus x is one minus p over p, so sigma of x is one over one plus that: exactly p.",
        ) as beat:
            self.play(Write(inverse), run_time=0.75 * beat.duration)

        # The map down has a name: the logit, σ's inverse
        with self.narrate(
            "The map from p to log-odds is the logit, σ's inverse: its mirror image, next."
        ) as beat:
            self.play(FadeOut(climbs), GrowArrow(logit_arrow), run_time=0.5 * beat.duration)
            self.play(Indicate(logit_arrow.label, color=t.highlight), run_time=beat.remaining())

    # --- builders -----------------------------------------------------------------
    def get_line(self, lo: float, hi: float, step: float, y: float, *, numbers: tuple | range) -> NumberLine:
        """A number line over [lo, hi] spanning the lines' column at height ``y``, numbered at ``numbers``."""
        t = self.theme
        line = NumberLine(
            x_range=[lo, hi, step],
            length=LINE_RIGHT - LINE_LEFT,
            color=t.muted,
            stroke_width=t.axis_width,
            include_tip=False,
            tick_size=0.07,
            decimal_number_config={"num_decimal_places": 0, "color": t.muted},
            font_size=self.tick_font_size,
        )
        line.move_to([(LINE_LEFT + LINE_RIGHT) / 2, y, 0])
        for value in numbers:
            places = len(f"{value:g}".partition(".")[2])
            line.add_numbers([value], num_decimal_places=places, font_size=self.tick_font_size, color=t.muted)
        return line

    def get_names(self) -> VGroup:
        """Each line's name and formula, in the column on the left."""
        t = self.theme
        rows = VGroup()
        for word, tex, y, color in (
            ("probability", "p", P_Y, t.sigma),
            ("odds", r"\frac{p}{1-p}", ODDS_Y, t.highlight),
            ("log-odds", r"\ln\frac{p}{1-p}", LOG_ODDS_Y, t.logit),
        ):
            name = self.text(word, size="small", color=t.muted)
            formula = self.math(tex, color=color)
            rows.add(VGroup(name, formula).arrange(DOWN, buff=0.12).move_to([NAME_X, y, 0]))
        return rows

    def get_dots(self, line: NumberLine, values: np.ndarray, color: str) -> VGroup:
        return VGroup(*(Dot(line.n2p(v), radius=0.075, color=color).set_z_index(3) for v in values))

    def get_drops(self, upper: VGroup, lower: VGroup) -> VGroup:
        """Faint connectors from each dot on one line to its image on the next."""
        t = self.theme
        return VGroup(
            *(
                Line(a.get_center(), b.get_center()).set_stroke(t.muted, t.guide_width, opacity=0.55)
                for a, b in zip(upper, lower, strict=True)
            )
        )

    def get_squeeze(self) -> VGroup:
        """A brace under [0, 1] of the odds line: where every p below ½ lands."""
        t = self.theme
        segment = Line(self.odds_line.n2p(0), self.odds_line.n2p(1))
        # Below the line's numbers: above it, the connectors from the p line come down
        brace = Brace(segment, DOWN, buff=0.45, color=t.highlight)
        label = self.math(r"p < \tfrac12", size="small", color=t.highlight).next_to(brace, DOWN, buff=0.08)
        return VGroup(brace, label)

    def get_side_arrows(self) -> tuple[Arrow, Arrow]:
        """Right of the lines: σ going up from log-odds to p, and the logit coming down."""
        t = self.theme
        top, bottom = P_Y - 0.1, LOG_ODDS_Y + 0.1
        arrows = []
        for x, start, end, tex, color in (
            (LINE_RIGHT + 0.7, bottom, top, r"\sigma", t.sigma),
            (LINE_RIGHT + 1.8, top, bottom, r"\operatorname{logit}", t.logit),
        ):
            arrow = Arrow([x, start, 0], [x, end, 0], buff=0, stroke_width=t.curve_width * 0.8, color=color)
            arrow.label = self.math(tex, color=color).next_to(arrow, RIGHT, buff=0.1)
            arrows.append(arrow)
        for arrow in arrows:
            arrow.add(arrow.label)
        return arrows[0], arrows[1]
