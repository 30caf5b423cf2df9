"""The shared LaTeX/Text SVG cache under ``<output-dir>/cache``: only whole SVGs go in or come out.

Each render works in a private folder; the cache's valid SVGs are linked in
before ManimCE runs (:func:`link_svgs`) and the new valid ones published back
after (:func:`publish_svgs`), each renamed in whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from lecture.publish.outputs import Staging, link_or_copy

__all__ = ["link_svgs", "publish_svgs", "valid_svg"]


def valid_svg(path: Path) -> bool:
    """Whether ``path`` is a whole SVG: not empty, and ending with its closing tag.

    A disk that fills up while LaTeX or Pango writes leaves an empty or
    truncated file, which ManimCE then fails to parse on every later render.
    """
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64))
            tail = f.read()
    except OSError:
        return False
    return size > 0 and tail.rstrip().endswith(b"</svg>")


def link_svgs(source: Path, target: Path) -> None:
    """Make the shared cache's valid SVGs visible in a working folder (hard links, else copies).

    An invalid one is left out, so ManimCE makes it again (and
    :func:`publish_svgs` then replaces the bad copy).
    """
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir() or source.is_symlink():
        return
    for svg in source.glob("*.svg"):
        if svg.is_symlink() or not valid_svg(svg):
            continue
        with contextlib.suppress(OSError):
            link_or_copy(svg, target / svg.name)


def publish_svgs(source: Path, target: Path) -> None:
    """Add a working folder's new, valid SVGs to the shared cache, each renamed in whole (best effort)."""
    if not source.is_dir():
        return
    for svg in source.glob("*.svg"):
        final = target / svg.name
        if (final.exists() and valid_svg(final)) or not valid_svg(svg):
            continue
        with contextlib.suppress(OSError), Staging() as staging:
            shutil.copyfile(svg, staging.stage(final))
            if valid_svg(staging.stage_path(final)):  # a disk that filled up while copying
                staging.commit()
