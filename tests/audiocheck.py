"""Listen to a rendered video the way a test can: decode its audio and find where speech is.

Speech is found by energy: the track is cut into 10 ms frames and a frame is
speech when its RMS is above ``SPEECH_DBFS``. A narrated line at -16 LUFS sits
around -20 dBFS while voiced; the silence between lines is digital zero
(a few AAC artefacts at most), far below the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from lecture.publish.outputs import probe_video

#: A 10 ms frame louder than this (RMS, dB relative to full scale) is speech.
SPEECH_DBFS = -45.0
FRAME_S = 0.01


@dataclass(frozen=True)
class Track:
    """A decoded audio track: float samples in [-1, 1], (n, channels), and what the container says."""

    samples: np.ndarray
    rate: int
    codec: str
    video_duration: float

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.rate

    @property
    def mono(self) -> np.ndarray:
        return self.samples.mean(axis=1)

    def loudness(self) -> float:
        """Integrated loudness (ITU-R BS.1770-4) of the whole track, every channel counted, in LUFS."""
        import pyloudnorm

        return float(pyloudnorm.Meter(self.rate).integrated_loudness(self.samples.astype(np.float64)))

    def peak_dbfs(self) -> float:
        return float(20 * np.log10(np.abs(self.samples).max()))

    def speech_frames(self) -> np.ndarray:
        """Whether each 10 ms frame holds speech."""
        hop = round(FRAME_S * self.rate)
        mono = self.mono
        n = mono.size // hop
        frames = mono[: n * hop].reshape(n, hop)
        rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
        return 20 * np.log10(np.maximum(rms, 1e-12)) > SPEECH_DBFS

    def speech_spans(self, min_gap: float = 0.12) -> list[tuple[float, float]]:
        """(start, end) seconds of each stretch of speech; gaps shorter than ``min_gap`` are inside words."""
        spans: list[list[float]] = []
        for i in np.flatnonzero(self.speech_frames()):
            t = i * FRAME_S
            if spans and t - spans[-1][1] <= min_gap:
                spans[-1][1] = t + FRAME_S
            else:
                spans.append([t, t + FRAME_S])
        return [(a, b) for a, b in spans]


def audio_streams(path: Path) -> list[str]:
    """The codec of each audio stream in a media file."""
    with av.open(str(path)) as container:
        return [s.codec_context.name for s in container.streams.audio]


def decode_audio(path: Path) -> Track:
    """The first audio track of ``path``, decoded."""
    video_duration = probe_video(path).duration_s  # WebM keeps no frame count in its header
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = []
        for frame in container.decode(stream):
            data = frame.to_ndarray()
            channels = len(frame.layout.channels)
            chunks.append(data.T if frame.format.is_planar else data.reshape(-1, channels))
        rate = stream.codec_context.sample_rate
        codec = stream.codec_context.name
    samples = np.concatenate(chunks).astype(np.float32)
    return Track(samples, rate, codec, video_duration)


def check_speech_in_cues(
    track: Track,
    cues: list[tuple[float, float]],
    *,
    onset_within: float = 0.5,
    quiet_lead: float = 0.05,
    slack: float = 0.04,
) -> None:
    """Assert each cue holds speech that starts within ``onset_within`` s of its start after
    ``quiet_lead`` s of silence, and that no speech falls outside the cues.

    ``slack`` allows for the AAC encoder's frame smear at the edges.
    """
    spans = track.speech_spans()
    assert spans, "the track holds no speech at all"
    for start, end in cues:
        inside = [(a, b) for a, b in spans if start - slack <= a < end]
        assert inside, f"no speech in the cue {start:.2f}-{end:.2f} s"
        onset = inside[0][0]
        assert onset >= start + quiet_lead - slack, (
            f"speech at {onset:.2f} s runs into the cue start {start:.2f}"
        )
        assert onset - start <= onset_within, (
            f"speech starts {onset - start:.2f} s into the cue at {start:.2f}"
        )
    for a, b in spans:
        assert any(s - slack <= a and b <= e + slack for s, e in cues), (
            f"speech at {a:.2f}-{b:.2f} s is outside every cue"
        )
