"""The live painter's shortcuts never leave a wrong picture behind: a text held back while a run
is live is drawn as it really is once the run settles, pixel for pixel what matplotlib draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pytestqt.qtbot import QtBot

from quizapp.ui.app import application
from quizapp.ui.figure_painter import DemoCanvas, FigurePainter

pytestmark = pytest.mark.gui


def _build(figure: Figure) -> tuple[Any, Any, Any]:
    ax = figure.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_title("fixed title")
    (line,) = ax.plot([], [], lw=2)
    metrics = ax.text(0.5, 9.5, "", va="top", fontsize=10,
                      bbox={"facecolor": "white", "edgecolor": "grey"})
    return ax, line, metrics


def _set_frame(line: Any, metrics: Any, step: int) -> None:
    # (inside the axes: a blitted line is drawn over the spines, matplotlib's order puts it under)
    line.set_data(1 + np.arange(step + 2) * 0.5, np.sin(np.arange(step + 2)) + 5)
    metrics.set_text(f"step {step}\nloss {1 / (step + 1):.4f}\naccuracy {step / 100:.1%}")


def _shows_frame(canvas: DemoCanvas, step: int) -> bool:
    """Whether the canvas shows frame ``step`` exactly as matplotlib alone draws it."""
    return np.array_equal(np.asarray(canvas.buffer_rgba()), _reference(canvas.figure, step))


def _reference(figure: Figure, step: int) -> np.ndarray:
    """The same frame drawn by matplotlib alone, at the same size."""
    other = Figure(figsize=figure.get_size_inches(), dpi=figure.dpi)
    canvas = FigureCanvasAgg(other)
    _, line, metrics = _build(other)
    _set_frame(line, metrics, step)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.fixture
def live(qtbot: QtBot) -> tuple[DemoCanvas, FigurePainter, Any, Any]:
    application()
    figure = Figure(figsize=(6, 4), dpi=80)
    canvas = DemoCanvas(figure)
    qtbot.addWidget(canvas)
    _, line, metrics = _build(figure)
    return canvas, FigurePainter(canvas), line, metrics


def test_a_changing_text_lags_while_live_and_is_exact_once_settled(
        qtbot: QtBot, live: tuple[DemoCanvas, FigurePainter, Any, Any]) -> None:
    canvas, painter, line, metrics = live
    _set_frame(line, metrics, 0)
    painter.paint([line, metrics], live=True)  # the first frame: a full redraw
    for step in range(1, 4):  # frames in quick succession, well inside the throttle
        _set_frame(line, metrics, step)
        painter.paint([line, metrics], live=True)
    assert painter.texts.held_back >= 1 and painter.texts.pending
    shown = np.asarray(canvas.buffer_rgba()).copy()
    assert not np.array_equal(shown, _reference(canvas.figure, 3))  # the numbers lag
    # no frame comes any more: the painter draws the held-back text by itself
    qtbot.waitUntil(lambda: not painter.texts.pending, timeout=2000)
    assert _shows_frame(canvas, 3)


def test_a_paused_frame_is_never_held_back(
        live: tuple[DemoCanvas, FigurePainter, Any, Any]) -> None:
    canvas, painter, line, metrics = live
    for step in range(4):
        _set_frame(line, metrics, step)
        painter.paint([line, metrics], live=False)
        assert not painter.texts.pending and _shows_frame(canvas, step)
    assert painter.texts.held_back == 0


def test_settle_draws_what_a_live_frame_held_back(
        live: tuple[DemoCanvas, FigurePainter, Any, Any]) -> None:
    canvas, painter, line, metrics = live
    for step in range(3):
        _set_frame(line, metrics, step)
        painter.paint([line, metrics], live=True)
    painter.settle()  # what the window does when the run pauses or ends
    assert not painter.texts.pending and _shows_frame(canvas, 2)


def _two_panels(figure: Figure) -> tuple[Any, Any, Any, Any]:
    left, right = figure.subplots(1, 2)
    for ax in (left, right):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 1)
        ax.set_title("panel")
        ax.set_ylabel("value")
    (a,) = left.plot([1, 2, 3], [0.2, 0.5, 0.4])
    (b,) = right.plot([1, 2, 3], [0.3, 0.1, 0.6])
    return left, right, a, b


def _full_redraw_pixels(canvas: DemoCanvas, painter: FigurePainter,
                        changed: list[Any]) -> np.ndarray:
    """What a full redraw (layout kept, as within a run) shows for the same state."""
    painter.background = None
    painter.paint(changed, live=False)
    return np.asarray(canvas.buffer_rgba()).copy()


def test_an_axis_that_rescales_is_redrawn_alone_with_the_pixels_of_a_full_redraw(
        qtbot: QtBot) -> None:
    application()
    figure = Figure(figsize=(7, 3), dpi=80, layout="constrained")
    canvas = DemoCanvas(figure)
    qtbot.addWidget(canvas)
    left, _right, a, b = _two_panels(figure)
    painter = FigurePainter(canvas)
    painter.paint([a, b])
    assert painter.full_draws == 1
    a.set_ydata([0.2, 5.5, 0.4])
    left.set_ylim(0, 6)  # only the left panel's limits move: its ticks and labels change
    painter.paint([a, b])
    assert (painter.full_draws, painter.axes_redraws) == (1, 1)
    mended = np.asarray(canvas.buffer_rgba()).copy()
    assert np.array_equal(mended, _full_redraw_pixels(canvas, painter, [a, b]))
    assert painter.full_draws == 2


def test_a_rescale_under_a_figure_title_draws_the_whole_figure(qtbot: QtBot) -> None:
    application()
    figure = Figure(figsize=(7, 3), dpi=80, layout="constrained")
    canvas = DemoCanvas(figure)
    qtbot.addWidget(canvas)
    left, _right, a, b = _two_panels(figure)
    figure.text(0.25, 0.5, "a note across the left panel", ha="center")
    painter = FigurePainter(canvas)
    painter.paint([a, b])
    left.set_ylim(0, 6)
    painter.paint([a, b])
    assert (painter.full_draws, painter.axes_redraws) == (2, 0)
