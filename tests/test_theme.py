"""config/themes.toml: both shipped themes load, and every mistake names the file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lecture.configfile import ConfigError
from lecture.theme import THEMES_FILE, get_theme, load_themes, theme_names


def test_shipped_themes_are_dark_then_light_and_complete():
    themes = load_themes()
    assert list(themes) == ["dark", "light"] == theme_names()
    assert themes["light"].background == "#FFFFFF"
    for theme in themes.values():
        assert len(theme.family) == 4  # one colour per k the chapter draws: 0.5, 1, 2, 5
        assert theme.small_size < theme.label_size < theme.title_size


def test_theme_comes_from_the_environment_unless_named(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LECTURE_THEME", raising=False)
    assert get_theme().name == "dark"
    monkeypatch.setenv("LECTURE_THEME", "light")
    assert get_theme().name == "light"
    assert get_theme("dark").name == "dark"


def test_unknown_theme_lists_the_choices():
    with pytest.raises(ConfigError, match=r"no theme 'sepia'; choose one of dark, light"):
        get_theme("sepia")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = THEMES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "themes.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('sigma = "#58C4DD"', 'sigma = "blue"', r"\[dark\.sigma\] must be a colour like"),
        ('sigma = "#58C4DD"', "", r"\[dark\] is missing sigma"),
        ('sigma = "#58C4DD"', 'sigma = "#58C4DD"\nsigmaa = "#5"', r"\[dark\] has unknown key\(s\) sigmaa"),
        ("curve_width = 5", "curve_width = -5", r"\[dark\.curve_width\] must be a positive number"),
        ('"#5B9BD5", "#9DC3E6"]', "]", r"\[dark\.family\] must be a list of at least 4 colours"),
        ("[dark]", "[dark", r"not valid TOML"),
    ],
)
def test_bad_theme_file_names_file_and_key(tmp_path: Path, old: str, new: str, message: str):
    path = edited(tmp_path, old, new)
    with pytest.raises(ConfigError, match=re.escape(str(path)) + ".*" + message):
        load_themes(path)


def test_missing_theme_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="theme file not found"):
        load_themes(tmp_path / "nope.toml")
