"""The command line for the sigmoid lecture: ``python render.py --help``.

Thin by design: options, validation and messages live here; the rendering
lives in :mod:`lecture.render.pipeline`. Listing scenes and ``--help`` never import
manim, so they answer at once.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import scenes
from lecture.render.workers import stopping_on_signals
from lecture.settings.configfile import ConfigError
from lecture.settings.render_config import (
    FORMATS,
    QUALITY_NAMES,
    Quality,
    RenderSettings,
    load_render_settings,
    quality,
)
from lecture.settings.theme import get_theme, theme_names

if TYPE_CHECKING:  # the pipeline is imported only when rendering, to keep --help and --list fast
    from lecture.render.pipeline import Mode, RenderJob, RenderResult


def _load_defaults() -> tuple[RenderSettings | None, list[str], ConfigError | None]:
    """Settings and theme names for the option defaults; a config error is kept for later.

    ``--help`` still works with a broken config file; anything else reports
    the error (naming file and key) instead of rendering.
    """
    try:
        themes = theme_names()
        return load_render_settings(themes=themes), themes, None
    except ConfigError as error:
        return None, ["dark", "light"], error


SETTINGS, THEMES, CONFIG_ERROR = _load_defaults()


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


#: ``--jobs`` is at most this many times the cores: more processes than cores only wait for one another
#: (--jobs 4 on 2 cores: 17 s against 10 s with 2), and each ManimCE process holds its own memory.
JOBS_PER_CORE = 4


def _check_jobs(ctx: click.Context, param: click.Parameter, value: int) -> int:
    cap = JOBS_PER_CORE * _default_jobs()
    if value > cap:
        raise click.BadParameter(
            f"{value} is more than {cap} ({JOBS_PER_CORE} × the {_default_jobs()} core(s) this machine has); "
            f"more processes than cores only wait for one another."
        )
    return value


# --- validation callbacks ----------------------------------------------------
class _Folder(click.Path):
    """A folder path that may not be empty: click reads ``""`` as the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("must not be empty; give a folder, e.g. --output-dir media", param, ctx)
        return super().convert(value, param, ctx)


def _check_scenes(ctx: click.Context, param: click.Parameter, names: Sequence[str]) -> list[str]:
    """Resolve ``--scene`` names (any letter case) against the registry, in the order given."""
    by_lower = {name.lower(): name for name in scenes.SCENES}
    chosen: list[str] = []
    for name in names:
        found = by_lower.get(name.lower())
        if found is None:
            hint = difflib.get_close_matches(name.lower(), by_lower, n=1, cutoff=0.5)
            message = f"no scene {name!r}" + (f"; did you mean {by_lower[hint[0]]}?" if hint else ".")
            raise click.BadParameter(f"{message} Scenes: {', '.join(scenes.SCENES)}.")
        if found not in chosen:
            chosen.append(found)
    return chosen


