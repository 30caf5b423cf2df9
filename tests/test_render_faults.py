"""Real renders that end badly: the manifest must still describe exactly the files on disk.

Each test is named after a case that lost or misdescribed data before the
publishing transaction (:mod:`lecture.publish.transaction`); each renders
``tests.tiny_scene`` at -q l in-process, or through ``render.py`` in a
subprocess where a signal has to reach a real CLI.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lecture.publish.outputs import sha256_file
from lecture.publish.transaction import MANIFEST_NAME, check_manifest, read_manifest
from lecture.render import svg_cache
from lecture.render.pipeline import render_scene
from lecture.render.workers import Interrupts, WorkerContext, stopping_on_signals
from lecture.settings.render_config import quality
from tests.test_render_e2e import DRIVER, ROOT, leftovers, start_long_render, tiny_job


def snapshot(output_dir: Path) -> dict[str, str]:
    """SHA-256 of every published file and of the manifest."""
    files = [p for p in output_dir.rglob("*") if p.is_file() and "cache" not in p.parts]
    return {p.relative_to(output_dir).as_posix(): sha256_file(p) for p in files}


def assert_true_to_disk(output_dir: Path) -> None:
    assert check_manifest(output_dir) == []
    assert leftovers(output_dir) == []


# Each test that expects the old files re-renders in the light theme, so a replaced file would differ.
@pytest.fixture
def published(tmp_path: Path) -> Path:
    """An output folder holding one good render of TinyScene (MP4, poster, captions, manifest)."""
    assert render_scene(tiny_job(tmp_path)).ok
    return tmp_path


def test_unwritable_manifest_folder_fails_the_render_and_keeps_the_old_files(published: Path) -> None:
    # manifest.json could not be written (it was a folder), yet the MP4, poster and captions were replaced.
    (published / MANIFEST_NAME).unlink()
    (published / MANIFEST_NAME).mkdir()
    before = snapshot(published)
    result = render_scene(tiny_job(published, theme="light"))  # other pixels: a replaced file would show
    assert not result.ok
    assert result.error == f"ManifestError: cannot write {published / MANIFEST_NAME}: it is not a file"
    assert snapshot(published) == before
    assert leftovers(published) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB tmpfs: a real disk that can fill up (needs root; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)]
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Write a file until the disk is full."""
    with (disk / "filler").open("wb") as f, pytest.raises(OSError) as caught:
        while True:
            f.write(b"\0" * (1 << 20))
            f.flush()
    assert caught.value.errno == errno.ENOSPC


def test_disk_full_while_writing_the_manifest_keeps_the_old_files(small_disk: Path) -> None:
    # The disk filled up as the manifest was written: the MP4, poster and captions had been replaced.
    assert render_scene(tiny_job(small_disk)).ok
    before = snapshot(small_disk)

    def disk_fills_up(step: str) -> None:
        if step == "read manifest":  # every file is staged; the manifest is next
            fill(small_disk)

    result = render_scene(tiny_job(small_disk, theme="light"), on_commit_step=disk_fills_up)
    assert not result.ok
    assert "No space left on device" in result.error
    (small_disk / "filler").unlink()
    assert snapshot(small_disk) == before
    assert_true_to_disk(small_disk)


def test_interrupt_between_the_renames_and_the_manifest_rolls_back(published: Path) -> None:
    # A signal after the files were renamed, before the manifest was written, left the new files with the
    # old entry while the CLI said nothing was replaced.
    before = snapshot(published)

    def interrupt_after_the_renames(step: str) -> None:
        if step == "rename TinyScene.vtt":  # the last file renamed in
            raise KeyboardInterrupt

    result = render_scene(tiny_job(published, theme="light"), on_commit_step=interrupt_after_the_renames)
    assert result.interrupted
    assert snapshot(published) == before
    assert_true_to_disk(published)


