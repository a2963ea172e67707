"""Helpers shared by the networks-group demos (activations, init, softmax, backprop, MNIST, CNN)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from quizapp.trainer import EpochMetrics, StepMetrics

if TYPE_CHECKING:
    from matplotlib.artist import Artist


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
        rank = (next(i for i, ax in enumerate(figure.axes) if ax is axes) if axes is not None
                else len(figure.axes))
        return rank, artist.get_zorder(), parent.get_children().index(artist)

    return sorted(artists, key=key)
