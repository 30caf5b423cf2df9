"""The assembled lecture (lecture/assemble/), on the three-scene test lecture of tests/lecture_scenes.py.

The scenes are rendered once per session (tests/conftest.py) and assembled
once; what a player, a decoder and the page read back is checked against the
scenes' own files: chapters, the copied H.264 packets, the narration around
each join, captions and subtitles, beats, the manifest. The CLI tests run
``render.py`` in-process on copies of that folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner

import render
import scenes
from lecture.assemble.lecture import assemble_lecture
from lecture.assemble.plan import parse_vtt
from lecture.publish.outputs import mp4_top_level_boxes, sha256_file
from lecture.publish.transaction import check_manifest, read_manifest
from lecture.render.shard import parse_shard, shard_scenes
from tests.lecture_scenes import LECTURE, registry_entries

pytestmark = pytest.mark.slow

LABEL = "480p15"
FRAME = 1 / 15


def _folder(output: Path) -> Path:
    return output / "lecture" / LABEL


def _scene_video(output: Path, name: str) -> Path:
    return output / LABEL / f"{name}.mp4"


def _durations(output: Path) -> list[float]:
    found = []
    for name, _ in LECTURE:
        with av.open(str(_scene_video(output, name))) as container:
            stream = container.streams.video[0]
            found.append(float(stream.duration * stream.time_base))
    return found


def _starts(output: Path) -> list[float]:
    return list(np.cumsum([0.0, *_durations(output)[:-1]]))


def test_chapters_one_per_scene_at_the_cumulative_durations(assembled_lecture: Path) -> None:
    with av.open(str(_folder(assembled_lecture) / "lecture.mp4")) as container:
        chapters = container.chapters()
        video = container.streams.video[0]
        total = float(video.duration * video.time_base)
    assert [c["metadata"]["title"] for c in chapters] == [title for _, title in LECTURE]
    starts = [float(c["start"] * c["time_base"]) for c in chapters]
    ends = [float(c["end"] * c["time_base"]) for c in chapters]
    expected = _starts(assembled_lecture)
    assert np.allclose(starts, expected, atol=FRAME), (starts, expected)
    assert np.allclose(ends, [*expected[1:], total], atol=FRAME)
    assert total == pytest.approx(sum(_durations(assembled_lecture)), abs=1e-6)
    entry = read_manifest(assembled_lecture)["entries"][f"lecture/{LABEL}/lecture.mp4"]
    assert [c["start"] for c in entry["details"]["chapters"]] == pytest.approx(expected, abs=1e-6)


def test_video_packets_are_the_scenes_own_shifted_not_re_encoded(assembled_lecture: Path) -> None:
    def packets(path: Path) -> list[tuple[bytes, int | None, int | None]]:
        with av.open(str(path)) as container:
            return [
                (bytes(p), p.pts, p.dts)
                for p in container.demux(container.streams.video[0])
                if p.dts is not None
            ]

    joined = packets(_folder(assembled_lecture) / "lecture.mp4")
    expected: list[tuple[bytes, int | None, int | None]] = []
    offset = 0
    for name, _ in LECTURE:
        scene = _scene_video(assembled_lecture, name)
        with av.open(str(scene)) as container:
            duration = container.streams.video[0].duration
        expected += [(data, pts + offset, dts + offset) for data, pts, dts in packets(scene)]  # type: ignore[operator]
        offset += duration
    assert len(joined) == len(expected)
    assert [hashlib.sha256(d).hexdigest() for d, _, _ in joined] == [
        hashlib.sha256(d).hexdigest() for d, _, _ in expected
    ]
    assert [(p, d) for _, p, d in joined] == [(p, d) for _, p, d in expected]


def test_faststart_and_streams(assembled_lecture: Path) -> None:
    path = _folder(assembled_lecture) / "lecture.mp4"
    boxes = mp4_top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")
    with av.open(str(path)) as container:
        assert [s.codec_context.name for s in container.streams.audio] == ["aac"]
        assert container.streams.audio[0].codec_context.layout.name == "mono"  # one voice
        subtitles = container.streams.subtitles
        assert [s.codec_context.name for s in subtitles] == ["mov_text"]
        assert subtitles[0].metadata.get("language") == "eng"
        assert container.metadata.get("title") == "Test lecture"


def _audio(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros((2, 0), dtype=np.float32), 48_000
        frames = [f.to_ndarray() for f in container.decode(container.streams.audio[0])]
        return np.concatenate(frames, axis=1), container.streams.audio[0].rate


def test_narration_continuous_at_every_join(assembled_lecture: Path) -> None:
    lecture, rate = _audio(_folder(assembled_lecture) / "lecture.mp4")
    durations = _durations(assembled_lecture)
    assert lecture.shape[1] / rate == pytest.approx(sum(durations), abs=1024 / rate), (
        "the track is the video's length"
    )
    at = 0
    for (name, _), duration in zip(LECTURE, durations, strict=True):
        samples = round(duration * rate)
        scene, _ = _audio(_scene_video(assembled_lecture, name))
        part = lecture[:, at : at + samples]
        if scene.shape[1]:  # where the scene speaks, the lecture says the same at the same time
            own = scene[:, :samples]
            n = min(own.shape[1], part.shape[1])
            noise = np.sum((part[:, :n] - own[:, :n]) ** 2)
            snr = 10 * np.log10(np.sum(own[:, :n] ** 2) / max(noise, 1e-12))
            assert snr > 15, f"{name}: the lecture's narration is not the scene's, aligned (SNR {snr:.1f} dB)"
            assert np.sqrt(np.mean(own**2)) > 0.01, f"{name} should be narrated"
        else:
            assert np.max(np.abs(part)) < 1e-3, f"{name} has no narration: silence in the lecture"
        at += samples
    for join in np.cumsum([round(d * rate) for d in durations[:-1]]):
        around = lecture[:, join - rate // 50 : join + rate // 50]  # 20 ms either side
        step = np.max(np.abs(np.diff(around, axis=1)))
        assert np.max(np.abs(around)) < 0.02 and step < 0.01, (
            f"a click at {join / rate:.3f} s (step {step:.4f})"
        )


def test_captions_shifted_and_subtitle_cues_equal_them(assembled_lecture: Path) -> None:
    folder = _folder(assembled_lecture)
    cues = parse_vtt((folder / "lecture.vtt").read_text(encoding="utf-8"))
    expected = []
    for (name, _), start in zip(LECTURE, _starts(assembled_lecture), strict=True):
        own = parse_vtt((assembled_lecture / LABEL / f"{name}.vtt").read_text(encoding="utf-8"))
        expected += [(start + c.start, start + c.end, c.text) for c in own]
    assert [c.text for c in cues] == [t for _, _, t in expected]
    assert np.allclose([c.start for c in cues], [s for s, _, _ in expected], atol=0.0015)
    assert np.allclose([c.end for c in cues], [e for _, e, _ in expected], atol=0.0015)
    with av.open(str(folder / "lecture.mp4")) as container:
        stream = container.streams.subtitles[0]
        samples = []
        for packet in container.demux(stream):
            data = bytes(packet)
            if packet.pts is None or len(data) < 2:
                continue
            (length,) = struct.unpack(">H", data[:2])
            if length:  # an empty sample is the muxer's filler between cues
                samples.append((float(packet.pts * packet.time_base), data[2 : 2 + length].decode("utf-8")))
    assert [text for _, text in samples] == [" ".join(c.text.split()) for c in cues]
    assert np.allclose([t for t, _ in samples], [c.start for c in cues], atol=0.0015)
    chapters = parse_vtt((folder / "chapters.vtt").read_text(encoding="utf-8"))
    assert [c.text for c in chapters] == [title for _, title in LECTURE]


def test_beats_recorded_by_the_render_and_shifted(assembled_lecture: Path) -> None:
    entries = read_manifest(assembled_lecture)["entries"]
    narrated = entries[f"{LABEL}/NarratedScene.mp4"]
    assert [b["caption"] for b in narrated["beats"]] == [
        c.text
        for c in parse_vtt((assembled_lecture / LABEL / "NarratedScene.vtt").read_text(encoding="utf-8"))
    ]
    assert entries[f"{LABEL}/TinyScene.mp4"]["beats"] == []  # captioned with subcaption=, not narrate()
    beats = entries[f"lecture/{LABEL}/lecture.mp4"]["beats"]
    starts = _starts(assembled_lecture)
    expected = [(starts[0] + b["start"], starts[0] + b["end"]) for b in narrated["beats"]]
    expected.append((starts[1], starts[2]))  # TinyScene: one beat, the whole scene
    closing = entries[f"{LABEL}/ClosingScene.mp4"]["beats"]
    expected += [(starts[2] + b["start"], starts[2] + b["end"]) for b in closing]
    assert len(beats) == len(expected) == 6
    assert np.allclose([(b["start"], b["end"]) for b in beats], expected, atol=1e-5)
    assert [b["chapter"] for b in beats] == [0, 0, 0, 1, 2, 2]
    data = (_folder(assembled_lecture) / "lecture-data.js").read_text(encoding="utf-8")
    page = json.loads(data.removeprefix("window.LECTURE = ").removesuffix(";\n"))
    assert len(page["beats"]) == 6 and len(page["chapters"]) == 3
    assert page["chapters"][2]["mp4"] == f"../../{LABEL}/ClosingScene.mp4"


def test_manifest_describes_every_file_of_the_lecture(assembled_lecture: Path) -> None:
    assert check_manifest(assembled_lecture) == []
    entry = read_manifest(assembled_lecture)["entries"][f"lecture/{LABEL}/lecture.mp4"]
    named = {
        entry["file"],
        entry["poster"]["file"],
        entry["captions"]["file"],
        *(f["file"] for f in entry["files"]),
    }
    on_disk = {p.relative_to(assembled_lecture).as_posix() for p in _folder(assembled_lecture).iterdir()}
    assert named == on_disk
    sources = entry["details"]["scenes"]
    assert [s["scene"] for s in sources] == [name for name, _ in LECTURE]
    for source in sources:
        scene = read_manifest(assembled_lecture)["entries"][source["file"]]
        assert (source["sha256"], source["inputs_hash"]) == (scene["sha256"], scene["inputs_hash"])


# --- incremental, and faults ------------------------------------------------------------------------
def _copy(source: Path, tmp_path: Path) -> Path:
    output = tmp_path / "out"
    shutil.copytree(source, output, symlinks=True)
    return output


def _snapshot(output: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in _folder(output).iterdir()} | {
        "manifest": sha256_file(output / "manifest.json")
    }


def test_unchanged_is_up_to_date_and_a_changed_scene_reassembles(
    assembled_lecture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _copy(assembled_lecture, tmp_path)
    before = _snapshot(output)
    again = assemble_lecture(output, LECTURE, label=LABEL, theme="dark", voice="joe", title="Test lecture")
    assert again.up_to_date and _snapshot(output) == before
    # One scene rendered again, longer: only the lecture's assembly runs again, and it follows.
    from lecture.render.pipeline import render_scene
    from tests.test_render_e2e import tiny_job

    monkeypatch.setenv("TINY_SCENE_SECONDS", "3")
    result = render_scene(tiny_job(output, voice="joe", force=True))
    assert result.ok, result.error
    rebuilt = assemble_lecture(output, LECTURE, label=LABEL, theme="dark", voice="joe", title="Test lecture")
    assert not rebuilt.up_to_date
    with av.open(str(_folder(output) / "lecture.mp4")) as container:
        starts = [float(c["start"] * c["time_base"]) for c in container.chapters()]
    assert np.allclose(starts, _starts(output), atol=FRAME)
    assert starts[2] > _starts(assembled_lecture)[2] + 0.9  # TinyScene is a second longer
    assert check_manifest(output) == []


@pytest.mark.parametrize("step", ["stage manifest", "rename lecture.mp4", "rename page.js"])
def test_a_failed_publish_leaves_the_previous_lecture(
    assembled_lecture: Path, tmp_path: Path, step: str
) -> None:
    output = _copy(assembled_lecture, tmp_path)
    before = _snapshot(output)

    def fail(name: str) -> None:
        if name == step:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        assemble_lecture(
            output,
            LECTURE,
            label=LABEL,
            theme="dark",
            voice="joe",
            title="Another title",
            on_commit_step=fail,
        )
    assert _snapshot(output) == before
    assert check_manifest(output) == []
    assert sorted(p.name for p in _folder(output).iterdir()) == sorted(n for n in before if n != "manifest")


# --- the CLI ---------------------------------------------------------------------------------------
@pytest.fixture
def lecture_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry is the test lecture's three scenes, in order."""
    monkeypatch.setattr(scenes, "SCENES", {info.name: info for info in registry_entries()})


