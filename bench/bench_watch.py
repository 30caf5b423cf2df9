"""How soon ``render.py --watch`` shows an edit, against running plain ``manim -s`` after the save.

    python bench/bench_watch.py [--scenes A,B] [--mode still|storyboard|video] [-q l]

For each scene, in a temporary copy of the project, it starts
``render.py --scene X --still --watch --port 0`` (or ``--storyboard``, or a
video at ``-q``), waits for the first render, then saves edits to the scene
file one after another and times, for each, the seconds from the save to
the preview server's ``/status.json`` reporting the new result (what the
page shows a moment later: it long-polls that address). The edits:

- ``caption``: one word more in a middle caption (its line is synthesized
  afresh, its beat runs longer);
- ``comment``: a comment added (the scene changes in nothing: the floor of a
  re-render);
- ``number``: a decimal number in the scene's code changed, a different
  frame.

After each edit the yardstick runs: plain ``manim render -s`` (ManimCE's
last frame as PNG, ``--disable_caching``) on the same edited file, which is
what an author would run by hand after a save. Its LaTeX cache is warm
(a dry run fills it first). It prints a Markdown table with the ratio and
the machine. A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_render import copy_project, edit_one_caption, load, machine, timed

from scenes import SCENES

#: A decimal number in scene code (not in a string): the ``number`` edit nudges the first such.
NUMBER = re.compile(r"(?<![\w.\"'])(\d+\.\d+)(?![\w.])")


def edit_comment(scene_file: Path) -> str:
    scene_file.write_text(scene_file.read_text(encoding="utf-8") + "\n# edited by bench_watch\n")
    return "a comment added"


def edit_number(scene_file: Path) -> str:
    """Change the first decimal number of ``construct`` onwards (a position, a run time, a value)."""
    source = scene_file.read_text(encoding="utf-8")
    start = source.find("def construct")
    match = NUMBER.search(source, max(start, 0))
    if match is None:
        raise RuntimeError(f"no decimal number after construct() in {scene_file}")
    value = match.group(1)
    changed = f"{float(value) * 1.1:.{len(value.split('.')[1])}f}"
    if changed == value:
        changed = value + "1"
    scene_file.write_text(source[: match.start(1)] + changed + source[match.end(1) :], encoding="utf-8")
    line = source.count("\n", 0, match.start(1)) + 1
    return f"line {line}: {value} -> {changed}"


def edit_caption(scene_file: Path) -> str:
    _, caption = edit_one_caption(scene_file)
    return f"caption {caption[:30]!r}... + 'now'"


EDITS = {"caption": edit_caption, "comment": edit_comment, "number": edit_number}


def status(url: str, after: int, timeout: float = 30.0) -> dict:
    with urllib.request.urlopen(f"{url}status.json?after={after}", timeout=timeout + 10) as response:
        return json.loads(response.read())


def settled(url: str, after: int, deadline_s: float = 600.0) -> dict:
    """The first status newer than generation ``after`` with no scene rendering."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        snapshot = status(url, after)
        after = snapshot["generation"]
        if all(s["state"] not in ("rendering", "waiting") for s in snapshot["scenes"]):
            return snapshot
    raise TimeoutError("the watcher did not finish a render in time")


def bench_scene(
    project: Path, scene: str, mode: str, quality: str, out: Path
) -> list[tuple[str, str, float, float, float]]:
    info = SCENES[scene]
    scene_file = project / (info.module.replace(".", "/") + ".py")
    manim = str(Path(sys.executable).with_name("manim"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    plain = [
        manim,
        "render",
        "-s",
        f"-q{quality}",
        "-c",
        "config/manim.cfg",
        "--disable_caching",
        "--progress_bar",
        "none",
        "--media_dir",
        str(out / "plain"),
        str(scene_file.relative_to(project)),
        scene,
    ]
    timed([*plain, "--dry_run"], project, env)  # LaTeX warm for plain
    flag = {"still": ["--still"], "storyboard": ["--storyboard"], "video": []}[mode]
    watcher = subprocess.Popen(
        [
            sys.executable,
            "render.py",
            "--scene",
            scene,
            *flag,
            "-q",
            quality,
            "--output-dir",
            str(out / "ours"),
            "--watch",
            "--port",
            "0",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    rows = []
    try:
        assert watcher.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+/", watcher.stdout.readline())
        if not found:
            raise RuntimeError("the watcher printed no preview address")
        url = found.group(0)
        first = settled(url, -1)
        if first["scenes"][0]["state"] != "ok":
            raise RuntimeError(f"the first render failed: {first['scenes'][0]['error']}")
        generation = first["generation"]
        for name, edit in EDITS.items():
            what = edit(scene_file)
            saved = time.perf_counter()
            snapshot = settled(url, generation)
            seconds = time.perf_counter() - saved
            generation = snapshot["generation"]
            state = snapshot["scenes"][0]
            if state["state"] != "ok":
                raise RuntimeError(f"{scene}, {name} edit: {state['error']}")
            plain_s = timed(plain, project, env)
            rows.append((name, what, seconds, float(state["render_s"]), plain_s))
            print(
                f"  {scene} {name}: page {seconds:.2f} s (render {state['render_s']:.2f} s), "
                f"plain -s {plain_s:.2f} s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            watcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watcher.kill()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", default="SteepnessSweep", help="comma-separated scene names")
    parser.add_argument("--mode", default="still", choices=["still", "storyboard", "video"])
    parser.add_argument("-q", "--quality", default="l")
    args = parser.parse_args()
    print(f"Machine: {machine()}; load average before: {load()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        project = Path(tmp) / "project"
        copy_project(project)
        for scene in [s for s in args.scenes.split(",") if s]:
            for row in bench_scene(project, scene, args.mode, args.quality, Path(tmp) / "out" / scene):
                results.append((scene, *row))
    print(f"Load average after: {load()}\n")
    print(
        f"`--watch --{args.mode}` at -q {args.quality}: seconds from the save to the page's new result, "
        "against plain `manim render -s` run after the same save\n"
    )
    print(
        "| scene | edit | what changed | save → page | of which rendering | plain manim -s | page / plain |"
    )
    print("|---|---|---|---:|---:|---:|---:|")
    for scene, name, what, seconds, render_s, plain_s in results:
        print(
            f"| {scene} | {name} | {what} | {seconds:.2f} s | {render_s:.2f} s | {plain_s:.2f} s "
            f"| {seconds / plain_s:.2f}x |"
        )


if __name__ == "__main__":
    main()
