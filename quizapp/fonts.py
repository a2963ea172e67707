"""The bundled Korean font (NanumGothic, shipped by the koreanize-matplotlib wheel).

We use only the font files: importing ``koreanize_matplotlib`` itself would import matplotlib
(slow at start-up) and ``distutils`` (gone in Python 3.12).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from quizapp import resources

FAMILY = "NanumGothic"


@cache
def korean_font_files() -> tuple[Path, ...]:
    """Paths of the bundled NanumGothic .ttf files (regular first); empty if not installed.

    From the koreanize-matplotlib wheel in a checkout, from the bundle's ``fonts/`` when frozen
    (``quizapp.resources``).
    """
    return resources.korean_font_files()


def use_korean_font_in_matplotlib() -> None:
    """Register NanumGothic with matplotlib so that plot text can contain Hangul."""
    import matplotlib
    from matplotlib import font_manager

    for path in korean_font_files():
        font_manager.fontManager.addfont(str(path))
    if korean_font_files():
        # DejaVu first, NanumGothic as the per-glyph fallback (matplotlib >= 3.6): Latin text,
        # digits and the U+2212 minus come from DejaVu, Hangul from NanumGothic.
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", FAMILY]
