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
from pathlib import Path

from quizapp.content.markup import plain_math

MATH_SCHEME = "math"
RENDER_DPI = 192  # twice the 96-dpi layout: sharp on high-density screens
SCREEN_DPI = 96
INLINE_PT = 12
DISPLAY_PT = 15
COLOR = "#1f2328"
_NAME = re.compile(r"^[0-9a-f]{20}\.png$")


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
            _render_png("x", INLINE_PT)
        except Exception:  # a broken matplotlib shows up (as TeX) in render() instead
            pass
        finally:
            self._warm.set()

    @staticmethod
    def name_for(tex: str, display: bool) -> str:
        key = hashlib.sha1(f"v1|{display}|{COLOR}|{tex}".encode()).hexdigest()[:20]
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

    def cached_html(self, tex: str, display: bool) -> str | None:
        """The HTML for ``tex`` if it is ready (an image, or TeX source for a fragment that
        cannot be drawn), else None. Never imports matplotlib."""
        if (tex, display) in self._failed:
            return plain_math(tex, display)
        name = self.name_for(tex, display)
        data = self.image_bytes(name)
        return None if data is None else _img_html(name, data, tex, display)

    def render(self, tex: str, display: bool) -> None:
        """Render ``tex`` now (imports matplotlib); afterwards ``cached_html`` has its HTML."""
        if self.cached_html(tex, display) is not None:
            return
        try:
            png = _render_png(tex, DISPLAY_PT if display else INLINE_PT)
        except Exception:  # any mathtext failure (parse, recursion, ...): show the TeX source
            self._failed.add((tex, display))
            return
        name = self.name_for(tex, display)
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

    def render_html(self, tex: str, display: bool) -> str:
        """The HTML for ``tex``, rendering it first if needed."""
        self.render(tex, display)
        return self.cached_html(tex, display) or plain_math(tex, display)


def _render_png(tex: str, size_pt: int) -> bytes:
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    mathtext.math_to_image(f"${tex}$", buffer, prop=FontProperties(size=size_pt),
                           dpi=RENDER_DPI, format="png", color=COLOR)
    return buffer.getvalue()


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
