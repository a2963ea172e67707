"""Run a demo's model off the painting path: frames computed ahead in a worker process.

A live window used to compute each frame on the GUI thread, between paints, so a demo whose
model takes 20-50 ms a frame could never paint 24 frames a second, and one slow step (a first
frame that fits a whole path) froze the window. Here the model runs in a *worker process*
(``serve``): NumPy on these small arrays holds the GIL most of the time, so a worker thread
would only take turns with the painting (measured: both got slower); a process runs on another
core. The window's ``LiveRun`` takes the frames that are ready — never waiting for one — and
draws only the newest.

Flow control keeps the worker a bounded number of frames ahead (``LiveRun.want``): it computes
while its count is below the allowance the window last sent, so pausing stops it within one
step, and a paused window keeps one frame ready for a single step. Frames are snapshots (see
``base``), so they cross the pipe as they are; each carries the run's ``finished`` and
``diverged`` flags after it, and a run that ends without a frame (the generator stopped, or the
model raised a NaN/overflow error) sends an ``end`` item with its last frame. A ``LiveRun``
that has taken *n* items is therefore in exactly the state a ``DemoRun`` is in after *n*
``step()`` calls: same frames, same values, same end (tests compare them).

The worker computes with its own instance of the demo class; the window's instance only draws.
``LocalFrames`` computes the same items in the calling thread, in time-boxed slices: the
fallback when no worker process can be started (or one dies; it then replays the frames
already received, which a seeded model reproduces exactly), and an option for tests.

Messages, window → worker: ``("run", generation, demo class, values, limit)``,
``("allow", generation, frames)``, ``("quit",)``. Worker → window: ``("frame", generation,
frame, finished, diverged, seconds)``, ``("end", generation, last frame, diverged, seconds)``,
``("error", generation, traceback text)``. Items of an older generation (a run replaced by a
reset or a parameter change) are dropped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from quizapp import resources
from quizapp.demos.base import Demo, Frame, Values
from quizapp.demos.runner import DemoRun


@dataclass(frozen=True)
class Item:
    """One result of the model, in the order the run produced it."""

    kind: str  # "frame" (a new frame), "end" (the run ended without one), "error" (a bug)
    frame: Frame | None  # the new frame; for "end" the run's last frame (flagged if diverged)
    finished: bool
    diverged: bool
    seconds: float  # what computing it took
    error: str = ""  # for "error": the demo's traceback


def error_item(text: str) -> Item:
    """The item for a bug in the demo (``text``: its traceback); the run ends with it."""
    return Item("error", None, True, False, 0.0, text)


class DemoError(RuntimeError):
    """The demo's code raised something other than a numeric blow-up (a bug)."""


def step_item(run: DemoRun) -> Item:
    """Compute ``run``'s next frame and describe it as an ``Item``."""
    start = time.perf_counter()
    frame = run.step()
    seconds = time.perf_counter() - start
    if frame is None:
        return Item("end", run.latest, True, run.diverged, seconds)
    return Item("frame", frame, run.finished, run.diverged, seconds)


# -- the worker process ---------------------------------------------------------------------


def serve(conn: Connection) -> None:
    """The worker's loop: run what the window asks for, as far as it allows, until told to quit
    or the window's end of the pipe closes."""
    run: DemoRun | None = None
    generation = -1
    allowed = 0
    while True:
        busy = run is not None and not run.finished and run.count < allowed
        if not busy or conn.poll():
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "quit":
                return
            if message[0] == "run":
                _, generation, demo_class, values, limit = message
                run, allowed = DemoRun(demo_class(), values, limit), 0
            elif message[0] == "allow" and message[1] == generation:
                allowed = message[2]
            continue
        assert run is not None
        try:
            item = step_item(run)
        except Exception:  # a bug in the demo: report it, keep serving
            _send(conn, ("error", generation, traceback.format_exc()))
            run = None
            continue
        if not _send(conn, (item.kind, generation, item.frame, item.finished, item.diverged,
                            item.seconds)):
            return


def _send(conn: Connection, message: tuple[Any, ...]) -> bool:
    try:
        conn.send(message)
    except (OSError, ValueError):  # the window went away
        return False
    return True


# -- where a LiveRun gets its items ---------------------------------------------------------


class Frames(Protocol):
    """A source of a run's items, computed ahead up to an allowance."""

    def allow(self, frames: int) -> None:
        """Compute frames while fewer than ``frames`` have been made."""

    def fetch(self, budget_s: float) -> list[Item]:
        """The items that are ready (``LocalFrames`` computes them now, for up to ``budget_s``).
        A bug in the demo is an ``error`` item, the last of the run; nothing is raised."""

    def close(self) -> None:
        """Stop computing for this run."""

    @property
    def broken(self) -> bool:
        """True when this source can make no more items (its worker process died)."""


