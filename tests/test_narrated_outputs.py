"""Narrated renders through the CLI's pipeline: what the published files and the manifest carry.

``tests/narrated_scene.py`` is rendered at ``-q l`` through
:func:`lecture.render.pipeline.render_scene` (what each CLI worker runs) with the
network blocked and a fresh speech cache, then heard back: the MP4's one AAC
track, the WebM's Opus, the published WebVTT cues each holding their speech,
the silent render's lack of a track, and the manifest's record of both.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest

from lecture.publish.outputs import webm_with_opus
from lecture.render.pipeline import render_scene
from lecture.voice.speech import TARGET_LUFS
from tests.audiocheck import audio_streams, check_speech_in_cues, decode_audio
from tests.test_render_e2e import tiny_job

pytestmark = pytest.mark.slow


def narrated_job(output_dir: Path, **changes: Any) -> Any:
    return tiny_job(output_dir, scene="NarratedScene", module="tests.narrated_scene", **changes)


def vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue in a WebVTT file as we write it."""

    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        start, end = lines[1].split(" --> ")
        cues.append((seconds(start), seconds(end), " ".join(lines[2:])))
    return cues


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The narrated scene as MP4 and WebM in one output folder, rendered with every socket refused."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use while rendering: {args!r}")

    output = tmp_path_factory.mktemp("narrated")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("connect", "connect_ex", "sendto", "sendmsg"):
            patch.setattr(socket.socket, name, refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        for fmt in ("mp4", "webm"):
            result = render_scene(narrated_job(output, format=fmt))
            assert result.ok, result.detail or result.error
    yield output


def manifest_entry(output: Path, file: str) -> dict[str, Any]:
    return json.loads((output / "manifest.json").read_text(encoding="utf-8"))["entries"][file]


def test_the_mp4_carries_one_aac_track_as_long_as_the_video_at_web_loudness(published: Path) -> None:
    mp4 = published / "480p15" / "NarratedScene.mp4"
    assert audio_streams(mp4) == ["aac"]
    track = decode_audio(mp4)
    assert track.duration == pytest.approx(track.video_duration, abs=0.1)
    assert track.loudness() == pytest.approx(TARGET_LUFS, abs=1.0)
    assert track.peak_dbfs() <= -1.0


def test_each_published_caption_cue_holds_its_line_and_no_speech_falls_outside(published: Path) -> None:
    cues = vtt_cues(published / "480p15" / "NarratedScene.vtt")
    assert [text for *_, text in cues] == [
        "Here are the axes.",
        "σ(kx) rises across them; σ′ ≈ 0 nowhere.",
        "y = ½ + x/8",
    ]
    for video in ("NarratedScene.mp4", "NarratedScene.webm"):
        check_speech_in_cues(decode_audio(published / "480p15" / video), [(s, e) for s, e, _ in cues])


def test_the_webm_speaks_in_opus(published: Path) -> None:
    webm = published / "480p15" / "NarratedScene.webm"
    assert audio_streams(webm) == ["opus"]
    assert decode_audio(webm).duration == pytest.approx(decode_audio(webm).video_duration, abs=0.1)


def test_the_manifest_records_the_voice_and_the_audio_codec(published: Path) -> None:
    mp4 = manifest_entry(published, "480p15/NarratedScene.mp4")
    webm = manifest_entry(published, "480p15/NarratedScene.webm")
    assert (mp4["audio_codec"], webm["audio_codec"]) == ("aac", "opus")
    assert mp4["voice"]["name"] == "joe" and mp4["voice"]["engine"] == "piper:en_US-joe-medium"
    assert len(mp4["voice"]["model_sha256"]) == 64
    assert (published / "cache" / "voice").is_dir(), "speech is cached beside ManimCE's working files"


def test_voice_none_gives_a_silent_mp4_with_the_same_captions(published: Path, tmp_path: Path) -> None:
    result = render_scene(narrated_job(tmp_path, voice="none"))
    assert result.ok, result.detail or result.error
    silent = tmp_path / "480p15" / "NarratedScene.mp4"
    assert audio_streams(silent) == []
    entry = manifest_entry(tmp_path, "480p15/NarratedScene.mp4")
    assert entry["voice"] == {"name": "none"} and "audio_codec" not in entry
    texts = [text for *_, text in vtt_cues(tmp_path / "480p15" / "NarratedScene.vtt")]
    assert texts == [text for *_, text in vtt_cues(published / "480p15" / "NarratedScene.vtt")]


def test_a_gif_has_no_sound_even_from_a_narrated_scene(tmp_path: Path) -> None:
    result = render_scene(narrated_job(tmp_path, format="gif"))
    assert result.ok, result.detail or result.error
    with av.open(str(tmp_path / "480p15" / "NarratedScene.gif")) as gif:
        assert not gif.streams.audio
    assert "audio_codec" not in manifest_entry(tmp_path, "480p15/NarratedScene.gif")


def test_webm_with_opus_reencodes_other_audio(published: Path, tmp_path: Path) -> None:
    # A VP9 video with AAC audio (in Matroska) stands in for ManimCE's Vorbis, which this PyAV lacks.
    mixed = tmp_path / "mixed.mkv"
    with (
        av.open(str(published / "480p15" / "NarratedScene.webm")) as video_src,
        av.open(str(published / "480p15" / "NarratedScene.mp4")) as audio_src,
        av.open(str(mixed), "w") as out,
    ):
        pairs = {
            video_src.streams.video[0]: out.add_stream_from_template(video_src.streams.video[0]),
            audio_src.streams.audio[0]: out.add_stream_from_template(audio_src.streams.audio[0]),
        }
        for source, stream in pairs.items():
            for packet in source.container.demux(source):
                if packet.dts is not None:
                    packet.stream = stream
                    out.mux(packet)
    webm = tmp_path / "out.webm"
    webm_with_opus(mixed, webm)
    assert audio_streams(webm) == ["opus"]
    before, after = decode_audio(mixed), decode_audio(webm)
    assert after.duration == pytest.approx(before.duration, abs=0.05)
    assert after.loudness() == pytest.approx(before.loudness(), abs=0.5)