def _check_voice(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--voice``: ``none``, a voice named in config/render.toml, or a Piper model file."""
    from lecture.voice.speech import NO_VOICE, load_voice_settings, resolve_model

    if value.strip().lower() == NO_VOICE:
        return NO_VOICE
    try:
        model = resolve_model(value, load_voice_settings())
    except ConfigError as error:
        raise click.BadParameter(str(error)) from None
    # A path is handed on whole, so the render processes find the model whatever their folder.
    return value if value in load_voice_settings().models else str(model)


def _default_voice() -> str:
    from lecture.voice.speech import load_voice_settings

    try:
        return load_voice_settings().default
    except ConfigError:
        return "none"


def _to_quality(ctx: click.Context, param: click.Parameter, value: str) -> Quality:
    return quality(value)


def _check_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    from lecture.render.shard import parse_shard

    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _list_scenes(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--list``: one scene a line, in lecture order: name, description, expected length."""
    if not value or ctx.resilient_parsing:
        return
    width = max(len(name) for name in scenes.SCENES)
    for info in scenes.SCENES.values():
        click.echo(f"{info.name:<{width}}  {info.description}  (~{info.duration_s} s)")
    ctx.exit(0)


def _explicit(ctx: click.Context, name: str) -> bool:
    """Whether the user gave option ``name`` (rather than its default)."""
    source = ctx.get_parameter_source(name)
    return source not in (None, click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP)


def _usage_checks(ctx: click.Context, p: dict[str, Any]) -> None:
    """Reject option combinations that make no sense, each with a one-line reason."""
    if p["verbose"] and p["quiet"]:
        raise click.UsageError("--verbose and --quiet cannot be used together.")
    if p["render_all"] and p["scene"]:
        raise click.UsageError("--all and --scene cannot be used together: --all renders every scene.")
    if p["lecture"]:
        _lecture_usage_checks(ctx, p)
    elif p["assemble_only"]:
        raise click.UsageError("--assemble-only joins the rendered scenes into the lecture; add --lecture.")
    if p["shard_dirs"] and not p["assemble_only"]:
        raise click.UsageError("--shard-dir gives --lecture --assemble-only a shard's output; add them.")
    if not p["render_all"] and not p["scene"] and not p["lecture"]:
        raise click.UsageError(
            "nothing to render: give --scene NAME (repeatable), --all, --lecture, or --list."
        )
    if p["shard"] is not None and not (p["render_all"] or p["lecture"]):
        raise click.UsageError("--shard shares out the scenes of --all or --lecture; add one of them.")
    if p["still"] and p["storyboard"]:
        raise click.UsageError("--still and --storyboard cannot be used together.")
    if p["watch"] and p["dry_run"]:
        raise click.UsageError("--watch shows what was rendered; it cannot be combined with --dry-run.")
    if _explicit(ctx, "port") and not p["watch"]:
        raise click.UsageError("--port is the --watch preview page's port; add --watch.")
    for flag in ("still", "storyboard"):
        if p[flag] and _explicit(ctx, "fmt") and p["fmt"] != "png":
            raise click.UsageError(f"--{flag} writes a PNG; it cannot be combined with --format {p['fmt']}.")


def _lecture_usage_checks(ctx: click.Context, p: dict[str, Any]) -> None:
    """``--lecture`` renders every scene as MP4 and assembles them: nothing else fits with it."""
    for flag, name in (("render_all", "--all"), ("scene", "--scene"), ("still", "--still"),
                       ("storyboard", "--storyboard"), ("dry_run", "--dry-run"), ("watch", "--watch")):
        if p[flag]:
            raise click.UsageError(f"--lecture cannot be combined with {name}: it renders all scenes as MP4.")
    if p["fmt"].lower() != "mp4":
        raise click.UsageError(f"--lecture makes an MP4: it cannot be combined with --format {p['fmt']}.")
    if p["assemble_only"] and p["shard"] is not None:
        raise click.UsageError("--assemble-only cannot be combined with --shard: it joins all the shards.")


#: The assembled lecture's title (the MP4's, the page's, the transcript's).
LECTURE_TITLE = "The logistic sigmoid"

# --- the command -------------------------------------------------------------
_DEFAULT_QUALITY = SETTINGS.quality.letter if SETTINGS else "h"
_STORYBOARD_QUALITY = SETTINGS.storyboard.quality.letter if SETTINGS else "l"
_GIF = (SETTINGS.gif.quality.letter, SETTINGS.gif.width, SETTINGS.gif.fps) if SETTINGS else ("m", 720, 15)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--scene", "scene", multiple=True, metavar="NAME", callback=_check_scenes,
              help="Scene to render (see --list); repeat for several.")
@click.option("--all", "render_all", is_flag=True, help="Render every scene, in lecture order.")
@click.option("--list", "list_scenes", is_flag=True, is_eager=True, expose_value=False, callback=_list_scenes,
              help="List the scenes (name, description, expected length) and exit.")
@click.option("-q", "--quality", "quality_", type=click.Choice(QUALITY_NAMES, case_sensitive=False),
              default=_DEFAULT_QUALITY, show_default=True, callback=_to_quality,
              help="ManimCE preset: l=480p15 m=720p30 h=1080p60 p=1440p60 k=2160p60 (or the words).")
@click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
              default=SETTINGS.format if SETTINGS else "mp4", show_default=True,
              help=f"mp4 (H.264, plays everywhere), webm (VP9), gif (for slide decks: {_GIF[1]} px wide, "
                   f"{_GIF[2]} fps; renders at -q {_GIF[0]} unless -q is given), "
                   "png (the last frame, like --still).")
