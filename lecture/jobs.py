"""What a render is asked to do and how it went: plain, picklable records, no behaviour.

They cross process boundaries (a worker gets a :class:`RenderJob` and sends
back a :class:`RenderResult`), so they hold only data; the modules that act on
them (:mod:`lecture.render.pipeline`, :mod:`lecture.publish.finishers`, :mod:`lecture.render.workers`)
all import them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lecture.settings.render_config import QUALITIES, GifSettings, Quality, StoryboardSettings

__all__ = ["Mode", "RenderJob", "RenderResult"]

Mode = Literal["video", "still", "storyboard", "dry-run"]


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker process needs to render one scene (picklable)."""

    scene: str
    module: str
    quality: Quality
    format: str
    theme: str
    output_dir: Path
    mode: Mode = "video"
    verbosity: str = "WARNING"
    gif: GifSettings = field(default_factory=lambda: GifSettings(quality=QUALITIES["m"], width=720, fps=15))
    storyboard: StoryboardSettings | None = None
    #: Render every frame afresh: neither the up-to-date check nor the kept segments are used.
    force: bool = False
    #: The narrator: a voice named in config/render.toml, a path to a Piper model, or ``none``
    #: (silent); empty for the config's default.
    voice: str = ""
    #: Processes that render this scene's animations between them (lecture.render.split); 1: just this one.
    #: The video is the same either way.
    processes: int = 1


@dataclass(frozen=True)
class RenderResult:
    """How one scene's render went; ``files`` are final paths, poster and captions included.

    ``warnings`` are one-line notes for the user about things the render
    repaired on its way (e.g. an unreadable manifest set aside).
    """

    scene: str
    ok: bool
    files: tuple[Path, ...] = ()
    duration_s: float = 0.0
    frames: int = 0
    size_bytes: int = 0
    render_s: float = 0.0
    plays: int = 0
    error: str = ""
    detail: str = ""
    interrupted: bool = False
    warnings: tuple[str, ...] = ()
    #: Nothing was rendered: the published files already were this result (see lecture.render.freshness).
    up_to_date: bool = False
