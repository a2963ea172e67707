"""Helpers shared by the optimization-group demos: their palette, a small MLP, plain tick labels."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from quizapp.trainer import Linear, ReLU, Sequential

#: One colour per optimizer / run, shared by the optimization demos.
PALETTE = (GREY, RED, GREEN, BLUE, PURPLE, ORANGE)

#: Tick labels as plain numbers ("0.5", "2") instead of "5 x 10^-1" on log axes.
PLAIN = FuncFormatter(lambda value, _pos: f"{value:g}")


def mlp(n_in: int, hidden: int, n_out: int, seed: int) -> Sequential:
    """``Linear -> ReLU -> Linear`` with PyTorch's default init, seeded."""
    rng = np.random.default_rng(seed)
    return Sequential(Linear(n_in, hidden, rng=rng), ReLU(), Linear(hidden, n_out, rng=rng))
