"""How much of a scene one edited caption makes render.py render again, and why.

    python bench/edit_locality.py [--scenes A,B] [-q l] [--edits first,middle,last] [--explain]

For each scene, in a temporary copy of the project (so a scene file can be
edited without touching yours), it renders the scene with the render cache
empty, then, for each edit position, adds one word to one caption with
``bench_render.edit_one_caption`` (the benchmark's own edit: ``middle`` is
exactly what ``bench/bench_render.py`` times; ``first`` and ``last`` apply it
to the first or last ``narrate(...)`` caption), renders again with the kept
segments, and puts the file back. Each render runs
``lecture.render.pipeline.render_scene`` in a child process that records, for every
play, its segment hash and the narrated beat it belongs to. A play whose
segment was not in the cache before the render was rendered again; frames
are counted in its segment file with PyAV.

It prints a Markdown table: per scene and edit, the plays rendered again out
of all plays, their share of the frames, their play numbers, and the beats
they belong to (``b7`` is the seventh narrated beat; ``*`` marks the edited
one). Ideally only the edited beat is rendered again: a beat that runs longer
shifts the scene clock of everything after it, and nothing drawn should
depend on that clock.

``--explain`` also records what each play's hash was made of and, for the
first plays rendered again outside the edited beat, prints what differed
from the unedited render: which animation or mobject on screen, which
attribute of which family member, or its updaters' closed-over values.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_render import CAPTION, PROJECT_PARTS, edit_one_caption, frame_count  # noqa: E402

EDITS = ("first", "middle", "last")
BEFORE_NARRATION = -1


# --- the child: one render, every play recorded --------------------------------------------------
def child(spec_file: Path) -> None:
    """Render one scene in this process (the project copy's code) and write what every play was."""
    spec = json.loads(spec_file.read_text())
    sys.path.insert(0, str(Path.cwd()))
    from manim.renderer import cairo_renderer

    from lecture.jobs import RenderJob
    from lecture.render.pipeline import render_scene
    from lecture.settings.render_config import quality
    from scenes import SCENES

    plays: list[dict[str, Any]] = []
    blobs: dict[str, Any] = {}
    original = cairo_renderer.get_hash_from_play_call

    def recording(scene: Any, camera: Any, animations: Any, mobjects: Any, **kwargs: Any) -> str:
        key = original(scene, camera, animations, mobjects, **kwargs)
        beats = getattr(scene, "beats", [])
        play: dict[str, Any] = {
            "hash": key,
            "time": float(scene.renderer.time),
            "beat": len(beats) - 1 if beats else BEFORE_NARRATION,
            "caption": beats[-1].caption if beats else "",
            "what": ", ".join(sorted(_describe(a) for a in animations)),
        }
        if spec["explain"]:
            play["parts"] = _parts(scene, animations, mobjects, blobs)
        plays.append(play)
        return key

    cairo_renderer.get_hash_from_play_call = recording
    job = RenderJob(
        scene=spec["scene"],
        module=SCENES[spec["scene"]].module,
        quality=quality(spec["quality"]),
        format="mp4",
        theme=spec["theme"],
        output_dir=Path(spec["output_dir"]),
        force=spec["force"],
        voice=spec["voice"],
    )
    try:
        result = render_scene(job)
    finally:
        cairo_renderer.get_hash_from_play_call = original
    out = {"ok": result.ok, "error": result.error, "detail": result.detail, "plays": plays, "blobs": blobs}
    Path(spec["result"]).write_text(json.dumps(out))


def _describe(animation: Any) -> str:
    mobject = getattr(animation, "mobject", None)
    name = type(animation).__name__
    if name == "Wait":
        return f"Wait({animation.duration:.2f})"
    return f"{name}({type(mobject).__name__})" if mobject is not None else name


def _parts(scene: Any, animations: Any, mobjects: Any, blobs: dict[str, Any]) -> dict[str, Any]:
    """What a play's hash is made of, part by part: each a digest, the details kept in ``blobs``.

    Each part is serialized on its own (ManimCE shares one memoizer across a
    play, so an object seen twice is written once); the scene is left out,
    as in ManimCE's key.
    """
    import hashlib

    from manim.utils.hashing import _get_json
    from manim.utils.hashing import _Memoizer as Memoizer

    def _Memoizer() -> Any:
        memoizer = Memoizer()
        memoizer.mark_as_processed(scene)
        return memoizer

    parts: dict[str, Any] = {}
    for i, animation in enumerate(sorted(animations, key=str)):
        text = _get_json(animation, _Memoizer(), include_pixel_array=True)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        blobs.setdefault(digest, text if len(text) < 200_000 else text[:200_000])
        parts[f"animation {i} {_describe(animation)}"] = digest
    for i, mobject in enumerate(mobjects):
        label = f"mobject {i} {type(mobject).__name__}"
        members = _members(mobject)
        updaters = [u for m in mobject.get_family() for u in getattr(m, "updaters", ())]
        text = _get_json(updaters, _Memoizer()) if updaters else ""
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        blobs.setdefault(digest, text if len(text) < 200_000 else text[:200_000])
        parts[label] = {"members": members, "updaters": digest}
    return parts


def _members(mobject: Any) -> list[dict[str, str]]:
    """Each family member's attributes as short digests (the same attributes ``fingerprint`` hashes)."""
    import hashlib

    import numpy as np

    out = []
    for member in mobject.get_family():
        attrs = {"class": type(member).__qualname__}
        for name, value in sorted(vars(member).items()):
            if name in ("submobjects", "updaters", "original_id", "name"):
                continue
            if isinstance(value, np.ndarray) and not value.dtype.hasobject:
                data = np.ascontiguousarray(value).tobytes()
                attrs[name] = hashlib.sha256(data).hexdigest()[:12] + (
                    f" {value.ravel()[:3].tolist()}" if value.size else ""
                )
            elif isinstance(value, str | int | float | bool | type(None)) or "Color" in type(value).__name__:
                attrs[name] = repr(value)[:60]
        out.append(attrs)
    return out


# --- the parent: renders, edits, the table ----------------------------------------------------------
@dataclass
class Run:
    ok: bool
    plays: list[dict[str, Any]]
    blobs: dict[str, Any]
    seconds: float
    error: str = ""


@dataclass
class Row:
    scene: str
    edit: str
    plays: int
    rerendered: list[int]
    frames: int
    rerendered_frames: int
    beats: list[int]
    edited_beat: int
    seconds: float
    first_seconds: float
    notes: list[str] = field(default_factory=list)


def render(project: Path, output: Path, scene: str, args: argparse.Namespace, *, force: bool) -> Run:
    with tempfile.TemporaryDirectory(prefix="edit-locality-") as tmp:
        spec = {
            "scene": scene,
            "quality": args.quality,
            "theme": args.theme,
            "voice": args.voice,
            "output_dir": str(output),
            "force": force,
            "explain": args.explain,
            "result": str(Path(tmp) / "result.json"),
        }
        spec_file = Path(tmp) / "spec.json"
        spec_file.write_text(json.dumps(spec))
        start = time.perf_counter()
        command = [sys.executable, str(project / "bench" / "edit_locality.py"), "--child", str(spec_file)]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        result_file = Path(spec["result"])
        if done.returncode != 0 or not result_file.exists():
            return Run(False, [], {}, seconds, f"child failed ({done.returncode}): {done.stderr[-2000:]}")
        data = json.loads(result_file.read_text())
    if not data["ok"]:
        return Run(False, data["plays"], data["blobs"], seconds, data["error"] + "\n" + data["detail"])
    return Run(True, data["plays"], data["blobs"], seconds)


def edit_caption(scene_file: Path, which: str) -> tuple[str, str, int]:
    """Apply ``edit_one_caption`` to the first, middle or last caption; return the old source, the
    caption edited and its index among the file's captions."""
    source = scene_file.read_text(encoding="utf-8")
    captions = list(CAPTION.finditer(source))
    index = {"first": 0, "middle": len(captions) // 2, "last": len(captions) - 1}[which]
    if which == "middle":
        _, text = edit_one_caption(scene_file)
        return source, text, index
    match = captions[index]
    with tempfile.TemporaryDirectory() as tmp:  # the one caption alone is its own middle caption
        alone = Path(tmp) / "caption.py"
        alone.write_text(match.group(0), encoding="utf-8")
        _, text = edit_one_caption(alone)
        edited = alone.read_text(encoding="utf-8")
    scene_file.write_text(source[: match.start()] + edited + source[match.end() :], encoding="utf-8")
    return source, text, index


def segment_folder(output: Path, scene: str, args: argparse.Namespace) -> Path:
    from lecture.settings.render_config import quality

    # A video's segments: ManimCE's default encoder settings (lecture.render.segments.cache_dir).
    return output / "cache" / "segments" / scene / args.theme / quality(args.quality).label / "default"


def segments_in(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("*.*") if p.suffix in (".mp4", ".webm", ".mov")}  # not their records


def frames_of(folder: Path, key: str, counted: dict[str, int]) -> int:
    if key not in counted:
        found = list(folder.glob(f"{key}.*"))
        counted[key] = frame_count(found[0]) if found else 0
    return counted[key]


def edited_beat_of(base: Run, edited: Run) -> int:
    """The first beat whose caption differs between the two renders."""
    old = {p["beat"]: p["caption"] for p in base.plays}
    for play in edited.plays:
        if old.get(play["beat"], play["caption"]) != play["caption"]:
            return int(play["beat"])
    return -2


def compare(
    scene: str, edit: str, base: Run, edited: Run, before: set[str], folder: Path, counted: dict[str, int]
) -> Row:
    plays = edited.plays
    rerendered = [i for i, p in enumerate(plays) if p["hash"] and p["hash"] not in before]
    frames = sum(frames_of(folder, p["hash"], counted) for p in plays if p["hash"])
    again = sum(frames_of(folder, plays[i]["hash"], counted) for i in rerendered)
    beats = sorted({int(plays[i]["beat"]) for i in rerendered})
    return Row(
        scene,
        edit,
        len(plays),
        rerendered,
        frames,
        again,
        beats,
        edited_beat_of(base, edited),
        edited.seconds,
        base.seconds,
    )


def ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``1-3, 7``."""
    out: list[str] = []
    for n in numbers:
        if out and n == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out) or "none"


def explain(base: Run, edited: Run, row: Row, limit: int = 3) -> list[str]:
    """What differed, from the unedited render, in the first plays rendered again outside the edited beat."""
    lines: list[str] = []
    by_place = {}
    for i, play in enumerate(base.plays):
        by_place.setdefault(play["beat"], []).append(i)
    shown = 0
    for i in row.rerendered:
        play = edited.plays[i]
        if play["beat"] == row.edited_beat:
            continue
        same_beat = [j for j, p in enumerate(edited.plays) if p["beat"] == play["beat"]]
        position = same_beat.index(i)
        candidates = by_place.get(play["beat"], [])
        if position >= len(candidates):
            lines.append(f"play {i} (beat {play['beat']}): no counterpart in the unedited render")
            continue
        old = base.plays[candidates[position]]
        lines.append(
            f"play {i} (b{play['beat']}, t={play['time']:.2f} s, was {old['time']:.2f} s; {play['what']}):"
        )
        lines.extend(
            "    " + d
            for d in _diff_parts(old.get("parts", {}), play.get("parts", {}), base.blobs, edited.blobs)
        )
        shown += 1
        if shown >= limit:
            break
    return lines


def _diff_parts(
    old: dict[str, Any], new: dict[str, Any], old_blobs: dict[str, Any], new_blobs: dict[str, Any]
) -> list[str]:
    out: list[str] = []
    for label in sorted(set(old) | set(new)):
        a, b = old.get(label), new.get(label)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{label}: only in the {'edited' if a is None else 'unedited'} render")
            continue
        if isinstance(a, str):
            out.append(f"{label}: " + _json_diff(old_blobs.get(a, ""), new_blobs.get(b, "")))
            continue
        for k, (ma, mb) in enumerate(zip(a["members"], b["members"], strict=False)):
            for attr in sorted(set(ma) | set(mb)):
                if ma.get(attr) != mb.get(attr):
                    out.append(f"{label} member {k} {ma['class']}.{attr}: {ma.get(attr)} -> {mb.get(attr)}")
        if len(a["members"]) != len(b["members"]):
            out.append(f"{label}: family of {len(a['members'])} -> {len(b['members'])}")
        if a["updaters"] != b["updaters"]:
            out.append(
                f"{label} updaters: "
                + _json_diff(old_blobs.get(a["updaters"], ""), new_blobs.get(b["updaters"], ""))
            )
    return out[:12]


def _json_diff(a: str, b: str) -> str:
    """The first few paths at which two JSON texts differ."""
    try:
        left, right = json.loads(a), json.loads(b)
    except ValueError:
        return "differs"
    found: list[str] = []

    def walk(x: Any, y: Any, path: str) -> None:
        if len(found) >= 4 or x == y:
            return
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y), key=str):
                walk(x.get(k), y.get(k), f"{path}.{k}")
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for k, (u, v) in enumerate(zip(x, y, strict=True)):
                walk(u, v, f"{path}[{k}]")
        else:
            found.append(f"{path}: {json.dumps(x)[:80]} -> {json.dumps(y)[:80]}")

    walk(left, right, "")
    return "; ".join(found) or "differs"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
        return
    from scenes import SCENES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", default=",".join(SCENES), help="comma-separated scene names")
    parser.add_argument("-q", "--quality", default="l", help="ManimCE quality letter")
    parser.add_argument("--edits", default=",".join(EDITS), help="which caption to edit: first,middle,last")
    parser.add_argument("--theme", default="dark")
    parser.add_argument("--voice", default="", help="as render.py --voice; default the config's voice")
    parser.add_argument("--explain", action="store_true", help="print what differed in re-rendered plays")
    parser.add_argument("--keep", type=Path, help="use (and keep) this folder for the copy and output")
    args = parser.parse_args()
    names = [s for s in args.scenes.split(",") if s]
    unknown = [n for n in names if n not in SCENES]
    edits = [e for e in args.edits.split(",") if e]
    if unknown or any(e not in EDITS for e in edits):
        parser.error(f"unknown scene or edit: {unknown or edits}")

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="edit-locality-"))
    project, output = tmp / "project", tmp / "out"
    for part in (*PROJECT_PARTS, "bench"):
        source = ROOT / part
        target = project / part
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    rows: list[Row] = []
    notes: list[str] = []
    try:
        for scene in names:
            scene_file = project / (SCENES[scene].module.replace(".", "/") + ".py")
            folder = segment_folder(output, scene, args)
            shutil.rmtree(folder, ignore_errors=True)
            base = render(project, output, scene, args, force=True)
            if not base.ok:
                notes.append(f"{scene}: first render failed: {base.error}")
                print(notes[-1], file=sys.stderr)
                continue
            counted: dict[str, int] = {}
            for which in edits:
                before = segments_in(folder)
                original, _, _ = edit_caption(scene_file, which)
                try:
                    edited = render(project, output, scene, args, force=False)
                finally:
                    scene_file.write_text(original, encoding="utf-8")
                if not edited.ok:
                    notes.append(f"{scene} {which}: render failed: {edited.error}")
                    print(notes[-1], file=sys.stderr)
                    continue
                row = compare(scene, which, base, edited, before, folder, counted)
                rows.append(row)
                print(
                    f"  {scene} {which}: {len(row.rerendered)}/{row.plays} plays again "
                    f"({row.seconds:.1f} s, first {row.first_seconds:.1f} s)",
                    file=sys.stderr,
                    flush=True,
                )
                if args.explain:
                    for line in explain(base, edited, row):
                        print("    " + line, file=sys.stderr, flush=True)
                        notes.append(f"{scene} {which}: {line}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nQuality -q {args.quality}, theme {args.theme}. Beats: b0 is the first narrated beat, "
        "* the edited one, b-1 before any narration.\n"
    )
    print("| scene | edit | plays again | frames again | edit / first (wall) | play numbers | beats |")
    print("|---|---|---:|---:|---:|---|---|")
    for r in rows:
        beats = ", ".join(f"b{b}{'*' if b == r.edited_beat else ''}" for b in r.beats) or "none"
        share = r.rerendered_frames / r.frames if r.frames else 0.0
        print(
            f"| {r.scene} | {r.edit} (b{r.edited_beat}) | {len(r.rerendered)}/{r.plays} "
            f"| {r.rerendered_frames}/{r.frames} ({share:.0%}) | {r.seconds / r.first_seconds:.2f}x "
            f"| {ranges(r.rerendered)} | {beats} |"
        )
    if notes:
        print()
        for note in notes:
            print(f"- {note}")


if __name__ == "__main__":
    main()
