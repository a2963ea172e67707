"""The model off the painting path: a worker process computes a demo's frames ahead, the window
takes the ready ones. Same frames as the synchronous ``DemoRun``, and the window's controls,
counter, end and closing behave as before."""

from __future__ import annotations

import math
import multiprocessing
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from demo_fakes import Blowup, Buggy, Short, Walk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.demos import DEMOS, Demo, DemoRun
from quizapp.demos.live import DemoError, LiveRun, LocalFrames, Worker, WorkerFrames
from quizapp.demos.runner import DIVERGED
from quizapp.ui.app import application
from quizapp.ui.demo_window import DemoWindow

pytestmark = pytest.mark.gui


def same(a: Any, b: Any, where: str = "frame") -> None:
    """``a`` and ``b`` hold the same values (NaN equal to NaN), recursively."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b), where
    else:
        assert a == b, where


def synchronous(demo: type[Demo], values: dict[str, Any], limit: int | None) -> Iterator[
        tuple[Any, int, bool, bool, Any]]:
    """A DemoRun's state after each step: (frame, count, finished, diverged, latest)."""
    run = DemoRun(demo(), values, limit)
    while not run.finished:
        frame = run.step()
        yield frame, run.count, run.finished, run.diverged, run.latest


def take_next(live: LiveRun, timeout: float = 60.0) -> Any:
    """Take one frame (or the end) as soon as it is ready."""
    live.want(3)
    deadline = time.perf_counter() + timeout
    count = live.count
    while time.perf_counter() < deadline:
        frame = live.take(1)
        if live.count > count or live.finished:
            return frame
        time.sleep(0.002)
    raise AssertionError("no frame from the worker")


def check_same_run(live: LiveRun, demo: type[Demo], values: dict[str, Any],
                   limit: int | None) -> int:
    steps = 0
    for frame, count, finished, diverged, latest in synchronous(demo, values, limit):
        got = take_next(live)
        assert (live.count, live.finished, live.diverged) == (count, finished, diverged)
        if frame is None:
            assert got is None
        else:
            same(got, frame)
        if latest is None:
            assert live.latest is None
        else:
            same(live.latest, latest)
        steps += 1
    assert live.finished
    return steps


@pytest.fixture
def worker() -> Iterator[Worker]:
    started = Worker()
    yield started
    started.close()
    assert not started.process.is_alive()


