"""Draw text from caches of its pixels instead of laying it out and rasterizing it again.

Matplotlib lays out and rasterizes every glyph of a text each time it is drawn, with a good
deal of Python around it: 0.3-0.5 ms for a short label, 2-4 ms a line of a note, 10-50 ms a
legend. A live demo redraws its changing artists every frame, and texts lying on top of curves
(titles, notes, legends, a confusion matrix's numbers) are among them, so text was most of a
frame's drawing time. Most of it comes back unchanged, or with a value seen before.

Two caches, both keyed by everything that decides the pixels, and both only storing a text the
*second* time it is seen (a title with a new number every frame is drawn as usual and costs
nothing extra):

- ``LineCache`` replaces the Agg renderer's ``draw_text`` for one line: string, font, size,
  angle, colour, antialiasing, dpi and the position's fraction of a pixel (in FreeType's 1/64,
  so a cached line is exactly what Agg draws). It serves every text of the figure, legends and
  tick labels included, in full redraws and blits.
- ``TextImages`` draws a whole ``Text`` artist of the blitted set (its lines and its box) as one
  image: a text that has not changed since it was last drawn (matplotlib's ``stale`` flag) is
  drawn again without any layout, and one that changed to something seen before (a cell's count)
  is found by its properties. Position fractions are kept to a quarter pixel there, so a reused
  image can sit up to 1/8 pixel from where Agg would put it.

Hits are drawn with one ``draw_image`` each (about 30 µs).

A text whose words change every frame (a metrics box, a step counter) misses both caches every
time. While a run is live, ``TextImages.throttle`` lets such a text keep showing its last image
at the same place for up to ``THROTTLE_S`` before it is laid out again: numbers that change 30
times a second cannot be read anyway, and the curves keep their full frame rate. The text stays
``stale`` meanwhile, and ``pending`` tells the painter to draw it for real once the run pauses,
ends or goes quiet, so a picture that stays is always exact.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

Key = tuple[Any, ...]
#: Pixels (rows bottom first, as ``draw_image`` takes them) and where their bottom-left corner
#: lies relative to the whole pixel of the text's anchor.
Image = tuple[np.ndarray, int, int]


class _Seen:
    """Keys met once (a bounded, least recently used set)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._keys: OrderedDict[Key, None] = OrderedDict()

    def first_time(self, key: Key) -> bool:
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self.limit:
            self._keys.popitem(last=False)
        return True


