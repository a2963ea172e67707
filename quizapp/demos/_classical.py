"""Helpers shared by the classical ML & evaluation demos: colours, text boxes, 2-D data sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos.base import Choice
from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from quizapp.trainer import make_blobs, make_circles, make_moons

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text as TextArtist

#: class 0 / negative, class 1 / positive
NEGATIVE, POSITIVE = BLUE, RED
#: one colour per cluster (k-means), then repeated
CLUSTER_COLORS = (BLUE, RED, GREEN, ORANGE, PURPLE, "#1b9e9e", "#8c564b", "#e377c2", GREY,
                  "#17becf")
BOX = {"facecolor": "white", "alpha": 0.88, "edgecolor": "#cccccc"}

DATASETS = (
    Choice("moons", Text("반달 (moons)", "moons")),
    Choice("circles", Text("동심원 (circles)", "circles")),
    Choice("blobs", Text("가우시안 덩어리 (blobs)", "blobs")),
)


def two_class_data(name: str, n_samples: int, noise: float, seed: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D two-class set from the trainer's generators; ``noise`` in [0, 0.5] blurs it.

    moons: Gaussian noise of std ``noise``; circles: radius ratio 0.5 and noise / 2; blobs:
    centres (-1, -1) and (1, 1) with std 0.4 + 2 x noise (overlapping when noise is large).
    """
    if name == "moons":
        return make_moons(n_samples, noise=noise, rng=seed)
    if name == "circles":
        return make_circles(n_samples, noise=noise / 2, factor=0.5, rng=seed)
    if name == "blobs":
        return make_blobs(n_samples, centers=[[-1.0, -1.0], [1.0, 1.0]],
                          cluster_std=0.4 + 2.0 * noise, rng=seed)
    raise ValueError(f"unknown data set {name!r}")


def info_text(ax: Axes, x: float, y: float, ha: str = "left", va: str = "top",
              fontsize: float = 8.5) -> TextArtist:
    """An empty boxed text in axes coordinates, to be filled (and blitted) by ``update``."""
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va=va, fontsize=fontsize,
                   bbox=BOX, zorder=5)
