"""The render cache (lecture/render/segments.py): kept segments, their pruning, and what a warm render reuses.

The end-to-end check renders a small scene, edits one of its animations,
renders again with the cache warm, and compares that video frame by frame
with a render of the edited scene from scratch: reuse must never show
anything a fresh render would not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from manim import Circle, Square, ValueTracker, VGroup
from PIL import Image

from lecture.render import segments
from lecture.render.pipeline import render_scene
from tests.test_render_e2e import tiny_job

SEGMENT = "0123456789abcdef0123456789abcdef"


def write(path: Path, size: int, age_s: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    when = time.time() - age_s
    os.utime(path, (when, when))
    return path


def test_prune_deletes_the_least_recently_used_until_it_fits(tmp_path: Path) -> None:
    root = tmp_path / "cache" / "segments"
    old = write(root / "A" / "dark" / "480p15" / f"{SEGMENT}a.mp4", 400, age_s=300)
    middle = write(root / "B" / "light" / "720p30" / f"{SEGMENT}b.mp4", 400, age_s=200)
    new = write(root / "A" / "dark" / "480p15" / f"{SEGMENT}c.mp4", 400, age_s=100)
    stale_temp = write(root / "A" / "dark" / "480p15" / f".{SEGMENT}d.mp4.999999999-0123abcd.tmp", 10, 0)
    deleted = segments.prune(tmp_path, max_bytes=900)
    assert set(deleted) == {old, stale_temp}
    assert middle.exists() and new.exists()
    segments.prune(tmp_path, max_bytes=0)
    assert not root.exists() or not any(root.rglob("*.mp4"))
    assert not (root / "B").exists(), "emptied folders are removed"


def test_keep_adds_new_segments_whole_and_marks_reused_ones(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    write(tmp_path / "earlier" / f"{SEGMENT}1.mp4", 10, 0)
    assert segments.keep(tmp_path / "earlier", cache, used=[]) == 1
    reused = cache / f"{SEGMENT}1.mp4"
    os.utime(reused, (time.time() - 1000,) * 2)
    write(work / f"{SEGMENT}1.mp4", 10, 0)
    write(work / f"{SEGMENT}2.mp4", 20, 0)
    write(work / "partial_movie_file_list.txt", 5, 0)  # not a segment
    assert segments.keep(work, cache, used=[str(work / f"{SEGMENT}1.mp4")]) == 1
    assert sorted(p.name for p in cache.iterdir()) == [
        f"{SEGMENT}1.mp4", f"{SEGMENT}1.mp4.sha256", f"{SEGMENT}2.mp4", f"{SEGMENT}2.mp4.sha256"
    ]
    sha = hashlib.sha256(b"x" * 20).hexdigest()
    assert (cache / f"{SEGMENT}2.mp4.sha256").read_text() == f"20 {sha}\n", "size and SHA-256 recorded"
    assert time.time() - reused.stat().st_mtime < 60
    linked = tmp_path / "next-work"
    assert segments.link_in(cache, linked) == 2
    assert (linked / f"{SEGMENT}2.mp4").read_bytes() == b"x" * 20


def test_heal_deletes_kept_segments_that_do_not_match_their_record(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    for n in range(5):
        write(work / f"{SEGMENT}{n}.mp4", 100, 0)
    segments.keep(work, cache, used=[])
    (cache / f"{SEGMENT}1.mp4").write_bytes(b"x" * 50)  # cut off
    (cache / f"{SEGMENT}2.mp4").write_bytes(b"y" * 100)  # overwritten, the same size
    (cache / f"{SEGMENT}3.mp4.sha256").unlink()  # no record
    (cache / f"{SEGMENT}4.mp4.sha256").write_text("garbage")
    write(cache / f"{SEGMENT}5.mp4", 100, 0)  # put there by hand
    damaged = segments.heal(cache)
    assert sorted(p.name for p in damaged) == [f"{SEGMENT}{n}.mp4" for n in (1, 2, 3, 4, 5)]
    assert sorted(p.name for p in cache.iterdir()) == [f"{SEGMENT}0.mp4", f"{SEGMENT}0.mp4.sha256"]
    assert segments.heal(cache) == []
    # --force renders every segment again: keep() replaces a damaged one under the same name.
    (cache / f"{SEGMENT}0.mp4").write_bytes(b"z" * 7)
    forced = tmp_path / "forced-work"
    for n in range(5):
        write(forced / f"{SEGMENT}{n}.mp4", 100, 0)
    assert segments.keep(forced, cache, used=[]) == 5
    assert (cache / f"{SEGMENT}0.mp4").read_bytes() == b"x" * 100 and segments.heal(cache) == []


def test_prune_deletes_a_segment_with_its_record_and_records_left_alone(tmp_path: Path) -> None:
    work = tmp_path / "work"
    cache = tmp_path / "cache" / "segments" / "A" / "dark" / "480p15" / "default"
    write(work / f"{SEGMENT}1.mp4", 400, 0)
    segments.keep(work, cache, used=[])
    write(cache / f"{SEGMENT}2.mp4.sha256", 10, 0)  # its segment is gone
    deleted = segments.prune(tmp_path, max_bytes=0)
    assert {p.name for p in deleted} == {f"{SEGMENT}1.mp4", f"{SEGMENT}2.mp4.sha256"}
    assert not (tmp_path / "cache" / "segments" / "A").exists()


def test_fingerprint_follows_what_is_drawn_and_tracked() -> None:
    square = Square()
    before = segments.fingerprint(square)["state"]
    assert segments.fingerprint(Square())["state"] == before, "the same drawing, the same key"
    assert segments.fingerprint(square.copy().shift([0.001, 0, 0]))["state"] != before
    assert segments.fingerprint(square.copy().set_color("#123456"))["state"] != before
    assert segments.fingerprint(square.copy().set_stroke(width=9))["state"] != before
    assert segments.fingerprint(square.copy().set_z_index(3))["state"] != before
    tracker = ValueTracker(1.0)
    key = segments.fingerprint(tracker)["state"]
    assert segments.fingerprint(tracker.set_value(2.0))["state"] != key


SCENE = '''
from manim import LEFT, RIGHT, Circle, Create, FadeIn, Square, ValueTracker
from scenes.common import LectureScene, LiveNumber

COLOUR = "{colour}"


class CacheScene(LectureScene):
    """Run times that are not whole frames, a live number, and one colour to edit."""

    def construct(self) -> None:
        self.play(Create(Square().shift(LEFT * 2)), run_time=0.37, subcaption="A square.")
        self.wait(0.41)
        tracker = ValueTracker(0)
        number = LiveNumber(0, num_decimal_places=2).shift(RIGHT * 2)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        self.add(number)
        self.play(tracker.animate.set_value(3), run_time=0.53)
        self.play(FadeIn(Circle(color=COLOUR)), run_time=0.3, subcaption="A circle.")
        self.wait(0.29)
'''


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


@pytest.mark.slow
def test_a_warm_render_reuses_unchanged_animations_and_matches_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "modules"
    package.mkdir()
    module = package / "cache_scene_module.py"
    monkeypatch.syspath_prepend(str(package))
    job = dataclasses.replace(tiny_job(tmp_path / "out"), scene="CacheScene", module="cache_scene_module")
    cache = segments.cache_dir(job)

    def render(colour: str, comment: str = "", **changes: Any) -> Path:
        import importlib
        import sys

        module.write_text(SCENE.format(colour=colour) + comment)
        sys.modules.pop("cache_scene_module", None)
        importlib.invalidate_caches()
        result = render_scene(dataclasses.replace(job, **changes))
        assert result.ok, result.detail
        return Path(result.files[0])

    cold = frames(render("#ff0000"))
    kept = {p.name for p in kept_videos(cache)}
    assert len(kept) == 5, "one segment per animation"

    warm_video = render("#00ff00")
    added = {p.name for p in kept_videos(cache)} - kept
    # The circle's colour changes its FadeIn and the wait after it (the circle is on screen): two new.
    assert len(added) == 2
    warm = frames(warm_video)
    fresh_video = render("#00ff00", force=True, output_dir=tmp_path / "fresh")
    fresh = frames(fresh_video)
    # The scene clock ran the same with three animations reused: the captions have the same times.
    assert warm_video.with_suffix(".vtt").read_text() == fresh_video.with_suffix(".vtt").read_text()
    assert len(warm) == len(fresh) == len(cold)
    for index, (a, b) in enumerate(zip(warm, fresh, strict=True)):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {index}")
    assert not np.array_equal(warm[-1], cold[-1]), "the edit shows"

    # A change that moves nothing (a comment): every animation comes from the cache, none is drawn,
    # and the video and its poster (the last frame, drawn afresh) are the fresh render's.
    kept = {p.name for p in kept_videos(cache)}
    cached_video = render("#00ff00", comment="# a comment\n")
    assert {p.name for p in kept_videos(cache)} == kept, "nothing rendered again"
    for index, (a, b) in enumerate(zip(frames(cached_video), fresh, strict=True)):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {index}")
    poster, fresh_poster = (
        np.asarray(Image.open(v.with_suffix(".png"))) for v in (cached_video, fresh_video)
    )
    np.testing.assert_array_equal(poster, fresh_poster)
    green = np.abs(poster[..., :3].astype(int) - (0, 255, 0)).sum(axis=-1) < 60
    assert green.sum() > 100, "the poster shows the scene's end: the green circle"


def test_a_key_hashes_each_family_member_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within one animation's key a member reached twice is hashed once; outside one, never remembered."""
    square = Square()
    group = VGroup(square, Circle())
    hashed: list[int] = []
    real_sha = segments.hashlib.sha256

    def counting_sha(data: bytes = b"") -> Any:
        hashed.append(len(data))
        return real_sha(data)

    monkeypatch.setattr(segments.hashlib, "sha256", counting_sha)
    alone = segments.fingerprint(group)["state"]
    outside = len(hashed)
    hashed.clear()
    keyed = segments._one_key(lambda *mobjects: [segments.fingerprint(m)["state"] for m in mobjects])
    states = keyed(group, square)
    # group: 1 + 3 members (VGroup, square, circle); square again: 1 + 0 members (remembered).
    assert len(hashed) == outside + 1
    assert states == [alone, segments.fingerprint(square)["state"]]
    assert segments._digests is None, "forgotten after the key"
    square.shift([1, 0, 0])
    assert segments.fingerprint(group)["state"] != alone, "a moved member changes its group's state"


