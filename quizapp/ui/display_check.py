"""Check, before Qt starts, that a window can be opened, and say what to install when not.

Without a display, or with Qt's X11 (xcb) platform plugin missing system libraries (common on a
fresh Debian/Ubuntu: ``libxcb-cursor0``, ``libxcb-icccm4``, ``libxcb-keysyms1``), Qt aborts the
process with a core dump and a hint to "reinstall the application". This module runs first and
turns both cases into a message and exit status ``DISPLAY_PROBLEM`` (3). It imports no Qt: it
only looks at the environment and tries to load the libraries with ``ctypes``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

DISPLAY_PROBLEM = 3  # exit status: no usable display

#: The system libraries Qt's xcb platform plugin needs, with the package that provides each on
#: Debian/Ubuntu (apt) and on Fedora/RHEL (dnf).
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

Loader = Callable[[str], object]


def can_connect_to_x(display: str) -> bool:
    """True when an X server answers at ``display`` (libxcb's own connect, as Qt's xcb
    plugin does; without a server Qt aborts the process)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode() or None, None)
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def display_problem(env: Mapping[str, str] | None = None, loader: Loader = ctypes.CDLL,
                    platform: str = sys.platform,
                    connect: Callable[[str], bool] = can_connect_to_x) -> str | None:
    """Why Qt could not open a window here (a message saying what to do), or None."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their platform plugin
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested and not requested.startswith("xcb"):
        return None  # offscreen, wayland, vnc, ...: Qt reports its own problems in words
    if not requested and env.get("WAYLAND_DISPLAY"):
        return None
    if not requested and not env.get("DISPLAY"):
        return ("No display found: QuizApp opens a window, but neither DISPLAY nor "
                "WAYLAND_DISPLAY is set. Start it from a desktop session (or over ssh -X). "
                "The commands check, stats and demo ... --out need no display.")
    missing, error = _missing_xcb_libraries(loader)
    if not missing:
        if error is not None:
            return (f"Qt cannot open a window: its X11 (xcb) platform library does not load "
                    f"({error}).")
        display = env.get("DISPLAY", "")
        if not connect(display):
            return (f"Cannot connect to the X display {display!r}: is the X server running, "
                    "and is DISPLAY right? (Over ssh, connect with ssh -X.)")
        return None
    apt = " ".join(dict.fromkeys(XCB_LIBRARIES[name][0] for name in missing))
    dnf = " ".join(dict.fromkeys(XCB_LIBRARIES[name][1] for name in missing))
    return ("Qt cannot open a window: system libraries for its X11 (xcb) platform are missing "
            f"({', '.join(missing)}). Install them, then start QuizApp again:\n"
            f"  Debian/Ubuntu:  sudo apt install {apt}\n"
            f"  Fedora/RHEL:    sudo dnf install {dnf}")


def _missing_xcb_libraries(loader: Loader) -> tuple[list[str], str | None]:
    """The libraries of ``XCB_LIBRARIES`` that cannot be loaded, and the error of loading Qt's
    own xcb library (None when it loads, i.e. everything it links against is there)."""
    qt_xcb = _qt_lib_dir() / "libQt6XcbQpa.so.6"
    error = None
    if qt_xcb.exists():
        try:
            loader(str(qt_xcb))
        except OSError as err:
            error = str(err)
        else:
            return [], None
    missing = []
    for name in XCB_LIBRARIES:
        try:
            loader(name)
        except OSError:
            missing.append(name)
    return missing, error


def _qt_lib_dir() -> Path:
    spec = importlib.util.find_spec("PySide6")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "Qt" / "lib" if locations else Path("/nonexistent")
