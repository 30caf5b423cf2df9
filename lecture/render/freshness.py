"""Is a scene's published output up to date? Then ``render.py`` reports it so instead of rendering.

A render records :func:`inputs_hash` in its manifest entry: one SHA-256 over
everything that decides what the render makes (the scene's module, the
shared scene code, the library, the config files, the options of the job
such as theme, quality, format and voice, and the versions of ManimCE, PyAV
and numpy). :func:`up_to_date` compares it with the hash of the inputs as
they are now and checks the published files against their recorded SHA-256,
in the CLI's own process: no worker, no manim import, a few milliseconds.

Nothing here imports manim.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path
from typing import Any

from lecture.jobs import RenderJob, RenderResult
from lecture.publish.outputs import sha256_file
from lecture.publish.transaction import ManifestError, entry_records, read_manifest

__all__ = ["PROJECT_ROOT", "input_files", "inputs_hash", "up_to_date"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Files under ``lecture/`` and ``config/`` that cannot change what a render makes.
NOT_INPUTS = frozenset(
    {
        "lecture/publish/report.py",
        "lecture/preview/watch.py",
        "lecture/preview/preview.html",
        "config/manim.cfg",
    }
)
#: Folders under ``lecture/`` whose files cannot change what a scene's render makes: the lecture's
#: assembly (it joins renders after the fact and has its own up-to-date check).
NOT_INPUT_FOLDERS = ("lecture/assemble/",)
#: Packages whose version is part of the inputs: they draw, encode and compute.
PACKAGES = ("manim", "av", "numpy")


def input_files(module: str, root: Path = PROJECT_ROOT) -> list[Path]:
    """The files a render of ``module``'s scene reads: its module, ``scenes/common.py``, the library, config.

    Other scene modules are not inputs (a scene imports only ``scenes.common``
    and ``lecture``), so editing one scene leaves the others up to date.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {module!r}")
    files = [Path(spec.origin), root / "scenes" / "common.py"]
    files += sorted((root / "lecture").rglob("*.py")) + sorted((root / "config").glob("*.toml"))
    return [
        f
        for f in dict.fromkeys(files)
        if _relative(f, root) not in NOT_INPUTS and not _relative(f, root).startswith(NOT_INPUT_FOLDERS)
    ]


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    found = []
    for package in PACKAGES:
        try:
            found.append((package, importlib.metadata.version(package)))
        except importlib.metadata.PackageNotFoundError:
            found.append((package, "missing"))
    return tuple(found)


def job_inputs(job: RenderJob) -> dict[str, Any]:
    """The options of ``job`` that decide what it makes (not where it goes, nor how much it prints)."""
    quality = job.quality
    inputs: dict[str, Any] = {
        "scene": job.scene,
        "module": job.module,
        "quality": [quality.label, quality.pixel_width, quality.pixel_height, quality.frame_rate],
        "format": job.format,
        "theme": job.theme,
        "mode": job.mode,
        # The narration's voice changes its timing and its audio track (None until there is one).
        "voice": _plain(getattr(job, "voice", None)),
    }
    if job.mode == "video" and job.format == "gif":
        inputs["gif"] = _plain(job.gif)
    if job.mode == "storyboard":
        inputs["storyboard"] = _plain(job.storyboard)
    return inputs


def _plain(value: Any) -> Any:
    """``value`` as JSON-able data (dataclasses by their fields, anything else by its repr)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return repr(value)


def inputs_hash(job: RenderJob, root: Path = PROJECT_ROOT) -> str:
    """SHA-256 of everything that decides what rendering ``job`` makes."""
    digest = hashlib.sha256()
    options = json.dumps({"job": job_inputs(job), "packages": _versions()}, sort_keys=True)
    digest.update(options.encode())
    for path in input_files(job.module, root):
        digest.update(f"\0{_relative(path, root)}\0".encode())
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _kind(job: RenderJob) -> str:
    return {"video": "video", "still": "still", "storyboard": "storyboard"}.get(job.mode, "")


def up_to_date(job: RenderJob) -> RenderResult | None:
    """The result of rendering ``job`` if its published files already are that result, else ``None``.

    Up to date means: the manifest has this scene's entry for the job's
    quality and output kind (and format, for a video), the entry's
    ``inputs_hash`` is :func:`inputs_hash` of the job now, and every file it
    describes (poster and captions included) is on disk with its recorded
    SHA-256. A dry run is never up to date.
    """
    kind = _kind(job)
    if not kind:
        return None
    try:
        entries = read_manifest(job.output_dir)["entries"]
    except ManifestError:
        return None
    entry = next(
        (
            e
            for e in entries.values()
            if e.get("scene") == job.scene
            and e.get("label") == job.quality.label
            and e.get("kind") == kind
            and (kind != "video" or e.get("format") == job.format)
        ),
        None,
    )
    if entry is None or not entry.get("inputs_hash") or entry["inputs_hash"] != inputs_hash(job):
        return None
    files = []
    for relative, sha in entry_records(entry):
        path = job.output_dir / relative
        if sha is None or not path.is_file() or sha256_file(path) != sha:
            return None
        files.append(path)
    return RenderResult(
        job.scene,
        ok=True,
        files=tuple(files),
        duration_s=float(entry.get("scene_duration_s" if kind == "still" else "duration_s", 0.0)),
        frames=int(entry.get("frames", 0)),
        size_bytes=int(entry.get("size_bytes", 0)),
        up_to_date=True,
    )


#: Files besides the scene's own module that decide what a scene looks like.
_SHARED_SOURCES = (
    "scenes/common.py",
    "lecture/numerics.py",
    "lecture/settings/theme.py",
    "config/themes.toml",
    # What the narrator says and how it sounds (the voice itself is recorded in the manifest).
    "lecture/voice/speech.py",
    "lecture/voice/pronunciation.py",
    "config/pronunciation.toml",
)


def source_hash(module: str) -> str:
    """SHA-256 of the scene's module and the shared code and config it draws with."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {module!r}")
    digest = hashlib.sha256()
    for path in (Path(spec.origin), *(PROJECT_ROOT / p for p in _SHARED_SOURCES)):
        name = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()
