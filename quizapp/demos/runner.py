"""Run a demo step by step (shared by the Qt window and the headless renderer).

A run pulls frames from the demo's generator; a model that blows up (NaN, overflow, an
arithmetic error) ends the run as *diverged* instead of crashing the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from quizapp.demos.base import Demo, Frame, Values
from quizapp.demos.plotting import CRIMSON

DIVERGED = {"ko": "발산함 (NaN/overflow)", "en": "diverged (NaN/overflow)"}


class DemoRun:
    """One run of a demo with fixed parameter values."""

    def __init__(self, demo: Demo, values: Values, limit: int | None = None) -> None:
        self.demo = demo
        self.values = values
        self.limit = limit  # frames after which the run is finished (None: the generator decides)
        self._frames = demo.frames(values)
        self.latest: Frame | None = None
        self.count = 0
        self.finished = False
        self.diverged = False

    @property
    def progress(self) -> float:
        """Where the run is, in the demo's ``unit``: the newest frame's ``"t"``, else the count."""
        if self.latest is not None and "t" in self.latest:
            return float(self.latest["t"])
        return float(self.count)

    def step(self) -> Frame | None:
        """Compute the next frame; None once the run has finished or diverged."""
        if self.finished:
            return None
        if self.limit is not None and self.count >= self.limit:
            self.finished = True
            return None
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                frame = next(self._frames)
        except StopIteration:
            self.finished = True
            return None
        except (FloatingPointError, OverflowError, ZeroDivisionError, np.linalg.LinAlgError):
            self.finished = self.diverged = True
            if self.latest is not None:
                self.latest = {**self.latest, "diverged": True}
            return None
        self.latest = frame
        self.count += 1
        if frame.get("diverged"):
            self.finished = self.diverged = True
        elif self.limit is not None and self.count >= self.limit:
            self.finished = True
        return frame

    def advance(self, budget_s: float, max_frames: int) -> bool:
        """Step until ``budget_s`` seconds or ``max_frames`` frames; True if a frame was made."""
        deadline = time.perf_counter() + budget_s
        made = False
        for _ in range(max_frames):
            if self.step() is None:
                break
            made = True
            if time.perf_counter() >= deadline:
                break
        return made

    def run(self, steps: int, on_progress: Callable[[int], None] | None = None,
            every_s: float = 2.0) -> Frame | None:
        """Take up to ``steps`` frames; returns the last one. A long run calls ``on_progress``
        with the frame count every ``every_s`` seconds."""
        next_report = time.perf_counter() + every_s
        for _ in range(steps):
            if self.step() is None:
                break
            if on_progress is not None and time.perf_counter() >= next_report:
                on_progress(self.count)
                next_report += every_s
        return self.latest


def render_png(demo: Demo, values: Values, steps: int, out: Path, lang: str = "ko",
               dpi: int = 110, on_progress: Callable[[int], None] | None = None) -> DemoRun:
    """Run ``demo`` headless for ``steps`` frames and save the final figure to ``out``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from quizapp.fonts import use_korean_font_in_matplotlib

    use_korean_font_in_matplotlib()
    run = DemoRun(demo, values)
    last = run.run(steps, on_progress)
    figure = Figure(figsize=(10, 6), layout="constrained")
    FigureCanvasAgg(figure)
    update = demo.draw(figure, values, lang)
    if last is not None:
        update(last)
    if run.diverged:
        mark_diverged(figure, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=dpi)
    return run


def mark_diverged(figure: Any, lang: str) -> None:
    """Write a clear "diverged" banner across ``figure``."""
    figure.text(0.5, 0.5, DIVERGED[lang], ha="center", va="center", fontsize=22,
                color=CRIMSON, alpha=0.85, bbox={"facecolor": "white", "alpha": 0.8,
                                                 "edgecolor": CRIMSON})
