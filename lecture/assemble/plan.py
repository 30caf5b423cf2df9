"""Which published scenes make the lecture, checked against each other and laid end to end.

:func:`plan_lecture` reads each scene's manifest entry for the lecture's
label, refuses (:class:`AssemblyError`, one line naming the scene) a scene that
is missing, changed on disk, or was rendered at another quality, theme or voice
or with other encoder settings, and returns a :class:`LecturePlan`: every
scene's video with its offset on the lecture's clock (the sum of the scenes
before it, counted in the video stream's own ticks, so chapters start on a
frame), and the captions and narrated beats shifted by that offset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture.publish.outputs import sha256_file
from lecture.publish.storyboard import Caption
from lecture.publish.transaction import ManifestError, read_manifest

__all__ = [
    "AssemblyError",
    "Chapter",
    "LecturePlan",
    "SceneClip",
    "chapter_title",
    "parse_vtt",
    "plan_lecture",
]


class AssemblyError(Exception):
    """The lecture cannot be assembled from what is published (a one-line reason for the user)."""


@dataclass(frozen=True)
class SceneClip:
    """One scene's published video, placed on the lecture's clock."""

    scene: str
    title: str
    #: The manifest entry as JSON (its files relative to the output folder).
    entry: dict[str, Any]
    video: Path
    poster: Path | None
    captions_file: Path | None
    #: Where the scene starts in the lecture and how long it is, in the video stream's ticks.
    offset: int
    duration: int
    time_base: Fraction
    #: The scene's captions and beats, in the scene's own seconds.
    captions: tuple[Caption, ...]
    beats: tuple[Caption, ...]

    @property
    def start_s(self) -> float:
        return float(self.offset * self.time_base)

    @property
    def end_s(self) -> float:
        return float((self.offset + self.duration) * self.time_base)


@dataclass(frozen=True)
class Chapter:
    """One scene as a chapter of the lecture, in seconds."""

    title: str
    scene: str
    start: float
    end: float


@dataclass(frozen=True)
class LecturePlan:
    """The scenes in lecture order, and what the lecture's files are made from."""

    output_dir: Path
    label: str
    theme: str
    voice: str
    clips: tuple[SceneClip, ...]

    @property
    def time_base(self) -> Fraction:
        return self.clips[0].time_base

    @property
    def duration_s(self) -> float:
        return self.clips[-1].end_s

    @property
    def narrated(self) -> bool:
        """Whether any scene has a narration track (then the lecture has one, silent where a scene is)."""
        return any(clip.entry.get("audio_codec") for clip in self.clips)

    def chapters(self) -> list[Chapter]:
        return [Chapter(c.title, c.scene, round(c.start_s, 6), round(c.end_s, 6)) for c in self.clips]

    def captions(self) -> list[tuple[int, Caption]]:
        """Every caption on the lecture's clock, with the index of its chapter."""
        return [
            (i, Caption(round(c.start_s + cue.start, 6), round(c.start_s + cue.end, 6), cue.text))
            for i, c in enumerate(self.clips)
            for cue in c.captions
        ]

    def beats(self) -> list[tuple[int, Caption]]:
        """Every narrated beat on the lecture's clock, with its chapter's index.

        A scene captioned without ``narrate()`` has no beats of its own: it is
        one beat, from its start to its end, captioned with its title.
        """
        found: list[tuple[int, Caption]] = []
        for i, clip in enumerate(self.clips):
            beats = clip.beats or (Caption(0.0, clip.end_s - clip.start_s, clip.title),)
            found += [
                (i, Caption(round(clip.start_s + b.start, 6), round(clip.start_s + b.end, 6), b.text))
                for b in beats
            ]
        return found