@click.option("--still", is_flag=True, help="Write only the last frame as PNG: the fastest preview.")
@click.option("--storyboard", is_flag=True,
              help=f"Write one PNG contact sheet of evenly spaced keyframes with their captions "
                   f"(renders at -q {_STORYBOARD_QUALITY} unless -q is given).")
@click.option("--theme", type=click.Choice(THEMES), default=SETTINGS.theme if SETTINGS else "dark",
              show_default=True, help="Colour theme from config/themes.toml.")
@click.option("--voice", default=_default_voice(), show_default=True, metavar="NAME|PATH|none",
              callback=_check_voice,
              help="The narrator: a voice named in config/render.toml, a Piper model (.onnx, its .onnx.json "
                   "beside it), or none for silent videos with the same captions.")
@click.option("--output-dir", type=_Folder(file_okay=False, path_type=Path),
              default=SETTINGS.output_dir if SETTINGS else Path("media"), show_default=True,
              help="Where the videos, posters, captions and manifest.json go.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=_default_jobs(), show_default=True,
              callback=_check_jobs,
              help="Processes to render with: scenes in parallel, and a scene's animations shared out "
                   "among the processes left over (the video is the same). At most "
                   f"{JOBS_PER_CORE} × the cores ({JOBS_PER_CORE * _default_jobs()} here).")
@click.option("--lecture", is_flag=True,
              help="Render every scene not up to date, then join them into OUTPUT_DIR/lecture/<label>/: "
                   "lecture.mp4 (a chapter per scene, captions, one narration track), lecture.vtt, "
                   "chapters.vtt, transcript.md and index.html, the lecture page (#present: presenter mode).")
@click.option("--assemble-only", is_flag=True,
              help="With --lecture: render nothing, join the scenes already in OUTPUT_DIR (e.g. copied "
                   "there from the --shard machines); refused if one is missing or does not match.")
@click.option("--shard", metavar="I/N", callback=_check_shard,
              help="Render only share I of N of the scenes of --all or --lecture (the same split on every "
                   "machine), for a CI matrix or a Slurm array; --lecture --shard assembles nothing.")
@click.option("--shard-dir", "shard_dirs", multiple=True, metavar="FOLDER",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="With --assemble-only: a --shard machine's output folder (as render.py wrote it, "
                   "manifest.json and all); its scenes are published into OUTPUT_DIR first. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Run the scenes (to catch errors) but write nothing.")
@click.option("--force", is_flag=True,
              help="Render even scenes whose files are up to date (same code, config and options).")
@click.option("--watch", is_flag=True,
              help="Render, then render again whenever a file under scenes/, lecture/ or config/ is saved, "
                   "and show the latest result on a preview page at http://127.0.0.1:PORT/.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port of the --watch preview page; 0 picks a free one.")
@click.option("-v", "--verbose", is_flag=True, help="Show ManimCE's log and the tracebacks of failed scenes.")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def cli(ctx: click.Context, /, **params: Any) -> None:
    """Render the sigmoid lecture's scenes to web-ready video.

    Each scene goes to OUTPUT_DIR/<label>/<Scene>.mp4 (label is ManimCE's,
    e.g. 1080p60), with its poster frame <Scene>.png and WebVTT captions
    <Scene>.vtt beside it, and an entry in OUTPUT_DIR/manifest.json. Files
    are replaced only when a render succeeds; ManimCE's working files stay in
    OUTPUT_DIR/cache. Defaults come from config/render.toml.

    \b
    Examples:
      python render.py --scene SteepnessSweep -q h    # the flagship, 1080p60
      python render.py --all -q l                     # every scene, quick
      python render.py --scene LogitReflection --still
      python render.py --scene DerivativeTrace --storyboard
      python render.py --lecture -q l                 # the whole lecture and its page
    """
    if CONFIG_ERROR is not None:
        raise click.ClickException(str(CONFIG_ERROR))
    _usage_checks(ctx, params)
    try:
        _render(ctx, params)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM/SIGHUP while rendering (see _run)
        click.echo("Interrupted: no finished file was replaced by a partial one.", err=True)
        raise click.exceptions.Exit(130) from None


