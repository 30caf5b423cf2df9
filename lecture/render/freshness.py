"""Is a scene's published output up to date? Then ``render.py`` reports it so instead of rendering.

A render records :func:`inputs_hash` in its manifest entry: one SHA-256 over
everything that decides what the render makes: the scene's module, the
shared scene code, the library, the config files, the options of the job
such as theme, quality, format and voice, the content of the voice's model
and its ``.onnx.json`` (:func:`voice_inputs`), the content of the font files
the theme names (:func:`font_files`), and the versions of every library that
draws, encodes or speaks (:data:`PACKAGES`, the Cairo library, the voice's
package). :func:`up_to_date` compares it with the hash of the inputs as they
are now and checks the published files against their recorded SHA-256, in
the CLI's own process: no worker, no manim import. A big file's SHA-256 (the
60 MB voice model took 0.6 s) is remembered in
``<output-dir>/cache/input-hashes.json`` by its path, size, modification and
change times and inode, so it is read once, not on every check.

Nothing here imports manim.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from lecture.jobs import RenderJob, RenderResult
from lecture.publish.outputs import sha256_file, temp_name
from lecture.publish.transaction import ManifestError, entry_records, read_manifest

__all__ = [
    "PACKAGES",
    "PROJECT_ROOT",
    "font_files",
    "input_files",
    "inputs_hash",
    "up_to_date",
    "voice_inputs",
]

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
#: Packages whose version is part of the inputs: they draw, encode, compute and speak.
PACKAGES = ("manim", "av", "numpy", "pycairo", "manimpango", "piper-tts", "onnxruntime")
#: Files at least this big have their SHA-256 remembered (see the module's docstring).
REMEMBER_BYTES = 1 << 20
#: Where, under an output folder.
HASHES_FILE = Path("cache") / "input-hashes.json"


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


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    return (*((package, _version(package)) for package in PACKAGES), ("cairo", _cairo_version()))


def _cairo_version() -> str:
    """The Cairo library's own version (pycairo's says which one it was built for, not which one runs)."""
    try:
        import cairo
    except Exception:  # ImportError, or OSError from a missing shared library
        return "missing"
    return str(cairo.cairo_version_string())


# --- files by content: the voice model, the fonts ------------------------------------------------
def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


#: This process's SHA-256 of files, by (path, stat key): each is read once per process at most.
_KNOWN: dict[tuple[str, tuple[int, ...]], str] = {}


def _content_sha(path: Path, store: Path | None) -> str:
    """SHA-256 of ``path``'s bytes; a big file's is remembered in ``store`` (a JSON file) by its stat.

    The change time and inode are in the key as well as the size and
    modification time: writing a file changes its change time, and no tool
    sets that back.
    """
    try:
        key = _stat_key(path)
        name = str(path.resolve())
        if (known := _KNOWN.get((name, tuple(key)))) is not None:
            return known
        if key[0] < REMEMBER_BYTES:
            _KNOWN[(name, tuple(key))] = sha = sha256_file(path)
            return sha
    except OSError:
        return "missing"
    stored = _load_hashes(store)
    record = stored.get(name)
    if isinstance(record, dict) and record.get("stat") == key and isinstance(record.get("sha256"), str):
        sha = str(record["sha256"])
    else:
        sha = sha256_file(path)
        if store is not None:
            _save_hashes(store, stored | {name: {"stat": key, "sha256": sha}})
    _KNOWN[(name, tuple(key))] = sha
    return sha


def _load_hashes(store: Path | None) -> dict[str, Any]:
    if store is None:
        return {}
    try:
        found = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return found if isinstance(found, dict) else {}


def _save_hashes(store: Path, hashes: dict[str, Any]) -> None:
    """Best effort, renamed in whole: a lost entry is only a file hashed again.

    Only into a cache folder that exists: a check creates no output folder.
    """
    with contextlib.suppress(OSError):
        if not store.parent.is_dir():
            return
        temporary = temp_name(store)
        try:
            temporary.write_text(json.dumps(hashes, sort_keys=True), encoding="utf-8")
            os.replace(temporary, store)
        finally:
            temporary.unlink(missing_ok=True)


def voice_inputs(spec: str, store: Path | None = None) -> dict[str, Any]:
    """What of the narrator ``spec`` (as on a job: empty for the default) decides what it says.

    The content of its model and of the model's ``.onnx.json`` (sample rate,
    phonemes), and the version of the package a bundled model comes in; the
    synthesis settings are in ``config/render.toml``, an input file already.
    """
    from lecture.settings.configfile import ConfigError
    from lecture.voice.speech import NO_VOICE, VOICE_ENV, load_voice_settings, resolve_model

    try:
        settings = load_voice_settings()
        spec = spec or os.environ.get(VOICE_ENV) or settings.default
        if spec.strip().lower() == NO_VOICE:
            return {"voice": NO_VOICE}
        model = resolve_model(spec, settings)
    except ConfigError as error:  # the render will fail on it too
        return {"voice": spec, "error": str(error)}
    found: dict[str, Any] = {
        "model_sha256": _content_sha(model, store),
        "config_sha256": _content_sha(Path(f"{model}.json"), store),
    }
    target = settings.models.get(spec, "")
    if target.startswith("package:"):
        found["package"] = [target, _version(target.removeprefix("package:"))]
    return found


@functools.cache
def font_files(family: str) -> tuple[Path, ...]:
    """The files of the font ``family`` that Pango draws with, as fontconfig lists them (sorted)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\n", f"{family}:"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({Path(line) for line in listed.splitlines() if line.strip()}))


def _font_inputs(theme: str, store: Path | None) -> dict[str, Any]:
    from lecture.settings.configfile import ConfigError
    from lecture.settings.theme import get_theme

    try:
        family = get_theme(theme).font
    except ConfigError as error:
        return {"error": str(error)}
    return {"family": family, "files": {str(f): _content_sha(f, store) for f in font_files(family)}}


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
    store = job.output_dir / HASHES_FILE if job.mode != "dry-run" else None  # a dry run writes nothing
    content = {"voice": voice_inputs(job.voice, store), "font": _font_inputs(job.theme, store)}
    inputs = {"job": job_inputs(job), "packages": _versions(), "content": content}
    options = json.dumps(inputs, sort_keys=True)
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
