"""Check that a demo's ``update`` lets the live window blit (used by the demo tests).

The window blits only when ``update`` returns the same artists as last time and no axis limit
moved; returning None asks for a full redraw. See ``quizapp.ui.figure_painter``.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from quizapp.demos.base import Demo, Values
from quizapp.demos.runner import DemoRun


def full_redraws(demo: Demo, values: Values, frames: int, lang: str = "en") -> int:
    """Run up to ``frames`` frames through ``draw``'s update; return how many of them (after the
    first) would need a full redraw: None returned, or an axis limit moved.

    Asserts that every other frame returns the same list of artists (same objects, same order),
    each a direct child of an Axes or of the figure.
    """
    figure = Figure(figsize=(8, 5), layout="constrained")
    FigureCanvasAgg(figure)
    update = demo.draw(figure, values, lang)
    run = DemoRun(demo, values)
    first: list[Any] | None = None
    limits = None
    full = 0
    for _ in range(frames):
        frame = run.step()
        if frame is None:
            break
        changed = update(frame)
        now = [(ax.get_xlim(), ax.get_ylim()) for ax in figure.axes]
        if limits is not None and (changed is None or now != limits):
            full += 1
        limits = now
        if changed is None:
            continue
        if first is None:
            first = list(changed)
            assert len({id(a) for a in first}) == len(first)
            for artist in first:
                parent = artist.axes if artist.axes is not None else figure
                assert artist in parent.get_children(), artist
        else:
            assert [id(a) for a in changed] == [id(a) for a in first]
    assert first is not None
    return full
