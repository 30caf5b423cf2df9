"""Publishing a render: its files and its manifest entry replace the old ones together, or not at all.

The invariant this module keeps, and the only place that writes the output
folder's files and ``manifest.json``: whenever no render is in the middle of
publishing, every manifest entry's ``size_bytes`` and ``sha256`` match the
file at its path (its poster and captions too), and no two entries describe
the same path.

:class:`Publication` is the transaction. A render stages every file it
makes under a temporary name and adds a :class:`ManifestEntry`; ``commit()``
then, under the output folder's lock:

1. reads the manifest (an unreadable one is kept aside and rebuilt from the
   files present) and writes the new one under a temporary name, so a full
   disk or a manifest that is a folder fails before any file is touched;
2. writes a journal naming every final path, its kept copy and the new
   file's SHA-256;
3. keeps each old file aside (a hard link: the final path never disappears);
4. renames each new file into place;
5. renames the new manifest into place: the commit point;
6. deletes the kept copies and the journal.

Any exception before step 5 (an error, Ctrl-C, SIGTERM) rolls back from the
kept copies; a process killed outright leaves the journal, and the next
render's :func:`sweep_stale` finishes the roll-back (or the clean-up, if the
manifest was already written).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from lecture.publish.outputs import SVG_CACHES, sha256_file, temp_name

__all__ = [
    "MANIFEST_NAME",
    "FileRecord",
    "ManifestEntry",
    "ManifestError",
    "Publication",
    "StepHook",
    "check_manifest",
    "manifest_lock",
    "read_manifest",
    "sweep_stale",
]

MANIFEST_NAME = "manifest.json"
SCHEMA = 2
#: Called after each step of :meth:`Publication.commit` with the step's name (tests inject faults here).
StepHook = Callable[[str], None]

#: Files this tool writes and may sweep: ``.<final name>.<pid>-<8 hex>.tmp`` (a file being written)
#: and ``.kept`` (an old file kept aside during a commit).
_TEMP = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.(tmp|kept)$")
_JOURNAL = re.compile(r"^\.publish\.(\d+)-[0-9a-f]{8}\.journal$")
#: Per-process ManimCE working folders under ``<output-dir>/cache``.
_WORK = re.compile(r"^work-(\d+)-[0-9a-f]{8}$")
#: ManimCE's folder labels, e.g. ``480p15``: the only folders the rebuild and the sweep look in.
_LABEL = re.compile(r"^\d+p\d+$")


class ManifestError(OSError):
    """``manifest.json`` cannot be read or written (it is a folder, or unreadable)."""


# --- the manifest's records -----------------------------------------------------
@dataclass(frozen=True)
class FileRecord:
    """A file as the manifest describes it: path relative to the output folder, size, SHA-256."""

    file: str
    size_bytes: int
    sha256: str

    @classmethod
    def of(cls, path: Path, relative_to: Path, *, contents: Path | None = None) -> FileRecord:
        """Describe ``path``; ``contents`` is where its bytes are now (a staged temporary)."""
        source = contents if contents is not None else path
        return cls(path.relative_to(relative_to).as_posix(), source.stat().st_size, sha256_file(source))


@dataclass(frozen=True)
class ManifestEntry:
    """One rendered output: its main file, how it was made and what a player sees.

    ``poster`` and ``captions`` are the files published beside a video.
    Optional fields are left out of the JSON when they are ``None``.
    """

    file: FileRecord
    scene: str
    kind: str  # video, still or storyboard
    format: str
    quality: str
    label: str
    theme: str
    source_hash: str
    width: int
    height: int
    fps: float
    duration_s: float
    frames: int
    scene_duration_s: float
    rendered_at: str
    codec: str | None = None
    pix_fmt: str | None = None
    poster: FileRecord | None = None
    captions: FileRecord | None = None
    #: :func:`lecture.render.freshness.inputs_hash` when the render started: unchanged inputs, no new render.
    inputs_hash: str | None = None
    #: The narrator (``{"name": "none"}`` when silent; else its name, engine, model hash and settings)
    #: and the audio track's codec (``aac`` in an MP4, ``opus`` in a WebM; absent without sound).
    voice: dict[str, Any] | None = None
    audio_codec: str | None = None
    #: A narrated video's beats, ``{"start", "end", "caption"}`` in seconds (the lecture's slides).
    beats: list[dict[str, Any]] | None = None
    #: More files published with the main one (the assembled lecture's captions, page ...).
    files: tuple[FileRecord, ...] | None = None
    #: What else an output kind records about itself (the lecture: its chapters and its scenes).
    details: dict[str, Any] | None = None

    def records(self) -> list[FileRecord]:
        """Every file this entry describes: the main one first."""
        return [r for r in (self.file, self.poster, self.captions, *(self.files or ())) if r is not None]

    def to_json(self) -> dict[str, Any]:
        """The entry as written in manifest.json (keyed there by ``file``)."""
        data = {k: v for k, v in asdict(self).items() if v is not None}
        data |= {
            "file": self.file.file,
            "size_bytes": self.file.size_bytes,
            "sha256": self.file.sha256,
            "resolution": f"{self.width}x{self.height}",
        }
        return data


def entry_records(entry: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """``(path, sha256)`` of every file a manifest entry (as JSON) describes; sha256 may be unknown.

    Examples
    --------
    >>> entry_records({"file": "a.mp4", "sha256": "1", "poster": {"file": "a.png", "sha256": "2"}})
    [('a.mp4', '1'), ('a.png', '2')]
    """
    found: list[tuple[str, str | None]] = []
    if isinstance(entry.get("file"), str):
        found.append((entry["file"], entry.get("sha256")))
    for field in ("poster", "captions"):
        ref = entry.get(field)
        if isinstance(ref, str):  # schema 1: a bare path, no checksum
            found.append((ref, None))
        elif isinstance(ref, dict) and isinstance(ref.get("file"), str):
            found.append((ref["file"], ref.get("sha256")))
    for ref in entry.get("files") or ():
        if isinstance(ref, dict) and isinstance(ref.get("file"), str):
            found.append((ref["file"], ref.get("sha256")))
    return found


# --- reading and checking ---------------------------------------------------------
def read_manifest(output_dir: Path) -> dict[str, Any]:
    """The manifest's contents; an empty manifest if there is none.

    Raises
    ------
    ManifestError
        If it exists but cannot be read or is not a manifest.
    """
    path = output_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"schema": SCHEMA, "entries": {}}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path} is not valid JSON ({exc})") from None
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        raise ManifestError(f"{path} is not a manifest (no 'entries' table)")
    if not all(isinstance(entry, dict) for entry in data["entries"].values()):
        raise ManifestError(f"{path} is not a manifest (an entry is not a table)")
    return data


def check_manifest(output_dir: Path) -> list[str]:
    """Every way the manifest fails to describe the files on disk; empty when it holds.

    The invariant the tests check after every kind of ending: each entry's
    files (main, poster, captions) exist with the recorded size and SHA-256,
    and no path is described by two entries.
    """
    problems: list[str] = []
    owners: dict[str, str] = {}
    for key, entry in read_manifest(output_dir)["entries"].items():
        if key != entry.get("file"):
            problems.append(f"entry {key!r} is keyed by another file than its own ({entry.get('file')!r})")
        for index, (rel, sha) in enumerate(entry_records(entry)):
            if rel in owners:
                problems.append(f"{rel} is described by both {owners[rel]!r} and {key!r}")
            owners[rel] = key
            path = output_dir / rel
            if not path.is_file():
                problems.append(f"{rel} (in entry {key!r}) does not exist")
                continue
            size = entry.get("size_bytes") if index == 0 else _ref_field(entry, rel, "size_bytes")
            if sha is None or sha != sha256_file(path):
                problems.append(f"{rel} (in entry {key!r}) does not match its sha256")
            if size is not None and size != path.stat().st_size:
                problems.append(f"{rel} (in entry {key!r}) does not match its size")
    return problems


def _ref_field(entry: Mapping[str, Any], rel: str, name: str) -> Any:
    for field in ("poster", "captions"):
        ref = entry.get(field)
        if isinstance(ref, dict) and ref.get("file") == rel:
            return ref.get(name)
    for ref in entry.get("files") or ():
        if isinstance(ref, dict) and ref.get("file") == rel:
            return ref.get(name)
    return None


# --- the lock ---------------------------------------------------------------------
@contextlib.contextmanager
def manifest_lock(output_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for a read-modify-write of its files and manifest.

    The lock is the folder itself (``flock`` on a directory descriptor):
    nothing is created, so there is no lock file a planted symlink could
    redirect.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: renames are still atomic
        yield
        return
    descriptor = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


# --- the transaction --------------------------------------------------------------
@dataclass
class _Move:
    """One final path of a commit: the new file's temporary, the old file's kept copy."""

    final: Path
    temp: Path
    sha256: str
    kept: Path | None  # None when there was no old file

    def to_json(self, root: Path) -> dict[str, Any]:
        kept = self.kept.relative_to(root).as_posix() if self.kept else None
        return {"final": self.final.relative_to(root).as_posix(), "kept": kept, "sha256": self.sha256}


class Publication:
    """A render's files and manifest entries, committed together or not at all (see the module doc).

    Use as a context manager: leaving the block without committing deletes
    every staged temporary and leaves the output folder as it was.

    Parameters
    ----------
    output_dir
        The output folder: the manifest and every final path are inside it.
    on_step
        Called with each step's name after the step is done; an exception it
        raises is handled like one from the step itself (fault injection).
    """

    def __init__(self, output_dir: Path, *, on_step: StepHook | None = None) -> None:
        self.output_dir = output_dir
        self.on_step = on_step
        self.entries: list[ManifestEntry] = []
        #: One-line notes for the user, e.g. that an unreadable manifest was set aside.
        self.notes: list[str] = []
        self._staged: dict[Path, Path] = {}

    # staging
    def stage(self, final: Path) -> Path:
        """Reserve ``final`` (inside the output folder) and return the temporary path to write it to."""
        if not final.is_relative_to(self.output_dir):
            raise ValueError(f"{final} is outside the output folder {self.output_dir}")
        final.parent.mkdir(parents=True, exist_ok=True)
        self._staged[final] = temp_name(final)
        return self._staged[final]

    def staged(self, final: Path) -> Path:
        """The temporary path already reserved for ``final``."""
        return self._staged[final]

    def record(self, final: Path) -> FileRecord:
        """Describe the staged file for ``final`` as the manifest will."""
        return FileRecord.of(final, self.output_dir, contents=self._staged[final])

    def add(self, entry: ManifestEntry) -> None:
        """Publish ``entry`` with the files; each file it names must be staged."""
        for record in entry.records():
            if self.output_dir / record.file not in self._staged:
                raise ValueError(f"{record.file} is in the entry but was not staged")
        self.entries.append(entry)

    def discard(self) -> None:
        """Delete every staged temporary."""
        for temp in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()

    def __enter__(self) -> Publication:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.discard()

    # committing
    def _step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name)

    def commit(self) -> list[Path]:
        """Replace the final files and merge the entries into the manifest, all or nothing.

        Returns the final paths, in the order they were staged.

        Raises
        ------
        ManifestError
            If the manifest cannot be read or written; nothing was replaced.
        OSError
            If a file cannot be renamed into place (a full disk, a folder in
            the way); everything was rolled back.
        """
        try:
            return self._commit()
        finally:
            self.discard()  # a failed commit is over too: its temporaries go

    def _commit(self) -> list[Path]:
        for final, temp in self._staged.items():
            if not temp.is_file():
                raise FileNotFoundError(f"nothing was written for {final}")
            if final.is_dir() and not final.is_symlink():
                raise IsADirectoryError(f"cannot publish {final}: a folder is in the way")
        manifest_path = self.output_dir / MANIFEST_NAME
        with manifest_lock(self.output_dir):
            self._step("lock")
            entries = self._load_entries()
            self._step("read manifest")
            moves = [
                _Move(final, temp, sha256_file(temp), _kept_name(final) if os.path.lexists(final) else None)
                for final, temp in self._staged.items()
            ]
            new_manifest = temp_name(manifest_path)
            journal = self.output_dir / f".publish.{os.getpid()}-{secrets.token_hex(4)}.journal"
            try:
                text = _manifest_text(_merge(entries, self.entries))
                new_manifest.write_text(text, encoding="utf-8")
                self._step("stage manifest")
                _write_atomically(journal, json.dumps([m.to_json(self.output_dir) for m in moves]))
                self._step("journal")
                for move in moves:
                    if move.kept is not None:
                        _keep(move.final, move.kept)
                        self._step(f"keep {move.final.name}")
                for move in moves:
                    os.replace(move.temp, move.final)
                    self._step(f"rename {move.final.name}")
                os.replace(new_manifest, manifest_path)
            except BaseException:
                _roll_back(moves)
                new_manifest.unlink(missing_ok=True)
                journal.unlink(missing_ok=True)
                raise
            # Committed: from here on nothing is rolled back, and the clean-up runs whatever happens.
            try:
                self._step("write manifest")
            finally:
                for move in moves:
                    if move.kept is not None:
                        move.kept.unlink(missing_ok=True)
                journal.unlink(missing_ok=True)
            self._step("clean up")
        return [move.final for move in moves]

    def _load_entries(self) -> dict[str, Any]:
        """The manifest's entries; an unreadable manifest is kept aside and rebuilt from the files."""
        path = self.output_dir / MANIFEST_NAME
        if os.path.lexists(path) and not path.is_file():
            raise ManifestError(f"cannot write {path}: it is not a file")
        try:
            return dict(read_manifest(self.output_dir)["entries"])
        except ManifestError as error:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = path.with_name(f"{MANIFEST_NAME}.corrupt-{stamp}")
            while aside.exists():
                aside = aside.with_name(f"{aside.name}-{secrets.token_hex(2)}")
            # A second name, not a move: until the commit point replaces it, manifest.json stays as it was.
            _keep(path, aside)
            entries = rebuild_entries(self.output_dir)
            self.notes.append(
                f"{error}; kept it as {aside.name} and rebuilt {len(entries)} entries from the files present"
            )
            return entries


