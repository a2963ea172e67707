"""The bundled Korean font (NanumGothic, shipped by the koreanize-matplotlib wheel).

We use only the font files: importing ``koreanize_matplotlib`` itself would import matplotlib
(slow at start-up) and ``distutils`` (gone in Python 3.12).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

FAMILY = "NanumGothic"


@cache
def korean_font_files() -> tuple[Path, ...]:
    """Paths of the bundled NanumGothic .ttf files (regular first); empty if not installed."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return ()
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    files = sorted(folder.glob("NanumGothic*.ttf"), key=lambda p: (p.stem != FAMILY, p.stem))
    return tuple(files)


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
