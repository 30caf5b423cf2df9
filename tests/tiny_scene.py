"""A tiny themed scene for the render-pipeline tests, and a way to run the CLI on it.

The real scenes take tens of seconds to render; this one takes about two at
``-q l``, so the CLI and the pipeline can be tested end to end without them.
It carries narration captions, a MathTex (to exercise the LaTeX cache) and a
moving curve, like a real scene. ``TINY_SCENE_SECONDS`` stretches its run time
so a test can interrupt a render while it is still going.

Run the real CLI with ``TinyScene`` registered::

    python -m tests.tiny_scene --scene TinyScene -q l --output-dir /tmp/out
"""

from __future__ import annotations

import os

from manim import UP, Create, FadeIn, Write

from scenes import SCENES, SceneInfo
from scenes.common import LectureScene

#: The registry entry the tests add (monkeypatch.setitem) to ``scenes.SCENES``.
TINY_INFO = SceneInfo("TinyScene", "tests.tiny_scene", "a two-second scene for the tests", 2)
#: One that always fails, to test that one failure does not stop the others.
BROKEN_INFO = SceneInfo("BrokenScene", "tests.tiny_scene", "a scene that raises mid-way", 1)


class TinyScene(LectureScene):
    """Axes, one curve and a label, each beat with a caption."""

    def construct(self) -> None:
        seconds = float(os.environ.get("TINY_SCENE_SECONDS", "2"))
        # Axes and a line drawn across them
        self.axes_ = self.axes([-3, 3, 1], [0, 1, 0.5], x_length=6, y_length=3)
        curve = self.axes_.plot(lambda x: 0.5 + x / 8, color=self.theme.sigma)
        self.play(Create(self.axes_), run_time=seconds / 4, subcaption="Here are the axes.")
        self.play(Create(curve), run_time=seconds / 2, subcaption="A line rises across them.")
        # A label, written last so the last frame shows it
        label = self.math(r"y = \tfrac{1}{2} + \tfrac{x}{8}").to_edge(UP)
        self.play(Write(label), run_time=seconds / 4, subcaption="And its equation.")


class BrokenScene(LectureScene):
    """Plays one beat, then fails like a scene with a bug."""

    def construct(self) -> None:
        self.play(FadeIn(self.text("about to fail")), run_time=0.2)
        raise RuntimeError("BrokenScene fails on purpose")


def _run_cli() -> None:
    """Register the tiny scenes and run ``render.py``'s command."""
    import render

    SCENES.setdefault(TINY_INFO.name, TINY_INFO)
    SCENES.setdefault(BROKEN_INFO.name, BROKEN_INFO)
    render.main()


if __name__ == "__main__":
    _run_cli()
