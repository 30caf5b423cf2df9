"""What the narration costs: Piper's model load and real-time factor on every line the lecture speaks.

    python bench/bench_voice.py [--voice joe]

Collects every scene's spoken lines (each scene run with animations skipped
and no voice, so nothing is synthesized while collecting), then synthesizes
them all (no cache), timing the model load, the synthesis and the
mastering (resampling, loudness, limiting) apart. The
real-time factor is seconds of work per second of speech: below 1 is faster
than the speech plays. A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path


def spoken_lines() -> dict[str, list[str]]:
    """Every registered scene's spoken lines, in order."""
    from manim import tempconfig

    from lecture.voice.speech import VOICE_ENV
    from scenes import SCENES, load_scene

    os.environ[VOICE_ENV] = "none"
    lines: dict[str, list[str]] = {}
    options = {
        "dry_run": True,
        "pixel_width": 480,
        "pixel_height": 270,
        "frame_rate": 15,
        "media_dir": "media/cache/tests",
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    for name in SCENES:
        with tempconfig(options):
            scene = load_scene(name)(skip_animations=True)
            scene.render()
        lines[name] = [beat.say for beat in scene.beats]
    del os.environ[VOICE_ENV]
    return lines


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", default="joe", help="a voice name from config/render.toml or a model path")
    args = parser.parse_args()

    from lecture.voice import speech as v

    lines = spoken_lines()
    settings = v.load_voice_settings()
    engine = v.PiperEngine(
        v.resolve_model(args.voice, settings),
        length_scale=settings.length_scale,
        noise_scale=settings.noise_scale,
        noise_w=settings.noise_w,
        sentence_silence=settings.sentence_silence,
    )
    start = time.perf_counter()
    engine.render("Warming up.")  # the first call loads the model and its ONNX session
    load_s = time.perf_counter() - start

    speech_s = synth_s = master_s = 0.0
    words = 0
    for text in (t for scene in lines.values() for t in scene):
        t0 = time.perf_counter()
        samples, rate = engine.render(text)
        t1 = time.perf_counter()
        mastered = v.master(samples, rate)
        t2 = time.perf_counter()
        synth_s, master_s = synth_s + t1 - t0, master_s + t2 - t1
        speech_s += mastered.size / v.SAMPLE_RATE
        words += len(text.split())
    count = sum(len(scene) for scene in lines.values())
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    print(f"voice {engine.name}: model load {load_s:.2f} s")
    print(f"{count} lines, {words} words, {speech_s:.1f} s of speech ({words / speech_s:.2f} words/s)")
    print(
        f"synthesis {synth_s:.1f} s (real-time factor {synth_s / speech_s:.3f}), "
        f"mastering {master_s:.1f} s (real-time factor {master_s / speech_s:.3f})"
    )
    print(f"all: {(synth_s + master_s) / speech_s:.3f} s of work per second of speech")


if __name__ == "__main__":
    main()
