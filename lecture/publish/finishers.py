"""Turning what ManimCE rendered into the files a lecturer publishes: one small finisher per output kind.

A finisher takes a :class:`Rendered` scene (plain data: the files ManimCE
wrote, the last frame, the captions), stages its final files in a
:class:`~lecture.publish.transaction.Publication` and returns the typed
:class:`~lecture.publish.transaction.ManifestEntry` that describes them. It also says
how ManimCE should render for it (:attr:`Finisher.manim_format`). Adding an
output kind is adding a finisher to :data:`FINISHERS`; nothing else
branches on the kind.
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from lecture.jobs import RenderJob
from lecture.publish.outputs import (
    VideoInfo,
    captions_to_vtt,
    faststart_mp4,
    make_gif,
    mp4_top_level_boxes,
    probe_video,
    webm_with_opus,
)
from lecture.publish.storyboard import Caption
from lecture.publish.transaction import FileRecord, ManifestEntry, Publication

__all__ = ["FINISHERS", "Finisher", "Rendered", "finisher_for"]


@dataclass(frozen=True)
class Rendered:
    """What ManimCE made of one scene, as plain data: no manim object goes past this point."""

    #: The video ManimCE wrote; ``None`` for a still, or a scene that played no animation.
    movie: Path | None
    #: The PNG ManimCE wrote for a still.
    image: Path | None
    #: The final frame as rendered (RGBA pixels, no video compression).
    last_frame: Any
    captions: tuple[Caption, ...]
    scene_duration_s: float
    plays: int
    #: :func:`lecture.render.freshness.source_hash` when the render started.
    source_hash: str
    #: :func:`lecture.render.freshness.inputs_hash` when the render started.
    inputs_hash: str | None = None
    #: What narrated it, for the manifest (:meth:`lecture.voice.speech.Voice.describe`); "none" if silent.
    voice: dict[str, Any] = field(default_factory=lambda: {"name": "none"})
    #: The narrated beats as (start, end, caption) in seconds: where each narrated line begins and its
    #: last frame is held (empty for a scene captioned without ``narrate()``).
    beats: tuple[Caption, ...] = ()


class Finisher(ABC):
    """Makes one kind of output from a rendered scene."""

    #: The manifest's ``kind``.
    kind: ClassVar[str]
    #: What ManimCE writes for this output (its ``format`` setting).
    manim_format: ClassVar[str]
    #: Whether ManimCE's video is only an intermediate, so it should be lossless.
    lossless_intermediate: ClassVar[bool] = False

    @abstractmethod
    def finish(self, job: RenderJob, rendered: Rendered, publication: Publication) -> ManifestEntry:
        """Stage this output's files in ``publication`` and return the entry describing them."""

    @staticmethod
    def base(job: RenderJob) -> Path:
        """``<output-dir>/<label>/<Scene>``: every file of the render is this plus a suffix."""
        return job.output_dir / job.quality.label / job.scene

    @staticmethod
    def entry(
        job: RenderJob, rendered: Rendered, file: FileRecord, kind: str, fmt: str, **fields: Any
    ) -> ManifestEntry:
        """The entry's fields every kind shares, plus ``fields``."""
        return ManifestEntry(
            file=file, scene=job.scene, kind=kind, format=fmt, quality=job.quality.word,
            label=job.quality.label, theme=job.theme, source_hash=rendered.source_hash,
            inputs_hash=rendered.inputs_hash,
            scene_duration_s=round(rendered.scene_duration_s, 3),
            rendered_at=datetime.now(UTC).isoformat(timespec="seconds"), voice=rendered.voice, **fields,
        )


class StillFinisher(Finisher):
    """``--still``: the last frame as a PNG, nothing else."""

    kind = "still"
    manim_format = "png"

    def finish(self, job: RenderJob, rendered: Rendered, publication: Publication) -> ManifestEntry:
        from PIL import Image

        assert rendered.image is not None
        target = self.base(job).with_suffix(".png")
        shutil.copyfile(rendered.image, publication.stage(target))
        with Image.open(publication.staged(target)) as image:
            width, height = image.size
        return self.entry(job, rendered, publication.record(target), "still", "png", width=width,
                          height=height, fps=0, duration_s=0.0, frames=1)


