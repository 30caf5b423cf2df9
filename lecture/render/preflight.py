"""Checks before anything renders: what ManimCE needs, the theme's font, a writable output folder.

Each returns an empty string or list when all is well, else a one-line reason
for the CLI to print; nothing here imports manim at module level, so the CLI
stays fast.
"""

from __future__ import annotations

import difflib
import importlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from lecture.publish.outputs import temp_name
from lecture.settings.theme import THEMES_FILE, Theme

__all__ = ["check_output_dir", "missing_font", "missing_requirements"]


def _importable(module: str) -> str:
    """Empty if ``module`` imports, else why it does not."""
    try:
        importlib.import_module(module)
    except Exception as exc:  # an ImportError, or OSError from a missing shared library
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return ""


def missing_requirements(
    which: Callable[[str], str | None] = shutil.which,
    importable: Callable[[str], str] = _importable,
) -> list[str]:
    """What ManimCE needs that this machine lacks: LaTeX, dvisvgm, Cairo, Pango.

    Empty when everything is there. ``which`` and ``importable`` are the
    lookups (parameters so tests can fake a bare machine).
    """
    missing = []
    if which("latex") is None:
        missing.append("LaTeX (no `latex` on PATH)")
    if which("dvisvgm") is None:
        missing.append("dvisvgm (no `dvisvgm` on PATH)")
    for module, library in (("cairo", "Cairo"), ("manimpango", "Pango")):
        reason = importable(module)
        if reason:
            missing.append(f"{library} (`import {module}` failed: {reason})")
    return missing


def missing_font(theme: Theme, installed: Callable[[], Sequence[str]] | None = None) -> str:
    """Empty if ``theme``'s font is installed, else a one-line reason naming the closest installed ones.

    Without it Pango silently substitutes another font and ManimCE prints a
    multi-line warning for every text. ``installed`` lists the font families
    (default: Pango's, through ManimPango).
    """
    if installed is None:
        import manimpango  # type: ignore[import-untyped]

        installed = manimpango.list_fonts
    fonts = list(installed())
    if theme.font in fonts:
        return ""
    by_lower = {font.lower(): font for font in fonts}
    close = [by_lower[f] for f in difflib.get_close_matches(theme.font.lower(), by_lower, n=3, cutoff=0.3)]
    hint = f"; closest installed: {', '.join(close)}" if close else ""
    return (
        f"theme {theme.name!r} uses the font {theme.font!r}, which is not installed{hint}. "
        f"Install it, or change [{theme.name}.font] in {THEMES_FILE.name}."
    )


def check_output_dir(output_dir: Path) -> str:
    """Empty if files can be written in ``output_dir`` (created if need be), else why not."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        probe = temp_name(output_dir / "write-test")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""