def _cli(*args: str) -> Any:
    return CliRunner().invoke(render.cli, list(args), catch_exceptions=False)


def test_cli_lecture_up_to_date(
    assembled_lecture: Path, tmp_path: Path, lecture_registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _copy(assembled_lecture, tmp_path)
    monkeypatch.setattr(render, "LECTURE_TITLE", "Test lecture")
    before = _snapshot(output)
    result = _cli("--lecture", "-q", "l", "--voice", "joe", "--theme", "dark", "--output-dir", str(output))
    assert result.exit_code == 0, result.output
    assert "Lecture up to date" in result.output and "3 chapters" in result.output
    assert _snapshot(output) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-q", "m"], "NarratedScene is not rendered as MP4 at 720p30 (only: 480p15 mp4)"),
        (["--theme", "light"], "NarratedScene was rendered in the dark theme, the lecture is light"),
        (["--voice", "none"], "NarratedScene was narrated with voice 'joe', the lecture with 'none'"),
    ],
)
def test_cli_assemble_only_refuses_what_does_not_match(
    assembled_lecture: Path, tmp_path: Path, lecture_registry: None, args: list[str], message: str
) -> None:
    output = _copy(assembled_lecture, tmp_path)
    before = _snapshot(output)
    defaults = {"-q": "l", "--theme": "dark", "--voice": "joe"}
    defaults.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = _cli(
        "--lecture",
        "--assemble-only",
        "--output-dir",
        str(output),
        *(x for pair in defaults.items() for x in pair),
    )
    assert result.exit_code == 1
    assert f"Error: cannot assemble the lecture: {message}" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(output) == before


