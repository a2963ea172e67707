"""Helpers shared by the optimization-group demos: the pooled digits, a small MLP, plot text."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FuncFormatter

from quizapp.trainer import Linear, ReLU, Sequential, load_mnist_5k, train_test_split

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: One colour per optimizer / run, shared by the optimization demos.
PALETTE = ("#6e7781", "#d1242f", "#1a7f37", "#0969da", "#8250df", "#bf8700")

#: Tick labels as plain numbers ("0.5", "2") instead of "5 x 10^-1" on log axes.
PLAIN = FuncFormatter(lambda value, _pos: f"{value:g}")


@lru_cache(maxsize=1)
def _pooled_digits() -> tuple[np.ndarray, np.ndarray]:
    """The shipped 5,000 digits, 2x2 average-pooled to 14x14 = 196 float32 features."""
    X, y = load_mnist_5k()
    pooled = X.reshape(len(X), 14, 2, 14, 2).mean(axis=(2, 4)).reshape(len(X), 196)
    pooled.setflags(write=False)
    y.setflags(write=False)
    return pooled, y


def digits(n_train: int, n_val: int, seed: int) -> tuple[np.ndarray, ...]:
    """A seeded, stratified split of the pooled digits: ``(X_train, y_train, X_val, y_val)``.

    Pooling keeps every mini-batch step cheap (196 inputs instead of 784) while the task stays
    the real handwritten digits.
    """
    X, y = _pooled_digits()
    X_rest, X_val, y_rest, y_val = train_test_split(
        X, y, test_size=n_val / len(X), stratify=True, rng=seed)
    return X_rest[:n_train], y_rest[:n_train], X_val, y_val


def mlp(n_in: int, hidden: int, n_out: int, seed: int) -> Sequential:
    """``Linear -> ReLU -> Linear`` with PyTorch's default init, seeded."""
    rng = np.random.default_rng(seed)
    return Sequential(Linear(n_in, hidden, rng=rng), ReLU(), Linear(hidden, n_out, rng=rng))


def tr(lang: str, ko: str, en: str) -> str:
    """Plot text in the requested language."""
    return ko if lang == "ko" else en


class Limits:
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
        unscale = (lambda v: 10.0**v) if self.log else float
        self._set(max(unscale(new_low), min(self.floor, low)) if grow_low else old_low,
                  min(unscale(new_high), max(self.ceiling, high)) if grow_high else old_high)
