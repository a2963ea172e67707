"""Helpers shared by the regularization & normalization demos (no Qt, no pyplot)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from quizapp.trainer import EpochMetrics, StepMetrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: one colour per variant, used the same way in every demo of the group
WITHOUT = "#d1242f"  # the plain / unregularised model
WITH = "#0969da"  # the model with the technique switched on
EXTRA = "#1a7f37"  # a third variant (e.g. the restored best weights)
MUTED = "#6e7781"
ORANGE = "#bf8700"

HUGE_EPOCHS = 10**9  # ``fit`` runs "forever"; the demo's frame count decides when to stop


def tr(lang: str, ko: str, en: str) -> str:
    """The text in the plot language."""
    return ko if lang == "ko" else en


def next_epoch(events: Iterator[StepMetrics | EpochMetrics]) -> EpochMetrics | None:
    """Advance a ``fit`` generator to the end of its next epoch (None when it has ended)."""
    for event in events:
        if isinstance(event, EpochMetrics):
            return event
    return None


class Limits:
    """One axis's limits, held still between frames so the live window can blit.

    ``show(low, high)`` asks for ``[low, high]`` (padding included) to be visible. The first call
    sets exactly that, so a single-frame headless render is fitted as tightly as ever; later
    calls never shrink the axis and only widen it, in jumps of ``slack`` x its range on the side
    that overflowed, when the wanted range pokes out (each jump costs one full redraw). A log
    axis jumps in decades.
    """

    def __init__(self, axes: Axes, axis: str = "x", slack: float = 0.6) -> None:
        self.axes, self.axis, self.slack = axes, axis, slack
        self.fitted = False

    def show(self, low: float, high: float) -> None:
        x = self.axis == "x"
        log = (self.axes.get_xscale() if x else self.axes.get_yscale()) == "log"
        if not (math.isfinite(low) and math.isfinite(high)) or (log and low <= 0):
            return
        set_ = self.axes.set_xlim if x else self.axes.set_ylim
        if not self.fitted:
            self.fitted = True
            set_(low, high)
            return
        old_low, old_high = sorted(self.axes.get_xlim() if x else self.axes.get_ylim())
        if low >= old_low and high <= old_high:
            return
        scale, unscale = (math.log10, lambda v: 10.0**v) if log else (float, float)
        a, b = scale(min(low, old_low)), scale(max(high, old_high))
        span = b - a
        if low < old_low:
            a -= self.slack * span
        if high > old_high:
            b += self.slack * span
        set_(unscale(a), unscale(b))


class Ceiling:
    """A level that follows a value from above in jumps: the value itself on the first call,
    afterwards raised to ``factor`` x the value only when the value exceeds it."""

    def __init__(self, factor: float = 1.6) -> None:
        self.factor = factor
        self.level: float | None = None

    def __call__(self, value: float) -> float:
        if self.level is None:
            self.level = value
        elif value > self.level:
            self.level = value * self.factor
        return self.level
