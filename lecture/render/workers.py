"""Running jobs in worker processes: the pool, the signals that stop it, the orphan watch.

Nothing here knows what a job is: :func:`run_in_processes` calls a
module-level function ``work(job, context)`` in a fresh spawned process per
job and passes back what it returns. Everything a worker needs from its
parent (where to report progress, which process to watch, how to hold an
interrupt over a section that must finish) arrives as a :class:`WorkerContext`
argument, never through module globals.

Each worker talks to the parent over its own pipe. A pipe holds no
semaphore, so a CLI killed with SIGKILL or SIGHUP leaves nothing for
multiprocessing's resource tracker to warn about ("leaked semaphore").
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = [
    "STOP_SIGNALS",
    "Interrupts",
    "ProgressSink",
    "Spares",
    "Watch",
    "WorkerContext",
    "oom_kills",
    "process_end",
    "run_in_processes",
    "stop_processes",
    "stopping_on_signals",
]

#: ``(name, phase, seconds done)``; phase is start, time, encode or finish.
ProgressSink = Callable[[str, str, float], None]
#: Signals that stop a render cleanly, like Ctrl-C: ``kill``, and a closed terminal.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

Job = TypeVar("Job")
Result = TypeVar("Result")


# --- signals --------------------------------------------------------------------
class Interrupts:
    """Turns stop signals into one ``KeyboardInterrupt``, and can hold it over a section that must finish.

    Only the first signal counts: a second one (Ctrl-C, then the parent's
    SIGTERM) must not cut the clean-up the first one started. The handler
    stays installed and just returns from then on: switching to ``SIG_IGN``
    instead races with a signal already on its way (Python then raises
    ``OSError: Signal 15 ignored due to race condition``).
    """

    def __init__(self) -> None:
        self.fired = False
        self._holding = 0
        self._pending = False

    def install(self, signals: Sequence[signal.Signals]) -> None:
        """Handle ``signals`` with :meth:`handle` (main thread only)."""
        for signum in signals:
            signal.signal(signum, self.handle)

    def handle(self, signum: int, frame: Any) -> None:
        """The signal handler: raise ``KeyboardInterrupt`` once, or remember it while held."""
        if self.fired:
            return
        self.fired = True
        if self._holding:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Run the block to its end; a stop signal that arrives meanwhile is raised after it."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
        if not self._holding and self._pending:
            self._pending = False
            raise KeyboardInterrupt


@contextlib.contextmanager
def stopping_on_signals(signals: Sequence[signal.Signals] = STOP_SIGNALS) -> Iterator[Interrupts]:
    """In the block, ``signals`` stop the program like Ctrl-C (a ``KeyboardInterrupt``), once.

    The previous handlers come back afterwards.
    """
    previous = {signum: signal.getsignal(signum) for signum in signals}
    interrupts = Interrupts()
    interrupts.install(signals)
    try:
        yield interrupts
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# --- what a worker gets from its parent ------------------------------------------
@dataclass(frozen=True)
class WorkerContext:
    """What the code running a job gets from whoever runs it.

    The defaults are for running in-process (tests): no progress, no parent
    to watch, nothing to hold.
    """

    #: Where progress goes, or nowhere.
    sink: ProgressSink | None = None
    #: The parent's process id: when it is gone, the job stops as if interrupted. 0: not watched.
    parent: int = 0
    #: Hold interrupts over a section that must run to its end (a commit and its roll-back).
    hold: Callable[[], contextlib.AbstractContextManager[None]] = field(default=contextlib.nullcontext)


class Watch(threading.Thread):
    """Reports how far a job has got; stops it if the parent process dies.

    Set :attr:`clock` to a function returning the seconds done so far once
    there is something to measure.
    """

    def __init__(self, name: str, context: WorkerContext) -> None:
        super().__init__(daemon=True, name=f"watch-{name}")
        self.job_name, self.sink, self.parent = name, context.sink, context.parent
        self.clock: Callable[[], float] | None = None
        self.done = threading.Event()

    def run(self) -> None:
        import _thread

        while not self.done.wait(0.25):
            if self.sink is not None and self.clock is not None:
                with contextlib.suppress(Exception):
                    self.sink(self.job_name, "time", float(self.clock()))
            if self.parent and os.getppid() != self.parent:
                # Orphaned (the CLI was killed): stop as if terminated, so nothing is published.
                _thread.interrupt_main(signal.SIGTERM)
                if not self.done.wait(20):
                    os._exit(130)
                return


@contextlib.contextmanager
def watching(name: str, context: WorkerContext) -> Iterator[Watch]:
    """A running :class:`Watch` for the block."""
    watch = Watch(name, context)
    watch.start()
    try:
        yield watch
    finally:
        watch.done.set()


# --- how a worker ended -----------------------------------------------------------
def oom_kills(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> int | None:
    """How many processes of this process's cgroup the kernel's out-of-memory killer has killed, or None.

    Read from the cgroup's ``memory.events`` (cgroup v2) or
    ``memory.oom_control`` (v1), whose ``oom_kill`` counts every OOM kill of
    a process in it, the system-wide killer's too. None when neither is
    there to read: then nobody can say a worker ran out of memory.
    """
    try:
        lines = (proc / "self" / "cgroup").read_text().splitlines()
    except OSError:
        return None
    candidates: list[Path] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        controllers, relative = parts[1], parts[2].lstrip("/")
        if controllers == "":  # v2
            candidates += [cgroups / relative, cgroups / "unified" / relative]
        elif "memory" in controllers.split(","):  # v1
            candidates.append(cgroups / "memory" / relative)
    candidates += [cgroups, cgroups / "memory"]  # a container sees its own cgroup as the root
    for folder in candidates:
        for name in ("memory.events", "memory.oom_control"):
            try:
                pairs = [line.split() for line in (folder / name).read_text().splitlines()]
                return int(dict(pair for pair in pairs if len(pair) == 2)["oom_kill"])
            except (OSError, KeyError, ValueError):
                continue
    return None


def process_end(exit_code: int, oom_kills_before: int | None, oom_kills_now: int | None) -> str:
    """How a worker process ended, for its result: its exit code, or the signal that killed it.

    Out of memory is said only when the kernel counted an OOM kill since the
    workers started (:func:`oom_kills`); a SIGKILL can come from anyone.

    Examples
    --------
    >>> process_end(3, None, None)
    'the worker process died (exit code 3)'
    >>> process_end(-9, 0, 0)
    'the worker process was killed (signal 9)'
    >>> process_end(-9, 0, 1)
    "the worker process was killed (signal 9) by the kernel's out-of-memory killer; try fewer --jobs"
    """
    if exit_code >= 0:
        return f"the worker process died (exit code {exit_code})"
    message = f"the worker process was killed (signal {-exit_code})"
    if oom_kills_before is not None and oom_kills_now is not None and oom_kills_now > oom_kills_before:
        message += " by the kernel's out-of-memory killer; try fewer --jobs"
    return message


# --- the pool -------------------------------------------------------------------
def _child(
    work: Callable[[Any, WorkerContext], Any], job: Any, connection: Any, interruptible: bool, parent: int
) -> None:
    """A worker process: run one job, send back its result, exit.

    SIGTERM and SIGHUP (the parent cancelling, a closed terminal) always stop
    the job cleanly; Ctrl-C does too unless the CLI was started with SIGINT
    ignored (``nohup``, ``&``).
    """
    interrupts = Interrupts()
    interrupts.install(STOP_SIGNALS)
    if interruptible:
        interrupts.install([signal.SIGINT])
    else:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    lock = threading.Lock()  # the watch thread reports progress while the main thread may send the result

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            connection.send(message)

    def sink(name: str, phase: str, seconds: float) -> None:
        with contextlib.suppress(Exception):
            send(("progress", name, phase, seconds))

    try:
        message: tuple[Any, ...] = ("result", work(job, WorkerContext(sink, parent, interrupts.held)))
    except KeyboardInterrupt:
        message = ("interrupted",)
    interrupts.fired = True  # from here on, signals are no-ops: the result must reach the parent
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        send(message)
    connection.close()


# --- spare workers, started ahead of their jobs -------------------------------------
def _spare(preload: Sequence[str], root: str, connection: Any) -> None:
    """A spare worker: import ``preload``, report the project files loaded, then run the job it is sent.

    It started with SIGINT ignored (see :func:`_start_quietly`); :func:`_child` sets
    the signals up once a job arrives. If its parent goes away or closes it
    first, it just exits.
    """
    import importlib
    import sys

    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    loaded = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.abspath(path).startswith(root + os.sep):
            with contextlib.suppress(OSError):
                loaded[os.path.abspath(path)] = os.stat(path).st_mtime_ns
    try:
        connection.send(("ready", loaded))
        work, job, interruptible, parent = connection.recv()
    except (EOFError, OSError):
        os._exit(0)
    _child(work, job, connection, interruptible, parent)


class Spares:
    """Worker processes started ahead of their jobs, each importing ``preload`` while it waits.

    For a loop that runs jobs again and again (``--watch``): a job then runs
    in a process that has ManimCE and the rest of ``preload`` imported. The
    project's own code must be what runs, so a spare that has loaded a file
    under ``root`` (the process start imports the CLI's module, and with it
    a few project modules) that was saved since is not used: it is stopped
    and the job gets a fresh process. Modules that an edit to the project
    can change do not belong in ``preload``.
    """

    def __init__(self, preload: Sequence[str], root: os.PathLike[str] | str, count: int = 1) -> None:
        self.preload, self.root, self.count = tuple(preload), os.path.abspath(root), count
        self._waiting: list[tuple[Any, Any]] = []  # (process, connection)
        #: Jobs given to a spare, and spares found stale (for tests and ``-v``).
        self.used = self.stale = 0

    def fill(self, context: Any) -> None:
        """Start spares until :attr:`count` are waiting."""
        while len(self._waiting) < self.count:
            here, there = context.Pipe(duplex=True)
            process = context.Process(
                target=_spare, args=(self.preload, self.root, there), name="render-spare", daemon=True
            )
            _start_quietly(process, there)
            self._waiting.append((process, here))

    def take(self) -> tuple[Any, Any] | None:
        """A waiting spare whose loaded project files are unchanged, or None (stale ones are stopped)."""
        while self._waiting:
            process, connection = self._waiting.pop(0)
            try:
                kind, loaded = connection.recv()  # waits for its imports, if it is still at them
            except (EOFError, OSError):
                kind, loaded = "gone", {}
            if kind == "ready" and process.is_alive() and _unchanged(loaded):
                self.used += 1
                return process, connection
            self.stale += 1
            stop_processes([process], drain=[connection])
        return None

    def close(self) -> None:
        """Stop the waiting spares."""
        waiting, self._waiting = self._waiting, []
        for _process, connection in waiting:
            connection.close()  # a spare waiting for a job exits at once
        stop_processes([process for process, _ in waiting], grace_s=5.0)


def _unchanged(loaded: dict[str, int]) -> bool:
    """Whether every file has the modification time it had (nothing saved since it was loaded)."""
    for path, mtime_ns in loaded.items():
        try:
            if os.stat(path).st_mtime_ns != mtime_ns:
                return False
        except OSError:
            return False
    return True


@dataclass
class _Running(Generic[Job]):
    index: int
    job: Job
    process: Any
    connection: Any
    outcome: tuple[Any, ...] | None = None


def run_in_processes(
    work: Callable[[Job, WorkerContext], Result],
    jobs: Sequence[Job],
    *,
    n_jobs: int,
    name: Callable[[Job], str],
    lost: Callable[[Job, int | None], Result],
    on_progress: ProgressSink | None = None,
    on_result: Callable[[Result], None] | None = None,
    spares: Spares | None = None,
) -> list[Result]:
    """Run ``work(job, context)`` for each job, up to ``n_jobs`` at a time, each in a fresh process.

    With ``spares``, a job goes to a spare process if one is fresh, and the
    spares are filled again once every job is done (ready for the next call).

    ``work`` must be a module-level function (it is pickled by name). One
    job's failure, even a crashed process, does not stop the others: a job
    whose process ends without a result gets ``lost(job, exit code)``, or
    ``lost(job, None)`` if it was interrupted. Results come back in job
    order. On ``KeyboardInterrupt`` (Ctrl-C, or a stop signal turned into one
    by :func:`stopping_on_signals`) the running jobs are stopped with SIGTERM
    (they clean up), the waiting ones never start, and the interrupt is
    re-raised.
    """
    context = multiprocessing.get_context("spawn")  # manim's global config is not fork-safe
    interruptible = signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    waiting = list(enumerate(jobs))
    running: dict[int, _Running[Job]] = {}
    results: dict[int, Result] = {}

    def receive(worker: _Running[Job]) -> None:
        """Handle every message waiting in the worker's pipe."""
        with contextlib.suppress(EOFError, OSError):
            while worker.connection.poll():
                message = worker.connection.recv()
                if message[0] == "progress":
                    if on_progress is not None:
                        on_progress(*message[1:])
                else:
                    worker.outcome = message

    def finish(worker: _Running[Job]) -> None:
        worker.process.join()
        receive(worker)
        worker.connection.close()
        outcome = worker.outcome
        if outcome is not None and outcome[0] == "result":
            results[worker.index] = outcome[1]
        else:
            results[worker.index] = lost(worker.job, None if outcome else worker.process.exitcode)
        if on_result is not None:
            on_result(results[worker.index])
        del running[worker.index]

    try:
        while waiting or running:
            while waiting and len(running) < max(1, n_jobs):
                index, job = waiting.pop(0)
                spare = spares.take() if spares is not None else None
                if spare is not None:
                    process, connection = spare
                    connection.send((work, job, interruptible, os.getpid()))
                    running[index] = _Running(index, job, process, connection)
                else:
                    running[index] = _start(context, work, index, job, name(job), interruptible)
            handles = [(w.connection, w.process.sentinel) for w in running.values()]
            multiprocessing.connection.wait([h for pair in handles for h in pair], timeout=1.0)
            for worker in list(running.values()):
                receive(worker)
                if not worker.process.is_alive():
                    finish(worker)
    except KeyboardInterrupt:
        stop_processes([w.process for w in running.values()], drain=[w.connection for w in running.values()])
        raise
    if spares is not None:
        spares.fill(context)
    return [results[i] for i in range(len(jobs))]


