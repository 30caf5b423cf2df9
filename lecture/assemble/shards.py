"""Bring the scenes rendered on other machines (``--shard I/N``) into one output folder.

Each shard's output folder has its own ``manifest.json``, so copying the
folders on top of each other would keep only the last manifest. Instead,
:func:`gather_shards` reads each shard folder's manifest and publishes every
scene video it describes (the MP4, poster and captions, checked against
their SHA-256 first) into the output folder with its manifest entry, all in
one :class:`~lecture.publish.transaction.Publication`: the output folder
then describes every shard's scenes, as if they had been rendered there.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lecture.assemble.plan import AssemblyError
from lecture.publish.outputs import sha256_file
from lecture.publish.transaction import (
    FileRecord,
    ManifestEntry,
    ManifestError,
    Publication,
    entry_records,
    read_manifest,
)

__all__ = ["entry_from_json", "gather_shards"]

_FIELDS = {f.name for f in dataclasses.fields(ManifestEntry)}


def entry_from_json(data: dict[str, Any]) -> ManifestEntry:
    """The :class:`ManifestEntry` a manifest's JSON entry was written from (unknown keys are dropped)."""
    fields = {k: v for k, v in data.items() if k in _FIELDS}
    fields["file"] = FileRecord(data["file"], int(data["size_bytes"]), str(data["sha256"]))
    for name in ("poster", "captions"):
        if isinstance(data.get(name), dict):
            fields[name] = FileRecord(**data[name])
    if data.get("files"):
        fields["files"] = tuple(FileRecord(**ref) for ref in data["files"])
    return ManifestEntry(**fields)


def gather_shards(output_dir: Path, shard_dirs: Sequence[Path]) -> list[str]:
    """Publish the scene videos of ``shard_dirs`` into ``output_dir``; return the scenes brought in.

    A scene found in several shards comes from the last one given.

    Raises
    ------
    AssemblyError
        If a shard folder has no readable manifest, or a file there does not match it.
    """
    chosen: dict[str, tuple[Path, dict[str, Any]]] = {}
    for shard in shard_dirs:
        try:
            entries = read_manifest(shard)["entries"]
        except ManifestError as error:
            raise AssemblyError(f"shard folder {shard}: {error}") from None
        if not (shard / "manifest.json").is_file():
            raise AssemblyError(f"shard folder {shard} has no manifest.json: give the folder render.py wrote")
        for entry in entries.values():
            if entry.get("kind") != "video" or entry.get("rebuilt"):
                continue
            for rel, sha in entry_records(entry):
                if sha is None or not (shard / rel).is_file() or sha256_file(shard / rel) != sha:
                    raise AssemblyError(
                        f"shard folder {shard}: {rel} is missing or does not match the manifest"
                    )
            chosen[entry["file"]] = (shard, entry)
    if not chosen:
        return []
    with Publication(output_dir) as publication:
        for shard, entry in chosen.values():
            for rel, _ in entry_records(entry):
                shutil.copyfile(shard / rel, publication.stage(output_dir / rel))
            publication.add(entry_from_json(entry))
        publication.commit()
    return sorted({str(entry.get("scene")) for _, entry in chosen.values()})
