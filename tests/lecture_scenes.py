"""The test lecture: three short scenes in the order they play, for the assembly and page tests.

:class:`tests.narrated_scene.NarratedScene` (three narrated beats), then
:class:`tests.tiny_scene.TinyScene` (captioned with ManimCE's ``subcaption=``,
so it has no narrated beats and no voice: silence in the lecture's track), then
:class:`ClosingScene` (two narrated beats). Registered like the tiny scenes
(:func:`registry_entries`), rendered once per test session (``tests/conftest.py``).
"""

from __future__ import annotations

from typing import Any

from manim import Create, FadeIn

from scenes.common import LectureScene

#: The lecture's scenes and their chapter titles, in order.
LECTURE = [
    ("NarratedScene", "Narrated scene"),
    ("TinyScene", "Tiny scene"),
    ("ClosingScene", "Closing scene"),
]


class ClosingScene(LectureScene):
    """Two spoken beats: a circle drawn, then a word faded in."""

    def construct(self) -> None:
        # A circle, drawn while the line is said
        circle = self.text("o", size="title")
        with self.narrate("A last shape.") as beat:
            self.play(Create(circle), run_time=beat.duration)
        # A closing word
        self.play_narrated("That is all.", FadeIn(self.text("end", size="small").next_to(circle)))


def registry_entries() -> list[Any]:
    """``SceneInfo`` entries for the test lecture's scenes, to put in ``scenes.SCENES``."""
    from scenes import SceneInfo

    return [
        SceneInfo("NarratedScene", "tests.narrated_scene", "three narrated beats", 9),
        SceneInfo("TinyScene", "tests.tiny_scene", "a two-second scene for the tests", 2),
        SceneInfo("ClosingScene", "tests.lecture_scenes", "two narrated beats", 3),
    ]
