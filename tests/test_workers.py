"""The worker pool and its signals, with trivial jobs: no rendering, so each test takes a second or less."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from lecture.render import pipeline
from lecture.render.workers import (
    Interrupts,
    Spares,
    WorkerContext,
    oom_kills,
    process_end,
    run_in_processes,
    stopping_on_signals,
)


def shout(job: str, context: WorkerContext) -> str:
    """A job for the pool (module level, so a spawned worker can import it)."""
    assert context.parent == os.getppid()
    if job == "crash":
        os._exit(3)
    if job == "sigkill":  # as by `kill -9`, or the kernel's out-of-memory killer
        os.kill(os.getpid(), signal.SIGKILL)
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


# --- how a lost worker is reported -------------------------------------------------
def test_a_killed_worker_is_reported_killed_by_its_signal_without_guessing_memory(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a SIGKILL was reported as ``exit code -9; out of memory?`` whoever sent it."""
    from tests.test_render_e2e import tiny_job

    (code,) = run_in_processes(shout, ["sigkill"], n_jobs=1, name=str, lost=lambda job, code: code)
    assert code == -signal.SIGKILL
    monkeypatch.setattr(pipeline, "oom_kills", lambda: 0)  # the kernel killed nothing for memory
    job = tiny_job(tmp_path)
    assert pipeline._lost(job, code, oom_kills_before=0).error == "the worker process was killed (signal 9)"
    assert pipeline._lost(job, code).error == "the worker process was killed (signal 9)", "cannot tell"
    assert pipeline._lost(job, 3, oom_kills_before=0).error == "the worker process died (exit code 3)"
    monkeypatch.setattr(pipeline, "oom_kills", lambda: 1)  # the kernel counted an OOM kill meanwhile
    assert pipeline._lost(job, code, oom_kills_before=0).error == (
        "the worker process was killed (signal 9) by the kernel's out-of-memory killer; try fewer --jobs"
    )


@pytest.mark.parametrize(
    ("cgroup", "file", "text"),
    [
        ("0::/user.slice/lecture\n", "user.slice/lecture/memory.events", "low 0\noom 2\noom_kill 2\n"),
        (
            "4:memory:/process_api/abc\n0::/\n",
            "memory/process_api/abc/memory.oom_control",
            "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n",
        ),
        ("4:memory:/elsewhere\n", "memory/memory.oom_control", "oom_kill 1\n"),  # a container's root
    ],
    ids=["v2", "v1", "v1-namespaced"],
)
def test_oom_kills_reads_the_kernels_count_for_this_cgroup(
    tmp_path: Any, cgroup: str, file: str, text: str
) -> None:
    proc, cgroups = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(cgroup)
    assert oom_kills(proc, cgroups) is None, "nothing to read: cannot tell"
    (cgroups / file).parent.mkdir(parents=True, exist_ok=True)
    (cgroups / file).write_text(text)
    assert oom_kills(proc, cgroups) == int(text.split("oom_kill ")[1].split()[0])
    assert process_end(-9, None, 3) == "the worker process was killed (signal 9)"
