"""The lecture page: ``page/`` copied beside ``lecture.mp4``, with the lecture's data in ``lecture-data.js``.

The page's HTML, CSS and JavaScript are real files in ``lecture/assemble/page/``;
only the data is made here: chapters, captions, narrated beats and the scenes'
downloads, as one JSON object assigned to ``window.LECTURE`` in a script file.
A script file, not JSON fetched at run time: ``fetch()`` of a local file fails
on ``file://``, a ``<script src>`` does not, so the page works opened from disk
and served over HTTP alike, and it loads nothing from the network.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from lecture.assemble.plan import LecturePlan

__all__ = ["DATA_NAME", "PAGE_FILES", "page_data", "page_data_js", "page_file"]

#: The page's own files, copied as they are.
PAGE_FILES = ("index.html", "page.css", "page.js")
DATA_NAME = "lecture-data.js"


def page_file(name: str) -> bytes:
    """The bytes of one of :data:`PAGE_FILES` (package data of ``lecture.assemble``)."""
    return (resources.files("lecture.assemble") / "page" / name).read_bytes()


def page_data(plan: LecturePlan, *, title: str, folder: Path, fps: float) -> dict[str, Any]:
    """What the page shows, with file links relative to ``folder`` (where index.html goes)."""

    def link(path: Path | None) -> str | None:
        return Path(os.path.relpath(path, folder)).as_posix() if path is not None else None

    return {
        "title": title,
        "theme": plan.theme,
        "label": plan.label,
        "fps": fps,
        "duration": round(plan.duration_s, 6),
        "video": "lecture.mp4",
        "captions": "lecture.vtt",
        "chapters_vtt": "chapters.vtt",
        "poster": "poster.png",
        "transcript": "transcript.md",
        "chapters": [
            {
                "title": c.title,
                "scene": c.scene,
                "start": c.start,
                "end": c.end,
                "mp4": link(clip.video),
                "vtt": link(clip.captions_file),
                "png": link(clip.poster),
            }
            for c, clip in zip(plan.chapters(), plan.clips, strict=True)
        ],
        "cues": [
            {"start": c.start, "end": c.end, "text": " ".join(c.text.split()), "chapter": i}
            for i, c in plan.captions()
        ],
        "beats": [
            {"start": b.start, "end": b.end, "caption": " ".join(b.text.split()), "chapter": i}
            for i, b in plan.beats()
        ],
    }


def page_data_js(data: dict[str, Any]) -> str:
    """``lecture-data.js``: the data as a script (``<`` escaped, so no text can end the script early).

    Examples
    --------
    >>> page_data_js({"title": "</script>"})
    'window.LECTURE = {"title": "\\\\u003c/script>"};\\n'
    """
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f"window.LECTURE = {text};\n"
