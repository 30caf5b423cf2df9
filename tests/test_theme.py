"""config/themes.toml: both shipped themes load, and every mistake names the file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lecture.settings.configfile import ConfigError
from lecture.settings.theme import THEMES_FILE, get_theme, load_themes, theme_names


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
        ('"#5C96CC", "#75AAD9"]', "]", r"\[dark\.family\] must be a list of at least 4 colours"),
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


# --- contrast --------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#RRGGBB`` colour (sRGB, linearised)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_ratio_matches_wcags_reference_points():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near-miss
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1


#: Every colour the scenes also set words or numbers in (labels, read-outs, legends).
TEXT_COLOURS = ("text", "muted", "sigma", "derivative", "logit", "step", "highlight", "class0", "class1")


@pytest.mark.parametrize("name", ["dark", "light"])
@pytest.mark.parametrize("key", TEXT_COLOURS)
def test_text_colours_reach_4_5_to_1(name: str, key: str):
    theme = load_themes()[name]
    ratio = contrast_ratio(getattr(theme, key), theme.background)
    assert ratio >= 4.5, f"[{name}.{key}] {getattr(theme, key)} is {ratio:.2f}:1 on {theme.background}"


@pytest.mark.parametrize("name", ["dark", "light"])
def test_family_curves_reach_3_to_1_graded_and_below_the_live_curve(name: str):
    theme = load_themes()[name]
    ratios = [contrast_ratio(c, theme.background) for c in theme.family]
    assert min(ratios) >= 3, f"[{name}.family] {ratios}"  # WCAG 1.4.11, graphics
    assert ratios == sorted(ratios), "faint to bright as k grows"
    assert contrast_ratio(theme.sigma, theme.background) > max(ratios), (
        "the live σ curve dominates its copies"
    )


@pytest.mark.parametrize("name", ["dark", "light"])
def test_grid_is_the_only_faint_colour_and_stays_visible(name: str):
    # The faint guide lines are meant to recede, but not vanish
    theme = load_themes()[name]
    assert 1.2 <= contrast_ratio(theme.grid, theme.background) < 3
