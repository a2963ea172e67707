"""Colours and axis-limit helpers shared by the demos' matplotlib renderers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.ticker import LogFormatter

BLUE = "#0969da"
RED = "#d1242f"
GREEN = "#1a7f37"
ORANGE = "#bf8700"
PURPLE = "#8250df"
GREY = "#6e7781"
#: A shade darker than ``RED``: the networks demos' red and the "diverged" banner's.
CRIMSON = "#cf222e"


def plain_log_formatter(label_only_base: bool = True) -> LogFormatter:
    """matplotlib's ``LogFormatter``, which labels minor ticks only while the axis spans few
    decades (all of them within half a decade, an evenly spread few within two), writing 0.3
    rather than 3e−01. (Imported when drawing: the model's worker process never loads
    matplotlib.)"""
    from matplotlib.ticker import LogFormatter

    class PlainLogFormatter(LogFormatter):
        def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
            return f"{x:g}"

    return PlainLogFormatter(labelOnlyBase=label_only_base, minor_thresholds=(2, 0.5))


# -- axis limits ---------------------------------------------------------------------------------
# A limit that changes forces the live window into a full redraw (see ``base``), so each helper
# moves limits rarely, in jumps. They differ in what they guarantee; pick one by need:
# - ``grow_limit``: push one upper limit out by ``factor`` when a value passes it.
# - ``PresetLimits``: both ends of an axis, from a preset range; fitted to the first frame, then
#   widened by ``jump`` x the needed span within ``floor`` / ``ceiling``; ``log=True`` on log axes.
# - ``FitLimits``: both ends of an axis, fitted to the first frame, then widened by ``slack`` x
#   the span on the side that overflowed; tells a log axis by its scale.
# - ``fit_log_limits``: the y limits of a log axis, refitted only when the data leaves them or
#   they have grown far too wide.
# - ``Ceiling``: a number (not an axis) that follows a value from above in jumps.


def grow_limit(axes: Axes, value: float, axis: str = "x", factor: float = 1.6) -> None:
    """Make sure ``value`` is inside the upper limit of ``axis``, growing it in jumps."""
    get = axes.get_xlim if axis == "x" else axes.get_ylim
    set_ = axes.set_xlim if axis == "x" else axes.set_ylim
    low, high = get()
    if value > high:
        set_(low, low + (value - low) * factor)


class PresetLimits:
    """The limits of one axis: a sensible start, fitted to the first frame shown, then widened.

    ``start`` (set at once, in ``draw``) should already hold what the run needs for a good while,
    from the parameter values or data known up front. The first call widens the limits exactly
    to the range the frame needs (free: the first paint is a full redraw anyway, and a headless
    render of one final frame looks fitted); later calls leave them alone while the range fits
    and otherwise widen them by a jump (``jump`` times the needed span, in log space for log
    axes), so a growing curve moves them rarely: each change costs the live window a full
    redraw. Limits never shrink; ``floor`` and ``ceiling`` bound how far a jump may go.
    Non-finite bounds (and non-positive ones on a log axis) are ignored.
    """

    def __init__(self, axes: Axes, axis: str = "y", start: tuple[float, float] | None = None,
                 *, log: bool = False, jump: float = 1.5, floor: float = -math.inf,
                 ceiling: float = math.inf) -> None:
        self.axes, self.axis, self.log, self.jump = axes, axis, log, jump
        self.floor, self.ceiling = floor, ceiling
        self.calls = 0
        self.start = start
        if start is not None:
            self._set(*start)

    def _set(self, low: float, high: float) -> None:
        (self.axes.set_xlim if self.axis == "x" else self.axes.set_ylim)(low, high)

    def __call__(self, low: float, high: float) -> None:
        if not (math.isfinite(low) and math.isfinite(high)) or (self.log and low <= 0):
            return
        self.calls += 1
        if self.calls == 1:
            if self.start is not None:
                low, high = min(low, self.start[0]), max(high, self.start[1])
            self._set(low, high)
            return
        old_low, old_high = (self.axes.get_xlim if self.axis == "x" else self.axes.get_ylim)()
        scale = math.log10 if self.log else float
        slack = 1e-6 * (scale(old_high) - scale(old_low))  # rounding noise is not growth
        grow_low = scale(low) < scale(old_low) - slack
        grow_high = scale(high) > scale(old_high) + slack
        if not (grow_low or grow_high):
            return
        new_low = scale(low) if grow_low else scale(old_low)
        new_high = scale(high) if grow_high else scale(old_high)
        extra = (self.jump - 1.0) * (new_high - new_low)
        if grow_low:
            new_low -= extra
        if grow_high:
            new_high += extra
        unscale = _exp10 if self.log else float
        self._set(max(unscale(new_low), min(self.floor, low)) if grow_low else old_low,
                  min(unscale(new_high), max(self.ceiling, high)) if grow_high else old_high)


class FitLimits:
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
        scale, unscale = (math.log10, _exp10) if log else (float, float)
        a, b = scale(min(low, old_low)), scale(max(high, old_high))
        span = b - a
        if low < old_low:
            a -= self.slack * span
        if high > old_high:
            b += self.slack * span
        set_(unscale(a), unscale(b))


def fit_log_limits(axes: Axes, low: float, high: float, pad: float,
                   slack: float = 100.0, force: bool = False) -> None:
    """Set the y limits of a log axis to ``(low / pad, high * pad)`` only when needed.

    Needed means: ``force``, the data ``[low, high]`` left the current limits, or the limits
    are more than ``slack`` times wider than that on a side. Small drifts of the data keep
    the limits (and so the cheap blitting); the first fit gives exactly ``(low/pad, high*pad)``.
    """
    bottom, top = axes.get_ylim()
    if (force or low < bottom or high > top or low / pad > bottom * slack
            or high * pad < top / slack):
        axes.set_ylim(low / pad, high * pad)


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


def _exp10(value: float) -> float:
    """``10 ** value``, the inverse of ``math.log10``."""
    power: float = 10.0**value
    return power
