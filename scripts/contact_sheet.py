"""Tile the last frame of every registered scene into one small PNG: the lecture at a glance.

The README shows this picture (``docs/lecture-contact-sheet.png``); ``make docs-images``
regenerates it, so it stays true as scenes change or are added. Tiles follow the
teaching order of ``scenes.SCENES``, each labelled with its number and the scene's name.

Usage::

    python scripts/contact_sheet.py                      # render every scene's still (-q l) into a
                                                         # temporary folder, then tile them
    python scripts/contact_sheet.py --posters media      # tile the stills/posters already in an output folder
    python scripts/contact_sheet.py --output sheet.png --columns 3 --tile-width 320

With ``--posters DIR`` the frames are read from ``DIR/manifest.json``: each scene's
``--still`` PNG if there is one, else the poster published beside its video. A
scene with neither is an error (exit 1) naming it, so the sheet never leaves one out.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scenes import SCENES  # noqa: E402  (the registry, after the project is on the path)

DEFAULT_OUTPUT = REPO / "docs" / "lecture-contact-sheet.png"
#: Height of the label strip under each tile, and the gap between tiles, in pixels.
LABEL_HEIGHT = 24
GAP = 6
#: Colours of the sheet itself (the tiles keep the dark theme's own).
SHEET_BACKGROUND = (18, 18, 22)
LABEL_COLOUR = (230, 230, 230)
#: A palette this size keeps the PNG small; the frames are flat colours and antialiased edges.
PALETTE_COLOURS = 128


def render_stills(output_dir: Path) -> None:
    """Render every registered scene's last frame into ``output_dir`` with the project's own CLI."""
    command = [sys.executable, str(REPO / "render.py"), "--all", "--still", "-q", "l"]
    command += ["--output-dir", str(output_dir)]
    done = subprocess.run(command, cwd=REPO, check=False)
    if done.returncode != 0:
        raise click.ClickException(f"render.py --all --still exited {done.returncode}; no sheet written")


def poster_paths(output_dir: Path, names: list[str]) -> dict[str, Path]:
    """Each scene's last frame in ``output_dir``'s manifest: its still, else its video's poster."""
    manifest_path = output_dir / "manifest.json"
    if not manifest_path.is_file():
        raise click.ClickException(f"{manifest_path} not found: render the scenes there first")
    entries = json.loads(manifest_path.read_text(encoding="utf-8"))["entries"].values()
    found: dict[str, Path] = {}
    for entry in entries:
        scene = entry.get("scene")
        if entry.get("kind") == "still":
            found[scene] = output_dir / entry["file"]
        elif isinstance(entry.get("poster"), dict) and scene not in found:
            found[scene] = output_dir / entry["poster"]["file"]
    missing = [name for name in names if name not in found or not found[name].is_file()]
    if missing:
        raise click.ClickException(f"no still or poster in {output_dir} for: {', '.join(missing)}")
    return {name: found[name] for name in names}


def label_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A sans-serif font for the labels: DejaVu Sans if installed, else PIL's own."""
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def tile_sheet(frames: dict[str, Path], *, columns: int, tile_width: int) -> Image.Image:
    """The frames in order, scaled to ``tile_width``, ``columns`` a row, each labelled "n. Name"."""
    images = [Image.open(path).convert("RGB") for path in frames.values()]
    tile_height = round(tile_width * images[0].height / images[0].width)
    rows = -(-len(images) // columns)
    width = columns * tile_width + (columns + 1) * GAP
    height = rows * (tile_height + LABEL_HEIGHT) + (rows + 1) * GAP
    sheet = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = label_font(LABEL_HEIGHT - 9)
    for i, (name, image) in enumerate(zip(frames, images, strict=True)):
        x = GAP + (i % columns) * (tile_width + GAP)
        y = GAP + (i // columns) * (tile_height + LABEL_HEIGHT + GAP)
        sheet.paste(image.resize((tile_width, tile_height), Image.Resampling.LANCZOS), (x, y))
        draw.text((x + 4, y + tile_height + 4), f"{i + 1}. {name}", fill=LABEL_COLOUR, font=font)
    return sheet


@click.command()
@click.option(
    "--posters",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="An output folder whose manifest names each scene's still or poster; default: render them now.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where the contact sheet is written.",
)
@click.option("--columns", type=click.IntRange(1, 12), default=4, show_default=True, help="Tiles a row.")
@click.option(
    "--tile-width",
    type=click.IntRange(64, 1920),
    default=300,
    show_default=True,
    help="Tile width in pixels.",
)
def main(posters: Path | None, output: Path, columns: int, tile_width: int) -> None:
    """Tile the last frame of every registered scene, in teaching order, into one labelled PNG."""
    names = list(SCENES)
    with tempfile.TemporaryDirectory(prefix="contact-sheet-") as tmp:
        if posters is None:
            posters = Path(tmp)
            render_stills(posters)
        sheet = tile_sheet(poster_paths(posters, names), columns=columns, tile_width=tile_width)
    small = sheet.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    small.save(partial, format="PNG", optimize=True)
    partial.replace(output)
    click.echo(
        f"{output}: {len(names)} scenes, {sheet.width}x{sheet.height}, {output.stat().st_size // 1024} KB"
    )


if __name__ == "__main__":
    main()
