"""``lecture.mp4``: the scenes' videos joined without re-encoding, one narration track, subtitles, chapters.

The scenes were all encoded by ManimCE with the same H.264 settings, so their
packets can follow one another in one stream: each scene's packets are copied
with their timestamps shifted by the scene's offset (the scenes before it, in
the stream's ticks). A scene whose encoder setup (the stream's ``avcC``
extradata) differs is refused rather than joined into a stream a decoder
would misread. The narration is decoded and encoded again as one AAC track
(cheap, and the only way to have no gap at a join: each scene's track carries
its own encoder priming and padding); each scene's samples are cut or padded
with silence to exactly its video's length. The captions become a
``mov_text`` stream (language ``eng``) a desktop player can show, and each
scene a chapter titled with its title. The index goes first (faststart).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from lecture.assemble.plan import AssemblyError, LecturePlan, SceneClip

__all__ = ["AUDIO_RATE", "join_lecture", "mov_text_cues"]

#: The narration track: ManimCE's sample rate, one channel. The narrator is one voice: ManimCE's stereo
#: tracks carry it twice (left and right differ by AAC's rounding, under 0.002), and a mono track
#: takes half the encoding (SteepnessSweep's 52 s: 2.1 s against 4.1 s for stereo on a loaded machine).
AUDIO_RATE = 48_000
AUDIO_LAYOUT = "mono"
AUDIO_BIT_RATE = 96_000
_CHANNELS = 1
_AUDIO_TIME_BASE = Fraction(1, AUDIO_RATE)
_FRAME = 1024  # samples per AAC frame
#: FFmpeg's native AAC encoder's fast coder, as the scenes' tracks use (lecture.render.manim_run).
AAC_OPTIONS = {"aac_coder": "fast"}
#: The mov_text encoder is opened from an ASS header (FFmpeg's default style); the cues are written
#: as mov_text samples (a 16-bit length and the UTF-8 text) directly.
_ASS_HEADER = (
    b"[Script Info]\r\nScriptType: v4.00+\r\nPlayResX: 384\r\nPlayResY: 288\r\n\r\n"
    b"[V4+ Styles]\r\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    b"BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
    b"Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\r\n"
    b"Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\r\n\r\n"
    b"[Events]\r\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\n"
)
_SUBTITLE_TIME_BASE = Fraction(1, 1000)


def join_lecture(plan: LecturePlan, target: Path, *, title: str) -> None:
    """Write the lecture's MP4 at ``target`` (see the module docstring).

    Raises
    ------
    AssemblyError
        If a scene's video cannot be joined to the first one's without re-encoding.
    """
    import av

    first = plan.clips[0]
    with av.open(str(first.video)) as template_file:
        template = template_file.streams.video[0]
        extradata = bytes(template.codec_context.extradata or b"")
        size = (template.codec_context.width, template.codec_context.height)
        with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out.metadata["title"] = title
            video = out.add_stream_from_template(template)
            audio = None
            if plan.narrated:
                audio = out.add_stream("aac", rate=AUDIO_RATE, layout=AUDIO_LAYOUT, options=AAC_OPTIONS)
                audio.bit_rate = AUDIO_BIT_RATE
            subtitles = out.add_stream("mov_text")
            subtitles.codec_context.subtitle_header = _ASS_HEADER
            subtitles.codec_context.time_base = _SUBTITLE_TIME_BASE
            subtitles.time_base = _SUBTITLE_TIME_BASE
            subtitles.metadata["language"] = "eng"
            subtitles.metadata["title"] = "English"
            out.set_chapters(_chapters(plan))
            narration = _Narration(audio)
            for clip in plan.clips:
                _copy_video(clip, video, out, extradata, size)
                if audio is not None:
                    narration.add(_scene_samples(clip))
                    for packet in narration.encode():
                        out.mux(packet)
                for packet in _subtitle_packets(plan, clip, subtitles):
                    out.mux(packet)
            if audio is not None:
                for packet in narration.finish():
                    out.mux(packet)


def _chapters(plan: LecturePlan) -> list[Any]:  # PyAV's Chapter: a TypedDict
    return [
        {
            "id": i + 1,
            "start": clip.offset,
            "end": clip.offset + clip.duration,
            "time_base": clip.time_base,
            "metadata": {"title": clip.title},
        }
        for i, clip in enumerate(plan.clips)
    ]


def _copy_video(clip: SceneClip, stream: Any, out: Any, extradata: bytes, size: tuple[int, int]) -> None:
    """Mux ``clip``'s H.264 packets into ``stream``, shifted by its offset."""
    import av

    with av.open(str(clip.video)) as source:
        video = source.streams.video[0]
        context = video.codec_context
        if (context.width, context.height) != size or bytes(context.extradata or b"") != extradata:
            raise AssemblyError(
                f"{clip.scene}'s video was encoded with other settings ({context.width}x{context.height}, "
                "another H.264 setup) and cannot be joined without re-encoding: render it again"
            )
        for packet in source.demux(video):
            if packet.dts is None:
                continue
            packet.pts = packet.pts + clip.offset if packet.pts is not None else None
            packet.dts = packet.dts + clip.offset
            packet.stream = stream
            out.mux(packet)


