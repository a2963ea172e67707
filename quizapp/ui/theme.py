"""Light and dark themes: the Qt palette, and the colours card HTML and math images use.

The choice is "system" (follow the desktop's colour scheme, and change when it changes),
"light" or "dark". Everything drawn with explicit colours (card HTML, math images, counts,
banners) takes them from ``colors()``, so nothing is dark-on-dark or light-on-light.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Colors:
    """Colours for what is drawn by hand (HTML, images, labels)."""

    dark: bool
    text: str
    muted: str
    code_bg: str
    pre_bg: str
    border: str
    link: str
    new: str
    learning: str
    due: str
    notice_bg: str
    problem_bg: str
    problem_text: str
    problem_border: str
    grades: tuple[str, str, str, str]  # Again, Hard, Good, Easy
    right: str  # a right answer, the countdown in time
    wrong: str  # a wrong answer, a missed concept, overtime
    right_bg: str
    wrong_bg: str
    mark_bg: str  # the words of a typed answer that named a concept
    #: Browser rows: the background of a flagged card (Anki's seven flags: red, orange, green,
    #: blue, pink, turquoise, purple) and of a suspended one (Anki's yellow); text stays
    #: ``text``, so each is a light tint in the light theme and a dark one in the dark theme.
    flags: tuple[str, str, str, str, str, str, str]
    suspended_bg: str
    flag_marks: tuple[str, str, str, str, str, str, str]  # the flag's own colour (a dot)


LIGHT = Colors(dark=False, text="#1f2328", muted="#57606a", code_bg="#eef1f4",
               pre_bg="#f6f8fa", border="#d0d7de", link="#0969da", new="#0969da",
               learning="#cf222e", due="#1a7f37", notice_bg="#f6f8fa", problem_bg="#ffebe9",
               problem_text="#82071e", problem_border="#cf222e",
               grades=("#cf222e", "#9a6700", "#1a7f37", "#0969da"),
               right="#1a7f37", wrong="#cf222e", right_bg="#dafbe1", wrong_bg="#ffebe9",
               mark_bg="#fff1a8",
               flags=("#ffd8d8", "#ffe4c7", "#d3f3dc", "#d8e7ff", "#ffd9f2", "#cdf3ef",
                      "#e6dcff"),
               suspended_bg="#fff4b0",
               flag_marks=("#d1242f", "#d9730d", "#1a7f37", "#0969da", "#bf3989", "#0f8a83",
                           "#8250df"))
DARK = Colors(dark=True, text="#e6edf3", muted="#9198a1", code_bg="#2d333b", pre_bg="#22272e",
              border="#444c56", link="#58a6ff", new="#58a6ff", learning="#ff7b72",
              due="#3fb950", notice_bg="#22272e", problem_bg="#3c1618",
              problem_text="#ffdcd7", problem_border="#f85149",
              grades=("#ff7b72", "#d29922", "#3fb950", "#58a6ff"),
              right="#3fb950", wrong="#ff7b72", right_bg="#1b3a24", wrong_bg="#3c1618",
              mark_bg="#5a4b12",
              flags=("#5c2629", "#57381a", "#1f4a2c", "#1d3a61", "#57224b", "#17494a",
                     "#3b2b61"),
              suspended_bg="#4a4117",
              flag_marks=("#ff7b72", "#f0883e", "#3fb950", "#58a6ff", "#f778ba", "#39c5cf",
                          "#bc8cff"))

_current = LIGHT


def colors() -> Colors:
    """The colours of the theme in use."""
    return _current


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, choice: str) -> Colors:
    """Apply ``choice`` ("system", "light" or "dark") to the whole application."""
    global _current
    dark = system_is_dark(app) if choice == "system" else choice == "dark"
    _current = DARK if dark else LIGHT
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)  # the same look on every desktop, and a palette it honours
    palette = _dark_palette() if dark else app.style().standardPalette()
    if palette != app.palette():
        app.setPalette(palette)
        _restyle(app)
    return _current


def _restyle(app: QApplication) -> None:
    """Give every widget that has a style sheet of its own the new palette: Qt resolves such a
    widget's colours once, when the sheet is set, and an application palette set later does not
    reach it (titles stayed black on the dark theme, tables white on the light one)."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


def _dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for name, value in ((role.Window, "#1c2128"), (role.WindowText, DARK.text),
                        (role.Base, "#161b22"), (role.AlternateBase, "#22272e"),
                        (role.ToolTipBase, "#22272e"), (role.ToolTipText, DARK.text),
                        (role.Text, DARK.text), (role.Button, "#2d333b"),
                        (role.ButtonText, DARK.text), (role.BrightText, "#ffffff"),
                        (role.Link, DARK.link), (role.Highlight, "#1f6feb"),
                        (role.HighlightedText, "#ffffff"), (role.PlaceholderText, DARK.muted)):
        palette.setColor(name, QColor(value))
    for name in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor(DARK.muted))
    return palette