class _Images:
    """Cached images by key (least recently used dropped past ``limit``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._images: OrderedDict[Key, Image | None] = OrderedDict()

    def get(self, key: Key) -> Image | bool | None:
        """The image, None for "draws nothing", False when not cached."""
        if key not in self._images:
            return False
        self._images.move_to_end(key)
        return self._images[key]

    def put(self, key: Key, image: Image | None) -> None:
        self._images[key] = image
        if len(self._images) > self.limit:
            self._images.popitem(last=False)

    def clear(self) -> None:
        self._images.clear()


def crop(rgba: np.ndarray, rows: slice | None = None,
         cols: slice | None = None) -> tuple[slice, slice] | None:
    """The rows and columns of ``rgba`` (within ``rows`` x ``cols``) that have any alpha; None
    when there are none. Raises ``_DoesNotFitError`` when they touch the edge of the searched
    region (so the drawing may go on beyond it)."""
    rows = rows or slice(0, rgba.shape[0])
    cols = cols or slice(0, rgba.shape[1])
    alpha = rgba[rows, cols, 3]
    found_rows = np.flatnonzero(alpha.any(axis=1))
    if found_rows.size == 0:
        return None
    found_cols = np.flatnonzero(alpha.any(axis=0))
    r0, r1 = int(found_rows[0]), int(found_rows[-1]) + 1
    c0, c1 = int(found_cols[0]), int(found_cols[-1]) + 1
    if r0 == 0 or c0 == 0 or r1 == alpha.shape[0] or c1 == alpha.shape[1]:
        raise _DoesNotFitError
    return slice(rows.start + r0, rows.start + r1), slice(cols.start + c0, cols.start + c1)


class _DoesNotFitError(Exception):
    pass


def draw_image(renderer: RendererAgg, gc: Any, image: Image, x: int, y: int) -> None:
    """Draw a cached image with its bottom-left corner at ``(x, y)`` + its offset (y up)."""
    pixels, dx, dy = image
    image_gc = renderer.new_gc()
    image_gc.copy_properties(gc)
    image_gc.set_alpha(1.0)
    renderer.draw_image(image_gc, x + dx, y + dy, pixels)
    image_gc.restore()


# -- lines, inside the renderer -------------------------------------------------------------


class LineCache:
    """Cached ``draw_text`` for the ``RendererAgg`` instances of one canvas."""

    SUBPIXELS = 64  # FreeType places glyphs in 1/64 pixel: cached lines are exact

    def __init__(self, limit: int = 3000) -> None:
        self._images = _Images(limit)
        self._seen = _Seen(4 * limit)
        self._unfit: set[Key] = set()
        self.hits = 0
        self.misses = 0

    def install(self, renderer: RendererAgg) -> None:
        """Make ``renderer.draw_text`` go through this cache (once per renderer)."""
        if getattr(renderer, "_line_cache", None) is self:
            return
        renderer._line_cache = self  # type: ignore[attr-defined]

        def draw_text(gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                      ismath: Any = False, mtext: Any = None) -> None:
            self.draw(renderer, gc, x, y, s, prop, angle, ismath, mtext)

        renderer.draw_text = draw_text  # type: ignore[method-assign]

    def draw(self, renderer: RendererAgg, gc: Any, x: float, y: float, s: str, prop: Any,
             angle: float, ismath: Any = False, mtext: Any = None) -> None:
        # (x, y): the line's anchor, y downwards (Agg's flipped text coordinates)
        if ismath == "TeX" or not (math.isfinite(x) and math.isfinite(y)):
            RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
            return
        rgba = gc.get_rgb()
        if len(rgba) == 3 or gc.get_forced_alpha():
            rgba = (*rgba[:3], gc.get_alpha())
        ix, iy = math.floor(x), math.floor(y)
        qx = round((x - ix) * self.SUBPIXELS)
        qy = round((y - iy) * self.SUBPIXELS)
        features = language = None
        if mtext is not None:
            features, language = mtext.get_fontfeatures(), mtext.get_language()
            if isinstance(features, list):
                features = tuple(features)
        key = (s, hash(prop), prop.get_size_in_points(), angle, bool(ismath),
               tuple(float(c) for c in rgba), bool(gc.get_antialiased()), renderer.dpi,
               qx, qy, features, language)
        image = self._images.get(key)
        if image is False:
            self.misses += 1
            if self._seen.first_time(key) or key in self._unfit:
                RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
                return
            try:
                image = self._render(renderer, gc, qx / self.SUBPIXELS, qy / self.SUBPIXELS,
                                     s, prop, angle, ismath, mtext, rgba)
            except _DoesNotFitError:
                self._unfit.add(key)
                RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
                return
            self._images.put(key, image)
        else:
            self.hits += 1
        if isinstance(image, tuple):
            # the offset is from the anchor's whole pixel with y downwards; draw_image's y is
            # the bottom row's, upwards
            pixels, left, top = image
            draw_image(renderer, gc, (pixels, left, 0), ix,
                       int(renderer.height) - (iy + top) - pixels.shape[0])

    @staticmethod
    def _render(renderer: RendererAgg, gc: Any, fx: float, fy: float, s: str, prop: Any,
                angle: float, ismath: Any, mtext: Any, rgba: tuple[float, ...]) -> Image | None:
        """The line drawn alone: its pixels, and its top-left corner relative to the anchor's
        whole pixel (y downwards)."""
        em = prop.get_size_in_points() * renderer.dpi / 72.0
        reach_x = reach_y = math.ceil(1.6 * em * (len(s) + 2))  # past any glyph run
        if angle % 360 == 0:
            reach_y = math.ceil(3 * em) + 8
        scratch = RendererAgg(2 * reach_x, 2 * reach_y, renderer.dpi)
        scratch_gc = scratch.new_gc()
        scratch_gc.set_foreground((1.0, 1.0, 1.0, 1.0))
        scratch_gc.set_antialiased(gc.get_antialiased())
        RendererAgg.draw_text(scratch, scratch_gc, reach_x + fx, reach_y + fy, s, prop, angle,
                              ismath, mtext)
        scratch_gc.restore()
        drawn = np.asarray(scratch.buffer_rgba())
        region = crop(drawn)
        if region is None:
            return None
        rows, cols = region
        coverage = drawn[rows, cols, 3].astype(np.float32) / 255.0
        pixels = np.empty((*coverage.shape, 4), np.uint8)
        pixels[:, :, :3] = np.round(np.asarray(rgba[:3]) * 255).astype(np.uint8)
        pixels[:, :, 3] = np.round(coverage * (float(rgba[3]) * 255.0)).astype(np.uint8)
        return (np.ascontiguousarray(pixels[::-1]), cols.start - reach_x,
                rows.start - reach_y)


# -- whole Text artists, in the painter ----------------------------------------------------


class TextImages:
    """Whole ``Text`` artists and ``Legend`` boxes drawn from images (see the module's
    docstring). A legend (at a fixed ``loc``) is kept while its texts, handles and frame look
    the same and the axes have not moved."""

    QUARTERS = 4
    THROTTLE_S = 0.125  # a changing text is laid out at most 8 times a second while live

    def __init__(self, limit: int = 2000) -> None:
        self._images = _Images(limit)
        self._seen = _Seen(4 * limit)
        self._unfit: set[Key] = set()
        # per text: (artist, image, x, y, generation, position, anchor, when drawn for real)
        self._last: dict[int, tuple[Any, ...]] = {}
        # per legend: (artist, key, generation, image or None while only seen once)
        self._legends: dict[int, tuple[Any, ...]] = {}
        self._scratch: RendererAgg | None = None
        self.generation = 0  # bumped by every full redraw: positions may have moved
        self.hits = 0
        self.misses = 0
        self.throttle = False  # set by the painter while a run is live
        self.pending = False  # a text was shown from its last image: draw it when it settles
        self.held_back = 0

    def invalidate(self) -> None:
        """Forget where texts were (after a full redraw: layout, limits or size changed)."""
        self.generation += 1
        self._last.clear()
        self._legends.clear()

    def clear(self) -> None:
        self.invalidate()
        self._images.clear()

    @staticmethod
    def cacheable(artist: Any) -> bool:
        return type(artist) is Text or isinstance(artist, Legend)

    def draw(self, artist: Any, renderer: RendererAgg) -> None:
        """Draw ``artist`` (see ``cacheable``) on ``renderer``, from an image when possible."""
        if isinstance(artist, Legend):
            self._draw_legend(artist, renderer)
        else:
            self._draw_text(artist, renderer)

    # -- texts ------------------------------------------------------------------------------

    def _draw_text(self, artist: Text, renderer: RendererAgg) -> None:
        if not artist.get_visible() or artist.get_text() == "":
            return  # Text.draw draws nothing either
        last = self._last.get(id(artist))
        if last is not None and (last[0] is not artist or last[4] != self.generation):
            last = None
        if last is not None and not artist.stale:
            self.hits += 1
            if last[1] is not None:
                draw_image(renderer, renderer.new_gc(), last[1], last[2], last[3])
            return
        key = self._text_key(artist, renderer, last)
        if key is None:
            self._last.pop(id(artist), None)
            artist.draw(renderer)
            return
        anchor_x, anchor_y = key[-1]
        x, y = math.floor(anchor_x), math.floor(anchor_y)
        image = self._images.get(key[:-1])
        now = time.monotonic()
        if image is False:
            if (self.throttle and last is not None and last[6] == key[-1]
                    and now - last[7] < self.THROTTLE_S):
                self.held_back += 1
                self.pending = True
                if last[1] is not None:
                    draw_image(renderer, renderer.new_gc(), last[1], last[2], last[3])
                return  # still stale: laid out on a later frame, or when the run settles
            self.misses += 1
            first_time = self._seen.first_time(key[:-1])
            if (first_time and not self.throttle) or key[:-1] in self._unfit:
                # drawn as usual (which clears ``stale``): if it is unchanged next frame, its
                # key is met a second time and its image kept
                self._last.pop(id(artist), None)
                artist.draw(renderer)
                return
            try:
                image = self._capture(artist, renderer, x, y)
            except _DoesNotFitError:
                self._unfit.add(key[:-1])
                self._last.pop(id(artist), None)
                artist.draw(renderer)
                return
            if not first_time:  # a text met once is kept only as this artist's last image
                self._images.put(key[:-1], image)
        else:
            self.hits += 1
        if isinstance(image, tuple):
            draw_image(renderer, renderer.new_gc(), image, x, y)
        artist.stale = False
        self._last[id(artist)] = (artist, image, x, y, self.generation, artist.get_position(),
                                  key[-1], now)

    def _text_key(self, t: Text, renderer: RendererAgg,
                  last: tuple[Any, ...] | None) -> Key | None:
        """Everything that decides how ``t`` looks, then its anchor in display pixels; None
        for a text this cache leaves alone (clipped, wrapped, TeX, path effects)."""
        if ((t.get_clip_on() and (t.get_clip_box() is not None or t.get_clip_path() is not None))
                or t.get_wrap() or t.get_usetex() or t.get_path_effects()):
            return None
        if last is not None and last[5] == t.get_position():
            x, y = last[6]  # not moved (a moved axis limit or layout bumps the generation)
        else:
            x, y = t.get_transform().transform(t.get_unitless_position())
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        patch = t.get_bbox_patch()
        box = None
        if patch is not None:
            box = (repr(patch.get_boxstyle()), tuple(patch.get_facecolor()),
                   tuple(patch.get_edgecolor()), patch.get_linewidth(), patch.get_linestyle(),
                   patch.get_alpha(), patch.get_mutation_scale(), patch.get_fill())
        features = t.get_fontfeatures()
        if isinstance(features, list):
            features = tuple(features)
        return (t.get_text(), to_rgba(t.get_color()), t.get_alpha(),
                hash(t.get_fontproperties()), t.get_rotation(), t.get_rotation_mode(),
                t.get_transform_rotates_text(), t.get_horizontalalignment(),
                t.get_verticalalignment(), t._multialignment, t.get_linespacing(),
                t.get_antialiased(), t.get_parse_math(), features, t.get_language(), box,
                renderer.dpi, round((x - math.floor(x)) * self.QUARTERS),
                round((y - math.floor(y)) * self.QUARTERS), (float(x), float(y)))

    # -- legends ----------------------------------------------------------------------------

    def _draw_legend(self, legend: Legend, renderer: RendererAgg) -> None:
        if not legend.get_visible():
            return
        key = _legend_key(legend)
        last = self._legends.get(id(legend))
        if last is not None and (last[0] is not legend or last[1] != key
                                 or last[2] != self.generation):
            last = None
        if key is None or last is None:  # new or changed: drawn as usual, kept next time
            self.misses += 1
            legend.draw(renderer)
            if key is not None:
                self._legends[id(legend)] = (legend, key, self.generation, None)
            return
        image = last[3]
        if image is None:
            self.misses += 1
            try:
                image = self._capture(legend, renderer, 0, 0)
            except _DoesNotFitError:
                self._legends.pop(id(legend), None)
                legend.draw(renderer)
                return
            self._legends[id(legend)] = (legend, key, self.generation, image or ())
        else:
            self.hits += 1
        if image:
            draw_image(renderer, renderer.new_gc(), image, 0, 0)

    # -- pictures of artists ----------------------------------------------------------------

    def _capture(self, artist: Any, renderer: RendererAgg, x: int, y: int) -> Image | None:
        """Draw ``artist`` alone on a transparent canvas of the same size, crop it to what it
        drew and draw that on ``renderer``'s behalf; the offset returned is from ``(x, y)``
        (display pixels, y up). None when it draws nothing."""
        width, height = int(renderer.width), int(renderer.height)
        scratch = self._scratch
        if scratch is None or (scratch.width, scratch.height, scratch.dpi) != (
                width, height, renderer.dpi):
            scratch = self._scratch = RendererAgg(width, height, renderer.dpi)
        line_cache = getattr(renderer, "_line_cache", None)
        if isinstance(line_cache, LineCache):
            line_cache.install(scratch)
        previous = getattr(artist, "_renderer", None)
        artist.draw(scratch)
        if previous is not None:
            artist._renderer = previous
        drawn = np.asarray(scratch.buffer_rgba())
        extent = artist.get_window_extent(scratch)
        patch = artist.get_bbox_patch() if isinstance(artist, Text) else None
        if patch is not None:
            extent = Bbox.union([extent, patch.get_window_extent(scratch)])
        margin = 6
        search = (slice(max(0, height - math.ceil(extent.y1) - margin),
                        min(height, height - math.floor(extent.y0) + margin)),
                  slice(max(0, math.floor(extent.x0) - margin),
                        min(width, math.ceil(extent.x1) + margin)))
        try:
            region = crop(drawn, *search)
        except _DoesNotFitError:
            scratch.clear()
            raise
        if region is None:
            drawn[search] = 0
            return None
        rows, cols = region
        pixels = np.ascontiguousarray(drawn[rows, cols][::-1])
        drawn[search] = 0  # all it drew lies inside: clean for the next one
        return pixels, cols.start - x, (height - rows.stop) - y


def _legend_key(legend: Legend) -> Key | None:
    """What decides how ``legend`` looks besides the axes it sits on; None at ``loc="best"``
    (it moves with the data)."""
    if getattr(legend, "_loc", 0) in (0, None):
        return None
    frame = legend.get_frame()
    return (tuple((t.get_text(), to_rgba(t.get_color()), t.get_visible(), t.get_alpha())
                  for t in legend.get_texts()),
            legend.get_title().get_text(),
            tuple(_look(h) for h in legend.legend_handles),
            tuple(frame.get_facecolor()), tuple(frame.get_edgecolor()), frame.get_alpha(),
            frame.get_visible(), legend.get_alpha())


def _look(artist: Any) -> Key:
    """A cheap fingerprint of a legend handle's colours and visibility."""
    if artist is None:
        return ()
    colours = []
    for getter in ("get_color", "get_facecolor", "get_edgecolor", "get_markerfacecolor"):
        method = getattr(artist, getter, None)
        if method is not None:
            value = method()
            colours.append(value if isinstance(value, str) else
                           tuple(np.asarray(value, dtype=float).ravel()))
    return (type(artist).__name__, artist.get_visible(), artist.get_alpha(), *colours)
