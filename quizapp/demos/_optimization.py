"""Helpers shared by the optimization-group demos: their palette, a small MLP, plain tick labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from quizapp.trainer import Linear, ReLU, Sequential

if TYPE_CHECKING:
    from matplotlib.ticker import FuncFormatter

#: One colour per optimizer / run, shared by the optimization demos.
PALETTE = (GREY, RED, GREEN, BLUE, PURPLE, ORANGE)

def plain_ticks() -> FuncFormatter:
    """Tick labels as plain numbers ("0.5", "2") instead of "5 x 10^-1" on log axes.

    Imported when a figure is drawn: the demo's model runs in a worker process that never
    draws, and need not load matplotlib."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:g}")


def mlp(n_in: int, hidden: int, n_out: int, seed: int) -> Sequential:
    """``Linear -> ReLU -> Linear`` with PyTorch's default init, seeded."""
    rng = np.random.default_rng(seed)
    return Sequential(Linear(n_in, hidden, rng=rng), ReLU(), Linear(hidden, n_out, rng=rng))
