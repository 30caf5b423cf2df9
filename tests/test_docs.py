"""The guides tell the truth: the example scene in docs/authoring.md runs, and every link lands.

The example is taken from the guide itself (the ```python block that defines
``SigmoidAtTwo``), executed as a module and built with animations skipped, the
way the scene tests build the real scenes (:func:`tests.framecheck.last_frame`);
its last frame is checked through its own axes. Links are every relative
``[text](target)`` in README.md and docs/*.md: the file must exist and, for a
Markdown file, the ``#anchor`` must be one of its headings as GitHub names them.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lecture.numerics import sigmoid
from lecture.voice.pronunciation import unspeakable
from scenes import SCENES, SceneInfo
from tests.framecheck import colour_near, last_frame, only_background_near

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "authoring.md"
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
EXAMPLE_CLASS = "SigmoidAtTwo"

_CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def python_blocks(path: Path) -> list[str]:
    """The ```python code blocks of a Markdown file, in order."""
    return _CODE_BLOCK.findall(path.read_text(encoding="utf-8"))


def example_source() -> str:
    """The guide's one complete example scene module."""
    blocks = [b for b in python_blocks(GUIDE) if f"class {EXAMPLE_CLASS}(LectureScene)" in b]
    assert len(blocks) == 1, f"docs/authoring.md should hold one block defining {EXAMPLE_CLASS}"
    return blocks[0]


def load_example() -> type:
    """Execute the example as the module ``scenes.sigmoid_at_two`` would be, and return its scene class."""
    module = types.ModuleType("docs_example_sigmoid_at_two")
    sys.modules[module.__name__] = module  # dataclasses and pickling look a class's module up here
    exec(compile(example_source(), str(GUIDE), "exec"), module.__dict__)
    return getattr(module, EXAMPLE_CLASS)  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=("dark", "light"))
def example(request: pytest.FixtureRequest) -> tuple[Any, np.ndarray]:
    """The example scene after ``construct()`` (animations skipped) and its last frame, per theme."""
    return last_frame(load_example(), request.param)


# --- the example scene -------------------------------------------------------


def test_example_imports_only_what_a_scene_module_may() -> None:
    # manim, numpy, lecture.* and scenes.common: what plain `manim` can load by path
    allowed = ("__future__", "manim", "numpy", "lecture", "scenes.common")
    tree = ast.parse(example_source())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    ]
    assert imported, "the example imports nothing?"
    for name in imported:
        assert name is not None and (
            name in allowed or name.split(".")[0] in ("manim", "numpy", "lecture")
        ), name
    assert ast.get_docstring(tree) and "Storyboard" in ast.get_docstring(tree)  # type: ignore[operator]


def test_example_passes_the_projects_lint_and_format() -> None:
    # the guide's code is the house style: ruff with pyproject.toml's rules, as if it were a scene module
    for command in (["check", "--quiet"], ["format", "--check", "--quiet"]):
        ruff = [sys.executable, "-m", "ruff", *command, "--stdin-filename", "scenes/sigmoid_at_two.py", "-"]
        done = subprocess.run(ruff, input=example_source(), text=True, capture_output=True, cwd=REPO)
        assert done.returncode == 0, done.stdout + done.stderr


def test_example_draws_sigma_from_the_numerics(example: tuple[Any, np.ndarray]) -> None:
    scene, _ = example
    coords = np.array([scene.axes.p2c(p) for p in scene.curve.get_anchors()])
    np.testing.assert_allclose(coords[:, 1], sigmoid(coords[:, 0]), atol=1e-9)
    assert coords[:, 0].min() == pytest.approx(-4) and coords[:, 0].max() == pytest.approx(4)


def test_example_ends_with_the_point_at_two_and_its_value(example: tuple[Any, np.ndarray]) -> None:
    scene, _ = example
    assert scene.x.get_value() == pytest.approx(2.0)
    np.testing.assert_allclose(scene.dot.get_center(), scene.axes.c2p(2.0, float(sigmoid(2.0))), atol=1e-9)
    number = scene.readout[1]
    assert number.get_value() == pytest.approx(float(sigmoid(2.0)))
    assert f"{number.get_value():.3f}" == "0.881"  # what the caption says


def test_example_last_frame_through_its_axes(example: tuple[Any, np.ndarray]) -> None:
    scene, frame = example
    t = scene.theme
    assert colour_near(frame, scene.axes.c2p(2.0, float(sigmoid(2.0))), t.highlight, radius=1)
    for x in (-3.0, -1.0, 3.5):
        assert colour_near(frame, scene.axes.c2p(x, float(sigmoid(x))), t.sigma), x
    assert only_background_near(frame, scene.axes.c2p(-2.0, 0.8), t.background)
    assert colour_near(frame, scene.readout[1].get_center(), t.highlight, radius=3)


def test_example_is_narrated_in_plain_words(example: tuple[Any, np.ndarray]) -> None:
    scene, _ = example
    captions = scene.renderer.file_writer.subcaptions
    assert [c.content for c in captions] == [beat.caption for beat in scene.beats]
    assert len(scene.beats) == 2
    for beat in scene.beats:
        assert unspeakable(beat.say) == [], beat.say
        # the frame is held until the line has been said
        shown = next(c for c in captions if c.content == beat.caption)
        assert (shown.end - shown.start).total_seconds() >= beat.duration


def test_registration_snippet_is_a_valid_entry() -> None:
    snippets = [b for b in python_blocks(GUIDE) if b.lstrip().startswith("SceneInfo(")]
    assert len(snippets) == 1
    info = eval(snippets[0].strip().rstrip(","), {"SceneInfo": SceneInfo})  # our own guide, not input
    assert isinstance(info, SceneInfo) and info.name == EXAMPLE_CLASS
    assert info.module == "scenes.sigmoid_at_two" and "\n" not in info.description


# --- the README's scene table ------------------------------------------------


def test_readme_lists_every_registered_scene_in_order_with_its_length() -> None:
    rows = re.findall(
        r"^\| `(\w+)` \| (\d+) s \| (.+?) \|$", (REPO / "README.md").read_text(encoding="utf-8"), re.M
    )
    assert [(name, int(length)) for name, length, _ in rows] == [
        (info.name, info.duration_s) for info in SCENES.values()
    ]
    assert [line for _, _, line in rows] == [info.description for info in SCENES.values()]


# --- links -------------------------------------------------------------------


def github_anchors(markdown: str) -> set[str]:
    """The ``#anchor`` of every heading, named as GitHub names them (duplicates get -1, -2, …)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    text = _CODE_BLOCK.sub("", re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M))
    for heading in re.findall(r"^#{1,6} +(.+?) *$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def relative_links(page: Path) -> list[str]:
    """Every link target in ``page`` that is not a URL, outside code blocks."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [t for t in _LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def test_the_anchor_names_follow_github() -> None:
    assert github_anchors("## Previewing while you edit: `--watch`\n## A\n## A\n") == {
        "previewing-while-you-edit---watch",
        "a",
        "a-1",
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_points_to_an_existing_file(page: Path) -> None:
    links = relative_links(page)
    for link in links:
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name}: {link} -> {path} does not exist"
        if anchor and path.suffix == ".md":
            assert anchor in github_anchors(path.read_text(encoding="utf-8")), (
                f"{page.name}: no #{anchor} in {path.name}"
            )


def test_the_readme_shows_the_contact_sheet_and_links_every_guide() -> None:
    links = relative_links(REPO / "README.md")
    assert "docs/lecture-contact-sheet.png" in links
    for guide in ("authoring", "narration", "how-it-renders", "reliability", "benchmarks"):
        assert any(link.startswith(f"docs/{guide}.md") for link in links), guide