def chapter_title(scene: str) -> str:
    """A scene's class name as a chapter title, in sentence case.

    Examples
    --------
    >>> chapter_title("SigmoidShape"), chapter_title("LogOdds"), chapter_title("TinyScene")
    ('Sigmoid shape', 'Log odds', 'Tiny scene')
    """
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", scene) or [scene]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def plan_lecture(
    output_dir: Path,
    scenes: Sequence[tuple[str, str]],
    *,
    label: str,
    theme: str,
    voice: str,
) -> LecturePlan:
    """The lecture made of ``scenes`` (``(name, title)`` in lecture order) as published in ``output_dir``.

    Raises
    ------
    AssemblyError
        If a scene has no MP4 at ``label``, its files do not match the
        manifest, it was rendered in another theme or with another voice, or
        its video cannot be joined to the others without re-encoding.
    """
    if not scenes:
        raise AssemblyError("the lecture has no scenes")
    try:
        entries = read_manifest(output_dir)["entries"]
    except ManifestError as error:
        raise AssemblyError(str(error)) from None
    clips: list[SceneClip] = []
    offset = 0
    for name, title in scenes:
        entry = _entry(entries, name, label)
        _check_entry(output_dir, entry, name, theme=theme, voice=voice)
        video = output_dir / entry["file"]
        time_base, duration = _video_clock(video)
        if clips and time_base != clips[0].time_base:
            raise AssemblyError(
                f"{name}'s video counts time in {time_base}, {clips[0].scene}'s in {clips[0].time_base}: "
                "render them again with the same -q"
            )
        captions_file = _file(output_dir, entry.get("captions"))
        captions = tuple(parse_vtt(captions_file.read_text(encoding="utf-8"))) if captions_file else ()
        beats = tuple(
            Caption(float(b["start"]), float(b["end"]), str(b["caption"])) for b in entry.get("beats") or ()
        )
        clips.append(
            SceneClip(
                scene=name,
                title=title,
                entry=entry,
                video=video,
                poster=_file(output_dir, entry.get("poster")),
                captions_file=captions_file,
                offset=offset,
                duration=duration,
                time_base=time_base,
                captions=captions,
                beats=beats,
            )
        )
        offset += duration
    return LecturePlan(output_dir, label, theme, voice, tuple(clips))


def _entry(entries: dict[str, Any], name: str, label: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        e for e in entries.values() if e.get("scene") == name and e.get("kind") == "video"
    ]
    exact = [e for e in found if e.get("label") == label and e.get("format") == "mp4"]
    if exact:
        return exact[0]
    elsewhere = sorted({f"{e.get('label')} {e.get('format')}" for e in found})
    if elsewhere:
        raise AssemblyError(
            f"{name} is not rendered as MP4 at {label} (only: {', '.join(elsewhere)}); "
            f"render it with the lecture's -q, or copy that shard's output in"
        )
    raise AssemblyError(
        f"{name} is missing: no MP4 of it in the manifest; render it or copy its shard's output in"
    )


def _check_entry(output_dir: Path, entry: dict[str, Any], name: str, *, theme: str, voice: str) -> None:
    if entry.get("theme") != theme:
        raise AssemblyError(f"{name} was rendered in the {entry.get('theme')} theme, the lecture is {theme}")
    spoken = entry.get("voice", {}).get("name", "none")
    if entry.get("beats") and spoken != voice:
        raise AssemblyError(f"{name} was narrated with voice {spoken!r}, the lecture with {voice!r}")
    if entry.get("codec") != "h264" or entry.get("pix_fmt") != "yuv420p":
        raise AssemblyError(f"{name} is {entry.get('codec')}/{entry.get('pix_fmt')}, not h264/yuv420p")
    for field in ("file", "poster", "captions"):
        ref = entry.get(field)
        rel, sha = (
            (ref, entry.get("sha256"))
            if field == "file"
            else ((ref.get("file"), ref.get("sha256")) if isinstance(ref, dict) else (None, None))
        )
        if rel is None:
            continue
        path = output_dir / rel
        if not path.is_file() or sha256_file(path) != sha:
            raise AssemblyError(
                f"{name}: {rel} is missing or does not match the manifest; render {name} again"
            )


def _file(output_dir: Path, ref: Any) -> Path | None:
    return output_dir / ref["file"] if isinstance(ref, dict) and isinstance(ref.get("file"), str) else None


def _video_clock(video: Path) -> tuple[Fraction, int]:
    """The video stream's time base and its duration in those ticks."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        if stream.time_base is None or stream.duration is None:
            raise AssemblyError(f"{video.name} does not say how long its video is")
        return Fraction(stream.time_base), int(stream.duration)


_STAMP = r"(\d+):(\d\d):(\d\d)\.(\d\d\d)"


def parse_vtt(text: str) -> list[Caption]:
    """The cues of a WebVTT file as :func:`lecture.publish.outputs.captions_to_vtt` writes it.

    Examples
    --------
    >>> parse_vtt("WEBVTT\\n\\n1\\n00:00:01.000 --> 00:00:02.500\\nk &amp; σ\\n")
    [Caption(start=1.0, end=2.5, text='k & σ')]
    """
    cues = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n")[1:]:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        match = re.match(rf"{_STAMP} --> {_STAMP}", lines[timing])
        if match is None:
            continue
        h, m, s, ms, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        start = h * 3600 + m * 60 + s + ms / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        body = "\n".join(lines[timing + 1 :])
        body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(Caption(start, end, body))
    return cues
