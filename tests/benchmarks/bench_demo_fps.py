"""Benchmark: frames per second of every demo in the live window (offscreen Qt).

Run: ``python tests/benchmarks/bench_demo_fps.py [SECONDS] [--demo ID ...] [--speed N]
[--no-worker]``. For each demo it opens the real ``DemoWindow`` at its default size (speed 1:
one model frame per tick, so every frame made is painted), waits for the first frame, then lets
it run for SECONDS of wall time (3 by default) or until the run ends, and prints:

- paints/s: what the user sees (full redraws + blits of the canvas);
- frames/s: model progress (frames taken from the model, shown or skipped);
- blit %: the share of paints that were cheap blits;
- draw ms: the GUI thread's time per shown frame (the demo's ``update`` + the paint): the
  median, then the mean with the full redraws (``full``: how many there were);
- model ms: the model's time per frame (in the worker), median, and its slowest step over the
  whole run;
- stall ms: the longest the event loop went without getting control back (a frozen window);
- settle ms: for a run that ended, the time from its last frame on the canvas to the end of
  the layout the window then does once for the picture that stays (inside the stall; not
  counted in the rates, which run from the first measured frame to the last);
- axes: how many frames mended the background by redrawing only the axes whose limits moved;
- load: ``os.getloadavg()`` at the end of the measurement (the machine has other jobs);
- what limits it, from those numbers: the 33 ms timer, drawing (with the costliest artists),
  or the model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

TICK_S = 0.033


class Probe:
    """Times a window's shown frames, its painter's artists and its event-loop stalls."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.show_s: list[float] = []
        self.shown_at: list[float] = []  # when each shown frame was on the canvas
        self.paints_at: list[tuple[int, int]] = []  # and the canvas's (full draws, blits) then
        self.full_s: list[float] = []
        self.artist_s: Counter[str] = Counter()
        self.artist_n: Counter[str] = Counter()
        show = window._show
        painter = window.painter

        def timed_show(frame: Any) -> None:
            start = time.perf_counter()
            full = painter.full_draws
            show(frame)
            if frame is not None:
                self.shown_at.append(time.perf_counter())
                self.paints_at.append((painter.full_draws, painter.blits))
                self.show_s.append(self.shown_at[-1] - start)
                if painter.full_draws != full:
                    self.full_s.append(time.perf_counter() - start)

        draw_artist = painter._draw_artist

        def timed_artist(artist: Any, renderer: Any) -> None:  # as the painter draws it
            start = time.perf_counter()
            draw_artist(artist, renderer)
            kind = type(artist).__name__
            self.artist_s[kind] += time.perf_counter() - start
            self.artist_n[kind] += 1

        window._show = timed_show
        painter._draw_artist = timed_artist

    def costliest(self, shown: int, top: int = 3) -> str:
        parts = [f"{kind} {self.artist_s[kind] / max(shown, 1) * 1000:.0f} ms"
                 for kind, _ in self.artist_s.most_common(top)]
        return ", ".join(parts)