def _children() -> set[int]:
    return {int(pid) for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_worker_is_one_process_and_ends_when_the_window_process_lets_go() -> None:
    before = _children()
    started = Worker()
    try:
        # one process beside the window: no resource tracker (a third Python, 13 MB)
        assert _children() - before == {started.process.pid}
    finally:
        started.conn.close()  # as when the window's process dies: the worker sees the end
    deadline = time.monotonic() + 10
    while started.process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.process.exitcode == 0


# -- the run, without a window --------------------------------------------------------------

@pytest.mark.parametrize("demo_id, limit", [("optimizer-race", 30), ("batchnorm-training", 12),
                                             ("kmeans", None), ("rnn-gradients", 4)])
def test_the_worker_makes_the_frames_of_a_demo_run(worker: Worker, demo_id: str,
                                                   limit: int | None) -> None:
    demo = DEMOS[demo_id]
    values = demo.defaults()
    live = LiveRun(demo, values, limit, WorkerFrames(worker, demo, values, limit))
    assert check_same_run(live, demo, values, limit) >= 2
    assert all(seconds >= 0 for seconds in live.seconds)


@pytest.mark.parametrize("demo", [Walk, Blowup, Short])
def test_ends_and_blowups_are_the_demo_runs(worker: Worker, demo: type[Demo]) -> None:
    values = {**demo.defaults(), "seed": 7}
    live = LiveRun(demo, values, demo.steps, WorkerFrames(worker, demo, values, demo.steps))
    steps = check_same_run(live, demo, values, demo.steps)
    assert steps == {Walk: 40, Blowup: 6, Short: 8}[demo]
    assert live.diverged == (demo is Blowup)
    if demo is Blowup:
        assert live.latest is not None and live.latest["diverged"] and live.count == 5


def test_a_new_run_on_the_worker_drops_the_old_runs_frames(worker: Worker) -> None:
    old_values = {**Walk.defaults(), "seed": 1}
    old = LiveRun(Walk, old_values, 40, WorkerFrames(worker, Walk, old_values, 40))
    old.want(30)
    time.sleep(0.3)  # the old run's frames are in the pipe
    old.close()
    values = {**Walk.defaults(), "seed": 2}
    new = LiveRun(Walk, values, 10, WorkerFrames(worker, Walk, values, 10))
    check_same_run(new, Walk, values, 10)


def test_the_same_frames_without_a_worker() -> None:
    values = {**Walk.defaults(), "seed": 5}
    live = LiveRun(Walk, values, 20, LocalFrames(Walk, values, 20))
    check_same_run(live, Walk, values, 20)


def test_a_dead_worker_is_replaced_and_the_run_goes_on(worker: Worker) -> None:
    values = {**Walk.defaults(), "seed": 9}
    live = LiveRun(Walk, values, 30, WorkerFrames(worker, Walk, values, 30))
    expected = list(synchronous(Walk, values, 30))
    for frame, *_ in expected[:5]:
        same(take_next(live), frame)
    worker.process.kill()
    worker.process.join(5)
    for frame, count, finished, diverged, _ in expected[5:]:
        got = take_next(live)
        assert isinstance(live.source, LocalFrames)
        assert (live.count, live.finished, live.diverged) == (count, finished, diverged)
        if frame is not None:
            same(got, frame)


def test_a_bug_in_the_demo_is_raised_in_the_window_process(worker: Worker) -> None:
    values = Buggy.defaults()
    live = LiveRun(Buggy, values, 40, WorkerFrames(worker, Buggy, values, 40))
    take_next(live)
    take_next(live)
    with pytest.raises(DemoError, match="a bug"):
        take_next(live)
    assert live.finished


def test_pausing_stops_the_worker_within_its_allowance(worker: Worker) -> None:
    values = Walk.defaults()
    live = LiveRun(Walk, values, 40, WorkerFrames(worker, Walk, values, 40))
    take_next(live)
    live.want(2)  # paused: at most two frames beyond the shown one
    time.sleep(0.5)
    live.pull()
    assert live.received == 3 and live.count == 1


# -- the window -----------------------------------------------------------------------------

def open_window(qtbot: QtBot, demo: type[Demo], **presets: Any) -> DemoWindow:
    application()
    window = DemoWindow(demo, presets, mode="en")
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_frame_is_drawn_in_order_with_the_demo_runs_values(qtbot: QtBot) -> None:
    window = open_window(qtbot, Walk, seed=4)
    window.speed.setValue(1)  # one frame per tick: none skipped
    window.set_running(True)
    drawn: list[Any] = []
    show = window._show

    def recording(frame: Any) -> None:
        if frame is not None and (not drawn or frame is not drawn[-1]):
            drawn.append(frame)
        show(frame)

    window._show = recording  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=60000)
    expected = [frame for frame, *_ in synchronous(Walk, window.values, Walk.steps)]
    assert len(expected) == Walk.steps
    # (the first frame may have been drawn before the recording began)
    assert len(drawn) >= Walk.steps - 1
    for frame, reference in zip(drawn[::-1], expected[::-1], strict=False):
        same(frame, reference)


def test_the_counter_shows_the_frame_that_is_drawn(qtbot: QtBot) -> None:
    window = open_window(qtbot, Walk, seed=3)
    window.speed.setValue(3)  # frames are skipped: the counter must still match the picture
    window.set_running(True)
    show = window._show
    mismatches: list[str] = []
    checked = [0]

    def checking(frame: Any) -> None:
        show(frame)
        if frame is None or window.run is None or frame is not window.run.latest:
            return
        label = next(t for t in window.figure.axes[0].texts)
        status = window.status.text()
        if f"pace {frame['t']} " not in status or label.get_text() != frame["label"]:
            mismatches.append(f"{status!r} vs {frame['t']} / {label.get_text()!r}")
        checked[0] += 1

    window._show = checking  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=60000)
    assert window.run.count == Walk.steps and window.run.progress == 2 * Walk.steps
    assert f"pace {2 * Walk.steps} " in window.status.text()
    assert checked[0] >= 5 and not mismatches


def test_pause_step_reset_and_a_parameter_change_with_the_worker(qtbot: QtBot) -> None:
    window = open_window(qtbot, Walk, seed=1)
    assert window.worker is not None
    qtbot.keyClick(window, Qt.Key.Key_Space)
    run = window.run
    assert run is not None and not window.running
    qtbot.waitUntil(lambda: run.count >= 1, timeout=20000)
    count = run.count
    qtbot.wait(200)
    assert run.count == count and not window.timer.isActive()
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: run.count == count + 1, timeout=10000)
    expected = [f for f, *_ in synchronous(Walk, {**Walk.defaults(), "seed": 1}, Walk.steps)]
    same(run.latest, expected[count])
    assert f"pace {2 * (count + 1)} " in window.status.text()

    window.set_param("seed", 2)  # restarts, still paused, and shows the new run's first frame
    assert window.run is not run
    qtbot.waitUntil(lambda: window.run is not None and window.run.count == 1, timeout=10000)
    same(window.run.latest, next(synchronous(Walk, {**Walk.defaults(), "seed": 2}, 40))[0])
    qtbot.wait(150)
    assert window.run.count == 1 and not window.running

    qtbot.keyClick(window, Qt.Key.Key_Space)  # runs on from there
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 6, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_R)  # and starts again, still running
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 1, timeout=10000)
    assert window.running


