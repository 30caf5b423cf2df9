"""render.py against plain ``manim`` on the same scene files, timed in the same run.

    python bench/bench_render.py [--quick] [--scenes A,B] [--qualities l,m,h] [--first-only]

For each scene and quality, in a temporary copy of the project (so a scene
file can be edited without touching yours), it times whole commands:

- ``plain``: ``manim render --disable_caching`` on the scene file, with its
  LaTeX cache warm (the yardstick);
- ``first``: ``render.py --force`` with render.py's own render cache emptied
  (the LaTeX cache and the speech cache warm, as they are for plain);
- ``first, 1 process``: the same with ``--jobs 1``, so the scene's animations
  are not shared out among processes (:mod:`lecture.render.split`), to show what
  that adds;
- ``unchanged``: ``render.py`` again, nothing changed;
- ``edit``: ``render.py`` after one caption of the scene (a middle beat) gets
  one more word, so that beat runs longer.

It prints a Markdown table with the ratios ``first / plain``, ``unchanged /
first`` and ``edit / first`` (each from this run), the frame counts of both
outputs, and the machine (CPU model, cores, load average before and after).
``--first-only`` times only ``plain`` and ``first``, plus ``first`` again
with frame reuse off (``LECTURE_FRAME_REUSE=0``, :mod:`lecture.render.frame_reuse`),
and prints a second table: wall and CPU seconds (user + sys of the whole
process tree) of plain and of ours, their ratios, the frame counts, and the
frames reused with the time (wall and CPU) each saved against the render
without reuse. A benchmark, not a test: nothing asserts a time. ``--quick`` is one scene
(SteepnessSweep) at ``-q l``. The machine is shared: read the ratios, and the
load average beside them.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lecture.settings.render_config import quality as quality_of  # noqa: E402
from scenes import SCENES  # noqa: E402

#: What the copy of the project needs to render.
PROJECT_PARTS = ("render.py", "scenes", "lecture", "config")
#: Folders in the output folder's cache kept warm between runs: LaTeX/Text SVGs, and the
#: narrator's synthesized lines (plain manim's run from a warm speech cache too).
WARM_CACHES = ("Tex", "texts", "voice")
CAPTION = re.compile(r"""(narrate(?:d)?\(\s*)(["'])((?:(?!\2).)+)\2""")


@dataclass
class Row:
    scene: str
    quality: str
    plain_s: float
    plain_frames: int
    first_s: float
    first_frames: int
    single_s: float
    unchanged_s: float
    edit_s: float
    edit_beat: str


def machine() -> str:
    """CPU model and core count, as /proc/cpuinfo gives them."""
    model = platform.processor() or platform.machine()
    with_cores = os.cpu_count() or 0
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {with_cores} cores"


def copy_project(project: Path) -> None:
    """Copy what render.py needs (:data:`PROJECT_PARTS`) to ``project``, to edit and render there."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / part)


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of a whole command; its output is kept only if it fails."""
    return run_timed(command, cwd, env)[0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + sys of the command and every process it waited for) and output.

    The CPU time is this process's ``RUSAGE_CHILDREN`` before and after: it
    counts a child once it has been waited for, and a child's own children
    once it waited for them, so render.py's worker and helper processes are
    in it.
    """
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, cpu, done.stdout + done.stderr


#: What a render logs about its reused frames (lecture.render.frame_reuse.FrameCounts.describe).
REUSED = re.compile(r"(\d+) frames, (\d+) reused: (\d+) not drawn")


@dataclass
class FirstRow:
    scene: str
    quality: str
    plain_s: float
    plain_cpu: float
    plain_frames: int
    first_s: float
    first_cpu: float
    first_frames: int
    no_reuse_s: float
    no_reuse_cpu: float
    reused: int
    not_drawn: int


def bench_first(project: Path, scene: str, quality: str, work: Path) -> FirstRow:
    """Plain manim, render.py --force, and render.py --force without frame reuse; wall and CPU seconds."""
    info = SCENES[scene]
    scene_file = project / (info.module.replace(".", "/") + ".py")
    manim = str(Path(sys.executable).with_name("manim"))
    plain_dir, ours_dir = work / "plain", work / "ours"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    plain = [manim, "render", f"-q{quality}", "-c", "config/manim.cfg", "--disable_caching"]
    plain += ["--progress_bar", "none", "--media_dir", str(plain_dir)]
    plain += [str(scene_file.relative_to(project)), scene]
    ours = [sys.executable, "render.py", "--scene", scene, "-q", quality, "--output-dir", str(ours_dir)]
    ours.append("--force")
    timed([*plain, "--dry_run"], project, env)  # LaTeX and speech warm for both, as in bench_one
    timed([*ours[:4], "--still", "-q", "l", "--output-dir", str(ours_dir), "--quiet"], project, env)
    plain_s, plain_cpu, _ = run_timed(plain, project, env)
    empty_render_cache(ours_dir)
    first_s, first_cpu, log = run_timed([*ours, "-v"], project, env | {"COLUMNS": "400"})
    first_frames = frame_count(ours_dir / quality_of(quality).label / f"{scene}.mp4")
    empty_render_cache(ours_dir)
    no_reuse_s, no_reuse_cpu, _ = run_timed([*ours, "--quiet"], project, env | {"LECTURE_FRAME_REUSE": "0"})
    counts = [tuple(map(int, m.groups())) for m in REUSED.finditer(log)]
    # With a split render each process logs its own share; the main process's line covers what it
    # encoded, the helpers' what they did: the reused frames add up.
    reused = sum(c[1] for c in counts)
    not_drawn = sum(c[2] for c in counts)
    return FirstRow(
        scene, quality, plain_s, plain_cpu, frame_count(next(plain_dir.glob(f"videos/**/{scene}.mp4"))),
        first_s, first_cpu, first_frames, no_reuse_s, no_reuse_cpu, reused, not_drawn,
    )  # fmt: skip


def print_first(rows: list[FirstRow]) -> None:
    print(
        "| scene | -q | plain manim | render.py --force | first / plain | plain CPU | ours CPU "
        "| CPU ours / plain | frames (plain / ours) | frames reused (not drawn) | without reuse: wall, CPU "
        "| saved per reused frame (wall, CPU) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for r in rows:
        per = f"{(r.no_reuse_s - r.first_s) / r.reused * 1e3:.1f} ms, " if r.reused else "-, "
        per += f"{(r.no_reuse_cpu - r.first_cpu) / r.reused * 1e3:.1f} ms" if r.reused else "-"
        print(
            f"| {r.scene} | {r.quality} | {r.plain_s:.1f} s | {r.first_s:.1f} s "
            f"| {r.first_s / r.plain_s:.2f}x "
            f"| {r.plain_cpu:.1f} s | {r.first_cpu:.1f} s | {r.first_cpu / r.plain_cpu:.2f}x "
            f"| {r.plain_frames} / {r.first_frames} | {r.reused} of {r.first_frames} ({r.not_drawn}) "
            f"| {r.no_reuse_s:.1f} s, {r.no_reuse_cpu:.1f} s | {per} |"
        )


def frame_count(video: Path) -> int:
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return stream.frames or sum(1 for _ in container.decode(stream))


def supports(option: str, project: Path) -> bool:
    help_text = subprocess.run(
        [sys.executable, "render.py", "--help"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    return option in help_text


def empty_render_cache(output: Path) -> None:
    """Remove everything render.py keeps between renders except the LaTeX/Text SVGs and the speech."""
    cache = output / "cache"
    if cache.is_dir():
        for child in cache.iterdir():
            if child.name not in WARM_CACHES:
                shutil.rmtree(child) if child.is_dir() else child.unlink()


def _rest_of_call(source: str, start: int) -> str:
    """The source after a caption up to the end of its call (its closing parenthesis, roughly)."""
    depth, index = 1, start
    while index < len(source) and depth:
        depth += {"(": 1, ")": -1}.get(source[index], 0)
        index += 1
    return source[start:index]


def edit_one_caption(scene_file: Path) -> tuple[str, str]:
    """Add a word to a middle caption of ``scene_file``; return the old text and the caption edited.

    Only captions that are also what the narrator says count (no ``say=`` in
    the call): the edit must make the line, and so its beat, longer.
    """
    source = scene_file.read_text(encoding="utf-8")
    captions = list(CAPTION.finditer(source))
    spoken = [m for m in captions if "say=" not in _rest_of_call(source, m.end())]
    captions = spoken or captions
    if not captions:
        raise RuntimeError(f"no narrate(...) caption found in {scene_file}")
    match = captions[len(captions) // 2]
    text = match.group(3)
    edited = text[:-1] + " now" + text[-1] if text[-1] in ".!?" else text + " now"
    scene_file.write_text(source[: match.start(3)] + edited + source[match.end(3) :], encoding="utf-8")
    return source, text


def bench_one(project: Path, scene: str, quality: str, work: Path, force: bool) -> Row:
    info = SCENES[scene]
    scene_file = project / (info.module.replace(".", "/") + ".py")
    manim = str(Path(sys.executable).with_name("manim"))
    plain_dir = work / "plain"
    ours_dir = work / "ours"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    plain = [
        manim,
        "render",
        f"-q{quality}",
        "-c",
        "config/manim.cfg",
        "--disable_caching",
        "--progress_bar",
        "none",
        "--media_dir",
        str(plain_dir),
        str(scene_file.relative_to(project)),
        scene,
    ]
    ours = [
        sys.executable,
        "render.py",
        "--scene",
        scene,
        "-q",
        quality,
        "--output-dir",
        str(ours_dir),
        "--quiet",
    ]
    # Warm LaTeX and speech for both: plain's --dry_run still writes its caches; a still fills render.py's.
    timed([*plain, "--dry_run"], project, env)
    timed([*ours[:4], "--still", "-q", "l", "--output-dir", str(ours_dir), "--quiet"], project, env)

    plain_s = timed(plain, project, env)
    plain_video = next(plain_dir.glob(f"videos/**/{scene}.mp4"))
    empty_render_cache(ours_dir)
    single_s = timed([*ours, "--force", "--jobs", "1"], project, env) if force else float("nan")
    empty_render_cache(ours_dir)
    first_s = timed([*ours, "--force"] if force else ours, project, env)
    first_frames = frame_count(ours_dir / quality_of(quality).label / f"{scene}.mp4")
    unchanged_s = timed(ours, project, env)
    original, beat = edit_one_caption(scene_file)
    try:
        edit_s = timed(ours, project, env)
    finally:
        scene_file.write_text(original, encoding="utf-8")
    return Row(
        scene,
        quality,
        plain_s,
        frame_count(plain_video),
        first_s,
        first_frames,
        single_s,
        unchanged_s,
        edit_s,
        beat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="SteepnessSweep at -q l only")
    parser.add_argument("--scenes", default=",".join(SCENES), help="comma-separated scene names")
    parser.add_argument("--qualities", default="l,m,h", help="comma-separated ManimCE quality letters")
    parser.add_argument(
        "--first-only", action="store_true", help="only plain and first, with CPU time and frame reuse"
    )
    args = parser.parse_args()
    names = ["SteepnessSweep"] if args.quick else [s for s in args.scenes.split(",") if s]
    qualities = ["l"] if args.quick else [q for q in args.qualities.split(",") if q]

    print(f"Machine: {machine()}; load average before: {load()}", flush=True)
    rows: list[Row] = []
    if args.first_only:
        first_rows = []
        with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
            project = Path(tmp) / "project"
            copy_project(project)
            for scene in names:
                for quality in qualities:
                    first_rows.append(bench_first(project, scene, quality, Path(tmp) / "out" / quality))
                    r = first_rows[-1]
                    print(
                        f"  {scene} -q {quality}: plain {r.plain_s:.1f} s ({r.plain_cpu:.1f} s CPU), "
                        f"ours {r.first_s:.1f} s ({r.first_cpu:.1f} s CPU), "
                        f"without reuse {r.no_reuse_s:.1f} s, "
                        f"{r.reused} reused",
                        file=sys.stderr,
                        flush=True,
                    )
        print(f"Load average after: {load()}\n")
        print_first(first_rows)
        return
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        project = Path(tmp) / "project"
        copy_project(project)
        force = supports("--force", project)
        for scene in names:
            for quality in qualities:
                work = Path(tmp) / "out" / quality
                row = bench_one(project, scene, quality, work, force)
                rows.append(row)
                print(
                    f"  {scene} -q {quality}: plain {row.plain_s:.1f} s, first {row.first_s:.1f} s "
                    f"(1 process {row.single_s:.1f} s), "
                    f"unchanged {row.unchanged_s:.2f} s, edit {row.edit_s:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
    print(f"Load average after: {load()}\n")
    print(
        "| scene | -q | plain manim | render.py first | first / plain | first, 1 process | 1 process / plain "
        "| frames (plain / ours) | unchanged | unchanged / first | one caption edited | edit / first |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.scene} | {r.quality} | {r.plain_s:.1f} s | {r.first_s:.1f} s "
            f"| {r.first_s / r.plain_s:.2f}x | {r.single_s:.1f} s | {r.single_s / r.plain_s:.2f}x "
            f"| {r.plain_frames} / {r.first_frames} "
            f"| {r.unchanged_s:.2f} s | {r.unchanged_s / r.first_s:.2f}x "
            f"| {r.edit_s:.1f} s | {r.edit_s / r.first_s:.2f}x |"
        )
    if not force:
        print("\n(render.py has no --force here: 'first' is a plain render.py run with its cache emptied.)")


if __name__ == "__main__":
    main()
