"""Render a scene's last frame cheaply and look at its pixels.

The way ManimCE's own graphical tests work: animations skipped, low
resolution, nothing written, only the final frame kept. Points are mapped to
pixels through the scene's own axes (``axes.c2p``), so a check says "the
pixel where the maths puts (0, 0.5) is the curve's colour".
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import config, tempconfig
from manim.utils.color import ManimColor

from lecture.voice.speech import VOICE_CACHE_ENV
from scenes.common import CAPTION_CHARS_PER_SECOND

_TEST_CACHE = Path(__file__).resolve().parent.parent / "media" / "cache" / "tests"
#: Where scenes run by the tests keep ManimCE's LaTeX and text caches: one folder per pytest-xdist
#: worker, since ManimCE deletes every non-SVG file in its Tex folder after each compile (another
#: process's .tex and .dvi in the middle of theirs too).
TEST_MEDIA_DIR = _TEST_CACHE / os.environ.get("PYTEST_XDIST_WORKER", "main")
#: The speech cache the tests' scenes share (safe across processes: one lock per entry).
TEST_VOICE_DIR = _TEST_CACHE / "voice"

#: Small but not tiny: 480x270 keeps a 5 px curve a few pixels wide.
LOW_RES = {"pixel_width": 480, "pixel_height": 270, "frame_rate": 15}


@contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def seed_caches(output_dir: Path) -> None:
    """Give a CLI render in ``output_dir`` the tests' LaTeX, text and speech caches (hard links).

    A test that renders a real scene through ``render.py`` then runs neither
    LaTeX nor the voice for what the scene tests already made; what is
    missing is made as usual. Only whole SVGs are linked.
    """
    from lecture.publish.outputs import link_or_copy
    from lecture.render.svg_cache import link_svgs

    for name in ("Tex", "texts"):
        link_svgs(TEST_MEDIA_DIR / name, output_dir / "cache" / name)
    voice = output_dir / "cache" / "voice"
    voice.mkdir(parents=True, exist_ok=True)
    if TEST_VOICE_DIR.is_dir():
        for entry in TEST_VOICE_DIR.iterdir():
            if entry.is_file() and not entry.is_symlink() and not entry.name.endswith(".lock"):
                link_or_copy(entry, voice / entry.name)


def run_scene(scene_cls: type, theme: str = "dark", tmp_path: Any = None) -> Any:
    """Run ``construct()`` with animations skipped and nothing written; return the scene."""
    options: dict[str, Any] = {
        **LOW_RES,
        "dry_run": True,
        "skip_animations": True,
        "disable_caching": True,
        "write_to_movie": False,
        "save_last_frame": False,
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    # LaTeX and text SVGs are cached there between runs; it is under the git-ignored media/.
    options["media_dir"] = str(tmp_path if tmp_path is not None else TEST_MEDIA_DIR)
    voice = TEST_VOICE_DIR if tmp_path is None else Path(tmp_path) / "voice"
    with tempconfig(options), _environ("LECTURE_THEME", theme), _environ(VOICE_CACHE_ENV, str(voice)):
        # Scene reads skip_animations from its constructor only, not from config.
        scene = scene_cls(skip_animations=True)
        scene.render()
    return scene


def last_frame(scene_cls: type, theme: str = "dark", tmp_path: Any = None) -> tuple[Any, np.ndarray]:
    """Run the scene as :func:`run_scene` and return it with its final frame (H, W, 4) uint8."""
    with tempconfig(LOW_RES):
        scene = run_scene(scene_cls, theme, tmp_path)
        scene.renderer.camera.reset()
        scene.renderer.update_frame(scene, ignore_skipping=True)
        frame = np.array(scene.renderer.get_frame())
    return scene, frame


def to_pixel(point: Any, frame: np.ndarray) -> tuple[int, int]:
    """(row, column) of the pixel that shows the scene point ``point``."""
    h, w = frame.shape[:2]
    col = (point[0] / config.frame_width + 0.5) * w
    row = (0.5 - point[1] / config.frame_height) * h
    return round(row), round(col)


def rgb(color: Any) -> np.ndarray:
    """A theme colour (``#RRGGBB``) or ManimColor as an RGB array of 0-255 ints."""
    return np.array(ManimColor(color).to_int_rgb())


def colour_near(frame: np.ndarray, point: Any, color: Any, *, radius: int = 2, tol: float = 60) -> bool:
    """Whether a pixel near ``point`` (within ``radius``) is within RGB distance ``tol`` of ``color``."""
    row, col = to_pixel(point, frame)
    h, w = frame.shape[:2]
    patch = frame[
        max(row - radius, 0) : min(row + radius + 1, h),
        max(col - radius, 0) : min(col + radius + 1, w),
        :3,
    ]
    if patch.size == 0:
        return False
    dist = np.linalg.norm(patch.astype(float) - rgb(color), axis=-1)
    return bool(dist.min() <= tol)


def only_background_near(
    frame: np.ndarray, point: Any, background: Any, *, radius: int = 2, tol: float = 12
) -> bool:
    """Whether every pixel within ``radius`` of ``point`` is the background colour (within ``tol``)."""
    row, col = to_pixel(point, frame)
    patch = frame[row - radius : row + radius + 1, col - radius : col + radius + 1, :3].astype(float)
    return bool(np.linalg.norm(patch - rgb(background), axis=-1).max() <= tol)


def check_narration(scene: Any, *, min_captions: int, unsaid_tail: float = 0.0) -> None:
    """Assert the scene is narrated like a lecture.

    Every caption is a narrated beat's; captions start at 0 and follow each
    other without gaps or overlaps; each stays up at least as long as its
    line is spoken plus a breath (the real speech, or the reading-pace
    estimate without a voice); the last ends ``unsaid_tail`` seconds before
    the scene does; the scene runs 20-90 s (issue 10's bounds for a lecture segment).
    """
    from scenes.common import BREATH_SECONDS

    captions = scene.renderer.file_writer.subcaptions
    assert len(captions) >= min_captions, "every beat should carry a caption"
    assert [c.content for c in captions] == [beat.caption for beat in scene.beats], "a caption with no beat"
    assert captions[0].start.total_seconds() == pytest.approx(0)
    for before, after in itertools.pairwise(captions):
        assert after.start == before.end, after.content
    assert scene.renderer.time - captions[-1].end.total_seconds() == pytest.approx(unsaid_tail, abs=1e-6)
    for caption, beat in zip(captions, scene.beats, strict=True):
        shown = (caption.end - caption.start).total_seconds()
        assert shown >= beat.duration + BREATH_SECONDS - 1e-3, caption.content
    assert 20 <= scene.renderer.time <= 90


def check_caption_pace(scene: Any, *, max_chars_per_second: float = CAPTION_CHARS_PER_SECOND) -> None:
    """Assert no caption is shown for less time than reading it takes at ``max_chars_per_second``."""
    for caption in scene.renderer.file_writer.subcaptions:
        shown = (caption.end - caption.start).total_seconds()
        assert len(caption.content) / shown <= max_chars_per_second, (
            f"{caption.content!r}: {len(caption.content) / shown:.1f} characters a second"
        )
