"""TeX fragments as PNG images (matplotlib mathtext), kept in memory and cached on disk.

matplotlib is imported only when a fragment is not cached yet, and only after the first card
is on screen (see ``CardView``), so start-up never waits for it.

Images are referenced from card HTML as ``math:<key>.png`` and served to the text view by
``image_bytes`` (the view loads no other resource). Rendering never raises: TeX that mathtext
cannot draw (a parse error, nesting too deep for its parser, anything else) is shown as source.
The disk cache is best effort: each write goes to a temporary file of its own (two app
instances can render the same formula at once) and is moved into place; if the disk is full or
read-only the image is still shown from memory and simply rendered again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import os
import re
import struct
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from quizapp.content.markup import plain_math

MATH_SCHEME = "math"
RENDER_DPI = 192  # twice the 96-dpi layout: sharp on high-density screens
SCREEN_DPI = 96
DISPLAY_SCALE = 1.15  # display formulas a little larger than the text around them
_NAME = re.compile(r"^[0-9a-f]{20}\.png$")
_FRAC = re.compile(r"\\frac(?![a-zA-Z])")


@dataclass(frozen=True)
class MathStyle:
    """How a formula must look to sit in its text: the text font's size, ascent, descent and
    x-height in pixels (at 96 dpi), and the colour."""

    size_px: float = 15.0
    ascent_px: float = 14.0
    descent_px: float = 3.5
    x_height_px: float = 7.5
    color: str = "#1f2328"


class MathImages:
    """Renders math images, keeps them in memory and caches them in ``cache_dir``."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._images: dict[str, bytes] = {}
        self._failed: set[tuple[str, bool]] = set()
        self._warm = threading.Event()
        self._warming: threading.Thread | None = None

    def warm_up(self) -> bool:
        """Start importing matplotlib and building mathtext's parser and fonts in a background
        thread (about half a second, once per process); True once that is done. ``render`` is
        called only after that, from the GUI thread, so matplotlib is never used by two threads
        at once, and the window never freezes for the one-time set-up."""
        if self._warming is None:
            self._warming = threading.Thread(target=self._warm_up, name="mathtext-warm-up",
                                             daemon=True)
            self._warming.start()
        return self._warm.is_set()

    def _warm_up(self) -> None:
        try:
            _render_png("x", 11.0)
        except Exception:  # a broken matplotlib shows up (as TeX) in render() instead
            pass
        finally:
            self._warm.set()

    @staticmethod
    def name_for(tex: str, display: bool, style: MathStyle = MathStyle()) -> str:
        key = hashlib.sha1(f"v3|{display}|{style}|{tex}".encode()).hexdigest()[:20]
        return f"{key}.png"

    def image_bytes(self, name: str) -> bytes | None:
        """The PNG called ``name`` (from memory, else from the disk cache), or None."""
        if not _NAME.match(name):
            return None
        data = self._images.get(name)
        if data is None:
            try:
                data = (self.cache_dir / name).read_bytes()
            except OSError:
                return None
            if not data.startswith(b"\x89PNG"):
                return None
            self._images[name] = data
        return data

    def cached_html(self, tex: str, display: bool,
                    style: MathStyle = MathStyle()) -> str | None:
        """The HTML for ``tex`` if it is ready (an image, or TeX source for a fragment that
        cannot be drawn), else None. Never imports matplotlib."""
        if (tex, display) in self._failed:
            return plain_math(tex, display)
        name = self.name_for(tex, display, style)
        data = self.image_bytes(name)
        return None if data is None else _img_html(name, data, tex, display)

    def render(self, tex: str, display: bool, style: MathStyle = MathStyle()) -> None:
        """Render ``tex`` now (imports matplotlib); afterwards ``cached_html`` has its HTML.

        A display formula is drawn in display style (``\\frac`` as ``\\dfrac``) a little larger
        than the text; an inline one at the text's size, padded so that Qt's ``middle``
        alignment puts the formula's baseline on the text's baseline."""
        if self.cached_html(tex, display, style) is not None:
            return
        size_px = style.size_px * (DISPLAY_SCALE if display else 1.0)
        source = _FRAC.sub(r"\\dfrac", tex) if display else tex
        try:
            png, depth = _render_png(source, size_px * 72 / SCREEN_DPI, style.color)
            if not display:
                png = _baseline_padded(png, depth, style)
        except Exception:  # any mathtext failure (parse, recursion, ...): show the TeX source
            self._failed.add((tex, display))
            return
        name = self.name_for(tex, display, style)
        self._images[name] = png
        self._store(name, png)

    def _store(self, name: str, png: bytes) -> None:
        """Write ``png`` to the disk cache atomically; a failure only costs a re-render later."""
        tmp: str | None = None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=name, suffix=".tmp", dir=self.cache_dir)
            with os.fdopen(handle, "wb") as out:
                out.write(png)
            os.replace(tmp, self.cache_dir / name)
            tmp = None
        except OSError:
            pass  # full or read-only disk: the image is still shown from memory
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def render_html(self, tex: str, display: bool, style: MathStyle = MathStyle()) -> str:
        """The HTML for ``tex``, rendering it first if needed."""
        self.render(tex, display, style)
        return self.cached_html(tex, display, style) or plain_math(tex, display)


