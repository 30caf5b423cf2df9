"""What the CLI shows while it renders: a bar per scene, then a summary table (rich).

On a terminal each scene gets a live bar (scene seconds rendered out of the
expected length); elsewhere (CI logs, pipes) one plain line per event.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from lecture.jobs import RenderResult

__all__ = ["RenderReport", "human_size", "summary_table"]


def human_size(n_bytes: int) -> str:
    """``1536`` -> ``'1.5 KB'``.

    Examples
    --------
    >>> human_size(0), human_size(1536), human_size(12_345_678)
    ('0 B', '1.5 KB', '11.8 MB')
    """
    size = float(n_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _seconds(s: float) -> str:
    return f"{s:.1f} s"


class _StateColumn(ProgressColumn):
    """A spinner while a scene renders; a tick or a cross once it is done."""

    def __init__(self) -> None:
        super().__init__()
        self.spinner = Spinner("dots", style="progress.spinner")

    def render(self, task: Task) -> Spinner | Text:
        outcome = task.fields.get("outcome", "")
        if outcome:
            return Text("✓", style="green") if outcome == "ok" else Text("✗", style="red")
        return self.spinner if task.started else Text(" ")


class RenderReport:
    """Progress for a batch of scenes; use as a context manager around the render."""

    def __init__(self, console: Console, expected_s: dict[str, float], *, enabled: bool = True) -> None:
        self.console, self.expected_s, self.enabled = console, expected_s, enabled
        self.live = enabled and console.is_terminal
        self._lock = threading.Lock()
        self._progress = Progress(
            _StateColumn(),
            TextColumn("[bold]{task.fields[scene]:<18}"),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[clock]:>13}"),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RenderReport:
        if self.live:
            for scene, expected in self.expected_s.items():
                self._tasks[scene] = self._progress.add_task(
                    scene, total=max(expected, 1.0), scene=scene, clock="", status="queued", outcome="",
                    start=False,
                )
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.live:
            self._progress.stop()

    def progress(self, scene: str, phase: str, seconds: float) -> None:
        """A worker's report: phase ``start``, ``time`` (scene seconds so far), ``encode`` or ``finish``."""
        if not self.enabled:
            return
        with self._lock:
            if not self.live:
                if phase == "start":
                    self.console.print(f"{scene}: rendering", highlight=False)
                return
            task = self._tasks.get(scene)
            if task is None:
                return
            if phase == "start":
                self._progress.start_task(task)
                self._progress.update(task, status="rendering")
            total = self._progress.tasks[self._tasks_index(task)].total or 1.0
            if seconds > total:
                self._progress.update(task, total=seconds)
            clock = f"{seconds:5.1f} s / ~{self.expected_s.get(scene, 0):.0f} s"
            self._progress.update(task, completed=seconds, clock=clock)
            if phase == "encode":
                self._progress.update(task, status="writing files")

    def _tasks_index(self, task: TaskID) -> int:
        return [t.id for t in self._progress.tasks].index(task)

    def result(self, result: RenderResult) -> None:
        """A scene has finished (or failed)."""
        if not self.enabled:
            return
        with self._lock:
            outcome = "interrupted" if result.interrupted else "FAILED"
            done = "[green]up to date" if result.up_to_date else "[green]done"
            status = done if result.ok else f"[red]{outcome}"
            if not self.live:
                self.console.print(f"{result.scene}: {status} in {result.render_s:.1f} s", highlight=False)
                return
            task = self._tasks.get(result.scene)
            if task is not None:
                total = self._progress.tasks[self._tasks_index(task)].total
                self._progress.update(task, status=status, completed=total if result.ok else None,
                                      outcome="ok" if result.ok else "failed")
                self._progress.stop_task(task)


def summary_table(
    results: Sequence[RenderResult], output_dir: Path, *, shown_dir: Path | None = None, dry_run: bool = False
) -> Table:
    """One row per scene: duration, file, size, render time (or why it failed).

    Files are shown under ``shown_dir`` (the output folder as the user typed it).
    Errors and paths go in as plain :class:`~rich.text.Text`, never as markup:
    a ``[`` in them is printed as it is.
    """
    shown_dir = output_dir if shown_dir is None else shown_dir
    title = "Dry run: the scenes ran, nothing was written" if dry_run else None
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("Scene", style="bold", no_wrap=True)
    table.add_column("Duration", justify="right", no_wrap=True)
    if dry_run:
        table.add_column("Animations", justify="right")
    else:
        table.add_column("File", overflow="fold")
        table.add_column("Size", justify="right", no_wrap=True)
    table.add_column("Render time", justify="right", no_wrap=True)
    for r in results:
        if not r.ok:
            why = Text("interrupted" if r.interrupted else f"FAILED: {r.error}", style="red")
            table.add_row(r.scene, "", why, *([] if dry_run else [""]), _seconds(r.render_s))
        elif dry_run:
            table.add_row(r.scene, _seconds(r.duration_s), str(r.plays), _seconds(r.render_s))
        else:
            main = r.files[0] if r.files else Path()
            shown = shown_dir / main.relative_to(output_dir) if main.is_relative_to(output_dir) else main
            table.add_row(r.scene, _seconds(r.duration_s), Text(str(shown)), human_size(r.size_bytes),
                          "up to date" if r.up_to_date else _seconds(r.render_s))
    return table
