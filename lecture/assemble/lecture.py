"""Assemble and publish ``<output-dir>/lecture/<label>/``, or say it is up to date.

:func:`assemble_lecture` plans the lecture from the published scenes
(:mod:`lecture.assemble.plan`), and unless the lecture's manifest entry says it
was built from exactly these scene files by this assembler, writes every file
of the lecture under a temporary name and publishes them with one manifest
entry in one :class:`~lecture.publish.transaction.Publication`: the files and
the manifest change together or not at all (a failure or Ctrl-C leaves the
previous lecture as it was).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lecture.assemble.join import join_lecture
from lecture.assemble.page import DATA_NAME, PAGE_FILES, page_data, page_data_js, page_file
from lecture.assemble.plan import AssemblyError, LecturePlan, plan_lecture
from lecture.assemble.texts import chapters_vtt, lecture_vtt, transcript_md
from lecture.publish.outputs import mp4_top_level_boxes, probe_video, sha256_file
from lecture.publish.transaction import (
    ManifestEntry,
    ManifestError,
    Publication,
    StepHook,
    entry_records,
    read_manifest,
)

__all__ = ["LECTURE_FOLDER", "LectureResult", "assemble_lecture", "assembler_hash", "lecture_folder"]

#: The lecture's folder under the output folder: ``lecture/<label>/``.
LECTURE_FOLDER = "lecture"
#: The kind of the lecture's manifest entry (its ``scene`` is the folder's name too).
KIND = "lecture"


@dataclass(frozen=True)
class LectureResult:
    """How the assembly went: where the lecture is, what it holds, and whether anything was written."""

    folder: Path
    files: tuple[Path, ...]
    duration_s: float
    chapters: int
    beats: int
    up_to_date: bool
    assemble_s: float
    notes: tuple[str, ...] = ()


def lecture_folder(output_dir: Path, label: str) -> Path:
    return output_dir / LECTURE_FOLDER / label


def assembler_hash() -> str:
    """SHA-256 of this package's code and page files: a changed assembler assembles again."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        digest.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
    for name in PAGE_FILES:
        digest.update(f"page/{name}\0".encode() + page_file(name) + b"\0")
    return digest.hexdigest()


def _sources(plan: LecturePlan) -> list[dict[str, Any]]:
    return [
        {
            "scene": c.scene,
            "title": c.title,
            "file": c.entry["file"],
            "sha256": c.entry["sha256"],
            "inputs_hash": c.entry.get("inputs_hash"),
        }
        for c in plan.clips
    ]


def _current(output_dir: Path, key: str, details: dict[str, Any]) -> list[Path] | None:
    """The lecture's files if its published entry was made from ``details``' sources and is intact."""
    try:
        entry = read_manifest(output_dir)["entries"].get(key)
    except ManifestError:
        return None
    if not entry or entry.get("kind") != KIND:
        return None
    made_from = entry.get("details") or {}
    if any(made_from.get(k) != details[k] for k in ("scenes", "assembler", "title")):
        return None
    files = []
    for rel, sha in entry_records(entry):
        path = output_dir / rel
        if sha is None or not path.is_file() or sha256_file(path) != sha:
            return None
        files.append(path)
    return files


def assemble_lecture(
    output_dir: Path,
    scenes: Sequence[tuple[str, str]],
    *,
    label: str,
    theme: str,
    voice: str,
    title: str,
    force: bool = False,
    on_commit_step: StepHook | None = None,
) -> LectureResult:
    """Assemble the lecture of ``scenes`` (``(name, title)``, in order) from what ``output_dir`` holds.

    Raises
    ------
    AssemblyError
        If a scene is missing or does not fit (see :func:`lecture.assemble.plan.plan_lecture`).
    """
    started = time.monotonic()
    plan = plan_lecture(output_dir, scenes, label=label, theme=theme, voice=voice)
    folder = lecture_folder(output_dir, label)
    main = folder / "lecture.mp4"
    key = main.relative_to(output_dir).as_posix()
    details: dict[str, Any] = {"title": title, "assembler": assembler_hash(), "scenes": _sources(plan)}
    beats = plan.beats()
    if not force and (files := _current(output_dir, key, details)) is not None:
        return LectureResult(
            folder,
            tuple(files),
            plan.duration_s,
            len(plan.clips),
            len(beats),
            True,
            time.monotonic() - started,
        )
    with Publication(output_dir, on_step=on_commit_step) as publication:
        join_lecture(plan, publication.stage(main), title=title)
        info = probe_video(publication.staged(main))
        _check(publication.staged(main), info.audio_codecs, plan)
        poster = folder / "poster.png"
        first_poster = plan.clips[0].poster
        if first_poster is None:
            raise AssemblyError(f"{plan.clips[0].scene} has no poster")
        shutil.copyfile(first_poster, publication.stage(poster))
        texts = {
            "lecture.vtt": lecture_vtt(plan),
            "chapters.vtt": chapters_vtt(plan),
            "transcript.md": transcript_md(plan, title=title),
            DATA_NAME: page_data_js(page_data(plan, title=title, folder=folder, fps=info.fps)),
        }
        for name, text in texts.items():
            publication.stage(folder / name).write_text(text, encoding="utf-8")
        for name in PAGE_FILES:
            publication.stage(folder / name).write_bytes(page_file(name))
        extra = ["chapters.vtt", "transcript.md", *PAGE_FILES, DATA_NAME]
        details["chapters"] = [
            {"title": c.title, "scene": c.scene, "start": c.start, "end": c.end} for c in plan.chapters()
        ]
        first = plan.clips[0].entry
        entry = ManifestEntry(
            file=publication.record(main),
            scene=KIND,
            kind=KIND,
            format="mp4",
            quality=first.get("quality", ""),
            label=label,
            theme=theme,
            source_hash=details["assembler"],
            width=info.width,
            height=info.height,
            fps=info.fps,
            duration_s=info.duration_s,
            frames=info.frames,
            scene_duration_s=round(plan.duration_s, 3),
            rendered_at=datetime.now(UTC).isoformat(timespec="seconds"),
            codec=info.codec,
            pix_fmt=info.pix_fmt,
            poster=publication.record(poster),
            captions=publication.record(folder / "lecture.vtt"),
            voice=first.get("voice") if plan.narrated else {"name": "none"},
            audio_codec="aac" if plan.narrated else None,
            beats=[{"start": b.start, "end": b.end, "caption": b.text, "chapter": i} for i, b in beats],
            files=tuple(publication.record(folder / name) for name in extra),
            details=details,
        )
        publication.add(entry)
        written = publication.commit()
    return LectureResult(
        folder,
        tuple(written),
        plan.duration_s,
        len(plan.clips),
        len(beats),
        False,
        time.monotonic() - started,
        tuple(publication.notes),
    )


def _check(path: Path, audio_codecs: tuple[str, ...], plan: LecturePlan) -> None:
    boxes = mp4_top_level_boxes(path)
    if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
        raise AssemblyError(f"the lecture's MP4 is not faststart ({' '.join(boxes)})")
    expected = ("aac",) if plan.narrated else ()
    if audio_codecs != expected:
        raise AssemblyError(
            f"the lecture's audio streams are {list(audio_codecs)}, expected {list(expected)}"
        )
