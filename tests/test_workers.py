"""The worker pool and its signals, with trivial jobs: no rendering, so each test takes a second or less."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from lecture.render.workers import Interrupts, Spares, WorkerContext, run_in_processes, stopping_on_signals


def shout(job: str, context: WorkerContext) -> str:
    """A job for the pool (module level, so a spawned worker can import it)."""
    assert context.parent == os.getppid()
    if job == "crash":
        os._exit(3)
    if job == "interrupt":
        raise KeyboardInterrupt
    assert context.sink is not None
    context.sink(job, "start", 0.0)
    return job.upper()


def test_pool_returns_results_in_job_order_and_reports_lost_workers() -> None:
    progress: list[tuple[Any, ...]] = []
    done: list[str] = []
    results = run_in_processes(
        shout, ["a", "crash", "b", "interrupt"], n_jobs=2, name=str,
        lost=lambda job, code: f"lost {job}: {code}",
        on_progress=lambda *event: progress.append(event), on_result=done.append,
    )
    assert results == ["A", "lost crash: 3", "B", "lost interrupt: None"]
    assert sorted(done) == sorted(results)
    assert sorted(progress) == [("a", "start", 0.0), ("b", "start", 0.0)]


def test_a_stop_signal_held_over_a_section_is_raised_after_it() -> None:
    interrupts = Interrupts()
    finished = False
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        interrupts.handle(signal.SIGTERM, None)
        interrupts.handle(signal.SIGHUP, None)  # a second signal must not cut the section either
        finished = True
    assert finished
    interrupts.handle(signal.SIGTERM, None)  # only the first signal counts


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_like_ctrl_c(signum: signal.Signals) -> None:
    previous = signal.getsignal(signum)
    with pytest.raises(KeyboardInterrupt), stopping_on_signals():
        os.kill(os.getpid(), signum)
    assert signal.getsignal(signum) is previous


def preloaded(job: str, context: WorkerContext) -> tuple[str, bool, int]:
    """A job that tells what its process had imported before it came."""
    import sys

    assert context.parent == os.getppid()
    return job, "spare_preload_mod" in sys.modules, os.getpid()


def test_a_spare_worker_takes_the_next_job_unless_a_file_it_loaded_was_saved_since(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "spare_preload_mod.py"
    module.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # the spawned spare gets this sys.path
    spares = Spares(["spare_preload_mod"], tmp_path)
    run = lambda jobs: run_in_processes(  # noqa: E731
        preloaded, jobs, n_jobs=1, name=str, lost=lambda job, code: ("lost", False, 0), spares=spares
    )
    try:
        ((_, imported, first_pid),) = run(["first"])
        assert not imported and spares.used == 0, "no spare yet: a fresh process"
        ((_, imported, spare_pid),) = run(["second"])
        assert imported and spares.used == 1, "the spare, its preload imported, took the job"
        assert spare_pid != first_pid
        (_, waiting), = spares._waiting
        assert waiting.poll(60), "the new spare has reported its imports, so loaded the file before the save"
        module.write_text("VALUE = 2\n")  # saved after the spare that is now waiting loaded it
        os.utime(module, ns=(os.stat(module).st_atime_ns, os.stat(module).st_mtime_ns + 10**9))
        ((job, imported, _),) = run(["third"])
        assert job == "third" and not imported, "the stale spare was stopped; a fresh process ran the job"
        assert spares.used == 1 and spares.stale == 1
    finally:
        spares.close()
    assert not any(p.name == "render-spare" for p in __import__("multiprocessing").active_children())
