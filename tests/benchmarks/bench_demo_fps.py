"""Benchmark: frames per second of every demo in the live window (offscreen Qt).

Run: ``python tests/benchmarks/bench_demo_fps.py [seconds-per-demo] [demo-id ...]``.
For each demo it opens the real ``DemoWindow`` at its default size, lets it run for a few
seconds of wall time (or until a short demo finishes), and prints: painted frames per second
(what the user sees), model steps per second, the share of paints that were cheap blits, and
the slowest single model step.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from quizapp.demos import DEMOS, DemoRun
from quizapp.ui.app import application
from quizapp.ui.demo_window import DemoWindow


def slowest_step(demo_id: str, steps: int = 60) -> float:
    demo = DEMOS[demo_id]
    run = DemoRun(demo(), demo.defaults())
    worst = 0.0
    for _ in range(steps):
        start = time.perf_counter()
        if run.step() is None:
            break
        worst = max(worst, time.perf_counter() - start)
    return worst


def measure(demo_id: str, seconds: float) -> tuple[float, float, float, float]:
    window = DemoWindow(DEMOS[demo_id], mode="en")
    window.show()
    window.speed.setValue(1)  # one model step per tick: paints per second = frames shown
    QApplication.processEvents()
    painter = window.painter
    start_paints = painter.full_draws + painter.blits
    start_blits = painter.blits
    start_steps = window.run.count if window.run else 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds and not (window.run and window.run.finished):
        QApplication.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    run = window.run
    steps = (run.count if run else 0) - start_steps
    paints = painter.full_draws + painter.blits - start_paints
    blits = painter.blits - start_blits
    window.close()
    return paints / elapsed, steps / elapsed, blits / max(paints, 1), slowest_step(demo_id)


def main() -> None:
    application()
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    ids = sys.argv[2:] or list(DEMOS)
    print(f"{'demo':28} {'paints/s':>9} {'steps/s':>9} {'blit %':>7} {'slowest step':>13}")
    for demo_id in ids:
        fps, sps, blit_share, worst = measure(demo_id, seconds)
        print(f"{demo_id:28} {fps:9.1f} {sps:9.1f} {blit_share * 100:6.0f}%"
              f" {worst * 1000:10.1f} ms")


if __name__ == "__main__":
    main()
