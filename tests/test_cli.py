"""render.py's options, defaults and user errors, through click's CliRunner.

Nothing renders here: ``lecture.render.pipeline.render_many`` is replaced by a fake
that records the jobs it was given, so each test runs in milliseconds. The
real renders are in test_render_e2e.py.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import render
import scenes
from lecture.render import pipeline, preflight
from lecture.render.pipeline import RenderJob, RenderResult
from lecture.settings import theme as theme_module
from lecture.settings.configfile import ConfigError
from lecture.settings.render_config import QUALITIES, RENDER_FILE, load_render_settings, quality
from lecture.settings.theme import THEMES_FILE, load_themes

ROOT = Path(__file__).resolve().parent.parent
SCENE_NAMES = list(scenes.SCENES)


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the renderer: record each call's jobs and options, report every scene as done."""
    calls: list[dict[str, Any]] = []

    def render_many(jobs: list[RenderJob], *, n_jobs: int, on_progress: Any = None, on_result: Any = None,
                    force: bool = False):
        calls.append({"jobs": list(jobs), "n_jobs": n_jobs, "force": force})
        results = []
        for job in jobs:
            on_progress(job.scene, "start", 0.0)
            result = RenderResult(
                job.scene,
                ok=True,
                files=(job.output_dir / "480p15" / f"{job.scene}.mp4",),
                duration_s=2.0,
                frames=30,
                size_bytes=2048,
                render_s=1.0,
            )
            on_result(result)
            results.append(result)
        return results

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    return calls


def run(*args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(render.cli, list(args), **kwargs)


def error_line(result: Any) -> str:
    """The one ``Error: ...`` line click prints for a user error."""
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


# --- help and listing ----------------------------------------------------------
def test_help_shows_every_option_with_its_default() -> None:
    result = run("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # help is wrapped to the terminal
    for option in (
        "--scene NAME",
        "--all",
        "--list",
        "-q, --quality",
        "--format",
        "--still",
        "--storyboard",
        "--theme",
        "--output-dir",
        "--jobs",
        "--dry-run",
        "-v, --verbose",
        "--quiet",
    ):
        assert option in text, option
    for default in (
        "[default: h]",
        "[default: mp4]",
        "[default: dark]",
        "[default: media]",
        f"[default: {render._default_jobs()}; x>=1]",
    ):
        assert default in text
    assert "Render the sigmoid lecture's scenes to web-ready video." in text
    assert "python render.py --scene SteepnessSweep -q h # the flagship, 1080p60" in text


def test_list_prints_one_scene_a_line_in_lecture_order() -> None:
    result = run("--list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == SCENE_NAMES
    for line, info in zip(lines, scenes.SCENES.values(), strict=True):
        assert info.description in line
        assert line.endswith(f"(~{info.duration_s} s)")


@pytest.mark.parametrize("flag", ["--list", "--help"])
def test_listing_and_help_do_not_import_manim(flag: str) -> None:
    code = (
        "import sys; from click.testing import CliRunner; import render; "
        f"r = CliRunner().invoke(render.cli, [{flag!r}]); "
        "print(r.exit_code, 'manim' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"], out.stderr


# --- user errors: exit 2, one line, no traceback --------------------------------
#: The list an unknown scene's error ends with: every registered scene, in lecture order.
ALL_SCENES = "Scenes: " + ", ".join(scenes.SCENES) + "."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--scene", "LogitReflect"],
            "Error: Invalid value for '--scene': no scene 'LogitReflect'; did you mean LogitReflection? "
            + ALL_SCENES,
        ),
        (
            ["--scene", "SteepnessSweep", "--scene", "Zebra"],
            "Error: Invalid value for '--scene': no scene 'Zebra'. " + ALL_SCENES,
        ),
        (
            ["--scene", "SteepnessSweep", "-q", "x"],
            "Error: Invalid value for '-q' / '--quality': 'x' is not one of "
            "'l', 'm', 'h', 'p', 'k', 'low', 'medium', 'high', 'production', '4k'.",
        ),
        (
            ["--scene", "SteepnessSweep", "--format", "avi"],
            "Error: Invalid value for '--format': 'avi' is not one of 'mp4', 'webm', 'gif', 'png'.",
        ),
        (
            ["--scene", "SteepnessSweep", "--theme", "sepia"],
            "Error: Invalid value for '--theme': 'sepia' is not one of 'dark', 'light'.",
        ),
        (
            ["--scene", "SteepnessSweep", "--jobs", "0"],
            "Error: Invalid value for '--jobs' / '-j': 0 is not in the range x>=1.",
        ),
        (  # issue 17: no upper bound, and --jobs 1000000000000 ended in a bare MemoryError
            ["--scene", "SteepnessSweep", "--jobs", "1000000000000"],
            "Error: Invalid value for '--jobs' / '-j': 1000000000000 is more than "
            f"{4 * render._default_jobs()} (4 × the {render._default_jobs()} core(s) this machine has); "
            "more processes than cores only wait for one another.",
        ),
        (
            ["--scene", "SteepnessSweep", "--jobs", str(4 * render._default_jobs() + 1)],
            f"Error: Invalid value for '--jobs' / '-j': {4 * render._default_jobs() + 1} is more than "
            f"{4 * render._default_jobs()} (4 × the {render._default_jobs()} core(s) this machine has); "
            "more processes than cores only wait for one another.",
        ),
        (
            ["--scene", "SteepnessSweep", "--still", "--format", "gif"],
            "Error: --still writes a PNG; it cannot be combined with --format gif.",
        ),
        (
            ["--scene", "SteepnessSweep", "--storyboard", "--format", "webm"],
            "Error: --storyboard writes a PNG; it cannot be combined with --format webm.",
        ),
        (
            ["--scene", "SteepnessSweep", "--still", "--storyboard"],
            "Error: --still and --storyboard cannot be used together.",
        ),
        (
            ["--all", "--scene", "SteepnessSweep"],
            "Error: --all and --scene cannot be used together: --all renders every scene.",
        ),
        ([], "Error: nothing to render: give --scene NAME (repeatable), --all, --lecture, or --list."),
        (["--all", "-v", "--quiet"], "Error: --verbose and --quiet cannot be used together."),
        (
            # "" was read as the current folder: the render went into the cwd, exit 0
            ["--scene", "SteepnessSweep", "--output-dir", ""],
            "Error: Invalid value for '--output-dir': must not be empty; give a folder, "
            "e.g. --output-dir media",
        ),
    ],
)
def test_user_errors_exit_2_with_a_one_line_reason(
    args: list[str], message: str, fake_render: list[dict[str, Any]]
) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert error_line(result) == message
    assert "Traceback" not in result.output
    assert fake_render == []