class StoryboardFinisher(Finisher):
    """``--storyboard``: one contact sheet of keyframes with their captions."""

    kind = "storyboard"
    manim_format = "mp4"
    lossless_intermediate = True

    def finish(self, job: RenderJob, rendered: Rendered, publication: Publication) -> ManifestEntry:
        from lecture.publish.storyboard import contact_sheet, grab_keyframes

        assert job.storyboard is not None
        movie = _movie(job, rendered)
        board = job.storyboard
        info = probe_video(movie)
        cues = [Caption(c.start, c.end, " ".join(c.text.split())) for c in rendered.captions]
        keyframes = grab_keyframes(movie, board.frames, frame_count=info.frames)
        title = (f"{job.scene}  ·  {info.duration_s:.1f} s  ·  {job.theme} theme "
                 f" ·  {len(keyframes)} keyframes")
        sheet = contact_sheet(keyframes, title=title, columns=board.columns, tile_width=board.tile_width,
                              captions=cues)
        target = self.base(job).with_suffix(".storyboard.png")
        sheet.save(publication.stage(target), format="PNG", optimize=True)
        width, height = sheet.size
        return self.entry(job, rendered, publication.record(target), "storyboard", "png", width=width,
                          height=height, fps=info.fps, duration_s=info.duration_s, frames=len(keyframes))


class VideoFinisher(Finisher):
    """A video with its poster (the last frame, as PNG) and, if the format can carry them, captions."""

    kind = "video"
    format: ClassVar[str]
    #: Whether a ``<track>`` of WebVTT captions is published beside it.
    captions: ClassVar[bool] = True

    @abstractmethod
    def encode(self, job: RenderJob, movie: Path, target: Path) -> None:
        """Write the published video at ``target`` from ManimCE's ``movie``."""

    #: The codec a narrated video's one audio track must have; None: the format carries no sound.
    audio_codec: ClassVar[str | None] = None

    def check(self, target: Path, info: VideoInfo) -> None:
        """Refuse a video that would not play as promised (``info``: its probe)."""

    def check_audio(self, rendered: Rendered, info: VideoInfo) -> str | None:
        """The audio codec to record, after refusing a track that is missing, extra or the wrong length.

        A narrated video carries exactly one track of :attr:`audio_codec`, as
        long as the video (within a frame or two: the encoder pads its last
        packet); a silent one, or a format without sound, carries none.
        """
        narrated = rendered.voice.get("name") != "none" and self.audio_codec is not None
        expected = (self.audio_codec,) if narrated else ()
        if info.audio_codecs != expected:
            raise RuntimeError(f"audio streams {list(info.audio_codecs)}, expected {list(expected)}")
        if narrated and abs(info.audio_duration_s - info.duration_s) > 0.1:
            raise RuntimeError(
                f"the audio track is {info.audio_duration_s:.2f} s long, the video {info.duration_s:.2f} s"
            )
        return self.audio_codec if narrated else None

    def fps(self, job: RenderJob, info: VideoInfo) -> float:
        return info.fps

    def finish(self, job: RenderJob, rendered: Rendered, publication: Publication) -> ManifestEntry:
        movie = _movie(job, rendered)
        base = self.base(job)
        target = base.with_suffix(f".{self.format}")
        self.encode(job, movie, publication.stage(target))
        info = probe_video(publication.staged(target))
        self.check(publication.staged(target), info)
        audio_codec = self.check_audio(rendered, info)
        poster = base.with_suffix(".png")
        _save_png(rendered.last_frame, publication.stage(poster))
        captions = None
        if self.captions:
            vtt = base.with_suffix(".vtt")
            text = captions_to_vtt(rendered.captions, info.duration_s)
            publication.stage(vtt).write_text(text, encoding="utf-8")
            captions = publication.record(vtt)
        return self.entry(
            job, rendered, publication.record(target), "video", self.format, codec=info.codec,
            pix_fmt=info.pix_fmt, width=info.width, height=info.height, fps=self.fps(job, info),
            duration_s=info.duration_s, frames=info.frames, poster=publication.record(poster),
            captions=captions, audio_codec=audio_codec, beats=_beat_marks(rendered, info.duration_s),
        )


