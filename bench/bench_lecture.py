"""What assembling the lecture costs, against copying the same bytes and against re-encoding the video.

    python bench/bench_lecture.py --output-dir media -q l [--repeat 3] [--reencode]

Needs the scenes rendered as MP4 in OUTPUT_DIR (``render.py --all -q l``).
Each repeat assembles the lecture from scratch into a scratch copy of the
output folder's scene files (``force``: nothing is skipped), then runs the
up-to-date check that a second ``--lecture`` makes. The baselines, measured in
the same run: copying the scenes' MP4 bytes once (the least any join costs),
and with ``--reencode`` decoding and encoding the scenes' video again with
libx264 (what a join that re-encoded would cost at least). A benchmark, not a
test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scenes
from lecture.assemble.lecture import assemble_lecture
from lecture.assemble.plan import chapter_title
from lecture.publish.transaction import read_manifest
from lecture.settings.render_config import quality


def _reencode(videos: list[Path], target: Path) -> None:
    import av

    with av.open(str(target), "w", format="mp4") as out:
        stream = None
        index = 0
        for path in videos:
            with av.open(str(path)) as source:
                video = source.streams.video[0]
                if stream is None:
                    stream = out.add_stream("libx264", rate=video.average_rate)
                    stream.width, stream.height, stream.pix_fmt = video.width, video.height, "yuv420p"
                for frame in source.decode(video):
                    frame.pts, frame.time_base = index, 1 / video.average_rate
                    out.mux(stream.encode(frame.reformat(format="yuv420p")))
                    index += 1
        if stream is not None:
            out.mux(stream.encode(None))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=Path("media"))
    parser.add_argument("-q", "--quality", default="l")
    parser.add_argument("--theme", default="dark")
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reencode", action="store_true", help="also time re-encoding the video (slow)")
    args = parser.parse_args()
    label = quality(args.quality).label
    source = args.output_dir.resolve()
    entries = read_manifest(source)["entries"]
    names = list(scenes.SCENES)
    files = [f"{label}/{n}.{ext}" for n in names for ext in ("mp4", "png", "vtt")]
    missing = [f for f in files if not (source / f).is_file()]
    if missing:
        sys.exit(f"render the scenes first (render.py --all -q {args.quality}); missing {missing[0]}")
    videos = [source / label / f"{n}.mp4" for n in names]
    size = sum(v.stat().st_size for v in videos)
    length = sum(
        float(e.get("duration_s", 0))
        for e in entries.values()
        if e.get("file") in {f"{label}/{n}.mp4" for n in names}
    )
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "out"
        (work / label).mkdir(parents=True)
        for f in files:
            shutil.copyfile(source / f, work / f)
        shutil.copyfile(source / "manifest.json", work / "manifest.json")
        started = time.perf_counter()
        for video in videos:
            shutil.copyfile(video, Path(scratch) / "copy.mp4")
        copy_s = time.perf_counter() - started
        rows.append(("copy the scenes' MP4 bytes (baseline)", copy_s))
        lecture = [(n, chapter_title(n)) for n in names]
        assemble: list[float] = []
        check: list[float] = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assemble_lecture(
                work, lecture, label=label, theme=args.theme, voice=args.voice, title="bench", force=True
            )
            assemble.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = assemble_lecture(
                work, lecture, label=label, theme=args.theme, voice=args.voice, title="bench"
            )
            check.append(time.perf_counter() - started)
            assert result.up_to_date
        rows.append((f"assemble the lecture (median of {args.repeat})", statistics.median(assemble)))
        rows.append((f"up-to-date check (median of {args.repeat})", statistics.median(check)))
        if args.reencode:
            started = time.perf_counter()
            _reencode(videos, Path(scratch) / "reencoded.mp4")
            rows.append(("re-encode the video with libx264", time.perf_counter() - started))
    print(f"{len(names)} scenes at {label}: {length:.0f} s of video, {size / 1e6:.1f} MB")
    print(f"{'step':<44} {'seconds':>8} {'x copy':>8}")
    for name, seconds in rows:
        print(f"{name:<44} {seconds:8.2f} {seconds / copy_s:8.1f}")


if __name__ == "__main__":
    main()
