"""A scene at a glance: evenly spaced keyframes tiled on one PNG contact sheet.

Each tile is labelled with its time and the narration caption playing then,
so the sheet reads like the storyboard the scene was written from.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

__all__ = ["Caption", "Keyframe", "contact_sheet", "grab_keyframes", "keyframe_indices"]

_SHEET = "#1A1D23"
_INK = "#E8EAED"
_MUTED = "#9AA0A6"
_PAD = 12


@dataclass(frozen=True)
class Caption:
    """One narration cue, in seconds."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Keyframe:
    """A frame of the scene and the time it is shown."""

    time_s: float
    image: Image.Image


def keyframe_indices(frame_count: int, n: int) -> list[int]:
    """Indices of ``n`` frames spread evenly over the scene, ending on the last frame.

    Examples
    --------
    >>> keyframe_indices(100, 4)
    [24, 49, 74, 99]
    >>> keyframe_indices(3, 5)
    [0, 1, 2]
    """
    picks = [min(frame_count - 1, round((i + 1) * frame_count / n) - 1) for i in range(n)]
    return sorted({max(0, p) for p in picks}) if frame_count else []


def grab_keyframes(video: Path, n: int, *, frame_count: int) -> list[Keyframe]:
    """Decode ``video`` once and keep ``n`` evenly spaced frames (see :func:`keyframe_indices`).

    ``frame_count`` is the video's (:func:`lecture.publish.outputs.probe_video` counts it).
    """
    import av

    wanted = set(keyframe_indices(frame_count, n))
    frames: list[Keyframe] = []
    with av.open(str(video)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                frames.append(Keyframe(float(frame.time or 0.0), frame.to_image()))  # type: ignore[no-untyped-call]
    return frames


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _clock(seconds: float) -> str:
    """``m:ss.s``, e.g. ``0:03.5``."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def _caption_at(captions: Sequence[Caption], t: float) -> str:
    for cue in captions:
        if cue.start <= t < cue.end:
            return cue.text
    return ""


def contact_sheet(
    keyframes: Sequence[Keyframe],
    *,
    title: str,
    columns: int,
    tile_width: int,
    captions: Sequence[Caption] = (),
) -> Image.Image:
    """Tile ``keyframes`` ``columns`` to a row under ``title``, each labelled with time and caption."""
    if not keyframes:
        raise ValueError("a contact sheet needs at least one keyframe")
    columns = max(1, min(columns, len(keyframes)))
    rows = -(-len(keyframes) // columns)
    first = keyframes[0].image
    tile_height = round(tile_width * first.height / first.width)
    label_size = max(12, tile_width // 32)
    wrap = max(20, int(tile_width / (label_size * 0.55)))
    label_height = 3 * round(label_size * 1.3) + _PAD
    title_height = 2 * label_size + 2 * _PAD
    sheet = Image.new(
        "RGB",
        (columns * (tile_width + _PAD) + _PAD, title_height + rows * (tile_height + label_height + _PAD)),
        _SHEET,
    )
    draw = ImageDraw.Draw(sheet)
    draw.text((_PAD, _PAD), title, fill=_INK, font=_font(round(label_size * 1.4)))
    for i, frame in enumerate(keyframes):
        row, col = divmod(i, columns)
        x = _PAD + col * (tile_width + _PAD)
        y = title_height + row * (tile_height + label_height + _PAD)
        tile = frame.image.convert("RGB").resize((tile_width, tile_height), Image.Resampling.LANCZOS)
        sheet.paste(tile, (x, y))
        y += tile_height + _PAD // 2
        draw.text((x, y), _clock(frame.time_s), fill=_INK, font=_font(label_size))
        lines = textwrap.wrap(_caption_at(captions, frame.time_s), wrap, max_lines=2, placeholder=" …")
        for j, line in enumerate(lines, start=1):
            draw.text((x, y + j * round(label_size * 1.3)), line, fill=_MUTED, font=_font(label_size))
    return sheet