def _scene_samples(clip: SceneClip) -> Any:
    """The scene's narration as float32 ``(1, n)``, exactly as long as its video (silence if it has none)."""
    import av

    length = round(clip.duration * clip.time_base * AUDIO_RATE)
    samples = np.zeros((_CHANNELS, length), dtype=np.float32)
    with av.open(str(clip.video)) as source:
        if not source.streams.audio:
            return samples
        # To stereo, then the channels' mean: FFmpeg's own stereo-to-mono mix is (L + R)/√2, 3 dB louder
        # than the voice was mastered to when both channels carry it.
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
        at = None
        for frame in _decoded(source, resampler):
            if at is None:  # the first frame's place; after it, samples follow on
                at = round(float(frame.pts * frame.time_base) * AUDIO_RATE) if frame.pts is not None else 0
            data = frame.to_ndarray().mean(axis=0, keepdims=True)
            begin, end = max(at, 0), min(at + data.shape[1], length)
            if end > begin:
                samples[:, begin:end] = data[:, begin - at : end - at]
            at += data.shape[1]
    return samples


def _decoded(source: Any, resampler: Any) -> Iterator[Any]:
    for frame in source.decode(source.streams.audio[0]):
        yield from resampler.resample(frame)
    yield from resampler.resample(None)


class _Narration:
    """One AAC track fed scene by scene: samples left over at a join wait for the next scene's."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.pending = np.zeros((_CHANNELS, 0), dtype=np.float32)
        self.written = 0

    def add(self, samples: Any) -> None:
        self.pending = np.concatenate([self.pending, samples], axis=1)

    def _frame(self, block: Any) -> Any:
        import av

        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block), format="fltp", layout=AUDIO_LAYOUT)
        frame.sample_rate = AUDIO_RATE
        frame.pts = self.written
        frame.time_base = _AUDIO_TIME_BASE
        self.written += block.shape[1]
        return frame

    def encode(self) -> Iterator[Any]:
        whole = self.pending.shape[1] // _FRAME * _FRAME
        for start in range(0, whole, _FRAME):
            yield from self.stream.encode(self._frame(self.pending[:, start : start + _FRAME]))
        self.pending = self.pending[:, whole:]

    def finish(self) -> Iterator[Any]:
        yield from self.encode()
        if self.pending.shape[1]:
            yield from self.stream.encode(self._frame(self.pending))
        self.pending = np.zeros((_CHANNELS, 0), dtype=np.float32)
        yield from self.stream.encode(None)


def mov_text_cues(text: str) -> bytes:
    """A ``mov_text`` (3GPP timed text) sample: the text's UTF-8 length as 16 bits, then the text.

    Examples
    --------
    >>> mov_text_cues("σ")
    b'\\x00\\x02\\xcf\\x83'
    """
    data = text.encode("utf-8")
    return struct.pack(">H", len(data)) + data


def _subtitle_packets(plan: LecturePlan, clip: SceneClip, stream: Any) -> Iterator[Any]:
    """``clip``'s captions as subtitle packets on the lecture's clock (milliseconds)."""
    import av

    for cue in clip.captions:
        start = round((clip.start_s + cue.start) * 1000)
        end = min(round((clip.start_s + cue.end) * 1000), round(clip.end_s * 1000))
        if end <= start:
            continue
        packet = av.Packet(mov_text_cues(" ".join(cue.text.split())))
        packet.pts = packet.dts = start
        packet.duration = end - start
        packet.time_base = _SUBTITLE_TIME_BASE
        packet.stream = stream
        yield packet
