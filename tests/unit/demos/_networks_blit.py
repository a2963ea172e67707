"""Check that a demo's ``update`` lets the live window blit (shared by the networks demos' tests).

The window blits only when ``update`` returns the same artists as last time and no axis limit
moved; see ``quizapp.ui.figure_painter``.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from quizapp.demos.base import Demo, Values
from quizapp.demos.runner import DemoRun


def blit_check(demo: Demo, values: Values, frames: int, lang: str = "en") -> int:
    """Run ``frames`` frames through ``draw``'s update; return how many moved a limit.

    Asserts that every frame returns the same list of artists (same objects, same order) and
    that each is a direct child of an Axes or of the figure.
    """
    figure = Figure(figsize=(10, 6), layout="constrained")
    FigureCanvasAgg(figure)
    update = demo.draw(figure, values, lang)
    run = DemoRun(demo, values)
    first: list[Any] | None = None
    limits = None
    moves = 0
    for _ in range(frames):
        frame = run.step()
        if frame is None:
            break
        changed = update(frame)
        assert changed is not None
        if first is None:
            first = list(changed)
            assert len({id(a) for a in first}) == len(first)
            for artist in first:
                parent = artist.axes if artist.axes is not None else figure
                assert artist in parent.get_children(), artist
        else:
            assert [id(a) for a in changed] == [id(a) for a in first]
        now = [(ax.get_xlim(), ax.get_ylim()) for ax in figure.axes]
        moves += limits is not None and now != limits
        limits = now
    return moves
