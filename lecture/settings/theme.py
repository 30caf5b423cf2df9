"""The lecture's look: colours, fonts, strokes and sizes, loaded from config/themes.toml."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from lecture.settings.configfile import ConfigError, check_keys, read_toml

__all__ = ["THEMES_FILE", "Theme", "get_theme", "load_themes", "theme_names"]

THEMES_FILE = Path(__file__).resolve().parents[2] / "config" / "themes.toml"
DEFAULT_THEME = "dark"
#: Environment variable that picks the theme when a scene runs (the CLI sets it).
THEME_ENV = "LECTURE_THEME"

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Theme:
    """One complete look for the scenes. Colours are ``#RRGGBB`` strings."""

    name: str
    background: str
    text: str
    muted: str
    grid: str
    sigma: str
    derivative: str
    logit: str
    step: str
    highlight: str
    class0: str
    class1: str
    family: tuple[str, ...]
    font: str
    title_size: int
    label_size: int
    small_size: int
    curve_width: float
    axis_width: float
    guide_width: float


def _check_value(path: Path, key: str, value: object, kind: str) -> object:
    where = f"{path}: [{key}"
    if kind == "str" and key.split(".")[-1] == "font":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}] must be a font name")
        return value
    if kind == "str":
        if not isinstance(value, str) or not _HEX.match(value):
            raise ConfigError(f'{where}] must be a colour like "#1F6FB2", got {value!r}')
        return value
    if kind == "tuple[str, ...]":
        if (
            not isinstance(value, list)
            or len(value) < 4
            or not all(isinstance(v, str) and _HEX.match(v) for v in value)
        ):
            raise ConfigError(f"{where}] must be a list of at least 4 colours, got {value!r}")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{where}] must be a positive number, got {value!r}")
    return int(value) if kind == "int" else float(value)


def load_themes(path: Path | None = None) -> dict[str, Theme]:
    """Read and validate every theme in ``path`` (default: config/themes.toml).

    Raises
    ------
    ConfigError
        If the file is missing or not TOML, or a theme lacks a key, has an
        unknown key or a bad value; the message names the file and the key.
    """
    path = path if path is not None else THEMES_FILE
    data = read_toml(path, "theme file")
    spec = {f.name: str(f.type) for f in fields(Theme) if f.name != "name"}
    themes = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table of theme settings")
        check_keys(path, name, table, spec)
        values = {k: _check_value(path, f"{name}.{k}", table[k], kind) for k, kind in spec.items()}
        themes[name] = Theme(name=name, **values)  # type: ignore[arg-type]
    if not themes:
        raise ConfigError(f"{path}: defines no theme")
    return themes


@cache
def _themes() -> dict[str, Theme]:
    return load_themes()


def theme_names() -> list[str]:
    """Names of the themes in config/themes.toml, in file order."""
    return list(_themes())


def get_theme(name: str | None = None) -> Theme:
    """The theme called ``name``, else ``$LECTURE_THEME``, else the dark default."""
    from_env = not name and bool(os.environ.get(THEME_ENV))
    chosen = name or os.environ.get(THEME_ENV) or DEFAULT_THEME
    themes = _themes()
    if chosen not in themes:
        if from_env:  # short, so it stays one line at the end of plain manim's traceback
            raise ConfigError(f"{THEME_ENV}={chosen!r} is not a theme; use one of {', '.join(themes)}")
        raise ConfigError(f"{THEMES_FILE}: no theme {chosen!r}; choose one of {', '.join(themes)}")
    return themes[chosen]