def _render(ctx: click.Context, params: dict[str, Any]) -> None:
    """Check the machine and the output folder, render, and list any failures (exit code 1)."""
    assert SETTINGS is not None
    from lecture.render import preflight  # imported here: --help and --list stay fast

    names = list(scenes.SCENES) if params["render_all"] or params["lecture"] else params["scene"]
    if params["shard"] is not None:
        from lecture.render.shard import shard_scenes

        weights = [(name, float(scenes.SCENES[name].duration_s)) for name in names]
        names = shard_scenes(weights, *params["shard"])
    if params["lecture"] and params["assemble_only"]:
        _assemble(ctx, params, SETTINGS)
        return
    if not names:
        click.echo(f"Shard {params['shard'][0]}/{params['shard'][1]} has no scenes: nothing to render.")
        return
    jobs = _build_jobs(ctx, params, SETTINGS, names)
    missing = preflight.missing_requirements()
    if missing:
        raise click.ClickException(
            f"cannot render: missing {'; '.join(missing)}. Install them with `make setup`, then try again."
        )
    font_problem = preflight.missing_font(get_theme(params["theme"]))
    if font_problem:
        raise click.ClickException(font_problem)
    output_dir: Path = params["output_dir"]
    if not params["dry_run"]:
        reason = preflight.check_output_dir(output_dir.resolve())
        if reason:
            raise click.ClickException(f"cannot write to output directory {output_dir}: {reason}")
    if params["watch"]:
        _watch(jobs, params, output_dir)
        return
    results = _run(jobs, params, output_dir)
    failed = [r for r in results if not r.ok]
    if failed:
        names = ", ".join(r.scene for r in failed)
        click.echo(f"{len(failed)} of {len(results)} scene(s) failed: {names}", err=True)
        for r in failed:
            if params["verbose"]:
                click.echo(f"--- {r.scene} ---\n{r.detail or r.error}", err=True)
            else:
                click.echo(f"  {r.scene}: {r.error}", err=True)
        if params["lecture"]:
            click.echo("The lecture was not assembled; the previous one, if any, is as it was.", err=True)
        ctx.exit(1)
    if params["lecture"] and params["shard"] is None:
        _assemble(ctx, params, SETTINGS)
    elif params["lecture"] and not params["quiet"]:
        index, count = params["shard"]
        click.echo(f"Shard {index}/{count} rendered. Copy every shard's {output_dir} into one folder, "
                   f"then assemble with: render.py --lecture --assemble-only --output-dir FOLDER")


def _assemble(ctx: click.Context, p: dict[str, Any], settings: RenderSettings) -> None:
    """Join the rendered scenes into the lecture (:mod:`lecture.assemble`) and say where it is."""
    from lecture.assemble.lecture import assemble_lecture
    from lecture.assemble.plan import AssemblyError, chapter_title

    output_dir: Path = p["output_dir"]
    if p["assemble_only"]:
        from lecture.render import preflight

        reason = preflight.check_output_dir(output_dir.resolve())
        if reason:
            raise click.ClickException(f"cannot write to output directory {output_dir}: {reason}")
    label = p["quality_"].label
    try:
        with stopping_on_signals():  # SIGTERM and SIGHUP stop the assembly cleanly too, like Ctrl-C
            if p["shard_dirs"]:
                from lecture.assemble.shards import gather_shards

                brought = gather_shards(output_dir.resolve(), [d.resolve() for d in p["shard_dirs"]])
                if not p["quiet"]:
                    click.echo(f"Took {len(brought)} scene(s) from {len(p['shard_dirs'])} shard folder(s).")
            chapters = [(name, info.title or chapter_title(name)) for name, info in scenes.SCENES.items()]
            result = assemble_lecture(
                output_dir.resolve(), chapters, label=label,
                theme=p["theme"], voice=p["voice"], title=LECTURE_TITLE, force=p["force"],
            )
    except AssemblyError as error:
        raise click.ClickException(f"cannot assemble the lecture: {error}") from None
    except OSError as error:  # a full disk, a folder in the way: nothing was replaced
        raise click.ClickException(f"cannot publish the lecture: {error}") from None
    for note in result.notes:
        click.echo(f"Warning: {note}", err=True)
    if p["quiet"]:
        return
    shown = output_dir / "lecture" / label
    state = "up to date" if result.up_to_date else f"assembled in {result.assemble_s:.1f} s"
    click.echo(
        f"Lecture {state}: {shown / 'lecture.mp4'} ({result.duration_s:.1f} s, {result.chapters} chapters, "
        f"{result.beats} beats); page: {shown / 'index.html'} (presenter mode: index.html#present)"
    )