def test_sigterm_during_the_commit_in_a_worker_waits_for_the_commit(published: Path) -> None:
    # In a worker, SIGTERM is held while a commit runs: the render publishes whole, then stops.
    before = snapshot(published)
    with stopping_on_signals([signal.SIGTERM]) as interrupts:
        assert isinstance(interrupts, Interrupts)

        def sigterm_after_the_first_rename(step: str) -> None:
            if step == "rename TinyScene.mp4":
                os.kill(os.getpid(), signal.SIGTERM)

        result = render_scene(tiny_job(published, theme="light"), WorkerContext(hold=interrupts.held),
                              on_commit_step=sigterm_after_the_first_rename)
    assert result.interrupted
    after = snapshot(published)
    assert after[MANIFEST_NAME] != before[MANIFEST_NAME]
    assert after["480p15/TinyScene.mp4"] != before["480p15/TinyScene.mp4"]
    assert_true_to_disk(published)


@pytest.mark.slow
def test_a_render_interrupted_at_every_step_of_its_commit_leaves_the_manifest_true(tmp_path: Path) -> None:
    steps: list[str] = []
    assert render_scene(tiny_job(tmp_path / "steps")).ok  # so the next commit has old files to keep
    assert render_scene(tiny_job(tmp_path / "steps"), on_commit_step=steps.append).ok
    assert steps[-2:] == ["write manifest", "clean up"] and len(steps) == 12  # 3 files kept, 3 renamed
    for at, step in enumerate(steps):
        out = tmp_path / f"at-{at}"
        assert render_scene(tiny_job(out)).ok
        before = snapshot(out)

        def interrupt(name: str, step: str = step) -> None:
            if name == step:
                raise KeyboardInterrupt

        result = render_scene(tiny_job(out, theme="light"), on_commit_step=interrupt)
        assert result.interrupted, step
        assert_true_to_disk(out)
        after = snapshot(out)
        if at < steps.index("write manifest"):
            assert after == before, step
        else:  # committed: the light render is what is on disk, and what the manifest says
            assert after["480p15/TinyScene.mp4"] != before["480p15/TinyScene.mp4"], step
            assert read_manifest(out)["entries"]["480p15/TinyScene.mp4"]["theme"] == "light"


def test_still_then_video_of_one_scene_leaves_no_stale_entry(tmp_path: Path) -> None:
    # `--still` and then a video write the same <label>/<Scene>.png; the still's entry went stale.
    assert render_scene(tiny_job(tmp_path, mode="still", format="png")).ok
    assert render_scene(tiny_job(tmp_path)).ok
    entries = read_manifest(tmp_path)["entries"]
    assert sorted(entries) == ["480p15/TinyScene.mp4"]
    assert entries["480p15/TinyScene.mp4"]["poster"]["file"] == "480p15/TinyScene.png"
    assert_true_to_disk(tmp_path)
    assert render_scene(tiny_job(tmp_path, mode="still", format="png")).ok
    entries = read_manifest(tmp_path)["entries"]
    assert sorted(entries) == ["480p15/TinyScene.mp4", "480p15/TinyScene.png"]
    assert "poster" not in entries["480p15/TinyScene.mp4"]
    assert_true_to_disk(tmp_path)


def test_planted_lock_symlink_is_not_followed(tmp_path: Path) -> None:
    # `.manifest.lock` followed a planted symlink and created a file at its target.
    target = tmp_path / "not-ours"
    out = tmp_path / "media"
    out.mkdir()
    (out / ".manifest.lock").symlink_to(target)
    assert render_scene(tiny_job(out, mode="still", format="png")).ok
    assert not target.exists()


def test_poisoned_svg_cache_heals(tmp_path: Path) -> None:
    # A full disk left 0-byte SVGs in the shared LaTeX/Text cache; every later render failed with ParseError.
    job = tiny_job(tmp_path, mode="still", format="png")
    assert render_scene(job).ok
    cached = [*(tmp_path / "cache" / "Tex").glob("*.svg"), *(tmp_path / "cache" / "texts").glob("*.svg")]
    assert cached
    for svg in cached:
        svg.write_bytes(b"")
    result = render_scene(job)
    assert result.ok, result.detail
    for svg in cached:
        assert svg.stat().st_size > 0 and svg.read_bytes().rstrip().endswith(b"</svg>"), svg


