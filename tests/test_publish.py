"""The publishing transaction on its own: no render, small files, every step of a commit interrupted.

The invariant under test (:func:`lecture.publish.transaction.check_manifest`): every
manifest entry's files (main, poster, captions) match their recorded size
and SHA-256, and no path is described twice.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lecture.publish.outputs import sha256_file
from lecture.publish.transaction import (
    MANIFEST_NAME,
    ManifestEntry,
    ManifestError,
    Publication,
    check_manifest,
    read_manifest,
    sweep_stale,
)

ROOT = Path(__file__).resolve().parent.parent
OLD = {"480p15/A.mp4": b"old video", "480p15/A.png": b"old poster", "480p15/A.vtt": b"old captions"}
NEW = {"480p15/A.mp4": b"new video!", "480p15/A.png": b"new poster!", "480p15/A.vtt": b"new captions!",
       "480p15/B.png": b"a new still"}


def video_entry(publication: Publication, root: Path, files: dict[str, bytes], scene: str = "A") -> None:
    """Stage ``<scene>.mp4/.png/.vtt`` from ``files`` and add their entry."""
    for rel, data in files.items():
        if Path(rel).stem == scene:
            publication.stage(root / rel).write_bytes(data)
    base = root / "480p15" / scene
    publication.add(ManifestEntry(
        file=publication.record(base.with_suffix(".mp4")), scene=scene, kind="video", format="mp4",
        quality="low", label="480p15", theme="dark", source_hash="", width=854, height=480, fps=15,
        duration_s=2.0, frames=30, scene_duration_s=2.0, rendered_at="",
        poster=publication.record(base.with_suffix(".png")),
        captions=publication.record(base.with_suffix(".vtt")),
    ))


def still_entry(publication: Publication, root: Path, rel: str, data: bytes) -> None:
    publication.stage(root / rel).write_bytes(data)
    publication.add(ManifestEntry(
        file=publication.record(root / rel), scene=Path(rel).stem, kind="still", format="png", quality="low",
        label="480p15", theme="dark", source_hash="", width=854, height=480, fps=0, duration_s=0.0,
        frames=1, scene_duration_s=2.0, rendered_at="",
    ))


def publish_old(root: Path) -> None:
    with Publication(root) as publication:
        video_entry(publication, root, OLD)
        publication.commit()


def new_publication(root: Path, on_step: object = None) -> Publication:
    publication = Publication(root, on_step=on_step)  # type: ignore[arg-type]
    video_entry(publication, root, NEW)
    still_entry(publication, root, "480p15/B.png", NEW["480p15/B.png"])
    return publication


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "480p15").iterdir())}


def leftovers(root: Path) -> list[str]:
    """Anything besides the outputs, the manifest and its lock: temporaries, kept copies, journals."""
    names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return [n for n in names if (n != MANIFEST_NAME and not n.startswith("480p15/")) or "/." in n]


def commit_steps(tmp_path: Path) -> list[str]:
    """The names of the steps of a commit that replaces three files and adds one."""
    root = tmp_path / "dry"
    publish_old(root)
    steps: list[str] = []
    with new_publication(root, steps.append) as publication:
        publication.commit()
    return steps


def test_a_commit_replaces_files_and_entries_together(tmp_path: Path) -> None:
    publish_old(tmp_path)
    assert contents(tmp_path) == OLD
    with new_publication(tmp_path) as publication:
        files = publication.commit()
    assert [p.relative_to(tmp_path).as_posix() for p in files] == list(NEW)
    assert contents(tmp_path) == NEW
    assert sorted(read_manifest(tmp_path)["entries"]) == ["480p15/A.mp4", "480p15/B.png"]
    assert check_manifest(tmp_path) == []
    assert leftovers(tmp_path) == []


def test_the_steps_of_a_commit(tmp_path: Path) -> None:
    assert commit_steps(tmp_path) == [
        "lock", "read manifest", "stage manifest", "journal",
        "keep A.mp4", "keep A.png", "keep A.vtt",
        "rename A.mp4", "rename A.png", "rename A.vtt", "rename B.png",
        "write manifest", "clean up",
    ]


class Fault(Exception):
    """Raised by the injected hook."""


@pytest.mark.parametrize(
    "fault",
    [KeyboardInterrupt, lambda: OSError(errno.ENOSPC, "No space left on device"), Fault],
    ids=["interrupt", "disk-full", "error"],
)
def test_a_fault_at_every_step_of_a_commit_keeps_the_manifest_true(tmp_path: Path, fault: type) -> None:
    steps = commit_steps(tmp_path)
    committed_from = steps.index("write manifest")
    for at, step in enumerate(steps):
        root = tmp_path / f"at-{at}"
        publish_old(root)

        def hook(name: str, step: str = step) -> None:
            if name == step:
                raise fault()

        with pytest.raises((KeyboardInterrupt, OSError, Fault)), new_publication(root, hook) as publication:
            publication.commit()
        assert check_manifest(root) == [], step
        assert leftovers(root) == [], step
        expected = NEW if at >= committed_from else OLD
        assert contents(root) == expected, step


KILLED_COMMIT = """
import os, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_publish import new_publication
root, step = Path(sys.argv[1]), sys.argv[2]
def hook(name):
    if name == step:
        os._exit(9)  # killed outright: no roll-back, no clean-up
with new_publication(root, hook) as publication:
    publication.commit()