def measure(demo_id: str, seconds: float, speed: int, worker: bool) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from quizapp.demos import DEMOS
    from quizapp.ui.demo_window import DemoWindow

    opened = time.perf_counter()
    window = DemoWindow(DEMOS[demo_id], mode="en", worker=worker)
    window.speed.setValue(speed)
    window.set_running(True)
    window.show()
    probe = Probe(window)
    painter = window.painter
    stall = 0.0
    while window.run is not None and window.run.count == 0 and \
            time.perf_counter() - opened < 30:
        QApplication.processEvents()
        time.sleep(0.001)
    first_ms = (time.perf_counter() - opened) * 1000
    run = window.run
    assert run is not None
    start_paints, start_blits = painter.full_draws + painter.blits, painter.blits
    start_axes = painter.axes_redraws
    start_count, start_shown, start_full = run.count, len(probe.show_s), len(probe.full_s)
    start = last = time.perf_counter()
    while last - start < seconds and not run.finished:
        QApplication.processEvents()
        now = time.perf_counter()
        stall = max(stall, now - last)
        last = now
        time.sleep(0.001)
        last = time.perf_counter()
    elapsed = time.perf_counter() - start
    settle_ms = 0.0
    if run.finished and probe.shown_at and probe.shown_at[-1] > start:
        # the animation ends with its last frame; the layout the window then does once for
        # the picture that stays is reported as "settle", not spread over the frames
        settle_ms = (start + elapsed - probe.shown_at[-1]) * 1000
        elapsed = probe.shown_at[-1] - start
        full_draws, blit_count = probe.paints_at[-1]
    else:
        full_draws, blit_count = painter.full_draws, painter.blits
    paints = full_draws + blit_count - start_paints
    blits = blit_count - start_blits
    shown = probe.show_s[start_shown:]
    full = probe.full_s[start_full:]
    result = {
        "demo": demo_id,
        "paints": paints / elapsed,
        "frames": (run.count - start_count) / elapsed,
        "blit": blits / max(paints, 1),
        "draw_ms": statistics.median(shown) * 1000 if shown else float("nan"),
        "mean_ms": statistics.fmean(shown) * 1000 if shown else float("nan"),
        "full": len(full),
        "axes": painter.axes_redraws - start_axes,
        "shown": len(shown),
        "full_ms": sum(full) * 1000,
        "model_ms": statistics.median(run.seconds) * 1000 if run.seconds else float("nan"),
        "slowest_ms": max(run.seconds, default=float("nan")) * 1000,
        "stall_ms": stall * 1000,
        "first_ms": first_ms,
        "settle_ms": settle_ms,
        "ended": run.finished,
        "count": run.count,
        "artists": probe.costliest(len(shown)),
        "load": os.getloadavg()[0],
    }
    result["limit"] = limit(result)
    window.close()
    QApplication.processEvents()
    return result


def limit(r: dict[str, Any]) -> str:
    """What keeps the paint rate where it is, from the measured times."""
    draw, mean, model = r["draw_ms"] / 1000, r["mean_ms"] / 1000, r["model_ms"] / 1000
    if r["paints"] >= 0.9 / TICK_S:
        return "timer (33 ms tick)"
    if mean >= model or mean > TICK_S:
        if r["full_ms"] > 0.5 * r["mean_ms"] * r["shown"] and draw < TICK_S:
            return f"full redraws ({r['full']}, {r['full_ms']:.0f} ms)"
        what = f"drawing: {r['artists']}" if r["artists"] else "drawing"
        return what + (f"; {r['full']} full redraws ({r['full_ms']:.0f} ms)" if r["full"] else "")
    return f"model ({r['model_ms']:.0f} ms a frame)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=3.0,
                        help="seconds of running per demo (default 3)")
    parser.add_argument("--demo", action="append", metavar="ID",
                        help="measure only this demo (repeatable)")
    parser.add_argument("--speed", type=int, default=1, help="the speed slider (default 1)")
    parser.add_argument("--no-worker", action="store_true",
                        help="compute on the GUI thread (the fallback) instead of a worker")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from quizapp.demos import DEMOS
    from quizapp.ui.app import application

    application()
    ids = args.demo or list(DEMOS)
    unknown = [i for i in ids if i not in DEMOS]
    if unknown:
        parser.error(f"unknown demo(s): {', '.join(unknown)} (demos: {', '.join(DEMOS)})")
    print(f"load before: {os.getloadavg()}; worker: {not args.no_worker}; speed {args.speed}")
    print(f"{'demo':24} {'paints/s':>8} {'frames/s':>8} {'blit':>5} {'draw ms':>11} {'full':>4} "
          f"{'axes':>4} {'model ms':>8} {'slowest':>7} {'stall':>6} {'settle':>6} {'first':>6} "
          f"{'load':>5}  limit")
    for demo_id in ids:
        r = measure(demo_id, args.seconds, args.speed, not args.no_worker)
        ended = " (ended)" if r["ended"] else ""
        print(f"{demo_id:24} {r['paints']:8.1f} {r['frames']:8.1f} {r['blit'] * 100:4.0f}% "
              f"{r['draw_ms']:5.1f}/{r['mean_ms']:5.1f} {r['full']:4} {r['axes']:4} "
              f"{r['model_ms']:8.1f} {r['slowest_ms']:7.0f} "
              f"{r['stall_ms']:6.0f} {r['settle_ms']:6.0f} {r['first_ms']:6.0f} "
              f"{r['load']:5.2f}  {r['limit']}{ended}",
              flush=True)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