def _build_jobs(
    ctx: click.Context, p: dict[str, Any], settings: RenderSettings, names: list[str]
) -> list[RenderJob]:
    from lecture.render.pipeline import RenderJob

    try:
        get_theme(p["theme"])
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    mode: Mode = "video"
    if p["dry_run"]:
        mode = "dry-run"
    elif p["storyboard"]:  # before --format png: the storyboard is a PNG too
        mode = "storyboard"
    elif p["still"] or p["fmt"] == "png":
        mode = "still"
    chosen = p["quality_"]
    if not _explicit(ctx, "quality_"):  # these are scaled down anyway: render no bigger than needed
        if mode == "storyboard":
            chosen = settings.storyboard.quality
        elif mode == "video" and p["fmt"].lower() == "gif":
            chosen = settings.gif.quality
    verbosity = "INFO" if p["verbose"] else "ERROR" if p["quiet"] else "WARNING"
    return [
        RenderJob(
            scene=name,
            module=scenes.SCENES[name].module,
            quality=chosen,
            format="png" if mode == "still" else p["fmt"].lower(),
            theme=p["theme"],
            output_dir=p["output_dir"].resolve(),
            mode=mode,
            verbosity=verbosity,
            gif=settings.gif,
            storyboard=settings.storyboard,
            voice=p["voice"],
        )
        for name in names
    ]


def _run(jobs: list[RenderJob], p: dict[str, Any], output_dir: Path) -> list[RenderResult]:
    """Render with progress and a summary; SIGTERM and SIGHUP stop cleanly, like Ctrl-C."""
    from rich.console import Console

    from lecture.publish.report import RenderReport, summary_table
    from lecture.render import pipeline

    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    expected = {job.scene: float(scenes.SCENES[job.scene].duration_s) for job in jobs}
    with stopping_on_signals(), RenderReport(console, expected, enabled=not p["quiet"]) as report:
        results = pipeline.render_many(jobs, n_jobs=p["jobs"], on_progress=report.progress,
                                       on_result=report.result, force=p["force"])
    for warning in dict.fromkeys(w for r in results for w in r.warnings):
        click.echo(f"Warning: {warning}", err=True)
    if not p["quiet"]:
        longest = max((len(str(output_dir / "2160p60" / f"{r.scene}.storyboard.png")) for r in results),
                      default=0)
        out = Console(width=None if sys.stdout.isatty() else max(120, longest + 70))  # logs: no folded paths
        out.print(summary_table(results, output_dir.resolve(), shown_dir=output_dir, dry_run=p["dry_run"]))
    return results


def _watch(jobs: list[RenderJob], p: dict[str, Any], output_dir: Path) -> None:
    """``--watch``: render, serve the preview page, render again on every save, until Ctrl-C."""
    from lecture.preview import watch
    from lecture.render import pipeline

    folders = watch.watched_folders(pipeline.PROJECT_ROOT, {job.module for job in jobs})
    spares = pipeline.spare_workers()  # each render after a save starts with ManimCE imported
    try:
        with stopping_on_signals():
            watch.watch(jobs, lambda todo: pipeline.render_many(todo, n_jobs=p["jobs"], force=p["force"],
                                                                spares=spares),
                        output_dir=output_dir.resolve(), folders=folders, port=p["port"], echo=click.echo)
    except OSError as error:  # the port: in use, or not ours to bind
        raise click.ClickException(
            f"cannot serve the preview on 127.0.0.1:{p['port']}: {error.strerror or error}; "
            "try another --port (0 picks a free one)."
        ) from None
    except KeyboardInterrupt:
        click.echo("Stopped watching; the last good files are in place.", err=True)
        raise click.exceptions.Exit(130) from None
    finally:
        spares.close()


def main() -> None:
    """Entry point: ``python render.py ...``."""
    cli(prog_name="render.py")


if __name__ == "__main__":
    main()