def test_a_fingerprint_does_not_split_on_binary_fractions_a_hair_apart() -> None:
    """Glyph coordinates such as 3.6953125 (473/128) lie half-way between two decimal millionths:
    the same point reached by two paths, 4e-16 apart, must still have one fingerprint."""
    square = Square().move_to([-3.6953125, 1.0, 0.0])  # its right edge at x = -2.6953125
    nudged = square.copy()
    nudged.points = square.points + np.where(square.points == -2.6953125, -4.4e-16, 0.0)
    assert not np.array_equal(nudged.points, square.points)
    assert segments.fingerprint(nudged)["state"] == segments.fingerprint(square)["state"]


def test_a_scene_enters_a_key_without_its_bookkeeping() -> None:
    """An updater that closes over the scene draws from its own attributes, not from the play in progress."""
    from scenes.common import LectureScene

    class Probe(LectureScene):
        pass

    scene = Probe.__new__(Probe)
    scene.history = [1.0, 2.0]
    scene.time_progression = [0.0, 0.1]
    scene.beats = ["a beat and its times"]
    state = segments.scene_state(scene)
    assert state == {"scene": Probe.__qualname__, "history": [1.0, 2.0]}


def test_the_bookkeeping_list_covers_every_attribute_manim_gives_a_scene() -> None:
    """A ManimCE upgrade that adds a scene attribute shows up here, not as edits that render more again.

    Only the scene's own updaters stay in a key: they change what is drawn.
    """
    from manim import FadeIn, Scene, tempconfig

    class Plain(Scene):
        def construct(self) -> None:
            self.play(FadeIn(Square()), run_time=0.2)
            self.wait(0.1)

    with tempconfig({"dry_run": True, "verbosity": "ERROR", "progress_bar": "none"}):
        scene = Plain()
        scene.render()
    assert set(vars(scene)) - segments.SCENE_BOOKKEEPING == {"updaters"}
    assert segments.scene_state(scene) == {"scene": Plain.__qualname__, "updaters": []}