def _render_png(tex: str, size_pt: float, color: str = "#1f2328") -> tuple[bytes, float]:
    """``tex`` drawn by mathtext at ``size_pt`` and RENDER_DPI on a transparent background: the
    PNG and its depth (pixels below the baseline)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    # mathtext.math_to_image, with the transparent background (readable on light and dark
    # themes) asked of savefig rather than set in rcParams by an rc_context: this runs on the
    # warm-up thread too, and leaving an rc_context restores *every* rcParam, undoing the
    # Korean font a demo window had set on the GUI thread meanwhile (its Hangul became boxes).
    text, prop = f"${tex}$", FontProperties(size=size_pt)
    width, height, depth_pt, _, _ = MathTextParser("path").parse(text, dpi=72, prop=prop)
    figure = Figure(figsize=(width / 72.0, height / 72.0))
    figure.text(0, depth_pt / height, text, fontproperties=prop, color=color)
    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=RENDER_DPI, format="png", transparent=True)
    return buffer.getvalue(), float(depth_pt) * RENDER_DPI / 72  # it measures depth in points


def _baseline_padded(png: bytes, depth: float, style: MathStyle) -> bytes:
    """``png`` with transparent rows added above or below so that, aligned ``middle`` in a line
    of ``style``'s text, the formula's baseline sits on the text's baseline."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter

    image = QImage.fromData(png)
    scale = RENDER_DPI / SCREEN_DPI
    top, bottom = baseline_padding(image.height() / scale - depth / scale, depth / scale, style)
    top, bottom = round(top * scale), round(bottom * scale)
    if top == bottom == 0:
        return png
    padded = QImage(image.width(), image.height() + top + bottom,
                    QImage.Format.Format_ARGB32_Premultiplied)
    padded.fill(0)
    painter = QPainter(padded)
    painter.drawImage(0, top, image)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    padded.save(buffer, "PNG")
    return bytes(data.data())


def baseline_padding(above: float, below: float, style: MathStyle) -> tuple[float, float]:
    """Rows (top, bottom), in 96-dpi pixels, to add to an image whose content reaches ``above``
    the formula's baseline and ``below`` it, so that Qt puts that baseline on the text's.

    How Qt lays out a ``vertical-align: middle`` image (measured; ``tests/unit/ui/
    test_math_baseline.py`` checks the result in pixels): an image of height H gets ascent
    H/2 + x/4 and descent H/2 - x/4 (x: the text's x-height), the line takes the largest ascent
    and descent of its text and images, and the image is drawn centred in the line. When every
    image is taller than the text's line box, the line's ascent minus descent is x/2 whichever
    image is tallest, so an image whose part above the baseline exceeds its part below by
    exactly x/2 sits on the baseline — however many formulas share the line. Hence: pad to
    that difference, and to at least the height that makes the image the line's tallest.
    """
    a, d, x = style.ascent_px, style.descent_px, style.x_height_px
    min_height = max(2 * (a - x / 4), 2 * (d + x / 4)) + 1
    shift = x / 2 - above + below  # top - bottom
    total = max(abs(shift), min_height - above - below)  # top + bottom
    return (total + shift) / 2, (total - shift) / 2

def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _img_html(name: str, data: bytes, tex: str, display: bool) -> str:
    width, height = _png_size(data)
    scale = SCREEN_DPI / RENDER_DPI
    img = (f'<img src="{MATH_SCHEME}:{name}" width="{round(width * scale)}" '
           f'height="{round(height * scale)}" alt="{html.escape(tex, quote=True)}" '
           f'style="vertical-align: middle">')
    return f'<p align="center">{img}</p>' if display else img
