"""Draw the app icon: ``packaging/icon.svg``, ``icon.png`` (256 px) and ``icon.ico`` (16-256 px).

Run from anywhere with the project's venv (no network): ``python packaging/make_icon.py``.
The SVG is written here, rendered by Qt's ``QSvgRenderer`` at every size (small sizes are
rendered, not shrunk, so they stay sharp), and Pillow (a matplotlib dependency) writes the ICO.
The outputs are committed; run this again only to change the picture.

The picture: two flashcards on an indigo tile, the front one showing a falling training-loss
curve: spaced-repetition cards about training neural networks.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_SIZE = 256

SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <!-- QuizApp icon, drawn by packaging/make_icon.py -->
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#4f6df5"/>
      <stop offset="1" stop-color="#2a2f8f"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" ry="52" fill="url(#tile)"/>
  <!-- the card behind -->
  <g transform="rotate(-12 128 128)">
    <rect x="52" y="58" width="150" height="118" rx="14" ry="14" fill="#c9d3ff"/>
  </g>
  <!-- the card in front -->
  <rect x="48" y="86" width="164" height="124" rx="14" ry="14" fill="#ffffff"/>
  <!-- axes -->
  <path d="M70 106 L70 188 L194 188" fill="none" stroke="#9aa3c7" stroke-width="6"
        stroke-linecap="round" stroke-linejoin="round"/>
  <!-- a falling loss curve, and the point it reached -->
  <path d="M78 110 C 96 160, 116 172, 188 176" fill="none" stroke="#ff7a29"
        stroke-width="11" stroke-linecap="round"/>
  <circle cx="188" cy="176" r="10" fill="#ff7a29"/>
</svg>
"""


def render(svg: bytes, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit("icon.svg is not valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    svg = SVG.encode()
    (HERE / "icon.svg").write_bytes(svg)
    (HERE / "icon.png").write_bytes(render(svg, PNG_SIZE))
    images = [Image.open(io.BytesIO(render(svg, size))) for size in ICO_SIZES]
    largest = images[-1]
    largest.save(HERE / "icon.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=images[:-1])
    for name in ("icon.svg", "icon.png", "icon.ico"):
        print(f"wrote {HERE / name} ({(HERE / name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