# --- damaged and foreign segments, on real renders --------------------------------------
def kept_videos(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.suffix == ".mp4")


@pytest.mark.slow
def test_a_damaged_kept_segment_is_rendered_again_not_a_failed_render(tmp_path: Path) -> None:
    """Issue 17: a cut-off or garbage segment in the cache made every later render fail
    (``InvalidDataError``), and ``--force`` succeeded once but kept the bad file."""
    job = tiny_job(tmp_path / "out")
    cache = segments.cache_dir(job)
    first = render_scene(job)
    assert first.ok, first.detail
    expected = frames(Path(first.files[0]))
    kept = kept_videos(cache)
    assert len(kept) == 3
    good = {p.name: p.read_bytes() for p in kept}
    kept[0].write_bytes(good[kept[0].name][: len(good[kept[0].name]) // 2])  # cut off
    kept[1].write_bytes(b"\0garbage" * 100)

    again = render_scene(job)
    assert again.ok, again.detail
    assert len(again.warnings) == 1, again.warnings
    assert again.warnings[0].startswith("TinyScene: 2 kept segment(s) in cache/segments/TinyScene/dark/")
    assert "deleted and rendered again" in again.warnings[0]
    assert {p.name: p.read_bytes() for p in kept_videos(cache)} == good, "rendered again and kept whole"
    for index, (a, b) in enumerate(zip(frames(Path(again.files[0])), expected, strict=True)):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {index}")

    # --force replaces a damaged segment, so the next ordinary render finds a good one.
    kept[2].write_bytes(b"\0garbage")
    forced = render_scene(dataclasses.replace(job, force=True))
    assert forced.ok, forced.detail
    assert kept[2].read_bytes() == good[kept[2].name]
    after = render_scene(job)
    assert after.ok and after.warnings == (), after.warnings


@pytest.mark.slow
def test_a_storyboards_lossless_segments_never_feed_a_video(tmp_path: Path) -> None:
    """Issue 17: storyboards encode losslessly and videos normally, and both shared one cache folder.

    ManimCE 0.22 puts its encoder settings in a segment's key too, so the two never met on this
    version; the folder keeps them apart whatever ManimCE's key holds (on main, the first two
    asserts fail; the frames matched there too)."""
    job = tiny_job(tmp_path / "out")
    board = dataclasses.replace(job, mode="storyboard")
    assert segments.cache_dir(board) != segments.cache_dir(job)
    assert segments.cache_dir(board).name == "crf0" and segments.cache_dir(job).name == "default"
    assert render_scene(board).ok
    assert len(kept_videos(segments.cache_dir(board))) == 3
    after_board = render_scene(job)
    assert after_board.ok, after_board.detail
    assert len(kept_videos(segments.cache_dir(job))) == 3, "every segment of the video rendered for it"
    fresh = render_scene(dataclasses.replace(job, output_dir=tmp_path / "fresh"))
    assert fresh.ok, fresh.detail
    pairs = zip(frames(Path(after_board.files[0])), frames(Path(fresh.files[0])), strict=True)
    for index, (a, b) in enumerate(pairs):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {index}")