def test_output_dir_that_is_a_file_is_a_usage_error(
    tmp_path: Path, fake_render: list[dict[str, Any]]
) -> None:
    (tmp_path / "notes.txt").write_text("")
    result = run("--scene", "SteepnessSweep", "--output-dir", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2
    assert (
        error_line(result)
        == f"Error: Invalid value for '--output-dir': Directory '{tmp_path}/notes.txt' is a file."
    )


# --- environment problems: exit 1, before any rendering ------------------------
def test_missing_latex_and_pango_stop_before_rendering(
    monkeypatch: pytest.MonkeyPatch, fake_render: list[dict[str, Any]]
) -> None:
    monkeypatch.setattr(
        preflight,
        "missing_requirements",
        lambda: ["LaTeX (no `latex` on PATH)", "Pango (`import manimpango` failed: libpango)"],
    )
    result = run("--scene", "SteepnessSweep")
    assert result.exit_code == 1
    assert error_line(result) == (
        "Error: cannot render: missing LaTeX (no `latex` on PATH); "
        "Pango (`import manimpango` failed: libpango). Install them with `make setup`, then try again."
    )
    assert fake_render == []


def test_missing_requirements_names_each_missing_tool_and_library() -> None:
    assert preflight.missing_requirements(lambda tool: f"/usr/bin/{tool}", lambda module: "") == []
    missing = preflight.missing_requirements(
        lambda tool: None if tool == "dvisvgm" else "/usr/bin/latex",
        lambda module: "libcairo.so.2: cannot open shared object file" if module == "cairo" else "",
    )
    assert missing == [
        "dvisvgm (no `dvisvgm` on PATH)",
        "Cairo (`import cairo` failed: libcairo.so.2: cannot open shared object file)",
    ]
    assert preflight.missing_requirements() == []  # this machine is set up (make setup)


def test_unwritable_output_dir_is_a_clear_error(tmp_path: Path, fake_render: list[dict[str, Any]]) -> None:
    (tmp_path / "file").write_text("")
    target = tmp_path / "file" / "media"  # a folder inside a file cannot be created, even by root
    result = run("--scene", "SteepnessSweep", "--output-dir", str(target))
    assert result.exit_code == 1
    assert error_line(result) == f"Error: cannot write to output directory {target}: Not a directory"
    assert fake_render == []


def test_broken_render_toml_is_reported_with_file_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    error = ConfigError(f"{RENDER_FILE}: [render.quality] must be one of l, m, h, p, k, got 'ultra'")
    monkeypatch.setattr(render, "CONFIG_ERROR", error)
    result = run("--scene", "SteepnessSweep")
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {error}"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('quality = "h"', 'quality = "ultra"'), "[render.quality] must be one of l, m, h, p, k, low"),
        (("fps = 15", "fps = 0"), "[gif.fps] must be a whole number from 1 to 10000, got 0"),
        (("frames = 12", 'frames = "twelve"'), "[storyboard.frames] must be a whole number"),
        (
            ('format = "mp4"', 'format = "avi"'),
            "[render.format] must be one of mp4, webm, gif, png, got 'avi'",
        ),
        (("columns = 4", "columns = 4\nrows = 3"), "[storyboard] has unknown key(s) rows"),
        (('theme = "dark"', ""), "[render] is missing theme"),
        (("[gif]", "[gifs]"), "unknown table(s) gifs"),
        (("width = 720", "width = [720"), "not valid TOML"),
    ],
)
def test_render_toml_errors_name_file_and_key(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    bad = tmp_path / "render.toml"
    bad.write_text(RENDER_FILE.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_render_settings(bad)
    assert str(caught.value).startswith(f"{bad}: ")
    assert message in str(caught.value)


WITH_CONFIG = (
    "import sys; from pathlib import Path; import lecture.settings.render_config, lecture.settings.theme; "
    "lecture.settings.render_config.RENDER_FILE = Path(sys.argv.pop(1)); "
    "lecture.settings.theme.THEMES_FILE = Path(sys.argv.pop(1)); "
    "import render; render.main()"
)


def broken_config(tmp_path: Path, which: str, how: str) -> tuple[Path, Path, str]:
    """Copies of render.toml and themes.toml, one of them broken; and what the error should say."""
    render_toml, themes_toml = tmp_path / "render.toml", tmp_path / "themes.toml"
    render_toml.write_text(RENDER_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    themes_toml.write_text(THEMES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    bad = render_toml if which == "render" else themes_toml
    what = "settings file" if which == "render" else "theme file"
    if how == "latin-1":
        bad.write_bytes(bad.read_text(encoding="utf-8").replace("#", "# \u00e9t\u00e9 ", 1).encode("latin-1"))
        return render_toml, themes_toml, f"Error: {bad}: {what} is not UTF-8 text (byte "
    if how == "folder":
        bad.unlink()
        bad.mkdir()
        return render_toml, themes_toml, f"Error: {bad}: {what} is a folder, not a file"
    assert how == "neon"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace('theme = "dark"', 'theme = "neon"'), encoding="utf-8")
    return render_toml, themes_toml, f"Error: {bad}: [render.theme] must be one of dark, light, got 'neon'"


@pytest.mark.parametrize(
    ("which", "how"),
    [("render", "latin-1"), ("render", "folder"), ("themes", "latin-1"), ("themes", "folder"),
     ("render", "neon")],
)
def test_broken_config_files_give_one_line_and_help_still_works(tmp_path: Path, which: str, how: str) -> None:
    # Not UTF-8 or a folder: a traceback, even for --help. theme = "neon": the message blamed --theme.
    render_toml, themes_toml, message = broken_config(tmp_path, which, how)
    command = [sys.executable, "-c", WITH_CONFIG, str(render_toml), str(themes_toml)]
    helped = subprocess.run([*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0, helped.stderr
    assert "Traceback" not in helped.stderr and "--output-dir" in helped.stdout
    done = subprocess.run([*command, "--scene", "SteepnessSweep", "--output-dir", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "--theme" not in done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(message), done.stderr
    assert not (tmp_path / "out").exists()


def test_theme_font_that_is_not_installed_is_named_with_the_closest(
    monkeypatch: pytest.MonkeyPatch, fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    # Pango substituted another font: exit 0 and ManimCE's multi-line warning for every text.
    themes = {name: dataclasses.replace(theme, font="DejaVu Sanz") for name, theme in load_themes().items()}
    monkeypatch.setattr(theme_module, "_themes", lambda: themes)
    result = run("--scene", "SteepnessSweep", "--output-dir", str(tmp_path))
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith(
        "Error: theme 'dark' uses the font 'DejaVu Sanz', which is not installed; "
        "closest installed: DejaVu Sans,"
    )
    assert line.endswith(". Install it, or change [dark.font] in themes.toml.")
    assert fake_render == []


def test_missing_font_is_empty_when_installed() -> None:
    dark = load_themes()["dark"]
    assert preflight.missing_font(dark) == ""  # this machine is set up (fonts-dejavu-core)
    assert preflight.missing_font(dark, lambda: ["Noto Sans"]).startswith(
        "theme 'dark' uses the font 'DejaVu Sans', which is not installed; closest installed: Noto Sans."
    )


@pytest.mark.slow
def test_bogus_lecture_theme_with_plain_manim_ends_on_one_line_naming_it(tmp_path: Path) -> None:
    # The 64-line traceback ended on a wrapped line: "dark, light" with no word of what was wrong.
    manim = Path(sys.executable).parent / "manim"
    command = [str(manim), "-ql", "-s", "-c", "config/manim.cfg", "--media_dir", str(tmp_path),
               "tests/tiny_scene.py", "TinyScene"]
    env = os.environ | {"LECTURE_THEME": "bogus", "COLUMNS": "80"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    last = (done.stdout + done.stderr).strip().splitlines()[-1]
    assert last == "ConfigError: LECTURE_THEME='bogus' is not a theme; use one of dark, light"


def test_missing_render_toml() -> None:
    with pytest.raises(ConfigError, match="settings file not found"):
        load_render_settings(Path("/nonexistent/render.toml"))


# --- every option reaches the jobs ---------------------------------------------
def only_call(calls: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(calls) == 1
    return calls[0]


def test_flagship_command_defaults(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    result = run("--scene", "SteepnessSweep", "-q", "h", "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    (job,) = only_call(fake_render)["jobs"]
    assert (job.scene, job.module, job.mode, job.format, job.theme) == (
        "SteepnessSweep",
        "scenes.steepness_sweep",
        "video",
        "mp4",
        "dark",
    )
    assert job.quality.label == "1080p60"
    assert job.output_dir == tmp_path.resolve()
    assert job.verbosity == "WARNING"
    # progress line, then the summary table
    assert "SteepnessSweep: rendering" in result.stderr
    assert "SteepnessSweep: done in 1.0 s" in result.stderr
    assert f"{tmp_path}/480p15/SteepnessSweep.mp4" in result.stdout
    assert "2.0 KB" in result.stdout


@pytest.mark.parametrize(
    ("given", "label"),
    [
        ("l", "480p15"),
        ("m", "720p30"),
        ("h", "1080p60"),
        ("p", "1440p60"),
        ("k", "2160p60"),
        ("low", "480p15"),
        ("medium", "720p30"),
        ("HIGH", "1080p60"),
        ("production", "1440p60"),
        ("4k", "2160p60"),
    ],
)
def test_quality_letters_and_words(
    given: str, label: str, fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    assert run("--scene", "SteepnessSweep", "-q", given, "--output-dir", str(tmp_path)).exit_code == 0
    assert only_call(fake_render)["jobs"][0].quality.label == label


def test_quality_table_matches_manim() -> None:
    from manim.constants import QUALITIES as MANIM_QUALITIES

    ours = {(q.letter, q.pixel_width, q.pixel_height, q.frame_rate) for q in QUALITIES.values()}
    theirs = {
        (q["flag"], q["pixel_width"], q["pixel_height"], q["frame_rate"])
        for q in MANIM_QUALITIES.values()
        if q["flag"]
    }
    assert ours == theirs


def test_scenes_repeat_in_the_order_given_any_case_no_duplicates(
    fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = run(
        "--scene",
        "logitreflection",
        "--scene",
        "SteepnessSweep",
        "--scene",
        "LogitReflection",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == 0
    assert [j.scene for j in only_call(fake_render)["jobs"]] == ["LogitReflection", "SteepnessSweep"]


def test_all_renders_every_scene_in_lecture_order(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    assert run("--all", "--jobs", "3", "--output-dir", str(tmp_path)).exit_code == 0
    call = only_call(fake_render)
    assert [j.scene for j in call["jobs"]] == SCENE_NAMES
    assert call["n_jobs"] == 3


def test_jobs_up_to_four_per_core_are_taken_and_help_says_the_cap(
    fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    cap = 4 * render._default_jobs()
    assert run("--scene", "SteepnessSweep", "--jobs", str(cap), "--output-dir", str(tmp_path)).exit_code == 0
    assert only_call(fake_render)["n_jobs"] == cap
    assert f"At most 4 × the cores ({cap} here)." in " ".join(run("--help").output.split())


def test_jobs_defaults_to_the_core_count(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    assert run("--all", "--output-dir", str(tmp_path)).exit_code == 0
    assert only_call(fake_render)["n_jobs"] == render._default_jobs() >= 1


@pytest.mark.parametrize(
    ("args", "mode", "fmt", "label"),
    [
        (["--format", "webm"], "video", "webm", "1080p60"),
        (["--format", "gif"], "video", "gif", "720p30"),  # medium quality unless -q is given
        (["--format", "gif", "-q", "l"], "video", "gif", "480p15"),
        (["--format", "png"], "still", "png", "1080p60"),
        (["--still"], "still", "png", "1080p60"),
        (["--still", "--format", "png", "-q", "l"], "still", "png", "480p15"),
        (["--storyboard"], "storyboard", "mp4", "480p15"),  # low quality unless -q is given
        (["--storyboard", "-q", "m"], "storyboard", "mp4", "720p30"),
        (["--storyboard", "--format", "png"], "storyboard", "png", "480p15"),
        (["--dry-run"], "dry-run", "mp4", "1080p60"),
    ],
)
def test_modes_and_formats(
    args: list[str], mode: str, fmt: str, label: str, fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = run("--scene", "DerivativeTrace", *args, "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    job = only_call(fake_render)["jobs"][0]
    assert (job.mode, job.format, job.quality.label) == (mode, fmt, label)


def test_storyboard_with_format_png_renders_a_storyboard_not_a_still(
    fake_render: list[dict[str, Any]], tmp_path: Path
) -> None:
    # --format png was taken for --still before --storyboard was looked at, given or from render.toml.
    assert run("--scene", "DerivativeTrace", "--storyboard", "--format", "png",
               "--output-dir", str(tmp_path)).exit_code == 0
    as_if_render_toml_said_png = {"fmt": "png"}
    assert run("--scene", "DerivativeTrace", "--storyboard", "--output-dir", str(tmp_path),
               default_map=as_if_render_toml_said_png).exit_code == 0
    assert [call["jobs"][0].mode for call in fake_render] == ["storyboard", "storyboard"]


def test_theme_and_verbosity(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    assert (
        run("--scene", "SteepnessSweep", "--theme", "light", "-v", "--output-dir", str(tmp_path)).exit_code
        == 0
    )
    job = only_call(fake_render)["jobs"][0]
    assert (job.theme, job.verbosity) == ("light", "INFO")


def test_quiet_prints_nothing_on_success(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    result = run("--scene", "SteepnessSweep", "--quiet", "--output-dir", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == ""
    assert only_call(fake_render)["jobs"][0].verbosity == "ERROR"


def test_dry_run_does_not_touch_the_output_dir(fake_render: list[dict[str, Any]], tmp_path: Path) -> None:
    target = tmp_path / "not-yet"
    result = run("--scene", "SteepnessSweep", "--dry-run", "--output-dir", str(target))
    assert result.exit_code == 0
    assert "Dry run: the scenes ran, nothing was written" in result.stdout
    assert not target.exists()


# --- failures and interruptions ------------------------------------------------
def test_one_failed_scene_is_listed_and_exit_code_is_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def render_many(jobs: list[RenderJob], **kwargs: Any) -> list[RenderResult]:
        return [
            RenderResult(
                "SteepnessSweep",
                ok=True,
                files=(tmp_path / "1080p60/SteepnessSweep.mp4",),
                duration_s=47.0,
                size_bytes=3_000_000,
                render_s=60.0,
            ),
            RenderResult(
                "DerivativeTrace", ok=False, error="ValueError: bad tangent", detail="Traceback ..."
            ),
        ]

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = run("--scene", "SteepnessSweep", "--scene", "DerivativeTrace", "--output-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "1 of 2 scene(s) failed: DerivativeTrace" in result.stderr
    assert "  DerivativeTrace: ValueError: bad tangent" in result.stderr
    assert "FAILED: ValueError: bad tangent" in result.stdout
    assert "2.9 MB" in result.stdout
    verbose = run(
        "--scene", "SteepnessSweep", "--scene", "DerivativeTrace", "-v", "--output-dir", str(tmp_path)
    )
    assert "--- DerivativeTrace ---\nTraceback ..." in verbose.stderr


def test_ctrl_c_before_rendering_starts_also_exits_130(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Only the render itself was covered: a Ctrl-C while checking the machine gave click's "Aborted!", exit 1.
    def interrupted() -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(preflight, "missing_requirements", interrupted)
    result = run("--scene", "SteepnessSweep", "--output-dir", str(tmp_path))
    assert result.exit_code == 130
    assert result.stderr.strip() == "Interrupted: no finished file was replaced by a partial one."


def test_summary_prints_brackets_in_errors_and_paths_as_they_are(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # rich read them as markup: "[/...]" crashed the summary with a MarkupError, "[draft]" vanished.
    out = tmp_path / "[draft]"

    def render_many(jobs: list[RenderJob], **kwargs: Any) -> list[RenderResult]:
        return [
            RenderResult("SteepnessSweep", ok=True, files=(out.resolve() / "480p15/SteepnessSweep.mp4",)),
            RenderResult("DerivativeTrace", ok=False, error="OSError: cannot open [/tmp/x] [bold]"),
        ]

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = run("--scene", "SteepnessSweep", "--scene", "DerivativeTrace", "--output-dir", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{out}/480p15/SteepnessSweep.mp4" in result.stdout
    assert "FAILED: OSError: cannot open [/tmp/x] [bold]" in result.stdout


def test_ctrl_c_exits_130_with_a_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def render_many(jobs: list[RenderJob], **kwargs: Any) -> list[RenderResult]:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = run("--scene", "SteepnessSweep", "--output-dir", str(tmp_path))
    assert result.exit_code == 130
    assert result.stderr.strip().endswith("Interrupted: no finished file was replaced by a partial one.")


def test_quality_lookup_rejects_unknown_names() -> None:
    assert quality(" Production ").letter == "p"
    with pytest.raises(KeyError):
        quality("ultra")


def test_warnings_from_the_render_are_printed_once_each(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    note = "manifest.json is not valid JSON; kept it as manifest.json.corrupt-x and rebuilt 1 entries"

    def render_many(jobs: list[RenderJob], **kwargs: Any) -> list[RenderResult]:
        return [RenderResult(job.scene, ok=True, warnings=(note,)) for job in jobs]

    monkeypatch.setattr(pipeline, "render_many", render_many)
    monkeypatch.setattr(preflight, "missing_requirements", lambda: [])
    result = run("--scene", "SteepnessSweep", "--scene", "DerivativeTrace", "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if "Warning" in line] == [f"Warning: {note}"]