def _start(
    context: Any, work: Callable[..., Any], index: int, job: Job, name: str, interruptible: bool
) -> _Running[Job]:
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(work, job, sender, interruptible, os.getpid()), name=f"render-{name}"
    )
    _start_quietly(process, sender)
    return _Running(index, job, process, receiver)


def _start_quietly(process: Any, childs_end: Any) -> None:
    """Start ``process`` with SIGINT ignored, then close this process's copy of ``childs_end``.

    A Ctrl-C while it imports then prints no traceback (:func:`_child` sets
    the signals up); the child holds the only copy of its end of the pipe, so
    its exit is the pipe's end.
    """
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, previous)
        childs_end.close()


def stop_processes(processes: Sequence[Any], *, drain: Sequence[Any] = (), grace_s: float = 15.0) -> None:
    """SIGTERM each (a clean stop: temporaries removed), then SIGKILL any still running.

    The pipes in ``drain`` are read meanwhile, so no worker blocks writing
    to a full pipe while it should be exiting.
    """
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + grace_s
    open_pipes = list(drain)
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        ready = multiprocessing.connection.wait([*open_pipes, *(p.sentinel for p in processes)], timeout=0.2)
        for connection in [c for c in open_pipes if c in ready]:
            try:
                connection.recv()
            except (EOFError, OSError):
                open_pipes.remove(connection)
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join()
    for connection in drain:
        connection.close()