def _kept_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}-{secrets.token_hex(4)}.kept")


def _keep(final: Path, kept: Path) -> None:
    """Keep the old ``final`` as ``kept``: a second name for the same file, else a copy."""
    try:
        os.link(final, kept, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(final, kept, follow_symlinks=False)


def _roll_back(moves: Sequence[_Move]) -> None:
    """Put every old file back from its kept copy; remove new files that had no old one.

    A move counts as done when its temporary is gone (``os.replace`` is
    atomic), so an interrupt between the rename and any bookkeeping cannot
    mislead the roll-back.
    """
    for move in reversed(moves):
        renamed = not os.path.lexists(move.temp)
        if renamed and move.kept is not None and os.path.lexists(move.kept):
            os.replace(move.kept, move.final)
        elif renamed and move.kept is None:
            move.final.unlink(missing_ok=True)
        elif move.kept is not None:
            move.kept.unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    temp = temp_name(path)
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _merge(entries: dict[str, Any], new: Sequence[ManifestEntry]) -> dict[str, Any]:
    """``entries`` with ``new`` merged in: each path is described by one entry, the newest.

    An older entry whose own file is rewritten goes; one whose poster or
    captions are rewritten by another output loses that reference (the file
    now belongs to the newer entry).
    """
    written = {record.file for entry in new for record in entry.records()}
    merged: dict[str, Any] = {}
    for key, old in entries.items():
        if key in written or old.get("file") in written:
            continue
        kept = dict(old)
        for field in ("poster", "captions"):
            ref = old.get(field)
            path = ref if isinstance(ref, str) else ref.get("file") if isinstance(ref, dict) else None
            if path in written:
                del kept[field]
        merged[key] = kept
    for entry in new:
        merged[entry.file.file] = entry.to_json()
    return dict(sorted(merged.items()))


def _manifest_text(entries: dict[str, Any]) -> str:
    return json.dumps({"schema": SCHEMA, "entries": entries}, indent=2, ensure_ascii=False) + "\n"


# --- rebuilding an unreadable manifest ----------------------------------------------
_VIDEO_FORMATS = ("mp4", "webm", "gif")


def rebuild_entries(output_dir: Path) -> dict[str, Any]:
    """Manifest entries for the outputs found in ``output_dir``'s label folders (``480p15/`` ...).

    What a file tells by itself: its path, size and SHA-256, kind and
    format (from its name), poster and captions beside a video. What only
    the render knew (theme, source hash, duration) is not guessed; the
    entries say ``"rebuilt": true``.
    """
    entries: dict[str, Any] = {}
    for folder in sorted(output_dir.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or not _LABEL.match(folder.name):
            continue
        files = {p.name: p for p in folder.iterdir() if p.is_file() and not p.is_symlink()}
        claimed: set[str] = set()
        for name in sorted(files):
            stem, _, ext = name.rpartition(".")
            if ext in _VIDEO_FORMATS:
                entry = _rebuilt(output_dir, files[name], stem, "video", ext, folder.name)
                for field, sibling in (("poster", f"{stem}.png"), ("captions", f"{stem}.vtt")):
                    gif_captions = ext == "gif" and field == "captions"  # a GIF cannot carry captions
                    if sibling in files and sibling not in claimed and not gif_captions:
                        entry[field] = asdict(FileRecord.of(files[sibling], output_dir))
                        claimed.add(sibling)
                entries[entry["file"]] = entry
        for name in sorted(files):
            if name in claimed or not name.endswith(".png"):
                continue
            storyboard = name.endswith(".storyboard.png")
            stem = name.removesuffix(".storyboard.png" if storyboard else ".png")
            entry = _rebuilt(output_dir, files[name], stem, "storyboard" if storyboard else "still", "png",
                             folder.name)
            entries[entry["file"]] = entry
    return dict(sorted(entries.items()))


def _rebuilt(output_dir: Path, path: Path, scene: str, kind: str, fmt: str, label: str) -> dict[str, Any]:
    record = FileRecord.of(path, output_dir)
    return {"file": record.file, "scene": scene, "kind": kind, "format": fmt, "label": label,
            "size_bytes": record.size_bytes, "sha256": record.sha256, "rebuilt": True}


# --- leftovers ----------------------------------------------------------------------
def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie, killed but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2] != "Z"
    return True


def _real_dir(path: Path) -> bool:
    """A folder, not a symlink to one: the sweep never follows links out of the output folder."""
    return not path.is_symlink() and path.is_dir()


def sweep_stale(output_dir: Path) -> list[Path]:
    """Finish the commits of killed renders, then delete their temporaries and working folders.

    Only leftovers whose process no longer exists are touched, so renders
    running right now are never disturbed; only names this tool gives its
    own files match, and symlinked folders are not followed. Returns what was
    removed.
    """
    removed: list[Path] = []
    if not output_dir.is_dir():
        return removed
    with manifest_lock(output_dir):
        for journal in output_dir.iterdir():
            match = _JOURNAL.match(journal.name)
            if match and journal.is_file() and not journal.is_symlink() and not pid_alive(int(match[1])):
                _recover(output_dir, journal)
                removed.append(journal)
    cache = output_dir / "cache"
    folders = [output_dir, *(p for p in output_dir.iterdir() if _real_dir(p))]
    lectures = output_dir / "lecture"  # the assembled lecture's label folders (lecture.assemble)
    if _real_dir(lectures):
        folders += [p for p in lectures.iterdir() if _real_dir(p) and _LABEL.match(p.name)]
    folders += [cache / name for name in SVG_CACHES if _real_dir(cache) and _real_dir(cache / name)]
    for folder in folders:
        for path in folder.iterdir():
            match = _TEMP.match(path.name)
            if match and not path.is_symlink() and path.is_file() and not pid_alive(int(match[1])):
                path.unlink(missing_ok=True)
                removed.append(path)
    if _real_dir(cache):
        for path in cache.iterdir():
            match = _WORK.match(path.name)
            if match and _real_dir(path) and not pid_alive(int(match[1])):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _recover(output_dir: Path, journal: Path) -> None:
    """Finish a killed render's commit: keep each new file the manifest describes, roll back the rest."""
    try:
        moves = json.loads(journal.read_text(encoding="utf-8"))
        entries = read_manifest(output_dir)["entries"].values()
        described = {record for entry in entries for record in entry_records(entry)}
    except (OSError, ValueError):
        return  # unreadable: leave it rather than guess
    for move in moves:
        final = output_dir / move["final"]
        kept = output_dir / move["kept"] if move["kept"] else None
        ours = final.is_file() and not final.is_symlink() and sha256_file(final) == move["sha256"]
        if ours and (move["final"], move["sha256"]) not in described:
            if kept is not None and kept.exists():
                os.replace(kept, final)
            else:
                final.unlink()
        if kept is not None:
            kept.unlink(missing_ok=True)
    journal.unlink()
