"""Making web-ready files from what ManimCE wrote, and writing files atomically.

Everything here works on files ManimCE has already written, with PyAV and
PIL; nothing imports manim. Each file is written under a temporary name in
its own folder and renamed into place (:func:`temp_name`, :class:`Staging`),
so an interrupted write never leaves a truncated file where a good one was.
Publishing a render's files together with its manifest entry is
:mod:`lecture.publish.transaction`'s job.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

from lecture.publish.storyboard import Caption

__all__ = [
    "SVG_CACHES",
    "Staging",
    "VideoInfo",
    "captions_to_vtt",
    "faststart_mp4",
    "link_or_copy",
    "make_gif",
    "mp4_top_level_boxes",
    "place_whole",
    "probe_video",
    "sha256_file",
    "temp_name",
]

#: ManimCE's LaTeX and Text SVG caches, shared by every render under ``<output-dir>/cache``.
SVG_CACHES = ("Tex", "texts")


# --- atomic files ------------------------------------------------------------
def temp_name(final: Path) -> Path:
    """A unique temporary path beside ``final`` (same folder, so renaming is atomic).

    Examples
    --------
    >>> t = temp_name(Path("media/480p15/A.mp4"))
    >>> t.parent == Path("media/480p15"), t.name.startswith(".A.mp4."), t.suffix
    (True, True, '.tmp')
    """
    return final.with_name(f".{final.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def link_or_copy(source: Path, target: Path) -> None:
    """Give ``source`` the second name ``target`` (a hard link), or copy it where links fail."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def place_whole(source: Path, final: Path) -> None:
    """Put ``source`` at ``final`` whole: linked (or copied) under a temporary name, then renamed in.

    Readers of ``final`` see the old file or the whole new one, never part of
    it; a failure leaves no temporary behind.
    """
    temporary = temp_name(final)
    try:
        link_or_copy(source, temporary)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Staging:
    """Temporary files that become final files together, or not at all.

    ``stage(final)`` gives a temporary path to write; ``commit()`` renames
    every staged file onto its final path with :func:`os.replace`. Leaving the
    ``with`` block without committing (an error, Ctrl-C) deletes the
    temporaries and leaves the final paths as they were.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}

    def stage(self, final: Path) -> Path:
        """Reserve ``final`` and return the temporary path to write it to."""
        final.parent.mkdir(parents=True, exist_ok=True)
        self._staged[final] = temp_name(final)
        return self._staged[final]

    def stage_path(self, final: Path) -> Path:
        """The temporary path already reserved for ``final``."""
        return self._staged[final]

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the final paths."""
        for final, temp in self._staged.items():
            if not temp.exists():
                raise FileNotFoundError(f"nothing was written for {final}")
        for final, temp in self._staged.items():
            os.replace(temp, final)
        finals = list(self._staged)
        self._staged.clear()
        return finals

    def discard(self) -> None:
        """Delete every staged temporary file."""
        for temp in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- video -------------------------------------------------------------------
