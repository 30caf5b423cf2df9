"""One scene rendered by several processes (lecture/render/split.py): claims, hand-over, and the same video.

The pure parts first (a claim is exclusive, a lost helper is noticed,
ManimCE is put back), then the promise itself with real renders of a small
narrated scene: a video whose animations were all rendered by a helper has
the same frames, captions and audio as one rendered in one process, and a
real split render (``processes=2``) publishes the same video and leaves no
process or working folder behind.

"The same frames" is checked as closely as ManimCE allows: two renders of
one scene in one process are not always bit-identical, split or not (measured
on :class:`SplitScene`: 1 render in 4 had one of its 9 segments differ from
the others, in at most 0.007 % of a frame's pixels by more than 32 levels).
So every frame must match its twin except for at most 0.2 % of its pixels,
far less than any shape of the scene covers: a segment out of place, missing
or rendered twice fails. Captions, timing, frame count and the narration's
samples must be exactly equal.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from manim import LEFT, RIGHT, UP, Circle, Create, FadeIn, Square, Transform, ValueTracker

from lecture.publish.finishers import finisher_for
from lecture.render import manim_run, pipeline, split
from lecture.render.workers import WorkerContext, watching
from scenes.common import LectureScene, LiveNumber
from tests.audiocheck import decode_audio
from tests.framecheck import seed_caches
from tests.test_render_e2e import tiny_job


class SplitScene(LectureScene):
    """Five narrated beats: shapes drawn, a live number counting, a transform."""

    def construct(self) -> None:
        square = Square(color=self.theme.sigma).shift(LEFT * 2)
        with self.narrate("A square.") as beat:
            self.play(Create(square), run_time=beat.duration)
        tracker = ValueTracker(0)
        number = LiveNumber(0, num_decimal_places=2).shift(RIGHT * 2)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        self.add(number)
        with self.narrate("A number counts up to three.") as beat:
            self.play(tracker.animate.set_value(3), run_time=0.6 * beat.duration)
        circle = Circle(color=self.theme.highlight).shift(UP * 2)
        with self.narrate("A circle fades in.") as beat:
            self.play(FadeIn(circle), run_time=beat.duration)
        with self.narrate("The square becomes a circle.") as beat:
            self.play(Transform(square, circle.copy().shift(LEFT * 2)), run_time=beat.duration)
        with self.narrate("And the number goes back to one.") as beat:
            self.play(tracker.animate.set_value(1), run_time=beat.duration + 0.5)


def split_job(output_dir: Path, **changes: Any) -> Any:
    return tiny_job(output_dir, scene="SplitScene", module="tests.test_split", **changes)


#: Share of a frame's pixels that may differ by more than :data:`LEVELS` between two renders (see above).
TOLERATED = 0.002
LEVELS = 32


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def assert_same_frames(ours: list[np.ndarray], theirs: list[np.ndarray]) -> None:
    assert len(ours) == len(theirs) > 0
    for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        off = float(np.mean(np.abs(a.astype(int) - b).max(axis=2) > LEVELS))
        assert off <= TOLERATED, f"frame {index}: {off:.2%} of its pixels differ"


# --- the pure parts ------------------------------------------------------------
def test_only_one_process_can_claim_an_animation(tmp_path: Path) -> None:
    first, second = split.Share(tmp_path, main=True), split.Share(tmp_path, main=False)
    first.prepare()
    assert split.claim(first, "a" * 16)
    assert not split.claim(second, "a" * 16), "claimed already"
    assert split.claim(second, "b" * 16)
    assert (first.claims / ("a" * 16)).read_text() == str(os.getpid())
    assert first.rendered == ["a" * 16] and second.rendered == ["b" * 16]


def test_take_over_links_handed_over_segments_and_notices_a_lost_helper(tmp_path: Path) -> None:
    helper, main = split.Share(tmp_path / "split", main=False), split.Share(tmp_path / "split", main=True)
    main.prepare()
    (tmp_path / "helper").mkdir()
    (tmp_path / "helper" / "aaaa.mp4").write_bytes(b"segment")
    helper.rendered.append("aaaa")
    assert split.hand_over(helper, tmp_path / "helper") == 1
    assert not list(helper.segments.glob(".*.tmp")), "renamed in whole"

    main.borrowed["aaaa"] = tmp_path / "main" / "aaaa.mp4"
    assert split.take_over(main, alive=lambda: False) == 1
    assert (tmp_path / "main" / "aaaa.mp4").read_bytes() == b"segment"

    main.borrowed["bbbb"] = tmp_path / "main" / "bbbb.mp4"  # claimed by a helper that died
    with pytest.raises(split.HelperLost, match="bbbb"):
        split.take_over(main, alive=lambda: False)


def test_sharing_puts_manims_file_writer_back() -> None:
    from manim.scene.scene_file_writer import SceneFileWriter

    before = {name: getattr(SceneFileWriter, name) for name in vars(SceneFileWriter)}
    for main in (True, False):
        with split.sharing(split.Share(Path("unused"), main=main)):
            assert SceneFileWriter.is_already_cached is not before["is_already_cached"]
    assert {name: getattr(SceneFileWriter, name) for name in vars(SceneFileWriter)} == before


# --- real renders ------------------------------------------------------------------
@pytest.mark.slow
def test_a_video_made_of_a_helpers_segments_is_the_one_a_single_process_makes(tmp_path: Path) -> None:
    job = split_job(tmp_path / "out", force=True)
    finisher = finisher_for(job)
    folder = tmp_path / "split"
    split.Share(folder, main=True).prepare()
    with watching("test", WorkerContext()) as watch:
        # The helper gets to every animation first and claims it ...
        helper = split.Share(folder, main=False)
        manim_run.run_manim(job, finisher, tmp_path / "helper", watch, share=helper)
        assert split.hand_over(helper, tmp_path / "helper" / "partial") == len(helper.rendered) > 0
        # ... so the main process renders none and takes them all over.
        main = split.Share(folder, main=True)
        shared = manim_run.run_manim(job, finisher, tmp_path / "main", watch, share=main)
        alone = manim_run.run_manim(job, finisher, tmp_path / "alone", watch)
    assert not main.rendered and sorted(main.borrowed) == sorted(set(helper.rendered))
    assert shared.movie is not None and alone.movie is not None
    assert shared.captions == alone.captions
    assert shared.scene_duration_s == alone.scene_duration_s
    assert_same_frames(frames(shared.movie), frames(alone.movie))
    # The narration is placed by the main process, at the same offsets: the same samples.
    np.testing.assert_array_equal(decode_audio(shared.movie).mono, decode_audio(alone.movie).mono)


@pytest.mark.slow
def test_a_split_render_publishes_the_same_video_and_leaves_nothing_behind(tmp_path: Path) -> None:
    results = {}
    for processes in (1, 2):
        job = split_job(tmp_path / f"out{processes}", force=True, processes=processes)
        result = pipeline.render_scene(job)
        assert result.ok, result.detail
        results[processes] = result
        assert not multiprocessing.active_children(), "helpers stopped"
        assert not list((job.output_dir / "cache").glob("work-*")), "working folders removed"
    one, two = (Path(results[n].files[0]) for n in (1, 2))
    assert one.with_suffix(".vtt").read_text() == two.with_suffix(".vtt").read_text()
    ours = frames(two)
    assert len(ours) == results[2].frames
    assert_same_frames(ours, frames(one))
    # Everything else it reports is the same too (the size by a few bytes: see the tolerance above).
    assert dataclasses.replace(results[2], files=(), render_s=0, size_bytes=0) == dataclasses.replace(
        results[1], files=(), render_s=0, size_bytes=0
    )


@pytest.mark.slow
def test_the_cli_makes_the_same_video_with_one_process_or_two(tmp_path: Path) -> None:
    # A real scene split between two processes gives the video one process gives: the same captions,
    # the same narration sample for sample, the same frames. Usually the very same bytes, but not
    # always: which process renders an animation depends on timing, and an animation rendered from
    # a state reached by skipping differs in the last bits of its points. One of 9 renders under load
    # (SteepnessSweep, -q l) differed in 15 frames by at most 2 levels; so frames are compared within
    # the tolerance above.
    import re
    import subprocess
    import sys

    root = Path(pipeline.PROJECT_ROOT)
    videos = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        seed_caches(out)  # LaTeX and the voice are not what this test is about
        verbose = ["-v"] if jobs == 2 else ["--quiet"]
        done = subprocess.run(
            [
                sys.executable,
                "render.py",
                "--scene",
                "SteepnessSweep",
                "-q",
                "l",
                "--jobs",
                str(jobs),
                "--output-dir",
                str(out),
                *verbose,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        if jobs == 2:  # the helper did take some animations (it reaches them while the main renders others)
            log = " ".join((done.stdout + done.stderr).split())  # rich wraps it, with the source in between
            shared = re.search(r"(\d+) of (\d+)\b.{0,40}?animations\b.{0,40}?rendered by 1 helper", log)
            assert shared is not None and 0 < int(shared[1]) < int(shared[2]), log[-2000:]
        videos.append(out / "480p15" / "SteepnessSweep.mp4")
        assert not list((out / "cache").glob("work-*")), "working folders removed"
    one, two = videos
    assert one.with_suffix(".vtt").read_text() == two.with_suffix(".vtt").read_text()
    assert_same_frames(frames(two), frames(one))
    with av.open(str(one)) as a, av.open(str(two)) as b:
        sound = [np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1) for c in (a, b)]
    np.testing.assert_array_equal(sound[0], sound[1])
