"""Render settings: ManimCE's quality presets and the defaults in config/render.toml.

Nothing here imports manim, so ``render.py --help`` and ``--list`` start fast.
The quality table copies ManimCE's (``manim.constants.QUALITIES``); a test
checks the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lecture.settings.configfile import ConfigError, check_keys, read_toml

__all__ = [
    "FORMATS",
    "QUALITIES",
    "QUALITY_NAMES",
    "RENDER_FILE",
    "GifSettings",
    "Quality",
    "RenderSettings",
    "StoryboardSettings",
    "load_render_settings",
    "quality",
]

RENDER_FILE = Path(__file__).resolve().parents[2] / "config" / "render.toml"

#: Output formats ``--format`` accepts: video, a GIF for decks, or the last frame.
FORMATS = ("mp4", "webm", "gif", "png")


@dataclass(frozen=True)
class Quality:
    """One of ManimCE's render presets.

    Examples
    --------
    >>> quality("h").label, quality("high").pixel_width
    ('1080p60', 1920)
    """

    word: str
    letter: str
    pixel_width: int
    pixel_height: int
    frame_rate: int

    @property
    def label(self) -> str:
        """ManimCE's name for the preset's folder, e.g. ``1080p60``."""
        return f"{self.pixel_height}p{self.frame_rate}"


QUALITIES: dict[str, Quality] = {
    q.letter: q
    for q in (
        Quality("low", "l", 854, 480, 15),
        Quality("medium", "m", 1280, 720, 30),
        Quality("high", "h", 1920, 1080, 60),
        Quality("production", "p", 2560, 1440, 60),
        Quality("4k", "k", 3840, 2160, 60),
    )
}
#: Every spelling ``-q`` accepts: ManimCE's letters, then the words.
QUALITY_NAMES = (*QUALITIES, *(q.word for q in QUALITIES.values()))


def quality(name: str) -> Quality:
    """The preset called ``name``: a letter (``l m h p k``) or a word (``low`` ... ``4k``).

    Raises
    ------
    KeyError
        If ``name`` is neither.
    """
    key = name.strip().lower()
    for q in QUALITIES.values():
        if key in (q.letter, q.word):
            return q
    raise KeyError(name)


@dataclass(frozen=True)
class StoryboardSettings:
    """How ``--storyboard`` lays out its contact sheet."""

    quality: Quality
    frames: int
    columns: int
    tile_width: int


@dataclass(frozen=True)
class GifSettings:
    """How a GIF is made: rendered at ``quality``, scaled to at most ``width`` pixels wide, at ``fps``."""

    quality: Quality
    width: int
    fps: int


@dataclass(frozen=True)
class RenderSettings:
    """The validated contents of config/render.toml."""

    quality: Quality
    format: str
    theme: str
    output_dir: Path
    storyboard: StoryboardSettings
    gif: GifSettings


_SPEC: dict[str, dict[str, str]] = {
    "render": {"quality": "quality", "format": "format", "theme": "name", "output_dir": "path"},
    "storyboard": {"quality": "quality", "frames": "count", "columns": "count", "tile_width": "pixels"},
    "gif": {"quality": "quality", "width": "pixels", "fps": "count"},
}


#: Tables other modules read and check: [voice] is lecture.voice.speech's.
_OTHER_TABLES = {"voice"}


def _value(path: Path, key: str, value: object, kind: str) -> object:
    """Check one setting; ``key`` is its dotted name for the error message."""
    where = f"{path}: [{key}]"
    if kind == "quality":
        if not isinstance(value, str) or value.lower() not in QUALITY_NAMES:
            raise ConfigError(f"{where} must be one of {', '.join(QUALITY_NAMES)}, got {value!r}")
        return quality(value)
    if kind == "format":
        if value not in FORMATS:
            raise ConfigError(f"{where} must be one of {', '.join(FORMATS)}, got {value!r}")
        return value
    if kind in ("name", "path"):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where} must be a non-empty string, got {value!r}")
        return Path(value) if kind == "path" else value
    low = 16 if kind == "pixels" else 1
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 10_000:
        raise ConfigError(f"{where} must be a whole number from {low} to 10000, got {value!r}")
    return value


def load_render_settings(path: Path | None = None, *, themes: Sequence[str] = ()) -> RenderSettings:
    """Read and validate ``path`` (default: config/render.toml).

    ``themes`` are the theme names ``[render] theme`` may take (unchecked when empty).

    Raises
    ------
    ConfigError
        If the file is missing or not TOML, or a table or key is missing,
        unknown or has a bad value; the message names the file and the key.

    Examples
    --------
    >>> load_render_settings().gif.width > 0
    True
    """
    path = path if path is not None else RENDER_FILE
    data = read_toml(path, "settings file")
    unknown_tables = sorted(set(data) - set(_SPEC) - _OTHER_TABLES)
    if unknown_tables:
        raise ConfigError(f"{path}: unknown table(s) {', '.join(unknown_tables)}")
    values: dict[str, dict[str, object]] = {}
    for table, spec in _SPEC.items():
        section = data.get(table)
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [{table}] table is missing")
        check_keys(path, table, section, spec)
        values[table] = {k: _value(path, f"{table}.{k}", section[k], kind) for k, kind in spec.items()}
    if themes and values["render"]["theme"] not in themes:
        raise ConfigError(
            f"{path}: [render.theme] must be one of {', '.join(themes)}, got {values['render']['theme']!r}"
        )
    return RenderSettings(
        storyboard=StoryboardSettings(**values["storyboard"]),  # type: ignore[arg-type]
        gif=GifSettings(**values["gif"]),  # type: ignore[arg-type]
        **values["render"],  # type: ignore[arg-type]
    )
