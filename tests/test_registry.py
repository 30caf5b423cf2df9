"""The scene registry: every entry loads, and ``--list`` tells the truth about it."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lecture.voice.speech import VOICE_CACHE_ENV
from scenes import SCENES, load_scene
from scenes.common import LectureScene
from tests.framecheck import TEST_MEDIA_DIR, TEST_VOICE_DIR, run_scene

REPO = Path(__file__).resolve().parent.parent


#: Issue 10's teaching order for the whole chapter, with issue 20's StableSigmoid before softmax.
LECTURE_ORDER = [
    "SigmoidShape",
    "SteepnessSweep",
    "DerivativeTrace",
    "VanishingGradient",
    "LogOdds",
    "LogitReflection",
    "TanhRelation",
    "HardSigmoid",
    "LogisticBoundary",
    "CrossEntropyGradient",
    "StableSigmoid",
    "SoftmaxGeneralization",
    "ChapterSummary",
]


def test_registry_lists_the_thirteen_scenes_in_lecture_order():
    # All thirteen are registered: exactly these, once each, in the order they are taught.
    assert list(SCENES) == LECTURE_ORDER


@pytest.mark.parametrize("name", list(SCENES))
def test_entry_loads_a_lecture_scene_from_its_own_module(name):
    cls = load_scene(name)
    assert inspect.isclass(cls) and issubclass(cls, LectureScene)
    assert cls.__module__ == SCENES[name].module
    assert importlib.import_module(SCENES[name].module).__doc__, "each scene module opens with its storyboard"
    assert SCENES[name].description and "\n" not in SCENES[name].description


@pytest.mark.parametrize("name", list(SCENES))
def test_chapter_title_is_the_scenes_own_title(name):
    # The lecture's chapters are titled as the scene titles itself on screen (its first self.title).
    source = inspect.getsource(importlib.import_module(SCENES[name].module))
    first = source.split("self.title(", 1)[1].split(")", 1)[0].strip().strip('"')
    assert SCENES[name].title == first


@pytest.mark.parametrize("name", list(SCENES))
def test_listed_duration_matches_the_scene(name):
    scene = run_scene(load_scene(name))
    actual = scene.renderer.time
    assert 20 <= actual <= 90, f"{name} runs {actual:.1f} s; a lecture segment is 20-90 s"
    assert abs(SCENES[name].duration_s - actual) <= 2, (
        f"{name} runs {actual:.1f} s, listed as {SCENES[name].duration_s}"
    )


def test_plain_manim_loads_and_runs_every_scene_file():
    # What `manim -c config/manim.cfg scenes/<module>.py <Scene>` does: load the file by path
    # (not as an installed package), find the class, run construct(). In a fresh interpreter
    # so the by-path import cannot borrow modules this test session already imported.
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from manim import tempconfig
        from manim.utils.module_ops import scene_classes_from_file
        media = sys.argv.pop(1)
        for path, name in zip(sys.argv[1::2], sys.argv[2::2]):
            found = {cls.__name__: cls for cls in scene_classes_from_file(Path(path), full_list=True)}
            assert name in found, f"{path} has no scene {name}: {sorted(found)}"
            with tempconfig({"dry_run": True, "pixel_width": 480, "pixel_height": 270,
                             "media_dir": media, "verbosity": "ERROR",
                             "progress_bar": "none"}):
                found[name](skip_animations=True).render()
            print("ran", name)
        """
    )
    args = [arg for info in SCENES.values() for arg in (f"scenes/{info.module.split('.')[-1]}.py", info.name)]
    done = subprocess.run(
        [sys.executable, "-c", script, str(TEST_MEDIA_DIR), *args],
        cwd=REPO,
        env=os.environ | {VOICE_CACHE_ENV: str(TEST_VOICE_DIR)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[:-1] == [f"ran {name}" for name in SCENES]
