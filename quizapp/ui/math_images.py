"""TeX fragments as PNG images (matplotlib mathtext), cached on disk by content hash.

matplotlib is imported only when a fragment is not cached yet, and only after the first card
is on screen (see ``CardView``), so start-up never waits for it.
"""

from __future__ import annotations

import hashlib
import html
import io
import struct
from pathlib import Path

from quizapp.content.markup import plain_math

RENDER_DPI = 192  # twice the 96-dpi layout: sharp on high-density screens
SCREEN_DPI = 96
INLINE_PT = 12
DISPLAY_PT = 15
COLOR = "#1f2328"


class MathImages:
    """Renders and caches math images in ``cache_dir``."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._failed: set[str] = set()

    def path_for(self, tex: str, display: bool) -> Path:
        key = hashlib.sha1(f"v1|{display}|{COLOR}|{tex}".encode()).hexdigest()[:20]
        return self.cache_dir / f"{key}.png"

    def cached_html(self, tex: str, display: bool) -> str | None:
        """The ``<img>`` for ``tex`` if it is already rendered, else None (no matplotlib needed)."""
        path = self.path_for(tex, display)
        if path.exists():
            return _img_html(path, tex, display)
        if tex in self._failed:
            return plain_math(tex, display)
        return None

    def render_html(self, tex: str, display: bool) -> str:
        """The ``<img>`` for ``tex``, rendering it now if needed (imports matplotlib)."""
        cached = self.cached_html(tex, display)
        if cached is not None:
            return cached
        path = self.path_for(tex, display)
        try:
            png = _render_png(tex, DISPLAY_PT if display else INLINE_PT)
        except ValueError:  # mathtext could not parse it: show the source instead
            self._failed.add(tex)
            return plain_math(tex, display)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(png)
        tmp.replace(path)
        return _img_html(path, tex, display)


def _render_png(tex: str, size_pt: int) -> bytes:
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    mathtext.math_to_image(f"${tex}$", buffer, prop=FontProperties(size=size_pt),
                           dpi=RENDER_DPI, format="png", color=COLOR)
    return buffer.getvalue()


def _png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        header = f.read(24)
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _img_html(path: Path, tex: str, display: bool) -> str:
    width, height = _png_size(path)
    scale = SCREEN_DPI / RENDER_DPI
    img = (f'<img src="{path.as_uri()}" width="{round(width * scale)}" '
           f'height="{round(height * scale)}" alt="{html.escape(tex, quote=True)}" '
           f'style="vertical-align: middle">')
    return f'<p align="center">{img}</p>' if display else img
