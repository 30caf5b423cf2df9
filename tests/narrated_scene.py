"""A short narrated scene for the voice tests: three beats, the voice timing each.

Its captions hold the symbols the pronunciation table turns into words
(σ(kx), σ′, ≈), one beat has an explicit ``say=``, and one beat's animation
is shorter than its line (so the frame is held while the voice finishes) and
one is longer (so silence follows the line). About six seconds at any quality.
"""

from __future__ import annotations

from manim import UP, Create, FadeIn, Write

from scenes.common import LectureScene


class NarratedScene(LectureScene):
    """Axes, a sigmoid-like curve and a label, each beat spoken."""

    def construct(self) -> None:
        # The axes, drawn while the line is said
        axes = self.make_axes([-3, 3, 1], [0, 1, 0.5], x_length=6, y_length=3)
        with self.narrate("Here are the axes.") as beat:
            self.play(Create(axes), run_time=beat.duration)
        # A curve, drawn in half the line: the frame holds while the voice finishes
        curve = axes.plot(lambda x: 0.5 + x / 8, color=self.theme.sigma)
        with self.narrate("σ(kx) rises across them; σ′ ≈ 0 nowhere.") as beat:
            self.play(Create(curve), run_time=0.5 * beat.duration)
        # A label written for longer than its short line: silence follows the speech
        label = self.math(r"y = \tfrac{1}{2} + \tfrac{x}{8}").to_edge(UP)
        with self.narrate("y = ½ + x/8", say="And its equation.") as beat:
            self.play(Write(label), run_time=beat.duration + 1.0)
            self.play(FadeIn(self.text("done", size="small")), run_time=0.2)
