"""Make Hangul render in Qt on a machine with no Korean font installed."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from quizapp.fonts import FAMILY, korean_font_files


def install_korean_font(app: QApplication) -> str | None:
    """Load the bundled NanumGothic into Qt and use it as the application font."""
    families: list[str] = []
    for path in korean_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY not in families:
        return None
    font = QFont(FAMILY, 11)
    app.setFont(font)
    return FAMILY
