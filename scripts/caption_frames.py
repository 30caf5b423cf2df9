"""Write the frame shown at the end of each caption cue of a rendered video, to look at.

A scene is reviewed beat by beat: does each frame show what its caption says while
it says it? This takes a published video and its WebVTT captions, and writes one PNG
per cue (the last frame shown before the cue ends) plus ``sheet.png``, all of them
tiled with their times and captions.

Usage::

    python render.py --scene LogOdds -q l --output-dir /tmp/look
    python scripts/caption_frames.py /tmp/look/480p15/LogOdds.mp4 --out /tmp/look/LogOdds-cues

The captions are read from the ``.vtt`` beside the video unless ``--vtt`` names one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lecture.publish.storyboard import Caption, Keyframe, contact_sheet  # noqa: E402

_CUE_TIME = re.compile(r"(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*-->\s*(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)")


def _seconds(hours: str | None, minutes: str, seconds: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def read_vtt(path: Path) -> list[Caption]:
    """The cues of a WebVTT file, in order (their text lines joined by spaces)."""
    cues: list[Caption] = []
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    for block in blocks:
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            match = _CUE_TIME.search(line)
            if match:
                start = _seconds(*match.group(1, 2, 3))
                end = _seconds(*match.group(4, 5, 6))
                cues.append(Caption(start, end, " ".join(lines[i + 1 :]).strip()))
                break
    return cues


def frames_at(video: Path, times: list[float]) -> list[Keyframe]:
    """Decode ``video`` once; for each time, the last frame whose start is before it."""
    import av

    wanted = sorted(times)
    picked: list[Keyframe] = []
    previous = None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            t = float(frame.time or 0.0)
            while wanted and t >= wanted[0]:
                if previous is not None:
                    picked.append(Keyframe(wanted[0], previous))
                wanted.pop(0)
            if not wanted:
                break
            previous = frame.to_image()  # type: ignore[no-untyped-call]
    for t in wanted:  # past the last frame: the last frame
        if previous is not None:
            picked.append(Keyframe(t, previous))
    return picked


@click.command()
@click.argument("video", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--vtt",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Captions (default: beside the video).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the PNGs."
)
@click.option("--columns", default=3, show_default=True, help="Tiles per row of sheet.png.")
def main(video: Path, vtt: Path | None, out: Path, columns: int) -> None:
    """Write cue-NN.png (the frame at each caption's end) and sheet.png for VIDEO."""
    vtt = vtt or video.with_suffix(".vtt")
    if not vtt.is_file():
        raise click.ClickException(f"no captions at {vtt}; name them with --vtt")
    cues = read_vtt(vtt)
    if not cues:
        raise click.ClickException(f"{vtt} has no cues")
    # A frame just before the cue ends: what is on screen as its words finish.
    frames = frames_at(video, [max(0.0, cue.end - 0.05) for cue in cues])
    out.mkdir(parents=True, exist_ok=True)
    for i, frame in enumerate(frames, start=1):
        frame.image.save(out / f"cue-{i:02d}.png")
    shown = [Caption(cue.start, cue.end, f"{i}. {cue.text}") for i, cue in enumerate(cues, start=1)]
    sheet = contact_sheet(
        frames, title=f"{video.stem}: caption ends", columns=columns, tile_width=427, captions=shown
    )
    sheet.save(out / "sheet.png")
    click.echo(f"{len(frames)} cue frames and sheet.png in {out}")


if __name__ == "__main__":
    main()
