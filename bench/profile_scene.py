"""Where a scene's render time goes: cProfile over one in-process render, grouped by stage.

    python bench/profile_scene.py SteepnessSweep [-q l|m|h] [--top 25] [--encoders N]

Renders the scene once (no caching, files under a temporary folder) under
cProfile and prints the wall time, a breakdown by stage (the live numbers,
rasterising with Cairo, the video encoder, the scene's own updaters, LaTeX
and text, the rest) and the functions with the most time of their own. The
stages are cumulative times of a few entry points, so they can overlap a
little (an updater that sets a live number counts under both); the profiler
slows Python code by about a third, so the shares matter, not the seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scenes
import scenes.common
from lecture.settings.render_config import quality

#: Stage name -> (file suffix, function name) entry points whose cumulative time is the stage's.
STAGES: dict[str, list[tuple[str, str]]] = {
    "live numbers (set_value)": [("numbers.py", "set_value"), ("common.py", "set_value")],
    "rasterising (Cairo)": [("camera.py", "capture_mobjects")],
    "static background image": [("cairo_renderer.py", "update_skipping_status")],
    "waiting on the encoder": [
        ("scene_file_writer.py", "write_frame"),
        ("scene_file_writer.py", "close_partial_movie_stream"),
        ("scene_file_writer.py", "combine_to_movie"),
    ],
    "updaters (all)": [("scene.py", "update_mobjects")],
    "LaTeX / Text building": [("tex_mobject.py", "__init__"), ("text_mobject.py", "__init__")],
}


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    """Cumulative seconds of every function called ``name`` in a file ending in ``suffix``."""
    total = 0.0
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if func == name and filename.endswith(suffix):
            total += ct
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scene")
    parser.add_argument("-q", "--quality", default="l")
    parser.add_argument("--top", type=int, default=20, help="how many functions to list by own time")
    parser.add_argument(
        "--encoders", type=int, default=None, help="max_inflight_encoders (default: ManimCE's)"
    )
    parser.add_argument(
        "--plain-numbers",
        action="store_true",
        help="live numbers as ManimCE's DecimalNumber (the 'before' of LiveNumber)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="ManimCE's per-animation cache on (cold), with render.py's fixes for it",
    )
    args = parser.parse_args()
    if args.plain_numbers:  # before the scene module imports it by name
        from manim import DecimalNumber

        sys.modules["scenes.common"].LiveNumber = DecimalNumber  # type: ignore[attr-defined]

    from manim import config, tempconfig

    q = quality(args.quality)
    scene_cls = scenes.load_scene(args.scene)
    # LaTeX and Text SVGs persist between runs (as render.py's shared cache does): the second run is warm.
    svgs = Path(__file__).resolve().parent.parent / "media" / "cache" / "profile"
    with tempfile.TemporaryDirectory(prefix="profile-") as work:
        options = {
            "media_dir": work,
            "tex_dir": str(svgs / "Tex"),
            "text_dir": str(svgs / "texts"),
            "disable_caching": not args.cache,
            "max_files_cached": -1,
            "progress_bar": "none",
            "verbosity": "ERROR",
            "pixel_width": q.pixel_width,
            "pixel_height": q.pixel_height,
            "frame_rate": q.frame_rate,
            "notify_outdated_version": False,
        }
        if args.encoders is not None:
            options["max_inflight_encoders"] = args.encoders
        profiler = cProfile.Profile()
        from lecture.render.segments import cache_friendly

        with tempconfig(options), cache_friendly() if args.cache else contextlib.nullcontext():
            print(f"max_inflight_encoders = {config.max_inflight_encoders}")
            start = time.perf_counter()
            profiler.enable()
            scene_cls().render()
            profiler.disable()
            wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    print(f"{args.scene} at -q {q.letter} ({q.label}): {wall:.1f} s wall under the profiler\n")
    print("| stage | seconds | share |\n|---|---:|---:|")
    for stage, entries in STAGES.items():
        seconds = sum(cumulative(stats, suffix, name) for suffix, name in entries)
        print(f"| {stage} | {seconds:.1f} | {seconds / wall:.0%} |")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print("\n" + "\n".join(out.getvalue().splitlines()[: args.top + 12]))


if __name__ == "__main__":
    main()