@dataclass(frozen=True)
class VideoInfo:
    """What a player sees in a video file."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    #: The audio streams' codecs (``["aac"]`` for a narrated MP4, ``[]`` for a silent one) and the
    #: first one's length in seconds (0 without audio).
    audio_codecs: tuple[str, ...] = ()
    audio_duration_s: float = 0.0


def probe_video(path: Path) -> VideoInfo:
    """Read a video's codec, size, rate, frame count and duration with PyAV.

    Frames are counted by demuxing (no decoding), so the count is exact for
    every container; the duration is the video stream's own, else the container's.
    """
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = 0
        end = Fraction(0)
        for packet in container.demux(stream):
            if packet.size == 0 or packet.pts is None:
                continue
            frames += 1
            if packet.time_base is not None:
                end = max(end, (packet.pts + (packet.duration or 0)) * packet.time_base)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:  # WebM keeps the length in the container only
            duration = container.duration / 1_000_000
        else:
            duration = float(end)
        rate = stream.average_rate or stream.guessed_rate or 0
        audio = list(container.streams.audio)
        audio_duration = 0.0
        if audio and audio[0].duration is not None and audio[0].time_base is not None:
            audio_duration = float(audio[0].duration * audio[0].time_base)
        elif audio and container.duration:  # WebM again
            audio_duration = container.duration / 1_000_000
        return VideoInfo(
            codec=stream.codec_context.name,
            pix_fmt=stream.codec_context.pix_fmt or "",
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            fps=round(float(rate), 3),
            frames=frames,
            duration_s=round(duration, 3),
            audio_codecs=tuple(a.codec_context.name for a in audio),
            audio_duration_s=round(audio_duration, 3),
        )


def mp4_top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order, e.g. ``['ftyp', 'moov', 'mdat']``.

    A browser can start playing before the download ends only when ``moov``
    (the index) comes before ``mdat`` (the frames): "faststart".
    """
    boxes: list[str] = []
    with path.open("rb") as f:
        while header := f.read(8):
            if len(header) < 8:
                break
            size, kind = struct.unpack(">I4s", header)
            boxes.append(kind.decode("latin-1"))
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0] - 8
            elif size == 0:
                break
            f.seek(size - 8, os.SEEK_CUR)
    return boxes


def faststart_mp4(source: Path, target: Path, *, title: str = "") -> None:
    """Copy an MP4's packets into ``target`` with the index first (``movflags=faststart``).

    No re-encoding: the H.264 stream is bit-identical, only the layout changes.
    """
    import av

    with (
        av.open(str(source)) as src,
        av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as dst,
    ):
        dst.metadata.update(src.metadata)
        if title:
            dst.metadata["title"] = title
        kept = [s for s in src.streams if s.type in ("video", "audio")]
        pairs = {s.index: dst.add_stream_from_template(s) for s in kept}
        for packet in src.demux(*(src.streams[i] for i in pairs)):
            if packet.dts is None:
                continue
            packet.stream = pairs[packet.stream.index]
            dst.mux(packet)


def webm_with_opus(source: Path, target: Path) -> None:
    """Copy a WebM into ``target``, its video as it is and its audio as Opus.

    ManimCE encodes a WebM's sound as Vorbis where its PyAV has libvorbis
    and as Opus otherwise; browsers and the web's guidance expect Opus, so
    Vorbis (or anything else) is re-encoded to Opus at 48 kHz, and Opus
    is copied untouched.
    """
    import av

    with av.open(str(source)) as src:
        audio = list(src.streams.audio)
        if not audio or all(a.codec_context.name == "opus" for a in audio):
            shutil.copyfile(source, target)
            return
        video = src.streams.video[0]
        with av.open(str(target), "w", format="webm") as dst:
            out_video = dst.add_stream_from_template(video)
            out_audio = dst.add_stream("libopus", rate=48_000, layout=audio[0].codec_context.layout.name)
            for packet in src.demux(video, audio[0]):
                if packet.dts is None:
                    continue
                if packet.stream.type == "video":
                    packet.stream = out_video
                    dst.mux(packet)
                else:
                    for frame in packet.decode():
                        assert isinstance(frame, av.AudioFrame)
                        frame.pts = None  # the encoder's resampler restamps at 48 kHz
                        dst.mux(out_audio.encode(frame))
            dst.mux(out_audio.encode(None))


def _scaled_chain(graph: Any, stream: Any, width: int, fps: int) -> tuple[Any, Any]:
    """buffer -> fps -> scale (down to ``width``, never up, even height)."""
    source = graph.add_buffer(template=stream)
    rate = graph.add("fps", f"fps={fps}")
    scale = graph.add("scale", f"w='min({width},iw)':h=-2:flags=lanczos")
    source.link_to(rate)
    rate.link_to(scale)
    return source, scale


