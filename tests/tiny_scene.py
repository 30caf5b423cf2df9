"""A tiny themed scene for the render-pipeline tests, and a way to run the CLI on it.

The real scenes take tens of seconds to render; this one takes about two at
``-q l``, so the CLI and the pipeline can be tested end to end without them.
It carries narration captions, a MathTex (to exercise the LaTeX cache) and a
moving curve, like a real scene. ``TINY_SCENE_SECONDS`` stretches its run time
so a test can interrupt a render while it is still going; ``TINY_SCENE_FAIL``
makes it raise after its first beat, like a scene with a bug.

Run the real CLI with ``TinyScene`` registered::

    python -m tests.tiny_scene --scene TinyScene -q l --output-dir /tmp/out
"""

from __future__ import annotations

import os
from typing import Any

from manim import UP, Create, FadeIn, Write

# Only scenes.common here: under the plain manim CLI (an editable install, the
# scene file's folder on sys.path) `scenes` imports as a namespace package, so
# `from scenes import SCENES` would fail there. The registry is imported lazily.
from scenes.common import LectureScene


class TinyScene(LectureScene):
    """Axes, one curve and a label, each beat with a caption."""

    def construct(self) -> None:
        seconds = float(os.environ.get("TINY_SCENE_SECONDS", "2"))
        # Axes and a line drawn across them
        self.axes_ = self.make_axes([-3, 3, 1], [0, 1, 0.5], x_length=6, y_length=3)
        curve = self.axes_.plot(lambda x: 0.5 + x / 8, color=self.theme.sigma)
        self.play(Create(self.axes_), run_time=seconds / 4, subcaption="Here are the axes.")
        if os.environ.get("TINY_SCENE_FAIL"):
            raise RuntimeError("TinyScene fails on request (TINY_SCENE_FAIL)")
        self.play(Create(curve), run_time=seconds / 2, subcaption="A line rises across them.")
        # A label, written last so the last frame shows it
        label = self.math(r"y = \tfrac{1}{2} + \tfrac{x}{8}").to_edge(UP)
        self.play(Write(label), run_time=seconds / 4, subcaption="And its equation.")


class BrokenScene(LectureScene):
    """Plays one beat, then fails like a scene with a bug."""

    def construct(self) -> None:
        self.play(FadeIn(self.text("about to fail")), run_time=0.2)
        raise RuntimeError("BrokenScene fails on purpose")


def registry_entries() -> list[Any]:
    """``SceneInfo`` entries for these scenes, to add to ``scenes.SCENES``."""
    from scenes import SceneInfo

    return [
        SceneInfo("TinyScene", "tests.tiny_scene", "a two-second scene for the tests", 2),
        SceneInfo("BrokenScene", "tests.tiny_scene", "a scene that raises mid-way", 1),
    ]


def _run_cli() -> None:
    """Register the tiny scenes and run ``render.py``'s command."""
    import render
    import scenes

    for info in registry_entries():
        scenes.SCENES.setdefault(info.name, info)
    render.main()


if __name__ == "__main__":
    _run_cli()
