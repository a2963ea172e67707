"""Where the shipped, read-only files are, from a checkout and from the desktop bundle.

Every module that reads a shipped file asks here, so nothing else assumes the source tree.

From a checkout (or ``pip install -e .``), the files are where the repository keeps them::

    <repo>/content/                       the decks
    <repo>/content/data/mnist_5k.npz      the digits the demos train on
    <koreanize_matplotlib>/fonts/         NanumGothic*.ttf (inside that installed wheel)
    <repo>/quizapp/demos/thumbnails/      the demo gallery's pictures
    <repo>/packaging/icon.png             the app icon

In the PyInstaller bundle (``sys.frozen`` is set and ``sys._MEIPASS`` is the bundle's data
folder, ``dist/quizapp/_internal``) ``packaging/quizapp.spec`` lays them out as::

    <bundle>/content/   <bundle>/content/data/   <bundle>/fonts/   <bundle>/thumbnails/
    <bundle>/icon.png

The bundle's files are read-only: the user's decks, progress and caches live in the
user data folder (``quizapp.paths``). Standard library only (the trainer uses this module too),
and nothing is cached, so a test can pretend to be frozen.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

#: Names inside the bundle folder (``sys._MEIPASS``); ``packaging/quizapp.spec`` uses them.
CONTENT = "content"
DATA = "data"  # inside CONTENT
FONTS = "fonts"
THUMBNAILS = "thumbnails"
ICON = "icon.png"
MNIST_5K = "mnist_5k.npz"
FONT_PACKAGE = "koreanize_matplotlib"  # the wheel whose fonts/ folder holds NanumGothic


def bundle_root() -> Path | None:
    """The bundle's data folder when running frozen (PyInstaller), else None."""
    if not getattr(sys, "frozen", False):
        return None
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else Path(sys.executable).resolve().parent


def is_frozen() -> bool:
    return bundle_root() is not None


def source_root() -> Path:
    """The checkout holding the ``quizapp`` package (meaningful only when not frozen)."""
    return Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    """The shipped decks (``content/``)."""
    root = bundle_root()
    return (root if root is not None else source_root()) / CONTENT


def data_dir() -> Path:
    """The shipped data sets (``content/data/``)."""
    return content_dir() / DATA


def mnist_5k_path() -> Path:
    """The 5,000 shipped handwritten digits."""
    return data_dir() / MNIST_5K


def fonts_dir() -> Path | None:
    """The folder of the NanumGothic .ttf files; None when koreanize-matplotlib is missing.

    ``find_spec`` locates the package without importing it (importing it would import
    matplotlib).
    """
    root = bundle_root()
    if root is not None:
        return root / FONTS
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def korean_font_files() -> tuple[Path, ...]:
    """Paths of the NanumGothic .ttf files, the regular face first; empty if there are none."""
    folder = fonts_dir()
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted(folder.glob("NanumGothic*.ttf"),
                        key=lambda p: (p.stem != "NanumGothic", p.stem)))


def thumbnails_dir() -> Path:
    """The demo gallery's pictures (``<demo id>-<ko|en>.png``)."""
    root = bundle_root()
    if root is not None:
        return root / THUMBNAILS
    return Path(__file__).resolve().parent / "demos" / THUMBNAILS


def icon_path() -> Path | None:
    """The app icon (a PNG), or None when this install has none (e.g. a wheel install)."""
    root = bundle_root()
    path = root / ICON if root is not None else source_root() / "packaging" / ICON
    return path if path.is_file() else None