def test_cli_assemble_only_names_a_missing_scene(
    assembled_lecture: Path, tmp_path: Path, lecture_registry: None
) -> None:
    output = _copy(assembled_lecture, tmp_path)
    manifest = json.loads((output / "manifest.json").read_text())
    del manifest["entries"][f"{LABEL}/TinyScene.mp4"]
    (output / "manifest.json").write_text(json.dumps(manifest))
    result = _cli("--lecture", "--assemble-only", "-q", "l", "--voice", "joe", "--output-dir", str(output))
    assert result.exit_code == 1
    assert "cannot assemble the lecture: TinyScene is missing" in result.output


def test_cli_a_failing_scene_leaves_the_previous_lecture(
    assembled_lecture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tiny_scene import registry_entries as tiny_entries

    broken = next(info for info in tiny_entries() if info.name == "BrokenScene")
    monkeypatch.setattr(scenes, "SCENES", {info.name: info for info in [*registry_entries(), broken]})
    output = _copy(assembled_lecture, tmp_path)
    before = _snapshot(output)
    result = _cli("--lecture", "-q", "l", "--voice", "joe", "--jobs", "1", "--output-dir", str(output))
    assert result.exit_code == 1
    assert "BrokenScene" in result.output and "RuntimeError: BrokenScene fails on purpose" in result.output
    assert "The lecture was not assembled; the previous one, if any, is as it was." in result.output
    assert _snapshot(output) == before
    assert check_manifest(output) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lecture", "--scene", "TinyScene"], "--lecture cannot be combined with --scene"),
        (["--lecture", "--format", "webm"], "cannot be combined with --format webm"),
        (["--assemble-only", "--all"], "add --lecture"),
        (["--scene", "TinyScene", "--shard", "1/2"], "--shard shares out the scenes of --all or --lecture"),
        (["--all", "--shard", "0/2"], "I must be from 1 to N"),
        (["--all", "--shard", "two"], "is not I/N"),
        (["--lecture", "--assemble-only", "--shard", "1/2"], "cannot be combined with --shard"),
        (["--lecture", "--shard-dir", "."], "--shard-dir gives --lecture --assemble-only"),
    ],
)
def test_cli_bad_lecture_options(lecture_registry: None, args: list[str], message: str) -> None:
    result = _cli(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


# --- sharding ------------------------------------------------------------------------------------
def test_shards_cover_every_scene_once_the_same_way_each_time() -> None:
    weights = [(info.name, float(info.duration_s)) for info in scenes.SCENES.values()]
    for count in (1, 2, 3, 5, 12, 13):
        shards = [shard_scenes(weights, i, count) for i in range(1, count + 1)]
        flat = [name for shard in shards for name in shard]
        assert sorted(flat) == sorted(scenes.SCENES), count
        assert shards == [shard_scenes(list(weights), i, count) for i in range(1, count + 1)]
        for shard in shards:  # each in lecture order
            assert shard == [name for name in scenes.SCENES if name in shard]
        loads = [sum(dict(weights)[n] for n in shard) for shard in shards]
        if count <= len(weights):
            assert max(loads) - min(loads) <= max(w for _, w in weights)
    assert parse_shard(" 3 / 4 ") == (3, 4)
    with pytest.raises(ValueError, match="I must be from 1 to N"):
        parse_shard("5/4")


def test_cli_assemble_only_from_shard_folders(
    assembled_lecture: Path, tmp_path: Path, lecture_registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three machines each rendered one scene into a folder of their own: the shards make one lecture."""
    monkeypatch.setattr(render, "LECTURE_TITLE", "Test lecture")
    source = assembled_lecture
    entries = read_manifest(source)["entries"]
    shards = []
    for name, _ in LECTURE:  # a shard folder as that machine left it: its scene's files and its manifest
        shard = tmp_path / f"shard-{name}"
        entry = entries[f"{LABEL}/{name}.mp4"]
        (shard / LABEL).mkdir(parents=True)
        for suffix in ("mp4", "png", "vtt"):
            shutil.copyfile(source / LABEL / f"{name}.{suffix}", shard / LABEL / f"{name}.{suffix}")
        manifest = {"schema": 2, "entries": {entry["file"]: entry}}
        (shard / "manifest.json").write_text(json.dumps(manifest))
        shards += ["--shard-dir", str(shard)]
    output = tmp_path / "joined"
    result = _cli(
        "--lecture", "--assemble-only", "-q", "l", "--voice", "joe", "--output-dir", str(output), *shards
    )
    assert result.exit_code == 0, result.output
    assert "Took 3 scene(s) from 3 shard folder(s)." in result.output
    assert "Lecture assembled" in result.output
    assert check_manifest(output) == []
    for name, _ in LECTURE:
        assert sha256_file(output / LABEL / f"{name}.mp4") == sha256_file(source / LABEL / f"{name}.mp4")
    joined = read_manifest(output)["entries"][f"lecture/{LABEL}/lecture.mp4"]
    original = read_manifest(source)["entries"][f"lecture/{LABEL}/lecture.mp4"]
    assert joined["details"]["chapters"] == original["details"]["chapters"]
    assert joined["beats"] == original["beats"]
    # A shard folder whose video does not match its manifest is refused, naming the file.
    (tmp_path / "shard-TinyScene" / LABEL / "TinyScene.mp4").write_bytes(b"not a video")
    again = _cli(
        "--lecture",
        "--assemble-only",
        "-q",
        "l",
        "--voice",
        "joe",
        "--output-dir",
        str(tmp_path / "x"),
        *shards,
    )
    assert again.exit_code == 1
    assert "480p15/TinyScene.mp4 is missing or does not match the manifest" in again.output
