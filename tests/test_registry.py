"""The scene registry: every entry loads, and ``--list`` tells the truth about it."""

from __future__ import annotations

import importlib
import inspect

import pytest

from scenes import SCENES, load_scene
from scenes.common import LectureScene
from tests.framecheck import run_scene


def test_registry_holds_the_four_core_scenes_in_lecture_order():
    assert list(SCENES) == ["SteepnessSweep", "DerivativeTrace", "LogitReflection", "LogisticBoundary"]


@pytest.mark.parametrize("name", list(SCENES))
def test_entry_loads_a_lecture_scene_from_its_own_module(name):
    cls = load_scene(name)
    assert inspect.isclass(cls) and issubclass(cls, LectureScene)
    assert cls.__module__ == SCENES[name].module
    assert importlib.import_module(SCENES[name].module).__doc__, "each scene module opens with its storyboard"
    assert SCENES[name].description and "\n" not in SCENES[name].description


@pytest.mark.parametrize("name", list(SCENES))
def test_listed_duration_matches_the_scene(name):
    scene = run_scene(load_scene(name))
    actual = scene.renderer.time
    assert 20 <= actual <= 60, f"{name} runs {actual:.1f} s; a lecture segment is 20-60 s"
    assert abs(SCENES[name].duration_s - actual) <= 2, (
        f"{name} runs {actual:.1f} s, listed as {SCENES[name].duration_s}"
    )
