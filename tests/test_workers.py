"""The worker pool and its signals, with trivial jobs: no rendering, so each test takes a second or less."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from lecture.workers import Interrupts, WorkerContext, run_in_processes, stopping_on_signals


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