def _pull_all(graph: Any) -> Iterator[Any]:
    import av

    while True:
        try:
            yield graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


def make_gif(source: Path, target: Path, *, width: int, fps: int) -> None:
    """A small GIF of a video: at most ``width`` px wide, ``fps`` frames a second, one tuned palette.

    Two passes, as ``ffmpeg`` users do it: ``palettegen`` picks the 256
    colours the whole clip needs, then ``paletteuse`` maps every frame onto
    them (ordered dither, only changed rectangles). Two passes keep memory flat:
    no frame is held back waiting for the palette.
    """
    import av

    with av.open(str(source)) as src:
        graph = av.filter.Graph()
        head, tail = _scaled_chain(graph, src.streams.video[0], width, fps)
        palettegen = graph.add("palettegen", "stats_mode=diff")
        tail.link_to(palettegen)
        palettegen.link_to(graph.add("buffersink"))
        graph.configure()
        for frame in src.decode(video=0):
            head.push(frame)
        head.push(None)
        palette = graph.pull()
        assert isinstance(palette, av.VideoFrame)

    with av.open(str(source)) as src, av.open(str(target), "w", format="gif") as dst:
        graph = av.filter.Graph()
        head, tail = _scaled_chain(graph, src.streams.video[0], width, fps)
        palette_in = graph.add_buffer(
            width=palette.width, height=palette.height, format=palette.format, time_base=Fraction(1, 1)
        )
        paletteuse = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
        tail.link_to(paletteuse, 0, 0)
        palette_in.link_to(paletteuse, 0, 1)
        paletteuse.link_to(graph.add("buffersink"))
        graph.configure()
        palette.pts, palette.time_base = 0, Fraction(1, 1)
        palette_in.push(palette)
        palette_in.push(None)

        out = None
        written = 0

        def write(frames: Iterator[Any]) -> None:
            nonlocal out, written
            for frame in frames:
                if out is None:
                    out = dst.add_stream("gif", rate=fps)
                    out.width, out.height, out.pix_fmt = frame.width, frame.height, "pal8"
                    out.codec_context.time_base = Fraction(1, fps)
                frame.pts, frame.time_base = written, Fraction(1, fps)
                written += 1
                dst.mux(out.encode(frame))

        for frame in src.decode(video=0):
            head.push(frame)
            write(_pull_all(graph))
        head.push(None)
        write(_pull_all(graph))
        if out is None:
            raise ValueError(f"{source}: no frames to make a GIF from")
        dst.mux(out.encode(None))


# --- captions ----------------------------------------------------------------
def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def _vtt_text(content: str) -> str:
    """Cue text made safe for WebVTT: ``& < >`` escaped (so no ``-->``), no blank lines."""
    text = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def captions_to_vtt(cues: Sequence[Caption], duration_s: float | None = None) -> str:
    """WebVTT for ``<track>`` from the scene's captions (ManimCE's subcaptions, in seconds).

    Cues are sorted and, when ``duration_s`` is given, clipped to the video:
    a cue that starts after the end is dropped, one that runs past it is cut.

    Examples
    --------
    >>> print(captions_to_vtt([Caption(0.0, 1.5, "k & σ(x)")], 1.0), end="")
    WEBVTT
    <BLANKLINE>
    1
    00:00:00.000 --> 00:00:01.000
    k &amp; σ(x)
    """
    blocks = ["WEBVTT\n"]
    number = 0
    for cue in sorted(cues, key=lambda c: (c.start, c.end)):
        start, end = cue.start, cue.end
        if duration_s is not None:
            if start >= duration_s:
                continue
            end = min(end, duration_s)
        text = _vtt_text(cue.text)
        if not text or end <= start:
            continue
        number += 1
        blocks.append(f"{number}\n{_vtt_time(start)} --> {_vtt_time(end)}\n{text}\n")
    return "\n".join(blocks)