"""


def test_a_render_killed_at_every_step_of_a_commit_is_finished_by_the_next_sweep(tmp_path: Path) -> None:
    # SIGKILL runs no roll-back: the journal it leaves lets the next render finish the job either way.
    steps = commit_steps(tmp_path)
    committed_from = steps.index("write manifest")
    script = KILLED_COMMIT.format(tests=str(ROOT / "tests"))
    for at, step in enumerate(steps):
        root = tmp_path / f"at-{at}"
        publish_old(root)
        done = subprocess.run([sys.executable, "-c", script, str(root), step], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 9, done.stderr
        sweep_stale(root)
        assert check_manifest(root) == [], step
        assert leftovers(root) == [], step
        assert contents(root) == (NEW if at >= committed_from else OLD), step


def test_manifest_that_is_a_folder_fails_the_commit_before_any_file_is_replaced(tmp_path: Path) -> None:
    publish_old(tmp_path)
    (tmp_path / MANIFEST_NAME).unlink()
    (tmp_path / MANIFEST_NAME).mkdir()
    with pytest.raises(ManifestError, match=r"manifest\.json: it is not a file"):
        new_publication(tmp_path).commit()
    assert contents(tmp_path) == OLD
    assert leftovers(tmp_path) == []


def test_an_entry_whose_files_are_rewritten_by_another_output_loses_them(tmp_path: Path) -> None:
    # `--still`, then a video: both write <label>/<Scene>.png; the still's entry went stale.
    with Publication(tmp_path) as publication:
        still_entry(publication, tmp_path, "480p15/A.png", b"the still")
        publication.commit()
    publish_old(tmp_path)  # the video's poster is the same path
    assert list(read_manifest(tmp_path)["entries"]) == ["480p15/A.mp4"]
    assert check_manifest(tmp_path) == []
    # ... and a still after the video: the video keeps its entry, without the poster it no longer has.
    with Publication(tmp_path) as publication:
        still_entry(publication, tmp_path, "480p15/A.png", b"another still")
        publication.commit()
    entries = read_manifest(tmp_path)["entries"]
    assert sorted(entries) == ["480p15/A.mp4", "480p15/A.png"]
    assert "poster" not in entries["480p15/A.mp4"] and "captions" in entries["480p15/A.mp4"]
    assert check_manifest(tmp_path) == []


def test_unreadable_manifest_is_kept_aside_and_rebuilt_from_the_files(tmp_path: Path) -> None:
    publish_old(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text('{"schema": 2, "entries": {"480p15/A.mp4": {"fi', encoding="utf-8")
    with Publication(tmp_path) as publication:
        still_entry(publication, tmp_path, "480p15/B.png", b"a still")
        publication.commit()
    (aside,) = tmp_path.glob(f"{MANIFEST_NAME}.corrupt-*")
    assert aside.read_text(encoding="utf-8").endswith('"fi')
    (note,) = publication.notes
    assert "is not valid JSON" in note and aside.name in note and "rebuilt 1 entries" in note
    entries = read_manifest(tmp_path)["entries"]
    assert sorted(entries) == ["480p15/A.mp4", "480p15/B.png"]
    rebuilt = entries["480p15/A.mp4"]
    assert rebuilt["rebuilt"] is True and rebuilt["kind"] == "video"
    assert rebuilt["poster"]["sha256"] == sha256_file(tmp_path / "480p15/A.png")
    assert rebuilt["captions"]["file"] == "480p15/A.vtt"
    assert check_manifest(tmp_path) == []


def test_unreadable_manifest_stays_in_place_when_the_commit_rolls_back(tmp_path: Path) -> None:
    publish_old(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text("{trunc", encoding="utf-8")

    def fail(step: str) -> None:
        if step == "rename A.mp4":
            raise Fault

    with pytest.raises(Fault):
        new_publication(tmp_path, fail).commit()
    assert (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8") == "{trunc"
    (aside,) = tmp_path.glob(f"{MANIFEST_NAME}.corrupt-*")
    assert aside.read_text(encoding="utf-8") == "{trunc"
    assert contents(tmp_path) == OLD


def test_lock_is_the_folder_so_a_planted_symlink_is_never_followed(tmp_path: Path) -> None:
    # `.manifest.lock` followed a planted symlink and created a file at its target.
    out, target = tmp_path / "out", tmp_path / "elsewhere" / "planted"
    out.mkdir()
    target.parent.mkdir()
    (out / ".manifest.lock").symlink_to(target)
    publish_old(out)
    assert not target.exists()
    assert check_manifest(out) == []


def test_sweep_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    # It followed a symlinked folder in the output folder and deleted matching files outside it.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    theirs = outside / f".notes.txt.{int(dead.stdout)}-0badf00d.tmp"
    theirs.write_text("not ours")
    (outside / f"work-{int(dead.stdout)}-0badf00d").mkdir()
    out = tmp_path / "out"
    (out / "cache").mkdir(parents=True)
    (out / "linked").symlink_to(outside)
    (out / "cache" / "Tex").symlink_to(outside)
    (out / "480p15").symlink_to(outside)
    assert sweep_stale(out) == []
    assert theirs.exists() and (outside / f"work-{int(dead.stdout)}-0badf00d").exists()


def test_schema_1_manifest_entries_are_kept_and_replaced_by_path(tmp_path: Path) -> None:
    publish_old(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    old = manifest["entries"]["480p15/A.mp4"]
    old |= {"poster": "480p15/A.png", "captions": "480p15/A.vtt"}  # schema 1 wrote bare paths
    manifest["entries"]["480p15/Other.mp4"] = {"file": "480p15/Other.mp4", "poster": "480p15/A.png"}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    with new_publication(tmp_path) as publication:
        publication.commit()
    entries = read_manifest(tmp_path)["entries"]
    assert entries["480p15/Other.mp4"] == {"file": "480p15/Other.mp4"}
    assert entries["480p15/A.mp4"]["poster"]["sha256"] == sha256_file(tmp_path / "480p15/A.png")
