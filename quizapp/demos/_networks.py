"""Helpers shared by the networks-group demos (activations, init, softmax, backprop, MNIST, CNN)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.trainer import EpochMetrics, StepMetrics, load_mnist_5k, train_test_split

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

BLUE, RED, GREEN, ORANGE, PURPLE, GREY = (
    "#0969da", "#cf222e", "#1a7f37", "#bf8700", "#8250df", "#6e7781")


def t(lang: str, ko: str, en: str) -> str:
    """The text in the plot language."""
    return Text(ko, en).get(lang)


@cache
def digits(size: int = 28, n_test: int = 1000, seed: int = 0) -> tuple[np.ndarray, ...]:
    """The shipped 5,000 digits split (stratified) into train and test: X in (N, 1, s, s).

    ``size=14`` averages 2×2 pixel blocks (a cheap downsampling for the CNN demo).
    Returns read-only arrays ``(X_train, y_train, X_test, y_test)``.
    """
    X, y = load_mnist_5k()
    if size == 14:
        X = X.reshape(len(X), 1, 14, 2, 14, 2).mean(axis=(3, 5))
    elif size != 28:
        raise ValueError(f"size must be 28 or 14, got {size}")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=n_test / len(X), stratify=True, rng=seed)
    out = tuple(np.ascontiguousarray(a) for a in (X_train, y_train, X_test, y_test))
    for a in out:
        a.flags.writeable = False
    return out


def steps_only(events: Iterator[StepMetrics | EpochMetrics]) -> Iterator[StepMetrics]:
    """The ``StepMetrics`` of a ``fit`` generator (its per-epoch summaries skipped)."""
    for event in events:
        if isinstance(event, StepMetrics):
            yield event


def draw_order(artists: Iterable[Artist]) -> list[Artist]:
    """``artists`` in the order their Axes draws them: z-order, then order of creation.

    The live window draws the artists ``update`` returns over a cached background, in list
    order. So a static artist that sits on top of a changing one (target markers over bars,
    labels over boxes, a reference line over a curve) goes in the list too, and the list
    follows the Axes' own drawing order, which keeps the blitted picture as a full redraw.
    """
    def key(artist: Artist) -> tuple[int, float, int]:
        axes = artist.axes
        figure = artist.get_figure()
        assert figure is not None
        parent = axes if axes is not None else figure
        rank = figure.axes.index(axes) if axes is not None else len(figure.axes)
        return rank, artist.get_zorder(), parent.get_children().index(artist)

    return sorted(artists, key=key)


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