class LocalFrames:
    """Items computed in the calling thread, in slices of at most ``budget_s`` per ``fetch``.
    ``skip`` frames are computed and dropped first (to go on where a dead worker stopped)."""

    def __init__(self, demo_class: type[Demo], values: Values, limit: int | None,
                 skip: int = 0) -> None:
        self.run = DemoRun(demo_class(), values, limit)
        self.skip = skip
        self.allowed = 0
        self.failed = False

    def allow(self, frames: int) -> None:
        self.allowed = frames

    def fetch(self, budget_s: float) -> list[Item]:
        items: list[Item] = []
        deadline = time.perf_counter() + budget_s
        run = self.run
        while not (run.finished or self.failed) and time.perf_counter() < deadline:
            if not self.skip and run.count >= self.allowed:
                break
            try:
                item = step_item(run)
            except Exception:  # a bug in the demo: the same error item a worker sends
                self.failed = True
                items.append(error_item(traceback.format_exc()))
                break
            if self.skip:
                self.skip -= 1
            else:
                items.append(item)
        return items

    def close(self) -> None:
        pass

    @property
    def broken(self) -> bool:
        return False


#: The arguments that make the app's executable run a demo worker instead of the app
#: (``main.py`` checks for them first): ``--demo-worker FD``.
WORKER_ARGUMENT = "--demo-worker"


def worker_main(fd: int) -> int:
    """A worker process started by ``Worker`` on POSIX: ``fd`` is its end of a socket pair.
    The first message is the window's ``sys.path`` (so the demo classes it sends can be
    unpickled, as multiprocessing's spawn does); then ``serve`` until told to quit or the
    window's end closes (the window's process exited, or died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's
    conn = Connection(fd)
    try:
        sys.path[:] = conn.recv()
    except (EOFError, OSError):
        return 0
    serve(conn)
    return 0


class _ChildProcess:
    """A ``subprocess.Popen`` seen through the part of ``multiprocessing.Process`` that
    ``Worker`` and its tests use."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen
        self.pid = popen.pid

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def exitcode(self) -> int | None:
        """None while it runs; its exit status once ended and reaped (-N: killed by signal N)."""
        return self.popen.poll()

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)

    def terminate(self) -> None:
        self.popen.terminate()

    def kill(self) -> None:
        self.popen.kill()


def _start_child() -> tuple[Connection, _ChildProcess]:
    """Start a worker on POSIX: this executable (``python -c`` in a checkout, the bundle's own
    executable when frozen) with one end of a socket pair. Not ``multiprocessing``'s spawn:
    it also starts a resource tracker, a third Python process (13 MB) that the demos, with
    no shared memory or semaphores, never use."""
    ours, theirs = socket.socketpair()
    fd = theirs.fileno()
    if getattr(sys, "frozen", False):
        command = [sys.executable, WORKER_ARGUMENT, str(fd)]
    else:
        # the folder holding this quizapp first: a checkout run from elsewhere, not installed
        root = str(resources.source_root())
        command = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[2]); "
                   "from quizapp.demos.live import worker_main; "
                   "sys.exit(worker_main(int(sys.argv[1])))", str(fd), root]
    try:
        popen = subprocess.Popen(command, pass_fds=(fd,), stdin=subprocess.DEVNULL)
    finally:
        theirs.close()
    conn = Connection(ours.detach())
    conn.send(list(sys.path))
    return conn, _ChildProcess(popen)


class Worker:
    """A worker process that runs one demo run at a time for one window."""

    def __init__(self) -> None:
        self.process: BaseProcess | _ChildProcess
        if os.name == "posix":
            self.conn, self.process = _start_child()
        else:  # Windows: spawn starts no resource tracker there
            context = multiprocessing.get_context("spawn")  # forking a process with Qt is unsafe
            self.conn, child = context.Pipe(duplex=True)
            self.process = context.Process(target=serve, args=(child,), daemon=True,
                                           name="quizapp-demo-worker")
            self.process.start()
            child.close()
        self.generation = 0
        self.broken = False

    def send(self, message: tuple[Any, ...]) -> None:
        if self.broken:
            return
        try:
            self.conn.send(message)
        except (OSError, ValueError):
            self.broken = True

    def messages(self, budget_s: float) -> Iterator[tuple[Any, ...]]:
        """What the worker has sent so far (read for up to ``budget_s``; never waits for it)."""
        deadline = time.perf_counter() + budget_s
        while not self.broken:
            try:
                if not self.conn.poll():
                    if not self.process.is_alive():
                        self.broken = True
                    return
                yield self.conn.recv()
            except (EOFError, OSError):
                self.broken = True
                return
            if time.perf_counter() >= deadline:
                return

    def close(self, wait_s: float = 0.05) -> None:
        """Stop the worker: ask, then terminate it if it is still inside a long step."""
        self.send(("quit",))
        self.broken = True
        self.conn.close()
        self.process.join(wait_s)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2.0)
        if self.process.is_alive():  # pragma: no cover - SIGTERM is not ignored by the worker
            self.process.kill()
            self.process.join()


