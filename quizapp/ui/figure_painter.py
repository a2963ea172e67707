"""The Qt canvas of a demo window, and how it is repainted after each frame.

``DemoCanvas`` keeps the figure 10 inches wide (it changes the dpi instead of the inches), so
text and layout look like the headless render the demo was designed and checked with, only
scaled — down to ``MIN_DPI``, where text would get too small to read: a narrower canvas keeps
that dpi and makes the figure narrower instead (the constrained layout re-flows it).
``FigurePainter`` blits the changed artists over a cached background.

A full redraw of a demo figure takes hundreds of milliseconds; restoring a cached background and
drawing only the artists a frame changed takes about ten (matplotlib's blitting recipe). A full
redraw happens only when the demo asks for one, the set of changed artists differs, or the
canvas was resized. When axis limits moved, only those axes are drawn again into the cached
background (a third to a half of a full redraw), over the region their old and new decorations
cover — unless another part of the figure reaches into that region (a twin axes, a figure
title), when the whole figure is drawn. About half of a full redraw is the constrained layout;
it runs on the first one after the figure was built or resized and when asked (``relayout``:
the window asks when a run pauses or ends), not on the ones within a run, which keep the axes
where they are.

While a run is live, texts whose words change every frame are laid out at most
``TextImages.THROTTLE_S`` apart (see ``quizapp.ui.text_cache``); ``settle`` draws any that were
held back, and runs by itself when no frame has come for that long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.colors import to_rgba
from matplotlib.transforms import Bbox
from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent

from quizapp.ui.text_cache import LineCache, TextImages

FIGURE_WIDTH_IN = 10.0  # the width render_png uses
MIN_DPI = 72.0  # 9-point plot text is 9 pixels tall here: the smallest that stays readable


class DemoCanvas(FigureCanvasQTAgg):
    """A canvas whose figure is ``FIGURE_WIDTH_IN`` inches wide while that keeps the dpi at
    least ``MIN_DPI``. Its renderer draws text lines from a ``LineCache``."""

    line_cache: LineCache | None = None

    def get_renderer(self) -> Any:  # FigureCanvasAgg override
        renderer = super().get_renderer()
        if self.line_cache is None:
            self.line_cache = LineCache()
        self.line_cache.install(renderer)
        return renderer

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        width = event.size().width() * self.device_pixel_ratio
        if width > 0 and self.figure is not None:
            # Public setter; with no figure manager (an embedded canvas) it does not ask the
            # widget to resize, so this cannot loop. The base class then sets the figure's
            # inches from the pixel size and this dpi.
            self.figure.dpi = max(MIN_DPI, width / FIGURE_WIDTH_IN)
        super().resizeEvent(event)


class FigurePainter:
    """Owns how a canvas is repainted after each frame."""

    def __init__(self, canvas: FigureCanvasQTAgg) -> None:
        self.canvas = canvas
        self.figure = canvas.figure
        self.background: Any = None
        self.animated: list[Artist] = []
        self.limits: list[Any] = []
        self.full_draws = 0
        self.axes_redraws = 0  # backgrounds mended by drawing only the axes that moved
        self.blits = 0
        #: what each visible part of the figure covers (display pixels), after the last draw
        self._extents: dict[int, Bbox] = {}
        self.texts = TextImages()
        self.layout_due = True  # the next full redraw runs the layout engine
        self.layouts_skipped = 0  # full redraws without a layout since the last one with
        self._keeping_layout = False
        canvas.mpl_connect("draw_event", self._on_full_draw)
        self._settle_timer = QTimer(canvas)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(round(TextImages.THROTTLE_S * 1000) + 10)
        self._settle_timer.timeout.connect(self.settle)

    def reset(self) -> None:
        """Forget the cached background (call after the figure is cleared)."""
        self.background = None
        self.animated = []
        self.limits = []
        self.layout_due = True
        self.texts.invalidate()

    def relayout(self) -> None:
        """Lay the figure out again and redraw it, if a full redraw since the last layout
        skipped it (call when the picture will stay a while: paused, finished)."""
        if self.layouts_skipped and self.background is not None:
            self.layout_due = True
            self._draw()

    def settle(self) -> None:
        """Draw the texts a live frame showed from their last image, as they are now."""
        self._settle_timer.stop()
        if self.texts.pending and self.background is not None:
            self.texts.throttle = False
            self.canvas.restore_region(self.background)
            self._draw_animated()
            self.canvas.blit(self.figure.bbox)
            self.blits += 1

    def paint(self, changed: Sequence[Artist] | None, live: bool = False) -> None:
        """Show a frame whose changed artists are ``changed`` (None: redraw everything);
        ``live``: more frames follow soon, so changing texts may lag (see ``settle``)."""
        self.texts.throttle = live
        self._paint(changed)
        if self.texts.pending:
            self._settle_timer.start()  # restarted by every frame: fires when they stop
        else:
            self._settle_timer.stop()

    def _paint(self, changed: Sequence[Artist] | None) -> None:
        limits = [(ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes]
        same_artists = changed is not None and [id(a) for a in changed] == [
            id(a) for a in self.animated]
        if self.background is None or not same_artists or len(limits) != len(self.limits):
            for artist in self.animated:
                artist.set_animated(False)
            self.animated = list(changed or [])
            for artist in self.animated:
                artist.set_animated(True)  # left out of the cached background
            self.limits = limits
            self._draw()
            return
        if limits != self.limits:
            moved = [ax for ax, old, new in zip(self.figure.axes, self.limits, limits,
                                                strict=True) if old != new]
            self.limits = limits
            if not self._redraw_axes(moved):
                self._draw()
                return
        self.canvas.restore_region(self.background)
        self._draw_animated()
        self.canvas.blit(self.figure.bbox)
        self.blits += 1

    def _draw(self) -> None:
        """A full redraw (-> ``_on_full_draw`` caches the background and draws the artists),
        without the layout engine unless it is due."""
        engine = self.figure.get_layout_engine()
        if self.layout_due or engine is None:
            self.layout_due = False
            self.layouts_skipped = 0
            self.canvas.draw()
            return
        engine.execute = _keep_layout  # type: ignore[method-assign]
        self._keeping_layout = True
        try:
            self.canvas.draw()
        finally:
            del engine.execute
            self._keeping_layout = False
        self.layouts_skipped += 1

    def _on_full_draw(self, _event: Any) -> None:
        self.full_draws += 1
        if not self._keeping_layout:  # (also Qt's own redraws, after a resize)
            self.layouts_skipped = 0
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._extents = self._measure(self.canvas.get_renderer())
        self.texts.invalidate()  # the layout may have moved them
        self._draw_animated()

    def _measure(self, renderer: Any) -> dict[int, Bbox]:
        """What each visible part of the figure covers, but its patch and the animated set
        (drawn over the background every frame)."""
        extents: dict[int, Bbox] = {}
        animated = {id(a) for a in self.animated}
        for part in self.figure.get_children():
            if part is self.figure.patch or not part.get_visible() or id(part) in animated:
                continue
            extent = part.get_tightbbox(renderer)
            if extent is not None and extent.width > 0 and extent.height > 0:
                extents[id(part)] = extent
        return extents

    def _redraw_axes(self, moved: list[Any]) -> bool:
        """Mend the cached background for axes whose limits moved: clear the region their old
        and new decorations cover and draw just them there. False (nothing done) when another
        part of the figure reaches into that region, or the figure is not plain to redraw."""
        figure, renderer = self.figure, self.canvas.get_renderer()
        if figure.patch.get_linewidth() or figure.patch.get_alpha() not in (None, 1.0):
            return False
        regions = []
        for ax in moved:
            old = self._extents.get(id(ax))
            new = ax.get_tightbbox(renderer)
            if old is None or new is None or not ax.get_visible():
                return False
            regions.append((ax, Bbox.union([old, new]).padded(2)))
        moved_ids = {id(ax) for ax in moved}
        others = [extent for key, extent in self._extents.items() if key not in moved_ids]
        if any(region.overlaps(extent) for _, region in regions for extent in others):
            return False
        self.canvas.restore_region(self.background)
        pixels = np.asarray(renderer.buffer_rgba())
        height, width = pixels.shape[:2]
        face = np.round(np.asarray(to_rgba(figure.get_facecolor())) * 255).astype(np.uint8)
        for ax, region in regions:
            rows = slice(max(0, height - math.ceil(region.y1)),
                         min(height, height - math.floor(region.y0)))
            cols = slice(max(0, math.floor(region.x0)), min(width, math.ceil(region.x1)))
            pixels[rows, cols] = face
            ax.draw(renderer)  # its animated artists are left out, as in a full redraw
            self._extents[id(ax)] = ax.get_tightbbox(renderer)
        self.background = self.canvas.copy_from_bbox(figure.bbox)
        self.axes_redraws += 1
        self.layouts_skipped += 1  # decorations changed size: lay out again when it settles
        self.texts.invalidate()
        return True

    def _draw_animated(self) -> None:
        self.texts.pending = False
        renderer = self.canvas.get_renderer()
        for artist in self.animated:
            self._draw_artist(artist, renderer)

    def _draw_artist(self, artist: Artist, renderer: Any) -> None:
        """Draw one artist of the blitted set (texts and legends from their cached images)."""
        if TextImages.cacheable(artist):
            self.texts.draw(artist, renderer)
        else:
            artist.draw(renderer)


def _keep_layout(_figure: Any) -> None:
    """A layout engine's ``execute`` that leaves the axes where they are."""
