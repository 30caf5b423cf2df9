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
from typing import Any, Generic, TypeVar

__all__ = [
    "STOP_SIGNALS",
    "Interrupts",
    "ProgressSink",
    "Watch",
    "WorkerContext",
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


# --- the pool -------------------------------------------------------------------
def _child(
    work: Callable[[Any, WorkerContext], Any], job: Any, connection: Any, interruptible: bool
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
        message: tuple[Any, ...] = ("result", work(job, WorkerContext(sink, os.getppid(), interrupts.held)))
    except KeyboardInterrupt:
        message = ("interrupted",)
    interrupts.fired = True  # from here on, signals are no-ops: the result must reach the parent
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        send(message)
    connection.close()


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
) -> list[Result]:
    """Run ``work(job, context)`` for each job, up to ``n_jobs`` at a time, each in a fresh process.

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
    return [results[i] for i in range(len(jobs))]


def _start(
    context: Any, work: Callable[..., Any], index: int, job: Job, name: str, interruptible: bool
) -> _Running[Job]:
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, job, sender, interruptible), name=f"render-{name}")
    # Started with SIGINT ignored, so a Ctrl-C while it imports prints no traceback; _child sets it up.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, previous)
        sender.close()  # the child holds the only writing end: its exit is the pipe's end
    return _Running(index, job, process, receiver)


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