def record(window: DemoWindow) -> list[tuple[Any, int, Any]]:
    """From now on, every frame ``window`` draws: (its run, the frame's number, the frame)."""
    drawn: list[tuple[Any, int, Any]] = []
    show = window._show

    def recording(frame: Any) -> None:
        if frame is not None and window.run is not None:
            drawn.append((window.run, window.run.count, frame))
        show(frame)

    window._show = recording  # type: ignore[method-assign]
    return drawn


def pixels(window: DemoWindow) -> np.ndarray:
    return np.asarray(window.canvas.buffer_rgba()).copy()


def test_a_real_demos_drawn_frames_are_the_demo_runs(qtbot: QtBot) -> None:
    demo = DEMOS["optimizer-race"]
    window = open_window(qtbot, demo)
    drawn = record(window)
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 12, timeout=60000)
    window.set_running(False)
    expected = [frame for frame, *_ in synchronous(demo, window.values, 12)]
    assert len(drawn) >= 3
    for _, number, frame in drawn:
        if number <= 12:
            same(frame, expected[number - 1], f"frame {number}")


def test_a_slow_model_never_blocks_the_window(qtbot: QtBot) -> None:
    window = open_window(qtbot, Walk, sleep=1.0)  # each frame takes a second to compute
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 1, timeout=20000)
    ticks: list[int] = []  # the frame count at each tick of the window's timer
    tick = window._tick

    def counting() -> None:
        assert window.run is not None
        ticks.append(window.run.count)
        tick()

    window.timer.timeout.disconnect()
    window.timer.timeout.connect(counting)
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 3, timeout=20000)
    # the window went on ticking (answering input, painting) while the model computed frame 2
    # (computed on the GUI thread, each tick would have waited for a whole step)
    assert ticks.count(2) >= 5, ticks


@pytest.mark.parametrize("action", ["reset", "parameter"])
def test_after_a_reset_or_a_parameter_change_the_picture_is_a_fresh_starts(
        qtbot: QtBot, action: str) -> None:
    window = open_window(qtbot, Walk, seed=1)
    window.speed.setValue(5)
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 8, timeout=20000)
    drawn = record(window)  # the old run's frames are computed ahead, some still in the pipe
    if action == "reset":
        window.reset()
    else:
        window.set_param("seed", 2)
    new_run = window.run
    seed = 1 if action == "reset" else 2
    qtbot.waitUntil(lambda: new_run is not None and new_run.count >= 4, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause there
    assert window.running is False
    expected = [frame for frame, *_ in synchronous(Walk, {**Walk.defaults(), "seed": seed}, 40)]
    assert drawn and all(run is new_run for run, _, _ in drawn)  # nothing of the old run
    for _, number, frame in drawn:
        assert frame["t"] == 2 * number
        same(frame, expected[number - 1], f"frame {number}")
    # the same picture as a window opened with these values and paused at the same frame
    shown = new_run.count
    fresh = open_window(qtbot, Walk, seed=seed)
    qtbot.keyClick(fresh, Qt.Key.Key_Space)  # paused before its first frame: it shows that
    run = fresh.run
    assert run is not None
    qtbot.waitUntil(lambda: run.count == 1, timeout=20000)
    for number in range(2, shown + 1):
        qtbot.keyClick(fresh, Qt.Key.Key_S)
        qtbot.waitUntil(lambda n=number: run.count == n, timeout=20000)
    assert fresh.canvas.size() == window.canvas.size()
    np.testing.assert_array_equal(pixels(fresh), pixels(window))


def test_closing_mid_run_stops_the_worker_cleanly(qtbot: QtBot) -> None:
    threads = set(threading.enumerate())
    application()
    window = DemoWindow(Walk, {"sleep": 0.3}, mode="en")  # (deleted when closed)
    window.show()
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 1, timeout=20000)
    worker = window.worker
    assert worker is not None and worker.process.is_alive()
    window.close()  # while the worker is inside a 0.3 s step
    assert window.worker is None and not worker.process.is_alive()
    assert worker.process.exitcode is not None  # ended and reaped: no orphan, no zombie
    assert worker.process not in multiprocessing.active_children()
    assert set(threading.enumerate()) <= threads
    qtbot.wait(200)  # nothing left to tick on a closed window (an exception would fail here)