def test_truncated_manifest_is_kept_aside_with_a_warning(published: Path) -> None:
    # A truncated manifest.json was silently replaced and its other entries lost.
    text = (published / MANIFEST_NAME).read_text(encoding="utf-8")
    (published / MANIFEST_NAME).write_text(text[: len(text) // 2], encoding="utf-8")
    result = render_scene(tiny_job(published, mode="still", format="png", quality=quality("m")))
    assert result.ok, result.detail
    (aside,) = published.glob(f"{MANIFEST_NAME}.corrupt-*")
    assert aside.read_text(encoding="utf-8") == text[: len(text) // 2]
    (warning,) = result.warnings
    assert "\n" not in warning and aside.name in warning
    entries = read_manifest(published)["entries"]
    assert sorted(entries) == ["480p15/TinyScene.mp4", "720p30/TinyScene.png"]
    assert entries["480p15/TinyScene.mp4"]["rebuilt"] is True
    assert check_manifest(published) == []


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM"])
def test_sighup_stops_like_sigterm(published: Path, how: str) -> None:
    before = snapshot(published)
    process = start_long_render(published)
    process.send_signal(getattr(signal, how))  # the CLI alone, as a closed terminal or `kill` does
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert "Interrupted: no finished file was replaced by a partial one." in output
    assert "Traceback" not in output and "leaked semaphore" not in output
    assert snapshot(published) == before
    assert_true_to_disk(published)


@pytest.mark.slow
def test_sigkill_to_the_cli_leaks_no_semaphore_and_its_worker_stops(published: Path) -> None:
    # multiprocessing's resource tracker warned "leaked semaphore objects" (the queue's lock).
    before = snapshot(published)
    process = start_long_render(published)
    process.kill()  # the CLI alone: its worker is orphaned, notices, and stops cleanly
    output, _ = process.communicate(timeout=60)  # EOF once the worker and the tracker have exited too
    assert process.returncode == -signal.SIGKILL
    assert "leaked semaphore" not in output and "Traceback" not in output, output
    assert snapshot(published) == before
    assert_true_to_disk(published)


@pytest.mark.slow
def test_killed_dry_run_is_swept_by_the_next_one(tmp_path: Path) -> None:
    # A killed --dry-run left lecture-dry-run-* in TMPDIR forever.
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = os.environ | {"TMPDIR": str(temp), "TINY_SCENE_SECONDS": "60"}
    command = [sys.executable, "-c", DRIVER, "--scene", "TinyScene", "-q", "l", "--dry-run",
               "--output-dir", str(tmp_path / "media")]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(temp.glob("lecture-dry-run-*")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    (stale,) = temp.glob("lecture-dry-run-*")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    theirs = temp / f"lecture-dry-run-{int(dead.stdout)}-symlink"
    theirs.symlink_to(tmp_path)  # not ours to delete, whatever its name
    env["TINY_SCENE_SECONDS"] = "0.4"
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(temp.iterdir()) == [theirs]
    assert not stale.exists() and not (tmp_path / "media").exists()


def test_only_whole_svgs_reach_the_shared_cache(tmp_path: Path) -> None:
    # A disk that filled up while LaTeX wrote left a 0-byte SVG, which was published for every later render.
    work, shared = tmp_path / "work", tmp_path / "shared"
    work.mkdir()
    whole = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>\n'
    (work / "whole.svg").write_text(whole)
    (work / "empty.svg").write_bytes(b"")
    (work / "cut.svg").write_text(whole[:40])
    shared.mkdir()
    (shared / "cut.svg").write_text(whole[:30])  # poisoned earlier: replaced by nothing worse
    svg_cache.publish_svgs(work, shared)
    assert sorted(p.name for p in shared.iterdir()) == ["cut.svg", "whole.svg"]
    assert (shared / "whole.svg").read_text() == whole
    linked = tmp_path / "linked"
    svg_cache.link_svgs(shared, linked)
    assert [p.name for p in linked.iterdir()] == ["whole.svg"]  # the bad one is a miss: ManimCE rebuilds it