class Mp4Finisher(VideoFinisher):
    """H.264 MP4 with its index first (faststart), so a browser plays it from the first bytes."""

    format = "mp4"
    manim_format = "mp4"
    audio_codec = "aac"

    def encode(self, job: RenderJob, movie: Path, target: Path) -> None:
        faststart_mp4(movie, target, title=job.scene)

    def check(self, target: Path, info: VideoInfo) -> None:
        boxes = mp4_top_level_boxes(target)
        problems = []
        if info.codec != "h264" or info.pix_fmt != "yuv420p":
            problems.append(f"{info.codec}/{info.pix_fmt}, not h264/yuv420p")
        if info.width % 2 or info.height % 2:
            problems.append(f"odd size {info.width}x{info.height}")
        if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
            problems.append(f"index not before the frames ({' '.join(boxes)})")
        if problems:
            raise RuntimeError(f"the MP4 is not web-ready: {'; '.join(problems)}")


class WebmFinisher(VideoFinisher):
    """VP9 WebM as ManimCE writes it, its narration in Opus."""

    format = "webm"
    manim_format = "webm"
    audio_codec = "opus"

    def encode(self, job: RenderJob, movie: Path, target: Path) -> None:
        webm_with_opus(movie, target)


class GifFinisher(VideoFinisher):
    """A small GIF for slide decks that cannot play video; a GIF cannot carry captions."""

    format = "gif"
    manim_format = "mp4"
    # Lossless, so compression noise does not become GIF dither and bloat
    # (SteepnessSweep at -q l: a 3.1 MB GIF from the default crf 23, 1.3 MB from lossless).
    lossless_intermediate = True
    captions = False

    def encode(self, job: RenderJob, movie: Path, target: Path) -> None:
        make_gif(movie, target, width=job.gif.width, fps=job.gif.fps)

    def fps(self, job: RenderJob, info: VideoInfo) -> float:
        return job.gif.fps


#: Every output kind, by the name :func:`finisher_for` picks it by.
FINISHERS: dict[str, type[Finisher]] = {
    "mp4": Mp4Finisher,
    "webm": WebmFinisher,
    "gif": GifFinisher,
    "still": StillFinisher,
    "storyboard": StoryboardFinisher,
}


def finisher_for(job: RenderJob) -> Finisher:
    """The finisher for ``job``: its mode for a still or storyboard, else its video format.

    Examples
    --------
    >>> from lecture.settings.render_config import quality
    >>> job = RenderJob("A", "scenes.a", quality("l"), "gif", "dark", Path("media"))
    >>> type(finisher_for(job)).__name__
    'GifFinisher'
    """
    name = job.mode if job.mode in ("still", "storyboard") else job.format
    if name not in FINISHERS:
        raise ValueError(f"no finisher for {name!r}; known: {', '.join(FINISHERS)}")
    return FINISHERS[name]()


def _movie(job: RenderJob, rendered: Rendered) -> Path:
    if rendered.movie is None or not rendered.movie.exists():
        raise RuntimeError(f"{job.scene} played no animations, so there is no video; try --still")
    return rendered.movie


def _beat_marks(rendered: Rendered, duration_s: float) -> list[dict[str, Any]]:
    """The beats for the manifest, clipped to the video: ``{"start", "end", "caption"}`` in seconds."""
    return [
        {"start": round(b.start, 6), "end": round(min(b.end, duration_s), 6), "caption": b.text}
        for b in rendered.beats
        if b.start < duration_s
    ]


def _save_png(pixels: Any, target: Path) -> None:
    """Save RGBA pixels as an RGB PNG."""
    import numpy as np
    from PIL import Image

    Image.fromarray(np.asarray(pixels)[:, :, :3]).save(target, format="PNG", optimize=True)