def test_a_blowup_shows_the_banner_and_a_short_run_ends(qtbot: QtBot) -> None:
    window = open_window(qtbot, Blowup)
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=20000)
    assert window.run.diverged and window.run.count == 5
    assert DIVERGED["en"] in [t.get_text() for t in window.figure.texts]
    assert not window.timer.isActive() and not window.running
    short = open_window(qtbot, Short)
    qtbot.waitUntil(lambda: short.run is not None and short.run.finished, timeout=20000)
    assert short.run.count == 7 and not short.run.diverged
    assert "pace 14 " in short.status.text()


@pytest.mark.parametrize("worker", [True, False])
def test_a_bug_in_the_demo_is_shown_in_the_window(qtbot: QtBot, worker: bool,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    application()
    window = DemoWindow(Buggy, {}, mode="en", worker=worker)
    qtbot.addWidget(window)
    window.show()
    assert (window.worker is not None) == worker
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=20000)
    assert window.run.count == 2  # the frames made before the bug were shown
    assert window.failure is not None and "KeyError: 'a bug'" in window.failure
    assert any("a bug" in t.get_text() for t in window.figure.texts)
    assert "stopped by an error" in window.status.text() and "pace 4 " in window.status.text()
    assert not window.timer.isActive() and not window.running
    assert "Traceback" in capsys.readouterr().err
    qtbot.keyClick(window, Qt.Key.Key_Space)  # runs again from the start (and fails again)
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=20000)
    assert window.failure is not None and window.run.count == 2


def test_a_worker_that_dies_mid_run_is_replaced_and_the_run_goes_on(qtbot: QtBot) -> None:
    window = open_window(qtbot, Walk, seed=6)
    window.speed.setValue(1)
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 3, timeout=20000)
    drawn = record(window)
    run, worker = window.run, window.worker
    assert worker is not None
    worker.process.kill()
    qtbot.waitUntil(lambda: run.finished, timeout=30000)
    assert isinstance(run.source, LocalFrames)  # it went on in this process
    assert window.failure is None and not run.diverged and run.count == Walk.steps
    expected = [frame for frame, *_ in synchronous(Walk, window.values, Walk.steps)]
    assert drawn
    for _, number, frame in drawn:
        same(frame, expected[number - 1], f"frame {number}")
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the next run gets a new worker
    assert window.worker is not None and window.worker is not worker
    assert window.worker.process.is_alive()
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 2, timeout=20000)


@pytest.mark.parametrize("how", ["turned off", "cannot start"])
def test_a_window_without_a_worker_runs_the_same(qtbot: QtBot, how: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    application()
    if how == "cannot start":
        def no_processes() -> Worker:
            raise OSError("no processes here")

        monkeypatch.setattr("quizapp.ui.demo_window.Worker", no_processes)
    window = DemoWindow(Walk, {"seed": 8}, mode="en", worker=False if how == "turned off"
                        else None)
    qtbot.addWidget(window)
    drawn = record(window)
    window.show()
    window.speed.setValue(1)
    assert window.worker is None
    qtbot.waitUntil(lambda: window.run is not None and window.run.finished, timeout=30000)
    expected = [frame for frame, *_ in synchronous(Walk, window.values, Walk.steps)]
    assert window.run.count == Walk.steps
    same(window.run.latest, expected[-1])
    assert len(drawn) >= Walk.steps // 2
    for _, number, frame in drawn:
        same(frame, expected[number - 1], f"frame {number}")
    qtbot.keyClick(window, Qt.Key.Key_R)  # reset and parameters work the same way
    window.set_param("seed", 9)
    qtbot.waitUntil(lambda: window.run is not None and window.run.count >= 1, timeout=20000)
    same(window.run.latest, next(synchronous(Walk, {**Walk.defaults(), "seed": 9}, 40))[0])


def test_the_worker_computes_every_demo_without_loading_matplotlib() -> None:
    """What a worker process loads to run each demo's model (its module, the trainer, the
    first two frames) leaves matplotlib out: drawing is the window's job, and a second copy of
    matplotlib would cost the user ~20 MB for nothing."""
    script = (
        "import sys\n"
        "from quizapp.demos import DEMOS, DemoRun\n"
        "from quizapp.demos.live import step_item\n"
        "for demo in DEMOS.values():\n"
        "    run = DemoRun(demo(), demo.defaults(), 2)\n"
        "    step_item(run); step_item(run)\n"
        "    assert 'matplotlib' not in sys.modules, demo.id\n"
        "print(len(DEMOS))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(DEMOS)
