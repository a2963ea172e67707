"""Background work for the GUI: run a function on Qt's thread pool and get its result (or the
exception it raised) back on the GUI thread.

A job never touches widgets or the window's database connection (SQLite connections belong to
the thread that opened them): it opens its own, as a second window would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_running: set[_Job] = set()  # keeps each job's signals alive until its result is delivered


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = _Signals()  # created on the GUI thread, so its slots run there

    def run(self) -> None:  # on a pool thread
        try:
            result = self.work()
        except Exception as err:  # handed to on_error on the GUI thread
            self._deliver(self.signals.failed, err)
        else:
            self._deliver(self.signals.done, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        # The app may have quit meanwhile: the work is done and nobody is waiting for it.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None]) -> None:
    """Run ``work()`` off the GUI thread; then ``on_done(result)`` or ``on_error(exception)``
    on the GUI thread."""
    job = _Job(work)
    _running.add(job)

    def finish(handler: Callable[[Any], None], value: Any) -> None:
        _running.discard(job)
        handler(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda err: finish(on_error, err))
    QThreadPool.globalInstance().start(job)


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Block until every job has finished (closing the app, tests); True if they all did."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