class WorkerFrames:
    """One run's items from a ``Worker`` (the newest run on it; older ones' items are dropped).
    """

    def __init__(self, worker: Worker, demo_class: type[Demo], values: Values,
                 limit: int | None) -> None:
        self.worker = worker
        worker.generation += 1
        self.generation = worker.generation
        self.allowed = 0
        worker.send(("run", self.generation, demo_class, values, limit))

    def allow(self, frames: int) -> None:
        if frames != self.allowed:
            self.allowed = frames
            self.worker.send(("allow", self.generation, frames))

    def fetch(self, budget_s: float) -> list[Item]:
        items = []
        for message in self.worker.messages(budget_s):
            kind, generation = message[0], message[1]
            if generation != self.generation:
                continue
            if kind == "error":
                items.append(error_item(message[2]))
                break
            items.append(Item(kind, *message[2:]))
        return items

    def close(self) -> None:
        if self.worker.generation == self.generation:
            self.allow(0)

    @property
    def broken(self) -> bool:
        return self.worker.broken


# -- the window's view of a run -------------------------------------------------------------


class LiveRun:
    """A run whose frames come from ``source``; its state is what has been *taken* (shown).

    Same reading interface as ``DemoRun`` (``count``, ``latest``, ``finished``, ``diverged``,
    ``progress``); ``take`` replaces ``step``/``advance`` and never waits for the model.
    """

    def __init__(self, demo_class: type[Demo], values: Values, limit: int | None,
                 source: Frames) -> None:
        self.demo_class = demo_class
        self.values = values
        self.limit = limit
        self.source = source
        self.latest: Frame | None = None
        self.count = 0
        self.finished = False
        self.diverged = False
        self.ready: deque[Item] = deque()
        self.received = 0  # frames received: taken plus ready
        self.seconds: list[float] = []  # compute time of each frame received
        self.allowed = 0  # frames the source may compute
        self.closed = False

    @property
    def progress(self) -> float:
        """Where the run is, in the demo's ``unit``: the shown frame's ``"t"``, else the count."""
        if self.latest is not None and "t" in self.latest:
            return float(self.latest["t"])
        return float(self.count)

    @property
    def ended(self) -> bool:
        """The model has made its last item (it may not be taken yet)."""
        return self.finished or any(item.finished for item in self.ready)

    def want(self, ahead: int) -> None:
        """Let the model compute up to ``ahead`` frames beyond those taken."""
        if not self.closed:
            self.allowed = self.count + ahead
            self.source.allow(self.allowed)

    def pull(self, budget_s: float = 0.005) -> None:
        """Move what the model has made into ``ready`` (a dead worker's run goes on locally)."""
        if self.closed or self.finished:
            return
        try:
            items = self.source.fetch(budget_s)
        except Exception:
            self.finished = True
            raise
        self._receive(items)
        if self.source.broken and not self.ended:
            self.source = LocalFrames(self.demo_class, self.values, self.limit,
                                      skip=self.received)
            self.source.allow(self.allowed)

    def _receive(self, items: list[Item]) -> None:
        for item in items:
            self.ready.append(item)
            if item.kind == "frame":
                self.received += 1
                self.seconds.append(item.seconds)

    def take(self, most: int, budget_s: float = 0.005) -> Frame | None:
        """Take up to ``most`` ready frames, or the run's end when it is next; returns the
        newest frame taken, or None. Like ``DemoRun.step``, the end without a frame is met
        after the last frame, not with it. A bug in the demo is raised as ``DemoError`` when
        its turn comes (after the frames made before it); the run is then finished."""
        self.pull(budget_s)
        newest = None
        taken = 0
        while self.ready and not self.finished:
            item = self.ready[0]
            if taken == most or (item.kind != "frame" and taken):
                break
            self.ready.popleft()
            if item.kind == "error":
                self.finished = True
                self.ready.clear()
                raise DemoError(f"the demo failed:\n{item.error}")
            self.finished, self.diverged = item.finished, item.diverged
            if item.kind == "end":
                self.latest = item.frame
                break
            self.latest = newest = item.frame
            self.count += 1
            taken += 1
        if self.finished:
            self.ready.clear()
        return newest

    def close(self) -> None:
        """Stop computing for this run (its worker stays for the next run)."""
        if not self.closed:
            self.closed = True
            self.source.close()
